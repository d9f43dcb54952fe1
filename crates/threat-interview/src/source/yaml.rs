//! YAML: read by yaml-rust2's event parser into a JSON value (the YAML 1.2 core schema, first
//! document only), located by the same events, and written from a JSON value.
//!
//! One parser reads every YAML file, and it keeps its own stack: deep input cannot overflow the
//! call stack, and deep flow nesting is refused by the scanner before it costs anything. The
//! reader enforces the [`Limits`] as events arrive; aliases count every time they are used, so
//! an alias bomb stops at the value limit instead of filling memory.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Number, Value};
use yaml_rust2::Event;
use yaml_rust2::parser::Parser;
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{Limits, ParseFailure, Position, escape_pointer_token};
use crate::diagnostic::{Diagnostic, DiagnosticCode};

fn position(mark: Marker) -> Position {
    Position {
        line: u32::try_from(mark.line()).unwrap_or(u32::MAX),
        column: u32::try_from(mark.col() + 1).unwrap_or(u32::MAX),
    }
}

/// One open collection while building.
enum Open {
    Sequence {
        items: Vec<Value>,
        anchor: usize,
        /// The value count when it opened, to know how many values it holds.
        start: usize,
    },
    Mapping {
        members: Map<String, Value>,
        /// The key read, waiting for its value.
        key: Option<String>,
        /// Where each key was first written, for duplicates.
        places: HashMap<String, Marker>,
        anchor: usize,
        start: usize,
    },
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Open>,
    /// Anchored values and the number of values each holds.
    anchors: HashMap<usize, (Value, usize)>,
    values: usize,
    duplicates: Vec<Diagnostic>,
    root: Option<Value>,
}

/// Parses YAML text within limits.
pub(super) fn parse(text: &str, limits: &Limits) -> Result<Value, ParseFailure> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        values: 0,
        duplicates: Vec::new(),
        root: None,
    };
    let fail = |code, message: String, mark: Option<Marker>| ParseFailure {
        diagnostics: vec![Diagnostic::error(code, "", message).at(mark.map(position))],
    };
    let mut documents = 0;
    loop {
        let (event, mark) = match parser.next_token() {
            Ok(next) => next,
            Err(error) => {
                let message = error.info().to_owned();
                let code = if message.contains("recursion limit") {
                    DiagnosticCode::TooDeep
                } else {
                    DiagnosticCode::Syntax
                };
                return Err(fail(code, message, Some(*error.marker())));
            }
        };
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(fail(
                        DiagnosticCode::Syntax,
                        "the file holds more than one YAML document".to_owned(),
                        Some(mark),
                    ));
                }
            }
            Event::SequenceStart(anchor, _) => {
                builder.count(1, mark)?;
                let start = builder.values - 1;
                builder.open(
                    Open::Sequence {
                        items: Vec::new(),
                        anchor,
                        start,
                    },
                    mark,
                )?;
            }
            Event::MappingStart(anchor, _) => {
                builder.count(1, mark)?;
                let start = builder.values - 1;
                builder.open(
                    Open::Mapping {
                        members: Map::new(),
                        key: None,
                        places: HashMap::new(),
                        anchor,
                        start,
                    },
                    mark,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (value, anchor, start) = match builder.stack.pop() {
                    Some(Open::Sequence {
                        items,
                        anchor,
                        start,
                    }) => (Value::Array(items), anchor, start),
                    Some(Open::Mapping {
                        members,
                        anchor,
                        start,
                        ..
                    }) => (Value::Object(members), anchor, start),
                    None => continue,
                };
                let count = builder.values - start;
                builder.finish(value, anchor, count, mark)?;
            }
            Event::Scalar(text, style, anchor, tag) => {
                if text.len() > limits.max_string_bytes {
                    return Err(builder.located(
                        DiagnosticCode::TooLong,
                        format!(
                            "a string of {} bytes is longer than the limit of {} bytes",
                            text.len(),
                            limits.max_string_bytes
                        ),
                        mark,
                    ));
                }
                builder.count(1, mark)?;
                let forced_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == TScalarStyle::Plain && !forced_string {
                    resolve_plain(&text)
                        .map_err(|message| builder.located(DiagnosticCode::Syntax, message, mark))?
                } else {
                    Value::String(text)
                };
                builder.finish(value, anchor, 1, mark)?;
            }
            Event::Alias(anchor) => {
                let Some((value, count)) = builder.anchors.get(&anchor).cloned() else {
                    return Err(fail(
                        DiagnosticCode::Syntax,
                        "an alias to an unknown anchor".to_owned(),
                        Some(mark),
                    ));
                };
                builder.count(count, mark)?;
                builder.finish(value, 0, count, mark)?;
            }
        }
    }
    if !builder.duplicates.is_empty() {
        return Err(ParseFailure {
            diagnostics: builder.duplicates,
        });
    }
    // An empty document is `null`, which the structure check reports.
    Ok(builder.root.unwrap_or(Value::Null))
}

