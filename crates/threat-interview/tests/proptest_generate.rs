//! Property tests: on random valid models, generation never panics, is deterministic, and
//! leaves no coverage gap for any in-scope element or flow, reachable or not.

use proptest::prelude::*;
use threat_interview::bank::BankSet;
use threat_interview::coverage::Coverage;
use threat_interview::engine::Engine;
use threat_interview::{
    AssuranceLevel, Boundary, Classification, ComponentModel, DataItem, Element, ElementKind,
    Engagement, Flow, Properties, PropertyValue, Trust,
};

fn kind() -> impl Strategy<Value = ElementKind> {
    prop_oneof![
        Just(ElementKind::ExternalInteractor),
        Just(ElementKind::Process),
        Just(ElementKind::DataStore),
    ]
}

fn properties() -> impl Strategy<Value = Properties> {
    prop::collection::btree_map(
        prop_oneof![
            Just("internet_facing".to_owned()),
            Just("stores_credentials".to_owned()),
            Just("language".to_owned()),
            Just("auth_methods".to_owned()),
            Just("hosting".to_owned()),
        ],
        prop_oneof![
            any::<bool>().prop_map(PropertyValue::Bool),
            "[a-z]{1,6}".prop_map(PropertyValue::String),
            prop::collection::vec("[a-z]{1,6}", 0..3).prop_map(PropertyValue::List),
        ],
        0..3,
    )
}

/// A valid model: unique ids, boundary parents only among earlier boundaries (no cycles),
/// element boundaries and flow ends that exist.
fn model() -> impl Strategy<Value = ComponentModel> {
    (0usize..6, 1usize..14).prop_flat_map(|(boundaries, elements)| {
        let boundary_specs = prop::collection::vec(
            (any::<prop::sample::Index>(), any::<bool>(), any::<bool>()),
            boundaries,
        );
        let element_specs = prop::collection::vec(
            (
                kind(),
                prop::option::of(any::<prop::sample::Index>()),
                prop::bool::weighted(0.1),
                properties(),
            ),
            elements,
        );
        let flow_specs = prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                any::<bool>(),
                prop::option::of(any::<bool>()),
                prop::option::of(prop_oneof![Just("HTTPS"), Just("HTTP"), Just("AMQP")]),
                prop::option::of(prop_oneof![
                    Just(Classification::Public),
                    Just(Classification::Confidential),
                    Just(Classification::Restricted),
                ]),
                prop::bool::weighted(0.1),
            ),
            0..elements * 3,
        );
        (boundary_specs, element_specs, flow_specs).prop_map(move |(bs, es, fs)| {
            let boundaries = bs
                .iter()
                .enumerate()
                .map(|(i, (parent, nested, untrusted))| {
                    let mut b = Boundary::new(format!("b{i}"), format!("Boundary {i}"));
                    b.parent = (i > 0 && *nested).then(|| format!("b{}", parent.index(i)));
                    b.trust = if *untrusted {
                        Trust::Untrusted
                    } else {
                        Trust::Trusted
                    };
                    b
                })
                .collect::<Vec<_>>();
            let elements = es
                .iter()
                .enumerate()
                .map(|(i, (kind, boundary, out_of_scope, properties))| {
                    let mut e = Element::new(format!("e{i}"), format!("Element {i}"), *kind);
                    e.boundary = boundary
                        .filter(|_| !boundaries.is_empty())
                        .map(|b| format!("b{}", b.index(boundaries.len())));
                    e.out_of_scope = *out_of_scope;
                    e.properties = properties.clone();
                    e
                })
                .collect::<Vec<_>>();
            let n = elements.len();
            let flows = fs
                .iter()
                .enumerate()
                .map(
                    |(i, (s, t, bidirectional, encrypted, protocol, class, out_of_scope))| {
                        let mut f = Flow::new(
                            format!("f{i}"),
                            format!("flow {i}"),
                            format!("e{}", s.index(n)),
                            format!("e{}", t.index(n)),
                        );
                        f.protocol = protocol.map(str::to_owned);
                        f.data = class
                            .map(|c| DataItem::new("data", c))
                            .into_iter()
                            .collect();
                        f.encrypted = *encrypted;
                        f.bidirectional = *bidirectional;
                        f.out_of_scope = *out_of_scope;
                        f
                    },
                )
                .collect();
            let mut model = ComponentModel::default();
            model.elements = elements;
            model.boundaries = boundaries;
            model.flows = flows;
            model
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn generation_is_deterministic_and_leaves_no_gap(model in model()) {
        let mut engagement = Engagement::new("e", "Random", AssuranceLevel::Standard);
        engagement.model = model.into();
        let engine = Engine::new(BankSet::builtin());
        let generated = engine.generate(engagement.check().unwrap());
        let first = generated.to_questions();
        let second = engine.generate(engagement.check().unwrap()).to_questions();
        prop_assert_eq!(&first, &second);
        generated.merge_into(&mut engagement);
        let coverage = Coverage::of(&engagement);
        prop_assert!(
            coverage.gaps.is_empty(),
            "gaps: {:?}",
            coverage.gaps.iter().map(|g| (&g.subject, g.category)).collect::<Vec<_>>()
        );
        // Out-of-scope subjects get no question.
        for q in &engagement.questions {
            for s in &q.subjects {
                let out = engagement.model.element(s).map(|e| e.out_of_scope)
                    .or_else(|| engagement.model.flow(s).map(|f| f.out_of_scope));
                prop_assert_eq!(out, Some(false), "{} is about {}", &q.id, s);
            }
        }
        // Merging the same generation again changes nothing.
        let again = engine.generate(engagement.check().unwrap());
        prop_assert!(again.merge_into(&mut engagement).is_unchanged());
    }
}

/// A random condition over a few operators, nested up to `depth`.
fn condition(depth: u32) -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let leaf = prop_oneof![
        Just(json!({"reachable": true})),
        Just(json!({"trusted": false})),
        Just(json!({"crosses": "any"})),
        Just(json!({"encrypted": "no"})),
        Just(json!({"carries": "confidential"})),
        Just(json!({"has_incoming_from": "external_interactor"})),
        Just(json!({"in_boundary": "b0"})),
        Just(json!({"property_true": "internet_facing"})),
        Just(json!({"source": {"kind": "external_interactor"}})),
        Just(json!({"kind": ["process", "data_flow"]})),
    ];
    leaf.prop_recursive(depth, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|c| json!({"all": c})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|c| json!({"any": c})),
            inner.prop_map(|c| json!({"not": c})),
        ]
    })
}

