//! `threat-interview` runs the interview phase of threat modeling.
//!
//! An [`Engagement`] holds one threat-modeling exercise: its scope, the people to interview,
//! the calendar, the component model (a data-flow diagram), the questions and their answers,
//! hints, findings and follow-ups. The path through the library goes one way:
//!
//! 1. [`io`] reads an engagement file (JSON or YAML) and [`validate`] reports every problem
//!    with a stable code, a JSON Pointer and, for files, a line and column;
//! 2. [`ComponentGraph`] turns the component model into a graph with the facts question rules
//!    need (boundary paths, crossings, reachability, the interview walk);
//! 3. [`engine::generate`] instantiates the templates of a [`BankSet`] (the built-in
//!    [`QuestionBank`] and yours) over the graph, and [`engine::merge`] adds the questions to
//!    the engagement without touching answers;
//! 4. [`Coverage`] shows which applicable STRIDE categories of each element and flow were
//!    asked and answered, and [`plan`] fills the interviews' time boxes.
//!
//! ```
//! use threat_interview::{BankSet, Coverage, Engagement, engine, io};
//!
//! let json = r#"{
//!   "schema_version": 1, "id": "demo", "name": "Demo", "assurance_level": "fast",
//!   "model": {
//!     "elements": [
//!       {"id": "user", "name": "User", "kind": "external_interactor"},
//!       {"id": "app", "name": "App", "kind": "process", "boundary": "dc"},
//!       {"id": "db", "name": "Database", "kind": "data_store", "boundary": "dc"}
//!     ],
//!     "boundaries": [{"id": "dc", "name": "Data centre"}],
//!     "flows": [
//!       {"id": "f1", "name": "requests", "source": "user", "target": "app", "protocol": "HTTPS"},
//!       {"id": "f2", "name": "queries", "source": "app", "target": "db"}
//!     ]
//!   }
//! }"#;
//! let mut engagement: Engagement = io::load_str(json, io::Format::Json)?;
//! let questions = engine::generate(&engagement, &BankSet::builtin()).questions();
//! engine::merge(&mut engagement, questions);
//! assert!(Coverage::of(&engagement).gaps.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bank;
pub mod coverage;
pub mod diagnostic;
pub mod engine;
pub mod graph;
pub mod io;
pub mod model;
pub mod plan;
pub mod record;
pub mod schema;
pub mod source;
#[doc(hidden)]
pub mod synthetic;
pub mod validate;

pub use bank::{BankSet, QuestionBank};
pub use coverage::Coverage;
pub use diagnostic::{Diagnostic, DiagnosticCode, DiagnosticLevel, Report};
pub use graph::ComponentGraph;
pub use model::{
    AgendaItem, Answer, AnswerChannel, AssuranceLevel, AttackStep, Boundary, Calibration,
    Classification, ComponentModel, Contact, ContactChannel, DataItem, Document, DocumentStatus,
    Element, ElementKind, Engagement, Finding, FindingStatus, Flow, FollowUp, FollowUpStatus,
    Hint, HintStatus, Interview, InterviewStatus, Participant, Properties, PropertyValue,
    Provenance, Question, QuestionStatus, Role, RoleDefinition, SCHEMA_VERSION, Scope, Severity,
    Slot, Stride, StrideWeights, SubjectKind, Trust,
};
pub use record::RecordError;

/// An error and its causes, joined by `: `, as the command line and the Python exceptions print
/// them (cedar's style: lowercase, no final period).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The candidate closest to a word that is probably a misspelling of it (`architcet` for
/// `architect`, `production-owner` for `production_owner`), if any is close enough.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let folded = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    let word = folded(word);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &folded(c)), c))
        .filter(|&(distance, c)| distance <= (c.chars().count() / 3).max(1))
        .min_by_key(|&(distance, c)| (distance, c))
        .map(|(_, c)| c)
}

/// The README's Rust examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
