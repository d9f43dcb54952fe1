//! The calendar of an engagement: a proposal of the interviews from the assurance level, the
//! participants and a start date, the working days it counts in, and its iCalendar export.
//!
//! [`propose`] lays the interviews out as the seed runs them (`docs/workflow.md`): interviews
//! in the mornings, analysis in the afternoons, weekends skipped, every interview with its
//! roles, the participants who hold them and the goals of those roles. A calendar the user
//! wrote is never changed here: [`propose`] returns new interviews, and the caller decides
//! whether they replace the old ones. [`to_ics`] writes the calendar as RFC 5545 text, the same
//! bytes for the same engagement.

use std::fmt::Write as _;

use jiff::civil::{Date, Time, Weekday};

use crate::model::{AssuranceLevel, Engagement, Interview, InterviewStatus, Role, Slot};

/// Where a proposal's first interview of a morning starts.
const MORNING: Time = Time::constant(9, 0, 0, 0);
/// Where an afternoon starts, for interviews with a slot and no start time.
const AFTERNOON: Time = Time::constant(14, 0, 0, 0);

/// Whether a date is a working day (Monday to Friday).
pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The first working day on or after a date.
pub fn first_working_day(date: Date) -> Date {
    let mut day = date;
    while !is_working_day(day) {
        day = next_day(day);
    }
    day
}

/// The day after, saturating at the last date jiff knows.
fn next_day(date: Date) -> Date {
    date.tomorrow().unwrap_or(date)
}

/// The date of day `day` (from 1) of an engagement whose day 1 is the first working day on or
/// after `start`, weekends skipped. Past the last date jiff knows, that date.
pub fn working_day(start: Date, day: u32) -> Date {
    let first = first_working_day(start);
    let after = day.saturating_sub(1);
    // Five working days make a week, whatever the weekday: no loop over a far day.
    let weeks = i64::from(after / 5);
    let Some(mut date) = jiff::Span::new()
        .try_days(weeks * 7)
        .ok()
        .and_then(|span| first.checked_add(span).ok())
    else {
        return Date::MAX;
    };
    for _ in 0..after % 5 {
        let next = first_working_day(next_day(date));
        if next == date {
            break;
        }
        date = next;
    }
    date
}

/// The number of working days from `from` to `to` (negative when `to` is earlier): 1 from a
/// Friday to the Monday after. Weekend dates count as the working day before them.
pub fn working_days_between(from: Date, to: Date) -> i64 {
    // Whole weeks are five working days; the rest is counted by hand, so that far dates cost
    // no more than near ones.
    let (sign, a, b) = if from <= to {
        (1, from, to)
    } else {
        (-1, to, from)
    };
    let days = i64::from(a.until(b).map_or(0, |span| span.get_days()));
    let weeks = days / 7;
    let mut count = weeks * 5;
    let mut date = a;
    if let Some(shifted) = jiff::Span::new()
        .try_days(weeks * 7)
        .ok()
        .and_then(|span| a.checked_add(span).ok())
    {
        date = shifted;
    }
    while date < b {
        date = next_day(date);
        if is_working_day(date) {
            count += 1;
        }
        if date == next_day(date) {
            break;
        }
    }
    sign * count
}

/// A three-letter weekday, such as `Fri`.
pub fn weekday_abbreviation(date: Date) -> &'static str {
    match date.weekday() {
        Weekday::Monday => "Mon",
        Weekday::Tuesday => "Tue",
        Weekday::Wednesday => "Wed",
        Weekday::Thursday => "Thu",
        Weekday::Friday => "Fri",
        Weekday::Saturday => "Sat",
        Weekday::Sunday => "Sun",
    }
}

/// A time of day written `HH:MM`, as interviews' `start` is; `None` for anything else.
pub fn parse_time(text: &str) -> Option<Time> {
    let (hours, minutes) = text.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i8 = hours.parse().ok()?;
    let minutes: i8 = minutes.parse().ok()?;
    Time::new(hours, minutes, 0, 0).ok()
}

/// When an interview starts, in minutes from midnight: its `start`, or else the start of its
/// slot (09:00 in the morning, 14:00 in the afternoon); `None` when `start` is not `HH:MM`.
pub fn start_minutes(interview: &Interview) -> Option<u32> {
    let time = match &interview.start {
        Some(text) => parse_time(text)?,
        None => match interview.slot {
            Slot::Morning => MORNING,
            Slot::Afternoon => AFTERNOON,
        },
    };
    u32::try_from(i32::from(time.hour()) * 60 + i32::from(time.minute())).ok()
}

