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

/// Generated questions by position and id.
type Positions = Vec<(usize, String)>;

/// The questions that follow up the cluster's sentence, with the answered questions it
/// follows, in generation order.
fn follow_ups_of_the_cluster(exams: &Engagement) -> (Positions, Positions) {
    let questions = Engine::builtin().generate(exams.check().unwrap());
    let statement = format!(
        "The model says of {}: \u{201c}No network policies yet\u{201d}.",
        cluster_name(exams)
    );
    let answered = questions
        .iter()
        .filter(|q| q.model_answer().is_some_and(|a| a.text == statement))
        .map(|q| (q.index(), q.id()))
        .collect();
    let checks = questions
        .iter()
        .filter(|q| {
            q.checks_stated_weakness() && q.text().starts_with(&statement[..statement.len() - 1])
        })
        .map(|q| (q.index(), q.id()))
        .collect();
    (answered, checks)
}

#[test]
fn a_stated_weakness_is_followed_up_once_by_a_short_question_to_its_owner() {
    // Rounds 92 to 94, every reviewer: a weakness the model states was answered, recorded as
    // a hint, and put to nobody. Its owner is now asked, once, what the model cannot say.
    let exams = exams_without_network_policies();
    let (answered, checks) = follow_ups_of_the_cluster(&exams);
    assert!(answered.len() >= 3, "{answered:?}");
    // One sentence, answering several questions of several templates: one follow-up, right
    // after the first question it answers, named after it.
    assert_eq!(checks.len(), 1, "{checks:?}");
    let (at, id) = &checks[0];
    assert_eq!(*at, answered[0].0 + 1);
    assert_eq!(*id, format!("{}@weakness", answered[0].1));
    let questions = Engine::builtin().generate(exams.check().unwrap());
    let check = questions.get(*at).unwrap();
    let first = questions.get(answered[0].0).unwrap();
    assert_eq!(
        check.text(),
        format!(
            "The model says of {}: \u{201c}No network policies yet\u{201d}. Has this gap been \
             used already, what would show it if it had been, and what would closing it take, \
             by when?",
            cluster_name(&exams)
        )
    );
    // Open, the first question's role and category, short, and a quote of the model.
    assert!(!check.is_answered_by_model());
    assert!(check.model_answer().is_none());
    assert_eq!(check.role(), first.role());
    assert_eq!(check.category(), first.category());
    assert_eq!(check.subject_ids(), first.subject_ids());
    assert!(check.minutes() <= 3, "{}", check.minutes());
    assert!(check.quotes_the_model());
    let stored = check.to_question();
    assert_eq!(stored.status, threat_interview::model::QuestionStatus::Open);
    assert!(stored.answers.is_empty());
    assert!(
        stored
            .rationale
            .as_deref()
            .is_some_and(|r| r.contains(&format!("`model-{}`", answered[0].1))),
        "{:?}",
        stored.rationale
    );
    // Without the sentence, nothing is followed up.
    let plain = load("examples/engagements/exam-platform.json");
    let (answered, checks) = follow_ups_of_the_cluster(&plain);
    assert!(answered.is_empty() && checks.is_empty(), "{checks:?}");
}

#[test]
fn a_weakness_only_a_property_states_is_recorded_but_not_followed_up() {
    // `logs_security_events: false` is a hint, but there is no sentence to put to anyone.
    let hotel = load("examples/engagements/hotel-keys.json");
    let questions = Engine::builtin().generate(hotel.check().unwrap());
    let by_property: Vec<String> = questions
        .iter()
        .filter(|q| {
            q.model_answer()
                .is_some_and(|a| a.weakness && a.text.contains("logs_security_events: false"))
        })
        .map(|q| q.id())
        .collect();
    assert!(!by_property.is_empty());
    for id in &by_property {
        let check = format!("{id}@weakness");
        assert!(!questions.iter().any(|q| q.id() == check), "{check}");
    }
}

#[test]
fn the_follow_up_of_a_stated_weakness_goes_on_its_owners_agenda_and_leaves_with_the_sentence() {
    let engine = Engine::builtin();
    let mut exams = exams_without_network_policies();
    let (answered, _) = follow_ups_of_the_cluster(&exams);
    let check = format!("{}@weakness", answered[0].1);
    engine
        .generate(exams.check().unwrap())
        .merge_into(&mut exams);
    let stored = exams.questions.iter().find(|q| q.id == check).unwrap();
    let role = stored.role.clone();
    threat_interview::plan::plan_all(&mut exams);
    let on: Vec<&threat_interview::model::Interview> = exams
        .interviews
        .iter()
        .filter(|iv| iv.agenda.iter().any(|a| a.question == check))
        .collect();
    assert_eq!(on.len(), 1, "{check} on no agenda, or on several");
    assert!(
        on[0].roles.contains(&role),
        "{:?} for {role:?}",
        on[0].roles
    );
    // The sentence goes: the follow-up is obsolete, kept, never deleted.
    let plain = load("examples/engagements/exam-platform.json");
    exams.model = plain.model;
    let report = engine
        .generate(exams.check().unwrap())
        .merge_into(&mut exams);
    assert!(report.obsoleted.contains(&check), "{report:?}");
    assert!(exams.questions.iter().any(|q| q.id == check && q.obsolete));
}

#[test]
fn every_follow_up_of_a_stated_weakness_is_planned_when_an_interview_of_its_role_is() {
    // The follow-ups come first among the questions that quote the model: the ticketing
    // platform's fourth, on a second factor most tenants left off, did not fit its
    // architect's interview behind the other quotes.
    let dir = common::repo("examples/engagements");
    let mut followed = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let mut engagement = threat_interview::io::load(&path).unwrap().engagement;
        Engine::builtin()
            .generate(engagement.check().unwrap())
            .merge_into(&mut engagement);
        threat_interview::plan::plan_all(&mut engagement);
        for q in engagement
            .questions
            .iter()
            .filter(|q| q.id.ends_with("@weakness"))
        {
            let planned = |iv: &&threat_interview::model::Interview| {
                iv.status == threat_interview::model::InterviewStatus::Planned
                    && iv.roles.contains(&q.role)
            };
            if !engagement.interviews.iter().any(|iv| planned(&iv)) {
                continue;
            }
            followed += 1;
            assert!(
                engagement
                    .interviews
                    .iter()
                    .filter(planned)
                    .any(|iv| iv.agenda.iter().any(|a| a.question == q.id)),
                "{}: {} is on no agenda",
                path.display(),
                q.id
            );
        }
    }
    assert!(followed >= 12, "{followed}");
}
