//! Questions, their answers, and where each generated question came from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Extensions, Role, Stride};

/// Where a question stands.
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
pub enum QuestionStatus {
    /// Not asked yet.
    #[default]
    Open,
    /// Asked, with no answer recorded yet.
    Asked,
    /// Answered.
    Answered,
    /// Deliberately not asked, such as when the time box ran out and the modeler chose to drop
    /// it.
    Skipped,
}

/// A question to ask during an interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Question {
    /// Unique among questions. Generated questions have a stable id derived from their template
    /// and subjects, so that regenerating keeps their answers.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The question as asked.
    #[schemars(length(min = 1))]
    pub text: String,
    /// The STRIDE category the question explores; absent for engagement-level questions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Stride>,
    /// The ids of the elements, flows or boundaries the question is about (several for a
    /// question grouped across the subjects that share its answer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Other (subject, STRIDE category) pairs the question's answer covers: an interactor's
    /// question about protecting what it exchanges covers its flows' tampering and disclosure.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_covers: Vec<CoveredPair>,
    /// The role best placed to answer.
    pub role: Role,
    /// How much the question matters, from 1 (least) to 5 (most).
    #[schemars(range(min = 1, max = 5))]
    pub priority: u8,
    /// The estimated time to ask and answer it, in minutes.
    #[schemars(range(min = 1))]
    pub minutes: u32,
    /// Why the question is asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    /// Prompts to dig deeper once it is answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_up_prompts: Vec<String>,
    /// References such as `CWE-287`, `CAPEC-151` or `ASVS-2.1.1`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Whether the question opens every interview of its role, before the questions about the
    /// model (the architecture walk-through, the worst outcomes).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opener: bool,
    /// Where the question stands.
    #[serde(default)]
    pub status: QuestionStatus,
    /// Why the question was skipped, when it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reason: Option<String>,
    /// Whether the question's subject left the model; obsolete questions are kept, never
    /// deleted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub obsolete: bool,
    /// The answers recorded, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<Answer>,
    /// For a generated question, the template and conditions that produced it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Question {
    /// The (subject id, STRIDE category) pairs the question covers: its own category on each
    /// of its subjects, then the pairs it `also_covers`; repeats are possible.
    pub fn covered_pairs(&self) -> impl Iterator<Item = (&str, Stride)> + '_ {
        let own = self
            .category
            .into_iter()
            .flat_map(|c| self.subjects.iter().map(move |s| (s.as_str(), c)));
        let covered = self
            .also_covers
            .iter()
            .map(|p| (p.subject.as_str(), p.category));
        own.chain(covered)
    }

    /// An open question written by hand (no provenance), about no subject yet.
    pub fn new(
        id: impl Into<String>,
        text: impl Into<String>,
        role: Role,
        priority: u8,
        minutes: u32,
    ) -> Self {
        Question {
            id: id.into(),
            text: text.into(),
            category: None,
            subjects: Vec::new(),
            also_covers: Vec::new(),
            role,
            priority,
            minutes,
            rationale: None,
            follow_up_prompts: Vec::new(),
            references: Vec::new(),
            opener: false,
            status: QuestionStatus::Open,
            skip_reason: None,
            obsolete: false,
            answers: Vec::new(),
            provenance: None,
            extensions: None,
        }
    }
}

/// A (subject, STRIDE category) pair a question covers besides its own subjects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CoveredPair {
    /// The element's or flow's id.
    #[schemars(length(min = 1))]
    pub subject: String,
    /// The category.
    pub category: Stride,
}

impl CoveredPair {
    /// A pair.
    pub fn new(subject: impl Into<String>, category: Stride) -> Self {
        CoveredPair {
            subject: subject.into(),
            category,
        }
    }
}

/// A note, in an answer to a question about several subjects, on one subject the answer does
/// not hold for as it does for the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AnswerException {
    /// The subject, one of the question's.
    #[schemars(length(min = 1))]
    pub subject: String,
    /// How it differs.
    #[schemars(length(min = 1))]
    pub text: String,
}

impl AnswerException {
    /// An exception for one subject.
    pub fn new(subject: impl Into<String>, text: impl Into<String>) -> Self {
        AnswerException {
            subject: subject.into(),
            text: text.into(),
        }
    }
}

/// How an answer reached the modelers.
#[derive(
    Debug,
    Clone,
    Copy,
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
pub enum AnswerChannel {
    /// During an interview; `reference` names it.
    Interview,
    /// Through a follow-up; `reference` names it.
    FollowUp,
    /// From a document; `reference` names it.
    Document,
    /// By email.
    Email,
    /// By chat.
    Chat,
    /// Any other way.
    Other,
    /// From the model itself: a description (or a property) already answers the question, so
    /// it was generated answered (`answered_when`); `reference` names the element or flow
    /// asked about.
    Model,
}

/// An answer to a question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Answer {
    /// What was said.
    #[schemars(length(min = 1))]
    pub text: String,
    /// The participant who answered, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When: a date (`YYYY-MM-DD`) or a date and time (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("anyOf" = [{"format": "date"}, {"format": "date-time"}]))]
    pub at: Option<String>,
    /// How the answer reached the modelers.
    pub via: AnswerChannel,
    /// The id of the interview, follow-up or document the answer came through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// For a question about several subjects, those the answer does not hold for as it does for
    /// the others, each with how it differs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<AnswerException>,
    /// An answer from the model (`via: model`) that states a possible weakness (its template's
    /// `weakness_when` held): merging the question into an engagement records a hint for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub weakness: bool,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Answer {
    /// An answer that reached the modelers by a channel, with nothing else known yet.
    pub fn new(text: impl Into<String>, via: AnswerChannel) -> Self {
        Answer {
            text: text.into(),
            by: None,
            at: None,
            via,
            reference: None,
            exceptions: Vec::new(),
            weakness: false,
            extensions: None,
        }
    }
}

/// Where a generated question came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Provenance {
    /// The id of the template.
    #[schemars(length(min = 1))]
    pub template: String,
    /// The bank the template came from (`builtin` for the built-in bank).
    #[schemars(length(min = 1))]
    pub bank: String,
    /// JSON Pointers, within the template, of the condition nodes that matched.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
}

impl Provenance {
    /// The provenance of a question generated from a template of a bank.
    pub fn new(template: impl Into<String>, bank: impl Into<String>) -> Self {
        Provenance {
            template: template.into(),
            bank: bank.into(),
            matched: Vec::new(),
        }
    }
}

/// Escapes one part of a question id: `%` as `%25`, `@` as `%40`, so that `<template>@<subject>`
/// can be split back and two questions never share an id.
pub fn escape_id_part(part: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr2(b'%', b'@', part.as_bytes()).is_some() {
        std::borrow::Cow::Owned(part.replace('%', "%25").replace('@', "%40"))
    } else {
        std::borrow::Cow::Borrowed(part)
    }
}
