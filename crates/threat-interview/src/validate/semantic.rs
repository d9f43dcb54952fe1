//! Stage 3: what the engagement means. References, cycles, duplicates, dates, ranges.
//!
//! The checks read the JSON value, not the Rust types, so they also run on a file whose
//! structure is broken: anything without the expected shape (a wrong type, a missing field)
//! is skipped here, since stage 2 reports it.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{Diagnostic, dates};
use crate::{AssuranceLevel, Role, SCHEMA_VERSION};

/// Every problem of meaning in an engagement value.
pub(super) fn check(root: &Value) -> Vec<Diagnostic> {
    let mut checker = Checker::new(root);
    checker.version();
    checker.ids();
    checker.model();
    checker.roles();
    checker.interviews();
    checker.questions();
    checker.hints();
    checker.findings();
    checker.follow_ups();
    checker.calibration_and_documents();
    checker.warnings();
    checker.out
}

/// The items of the array at `key` in `value`, with their indices; nothing if it is absent
/// or not an array.
fn items<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> + 'a {
    value
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

fn is_blank(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
}

/// The ids of one id space, each with the pointer of its first use.
#[derive(Default)]
struct IdSpace<'a> {
    first: HashMap<&'a str, String>,
}

impl IdSpace<'_> {
    fn contains(&self, id: &str) -> bool {
        self.first.contains_key(id)
    }
}

