//! Validation of engagement files: structure, then meaning.
//!
//! Validation collects every problem it can find, never only the first. It runs in three
//! stages:
//!
//! 1. **Parse**: size, encoding and syntax. A problem here stops validation, since there is
//!    nothing to check after it.
//! 2. **Structure**: the parsed value is checked against the engagement JSON Schema
//!    ([`crate::schema::engagement_schema`]), so every unknown field, wrong type and missing
//!    field is reported with its JSON Pointer; then it is deserialized into an [`Engagement`].
//! 3. **Meaning**: references, cycles, duplicates, dates and the like
//!    ([`validate_engagement`]). This stage runs even when stage 2 found problems: it reads the
//!    parsed value, skipping what does not have the expected shape, so one run reports a
//!    dangling reference and a wrong type together. A problem stage 2 already reported at a
//!    pointer is not reported again by stage 3.
//!
//! Every [`Diagnostic`] has a stable `code`, a JSON Pointer to the value concerned and a
//! message. Diagnostics from JSON or YAML text also carry the line and column where that value
//! (or, for an object member, its key) is written; a pointer to something absent, such as a
//! missing field, is placed at its nearest ancestor. Diagnostics are ordered by position in the
//! file, then pointer, then code.
//!
//! # Diagnostic codes
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `io` | error | the file could not be read (reported by the command line only) |
//! | `too-large` | error | the input is larger than the size limit |
//! | `encoding` | error | the input is not UTF-8 |
//! | `syntax` | error | the input is not well-formed JSON or YAML |
//! | `too-deep` | error | the input nests deeper than 128 levels |
//! | `unknown-field` | error | a field the engagement format does not have |
//! | `wrong-type` | error | a value of the wrong JSON type |
//! | `missing-field` | error | a required field is absent |
//! | `invalid-value` | error | a value of the right type that is not allowed (unknown name, empty text, bad pattern) |
//! | `out-of-range` | error | a number outside its allowed range |
//! | `invalid-structure` | error | the value passes the schema but still cannot be read as an engagement |
//! | `unsupported-version` | error | `schema_version` is not one this library reads |
//! | `duplicate-id` | error | an id already used in its id space (elements, flows and boundaries share one; every other collection has its own) |
//! | `flow-source-missing` | error | a flow's `source` names no element |
//! | `flow-target-missing` | error | a flow's `target` names no element |
//! | `flow-self-loop` | warning | a flow goes from an element to itself |
//! | `boundary-parent-missing` | error | a boundary's `parent` names no boundary |
//! | `boundary-cycle` | error | a boundary is nested in itself, directly or not (reported once per cycle) |
//! | `element-boundary-missing` | error | an element's `boundary` names no boundary |
//! | `role-duplicate` | error | a custom role declared twice |
//! | `role-shadows-built-in` | error | a custom role with a built-in role's id |
//! | `role-undeclared` | error | a role neither built in nor declared in `custom_roles` |
//! | `participant-missing` | error | a reference to a participant that does not exist |
//! | `question-missing` | error | a reference to a question that does not exist |
//! | `hint-missing` | error | a finding grown from a hint that does not exist |
//! | `subject-missing` | error | a subject that names no element, flow or boundary |
//! | `answer-reference-missing` | error | an answer's `reference` names no interview, follow-up or document (as its `via` says) |
//! | `attack-path-empty` | error | a finding with no attack step (a hint becomes a finding only with an attack path) |
//! | `rationale-missing` | error | a confirmed or dismissed finding, or a dismissed hint, with no rationale |
//! | `invalid-date` | error | a date that is not `YYYY-MM-DD` (or, where allowed, an RFC 3339 date and time) |
//! | `priority-out-of-range` | error | a question priority outside 1 to 5 |
//! | `weight-out-of-range` | error | a calibration weight outside 1 to 5 |
//! | `interactor-without-flow` | warning | an in-scope external interactor that no flow touches |
//! | `element-without-flow` | warning | an in-scope process or data store that no flow touches |
//! | `out-of-scope-empty` | warning | the scope says nothing about what is out of scope |
//! | `required-role-unfilled` | warning | no participant holds a built-in role the assurance level interviews |
//!
//! Nothing depends on the current date: an open follow-up past its due date is not a
//! warning, so the same file always gives the same report.
//!
//! ```
//! use threat_interview::io::Format;
//! use threat_interview::validate::validate_str;
//!
//! let text = r#"{"schema_version": 1, "id": "e1", "name": "Shop", "assurance_level": "fast",
//!   "model": {"flows": [{"id": "f1", "name": "order", "source": "a", "target": "b"}]}}"#;
//! let validation = validate_str(text, Format::Json);
//! let codes: Vec<_> = validation.report.errors.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["flow-source-missing", "flow-target-missing"]);
//! assert_eq!(validation.report.errors[1].pointer, "/model/flows/0/target");
//! assert_eq!(validation.report.errors[1].line, Some(2));
//! ```

