//! The Python exception hierarchy and the mapping of the core's errors onto it.
//!
//! Every failure reaches Python as a class a caller can catch: a [`ValidationError`] carrying
//! the located problems as data, an `OSError` subclass carrying the path, or another
//! `ThreatInterviewError` subclass. Nothing is flattened into a bare `RuntimeError`.

use std::ffi::CString;
use std::fmt::Write as _;
use std::path::Path;

use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};
use threat_interview::io::{LoadError, SaveError};
use threat_interview::validate::{Diagnostic, Report};

/// The Python source of the exception classes.
const SOURCE: &str = include_str!("exceptions.py");

/// The names the exception module defines, in the order they are added to `_native`.
pub(crate) const EXCEPTION_NAMES: [&str; 4] = [
    "ThreatInterviewError",
    "ValidationError",
    "BankError",
    "ForeignFormatError",
];

static EXCEPTIONS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

/// The namespace holding the exception classes, created on first use.
fn namespace(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    let namespace = EXCEPTIONS.get_or_try_init(py, || -> PyResult<Py<PyDict>> {
        let globals = PyDict::new(py);
        globals.set_item("__name__", "threat_interview")?;
        globals.set_item("__builtins__", py.import("builtins")?)?;
        let code = CString::new(SOURCE).map_err(|e| PyValueError::new_err(e.to_string()))?;
        py.run(&code, Some(&globals), None)?;
        Ok(globals.unbind())
    })?;
    Ok(namespace.bind(py))
}

/// The exception class called `name` (one of [`EXCEPTION_NAMES`]).
pub(crate) fn exception_type<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    let class = namespace(py)?
        .get_item(name)?
        .ok_or_else(|| PyTypeError::new_err(format!("no exception class `{name}`")))?;
    Ok(class.cast_into::<PyType>()?)
}

/// A Python dict for one diagnostic: `code`, `pointer`, `message`, `line`, `column`, `severity`.
pub(crate) fn diagnostic_dict<'py>(
    py: Python<'py>,
    diagnostic: &Diagnostic,
) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("code", &diagnostic.code)?;
    dict.set_item("pointer", &diagnostic.pointer)?;
    dict.set_item("message", &diagnostic.message)?;
    dict.set_item("line", diagnostic.line)?;
    dict.set_item("column", diagnostic.column)?;
    dict.set_item("severity", diagnostic.severity.as_str())?;
    Ok(dict)
}

/// A Python list of diagnostic dicts.
pub(crate) fn diagnostic_list<'py>(
    py: Python<'py>,
    diagnostics: &[Diagnostic],
) -> PyResult<Bound<'py, PyList>> {
    let items = diagnostics
        .iter()
        .map(|d| diagnostic_dict(py, d))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, items)
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

/// A `ValidationError` listing these diagnostics.
pub(crate) fn validation_error(py: Python<'_>, what: &str, diagnostics: &[Diagnostic]) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = exception_type(py, "ValidationError")?;
        let errors = diagnostic_list(py, diagnostics)?;
        let instance = class.call1((summarize(what, diagnostics), errors))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}

/// A `ValidationError` for a report's errors.
pub(crate) fn invalid_report(py: Python<'_>, report: &Report) -> PyErr {
    validation_error(py, "engagement", &report.errors)
}

/// An exception of the class `name` with a message and no other data.
pub(crate) fn plain_error(py: Python<'_>, name: &str, message: String) -> PyErr {
    match exception_type(py, name).and_then(|class| class.call1((message,))) {
        Ok(instance) => PyErr::from_value(instance),
        Err(error) => error,
    }
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

/// The Python exception for a core load error.
///
/// The binding loads through the core's validation, which turns every problem but an
/// unreadable file into a located diagnostic; so a load error is an `OSError` carrying the
/// path, or a `ValidationError` for the report.
pub(crate) fn load_error(py: Python<'_>, error: &LoadError) -> PyErr {
    match error {
        LoadError::Io { path, source } => os_error(path, source),
        LoadError::Invalid { report } => invalid_report(py, report),
        other => validation_error(
            py,
            "engagement",
            &[Diagnostic::error("invalid-structure", "", chain(other))],
        ),
    }
}

/// The Python exception for a core save error.
pub(crate) fn save_error(py: Python<'_>, error: &SaveError) -> PyErr {
    match error {
        SaveError::Io { path, source } => os_error(path, source),
        other => plain_error(py, "ThreatInterviewError", chain(other)),
    }
}

/// An error's message followed by its causes, `: `-separated, as cedar's style prints them.
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
