//! Calendars: the proposal on the bundled example, the checks of a calendar the user wrote,
//! the iCalendar export, and readiness.

use jiff::civil::{Date, Weekday};
use threat_interview::calendar::{CalendarError, propose, to_ics};
use threat_interview::model::{AssuranceLevel, DocumentStatus, InterviewStatus, Role, Slot};
use threat_interview::readiness::readiness;
use threat_interview::{DiagnosticCode, Engagement, io};

fn example() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    io::load(path).unwrap().engagement
}

fn date(text: &str) -> Date {
    text.parse().unwrap()
}

fn codes(engagement: &Engagement) -> Vec<(DiagnosticCode, String)> {
    engagement
        .validate()
        .warnings
        .into_iter()
        .map(|d| (d.code, d.pointer))
        .collect()
}

#[test]
fn a_standard_calendar_from_a_friday_runs_friday_monday_tuesday() {
    let proposal = propose(&example(), date("2026-12-04")).unwrap();
    let days: Vec<(u32, String)> = proposal
        .interviews
        .iter()
        .map(|i| (i.day, i.date.clone().unwrap()))
        .collect();
    let dates: std::collections::BTreeSet<&str> = days.iter().map(|(_, d)| d.as_str()).collect();
    assert_eq!(
        dates.into_iter().collect::<Vec<_>>(),
        ["2026-12-04", "2026-12-07", "2026-12-08"]
    );
    for interview in &proposal.interviews {
        let day: Date = interview.date.as_deref().unwrap().parse().unwrap();
        assert!(!matches!(
            day.weekday(),
            Weekday::Saturday | Weekday::Sunday
        ));
        assert_eq!(interview.slot, Slot::Morning, "{}", interview.id);
        let start = interview.start.as_deref().unwrap();
        assert!(("09:00".."12:00").contains(&start), "{start}");
        assert!(!interview.goals.is_empty(), "{} has no goal", interview.id);
    }
    let architects: Vec<&str> = proposal
        .interviews
        .iter()
        .filter(|i| i.roles.contains(&Role::Architect))
        .map(|i| i.date.as_deref().unwrap())
        .collect();
    // Friday and the Monday after: consecutive working days.
    assert_eq!(architects, ["2026-12-04", "2026-12-07"]);
    let first = &proposal.interviews[0];
    assert_eq!(first.id, "iv-kick-off");
    assert_eq!(
        first.participants.len(),
        example().participants.len(),
        "the kick-off is with everyone"
    );
    let business = proposal
        .interviews
        .iter()
        .find(|i| i.id == "iv-business")
        .unwrap();
    assert_eq!(business.participants, ["ana-ferreira", "tom-becker"]);
    assert_eq!(
        business.goals,
        [Role::BusinessStakeholder.goal().unwrap()],
        "goals come from the roles"
    );
    // The example's optional custom role is held by a participant: it gets its session.
    assert!(
        proposal
            .interviews
            .iter()
            .any(|i| i.id == "iv-security_champion" && i.minutes == 45)
    );
}

#[test]
fn a_proposed_calendar_validates_without_calendar_warnings() {
    for level in [
        AssuranceLevel::Fast,
        AssuranceLevel::Standard,
        AssuranceLevel::High,
    ] {
        let mut engagement = example();
        engagement.assurance_level = level;
        engagement.interviews = propose(&engagement, date("2026-12-04")).unwrap().interviews;
        assert!(engagement.validate().is_valid());
        let calendar: Vec<_> = codes(&engagement)
            .into_iter()
            .filter(|(c, _)| {
                !matches!(
                    c,
                    DiagnosticCode::DocumentRequested | DiagnosticCode::RequiredRoleUnfilled
                )
            })
            .collect();
        assert_eq!(calendar, [], "{level:?}");
    }
}

#[test]
fn a_calendar_past_the_last_date_is_refused() {
    let engagement = example();
    assert!(propose(&engagement, date("9999-12-30")).is_err());
    assert!(propose(&engagement, date("9999-12-29")).is_ok());
    assert!(propose(&engagement, Date::MAX).is_err());
    assert!(propose(&engagement, date("9999-12-01")).is_ok());
}

#[test]
fn fast_and_high_calendars_have_their_length() {
    let mut engagement = example();
    engagement.assurance_level = AssuranceLevel::Fast;
    let fast = propose(&engagement, date("2026-12-04")).unwrap();
    assert_eq!(fast.days.len(), 1);
    let ids: Vec<&str> = fast.interviews.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["iv-kick-off", "iv-business", "iv-architecture"]);
    let minutes: u32 = fast.interviews.iter().map(|i| i.minutes).sum();
    assert!(minutes <= 4 * 60, "a few hours: {minutes}");
    engagement.assurance_level = AssuranceLevel::High;
    let high = propose(&engagement, date("2026-12-04")).unwrap();
    assert_eq!(high.days.len(), 5);
    assert_eq!(high.days[4].date, date("2026-12-10"));
    let architect_days: Vec<u32> = high
        .interviews
        .iter()
        .filter(|i| i.roles.contains(&Role::Architect))
        .map(|i| i.day)
        .collect();
    assert_eq!(architect_days, [1, 2, 3]);
}

