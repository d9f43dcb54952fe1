//! The structure check on the Rust types: whether an engagement that serde read into its types
//! also conforms to the engagement schema, without building the JSON value the schema is
//! checked on.
//!
//! serde's reading already holds most of the schema: the types, the required fields, the
//! enumerations, `deny_unknown_fields` where the schema has `additionalProperties: false`, and
//! the ranges of the integer types. What it does not hold are the schema's other constraints
//! (`minLength`, `minimum`, `maximum`, `format`, `pattern`). For the parts of an engagement that
//! can be large, the model's elements, boundaries and flows and the questions, those are checked
//! here on the types (`HAND_CHECKED` lists them; a test compares that list with the schema, so
//! a constraint added to the types cannot be missed). The rest of the engagement (people,
//! interviews, calibration, hints, findings, follow-ups: small by nature) is checked by the
//! schema itself, on a value of that rest alone.
//!
//! [`conforms`] says yes only when the whole schema check would find nothing; when it says no,
//! the caller runs the schema check for the diagnostics. A differential property test checks
//! that this path and the schema path give the same report on mutated engagements.

use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Value, json};

use crate::model::{Answer, Engagement, Question, SCHEMA_VERSION};
use crate::model::{ComponentModel, SharedModel};
use crate::schema::{ENGAGEMENT_VALIDATOR, check};

/// The schema's constraints that [`conforms`] checks on the types, as (definition, property,
/// keyword): everything the schema constrains beyond the types inside the model's elements,
/// boundaries and flows and inside the questions.
#[cfg(test)]
const HAND_CHECKED: &[(&str, &str, &str)] = &[
    ("Element", "id", "minLength"),
    ("Element", "name", "minLength"),
    ("Boundary", "id", "minLength"),
    ("Boundary", "name", "minLength"),
    ("Flow", "id", "minLength"),
    ("Flow", "name", "minLength"),
    ("Flow", "source", "minLength"),
    ("Flow", "target", "minLength"),
    ("DataItem", "name", "minLength"),
    ("Question", "id", "minLength"),
    ("Question", "text", "minLength"),
    ("Question", "priority", "minimum"),
    ("Question", "priority", "maximum"),
    ("Question", "priority", "format"),
    ("Question", "minutes", "minimum"),
    ("Question", "minutes", "maximum"),
    ("Question", "minutes", "format"),
    ("Role", "", "minLength"),
    ("CoveredPair", "subject", "minLength"),
    ("Answer", "text", "minLength"),
    ("Answer", "at", "format"),
    ("AnswerException", "subject", "minLength"),
    ("AnswerException", "text", "minLength"),
    ("Provenance", "template", "minLength"),
    ("Provenance", "bank", "minLength"),
];

/// Whether `engagement`, as serde read it, passes the version gate and the schema check: when
/// it does, the schema check would report nothing.
pub(crate) fn conforms(engagement: &Engagement) -> bool {
    engagement.schema_version == SCHEMA_VERSION
        && model_conforms(&engagement.model)
        && engagement.questions.iter().all(question_conforms)
        && serde_json::to_value(rest_of(engagement))
            .is_ok_and(|rest| ENGAGEMENT_VALIDATOR.is_valid(&rest))
}

fn model_conforms(model: &ComponentModel) -> bool {
    model
        .elements
        .iter()
        .all(|e| !e.id.is_empty() && !e.name.is_empty())
        && model
            .boundaries
            .iter()
            .all(|b| !b.id.is_empty() && !b.name.is_empty())
        && model.flows.iter().all(|f| {
            !f.id.is_empty()
                && !f.name.is_empty()
                && !f.source.is_empty()
                && !f.target.is_empty()
                && f.data.iter().all(|d| !d.name.is_empty())
        })
}

