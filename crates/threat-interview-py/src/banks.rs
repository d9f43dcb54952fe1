//! Question banks given from Python: paths or dicts, layered on the built-in bank.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use threat_interview::bank::{BankError, BankSet, LayerError, QuestionBank};
use threat_interview::validate::Diagnostic;

use crate::convert::to_value;
use crate::errors::{chain, diagnostic_list, exception_type, os_error, summarize};

/// The bank set for `banks`: the built-in bank alone for `None`; otherwise the built-in bank
/// with the given banks on top, in order. A bank is a path to a JSON or YAML file, or a dict
/// shaped like a bank file; `banks` is one bank or a list of them.
pub(crate) fn bank_set(py: Python<'_>, banks: Option<&Bound<'_, PyAny>>) -> PyResult<BankSet> {
    let Some(banks) = banks else {
        return Ok(BankSet::builtin());
    };
    let items: Vec<Bound<'_, PyAny>> =
        if banks.is_instance_of::<PyList>() || banks.is_instance_of::<PyTuple>() {
            banks.try_iter()?.collect::<PyResult<_>>()?
        } else {
            vec![banks.clone()]
        };
    let mut loaded = Vec::with_capacity(items.len());
    for item in &items {
        loaded.push(load_bank(py, item)?);
    }
    BankSet::with_user_banks(loaded).map_err(|e| layer_error(py, &e))
}

fn load_bank(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<QuestionBank> {
    if let Ok(path) = item.extract::<PathBuf>() {
        let label = path.display().to_string();
        return QuestionBank::from_path(&path).map_err(|e| bank_error(py, &e, &label));
    }
    let value = to_value(item)?;
    let label = value
        .get("id")
        .and_then(|id| id.as_str())
        .unwrap_or("(dict)")
        .to_owned();
    QuestionBank::from_value(value).map_err(|e| bank_error(py, &e, &label))
}

/// The Python exception for a bank that cannot be loaded: an `OSError` for a file that cannot
/// be read, otherwise a `BankError` whose `errors` locate each problem.
fn bank_error(py: Python<'_>, error: &BankError, bank: &str) -> PyErr {
    if let BankError::Io { path, source } = error {
        return os_error(path, source);
    }
    let diagnostics: Vec<Diagnostic> = match error {
        BankError::Syntax { message, .. } => vec![Diagnostic::error("syntax", "", message.clone())],
        _ if !error.problems().is_empty() => error
            .problems()
            .iter()
            .map(|p| Diagnostic::error("bank-invalid", p.pointer.clone(), p.kind.to_string()))
            .collect(),
        _ => vec![Diagnostic::error("bank-invalid", "", chain(error))],
    };
    raise_bank_error(py, &format!("question bank `{bank}`"), &diagnostics, bank)
}

/// The Python exception for banks that conflict with one another.
fn layer_error(py: Python<'_>, error: &LayerError) -> PyErr {
    let diagnostics: Vec<Diagnostic> = error
        .conflicts
        .iter()
        .map(|c| {
            Diagnostic::error(
                "bank-conflict",
                c.pointer.clone(),
                format!("bank `{}`: {}", c.bank, c.kind),
            )
        })
        .collect();
    let bank = error.conflicts.first().map_or("", |c| c.bank.as_str());
    raise_bank_error(py, "question banks", &diagnostics, bank)
}

fn raise_bank_error(py: Python<'_>, what: &str, diagnostics: &[Diagnostic], bank: &str) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let class = exception_type(py, "BankError")?;
        let errors = diagnostic_list(py, diagnostics)?;
        let instance = class.call1((summarize(what, diagnostics), errors, bank))?;
        Ok(PyErr::from_value(instance))
    };
    build().unwrap_or_else(|e| e)
}
