//! Positions in source text: byte offsets to line and column, and JSON Pointers to the place
//! where the value they name is written.
//!
//! The pointer scanner walks JSON text with an explicit stack instead of recursion, so input
//! nested arbitrarily deep cannot overflow the call stack. It expects text that already parsed
//! as JSON; on anything else it stops and reports what it found so far. YAML text is located
//! from the positions yaml-rust2's event parser gives its events.
//!
//! Lines and columns start at 1. Columns count characters (Unicode scalar values), not bytes.

use std::collections::{HashMap, HashSet};

/// A place in source text, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1, in characters.
    pub column: u32,
}

/// The position of the byte at `offset` in `text` (an offset past the end gives the position
/// just after the last character).
pub fn position_at(text: &[u8], offset: usize) -> Position {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.split(|&b| b == b'\n').count();
    // Count characters, not bytes: continuation bytes (10xxxxxx) do not start a character.
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    Position {
        line: saturate(line),
        column: saturate(column),
    }
}

/// The position of a place given as a line (from 1) and a column counted in bytes (serde_json's
/// way), with the column counted in characters like every other position; a column of 0 (the
/// end of an empty input) becomes 1.
pub fn line_and_byte_column(text: &str, line: usize, byte_column: usize) -> Position {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = (start + byte_column.saturating_sub(1)).min(text.len());
    let mut position = position_at(text.as_bytes(), offset);
    if byte_column == 0 {
        position.column = 1;
    }
    position
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Escapes one JSON Pointer reference token (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Finds where the values named by `pointers` are written in the JSON `text`.
///
/// An object member is located at its key, an array item or the root at the value's first
/// character. A pointer that names nothing in the text (a missing field, say) is located at
/// its nearest ancestor that does. Pointers the text says nothing about are left out.
pub fn locate_pointers<'p>(
    text: &str,
    pointers: impl IntoIterator<Item = &'p str>,
) -> HashMap<String, Position> {
    let wanted: Vec<&str> = pointers.into_iter().collect();
    let found = scan(text.as_bytes(), &with_ancestors(&wanted));
    nearest(&wanted, |p| {
        found
            .get(p)
            .map(|&offset| position_at(text.as_bytes(), offset))
    })
}

/// Finds where the values named by `pointers` are written in the YAML `text` (its first
/// document), by the same rules as [`locate_pointers`]: a mapping member at its key, a
/// sequence item or the root at the value, a missing value at its nearest ancestor.
///
/// The text is read by yaml-rust2's event parser, whose events carry their position; the
/// parser keeps its own stack, so deep input cannot overflow the call stack. Text that does
/// not parse yields what was found before the error.
pub fn locate_yaml_pointers<'p>(
    text: &str,
    pointers: impl IntoIterator<Item = &'p str>,
) -> HashMap<String, Position> {
    let wanted: Vec<&str> = pointers.into_iter().collect();
    let candidates = with_ancestors(&wanted);
    let mut locator = YamlLocator {
        wanted: &candidates,
        found: HashMap::new(),
        stack: Vec::new(),
        done: false,
    };
    let _ = yaml_rust2::parser::Parser::new_from_str(text).load(&mut locator, false);
    nearest(&wanted, |p| locator.found.get(p).copied())
}

/// yaml-rust2's lines count from 1 and its columns from 0.
fn yaml_position(mark: yaml_rust2::scanner::Marker) -> Position {
    Position {
        line: saturate(mark.line()),
        column: saturate(mark.col() + 1),
    }
}