/// A random user bank: templates for random kinds, conditions, texts with placeholders,
/// priorities and minutes (some enormous).
fn bank() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    let template = (
        prop_oneof![
            Just(("process", "spoofing")),
            Just(("data_store", "tampering")),
            Just(("data_flow", "denial_of_service")),
            Just(("external_interactor", "repudiation")),
        ],
        prop::option::of(condition(3)),
        prop_oneof![
            Just("How does {element} protect {data}?"),
            Just("Who calls {element} ({callers}) in {boundary}?"),
            Just("Is {element} in {boundaries} from {engagement}? {{literal}}"),
        ],
        1u8..=5,
        prop_oneof![1u32..30, Just(u32::MAX), Just(u32::MAX - 1)],
    );
    prop::collection::vec(template, 0..6).prop_map(|templates| {
        let templates: Vec<serde_json::Value> = templates
            .into_iter()
            .enumerate()
            .map(|(i, ((kind, category), when, text, priority, minutes))| {
                let text = if kind == "data_flow" {
                    text.replace("{callers}", "{source}")
                } else {
                    text.to_owned()
                };
                let mut t = json!({
                    "id": format!("random.{i}"), "category": category, "applies_to": [kind],
                    "text": text, "roles": ["architect", "lead_developer"],
                    "priority": priority, "minutes": minutes, "rationale": "random"
                });
                if let Some(when) = when {
                    t["when"] = when;
                }
                t
            })
            .collect();
        json!({"schema_version": 1, "id": "random", "name": "Random", "templates": templates})
    })
}

