//! `threat-interview` runs the interview phase of threat modeling.
//!
//! An [`Engagement`] holds one threat-modeling exercise: its scope, the people to interview,
//! the calendar, the component model (a data-flow diagram), the questions and their answers,
//! hints, findings and follow-ups. [`ComponentGraph`] turns the component model into a graph
//! with the derived facts question rules need.

pub mod bank;
pub mod coverage;
pub mod engine;
pub mod graph;
pub mod io;
pub mod location;
pub mod model;
pub mod plan;
pub mod schema;
#[doc(hidden)]
pub mod synthetic;
pub mod validate;

pub use bank::{BankSet, QuestionBank};
pub use coverage::Coverage;
pub use engine::{Generated, generate, merge};
pub use graph::ComponentGraph;
pub use model::*;
