//! Validation of engagements: one meaning of valid, for files and for engagements in memory.
//!
//! Validation collects every problem it can find, never only the first, in three stages:
//!
//! 1. **Parse** ([`crate::source`]): size, encoding, the limits, duplicate keys and syntax. A
//!    problem here stops validation, since there is nothing to check after it.
//! 2. **Structure**: the version is checked (a newer one is refused, naming both versions; an
//!    older one is migrated, see [`migrate`]); then the value is checked against the engagement
//!    JSON Schema ([`crate::schema::engagement_schema`], formats included), so every unknown
//!    field, wrong type, missing field and malformed date is reported with its pointer. A JSON
//!    text that conforms is not turned into a JSON value: it is read straight into the Rust
//!    types, and what the schema says beyond them is checked on the types and on the text's
//!    objects and arrays (`conform`, `shape`); only a text that does not conform goes through
//!    the value and the schema check, for its diagnostics. Both paths give the same report.
//! 3. **Meaning**: references, cycles, duplicate ids and the like, checked on the typed
//!    engagement. It runs even when stage 2 found problems, on what could be read: every item
//!    that has the expected shape is checked, so one run reports a dangling reference and a
//!    wrong type together. A problem stage 2 already reported at a pointer is not reported
//!    again.
//!
//! [`Engagement::validate`] runs stages 2 and 3 on an engagement in memory (every edit the
//! library makes is checked by it, and a save refuses what it rejects); [`validate_path`],
//! [`validate_str`] and [`validate_value`] run the whole pipeline and place every diagnostic at
//! its line and column. The codes are tabled in [`crate::diagnostic`]. Nothing depends on the
//! current date: the same file always gives the same report.
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

mod conform;
pub mod migrate;
mod salvage;
mod schedule;
mod semantic;
mod shape;

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{Engagement, SCHEMA_VERSION};
use crate::schema::{ENGAGEMENT_VALIDATOR, check};
use crate::source::{self, Format, Limits, ReadError};

/// How to load or validate a file: the limits the input is read within.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadOptions {
    /// The limits on size, depth, strings and values.
    pub limits: Limits,
    /// Leave warnings without a line and column when the file has no error: for a caller that
    /// does not show warnings, which saves a pass over the text to find where each one is
    /// (errors are always placed). Off by default.
    pub unplaced_warnings: bool,
}

impl LoadOptions {
    /// These options with other limits.
    #[must_use]
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// These options, leaving warnings unplaced when the file has no error
    /// ([`LoadOptions::unplaced_warnings`]).
    #[must_use]
    pub fn with_unplaced_warnings(mut self) -> Self {
        self.unplaced_warnings = true;
        self
    }
}

/// The outcome of validating a file, a text or a value: the report, and the engagement when its
/// structure could be read (it may still have errors of meaning).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Validation {
    /// Every problem found.
    pub report: Report,
    /// The engagement, when its structure is valid.
    pub engagement: Option<Engagement>,
}

/// Validates the engagement file at `path`, JSON or YAML by extension.
///
/// Only a file that cannot be read at all is an `Err`; every other problem, a file too large
/// included, is a diagnostic in the report.
pub fn validate_path(
    path: impl AsRef<Path>,
    options: &LoadOptions,
) -> Result<Validation, ReadError> {
    let path = path.as_ref();
    match source::read_file(path, &options.limits) {
        Ok(bytes) => Ok(validate_bytes(&bytes, Format::from_path(path), options)),
        Err(error @ ReadError::TooLarge { .. }) => Ok(Validation {
            report: Report::one(error.to_diagnostic()),
            engagement: None,
        }),
        Err(error) => Err(error),
    }
}

/// Validates engagement text.
pub fn validate_str(text: &str, format: Format) -> Validation {
    validate_bytes(text.as_bytes(), format, &LoadOptions::default())
}

/// Validates engagement bytes, which must be UTF-8.
pub fn validate_slice(bytes: &[u8], format: Format, options: &LoadOptions) -> Validation {
    validate_bytes(bytes, format, options)
}

/// Validates an already parsed JSON value (no line or column in the diagnostics).
pub fn validate_value(value: &Value) -> Validation {
    validate_parsed(value.clone(), None, true)
}

