//! Data crossing the boundary, both ways, without recursion.
//!
//! Python objects become a `serde_json::Value` with an explicit stack, within the same
//! [`Limits`] as a file (depth, string length, number of values): a dict nested 100,000 deep is
//! a `ValidationError` (`too-deep`), not a crashed interpreter. Integers of any size keep their
//! digits. Values become Python objects the same way; the dicts the library returns most (a
//! question, a diagnostic) are built directly with interned keys.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::Serialize;
use serde_json::{Map, Number, Value};
use threat_interview::source::{Limits, escape_pointer_token};
use threat_interview::{Diagnostic, DiagnosticCode};

use crate::errors::validation_error;

/// One open container while reading Python objects.
enum Reading<'py> {
    List {
        items: Vec<Bound<'py, PyAny>>,
        next: usize,
        out: Vec<Value>,
    },
    Dict {
        items: Vec<(String, Bound<'py, PyAny>)>,
        next: usize,
        out: Map<String, Value>,
    },
}

impl Reading<'_> {
    fn token(&self) -> String {
        match self {
            Reading::List { next, .. } => next.saturating_sub(1).to_string(),
            Reading::Dict { items, next, .. } => items
                .get(next.saturating_sub(1))
                .map_or_else(String::new, |(k, _)| escape_pointer_token(k)),
        }
    }
}