struct Checker<'a> {
    root: &'a Value,
    model: &'a Value,
    /// Elements, flows and boundaries: one id space.
    subjects: IdSpace<'a>,
    elements: HashSet<&'a str>,
    boundaries: HashSet<&'a str>,
    participants: IdSpace<'a>,
    questions: IdSpace<'a>,
    interviews: IdSpace<'a>,
    follow_ups: IdSpace<'a>,
    documents: IdSpace<'a>,
    hints: IdSpace<'a>,
    custom_roles: HashSet<&'a str>,
    out: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn new(root: &'a Value) -> Self {
        static NULL: Value = Value::Null;
        Checker {
            root,
            model: root.get("model").unwrap_or(&NULL),
            subjects: IdSpace::default(),
            elements: HashSet::new(),
            boundaries: HashSet::new(),
            participants: IdSpace::default(),
            questions: IdSpace::default(),
            interviews: IdSpace::default(),
            follow_ups: IdSpace::default(),
            documents: IdSpace::default(),
            hints: IdSpace::default(),
            custom_roles: HashSet::new(),
            out: Vec::new(),
        }
    }

    fn error(&mut self, code: &str, pointer: String, message: String) {
        self.out.push(Diagnostic::error(code, pointer, message));
    }

    fn warning(&mut self, code: &str, pointer: String, message: String) {
        self.out.push(Diagnostic::warning(code, pointer, message));
    }

    fn version(&mut self) {
        if let Some(version) = self.root.get("schema_version").and_then(Value::as_u64)
            && version != u64::from(SCHEMA_VERSION)
        {
            self.error(
                "unsupported-version",
                "/schema_version".to_owned(),
                format!("schema version `{version}` is not supported; this library reads version {SCHEMA_VERSION}"),
            );
        }
    }

    /// Registers the ids of one collection in an id space, reporting duplicates.
    fn register(
        out: &mut Vec<Diagnostic>,
        space: &mut IdSpace<'a>,
        parent: &'a Value,
        key: &str,
        base: &str,
    ) {
        for (i, item) in items(parent, key) {
            let Some(id) = text(item, "id") else { continue };
            let pointer = format!("{base}/{key}/{i}");
            match space.first.get(id) {
                Some(first) => out.push(Diagnostic::error(
                    "duplicate-id",
                    format!("{pointer}/id"),
                    format!("id `{id}` is already used at `{first}`"),
                )),
                None => {
                    space.first.insert(id, pointer);
                }
            }
        }
    }

    fn ids(&mut self) {
        let (root, model) = (self.root, self.model);
        for key in ["elements", "flows", "boundaries"] {
            Self::register(&mut self.out, &mut self.subjects, model, key, "/model");
        }
        self.elements = items(model, "elements")
            .filter_map(|(_, e)| text(e, "id"))
            .collect();
        self.boundaries = items(model, "boundaries")
            .filter_map(|(_, b)| text(b, "id"))
            .collect();
        let spaces: [(&mut IdSpace<'a>, &str); 6] = [
            (&mut self.participants, "participants"),
            (&mut self.questions, "questions"),
            (&mut self.interviews, "interviews"),
            (&mut self.follow_ups, "follow_ups"),
            (&mut self.documents, "documents"),
            (&mut self.hints, "hints"),
        ];
        for (space, key) in spaces {
            Self::register(&mut self.out, space, root, key, "");
        }
        let mut findings = IdSpace::default();
        Self::register(&mut self.out, &mut findings, root, "findings", "");
    }

    fn model(&mut self) {
        let model = self.model;
        for (i, flow) in items(model, "flows") {
            let pointer = format!("/model/flows/{i}");
            let source = text(flow, "source");
            let target = text(flow, "target");
            for (end, id, code) in [
                ("source", source, "flow-source-missing"),
                ("target", target, "flow-target-missing"),
            ] {
                if let Some(id) = id
                    && !self.elements.contains(id)
                {
                    let what = if self.subjects.contains(id) {
                        format!("flow {end} `{id}` is a flow or a boundary, not an element")
                    } else {
                        format!("flow {end} `{id}` names no element")
                    };
                    self.error(code, format!("{pointer}/{end}"), what);
                }
            }
            if let (Some(source), Some(target)) = (source, target)
                && source == target
                && self.elements.contains(source)
            {
                self.warning(
                    "flow-self-loop",
                    format!("{pointer}/target"),
                    format!("flow goes from `{source}` to itself"),
                );
            }
        }
        for (i, element) in items(model, "elements") {
            if let Some(boundary) = text(element, "boundary")
                && !self.boundaries.contains(boundary)
            {
                self.error(
                    "element-boundary-missing",
                    format!("/model/elements/{i}/boundary"),
                    format!("boundary `{boundary}` does not exist"),
                );
            }
        }
        self.boundary_tree();
    }

    /// Missing parents and cycles, in time linear in the number of boundaries.
    fn boundary_tree(&mut self) {
        let boundaries: Vec<(usize, &str, Option<&str>)> = items(self.model, "boundaries")
            .filter_map(|(i, b)| Some((i, text(b, "id")?, text(b, "parent"))))
            .collect();
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (k, (_, id, _)) in boundaries.iter().enumerate() {
            index.entry(id).or_insert(k);
        }
        for &(i, _, parent) in &boundaries {
            if let Some(parent) = parent
                && !index.contains_key(parent)
            {
                self.error(
                    "boundary-parent-missing",
                    format!("/model/boundaries/{i}/parent"),
                    format!("parent boundary `{parent}` does not exist"),
                );
            }
        }
        // 0: not seen, 1: on the current walk, 2: done.
        let mut state = vec![0u8; boundaries.len()];
        for start in 0..boundaries.len() {
            let mut path: Vec<usize> = Vec::new();
            let mut at = Some(start);
            while let Some(k) = at {
                match state[k] {
                    2 => break,
                    1 => {
                        let from = path.iter().position(|&p| p == k).unwrap_or(0);
                        let cycle = &path[from..];
                        let first = cycle.iter().copied().min().unwrap_or(k);
                        let names: Vec<String> = cycle
                            .iter()
                            .map(|&c| format!("`{}`", boundaries[c].1))
                            .collect();
                        let (file_index, id, _) = boundaries[first];
                        self.error(
                            "boundary-cycle",
                            format!("/model/boundaries/{file_index}/parent"),
                            format!(
                                "boundary `{id}` is nested in itself: {} -> `{id}`",
                                names.join(" -> ")
                            ),
                        );
                        break;
                    }
                    _ => {
                        state[k] = 1;
                        path.push(k);
                        at = boundaries[k].2.and_then(|p| index.get(p).copied());
                    }
                }
            }
            for k in path {
                state[k] = 2;
            }
        }
    }

    fn roles(&mut self) {
        let mut declared: HashMap<&'a str, usize> = HashMap::new();
        for (i, role) in items(self.root, "custom_roles") {
            let Some(id) = text(role, "id") else { continue };
            let pointer = format!("/custom_roles/{i}/id");
            if !Role::from_name(id).is_custom() {
                self.error(
                    "role-shadows-built-in",
                    pointer,
                    format!("custom role `{id}` has the id of a built-in role"),
                );
            } else if let Some(first) = declared.get(id) {
                self.error(
                    "role-duplicate",
                    pointer,
                    format!("custom role `{id}` is already declared at `/custom_roles/{first}`"),
                );
            } else {
                declared.insert(id, i);
            }
        }
        self.custom_roles = declared.into_keys().collect();
        let root = self.root;
        for (collection, field) in [("participants", "roles"), ("interviews", "roles")] {
            for (i, item) in items(root, collection) {
                for (j, role) in items(item, field) {
                    self.role_use(role, format!("/{collection}/{i}/{field}/{j}"));
                }
            }
        }
        for (i, question) in items(root, "questions") {
            if let Some(role) = question.get("role") {
                self.role_use(role, format!("/questions/{i}/role"));
            }
        }
    }

    fn role_use(&mut self, role: &Value, pointer: String) {
        if let Some(name) = role.as_str()
            && !name.is_empty()
            && Role::from_name(name).is_custom()
            && !self.custom_roles.contains(name)
        {
            self.error(
                "role-undeclared",
                pointer,
                format!("role `{name}` is neither built in nor declared in `custom_roles`"),
            );
        }
    }

    /// Reports a reference to a missing participant, question or hint.
    fn reference(&mut self, value: Option<&Value>, kind: Reference, pointer: String) {
        let Some(id) = value.and_then(Value::as_str) else {
            return;
        };
        let (known, code, noun) = match kind {
            Reference::Participant => (
                self.participants.contains(id),
                "participant-missing",
                "participant",
            ),
            Reference::Question => (self.questions.contains(id), "question-missing", "question"),
            Reference::Hint => (self.hints.contains(id), "hint-missing", "hint"),
            Reference::Subject => (
                self.subjects.contains(id),
                "subject-missing",
                "element, flow or boundary",
            ),
        };
        if !known {
            self.error(code, pointer, format!("{noun} `{id}` does not exist"));
        }
    }

    /// Checks every item of a list of references.
    fn references(&mut self, parent: &Value, key: &str, kind: Reference, base: &str) {
        for (j, item) in items(parent, key) {
            self.reference(Some(item), kind, format!("{base}/{key}/{j}"));
        }
    }

    fn date(&mut self, value: Option<&Value>, pointer: String, allow_time: bool) {
        let Some(date) = value.and_then(Value::as_str) else {
            return;
        };
        if dates::is_date(date) || (allow_time && dates::is_date_time(date)) {
            return;
        }
        let expected = if allow_time {
            "a date (`YYYY-MM-DD`) or an RFC 3339 date and time"
        } else {
            "a date (`YYYY-MM-DD`)"
        };
        self.error(
            "invalid-date",
            pointer,
            format!("`{date}` is not {expected}"),
        );
    }

    fn interviews(&mut self) {
        for (i, interview) in items(self.root, "interviews") {
            let base = format!("/interviews/{i}");
            self.references(interview, "participants", Reference::Participant, &base);
            for (j, item) in items(interview, "agenda") {
                self.reference(
                    item.get("question"),
                    Reference::Question,
                    format!("{base}/agenda/{j}/question"),
                );
            }
        }
    }

    fn questions(&mut self) {
        for (i, question) in items(self.root, "questions") {
            let base = format!("/questions/{i}");
            self.references(question, "subjects", Reference::Subject, &base);
            if let Some(priority) = question.get("priority").and_then(Value::as_i64)
                && !(1..=5).contains(&priority)
            {
                self.error(
                    "priority-out-of-range",
                    format!("{base}/priority"),
                    format!("priority `{priority}` is outside 1 to 5"),
                );
            }
            for (k, answer) in items(question, "answers") {
                let at = format!("{base}/answers/{k}");
                self.reference(answer.get("by"), Reference::Participant, format!("{at}/by"));
                self.date(answer.get("at"), format!("{at}/at"), true);
                self.answer_reference(answer, &at);
            }
        }
    }

    fn answer_reference(&mut self, answer: &Value, at: &str) {
        let Some(reference) = text(answer, "reference") else {
            return;
        };
        let (known, noun) = match text(answer, "via") {
            Some("interview") => (self.interviews.contains(reference), "interview"),
            Some("follow_up") => (self.follow_ups.contains(reference), "follow-up"),
            Some("document") => (self.documents.contains(reference), "document"),
            // Email, chat and other channels name things outside the engagement.
            _ => return,
        };
        if !known {
            self.error(
                "answer-reference-missing",
                format!("{at}/reference"),
                format!("{noun} `{reference}` does not exist"),
            );
        }
    }

    fn hints(&mut self) {
        for (i, hint) in items(self.root, "hints") {
            let base = format!("/hints/{i}");
            self.references(hint, "subjects", Reference::Subject, &base);
            self.reference(
                hint.get("question"),
                Reference::Question,
                format!("{base}/question"),
            );
            self.reference(
                hint.get("raised_by"),
                Reference::Participant,
                format!("{base}/raised_by"),
            );
            self.date(hint.get("recorded_at"), format!("{base}/recorded_at"), true);
            if text(hint, "status") == Some("dismissed") && is_blank(hint.get("rationale")) {
                self.error(
                    "rationale-missing",
                    base,
                    "a dismissed hint needs a rationale".to_owned(),
                );
            }
        }
    }

    fn findings(&mut self) {
        for (i, finding) in items(self.root, "findings") {
            let base = format!("/findings/{i}");
            self.references(finding, "subjects", Reference::Subject, &base);
            self.references(finding, "hints", Reference::Hint, &base);
            if let Some(path) = finding.get("attack_path").and_then(Value::as_array) {
                if path.is_empty() {
                    self.error(
                        "attack-path-empty",
                        format!("{base}/attack_path"),
                        "a finding needs at least one attack step; keep it as a hint until an attack path is sketched".to_owned(),
                    );
                }
                for (k, step) in path.iter().enumerate() {
                    self.reference(
                        step.get("subject"),
                        Reference::Subject,
                        format!("{base}/attack_path/{k}/subject"),
                    );
                }
            }
            if let Some(status @ ("confirmed" | "dismissed")) = text(finding, "status")
                && is_blank(finding.get("rationale"))
            {
                self.error(
                    "rationale-missing",
                    base,
                    format!("a {status} finding needs a rationale"),
                );
            }
        }
    }

    fn follow_ups(&mut self) {
        for (i, follow_up) in items(self.root, "follow_ups") {
            let base = format!("/follow_ups/{i}");
            self.reference(
                follow_up.get("question"),
                Reference::Question,
                format!("{base}/question"),
            );
            self.reference(
                follow_up.get("assignee"),
                Reference::Participant,
                format!("{base}/assignee"),
            );
            for field in ["asked_on", "due", "answered_on"] {
                self.date(follow_up.get(field), format!("{base}/{field}"), false);
            }
        }
    }

    fn calibration_and_documents(&mut self) {
        let root = self.root;
        if let Some(calibration) = root.get("calibration") {
            if let Some(weights) = calibration.get("weights").and_then(Value::as_object) {
                for (category, weight) in weights {
                    if let Some(weight) = weight.as_i64()
                        && !(1..=5).contains(&weight)
                    {
                        self.error(
                            "weight-out-of-range",
                            format!("/calibration/weights/{category}"),
                            format!("weight `{weight}` of `{category}` is outside 1 to 5"),
                        );
                    }
                }
            }
            self.references(
                calibration,
                "provided_by",
                Reference::Participant,
                "/calibration",
            );
        }
        for (i, document) in items(root, "documents") {
            self.reference(
                document.get("owner"),
                Reference::Participant,
                format!("/documents/{i}/owner"),
            );
        }
    }

    fn warnings(&mut self) {
        let mut touched: HashSet<&str> = HashSet::new();
        for (_, flow) in items(self.model, "flows") {
            touched.extend(text(flow, "source"));
            touched.extend(text(flow, "target"));
        }
        for (i, element) in items(self.model, "elements") {
            let Some(id) = text(element, "id") else {
                continue;
            };
            let out_of_scope = element.get("out_of_scope").and_then(Value::as_bool) == Some(true);
            if out_of_scope || touched.contains(id) {
                continue;
            }
            let (code, noun) = match text(element, "kind") {
                Some("external_interactor") => ("interactor-without-flow", "external interactor"),
                _ => ("element-without-flow", "element"),
            };
            self.warning(
                code,
                format!("/model/elements/{i}"),
                format!("{noun} `{id}` has no data flow"),
            );
        }
        let out_of_scope = self.root.get("scope").and_then(|s| s.get("out_of_scope"));
        if out_of_scope
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            self.warning(
                "out-of-scope-empty",
                "/scope".to_owned(),
                "the scope does not say what is out of scope".to_owned(),
            );
        }
        self.required_roles();
    }

    fn required_roles(&mut self) {
        let level = match text(self.root, "assurance_level") {
            Some("fast") => AssuranceLevel::Fast,
            Some("standard") => AssuranceLevel::Standard,
            Some("high") => AssuranceLevel::High,
            _ => return,
        };
        let held: HashSet<&str> = items(self.root, "participants")
            .flat_map(|(_, p)| items(p, "roles"))
            .filter_map(|(_, r)| r.as_str())
            .collect();
        for role in level.required_roles() {
            if !held.contains(role.as_str()) {
                self.warning(
                    "required-role-unfilled",
                    "/participants".to_owned(),
                    format!(
                        "no participant holds the `{role}` role, which a `{}` engagement interviews",
                        level.as_str()
                    ),
                );
            }
        }
    }
}

/// What a reference names.
#[derive(Clone, Copy)]
enum Reference {
    Participant,
    Question,
    Hint,
    Subject,
}