impl Engagement {
    /// Every problem with this engagement, as a file of it would be reported (without
    /// positions): its structure against the schema, then its meaning.
    pub fn validate(&self) -> Report {
        if conform::conforms(self) {
            // The schema check would find nothing: no JSON value of the whole engagement.
            return Report::from_diagnostics(semantic::check(self, &salvage::Origins::default()));
        }
        let value = serde_json::to_value(self).unwrap_or(Value::Null);
        let mut diagnostics = check::diagnostics(&ENGAGEMENT_VALIDATOR, &value);
        if let Err(version) = migrate::check_version(&value) {
            diagnostics.retain(|d| d.pointer != version.pointer);
            diagnostics.push(version);
        }
        let reported: HashSet<String> = diagnostics.iter().map(|d| d.pointer.clone()).collect();
        diagnostics.extend(
            semantic::check(self, &salvage::Origins::default())
                .into_iter()
                .filter(|d| !reported.contains(&d.pointer)),
        );
        Report::from_diagnostics(diagnostics)
    }

    /// Whether this engagement validates without an error.
    pub fn is_valid(&self) -> bool {
        self.validate().is_valid()
    }

    /// This engagement as known to be valid, or the report of why it is not: what generation
    /// and planning take, so that they are never handed an engagement that could mislead them.
    pub fn check(&self) -> Result<Checked<'_>, Report> {
        let report = self.validate();
        if report.is_valid() {
            Ok(Checked { engagement: self })
        } else {
            Err(report)
        }
    }
}

/// An engagement that validated without an error. Only [`Engagement::check`] and
/// [`crate::io::Loaded::checked`] make one; it derefs to the engagement.
#[derive(Debug, Clone, Copy)]
pub struct Checked<'a> {
    engagement: &'a Engagement,
}

impl<'a> Checked<'a> {
    /// The engagement.
    pub fn engagement(self) -> &'a Engagement {
        self.engagement
    }

    /// An engagement validated by the loading pipeline.
    pub(crate) fn trusted(engagement: &'a Engagement) -> Self {
        Checked { engagement }
    }

    /// An engagement the caller vouches for: one that validated without an error (loaded
    /// with [`crate::io::load_with`]) and has not changed since. For a binding that keeps an
    /// engagement between calls and knows it was not edited (the Python `load`), so that each
    /// generation does not validate it again; anything else calls [`Engagement::check`].
    #[doc(hidden)]
    pub fn vouched_for(engagement: &'a Engagement) -> Self {
        Checked { engagement }
    }
}

impl std::ops::Deref for Checked<'_> {
    type Target = Engagement;

    fn deref(&self) -> &Engagement {
        self.engagement
    }
}

/// The whole pipeline on bytes: parse with positions, then structure and meaning.
pub(crate) fn validate_bytes(bytes: &[u8], format: Format, options: &LoadOptions) -> Validation {
    let limits = &options.limits;
    if format == Format::Json {
        return validate_json(bytes, options);
    }
    let text = match source::checked_text(bytes, format, limits) {
        Ok(text) => text,
        Err(failure) => return failed(failure),
    };
    match source::parse_checked(text, format, limits) {
        Ok(value) => validate_parsed(value, Some((text, format)), !options.unplaced_warnings),
        Err(failure) => failed(failure),
    }
}

fn failed(failure: source::ParseFailure) -> Validation {
    Validation {
        report: Report::from_diagnostics(failure.diagnostics),
        engagement: None,
    }
}

/// From this size on, a JSON text is scanned (the pre-scan, then the objects and arrays
/// against the schema) on one thread while it is read into the Rust types on another.
const PARALLEL_FROM: usize = 1 << 20;

/// The pipeline on JSON. The usual case builds no JSON value: the text is read straight into
/// the Rust types, their structure checked on the types ([`conform`]) and on the text's
/// objects and arrays ([`shape`]), and their meaning checked. When the text does not read into
/// the types or does not conform, the JSON value and the schema check say what is wrong and
/// where. Either way the result is the one the value path gives (a property test checks it on
/// mutated engagements).
fn validate_json(bytes: &[u8], options: &LoadOptions) -> Validation {
    let limits = &options.limits;
    let text = match source::decoded_text(bytes, limits) {
        Ok(text) => text,
        Err(failure) => return failed(failure),
    };
    let scan = || source::prescan_json(text, limits).map(|()| shape::fits(text));
    let (scan, typed) = if text.len() >= PARALLEL_FROM {
        std::thread::scope(|scope| {
            let scanning = scope.spawn(scan);
            let typed = read_typed(text);
            let scan = scanning
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (scan, typed)
        })
    } else {
        let scan = scan();
        let typed = if matches!(scan, Ok(true)) {
            read_typed(text)
        } else {
            None
        };
        (scan, typed)
    };
    match (scan, typed) {
        (Err(failure), _) => failed(failure),
        (Ok(true), Some((engagement, meaning))) => placed(
            meaning,
            Some(engagement),
            Some((text, Format::Json)),
            !options.unplaced_warnings,
        ),
        (Ok(_), _) => match source::parse_checked(text, Format::Json, limits) {
            Ok(value) => validate_parsed(
                value,
                Some((text, Format::Json)),
                !options.unplaced_warnings,
            ),
            Err(failure) => failed(failure),
        },
    }
}

