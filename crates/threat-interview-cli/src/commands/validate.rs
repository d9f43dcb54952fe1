//! `threat-interview validate FILE...`: report every problem in engagement files.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use threat_interview::io::LoadOptions;
use threat_interview::validate::validate_path;
use threat_interview::{Diagnostic, Report};

use super::{OutputFormat, Status, count, eprint, print, print_json};

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
    let printed = match args.format {
        OutputFormat::Human => print_human(&results),
        OutputFormat::Json => print_json(&results),
    };
    results
        .iter()
        .map(|r| r.status)
        .max()
        .unwrap_or(Status::Valid)
        .max(printed)
}

fn check(path: &PathBuf) -> FileResult {
    let file = path.display().to_string();
    match validate_path(path, &LoadOptions::default()) {
        Ok(validation) => {
            let Report {
                errors, warnings, ..
            } = validation.report;
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
        Err(error) => FileResult {
            file,
            valid: false,
            errors: vec![error.to_diagnostic()],
            warnings: Vec::new(),
            status: Status::Failure,
        },
    }
}

fn print_human(results: &[FileResult]) -> Status {
    let (mut errors, mut warnings, mut invalid, mut unreadable) = (0, 0, 0, 0);
    let mut out = String::new();
    for result in results {
        let mut text = String::new();
        for d in result.errors.iter().chain(&result.warnings) {
            text.push_str(&d.to_line(&result.file));
            text.push('\n');
        }
        if result.status == Status::Failure {
            eprint(&text);
            unreadable += 1;
            continue;
        }
        out.push_str(&text);
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
    let _ = writeln!(
        out,
        "checked {}: {valid} valid, {invalid} invalid{unreadable}; {}, {}",
        count(results.len(), "file"),
        count(errors, "error"),
        count(warnings, "warning"),
    );
    print(&out)
}