#[test]
fn a_calendar_the_user_wrote_is_checked() {
    let mut engagement = example();
    // Business for four hours, overlapping the architects, who come back on day 5.
    let business = engagement
        .interviews
        .iter_mut()
        .find(|i| i.id == "iv-business")
        .unwrap();
    business.minutes = 240;
    let second = engagement
        .interviews
        .iter_mut()
        .find(|i| i.id == "iv-architecture-2")
        .unwrap();
    second.day = 5;
    // Li Wei is also asked to the deployment interview, at the same time as the architects.
    let deployment = engagement
        .interviews
        .iter_mut()
        .find(|i| i.id == "iv-deployment")
        .unwrap();
    deployment.day = 1;
    deployment.start = Some("10:00".to_owned());
    deployment.participants.push("li-wei".to_owned());
    let found = codes(&engagement);
    let has = |code, pointer: &str| found.contains(&(code, pointer.to_owned()));
    assert!(
        has(DiagnosticCode::InterviewTooLong, "/interviews/0/minutes"),
        "{found:?}"
    );
    assert!(
        has(DiagnosticCode::InterviewOverlap, "/interviews/1/start"),
        "{found:?}"
    );
    assert!(
        has(DiagnosticCode::InterviewOverlap, "/interviews/3/start"),
        "{found:?}"
    );
    assert!(
        has(
            DiagnosticCode::ParticipantDoubleBooked,
            "/interviews/3/participants/1"
        ),
        "{found:?}"
    );
    assert!(
        has(DiagnosticCode::ArchitectSessionsApart, "/interviews/2/day"),
        "{found:?}"
    );
    assert!(engagement.validate().is_valid(), "warnings only");
    // The file as written has none of these.
    let clean = codes(&example());
    assert!(
        clean
            .iter()
            .all(|(c, _)| *c == DiagnosticCode::DocumentRequested),
        "{clean:?}"
    );
}

#[test]
fn dates_on_a_weekend_or_against_their_day_are_flagged() {
    let mut engagement = example();
    engagement.interviews = propose(&engagement, date("2026-12-04")).unwrap().interviews;
    let last = engagement.interviews.len() - 1;
    engagement.interviews[last].date = Some("2026-12-12".to_owned()); // a Saturday
    let i = engagement
        .interviews
        .iter()
        .position(|i| i.id == "iv-architecture-2")
        .unwrap();
    engagement.interviews[i].date = Some("2026-12-09".to_owned()); // day 4, not day 2
    let found = codes(&engagement);
    let odd: Vec<&String> = found
        .iter()
        .filter(|(c, _)| *c == DiagnosticCode::InterviewDateOdd)
        .map(|(_, p)| p)
        .collect();
    assert_eq!(
        odd,
        [
            &format!("/interviews/{i}/date"),
            &format!("/interviews/{last}/date")
        ]
    );
    assert!(
        found.contains(&(
            DiagnosticCode::ArchitectSessionsApart,
            format!("/interviews/{i}/date")
        )),
        "{found:?}"
    );
}

