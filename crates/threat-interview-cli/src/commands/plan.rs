//! `threat-interview plan FILE`: generate the questions, merge them, and fill every planned
//! interview's agenda within its time box; what does not fit and the coverage gaps are
//! reported, and `--write` saves the plan into the file.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use threat_interview::coverage::Coverage;
use threat_interview::engine::Engine;
use threat_interview::plan::{Deferred, EngagementPlan, plan_all};
use threat_interview::{Engagement, Interview, Question};

use super::input::{EngagementInput, save};
use super::questions::gap_lines;
use super::{GuideFormat, Status, count, eprint, print, print_json};

/// Arguments of `plan`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    input: EngagementInput,
    /// How to print the plan.
    #[arg(long, value_enum, default_value_t)]
    format: GuideFormat,
    /// Save the merged questions and the agendas into FILE (an atomic save).
    #[arg(long)]
    write: bool,
}

/// What `--format json` prints.
#[derive(Debug, Serialize)]
struct Output<'a> {
    engagement: &'a str,
    plan: &'a EngagementPlan,
    coverage: &'a Coverage,
}

/// Generates and merges the questions, plans every interview, prints, and saves with `--write`.
pub(crate) fn run(args: &Args) -> Status {
    let (loaded, banks) = match args.input.load() {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let questions = Engine::new(banks).generate(loaded.checked());
    let mut engagement = loaded.engagement.clone();
    questions.merge_into(&mut engagement);
    let plan = plan_all(&mut engagement);
    let coverage = Coverage::of(&engagement);
    let printed = match args.format {
        GuideFormat::Json => print_json(&Output {
            engagement: &engagement.id,
            plan: &plan,
            coverage: &coverage,
        }),
        GuideFormat::Table => {
            let mut text = table(&engagement, &plan, &coverage);
            if !args.write {
                text.push_str("next: `--write` saves the questions and agendas into the file; `--format md` prints the guide\n");
            }
            print(&text)
        }
        GuideFormat::Md => print(&markdown(&engagement, &plan, &coverage)),
    };
    if args.write {
        if let Err(status) = save(&engagement, &args.input.file, &loaded) {
            return status;
        }
        eprint(&format!(
            "{}: saved {} and {} agendas\n",
            args.input.file.display(),
            count(engagement.questions.len(), "question"),
            plan.interviews.len()
        ));
    }
    printed
}

/// `day 1 morning 09:00`.
fn when(interview: &Interview) -> String {
    let slot = interview.slot.as_str();
    let start = interview
        .start
        .as_deref()
        .map_or(String::new(), |s| format!(" {s}"));
    format!("day {} {slot}{start}", interview.day)
}

fn interview<'e>(engagement: &'e Engagement, id: &str) -> Option<&'e Interview> {
    engagement.interviews.iter().find(|i| i.id == id)
}

/// The engagement's questions by id: a plan names thousands of them on a large model.
fn questions_by_id(engagement: &Engagement) -> HashMap<&str, &Question> {
    engagement
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q))
        .collect()
}

fn roles(interview: &Interview) -> String {
    interview
        .roles
        .iter()
        .map(threat_interview::Role::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The questions that did not fit, per role: how many and how many minutes.
fn did_not_fit_by_role(questions: &HashMap<&str, &Question>, did_not_fit: &[Deferred]) -> String {
    let mut by_role: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for d in did_not_fit {
        if let Some(q) = questions.get(d.question.as_str()) {
            let entry = by_role.entry(q.role.as_str()).or_default();
            entry.0 += 1;
            entry.1 += u64::from(d.minutes);
        }
    }
    let mut text = format!(
        "did not fit any interview: {} (candidates for follow-ups or another interview)\n",
        count(did_not_fit.len(), "question")
    );
    for (role, (n, minutes)) in by_role {
        let _ = writeln!(
            text,
            "  {role}: {}, {minutes} minutes",
            count(n, "question")
        );
    }
    text
}

fn table(engagement: &Engagement, plan: &EngagementPlan, coverage: &Coverage) -> String {
    let questions = questions_by_id(engagement);
    let mut text = format!("Interview plan: {}\n", engagement.name);
    if plan.interviews.is_empty() {
        text.push_str("\nno planned interview: add interviews to the engagement to plan them\n");
    }
    for p in &plan.interviews {
        let Some(iv) = interview(engagement, &p.interview) else {
            continue;
        };
        let _ = write!(
            text,
            "\n{}  {} (`{}`), {}: {} of {} minutes, {}\n",
            when(iv),
            iv.title,
            iv.id,
            roles(iv),
            p.minutes_used,
            p.minutes_available,
            count(p.agenda.len(), "question")
        );
        for (n, item) in p.agenda.iter().enumerate() {
            let Some(q) = questions.get(item.question.as_str()) else {
                continue;
            };
            let letter = q.category.map_or('-', threat_interview::Stride::letter);
            let _ = writeln!(
                text,
                "  {:>3}. [{letter} P{}] {} ({} min, `{}`)",
                n + 1,
                q.priority,
                q.text,
                item.minutes,
                q.id
            );
        }
        let carried = p
            .deferred
            .iter()
            .filter(|d| d.next_interview.is_some())
            .count();
        if !p.deferred.is_empty() {
            let _ = writeln!(
                text,
                "  did not fit: {} ({carried} carried over to a later interview with the role)",
                count(p.deferred.len(), "question")
            );
        }
    }
    text.push('\n');
    text.push_str(&did_not_fit_by_role(&questions, &plan.did_not_fit));
    text.push_str(&gap_lines(coverage));
    text
}

fn markdown(engagement: &Engagement, plan: &EngagementPlan, coverage: &Coverage) -> String {
    let questions = questions_by_id(engagement);
    let mut text = format!("# Interview plan: {}\n", engagement.name);
    for p in &plan.interviews {
        let Some(iv) = interview(engagement, &p.interview) else {
            continue;
        };
        let _ = write!(
            text,
            "\n## {}: {}\n\n{}; roles: {}; {} of {} minutes.\n\n",
            when(iv),
            iv.title,
            iv.id,
            roles(iv),
            p.minutes_used,
            p.minutes_available
        );
        for item in &p.agenda {
            if let Some(q) = questions.get(item.question.as_str()) {
                let _ = writeln!(
                    text,
                    "- [ ] {} _({} min, `{}`)_",
                    q.text, item.minutes, q.id
                );
            }
        }
    }
    let _ = write!(text, "\n## Did not fit\n\n");
    for d in &plan.did_not_fit {
        if let Some(q) = questions.get(d.question.as_str()) {
            let _ = writeln!(
                text,
                "- {} _({}, {} min, `{}`)_",
                q.text,
                q.role.as_str(),
                d.minutes,
                q.id
            );
        }
    }
    let _ = write!(
        text,
        "\n## Coverage\n\n```text\n{}```\n",
        gap_lines(coverage)
    );
    text
}
