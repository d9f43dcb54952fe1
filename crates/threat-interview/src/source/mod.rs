//! Source text: reading files within limits, parsing JSON and YAML into one JSON value, and
//! placing JSON Pointers at a line and column.
//!
//! This is the bottom layer: [`crate::io`], [`crate::validate`] and [`crate::bank`] all read
//! through it, so engagements and banks get the same limits, the same errors and the same
//! positions. Nothing here knows what an engagement is.
//!
//! Reading is defensive. [`read_file`] refuses anything but a regular file (a FIFO would block,
//! `/dev/zero` would never end) and reads at most one byte past [`Limits::max_bytes`]. [`parse`]
//! checks the encoding, then checks the text against the [`Limits`] *before* the parser builds
//! anything (nesting depth, string length, number of values), and refuses duplicate keys with
//! both positions: a file where `questions` appears twice would otherwise lose the first list,
//! answers included, on the next save. JSON is parsed by serde_json; YAML by yaml-rust2's event
//! parser into the same JSON value (YAML 1.2 core schema, first document only). Numbers keep
//! their digits: an integer past 64 bits stays exact.
//!
//! Lines and columns start at 1; columns count characters (Unicode scalar values), not bytes.
//! [`LineIndex`] is built once per text, so placing many diagnostics stays linear.

mod json;
mod yaml;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

pub use crate::diagnostic::Position;
use crate::diagnostic::{Diagnostic, DiagnosticCode};

pub use json::escape_pointer_token;
pub(crate) use yaml::first_comment;
pub use yaml::to_yaml_string;

/// The syntax of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON.
    Json,
    /// YAML (1.2, read into the same data as JSON).
    Yaml,
}

impl Format {
    /// The format a path's extension names: YAML for `.yaml` and `.yml`, JSON otherwise.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml") => {
                Format::Yaml
            }
            _ => Format::Json,
        }
    }

    /// The format's name: `json` or `yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Yaml => "yaml",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "yaml" | "yml" => Ok(Format::Yaml),
            _ => Err(format!(
                "unknown format `{name}`: expected `json` or `yaml`"
            )),
        }
    }
}

/// The limits every input is read within. Each has a named error ([`DiagnosticCode::TooLarge`],
/// [`DiagnosticCode::TooDeep`], [`DiagnosticCode::TooLong`], [`DiagnosticCode::TooMany`],
/// [`DiagnosticCode::ConditionTooLarge`]) and a documented default; embedders set their own
/// with the `with_*` methods.
///
/// ```
/// use threat_interview::source::Limits;
///
/// let limits = Limits::default().with_max_bytes(1 << 20).with_max_depth(32);
/// assert_eq!(limits.max_bytes, 1 << 20);
/// assert_eq!(Limits::default().max_depth, 100);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The largest input, in bytes: [`Limits::DEFAULT_MAX_BYTES`] (128 MiB).
    pub max_bytes: u64,
    /// The deepest nesting of objects and arrays: 100 (at most 127, the most serde_json reads;
    /// a larger value is read as 127).
    pub max_depth: usize,
    /// The longest string, in bytes: 1 MiB.
    pub max_string_bytes: usize,
    /// The most values (objects, arrays, strings, numbers...) in one input: 10 million. YAML
    /// aliases count every time they are used, so an alias bomb stops here.
    pub max_values: usize,
    /// The most nodes in one template's condition: 1,000.
    pub max_condition_nodes: usize,
}

impl Limits {
    /// The default size limit: 128 MiB.
    pub const DEFAULT_MAX_BYTES: u64 = 128 * 1024 * 1024;
    /// The deepest nesting serde_json reads.
    pub const PARSER_MAX_DEPTH: usize = 127;

    /// These limits with another size limit, in bytes.
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// These limits with another depth limit (at most 127).
    #[must_use]
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// These limits with another string limit, in bytes.
    #[must_use]
    pub fn with_max_string_bytes(mut self, max_string_bytes: usize) -> Self {
        self.max_string_bytes = max_string_bytes;
        self
    }

