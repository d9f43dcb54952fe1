//! Live recording: questions asked or skipped, hints promoted or dismissed, findings confirmed
//! or dismissed, quick wins, follow-ups of questions and hints, and answers through them. Each
//! refusal names where (a JSON Pointer) and what, and leaves the engagement as it was.

use threat_interview::engine::Engine;
use threat_interview::{
    Answer, AnswerChannel, AttackStep, ContactChannel, DiagnosticCode, Engagement, Finding,
    FindingStatus, FollowUpRequest, FollowUpStatus, Hint, HintStatus, QuestionStatus, RecordError,
    Stride, io,
};

fn shop() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    let loaded = io::load(path).unwrap();
    let questions = Engine::builtin().generate(loaded.checked());
    let mut engagement = loaded.engagement;
    questions.merge_into(&mut engagement);
    engagement
}

fn with_hint() -> Engagement {
    let mut engagement = shop();
    let mut hint = Hint::new(
        "h-1",
        "The back office talks to the catalogue over plain HTTP",
    );
    hint.subjects = vec!["f-backoffice-catalog".into()];
    hint.category = Some(Stride::Tampering);
    engagement.add_hint(hint).unwrap();
    engagement
}

fn step(text: &str) -> AttackStep {
    AttackStep::new(text)
}

fn finding(id: &str, steps: &[&str]) -> Finding {
    Finding::new(
        id,
        "Catalogue prices can be altered in transit",
        steps.iter().map(|s| step(s)).collect(),
    )
}

fn promoted() -> Engagement {
    let mut engagement = with_hint();
    engagement
        .promote_hint(
            "h-1",
            finding(
                "fd-1",
                &[
                    "Join the office Wi-Fi with a rogue access point",
                    "Rewrite a price update on its way to the catalogue",
                ],
            ),
        )
        .unwrap();
    engagement
}

#[test]
fn a_question_is_marked_asked_then_skipped_with_a_reason() {
    let mut engagement = shop();
    let id = engagement.questions[3].id.clone();
    engagement.mark_asked(&id).unwrap();
    assert_eq!(engagement.questions[3].status, QuestionStatus::Asked);
    engagement
        .skip_question(&id, "the time box ran out")
        .unwrap();
    let question = &engagement.questions[3];
    assert_eq!(question.status, QuestionStatus::Skipped);
    assert_eq!(
        question.skip_reason.as_deref(),
        Some("the time box ran out")
    );
    // Asked after all: the skip reason goes.
    engagement.mark_asked(&id).unwrap();
    assert_eq!(engagement.questions[3].skip_reason, None);
    assert!(engagement.is_valid());
}

#[test]
fn skipping_without_a_reason_or_an_answered_question_is_refused() {
    let mut engagement = shop();
    let id = engagement.questions[0].id.clone();
    let before = engagement.clone();
    let error = engagement.skip_question(&id, "  ").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("skipping question `{id}` needs a reason: say why (at /questions/0/skip_reason)")
    );
    assert_eq!(
        error.diagnostics()[0].code,
        DiagnosticCode::RationaleMissing
    );
    assert_eq!(engagement, before);
    engagement
        .record_answer(&id, Answer::new("Yes", AnswerChannel::Interview))
        .unwrap();
    let error = engagement.skip_question(&id, "no time").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("question `{id}` is answered: it cannot be skipped (at /questions/0/status)")
    );
    assert!(matches!(
        engagement.mark_asked(&id),
        Err(RecordError::WrongStatus {
            action: "marked asked",
            ..
        })
    ));
    assert_eq!(
        engagement.mark_asked("nope"),
        Err(RecordError::UnknownQuestion { id: "nope".into() })
    );
}

#[test]
fn a_hint_is_promoted_with_an_attack_path_and_the_finding_takes_its_subjects() {
    let engagement = promoted();
    let hint = &engagement.hints[0];
    assert_eq!(hint.status, HintStatus::Promoted);
    assert_eq!(hint.finding.as_deref(), Some("fd-1"));
    let finding = &engagement.findings[0];
    assert_eq!(finding.hints, ["h-1"]);
    assert_eq!(finding.subjects, ["f-backoffice-catalog"]);
    assert_eq!(finding.category, Some(Stride::Tampering));
    assert_eq!(finding.status, FindingStatus::Plausible);
    assert_eq!(finding.attack_path.len(), 2);
    assert!(engagement.is_valid());
}

