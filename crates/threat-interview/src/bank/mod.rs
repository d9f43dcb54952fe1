//! Question banks: question templates with applicability conditions, loaded from JSON or YAML
//! and layered on the built-in bank.
//!
//! The format is described in `docs/question-bank.md` and by the JSON Schema
//! `schemas/question-bank.schema.json` ([`bank_schema`]). A bank file goes through the same
//! pipeline as an engagement file ([`crate::source`]): read and parsed within the limits, its
//! structure checked against the bank schema, then its meaning (operators, operands,
//! placeholders, STRIDE per element), every problem a [`Diagnostic`] with its code, pointer,
//! line and column. [`BankSet`] layers banks: the built-in one first, then user banks that add,
//! override or disable templates; conflicts are errors with the same codes, never resolved
//! silently.
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
//! let report = bad.unwrap_err().report();
//! assert_eq!(report.errors[0].code.as_str(), "unknown-operator");
//! assert_eq!(report.errors[0].pointer, "/templates/0/when/all/1");
//! assert_eq!(report.errors[0].line, Some(3));
//! ```

mod condition;
mod error;
pub(crate) mod says;
mod set;
mod text;

use std::path::Path;
use std::sync::{Arc, LazyLock, OnceLock};

use jsonschema::Validator;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use condition::{
    BoundaryRef, Condition, ExposureFilter, KindFilter, KindList, Operator, PropertyContains,
    PropertyEquals, PropertyIn, PropertyNumber, TriState,
};
pub use error::{BankError, LayerError};
pub use set::{BankSet, BankTemplate, PackEntry};
pub(crate) use text::reads_plural;
pub use text::{Joiner, Placeholder, Segment};

use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{Role, Stride, SubjectKind};
use crate::schema::{settings, with_id};
use crate::source::{self, Format, Limits};
use text::Scope;

/// The version of the bank file format this library reads.
pub const BANK_SCHEMA_VERSION: u32 = 1;

/// The `$id` of the question bank schema.
pub const BANK_SCHEMA_ID: &str = "https://threat-interview.dev/schemas/question-bank.schema.json";

/// The id of the built-in bank.
pub const BUILTIN_BANK_ID: &str = "builtin";

const BUILTIN_JSON: &str = include_str!("builtin.json");

/// The built-in packs' texts, in load order (`bank/packs/`, described in `docs/packs.md`).
const BUILTIN_PACKS: &[&str] = &[
    include_str!("packs/llm-agents.json"),
    include_str!("packs/kubernetes.json"),
    include_str!("packs/cloud-iam-storage.json"),
    include_str!("packs/oauth-oidc.json"),
    include_str!("packs/payment-cards.json"),
    include_str!("packs/health-data.json"),
];

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
    /// Makes the bank a pack: questions for one technology or regulation, asked only where the
    /// model calls for them (or the engagement enables the pack by id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<Pack>,
    /// The text the bank was loaded from, to place layering conflicts at a line and column.
    #[serde(skip)]
    #[schemars(skip)]
    origin: Origin,
}

/// What makes a bank a pack, and when it applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// The pack applies when some in-scope element or flow satisfies this condition (a
    /// technology property, a kind of data, a kind of interactor); an engagement can also
    /// enable or disable it by the bank's id (`packs`).
    pub enabled_by: Condition,
    /// The public references the pack is written from, such as `OWASP Top 10 for LLM
    /// Applications 2025`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
}

/// The text a bank was loaded from; never part of a bank's equality.
#[derive(Debug, Clone, Default)]
struct Origin(Option<Arc<(String, Format)>>);

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
    }
}

