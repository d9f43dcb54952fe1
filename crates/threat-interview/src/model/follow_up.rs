//! Follow-ups: questions sent to a named person after the interviews.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ContactChannel, Extensions};

/// Where a follow-up stands.
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
pub enum FollowUpStatus {
    /// Sent, waiting for an answer.
    #[default]
    Open,
    /// Answered.
    Answered,
    /// No longer needed.
    Cancelled,
}

/// A question sent through an open channel to a named person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FollowUp {
    /// Unique among follow-ups.
    #[schemars(length(min = 1))]
    pub id: String,
    /// What is asked.
    #[schemars(length(min = 1))]
    pub text: String,
    /// The question it continues, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// The hint it continues, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The participant asked, by id.
    #[schemars(length(min = 1))]
    pub assignee: String,
    /// When it was asked, `YYYY-MM-DD`.
    #[schemars(extend("format" = "date"))]
    pub asked_on: String,
    /// When the answer is due, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub due: Option<String>,
    /// The channel it was sent through (the participant's contact channel when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<ContactChannel>,
    /// Where it stands.
    #[serde(default)]
    pub status: FollowUpStatus,
    /// The answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// When it was answered, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub answered_on: Option<String>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl FollowUp {
    /// An open follow-up to a participant, asked on a date (`YYYY-MM-DD`).
    pub fn new(
        id: impl Into<String>,
        text: impl Into<String>,
        assignee: impl Into<String>,
        asked_on: impl Into<String>,
    ) -> Self {
        FollowUp {
            id: id.into(),
            text: text.into(),
            question: None,
            hint: None,
            assignee: assignee.into(),
            asked_on: asked_on.into(),
            due: None,
            channel: None,
            status: FollowUpStatus::Open,
            answer: None,
            answered_on: None,
            extensions: None,
        }
    }

    /// Whether it is open and its answer was due before `on` (`YYYY-MM-DD`). Dates in a
    /// valid engagement are `YYYY-MM-DD`, whose text order is the calendar order.
    pub fn is_overdue_on(&self, on: &str) -> bool {
        self.status == FollowUpStatus::Open && self.due.as_deref().is_some_and(|due| due < on)
    }
}