fn pointer(stack: &[Reading<'_>]) -> String {
    let mut pointer = String::new();
    for r in stack {
        pointer.push('/');
        pointer.push_str(&r.token());
    }
    pointer
}

/// A Python object (dicts with string keys, lists, tuples, strings, numbers, booleans, `None`)
/// as a JSON value, within the default limits.
pub(crate) fn to_value(data: &Bound<'_, PyAny>) -> PyResult<Value> {
    to_value_within(data, &Limits::default())
}

/// [`to_value`] within limits.
pub(crate) fn to_value_within(data: &Bound<'_, PyAny>, limits: &Limits) -> PyResult<Value> {
    let py = data.py();
    let mut stack: Vec<Reading<'_>> = Vec::new();
    let mut values = 0usize;
    let fail = |code: DiagnosticCode, pointer: String, message: String| {
        validation_error(py, "the data", &[Diagnostic::error(code, pointer, message)])
    };
    // The value just completed, waiting to be put in its parent.
    let mut done: Option<Value> = None;
    let mut next = Some(data.clone());
    loop {
        if let Some(object) = next.take() {
            values += 1;
            if values > limits.max_values {
                return Err(fail(
                    DiagnosticCode::TooMany,
                    pointer(&stack),
                    format!("the data holds more than {} values", limits.max_values),
                ));
            }
            match scalar(&object, limits) {
                Ok(Some(value)) => done = Some(value),
                Ok(None) => {
                    if stack.len() >= limits.max_depth {
                        return Err(fail(
                            DiagnosticCode::TooDeep,
                            pointer(&stack),
                            format!("the data nests deeper than {} levels", limits.max_depth),
                        ));
                    }
                    stack.push(open(&object)?);
                }
                Err(Problem::TooLong(n)) => {
                    return Err(fail(
                        DiagnosticCode::TooLong,
                        pointer(&stack),
                        format!(
                            "a string of {n} bytes is longer than the limit of {} bytes",
                            limits.max_string_bytes
                        ),
                    ));
                }
                Err(Problem::NotJson(what)) => {
                    let at = pointer(&stack);
                    let place = if at.is_empty() {
                        String::new()
                    } else {
                        format!(" (at {at})")
                    };
                    return Err(PyTypeError::new_err(format!("{what}{place}")));
                }
                Err(Problem::Python(error)) => return Err(error),
            }
        }
        if let Some(value) = done.take() {
            match stack.last_mut() {
                None => return Ok(value),
                Some(Reading::List { out, .. }) => out.push(value),
                Some(Reading::Dict { items, next, out }) => {
                    if let Some((key, _)) = items.get(*next - 1) {
                        out.insert(key.clone(), value);
                    }
                }
            }
        }
        // The next child of the innermost container, or close it.
        match stack.last_mut() {
            None => return Ok(Value::Null),
            Some(Reading::List {
                items, next: at, ..
            }) if *at < items.len() => {
                next = Some(items[*at].clone());
                *at += 1;
            }
            Some(Reading::Dict {
                items, next: at, ..
            }) if *at < items.len() => {
                next = Some(items[*at].1.clone());
                *at += 1;
            }
            Some(_) => {
                done = match stack.pop() {
                    Some(Reading::List { out, .. }) => Some(Value::Array(out)),
                    Some(Reading::Dict { out, .. }) => Some(Value::Object(out)),
                    None => None,
                };
            }
        }
    }
}

enum Problem {
    TooLong(usize),
    NotJson(String),
    Python(PyErr),
}

/// A scalar as a value; `None` for a container.
fn scalar(object: &Bound<'_, PyAny>, limits: &Limits) -> Result<Option<Value>, Problem> {
    if object.is_none() {
        return Ok(Some(Value::Null));
    }
    if let Ok(b) = object.cast::<PyBool>() {
        return Ok(Some(Value::Bool(b.is_true())));
    }
    if let Ok(s) = object.cast::<PyString>() {
        let text = s.to_cow().map_err(Problem::Python)?;
        if text.len() > limits.max_string_bytes {
            return Err(Problem::TooLong(text.len()));
        }
        return Ok(Some(Value::String(text.into_owned())));
    }
    if object.cast::<PyInt>().is_ok() {
        if let Ok(n) = object.extract::<i64>() {
            return Ok(Some(Value::from(n)));
        }
        if let Ok(n) = object.extract::<u64>() {
            return Ok(Some(Value::from(n)));
        }
        // Past 64 bits: the digits, exactly.
        let digits = object.str().map_err(Problem::Python)?.to_string();
        return digits
            .parse::<Number>()
            .map(|n| Some(Value::Number(n)))
            .map_err(|_| Problem::NotJson(format!("cannot read the integer `{digits}`")));
    }
    if let Ok(f) = object.cast::<PyFloat>() {
        let value = f.value();
        return Number::from_f64(value)
            .map(|n| Some(Value::Number(n)))
            .ok_or_else(|| Problem::NotJson(format!("`{value}` has no JSON form")));
    }
    if object.cast::<PyDict>().is_ok()
        || object.cast::<PyList>().is_ok()
        || object.cast::<PyTuple>().is_ok()
    {
        return Ok(None);
    }
    Err(Problem::NotJson(format!(
        "expected JSON data (a dict, a list, a string, a number, a boolean or None), found a `{}`",
        type_name(object)
    )))
}

fn open<'py>(object: &Bound<'py, PyAny>) -> PyResult<Reading<'py>> {
    if let Ok(dict) = object.cast::<PyDict>() {
        let mut items = Vec::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let Ok(key) = key.cast::<PyString>() else {
                return Err(PyTypeError::new_err(format!(
                    "dict keys must be strings, found a `{}`",
                    type_name(&key)
                )));
            };
            items.push((key.to_cow()?.into_owned(), value));
        }
        return Ok(Reading::Dict {
            out: Map::with_capacity(items.len()),
            items,
            next: 0,
        });
    }
    let items: Vec<Bound<'py, PyAny>> = object.try_iter()?.collect::<PyResult<_>>()?;
    Ok(Reading::List {
        out: Vec::with_capacity(items.len()),
        items,
        next: 0,
    })
}

/// One open container while building Python objects.
enum Writing<'v, 'py> {
    List(std::slice::Iter<'v, Value>, Bound<'py, PyList>),
    Dict(
        serde_json::map::Iter<'v>,
        Bound<'py, PyDict>,
        Option<&'v str>,
    ),
}

