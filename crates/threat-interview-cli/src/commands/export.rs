//! `threat-interview export FILE --format otm [-o OUT]`: an engagement's model in another
//! tool's format: Open Threat Model 0.2 JSON, with our kinds, properties, questions and
//! coverage under each item's `attributes.threat_interview`.

use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::import::{OTM_VERSION, to_otm_string};

use super::input::load_engagement;
use super::{Status, count, eprint, print};

/// The formats `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Open Threat Model 0.2, JSON.
    Otm,
}

/// Arguments of `export`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// Where to write it; standard output without it.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Loads the engagement (it must be valid) and writes it in the format.
pub(crate) fn run(args: &Args) -> Status {
    let loaded = match load_engagement(&args.file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let ExportFormat::Otm = args.format;
    let text = to_otm_string(engagement);
    let model = &engagement.model;
    let what = format!(
        "OTM {OTM_VERSION}: {}, {}, {}",
        count(model.boundaries.len(), "trust zone"),
        count(model.elements.len(), "component"),
        count(model.flows.len(), "data flow"),
    );
    let Some(out) = &args.output else {
        eprint(&format!("{}: exported as {what}\n", args.file.display()));
        return print(&text);
    };
    if let Err(error) = std::fs::write(out, text) {
        eprint(&format!(
            "{}: error[io]: cannot write the file: {error}\n",
            out.display()
        ));
        return Status::Failure;
    }
    eprint(&format!("{}: written as {what}\n", out.display()));
    Status::Valid
}