    /// These limits with another limit on the number of values.
    #[must_use]
    pub fn with_max_values(mut self, max_values: usize) -> Self {
        self.max_values = max_values;
        self
    }

    /// These limits with another limit on the nodes of one condition.
    #[must_use]
    pub fn with_max_condition_nodes(mut self, max_condition_nodes: usize) -> Self {
        self.max_condition_nodes = max_condition_nodes;
        self
    }

    /// The depth limit actually applied: the configured one, at most what the parser reads.
    pub(crate) fn depth(&self) -> usize {
        self.max_depth.clamp(1, Self::PARSER_MAX_DEPTH)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_depth: 100,
            max_string_bytes: 1024 * 1024,
            max_values: 10_000_000,
            max_condition_nodes: 1_000,
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The operating system refused.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The path names a directory, a FIFO, a device or a socket.
    #[error("`{}` is not a regular file", path.display())]
    NotAFile {
        /// The path.
        path: std::path::PathBuf,
    },
    /// The file is larger than the limit.
    #[error("`{}` is {size} bytes, over the limit of {limit} bytes", path.display())]
    TooLarge {
        /// The file.
        path: std::path::PathBuf,
        /// Its size, in bytes (at least `limit + 1` when it could not be known).
        size: u64,
        /// The limit.
        limit: u64,
    },
}

impl ReadError {
    /// The diagnostic for this error (`io` or `too-large`), at the whole document.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = match self {
            ReadError::TooLarge { .. } => DiagnosticCode::TooLarge,
            _ => DiagnosticCode::Io,
        };
        let mut message = self.to_string();
        if let ReadError::Io { source, .. } = self {
            message.push_str(": ");
            message.push_str(&source.to_string());
        }
        Diagnostic::error(code, "", message)
    }
}

/// Reads a regular file, refusing one larger than `limits.max_bytes` without reading it.
pub fn read_file(path: &Path, limits: &Limits) -> Result<Vec<u8>, ReadError> {
    let io_error = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_owned(),
        });
    }
    let file = File::open(path).map_err(io_error)?;
    // The path may have been swapped between the two calls: check what was opened.
    let metadata = file.metadata().map_err(io_error)?;
    if !metadata.is_file() {
        return Err(ReadError::NotAFile {
            path: path.to_owned(),
        });
    }
    let too_large = |size| ReadError::TooLarge {
        path: path.to_owned(),
        size,
        limit: limits.max_bytes,
    };
    if metadata.len() > limits.max_bytes {
        return Err(too_large(metadata.len()));
    }
    // The file may grow while it is read: read one byte past the limit at most.
    let capacity = usize::try_from(metadata.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity.saturating_add(1));
    file.take(limits.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(too_large(size));
    }
    Ok(bytes)
}

/// Text parsed into a JSON value, with what is needed to place pointers in it.
#[derive(Debug)]
pub struct Parsed<'t> {
    /// The value.
    pub value: Value,
    /// The text it was parsed from, without a byte order mark.
    pub text: &'t str,
    /// Its syntax.
    pub format: Format,
}

impl<'t> Parsed<'t> {
    /// Gives every diagnostic without a position the position of its pointer in the text.
    pub fn place(&self, diagnostics: &mut [Diagnostic]) {
        place(self.text, self.format, diagnostics);
    }

    /// The value and the text.
    pub fn into_parts(self) -> (Value, &'t str) {
        (self.value, self.text)
    }
}

/// Gives every diagnostic without a position the position of its pointer in `text`: an object
/// member at its key, an array item or the root at its first character, a pointer to something
/// absent (a missing field) at its nearest ancestor.
pub fn place(text: &str, format: Format, diagnostics: &mut [Diagnostic]) {
    let wanted: Vec<&str> = diagnostics
        .iter()
        .filter(|d| d.line.is_none())
        .map(|d| d.pointer.as_str())
        .collect();
    if wanted.is_empty() {
        return;
    }
    let located = locate(text, format, wanted);
    for diagnostic in diagnostics.iter_mut() {
        if diagnostic.line.is_none()
            && let Some(&position) = located.get(diagnostic.pointer.as_str())
        {
            diagnostic.line = Some(position.line);
            diagnostic.column = Some(position.column);
        }
    }
}

