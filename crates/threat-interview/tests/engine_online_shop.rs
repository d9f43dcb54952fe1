//! Generation on the bundled example engagement.

use std::collections::HashSet;

use threat_interview::bank::BankSet;
use threat_interview::coverage::{Coverage, CoverageStatus};
use threat_interview::engine::{Engine, Questions, Subject};
use threat_interview::{Answer, AnswerChannel, ElementKind, Engagement, QuestionStatus};

fn online_shop() -> Engagement {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    threat_interview::io::load(path)
        .expect("the example engagement loads")
        .engagement
}

fn generate(engagement: &Engagement, banks: &BankSet) -> Questions {
    Engine::new(banks.clone()).generate(engagement.check().expect("a valid engagement"))
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
    generate(&engagement, &banks).merge_into(&mut engagement);
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
    // Nobody has asked anything yet: every pair has a question, generated, not asked, but
    // for the pairs the model itself answers (the staff's connections, over the VPN and
    // encrypted: answered from the model).
    for item in &coverage.items {
        let from_model = item.questions.iter().any(|id| {
            engagement
                .questions
                .iter()
                .any(|q| &q.id == id && threat_interview::engine::is_answered(q))
        });
        assert!(
            item.status == CoverageStatus::Generated
                || (from_model && item.status.as_str() == "answered"),
            "{item:?}"
        );
    }
    assert!(
        coverage
            .items
            .iter()
            .any(|i| i.status == CoverageStatus::Generated)
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
    assert_eq!(first.subjects().next(), Some(Subject::Engagement));
    assert_eq!(
        first.role(),
        &threat_interview::Role::BusinessStakeholder,
        "business stakeholder questions open the engagement"
    );
    let first_element = generated
        .iter()
        .find(|q| q.subjects().next() != Some(Subject::Engagement))
        .expect("element questions");
    let Some(Subject::Element(e)) = first_element.subjects().next() else {
        panic!("the first element-level question is about a flow");
    };
    assert_eq!(
        engagement.model.elements[e.index()].kind,
        ElementKind::ExternalInteractor
    );
    // Engagement-level questions are all before the element-level ones.
    let kinds: Vec<bool> = generated
        .iter()
        .map(|q| q.subjects().next() == Some(Subject::Engagement))
        .collect();
    assert!(kinds.windows(2).all(|w| w[0] || !w[1]));
}

#[test]
fn output_is_identical_across_runs() {
    let engagement = online_shop();
    let banks = BankSet::builtin();
    let a = serde_json::to_string(&generate(&engagement, &banks).to_questions()).unwrap();
    let b =
        serde_json::to_string(&generate(&engagement, &BankSet::builtin()).to_questions()).unwrap();
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
        if q.is_grouped() {
            // A grouped question's id is its template's and its group's key, so that a subject
            // joining or leaving the group keeps the id.
            let prefix = format!("{}@@", q.template().id);
            assert!(q.id().starts_with(&prefix), "{}", q.id());
        } else if let Some(id) = q.subject_ids().first() {
            assert!(q.id().ends_with(&format!("@{id}")), "{}", q.id());
        }
    }
}

#[test]
fn regenerating_after_a_description_change_keeps_every_answer() {
    let mut engagement = online_shop();
    let banks = BankSet::builtin();
    generate(&engagement, &banks).merge_into(&mut engagement);
    for (i, q) in engagement.questions.iter_mut().enumerate() {
        if i % 3 == 0 {
            q.status = QuestionStatus::Answered;
            q.answers
                .push(Answer::new(format!("answer {i}"), AnswerChannel::Interview));
        }
    }
    let before = engagement.questions.clone();
    engagement.model.elements[5].description = Some("Rewritten description".into());
    engagement.model.elements[6].name = "Renamed gateway".into();
    let report = generate(&engagement, &banks).merge_into(&mut engagement);
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
    generate(&engagement, &banks).merge_into(&mut engagement);
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
    let report = generate(&engagement, &banks).merge_into(&mut engagement);
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
    assert!(
        generate(&engagement, &banks)
            .merge_into(&mut engagement)
            .is_unchanged()
    );
}

#[test]
fn a_filtered_merge_marks_nothing_obsolete() {
    let mut engagement = online_shop();
    let banks = BankSet::builtin();
    let generated = generate(&engagement, &banks);
    generated.merge_into(&mut engagement);
    let report = generated.merge_where(&mut engagement, |q| {
        *q.role() == threat_interview::Role::ProductionOwner
    });
    assert!(report.obsoleted.is_empty());
    assert!(engagement.questions.iter().all(|q| !q.obsolete));
}