/// What a template applies to: a kind of subject, or the engagement as a whole.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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
    /// The identifier used in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

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
    /// Where the model already answers the question: on a subject where it holds (after
    /// `when`), the question is generated answered, from the model (`via: model`, quoting
    /// the sentence of a description that answers it where one does), covers its pairs, and
    /// goes on no agenda. Not on engagement-level templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_when: Option<Condition>,
    /// Where what the model says answers the question with a possible weakness ("no network
    /// policies yet", "one shared database user"): on a subject where it holds (after
    /// `when`), the question is generated answered as with `answered_when`, quoting this
    /// condition's sentences, and its answer is marked a `weakness`, which merging into an
    /// engagement records as a hint to analyse. Tested before `answered_when`. Not on
    /// engagement-level templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weakness_when: Option<Condition>,
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
    /// Ids of less specific templates (of this bank or an earlier one) this one replaces on a
    /// subject where both apply: only the most specific of a family is asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
    /// Asks one question across the subjects that share its answer, instead of one per
    /// subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// Other (subject, category) pairs the answer covers: an interactor's question about
    /// protecting what it exchanges covers tampering and disclosure of its flows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<Covers>,
    /// Opens every interview of its role, before the questions about the model (the
    /// architecture walk-through, the business stakeholders' worst outcomes). Engagement-level
    /// templates only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opener: bool,
}

/// How a template groups its subjects into one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// What the grouped subjects share: subjects that agree on every key share a question.
    /// Keys: `boundary` (an element's innermost boundary, a flow's first crossed), `kind`,
    /// `protocol`, `encrypted`, `authenticated`, `source`, `target`, `initiator`,
    /// `responder`, `classification` (the highest carried), `technology`, and
    /// `property:<name>`. Empty: every subject the template applies to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by: Vec<GroupKey>,
    /// The grouped question's text; `{elements}` names the subjects.
    #[schemars(length(min = 1))]
    pub text: String,
    /// The most subjects one question names (2 to 100); more make a second question (`@2`).
    #[serde(default = "default_group_max")]
    #[schemars(range(min = 2, max = 100))]
    pub max: u32,
    /// Minutes added for each subject past the first.
    #[serde(default = "default_minutes_each")]
    pub minutes_each: u32,
}

fn default_group_max() -> u32 {
    6
}

fn default_minutes_each() -> u32 {
    1
}

/// What grouped subjects must share (see [`Group::by`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// The innermost boundary of an element, the first boundary a flow crosses.
    Boundary,
    /// The element's kind.
    Kind,
    /// The flow's protocol.
    Protocol,
    /// Whether the flow is encrypted.
    Encrypted,
    /// Whether the flow's ends authenticate each other.
    Authenticated,
    /// The flow's source.
    Source,
    /// The flow's target.
    Target,
    /// The element that opens the flow's connection.
    Initiator,
    /// The element that answers it.
    Responder,
    /// The highest classification of the data carried.
    Classification,
    /// The elements an element opens connections to: interactors that reach the system
    /// through the same components share a question.
    Callees,
    /// A property's value.
    Property(String),
}

impl GroupKey {
    const NAMES: [&'static str; 11] = [
        "boundary",
        "kind",
        "protocol",
        "encrypted",
        "authenticated",
        "source",
        "target",
        "initiator",
        "responder",
        "classification",
        "callees",
    ];

    /// The key as written in files.
    pub fn as_str(&self) -> std::borrow::Cow<'_, str> {
        match self {
            GroupKey::Boundary => "boundary".into(),
            GroupKey::Kind => "kind".into(),
            GroupKey::Protocol => "protocol".into(),
            GroupKey::Encrypted => "encrypted".into(),
            GroupKey::Authenticated => "authenticated".into(),
            GroupKey::Source => "source".into(),
            GroupKey::Target => "target".into(),
            GroupKey::Initiator => "initiator".into(),
            GroupKey::Responder => "responder".into(),
            GroupKey::Classification => "classification".into(),
            GroupKey::Callees => "callees".into(),
            GroupKey::Property(name) => format!("property:{name}").into(),
        }
    }
}

impl std::str::FromStr for GroupKey {
    type Err = String;

