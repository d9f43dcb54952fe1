//! `threat-interview questions FILE`: the questions the banks ask about an engagement, in
//! interview order, and `--write` to merge them into the file.

use std::fmt::Write as _;

use serde::Serialize;
use threat_interview::coverage::{Coverage, CoverageItem};
use threat_interview::engine::{Engine, MergeReport, PackUse, Questions};
use threat_interview::{Engagement, Question, Stride, SubjectKind};

use super::input::{EngagementInput, load_banks, load_engagement_with, save_expecting};
use super::{GuideFormat, Status, Timings, count, eprint, print, print_json, resolve_role};
use crate::table::{Table, WIDTH};

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
struct Output<'a, 'scope> {
    engagement: &'a str,
    questions: Vec<&'a Question>,
    unreachable: Vec<&'a str>,
    coverage_gaps: Gaps<'scope>,
    bank_gaps: Vec<BankGap>,
    packs: &'a [PackUse],
    #[serde(skip_serializing_if = "Option::is_none")]
    merge: Option<&'a MergeReport>,
}

/// The coverage gaps, worked out on a second thread while the questions before them are
/// written: the gaps are joined when serialization reaches them, so the output is the same
/// bytes in the same order.
struct Gaps<'scope>(
    std::cell::RefCell<Option<std::thread::ScopedJoinHandle<'scope, Vec<CoverageItem>>>>,
);

impl std::fmt::Debug for Gaps<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gaps")
    }
}

impl Serialize for Gaps<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let gaps = self
            .0
            .borrow_mut()
            .take()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .unwrap_or_default();
        gaps.serialize(serializer)
    }
}

/// A (kind, category) pair no template in use covers unconditionally.
#[derive(Debug, Serialize)]
struct BankGap {
    kind: SubjectKind,
    category: Stride,
}