/// `HH:MM` of minutes from midnight (past midnight, the hours go on: `24:30`).
pub fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The usual length of a meeting with a role, in minutes: a built-in role's
/// [`Role::typical_minutes`], a custom role's declared `meeting_minutes`.
pub fn role_minutes(engagement: &Engagement, role: &Role) -> Option<u32> {
    match role {
        Role::Custom(id) => engagement
            .custom_roles
            .iter()
            .find(|r| &r.id == id)
            .and_then(|r| r.meeting_minutes),
        built_in => built_in.typical_minutes(),
    }
}

/// What an interview with a role is for: a built-in role's [`Role::goal`], a custom role's
/// declared goal.
pub fn role_goal(engagement: &Engagement, role: &Role) -> Option<String> {
    match role {
        Role::Custom(id) => engagement
            .custom_roles
            .iter()
            .find(|r| &r.id == id)
            .and_then(|r| r.goal.clone()),
        built_in => built_in.goal().map(str::to_owned),
    }
}

/// The goals of the kick-off meeting.
const KICK_OFF_GOALS: [&str; 2] = [
    "agree on the scope, the assumptions and the calendar",
    "explain how the interviews run, who is asked what, and what happens to the answers",
];

/// The goals of the closing meeting.
const FINDINGS_GOALS: [&str; 2] = [
    "present the findings with their attack paths, quick wins first",
    "agree on the roadmap and on who answers the open follow-ups",
];

/// What a day of a proposal holds besides its interviews.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProposedDay {
    /// The day of the engagement, from 1.
    pub day: u32,
    /// Its date.
    pub date: Date,
    /// What the threat modelers do when no interview is held (the afternoons, and whole days of
    /// analysis).
    pub work: &'static str,
}

/// A proposed calendar: the interviews, dated, and the work of each day.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Proposal {
    /// The assurance level it was proposed for.
    pub level: AssuranceLevel,
    /// The interviews in calendar order, each with a date, a start time, its roles, the
    /// participants who hold them and its goals.
    pub interviews: Vec<Interview>,
    /// Every day of the engagement, with the work outside the interviews.
    pub days: Vec<ProposedDay>,
}

/// One meeting of a level's template.
struct Slotted {
    id: String,
    title: String,
    day: u32,
    minutes: u32,
    /// `None`: everyone (kick-off and findings), with these goals.
    roles: Option<Vec<Role>>,
    goals: Vec<String>,
    /// The closing meeting, which ends the morning at noon after the clean-up.
    closing: bool,
}

