//! Loading and saving engagement files.
//!
//! **Loading** is one pipeline, the same for every caller: read the file within the [`Limits`]
//! ([`crate::source::read_file`]), parse it with positions (JSON or YAML by extension), check
//! its structure against the published JSON Schema, then its meaning
//! ([`crate::validate`]). [`load`] returns a [`Loaded`] engagement only when there is no
//! error; its warnings and the file's [`Revision`] come with it. Every problem is a located
//! [`Diagnostic`] in [`LoadError::Invalid`]; only a file that cannot be read at all is
//! [`LoadError::Read`].
//!
//! **Saving** never loses data. [`save_with`] writes canonical text (the same bytes for the
//! same engagement) and:
//!
//! - refuses an engagement that does not validate ([`SaveError::Invalid`]): no file the library
//!   writes is rejected by `validate`;
//! - with [`SaveOptions::expecting`], refuses to overwrite a file that changed since it was
//!   loaded ([`SaveError::Conflict`]): two processes recording answers into one file never
//!   silently drop each other's answers (the check and the write happen under a lock on the
//!   file's directory);
//! - refuses to drop the comments of a YAML file unless told to ([`SaveError::YamlComments`]);
//! - writes through a symbolic link to its target, keeps the file's permissions and owner, and
//!   keeps hard links (a file with several links is rewritten in place, with a backup restored
//!   if the write fails);
//! - otherwise writes a temporary file in the same directory, flushes it to disk and renames it
//!   over the target, so that a failed save leaves the old file as it was.
//!
//! ```
//! use threat_interview::io::{Format, load_str, to_json_string};
//!
//! let text = r#"{"schema_version": 1, "id": "e1", "name": "Shop", "assurance_level": "fast",
//!                "scope": {"out_of_scope": ["the mobile app"]}}"#;
//! let loaded = load_str(text, Format::Json).unwrap();
//! assert_eq!(loaded.engagement.name, "Shop");
//! assert!(to_json_string(&loaded.engagement).ends_with("}\n"));
//! ```

use std::fmt;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::Engagement;
use crate::source::{self, ReadError};
use crate::validate::{Validation, validate_bytes};

pub use crate::validate::LoadOptions;

pub use crate::source::{Format, Limits};

/// What a file held when it was read: a fingerprint of its bytes (64-bit FNV-1a), stable across
/// processes and versions, so that a save can tell whether the file changed since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Revision(u64);

impl Revision {
    /// The revision of some bytes.
    pub fn of(bytes: &[u8]) -> Revision {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        Revision(hash)
    }

    /// The fingerprint, as a number.
    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// The revision a fingerprint names (as [`Revision::as_u64`] gave it).
    pub fn from_u64(value: u64) -> Revision {
        Revision(value)
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// A valid engagement as loaded, with its warnings and the revision of the bytes it came from.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Loaded {
    /// The engagement.
    pub engagement: Engagement,
    /// The warnings validation found (errors stop the load).
    pub warnings: Vec<Diagnostic>,
    /// The revision of the bytes read, for [`SaveOptions::expecting`].
    pub revision: Revision,
    /// The syntax the engagement was read from.
    pub format: Format,
}

impl Loaded {
    /// The engagement as known to be valid (loading validated it), for generation and
    /// planning.
    pub fn checked(&self) -> crate::validate::Checked<'_> {
        crate::validate::Checked::trusted(&self.engagement)
    }
}

/// Why an engagement could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The file could not be read at all.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The input is not a valid engagement: the report lists every problem, located.
    #[error("{}", report.summary("engagement"))]
    Invalid {
        /// Every problem found.
        report: Box<Report>,
    },
}

impl LoadError {
    /// The report of every problem: the read error as an `io` or `too-large` diagnostic, or the
    /// validation report.
    pub fn report(&self) -> Report {
        match self {
            LoadError::Read(error) => Report::one(error.to_diagnostic()),
            LoadError::Invalid { report } => (**report).clone(),
        }
    }
}

/// Loads the engagement file at `path`, JSON or YAML by extension, with the default limits.
pub fn load(path: impl AsRef<Path>) -> Result<Loaded, LoadError> {
    load_with(path, &LoadOptions::default())
}

/// Loads the engagement file at `path` with the given options.
pub fn load_with(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let path = path.as_ref();
    let bytes = source::read_file(path, &options.limits)?;
    load_slice_with(&bytes, Format::from_path(path), options)
}

/// Loads an engagement from text.
pub fn load_str(text: &str, format: Format) -> Result<Loaded, LoadError> {
    load_slice_with(text.as_bytes(), format, &LoadOptions::default())
}

