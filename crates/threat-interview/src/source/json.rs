//! JSON: a pre-scan that enforces the limits and finds duplicate keys before serde_json builds
//! anything, serde_json for the value, and a scanner that finds where pointers are written.
//!
//! Both scanners walk the text with an explicit stack instead of recursion, so input nested
//! arbitrarily deep cannot overflow the call stack. They expect JSON; on anything else they stop,
//! and serde_json reports the syntax error with its position.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde_json::Value;

use super::{Limits, LineIndex, ParseFailure, Position};
use crate::diagnostic::{Diagnostic, DiagnosticCode};

/// Escapes one JSON Pointer reference token (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape_pointer_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_owned()
    }
}

/// Parses JSON text within limits.
#[cfg(test)]
pub(super) fn parse(text: &str, limits: &Limits) -> Result<Value, ParseFailure> {
    prescan(text, limits)?;
    parse_prescanned(text, limits)
}

/// Parses JSON text the pre-scan accepted.
pub(super) fn parse_prescanned(text: &str, limits: &Limits) -> Result<Value, ParseFailure> {
    serde_json::from_str::<Value>(text).map_err(|error| syntax_error(&error, text, limits))
}

/// A serde_json error as a diagnostic, placed in the text.
pub(super) fn syntax_error(error: &serde_json::Error, text: &str, limits: &Limits) -> ParseFailure {
    let index = LineIndex::new(text);
    let position = (error.line() > 0)
        .then(|| index.position(index.offset_of_byte_column(error.line(), error.column())));
    let message = error.to_string();
    let message = strip_location(&message);
    let diagnostic = if message.starts_with("recursion limit exceeded") {
        Diagnostic::error(
            DiagnosticCode::TooDeep,
            "",
            format!("input nests deeper than {} levels", limits.depth()),
        )
    } else {
        // The one message serde_json starts with a capital.
        Diagnostic::error(
            DiagnosticCode::Syntax,
            "",
            message.replacen("EOF while", "end of input while", 1),
        )
    };
    ParseFailure {
        diagnostics: vec![diagnostic.at(position)],
    }
}

/// Drops the ` at line L column C` serde_json appends: the position is reported apart.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    }
}

/// One open container in the pre-scan.
struct Open<'t> {
    /// Whether it is an object.
    object: bool,
    /// For an object, whether a key comes next; unused for arrays.
    expect_key: bool,
    /// For an object, the key of the member being read; for an array, the index of the item.
    key: Cow<'t, str>,
    index: usize,
}