/// Proposes the interviews of an engagement from its assurance level, its participants and a
/// start date (day 1 is the first working day on or after it):
///
/// - fast: one morning: kick-off 30', business 30', one architects' session of 2 hours;
/// - standard: day 1 kick-off 30', business 30', architects 2 h; day 2 architects 1 h,
///   deployment 30', production 30' (and the engagement's custom roles); day 3 findings and
///   roadmap with the whole team;
/// - high: architects over three consecutive mornings (2 h, 2 h, 1 h), deployment and
///   production an hour each, a whole day of analysis, then findings and roadmap on day 5.
///
/// Interviews follow each other from 09:00; the afternoons are for analysis. Lead developers
/// join the architects when someone holds the role. Optional roles (custom ones included) are
/// dropped in a fast exercise; in the others a custom role gets a session when a participant
/// holds it or it is not optional.
///
/// # Errors
///
/// [`CalendarError::PastTheLastDate`] when the calendar would run past 9999-12-31.
pub fn propose(engagement: &Engagement, start: Date) -> Result<Proposal, CalendarError> {
    let level = engagement.assurance_level;
    let held = |role: &Role| {
        engagement
            .participants
            .iter()
            .any(|p| p.roles.contains(role))
    };
    let mut architects = vec![Role::Architect];
    if held(&Role::LeadDeveloper) {
        architects.push(Role::LeadDeveloper);
    }
    let mut meetings: Vec<Slotted> = Vec::new();
    let everyone = |id: &str, title: &str, day, minutes, goals: &[&str]| Slotted {
        id: id.to_owned(),
        title: title.to_owned(),
        day,
        minutes,
        roles: None,
        goals: goals.iter().map(|g| (*g).to_owned()).collect(),
        closing: false,
    };
    let with = |id: &str, title: &str, day, minutes, roles: Vec<Role>| Slotted {
        id: id.to_owned(),
        title: title.to_owned(),
        day,
        minutes,
        goals: roles
            .iter()
            .filter_map(|r| role_goal(engagement, r))
            .collect(),
        roles: Some(roles),
        closing: false,
    };
    let part = |n| format!("Architecture walk-through, part {n}");
    meetings.push(everyone(
        "iv-kick-off",
        "Kick-off with the whole team",
        1,
        30,
        &KICK_OFF_GOALS,
    ));
    meetings.push(with(
        "iv-business",
        "Business stakeholders: value, concerns and calibration",
        1,
        30,
        vec![Role::BusinessStakeholder],
    ));
    let (architect_sessions, owners_minutes, owners_day, last_day): (&[u32], u32, u32, u32) =
        match level {
            AssuranceLevel::Fast => (&[120], 0, 1, 1),
            AssuranceLevel::Standard => (&[120, 60], 30, 2, 3),
            AssuranceLevel::High => (&[120, 120, 60], 60, 2, 5),
        };
    let single = architect_sessions.len() == 1;
    for (n, &minutes) in (1..).zip(architect_sessions) {
        let (id, title) = if single {
            (
                "iv-architecture".to_owned(),
                "Architecture walk-through".to_owned(),
            )
        } else {
            (format!("iv-architecture-{n}"), part(n))
        };
        meetings.push(with(&id, &title, n, minutes, architects.clone()));
    }
    if level != AssuranceLevel::Fast {
        meetings.push(with(
            "iv-deployment",
            "Deployment: secrets, pipelines and supply chain",
            owners_day,
            owners_minutes,
            vec![Role::DeploymentOwner],
        ));
        // In a high-assurance exercise production has a morning of its own with the last
        // architects' session, so no morning runs past noon.
        let production_day = if level == AssuranceLevel::High {
            3
        } else {
            owners_day
        };
        meetings.push(with(
            "iv-production",
            "Production: operations, monitoring and incidents",
            production_day,
            owners_minutes,
            vec![Role::ProductionOwner],
        ));
    }
    for custom in &engagement.custom_roles {
        let role = Role::Custom(custom.id.clone());
        let wanted = if level == AssuranceLevel::Fast {
            !custom.optional
        } else {
            !custom.optional || held(&role)
        };
        if !wanted {
            continue;
        }
        let day = match level {
            AssuranceLevel::Fast => 1,
            AssuranceLevel::Standard => 2,
            AssuranceLevel::High => 3,
        };
        let title = if custom.name.trim().is_empty() {
            custom.id.clone()
        } else {
            custom.name.clone()
        };
        let minutes = custom.meeting_minutes.unwrap_or(45).max(1);
        meetings.push(with(
            &format!("iv-{}", custom.id),
            &title,
            day,
            minutes,
            vec![role],
        ));
    }
    if level != AssuranceLevel::Fast {
        let minutes = if level == AssuranceLevel::High {
            90
        } else {
            60
        };
        meetings.push(Slotted {
            closing: true,
            ..everyone(
                "iv-findings",
                "Findings and roadmap with the whole team",
                last_day,
                minutes,
                &FINDINGS_GOALS,
            )
        });
    }
    let days: Vec<ProposedDay> = (1..=last_day)
        .map(|day| ProposedDay {
            day,
            date: working_day(start, day),
            work: day_work(level, day, last_day),
        })
        .collect();
    // Near the end of the calendar jiff knows, days saturate on its last date.
    if days.windows(2).any(|w| w[0].date >= w[1].date) || !is_working_day(days[0].date) {
        return Err(CalendarError::PastTheLastDate {
            start: start.to_string(),
        });
    }
    let interviews = lay_out(engagement, start, meetings);
    Ok(Proposal {
        level,
        interviews,
        days,
    })
}

/// What the threat modelers do on a day besides the interviews.
fn day_work(level: AssuranceLevel, day: u32, last: u32) -> &'static str {
    match (level, day) {
        (AssuranceLevel::Fast, _) => {
            "afternoon: analysis, the diagram, threats and mitigations, the findings"
        }
        (_, 1) => "afternoon: analysis and first diagrams",
        (_, d) if d == last => {
            "morning: clean-up and roadmap; the findings and quick wins with the team"
        }
        (AssuranceLevel::High, 4) => "all day: threats and mitigations, attack paths",
        _ => "afternoon: threats and mitigations",
    }
}

