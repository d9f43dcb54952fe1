//! Loading and saving engagement files.
//!
//! Files are JSON or YAML, chosen by extension ([`Format::from_path`]). Loading reads at most
//! [`LoadOptions::max_bytes`] bytes, checks the text is UTF-8, parses it (JSON and YAML alike
//! into one JSON value, so both go through the same checks) and deserializes it into an
//! [`Engagement`]. A file that does not have the engagement's structure fails with
//! [`LoadError::Invalid`], which carries every structural problem found. Loading does not check
//! meaning (dangling references, cycles...): call [`validate_engagement`] for that, or use
//! [`crate::validate::validate_path`] to do both at once.
//!
//! Saving is canonical and atomic: [`to_json_string`] gives pretty JSON with a two-space indent
//! and a trailing newline, the same bytes for the same engagement, and [`save`] writes a
//! temporary file in the target's directory, flushes it to disk and renames it over the target,
//! so a failed save leaves the old file as it was.
//!
//! ```
//! use threat_interview::io::{Format, load_str, to_json_string};
//!
//! let text = r#"{"schema_version": 1, "id": "e1", "name": "Shop", "assurance_level": "fast"}"#;
//! let engagement = load_str(text, Format::Json).unwrap();
//! assert_eq!(engagement.name, "Shop");
//! assert!(to_json_string(&engagement).ends_with("}\n"));
//! ```
//!
//! [`validate_engagement`]: crate::validate::validate_engagement

use std::fmt::{self, Write as _};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::Engagement;
use crate::location::{Position, line_and_byte_column, position_at};
use crate::validate::Report;

/// The default limit on the size of an engagement file: 128 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 128 * 1024 * 1024;

/// The syntax of an engagement file.
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

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Limits applied while loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadOptions {
    /// The largest input accepted, in bytes; [`DEFAULT_MAX_BYTES`] by default.
    pub max_bytes: u64,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

impl LoadOptions {
    /// These options with another size limit.
    #[must_use]
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes;
        self
    }
}

/// Why an engagement could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read `{}`", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The input is larger than the limit.
    #[error("input is {size} bytes, over the limit of {limit} bytes")]
    TooLarge {
        /// The size of the input, in bytes (at least `limit + 1` when it could not be known).
        size: u64,
        /// The limit, in bytes.
        limit: u64,
    },
    /// The input is not UTF-8.
    #[error("invalid UTF-8 at line {}, column {}", position.line, position.column)]
    Encoding {
        /// Where the first invalid byte is.
        position: Position,
    },
    /// The input is not well-formed JSON or YAML.
    #[error("{format} syntax error{}: {message}", at(*position))]
    Syntax {
        /// The syntax the input was read as.
        format: Format,
        /// Where the parser stopped, when it says.
        position: Option<Position>,
        /// What the parser expected.
        message: String,
    },
    /// The input nests deeper than the parser allows (128 levels).
    #[error("input nests too deep{}", at(*position))]
    TooDeep {
        /// Where the parser gave up, when it says.
        position: Option<Position>,
    },
    /// The input is well-formed but is not an engagement: the report lists every problem.
    #[error("{}", summarize(report))]
    Invalid {
        /// Every structural problem found.
        report: Box<Report>,
    },
}

fn at(position: Option<Position>) -> String {
    position.map_or_else(String::new, |p| {
        format!(" at line {}, column {}", p.line, p.column)
    })
}

fn summarize(report: &Report) -> String {
    match report.errors.first() {
        None => "not a valid engagement".to_owned(),
        Some(first) => {
            let mut text = format!("not a valid engagement: {}", first.message);
            if !first.pointer.is_empty() {
                let _ = write!(text, " (at {})", first.pointer);
            }
            if report.errors.len() > 1 {
                let _ = write!(text, " and {} more errors", report.errors.len() - 1);
            }
            text
        }
    }
}

/// Why an engagement could not be saved. The file at the target path, if any, is unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// Writing, flushing or renaming failed.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The target file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The engagement could not be written as YAML.
    #[error("cannot write the engagement as YAML")]
    Yaml(#[source] serde_norway::Error),
}

/// Loads the engagement file at `path`, JSON or YAML by extension, with the default limits.
pub fn load(path: impl AsRef<Path>) -> Result<Engagement, LoadError> {
    load_with(path, LoadOptions::default())
}

/// Loads the engagement file at `path` with the given limits.
pub fn load_with(path: impl AsRef<Path>, options: LoadOptions) -> Result<Engagement, LoadError> {
    let path = path.as_ref();
    let bytes = read_file(path, options)?;
    load_slice_with(&bytes, Format::from_path(path), options)
}

/// Loads an engagement from text.
pub fn load_str(text: &str, format: Format) -> Result<Engagement, LoadError> {
    load_slice(text.as_bytes(), format)
}

/// Loads an engagement from bytes, which must be UTF-8.
pub fn load_slice(bytes: &[u8], format: Format) -> Result<Engagement, LoadError> {
    load_slice_with(bytes, format, LoadOptions::default())
}

