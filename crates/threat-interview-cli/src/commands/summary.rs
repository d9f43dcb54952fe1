//! `threat-interview summary FILE`: an engagement at a glance.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use threat_interview::io::{LoadError, LoadOptions};
use threat_interview::validate::validate_path;
use threat_interview::{ElementKind, Engagement};

use super::{OutputFormat, Status, count, diagnostic_line, eprint, error_chain, print};

/// Arguments of `summary`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// How to print the summary.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

/// The counts `summary` prints.
#[derive(Debug, Serialize)]
struct Summary<'a> {
    id: &'a str,
    name: &'a str,
    assurance_level: &'a str,
    external_interactors: usize,
    processes: usize,
    data_stores: usize,
    flows: usize,
    boundaries: usize,
    participants: usize,
    interviews: usize,
    questions: usize,
    hints: usize,
    findings: usize,
    follow_ups: usize,
    warnings: usize,
}

impl<'a> Summary<'a> {
    fn of(engagement: &'a Engagement, warnings: usize) -> Self {
        let elements = |kind| {
            engagement
                .model
                .elements
                .iter()
                .filter(|e| e.kind == kind)
                .count()
        };
        Summary {
            id: &engagement.id,
            name: &engagement.name,
            assurance_level: engagement.assurance_level.as_str(),
            external_interactors: elements(ElementKind::ExternalInteractor),
            processes: elements(ElementKind::Process),
            data_stores: elements(ElementKind::DataStore),
            flows: engagement.model.flows.len(),
            boundaries: engagement.model.boundaries.len(),
            participants: engagement.participants.len(),
            interviews: engagement.interviews.len(),
            questions: engagement.questions.len(),
            hints: engagement.hints.len(),
            findings: engagement.findings.len(),
            follow_ups: engagement.follow_ups.len(),
            warnings,
        }
    }

    fn human(&self) -> String {
        let elements = self.external_interactors + self.processes + self.data_stores;
        let mut text = format!(
            "{} (`{}`)\nassurance level: {}\nelements: {} ({}, {}, {})\n",
            self.name,
            self.id,
            self.assurance_level,
            elements,
            count(self.external_interactors, "external interactor"),
            count(self.processes, "process"),
            count(self.data_stores, "data store"),
        );
        for (label, n) in [
            ("flows", self.flows),
            ("boundaries", self.boundaries),
            ("participants", self.participants),
            ("interviews", self.interviews),
            ("questions", self.questions),
            ("hints", self.hints),
            ("findings", self.findings),
            ("follow-ups", self.follow_ups),
        ] {
            let _ = writeln!(text, "{label}: {n}");
        }
        if self.warnings > 0 {
            let _ = writeln!(
                text,
                "{} (run `threat-interview validate` to see them)",
                count(self.warnings, "warning")
            );
        }
        text
    }
}

/// Prints the summary of a valid engagement; an invalid one gets its errors instead.
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let validation = match validate_path(&args.file, LoadOptions::default()) {
        Ok(validation) => validation,
        Err(error) => {
            let message = match &error {
                LoadError::Io { source, .. } => format!("cannot read the file: {source}"),
                other => error_chain(other),
            };
            eprint(&format!("{file}: error[io]: {message}\n"));
            return Status::Failure;
        }
    };
    let report = validation.report;
    let engagement = match validation.engagement {
        Some(engagement) if report.is_valid() => engagement,
        _ => {
            for d in &report.errors {
                eprint(&diagnostic_line(&file, d));
            }
            eprint(&format!(
                "{file} is not a valid engagement: {}\n",
                count(report.errors.len(), "error")
            ));
            return Status::Invalid;
        }
    };
    let summary = Summary::of(&engagement, report.warnings.len());
    match args.format {
        OutputFormat::Human => print(&summary.human()),
        OutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&summary).unwrap_or_default();
            text.push('\n');
            print(&text);
        }
    }
    Status::Valid
}
