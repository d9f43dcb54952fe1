//! The `Coverage` class: which STRIDE categories were asked about, for every element and flow.

use pyo3::prelude::*;
use pyo3::types::PyList;
use threat_interview::coverage::{Coverage, CoverageItem};

use crate::convert::to_python;
use crate::{dicts, html};

/// For every in-scope element and flow, whether each STRIDE category that applies to it has
/// been asked about, answered, or not surfaced at all. Gaps are listed, never hidden.
#[pyclass(module = "threat_interview._native", name = "Coverage", frozen)]
#[derive(Debug, Clone)]
pub(crate) struct PyCoverage {
    pub(crate) inner: Coverage,
}

fn items<'py>(py: Python<'py>, items: &[CoverageItem]) -> PyResult<Bound<'py, PyList>> {
    let dicts = items
        .iter()
        .map(|item| dicts::coverage_item(py, item))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, dicts)
}

#[pymethods]
impl PyCoverage {
    /// Every (subject, category) pair, in interview order, as dicts with ``subject``,
    /// ``name``, ``kind``, ``category``, ``status`` (``not_surfaced``, ``skipped``,
    /// ``generated``, ``planned``, ``asked``, ``answered``) and ``questions`` (a list of ids).
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        items(py, &self.inner.items)
    }

    /// The pairs that are gaps (not surfaced, or only skipped), as ``items`` gives them.
    #[getter]
    fn gaps<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        items(py, &self.inner.gaps)
    }

    /// The pairs whose questions are on no agenda and not asked yet (``generated``): the gaps
    /// of the plan.
    #[getter]
    fn unplanned<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        items(py, &self.inner.unplanned)
    }

    /// Totals over every pair: ``pairs``, ``not_surfaced``, ``skipped``, ``generated``,
    /// ``planned``, ``asked``, ``answered``.
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

    /// Every pair, as ``items`` gives them: dicts ``pandas.DataFrame`` takes as they are.
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        items(py, &self.inner.items)
    }

    fn __repr__(&self) -> String {
        let t = &self.inner.totals;
        format!(
            "<Coverage pairs={} answered={} asked={} planned={} generated={} skipped={} not_surfaced={}>",
            t.pairs, t.answered, t.asked, t.planned, t.generated, t.skipped, t.not_surfaced
        )
    }

    /// The gaps as an HTML table, with the totals in the caption, for notebooks.
    fn _repr_html_(&self) -> String {
        let t = &self.inner.totals;
        let caption = format!(
            "coverage: {} pairs, {} answered, {} asked, {} planned, {} on no agenda, {} gaps",
            t.pairs,
            t.answered,
            t.asked,
            t.planned,
            t.generated,
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