/// Random interviews: their roles and time boxes, some enormous, some sharing an id.
fn interviews() -> impl Strategy<Value = Vec<threat_interview::Interview>> {
    use threat_interview::{Interview, Role, Slot};
    let roles = prop_oneof![
        Just(vec![Role::Architect]),
        Just(vec![Role::Architect, Role::LeadDeveloper]),
        Just(vec![Role::BusinessStakeholder]),
        Just(vec![Role::DeploymentOwner, Role::ProductionOwner]),
    ];
    prop::collection::vec(
        (
            roles,
            prop_oneof![1u32..240, Just(u32::MAX)],
            1u32..4,
            any::<bool>(),
            0usize..3,
        ),
        0..5,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (roles, minutes, day, morning, id))| {
                // Ids repeat on purpose: an invalid file must not panic the planner.
                let slot = if morning {
                    Slot::Morning
                } else {
                    Slot::Afternoon
                };
                Interview::new(
                    format!("iv{}", i.min(id)),
                    format!("Interview {i}"),
                    day,
                    slot,
                    minutes,
                    roles,
                )
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random models, banks and calendars: nothing panics, agendas add up and fit their time
    /// boxes, a written file is valid and keeps every answer, and writing it again gives the
    /// same bytes.
    #[test]
    fn random_engagements_plan_and_save_without_losing_anything(
        model in model(),
        bank in bank(),
        interviews in interviews(),
        answered in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        use threat_interview::{Answer, AnswerChannel, Participant, Role};
        let mut engagement = Engagement::new("e", "Random", AssuranceLevel::Standard);
        engagement.scope.out_of_scope.push("nothing".into());
        engagement.model = model.into();
        engagement.participants.push(Participant::new("p", "P", Role::BUILT_IN.to_vec()));
        engagement.interviews = interviews;
        let Ok(bank) = threat_interview::QuestionBank::from_value(&bank) else {
            return Ok(());
        };
        let Ok(banks) = BankSet::with_user_banks([bank]) else {
            return Ok(());
        };
        // The planner takes anything, even an engagement whose interview ids repeat.
        let mut planned = engagement.clone();
        if let Ok(checked) = engagement.check() {
            Engine::new(banks.clone()).generate(checked).merge_into(&mut planned);
        } else {
            let mut unique = engagement.clone();
            unique.interviews.iter_mut().enumerate().for_each(|(i, iv)| iv.id = format!("u{i}"));
            let checked = unique.check().expect("unique ids make it valid");
            Engine::new(banks.clone()).generate(checked).merge_into(&mut planned);
        }
        let plan = threat_interview::plan::plan_all(&mut planned);
        for p in &plan.interviews {
            let sum: u64 = p.agenda.iter().map(|a| u64::from(a.minutes)).sum();
            prop_assert_eq!(sum, u64::from(p.minutes_used));
            prop_assert!(p.minutes_used <= p.minutes_available);
        }
        // Keep the engagement valid for saving: unique interview ids.
        planned.interviews.iter_mut().enumerate().for_each(|(i, iv)| {
            iv.id = format!("u{i}");
        });
        let n = planned.questions.len();
        let mut ids = Vec::new();
        for index in &answered {
            if n == 0 {
                break;
            }
            let id = planned.questions[index.index(n)].id.clone();
            planned
                .record_answer(&id, Answer::new(format!("answer to {id}"), AnswerChannel::Other))
                .unwrap();
            ids.push(id);
        }
        let dir = tempfile::tempdir().unwrap();
        for name in ["e.json", "e.yaml"] {
            let path = dir.path().join(name);
            threat_interview::io::save(&planned, &path).unwrap();
            let first = std::fs::read(&path).unwrap();
            let loaded = threat_interview::io::load(&path).unwrap();
            prop_assert_eq!(&loaded.engagement, &planned);
            for id in &ids {
                prop_assert!(!loaded.engagement.question(id).unwrap().answers.is_empty());
            }
            threat_interview::io::save(&loaded.engagement, &path).unwrap();
            prop_assert_eq!(std::fs::read(&path).unwrap(), first);
        }
    }
}

#[test]
fn the_random_banks_mostly_load() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = bank();
    let mut loaded = 0;
    for _ in 0..50 {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        if threat_interview::QuestionBank::from_value(&value).is_ok() {
            loaded += 1;
        }
    }
    assert!(loaded >= 45, "only {loaded} of 50 random banks load");
}
