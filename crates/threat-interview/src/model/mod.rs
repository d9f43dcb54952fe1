//! The engagement model: plain data types, read and written as JSON (or YAML), described by
//! the published JSON Schema.
//!
//! Every entity has an `id` unique in its collection and an optional `extensions` object that
//! carries other tools' data through a load and a save untouched.

mod calibration;
mod component;
mod engagement;
mod finding;
mod follow_up;
mod interview;
mod question;
mod role;
mod stride;
pub mod vocabulary;

pub use calibration::{Calibration, DEFAULT_WEIGHT, StrideWeights};
pub use component::{
    Boundary, Classification, ComponentModel, DataItem, Element, ElementKind, Flow, FlowEnd,
    Properties, PropertyValue, SharedModel, SubjectKind, Trust,
};
pub use engagement::{
    AssuranceLevel, Contact, ContactChannel, Document, DocumentStatus, Engagement, PackSettings,
    Participant, SCHEMA_VERSION, Scope,
};
pub use finding::{AttackStep, Finding, FindingStatus, Hint, HintStatus, Severity};
pub use follow_up::{FollowUp, FollowUpStatus};
pub use interview::{AgendaItem, Interview, InterviewStatus, Slot};
pub use question::{
    Answer, AnswerChannel, AnswerException, CoveredPair, Provenance, Question, QuestionStatus,
    escape_id_part,
};
pub use role::{Role, RoleDefinition, UnknownRole};
pub use stride::Stride;

/// `as_str` and `Display` for enums whose names strum derives (`snake_case`, as in files).
macro_rules! names {
    ($($name:ident),* $(,)?) => {$(
        impl $name {
            /// The identifier used in files.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

names!(
    QuestionStatus,
    AnswerChannel,
    FollowUpStatus,
    Slot,
    InterviewStatus,
    Trust,
    DocumentStatus,
    ContactChannel,
    HintStatus,
    FindingStatus,
    Severity,
);

/// Other tools' data attached to an entity, kept as is through a load and a save.
pub type Extensions = serde_json::Map<String, serde_json::Value>;
