//! Data crossing the boundary: Python objects to and from the core's serde types.
//!
//! pythonize converts directly between Python objects and serde, without a JSON text in
//! between: a dict becomes a `serde_json::Value` the core validates with pointers, and a core
//! type becomes plain dicts, lists, strings and numbers.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use serde::Serialize;
use serde_json::Value;

/// A Python object (dicts, lists, strings, numbers, booleans, `None`) as a JSON value.
pub(crate) fn to_value(data: &Bound<'_, PyAny>) -> PyResult<Value> {
    pythonize::depythonize::<Value>(data).map_err(|error| {
        PyTypeError::new_err(format!(
            "cannot read a `{}` as JSON data: {error}",
            type_name(data)
        ))
    })
}

/// A serde value as plain Python objects.
pub(crate) fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value).map_err(|error| PyTypeError::new_err(error.to_string()))
}

/// The name of an object's type, for messages.
pub(crate) fn type_name(data: &Bound<'_, PyAny>) -> String {
    data.get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |name| name.to_string())
}

/// A unit enum from its name in files (such as `information_disclosure`), through the core's
/// own serde names; `what` and `expected` make the error readable.
pub(crate) fn parse_name<T: serde::de::DeserializeOwned>(
    what: &str,
    name: &str,
    expected: &str,
) -> PyResult<T> {
    serde_json::from_value(Value::String(name.to_owned())).map_err(|_| {
        pyo3::exceptions::PyValueError::new_err(format!(
            "unknown {what} `{name}`: expected {expected}"
        ))
    })
}

/// The name a unit enum has in files, such as `answered`.
pub(crate) fn name_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}
