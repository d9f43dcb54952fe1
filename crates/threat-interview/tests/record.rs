//! Recording answers, hints, findings and follow-ups: valid changes kept, invalid ones refused
//! with every problem and the engagement left as it was.

use threat_interview::coverage::Coverage;
use threat_interview::{
    Answer, AnswerChannel, AttackStep, BankSet, Engagement, Finding, FindingStatus, FollowUp,
    FollowUpStatus, Hint, HintStatus, QuestionStatus, RecordError, engine, io,
};

fn shop() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    let mut engagement = io::load(path).unwrap();
    let questions = engine::generate(&engagement, &BankSet::builtin()).questions();
    engine::merge(&mut engagement, questions);
    engagement
}

fn answer(by: &str) -> Answer {
    Answer {
        text: "Mutual TLS between the gateway and the service".into(),
        by: Some(by.into()),
        at: Some("2026-03-02T10:15:00Z".into()),
        via: AnswerChannel::Interview,
        reference: Some("iv-architecture-1".into()),
        extensions: None,
    }
}

fn hint(id: &str) -> Hint {
    Hint {
        id: id.into(),
        text: "The back office talks to the catalogue over plain HTTP".into(),
        subjects: vec!["f-backoffice-catalog".into()],
        category: None,
        question: None,
        raised_by: Some("sam-okoro".into()),
        recorded_at: Some("2026-03-02".into()),
        status: HintStatus::Open,
        rationale: None,
        extensions: None,
    }
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
    assert_eq!(errors[0].code, "participant-missing");
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

    let mut finding = Finding {
        id: "fd-1".into(),
        title: "Catalogue prices can be altered in transit".into(),
        description: None,
        category: None,
        subjects: vec!["f-backoffice-catalog".into()],
        hints: vec!["h-1".into()],
        attack_path: Vec::new(),
        status: FindingStatus::Plausible,
        rationale: None,
        severity: None,
        quick_win: true,
        extensions: None,
    };
    let RecordError::Invalid { errors, .. } = engagement.add_finding(finding.clone()).unwrap_err()
    else {
        panic!("a finding needs an attack path");
    };
    assert_eq!(errors[0].code, "attack-path-empty");
    assert!(engagement.findings.is_empty());
    finding.attack_path.push(AttackStep {
        description: "An attacker on the office network rewrites a price update".into(),
        subject: Some("f-backoffice-catalog".into()),
    });
    engagement.add_finding(finding).unwrap();
    assert_eq!(engagement.findings.len(), 1);

    let follow_up = FollowUp {
        id: "fu-1".into(),
        text: "Send the TLS configuration of the catalogue service".into(),
        question: None,
        assignee: "nobody".into(),
        asked_on: "2026-03-03".into(),
        due: Some("2026-03-10".into()),
        status: FollowUpStatus::Open,
        answer: None,
        answered_on: None,
        extensions: None,
    };
    assert!(engagement.add_follow_up(follow_up.clone()).is_err());
    engagement
        .add_follow_up(FollowUp {
            assignee: "sam-okoro".into(),
            ..follow_up
        })
        .unwrap();
    assert_eq!(engagement.follow_ups.len(), 1);
    assert!(threat_interview::validate::validate_engagement(&engagement).is_valid());
}
