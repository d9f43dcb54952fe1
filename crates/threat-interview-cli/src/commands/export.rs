//! `threat-interview export`: an engagement in another tool's format.
//!
//! - `export FILE --format otm [-o OUT]`: the model as Open Threat Model 0.2 JSON, with our
//!   kinds, properties, questions and coverage under each item's `attributes.threat_interview`;
//! - `export FILE --format tms --into MODEL.tm -o OUT.tm`: the questions and answers written
//!   into a copy of the Threats Manager Studio model as topics to be clarified;
//! - `export --format tmq [-o OUT.tmq] [--bank F]`: the question bank as a Threats Manager
//!   Studio question file, and the templates that have no rule there;
//! - `export FILE --format ics [-o OUT.ics]`: the calendar as iCalendar (RFC 5545), one event
//!   per interview; every interview needs a date (`calendar --start --write` gives them);
//! - `export FILE --format md|html [--interview ID] [-o OUT]`: the interview guide of one
//!   interview or of the whole engagement, in Markdown or as one self-contained HTML file;
//! - `export FILE --format csv [-o OUT.csv]`: the questions and answers, one row per question,
//!   for a spreadsheet (`import-answers` reads the answers filled in back);
//! - `export FILE --format mermaid|dot [-o OUT]`: the component graph, boundaries as nested
//!   subgraphs, crossing flows marked, elements and flows shaded by coverage;
//! - `export FILE --format roadmap [-o OUT.md]`: the findings and roadmap report in Markdown,
//!   quick wins first, then the findings by severity with their attack paths.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use threat_interview::calendar::to_ics;
use threat_interview::import::tms_export::{TopicOptions, question_file, write_topics};
use threat_interview::import::{OTM_VERSION, to_otm_string};
use threat_interview::source::{Limits, read_file};
use threat_interview::{diagram, error_chain, guide, io, sheet};

use super::input::{load_banks, load_engagement, report_import_error};
use super::{Status, count, eprint, eprint_diagnostics, print};

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Open Threat Model 0.2, JSON.
    Otm,
    /// The questions and answers as topics to be clarified in a copy of a Threats Manager Studio
    /// model (`--into`).
    Tms,
    /// The question bank as a Threats Manager Studio `.tmq` question file (no FILE).
    Tmq,
    /// The calendar as iCalendar (RFC 5545), one event per interview.
    Ics,
    /// The interview guide in Markdown (`--interview` for one interview).
    Md,
    /// The interview guide as one self-contained HTML file (`--interview` for one interview).
    Html,
    /// The questions and answers as CSV (RFC 4180), one row per question.
    Csv,
    /// The component graph as a Mermaid flowchart, shaded by coverage.
    Mermaid,
    /// The component graph as Graphviz DOT, shaded by coverage.
    Dot,
    /// The findings and roadmap report in Markdown: quick wins first, then by severity.
    Roadmap,
}

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension (not with `--format tmq`).
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// The format to write.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Where to write it; standard output without it (but for `tms`, where it is required).
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// With `tms`: the Threats Manager Studio model (`.tm` or `.tmj`) the engagement was
    /// imported from.
    #[arg(long, value_name = "MODEL")]
    into: Option<PathBuf>,
    /// With `tms`: who asked the questions (`askedBy`).
    #[arg(long, value_name = "NAME", default_value = "threat-interview")]
    asked_by: String,
    /// With `tms`: when, for questions with no answer to date them: `YYYY-MM-DD` or an RFC 3339
    /// date and time; now when absent.
    #[arg(long, value_name = "DATE")]
    asked_on: Option<String>,
    /// With `tmq`: a question bank (JSON or YAML) layered on the built-in one; repeat for
    /// several, in order.
    #[arg(long = "bank", value_name = "F")]
    banks: Vec<PathBuf>,
    /// With `md` and `html`: the guide of this interview only (by id); the whole engagement's
    /// without it.
    #[arg(long, value_name = "ID")]
    interview: Option<String>,
}

/// A usage error; the status to exit with.
fn usage(message: &str) -> Status {
    eprint(&format!("error[usage]: {message}\n"));
    Status::Failure
}

/// The export on standard output, or written to `-o OUT`; what it is said on standard error
/// (`exported as WHAT`, `written as WHAT`).
fn deliver(args: &Args, file: &Path, text: &str, what: &str) -> Status {
    let Some(out) = &args.output else {
        eprint(&format!("{}: exported as {what}\n", file.display()));
        return print(text);
    };
    if let Err(status) = write(out, text.as_bytes()) {
        return status;
    }
    eprint(&format!("{}: written as {what}\n", out.display()));
    Status::Valid
}

/// Writes the export, keeping the old file whole if that fails.
fn write(out: &Path, bytes: &[u8]) -> Result<(), Status> {
    io::write_bytes(out, bytes).map_err(|error| {
        eprint(&format!(
            "{}: error[io]: cannot write the file: {error}\n",
            out.display()
        ));
        Status::Failure
    })
}

