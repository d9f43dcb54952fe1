//! Microsoft Threat Modeling Tool and Threats Manager Studio files from Python:
//! `import_tms`, `export_tms` and `export_tmq`. A file that cannot be imported raises
//! `ForeignFormatError` (with its `errors` and `format`); one that cannot be read, `OSError`.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use threat_interview::error_chain;
use threat_interview::import::tms_export::{TopicOptions, question_file, write_topics};
use threat_interview::import::{ForeignFormat, ImportError, import_path};
use threat_interview::source::{Limits, ReadError, read_file};

use crate::convert::parse_name;
use crate::dicts;
use crate::engagement::PyEngagement;
use crate::errors::{exception_type, os_error};

/// A `ForeignFormatError` for an import that failed.
fn foreign_error(py: Python<'_>, error: &ImportError) -> PyErr {
    if let ImportError::Read(ReadError::Io { path, source }) = error {
        return os_error(path, source);
    }
    let report = error.report();
    let format = match error {
        ImportError::Invalid { format, .. } => Some(format.as_str()),
        _ => None,
    };
    let build = || -> PyResult<PyErr> {
        let class = exception_type(py, "ForeignFormatError")?;
        let errors = dicts::diagnostics(py, &report.errors)?;
        Ok(PyErr::from_value(class.call1((
            error_chain(error),
            errors,
            format,
        ))?))
    };
    build().unwrap_or_else(|e| e)
}

/// Writes bytes next to the target then renames them over it.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

/// Now, in UTC, as an RFC 3339 date and time.
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// Imports a Microsoft Threat Modeling Tool ``.tm7`` or a Threats Manager Studio ``.tm`` or
/// ``.tmj`` file as an engagement: its model, a skeleton of the rest, and the topics to be
/// clarified of a ``.tm`` as questions with their answers. ``format`` (``"tm7"`` or ``"tms"``)
/// forces the format, which is otherwise detected from the content.
///
/// Returns the engagement and the warnings: what the import left out or could only guess
/// (``import-unmapped``), and what the engagement still lacks before planning. Raises
/// ``ForeignFormatError`` for a file that cannot be imported (with ``errors`` and
/// ``format``), ``OSError`` for one that cannot be read.
#[pyfunction]
#[pyo3(signature = (path, *, format = None))]
pub(crate) fn import_tms<'py>(
    py: Python<'py>,
    path: PathBuf,
    format: Option<&str>,
) -> PyResult<(PyEngagement, Bound<'py, PyList>)> {
    let format = match format {
        None => None,
        Some(name) => match parse_name::<ForeignFormat>("format", name)? {
            f @ (ForeignFormat::Tm7 | ForeignFormat::Tms) => Some(f),
            _ => {
                return Err(pyo3::exceptions::PyValueError::new_err(format!(
                    "import_tms reads `tm7` and `tms` files, not `{name}`"
                )));
            }
        },
    };
    let imported = py
        .detach(|| import_path(&path, format, &Limits::default()))
        .map_err(|e| foreign_error(py, &e))?;
    let warnings = dicts::diagnostics(py, &imported.warnings)?;
    Ok((PyEngagement::new(imported.engagement), warnings))
}

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
        .map_err(|e| foreign_error(py, &ImportError::Read(e)))?;
    let options = TopicOptions::new(asked_by, asked_on.unwrap_or_else(now));
    let written = py
        .detach(|| write_topics(&model, &inner, &options, &limits))
        .map_err(|e| foreign_error(py, &e))?;
    py.detach(|| write_atomically(&out, &written.bytes))
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
    py.detach(|| write_atomically(&path, &file.bytes))
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
