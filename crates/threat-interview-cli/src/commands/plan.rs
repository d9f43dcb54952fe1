//! `threat-interview plan FILE`: generate the questions, merge them, and fill every planned
//! interview's agenda within its time box, surfacing every (subject, category) pair first;
//! what does not fit, the "if time permits" tails and the pairs on no agenda are reported,
//! `--follow-ups` turns what no interview can take into follow-ups, and `--write` saves it all
//! into the file.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde::Serialize;
use threat_interview::coverage::Coverage;
use threat_interview::engine::Engine;
use threat_interview::plan::{
    DidNotFit, EngagementPlan, FollowUpReport, PlannedItem, Reason, follow_ups, plan_all,
};
use threat_interview::{Engagement, Interview, Question};

use super::input::{EngagementInput, save};
use super::questions::{gap_lines, pack_lines, warn_unknown_packs};
use super::{GuideFormat, Status, count, eprint, print, print_json};
use crate::table::{WIDTH, wrap};

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
    /// Turn the questions no interview can take into follow-ups, each sent to a participant
    /// of its role.
    #[arg(long)]
    follow_ups: bool,
    /// The date the follow-ups are sent, `YYYY-MM-DD` (today, UTC, when absent).
    #[arg(long, value_name = "DATE", requires = "follow_ups")]
    on: Option<String>,
    /// Days the follow-ups' answers are due after they are sent.
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 7,
        requires = "follow_ups"
    )]
    due_in: u16,
}

/// The send and due dates of follow-ups; `Err` is a message for a bad date.
pub(crate) fn follow_up_dates(on: Option<&str>, due_in: u16) -> Result<(String, String), String> {
    let sent = match on {
        Some(text) => text
            .parse::<jiff::civil::Date>()
            .map_err(|e| format!("`--on {text}` is not a date (YYYY-MM-DD): {e}"))?,
        None => jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .date(),
    };
    let due = sent
        .checked_add(jiff::Span::new().days(i64::from(due_in)))
        .map_err(|e| format!("the due date is out of range: {e}"))?;
    Ok((sent.to_string(), due.to_string()))
}

/// What `--format json` prints.
#[derive(Debug, Serialize)]
struct Output<'a> {
    engagement: &'a str,
    plan: &'a EngagementPlan,
    coverage: &'a Coverage,
    packs: &'a [threat_interview::engine::PackUse],
    #[serde(skip_serializing_if = "Option::is_none")]
    follow_ups: Option<&'a FollowUpReport>,
}

