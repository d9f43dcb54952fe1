//! `threat-interview validate FILE...`: report every problem in engagement files.

use std::path::PathBuf;

use serde::Serialize;
use threat_interview::io::{LoadError, LoadOptions};
use threat_interview::validate::{Diagnostic, Report, validate_path};

use super::{OutputFormat, Status, count, diagnostic_line, eprint, error_chain, print};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement files, JSON or YAML by extension.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// How to print the results.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

/// The result for one file, as `--format json` prints it.
#[derive(Debug, Serialize)]
struct FileResult {
    file: String,
    valid: bool,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    #[serde(skip)]
    status: Status,
}

/// Validates every file, prints the results, and returns the worst status.
pub(crate) fn run(args: &Args) -> Status {
    let results: Vec<FileResult> = args.files.iter().map(check).collect();
    match args.format {
        OutputFormat::Human => print_human(&results),
        OutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&results).unwrap_or_default();
            text.push('\n');
            print(&text);
        }
    }
    results
        .iter()
        .map(|r| r.status)
        .max()
        .unwrap_or(Status::Valid)
}

fn check(path: &PathBuf) -> FileResult {
    let file = path.display().to_string();
    match validate_path(path, LoadOptions::default()) {
        Ok(validation) => {
            let Report { errors, warnings } = validation.report;
            let valid = errors.is_empty();
            FileResult {
                file,
                valid,
                errors,
                warnings,
                status: if valid {
                    Status::Valid
                } else {
                    Status::Invalid
                },
            }
        }
        Err(error) => {
            let message = match &error {
                LoadError::Io { source, .. } => format!("cannot read the file: {source}"),
                other => error_chain(other),
            };
            FileResult {
                file,
                valid: false,
                errors: vec![Diagnostic::error("io", "", message)],
                warnings: Vec::new(),
                status: Status::Failure,
            }
        }
    }
}

fn print_human(results: &[FileResult]) {
    let (mut errors, mut warnings, mut invalid, mut unreadable) = (0, 0, 0, 0);
    for result in results {
        let mut text = String::new();
        for d in result.errors.iter().chain(&result.warnings) {
            text.push_str(&diagnostic_line(&result.file, d));
        }
        if result.status == Status::Failure {
            eprint(&text);
            unreadable += 1;
            continue;
        }
        print(&text);
        errors += result.errors.len();
        warnings += result.warnings.len();
        invalid += usize::from(!result.valid);
    }
    let valid = results.len() - invalid - unreadable;
    let unreadable = if unreadable > 0 {
        format!(", {unreadable} unreadable")
    } else {
        String::new()
    };
    print(&format!(
        "checked {}: {valid} valid, {invalid} invalid{unreadable}; {}, {}\n",
        count(results.len(), "file"),
        count(errors, "error"),
        count(warnings, "warning"),
    ));
}
