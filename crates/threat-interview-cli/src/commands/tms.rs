//! `threat-interview tms`: Microsoft Threat Modeling Tool and Threats Manager Studio files.
//!
//! - `tms import FILE -o OUT`: a `.tm7`, `.tm` or `.tmj` as an engagement file (JSON or YAML by
//!   extension), what could not be mapped as warnings;
//! - `tms export FILE --into MODEL.tm -o OUT.tm`: the engagement's questions and answers
//!   written into a copy of the model as topics to be clarified;
//! - `tms bank -o OUT.tmq`: the question bank as a question file for the Quality extension,
//!   and the templates that have no rule there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use threat_interview::import::tms_export::{TopicOptions, question_file, write_topics};
use threat_interview::import::{ForeignFormat, ImportError, import_path};
use threat_interview::source::{Limits, read_file};
use threat_interview::{error_chain, io};

use super::input::{load_banks, load_engagement, report_save_error};
use super::{Status, count, eprint, eprint_diagnostics, print};

/// The formats `tms import --from` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum From {
    /// Microsoft Threat Modeling Tool `.tm7`.
    Tm7,
    /// Threats Manager Studio `.tm` or `.tmj`.
    Tms,
}

impl std::convert::From<From> for ForeignFormat {
    fn from(from: From) -> Self {
        match from {
            From::Tm7 => ForeignFormat::Tm7,
            From::Tms => ForeignFormat::Tms,
        }
    }
}

/// Arguments of `tms`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import a Threat Modeling Tool `.tm7` or a Threats Manager Studio `.tm`/`.tmj` as an
    /// engagement.
    Import(ImportArgs),
    /// Write an engagement's questions and answers into a copy of a Threats Manager Studio
    /// model, as topics to be clarified.
    Export(ExportArgs),
    /// Write the question bank as a Threats Manager Studio `.tmq` question file.
    Bank(BankArgs),
}

/// Arguments of `tms import`.
#[derive(Debug, clap::Args)]
struct ImportArgs {
    /// The file to import.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The engagement file to write, JSON or YAML by extension.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// The format, when not detected from the content.
    #[arg(long, value_enum)]
    from: Option<From>,
}

/// Arguments of `tms export`.
#[derive(Debug, clap::Args)]
struct ExportArgs {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The Threats Manager Studio model (`.tm` or `.tmj`) the engagement was imported from.
    #[arg(long, value_name = "MODEL")]
    into: PathBuf,
    /// The model to write, with the topics.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// Who asked the questions (`askedBy`).
    #[arg(long, value_name = "NAME", default_value = "threat-interview")]
    asked_by: String,
    /// When, for questions with no answer to date them: `YYYY-MM-DD` or an RFC 3339 date and
    /// time; now when absent.
    #[arg(long, value_name = "DATE")]
    asked_on: Option<String>,
}

/// Arguments of `tms bank`.
#[derive(Debug, clap::Args)]
struct BankArgs {
    /// The question file to write.
    #[arg(short, long, value_name = "OUT")]
    output: PathBuf,
    /// A question bank (JSON or YAML) layered on the built-in one; repeat for several, in order.
    #[arg(long = "bank", value_name = "F")]
    banks: Vec<PathBuf>,
}

pub(crate) fn run(args: &Args) -> Status {
    match &args.command {
        Command::Import(args) => import(args),
        Command::Export(args) => export(args),
        Command::Bank(args) => bank(args),
    }
}

/// Prints an import error; the status to exit with.
fn report_import_error(file: &str, error: &ImportError) -> Status {
    if let ImportError::Read(_) = error {
        eprint(&format!("{file}: error[io]: {}\n", error_chain(error)));
        return Status::Failure;
    }
    eprint_diagnostics(file, &error.report().errors);
    eprint(&format!("{file}: not imported\n"));
    Status::Invalid
}

fn import(args: &ImportArgs) -> Status {
    let file = args.file.display().to_string();
    let imported = match import_path(&args.file, args.from.map(Into::into), &Limits::default()) {
        Ok(imported) => imported,
        Err(error) => return report_import_error(&file, &error),
    };
    eprint_diagnostics(&file, &imported.warnings);
    if let Err(error) = io::save(&imported.engagement, &args.output) {
        return report_save_error(&args.output, &error);
    }
    let model = &imported.engagement.model;
    eprint(&format!(
        "{}: imported from {file} ({}): {}, {}, {}, {}\n",
        args.output.display(),
        imported.format.as_str(),
        count(model.elements.len(), "element"),
        count(model.flows.len(), "flow"),
        match model.boundaries.len() {
            1 => "1 boundary".to_owned(),
            n => format!("{n} boundaries"),
        },
        count(imported.warnings.len(), "warning"),
    ));
    Status::Valid
}

/// Writes bytes next to the target then renames them over it, so that a reader never sees half
/// a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".partial");
    let temporary = PathBuf::from(temporary);
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

fn export(args: &ExportArgs) -> Status {
    let loaded = match load_engagement(&args.file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let into = args.into.display().to_string();
    let limits = Limits::default();
    let model = match read_file(&args.into, &limits) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprint(&format!("{into}: error[io]: {}\n", error_chain(&error)));
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
        Err(error) => return report_import_error(&into, &error),
    };
    eprint_diagnostics(&args.file.display().to_string(), &written.warnings);
    let out = args.output.display().to_string();
    if let Err(error) = write_atomically(&args.output, &written.bytes) {
        eprint(&format!("{out}: error[io]: cannot write: {error}\n"));
        return Status::Failure;
    }
    eprint(&format!(
        "{out}: {} and {} written into a copy of {into}\n",
        count(written.topics, "topic"),
        count(written.answers, "answer"),
    ));
    Status::Valid
}

fn bank(args: &BankArgs) -> Status {
    let banks = match load_banks(&args.banks) {
        Ok(banks) => banks,
        Err(status) => return status,
    };
    let file = question_file(&banks);
    let out = args.output.display().to_string();
    if let Err(error) = write_atomically(&args.output, &file.bytes) {
        eprint(&format!("{out}: error[io]: cannot write: {error}\n"));
        return Status::Failure;
    }
    let mut text = format!(
        "{out}: {} written; {} no Threats Manager Studio rule:\n",
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
