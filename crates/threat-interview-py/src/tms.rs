//! Threats Manager Studio files from Python: `export_tms` (questions and answers into a copy
//! of a `.tm` as topics) and `export_tmq` (the bank as a question file). Importing a `.tm7`,
//! `.tm` or `.tmj` is `import_file`. A model that cannot be read raises `ForeignFormatError`
//! (with its `errors` and `format`); a file that cannot be read or written, `OSError`.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use threat_interview::import::ImportError;
use threat_interview::import::tms_export::{TopicOptions, question_file, write_topics};
use threat_interview::source::{Limits, read_file};

use crate::dicts;
use crate::engagement::PyEngagement;
use crate::errors::{import_error, os_error};

/// Writes ``engagement``'s questions and answers into a copy of the Threats Manager Studio
/// model ``into`` (``.tm`` or ``.tmj``) as topics to be clarified, saved at ``out``: each on
/// the entities, flows and trust boundaries it is about (the model for questions about none),
/// with who asked (``asked_by``), when (the first answer's date, else ``asked_on``, else now)
/// and how, and the answers with who, when and how. Everything else of the model is kept as it
/// was; the result is read back and checked before it is written.
///
/// Returns a dict: ``topics`` and ``answers`` written, and ``warnings`` for questions about
/// something the model does not hold. Raises ``ForeignFormatError`` for a model that cannot be
/// read as one, ``OSError`` for a file that cannot be read or written.
#[pyfunction]
#[pyo3(signature = (engagement, into, out, *, asked_by = "threat-interview", asked_on = None))]
pub(crate) fn export_tms<'py>(
    py: Python<'py>,
    engagement: PyRef<'_, PyEngagement>,
    into: PathBuf,
    out: PathBuf,
    asked_by: &str,
    asked_on: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let inner = std::sync::Arc::clone(&engagement.inner);
    let limits = Limits::default();
    let model = py
        .detach(|| read_file(&into, &limits))
        .map_err(|e| import_error(py, &ImportError::Read(e), Some("tms")))?;
    let options = TopicOptions::new(
        asked_by,
        asked_on.unwrap_or_else(|| jiff::Timestamp::now().to_string()),
    );
    let written = py
        .detach(|| write_topics(&model, &inner, &options, &limits))
        .map_err(|e| import_error(py, &e, Some("tms")))?;
    py.detach(|| threat_interview::io::write_bytes(&out, &written.bytes))
        .map_err(|e| os_error(&out, &e))?;
    let result = PyDict::new(py);
    result.set_item("topics", written.topics)?;
    result.set_item("answers", written.answers)?;
    result.set_item("warnings", dicts::diagnostics(py, &written.warnings)?)?;
    Ok(result)
}

/// Writes the question bank (the built-in one and its packs, with ``banks`` on top, as
/// ``generate_questions`` takes them) as a Threats Manager Studio ``.tmq`` question file at
/// ``path``: each template whose condition has a rule there.
///
/// Returns a dict: ``written``, the ids of the templates written, and ``without_rule``, a list
/// of ``{"template", "reason"}`` for the others (the operator that has no rule). Raises
/// ``BankError`` for banks that cannot be read, ``OSError`` for a file that cannot be written.
#[pyfunction]
#[pyo3(signature = (path, banks = None))]
pub(crate) fn export_tmq<'py>(
    py: Python<'py>,
    path: PathBuf,
    banks: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let set = crate::banks::bank_set(py, banks)?;
    let file = py.detach(|| question_file(&set));
    py.detach(|| threat_interview::io::write_bytes(&path, &file.bytes))
        .map_err(|e| os_error(&path, &e))?;
    let result = PyDict::new(py);
    result.set_item("written", &file.written)?;
    let without = PyList::empty(py);
    for (template, reason) in &file.without_rule {
        let item = PyDict::new(py);
        item.set_item("template", template)?;
        item.set_item("reason", reason)?;
        without.append(item)?;
    }
    result.set_item("without_rule", without)?;
    Ok(result)
}