#[test]
fn promoting_a_hint_without_an_attack_path_is_an_error_with_a_clear_message() {
    let mut engagement = with_hint();
    let before = engagement.clone();
    for steps in [&[][..], &["   "][..]] {
        let error = engagement
            .promote_hint("h-1", finding("fd-1", steps))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "promoting hint `h-1` to a finding needs a conceptual attack path: at least one step \
             saying how an attacker would exploit it (at /findings/0/attack_path)"
        );
        let diagnostics = error.diagnostics();
        assert_eq!(diagnostics[0].code, DiagnosticCode::AttackPathEmpty);
        assert_eq!(diagnostics[0].pointer, "/findings/0/attack_path");
        assert_eq!(engagement, before);
    }
}

#[test]
fn a_hint_is_promoted_once_and_an_invalid_finding_undoes_the_promotion() {
    let mut engagement = promoted();
    let error = engagement
        .promote_hint("h-1", finding("fd-2", &["step"]))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "hint `h-1` is promoted: it cannot be promoted (at /hints/0/status)"
    );
    let mut engagement = with_hint();
    let before = engagement.clone();
    let mut bad = finding("fd-1", &["step"]);
    bad.attack_path[0].subject = Some("no-such-element".into());
    let RecordError::Invalid { errors, .. } = engagement.promote_hint("h-1", bad).unwrap_err()
    else {
        panic!("a step on an unknown subject is refused");
    };
    assert_eq!(errors[0].pointer, "/findings/0/attack_path/0/subject");
    assert_eq!(engagement, before);
    assert_eq!(
        engagement.promote_hint("h-9", finding("fd-1", &["step"])),
        Err(RecordError::Unknown {
            what: "hint",
            id: "h-9".into()
        })
    );
}

#[test]
fn a_hint_is_dismissed_with_a_rationale() {
    let mut engagement = with_hint();
    let error = engagement.dismiss_hint("h-1", "").unwrap_err();
    assert_eq!(
        error.to_string(),
        "dismissing hint `h-1` needs a rationale: say why (at /hints/0/rationale)"
    );
    engagement
        .dismiss_hint("h-1", "the catalogue only serves public prices")
        .unwrap();
    assert_eq!(engagement.hints[0].status, HintStatus::Dismissed);
    assert!(engagement.is_valid());
    assert!(matches!(
        engagement.promote_hint("h-1", finding("fd-1", &["step"])),
        Err(RecordError::WrongStatus {
            status: "dismissed",
            ..
        })
    ));
}

#[test]
fn a_finding_is_confirmed_or_dismissed_with_a_rationale_and_marked_a_quick_win() {
    let mut engagement = promoted();
    let error = engagement.confirm_finding("fd-1", " ").unwrap_err();
    assert_eq!(
        error.to_string(),
        "confirming finding `fd-1` needs a rationale: say why (at /findings/0/rationale)"
    );
    engagement
        .confirm_finding("fd-1", "the office Wi-Fi uses a shared password")
        .unwrap();
    assert_eq!(engagement.findings[0].status, FindingStatus::Confirmed);
    engagement.set_quick_win("fd-1", true).unwrap();
    assert!(engagement.findings[0].quick_win);
    engagement
        .dismiss_finding("fd-1", "prices are signed by the back office")
        .unwrap();
    let finding = &engagement.findings[0];
    assert_eq!(finding.status, FindingStatus::Dismissed);
    assert_eq!(
        finding.rationale.as_deref(),
        Some("prices are signed by the back office")
    );
    assert!(engagement.is_valid());
    assert_eq!(
        engagement.set_quick_win("fd-9", true),
        Err(RecordError::Unknown {
            what: "finding",
            id: "fd-9".into()
        })
    );
}