#[test]
fn question_ids_cannot_collide_when_ids_hold_the_separator() {
    use threat_interview::{Element, Flow};
    // High assurance: its checklist questions are asked of each process alone.
    let mut engagement = Engagement::new("e", "E", threat_interview::AssuranceLevel::High);
    engagement.scope.out_of_scope.push("x".into());
    engagement.model.elements = vec![
        Element::new("user", "User", ElementKind::ExternalInteractor),
        Element::new("a@b", "A", ElementKind::Process),
        Element::new("a%40b", "B", ElementKind::Process),
    ];
    engagement.model.flows = vec![
        Flow::new("f1", "one", "user", "a@b"),
        Flow::new("f2", "two", "user", "a%40b"),
    ];
    let ids: Vec<String> = generate(&engagement, &BankSet::builtin())
        .iter()
        .map(|q| q.id())
        .collect();
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    assert!(ids.iter().any(|id| id.ends_with("@a%40b")));
    assert!(ids.iter().any(|id| id.ends_with("@a%2540b")));
}

#[test]
fn a_ten_thousand_deep_boundary_chain_generates_questions() {
    use threat_interview::{Boundary, Element, Flow};
    // Boundary paths were computed with a scan per step: cubic in the depth, so generation on
    // this model never ended.
    let depth = 10_000;
    let mut engagement = Engagement::new("e", "Deep", threat_interview::AssuranceLevel::Fast);
    engagement.scope.out_of_scope.push("x".into());
    for i in 0..depth {
        let mut b = Boundary::new(format!("b{i}"), format!("Zone {i}"));
        b.parent = (i > 0).then(|| format!("b{}", i - 1));
        engagement.model.boundaries.push(b);
    }
    let mut app = Element::new("app", "App", ElementKind::Process);
    app.boundary = Some(format!("b{}", depth - 1));
    engagement.model.elements = vec![
        Element::new("user", "User", ElementKind::ExternalInteractor),
        app,
    ];
    engagement.model.flows = vec![Flow::new("f", "in", "user", "app")];
    let questions = generate(&engagement, &BankSet::builtin());
    assert!(questions.len() > 10);
    assert!(questions.iter().all(|q| !q.text().is_empty()));
}

#[test]
fn rendering_on_several_threads_gives_the_same_questions_in_the_same_order() {
    // Large enough for three threads (a run per thread is at least 2,000 questions), with a
    // length no thread count divides evenly.
    let engagement = threat_interview::synthetic::engagement(1_750, 7);
    let banks = BankSet::builtin();
    let generated = generate(&engagement, &banks);
    assert!(generated.len() > 6_000, "{} questions", generated.len());
    let one = generated.to_questions();
    for threads in [1, 2, 3, 8] {
        let threads = std::num::NonZeroUsize::new(threads).unwrap();
        assert_eq!(generated.to_questions_on(threads), one, "{threads} threads");
    }
    let mut merged = engagement.clone();
    let report = generated.merge_into(&mut merged);
    let mut merged_on = engagement;
    let report_on =
        generated.merge_into_on(&mut merged_on, std::num::NonZeroUsize::new(2).unwrap());
    assert_eq!(merged_on, merged);
    assert_eq!(report_on, report);
}