/// Loads an engagement from bytes with the given limits.
pub fn load_slice_with(
    bytes: &[u8],
    format: Format,
    options: LoadOptions,
) -> Result<Engagement, LoadError> {
    let (value, text) = parse(bytes, format, options)?;
    if let Ok(engagement) = Engagement::deserialize(&value) {
        return Ok(engagement);
    }
    let (_, report) = crate::validate::check_structure(&value, Some((text, format)));
    Err(LoadError::Invalid {
        report: Box::new(report),
    })
}

/// Reads a file, refusing one larger than the limit before reading it.
pub fn read_file(path: &Path, options: LoadOptions) -> Result<Vec<u8>, LoadError> {
    let io_error = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let file = File::open(path).map_err(io_error)?;
    let declared = file.metadata().map_err(io_error)?.len();
    if declared > options.max_bytes {
        return Err(LoadError::TooLarge {
            size: declared,
            limit: options.max_bytes,
        });
    }
    // The file may grow while it is read, or not know its size (a pipe): read one byte past
    // the limit at most.
    let mut bytes = Vec::new();
    file.take(options.max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    let size = bytes.len() as u64;
    if size > options.max_bytes {
        return Err(LoadError::TooLarge {
            size,
            limit: options.max_bytes,
        });
    }
    Ok(bytes)
}

/// Stage 1 of loading: size, encoding and syntax. Returns the parsed value and the text it
/// was parsed from (without a leading byte order mark).
pub(crate) fn parse(
    bytes: &[u8],
    format: Format,
    options: LoadOptions,
) -> Result<(Value, &str), LoadError> {
    let size = bytes.len() as u64;
    if size > options.max_bytes {
        return Err(LoadError::TooLarge {
            size,
            limit: options.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| LoadError::Encoding {
        position: position_at(bytes, e.valid_up_to()),
    })?;
    let value = match format {
        Format::Json => serde_json::from_str::<Value>(text).map_err(|e| json_error(&e, text))?,
        Format::Yaml => parse_yaml(text)?,
    };
    Ok((value, text))
}

fn json_error(error: &serde_json::Error, text: &str) -> LoadError {
    let position =
        (error.line() > 0).then(|| line_and_byte_column(text, error.line(), error.column()));
    let message = error.to_string();
    let message = strip_location(&message);
    if message.starts_with("recursion limit exceeded") {
        return LoadError::TooDeep { position };
    }
    LoadError::Syntax {
        format: Format::Json,
        position,
        // The one message serde_json starts with a capital.
        message: message.replacen("EOF while", "end of input while", 1),
    }
}

fn parse_yaml(text: &str) -> Result<Value, LoadError> {
    // An empty YAML document is `null`, which the structure check reports.
    serde_norway::from_str::<Value>(text).map_err(|error| {
        let position = error.location().map(|l| Position {
            line: u32::try_from(l.line()).unwrap_or(u32::MAX),
            column: u32::try_from(l.column()).unwrap_or(u32::MAX),
        });
        let message = error.to_string();
        let message = strip_location(&message);
        if message.starts_with("recursion limit exceeded") {
            LoadError::TooDeep { position }
        } else {
            LoadError::Syntax {
                format: Format::Yaml,
                position,
                message: message.to_owned(),
            }
        }
    })
}

/// Drops the ` at line L column C` both parsers append: the position is reported apart.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    }
}

/// The canonical JSON text of an engagement: pretty, two-space indent, trailing newline.
pub fn to_json_string(engagement: &Engagement) -> String {
    let mut text =
        serde_json::to_string_pretty(engagement).expect("an engagement always serializes to JSON");
    text.push('\n');
    text
}

/// The YAML text of an engagement.
pub fn to_yaml_string(engagement: &Engagement) -> Result<String, SaveError> {
    serde_norway::to_string(engagement).map_err(SaveError::Yaml)
}

/// Saves an engagement atomically, as JSON or YAML by the path's extension.
///
/// Writes a temporary file in the same directory, flushes it to disk, gives it the old file's
/// permissions, and renames it over `path`. If any step fails the temporary file is removed and
/// the old file, if any, is left as it was.
pub fn save(engagement: &Engagement, path: impl AsRef<Path>) -> Result<(), SaveError> {
    let path = path.as_ref();
    let text = match Format::from_path(path) {
        Format::Json => to_json_string(engagement),
        Format::Yaml => to_yaml_string(engagement)?,
    };
    write_atomically(path, text.as_bytes()).map_err(|source| SaveError::Io {
        path: path.to_owned(),
        source,
    })
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "engagement".into(), |n| n.to_string_lossy());
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    if let Ok(metadata) = std::fs::metadata(path) {
        temp.as_file().set_permissions(metadata.permissions())?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform lets a directory be opened.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::from_path(Path::new("a.yaml")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("a.YML")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("a.json")), Format::Json);
        assert_eq!(Format::from_path(Path::new("a.txt")), Format::Json);
        assert_eq!(Format::from_path(Path::new("a")), Format::Json);
    }

    #[test]
    fn parser_locations_are_kept_apart_from_the_message() {
        assert_eq!(
            strip_location("EOF while parsing an object at line 3 column 1"),
            "EOF while parsing an object"
        );
        assert_eq!(strip_location("no position"), "no position");
    }
}
