//! `threat-interview coverage FILE`: which applicable STRIDE categories of every in-scope
//! element and flow have been asked about or answered, and the gaps.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::coverage::{Coverage, CoverageStatus};
use threat_interview::{Stride, SubjectKind};

use super::input::load_engagement;
use super::questions::gap_lines;
use super::{Status, print, print_json};
use crate::table::{Table, WIDTH};

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
        Ok(loaded) => loaded.engagement,
        Err(status) => return status,
    };
    let coverage = Coverage::of(&engagement);
    match args.format {
        CoverageFormat::Json => print_json(&coverage),
        CoverageFormat::Table => {
            let mut text = String::new();
            if engagement.questions.is_empty() {
                text.push_str(
                    "no questions recorded yet: every pair is not surfaced until `plan FILE --write`\n",
                );
            }
            text.push_str(&table(&coverage));
            print(&text)
        }
    }
}

fn mark(status: Option<CoverageStatus>) -> &'static str {
    match status {
        None => "",
        Some(CoverageStatus::Answered) => "answered",
        Some(CoverageStatus::Asked) => "asked",
        Some(CoverageStatus::Planned) => "planned",
        Some(CoverageStatus::Generated) => "no agenda",
        Some(CoverageStatus::Skipped) => "SKIPPED",
        Some(CoverageStatus::NotSurfaced) => "GAP",
    }
}

fn short(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::ExternalInteractor => "interactor",
        SubjectKind::Process => "process",
        SubjectKind::DataStore => "data store",
        SubjectKind::DataFlow => "data flow",
    }
}

fn table(coverage: &Coverage) -> String {
    // One row per subject, in interview order.
    let mut rows: Vec<(&str, SubjectKind, [Option<CoverageStatus>; 6])> = Vec::new();
    for item in &coverage.items {
        if rows.last().is_none_or(|r| r.0 != item.subject) {
            rows.push((&item.subject, item.kind, [None; 6]));
        }
        if let Some(row) = rows.last_mut() {
            row.2[item.category as usize] = Some(item.status);
        }
    }
    let mut headers = vec!["SUBJECT".to_owned(), "KIND".to_owned()];
    headers.extend(Stride::ALL.iter().map(|s| s.letter().to_string()));
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut grid = Table::new(&headers, 8).cap(0, 26).cap(1, 10);
    for (id, kind, marks) in &rows {
        let mut cells = vec![(*id).to_owned(), short(*kind).to_owned()];
        cells.extend(marks.iter().map(|m| mark(*m).to_owned()));
        grid.row(cells);
    }
    let mut text = grid.render(WIDTH);
    text.push_str("\nby category:\n");
    for (category, t) in &coverage.by_category {
        let _ = writeln!(
            text,
            "  {:<24} {:>4} pairs {:>4} answered {:>4} asked {:>4} planned {:>4} no agenda {:>4} gaps",
            category.title(),
            t.pairs,
            t.answered,
            t.asked,
            t.planned,
            t.generated,
            t.gaps()
        );
    }
    text.push_str("by role:\n");
    for (role, t) in &coverage.by_role {
        let _ = writeln!(
            text,
            "  {:<18} {:>4} questions  {:>4} answered  {:>4} open  {:>4} asked  {:>4} skipped  {:>5} min",
            crate::table::cut(role, 18),
            t.questions,
            t.answered,
            t.open,
            t.asked,
            t.skipped,
            t.minutes
        );
    }
    text.push_str(&gap_lines(coverage));
    text
}