#[test]
fn a_far_day_and_many_interviews_cost_nothing() {
    let mut engagement = example();
    engagement.interviews = propose(&engagement, date("2026-12-04")).unwrap().interviews;
    engagement.interviews[0].day = u32::MAX;
    engagement.interviews[0].date = Some("9999-12-31".to_owned());
    let template = engagement.interviews[1].clone();
    for n in 0..20_000 {
        let mut copy = template.clone();
        copy.id = format!("iv-copy-{n}");
        engagement.interviews.push(copy);
    }
    let started = std::time::Instant::now();
    let report = engagement.validate();
    assert!(report.is_valid());
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn the_ics_export_is_deterministic_folded_and_escaped() {
    let mut engagement = example();
    assert!(matches!(
        to_ics(&engagement),
        Err(CalendarError::Undated { ref pointer, .. }) if pointer == "/interviews/0"
    ));
    engagement.interviews = propose(&engagement, date("2026-12-04")).unwrap().interviews;
    engagement.interviews[1].title = "Business; value, concerns\\calibration\nand more".into();
    engagement.interviews[2].status = InterviewStatus::Cancelled;
    let text = to_ics(&engagement).unwrap();
    assert_eq!(text, to_ics(&engagement).unwrap());
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
    let unfolded = text.replace("\r\n ", "");
    assert_eq!(
        unfolded.matches("BEGIN:VEVENT").count(),
        engagement.interviews.len()
    );
    assert!(unfolded.contains("SUMMARY:Business\\; value\\, concerns\\\\calibration\\nand more"));
    assert!(unfolded.contains("UID:iv-kick-off@online-shop-2025\r\n"));
    assert!(unfolded.contains("DTSTAMP:20261204T000000Z\r\n"));
    assert!(unfolded.contains("DTSTART:20261204T090000\r\nDURATION:PT30M\r\n"));
    assert!(unfolded.contains("STATUS:CANCELLED"));
    assert!(unfolded.contains(
        "ATTENDEE;CN=\"Ana Ferreira\";ROLE=REQ-PARTICIPANT:mailto:ana.ferreira@tidewater.example"
    ));
    engagement.interviews[0].start = Some("9h".into());
    assert!(matches!(
        to_ics(&engagement),
        Err(CalendarError::Unreadable { ref pointer, .. }) if pointer == "/interviews/0/start"
    ));
}

#[test]
fn readiness_says_what_is_missing_and_estimates_the_effort() {
    let engagement = example();
    let report = readiness(&engagement);
    assert_eq!(report.documents.requested, 2);
    assert_eq!(report.documents.received, 1);
    assert_eq!(report.documents.reviewed, 2);
    let warned: Vec<(DiagnosticCode, &str)> = report
        .warnings
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            (DiagnosticCode::CustomRoleUnanswered, "/custom_roles/0"),
            (DiagnosticCode::DocumentUnreviewed, "/documents/1/status"),
            (DiagnosticCode::DocumentRequested, "/documents/3/status"),
            (DiagnosticCode::DocumentRequested, "/documents/4/status"),
        ]
    );
    assert!(
        report
            .roles
            .iter()
            .all(|r| !r.required || !r.participants.is_empty())
    );
    // 18 elements (2 out of scope), 24 flows and 6 boundaries; five documents; standard rates.
    let effort = report.effort;
    assert_eq!(effort.model_items, 46);
    assert_eq!(effort.preparation_minutes, 465); // 240 + 3 × 46 + 15 × 5 = 453, rounded up
    assert_eq!(effort.interview_minutes, 420);
    assert_eq!(
        effort.analysis_minutes,
        u32::try_from(4 * effort.stride_pairs + 240)
            .unwrap()
            .div_ceil(15)
            * 15
    );

    let mut bare = Engagement::new("e", "E", AssuranceLevel::Standard);
    bare.documents.push(threat_interview::model::Document::new(
        "d",
        "D",
        DocumentStatus::Requested,
    ));
    let report = readiness(&bare);
    let codes: Vec<DiagnosticCode> = report.warnings.iter().map(|d| d.code).collect();
    for code in [
        DiagnosticCode::InScopeEmpty,
        DiagnosticCode::OutOfScopeEmpty,
        DiagnosticCode::CalendarEmpty,
        DiagnosticCode::CalibrationMissing,
        DiagnosticCode::RequiredRoleUnfilled,
        DiagnosticCode::DocumentRequested,
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    assert!(!report.is_ready());
    // No calendar yet: the interviews are the proposal's.
    assert_eq!(
        report.effort.interview_minutes,
        30 + 30 + 120 + 60 + 30 + 30 + 60
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever the titles hold, every line is within 75 octets, ends in CRLF, and unfolds to
    /// the escaped title.
    #[test]
    fn any_title_folds_and_escapes(title in "\\PC{0,200}", extra in "[,;\\\\\\n\\r\\t é😀]{0,40}") {
        let mut engagement = example();
        engagement.interviews = propose(&engagement, date("2026-12-04")).unwrap().interviews;
        let title = format!("{title}{extra}");
        engagement.interviews[0].title.clone_from(&title);
        let text = to_ics(&engagement).unwrap();
        proptest::prop_assert!(text.ends_with("\r\n"));
        for line in text.split("\r\n") {
            proptest::prop_assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
            proptest::prop_assert!(!line.contains('\r') && !line.contains('\n'));
        }
        let unfolded = text.replace("\r\n ", "");
        let summary = format!(
            "SUMMARY:{}\r\n",
            threat_interview::calendar::escape_text(&title)
        );
        proptest::prop_assert!(unfolded.contains(&summary));
    }
}

#[test]
fn a_custom_role_that_answers_for_nothing_is_a_readiness_warning() {
    // Rounds 69 and 71: a compliance officer and a data protection officer, each with a
    // 45-minute meeting, got no question (both reviewers each time).
    let mut engagement = example();
    let warned = |e: &threat_interview::Engagement| {
        readiness(e)
            .warnings
            .iter()
            .filter(|d| d.code == DiagnosticCode::CustomRoleUnanswered)
            .count()
    };
    assert_eq!(warned(&engagement), 1);
    engagement.custom_roles[0].answers_for = vec!["identity-service".to_owned()];
    assert_eq!(warned(&engagement), 0);
    // Optional and held by nobody: nothing to warn about.
    engagement.custom_roles[0].answers_for.clear();
    for p in &mut engagement.participants {
        p.roles
            .retain(|r| *r != threat_interview::model::Role::Custom("security_champion".into()));
    }
    assert!(engagement.custom_roles[0].optional);
    assert_eq!(warned(&engagement), 0);
}
