//! The calendar an engagement holds: overlaps, participants double-booked, meetings longer
//! than their roles usually give, architects' sessions apart, dates on weekends or against
//! their day. All warnings: a calendar is the user's, and may have reasons.
//!
//! Times are minutes from midnight on a day; two interviews are on the same day when both have
//! a date and the dates are equal, or else when their `day` is. Cancelled interviews and times
//! that cannot be read (the schema reports those) are left out. Each check sorts once and
//! compares each interview with the one ending last before it, so a file of many interviews
//! costs `n log n`, not `n²`.

use foldhash::{HashMap, HashMapExt};
use jiff::civil::Date;

use crate::calendar::{
    clock, is_working_day, role_minutes, start_minutes, working_day, working_days_between,
};
use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{Engagement, Interview, InterviewStatus, Role};

/// An interview placed in time.
struct Placed<'a> {
    /// Its position in `interviews`.
    index: usize,
    interview: &'a Interview,
    /// The day it is on: a date as days since the epoch when it has one, else its `day`.
    day: DayKey,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum DayKey {
    Numbered(u32),
    Dated(Date),
}

/// Every calendar warning; `at(i)` is the pointer of interview `i`.
pub(super) fn check(engagement: &Engagement, at: &dyn Fn(usize) -> String) -> Vec<Diagnostic> {
    let interviews = &engagement.interviews;
    let dates: Vec<Option<Date>> = interviews
        .iter()
        .map(|i| i.date.as_deref().and_then(|d| d.parse().ok()))
        .collect();
    let all_dated = !interviews.is_empty() && dates.iter().all(Option::is_some);
    let mut placed: Vec<Placed> = interviews
        .iter()
        .enumerate()
        .filter(|(_, i)| i.status != InterviewStatus::Cancelled)
        .filter_map(|(index, interview)| {
            let start = start_minutes(interview)?;
            let day = match dates[index] {
                Some(date) if all_dated => DayKey::Dated(date),
                _ => DayKey::Numbered(interview.day),
            };
            Some(Placed {
                index,
                interview,
                day,
                start,
                end: start.saturating_add(interview.minutes),
            })
        })
        .collect();
    placed.sort_by_key(|p| (p.day, p.start, p.index));
    let mut out = Vec::new();
    overlaps(&placed, at, &mut out);
    double_bookings(&placed, at, &mut out);
    too_long(engagement, at, &mut out);
    architects(engagement, &dates, all_dated, at, &mut out);
    odd_dates(engagement, &dates, at, &mut out);
    out
}

fn describe(p: &Placed) -> String {
    let day = match p.day {
        DayKey::Numbered(day) => format!("day {day}"),
        DayKey::Dated(date) => date.to_string(),
    };
    format!(
        "`{}` ({day}, {}-{})",
        p.interview.id,
        clock(p.start),
        clock(p.end)
    )
}

/// Each interview that starts before an earlier one of its day has ended.
fn overlaps(placed: &[Placed], at: &dyn Fn(usize) -> String, out: &mut Vec<Diagnostic>) {
    let mut latest: Option<&Placed> = None;
    for p in placed {
        match latest {
            Some(l) if l.day == p.day && p.start < l.end => {
                out.push(Diagnostic::warning(
                    DiagnosticCode::InterviewOverlap,
                    format!("{}/start", at(p.index)),
                    format!(
                        "interview {} overlaps {}: the threat modelers cannot be in both",
                        describe(p),
                        describe(l)
                    ),
                ));
                if p.end > l.end {
                    latest = Some(p);
                }
            }
            _ => latest = Some(p),
        }
    }
}

/// Each participant invited to an interview that starts before another of theirs has ended.
fn double_bookings(placed: &[Placed], at: &dyn Fn(usize) -> String, out: &mut Vec<Diagnostic>) {
    let mut latest: HashMap<&str, &Placed> = HashMap::new();
    for p in placed {
        for (k, person) in p.interview.participants.iter().enumerate() {
            if p.interview.participants[..k].contains(person) {
                continue;
            }
            match latest.get(person.as_str()) {
                Some(l) if l.day == p.day && p.start < l.end => {
                    out.push(Diagnostic::warning(
                        DiagnosticCode::ParticipantDoubleBooked,
                        format!("{}/participants/{k}", at(p.index)),
                        format!(
                            "`{person}` is invited to {} and to {} at the same time",
                            describe(l),
                            describe(p)
                        ),
                    ));
                    if p.end > l.end {
                        latest.insert(person, p);
                    }
                }
                _ => {
                    latest.insert(person, p);
                }
            }
        }
    }
}

