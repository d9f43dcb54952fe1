//! Seeded synthetic engagements, for benchmarks and for comparing the bindings with Rust on the
//! same model. Not part of the stable API.
//!
//! The model has `elements` elements (about 5% external interactors, 60% processes, 35% data
//! stores), about three flows per element (mostly to nearby elements, so the graph is connected
//! in clusters, with some self-loops and bidirectional flows), and one boundary per 25
//! elements, nested up to four deep, some of them untrusted. The same `(elements, seed)` always
//! gives the same model.

use crate::model::{
    AssuranceLevel, Boundary, Classification, ComponentModel, DataItem, Element, ElementKind,
    Engagement, Flow, Interview, Participant, Properties, PropertyValue, Role, Slot, Trust,
};

/// A xorshift64* generator: tiny, deterministic, good enough for shapes of test data.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (which must not be 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below a usize")
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const PROTOCOLS: [&str; 6] = ["HTTPS", "HTTP", "gRPC", "AMQP", "SQL", "SFTP"];
const CLASSES: [Classification; 4] = [
    Classification::Public,
    Classification::Internal,
    Classification::Confidential,
    Classification::Restricted,
];

/// A synthetic component model of `elements` elements.
pub fn model(elements: usize, seed: u64) -> ComponentModel {
    let mut rng = Rng::new(seed);
    let boundary_count = (elements / 25).max(1);
    let mut boundaries: Vec<Boundary> = Vec::with_capacity(boundary_count);
    let mut depth: Vec<u8> = Vec::with_capacity(boundary_count);
    for i in 0..boundary_count {
        // Nest under a recent boundary, up to four deep.
        let parent = (i > 0 && rng.chance(60))
            .then(|| i - 1 - rng.below(i.min(8)))
            .filter(|&p| depth[p] < 4);
        depth.push(parent.map_or(1, |p| depth[p] + 1));
        let mut boundary = Boundary::new(format!("tb-{i}"), format!("Zone {i}"));
        boundary.parent = parent.map(|p| format!("tb-{p}"));
        if rng.chance(10) {
            boundary.trust = Trust::Untrusted;
        }
        boundaries.push(boundary);
    }
    let mut model_elements = Vec::with_capacity(elements);
    for i in 0..elements {
        let roll = rng.below(100);
        let kind = match roll {
            0..5 => ElementKind::ExternalInteractor,
            5..65 => ElementKind::Process,
            _ => ElementKind::DataStore,
        };
        let mut properties = Properties::new();
        if rng.chance(30) {
            properties.insert("internet_facing".into(), PropertyValue::Bool(true));
        }
        if rng.chance(20) {
            properties.insert("stores_credentials".into(), PropertyValue::Bool(true));
        }
        if rng.chance(25) {
            properties.insert(
                "auth_methods".into(),
                PropertyValue::List(vec!["password".into(), "oidc".into()]),
            );
        }
        let boundary = (kind != ElementKind::ExternalInteractor || rng.chance(30))
            .then(|| format!("tb-{}", (i / 25 + rng.below(3)).min(boundary_count - 1)));
        let mut element = Element::new(format!("e-{i}"), format!("Element {i}"), kind);
        element.boundary = boundary;
        element.out_of_scope = rng.chance(2);
        element.properties = properties;
        model_elements.push(element);
    }
    let mut flows = Vec::with_capacity(elements * 3);
    if elements > 0 {
        for i in 0..elements * 3 {
            let source = i / 3;
            let target = if rng.chance(3) {
                source
            } else if rng.chance(80) {
                (source + 1 + rng.below(16)) % elements
            } else {
                rng.below(elements)
            };
            let data = (0..rng.below(3))
                .map(|d| DataItem::new(format!("data {}", (i + d) % 40), CLASSES[rng.below(4)]))
                .collect();
            let mut flow = Flow::new(
                format!("f-{i}"),
                format!("flow {i}"),
                format!("e-{source}"),
                format!("e-{target}"),
            );
            flow.protocol = rng
                .chance(80)
                .then(|| PROTOCOLS[rng.below(PROTOCOLS.len())].to_owned());
            flow.data = data;
            flow.encrypted = [None, Some(true), Some(false)][rng.below(3)];
            flow.authenticated = [None, Some(true), Some(false)][rng.below(3)];
            flow.bidirectional = rng.chance(15);
            flow.out_of_scope = rng.chance(1);
            flows.push(flow);
        }
    }
    ComponentModel {
        elements: model_elements,
        boundaries,
        flows,
    }
}

/// A synthetic engagement: [`model`] plus one participant per built-in role.
pub fn engagement(elements: usize, seed: u64) -> Engagement {
    let mut engagement = Engagement::new(
        format!("synthetic-{elements}-{seed}"),
        format!("Synthetic system of {elements} elements"),
        AssuranceLevel::Standard,
    );
    engagement.participants = Role::BUILT_IN
        .iter()
        .map(|role| {
            Participant::new(
                format!("p-{role}"),
                format!("The {role}"),
                vec![role.clone()],
            )
        })
        .collect();
    engagement.model = model(elements, seed).into();
    engagement
}

/// The bundled example's calendar, which the benchmarks plan a synthetic engagement into:
/// business stakeholders (30 minutes), two architecture mornings (180 and 120), the deployment
/// owner (45) and the production owner (45).
pub fn example_interviews() -> Vec<Interview> {
    let plan: [(&str, u32, Slot, u32, Vec<Role>); 5] = [
        (
            "business",
            1,
            Slot::Morning,
            30,
            vec![Role::BusinessStakeholder],
        ),
        (
            "arch-1",
            1,
            Slot::Morning,
            180,
            vec![Role::Architect, Role::LeadDeveloper],
        ),
        (
            "arch-2",
            2,
            Slot::Morning,
            120,
            vec![Role::Architect, Role::LeadDeveloper],
        ),
        (
            "deployment",
            2,
            Slot::Afternoon,
            45,
            vec![Role::DeploymentOwner],
        ),
        (
            "production",
            3,
            Slot::Morning,
            45,
            vec![Role::ProductionOwner],
        ),
    ];
    plan.into_iter()
        .map(|(id, day, slot, minutes, roles)| Interview::new(id, id, day, slot, minutes, roles))
        .collect()
}
