//! Question banks given from Python: paths or dicts, layered on the built-in bank, with the
//! same diagnostics (codes, pointers, lines and columns) as the command line prints.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use threat_interview::bank::{BankError, BankSet, QuestionBank};
use threat_interview::source::Limits;

use crate::convert::to_value;
use crate::errors::{bank_error, read_error};

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
    let mut labels = Vec::with_capacity(items.len());
    for item in &items {
        let (bank, label) = load_bank(py, item)?;
        loaded.push(bank);
        labels.push(label);
    }
    BankSet::with_user_banks(loaded).map_err(|errors| {
        let first = &errors[0];
        let label = labels
            .get(first.index)
            .cloned()
            .unwrap_or_else(|| first.bank.clone());
        let all: Vec<threat_interview::Diagnostic> = errors
            .iter()
            .flat_map(|e| e.report.errors.clone())
            .collect();
        bank_error(py, &label, &all)
    })
}

fn load_bank(py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<(QuestionBank, String)> {
    if let Ok(path) = item.extract::<PathBuf>() {
        let label = path.display().to_string();
        let bank = py
            .detach(|| QuestionBank::from_path_with(&path, &Limits::default()))
            .map_err(|e| match &e {
                BankError::Read(read) => read_error(py, read),
                _ => bank_error(py, &label, &e.report().errors),
            })?;
        return Ok((bank, label));
    }
    let value = to_value(item)?;
    let label = value
        .get("id")
        .and_then(|id| id.as_str())
        .unwrap_or("(dict)")
        .to_owned();
    let bank =
        QuestionBank::from_value(&value).map_err(|e| bank_error(py, &label, &e.report().errors))?;
    Ok((bank, label))
}