    fn from_str(s: &str) -> Result<GroupKey, String> {
        Ok(match s {
            "boundary" => GroupKey::Boundary,
            "kind" => GroupKey::Kind,
            "protocol" => GroupKey::Protocol,
            "encrypted" => GroupKey::Encrypted,
            "authenticated" => GroupKey::Authenticated,
            "source" => GroupKey::Source,
            "target" => GroupKey::Target,
            "initiator" => GroupKey::Initiator,
            "responder" => GroupKey::Responder,
            "classification" => GroupKey::Classification,
            "callees" => GroupKey::Callees,
            "technology" => GroupKey::Property("technology".to_owned()),
            _ => match s.strip_prefix("property:") {
                Some(name) if !name.is_empty() => GroupKey::Property(name.to_owned()),
                _ => {
                    let suggestion = crate::diagnostic::suggest(s, GroupKey::NAMES)
                        .map(|s| format!("; did you mean `{s}`?"))
                        .unwrap_or_default();
                    return Err(format!(
                        "unknown group key `{s}`: one of {}, or `property:<name>`{suggestion}",
                        GroupKey::NAMES.map(|n| format!("`{n}`")).join(", ")
                    ));
                }
            },
        })
    }
}

impl Serialize for GroupKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str())
    }
}

impl<'de> Deserialize<'de> for GroupKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for GroupKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GroupKey".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "What grouped subjects share: a derived fact, or `property:<name>`.",
            "anyOf": [
                {"enum": ["boundary", "kind", "protocol", "encrypted", "authenticated", "source",
                          "target", "initiator", "responder", "classification", "callees",
                          "technology"]},
                {"type": "string", "pattern": "^property:.+$"}
            ]
        })
    }
}

/// Pairs a question's answer covers besides its subject's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Covers {
    /// Which subjects, relative to the question's element.
    pub relation: CoverRelation,
    /// The categories covered on each.
    #[schemars(length(min = 1))]
    pub categories: Vec<Stride>,
}