/// The pointers and every ancestor of each.
fn with_ancestors<'a>(pointers: &[&'a str]) -> HashSet<&'a str> {
    let mut candidates = HashSet::new();
    for pointer in pointers {
        let mut p: &str = pointer;
        loop {
            candidates.insert(p);
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    candidates
}

/// The position of each pointer, or of its nearest ancestor that has one.
fn nearest(
    wanted: &[&str],
    position: impl Fn(&str) -> Option<Position>,
) -> HashMap<String, Position> {
    let mut located = HashMap::new();
    for &pointer in wanted {
        let mut p: &str = pointer;
        loop {
            if let Some(found) = position(p) {
                located.insert(pointer.to_owned(), found);
                break;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    located
}

/// What comes next in a YAML mapping.
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

/// One open YAML collection while reading events.
enum YamlFrame {
    /// A mapping: its pointer, and what comes next in it.
    Mapping {
        pointer: String,
        next: Next,
        fresh: bool,
    },
    /// A sequence: its pointer and the index of the next item.
    Sequence {
        pointer: String,
        next: usize,
        fresh: bool,
    },
    /// A collection used as a mapping key: nothing inside it is addressable.
    Key,
}

struct YamlLocator<'w> {
    wanted: &'w HashSet<&'w str>,
    found: HashMap<String, Position>,
    stack: Vec<YamlFrame>,
    done: bool,
}

impl YamlLocator<'_> {
    fn record(&mut self, pointer: &str, mark: yaml_rust2::scanner::Marker) {
        if self.wanted.contains(pointer) && !self.found.contains_key(pointer) {
            self.found.insert(pointer.to_owned(), yaml_position(mark));
        }
    }

    /// A block collection's start event is marked after its first key or item; the
    /// collection is placed at whichever comes first.
    fn first_child(&mut self, mark: yaml_rust2::scanner::Marker) {
        let Some(
            YamlFrame::Mapping { pointer, fresh, .. } | YamlFrame::Sequence { pointer, fresh, .. },
        ) = self.stack.last_mut()
        else {
            return;
        };
        if !std::mem::take(fresh) {
            return;
        }
        let child = yaml_position(mark);
        if let Some(position) = self.found.get_mut(pointer.as_str())
            && child < *position
        {
            *position = child;
        }
    }
}

impl yaml_rust2::parser::MarkedEventReceiver for YamlLocator<'_> {
    fn on_event(&mut self, event: yaml_rust2::Event, mark: yaml_rust2::scanner::Marker) {
        use yaml_rust2::Event;
        if self.done {
            return;
        }
        let opens = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
        match event {
            Event::DocumentEnd => {
                self.done = true;
                return;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(YamlFrame::Key) = self.stack.pop()
                    && let Some(YamlFrame::Mapping { next, .. }) = self.stack.last_mut()
                {
                    *next = Next::Unnamed;
                }
                return;
            }
            Event::Scalar(..)
            | Event::Alias(_)
            | Event::MappingStart(..)
            | Event::SequenceStart(..) => {}
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => return,
        }
        self.first_child(mark);
        // Where does this value (or key) go?
        let pointer = match self.stack.last_mut() {
            None => Some(String::new()),
            Some(YamlFrame::Key) => None,
            Some(YamlFrame::Sequence { pointer, next, .. }) => {
                let item = format!("{pointer}/{next}");
                *next += 1;
                Some(item)
            }
            Some(YamlFrame::Mapping { pointer, next, .. }) => match std::mem::take(next) {
                Next::Key => {
                    // A key: a mapping member is located at its key.
                    if let Event::Scalar(name, ..) = &event {
                        let member = format!("{pointer}/{}", escape_pointer_token(name));
                        *next = Next::Value(member.clone());
                        self.record(&member, mark);
                    } else {
                        self.stack.push(YamlFrame::Key);
                    }
                    return;
                }
                Next::Value(member) => Some(member),
                Next::Unnamed => None,
            },
        };
        match pointer {
            Some(pointer) => {
                self.record(&pointer, mark);
                if opens {
                    self.stack
                        .push(if matches!(event, Event::MappingStart(..)) {
                            YamlFrame::Mapping {
                                pointer,
                                next: Next::Key,
                                fresh: true,
                            }
                        } else {
                            YamlFrame::Sequence {
                                pointer,
                                next: 0,
                                fresh: true,
                            }
                        });
                }
            }
            None if opens => self.stack.push(YamlFrame::Key),
            None => {}
        }
    }
}

/// One open container while scanning.
enum Frame {
    /// An object; the length of the pointer before this object's member token.
    Object { base: usize },
    /// An array; the length of the pointer before the item token, and the next index.
    Array { base: usize, next: usize },
}

/// Walks `text` and records the byte offset of every value whose pointer is in `wanted`.
fn scan(text: &[u8], wanted: &HashSet<&str>) -> HashMap<String, usize> {
    let mut found = HashMap::new();
    let mut pointer = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    let record = |pointer: &str, offset: usize, found: &mut HashMap<String, usize>| {
        if wanted.contains(pointer) && !found.contains_key(pointer) {
            found.insert(pointer.to_owned(), offset);
        }
    };
    // The root value.
    i = skip_ws(text, i);
    record(&pointer, i, &mut found);
    // `expect_value` is true where a value starts next; false after a complete value.
    let mut expect_value = true;
    while i < text.len() {
        i = skip_ws(text, i);
        let Some(&b) = text.get(i) else { break };
        if expect_value {
            match b {
                b'{' => {
                    stack.push(Frame::Object {
                        base: pointer.len(),
                    });
                    i += 1;
                    i = skip_ws(text, i);
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
                    i += 1;
                    let base = pointer.len();
                    let close = skip_ws(text, i);
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
                    let Some(end) = skip_string(text, i) else {
                        break;
                    };
                    i = end;
                    expect_value = false;
                }
                _ => {
                    // A number, `true`, `false` or `null`.
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
                pointer.push('/');
                pointer.push_str(&next.to_string());
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

fn skip_ws(text: &[u8], mut i: usize) -> usize {
    while i < text.len() && text[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// The offset just past the string starting at `start` (which must be `"`).
fn skip_string(text: &[u8], start: usize) -> Option<usize> {
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

/// Reads the member key at `start`, appends its pointer token to `pointer`, and returns the
/// offset just past the `:` that follows it.
fn read_member_key(text: &[u8], start: usize, pointer: &mut String) -> Option<usize> {
    if text.get(start) != Some(&b'"') {
        return None;
    }
    let end = skip_string(text, start)?;
    let raw = std::str::from_utf8(&text[start..end]).ok()?;
    let key: String = serde_json::from_str(raw).ok()?;
    pointer.push('/');
    pointer.push_str(&escape_pointer_token(&key));
    let colon = skip_ws(text, end);
    (text.get(colon) == Some(&b':')).then_some(colon + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "{\n  \"a\": [1, {\"b/c\": true}],\n  \"é\": {\"x\": null},\n  \"e\": []\n}\n";

    fn at(pointer: &str) -> Option<(u32, u32)> {
        locate_pointers(TEXT, [pointer])
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
    fn deep_input_does_not_overflow() {
        let depth = 5_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let pointer = "/0".repeat(depth - 1);
        let found = locate_pointers(&text, [pointer.as_str()]);
        assert_eq!(found[&pointer].column, u32::try_from(depth).unwrap());
    }

    #[test]
    fn position_counts_characters_not_bytes() {
        let p = position_at("é\nxé!".as_bytes(), 6);
        assert_eq!((p.line, p.column), (2, 3));
    }
}