mod dates;
mod semantic;
mod structure;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Engagement;
use crate::io::{self, Format, LoadError, LoadOptions};
use crate::location::{Position, locate_pointers, locate_yaml_pointers};

pub use dates::{is_date, is_date_time};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticLevel {
    /// The engagement is invalid.
    Error,
    /// The engagement is valid but probably not what was meant.
    Warning,
}

impl DiagnosticLevel {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticLevel::Error => "error",
            DiagnosticLevel::Warning => "warning",
        }
    }
}

/// One problem found in an engagement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// A stable identifier of the kind of problem, such as `flow-target-missing`.
    pub code: String,
    /// The JSON Pointer of the value concerned, such as `/model/flows/3/target`; empty for the
    /// whole document.
    pub pointer: String,
    /// What is wrong, in lowercase, with user input in backticks.
    pub message: String,
    /// The line where the value is written, from 1, when known.
    pub line: Option<u32>,
    /// The column where the value is written, from 1, when known.
    pub column: Option<u32>,
    /// Error or warning.
    pub severity: DiagnosticLevel,
}

impl Diagnostic {
    /// An error, with no position yet.
    pub fn error(
        code: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(DiagnosticLevel::Error, code, pointer, message)
    }

    /// A warning, with no position yet.
    pub fn warning(
        code: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(DiagnosticLevel::Warning, code, pointer, message)
    }

    fn new(
        severity: DiagnosticLevel,
        code: impl Into<String>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.into(),
            pointer: pointer.into(),
            message: message.into(),
            line: None,
            column: None,
            severity,
        }
    }

    /// This diagnostic placed at a position.
    #[must_use]
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.line = position.map(|p| p.line);
        self.column = position.map(|p| p.column);
        self
    }

    fn sort_key(&self) -> (u32, u32, &str, &str, &str) {
        (
            self.line.unwrap_or(u32::MAX),
            self.column.unwrap_or(u32::MAX),
            &self.pointer,
            &self.code,
            &self.message,
        )
    }
}

/// Every problem found in an engagement, errors and warnings apart, in a stable order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// Problems that make the engagement invalid.
    pub errors: Vec<Diagnostic>,
    /// Problems that leave it valid.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// A report of these diagnostics: duplicates removed, sorted, split by level.
    pub fn from_diagnostics(diagnostics: impl IntoIterator<Item = Diagnostic>) -> Self {
        let mut all: Vec<Diagnostic> = diagnostics.into_iter().collect();
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        all.dedup();
        let (errors, warnings) = all
            .into_iter()
            .partition(|d| d.severity == DiagnosticLevel::Error);
        Report { errors, warnings }
    }

    /// Whether there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Errors then warnings.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors.iter().chain(&self.warnings)
    }

    /// The number of errors and warnings.
    pub fn len(&self) -> usize {
        self.errors.len() + self.warnings.len()
    }

    /// Whether there is no error and no warning.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The outcome of validating a file or text: the report, and the engagement when it could be
/// read (it may still have errors of meaning).
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// Every problem found.
    pub report: Report,
    /// The engagement, when its structure is valid.
    pub engagement: Option<Engagement>,
}

/// Validates the engagement file at `path`, JSON or YAML by extension.
///
/// Only a file that cannot be read is an `Err` ([`LoadError::Io`]); every other problem,
/// including a file too large, is a diagnostic in the report.
pub fn validate_path(
    path: impl AsRef<Path>,
    options: LoadOptions,
) -> Result<Validation, LoadError> {
    let path = path.as_ref();
    match io::read_file(path, options) {
        Ok(bytes) => Ok(validate_slice(&bytes, Format::from_path(path), options)),
        Err(error @ LoadError::Io { .. }) => Err(error),
        Err(error) => Ok(parse_failure(&error)),
    }
}