/// The subjects a [`Covers`] names, relative to an element.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum CoverRelation {
    /// Every in-scope flow into or out of the element.
    Flows,
    /// The in-scope elements it opens connections to.
    Callees,
    /// The in-scope elements that open connections to it.
    Callers,
    /// A flow's end that opens the connection, when in scope.
    Initiator,
    /// A flow's end that answers the connection, when in scope.
    Responder,
    /// The subject itself, in other categories than the template's own: an answer that
    /// settles more than one concern of the same element or flow.
    #[serde(rename = "self")]
    #[strum(serialize = "self")]
    Itself,
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

    /// The properties the template reads: in its condition and in its group keys, in order,
    /// each once.
    pub fn properties_read(&self) -> Vec<&str> {
        let mut read: Vec<&str> = Vec::new();
        let keys = self
            .group
            .iter()
            .flat_map(|g| &g.by)
            .filter_map(|k| match k {
                GroupKey::Property(name) => Some(name.as_str()),
                _ => None,
            });
        for name in self
            .when
            .iter()
            .chain(&self.answered_when)
            .chain(&self.weakness_when)
            .flat_map(Condition::properties_read)
            .chain(keys)
        {
            if !read.contains(&name) {
                read.push(name);
            }
        }
        read
    }

    /// Whether the template holds for every subject of its kinds: no `when`, or one with no
    /// test in it.
    pub fn is_unconditional(&self) -> bool {
        self.when.as_ref().is_none_or(Condition::is_trivially_true)
    }

    /// The text split into literal runs and placeholders.
    pub fn segments(&self) -> Result<Vec<Segment>, Diagnostic> {
        text::parse(&self.text).map_err(|(code, message)| Diagnostic::error(code, "/text", message))
    }

    /// Every problem with the template, with pointers under `pointer` (the template's own
    /// pointer in its bank).
    fn problems(&self, pointer: &str, out: &mut Vec<Diagnostic>) {
        let mut report = |field: &str, code: DiagnosticCode, message: String| {
            out.push(Diagnostic::error(
                code,
                format!("{pointer}{field}"),
                message,
            ));
        };
        let engagement = self.is_engagement_level();
        if engagement && self.answered_when.is_some() {
            report(
                "/answered_when",
                DiagnosticCode::EngagementTemplateField,
                "an engagement-level template is asked once, of no subject: it has no `answered_when`"
                    .to_owned(),
            );
        }
        if engagement && self.weakness_when.is_some() {
            report(
                "/weakness_when",
                DiagnosticCode::EngagementTemplateField,
                "an engagement-level template is asked once, of no subject: it has no `weakness_when`"
                    .to_owned(),
            );
        }
        if engagement && self.applies_to.len() > 1 {
            report(
                "/applies_to",
                DiagnosticCode::EngagementTemplateField,
                "`engagement` must be alone in `applies_to`".to_owned(),
            );
        }
        if engagement {
            if self.category.is_some() {
                report(
                    "/category",
                    DiagnosticCode::EngagementTemplateField,
                    "an engagement-level template cannot have a category".to_owned(),
                );
            }
            if self.group.is_some() {
                report(
                    "/group",
                    DiagnosticCode::EngagementTemplateField,
                    "an engagement-level template is asked once; it cannot be grouped".to_owned(),
                );
            }
            if !self.covers.is_empty() {
                report(
                    "/covers",
                    DiagnosticCode::EngagementTemplateField,
                    "an engagement-level template has no subject to cover pairs around".to_owned(),
                );
            }
        } else if self.opener {
            report(
                "/opener",
                DiagnosticCode::EngagementTemplateField,
                "only engagement-level templates open interviews".to_owned(),
            );
        }
        if let Some(category) = self.category {
            for (i, applies) in self.applies_to.iter().enumerate() {
                if let Some(kind) = applies.subject_kind()
                    && !category.applies_to(kind)
                {
                    report(
                        &format!("/applies_to/{i}"),
                        DiagnosticCode::CategoryNotApplicable,
                        format!(
                            "category `{category}` does not apply to `{kind}` under STRIDE per element"
                        ),
                    );
                }
            }
        }
        let flows = self.applies_to_kind(SubjectKind::DataFlow);
        let elements = self
            .applies_to
            .iter()
            .any(|a| !matches!(a, AppliesTo::DataFlow | AppliesTo::Engagement));
        let own_kinds: Vec<SubjectKind> = self
            .applies_to
            .iter()
            .filter_map(|a| a.subject_kind())
            .collect();
        for (i, cover) in self.covers.iter().enumerate() {
            let around_element = matches!(
                cover.relation,
                CoverRelation::Flows | CoverRelation::Callees | CoverRelation::Callers
            );
            let around_flow = matches!(
                cover.relation,
                CoverRelation::Initiator | CoverRelation::Responder
            );
            if around_element && flows {
                report(
                    &format!("/covers/{i}/relation"),
                    DiagnosticCode::PlaceholderNotForKind,
                    format!(
                        "`{}` names subjects around an element; the template applies to flows",
                        <&str>::from(cover.relation)
                    ),
                );
            }
            if around_flow && elements {
                report(
                    &format!("/covers/{i}/relation"),
                    DiagnosticCode::PlaceholderNotForKind,
                    format!(
                        "`{}` names an end of a flow; the template applies to elements",
                        <&str>::from(cover.relation)
                    ),
                );
            }
            for (j, category) in cover.categories.iter().enumerate() {
                let kinds: &[SubjectKind] = match cover.relation {
                    CoverRelation::Flows => &[SubjectKind::DataFlow],
                    CoverRelation::Callees | CoverRelation::Callers => {
                        &[SubjectKind::Process, SubjectKind::DataStore]
                    }
                    CoverRelation::Initiator | CoverRelation::Responder => &[
                        SubjectKind::ExternalInteractor,
                        SubjectKind::Process,
                        SubjectKind::DataStore,
                    ],
                    CoverRelation::Itself => &own_kinds,
                };
                if !kinds.iter().any(|&k| category.applies_to(k)) {
                    report(
                        &format!("/covers/{i}/categories/{j}"),
                        DiagnosticCode::CategoryNotApplicable,
                        format!(
                            "category `{category}` does not apply to the subjects `{}` names",
                            <&str>::from(cover.relation)
                        ),
                    );
                }
            }
        }
        let check = |field: &str,
                     text: &str,
                     group: Option<&Group>,
                     report: &mut dyn FnMut(&str, DiagnosticCode, String)| {
            let segments = match text::parse(text) {
                Err((code, message)) => {
                    report(field, code, message);
                    return;
                }
                Ok(segments) => segments,
            };
            for segment in &segments {
                let Segment::Placeholder(p, _) = segment else {
                    continue;
                };
                let bad_kind = match (p.scope(), group) {
                    (Scope::Anywhere, _) => None,
                    (Scope::Engagement, _) if engagement => None,
                    (Scope::Engagement, _) => {
                        Some("a subject (it lists the evidence at engagement level)".to_owned())
                    }
                    (_, _) if engagement => Some("engagement".to_owned()),
                    (Scope::Groups, None) => {
                        Some("a question about one subject (only in `group.text`)".to_owned())
                    }
                    (Scope::Groups, Some(_)) => None,
                    (_, Some(g)) if !g.fixes(*p) => Some(
                        "a grouped question whose subjects may differ on it (add its key to `group.by`)"
                            .to_owned(),
                    ),
                    (Scope::Subjects, _) => None,
                    (Scope::Flows, _) => elements.then(|| "an element".to_owned()),
                    (Scope::Elements, _) => flows.then(|| "data_flow".to_owned()),
                };
                if let Some(kind) = bad_kind {
                    report(
                        field,
                        DiagnosticCode::PlaceholderNotForKind,
                        format!("placeholder `{{{}}}` cannot be used on {kind}", p.name()),
                    );
                }
            }
        };
        let quotes = |text: &str| quotes_placeholder(text, Placeholder::Statement);
        if engagement
            && self.when.is_none()
            && quotes_placeholder(&self.text, Placeholder::Matching)
        {
            report(
                "/text",
                DiagnosticCode::PlaceholderNotForKind,
                "placeholder `{matching}` lists the subjects that satisfy `when`: add a `when`"
                    .to_owned(),
            );
        }
        let says = self.when.as_ref().and_then(Condition::says_phrases);
        if says.is_none() {
            let fields = [
                ("/text", self.text.as_str()),
                ("/rationale", &self.rationale),
            ]
            .into_iter()
            .chain(self.follow_ups.iter().map(|f| ("/follow_ups", f.as_str())));
            for (field, text) in fields {
                if quotes(text) {
                    report(
                        field,
                        DiagnosticCode::PlaceholderNotForKind,
                        "placeholder `{statement}` needs a `says` test in `when` (under `all` \
                         and `any` only) to find the sentence it quotes"
                            .to_owned(),
                    );
                }
            }
        }
        check("/text", &self.text, None, &mut report);
        check("/rationale", &self.rationale, None, &mut report);
        for (i, prompt) in self.follow_ups.iter().enumerate() {
            check(&format!("/follow_ups/{i}"), prompt, None, &mut report);
        }
        if let Some(group) = &self.group {
            check("/group/text", &group.text, Some(group), &mut report);
            if !text::parse(&group.text)
                .unwrap_or_default()
                .iter()
                .any(|s| matches!(s, Segment::Placeholder(Placeholder::Elements, _)))
            {
                report(
                    "/group/text",
                    DiagnosticCode::PlaceholderNotForKind,
                    "a grouped question must name its subjects with `{elements}`".to_owned(),
                );
            }
        }
    }
}