/// Writes the engagement (or, for `tmq`, the bank) in the format.
pub(crate) fn run(args: &Args) -> Status {
    if args.interview.is_some() && !matches!(args.format, ExportFormat::Md | ExportFormat::Html) {
        return usage(
            "`--interview` chooses the interview of a guide: it goes with `--format md` or `--format html`",
        );
    }
    match (args.format, &args.file) {
        (ExportFormat::Tmq, None) => tmq(args),
        (ExportFormat::Tmq, Some(_)) => {
            usage("`--format tmq` writes the question bank: it takes no engagement FILE")
        }
        (_, None) => usage("FILE, the engagement to export, is required"),
        (ExportFormat::Otm, Some(file)) => otm(args, file),
        (ExportFormat::Tms, Some(file)) => tms(args, file),
        (ExportFormat::Ics, Some(file)) => ics(args, file),
        (ExportFormat::Md | ExportFormat::Html, Some(file)) => guide(args, file),
        (ExportFormat::Csv, Some(file)) => questions_csv(args, file),
        (ExportFormat::Mermaid | ExportFormat::Dot, Some(file)) => graph(args, file),
        (ExportFormat::Roadmap, Some(file)) => roadmap(args, file),
    }
}

fn roadmap(args: &Args, file: &Path) -> Status {
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let text = guide::roadmap(engagement);
    let what = format!(
        "a roadmap of {}, in Markdown",
        count(engagement.findings.len(), "finding")
    );
    deliver(args, file, &text, &what)
}

fn graph(args: &Args, file: &Path) -> Status {
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let (text, format) = if args.format == ExportFormat::Dot {
        (diagram::to_dot(engagement), "Graphviz DOT")
    } else {
        (diagram::to_mermaid(engagement), "Mermaid")
    };
    let model = &engagement.model;
    let what = format!(
        "{format}: {}, {}, {}",
        count(model.boundaries.len(), "boundary"),
        count(model.elements.len(), "element"),
        count(model.flows.len(), "flow"),
    );
    deliver(args, file, &text, &what)
}

fn questions_csv(args: &Args, file: &Path) -> Status {
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let text = sheet::to_csv(engagement);
    let what = format!("CSV: {}", count(engagement.questions.len(), "question"));
    deliver(args, file, &text, &what)
}

fn guide(args: &Args, file: &Path) -> Status {
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let interview = args.interview.as_deref();
    let (rendered, format) = if args.format == ExportFormat::Html {
        (guide::to_html(engagement, interview), "HTML")
    } else {
        (guide::to_markdown(engagement, interview), "Markdown")
    };
    let text = match rendered {
        Ok(text) => text,
        Err(error) => return usage(&error.to_string()),
    };
    let what = match interview {
        Some(id) => format!("the interview guide of `{id}`, in {format}"),
        None => format!(
            "the interview guide of {}, in {format}",
            count(engagement.interviews.len(), "interview")
        ),
    };
    deliver(args, file, &text, &what)
}

fn ics(args: &Args, file: &Path) -> Status {
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let text = match to_ics(engagement) {
        Ok(text) => text,
        Err(error) => {
            eprint(&format!("{}: error[usage]: {error}\n", file.display()));
            return Status::Failure;
        }
    };
    let what = format!("iCalendar: {}", count(engagement.interviews.len(), "event"));
    deliver(args, file, &text, &what)
}

fn otm(args: &Args, file: &Path) -> Status {
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let text = to_otm_string(engagement);
    let model = &engagement.model;
    let what = format!(
        "OTM {OTM_VERSION}: {}, {}, {}",
        count(model.boundaries.len(), "trust zone"),
        count(model.elements.len(), "component"),
        count(model.flows.len(), "data flow"),
    );
    deliver(args, file, &text, &what)
}

fn tms(args: &Args, file: &Path) -> Status {
    let (Some(into), Some(out)) = (&args.into, &args.output) else {
        return usage(
            "`--format tms` writes into a copy of a Threats Manager Studio model: give the model with `--into MODEL.tm` and the copy with `-o OUT.tm`",
        );
    };
    let loaded = match load_engagement(file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let into_name = into.display().to_string();
    let limits = Limits::default();
    let model = match read_file(into, &limits) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprint(&format!(
                "{into_name}: error[io]: {}\n",
                error_chain(&error)
            ));
            return Status::Failure;
        }
    };
    let asked_on = args
        .asked_on
        .clone()
        .unwrap_or_else(|| jiff::Timestamp::now().to_string());
    let options = TopicOptions::new(args.asked_by.clone(), asked_on);
    let written = match write_topics(&model, &loaded.engagement, &options, &limits) {
        Ok(written) => written,
        Err(error) => return report_import_error(&into_name, &error, "nothing written"),
    };
    eprint_diagnostics(&file.display().to_string(), &written.warnings);
    if let Err(status) = write(out, &written.bytes) {
        return status;
    }
    eprint(&format!(
        "{}: {} and {} written into a copy of {into_name}\n",
        out.display(),
        count(written.topics, "topic"),
        count(written.answers, "answer"),
    ));
    Status::Valid
}

fn tmq(args: &Args) -> Status {
    let Some(out) = &args.output else {
        // The question file is UTF-16: it goes to a file, not to a terminal.
        return usage("`--format tmq` writes a UTF-16 question file: give it with `-o OUT.tmq`");
    };
    let banks = match load_banks(&args.banks) {
        Ok(banks) => banks,
        Err(status) => return status,
    };
    let file = question_file(&banks);
    if let Err(status) = write(out, &file.bytes) {
        return status;
    }
    let mut text = format!(
        "{}: {} written; {} no Threats Manager Studio rule:\n",
        out.display(),
        count(file.written.len(), "question"),
        if file.without_rule.len() == 1 {
            "1 template has".to_owned()
        } else {
            format!("{} templates have", file.without_rule.len())
        }
    );
    for (id, reason) in &file.without_rule {
        let _ = writeln!(text, "  {id}: {reason}");
    }
    print(&text)
}
