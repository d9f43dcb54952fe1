//! One module per subcommand. A new subcommand is a new module here and one variant of
//! `Command` in `main.rs`.

pub(crate) mod answer;
pub(crate) mod ask;
pub(crate) mod calendar;
pub(crate) mod calibrate;
pub(crate) mod coverage;
pub(crate) mod export;
pub(crate) mod finding;
pub(crate) mod follow_up;
pub(crate) mod followups;
pub(crate) mod hint;
pub(crate) mod import;
pub(crate) mod import_answers;
pub(crate) mod input;
pub(crate) mod packs;
pub(crate) mod plan;
pub(crate) mod questions;
pub(crate) mod readiness;
pub(crate) mod recording;
pub(crate) mod schema;
pub(crate) mod summary;
pub(crate) mod validate;

use std::io::Write;
use std::process::ExitCode;

use clap::ValueEnum;
use threat_interview::{Diagnostic, Engagement, Role};

/// How a command ended, from best to worst; the worst outcome of a run is its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Status {
    /// Everything is valid (warnings allowed): exit 0.
    Valid,
    /// Something is invalid: exit 1.
    Invalid,
    /// A usage error, a file that cannot be read or written, output that cannot be written:
    /// exit 2.
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
    /// A table for a terminal, within 100 columns.
    #[default]
    Table,
    /// JSON for programs.
    Json,
    /// A Markdown interview guide.
    Md,
}

/// Writes to standard output. A closed pipe (`| head`) is not a failure; any other write error
/// (a full disk) is reported and makes the run exit 2, so that no caller takes missing output
/// for success.
pub(crate) fn print(text: &str) -> Status {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Status::Valid,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Status::Valid,
        Err(error) => {
            eprint(&format!("error[io]: cannot write the output: {error}\n"));
            Status::Failure
        }
    }
}

/// Prints pretty JSON with a final newline, written as it is serialized (through a buffer,
/// never held whole: a large export would otherwise be built in memory first). Failures are
/// those of [`print`].
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Status {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = serde_json::to_writer_pretty(&mut out, value)
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match written {
        Ok(()) => Status::Valid,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Status::Valid,
        Err(error) => {
            eprint(&format!("error[io]: cannot write the output: {error}\n"));
            Status::Failure
        }
    }
}

/// Stage timings on standard error, `timing: <stage> <ms>`, when the environment variable
/// `THREAT_INTERVIEW_TIMINGS` is set: to see where a run's time goes without a profiler.
pub(crate) struct Timings {
    last: Option<std::time::Instant>,
}

impl Timings {
    /// Timings from now on, when asked for.
    pub(crate) fn start() -> Timings {
        Timings {
            last: std::env::var_os("THREAT_INTERVIEW_TIMINGS").map(|_| std::time::Instant::now()),
        }
    }

    /// Reports the time since the previous stage (or the start) as `stage`'s.
    pub(crate) fn stage(&mut self, stage: &str) {
        if let Some(last) = &mut self.last {
            let now = std::time::Instant::now();
            let ms = now.duration_since(*last).as_secs_f64() * 1e3;
            eprint(&format!("timing: {stage:<10} {ms:>9.2} ms\n"));
            *last = now;
        }
    }
}

/// Writes to standard error, ignoring failures (there is nowhere left to report them).
pub(crate) fn eprint(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Prints diagnostics on standard error, one line each, placed in `file`.
pub(crate) fn eprint_diagnostics<'d>(
    file: &str,
    diagnostics: impl IntoIterator<Item = &'d Diagnostic>,
) {
    let mut text = String::new();
    for d in diagnostics {
        text.push_str(&d.to_line(file));
        text.push('\n');
    }
    eprint(&text);
}

/// `1 error`, `2 errors`, `3 processes`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        return format!("{n} {noun}");
    }
    // `boundary`, `entry`: a consonant then `y` makes `ies` (`key`, `day` keep theirs).
    let consonant_y = noun.strip_suffix('y').filter(|stem| {
        stem.chars()
            .last()
            .is_some_and(|c| !"aeiou".contains(c.to_ascii_lowercase()))
    });
    match consonant_y {
        Some(stem) => format!("{n} {stem}ies"),
        None if noun.ends_with('s') => format!("{n} {noun}es"),
        None => format!("{n} {noun}s"),
    }
}

/// The role `--role` names in an engagement; an unknown one is a usage error (exit 2) that
/// suggests the closest role.
pub(crate) fn resolve_role(
    engagement: &Engagement,
    name: Option<&str>,
) -> Result<Option<Role>, Status> {
    let Some(name) = name else { return Ok(None) };
    Role::resolve(engagement, name).map(Some).map_err(|error| {
        eprint(&format!("error[usage]: {error}\n"));
        Status::Failure
    })
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn nouns_are_counted_in_their_plural() {
        assert_eq!(count(1, "boundary"), "1 boundary");
        assert_eq!(count(3, "boundary"), "3 boundaries");
        assert_eq!(count(2, "day"), "2 days");
        assert_eq!(count(0, "process"), "0 processes");
        assert_eq!(count(2, "question"), "2 questions");
    }
}
