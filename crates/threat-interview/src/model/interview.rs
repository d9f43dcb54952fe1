//! Interviews: time-boxed meetings with the people who hold a role.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Extensions, Role};

/// Half a day of the engagement's calendar.
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
pub enum Slot {
    /// Mornings are for interviews.
    Morning,
    /// Afternoons are for analysis.
    Afternoon,
}

/// Where an interview stands.
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
pub enum InterviewStatus {
    /// Planned, not yet held.
    #[default]
    Planned,
    /// Held.
    Held,
    /// Cancelled.
    Cancelled,
}

/// A time-boxed meeting with the people who hold one or more roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Interview {
    /// Unique among interviews.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The interview's title, such as `Architecture walk-through, part 1`.
    #[schemars(length(min = 1))]
    pub title: String,
    /// The day of the engagement, from 1 (working days: day 2 of an engagement that starts on
    /// a Friday is the Monday after).
    #[schemars(range(min = 1))]
    pub day: u32,
    /// The calendar date, `YYYY-MM-DD`, once the engagement is scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("format" = "date"))]
    pub date: Option<String>,
    /// Morning or afternoon.
    pub slot: Slot,
    /// The start time, `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"))]
    pub start: Option<String>,
    /// The time box, in minutes.
    #[schemars(range(min = 1))]
    pub minutes: u32,
    /// The roles interviewed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// The participants invited, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// What the interview is for, in words: its roles' goals, or a meeting's purpose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    /// The questions to ask, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agenda: Vec<AgendaItem>,
    /// Questions to ask if time permits, after the agenda: the best of what did not fit and no
    /// later interview can take.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub if_time_permits: Vec<AgendaItem>,
    /// Where the interview stands.
    #[serde(default, skip_serializing_if = "is_planned")]
    pub status: InterviewStatus,
    /// Notes taken during the interview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Interview {
    /// A planned interview with an empty agenda and no participant yet.
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        day: u32,
        slot: Slot,
        minutes: u32,
        roles: Vec<Role>,
    ) -> Self {
        Interview {
            id: id.into(),
            title: title.into(),
            day,
            date: None,
            slot,
            start: None,
            minutes,
            roles,
            participants: Vec::new(),
            goals: Vec::new(),
            agenda: Vec::new(),
            if_time_permits: Vec::new(),
            status: InterviewStatus::Planned,
            notes: None,
            extensions: None,
        }
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_planned(status: &InterviewStatus) -> bool {
    *status == InterviewStatus::Planned
}

/// A question on an interview's agenda, with the minutes set aside for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AgendaItem {
    /// The question's id.
    #[schemars(length(min = 1))]
    pub question: String,
    /// The minutes set aside for it.
    #[schemars(range(min = 1))]
    pub minutes: u32,
}

impl AgendaItem {
    /// A question on an agenda, with the minutes set aside for it.
    pub fn new(question: impl Into<String>, minutes: u32) -> Self {
        AgendaItem {
            question: question.into(),
            minutes,
        }
    }
}