/// Dates and times the meetings: each day's meetings follow each other from 09:00, except the
/// closing meeting, which ends the morning at noon after the clean-up.
fn lay_out(engagement: &Engagement, start: Date, meetings: Vec<Slotted>) -> Vec<Interview> {
    let mut next_start: Vec<(u32, u32)> = Vec::new();
    let mut used_ids: Vec<String> = Vec::new();
    let mut interviews = Vec::with_capacity(meetings.len());
    for meeting in meetings {
        let begin = if meeting.closing {
            (12 * 60u32).saturating_sub(meeting.minutes).max(9 * 60)
        } else {
            match next_start.iter_mut().find(|(d, _)| *d == meeting.day) {
                Some((_, at)) => *at,
                None => 9 * 60,
            }
        };
        match next_start.iter_mut().find(|(d, _)| *d == meeting.day) {
            Some((_, at)) => *at = begin + meeting.minutes,
            None => next_start.push((meeting.day, begin + meeting.minutes)),
        }
        // A custom role may be called `business`: ids stay unique.
        let mut id = meeting.id.clone();
        let mut n = 2;
        while used_ids.contains(&id) {
            id = format!("{}-{n}", meeting.id);
            n += 1;
        }
        used_ids.push(id.clone());
        let participants: Vec<String> = engagement
            .participants
            .iter()
            .filter(|p| match &meeting.roles {
                None => true,
                Some(roles) => p.roles.iter().any(|r| roles.contains(r)),
            })
            .map(|p| p.id.clone())
            .collect();
        let slot = if begin < 12 * 60 {
            Slot::Morning
        } else {
            Slot::Afternoon
        };
        let mut interview = Interview::new(
            id,
            meeting.title,
            meeting.day,
            slot,
            meeting.minutes,
            meeting.roles.unwrap_or_default(),
        );
        interview.date = Some(working_day(start, meeting.day).to_string());
        interview.start = Some(clock(begin));
        interview.participants = participants;
        interview.goals = meeting.goals;
        interviews.push(interview);
    }
    interviews.sort_by_key(|i| (i.day, start_minutes(i)));
    interviews
}

/// Why a calendar cannot be proposed or exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A proposal from a start date so late that it would run past 9999-12-31.
    #[error("a calendar from `{start}` would run past 9999-12-31, the last date handled")]
    PastTheLastDate {
        /// The start date given.
        start: String,
    },
    /// An interview with no date.
    #[error(
        "interview `{id}` has no date (at {pointer}): propose a calendar with `threat-interview calendar FILE --start YYYY-MM-DD --write`, or give every interview a `date`"
    )]
    Undated {
        /// The interview's id.
        id: String,
        /// Its JSON Pointer.
        pointer: String,
    },
    /// An interview whose date or start time cannot be read.
    #[error("interview `{id}` has {what} `{value}` (at {pointer}); expected {expected}")]
    Unreadable {
        /// The interview's id.
        id: String,
        /// What cannot be read: `date` or `start`.
        what: &'static str,
        /// The value written.
        value: String,
        /// What was expected.
        expected: &'static str,
        /// Its JSON Pointer.
        pointer: String,
    },
}

