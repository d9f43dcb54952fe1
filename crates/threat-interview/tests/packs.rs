//! Packs: banks for one technology or regulation, applying where the model calls for them.

use threat_interview::bank::{BankSet, QuestionBank};
use threat_interview::engine::{Engine, PackReason};
use threat_interview::{AssuranceLevel, Element, ElementKind, Engagement, Flow, PropertyValue};

fn pack() -> QuestionBank {
    QuestionBank::from_json_str(
        r#"{
      "schema_version": 1, "id": "queues", "name": "Message queues",
      "pack": {"enabled_by": {"property_equals": {"name": "technology", "value": "rabbitmq"}},
               "sources": ["RabbitMQ access control guide"]},
      "templates": [{
        "id": "queues.store.tampering.publishers", "category": "tampering",
        "applies_to": ["data_store"],
        "when": {"property_equals": {"name": "technology", "value": "rabbitmq"}},
        "text": "Which users and virtual hosts can publish to {element}?",
        "roles": ["architect"], "priority": 4, "minutes": 3,
        "rationale": "A publisher that should not publish forges work for {callers}."
      }]
    }"#,
    )
    .unwrap()
}

fn engagement(technology: &str) -> Engagement {
    let mut e = Engagement::new("e", "E", AssuranceLevel::Fast);
    let mut queue = Element::new("q", "Order queue", ElementKind::DataStore);
    queue.properties.insert(
        "technology".into(),
        PropertyValue::String(technology.into()),
    );
    e.model.elements = vec![
        Element::new("user", "User", ElementKind::ExternalInteractor),
        Element::new("app", "App", ElementKind::Process),
        queue,
    ];
    e.model.flows = vec![
        Flow::new("f1", "use", "user", "app"),
        Flow::new("f2", "publish", "app", "q"),
    ];
    e
}

fn engine() -> Engine {
    let mut banks = BankSet::builtin_bank_only();
    banks.push(pack()).unwrap();
    Engine::new(banks)
}

fn asked(e: &Engagement) -> bool {
    engine()
        .generate(e.check().unwrap())
        .iter()
        .any(|q| q.template().id == "queues.store.tampering.publishers")
}

#[test]
fn a_pack_applies_where_the_model_calls_for_it_and_says_why() {
    let e = engagement("rabbitmq");
    let questions = engine().generate(e.check().unwrap());
    let used = &questions.packs()[0];
    assert!(used.active);
    assert_eq!(
        used.reason,
        PackReason::CalledFor {
            subject: "q".into(),
            matched: vec!["/pack/enabled_by".into()]
        }
    );
    let q = questions
        .iter()
        .find(|q| q.template().id == "queues.store.tampering.publishers")
        .unwrap();
    assert_eq!(
        q.text(),
        "Which users and virtual hosts can publish to Order queue?"
    );
    assert_eq!(
        q.to_question().rationale.as_deref(),
        Some("A publisher that should not publish forges work for App.")
    );
    assert!(!asked(&engagement("kafka")));
}

#[test]
fn the_engagement_enables_or_disables_a_pack_by_id() {
    let mut e = engagement("kafka");
    e.packs.enable.push("queues".into());
    let questions = engine().generate(e.check().unwrap());
    assert_eq!(questions.packs()[0].reason, PackReason::EnabledByEngagement);
    // Enabled, the pack's questions still obey their own conditions.
    assert!(!asked(&e));
    let mut e = engagement("rabbitmq");
    e.packs.disable.push("queues".into());
    e.packs.enable.push("no-such-pack".into());
    let questions = engine().generate(e.check().unwrap());
    assert_eq!(
        questions.packs()[0].reason,
        PackReason::DisabledByEngagement
    );
    assert_eq!(questions.unknown_packs(), ["no-such-pack"]);
    assert!(!asked(&e));
}

#[test]
fn a_pack_may_not_override_or_disable() {
    let mut bad = pack();
    bad.disable
        .push("interactor.spoofing.authentication.person".into());
    let mut banks = BankSet::builtin_bank_only();
    let error = banks.push(bad).unwrap_err();
    assert_eq!(error.report.errors[0].code.as_str(), "pack-override");
}
