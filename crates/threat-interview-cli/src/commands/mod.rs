//! One module per subcommand. A new subcommand is a new module here and one variant of
//! `Command` in `main.rs`.

pub(crate) mod coverage;
pub(crate) mod input;
pub(crate) mod plan;
pub(crate) mod questions;
pub(crate) mod schema;
pub(crate) mod summary;
pub(crate) mod validate;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use threat_interview::Engagement;
use threat_interview::validate::Diagnostic;

/// How a command ended, from best to worst; the worst outcome of a run is its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// Everything is valid (warnings allowed): exit 0.
    Valid,
    /// Something is invalid: exit 1.
    Invalid,
    /// A usage error or a file that cannot be read: exit 2.
    Failure,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(match status {
            Status::Valid => 0,
            Status::Invalid => 1,
            Status::Failure => 2,
        })
    }
}

/// How results are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Lines for people: `path:line:column: error[code]: message (at /pointer)`.
    #[default]
    Human,
    /// JSON for programs.
    Json,
}

/// How `questions` and `plan` print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum GuideFormat {
    /// Aligned columns for a terminal.
    #[default]
    Table,
    /// JSON for programs.
    Json,
    /// A Markdown interview guide.
    Md,
}

/// Saves an engagement atomically, reporting a failure on standard error.
pub(crate) fn save_engagement(engagement: &Engagement, path: &Path) -> Result<(), Status> {
    threat_interview::io::save(engagement, path).map_err(|error| {
        eprint(&format!(
            "{}: error[io]: {}\n",
            path.display(),
            error_chain(&error)
        ));
        Status::Failure
    })
}

/// Writes to standard output, ignoring a closed pipe (`| head`).
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes to standard error, ignoring failures.
pub(crate) fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// One diagnostic as a line: `path:line:column: error[code]: message (at /pointer)`.
pub(crate) fn diagnostic_line(file: &str, d: &Diagnostic) -> String {
    let place = match (d.line, d.column) {
        (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
        (Some(line), None) => format!("{file}:{line}"),
        _ => file.to_owned(),
    };
    let at = if d.pointer.is_empty() {
        String::new()
    } else {
        format!(" (at {})", d.pointer)
    };
    format!(
        "{place}: {}[{}]: {}{at}\n",
        d.severity.as_str(),
        d.code,
        d.message
    )
}

/// An error and its causes, joined by `: `.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `1 error`, `2 errors`, `3 processes`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    match (n, noun.ends_with('s')) {
        (1, _) => format!("{n} {noun}"),
        (_, true) => format!("{n} {noun}es"),
        (_, false) => format!("{n} {noun}s"),
    }
}