/// Loads an engagement from bytes, which must be UTF-8, with the given options.
pub fn load_slice_with(
    bytes: &[u8],
    format: Format,
    options: &LoadOptions,
) -> Result<Loaded, LoadError> {
    let Validation { report, engagement } = validate_bytes(bytes, format, options);
    match engagement {
        Some(engagement) if report.is_valid() => Ok(Loaded {
            engagement,
            warnings: report.warnings,
            revision: Revision::of(bytes),
            format,
        }),
        _ => Err(LoadError::Invalid {
            report: Box::new(report),
        }),
    }
}

/// The canonical JSON text of an engagement: pretty, two-space indent, trailing newline.
pub fn to_json_string(engagement: &Engagement) -> String {
    // Serializing an engagement cannot fail: every map has string keys and every number is
    // finite; the fallback keeps this total anyway.
    let mut text = serde_json::to_string_pretty(engagement).unwrap_or_else(|_| "{}".to_owned());
    text.push('\n');
    text
}

/// The canonical YAML text of an engagement.
pub fn to_yaml_string(engagement: &Engagement) -> String {
    let value = serde_json::to_value(engagement).unwrap_or_default();
    source::to_yaml_string(&value)
}

/// How to save.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SaveOptions {
    /// The revision the file must still have: the one it was loaded at. `None` overwrites
    /// whatever is there.
    pub expected: Option<Revision>,
    /// Whether a YAML file's comments may be dropped (they cannot survive a save).
    pub drop_yaml_comments: bool,
}

impl SaveOptions {
    /// These options, refusing to overwrite a file that no longer has this revision.
    #[must_use]
    pub fn expecting(mut self, revision: Revision) -> Self {
        self.expected = Some(revision);
        self
    }

    /// These options, allowing a YAML file's comments to be dropped.
    #[must_use]
    pub fn dropping_yaml_comments(mut self) -> Self {
        self.drop_yaml_comments = true;
        self
    }
}

/// Why an engagement was not saved. The file at the target path, if any, is unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SaveError {
    /// Reading, writing, flushing or renaming failed.
    #[error("cannot write `{}`", path.display())]
    Io {
        /// The target file.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
    /// The file changed since it was loaded: saving would overwrite someone else's work.
    #[error(
        "`{}` changed since it was loaded (revision {expected}, now {}); load it again and redo the change",
        path.display(),
        found.map_or_else(|| "removed".to_owned(), |r| r.to_string())
    )]
    Conflict {
        /// The target file.
        path: PathBuf,
        /// The revision it was loaded at.
        expected: Revision,
        /// The revision it has now; `None` when it was removed.
        found: Option<Revision>,
    },
    /// The YAML file has comments, which a save cannot keep.
    #[error(
        "`{}` has YAML comments (the first at line {}, column {}) that a save would drop; save it as JSON, remove them, or allow dropping them",
        path.display(), position.line, position.column
    )]
    YamlComments {
        /// The target file.
        path: PathBuf,
        /// Where the first comment is.
        position: source::Position,
    },
    /// The engagement is invalid: it is not written, so that no file the library writes is
    /// rejected by `validate`.
    #[error("{}", report.summary("engagement"))]
    Invalid {
        /// Every problem.
        report: Box<Report>,
    },
}

/// Saves an engagement atomically, as JSON or YAML by the path's extension, overwriting
/// whatever is there. Returns the revision of what was written.
pub fn save(engagement: &Engagement, path: impl AsRef<Path>) -> Result<Revision, SaveError> {
    save_with(engagement, path, &SaveOptions::default())
}

/// Saves an engagement with options (see the module documentation). Returns the revision of
/// what was written.
pub fn save_with(
    engagement: &Engagement,
    path: impl AsRef<Path>,
    options: &SaveOptions,
) -> Result<Revision, SaveError> {
    let path = path.as_ref();
    let report = engagement.validate();
    if !report.is_valid() {
        return Err(SaveError::Invalid {
            report: Box::new(report),
        });
    }
    let text = match Format::from_path(path) {
        Format::Json => to_json_string(engagement),
        Format::Yaml => to_yaml_string(engagement),
    };
    let io_error = |source| SaveError::Io {
        path: path.to_owned(),
        source,
    };
    let (target, dir) = target_and_dir(path).map_err(io_error)?;
    let _lock = DirLock::acquire(&dir).map_err(io_error)?;
    let current = match std::fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(io_error(error)),
    };
    if let Some(expected) = options.expected {
        let found = current.as_deref().map(Revision::of);
        if found != Some(expected) {
            return Err(SaveError::Conflict {
                path: path.to_owned(),
                expected,
                found,
            });
        }
    }
    if Format::from_path(path) == Format::Yaml
        && !options.drop_yaml_comments
        && let Some(text) = current.as_deref().and_then(|b| std::str::from_utf8(b).ok())
        && let Some(position) = source::first_comment(text)
    {
        return Err(SaveError::YamlComments {
            path: path.to_owned(),
            position,
        });
    }
    write_file(&target, &dir, text.as_bytes(), current.as_deref()).map_err(io_error)?;
    Ok(Revision::of(text.as_bytes()))
}

