//! The mapping of the core's errors onto the Python exception hierarchy.
//!
//! The classes are written in Python, in `threat_interview/_errors.py` (`ValidationError`
//! derives from both `ThreatInterviewError` and `ValueError`, which a Rust-defined exception
//! cannot); this module imports them on first use. Every failure reaches Python as a class a
//! caller can catch: a `ValidationError` or `BankError` carrying the located problems as data,
//! an `OSError` subclass carrying the path, a `ConflictError` for a lost save race. Nothing is
//! flattened into a bare `RuntimeError`.

use std::fmt::Write as _;
use std::path::Path;

use pyo3::exceptions::PyOSError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use threat_interview::import::ImportError;
use threat_interview::io::{LoadError, SaveError};
use threat_interview::source::ReadError;
use threat_interview::{Diagnostic, Report, error_chain};

use crate::dicts;

static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The exception class called `name` in `threat_interview._errors`.
pub(crate) fn exception_type<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let module = MODULE.get_or_try_init(py, || {
        py.import("threat_interview._errors").map(Bound::unbind)
    })?;
    Ok(module.bind(py).getattr(name)?.cast_into::<PyType>()?)
}

/// The most problems listed in an exception's message; `.errors` always has all of them.
const LISTED: usize = 10;

/// A readable summary of diagnostics, one per line, as pydantic prints its errors.
pub(crate) fn summarize(what: &str, diagnostics: &[Diagnostic]) -> String {
    let count = diagnostics.len();
    let mut text = format!(
        "{count} error{} in {what}",
        if count == 1 { "" } else { "s" }
    );
    for d in diagnostics.iter().take(LISTED) {
        let pointer = if d.pointer.is_empty() {
            "(document)"
        } else {
            &d.pointer
        };
        let _ = write!(text, "\n  {pointer}: {} [{}]", d.message, d.code);
        if let (Some(line), Some(column)) = (d.line, d.column) {
            let _ = write!(text, " at line {line}, column {column}");
        }
    }
    if count > LISTED {
        let _ = write!(text, "\n  ... and {} more", count - LISTED);
    }
    text
}

fn instance<'py, A>(py: Python<'py>, class: &str, args: A) -> PyErr
where
    A: pyo3::call::PyCallArgs<'py>,
{
    let build = || -> PyResult<PyErr> {
        let class = exception_type(py, class)?;
        Ok(PyErr::from_value(class.call1(args)?))
    };
    build().unwrap_or_else(|e| e)
}

/// A `ValidationError` listing these diagnostics.
pub(crate) fn validation_error(py: Python<'_>, what: &str, diagnostics: &[Diagnostic]) -> PyErr {
    match dicts::diagnostics(py, diagnostics) {
        Ok(errors) => instance(
            py,
            "ValidationError",
            (summarize(what, diagnostics), errors),
        ),
        Err(error) => error,
    }
}

/// A `ValidationError` for a report's errors.
pub(crate) fn invalid_report(py: Python<'_>, what: &str, report: &Report) -> PyErr {
    validation_error(py, what, &report.errors)
}

/// A `BankError` listing these diagnostics, about a bank (its path or id).
pub(crate) fn bank_error(py: Python<'_>, bank: &str, diagnostics: &[Diagnostic]) -> PyErr {
    match dicts::diagnostics(py, diagnostics) {
        Ok(errors) => instance(
            py,
            "BankError",
            (
                summarize(&format!("question bank `{bank}`"), diagnostics),
                errors,
                bank,
            ),
        ),
        Err(error) => error,
    }
}

/// An exception of the class `name` with a message and no other data.
pub(crate) fn plain_error(py: Python<'_>, name: &str, message: String) -> PyErr {
    instance(py, name, (message,))
}

/// An `OSError` for a failed file operation: Python picks the subclass from the errno
/// (`FileNotFoundError`, `PermissionError`...), and `filename` is the path.
pub(crate) fn os_error(path: &Path, error: &std::io::Error) -> PyErr {
    let filename = path.to_string_lossy().into_owned();
    match error.raw_os_error() {
        Some(errno) => {
            let reason = std::io::Error::from_raw_os_error(errno).to_string();
            // `std` appends ` (os error N)`; Python shows the errno on its own.
            let reason = reason
                .rsplit_once(" (os error")
                .map_or(reason.as_str(), |(text, _)| text)
                .to_owned();
            PyOSError::new_err((errno, reason, filename))
        }
        None => PyOSError::new_err((0, error.to_string(), filename)),
    }
}

/// The Python exception for a file that cannot be read at all: an `OSError` for the system's
/// refusals, a `ValidationError` (`io`, `too-large`) for what the library refuses.
pub(crate) fn read_error(py: Python<'_>, error: &ReadError) -> PyErr {
    match error {
        ReadError::Io { path, source } => os_error(path, source),
        other => validation_error(py, "the file", &[other.to_diagnostic()]),
    }
}

/// The Python exception for a core load error.
pub(crate) fn load_error(py: Python<'_>, error: &LoadError) -> PyErr {
    match error {
        LoadError::Read(read) => read_error(py, read),
        LoadError::Invalid { report } => invalid_report(py, "engagement", report),
        other => plain_error(py, "ThreatInterviewError", error_chain(other)),
    }
}

/// The Python exception for a core save error.
pub(crate) fn save_error(py: Python<'_>, error: &SaveError) -> PyErr {
    match error {
        SaveError::Io { path, source } => os_error(path, source),
        SaveError::Invalid { report } => invalid_report(py, "the engagement to save", report),
        SaveError::Conflict { path, .. } => instance(
            py,
            "ConflictError",
            (error_chain(error), path.to_string_lossy().into_owned()),
        ),
        other => plain_error(py, "ThreatInterviewError", error_chain(other)),
    }
}

/// The Python exception for a failed import: an `OSError` for the system's refusals, else a
/// `ForeignFormatError` with every problem, each with its JSON Pointer into the foreign file,
/// and the format it was read as (when known).
pub(crate) fn import_error(py: Python<'_>, error: &ImportError, forced: Option<&str>) -> PyErr {
    if let ImportError::Read(ReadError::Io { path, source }) = error {
        return os_error(path, source);
    }
    let format = match error {
        ImportError::Invalid { format, .. } => Some(format.as_str()),
        _ => forced,
    };
    let report = error.report();
    match dicts::diagnostics(py, &report.errors) {
        Ok(errors) => instance(
            py,
            "ForeignFormatError",
            (error_chain(error), errors, format),
        ),
        Err(e) => e,
    }
}
