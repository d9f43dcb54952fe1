//! The `threat-interview` command: validate engagement files, summarise them, generate their
//! questions, plan their interviews, report coverage, print the published JSON Schema, and
//! import models from other tools (export to them).
//!
//! Exit codes: 0 when every file is valid (warnings allowed), 1 when a file is invalid, 2 on a
//! usage error or a file that cannot be read.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod commands;
mod table;

/// mimalloc rather than the system allocator: a run is mostly small allocations (strings,
/// maps, the questions), and with the system allocator a third of a large run went to
/// allocating, freeing and faulting pages in.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Threat modeling, interview phase: engagement files, questions, coverage.
#[derive(Debug, Parser)]
#[command(name = "threat-interview", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check engagement files (JSON or YAML) and report every problem found.
    Validate(commands::validate::Args),
    /// Print an engagement's name, assurance level, the size of its model and its records.
    Summary(commands::summary::Args),
    /// Print the engagement JSON Schema (`--bank`: the question bank schema).
    Schema(commands::schema::Args),
    /// Generate the questions for an engagement, in interview order (`--write` merges them).
    Questions(commands::questions::Args),
    /// Show how far each STRIDE category of every element and flow has got, and the gaps.
    Coverage(commands::coverage::Args),
    /// Generate the questions and fill every interview's time box, every STRIDE pair first.
    Plan(commands::plan::Args),
    /// Mark a question asked during an interview, or skipped with a reason, saved at once.
    Ask(commands::ask::Args),
    /// Say how far the preparation has come, what is missing, and the effort ahead.
    Readiness(commands::readiness::Args),
    /// Propose a calendar of interviews from a start date (`--write` saves it), or show the
    /// file's.
    Calendar(commands::calendar::Args),
    /// Record an answer to a question or a follow-up, saved at once.
    Answer(commands::answer::Args),
    /// Record a hint (a possible weakness revealed), or dismiss one, saved at once.
    Hint(commands::hint::Args),
    /// Promote a hint to a finding with its attack path, confirm or dismiss a finding, mark a
    /// quick win; saved at once.
    Finding(commands::finding::Args),
    /// Send an open question or a hint to a participant, with a due date, saved at once.
    FollowUp(commands::follow_up::Args),
    /// List the follow-ups, or those overdue on a date.
    Followups(commands::followups::Args),
    /// Record the business stakeholders' weights of the STRIDE categories, saved at once.
    Calibrate(commands::calibrate::Args),
    /// List the question packs; with FILE, which apply and why (`--enable`, `--disable`).
    Packs(commands::packs::Args),
    /// Make an engagement of another tool's model (Threat Dragon, Open Threat Model, Threat
    /// Modeling Tool, Threats Manager Studio).
    Import(commands::import::Args),
    /// Write an engagement in another tool's format (`--format otm|tms|tmq`), its calendar as
    /// iCalendar (`--format ics`), its interview guide (`--format md|html`), or its questions
    /// and answers as CSV (`--format csv`).
    Export(commands::export::Args),
    /// Add the answers filled in a CSV's `answer` column (from `export --format csv`) to their
    /// questions, saved at once.
    ImportAnswers(commands::import_answers::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Validate(args) => commands::validate::run(&args),
        Command::Summary(args) => commands::summary::run(&args),
        Command::Schema(args) => commands::schema::run(&args),
        Command::Questions(args) => commands::questions::run(&args),
        Command::Coverage(args) => commands::coverage::run(&args),
        Command::Plan(args) => commands::plan::run(&args),
        Command::Ask(args) => commands::ask::run(&args),
        Command::Readiness(args) => commands::readiness::run(&args),
        Command::Calendar(args) => commands::calendar::run(&args),
        Command::Answer(args) => commands::answer::run(&args),
        Command::Hint(args) => commands::hint::run(&args),
        Command::Finding(args) => commands::finding::run(&args),
        Command::FollowUp(args) => commands::follow_up::run(&args),
        Command::Followups(args) => commands::followups::run(&args),
        Command::Calibrate(args) => commands::calibrate::run(&args),
        Command::Packs(args) => commands::packs::run(&args),
        Command::Import(args) => commands::import::run(&args),
        Command::Export(args) => commands::export::run(&args),
        Command::ImportAnswers(args) => commands::import_answers::run(&args),
    };
    status.into()
}