/// The text read into the Rust types and its meaning checked, when it reads and conforms.
fn read_typed(text: &str) -> Option<(Engagement, Vec<Diagnostic>)> {
    let engagement = serde_json::from_str::<Engagement>(text).ok()?;
    if !conform::conforms(&engagement) {
        return None;
    }
    let meaning = semantic::check(&engagement, &salvage::Origins::default());
    Some((engagement, meaning))
}

/// The typed path on a text that passed the pre-scan, for the tests: `None` when it declines.
#[cfg(test)]
fn validate_json_typed(text: &str) -> Option<Validation> {
    if !shape::fits(text) {
        return None;
    }
    let (engagement, meaning) = read_typed(text)?;
    Some(placed(
        meaning,
        Some(engagement),
        Some((text, Format::Json)),
        true,
    ))
}

/// Stages 2 and 3 on a parsed value; `source` is the text it came from, for positions, and
/// `place_warnings` whether warnings are placed when there is no error (see [`placed`]).
pub(crate) fn validate_parsed(
    value: Value,
    source: Option<(&str, Format)>,
    place_warnings: bool,
) -> Validation {
    let value = match migrate::check_version(&value) {
        Ok(None) => value,
        Ok(Some(upgraded)) => upgraded,
        Err(diagnostic) => return placed(vec![diagnostic], None, source, place_warnings),
    };
    let mut diagnostics = check::diagnostics(&ENGAGEMENT_VALIDATOR, &value);
    if diagnostics.is_empty() {
        // The usual case: read the value by moving it, without copying a string.
        return match check::deserialize_owned::<Engagement>(value, "an engagement") {
            Ok(engagement) => {
                let meaning = semantic::check(&engagement, &salvage::Origins::default());
                placed(meaning, Some(engagement), source, place_warnings)
            }
            Err(d) => placed(vec![d], None, source, place_warnings),
        };
    }
    let engagement = check::deserialize::<Engagement>(&value, false, "an engagement")
        .ok()
        .flatten();
    let reported: HashSet<String> = diagnostics.iter().map(|d| d.pointer.clone()).collect();
    let meaning = if let Some(engagement) = &engagement {
        semantic::check(engagement, &salvage::Origins::default())
    } else {
        let broken: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        let (salvaged, origins) = salvage::salvage(&value, &broken);
        semantic::check(&salvaged, &origins)
    };
    diagnostics.extend(
        meaning
            .into_iter()
            .filter(|d| !reported.contains(&d.pointer)),
    );
    placed(diagnostics, engagement, source, place_warnings)
}

/// The report, every diagnostic placed in `source` when there is one; with `place_warnings`
/// off and no error, warnings are left without a line and column
/// ([`LoadOptions::unplaced_warnings`]).
fn placed(
    mut diagnostics: Vec<Diagnostic>,
    engagement: Option<Engagement>,
    source: Option<(&str, Format)>,
    place_warnings: bool,
) -> Validation {
    if let Some((text, format)) = source
        && (place_warnings || diagnostics.iter().any(Diagnostic::is_error))
    {
        source::place(text, format, &mut diagnostics);
    }
    Validation {
        report: Report::from_diagnostics(diagnostics),
        engagement,
    }
}

/// The version gate as a diagnostic, for callers outside this module.
pub(crate) fn unsupported_version(found: u64) -> Diagnostic {
    Diagnostic::error(
        DiagnosticCode::UnsupportedVersion,
        "/schema_version",
        if found > u64::from(SCHEMA_VERSION) {
            format!(
                "this file is schema version {found}, written by a newer threat-interview; this library reads versions up to {SCHEMA_VERSION}"
            )
        } else {
            format!(
                "schema version {found} does not exist; this library reads versions 1 to {SCHEMA_VERSION}"
            )
        },
    )
}
