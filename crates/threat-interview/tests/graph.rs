//! Tests of the component graph's derived facts.

use threat_interview::graph::{ElementIx, FlowIx, WalkItem};
use threat_interview::{ComponentGraph, ComponentModel};

/// customer (outside) -> web (dmz) -> api (internal, nested in dc) -> db (internal);
/// partner (untrusted zone) <-> api, bidirectional; a batch job reachable from no interactor
/// writes to db; a dangling flow points at nothing.
fn model() -> ComponentModel {
    serde_json::from_value(serde_json::json!({
        "elements": [
            {"id": "customer", "name": "Customer", "kind": "external_interactor"},
            {"id": "web", "name": "Web", "kind": "process", "boundary": "dmz"},
            {"id": "api", "name": "API", "kind": "process", "boundary": "internal"},
            {"id": "db", "name": "DB", "kind": "data_store", "boundary": "internal"},
            {"id": "partner", "name": "Partner", "kind": "external_interactor", "boundary": "partner-net"},
            {"id": "batch", "name": "Batch", "kind": "process", "boundary": "internal"}
        ],
        "boundaries": [
            {"id": "dc", "name": "Data centre"},
            {"id": "dmz", "name": "DMZ", "parent": "dc"},
            {"id": "internal", "name": "Internal", "parent": "dc"},
            {"id": "partner-net", "name": "Partner network", "trust": "untrusted"}
        ],
        "flows": [
            {"id": "f1", "name": "browse", "source": "customer", "target": "web"},
            {"id": "f2", "name": "call", "source": "web", "target": "api"},
            {"id": "f3", "name": "query", "source": "api", "target": "db"},
            {"id": "f4", "name": "sync", "source": "api", "target": "partner", "bidirectional": true},
            {"id": "f5", "name": "write", "source": "batch", "target": "db"},
            {"id": "f6", "name": "dangling", "source": "web", "target": "nowhere"}
        ]
    }))
    .unwrap()
}

fn ids<'a>(graph: &'a ComponentGraph, elements: &[ElementIx]) -> Vec<&'a str> {
    elements
        .iter()
        .map(|&e| graph.element(e).id.as_str())
        .collect()
}

#[test]
fn boundary_paths_are_outermost_first() {
    let model = model();
    let graph = ComponentGraph::new(&model).unwrap();
    let api = graph.element_ix("api").unwrap();
    let path: Vec<&str> = graph
        .boundary_path(api)
        .iter()
        .map(|&b| graph.boundary(b).id.as_str())
        .collect();
    assert_eq!(path, ["dc", "internal"]);
    assert!(
        graph
            .boundary_path(graph.element_ix("customer").unwrap())
            .is_empty()
    );
}

#[test]
fn flows_leave_and_enter_the_boundaries_between_their_ends() {
    let model = model();
    let graph = ComponentGraph::new(&model).unwrap();
    let names = |bs: &[threat_interview::graph::BoundaryIx]| {
        bs.iter()
            .map(|&b| graph.boundary(b).id.clone())
            .collect::<Vec<_>>()
    };
    let leaves = |id: &str| names(&graph.leaves(graph.flow_ix(id).unwrap()).collect::<Vec<_>>());
    let enters = |id: &str| names(&graph.enters(graph.flow_ix(id).unwrap()));
    assert!(leaves("f1").is_empty());
    assert_eq!(enters("f1"), ["dc", "dmz"]);
    assert_eq!(leaves("f2"), ["dmz"]);
    assert_eq!(enters("f2"), ["internal"]);
    assert!(!graph.crossing(graph.flow_ix("f3").unwrap()).crosses_any());
    assert_eq!(leaves("f4"), ["internal", "dc"]);
    assert_eq!(enters("f4"), ["partner-net"]);
    let f2 = graph.flow_ix("f2").unwrap();
    let dc = graph.boundary_ix("dc").unwrap();
    let dmz = graph.boundary_ix("dmz").unwrap();
    assert!(graph.flow_leaves(f2, dmz) && !graph.flow_leaves(f2, dc) && !graph.flow_enters(f2, dc));
    assert!(graph.crosses_into_trust(graph.flow_ix("f1").unwrap()));
    assert!(!graph.crosses_into_trust(graph.flow_ix("f2").unwrap()));
}

#[test]
fn reachability_entry_points_and_unreachable_elements() {
    let model = model();
    let graph = ComponentGraph::new(&model).unwrap();
    assert_eq!(ids(&graph, graph.interactors()), ["customer", "partner"]);
    assert_eq!(ids(&graph, graph.entry_points()), ["web", "api"]);
    assert_eq!(ids(&graph, &graph.unreachable()), ["batch"]);
    let customer = graph.element_ix("customer").unwrap();
    assert_eq!(
        ids(&graph, &graph.reachable_from(customer)),
        ["customer", "web", "api", "db", "partner"]
    );
    let partner = graph.element_ix("partner").unwrap();
    assert_eq!(
        ids(&graph, &graph.reachable_from(partner)),
        ["partner", "api", "db"]
    );
    assert!(graph.is_reachable_from_untrusted(graph.element_ix("db").unwrap()));
    assert!(!graph.is_reachable_from_untrusted(graph.element_ix("batch").unwrap()));
    assert!(graph.is_trusted(graph.element_ix("api").unwrap()));
    assert!(!graph.is_trusted(partner));
    assert!(!graph.is_trusted(customer));
}

#[test]
fn walk_starts_at_an_interactor_and_visits_everything_once() {
    let model = model();
    let graph = ComponentGraph::new(&model).unwrap();
    let walk = graph.walk();
    let labels: Vec<String> = walk
        .iter()
        .map(|s| match s.item {
            WalkItem::Element(e) => graph.element(e).id.clone(),
            WalkItem::Flow(f) => graph.flow(f).id.clone(),
        })
        .collect();
    assert_eq!(
        labels,
        [
            "customer", "f1", "web", "f2", "api", "f3", "f4", "db", "partner", "batch", "f5", "f6"
        ]
    );
    let unreachable: Vec<&String> = walk
        .iter()
        .zip(&labels)
        .filter(|(s, _)| !s.reachable)
        .map(|(_, l)| l)
        .collect();
    assert_eq!(unreachable, ["batch", "f5", "f6"]);
    assert_eq!(walk.len(), model.elements.len() + model.flows.len());
}

#[test]
fn dangling_flows_and_boundary_cycles_do_not_break_the_graph() {
    let mut model = model();
    model.boundaries[0].parent = Some("internal".into()); // dc -> internal -> dc
    let graph = ComponentGraph::new(&model).unwrap();
    assert_eq!(graph.flow_endpoints(FlowIx::new(5).unwrap()), None);
    let api = graph.element_ix("api").unwrap();
    assert!(graph.boundary_path(api).len() <= model.boundaries.len());
    let self_loop: ComponentModel = serde_json::from_value(serde_json::json!({
        "elements": [{"id": "p", "name": "P", "kind": "process"}],
        "flows": [{"id": "f", "name": "loop", "source": "p", "target": "p"}]
    }))
    .unwrap();
    let graph = ComponentGraph::new(&self_loop).unwrap();
    assert_eq!(graph.walk().len(), 2);
    assert_eq!(graph.unreachable(), [ElementIx::new(0).unwrap()]);
}