impl Builder<'_> {
    /// Counts values against the limit.
    fn count(&mut self, n: usize, mark: Marker) -> Result<(), ParseFailure> {
        self.values = self.values.saturating_add(n);
        if self.values > self.limits.max_values {
            return Err(self.located(
                DiagnosticCode::TooMany,
                format!(
                    "input holds more than {} values (aliases count each time they are used)",
                    self.limits.max_values
                ),
                mark,
            ));
        }
        Ok(())
    }

    fn open(&mut self, open: Open, mark: Marker) -> Result<(), ParseFailure> {
        if self.stack.len() >= self.limits.depth() {
            return Err(self.located(
                DiagnosticCode::TooDeep,
                format!("input nests deeper than {} levels", self.limits.depth()),
                mark,
            ));
        }
        if let Some(Open::Mapping { key: None, .. }) = self.stack.last() {
            return Err(self.located(
                DiagnosticCode::Syntax,
                "a mapping key must be a string, not a collection".to_owned(),
                mark,
            ));
        }
        self.stack.push(open);
        Ok(())
    }

    /// Puts a complete value where it belongs: the root, a sequence item, a key or a value.
    fn finish(
        &mut self,
        value: Value,
        anchor: usize,
        count: usize,
        mark: Marker,
    ) -> Result<(), ParseFailure> {
        if anchor != 0 {
            self.anchors.insert(anchor, (value.clone(), count));
        }
        if let Some(Open::Mapping {
            key: None, places, ..
        }) = self.stack.last()
        {
            let name = match value {
                Value::String(s) => s,
                Value::Null => String::new(),
                Value::Bool(_) | Value::Number(_) => value.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(self.located(
                        DiagnosticCode::Syntax,
                        "a mapping key must be a string, not a collection".to_owned(),
                        mark,
                    ));
                }
            };
            if let Some(first) = places.get(&name).copied() {
                let first = position(first);
                let pointer = format!("{}/{}", self.pointer(), escape_pointer_token(&name));
                self.duplicates.push(
                    Diagnostic::error(
                        DiagnosticCode::DuplicateKey,
                        pointer,
                        format!(
                            "key `{name}` appears twice in one mapping (first at line {}, column {}); a save would keep only one",
                            first.line, first.column
                        ),
                    )
                    .at(Some(position(mark))),
                );
            }
            if let Some(Open::Mapping { key, places, .. }) = self.stack.last_mut() {
                places.entry(name.clone()).or_insert(mark);
                *key = Some(name);
            }
            return Ok(());
        }
        match self.stack.last_mut() {
            None => {
                self.root.get_or_insert(value);
            }
            Some(Open::Sequence { items, .. }) => items.push(value),
            Some(Open::Mapping { members, key, .. }) => {
                if let Some(name) = key.take() {
                    members.insert(name, value);
                }
            }
        }
        Ok(())
    }

    /// The pointer of the value being read.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        for open in &self.stack {
            pointer.push('/');
            match open {
                Open::Sequence { items, .. } => pointer.push_str(&items.len().to_string()),
                Open::Mapping { key: Some(k), .. } => pointer.push_str(&escape_pointer_token(k)),
                Open::Mapping { key: None, .. } => {
                    pointer.pop();
                    break;
                }
            }
        }
        pointer
    }

    fn located(&self, code: DiagnosticCode, message: String, mark: Marker) -> ParseFailure {
        ParseFailure {
            diagnostics: vec![
                Diagnostic::error(code, self.pointer(), message).at(Some(position(mark))),
            ],
        }
    }
}

