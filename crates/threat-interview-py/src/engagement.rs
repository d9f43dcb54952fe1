//! The `Engagement` class: a handle on a core engagement.

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use serde_json::Value;
use threat_interview::validate::{Validation, validate_value};
use threat_interview::{AssuranceLevel, Engagement, io};

use crate::convert::{to_python, to_value};
use crate::errors::{invalid_report, save_error};
use crate::html;

/// One threat-modeling exercise: its scope, people, calendar, component model, questions and
/// answers, hints, findings and follow-ups.
///
/// Build one with ``load``, ``loads``, ``Engagement.from_dict`` or
/// ``Engagement(id, name, assurance_level)``. Two engagements are equal when their data is.
#[pyclass(module = "threat_interview._native", name = "Engagement", eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyEngagement {
    pub(crate) inner: Engagement,
}

impl PyEngagement {
    pub(crate) fn new(inner: Engagement) -> Self {
        PyEngagement { inner }
    }

    fn count_pairs(&self) -> [(&'static str, usize); 10] {
        let e = &self.inner;
        let answered = e.questions.iter().filter(|q| !q.answers.is_empty()).count();
        [
            ("elements", e.model.elements.len()),
            ("flows", e.model.flows.len()),
            ("boundaries", e.model.boundaries.len()),
            ("participants", e.participants.len()),
            ("interviews", e.interviews.len()),
            ("questions", e.questions.len()),
            ("answered", answered),
            ("hints", e.hints.len()),
            ("findings", e.findings.len()),
            ("follow_ups", e.follow_ups.len()),
        ]
    }
}

/// The engagement a validation produced, or the `ValidationError` that stops it.
///
/// `strict` refuses any error; otherwise an engagement whose structure could be read is
/// accepted even with errors of meaning (dangling references and the like), so that a file
/// being written can still be loaded and fixed.
pub(crate) fn accept(py: Python<'_>, validation: Validation, strict: bool) -> PyResult<Engagement> {
    match validation.engagement {
        Some(engagement) if !strict || validation.report.is_valid() => Ok(engagement),
        _ => Err(invalid_report(py, &validation.report)),
    }
}

/// An assurance level from its name in files: `fast`, `standard` or `high`.
fn assurance_level(name: &str) -> PyResult<AssuranceLevel> {
    serde_json::from_value(Value::String(name.to_owned())).map_err(|_| {
        PyValueError::new_err(format!(
            "unknown assurance level `{name}`: expected `fast`, `standard` or `high`"
        ))
    })
}

#[pymethods]
impl PyEngagement {
    /// A new, empty engagement.
    #[new]
    #[pyo3(signature = (id, name, assurance_level = "standard"))]
    fn py_new(id: String, name: String, assurance_level: &str) -> PyResult<Self> {
        Ok(PyEngagement::new(Engagement::new(
            id,
            name,
            self::assurance_level(assurance_level)?,
        )))
    }

    /// An engagement from a dict shaped like an engagement file, validated.
    ///
    /// Raises ``ValidationError`` listing every problem, each with its JSON Pointer. With
    /// ``strict=False`` only problems of structure are refused: errors of meaning (such as a
    /// flow whose target names no element) are let through; ``validate`` reports them.
    #[classmethod]
    #[pyo3(signature = (data, *, strict = true))]
    fn from_dict(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        strict: bool,
    ) -> PyResult<Self> {
        let value = to_value(data)?;
        let validation = py.detach(|| validate_value(&value));
        accept(py, validation, strict).map(PyEngagement::new)
    }

    /// The engagement as a dict shaped like an engagement file (plain dicts, lists, strings,
    /// numbers and booleans).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner)
    }

    /// The engagement as canonical JSON text: two-space indent, trailing newline, the same
    /// text for the same engagement.
    fn to_json(&self) -> String {
        io::to_json_string(&self.inner)
    }

    /// The engagement as YAML text.
    fn to_yaml(&self, py: Python<'_>) -> PyResult<String> {
        io::to_yaml_string(&self.inner).map_err(|e| save_error(py, &e))
    }

    /// Saves the engagement atomically, as JSON or YAML by the path's extension (``.yaml``,
    /// ``.yml``): a failed save leaves the old file as it was. Raises ``OSError`` when the
    /// file cannot be written.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| io::save(&self.inner, &path))
            .map_err(|e| save_error(py, &e))
    }

    /// An independent copy.
    fn copy(&self) -> Self {
        self.clone()
    }

    fn __copy__(&self) -> Self {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.clone()
    }

    /// Pickles as its dict, rebuilt through ``Engagement.from_dict`` without the meaning
    /// checks (the engagement may be a work in progress).
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let from_dict = slf.get_type().getattr("_from_dict_lenient")?;
        let data = slf.borrow().to_dict(py)?;
        Ok((from_dict, PyTuple::new(py, [data])?))
    }

    /// ``Engagement.from_dict(data, strict=False)``, for unpickling.
    #[staticmethod]
    fn _from_dict_lenient(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let value = to_value(data)?;
        let validation = py.detach(|| validate_value(&value));
        accept(py, validation, false).map(PyEngagement::new)
    }

    /// The engagement's stable identifier.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The engagement's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// What the engagement is about, if said.
    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }

    /// How deep the exercise goes: ``fast``, ``standard`` or ``high``.
    #[getter]
    fn assurance_level(&self) -> &'static str {
        self.inner.assurance_level.as_str()
    }

    /// The version of the engagement file format.
    #[getter]
    fn schema_version(&self) -> u32 {
        self.inner.schema_version
    }

    /// How many of each thing the engagement holds: ``elements``, ``flows``, ``boundaries``,
    /// ``participants``, ``interviews``, ``questions``, ``answered``, ``hints``, ``findings``
    /// and ``follow_ups``.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (what, n) in self.count_pairs() {
            dict.set_item(what, n)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        let e = &self.inner;
        format!(
            "<Engagement id={:?} name={:?} assurance_level={} elements={} flows={} questions={}>",
            e.id,
            e.name,
            e.assurance_level.as_str(),
            e.model.elements.len(),
            e.model.flows.len(),
            e.questions.len()
        )
    }

    /// A compact HTML summary, for notebooks.
    fn _repr_html_(&self) -> String {
        let e = &self.inner;
        let mut rows = vec![
            vec!["id".to_owned(), e.id.clone()],
            vec![
                "assurance level".to_owned(),
                e.assurance_level.as_str().to_owned(),
            ],
        ];
        rows.extend(
            self.count_pairs()
                .into_iter()
                .map(|(what, n)| vec![what.replace('_', "-"), n.to_string()]),
        );
        html::table(&e.name, &["", ""], rows)
    }
}
