//! `threat-interview import FILE [--from FORMAT] [-o OUT]`: an engagement from another tool's
//! model (Threat Dragon JSON, Open Threat Model JSON or YAML, a Threat Modeling Tool `.tm7`, a
//! Threats Manager Studio `.tm` or `.tmj`), with a skeleton scope, participants and calendar to
//! fill in.

use std::path::PathBuf;

use threat_interview::import::{ForeignFormat, import_path};
use threat_interview::io;
use threat_interview::source::Limits;
use threat_interview::{ElementKind, Engagement};

use super::input::{report_import_error, report_save_error};
use super::{Status, count, eprint, eprint_diagnostics, print};

/// Arguments of `import`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The other tool's file: Threat Dragon JSON, Open Threat Model JSON or YAML, a Threat
    /// Modeling Tool `.tm7`, a Threats Manager Studio `.tm` or `.tmj`.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The file's format, when it should not be detected from the content.
    #[arg(
        long = "from",
        value_name = "FORMAT",
        value_parser = format_parser()
    )]
    from: Option<ForeignFormat>,
    /// Where to write the engagement, JSON or YAML by extension; standard output without it.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    /// Overwrite OUT when it exists (an engagement holds answers: it is not overwritten
    /// otherwise).
    #[arg(long)]
    force: bool,
}

/// `--from`: the name of a format, with every name listed in the help and in errors (`tm`
/// and `tmj`, the extensions, are taken for `tms`).
fn format_parser() -> impl clap::builder::TypedValueParser<Value = ForeignFormat> {
    use clap::builder::{PossibleValue, TypedValueParser as _};
    let values = ForeignFormat::all().map(|format| {
        let value = PossibleValue::new(format.as_str());
        if format == ForeignFormat::Tms {
            value.aliases(["tm", "tmj"])
        } else {
            value
        }
    });
    clap::builder::PossibleValuesParser::new(values)
        .map(|name| name.parse::<ForeignFormat>().expect("a listed format"))
}

/// A format in words.
fn words(format: ForeignFormat) -> &'static str {
    match format {
        ForeignFormat::ThreatDragon => "a Threat Dragon model",
        ForeignFormat::Otm => "an Open Threat Model file",
        ForeignFormat::Tm7 => "a Threat Modeling Tool model",
        ForeignFormat::Tms => "a Threats Manager Studio model",
        other => other.as_str(),
    }
}

/// What the engagement's model holds, in words.
fn describe(e: &Engagement) -> String {
    let kind = |k| e.model.elements.iter().filter(|x| x.kind == k).count();
    [
        count(kind(ElementKind::ExternalInteractor), "external interactor"),
        count(kind(ElementKind::Process), "process"),
        count(kind(ElementKind::DataStore), "data store"),
        count(e.model.flows.len(), "flow"),
        count(e.model.boundaries.len(), "boundary"),
    ]
    .into_iter()
    .chain((!e.questions.is_empty()).then(|| count(e.questions.len(), "question")))
    .collect::<Vec<_>>()
    .join(", ")
}

/// Imports the file, prints the warnings and a summary on standard error, and writes the
/// engagement.
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    if let Some(out) = &args.output
        && !args.force
        && out.exists()
    {
        eprint(&format!(
            "{}: error[usage]: the file exists; it is not overwritten without --force\n",
            out.display()
        ));
        return Status::Failure;
    }
    let imported = match import_path(&args.file, args.from, &Limits::default()) {
        Ok(imported) => imported,
        Err(error) => return report_import_error(&file, &error, "nothing imported"),
    };
    eprint_diagnostics(&file, &imported.warnings);
    let engagement = &imported.engagement;
    let summary = format!(
        "{file}: imported {} as the engagement `{}`: {}; {}\n",
        words(imported.format),
        engagement.id,
        describe(engagement),
        count(imported.warnings.len(), "warning"),
    );
    eprint(&summary);
    let Some(out) = &args.output else {
        return print(&io::to_json_string(engagement));
    };
    if let Err(error) = io::save(engagement, out) {
        return report_save_error(out, &error);
    }
    eprint(&format!(
        "{}: written; fill in the participants and the scope, then `threat-interview plan {}`\n",
        out.display(),
        out.display()
    ));
    Status::Valid
}