/// Finds where the values named by `pointers` are written in `text`, by the rules of
/// [`place`]. Pointers the text says nothing about are left out.
pub fn locate<'p>(
    text: &str,
    format: Format,
    pointers: impl IntoIterator<Item = &'p str>,
) -> std::collections::HashMap<String, Position> {
    let wanted: Vec<&str> = pointers.into_iter().collect();
    let candidates = with_ancestors(&wanted);
    let found = match format {
        Format::Json => json::locate(text, &candidates),
        Format::Yaml => yaml::locate(text, &candidates),
    };
    let mut located = std::collections::HashMap::new();
    for &pointer in &wanted {
        let mut p: &str = pointer;
        loop {
            if let Some(&position) = found.get(p) {
                located.insert(pointer.to_owned(), position);
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

/// The pointers and every ancestor of each.
fn with_ancestors<'a>(pointers: &[&'a str]) -> std::collections::HashSet<&'a str> {
    let mut candidates = std::collections::HashSet::new();
    for pointer in pointers {
        let mut p: &str = pointer;
        loop {
            if !candidates.insert(p) {
                break;
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    candidates
}

/// The start of every line of a text, built once, so that a byte offset becomes a line and
/// column by binary search rather than by rescanning the text.
#[derive(Debug, Clone)]
pub struct LineIndex<'t> {
    text: &'t [u8],
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    /// Indexes the lines of a text.
    pub fn new(text: &'t str) -> Self {
        Self::from_bytes(text.as_bytes())
    }

    /// Indexes the lines of bytes that may not be UTF-8 (columns count the bytes that start a
    /// character).
    pub fn from_bytes(text: &'t [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The position of the byte at `offset` (an offset past the end gives the position just
    /// after the last character). Costs a binary search and the length of the line up to it.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        Position {
            line: saturate(line + 1),
            column: saturate(count_chars(&self.text[start..offset]) + 1),
        }
    }

    /// The positions of sorted offsets, in one pass over the text: linear in the text and the
    /// number of offsets, however long its lines.
    pub fn positions(&self, sorted_offsets: &[usize]) -> Vec<Position> {
        let mut out = Vec::with_capacity(sorted_offsets.len());
        let (mut at, mut line, mut column) = (0usize, 1usize, 1usize);
        for &offset in sorted_offsets {
            let offset = offset.min(self.text.len());
            if offset < at {
                out.push(self.position(offset));
                continue;
            }
            for &b in &self.text[at..offset] {
                if b == b'\n' {
                    line += 1;
                    column = 1;
                } else if b & 0xC0 != 0x80 {
                    column += 1;
                }
            }
            at = offset;
            out.push(Position {
                line: saturate(line),
                column: saturate(column),
            });
        }
        out
    }

    /// The byte offset of a line (from 1) and a column counted in bytes (serde_json's way,
    /// from 1; 0 at the end of an empty input).
    pub fn offset_of_byte_column(&self, line: usize, byte_column: usize) -> usize {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        (start + byte_column.saturating_sub(1)).min(self.text.len())
    }
}

fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Why text could not be parsed: one located diagnostic (`encoding`, `syntax`, `too-deep`,
/// `too-long`, `too-many`, `too-large`) or, for duplicate keys, every one found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    /// The diagnostics, placed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses bytes in a format within limits: size, then encoding, then the limits on the text,
/// then the syntax. The value is the document; a leading byte order mark is dropped.
pub fn parse<'b>(
    bytes: &'b [u8],
    format: Format,
    limits: &Limits,
) -> Result<Parsed<'b>, ParseFailure> {
    let text = checked_text(bytes, format, limits)?;
    let value = parse_checked(text, format, limits)?;
    Ok(Parsed {
        value,
        text,
        format,
    })
}

/// The text of bytes that passed every check short of the syntax: size, encoding, and, for
/// JSON, the limits on the text and duplicate keys (YAML's are checked as it is read). A text
/// that passes can be handed to any JSON parser safely.
pub(crate) fn checked_text<'b>(
    bytes: &'b [u8],
    format: Format,
    limits: &Limits,
) -> Result<&'b str, ParseFailure> {
    let text = decoded_text(bytes, limits)?;
    if format == Format::Json {
        json::prescan(text, limits)?;
    }
    Ok(text)
}

