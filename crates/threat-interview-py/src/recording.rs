//! What the recording methods of `Engagement` take from Python: a finding to promote a hint
//! to, a follow-up's request, a date.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use threat_interview::{ContactChannel, Finding, FollowUpRequest};

use crate::convert::{parse_name, to_value};
use crate::engagement::item_from_value;

/// A finding given as a dict; with no `attack_path`, an empty one, so that the core refuses it
/// with its own message rather than a missing field.
pub(crate) fn finding_from_dict(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    next_index: usize,
) -> PyResult<Finding> {
    let mut value = to_value(data)?;
    if let Some(object) = value.as_object_mut() {
        object
            .entry("attack_path")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    }
    item_from_value(py, &value, "findings", next_index)
}

/// A `YYYY-MM-DD` date, checked; `ValueError` naming the argument otherwise.
pub(crate) fn date(argument: &str, text: &str) -> PyResult<String> {
    text.parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|e| {
            PyValueError::new_err(format!(
                "{argument} `{text}` is not a date (YYYY-MM-DD): {e}"
            ))
        })
}

/// A follow-up request: sent today (UTC) unless `asked_on` says otherwise.
pub(crate) fn request(
    to: String,
    asked_on: Option<String>,
    due: Option<String>,
    channel: Option<&str>,
) -> PyResult<FollowUpRequest> {
    let asked_on = asked_on.unwrap_or_else(|| {
        jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date()
            .to_string()
    });
    let mut request = FollowUpRequest::new(to, asked_on);
    if let Some(due) = due {
        request = request.due(due);
    }
    if let Some(channel) = channel {
        request = request.via(parse_name::<ContactChannel>("channel", channel)?);
    }
    Ok(request)
}