/// The calendar as iCalendar text (RFC 5545): one `VEVENT` per interview (a cancelled one
/// with `STATUS:CANCELLED`), in the file's order. Lines end with CRLF and are folded at 75
/// octets; text is escaped. The output depends on the engagement only: each `UID` is the
/// interview's id at the engagement's, `DTSTAMP` the first interview's date at midnight UTC,
/// and times are floating (local wherever the calendar is opened), as the file holds no time
/// zone. An engagement with no interview gives a calendar with no event.
///
/// # Errors
///
/// An interview with no `date`, or with a date or start time that cannot be read.
pub fn to_ics(engagement: &Engagement) -> Result<String, CalendarError> {
    let mut dated = Vec::with_capacity(engagement.interviews.len());
    for (i, interview) in engagement.interviews.iter().enumerate() {
        let pointer = format!("/interviews/{i}");
        let Some(text) = &interview.date else {
            return Err(CalendarError::Undated {
                id: interview.id.clone(),
                pointer,
            });
        };
        let date: Date = text.parse().map_err(|_| CalendarError::Unreadable {
            id: interview.id.clone(),
            what: "date",
            value: text.clone(),
            expected: "a date `YYYY-MM-DD`",
            pointer: format!("{pointer}/date"),
        })?;
        let start = start_minutes(interview).ok_or_else(|| CalendarError::Unreadable {
            id: interview.id.clone(),
            what: "start",
            value: interview.start.clone().unwrap_or_default(),
            expected: "a time `HH:MM`",
            pointer: format!("{pointer}/start"),
        })?;
        dated.push((interview, date, start));
    }
    let stamp = dated.iter().map(|(_, date, _)| *date).min().map_or_else(
        || "19700101T000000Z".to_owned(),
        |d| format!("{}T000000Z", compact(d)),
    );
    let mut out = String::new();
    let mut line = |text: &str| fold_into(&mut out, text);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line(concat!(
        "PRODID:-//threat-interview//threat-interview ",
        env!("CARGO_PKG_VERSION"),
        "//EN"
    ));
    line("CALSCALE:GREGORIAN");
    line(&format!("X-WR-CALNAME:{}", escape_text(&engagement.name)));
    for (interview, date, start) in dated {
        line("BEGIN:VEVENT");
        line(&format!(
            "UID:{}",
            escape_text(&format!("{}@{}", interview.id, engagement.id))
        ));
        line(&format!("DTSTAMP:{stamp}"));
        line(&format!(
            "DTSTART:{}T{:02}{:02}00",
            compact(date),
            start / 60,
            start % 60
        ));
        line(&format!("DURATION:PT{}M", interview.minutes));
        line(&format!("SUMMARY:{}", escape_text(&interview.title)));
        line(&format!(
            "DESCRIPTION:{}",
            escape_text(&description(engagement, interview))
        ));
        for id in &interview.participants {
            let Some(person) = engagement.participant(id) else {
                continue;
            };
            let Some(contact) = &person.contact else {
                continue;
            };
            if contact.channel != crate::model::ContactChannel::Email {
                continue;
            }
            // A parameter value is quoted and may hold no quote or control character.
            let name: String = person
                .name
                .chars()
                .filter(|c| *c != '"' && !c.is_control())
                .collect();
            let address: String = contact
                .address
                .chars()
                .filter(|c| !c.is_control() && !c.is_whitespace())
                .collect();
            line(&format!(
                "ATTENDEE;CN=\"{name}\";ROLE=REQ-PARTICIPANT:mailto:{address}"
            ));
        }
        let status = match interview.status {
            InterviewStatus::Cancelled => "CANCELLED",
            InterviewStatus::Planned | InterviewStatus::Held => "CONFIRMED",
        };
        line(&format!("STATUS:{status}"));
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    Ok(out)
}

/// An event's description: the goals, the roles and the participants, one per line.
fn description(engagement: &Engagement, interview: &Interview) -> String {
    let mut text = String::new();
    for goal in &interview.goals {
        let _ = writeln!(text, "Goal: {goal}");
    }
    if !interview.roles.is_empty() {
        let roles: Vec<&str> = interview.roles.iter().map(Role::as_str).collect();
        let _ = writeln!(text, "Roles: {}", roles.join(", "));
    }
    if !interview.participants.is_empty() {
        let names = engagement.participant_names(interview);
        let _ = writeln!(text, "Participants: {}", names.join(", "));
    }
    let _ = write!(text, "Engagement: {}", engagement.name);
    text
}

/// `20261204` of a date.
fn compact(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// TEXT escaping (RFC 5545, 3.3.11): backslash, semicolon, comma and newlines escaped; other
/// control characters, which the format does not allow, dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line, folded so that no line is longer than 75 octets (continuations
/// start with a space, which counts), never inside a UTF-8 sequence, each ending in CRLF.
fn fold_into(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > LIMIT {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn weekends_are_skipped() {
        let friday = date("2026-12-04");
        assert_eq!(working_day(friday, 1), friday);
        assert_eq!(working_day(friday, 2), date("2026-12-07"));
        assert_eq!(working_day(friday, 3), date("2026-12-08"));
        assert_eq!(working_day(date("2026-12-05"), 1), date("2026-12-07"));
        assert_eq!(working_days_between(friday, date("2026-12-07")), 1);
        assert_eq!(working_days_between(date("2026-12-07"), friday), -1);
        assert_eq!(working_days_between(friday, date("2026-12-18")), 10);
        assert_eq!(working_days_between(friday, friday), 0);
    }

    #[test]
    fn lines_fold_at_75_octets_without_splitting_a_character() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(100));
        fold_into(&mut out, &long);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("a,b;c\\d\ne\r\nf\u{7}"),
            "a\\,b\\;c\\\\d\\ne\\nf"
        );
    }

    #[test]
    fn times_are_read_strictly() {
        assert_eq!(parse_time("09:45").map(Time::minute), Some(45));
        for bad in ["9:45", "24:00", "09:60", "0945", "", "09:4a"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}
