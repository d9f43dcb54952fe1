//! What the model says that is itself a possible weakness (`weakness_when`): the question is
//! generated answered, its answer is marked a weakness, and merging records it as an open hint
//! that follows the model until the modelers analyse it (rounds 69, 75 and 76: reviewers asked
//! that "no network policies yet" be raised, not put to nobody).

use threat_interview::Engagement;
use threat_interview::engine::{Engine, GeneratedQuestion};
use threat_interview::model::{HintStatus, Stride};

mod common;

use common::{boundary_of_mut, flow_mut, load};

const NETWORK_POLICY: &str = "kubernetes.flow.tampering.network-policy";

/// The exam platform, whose cluster's boundary says it has no network policies: every
/// unauthenticated connection into the cluster is answered by that sentence.
fn exams_without_network_policies() -> Engagement {
    let mut exams = load("examples/engagements/exam-platform.json");
    boundary_of_mut(&mut exams, "paper-release-service").description =
        Some("The production EKS cluster. No network policies yet.".into());
    // The LTI key fetch carries internal data here, so that the sentence also answers
    // another template's question (one that asks about unauthenticated connections).
    for item in &mut flow_mut(&mut exams, "f-lti-jwks").data {
        item.classification = threat_interview::model::Classification::Internal;
    }
    exams
}

fn hints_from_model(e: &Engagement) -> Vec<&threat_interview::model::Hint> {
    e.hints.iter().filter(|h| h.from_model).collect()
}

#[test]
fn a_stated_weakness_answers_the_question_and_marks_its_answer() {
    let exams = exams_without_network_policies();
    let questions = Engine::builtin().generate(exams.check().unwrap());
    let answered: Vec<_> = questions
        .iter()
        .filter(|q| q.template().id == NETWORK_POLICY)
        .filter(GeneratedQuestion::is_answered_by_model)
        .collect();
    assert!(answered.len() >= 2, "{}", answered.len());
    for q in &answered {
        let answer = q.model_answer().unwrap();
        assert!(answer.weakness, "{}", answer.text);
    }
    // An answer that says how a concern is handled well is no weakness: a KMS key at rest.
    let mut shop = load("examples/engagements/online-shop.json");
    common::element_mut(&mut shop, "order-queue").description =
        Some("Order events, encrypted at rest with a KMS key.".into());
    let questions = Engine::builtin().generate(shop.check().unwrap());
    let at_rest = questions
        .iter()
        .find(|q| {
            q.template().id == "store.information_disclosure.at-rest-unknown"
                && q.is_answered_by_model()
        })
        .unwrap();
    assert!(!at_rest.model_answer().unwrap().weakness);
    // A connection made as the database owner answers whose credential it is, with a
    // weakness; the service's own database user answers it without one.
    let connects = |text: &str| {
        let mut shop = load("examples/engagements/online-shop.json");
        common::flow_mut(&mut shop, "f-order-write").description = Some(text.into());
        Engine::builtin()
            .generate(shop.check().unwrap())
            .iter()
            .find(|q| {
                q.template().id == "flow.tampering.client-separation" && q.is_answered_by_model()
            })
            .and_then(|q| q.model_answer())
            .unwrap()
    };
    let owner = connects("Writes new orders. The order service connects as the database owner.");
    assert!(owner.weakness);
    assert_eq!(
        owner.text,
        "The model says of record order: \u{201c}The order service connects as the database owner\u{201d}."
    );
    let own = connects("Writes new orders. The order service connects with its own database user.");
    assert!(!own.weakness);
}

