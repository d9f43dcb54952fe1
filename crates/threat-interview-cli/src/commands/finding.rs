//! `threat-interview finding promote|confirm|dismiss|quick-win FILE ID`: turn a hint into a
//! finding with its attack path, give a finding its verdict with a rationale, mark it a quick
//! win; each saved at once. A hint without an attack path is not promoted, and a finding
//! without one is not confirmed.

use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::{AttackStep, Finding, Severity};

use super::input::edit;
use super::recording::refused;
use super::{Status, eprint};

/// Arguments of `finding`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    action: Action,
}

/// What `finding` does.
#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Promote a hint to a finding: needs a conceptual attack path (`--step`, in order).
    Promote(Promote),
    /// Confirm a finding, with the rationale; a finding without an attack path is refused.
    Confirm(Verdict),
    /// Dismiss a finding, with the rationale.
    Dismiss(Verdict),
    /// Mark a finding a quick win (`--off`: no longer one).
    QuickWin(QuickWin),
}

/// Arguments of `finding promote`.
#[derive(Debug, clap::Args)]
struct Promote {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The id of the hint promoted.
    #[arg(value_name = "HINT")]
    hint: String,
    /// A short title.
    #[arg(long)]
    title: String,
    /// One step of the attack path, in order; repeat for each. `SUBJECT: what the attacker
    /// does` puts the step on an element, flow or boundary when SUBJECT is one.
    #[arg(long = "step", value_name = "TEXT")]
    steps: Vec<String>,
    /// The finding's id (`fd-` and the hint's id when absent).
    #[arg(long, value_name = "ID")]
    id: Option<String>,
    /// What the weakness is.
    #[arg(long, value_name = "TEXT")]
    description: Option<String>,
    /// How serious it is.
    #[arg(long, value_enum)]
    severity: Option<SeverityArg>,
    /// Mark it a quick win.
    #[arg(long)]
    quick_win: bool,
}

/// Arguments of `finding confirm` and `finding dismiss`.
#[derive(Debug, clap::Args)]
struct Verdict {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The id of the finding.
    #[arg(value_name = "FINDING")]
    finding: String,
    /// Why: what makes the attack plausible, or what rules it out.
    #[arg(long, value_name = "TEXT")]
    rationale: String,
}

/// Arguments of `finding quick-win`.
#[derive(Debug, clap::Args)]
struct QuickWin {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The id of the finding.
    #[arg(value_name = "FINDING")]
    finding: String,
    /// It is no longer a quick win.
    #[arg(long)]
    off: bool,
}

/// How serious a finding is, as `--severity` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SeverityArg {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
    /// Critical.
    Critical,
}

impl From<SeverityArg> for Severity {
    fn from(severity: SeverityArg) -> Self {
        match severity {
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

/// Runs the action and saves the file.
pub(crate) fn run(args: &Args) -> Status {
    match &args.action {
        Action::Promote(p) => promote(p),
        Action::Confirm(v) => verdict(v, true),
        Action::Dismiss(v) => verdict(v, false),
        Action::QuickWin(q) => quick_win(q),
    }
}

/// An attack step; `SUBJECT: text` names its subject when SUBJECT is one of the model's.
fn step(engagement: &threat_interview::Engagement, text: &str) -> AttackStep {
    if let Some((subject, rest)) = text.split_once(':') {
        let subject = subject.trim();
        let model = &engagement.model;
        let known = model.elements.iter().any(|e| e.id == subject)
            || model.flows.iter().any(|f| f.id == subject)
            || model.boundaries.iter().any(|b| b.id == subject);
        if known && !rest.trim().is_empty() {
            let mut step = AttackStep::new(rest.trim());
            step.subject = Some(subject.to_owned());
            return step;
        }
    }
    AttackStep::new(text)
}

fn promote(args: &Promote) -> Status {
    let file = args.file.display().to_string();
    let id = args
        .id
        .clone()
        .unwrap_or_else(|| format!("fd-{}", args.hint));
    let result = edit(&args.file, |engagement| {
        let steps = args.steps.iter().map(|s| step(engagement, s)).collect();
        let mut finding = Finding::new(id.clone(), args.title.clone(), steps);
        finding.description.clone_from(&args.description);
        finding.severity = args.severity.map(Into::into);
        finding.quick_win = args.quick_win;
        engagement
            .promote_hint(&args.hint, finding)
            .map_err(|error| refused(&file, "finding", &error))
    });
    match result {
        Ok(_) => {
            eprint(&format!(
                "{file}: hint `{}` promoted to finding `{id}`\n",
                args.hint
            ));
            Status::Valid
        }
        Err(status) => status,
    }
}

fn verdict(args: &Verdict, confirm: bool) -> Status {
    let file = args.file.display().to_string();
    let result = edit(&args.file, |engagement| {
        let done = if confirm {
            engagement.confirm_finding(&args.finding, &args.rationale)
        } else {
            engagement.dismiss_finding(&args.finding, &args.rationale)
        };
        done.map_err(|error| refused(&file, "verdict", &error))
    });
    match result {
        Ok(_) => {
            let how = if confirm { "confirmed" } else { "dismissed" };
            eprint(&format!("{file}: finding `{}` {how}\n", args.finding));
            Status::Valid
        }
        Err(status) => status,
    }
}

fn quick_win(args: &QuickWin) -> Status {
    let file = args.file.display().to_string();
    let result = edit(&args.file, |engagement| {
        engagement
            .set_quick_win(&args.finding, !args.off)
            .map_err(|error| refused(&file, "quick win", &error))
    });
    match result {
        Ok(_) => {
            let how = if args.off {
                "no longer a quick win"
            } else {
                "marked a quick win"
            };
            eprint(&format!("{file}: finding `{}` {how}\n", args.finding));
            Status::Valid
        }
        Err(status) => status,
    }
}
