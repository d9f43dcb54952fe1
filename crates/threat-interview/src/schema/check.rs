//! Checking a value against a generated schema: every schema error becomes a [`Diagnostic`]
//! with the pointer of the value concerned and a message that names what was expected. Shared
//! by engagements and question banks.

use std::fmt::Write as _;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::source::escape_pointer_token;

/// Compiles a generated schema, formats checked (`date`, `date-time`).
pub(crate) fn compile(schema: &Value) -> Validator {
    // The generated schemas compile: a test compiles each of them.
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|error| panic!("a generated schema does not compile: {error}"))
}

/// Every error of `value` against a compiled schema, as diagnostics.
pub(crate) fn diagnostics(validator: &Validator, value: &Value) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for error in validator.iter_errors(value) {
        convert(&error, &mut diagnostics);
    }
    diagnostics
}

/// Deserializes a checked value. When the schema accepted it (`schema_ok`) but serde refuses it
/// (a case the schema cannot express), the path serde took says where; when the schema did not,
/// its errors already say what is wrong.
pub(crate) fn deserialize<T: serde::de::DeserializeOwned>(
    value: &Value,
    schema_ok: bool,
    what: &str,
) -> Result<Option<T>, Diagnostic> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(item) => Ok(Some(item)),
        Err(_) if !schema_ok => Ok(None),
        Err(error) => Err(Diagnostic::error(
            DiagnosticCode::InvalidStructure,
            pointer_of(error.path()),
            format!("not {what}: {}", error.inner()),
        )),
    }
}

/// A serde path as a JSON Pointer.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => {
                let _ = write!(pointer, "/{index}");
            }
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// Deserializes a checked value by moving it (no string is copied); when serde refuses what
/// the schema accepted, the path serde took says where.
pub(crate) fn deserialize_owned<T: serde::de::DeserializeOwned>(
    value: Value,
    what: &str,
) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|error| {
        Diagnostic::error(
            DiagnosticCode::InvalidStructure,
            pointer_of(error.path()),
            format!("not {what}: {}", error.inner()),
        )
    })
}

/// Turns one schema error into our diagnostics.
pub(crate) fn convert(error: &ValidationError<'_>, out: &mut Vec<Diagnostic>) {
    let pointer = error.instance_path().as_str().to_owned();
    let instance: &Value = error.instance();
    let shown = show(instance);
    let (code, message) = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            for field in unexpected {
                out.push(Diagnostic::error(
                    DiagnosticCode::UnknownField,
                    format!("{pointer}/{}", escape_pointer_token(field)),
                    format!("unknown field `{field}`"),
                ));
            }
            return;
        }
        ValidationErrorKind::Required { property } => {
            let field = property.as_str().unwrap_or_default();
            out.push(Diagnostic::error(
                DiagnosticCode::MissingField,
                format!("{pointer}/{}", escape_pointer_token(field)),
                format!("missing field `{field}`"),
            ));
            return;
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            convert_alternatives(error, context, out);
            return;
        }
        ValidationErrorKind::Type { kind } => (
            DiagnosticCode::WrongType,
            format!(
                "expected {}, found {}",
                expected_types(kind),
                type_of(instance)
            ),
        ),
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(|o| format!("`{}`", show(o))).collect())
                .unwrap_or_default();
            (
                DiagnosticCode::InvalidValue,
                format!("`{shown}` is not one of {}", allowed.join(", ")),
            )
        }
        ValidationErrorKind::Constant { expected_value } => (
            DiagnosticCode::InvalidValue,
            format!("expected `{}`, found `{shown}`", show(expected_value)),
        ),
        ValidationErrorKind::Minimum { limit } => (
            DiagnosticCode::OutOfRange,
            format!("`{shown}` is less than the minimum of {limit}"),
        ),
        ValidationErrorKind::Maximum { limit } => (
            DiagnosticCode::OutOfRange,
            format!("`{shown}` is greater than the maximum of {limit}"),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => (
            DiagnosticCode::OutOfRange,
            format!("`{shown}` must be greater than {limit}"),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => (
            DiagnosticCode::OutOfRange,
            format!("`{shown}` must be less than {limit}"),
        ),
        ValidationErrorKind::MinLength { limit: 1 } => {
            (DiagnosticCode::InvalidValue, "must not be empty".to_owned())
        }
        ValidationErrorKind::MinLength { limit } => (
            DiagnosticCode::InvalidValue,
            format!("`{shown}` is shorter than {limit} characters"),
        ),
        ValidationErrorKind::MaxLength { limit } => (
            DiagnosticCode::InvalidValue,
            format!("text is longer than {limit} characters"),
        ),
        ValidationErrorKind::MinItems { limit } => (
            DiagnosticCode::InvalidValue,
            format!("needs at least {limit} items"),
        ),
        ValidationErrorKind::MaxItems { limit } => (
            DiagnosticCode::InvalidValue,
            format!("has more than {limit} items"),
        ),
        ValidationErrorKind::Pattern { pattern } => (
            DiagnosticCode::InvalidValue,
            format!("`{shown}` does not match the pattern `{pattern}`"),
        ),
        ValidationErrorKind::Format { format } => match format.as_str() {
            "date" => (
                DiagnosticCode::InvalidDate,
                format!("`{shown}` is not a date (`YYYY-MM-DD`)"),
            ),
            "date-time" => (
                DiagnosticCode::InvalidDate,
                format!("`{shown}` is not an RFC 3339 date and time"),
            ),
            _ => (
                DiagnosticCode::InvalidValue,
                format!("`{shown}` is not a valid {format}"),
            ),
        },
        ValidationErrorKind::FalseSchema => (
            DiagnosticCode::UnknownField,
            "no value is allowed here".to_owned(),
        ),
        _ => (
            DiagnosticCode::InvalidValue,
            lowercase_first(&error.to_string()),
        ),
    };
    out.push(Diagnostic::error(code, pointer, message));
}

