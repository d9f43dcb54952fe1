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
pub mod engine;
pub mod graph;
pub mod io;
pub mod location;
pub mod model;
pub mod plan;
pub mod record;
pub mod schema;
#[doc(hidden)]
pub mod synthetic;
pub mod validate;

pub use bank::{BankSet, QuestionBank};
pub use coverage::Coverage;
pub use engine::{Generated, generate, merge};
pub use graph::ComponentGraph;
pub use model::*;
pub use record::RecordError;

/// The README's Rust examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
