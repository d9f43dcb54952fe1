//! `threat-interview readiness FILE`: how far the preparation has come, what is missing, and
//! the effort ahead (`docs/workflow.md`).

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use threat_interview::readiness::{Effort, Readiness, readiness};

use super::input::load_engagement;
use super::{OutputFormat, Status, count, print, print_json};
use crate::table::{WIDTH, wrap};

/// Arguments of `readiness`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

/// The JSON output: the report and the effort in hours.
#[derive(Debug, Serialize)]
struct Output<'a> {
    engagement: &'a str,
    ready: bool,
    #[serde(flatten)]
    readiness: &'a Readiness,
    effort_hours: Hours,
}

#[derive(Debug, Serialize)]
struct Hours {
    preparation: f64,
    interviews: f64,
    analysis: f64,
    total: f64,
}

/// Prints the readiness report; the warnings go to standard output with it, since they are
/// the report. Exit 0 whatever is missing: missing is not invalid.
pub(crate) fn run(args: &Args) -> Status {
    let loaded = match load_engagement(&args.file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let report = readiness(engagement);
    match args.format {
        OutputFormat::Json => {
            let e = report.effort;
            print_json(&Output {
                engagement: &engagement.id,
                ready: report.is_ready(),
                readiness: &report,
                effort_hours: Hours {
                    preparation: Effort::hours(e.preparation_minutes),
                    interviews: Effort::hours(e.interview_minutes),
                    analysis: Effort::hours(e.analysis_minutes),
                    total: Effort::hours(e.total_minutes()),
                },
            })
        }
        OutputFormat::Human => print(&human(&engagement.id, &report)),
    }
}

fn hours(minutes: u32) -> String {
    let h = Effort::hours(minutes);
    format!("{h:.2} h").replace(".00 h", " h")
}

fn human(id: &str, r: &Readiness) -> String {
    let mut text = format!("readiness of `{id}` ({} assurance)\n\n", r.level.as_str());
    let _ = writeln!(
        text,
        "scope: {} in, {} out, {}",
        r.scope.in_scope,
        r.scope.out_of_scope,
        count(r.scope.assumptions, "assumption")
    );
    let _ = writeln!(
        text,
        "documents: {} requested, {} received, {} reviewed",
        r.documents.requested, r.documents.received, r.documents.reviewed
    );
    text.push_str("roles:\n");
    for role in &r.roles {
        let who = if role.participants.is_empty() {
            "nobody".to_owned()
        } else {
            role.participants.join(", ")
        };
        let _ = writeln!(
            text,
            "  {:<22} {:<9} {who}",
            role.role.as_str(),
            if role.required {
                "required"
            } else {
                "optional"
            }
        );
    }
    let c = &r.calendar;
    let dates = match (&c.first_date, &c.last_date) {
        (Some(first), Some(last)) if first == last => format!(", on {first}"),
        (Some(first), Some(last)) => format!(", {first} to {last}"),
        _ => String::new(),
    };
    let _ = writeln!(
        text,
        "calendar: {}, {} minutes over {}{dates}",
        count(c.interviews, "interview"),
        c.minutes,
        count(usize::try_from(c.days).unwrap_or(usize::MAX), "day"),
    );
    let _ = writeln!(
        text,
        "calibration: {}",
        if r.calibrated { "recorded" } else { "missing" }
    );
    let e = r.effort;
    let _ = write!(
        text,
        "\neffort, for one threat modeler ({} model items, {} STRIDE pairs):\n  preparation  {:>8}\n  interviews   {:>8}\n  analysis     {:>8}\n  total        {:>8}\n",
        e.model_items,
        e.stride_pairs,
        hours(e.preparation_minutes),
        hours(e.interview_minutes),
        hours(e.analysis_minutes),
        hours(e.total_minutes()),
    );
    if r.warnings.is_empty() {
        text.push_str("\nready: nothing is missing\n");
    } else {
        let _ = writeln!(text, "\nmissing ({}):", count(r.warnings.len(), "warning"));
        for d in &r.warnings {
            let line = format!("{}[{}] at {}: {}", d.severity, d.code, d.pointer, d.message);
            for (n, part) in wrap(&line, WIDTH - 4).iter().enumerate() {
                let _ = writeln!(text, "{}{part}", if n == 0 { "  " } else { "    " });
            }
        }
    }
    text
}
