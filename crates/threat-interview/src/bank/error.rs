//! Why a question bank could not be loaded or layered.

use std::fmt;
use std::path::PathBuf;

use crate::model::{Stride, SubjectKind};

/// Why a question bank could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BankError {
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The text is not well-formed JSON or YAML.
    #[error("{format} syntax error: {message}")]
    Syntax {
        /// `json` or `yaml`.
        format: &'static str,
        /// What the parser said.
        message: String,
    },
    /// The text is well-formed but is not a valid bank: every problem found is listed.
    #[error("{}", summarize(problems))]
    Invalid {
        /// The problems, in document order.
        problems: Vec<BankProblem>,
    },
}

impl BankError {
    /// The located problems, empty for I/O and syntax errors.
    pub fn problems(&self) -> &[BankProblem] {
        match self {
            BankError::Invalid { problems } => problems,
            _ => &[],
        }
    }
}

fn summarize(problems: &[BankProblem]) -> String {
    match problems {
        [] => "invalid question bank".to_owned(),
        [one] => format!("invalid question bank: {one}"),
        [first, rest @ ..] => format!(
            "invalid question bank: {first} (and {} more problem{})",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}

/// One problem in a bank, located by the JSON Pointer of the offending node.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at `{pointer}`: {kind}")]
pub struct BankProblem {
    /// The JSON Pointer of the node, such as `/templates/12/when/all/1`.
    pub pointer: String,
    /// What is wrong there.
    pub kind: ProblemKind,
}

/// What is wrong with a node of a bank.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// The node does not have the structure serde expected.
    #[error("{message}")]
    Structure {
        /// The deserializer's message.
        message: String,
    },
    /// The bank's `schema_version` is not one this library reads.
    #[error("unsupported schema version {found}, expected 1")]
    SchemaVersion {
        /// The version found.
        found: u64,
    },
    /// A condition is not a JSON object.
    #[error("a condition must be an object with exactly one operator")]
    ConditionNotObject,
    /// A condition object has zero or several keys.
    #[error(
        "a condition must have exactly one operator, found {}",
        keys_list(keys)
    )]
    ConditionKeys {
        /// The keys found.
        keys: Vec<String>,
    },
    /// An operator the language does not have.
    #[error("unknown operator `{operator}`")]
    UnknownOperator {
        /// The operator.
        operator: String,
    },
    /// An operand of the wrong type.
    #[error("expected {expected}, found {found}")]
    ExpectedOperand {
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// A string operand not among the allowed values.
    #[error("unknown value `{value}`, expected one of {}", allowed.join(", "))]
    UnknownValue {
        /// The value.
        value: String,
        /// The allowed values.
        allowed: &'static [&'static str],
    },
    /// Two templates of one bank share an id.
    #[error("duplicate template id `{id}`")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// A template id is empty.
    #[error("a template id cannot be empty")]
    EmptyId,
    /// `applies_to` is empty.
    #[error("`applies_to` must name at least one kind")]
    NoKinds,
    /// `engagement` mixed with element kinds in `applies_to`.
    #[error("`engagement` must be alone in `applies_to`")]
    EngagementWithKinds,
    /// An engagement-level template with a category, or a `when`.
    #[error("an engagement-level template cannot have a {field}")]
    EngagementField {
        /// `category` or `when`.
        field: &'static str,
    },
    /// A category on a kind it does not apply to under STRIDE per element.
    #[error("category `{category}` does not apply to `{kind}` under STRIDE per element")]
    CategoryNotApplicable {
        /// The category.
        category: Stride,
        /// The kind.
        kind: SubjectKind,
    },
    /// `roles` is empty.
    #[error("`roles` must name at least one role")]
    NoRoles,
    /// A priority outside 1 to 5.
    #[error("priority {found} is out of range, expected 1 to 5")]
    Priority {
        /// The priority.
        found: u8,
    },
    /// Zero minutes.
    #[error("minutes must be at least 1")]
    Minutes,
    /// A placeholder the text language does not have.
    #[error("unknown placeholder `{{{name}}}`")]
    UnknownPlaceholder {
        /// The placeholder's name.
        name: String,
    },
    /// A `{` without its `}`.
    #[error("unclosed placeholder at byte {offset}")]
    UnclosedPlaceholder {
        /// Where the `{` is.
        offset: usize,
    },
    /// A placeholder used on a kind it means nothing for.
    #[error("placeholder `{{{name}}}` cannot be used on `{kind}`")]
    PlaceholderNotForKind {
        /// The placeholder's name.
        name: String,
        /// The kind.
        kind: &'static str,
    },
}

fn keys_list(keys: &[String]) -> String {
    if keys.is_empty() {
        "none".to_owned()
    } else {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Why banks could not be layered on one another: every conflict found is listed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summarize_layers(conflicts))]
pub struct LayerError {
    /// The conflicts, in load order.
    pub conflicts: Vec<LayerConflict>,
}

fn summarize_layers(conflicts: &[LayerConflict]) -> String {
    match conflicts {
        [] => "cannot layer question banks".to_owned(),
        [one] => format!("cannot layer question banks: {one}"),
        [first, rest @ ..] => format!(
            "cannot layer question banks: {first} (and {} more)",
            rest.len()
        ),
    }
}

/// One conflict between a bank and those loaded before it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bank `{bank}` at `{pointer}`: {kind}")]
pub struct LayerConflict {
    /// The id of the bank that conflicts with an earlier one.
    pub bank: String,
    /// The JSON Pointer, in that bank, of the template or `disable` entry.
    pub pointer: String,
    /// What conflicts.
    pub kind: ConflictKind,
}

/// What conflicts between a bank and those loaded before it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// A template redefines an id without `override: true`.
    Redefined {
        /// The template id.
        id: String,
        /// The bank that defined it first.
        defined_by: String,
    },
    /// `override: true` on an id no earlier bank defines.
    OverrideUnknown {
        /// The template id.
        id: String,
    },
    /// `disable` names an id no earlier bank defines.
    DisableUnknown {
        /// The template id.
        id: String,
    },
    /// The bank itself is invalid (a bank built in code; loading reports these first).
    Invalid {
        /// What is wrong.
        message: String,
    },
    /// Two banks share an id.
    DuplicateBank {
        /// The bank id.
        id: String,
    },
}

impl fmt::Display for ConflictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConflictKind::Redefined { id, defined_by } => write!(
                f,
                "template `{id}` is already defined by bank `{defined_by}`; set `override: true` to replace it"
            ),
            ConflictKind::OverrideUnknown { id } => write!(
                f,
                "template `{id}` overrides nothing: no earlier bank defines it"
            ),
            ConflictKind::DisableUnknown { id } => {
                write!(f, "cannot disable `{id}`: no earlier bank defines it")
            }
            ConflictKind::Invalid { message } => f.write_str(message),
            ConflictKind::DuplicateBank { id } => write!(f, "bank id `{id}` is already loaded"),
        }
    }
}
