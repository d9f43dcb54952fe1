//! Hints and findings: possible weaknesses revealed during the interviews.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Extensions, Stride};

/// Where a hint stands.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum HintStatus {
    /// Recorded, not yet analysed.
    #[default]
    Open,
    /// Turned into a finding once an attack path was sketched.
    Promoted,
    /// Looked at and set aside, with a rationale.
    Dismissed,
}

/// A possible weakness an interviewee revealed, recorded at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Hint {
    /// Unique among hints.
    #[schemars(length(min = 1))]
    pub id: String,
    /// What was said or noticed.
    #[schemars(length(min = 1))]
    pub text: String,
    /// The elements, flows or boundaries it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// The STRIDE category it suggests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Stride>,
    /// The question whose answer revealed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The participant who revealed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised_by: Option<String>,
    /// When it was recorded: a date or an RFC 3339 date and time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("anyOf" = [{"format": "date"}, {"format": "date-time"}]))]
    pub recorded_at: Option<String>,
    /// Where it stands.
    #[serde(default)]
    pub status: HintStatus,
    /// Why it was dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// The finding it was promoted to, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding: Option<String>,
    /// Recorded by merging generated questions: an answer from the model states a possible
    /// weakness (`weakness` on the answer). Merging refreshes it while it is open, and
    /// withdraws it when the model no longer says so and it is still open; once promoted or
    /// dismissed, it is the modelers' and never touched.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_model: bool,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Hint {
    /// An open hint about no subject yet.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Hint {
            id: id.into(),
            text: text.into(),
            subjects: Vec::new(),
            category: None,
            question: None,
            raised_by: None,
            recorded_at: None,
            status: HintStatus::Open,
            rationale: None,
            finding: None,
            from_model: false,
            extensions: None,
        }
    }
}

/// Where a finding stands.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FindingStatus {
    /// An attack path has been sketched; not yet confirmed.
    #[default]
    Plausible,
    /// Confirmed, with a rationale.
    Confirmed,
    /// Dismissed, with a rationale.
    Dismissed,
}

/// How serious a finding is.
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
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Severity {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

/// One step of an attack path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AttackStep {
    /// What the attacker does.
    #[schemars(length(min = 1))]
    pub description: String,
    /// The element, flow or boundary the step acts on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

impl AttackStep {
    /// A step of an attack path, on no particular subject.
    pub fn new(description: impl Into<String>) -> Self {
        AttackStep {
            description: description.into(),
            subject: None,
        }
    }
}

/// A weakness with at least a conceptual attack path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Finding {
    /// Unique among findings.
    #[schemars(length(min = 1))]
    pub id: String,
    /// A short title.
    #[schemars(length(min = 1))]
    pub title: String,
    /// What the weakness is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The STRIDE category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Stride>,
    /// The elements, flows or boundaries it concerns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// The hints it grew from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<String>,
    /// How an attacker would exploit it, step by step; a finding needs at least one step.
    pub attack_path: Vec<AttackStep>,
    /// Where it stands.
    #[serde(default)]
    pub status: FindingStatus,
    /// Why it was confirmed or dismissed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// How serious it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Whether it can be fixed quickly.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub quick_win: bool,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Finding {
    /// A plausible finding with its attack path.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        attack_path: Vec<AttackStep>,
    ) -> Self {
        Finding {
            id: id.into(),
            title: title.into(),
            description: None,
            category: None,
            subjects: Vec::new(),
            hints: Vec::new(),
            attack_path,
            status: FindingStatus::Plausible,
            rationale: None,
            severity: None,
            quick_win: false,
            extensions: None,
        }
    }
}
