//! Question banks: question templates with applicability conditions, loaded from JSON or YAML
//! and layered on the built-in bank.
//!
//! The format is described in `docs/question-bank.md` and by the JSON Schema
//! `schemas/question-bank.schema.json` ([`bank_schema`]). Loading checks everything that can be
//! checked without a component model (operators, operands, placeholders, STRIDE per element)
//! and reports each problem with the JSON Pointer of its node. [`BankSet`] layers banks: the
//! built-in one first, then user banks that add, override or disable templates; conflicts are
//! errors, never resolved silently.
//!
//! ```
//! use threat_interview::bank::{BankSet, QuestionBank};
//!
//! let bank = QuestionBank::from_json_str(r#"{
//!   "schema_version": 1, "id": "acme", "name": "ACME",
//!   "templates": [{
//!     "id": "acme.process.spoofing.sso", "category": "spoofing", "applies_to": ["process"],
//!     "when": {"property_true": "internet_facing"},
//!     "text": "Does {element} use the corporate SSO?", "roles": ["architect"],
//!     "priority": 3, "minutes": 3, "rationale": "One identity provider is easier to audit."
//!   }]
//! }"#).unwrap();
//! let mut banks = BankSet::new();
//! banks.push(bank).unwrap();
//! assert_eq!(banks.len(), 1);
//!
//! let bad = QuestionBank::from_json_str(r#"{"schema_version": 1, "id": "x", "name": "x",
//!   "templates": [{"id": "t", "applies_to": ["process"], "category": "spoofing",
//!     "when": {"all": [{"reachable": true}, {"is_cloud": true}]},
//!     "text": "?", "roles": ["architect"], "priority": 3, "minutes": 1, "rationale": "r"}]}"#);
//! assert_eq!(bad.unwrap_err().problems()[0].pointer, "/templates/0/when/all/1");
//! ```

mod condition;
mod error;
mod set;
mod text;

use std::path::Path;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use condition::{
    BoundaryRef, Condition, KindFilter, KindList, OPERATORS, PropertyContains, PropertyEquals,
    PropertyIn, TriState,
};
pub use error::{BankError, BankProblem, ConflictKind, LayerConflict, LayerError, ProblemKind};
pub use set::{BankSet, BankTemplate};
pub use text::{Placeholder, Segment};

use crate::model::{Role, Stride, SubjectKind};
use crate::schema::settings;
use text::Scope;

/// The version of the bank file format this library reads.
pub const BANK_SCHEMA_VERSION: u32 = 1;

/// The `$id` of the question bank schema.
pub const BANK_SCHEMA_ID: &str = "https://threat-interview.dev/schemas/question-bank.schema.json";

/// The id of the built-in bank.
pub const BUILTIN_BANK_ID: &str = "builtin";

const BUILTIN_JSON: &str = include_str!("builtin.json");

/// A question bank: templates, and the ids of earlier banks' templates to disable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "QuestionBank")]
pub struct QuestionBank {
    /// The version of the file format; this library reads version 1.
    #[schemars(range(min = 1, max = 1))]
    pub schema_version: u32,
    /// The bank's id, recorded in each generated question's provenance; `builtin` for the
    /// built-in bank.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The bank's name.
    pub name: String,
    /// What the bank is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The templates, in the order they are considered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<Template>,
    /// Ids of templates from banks loaded earlier that must not be used.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
}

/// What a template applies to: a kind of subject, or the engagement as a whole.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AppliesTo {
    /// External interactors.
    ExternalInteractor,
    /// Processes.
    Process,
    /// Data stores.
    DataStore,
    /// Data flows.
    DataFlow,
    /// The engagement: the question is asked once.
    Engagement,
}

impl AppliesTo {
    /// The subject kind, `None` for the engagement.
    pub fn subject_kind(self) -> Option<SubjectKind> {
        match self {
            AppliesTo::ExternalInteractor => Some(SubjectKind::ExternalInteractor),
            AppliesTo::Process => Some(SubjectKind::Process),
            AppliesTo::DataStore => Some(SubjectKind::DataStore),
            AppliesTo::DataFlow => Some(SubjectKind::DataFlow),
            AppliesTo::Engagement => None,
        }
    }
}