fn question_conforms(question: &Question) -> bool {
    !question.id.is_empty()
        && !question.text.is_empty()
        && (1..=5).contains(&question.priority)
        && question.minutes >= 1
        && !question.role.as_str().is_empty()
        && question.also_covers.iter().all(|c| !c.subject.is_empty())
        && question.answers.iter().all(answer_conforms)
        && question
            .provenance
            .as_ref()
            .is_none_or(|p| !p.template.is_empty() && !p.bank.is_empty())
}

fn answer_conforms(answer: &Answer) -> bool {
    !answer.text.is_empty()
        && answer
            .exceptions
            .iter()
            .all(|x| !x.subject.is_empty() && !x.text.is_empty())
        && answer
            .at
            .as_ref()
            .is_none_or(|at| DATE_OR_DATE_TIME.is_valid(&Value::String(at.clone())))
}

/// The schema's own check of a date or a date and time, for answers: the same formats the
/// engagement schema checks `Answer.at` with.
static DATE_OR_DATE_TIME: LazyLock<Validator> = LazyLock::new(|| {
    check::compile(&json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "string",
        "anyOf": [{"format": "date"}, {"format": "date-time"}]
    }))
});

/// The engagement without the model's parts and the questions, which are checked on the
/// types. Every field is named, so a field added to [`Engagement`] is a compile error here
/// until it is decided where it is checked.
fn rest_of(engagement: &Engagement) -> Engagement {
    let Engagement {
        schema_version,
        id,
        name,
        description,
        system,
        assurance_level,
        scope,
        documents,
        custom_roles,
        participants,
        interviews,
        model: _,
        questions: _,
        calibration,
        packs,
        hints,
        findings,
        follow_ups,
        extensions,
    } = engagement;
    Engagement {
        schema_version: *schema_version,
        id: id.clone(),
        name: name.clone(),
        description: description.clone(),
        system: system.clone(),
        assurance_level: *assurance_level,
        scope: scope.clone(),
        documents: documents.clone(),
        custom_roles: custom_roles.clone(),
        participants: participants.clone(),
        interviews: interviews.clone(),
        model: SharedModel::default(),
        questions: Vec::new(),
        calibration: calibration.clone(),
        packs: packs.clone(),
        hints: hints.clone(),
        findings: findings.clone(),
        follow_ups: follow_ups.clone(),
        extensions: extensions.clone(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::HAND_CHECKED;
    use crate::schema::engagement_schema;
    use crate::source::Format;
    use crate::validate::{Validation, validate_json_typed, validate_parsed};

    /// Keywords that constrain a value beyond its type, its fields and its enumeration.
    const CONSTRAINTS: &[&str] = &[
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "minProperties",
        "maxProperties",
        "propertyNames",
        "patternProperties",
        "dependentRequired",
        "dependentSchemas",
        "not",
        "if",
        "allOf",
    ];

    /// The definitions reachable from `start` through `$ref`.
    fn reachable(defs: &serde_json::Map<String, Value>, start: &str) -> BTreeSet<String> {
        fn refs(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::Object(map) => {
                    for (key, item) in map {
                        if key == "$ref"
                            && let Some(name) =
                                item.as_str().and_then(|r| r.strip_prefix("#/$defs/"))
                        {
                            out.push(name.to_owned());
                        }
                        refs(item, out);
                    }
                }
                Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
                _ => {}
            }
        }
        let mut seen = BTreeSet::new();
        let mut todo = vec![start.to_owned()];
        while let Some(name) = todo.pop() {
            if seen.insert(name.clone()) {
                refs(&defs[&name], &mut todo);
            }
        }
        seen
    }

    /// Every constraint keyword in `value`, as (property, keyword): the property is the first
    /// level under `properties`, empty for the definition itself.
    fn constraints(value: &Value, property: &str, out: &mut BTreeSet<(String, String)>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    if CONSTRAINTS.contains(&key.as_str()) {
                        out.insert((property.to_owned(), key.clone()));
                    }
                    if key == "properties" && property.is_empty() {
                        for (name, schema) in item.as_object().into_iter().flatten() {
                            constraints(schema, name, out);
                        }
                    } else if key != "$ref" {
                        constraints(item, property, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| constraints(i, property, out)),
            _ => {}
        }
    }

    #[test]
    fn every_constraint_on_the_model_and_the_questions_is_checked_on_the_types() {
        let schema = engagement_schema();
        let defs = schema["$defs"].as_object().unwrap();
        let mut found = BTreeSet::new();
        for start in ["ComponentModel", "Question"] {
            for name in reachable(defs, start) {
                let mut own = BTreeSet::new();
                constraints(&defs[&name], "", &mut own);
                found.extend(own.into_iter().map(|(p, k)| (name.clone(), p, k)));
            }
        }
        let checked: BTreeSet<(String, String, String)> = HAND_CHECKED
            .iter()
            .map(|(d, p, k)| ((*d).to_owned(), (*p).to_owned(), (*k).to_owned()))
            .collect();
        assert_eq!(
            found, checked,
            "the schema's constraints inside the model and the questions are not those checked on the types"
        );
    }

    /// An engagement with every place a hand-checked constraint applies to.
    fn every_checked_place() -> Value {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let text = std::fs::read_to_string(
            root.join("fuzz/corpus/engagement_json/with-interviews-and-answers.json"),
        )
        .unwrap();
        let mut value: Value = serde_json::from_str(&text).unwrap();
        value["model"]["flows"][0]["data"] =
            json!([{"name": "order", "classification": "internal"}]);
        let question = &mut value["questions"][0];
        question["subjects"] = json!(["app"]);
        question["also_covers"] = json!([{"subject": "app", "category": "spoofing"}]);
        question["answers"][0]["exceptions"] = json!([{"subject": "app", "text": "Not there."}]);
        value
    }

    /// Where each hand-checked constraint applies in [`every_checked_place`], and a value that
    /// breaks it.
    fn breaking(definition: &str, property: &str, keyword: &str) -> (String, Value) {
        let at = match definition {
            "Element" => format!("/model/elements/0/{property}"),
            "Boundary" => format!("/model/boundaries/0/{property}"),
            "Flow" => format!("/model/flows/0/{property}"),
            "DataItem" => format!("/model/flows/0/data/0/{property}"),
            "Question" => format!("/questions/0/{property}"),
            "Role" => "/questions/0/role".to_owned(),
            "CoveredPair" => format!("/questions/0/also_covers/0/{property}"),
            "Answer" => format!("/questions/0/answers/0/{property}"),
            "AnswerException" => format!("/questions/0/answers/0/exceptions/0/{property}"),
            "Provenance" => format!("/questions/0/provenance/{property}"),
            other => panic!("no place for {other}"),
        };
        let value = match (keyword, property) {
            ("minLength", _) => json!(""),
            ("maximum", "priority") => json!(6),
            ("maximum", _) => json!(4_294_967_296_u64),
            ("format", "at") => json!("2026-02-30"),
            _ => json!(0),
        };
        (at, value)
    }

    #[test]
    fn breaking_any_hand_checked_constraint_leaves_the_typed_path() {
        let base = every_checked_place();
        let text = serde_json::to_string_pretty(&base).unwrap();
        let accepted = validate_json_typed(&text).expect("the base takes the typed path");
        assert!(accepted.report.is_valid(), "{:?}", accepted.report);
        for (definition, property, keyword) in HAND_CHECKED {
            let (at, broken) = breaking(definition, property, keyword);
            let mut value = base.clone();
            *value.pointer_mut(&at).unwrap_or_else(|| panic!("no {at}")) = broken;
            let text = serde_json::to_string_pretty(&value).unwrap();
            assert!(
                validate_json_typed(&text).is_none(),
                "{definition}.{property} {keyword}: the typed path accepted {at}"
            );
            assert!(!by_value(&text).report.is_valid(), "{at}");
        }
    }

    fn inputs() -> Vec<(PathBuf, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut out = Vec::new();
        for dir in [
            "examples/engagements",
            "tests/invalid",
            "fuzz/corpus/engagement_json",
        ] {
            let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
        out
    }

    /// The value path's answer on a JSON text that parses.
    fn by_value(text: &str) -> Validation {
        let value: Value = serde_json::from_str(text).unwrap();
        validate_parsed(value, Some((text, Format::Json)), true)
    }

    fn same(typed: &Validation, by_value: &Validation) -> bool {
        typed.report == by_value.report && typed.engagement == by_value.engagement
    }

    #[test]
    fn every_valid_example_takes_the_typed_path_with_the_same_result() {
        let mut typed = 0;
        for (path, text) in inputs() {
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let expected = validate_parsed(value, Some((&text, Format::Json)), true);
            match validate_json_typed(&text) {
                Some(validation) => {
                    assert!(same(&validation, &expected), "{}", path.display());
                    typed += 1;
                }
                None => assert!(
                    !expected.report.is_valid(),
                    "{} is valid but was not read on the typed path",
                    path.display()
                ),
            }
        }
        assert!(typed >= 13, "only {typed} inputs took the typed path");
    }

    /// Every node of a value, by pointer.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    pointers(
                        item,
                        format!("{at}/{}", crate::source::escape_pointer_token(key)),
                        out,
                    );
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    pointers(item, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }

    fn replacements() -> Vec<Value> {
        vec![
            json!(""),
            json!("x"),
            json!(0),
            json!(1),
            json!(5),
            json!(6),
            json!(-1),
            json!(1.5),
            json!(4_294_967_296_u64),
            json!(null),
            json!(true),
            json!([]),
            json!({}),
            json!("2026-02-30"),
            json!("2026-01-01"),
            json!("2026-01-01T10:00:00Z"),
            json!("25:00"),
            json!("09:30"),
            json!(["a"]),
            json!({"a": 1}),
            json!("architect"),
            json!("spoofing"),
        ]
    }

    /// Applies one mutation to the node at `pointer`: replace it, remove it, or add an unknown
    /// member to it.
    fn mutate(value: &mut Value, pointer: &str, action: usize) {
        let replacements = replacements();
        if action < replacements.len() {
            if let Some(node) = value.pointer_mut(pointer) {
                *node = replacements[action].clone();
            }
        } else if action == replacements.len() {
            let (parent, last) = pointer.rsplit_once('/').unwrap_or(("", ""));
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&last.replace("~1", "/").replace("~0", "~"));
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>()
                        && i < items.len()
                    {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        } else if let Some(Value::Object(map)) = value.pointer_mut(pointer) {
            map.insert("zz_unknown".to_owned(), json!(1));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]

        /// On engagements with one or two mutations anywhere, the typed path either declines
        /// or gives exactly the value path's report and engagement.
        #[test]
        fn the_typed_path_gives_the_value_paths_result(
            file in any::<prop::sample::Index>(),
            first in (any::<prop::sample::Index>(), 0..24usize),
            second in proptest::option::of((any::<prop::sample::Index>(), 0..24usize)),
        ) {
            let inputs = inputs();
            let (path, text) = &inputs[file.index(inputs.len())];
            let Ok(mut value) = serde_json::from_str::<Value>(text) else {
                return Ok(());
            };
            for (node, action) in std::iter::once(first).chain(second) {
                let mut all = Vec::new();
                pointers(&value, String::new(), &mut all);
                let pointer = all[node.index(all.len())].clone();
                mutate(&mut value, &pointer, action);
            }
            let text = serde_json::to_string_pretty(&value).unwrap();
            if let Some(typed) = validate_json_typed(&text) {
                let expected = by_value(&text);
                prop_assert!(
                    same(&typed, &expected),
                    "{}: typed {:?}, by value {:?}",
                    path.display(),
                    typed.report,
                    expected.report
                );
            }
        }
    }
}