/// Generates, merges in memory, prints, and saves with `--write`.
pub(crate) fn run(args: &Args) -> Status {
    let mut timings = Timings::start();
    // Its warnings are not printed: where each one is written is not looked for.
    let options = threat_interview::validate::LoadOptions::default().with_unplaced_warnings();
    let loaded = match load_engagement_with(&args.input.file, &options) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    timings.stage("load");
    let banks = match load_banks(&args.input.banks) {
        Ok(banks) => banks,
        Err(status) => return status,
    };
    timings.stage("banks");
    let role = match resolve_role(&loaded.engagement, args.role.as_deref()) {
        Ok(role) => role,
        Err(status) => return status,
    };
    let engine = Engine::new(banks);
    let generated = engine.generate(loaded.checked());
    timings.stage("generate");
    warn_unknown_packs(&args.input.file.display().to_string(), &generated);
    let unreachable: Vec<String> = generated
        .unreachable_ids()
        .into_iter()
        .map(str::to_owned)
        .collect();
    // The loaded engagement is merged into as it is: nothing reads it afterwards.
    let revision = loaded.revision;
    let mut engagement = loaded.engagement;
    // The command owns the machine: the questions are rendered on every core.
    let cores = std::thread::available_parallelism().unwrap_or(std::num::NonZeroUsize::MIN);
    let report = generated.merge_into_on(&mut engagement, cores);
    timings.stage("merge");
    let shown: Vec<&Question> = engagement
        .questions
        .iter()
        .filter(|q| !q.obsolete && role.as_ref().is_none_or(|r| q.role == *r))
        .collect();
    let bank_gaps: Vec<BankGap> = engine
        .banks()
        .unconditional_gaps()
        .into_iter()
        .map(|(kind, category)| BankGap { kind, category })
        .collect();
    let printed = match args.format {
        GuideFormat::Json => {
            // Only the gaps are printed: the other pairs' items are not built. They are worked
            // out on the second core while the questions are written.
            let printed = std::thread::scope(|scope| {
                let gaps = scope.spawn(|| Coverage::gaps_of(&engagement));
                print_json(&Output {
                    engagement: &engagement.id,
                    questions: shown,
                    unreachable: unreachable.iter().map(String::as_str).collect(),
                    coverage_gaps: Gaps(std::cell::RefCell::new(Some(gaps))),
                    bank_gaps,
                    packs: generated.packs(),
                    merge: args.write.then_some(&report),
                })
            });
            timings.stage("coverage and print");
            printed
        }
        GuideFormat::Table => {
            let coverage = Coverage::of(&engagement);
            let mut text = table(&shown, &unreachable, &coverage, &bank_gaps);
            text.push_str(&pack_lines(&generated));
            if !args.write {
                text.push_str(
                    "next: `--write` saves these questions into the file; `--format md` prints an interview guide\n",
                );
            }
            print(&text)
        }
        GuideFormat::Md => {
            let coverage = Coverage::of(&engagement);
            print(&markdown(&engagement, &shown, &unreachable, &coverage))
        }
    };
    if args.write {
        if let Err(status) = save_expecting(&engagement, &args.input.file, revision) {
            return status;
        }
        let mut line = format!(
            "{}: merged: {} added, {} refreshed, {} obsolete, {} revived, {} answered kept",
            args.input.file.display(),
            report.added.len(),
            report.refreshed.len(),
            report.obsoleted.len(),
            report.revived.len(),
            report.kept_answered.len()
        );
        // Hints from the model are named only when the merge touched one.
        let hints = [
            (report.hints_recorded.len(), "recorded"),
            (report.hints_refreshed.len(), "refreshed"),
            (report.hints_withdrawn.len(), "withdrawn"),
        ];
        if hints.iter().any(|(n, _)| *n > 0) {
            let said: Vec<String> = hints
                .iter()
                .filter(|(n, _)| *n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
            let _ = write!(
                line,
                "; hints from the model (weaknesses it states): {}",
                said.join(", ")
            );
        }
        line.push('\n');
        eprint(&line);
    }
    // The process ends after this command: its memory goes back to the system at once, so
    // the questions and the model are not freed one string at a time first.
    std::mem::forget(engagement);
    std::mem::forget(generated);
    printed
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
    let unreachable_set: std::collections::HashSet<&str> =
        unreachable.iter().map(String::as_str).collect();
    let mut rows = Table::new(&["#", "C", "P", "MIN", "ROLE", "STATUS", "QUESTION"], 20)
        .right(0)
        .right(3);
    for (i, q) in questions.iter().enumerate() {
        let flag = if q
            .subjects
            .iter()
            .any(|s| unreachable_set.contains(s.as_str()))
        {
            " [unreachable]"
        } else {
            ""
        };
        rows.row(vec![
            (i + 1).to_string(),
            q.category.map_or('-', Stride::letter).to_string(),
            q.priority.to_string(),
            q.minutes.to_string(),
            q.role.as_str().to_owned(),
            q.status.as_str().to_owned(),
            format!("{}{flag}\n`{}`", q.text, q.id),
        ]);
    }
    let mut text = rows.render(WIDTH);
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

/// Which packs applied and why, within 100 columns; nothing when the banks have no pack.
pub(crate) fn pack_lines(questions: &Questions) -> String {
    let packs = questions.packs();
    if packs.is_empty() {
        return String::new();
    }
    let on: Vec<String> = packs
        .iter()
        .filter(|p| p.active)
        .map(|p| format!("{} ({})", p.id, p.reason.describe()))
        .collect();
    let off: Vec<String> = packs
        .iter()
        .filter(|p| !p.active)
        .map(|p| match p.reason {
            threat_interview::engine::PackReason::DisabledByEngagement => {
                format!("{} (disabled)", p.id)
            }
            _ => p.id.clone(),
        })
        .collect();
    let mut line = format!(
        "packs applied: {}",
        if on.is_empty() {
            "none".to_owned()
        } else {
            on.join(", ")
        }
    );
    if !off.is_empty() {
        let _ = write!(line, "; not applied: {}", off.join(", "));
    }
    let mut text = String::new();
    for (i, part) in crate::table::wrap(&line, WIDTH - 2).iter().enumerate() {
        let _ = writeln!(text, "{}{part}", if i == 0 { "" } else { "  " });
    }
    text
}

/// Warns about pack ids the engagement names that no bank defines.
pub(crate) fn warn_unknown_packs(file: &str, questions: &Questions) {
    for id in questions.unknown_packs() {
        let known: Vec<&str> = questions
            .banks()
            .packs()
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let hint = threat_interview::suggest(id, known.iter().copied())
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        eprint(&format!(
            "{file}: warning[pack-unknown]: the engagement names pack `{id}`, which no bank defines{hint} (at /packs)\n"
        ));
    }
}

/// The coverage verdict, gaps listed one per line.
pub(crate) fn gap_lines(coverage: &Coverage) -> String {
    /// The most pairs listed by name; `--format json` lists them all.
    const LISTED: usize = 20;
    let t = &coverage.totals;
    let mut text = format!(
        "coverage: {} (subject, category) pairs\n  {} answered, {} asked, {} planned, {} on no agenda, {} skipped, {} not surfaced\n",
        t.pairs, t.answered, t.asked, t.planned, t.generated, t.skipped, t.not_surfaced
    );
    let list =
        |label: &str, items: &[threat_interview::coverage::CoverageItem], text: &mut String| {
            for gap in items.iter().take(LISTED) {
                let _ = writeln!(
                    text,
                    "{label:<10} {:<22} {:<12} {} (`{}`)",
                    gap.category.as_str(),
                    gap.status.as_str(),
                    crate::table::cut(&gap.name, 26),
                    crate::table::cut(&gap.subject, 22),
                );
            }
            if items.len() > LISTED {
                let _ = writeln!(
                    text,
                    "{label} and {} more (`--format json` lists them all)",
                    items.len() - LISTED
                );
            }
        };
    list("gap:", &coverage.gaps, &mut text);
    list("no agenda:", &coverage.unplanned, &mut text);
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
            .map(|e| format!("{} ({})", e.name, e.kind.words()))
            .or_else(|| {
                engagement
                    .model
                    .flow(id)
                    .map(|f| format!("{} (data flow)", f.name))
            })
            .unwrap_or_else(|| id.to_owned())
    };
    let unreachable: std::collections::HashSet<&str> =
        unreachable.iter().map(String::as_str).collect();
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
            let flag = if unreachable.contains(subject) {
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