/// The value of a plain scalar under the YAML 1.2 core schema: null, a boolean, a number, or
/// else the string. Numbers keep their digits; infinities and NaN have no JSON form.
pub(crate) fn resolve_plain(text: &str) -> Result<Value, String> {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Ok(Value::Null),
        "true" | "True" | "TRUE" => return Ok(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Ok(Value::Bool(false)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => {
            return Err(format!(
                "`{text}` has no JSON form; quote it to keep it as text"
            ));
        }
        _ => {}
    }
    if let Some(digits) = text.strip_prefix("0o") {
        return Ok(radix(digits, 8).map_or_else(|| Value::String(text.to_owned()), Value::Number));
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return Ok(radix(digits, 16).map_or_else(|| Value::String(text.to_owned()), Value::Number));
    }
    Ok(json_number(text).map_or_else(|| Value::String(text.to_owned()), Value::Number))
}

fn radix(digits: &str, radix: u32) -> Option<Number> {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    u128::from_str_radix(digits, radix)
        .ok()
        .and_then(|n| n.to_string().parse().ok())
}

/// A YAML decimal or float (`[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`) in JSON's
/// spelling: no `+`, no leading zeros, digits on both sides of the point.
fn json_number(text: &str) -> Option<Number> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'-' => ("-", &text[1..]),
        b'+' => ("", &text[1..]),
        _ => ("", text),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (int, frac) = match mantissa.find('.') {
        Some(i) => (&mantissa[..i], Some(&mantissa[i + 1..])),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int)
        || !frac.is_none_or(digits)
        || (int.is_empty() && frac.is_none_or(str::is_empty))
    {
        return None;
    }
    if frac.is_none() && exponent.is_some() && int.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push_str(sign);
    let int = int.trim_start_matches('0');
    out.push_str(if int.is_empty() { "0" } else { int });
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(if frac.is_empty() { "0" } else { frac });
    }
    if let Some(exponent) = exponent {
        let (esign, edigits) = match exponent.as_bytes().first() {
            Some(b'-') => ("-", &exponent[1..]),
            Some(b'+') => ("", &exponent[1..]),
            _ => ("", exponent),
        };
        if edigits.is_empty() || !digits(edigits) {
            return None;
        }
        out.push('e');
        out.push_str(esign);
        out.push_str(edigits);
    }
    out.parse().ok()
}

/// What comes next in a mapping while locating.
#[derive(Debug, Default)]
enum Next {
    /// A key.
    #[default]
    Key,
    /// The value of the member with this pointer.
    Value(String),
    /// The value of a member whose key is not a scalar: nothing a pointer names.
    Unnamed,
}

/// One open collection while locating.
enum Frame {
    Mapping {
        pointer: String,
        next: Next,
        fresh: bool,
    },
    Sequence {
        pointer: String,
        next: usize,
        fresh: bool,
    },
    /// A collection used as a mapping key: nothing inside it is addressable.
    Key,
}

/// Finds where the values named by `wanted` are written in the first document of `text`: a
/// mapping member at its key, a sequence item or the root at the value. Text that does not
/// parse yields what was found before the error.
pub(super) fn locate(text: &str, wanted: &HashSet<&str>) -> HashMap<String, Position> {
    let mut found: HashMap<String, Position> = HashMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let record = |found: &mut HashMap<String, Position>, pointer: &str, mark: Marker| {
        if wanted.contains(pointer) && !found.contains_key(pointer) {
            found.insert(pointer.to_owned(), position(mark));
        }
    };
    while let Ok((event, mark)) = parser.next_token() {
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        match event {
            Event::DocumentEnd | Event::StreamEnd => break,
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::Key) = stack.pop()
                    && let Some(Frame::Mapping { next, .. }) = stack.last_mut()
                {
                    *next = Next::Unnamed;
                }
                continue;
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {}
            Event::Nothing | Event::StreamStart | Event::DocumentStart => continue,
        }
        // A block collection's start event is marked after its first key or item; the
        // collection is placed at whichever comes first.
        if let Some(Frame::Mapping { pointer, fresh, .. } | Frame::Sequence { pointer, fresh, .. }) =
            stack.last_mut()
            && std::mem::take(fresh)
        {
            let child = position(mark);
            if let Some(at) = found.get_mut(pointer.as_str())
                && child < *at
            {
                *at = child;
            }
        }
        let pointer = match stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Key) => None,
            Some(Frame::Sequence { pointer, next, .. }) => {
                let item = format!("{pointer}/{next}");
                *next += 1;
                Some(item)
            }
            Some(Frame::Mapping { pointer, next, .. }) => match std::mem::take(next) {
                Next::Key => {
                    if let Event::Scalar(name, ..) = &event {
                        let member = format!("{pointer}/{}", escape_pointer_token(name));
                        record(&mut found, &member, mark);
                        *next = Next::Value(member);
                    } else {
                        stack.push(Frame::Key);
                    }
                    continue;
                }
                Next::Value(member) => Some(member),
                Next::Unnamed => None,
            },
        };
        match pointer {
            Some(pointer) => {
                record(&mut found, &pointer, mark);
                if opens {
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Mapping {
                            pointer,
                            next: Next::Key,
                            fresh: true,
                        }
                    } else {
                        Frame::Sequence {
                            pointer,
                            next: 0,
                            fresh: true,
                        }
                    });
                }
            }
            None if opens => stack.push(Frame::Key),
            None => {}
        }
    }
    found
}