#[test]
fn merging_records_one_hint_per_statement_over_every_question_it_answers() {
    let mut exams = exams_without_network_policies();
    let engine = Engine::builtin();
    let generated = engine.generate(exams.check().unwrap());
    // The questions the cluster's sentence answers, whatever their template (one flow has a
    // sentence of its own).
    let statement = format!(
        "The model says of {}: \u{201c}No network policies yet\u{201d}.",
        cluster_name(&exams)
    );
    let by_cluster: Vec<GeneratedQuestion> = generated
        .iter()
        .filter(|q| q.model_answer().is_some_and(|a| a.text == statement))
        .collect();
    assert!(by_cluster.len() >= 3, "{}", by_cluster.len());
    assert!(by_cluster.iter().any(|q| q.template().id != NETWORK_POLICY));
    let answered: Vec<String> = by_cluster.iter().map(GeneratedQuestion::id).collect();
    let subjects: Vec<String> = by_cluster
        .iter()
        .flat_map(|q| q.subject_ids().into_iter().map(str::to_owned))
        .collect();
    let report = generated.merge_into(&mut exams);
    let first = format!("model-{}", answered[0]);
    assert!(report.hints_recorded.contains(&first), "{report:?}");
    let hints = hints_from_model(&exams);
    let hint = hints.iter().find(|h| h.id == first).unwrap();
    assert_eq!(hint.status, HintStatus::Open);
    assert_eq!(hint.category, Some(Stride::Tampering));
    assert_eq!(hint.question.as_deref(), Some(answered[0].as_str()));
    assert_eq!(hint.text, statement);
    // One hint for the one sentence, over every flow it answers.
    assert_eq!(hint.subjects, subjects);
    assert_eq!(
        hints
            .iter()
            .filter(|h| h
                .question
                .as_deref()
                .is_some_and(|q| answered.iter().any(|a| a == q)))
            .count(),
        1
    );
    // The engagement stays valid, and merging again changes nothing.
    exams.check().unwrap();
    let again = engine
        .generate(exams.check().unwrap())
        .merge_into(&mut exams);
    assert!(again.is_unchanged(), "{again:?}");
}

fn cluster_name(e: &Engagement) -> String {
    e.model
        .boundaries
        .iter()
        .find(|b| b.id == "tb-cluster")
        .unwrap()
        .name
        .clone()
}

#[test]
fn an_open_hint_follows_the_model_and_an_analysed_one_is_left_alone() {
    let engine = Engine::builtin();
    let mut exams = exams_without_network_policies();
    engine
        .generate(exams.check().unwrap())
        .merge_into(&mut exams);
    let recorded: Vec<String> = hints_from_model(&exams)
        .iter()
        .map(|h| h.id.clone())
        .collect();
    assert!(!recorded.is_empty());
    // The sentence goes: its open hint is withdrawn with the answer.
    let plain = load("examples/engagements/exam-platform.json");
    let mut withdrawn = exams.clone();
    withdrawn.model = plain.model.clone();
    let report = engine
        .generate(withdrawn.check().unwrap())
        .merge_into(&mut withdrawn);
    let cluster_hint = &exams
        .hints
        .iter()
        .find(|h| h.text.contains("No network policies yet"))
        .unwrap()
        .id;
    assert!(report.hints_withdrawn.contains(cluster_hint), "{report:?}");
    assert!(!withdrawn.hints.iter().any(|h| &h.id == cluster_hint));
    // Dismissed by the modelers first: it is theirs, and stays as they left it.
    let mut dismissed = exams.clone();
    let hint = dismissed
        .hints
        .iter_mut()
        .find(|h| &h.id == cluster_hint)
        .unwrap();
    hint.status = HintStatus::Dismissed;
    hint.rationale = Some("The namespace is only reachable from the ingress.".into());
    let before = hint.clone();
    dismissed.model = plain.model.clone();
    let report = engine
        .generate(dismissed.check().unwrap())
        .merge_into(&mut dismissed);
    assert!(!report.hints_withdrawn.contains(cluster_hint));
    assert_eq!(
        dismissed.hints.iter().find(|h| &h.id == cluster_hint),
        Some(&before)
    );
    // A hint of the modelers' own with that id is never overwritten.
    let mut theirs = exams_without_network_policies();
    let own = threat_interview::model::Hint::new(cluster_hint.clone(), "Asked in person.");
    theirs.hints.push(own.clone());
    let report = engine
        .generate(theirs.check().unwrap())
        .merge_into(&mut theirs);
    assert!(!report.hints_recorded.contains(cluster_hint));
    assert_eq!(
        theirs
            .hints
            .iter()
            .filter(|h| &h.id == cluster_hint)
            .count(),
        1
    );
    assert_eq!(
        theirs.hints.iter().find(|h| &h.id == cluster_hint),
        Some(&own)
    );
}

#[test]
fn a_property_that_states_a_weakness_is_one_too() {
    // The hotel's housekeeping staff sign in only at a system that records no security
    // events (`logs_security_events: false`, a property): that answer is a weakness.
    let hotel = load("examples/engagements/hotel-keys.json");
    let questions = Engine::builtin().generate(hotel.check().unwrap());
    let failed = questions
        .iter()
        .find(|q| {
            q.template().id == "interactor.repudiation.failed-authentication.person-password"
                && q.subject_ids() == ["housekeeping-staff"]
        })
        .unwrap();
    assert!(failed.is_answered_by_model());
    assert!(failed.model_answer().unwrap().weakness);
}
