//! `threat-interview calendar FILE [--start YYYY-MM-DD] [--write [--replace]]`: the calendar.
//!
//! With `--start`, proposes the interviews from the assurance level and the participants,
//! from that date on (weekends skipped), and prints them as a table; `--write` saves the
//! proposal into a file with no interview yet, and over a calendar the user wrote only with
//! `--replace`. Without `--start`, prints the calendar the file holds and its warnings.

use std::fmt::Write as _;
use std::path::PathBuf;

use jiff::civil::Date;
use threat_interview::calendar::{Proposal, clock, propose, start_minutes, weekday_abbreviation};
use threat_interview::{DiagnosticCode, Engagement, Interview};

use super::input::{edit, load_engagement};
use super::{Status, count, eprint, eprint_diagnostics, print};
use crate::table::{Table, WIDTH};

/// The warnings about a calendar.
const CALENDAR_CODES: [DiagnosticCode; 5] = [
    DiagnosticCode::InterviewOverlap,
    DiagnosticCode::ParticipantDoubleBooked,
    DiagnosticCode::InterviewTooLong,
    DiagnosticCode::ArchitectSessionsApart,
    DiagnosticCode::InterviewDateOdd,
];

/// Arguments of `calendar`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Propose a calendar from this date, `YYYY-MM-DD` (a weekend starts on the Monday after).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    start: Option<Date>,
    /// Save the proposal into the file (refused over interviews already there).
    #[arg(long, requires = "start")]
    write: bool,
    /// With `--write`: replace the interviews the file holds with the proposal.
    #[arg(long, requires = "write")]
    replace: bool,
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not a date: expected `YYYY-MM-DD`, such as `2026-12-04`"))
}

/// Proposes (and saves) a calendar, or prints the one the file holds.
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let loaded = match load_engagement(&args.file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let Some(start) = args.start else {
        let warnings: Vec<_> = loaded
            .warnings
            .iter()
            .filter(|d| CALENDAR_CODES.contains(&d.code))
            .collect();
        eprint_diagnostics(&file, warnings.iter().copied());
        let mut text = format!(
            "calendar of `{}` ({}): {}\n\n",
            engagement.id,
            engagement.assurance_level.as_str(),
            count(engagement.interviews.len(), "interview")
        );
        text.push_str(&table(engagement, &engagement.interviews, None));
        if engagement.interviews.is_empty() {
            text.push_str("\nnext: `--start YYYY-MM-DD` proposes one\n");
        }
        return print(&text);
    };
    let proposal = match propose(engagement, start) {
        Ok(proposal) => proposal,
        Err(error) => {
            eprint(&format!("error[usage]: {error}\n"));
            return Status::Failure;
        }
    };
    let mut text = format!(
        "proposed {} calendar for `{}`: {} over {}\n\n",
        proposal.level.as_str(),
        engagement.id,
        count(proposal.interviews.len(), "meeting"),
        count(proposal.days.len(), "working day"),
    );
    text.push_str(&table(engagement, &proposal.interviews, Some(&proposal)));
    let existing = engagement.interviews.len();
    if !args.write {
        let _ = write!(
            text,
            "\nnot written: `--write` saves it{}\n",
            if existing > 0 {
                format!(
                    " (the file holds {}: add `--replace` to replace them)",
                    count(existing, "interview")
                )
            } else {
                String::new()
            }
        );
        return print(&text);
    }
    if existing > 0 && !args.replace {
        let status = print(&text);
        eprint(&format!(
            "{file}: error[usage]: the file already holds {}; the proposal was not written (add `--replace` to replace them)\n",
            count(existing, "interview")
        ));
        return status.max(Status::Failure);
    }
    let interviews = proposal.interviews.clone();
    let result = edit(&args.file, |engagement| {
        if !engagement.interviews.is_empty() && !args.replace {
            eprint(&format!(
                "{file}: error[conflict]: interviews were added since the file was read; the proposal was not written\n"
            ));
            return Err(Status::Failure);
        }
        engagement.interviews.clone_from(&interviews);
        Ok(())
    });
    let printed = print(&text);
    match result {
        Ok(_) => {
            eprint(&format!(
                "{file}: saved {}\n",
                count(interviews.len(), "interview")
            ));
            printed
        }
        Err(status) => status,
    }
}

/// The interviews as a table, day by day, with each day's other work from the proposal.
fn table(engagement: &Engagement, interviews: &[Interview], proposal: Option<&Proposal>) -> String {
    let mut order: Vec<&Interview> = interviews.iter().collect();
    order.sort_by_key(|i| (i.day, i.date.clone(), start_minutes(i)));
    let mut rows = Table::new(&["DAY", "DATE", "TIME", "MIN", "MEETING"], 16)
        .right(0)
        .right(3);
    let day_done = |rows: &mut Table, day: u32| {
        let Some(p) = proposal else { return };
        if let Some(d) = p.days.iter().find(|d| d.day == day) {
            rows.row(vec![
                day.to_string(),
                date_cell(Some(&d.date.to_string())),
                String::new(),
                String::new(),
                format!("({})", d.work),
            ]);
        }
    };
    let mut last_day: Option<u32> = None;
    for interview in order {
        if let Some(previous) = last_day
            && previous != interview.day
        {
            for day in previous..interview.day {
                day_done(&mut rows, day);
            }
        }
        last_day = Some(interview.day);
        let time = start_minutes(interview).map_or_else(
            || "?".to_owned(),
            |s| {
                format!(
                    "{}-{}",
                    clock(s),
                    clock(s.saturating_add(interview.minutes))
                )
            },
        );
        let mut meeting = interview.title.clone();
        let people = engagement.participant_names(interview);
        if !people.is_empty() {
            let _ = write!(meeting, "; with {}", people.join(", "));
        }
        if !interview.goals.is_empty() {
            let _ = write!(meeting, "; to {}", interview.goals.join("; "));
        }
        rows.row(vec![
            interview.day.to_string(),
            date_cell(interview.date.as_deref()),
            time,
            interview.minutes.to_string(),
            meeting,
        ]);
    }
    if let (Some(last), Some(p)) = (last_day, proposal) {
        let final_day = p.days.last().map_or(last, |d| d.day);
        for day in last..=final_day {
            day_done(&mut rows, day);
        }
    }
    rows.render(WIDTH)
}

/// `Fri 2026-12-04`, or the text as written when it is not a date.
fn date_cell(date: Option<&str>) -> String {
    match date {
        None => String::new(),
        Some(text) => match text.parse::<Date>() {
            Ok(d) => format!("{} {d}", weekday_abbreviation(d)),
            Err(_) => text.to_owned(),
        },
    }
}