#[test]
fn confirming_a_finding_without_an_attack_path_is_an_error_with_a_clear_message() {
    // A finding in memory can lose its steps; confirming it is refused all the same.
    let mut engagement = promoted();
    engagement.findings[0].attack_path.clear();
    let before = engagement.clone();
    let error = engagement
        .confirm_finding("fd-1", "seen in the test environment")
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "confirming finding `fd-1` needs a conceptual attack path: at least one step saying how \
         an attacker would exploit it (at /findings/0/attack_path)"
    );
    assert_eq!(error.diagnostics()[0].code, DiagnosticCode::AttackPathEmpty);
    assert_eq!(engagement, before);
}

#[test]
fn a_question_is_followed_up_and_answering_the_follow_up_answers_it() {
    let mut engagement = shop();
    let question = engagement.questions[5].id.clone();
    let id = engagement
        .follow_up_question(
            &question,
            FollowUpRequest::new("priya-nair", "2026-03-03").due("2026-03-10"),
        )
        .unwrap();
    assert_eq!(id, format!("fu-{question}"));
    let follow_up = &engagement.follow_ups[0];
    assert_eq!(follow_up.question.as_deref(), Some(question.as_str()));
    assert_eq!(follow_up.text, engagement.questions[5].text);
    // The participant's contact channel when none is given.
    assert_eq!(follow_up.channel, Some(ContactChannel::Email));
    assert_eq!(engagement.overdue_follow_ups("2026-03-10").len(), 0);
    assert_eq!(engagement.overdue_follow_ups("2026-03-11").len(), 1);
    let error = engagement
        .follow_up_question(&question, FollowUpRequest::new("li-wei", "2026-03-04"))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("question `{question}` already has the open follow-up `{id}` (at /follow_ups/0)")
    );

    let mut answer = Answer::new("Secrets are in the vault", AnswerChannel::Email);
    answer.at = Some("2026-03-05T09:00:00Z".into());
    engagement.answer_follow_up(&id, answer).unwrap();
    let follow_up = &engagement.follow_ups[0];
    assert_eq!(follow_up.status, FollowUpStatus::Answered);
    assert_eq!(
        follow_up.answer.as_deref(),
        Some("Secrets are in the vault")
    );
    assert_eq!(follow_up.answered_on.as_deref(), Some("2026-03-05"));
    let question = &engagement.questions[5];
    assert_eq!(question.status, QuestionStatus::Answered);
    let recorded = &question.answers[0];
    assert_eq!(recorded.via, AnswerChannel::FollowUp);
    assert_eq!(recorded.reference.as_deref(), Some(id.as_str()));
    assert_eq!(recorded.by.as_deref(), Some("priya-nair"));
    assert_eq!(engagement.overdue_follow_ups("2026-04-01").len(), 0);
    assert!(engagement.is_valid());
    assert!(matches!(
        engagement.answer_follow_up(&id, Answer::new("again", AnswerChannel::Email)),
        Err(RecordError::WrongStatus {
            status: "answered",
            ..
        })
    ));
}

#[test]
fn an_answer_recorded_through_a_follow_up_closes_it() {
    let mut engagement = shop();
    let question = engagement.questions[2].id.clone();
    let id = engagement
        .follow_up_question(&question, FollowUpRequest::new("li-wei", "2026-03-03"))
        .unwrap();
    let mut answer = Answer::new("Yes, mutual TLS", AnswerChannel::FollowUp);
    answer.reference = Some(id);
    answer.at = Some("2026-03-04".into());
    engagement.record_answer(&question, answer).unwrap();
    assert_eq!(engagement.follow_ups[0].status, FollowUpStatus::Answered);
    assert_eq!(
        engagement.follow_ups[0].answered_on.as_deref(),
        Some("2026-03-04")
    );
}

