//! `threat-interview` runs the interview phase of threat modeling.
//!
//! An [`Engagement`] holds one threat-modeling exercise: its scope, the people to interview,
//! the calendar, the component model (a data-flow diagram), the questions and their answers,
//! hints, findings and follow-ups. The path through the library goes one way:
//!
//! 1. [`io::load`] reads an engagement file (JSON or YAML) through one pipeline: read within
//!    [`source::Limits`], parse with positions, check the structure against the published
//!    schema, then the meaning; every problem is a [`Diagnostic`] with a [`DiagnosticCode`], a
//!    JSON Pointer and a line and column ([`validate`] gives the report without failing);
//! 2. [`ComponentGraph`] turns the component model into a graph with the facts question rules
//!    need (boundary nesting, crossings, reachability, the interview walk);
//! 3. an [`engine::Engine`] built from a [`BankSet`] (the built-in [`QuestionBank`] and yours)
//!    generates the questions of an engagement known to be valid ([`validate::Checked`]), and
//!    [`engine::Questions::merge_into`] adds them to the engagement without touching answers;
//! 4. [`Coverage`] shows how far each applicable STRIDE category of each element and flow has
//!    got (generated, planned, asked, answered), [`risk`] ranks the pairs, and [`plan`] fills
//!    the interviews' time boxes, surfacing every pair first;
//! 5. [`io::save_with`] writes the engagement back without ever losing data.
//!
//! ```
//! use threat_interview::engine::Engine;
//! use threat_interview::{Coverage, io};
//!
//! let json = r#"{
//!   "schema_version": 1, "id": "demo", "name": "Demo", "assurance_level": "fast",
//!   "scope": {"out_of_scope": ["the mobile app"]},
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
//! let loaded = io::load_str(json, io::Format::Json)?;
//! let questions = Engine::builtin().generate(loaded.checked());
//! let mut engagement = loaded.engagement;
//! questions.merge_into(&mut engagement);
//! assert!(Coverage::of(&engagement).gaps.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod bank;
pub mod calendar;
pub mod coverage;
pub mod diagnostic;
pub mod diagram;
pub mod engine;
pub mod graph;
pub mod guide;
pub mod import;
pub mod io;
pub mod model;
pub mod plan;
pub mod readiness;
pub mod record;
pub mod risk;
pub mod schema;
pub mod sheet;
pub mod source;
#[doc(hidden)]
pub mod synthetic;
pub mod validate;

pub use bank::{BankSet, QuestionBank};
pub use coverage::Coverage;
pub use diagnostic::{
    Diagnostic, DiagnosticCode, DiagnosticLevel, Position, Report, error_chain, suggest,
};
pub use graph::ComponentGraph;
pub use model::{
    AgendaItem, Answer, AnswerChannel, AssuranceLevel, AttackStep, Boundary, Calibration,
    Classification, ComponentModel, Contact, ContactChannel, DataItem, Document, DocumentStatus,
    Element, ElementKind, Engagement, Finding, FindingStatus, Flow, FollowUp, FollowUpStatus, Hint,
    HintStatus, Interview, InterviewStatus, Participant, Properties, PropertyValue, Provenance,
    Question, QuestionStatus, Role, RoleDefinition, SCHEMA_VERSION, Scope, Severity, Slot, Stride,
    StrideWeights, SubjectKind, Trust,
};
pub use record::{FollowUpRequest, RecordError};

/// The README's Rust examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