#[test]
fn a_flow_question_that_covers_an_end_supersedes_what_it_lists_there() {
    let bank = serde_json::json!({
        "schema_version": 1, "id": "across", "name": "across",
        "templates": [
            {"id": "p.s", "category": "spoofing", "applies_to": ["process"],
             "text": "Who can pose as {element}?", "roles": ["architect"],
             "priority": 3, "minutes": 2, "rationale": "Because."},
            {"id": "p.t", "category": "tampering", "applies_to": ["process"],
             "text": "Who can change {element}?", "roles": ["architect"],
             "priority": 3, "minutes": 2, "rationale": "Because."},
            {"id": "f.t", "category": "tampering", "applies_to": ["data_flow"],
             "when": {"responder": {"kind": "data_store"}},
             "text": "What does {responder} take on trust from {initiator}?",
             "roles": ["architect"], "priority": 3, "minutes": 2, "rationale": "Because.",
             "supersedes": ["p.s", "p.t"],
             "covers": [{"relation": "initiator", "categories": ["spoofing"]}]}
        ]
    });
    let bank = threat_interview::bank::QuestionBank::from_json_str(&bank.to_string())
        .expect("the bank loads");
    let mut banks = BankSet::new();
    banks.push(bank).expect("the bank layers");
    let engagement = online_shop();
    let generated = generate(&engagement, &banks);
    let graph = generated.graph();
    // The processes that open a connection to a store: the flow question covers their
    // spoofing.
    let openers: HashSet<String> = graph
        .flow_ixs()
        .filter(|&f| !graph.flow(f).out_of_scope)
        .map(|f| graph.opener_and_responder(f))
        .filter(|&(_, r)| graph.element(r).kind == ElementKind::DataStore)
        .map(|(o, _)| o)
        .filter(|&e| graph.element(e).kind == ElementKind::Process)
        .map(|e| graph.element(e).id.clone())
        .collect();
    let processes: Vec<String> = engagement
        .model
        .elements
        .iter()
        .filter(|e| e.kind == ElementKind::Process)
        .map(|e| e.id.clone())
        .collect();
    assert!(!openers.is_empty() && openers.len() < processes.len());
    let questions = generated.to_questions();
    let asked = |template: &str, subject: &str| {
        questions.iter().any(|q| {
            q.provenance
                .as_ref()
                .is_some_and(|p| p.template == template)
                && q.subjects.iter().any(|s| s == subject)
        })
    };
    for process in &processes {
        // Spoofing is covered by the flow's question, so dropped where it is asked; tampering
        // is not among the categories it covers, so the element's own question stays.
        assert_eq!(
            asked("p.s", process),
            !openers.contains(process),
            "{process}"
        );
        assert!(asked("p.t", process), "{process}");
    }
    // Every process's spoofing is still covered: by its own question or the flow's.
    for process in &processes {
        let covered = questions.iter().any(|q| {
            q.also_covers
                .iter()
                .any(|p| &p.subject == process && p.category == threat_interview::Stride::Spoofing)
                || (q.subjects.contains(process)
                    && q.provenance.as_ref().is_some_and(|p| p.template == "p.s"))
        });
        assert!(covered, "{process}");
    }
}

#[test]
fn a_superseded_template_drops_its_own_family_but_not_another_category() {
    // On every flow: `t.base` (tampering) and `i.base` (disclosure); `t.physical` supersedes
    // both and covers the flow's disclosure; `t.quoted` supersedes `t.physical` alone. The
    // quoted question is asked; the tampering base stays dropped (the same family, through
    // `t.physical`); the disclosure base is asked, since the question that covered it is not.
    let template = |id: &str, category: &str, extra: serde_json::Value| {
        let mut t = serde_json::json!({
            "id": id, "category": category, "applies_to": ["data_flow"],
            "text": "What about {element}?", "roles": ["architect"],
            "priority": 3, "minutes": 2, "rationale": "Because."
        });
        t.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        t
    };
    let templates = [
        template("t.base", "tampering", serde_json::json!({})),
        template("i.base", "information_disclosure", serde_json::json!({})),
        template(
            "t.physical",
            "tampering",
            serde_json::json!({"supersedes": ["t.base", "i.base"],
                               "covers": [{"relation": "self",
                                           "categories": ["information_disclosure"]}]}),
        ),
        template(
            "t.quoted",
            "tampering",
            serde_json::json!({"supersedes": ["t.physical"]}),
        ),
    ];
    let with = |ids: &[&str]| {
        let bank = serde_json::json!({
            "schema_version": 1, "id": "chain", "name": "chain",
            "templates": templates.iter().filter(|t| ids.contains(&t["id"].as_str().unwrap())).collect::<Vec<_>>()
        });
        let mut banks = BankSet::new();
        banks
            .push(threat_interview::bank::QuestionBank::from_json_str(&bank.to_string()).unwrap())
            .unwrap();
        let asked: HashSet<String> = generate(&online_shop(), &banks)
            .to_questions()
            .iter()
            .filter(|q| q.subjects == ["f-login"])
            .filter_map(|q| q.provenance.as_ref().map(|p| p.template.clone()))
            .collect();
        asked
    };
    let set = |ids: &[&str]| ids.iter().map(|s| (*s).to_owned()).collect::<HashSet<_>>();
    assert_eq!(
        with(&["t.base", "i.base", "t.physical"]),
        set(&["t.physical"])
    );
    assert_eq!(
        with(&["t.base", "i.base", "t.physical", "t.quoted"]),
        set(&["t.quoted", "i.base"])
    );
}