/// The YAML text of a JSON value: block style, two-space indent, strings plain where that
/// reads back as the same string and double-quoted otherwise. The same value always gives the
/// same bytes.
pub fn to_yaml_string(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(m) if !m.is_empty() => write_block(value, 0, false, &mut out),
        Value::Array(a) if !a.is_empty() => write_block(value, 0, false, &mut out),
        other => {
            write_scalar(other, &mut out);
            out.push('\n');
        }
    }
    out
}

/// Writes a non-empty collection, one entry a line at `indent`; with `inline`, the first line
/// continues the current one (after `- `).
fn write_block(value: &Value, indent: usize, inline: bool, out: &mut String) {
    let pad = |out: &mut String, first: bool| {
        if !(first && inline) {
            out.extend(std::iter::repeat_n(' ', indent));
        }
    };
    match value {
        Value::Object(members) => {
            for (i, (key, value)) in members.iter().enumerate() {
                pad(out, i == 0);
                write_string(key, out);
                out.push(':');
                match value {
                    Value::Object(m) if !m.is_empty() => {
                        out.push('\n');
                        write_block(value, indent + 2, false, out);
                    }
                    Value::Array(a) if !a.is_empty() => {
                        out.push('\n');
                        write_block(value, indent + 2, false, out);
                    }
                    scalar => {
                        out.push(' ');
                        write_scalar(scalar, out);
                        out.push('\n');
                    }
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pad(out, i == 0);
                out.push_str("- ");
                match item {
                    Value::Object(m) if !m.is_empty() => write_block(item, indent + 2, true, out),
                    Value::Array(a) if !a.is_empty() => write_block(item, indent + 2, true, out),
                    scalar => {
                        write_scalar(scalar, out);
                        out.push('\n');
                    }
                }
            }
        }
        scalar => {
            write_scalar(scalar, out);
            out.push('\n');
        }
    }
}

fn write_scalar(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(s, out),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// A string, plain when it is safe to read back as the same string (in YAML 1.2 and in the
/// 1.1 readers other tools use), double-quoted with JSON escapes otherwise.
fn write_string(s: &str, out: &mut String) {
    if is_plain_safe(s) {
        out.push_str(s);
    } else {
        out.push_str(&serde_json::Value::String(s.to_owned()).to_string());
    }
}

/// Words that a YAML 1.1 reader takes for booleans or null.
const AMBIGUOUS: &[&str] = &[
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF",
];

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() && first != '_' && first != '/' {
        return false;
    }
    if s.ends_with(' ') || s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    if !s
        .chars()
        .all(|c| c.is_alphanumeric() || " _-./()+,'@=;".contains(c))
    {
        return false;
    }
    !AMBIGUOUS.contains(&s) && matches!(resolve_plain(s), Ok(Value::String(_)))
}

/// The position of the first comment in YAML text, if any: a `#` at the start of a line or
/// after white space, outside quoted and block scalars.
pub(crate) fn first_comment(text: &str) -> Option<Position> {
    let mut quote: Option<char> = None;
    let mut block_indent: Option<usize> = None;
    for (number, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = block_indent {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block_indent = None;
        }
        let mut previous = ' ';
        for (column, c) in line.chars().enumerate() {
            match quote {
                Some('"') if c == '"' && previous != '\\' => quote = None,
                Some('\'') if c == '\'' => quote = None,
                Some(_) => {}
                None => match c {
                    '#' if previous == ' ' || previous == '\t' => {
                        return Some(Position {
                            line: u32::try_from(number + 1).unwrap_or(u32::MAX),
                            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
                        });
                    }
                    '"' | '\'' if matches!(previous, ' ' | '\t' | '[' | '{' | ',' | ':' | '-') => {
                        quote = Some(c);
                    }
                    _ => {}
                },
            }
            previous = c;
        }
        let rest = line.trim_end();
        if quote.is_none()
            && let Some(indicator) = rest.rsplit(' ').next()
            && (indicator.starts_with('|') || indicator.starts_with('>'))
            && indicator[1..]
                .chars()
                .all(|c| matches!(c, '+' | '-' | '0'..='9'))
        {
            block_indent = Some(indent);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Format, locate as locate_any};
    use serde_json::json;

    fn read(text: &str) -> Result<Value, Vec<(DiagnosticCode, String, Option<u32>)>> {
        parse(text, &Limits::default()).map_err(|f| {
            f.diagnostics
                .into_iter()
                .map(|d| (d.code, d.pointer, d.line))
                .collect()
        })
    }

    #[test]
    fn reads_the_core_schema() {
        let value = read(
            "a: 1\nb: -0.5e3\nc: true\nd: ~\ne: yes\nf: '12'\ng: !!str 13\nh: 0x1F\ni: 007\nj: [x, 2.]\nk: 123456789012345678901234567890\n",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"a": 1, "b": "-0.5e3".parse::<serde_json::Number>().unwrap(), "c": true, "d": null, "e": "yes", "f": "12", "g": "13",
                   "h": 31, "i": 7, "j": ["x", 2.0], "k": "123456789012345678901234567890".parse::<serde_json::Number>().unwrap()})
        );
        assert_eq!(value["k"].to_string(), "123456789012345678901234567890");
    }

    #[test]
    fn duplicate_keys_are_errors_with_both_places() {
        let errors = read("a: 1\nb:\n  x: 1\n  x: 2\na: 3\n").unwrap_err();
        assert_eq!(
            errors,
            [
                (DiagnosticCode::DuplicateKey, "/b/x".to_owned(), Some(4)),
                (DiagnosticCode::DuplicateKey, "/a".to_owned(), Some(5)),
            ]
        );
    }

    #[test]
    fn limits_apply_as_events_arrive() {
        let bomb = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        assert_eq!(read(bomb).unwrap_err()[0].0, DiagnosticCode::TooMany);
        let deep: String = (0..200).map(|i| " ".repeat(i) + "a:\n").collect();
        assert_eq!(read(&deep).unwrap_err()[0].0, DiagnosticCode::TooDeep);
        let flow = format!("{}{}", "{a: ".repeat(100_000), "}".repeat(100_000));
        assert_eq!(read(&flow).unwrap_err()[0].0, DiagnosticCode::TooDeep);
    }

    #[test]
    fn refuses_what_json_cannot_hold() {
        assert_eq!(read("a: .inf\n").unwrap_err()[0].0, DiagnosticCode::Syntax);
        assert_eq!(
            read("? [a]\n: 1\n").unwrap_err()[0].0,
            DiagnosticCode::Syntax
        );
        assert_eq!(
            read("a: 1\n---\nb: 2\n").unwrap_err()[0].0,
            DiagnosticCode::Syntax
        );
        assert_eq!(read("").unwrap(), Value::Null);
    }

    #[test]
    fn writing_then_reading_gives_the_same_value() {
        let value = json!({
            "id": "e1", "name": "Shop: review #2", "n": 3, "f": 2.5, "t": true, "z": null,
            "tricky": ["yes", "no", "null", "12", "0x1F", "- item", "a: b", " lead", "trail ",
                       "#hash", "multi\nline", "quote\"s", "", "~", "1e3", "true", "ok text"],
            "empty": {}, "list": [], "nested": [{"a": 1, "b": [1, [2, 3]]}, [{"c": {}}]],
            "big": "123456789012345678901234567890".parse::<serde_json::Number>().unwrap()
        });
        let text = to_yaml_string(&value);
        assert_eq!(read(&text).unwrap(), value, "{text}");
        assert_eq!(to_yaml_string(&read(&text).unwrap()), text);
    }

    #[test]
    fn comments_are_found_outside_scalars() {
        assert_eq!(first_comment("a: 1\nb: 'x # y'\nc: \"#\"\n"), None);
        assert_eq!(
            first_comment("a: 1 # note\n"),
            Some(Position { line: 1, column: 6 })
        );
        assert_eq!(
            first_comment("a: |\n  # not a comment\nb: 2\n# one\n"),
            Some(Position { line: 4, column: 1 })
        );
    }

    #[test]
    fn locates_members_and_items() {
        let text = "a:\n  - 1\n  - b: x\nc: {d: [1, 2]}\n";
        let at = |p: &str| {
            locate_any(text, Format::Yaml, [p])
                .get(p)
                .map(|p| (p.line, p.column))
        };
        assert_eq!(at("/a"), Some((1, 1)));
        assert_eq!(at("/a/1/b"), Some((3, 5)));
        assert_eq!(at("/c/d/1"), Some((4, 12)));
        assert_eq!(at("/a/1/missing"), Some((3, 5)));
    }
}
