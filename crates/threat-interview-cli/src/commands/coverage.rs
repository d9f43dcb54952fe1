//! `threat-interview coverage FILE`: which applicable STRIDE categories of every in-scope
//! element and flow have been asked about or answered, and the gaps.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::coverage::{Coverage, CoverageStatus};
use threat_interview::{Stride, SubjectKind};

use super::input::load_engagement;
use super::questions::gap_lines;
use super::{Status, print};

/// How `coverage` prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum CoverageFormat {
    /// A grid of subjects by STRIDE category, then the totals and the gaps.
    #[default]
    Table,
    /// JSON for programs.
    Json,
}

/// Arguments of `coverage`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// How to print the coverage.
    #[arg(long, value_enum, default_value_t)]
    format: CoverageFormat,
}

/// Prints the coverage of the engagement by its recorded questions.
pub(crate) fn run(args: &Args) -> Status {
    let engagement = match load_engagement(&args.file) {
        Ok(engagement) => engagement,
        Err(status) => return status,
    };
    let coverage = Coverage::of(&engagement);
    let text = match args.format {
        CoverageFormat::Json => {
            let mut text = serde_json::to_string_pretty(&coverage).unwrap_or_default();
            text.push('\n');
            text
        }
        CoverageFormat::Table => {
            let mut text = table(&coverage);
            if engagement.questions.is_empty() {
                text.push_str(
                    "the engagement has no questions yet: run `threat-interview questions FILE --write`\n",
                );
            }
            text
        }
    };
    print(&text);
    Status::Valid
}

fn mark(status: Option<CoverageStatus>) -> &'static str {
    match status {
        None => "",
        Some(CoverageStatus::Answered) => "answered",
        Some(CoverageStatus::Asked) => "asked",
        Some(CoverageStatus::Skipped) => "SKIPPED",
        Some(CoverageStatus::NotSurfaced) => "GAP",
    }
}

fn table(coverage: &Coverage) -> String {
    // One row per subject, in interview order.
    let mut rows: Vec<(&str, SubjectKind, [Option<CoverageStatus>; 6])> = Vec::new();
    for item in &coverage.items {
        if rows.last().is_none_or(|r| r.0 != item.subject) {
            rows.push((&item.subject, item.kind, [None; 6]));
        }
        let slot = Stride::ALL
            .iter()
            .position(|&s| s == item.category)
            .expect("a STRIDE category");
        rows.last_mut().expect("a row").2[slot] = Some(item.status);
    }
    let id_w = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(7);
    let mut text = format!("{:<id_w$}  {:<19}", "SUBJECT", "KIND");
    for s in Stride::ALL {
        let _ = write!(text, "  {:<8}", s.letter());
    }
    text.truncate(text.trim_end().len());
    text.push('\n');
    for (id, kind, marks) in &rows {
        let _ = write!(text, "{id:<id_w$}  {:<19}", kind.as_str());
        for m in marks {
            let _ = write!(text, "  {:<8}", mark(*m));
        }
        text.truncate(text.trim_end().len());
        text.push('\n');
    }
    text.push_str("\nby category:\n");
    for (category, t) in &coverage.by_category {
        let _ = writeln!(
            text,
            "  {:<24} {:>4} pairs  {:>4} answered  {:>4} asked  {:>4} gaps",
            category.title(),
            t.pairs,
            t.answered,
            t.asked,
            t.gaps()
        );
    }
    text.push_str("by role:\n");
    for (role, t) in &coverage.by_role {
        let _ = writeln!(
            text,
            "  {role:<24} {:>4} questions  {:>4} answered  {:>4} open  {:>4} asked  {:>4} skipped  {:>5} min",
            t.questions, t.answered, t.open, t.asked, t.skipped, t.minutes
        );
    }
    text.push_str(&gap_lines(coverage));
    text
}