/// Whether a text uses a placeholder (false for a text that does not parse: reported apart).
fn quotes_placeholder(text: &str, placeholder: Placeholder) -> bool {
    text::parse(text)
        .unwrap_or_default()
        .iter()
        .any(|s| matches!(s, Segment::Placeholder(p, _) if *p == placeholder))
}

impl Group {
    /// Whether every subject of one group has the same value for a placeholder, so that a
    /// grouped text may use it.
    fn fixes(&self, p: Placeholder) -> bool {
        let key = match p {
            Placeholder::Boundary => GroupKey::Boundary,
            Placeholder::Kind => GroupKey::Kind,
            Placeholder::Protocol => GroupKey::Protocol,
            Placeholder::Source => GroupKey::Source,
            Placeholder::Target => GroupKey::Target,
            Placeholder::Initiator => GroupKey::Initiator,
            Placeholder::Responder => GroupKey::Responder,
            Placeholder::Targets => GroupKey::Callees,
            Placeholder::AuthMethods => GroupKey::Property("auth_methods".to_owned()),
            _ => return false,
        };
        self.by.contains(&key)
    }
}

impl QuestionBank {
    /// An empty bank of the current format version.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> QuestionBank {
        QuestionBank {
            schema_version: BANK_SCHEMA_VERSION,
            id: id.into(),
            name: name.into(),
            description: None,
            templates: Vec::new(),
            disable: Vec::new(),
            pack: None,
            origin: Origin::default(),
        }
    }

    /// The built-in bank, embedded in the crate.
    ///
    /// # Panics
    ///
    /// If the embedded bank is invalid, which the crate's tests rule out.
    pub fn builtin() -> &'static QuestionBank {
        static BUILTIN: OnceLock<QuestionBank> = OnceLock::new();
        BUILTIN.get_or_init(QuestionBank::read_builtin)
    }

    /// The built-in bank, read anew (see [`QuestionBank::embedded`]).
    pub(crate) fn read_builtin() -> QuestionBank {
        match QuestionBank::embedded(BUILTIN_JSON) {
            Ok(bank) => bank,
            Err(error) => panic!("the built-in question bank is invalid: {error}"),
        }
    }

    /// The built-in packs, read anew (see [`QuestionBank::embedded`]).
    pub(crate) fn read_builtin_packs() -> Vec<QuestionBank> {
        BUILTIN_PACKS
            .iter()
            .map(|text| match QuestionBank::embedded(text) {
                Ok(bank) => bank,
                Err(error) => panic!("a built-in pack is invalid: {error}"),
            })
            .collect()
    }

    /// A bank embedded in the crate, read straight into its types. The embedded banks are
    /// checked in full (schema, conditions, templates) by this module's tests, which also
    /// check that this reading gives the bank [`QuestionBank::from_json_str`] gives; skipping
    /// the checks here takes most of a run's start-up time off every command.
    fn embedded(text: &str) -> Result<QuestionBank, serde_json::Error> {
        let mut bank: QuestionBank = serde_json::from_str(text)?;
        bank.origin = Origin(Some(Arc::new((text.to_owned(), Format::Json))));
        Ok(bank)
    }

    /// The built-in packs: question banks for one technology or regulation each, applying
    /// where the model calls for them.
    ///
    /// # Panics
    ///
    /// If an embedded pack is invalid, which the crate's tests rule out.
    pub fn builtin_packs() -> &'static [QuestionBank] {
        static PACKS: OnceLock<Vec<QuestionBank>> = OnceLock::new();
        PACKS.get_or_init(QuestionBank::read_builtin_packs)
    }

    /// Every property the bank reads (its templates' conditions and group keys, and its pack's
    /// condition), sorted, each once.
    pub fn properties_read(&self) -> std::collections::BTreeSet<&str> {
        let mut read: std::collections::BTreeSet<&str> = self
            .templates
            .iter()
            .flat_map(Template::properties_read)
            .collect();
        if let Some(pack) = &self.pack {
            read.extend(pack.enabled_by.properties_read());
        }
        read
    }

    /// The built-in bank's text, as embedded.
    pub fn builtin_json() -> &'static str {
        BUILTIN_JSON
    }

    /// Loads a bank from JSON text, with the default limits.
    pub fn from_json_str(text: &str) -> Result<QuestionBank, BankError> {
        QuestionBank::from_slice(text.as_bytes(), Format::Json, &Limits::default())
    }

    /// Loads a bank from YAML text, with the default limits.
    pub fn from_yaml_str(text: &str) -> Result<QuestionBank, BankError> {
        QuestionBank::from_slice(text.as_bytes(), Format::Yaml, &Limits::default())
    }

    /// Loads a bank file, YAML for `.yaml` and `.yml` and JSON otherwise, with the default
    /// limits.
    pub fn from_path(path: impl AsRef<Path>) -> Result<QuestionBank, BankError> {
        QuestionBank::from_path_with(path, &Limits::default())
    }

    /// Loads a bank file within limits: the same limits, and the same errors, as an engagement
    /// file (a FIFO or a device is refused, a file too large is not read).
    pub fn from_path_with(
        path: impl AsRef<Path>,
        limits: &Limits,
    ) -> Result<QuestionBank, BankError> {
        let path = path.as_ref();
        let bytes = source::read_file(path, limits)?;
        QuestionBank::from_slice(&bytes, Format::from_path(path), limits)
    }

    /// Loads a bank from bytes (UTF-8) in a format, within limits: parse with positions, the
    /// bank schema, then the meaning of every template.
    pub fn from_slice(
        bytes: &[u8],
        format: Format,
        limits: &Limits,
    ) -> Result<QuestionBank, BankError> {
        let invalid = |diagnostics: Vec<Diagnostic>| BankError::Invalid {
            report: Box::new(Report::from_diagnostics(diagnostics)),
        };
        let parsed = source::parse(bytes, format, limits).map_err(|f| invalid(f.diagnostics))?;
        let mut bank = QuestionBank::check(&parsed.value, limits).map_err(|mut diagnostics| {
            parsed.place(&mut diagnostics);
            invalid(diagnostics)
        })?;
        bank.origin = Origin(Some(Arc::new((parsed.text.to_owned(), format))));
        Ok(bank)
    }

    /// Loads a bank from a parsed JSON value (no line or column in the diagnostics).
    pub fn from_value(value: &Value) -> Result<QuestionBank, BankError> {
        QuestionBank::check(value, &Limits::default()).map_err(|diagnostics| BankError::Invalid {
            report: Box::new(Report::from_diagnostics(diagnostics)),
        })
    }

    /// Structure, then meaning, of a parsed bank.
    fn check(value: &Value, limits: &Limits) -> Result<QuestionBank, Vec<Diagnostic>> {
        if let Some(version) = value.get("schema_version").and_then(Value::as_u64)
            && version != u64::from(BANK_SCHEMA_VERSION)
        {
            return Err(vec![Diagnostic::error(
                DiagnosticCode::UnsupportedVersion,
                "/schema_version",
                format!(
                    "bank schema version {version} is not supported; this library reads version {BANK_SCHEMA_VERSION}"
                ),
            )]);
        }
        let mut diagnostics = crate::schema::check::diagnostics(&BANK_VALIDATOR, value);
        // Templates with a structural problem are not checked further.
        let broken: std::collections::HashSet<usize> = diagnostics
            .iter()
            .filter_map(|d| template_index(&d.pointer))
            .collect();
        let bank_ok = diagnostics
            .iter()
            .all(|d| template_index(&d.pointer).is_some());
        let mut bank = QuestionBank::new("", "");
        let pack_condition = match value.pointer("/pack/enabled_by") {
            Some(c) if bank_ok => {
                match Condition::from_value(c, "/pack/enabled_by", limits.max_condition_nodes) {
                    Ok(condition) => Some(condition),
                    Err(d) => {
                        diagnostics.push(d);
                        None
                    }
                }
            }
            _ => None,
        };
        if bank_ok {
            let mut head = value.clone();
            if let Some(object) = head.as_object_mut() {
                object.remove("templates");
                if let Some(pack) = object.get_mut("pack").and_then(Value::as_object_mut) {
                    pack.insert("enabled_by".to_owned(), serde_json::json!({"all": []}));
                }
            }
            match crate::schema::check::deserialize::<QuestionBank>(&head, true, "a question bank")
            {
                Ok(Some(mut b)) => {
                    if let (Some(pack), Some(condition)) = (b.pack.as_mut(), pack_condition) {
                        pack.enabled_by = condition;
                    }
                    bank = b;
                }
                Ok(None) => {}
                Err(d) => diagnostics.push(d),
            }
        }
        let items = value.get("templates").and_then(Value::as_array);
        let mut indices = Vec::new();
        for (i, item) in items.into_iter().flatten().enumerate() {
            if broken.contains(&i) {
                continue;
            }
            let pointer = format!("/templates/{i}");
            // The conditions are read apart from the rest, so that their messages name the
            // operator; a template with a broken one is left out.
            let condition = |key: &str| {
                item.get(key)
                    .map(|w| {
                        Condition::from_value(
                            w,
                            &format!("{pointer}/{key}"),
                            limits.max_condition_nodes,
                        )
                    })
                    .transpose()
            };
            let (when, answered_when, weakness_when) = match (
                condition("when"),
                condition("answered_when"),
                condition("weakness_when"),
            ) {
                (Ok(when), Ok(answered_when), Ok(weakness_when)) => {
                    (when, answered_when, weakness_when)
                }
                (when, answered_when, weakness_when) => {
                    diagnostics.extend(when.err());
                    diagnostics.extend(answered_when.err());
                    diagnostics.extend(weakness_when.err());
                    continue;
                }
            };
            let mut rest = item.clone();
            if let Some(object) = rest.as_object_mut() {
                object.remove("when");
                object.remove("answered_when");
                object.remove("weakness_when");
            }
            match crate::schema::check::deserialize::<Template>(&rest, true, "a template") {
                Ok(Some(mut template)) => {
                    template.when = when;
                    template.weakness_when = weakness_when;
                    template.answered_when = answered_when;
                    bank.templates.push(template);
                    indices.push(i);
                }
                Ok(None) => {}
                Err(mut d) => {
                    d.pointer = format!("{pointer}{}", d.pointer);
                    diagnostics.push(d);
                }
            }
        }
        diagnostics.extend(check_templates(bank.templates.iter().zip(indices)));
        if diagnostics.is_empty() {
            Ok(bank)
        } else {
            Err(diagnostics)
        }
    }

    /// Every problem with a bank built in code (loading reports the same problems).
    pub fn problems(&self) -> Report {
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        match QuestionBank::check(&value, &Limits::default()) {
            Ok(_) => Report::default(),
            Err(diagnostics) => Report::from_diagnostics(diagnostics),
        }
    }

    /// Places diagnostics whose pointers are in this bank at their line and column, when the
    /// bank was loaded from text.
    pub fn place(&self, diagnostics: &mut [Diagnostic]) {
        if let Some(origin) = &self.origin.0 {
            source::place(&origin.0, origin.1, diagnostics);
        }
    }
}