/// An `anyOf` or `oneOf` failure. Optional fields (`anyOf: [T, null]`) and untagged values
/// fail this way; report the errors of the one alternative the value was meant for when there
/// is one, so a mistake deep inside an optional object is still reported where it is.
fn convert_alternatives(
    error: &ValidationError<'_>,
    context: &[Vec<ValidationError<'static>>],
    out: &mut Vec<Diagnostic>,
) {
    let here = error.instance_path().as_str();
    let is_type_mismatch = |branch: &Vec<ValidationError<'static>>| {
        branch.iter().all(|e| {
            matches!(e.kind(), ValidationErrorKind::Type { .. })
                && e.instance_path().as_str() == here
        })
    };
    let meant: Vec<&Vec<ValidationError<'static>>> =
        context.iter().filter(|b| !is_type_mismatch(b)).collect();
    let instance: &Value = error.instance();
    // `anyOf` of `date` and `date-time`: a date, or a date and time.
    let only_formats = meant.len() > 1
        && meant
            .iter()
            .copied()
            .flatten()
            .all(|e| matches!(e.kind(), ValidationErrorKind::Format { .. }));
    if only_formats {
        out.push(Diagnostic::error(
            DiagnosticCode::InvalidDate,
            here,
            format!(
                "`{}` is not a date (`YYYY-MM-DD`) or an RFC 3339 date and time",
                show(instance)
            ),
        ));
        return;
    }
    match meant.as_slice() {
        [branch] => {
            for inner in *branch {
                convert(inner, out);
            }
        }
        [] => {
            let mut expected: Vec<String> = Vec::new();
            for inner in context.iter().flatten() {
                if let ValidationErrorKind::Type { kind } = inner.kind() {
                    let text = expected_types(kind);
                    if !expected.contains(&text) {
                        expected.push(text);
                    }
                }
            }
            out.push(Diagnostic::error(
                DiagnosticCode::WrongType,
                here,
                format!(
                    "expected {}, found {}",
                    join_or(&expected),
                    type_of(instance)
                ),
            ));
        }
        _ => {
            // An enum whose variants carry their own descriptions is a `oneOf` of constants:
            // name the allowed values.
            let mut allowed: Vec<String> = Vec::new();
            for inner in meant.iter().copied().flatten() {
                match inner.kind() {
                    ValidationErrorKind::Constant { expected_value } => {
                        allowed.push(format!("`{}`", show(expected_value)));
                    }
                    ValidationErrorKind::Enum { options } => allowed.extend(
                        options
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|o| format!("`{}`", show(o))),
                    ),
                    _ => {
                        allowed.clear();
                        break;
                    }
                }
            }
            let message = if allowed.is_empty() {
                format!("`{}` matches none of the allowed forms", show(instance))
            } else {
                format!("`{}` is not one of {}", show(instance), allowed.join(", "))
            };
            out.push(Diagnostic::error(
                DiagnosticCode::InvalidValue,
                here,
                message,
            ));
        }
    }
}

fn expected_types(kind: &TypeKind) -> String {
    let names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![with_article(t.as_str())],
        TypeKind::Multiple(set) => set
            .iter()
            .filter(|t| t.as_str() != "null")
            .map(|t| with_article(t.as_str()))
            .collect(),
    };
    join_or(&names)
}

fn join_or(names: &[String]) -> String {
    match names {
        [] => "another type".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn with_article(type_name: &str) -> String {
    match type_name {
        "null" => "null".to_owned(),
        "integer" | "array" | "object" => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

fn type_of(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(_) => with_article("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => with_article("integer"),
        Value::Number(_) => with_article("number"),
        Value::String(_) => with_article("string"),
        Value::Array(_) => with_article("array"),
        Value::Object(_) => with_article("object"),
    }
}

/// A value as shown in a message: a string as is, anything else as compact JSON, cut short.
fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Array(_) => "[…]".to_owned(),
        Value::Object(_) => "{…}".to_owned(),
        other => other.to_string(),
    };
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}…")
    } else {
        text
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
