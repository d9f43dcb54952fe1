//! The dicts the library returns most, built directly with interned keys, every key present
//! (`threat_interview.types` declares them): a question, an answer, a diagnostic, a coverage
//! item. The same shape everywhere; lists stay lists.

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use threat_interview::coverage::CoverageItem;
use threat_interview::{Answer, Diagnostic, Question};

use crate::convert::value_to_py;

/// Runs `build` with Python's cyclic garbage collector paused (when it was on), then puts it
/// back as it was. Building many dicts and lists sets off a collection every few hundred of
/// them, each walking the objects still young, and now and then every object: with tens of
/// thousands of questions that took most of `to_list`'s time, and more per question the more
/// there were. What is built here holds no cycle, so nothing is left for the collector.
pub(crate) fn without_gc<T>(py: Python<'_>, make: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let gc = py.import(intern!(py, "gc"))?;
    let enabled = gc.call_method0(intern!(py, "isenabled"))?.is_truthy()?;
    if enabled {
        gc.call_method0(intern!(py, "disable"))?;
    }
    let result = make();
    if enabled {
        gc.call_method0(intern!(py, "enable"))?;
    }
    result
}

fn extensions<'py>(
    py: Python<'py>,
    extensions: Option<&threat_interview::model::Extensions>,
) -> PyResult<Bound<'py, PyAny>> {
    match extensions {
        None => Ok(py.None().into_bound(py)),
        Some(map) => value_to_py(py, &serde_json::Value::Object(map.clone())),
    }
}

fn strings<'py>(py: Python<'py>, items: &[String]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, items)
}

/// An answer as a `threat_interview.types.Answer`.
pub(crate) fn answer<'py>(py: Python<'py>, a: &Answer) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "text"), &a.text)?;
    d.set_item(intern!(py, "by"), a.by.as_deref())?;
    d.set_item(intern!(py, "at"), a.at.as_deref())?;
    d.set_item(intern!(py, "via"), a.via.as_str())?;
    d.set_item(intern!(py, "reference"), a.reference.as_deref())?;
    let exceptions = a
        .exceptions
        .iter()
        .map(|x| {
            let e = PyDict::new(py);
            e.set_item(intern!(py, "subject"), &x.subject)?;
            e.set_item(intern!(py, "text"), &x.text)?;
            Ok(e)
        })
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item(intern!(py, "exceptions"), PyList::new(py, exceptions)?)?;
    d.set_item(intern!(py, "weakness"), a.weakness)?;
    d.set_item(
        intern!(py, "extensions"),
        extensions(py, a.extensions.as_ref())?,
    )?;
    Ok(d)
}

/// Python strings for the values that repeat from one question to the next (template ids,
/// banks, roles, categories, statuses, subject ids, prompts, references, matched pointers),
/// each made once per call and shared: a lookup costs less than making and later freeing a
/// new string, and the list holds one copy of each.
pub(crate) struct Strings<'py> {
    py: Python<'py>,
    made: foldhash::HashMap<Box<str>, Bound<'py, PyString>>,
}

impl<'py> Strings<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Strings {
            py,
            made: foldhash::HashMap::default(),
        }
    }

    fn get(&mut self, text: &str) -> Bound<'py, PyString> {
        if let Some(made) = self.made.get(text) {
            return made.clone();
        }
        let made = PyString::new(self.py, text);
        self.made.insert(text.into(), made.clone());
        made
    }

    fn list(&mut self, items: &[String]) -> PyResult<Bound<'py, PyList>> {
        let items: Vec<_> = items.iter().map(|item| self.get(item)).collect();
        PyList::new(self.py, items)
    }
}

/// A question as a `threat_interview.types.Question`.
pub(crate) fn question<'py>(py: Python<'py>, q: &Question) -> PyResult<Bound<'py, PyDict>> {
    question_with(q, &mut Strings::new(py))
}