/// The template a pointer is in (`/templates/3/...` is 3).
fn template_index(pointer: &str) -> Option<usize> {
    pointer
        .strip_prefix("/templates/")?
        .split('/')
        .next()?
        .parse()
        .ok()
}

/// The bank schema as the loader checks it: conditions left to the condition parser, whose
/// messages name the operator (`unknown operator `is_cloud``) where the schema's could only say
/// that none of 27 forms matched.
static BANK_VALIDATOR: LazyLock<Validator> = LazyLock::new(|| {
    let mut schema = bank_schema();
    if let Some(condition) = schema.pointer_mut("/$defs/Condition") {
        *condition = serde_json::json!({"type": "object"});
    }
    crate::schema::check::compile(&schema)
});

/// Each template's own checks, and duplicate ids; `index` is the template's position in the
/// file, for the pointers.
fn check_templates<'t>(templates: impl Iterator<Item = (&'t Template, usize)>) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (template, i) in templates {
        let pointer = format!("/templates/{i}");
        template.problems(&pointer, &mut problems);
        if let Some(first) = seen.insert(template.id.as_str(), i) {
            problems.push(Diagnostic::error(
                DiagnosticCode::DuplicateId,
                format!("{pointer}/id"),
                format!(
                    "template id `{}` is already used at `/templates/{first}`",
                    template.id
                ),
            ));
            seen.insert(template.id.as_str(), first);
        }
    }
    problems
}

/// The JSON Schema of a question bank file.
pub fn bank_schema() -> Value {
    let schema = settings()
        .into_generator()
        .into_root_schema_for::<QuestionBank>();
    with_id(schema.to_value(), BANK_SCHEMA_ID)
}

#[cfg(test)]
mod tests {
    use super::{BUILTIN_JSON, BUILTIN_PACKS, QuestionBank};

    /// The built-in banks are read without the checks at run time: the checks are here.
    #[test]
    fn embedded_banks_read_as_checked_and_have_no_problem() {
        for text in std::iter::once(&BUILTIN_JSON).chain(BUILTIN_PACKS) {
            let checked = QuestionBank::from_json_str(text).expect("an embedded bank is valid");
            let read = QuestionBank::embedded(text).expect("an embedded bank reads");
            assert_eq!(read, checked, "bank `{}`", checked.id);
            assert!(read.problems().is_valid(), "bank `{}`", read.id);
        }
    }
}
