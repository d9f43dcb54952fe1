//! The `ValidationReport` class: every problem a validation found.

use pyo3::prelude::*;
use pyo3::types::PyList;
use threat_interview::{Diagnostic, Report};

use crate::dicts;
use crate::errors::invalid_report;
use crate::html;

/// Every problem found in an engagement, errors and warnings apart, in a stable order (by
/// position in the file, then pointer, then code).
///
/// Each problem is a ``threat_interview.types.Diagnostic``: ``code``, ``pointer`` (a JSON
/// Pointer), ``message``, ``line`` and ``column`` (``None`` when unknown) and ``severity``.
#[pyclass(module = "threat_interview._native", name = "ValidationReport", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyValidationReport {
    pub(crate) inner: Report,
}

#[pymethods]
impl PyValidationReport {
    /// Whether there is no error (warnings allowed).
    #[getter]
    fn valid(&self) -> bool {
        self.inner.is_valid()
    }

    /// The problems that make the engagement invalid.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        dicts::diagnostics(py, &self.inner.errors)
    }

    /// The problems that leave it valid.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        dicts::diagnostics(py, &self.inner.warnings)
    }

    /// Errors then warnings, as dicts ``pandas.DataFrame`` takes as they are.
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let all: Vec<Diagnostic> = self.inner.iter().cloned().collect();
        dicts::diagnostics(py, &all)
    }

    /// Raises ``ValidationError`` with the errors, if there are any.
    fn raise_for_errors(&self, py: Python<'_>) -> PyResult<()> {
        if self.inner.is_valid() {
            Ok(())
        } else {
            Err(invalid_report(py, "engagement", &self.inner))
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "<ValidationReport valid={} errors={} warnings={}>",
            if self.inner.is_valid() {
                "True"
            } else {
                "False"
            },
            self.inner.errors.len(),
            self.inner.warnings.len()
        )
    }

    /// The problems as an HTML table, for notebooks.
    fn _repr_html_(&self) -> String {
        let caption = format!(
            "{}: {} errors, {} warnings",
            if self.inner.is_valid() {
                "valid"
            } else {
                "invalid"
            },
            self.inner.errors.len(),
            self.inner.warnings.len()
        );
        let rows = self.inner.iter().map(|d| {
            vec![
                d.severity.as_str().to_owned(),
                d.code.as_str().to_owned(),
                d.pointer.clone(),
                d.message.clone(),
                match (d.line, d.column) {
                    (Some(line), Some(column)) => format!("{line}:{column}"),
                    _ => String::new(),
                },
            ]
        });
        html::table(
            &caption,
            &["severity", "code", "pointer", "message", "at"],
            rows,
            self.inner.len(),
        )
    }
}