#[test]
fn a_hint_is_followed_up_and_its_answer_closes_the_follow_up() {
    let mut engagement = with_hint();
    let id = engagement
        .follow_up_hint(
            "h-1",
            FollowUpRequest::new("sam-okoro", "2026-03-03")
                .due("2026-03-06")
                .via(ContactChannel::Chat),
        )
        .unwrap();
    assert_eq!(id, "fu-h-1");
    assert_eq!(engagement.follow_ups[0].hint.as_deref(), Some("h-1"));
    assert_eq!(engagement.follow_ups[0].channel, Some(ContactChannel::Chat));
    engagement
        .answer_follow_up(
            &id,
            Answer::new("Plain HTTP on port 80", AnswerChannel::Chat),
        )
        .unwrap();
    assert_eq!(engagement.follow_ups[0].status, FollowUpStatus::Answered);
    assert_eq!(engagement.follow_ups[0].answered_on, None);
    assert!(engagement.is_valid());
}

#[test]
fn follow_ups_with_bad_dates_strangers_or_closed_questions_are_refused() {
    let mut engagement = with_hint();
    let before = engagement.clone();
    let question = engagement.questions[0].id.clone();
    let error = engagement
        .follow_up_question(
            &question,
            FollowUpRequest::new("li-wei", "2026-03-10").due("2026-03-01"),
        )
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the due date `2026-03-01` is before the date asked `2026-03-10` (at /follow_ups/0/due)"
    );
    let RecordError::Invalid { errors, .. } = engagement
        .follow_up_question(&question, FollowUpRequest::new("mallory", "2026-03-10"))
        .unwrap_err()
    else {
        panic!("a follow-up to a stranger is refused");
    };
    assert_eq!(errors[0].pointer, "/follow_ups/0/assignee");
    let RecordError::Invalid { errors, .. } = engagement
        .follow_up_hint("h-1", FollowUpRequest::new("li-wei", "2026-02-30"))
        .unwrap_err()
    else {
        panic!("a date that is not in the calendar is refused");
    };
    assert_eq!(errors[0].pointer, "/follow_ups/0/asked_on");
    assert_eq!(engagement, before);
    engagement
        .skip_question(&question, "answered by the design document")
        .unwrap();
    assert!(matches!(
        engagement.follow_up_question(&question, FollowUpRequest::new("li-wei", "2026-03-10")),
        Err(RecordError::WrongStatus {
            status: "skipped",
            ..
        })
    ));
    assert_eq!(
        engagement.answer_follow_up("fu-x", Answer::new("x", AnswerChannel::Email)),
        Err(RecordError::Unknown {
            what: "follow-up",
            id: "fu-x".into()
        })
    );
}

#[test]
fn files_written_before_these_fields_still_load() {
    // No `finding` on hints, no `hint` or `channel` on follow-ups: all optional.
    let json = serde_json::json!({
        "schema_version": 1, "id": "e", "name": "E", "assurance_level": "fast",
        "participants": [{"id": "p", "name": "P"}],
        "hints": [{"id": "h", "text": "t"}],
        "follow_ups": [{"id": "f", "text": "t", "assignee": "p", "asked_on": "2026-01-02"}]
    });
    let engagement: Engagement = serde_json::from_value(json).unwrap();
    assert!(engagement.is_valid(), "{:?}", engagement.validate());
}

#[test]
fn a_hint_naming_no_finding_or_a_follow_up_naming_no_hint_is_invalid() {
    let json = serde_json::json!({
        "schema_version": 1, "id": "e", "name": "E", "assurance_level": "fast",
        "participants": [{"id": "p", "name": "P"}],
        "hints": [{"id": "h", "text": "t", "status": "promoted", "finding": "fd-gone"}],
        "follow_ups": [{"id": "f", "text": "t", "assignee": "p", "asked_on": "2026-01-02",
                        "hint": "h-gone", "channel": "pigeon"}]
    });
    let engagement: Result<Engagement, _> = serde_json::from_value(json.clone());
    assert!(engagement.is_err(), "`pigeon` is no channel");
    let mut json = json;
    json["follow_ups"][0]["channel"] = "chat".into();
    let engagement: Engagement = serde_json::from_value(json).unwrap();
    let report = engagement.validate();
    let found: Vec<(DiagnosticCode, &str)> = report
        .errors
        .iter()
        .map(|d| (d.code, d.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (DiagnosticCode::HintMissing, "/follow_ups/0/hint"),
            (DiagnosticCode::FindingMissing, "/hints/0/finding"),
        ]
    );
}