/// The file a path names (through a symbolic link) and its directory.
fn target_and_dir(path: &Path) -> std::io::Result<(PathBuf, PathBuf)> {
    let target = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => path.to_owned(),
        Err(error) => return Err(error),
    };
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    Ok((target, dir))
}

/// Writes a file that is not an engagement (an export: OTM, a Threats Manager Studio model or
/// question file) the way a save writes one: through a temporary file renamed over the old one,
/// so that a failed write leaves the old file whole and a reader never sees half a file.
pub fn write_bytes(path: impl AsRef<Path>, bytes: &[u8]) -> std::io::Result<()> {
    let (target, dir) = target_and_dir(path.as_ref())?;
    let _lock = DirLock::acquire(&dir)?;
    let current = match std::fs::read(&target) {
        Ok(bytes) => Some(bytes),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    write_file(&target, &dir, bytes, current.as_deref())
}

/// Writes `bytes` to `target` (whose current content is `current`) without losing the old file
/// on failure, keeping its permissions, owner and hard links.
fn write_file(
    target: &Path,
    dir: &Path,
    bytes: &[u8],
    current: Option<&[u8]>,
) -> std::io::Result<()> {
    let metadata = match std::fs::metadata(target) {
        Ok(metadata) => Some(metadata),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
        Err(error) => return Err(error),
    };
    if let (Some(metadata), Some(current)) = (&metadata, current)
        && links(metadata) > 1
    {
        return write_in_place(target, dir, bytes, current);
    }
    let name = target
        .file_name()
        .map_or_else(|| "engagement".into(), |n| n.to_string_lossy());
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    if let Some(metadata) = &metadata {
        temp.as_file().set_permissions(metadata.permissions())?;
        if !keep_owner(temp.as_file(), metadata) {
            // The owner cannot be given back to a new file (only the owner's own process or
            // root can): rewrite the file itself, which keeps it.
            drop(temp);
            if let Some(current) = current {
                return write_in_place(target, dir, bytes, current);
            }
            return Err(std::io::Error::other("cannot keep the file's owner"));
        }
    }
    temp.as_file().sync_all()?;
    temp.persist(target).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform lets a directory be opened.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Rewrites a file in place (keeping its inode, so its hard links and owner), with a backup in
/// the same directory that is written back if the rewrite fails.
fn write_in_place(target: &Path, dir: &Path, bytes: &[u8], current: &[u8]) -> std::io::Result<()> {
    let mut backup = tempfile::Builder::new()
        .prefix(".backup.")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    backup.write_all(current)?;
    backup.as_file().sync_all()?;
    let rewrite = |content: &[u8]| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(target)?;
        file.write_all(content)?;
        file.sync_all()
    };
    if let Err(error) = rewrite(bytes) {
        // Put the old content back; if even that fails, the backup file stays for the user.
        if rewrite(current).is_err() {
            let _ = backup.keep();
        }
        return Err(error);
    }
    Ok(())
}

#[cfg(unix)]
fn links(metadata: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink()
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Gives a new file the owner of the old one; false when that is not allowed.
#[cfg(unix)]
fn keep_owner(file: &File, metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(mine) = file.metadata() else {
        return false;
    };
    if mine.uid() == metadata.uid() && mine.gid() == metadata.gid() {
        return true;
    }
    std::os::unix::fs::fchown(file, Some(metadata.uid()), Some(metadata.gid())).is_ok()
}

#[cfg(not(unix))]
fn keep_owner(_: &File, _: &std::fs::Metadata) -> bool {
    true
}

/// An exclusive lock on a directory, held while a save checks the file's revision and replaces
/// it, so that two saves to one directory cannot interleave.
struct DirLock {
    #[allow(dead_code)] // held for its lock, released on drop
    file: Option<File>,
}

impl DirLock {
    #[cfg(unix)]
    fn acquire(dir: &Path) -> std::io::Result<DirLock> {
        let file = File::open(dir)?;
        file.lock()?;
        Ok(DirLock { file: Some(file) })
    }

    #[cfg(not(unix))]
    fn acquire(_: &Path) -> std::io::Result<DirLock> {
        Ok(DirLock { file: None })
    }
}

/// A diagnostic for a save error, for surfaces that report diagnostics.
pub fn save_diagnostic(error: &SaveError) -> Diagnostic {
    Diagnostic::error(
        DiagnosticCode::Io,
        "",
        crate::diagnostic::error_chain(error),
    )
}