/// Generates and merges the questions, plans every interview, prints, and saves with `--write`.
pub(crate) fn run(args: &Args) -> Status {
    let (loaded, banks) = match args.input.load() {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let dates = if args.follow_ups {
        match follow_up_dates(args.on.as_deref(), args.due_in) {
            Ok(dates) => Some(dates),
            Err(message) => {
                eprint(&format!("error: {message}\n"));
                return Status::Failure;
            }
        }
    } else {
        None
    };
    let questions = Engine::new(banks).generate(loaded.checked());
    warn_unknown_packs(&args.input.file.display().to_string(), &questions);
    let mut engagement = loaded.engagement.clone();
    questions.merge_into(&mut engagement);
    let plan = plan_all(&mut engagement);
    let report = dates.map(|(sent, due)| follow_ups(&mut engagement, &plan, &sent, Some(&due)));
    let coverage = Coverage::of(&engagement);
    let printed = match args.format {
        GuideFormat::Json => print_json(&Output {
            engagement: &engagement.id,
            plan: &plan,
            coverage: &coverage,
            packs: questions.packs(),
            follow_ups: report.as_ref(),
        }),
        GuideFormat::Table => {
            let mut text = table(&engagement, &plan, &coverage);
            text.push_str(&pack_lines(&questions));
            if let Some(report) = &report {
                text.push_str(&follow_up_lines(&engagement, report));
            }
            text.push_str(&next_steps(args, &plan));
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
    if interview.roles.is_empty() {
        // A kick-off or a findings meeting: everyone, and no question of its own.
        return "the whole team".to_owned();
    }
    interview
        .roles
        .iter()
        .map(threat_interview::Role::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The questions that did not fit, per role: how many and how many minutes.
fn did_not_fit_by_role(questions: &HashMap<&str, &Question>, did_not_fit: &DidNotFit) -> String {
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

/// What the plan's tags mean, printed once above the agendas.
const LEGEND: &str = "\
legend: [opener] opens the interview  [once] asked once per engagement
        [quote] starts from what the model's descriptions say
        [+N] surfaces N (subject, category) pairs no earlier question does
        [score N] ranked by risk: the riskiest first, the rest once every pair is covered
                  (priority x risk, docs/planning.md)
        S T R I D E: STRIDE category, P1-P5: priority; `id` names the question for `answer`
";

/// The tag of an agenda item.
fn tag(item: &PlannedItem) -> String {
    match item.reason {
        Reason::Opener => "[opener]".to_owned(),
        Reason::Engagement => "[once]".to_owned(),
        Reason::Stated => "[quote]".to_owned(),
        Reason::Coverage => format!("[+{}]", item.new_pairs),
        Reason::Score => format!("[score {}]", item.score),
    }
}

/// One agenda item in lines of at most 100 columns: `  12. [+3] [S P4] text (5 min, `id`)`.
fn item_lines(n: Option<usize>, item: &PlannedItem, q: &Question, text: &mut String) {
    let letter = q.category.map_or('-', threat_interview::Stride::letter);
    let number = n.map_or_else(|| "   -".to_owned(), |n| format!("{n:>3}."));
    let head = format!("  {number} {} [{letter} P{}] ", tag(item), q.priority);
    let body = format!("{} ({} min, `{}`)", q.text, item.minutes, q.id);
    let indent = 7;
    let first_width = WIDTH.saturating_sub(head.chars().count()).max(20);
    let lines = wrap(&body, first_width);
    let mut rest = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(text, "{head}{line}");
        } else {
            if !rest.is_empty() {
                rest.push(' ');
            }
            rest.push_str(line);
        }
    }
    for line in wrap(&rest, WIDTH - indent) {
        if !line.is_empty() {
            let _ = writeln!(text, "{:indent$}{line}", "");
        }
    }
}

fn table(engagement: &Engagement, plan: &EngagementPlan, coverage: &Coverage) -> String {
    let questions = questions_by_id(engagement);
    let mut text = format!("Interview plan: {}\n", engagement.name);
    if plan.interviews.is_empty() {
        text.push_str("\nno planned interview: add interviews to the engagement to plan them\n");
    } else {
        text.push_str(LEGEND);
    }
    for p in &plan.interviews {
        let Some(iv) = interview(engagement, &p.interview) else {
            continue;
        };
        let heading = format!(
            "{}  {} (`{}`), {}: {} of {} minutes, {}",
            when(iv),
            iv.title,
            iv.id,
            roles(iv),
            p.minutes_used,
            p.minutes_available,
            count(p.agenda.len(), "question")
        );
        text.push('\n');
        for line in wrap(&heading, WIDTH) {
            let _ = writeln!(text, "{line}");
        }
        for (n, item) in p.agenda.iter().enumerate() {
            if let Some(q) = questions.get(item.question.as_str()) {
                item_lines(Some(n + 1), item, q, &mut text);
            }
        }
        if !p.if_time_permits.is_empty() {
            let _ = writeln!(text, "  if time permits:");
            for item in &p.if_time_permits {
                if let Some(q) = questions.get(item.question.as_str()) {
                    item_lines(None, item, q, &mut text);
                }
            }
        }
        if p.deferred_count > 0 {
            let _ = writeln!(
                text,
                "  did not fit: {} ({} carried over to a later interview with the role)",
                count(p.deferred_count, "question"),
                p.carried_over
            );
        }
    }
    text.push('\n');
    text.push_str(&did_not_fit_by_role(&questions, &plan.did_not_fit));
    text.push_str(&gap_lines(coverage));
    text
}

/// The follow-ups `--follow-ups` added.
fn follow_up_lines(engagement: &Engagement, report: &FollowUpReport) -> String {
    let mut text = format!("follow-ups added: {}\n", report.added.len());
    let mut by_person: BTreeMap<&str, usize> = BTreeMap::new();
    for f in engagement
        .follow_ups
        .iter()
        .filter(|f| report.added.contains(&f.id))
    {
        *by_person.entry(f.assignee.as_str()).or_default() += 1;
    }
    for (person, n) in by_person {
        let p = engagement.participants.iter().find(|p| p.id == person);
        let channel = p.and_then(|p| p.contact.as_ref()).map_or_else(
            || "no contact recorded".to_owned(),
            |c| format!("{} {}", c.channel.as_str(), c.address),
        );
        let name = p.map_or(person, |p| p.name.as_str());
        let _ = writeln!(
            text,
            "  {name} (`{person}`): {}, via {channel}",
            count(n, "follow-up")
        );
    }
    if !report.unassigned.is_empty() {
        let _ = writeln!(
            text,
            "  no participant holds the role of {}: add one, or answer them from documents",
            count(report.unassigned.len(), "question")
        );
    }
    text
}

/// What to do next, after the plan.
fn next_steps(args: &Args, plan: &EngagementPlan) -> String {
    let mut steps = Vec::new();
    if !args.write {
        steps.push("`--write` saves the questions and agendas into the file".to_owned());
    }
    if !args.follow_ups && !plan.did_not_fit.is_empty() {
        steps.push("`--follow-ups` sends what did not fit to a participant of its role".to_owned());
    }
    steps.push("`--format md` prints the interview guide".to_owned());
    let mut text = String::from("next:\n");
    for step in steps {
        let _ = writeln!(text, "  {step}");
    }
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
                    "- [ ] {} _({} min, {}, `{}`)_",
                    q.text,
                    item.minutes,
                    tag(item),
                    q.id
                );
            }
        }
        if !p.if_time_permits.is_empty() {
            let _ = write!(text, "\nIf time permits:\n\n");
            for item in &p.if_time_permits {
                if let Some(q) = questions.get(item.question.as_str()) {
                    let _ = writeln!(
                        text,
                        "- [ ] {} _({} min, `{}`)_",
                        q.text, item.minutes, q.id
                    );
                }
            }
        }
    }
    // A question listed under an interview's "If time permits" is on no agenda, so it did not
    // fit either: say where it may still be asked (a blind reviewer of round 88 read it listed
    // twice as a contradiction).
    let mut spare: HashMap<&str, &str> = HashMap::new();
    for p in &plan.interviews {
        for item in &p.if_time_permits {
            spare
                .entry(item.question.as_str())
                .or_insert(p.interview.as_str());
        }
    }
    let _ = write!(text, "\n## Did not fit\n\n");
    for d in &plan.did_not_fit {
        if let Some(q) = questions.get(d.question.as_str()) {
            let spare = spare
                .get(q.id.as_str())
                .map(|iv| format!("; if time permits in `{iv}`"))
                .unwrap_or_default();
            let _ = writeln!(
                text,
                "- {} _({}, {} min, `{}`{spare})_",
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