/// A question as a `threat_interview.types.Question`, its repeated strings shared through
/// `strings`.
pub(crate) fn question_with<'py>(
    q: &Question,
    strings: &mut Strings<'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = strings.py;
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), &q.id)?;
    d.set_item(intern!(py, "text"), &q.text)?;
    d.set_item(
        intern!(py, "category"),
        q.category.map(|c| strings.get(c.as_str())),
    )?;
    d.set_item(intern!(py, "subjects"), strings.list(&q.subjects)?)?;
    let covers = q
        .also_covers
        .iter()
        .map(|c| {
            let pair = PyDict::new(py);
            pair.set_item(intern!(py, "subject"), strings.get(&c.subject))?;
            pair.set_item(intern!(py, "category"), strings.get(c.category.as_str()))?;
            Ok(pair)
        })
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item(intern!(py, "also_covers"), PyList::new(py, covers)?)?;
    d.set_item(intern!(py, "role"), strings.get(q.role.as_str()))?;
    d.set_item(intern!(py, "priority"), q.priority)?;
    d.set_item(intern!(py, "minutes"), q.minutes)?;
    d.set_item(
        intern!(py, "rationale"),
        q.rationale.as_deref().map(|r| strings.get(r)),
    )?;
    d.set_item(
        intern!(py, "follow_up_prompts"),
        strings.list(&q.follow_up_prompts)?,
    )?;
    d.set_item(intern!(py, "references"), strings.list(&q.references)?)?;
    d.set_item(intern!(py, "status"), strings.get(q.status.as_str()))?;
    d.set_item(intern!(py, "skip_reason"), q.skip_reason.as_deref())?;
    d.set_item(intern!(py, "obsolete"), q.obsolete)?;
    let answers = q
        .answers
        .iter()
        .map(|a| answer(py, a))
        .collect::<PyResult<Vec<_>>>()?;
    d.set_item(intern!(py, "answers"), PyList::new(py, answers)?)?;
    match &q.provenance {
        None => d.set_item(intern!(py, "provenance"), py.None())?,
        Some(p) => {
            let provenance = PyDict::new(py);
            provenance.set_item(intern!(py, "template"), strings.get(&p.template))?;
            provenance.set_item(intern!(py, "bank"), strings.get(&p.bank))?;
            provenance.set_item(intern!(py, "matched"), strings.list(&p.matched)?)?;
            d.set_item(intern!(py, "provenance"), provenance)?;
        }
    }
    d.set_item(
        intern!(py, "extensions"),
        extensions(py, q.extensions.as_ref())?,
    )?;
    Ok(d)
}

/// A diagnostic as a `threat_interview.types.Diagnostic`.
pub(crate) fn diagnostic<'py>(py: Python<'py>, d: &Diagnostic) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item(intern!(py, "code"), d.code.as_str())?;
    dict.set_item(intern!(py, "pointer"), &d.pointer)?;
    dict.set_item(intern!(py, "message"), &d.message)?;
    dict.set_item(intern!(py, "line"), d.line)?;
    dict.set_item(intern!(py, "column"), d.column)?;
    dict.set_item(intern!(py, "severity"), d.severity.as_str())?;
    Ok(dict)
}

/// Diagnostics as a list of dicts.
pub(crate) fn diagnostics<'py>(
    py: Python<'py>,
    items: &[Diagnostic],
) -> PyResult<Bound<'py, PyList>> {
    let dicts = items
        .iter()
        .map(|d| diagnostic(py, d))
        .collect::<PyResult<Vec<_>>>()?;
    PyList::new(py, dicts)
}

/// A coverage item as a `threat_interview.types.CoverageItem`.
pub(crate) fn coverage_item<'py>(
    py: Python<'py>,
    item: &CoverageItem,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "subject"), &item.subject)?;
    d.set_item(intern!(py, "name"), &item.name)?;
    d.set_item(intern!(py, "kind"), item.kind.as_str())?;
    d.set_item(intern!(py, "category"), item.category.as_str())?;
    d.set_item(intern!(py, "status"), item.status.as_str())?;
    d.set_item(intern!(py, "questions"), strings(py, &item.questions)?)?;
    Ok(d)
}

/// An interview of a calendar as a `threat_interview.types.CalendarInterview` (no agenda:
/// `agenda` and `plan` give those).
pub(crate) fn calendar_interview<'py>(
    py: Python<'py>,
    i: &threat_interview::Interview,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item(intern!(py, "id"), &i.id)?;
    d.set_item(intern!(py, "title"), &i.title)?;
    d.set_item(intern!(py, "day"), i.day)?;
    d.set_item(intern!(py, "date"), i.date.as_deref())?;
    d.set_item(intern!(py, "slot"), i.slot.as_str())?;
    d.set_item(intern!(py, "start"), i.start.as_deref())?;
    d.set_item(intern!(py, "minutes"), i.minutes)?;
    let roles: Vec<&str> = i.roles.iter().map(threat_interview::Role::as_str).collect();
    d.set_item(intern!(py, "roles"), PyList::new(py, roles)?)?;
    d.set_item(intern!(py, "participants"), strings(py, &i.participants)?)?;
    d.set_item(intern!(py, "goals"), strings(py, &i.goals)?)?;
    Ok(d)
}