/// A JSON value as plain Python objects, without recursion.
pub(crate) fn value_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    let mut stack: Vec<Writing<'_, 'py>> = Vec::new();
    let mut current = Some(value);
    loop {
        let mut made: Option<Bound<'py, PyAny>> = None;
        if let Some(value) = current.take() {
            match value {
                Value::Array(items) => {
                    stack.push(Writing::List(items.iter(), PyList::empty(py)));
                }
                Value::Object(members) => {
                    stack.push(Writing::Dict(members.iter(), PyDict::new(py), None));
                }
                scalar => made = Some(scalar_to_py(py, scalar)?),
            }
        }
        if let Some(object) = made {
            match stack.last_mut() {
                None => return Ok(object),
                Some(Writing::List(_, list)) => list.append(object)?,
                Some(Writing::Dict(_, dict, key)) => {
                    if let Some(key) = key.take() {
                        dict.set_item(key, object)?;
                    }
                }
            }
        }
        match stack.last_mut() {
            None => return Ok(py.None().into_bound(py)),
            Some(Writing::List(items, _)) => {
                if let Some(item) = items.next() {
                    current = Some(item);
                    continue;
                }
            }
            Some(Writing::Dict(members, _, key)) => {
                if let Some((k, v)) = members.next() {
                    *key = Some(k);
                    current = Some(v);
                    continue;
                }
            }
        }
        // The innermost container is complete: it is the value made for its parent.
        let finished = match stack.pop() {
            Some(Writing::List(_, list)) => list.into_any(),
            Some(Writing::Dict(_, dict, _)) => dict.into_any(),
            None => return Ok(py.None().into_bound(py)),
        };
        match stack.last_mut() {
            None => return Ok(finished),
            Some(Writing::List(_, list)) => list.append(finished)?,
            Some(Writing::Dict(_, dict, key)) => {
                if let Some(key) = key.take() {
                    dict.set_item(key, finished)?;
                }
            }
        }
    }
}

fn scalar_to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => number_to_py(py, n)?,
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(_) | Value::Object(_) => PyList::empty(py).into_any(),
    })
}

/// A number as a Python `int` (of any size) or `float`.
fn number_to_py<'py>(py: Python<'py>, n: &Number) -> PyResult<Bound<'py, PyAny>> {
    if let Some(i) = n.as_i64() {
        return Ok(i.into_pyobject(py)?.into_any());
    }
    if let Some(u) = n.as_u64() {
        return Ok(u.into_pyobject(py)?.into_any());
    }
    let text = n.to_string();
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        // An integer past 64 bits: Python's `int` keeps every digit.
        return py.get_type::<PyInt>().call1((text,));
    }
    Ok(n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any())
}

/// A serde value as plain Python objects (through a JSON value).
pub(crate) fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(value).map_err(|e| PyTypeError::new_err(e.to_string()))?;
    value_to_py(py, &value)
}

/// The name of an object's type, for messages.
pub(crate) fn type_name(data: &Bound<'_, PyAny>) -> String {
    data.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |name| name.to_string())
}

/// A name from a closed set (a category, a status...), or a `ValueError` naming the allowed
/// ones and the closest.
pub(crate) fn parse_name<T>(what: &str, name: &str) -> PyResult<T>
where
    T: std::str::FromStr + strum::IntoEnumIterator + Into<&'static str>,
{
    name.parse::<T>().map_err(|_| {
        let allowed: Vec<&'static str> = T::iter().map(Into::into).collect();
        let hint = threat_interview::suggest(name, allowed.iter().copied()).map_or_else(
            || {
                format!(
                    "expected one of {}",
                    allowed
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
            |s| format!("did you mean `{s}`?"),
        );
        pyo3::exceptions::PyValueError::new_err(format!("unknown {what} `{name}`; {hint}"))
    })
}

/// A file format from its name: `json` or `yaml`.
pub(crate) fn parse_format(name: &str) -> PyResult<threat_interview::source::Format> {
    name.parse()
        .map_err(pyo3::exceptions::PyValueError::new_err)
}