/// Interviews longer than the longest meeting any of their roles usually gives.
fn too_long(engagement: &Engagement, at: &dyn Fn(usize) -> String, out: &mut Vec<Diagnostic>) {
    for (i, interview) in engagement.interviews.iter().enumerate() {
        let longest = interview
            .roles
            .iter()
            .filter_map(|r| role_minutes(engagement, r).map(|m| (m, r)))
            .max_by_key(|&(m, _)| m);
        if let Some((minutes, role)) = longest
            && interview.minutes > minutes
        {
            out.push(Diagnostic::warning(
                DiagnosticCode::InterviewTooLong,
                format!("{}/minutes", at(i)),
                format!(
                    "interview `{}` lasts {} minutes; a meeting with the `{role}` role usually lasts {minutes} minutes at most",
                    interview.id, interview.minutes
                ),
            ));
        }
    }
}

/// The architects' sessions, on consecutive working days (or consecutive days of the
/// engagement, when some interview has no date).
fn architects(
    engagement: &Engagement,
    dates: &[Option<Date>],
    all_dated: bool,
    at: &dyn Fn(usize) -> String,
    out: &mut Vec<Diagnostic>,
) {
    let mut sessions: Vec<(i64, usize)> = Vec::new();
    let first_date = dates.iter().flatten().min().copied();
    for (i, interview) in engagement.interviews.iter().enumerate() {
        if interview.status == InterviewStatus::Cancelled
            || !interview.roles.contains(&Role::Architect)
        {
            continue;
        }
        let day = match (all_dated, dates[i], first_date) {
            (true, Some(date), Some(first)) => working_days_between(first, date),
            _ => i64::from(interview.day),
        };
        sessions.push((day, i));
    }
    sessions.sort_unstable();
    for pair in sessions.windows(2) {
        let ((before, first), (after, second)) = (pair[0], pair[1]);
        if after - before > 1 {
            let (field, what) = if all_dated {
                ("date", "working days")
            } else {
                ("day", "days")
            };
            out.push(Diagnostic::warning(
                DiagnosticCode::ArchitectSessionsApart,
                format!("{}/{field}", at(second)),
                format!(
                    "the architects' session `{}` is {} {what} after `{}`: hold their sessions on consecutive days, while the walk-through is fresh",
                    engagement.interviews[second].id,
                    after - before,
                    engagement.interviews[first].id,
                ),
            ));
        }
    }
}

/// Dates on weekends, and dates that disagree with their `day` counted from the earliest day
/// with a date.
fn odd_dates(
    engagement: &Engagement,
    dates: &[Option<Date>],
    at: &dyn Fn(usize) -> String,
    out: &mut Vec<Diagnostic>,
) {
    let anchor = engagement
        .interviews
        .iter()
        .zip(dates)
        .filter_map(|(i, d)| d.map(|d| (i.day, d)))
        .min();
    for (i, (interview, date)) in engagement.interviews.iter().zip(dates).enumerate() {
        let Some(date) = *date else { continue };
        if !is_working_day(date) {
            out.push(Diagnostic::warning(
                DiagnosticCode::InterviewDateOdd,
                format!("{}/date", at(i)),
                format!(
                    "interview `{}` is on {date}, a {:?}",
                    interview.id,
                    date.weekday()
                ),
            ));
            continue;
        }
        let Some((anchor_day, anchor_date)) = anchor else {
            continue;
        };
        if interview.day < anchor_day {
            continue;
        }
        let expected = working_day(anchor_date, interview.day - anchor_day + 1);
        if expected != date {
            out.push(Diagnostic::warning(
                DiagnosticCode::InterviewDateOdd,
                format!("{}/date", at(i)),
                format!(
                    "interview `{}` is on day {} but dated {date}; day {} is {expected}, counted in working days from day {anchor_day} on {anchor_date}",
                    interview.id, interview.day, interview.day,
                ),
            ));
        }
    }
}
