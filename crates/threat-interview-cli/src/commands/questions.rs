//! `threat-interview questions FILE`: the questions the banks ask about an engagement, in
//! interview order, and `--write` to merge them into the file.

use std::fmt::Write as _;

use serde::Serialize;
use threat_interview::coverage::{Coverage, CoverageItem};
use threat_interview::engine::{MergeReport, generate, merge};
use threat_interview::{Engagement, Question, Role, Stride, SubjectKind};

use super::input::EngagementInput;
use super::{GuideFormat, Status, count, eprint, print, save_engagement};

/// Arguments of `questions`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    input: EngagementInput,
    /// Print only the questions routed to this role (`--write` still merges every question).
    #[arg(long, value_name = "R")]
    role: Option<String>,
    /// How to print the questions.
    #[arg(long, value_enum, default_value_t)]
    format: GuideFormat,
    /// Merge the generated questions into FILE (an atomic save); answers are kept.
    #[arg(long)]
    write: bool,
}

/// What `--format json` prints.
#[derive(Debug, Serialize)]
struct Output<'a> {
    engagement: &'a str,
    questions: Vec<&'a Question>,
    unreachable: Vec<&'a str>,
    coverage_gaps: &'a [CoverageItem],
    bank_gaps: Vec<BankGap>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merge: Option<&'a MergeReport>,
}

/// A (kind, category) pair no template in use covers unconditionally.
#[derive(Debug, Serialize)]
struct BankGap {
    kind: SubjectKind,
    category: Stride,
}