/// A question template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Unique in the bank; `<kind>.<category>.<topic>` by convention.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The STRIDE category; absent for engagement-level questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Stride>,
    /// The kinds the template applies to, or `engagement` alone.
    #[schemars(length(min = 1))]
    pub applies_to: Vec<AppliesTo>,
    /// When the template applies; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// The question, with placeholders such as `{element}`.
    #[schemars(length(min = 1))]
    pub text: String,
    /// The roles that can answer, best first.
    #[schemars(length(min = 1))]
    pub roles: Vec<Role>,
    /// How much the question matters, from 1 (least) to 5 (most).
    #[schemars(range(min = 1, max = 5))]
    pub priority: u8,
    /// The estimated time to ask and answer, in minutes.
    #[schemars(range(min = 1))]
    pub minutes: u32,
    /// Why the question is asked.
    pub rationale: String,
    /// Prompts to dig deeper once it is answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<String>,
    /// References such as `CWE-287`, `CAPEC-151` or `ASVS-V2`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Replaces the template with the same id from an earlier bank.
    #[serde(
        default,
        rename = "override",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub overrides: bool,
}

impl Template {
    /// Whether the template is asked once per engagement rather than per subject.
    pub fn is_engagement_level(&self) -> bool {
        self.applies_to.contains(&AppliesTo::Engagement)
    }

    /// Whether the template applies to a kind of subject.
    pub fn applies_to_kind(&self, kind: SubjectKind) -> bool {
        self.applies_to
            .iter()
            .any(|a| a.subject_kind() == Some(kind))
    }

    /// Whether the template holds for every subject of its kinds: no `when`, or one with no
    /// test in it.
    pub fn is_unconditional(&self) -> bool {
        self.when.as_ref().is_none_or(Condition::is_trivially_true)
    }

    /// The text split into literal runs and placeholders.
    pub fn segments(&self) -> Result<Vec<Segment>, ProblemKind> {
        text::parse(&self.text)
    }

    /// Every problem with the template, with pointers relative to `pointer` (the template's
    /// own pointer in its bank).
    fn problems(&self, pointer: &str, out: &mut Vec<BankProblem>) {
        let mut report = |field: &str, kind: ProblemKind| {
            out.push(BankProblem {
                pointer: format!("{pointer}{field}"),
                kind,
            });
        };
        if self.id.is_empty() {
            report("/id", ProblemKind::EmptyId);
        }
        let engagement = self.is_engagement_level();
        if self.applies_to.is_empty() {
            report("/applies_to", ProblemKind::NoKinds);
        } else if engagement && self.applies_to.len() > 1 {
            report("/applies_to", ProblemKind::EngagementWithKinds);
        }
        if engagement {
            if self.category.is_some() {
                report(
                    "/category",
                    ProblemKind::EngagementField { field: "category" },
                );
            }
            if self.when.is_some() {
                report("/when", ProblemKind::EngagementField { field: "condition" });
            }
        }
        if let Some(category) = self.category {
            for (i, applies) in self.applies_to.iter().enumerate() {
                if let Some(kind) = applies.subject_kind()
                    && !category.applies_to(kind)
                {
                    report(
                        &format!("/applies_to/{i}"),
                        ProblemKind::CategoryNotApplicable { category, kind },
                    );
                }
            }
        }
        if self.roles.is_empty() {
            report("/roles", ProblemKind::NoRoles);
        }
        if !(1..=5).contains(&self.priority) {
            report(
                "/priority",
                ProblemKind::Priority {
                    found: self.priority,
                },
            );
        }
        if self.minutes == 0 {
            report("/minutes", ProblemKind::Minutes);
        }
        match self.segments() {
            Err(kind) => report("/text", kind),
            Ok(segments) => {
                let flows = self.applies_to_kind(SubjectKind::DataFlow);
                let elements = self
                    .applies_to
                    .iter()
                    .any(|a| !matches!(a, AppliesTo::DataFlow | AppliesTo::Engagement));
                for segment in &segments {
                    let Segment::Placeholder(p) = segment else {
                        continue;
                    };
                    let bad_kind = match p.scope() {
                        Scope::Subjects | Scope::Flows | Scope::Elements if engagement => {
                            Some("engagement")
                        }
                        Scope::Anywhere | Scope::Subjects => None,
                        Scope::Flows => elements.then_some("an element"),
                        Scope::Elements => flows.then_some("data_flow"),
                    };
                    if let Some(kind) = bad_kind {
                        report(
                            "/text",
                            ProblemKind::PlaceholderNotForKind {
                                name: p.name().to_owned(),
                                kind,
                            },
                        );
                    }
                }
            }
        }
    }
}

