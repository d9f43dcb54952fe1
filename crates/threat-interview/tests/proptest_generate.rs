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
        engagement.model = model;
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