/// Checks depth, string length and the number of values, and finds duplicate keys, in one
/// pass over the text. A limit stops the scan at once; duplicates are all collected.
pub(super) fn prescan(text: &str, limits: &Limits) -> Result<(), ParseFailure> {
    let bytes = text.as_bytes();
    let max_depth = limits.depth();
    let mut stack: Vec<Open<'_>> = Vec::new();
    // The keys of each open object, by depth, with the offset of their first occurrence; the
    // maps are reused from one object to the next at the same depth.
    let mut keys: Vec<foldhash::HashMap<Cow<'_, str>, usize>> = Vec::new();
    let mut duplicates: Vec<(String, usize, usize)> = Vec::new();
    let mut values = 0usize;
    let mut i = 0;
    let fail = |code, message: String, offset: usize, stack: &[Open<'_>]| ParseFailure {
        diagnostics: vec![
            Diagnostic::error(code, pointer_of(stack), message)
                .at(Some(LineIndex::new(text).position(offset))),
        ],
    };
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | b':' => i += 1,
            b',' => {
                if let Some(top) = stack.last_mut() {
                    if top.object {
                        top.expect_key = true;
                    } else {
                        top.index += 1;
                    }
                }
                i += 1;
            }
            b'{' | b'[' => {
                values += 1;
                if values > limits.max_values {
                    return Err(fail(
                        DiagnosticCode::TooMany,
                        format!("input holds more than {} values", limits.max_values),
                        i,
                        &stack,
                    ));
                }
                if stack.len() >= max_depth {
                    return Err(fail(
                        DiagnosticCode::TooDeep,
                        format!("input nests deeper than {max_depth} levels"),
                        i,
                        &stack,
                    ));
                }
                let object = b == b'{';
                if object {
                    let depth = stack.len();
                    if keys.len() <= depth {
                        keys.resize_with(depth + 1, foldhash::HashMap::default);
                    }
                    keys[depth].clear();
                }
                stack.push(Open {
                    object,
                    expect_key: object,
                    key: Cow::Borrowed(""),
                    index: 0,
                });
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
            }
            b'"' => {
                let Some(end) = string_end(bytes, i) else {
                    break;
                };
                let raw = &text[i + 1..end - 1];
                if raw.len() > limits.max_string_bytes {
                    return Err(fail(
                        DiagnosticCode::TooLong,
                        format!(
                            "a string of {} bytes is longer than the limit of {} bytes",
                            raw.len(),
                            limits.max_string_bytes
                        ),
                        i,
                        &stack,
                    ));
                }
                let depth = stack.len();
                match stack.last_mut() {
                    Some(top) if top.object && top.expect_key => {
                        top.expect_key = false;
                        let key = decode_key(raw);
                        let seen = &mut keys[depth - 1];
                        if let Some(&first) = seen.get(&key) {
                            duplicates.push((pointer_of_key(&stack, depth, &key), first, i));
                            top_key(&mut stack, key);
                        } else {
                            seen.insert(key.clone(), i);
                            top_key(&mut stack, key);
                        }
                    }
                    _ => {
                        values += 1;
                    }
                }
                i = end;
            }
            _ => {
                // A number, `true`, `false` or `null`.
                values += 1;
                while i < bytes.len()
                    && !matches!(bytes[i], b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')
                {
                    i += 1;
                }
            }
        }
        if values > limits.max_values {
            return Err(fail(
                DiagnosticCode::TooMany,
                format!("input holds more than {} values", limits.max_values),
                i.min(bytes.len()),
                &stack,
            ));
        }
    }
    if duplicates.is_empty() {
        return Ok(());
    }
    let mut offsets: Vec<usize> = duplicates.iter().flat_map(|&(_, a, b)| [a, b]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let positions = LineIndex::new(text).positions(&offsets);
    let at = |offset: usize| positions[offsets.binary_search(&offset).unwrap_or(0)];
    let diagnostics = duplicates
        .into_iter()
        .map(|(pointer, first, second)| {
            let key = pointer.rsplit('/').next().unwrap_or_default().to_owned();
            let Position { line, column } = at(first);
            Diagnostic::error(
                DiagnosticCode::DuplicateKey,
                pointer,
                format!(
                    "key `{}` appears twice in one object (first at line {line}, column {column}); a save would keep only one",
                    unescape_token(&key)
                ),
            )
            .at(Some(at(second)))
        })
        .collect();
    Err(ParseFailure { diagnostics })
}

fn top_key<'t>(stack: &mut [Open<'t>], key: Cow<'t, str>) {
    if let Some(top) = stack.last_mut() {
        top.key = key;
    }
}