impl QuestionBank {
    /// The built-in bank, embedded in the crate.
    ///
    /// # Panics
    ///
    /// If the embedded bank is invalid, which the crate's tests rule out.
    pub fn builtin() -> &'static QuestionBank {
        static BUILTIN: OnceLock<QuestionBank> = OnceLock::new();
        BUILTIN.get_or_init(|| match QuestionBank::from_json_str(BUILTIN_JSON) {
            Ok(bank) => bank,
            Err(error) => panic!("the built-in question bank is invalid: {error}"),
        })
    }

    /// The built-in bank's text, as embedded.
    pub fn builtin_json() -> &'static str {
        BUILTIN_JSON
    }

    /// Loads a bank from JSON text.
    pub fn from_json_str(text: &str) -> Result<QuestionBank, BankError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let value = serde_json::from_str::<Value>(text).map_err(|e| BankError::Syntax {
            format: "json",
            message: e.to_string(),
        })?;
        QuestionBank::from_value(value)
    }

    /// Loads a bank from YAML text.
    pub fn from_yaml_str(text: &str) -> Result<QuestionBank, BankError> {
        let value = serde_norway::from_str::<Value>(text).map_err(|e| BankError::Syntax {
            format: "yaml",
            message: e.to_string(),
        })?;
        QuestionBank::from_value(value)
    }

    /// Loads a bank file: YAML for `.yaml` and `.yml`, JSON otherwise.
    pub fn from_path(path: impl AsRef<Path>) -> Result<QuestionBank, BankError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| BankError::Io {
            path: path.to_owned(),
            source,
        })?;
        let yaml = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if yaml {
            QuestionBank::from_yaml_str(&text)
        } else {
            QuestionBank::from_json_str(&text)
        }
    }

    /// Loads a bank from a parsed JSON value, reporting every problem found with its pointer.
    pub fn from_value(value: Value) -> Result<QuestionBank, BankError> {
        let invalid = |problems| BankError::Invalid { problems };
        let one = |pointer: &str, kind| {
            invalid(vec![BankProblem {
                pointer: pointer.to_owned(),
                kind,
            }])
        };
        let Value::Object(mut root) = value else {
            return Err(one(
                "",
                ProblemKind::Structure {
                    message: format!(
                        "a question bank must be an object, found {}",
                        condition::describe(&value)
                    ),
                },
            ));
        };
        if let Some(version) = root.get("schema_version").and_then(Value::as_u64)
            && version != u64::from(BANK_SCHEMA_VERSION)
        {
            return Err(one(
                "/schema_version",
                ProblemKind::SchemaVersion { found: version },
            ));
        }
        let templates = match root.remove("templates") {
            None => Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(one(
                    "/templates",
                    ProblemKind::Structure {
                        message: format!(
                            "expected a list of templates, found {}",
                            condition::describe(&other)
                        ),
                    },
                ));
            }
        };
        let mut bank = QuestionBank::deserialize(Value::Object(root)).map_err(|e| {
            one(
                "",
                ProblemKind::Structure {
                    message: e.to_string(),
                },
            )
        })?;
        let mut problems = Vec::new();
        let mut indices = Vec::with_capacity(templates.len());
        for (i, item) in templates.into_iter().enumerate() {
            let pointer = format!("/templates/{i}");
            if let Some(template) = parse_template(item, &pointer, &mut problems) {
                bank.templates.push(template);
                indices.push(i);
            }
        }
        problems.extend(check_templates(bank.templates.iter().zip(indices)));
        problems.sort_by(|a, b| pointer_order(&a.pointer, &b.pointer));
        if problems.is_empty() {
            Ok(bank)
        } else {
            Err(invalid(problems))
        }
    }

    /// Every problem with a bank built in code (loading reports the same problems).
    pub fn problems(&self) -> Vec<BankProblem> {
        let mut problems = Vec::new();
        if self.schema_version != BANK_SCHEMA_VERSION {
            problems.push(BankProblem {
                pointer: "/schema_version".to_owned(),
                kind: ProblemKind::SchemaVersion {
                    found: u64::from(self.schema_version),
                },
            });
        }
        problems.extend(check_templates(self.templates.iter().zip(0..)));
        problems
    }
}

