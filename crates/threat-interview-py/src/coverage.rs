//! The `Coverage` class: which STRIDE categories were asked about, for every element and flow.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use threat_interview::coverage::{Coverage, CoverageItem};

use crate::convert::{name_of, to_python};
use crate::html;

/// For every in-scope element and flow, whether each STRIDE category that applies to it has
/// been asked about, answered, or not surfaced at all. Gaps are listed, never hidden.
#[pyclass(module = "threat_interview._native", name = "Coverage", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyCoverage {
    pub(crate) inner: Coverage,
}

fn record<'py>(py: Python<'py>, item: &CoverageItem) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("subject", &item.subject)?;
    dict.set_item("name", &item.name)?;
    dict.set_item("kind", name_of(&item.kind))?;
    dict.set_item("category", item.category.as_str())?;
    dict.set_item("status", item.status.as_str())?;
    dict.set_item("questions", item.questions.join(", "))?;
    Ok(dict)
}

#[pymethods]
impl PyCoverage {
    /// Every (subject, category) pair, in interview order, as dicts with ``subject``,
    /// ``name``, ``kind``, ``category``, ``status`` (``not_surfaced``, ``skipped``, ``asked``,
    /// ``answered``) and ``questions`` (a list of ids).
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.items)
    }

    /// The pairs that are gaps (not surfaced, or only skipped), as ``items`` gives them.
    #[getter]
    fn gaps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.gaps)
    }

    /// Totals over every pair: ``pairs``, ``not_surfaced``, ``skipped``, ``asked``,
    /// ``answered``.
    #[getter]
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.totals)
    }

    /// Totals per STRIDE category, in STRIDE order.
    #[getter]
    fn by_category<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.by_category)
    }

    /// Totals of live questions per role id.
    #[getter]
    fn by_role<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.by_role)
    }

    /// Whether there is no gap.
    #[getter]
    fn complete(&self) -> bool {
        self.inner.is_complete()
    }

    /// Every pair as a flat dict ``pandas.DataFrame`` takes as it is (``questions``
    /// comma-separated).
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .inner
            .items
            .iter()
            .map(|item| record(py, item))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    fn __repr__(&self) -> String {
        let t = &self.inner.totals;
        format!(
            "<Coverage pairs={} answered={} asked={} skipped={} not_surfaced={}>",
            t.pairs, t.answered, t.asked, t.skipped, t.not_surfaced
        )
    }

    /// The gaps as an HTML table, with the totals in the caption, for notebooks.
    fn _repr_html_(&self) -> String {
        let t = &self.inner.totals;
        let caption = format!(
            "coverage: {} pairs, {} answered, {} asked, {} gaps",
            t.pairs,
            t.answered,
            t.asked,
            self.inner.gaps.len()
        );
        let rows = self.inner.gaps.iter().map(|item| {
            vec![
                item.subject.clone(),
                item.name.clone(),
                item.category.as_str().to_owned(),
                item.status.as_str().to_owned(),
            ]
        });
        html::table(
            &caption,
            &["subject", "name", "category", "status"],
            rows,
            self.inner.gaps.len(),
        )
    }
}