/// The pointer of the value being read, from the stack.
fn pointer_of(stack: &[Open<'_>]) -> String {
    let mut pointer = String::new();
    for open in stack {
        pointer.push('/');
        if open.object {
            if open.expect_key {
                // Between members: the object itself.
                pointer.pop();
                break;
            }
            pointer.push_str(&escape_pointer_token(&open.key));
        } else {
            pointer.push_str(&open.index.to_string());
        }
    }
    pointer
}

/// The pointer of a key in the innermost object (at `depth`).
fn pointer_of_key(stack: &[Open<'_>], depth: usize, key: &str) -> String {
    let mut pointer = pointer_of(&stack[..depth - 1]);
    pointer.push('/');
    pointer.push_str(&escape_pointer_token(key));
    pointer
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A key's text: as written, or decoded when it holds an escape.
fn decode_key(raw: &str) -> Cow<'_, str> {
    if raw.contains('\\') {
        serde_json::from_str::<String>(&format!("\"{raw}\"")).map_or(Cow::Borrowed(raw), Cow::Owned)
    } else {
        Cow::Borrowed(raw)
    }
}

/// The offset just past the string starting at `start` (which must be `"`).
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// One open container while locating pointers.
enum Frame {
    /// An object; the length of the pointer before this object's member token.
    Object { base: usize },
    /// An array; the length of the pointer before the item token, and the next index.
    Array { base: usize, next: usize },
}

/// Finds where the values whose pointers are in `wanted` are written: an object member at its
/// key, an array item or the root at its first character.
pub(super) fn locate(text: &str, wanted: &HashSet<&str>) -> HashMap<String, Position> {
    let found = scan_offsets(text, wanted);
    let mut offsets: Vec<usize> = found.values().copied().collect();
    offsets.sort_unstable();
    offsets.dedup();
    let positions = LineIndex::new(text).positions(&offsets);
    found
        .into_iter()
        .map(|(pointer, offset)| {
            let i = offsets.binary_search(&offset).unwrap_or(0);
            (pointer, positions[i])
        })
        .collect()
}

/// Walks `text` and records the byte offset of every value whose pointer is in `wanted`.
fn scan_offsets(text: &str, wanted: &HashSet<&str>) -> HashMap<String, usize> {
    let text = text.as_bytes();
    let mut found = HashMap::new();
    let mut pointer = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let record = |pointer: &str, offset: usize, found: &mut HashMap<String, usize>| {
        if wanted.contains(pointer) && !found.contains_key(pointer) {
            found.insert(pointer.to_owned(), offset);
        }
    };
    let mut i = skip_ws(text, 0);
    record(&pointer, i, &mut found);
    // `expect_value` is true where a value starts next; false after a complete value.
    let mut expect_value = true;
    while i < text.len() {
        i = skip_ws(text, i);
        let Some(&b) = text.get(i) else { break };
        if expect_value {
            // A container no wanted pointer goes through is skipped without building pointers:
            // `wanted` holds every ancestor of every pointer asked for.
            if matches!(b, b'{' | b'[') && !wanted.contains(pointer.as_str()) {
                let Some(end) = container_end(text, i) else {
                    break;
                };
                i = end;
                expect_value = false;
                continue;
            }
            match b {
                b'{' => {
                    stack.push(Frame::Object {
                        base: pointer.len(),
                    });
                    i = skip_ws(text, i + 1);
                    if text.get(i) == Some(&b'}') {
                        stack.pop();
                        i += 1;
                        expect_value = false;
                        continue;
                    }
                    let Some(next) = read_member_key(text, i, &mut pointer) else {
                        break;
                    };
                    record(&pointer, i, &mut found);
                    i = next;
                }
                b'[' => {
                    let base = pointer.len();
                    let close = skip_ws(text, i + 1);
                    if text.get(close) == Some(&b']') {
                        i = close + 1;
                        expect_value = false;
                        continue;
                    }
                    stack.push(Frame::Array { base, next: 1 });
                    pointer.push_str("/0");
                    record(&pointer, close, &mut found);
                    i = close;
                }
                b'"' => {
                    let Some(end) = string_end(text, i) else {
                        break;
                    };
                    i = end;
                    expect_value = false;
                }
                _ => {
                    while i < text.len()
                        && !matches!(text[i], b',' | b']' | b'}')
                        && !text[i].is_ascii_whitespace()
                    {
                        i += 1;
                    }
                    expect_value = false;
                }
            }
            continue;
        }
        // After a complete value: `,` or a closing bracket of the innermost container.
        match (b, stack.last_mut()) {
            (b',', Some(Frame::Object { base })) => {
                pointer.truncate(*base);
                i = skip_ws(text, i + 1);
                let Some(next) = read_member_key(text, i, &mut pointer) else {
                    break;
                };
                record(&pointer, i, &mut found);
                i = next;
                expect_value = true;
            }
            (b',', Some(Frame::Array { base, next })) => {
                pointer.truncate(*base);
                let _ = write!(pointer, "/{next}");
                *next += 1;
                i = skip_ws(text, i + 1);
                record(&pointer, i, &mut found);
                expect_value = true;
            }
            (b'}' | b']', Some(Frame::Object { base } | Frame::Array { base, .. })) => {
                pointer.truncate(*base);
                stack.pop();
                i += 1;
            }
            _ => break,
        }
    }
    found
}

/// The offset just past the object or array starting at `start`, counting brackets outside
/// strings.
fn container_end(text: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i < text.len() {
        match text[i] {
            b'"' => {
                i = string_end(text, i)?;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Reads the member key at `start`, appends its pointer token to `pointer`, and returns the
/// offset just past the `:` that follows it.
fn read_member_key(text: &[u8], start: usize, pointer: &mut String) -> Option<usize> {
    if text.get(start) != Some(&b'"') {
        return None;
    }
    let end = string_end(text, start)?;
    let raw = std::str::from_utf8(&text[start + 1..end - 1]).ok()?;
    pointer.push('/');
    pointer.push_str(&escape_pointer_token(&decode_key(raw)));
    let colon = skip_ws(text, end);
    (text.get(colon) == Some(&b':')).then_some(colon + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Format, locate};

    const TEXT: &str =
        "{\n  \"a\": [1, {\"b/c\": true}],\n  \"é\": {\"x\": null},\n  \"e\": []\n}\n";

    fn at(pointer: &str) -> Option<(u32, u32)> {
        locate(TEXT, Format::Json, [pointer])
            .get(pointer)
            .map(|p| (p.line, p.column))
    }

    #[test]
    fn locates_members_items_and_the_root() {
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/a"), Some((2, 3)));
        assert_eq!(at("/a/0"), Some((2, 9)));
        assert_eq!(at("/a/1"), Some((2, 12)));
        assert_eq!(at("/a/1/b~1c"), Some((2, 13)));
        assert_eq!(at("/é/x"), Some((3, 9)));
        assert_eq!(at("/e"), Some((4, 3)));
    }

    #[test]
    fn a_missing_value_falls_back_to_its_nearest_ancestor() {
        assert_eq!(at("/a/1/missing"), Some((2, 12)));
        assert_eq!(at("/e/0"), Some((4, 3)));
        assert_eq!(at("/nothing/here"), Some((1, 1)));
    }

    #[test]
    fn deep_input_does_not_overflow_the_locator() {
        let depth = 5_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let pointer = "/0".repeat(depth - 1);
        let found = locate(&text, Format::Json, [pointer.as_str()]);
        assert_eq!(found[&pointer].column, u32::try_from(depth).unwrap());
    }

    fn codes(text: &str, limits: &Limits) -> Vec<(DiagnosticCode, String, Option<u32>)> {
        match parse(text, limits) {
            Ok(_) => Vec::new(),
            Err(f) => f
                .diagnostics
                .into_iter()
                .map(|d| (d.code, d.pointer, d.column))
                .collect(),
        }
    }

    #[test]
    fn a_duplicate_key_is_an_error_with_both_places() {
        let text = "{\"a\": 1,\n \"q\": [1], \"b\": {\"x\": 1, \"x\": 2},\n \"q\": []}";
        let failure = parse(text, &Limits::default()).unwrap_err();
        let messages: Vec<String> = failure.diagnostics.iter().map(|d| d.to_line("f")).collect();
        assert_eq!(
            messages,
            [
                "f:2:26: error[duplicate-key]: key `x` appears twice in one object (first at line 2, column 18); a save would keep only one (at /b/x)",
                "f:3:2: error[duplicate-key]: key `q` appears twice in one object (first at line 2, column 2); a save would keep only one (at /q)",
            ]
        );
        // The same key in sibling objects is no duplicate, nor an escaped spelling of another.
        assert!(codes(r#"[{"a": 1}, {"a": 2}]"#, &Limits::default()).is_empty());
        assert_eq!(
            codes(r#"{"a": 1, "\u0061": 2}"#, &Limits::default())[0].0,
            DiagnosticCode::DuplicateKey
        );
    }

    #[test]
    fn limits_stop_the_scan_with_a_pointer() {
        let limits = Limits::default().with_max_depth(3);
        assert_eq!(
            codes(r#"{"a": [[{"b": 1}]]}"#, &limits),
            [(DiagnosticCode::TooDeep, "/a/0/0".to_owned(), Some(9))]
        );
        let limits = Limits::default().with_max_string_bytes(3);
        assert_eq!(
            codes(r#"{"id": "abcd"}"#, &limits),
            [(DiagnosticCode::TooLong, "/id".to_owned(), Some(8))]
        );
        let limits = Limits::default().with_max_values(3);
        assert_eq!(codes("[1, 2, 3]", &limits)[0].0, DiagnosticCode::TooMany);
        assert!(codes("[1, 2]", &limits).is_empty());
    }

    #[test]
    fn very_deep_input_is_refused_before_serde_json_reads_it() {
        let text = "[".repeat(100_000);
        assert_eq!(
            codes(&text, &Limits::default())[0].0,
            DiagnosticCode::TooDeep
        );
    }

    #[test]
    fn the_deepest_allowed_input_parses() {
        let limits = Limits::default().with_max_depth(usize::MAX);
        let depth = limits.depth();
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&text, &limits).is_ok());
        let depth = Limits::default().depth();
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&text, &Limits::default()).is_ok());
    }

    #[test]
    fn big_integers_keep_their_digits() {
        let value = parse(
            r#"{"n": 123456789012345678901234567890}"#,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(value["n"].to_string(), "123456789012345678901234567890");
    }

    #[test]
    fn syntax_errors_have_a_character_column() {
        let failure = parse("{\"é\": tru}", &Limits::default()).unwrap_err();
        let d = &failure.diagnostics[0];
        assert_eq!(
            (d.code, d.line, d.column),
            (DiagnosticCode::Syntax, Some(1), Some(10))
        );
    }
}