/// Each template's own checks, and duplicate ids; `index` is the template's position in the
/// file, for the pointers.
fn check_templates<'t>(templates: impl Iterator<Item = (&'t Template, usize)>) -> Vec<BankProblem> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (template, i) in templates {
        let pointer = format!("/templates/{i}");
        template.problems(&pointer, &mut problems);
        if !seen.insert(template.id.as_str()) {
            problems.push(BankProblem {
                pointer: format!("{pointer}/id"),
                kind: ProblemKind::DuplicateId {
                    id: template.id.clone(),
                },
            });
        }
    }
    problems
}

/// Orders pointers by document position: numeric tokens as numbers.
fn pointer_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |p: &str| -> Vec<(u64, String)> {
        p.split('/')
            .map(|t| {
                t.parse::<u64>()
                    .map_or((u64::MAX, t.to_owned()), |n| (n, String::new()))
            })
            .collect()
    };
    key(a).cmp(&key(b))
}

/// Parses one template: its `when` by hand (for exact pointers), the rest by serde.
fn parse_template(item: Value, pointer: &str, problems: &mut Vec<BankProblem>) -> Option<Template> {
    let Value::Object(mut object) = item else {
        problems.push(BankProblem {
            pointer: pointer.to_owned(),
            kind: ProblemKind::Structure {
                message: format!(
                    "a template must be an object, found {}",
                    condition::describe(&item)
                ),
            },
        });
        return None;
    };
    let when = condition::take_when(&mut object);
    let template = Template::deserialize(Value::Object(object));
    let when = match when.map(|w| Condition::from_value(&w, &format!("{pointer}/when"))) {
        None => None,
        Some(Ok(condition)) => Some(condition),
        Some(Err(problem)) => {
            problems.push(problem);
            None
        }
    };
    match template {
        Ok(mut template) => {
            template.when = when;
            Some(template)
        }
        Err(error) => {
            problems.push(BankProblem {
                pointer: pointer.to_owned(),
                kind: ProblemKind::Structure {
                    message: error.to_string(),
                },
            });
            None
        }
    }
}

/// The JSON Schema of a question bank file.
pub fn bank_schema() -> Value {
    let schema = settings()
        .into_generator()
        .into_root_schema_for::<QuestionBank>();
    let Value::Object(map) = schema.to_value() else {
        unreachable!("a root schema is an object");
    };
    let mut out = serde_json::Map::new();
    let mut rest = map;
    if let Some(dialect) = rest.remove("$schema") {
        out.insert("$schema".to_owned(), dialect);
    }
    out.insert("$id".to_owned(), Value::String(BANK_SCHEMA_ID.to_owned()));
    out.extend(rest);
    Value::Object(out)
}
