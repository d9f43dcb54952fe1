//! Generation on the bundled example engagement.

use std::collections::HashSet;

use threat_interview::bank::BankSet;
use threat_interview::coverage::{Coverage, CoverageStatus};
use threat_interview::engine::{Subject, generate, merge};
use threat_interview::{Answer, AnswerChannel, ElementKind, Engagement, QuestionStatus};

fn online_shop() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    threat_interview::io::load(path).expect("the example engagement loads")
}

#[test]
fn the_builtin_bank_loads_and_covers_every_kind_and_category_unconditionally() {
    let banks = BankSet::builtin();
    assert!(banks.len() >= 80, "{} templates", banks.len());
    assert_eq!(banks.unconditional_gaps(), []);
}

#[test]
fn every_element_and_applicable_category_is_covered() {
    let mut engagement = online_shop();
    let banks = BankSet::builtin();
    let questions = generate(&engagement, &banks).questions();
    merge(&mut engagement, questions);
    let coverage = Coverage::of(&engagement);
    assert!(
        coverage.gaps.is_empty(),
        "gaps: {:?}",
        coverage
            .gaps
            .iter()
            .map(|g| (&g.subject, g.category))
            .collect::<Vec<_>>()
    );
    assert!(
        coverage
            .items
            .iter()
            .all(|i| i.status == CoverageStatus::Asked)
    );
    // The out-of-scope ERP gets no question, and is no gap.
    assert!(coverage.items.iter().all(|i| i.subject != "erp"));
    assert!(
        engagement
            .questions
            .iter()
            .all(|q| !q.subjects.contains(&"erp".to_owned()))
    );
}

#[test]
fn engagement_level_questions_come_first_then_an_external_interactor() {
    let engagement = online_shop();
    let banks = BankSet::builtin();
    let generated = generate(&engagement, &banks);
    let mut questions = generated.iter();
    let first = questions.next().expect("questions");
    assert_eq!(first.subject(), Subject::Engagement);
    assert_eq!(
        first.role(),
        &threat_interview::Role::BusinessStakeholder,
        "business stakeholder questions open the engagement"
    );
    let first_element = generated
        .iter()
        .find(|q| q.subject() != Subject::Engagement)
        .expect("element questions");
    let Subject::Element(e) = first_element.subject() else {
        panic!("the first element-level question is about a flow");
    };
    assert_eq!(
        engagement.model.elements[e.0].kind,
        ElementKind::ExternalInteractor
    );
    // Engagement-level questions are all before the element-level ones.
    let kinds: Vec<bool> = generated
        .iter()
        .map(|q| q.subject() == Subject::Engagement)
        .collect();
    assert!(kinds.windows(2).all(|w| w[0] || !w[1]));
}

#[test]
fn output_is_identical_across_runs() {
    let engagement = online_shop();
    let banks = BankSet::builtin();
    let a = serde_json::to_string(&generate(&engagement, &banks).questions()).unwrap();
    let b = serde_json::to_string(&generate(&engagement, &BankSet::builtin()).questions()).unwrap();
    assert_eq!(a, b);
    let ids: Vec<String> = generate(&engagement, &banks)
        .iter()
        .map(|q| q.id())
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "question ids are unique");
}

#[test]
fn texts_name_elements_and_fill_every_placeholder() {
    let engagement = online_shop();
    let banks = BankSet::builtin();
    for q in generate(&engagement, &banks).iter() {
        assert!(!q.text().contains('{'), "{}: {}", q.id(), q.text());
        if let Some(id) = q.subject_id() {
            assert!(q.id().ends_with(&format!("@{id}")));
        }
    }
}

#[test]
fn regenerating_after_a_description_change_keeps_every_answer() {
    let mut engagement = online_shop();
    let banks = BankSet::builtin();
    let questions = generate(&engagement, &banks).questions();
    merge(&mut engagement, questions);
    for (i, q) in engagement.questions.iter_mut().enumerate() {
        if i % 3 == 0 {
            q.status = QuestionStatus::Answered;
            q.answers.push(Answer {
                text: format!("answer {i}"),
                by: None,
                at: None,
                via: AnswerChannel::Interview,
                reference: None,
                extensions: None,
            });
        }
    }
    let before = engagement.questions.clone();
    engagement.model.elements[5].description = Some("Rewritten description".into());
    engagement.model.elements[6].name = "Renamed gateway".into();
    let questions = generate(&engagement, &banks).questions();
    let report = merge(&mut engagement, questions);
    assert!(report.obsoleted.is_empty(), "{:?}", report.obsoleted);
    for old in before.iter().filter(|q| !q.answers.is_empty()) {
        let now = engagement
            .question(&old.id)
            .expect("answered questions stay");
        assert_eq!(now, old, "answered questions are untouched");
    }
    // Unanswered questions about the renamed element are refreshed.
    assert!(
        report
            .refreshed
            .iter()
            .any(|id| id.ends_with(&format!("@{}", engagement.model.elements[6].id)))
    );
}

#[test]
fn deleting_an_element_marks_its_questions_obsolete() {
    let mut engagement = online_shop();
    let banks = BankSet::builtin();
    let questions = generate(&engagement, &banks).questions();
    merge(&mut engagement, questions);
    let count = engagement.questions.len();
    let gone = engagement
        .model
        .elements
        .iter()
        .position(|e| e.id == "session-cache")
        .unwrap();
    engagement.model.elements.remove(gone);
    engagement
        .model
        .flows
        .retain(|f| f.source != "session-cache" && f.target != "session-cache");
    let questions = generate(&engagement, &banks).questions();
    let report = merge(&mut engagement, questions);
    assert!(!report.obsoleted.is_empty());
    assert!(engagement.questions.len() >= count, "nothing is deleted");
    for q in &engagement.questions {
        let about_cache = q
            .subjects
            .iter()
            .any(|s| s == "session-cache" || s == "f-session-store");
        if about_cache {
            assert!(q.obsolete, "{} is obsolete", q.id);
        }
    }
    // Merging again changes nothing.
    let questions = generate(&engagement, &banks).questions();
    assert!(merge(&mut engagement, questions).is_unchanged());
}
