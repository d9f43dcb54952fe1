//! The committed JSON Schemas match the Rust types.
//!
//! `UPDATE_SCHEMAS=1 cargo test -p threat-interview --test schema_drift` rewrites them.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::Value;
use threat_interview::schema::{first_difference, to_file_text};

/// Every published schema: its file under `schemas/` and what generates it. A new schema joins
/// the drift test by adding one line here.
type Generate = fn() -> Value;

const SCHEMA_FILES: &[(&str, Generate)] = &[
    (
        "engagement.schema.json",
        threat_interview::schema::engagement_schema,
    ),
    (
        "question-bank.schema.json",
        threat_interview::bank::bank_schema,
    ),
];

fn schemas_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

#[test]
fn committed_schemas_match_the_rust_types() {
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v != "0" && !v.is_empty());
    let mut stale = Vec::new();
    for &(file_name, generate) in SCHEMA_FILES {
        let path = schemas_dir().join(file_name);
        let generated = to_file_text(&generate());
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if update {
            if committed != generated {
                std::fs::write(&path, &generated).expect("write the schema");
                eprintln!("updated {}", path.display());
            }
        } else if let Some(diff) = first_difference(&committed, &generated) {
            stale.push(format!("schemas/{file_name} is stale:\n{diff}"));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nrun `UPDATE_SCHEMAS=1 cargo test -p threat-interview --test schema_drift` (or `make schemas`) and commit the result",
        stale.join("\n")
    );
}

#[test]
fn the_drift_check_sees_a_changed_field() {
    // What the test above does when a model field changes: the generated text differs from
    // the committed one, and the report names the line.
    let schema = (SCHEMA_FILES[0].1)();
    let committed = to_file_text(&schema);
    let mut changed = schema.clone();
    changed["$defs"]["Flow"]["properties"]["protocol_version"] =
        serde_json::json!({"type": "string"});
    let generated = to_file_text(&changed);
    let diff = first_difference(&committed, &generated).expect("a difference");
    assert!(diff.contains("protocol_version"), "{diff}");
}

#[test]
fn every_schema_file_is_listed_once() {
    let mut names: Vec<_> = SCHEMA_FILES.iter().map(|f| f.0).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), SCHEMA_FILES.len());
    assert!(names.iter().all(|n| n.ends_with(".schema.json")));
}

/// `docs/vocabulary.md`: the property vocabulary, with the built-in templates and packs each
/// property drives, generated like the schemas.
fn vocabulary_markdown() -> String {
    use threat_interview::bank::{QuestionBank, Template};
    use threat_interview::model::vocabulary::VOCABULARY;
    let reads = |t: &Template, name: &str| t.properties_read().contains(&name);
    let mut out = String::from(
        "# Property vocabulary\n\n\
         Generated from `model::vocabulary`, the built-in bank and the built-in packs by\n\
         `make schemas`; do not edit.\n\n\
         Properties of elements and flows are free-form: a model may carry any name, and a user\n\
         bank may read any. These are the names the built-in question bank and its packs\n\
         (`docs/packs.md`) read. Validation warns (`property-unknown`) about a name close to one\n\
         of these but not in it, (`property-type`) about one of these with a value of the\n\
         wrong type, and (`property-value`) about a value close to one the bank reads but not\n\
         one of them (`on-premises` for `on_premises`, `Python` for `python`). The engagement\n\
         schema publishes them as `$defs/PropertyVocabulary`.\n\n\
         | property | type | on | meaning | built-in templates that read it | packs that read it |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for d in VOCABULARY {
        let on: Vec<&str> = d.applies_to.iter().map(|k| k.as_str()).collect();
        let readers: Vec<String> = QuestionBank::builtin()
            .templates
            .iter()
            .filter(|t| reads(t, d.name))
            .map(|t| format!("`{}`", t.id))
            .collect();
        let packs: Vec<String> = QuestionBank::builtin_packs()
            .iter()
            .filter_map(|pack| {
                let enables = pack
                    .pack
                    .as_ref()
                    .is_some_and(|p| p.enabled_by.properties_read().contains(&d.name));
                let templates: Vec<&str> = pack
                    .templates
                    .iter()
                    .filter(|t| reads(t, d.name))
                    .map(|t| t.id.strip_prefix(&format!("{}.", pack.id)).unwrap_or(&t.id))
                    .collect();
                if !enables && templates.is_empty() {
                    return None;
                }
                let mut parts = Vec::new();
                if enables {
                    parts.push("enables it".to_owned());
                }
                parts.extend(templates.iter().map(|t| format!("`{t}`")));
                Some(format!("`{}`: {}", pack.id, parts.join(", ")))
            })
            .collect();
        let list = |items: Vec<String>, sep: &str| {
            if items.is_empty() {
                "—".to_owned()
            } else {
                items.join(sep)
            }
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} |",
            d.name,
            d.kind.as_str(),
            on.join(", "),
            d.meaning,
            list(readers, ", "),
            list(packs, "; "),
        );
    }
    out
}

#[test]
fn committed_vocabulary_matches_the_code() {
    let path = schemas_dir().join("../docs/vocabulary.md");
    let generated = vocabulary_markdown();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var_os("UPDATE_SCHEMAS").is_some_and(|v| v != "0" && !v.is_empty()) {
        if committed != generated {
            std::fs::write(&path, &generated).expect("write docs/vocabulary.md");
        }
        return;
    }
    if let Some(diff) = first_difference(&committed, &generated) {
        panic!("docs/vocabulary.md is stale (run `make schemas`):\n{diff}");
    }
}

/// The values a condition compares a property with (`property_equals`, `property_in`,
/// `property_contains`), by property name.
fn values_read(condition: &Value, out: &mut Vec<(String, String)>) {
    match condition {
        Value::Object(map) => {
            for (operator, operand) in map {
                let name = operand.get("name").and_then(Value::as_str);
                match (operator.as_str(), name) {
                    ("property_equals" | "property_contains", Some(name)) => {
                        if let Some(value) = operand.get("value").and_then(Value::as_str) {
                            out.push((name.to_owned(), value.to_owned()));
                        }
                    }
                    ("property_in", Some(name)) => {
                        for value in operand["values"].as_array().into_iter().flatten() {
                            if let Some(value) = value.as_str() {
                                out.push((name.to_owned(), value.to_owned()));
                            }
                        }
                    }
                    _ => values_read(operand, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|c| values_read(c, out)),
        _ => {}
    }
}

#[test]
fn the_vocabulary_lists_every_value_the_built_in_bank_and_packs_read_of_a_closed_property() {
    use threat_interview::model::vocabulary::property;
    // Validation suggests the closest of these values for one not among them
    // (`property-value`): a value the bank reads but the list lacks would be "corrected" away.
    let bank = schemas_dir().join("../crates/threat-interview/src/bank");
    let mut files = vec![bank.join("builtin.json")];
    let mut packs: Vec<PathBuf> = std::fs::read_dir(bank.join("packs"))
        .expect("the packs")
        .map(|entry| entry.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    packs.sort();
    assert!(!packs.is_empty());
    files.extend(packs);
    let mut read = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a bank file");
        let bank: Value = serde_json::from_str(&text).expect("JSON");
        values_read(&bank, &mut read);
    }
    let mut checked = 0;
    for (name, value) in &read {
        if let Some(definition) = property(name)
            && !definition.values.is_empty()
        {
            checked += 1;
            assert!(
                definition.values.contains(&value.as_str()),
                "`{name}: {value}` is read by a bank but not among the vocabulary's values"
            );
        }
    }
    assert!(checked > 20, "{checked} values checked");
}