/// Generates, merges in memory, prints, and saves with `--write`.
pub(crate) fn run(args: &Args) -> Status {
    let (mut engagement, banks) = match args.input.load() {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let generated = generate(&engagement, &banks);
    let unreachable: Vec<String> = generated
        .unreachable_ids()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let questions = generated.questions();
    let report = merge(&mut engagement, questions);
    let coverage = Coverage::of(&engagement);
    let role = args.role.as_deref().map(Role::from_name);
    let shown: Vec<&Question> = engagement
        .questions
        .iter()
        .filter(|q| !q.obsolete && role.as_ref().is_none_or(|r| q.role == *r))
        .collect();
    let bank_gaps: Vec<BankGap> = banks
        .unconditional_gaps()
        .into_iter()
        .map(|(kind, category)| BankGap { kind, category })
        .collect();
    let text = match args.format {
        GuideFormat::Json => {
            let output = Output {
                engagement: &engagement.id,
                questions: shown,
                unreachable: unreachable.iter().map(String::as_str).collect(),
                coverage_gaps: &coverage.gaps,
                bank_gaps,
                merge: args.write.then_some(&report),
            };
            let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
            text.push('\n');
            text
        }
        GuideFormat::Table => table(&shown, &unreachable, &coverage, &bank_gaps),
        GuideFormat::Md => markdown(&engagement, &shown, &unreachable, &coverage),
    };
    print(&text);
    if args.write {
        if let Err(status) = save_engagement(&engagement, &args.input.file) {
            return status;
        }
        eprint(&format!(
            "{}: merged: {} added, {} refreshed, {} obsolete, {} revived, {} answered kept\n",
            args.input.file.display(),
            report.added.len(),
            report.refreshed.len(),
            report.obsoleted.len(),
            report.revived.len(),
            report.kept_answered.len()
        ));
    }
    Status::Valid
}

fn subject_of(q: &Question) -> &str {
    q.subjects.first().map_or("(engagement)", String::as_str)
}

fn table(
    questions: &[&Question],
    unreachable: &[String],
    coverage: &Coverage,
    bank_gaps: &[BankGap],
) -> String {
    let width = |f: &dyn Fn(&Question) -> usize, min: usize| {
        questions.iter().map(|q| f(q)).max().unwrap_or(0).max(min)
    };
    let id_w = width(&|q| q.id.len(), 2);
    let role_w = width(&|q| q.role.as_str().len(), 4);
    let mut text = format!(
        "{:>4}  {:<id_w$}  C  {:<role_w$}  P  MIN  {:<8}  QUESTION\n",
        "#", "ID", "ROLE", "STATUS"
    );
    for (i, q) in questions.iter().enumerate() {
        let letter = q.category.map_or('-', Stride::letter);
        let flag = if q.subjects.iter().any(|s| unreachable.contains(s)) {
            " [unreachable]"
        } else {
            ""
        };
        let status = serde_json::to_value(q.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            text,
            "{:>4}  {:<id_w$}  {letter}  {:<role_w$}  {}  {:>3}  {status:<8}  {}{flag}",
            i + 1,
            q.id,
            q.role.as_str(),
            q.priority,
            q.minutes,
            q.text
        );
    }
    let minutes: u64 = questions.iter().map(|q| u64::from(q.minutes)).sum();
    let _ = writeln!(
        text,
        "\n{}, {minutes} minutes",
        count(questions.len(), "question")
    );
    if !unreachable.is_empty() {
        let _ = writeln!(
            text,
            "reachable from no external interactor (asked last): {}",
            unreachable.join(", ")
        );
    }
    text.push_str(&gap_lines(coverage));
    for gap in bank_gaps {
        let _ = writeln!(
            text,
            "warning: no template in use covers {} for every {}",
            gap.category, gap.kind
        );
    }
    text
}

/// The coverage verdict, gaps listed one per line.
pub(crate) fn gap_lines(coverage: &Coverage) -> String {
    let mut text = format!(
        "coverage: {} (subject, category) pairs, {} gaps\n",
        coverage.totals.pairs,
        coverage.totals.gaps()
    );
    for gap in &coverage.gaps {
        let _ = writeln!(
            text,
            "gap: {} `{}` ({}): {} {}",
            gap.kind,
            gap.subject,
            gap.name,
            gap.category,
            gap.status.as_str()
        );
    }
    text
}

fn markdown(
    engagement: &Engagement,
    questions: &[&Question],
    unreachable: &[String],
    coverage: &Coverage,
) -> String {
    let mut text = format!("# Interview guide: {}\n", engagement.name);
    let names = |id: &str| -> String {
        engagement
            .model
            .element(id)
            .map(|e| format!("{} ({})", e.name, e.kind.as_str().replace('_', " ")))
            .or_else(|| {
                engagement
                    .model
                    .flow(id)
                    .map(|f| format!("{} (data flow)", f.name))
            })
            .unwrap_or_else(|| id.to_owned())
    };
    let mut current: Option<&str> = None;
    for q in questions {
        let subject = subject_of(q);
        if current != Some(subject) {
            current = Some(subject);
            let heading = if q.subjects.is_empty() {
                "The engagement".to_owned()
            } else {
                names(subject)
            };
            let flag = if unreachable.iter().any(|u| u == subject) {
                " — reachable from no external interactor"
            } else {
                ""
            };
            let _ = write!(text, "\n## {heading}{flag}\n\n");
        }
        let category = q
            .category
            .map_or(String::new(), |c| format!("{}, ", c.title()));
        let _ = writeln!(
            text,
            "- [{}] {} _({category}{}, {} min, `{}`)_",
            if q.status == threat_interview::QuestionStatus::Answered {
                "x"
            } else {
                " "
            },
            q.text,
            q.role.as_str(),
            q.minutes,
            q.id
        );
        for prompt in &q.follow_up_prompts {
            let _ = writeln!(text, "  - {prompt}");
        }
    }
    let _ = write!(text, "\n## Coverage\n\n");
    if coverage.gaps.is_empty() {
        let _ = writeln!(
            text,
            "Every applicable STRIDE category of every in-scope element and flow has a question ({} pairs).",
            coverage.totals.pairs
        );
    } else {
        let _ = writeln!(text, "{} gaps:\n", coverage.gaps.len());
        for gap in &coverage.gaps {
            let _ = writeln!(
                text,
                "- **{}** `{}`: {} ({})",
                gap.name,
                gap.subject,
                gap.category.title(),
                gap.status.as_str()
            );
        }
    }
    text
}