/// The pre-scan of a JSON text [`decoded_text`] gave: the limits on the text and duplicate
/// keys.
pub(crate) fn prescan_json(text: &str, limits: &Limits) -> Result<(), ParseFailure> {
    json::prescan(text, limits)
}

/// The text of bytes within the size limit, valid UTF-8, without its byte order mark.
pub(crate) fn decoded_text<'b>(bytes: &'b [u8], limits: &Limits) -> Result<&'b str, ParseFailure> {
    let fail = |d: Diagnostic| ParseFailure {
        diagnostics: vec![d],
    };
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(fail(Diagnostic::error(
            DiagnosticCode::TooLarge,
            "",
            format!(
                "input is {size} bytes, over the limit of {} bytes",
                limits.max_bytes
            ),
        )));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let position = LineIndex::from_bytes(bytes).position(e.valid_up_to());
        fail(
            Diagnostic::error(
                DiagnosticCode::Encoding,
                "",
                format!("invalid UTF-8 (byte {})", e.valid_up_to()),
            )
            .at(Some(position)),
        )
    })?;
    Ok(text)
}

/// The value of a text [`checked_text`] passed.
pub(crate) fn parse_checked(
    text: &str,
    format: Format,
    limits: &Limits,
) -> Result<Value, ParseFailure> {
    match format {
        Format::Json => json::parse_prescanned(text, limits),
        Format::Yaml => yaml::parse(text, limits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::from_path(Path::new("a.yaml")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("a.YML")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("a.json")), Format::Json);
        assert_eq!(Format::from_path(Path::new("a")), Format::Json);
        assert_eq!("YAML".parse::<Format>(), Ok(Format::Yaml));
        assert!("toml".parse::<Format>().is_err());
    }

    #[test]
    fn positions_count_characters_and_lines() {
        let text = "é\nxé!";
        let index = LineIndex::new(text);
        assert_eq!(index.position(6), Position { line: 2, column: 3 });
        assert_eq!(index.position(0), Position { line: 1, column: 1 });
        assert_eq!(index.position(99), Position { line: 2, column: 4 });
        assert_eq!(
            index.positions(&[0, 3, 6]),
            [
                Position { line: 1, column: 1 },
                Position { line: 2, column: 1 },
                Position { line: 2, column: 3 }
            ]
        );
    }

    #[test]
    fn many_positions_on_one_long_line_take_one_pass() {
        let text = "x".repeat(200_000);
        let index = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..200_000).step_by(4).collect();
        let positions = index.positions(&offsets);
        assert_eq!(positions[10_000].column, 40_001);
    }

    #[test]
    fn reading_refuses_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_file(dir.path(), &Limits::default()).unwrap_err();
        assert!(matches!(error, ReadError::NotAFile { .. }), "{error}");
        #[cfg(unix)]
        {
            let error = read_file(Path::new("/dev/zero"), &Limits::default()).unwrap_err();
            assert!(matches!(error, ReadError::NotAFile { .. }), "{error}");
        }
    }

    #[test]
    fn reading_refuses_a_file_over_the_limit_before_reading_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        std::fs::write(&path, "[1, 2, 3]").unwrap();
        let error = read_file(&path, &Limits::default().with_max_bytes(4)).unwrap_err();
        assert!(
            matches!(
                error,
                ReadError::TooLarge {
                    size: 9,
                    limit: 4,
                    ..
                }
            ),
            "{error}"
        );
    }
}
