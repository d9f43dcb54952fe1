//! `threat-interview summary FILE`: an engagement at a glance.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use threat_interview::{ElementKind, Engagement};

use super::input::load_engagement;
use super::{OutputFormat, Status, count, print, print_json};

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
    let loaded = match load_engagement(&args.file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let summary = Summary::of(&loaded.engagement, loaded.warnings.len());
    match args.format {
        OutputFormat::Human => print(&summary.human()),
        OutputFormat::Json => print_json(&summary),
    }
}