/// Validates engagement text.
pub fn validate_str(text: &str, format: Format) -> Validation {
    validate_slice(text.as_bytes(), format, LoadOptions::default())
}

/// Validates engagement bytes, which must be UTF-8.
pub fn validate_slice(bytes: &[u8], format: Format, options: LoadOptions) -> Validation {
    match io::parse(bytes, format, options) {
        Ok((value, text)) => validate_parsed(&value, Some((text, format))),
        Err(error) => parse_failure(&error),
    }
}

/// Validates an already parsed JSON value (no line or column in the diagnostics).
pub fn validate_value(value: &Value) -> Validation {
    validate_parsed(value, None)
}

/// Checks the meaning of an in-memory engagement: references, cycles, duplicates, dates,
/// ranges. See the module documentation for the codes. Diagnostics carry pointers but no
/// positions.
pub fn validate_engagement(engagement: &Engagement) -> Report {
    match serde_json::to_value(engagement) {
        Ok(value) => Report::from_diagnostics(semantic::check(&value)),
        // Serializing an engagement cannot fail: its maps all have string keys.
        Err(error) => Report::from_diagnostics([Diagnostic::error(
            "invalid-structure",
            "",
            error.to_string(),
        )]),
    }
}

/// Stage 1 failures as a report.
fn parse_failure(error: &LoadError) -> Validation {
    let diagnostic = match error {
        LoadError::TooLarge { .. } => Diagnostic::error("too-large", "", error.to_string()),
        LoadError::Encoding { position } => {
            Diagnostic::error("encoding", "", "invalid UTF-8").at(Some(*position))
        }
        LoadError::Syntax {
            position, message, ..
        } => Diagnostic::error("syntax", "", message.clone()).at(*position),
        LoadError::TooDeep { position } => {
            Diagnostic::error("too-deep", "", "input nests deeper than 128 levels").at(*position)
        }
        LoadError::Invalid { report } => {
            return Validation {
                report: (**report).clone(),
                engagement: None,
            };
        }
        LoadError::Io { .. } => Diagnostic::error("io", "", error.to_string()),
    };
    Validation {
        report: Report::from_diagnostics([diagnostic]),
        engagement: None,
    }
}

/// Stages 2 and 3 on a parsed value; `source` is the text it came from, for positions.
fn validate_parsed(value: &Value, source: Option<(&str, Format)>) -> Validation {
    let (engagement, structure) = structure::check(value);
    let reported: HashSet<&str> = structure.iter().map(|d| d.pointer.as_str()).collect();
    let meaning: Vec<Diagnostic> = semantic::check(value)
        .into_iter()
        .filter(|d| !reported.contains(d.pointer.as_str()))
        .collect();
    let mut all = structure;
    all.extend(meaning);
    Validation {
        report: Report::from_diagnostics(place(all, source)),
        engagement,
    }
}

/// Stage 2 only, for [`io::load_slice_with`]: the engagement, or every structural problem.
pub(crate) fn check_structure(
    value: &Value,
    source: Option<(&str, Format)>,
) -> (Option<Engagement>, Report) {
    let (engagement, diagnostics) = structure::check(value);
    (
        engagement,
        Report::from_diagnostics(place(diagnostics, source)),
    )
}

/// Gives each diagnostic without a position the position of its pointer in `source`.
fn place(mut diagnostics: Vec<Diagnostic>, source: Option<(&str, Format)>) -> Vec<Diagnostic> {
    let Some((text, format)) = source else {
        return diagnostics;
    };
    let unplaced = diagnostics
        .iter()
        .filter(|d| d.line.is_none())
        .map(|d| d.pointer.as_str());
    let positions = match format {
        Format::Json => locate_pointers(text, unplaced),
        Format::Yaml => locate_yaml_pointers(text, unplaced),
    };
    for diagnostic in &mut diagnostics {
        if diagnostic.line.is_none()
            && let Some(position) = positions.get(&diagnostic.pointer)
        {
            diagnostic.line = Some(position.line);
            diagnostic.column = Some(position.column);
        }
    }
    diagnostics
}
