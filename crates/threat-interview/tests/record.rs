//! Recording answers, hints, findings and follow-ups: valid changes kept, invalid ones refused
//! with every problem and the engagement left as it was.

use threat_interview::coverage::Coverage;
use threat_interview::engine::Engine;
use threat_interview::{
    Answer, AnswerChannel, AttackStep, DiagnosticCode, Engagement, Finding, FollowUp, Hint,
    QuestionStatus, RecordError, io,
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

fn answer(by: &str) -> Answer {
    let mut answer = Answer::new(
        "Mutual TLS between the gateway and the service",
        AnswerChannel::Interview,
    );
    answer.by = Some(by.into());
    answer.at = Some("2026-03-02T10:15:00Z".into());
    answer.reference = Some("iv-architecture-1".into());
    answer
}

fn hint(id: &str) -> Hint {
    let mut hint = Hint::new(id, "The back office talks to the catalogue over plain HTTP");
    hint.subjects = vec!["f-backoffice-catalog".into()];
    hint.raised_by = Some("sam-okoro".into());
    hint.recorded_at = Some("2026-03-02".into());
    hint
}

#[test]
fn an_answer_is_recorded_and_the_category_becomes_answered() {
    let mut engagement = shop();
    let question = engagement
        .questions
        .iter()
        .find(|q| q.subjects == ["api-gateway"] && q.category.is_some())
        .unwrap()
        .clone();
    engagement
        .record_answer(&question.id, answer("li-wei"))
        .unwrap();
    let recorded = engagement.question(&question.id).unwrap();
    assert_eq!(recorded.status, QuestionStatus::Answered);
    assert_eq!(recorded.answers.len(), 1);
    let coverage = Coverage::of(&engagement);
    let item = coverage
        .items
        .iter()
        .find(|i| i.subject == "api-gateway" && Some(i.category) == question.category)
        .unwrap();
    assert_eq!(item.status.as_str(), "answered");
}

#[test]
fn an_answer_by_a_stranger_is_refused_and_nothing_changes() {
    let mut engagement = shop();
    let before = engagement.clone();
    let id = engagement.questions[0].id.clone();
    let error = engagement
        .record_answer(&id, answer("mallory"))
        .unwrap_err();
    let RecordError::Invalid { what, errors } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*what, "answer");
    assert_eq!(errors[0].code, DiagnosticCode::ParticipantMissing);
    assert_eq!(errors[0].pointer, "/questions/0/answers/0/by");
    assert!(error.to_string().contains("`mallory`"), "{error}");
    assert_eq!(engagement, before);
    assert_eq!(
        engagement.record_answer("no-such-question", answer("li-wei")),
        Err(RecordError::UnknownQuestion {
            id: "no-such-question".into()
        })
    );
}

#[test]
fn hints_findings_and_follow_ups_are_checked_where_they_land() {
    let mut engagement = shop();
    engagement.add_hint(hint("h-1")).unwrap();
    let duplicate = engagement.add_hint(hint("h-1")).unwrap_err();
    assert!(matches!(
        duplicate,
        RecordError::Invalid { what: "hint", .. }
    ));
    assert_eq!(engagement.hints.len(), 1);

    let mut finding = Finding::new(
        "fd-1",
        "Catalogue prices can be altered in transit",
        Vec::new(),
    );
    finding.subjects = vec!["f-backoffice-catalog".into()];
    finding.hints = vec!["h-1".into()];
    finding.quick_win = true;
    let RecordError::Invalid { errors, .. } = engagement.add_finding(finding.clone()).unwrap_err()
    else {
        panic!("a finding needs an attack path");
    };
    assert_eq!(errors[0].code, DiagnosticCode::AttackPathEmpty);
    assert!(engagement.findings.is_empty());
    let mut step = AttackStep::new("An attacker on the office network rewrites a price update");
    step.subject = Some("f-backoffice-catalog".into());
    finding.attack_path.push(step);
    engagement.add_finding(finding).unwrap();
    assert_eq!(engagement.findings.len(), 1);

    let mut follow_up = FollowUp::new(
        "fu-1",
        "Send the TLS configuration of the catalogue service",
        "nobody",
        "2026-03-03",
    );
    follow_up.due = Some("2026-03-10".into());
    assert!(engagement.add_follow_up(follow_up.clone()).is_err());
    follow_up.assignee = "sam-okoro".into();
    engagement.add_follow_up(follow_up).unwrap();
    assert_eq!(engagement.follow_ups.len(), 1);
    assert!(engagement.is_valid());
}

#[test]
fn an_empty_answer_or_an_empty_hint_id_is_refused_with_the_validation_error() {
    let mut engagement = shop();
    let before = engagement.clone();
    let id = engagement.questions[0].id.clone();
    let RecordError::Invalid { errors, .. } = engagement
        .record_answer(&id, Answer::new("", AnswerChannel::Interview))
        .unwrap_err()
    else {
        panic!("an empty answer is refused");
    };
    assert_eq!(errors[0].code, DiagnosticCode::InvalidValue);
    assert_eq!(errors[0].pointer, "/questions/0/answers/0/text");
    let RecordError::Invalid { errors, .. } = engagement.add_hint(hint("")).unwrap_err() else {
        panic!("an empty hint id is refused");
    };
    assert_eq!(errors[0].pointer, "/hints/0/id");
    assert_eq!(engagement, before);
    assert!(engagement.is_valid());
}
