//! `threat-interview import-answers FILE ANSWERS.csv [--by P] [--at DATE]`: the answers filled
//! in the `answer` column of a CSV that `export --format csv` wrote, added to their questions in
//! one atomic save. Every refused row is printed with its line, and then nothing is saved.

use std::fmt::Write as _;
use std::path::PathBuf;

use threat_interview::error_chain;
use threat_interview::sheet::{ImportDefaults, import_answers};
use threat_interview::source::{Limits, read_file};

use super::input::{edit, load_engagement};
use super::{Status, count, eprint, eprint_diagnostics};

/// Arguments of `import-answers`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The CSV with answers filled in its `answer` column (as `export --format csv` wrote it).
    #[arg(value_name = "ANSWERS.csv")]
    answers: PathBuf,
    /// The participant who answered, for rows whose `answered_by` is empty.
    #[arg(long, value_name = "PARTICIPANT")]
    by: Option<String>,
    /// When, for rows whose `answered_on` is empty: `YYYY-MM-DD`, or an RFC 3339 date and time.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
}

pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let sheet = args.answers.display().to_string();
    let bytes = match read_file(&args.answers, &Limits::default()) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprint(&format!("{sheet}: error[io]: {}\n", error_chain(&error)));
            return Status::Failure;
        }
    };
    let defaults = ImportDefaults::new(args.by.clone(), args.at.clone());
    // A dry run first: refusals are printed once, and a sheet with nothing new leaves the
    // file untouched (not even rewritten).
    let mut trial = match load_engagement(&args.file) {
        Ok(loaded) => loaded.engagement,
        Err(status) => return status,
    };
    let imported = match import_answers(&mut trial, &bytes, &defaults) {
        Ok(imported) => imported,
        Err(report) => {
            eprint_diagnostics(&sheet, &report.errors);
            eprint(&format!(
                "{sheet}: {}; no answer imported into {file}\n",
                count(report.errors.len(), "error")
            ));
            return Status::Invalid;
        }
    };
    if imported.is_empty() {
        eprint(&format!("{sheet}: no new answer; {file} left as it was\n"));
        return Status::Valid;
    }
    let saved = edit(&args.file, |engagement| {
        import_answers(engagement, &bytes, &defaults)
            .map(|_| ())
            .map_err(|report| {
                eprint_diagnostics(&sheet, &report.errors);
                Status::Invalid
            })
    });
    match saved {
        Ok(_) => {
            let mut text = format!(
                "{file}: {} imported from {sheet}\n",
                count(imported.len(), "answer")
            );
            for row in &imported {
                let _ = writeln!(text, "  line {}: {}", row.line, row.question);
            }
            eprint(&text);
            Status::Valid
        }
        Err(status) => status,
    }
}
