//! The oddities of a model that a senior threat modeler asks about first, derived once with the
//! graph:
//!
//! - **a gateway bypassed**: flows opened from untrusted places into a protected zone mostly
//!   arrive at one element (the gateway; people's sign-ins at an identity provider are not
//!   counted); a flow that enters the zone elsewhere bypasses it;
//! - **a store reached from outside its zone**: a flow between a data store and an element that
//!   is not inside the zone around the store's own (the store's zone's parent, or the store's
//!   zone when it is at the top);
//! - **a store written but never read** (data only goes in) **or read but never written** (data
//!   only comes out), in the model;
//! - **restricted data with no audit trail**: when the model has a store marked `audit_log`,
//!   a process that handles restricted data and sends nothing to one;
//! - **a person who skips the identity provider**: when people reach a process that issues
//!   tokens (`issues_tokens`), a person (`human`) whose calls reach none.

use std::collections::VecDeque;

use super::{BoundaryIx, ComponentGraph, ElementIx, FlowIx};
use crate::model::{Classification, ElementKind, PropertyValue};

/// What is odd about each element and flow, by position; empty lists are the usual case.
#[derive(Debug, Clone, Default)]
pub struct Oddities {
    /// For a flow that bypasses a zone's gateway: the zone and the gateway.
    bypass: Vec<Option<(BoundaryIx, ElementIx)>>,
    /// For a flow between a store and an element outside the zone around the store's: the
    /// store's zone.
    outside_access: Vec<Option<BoundaryIx>>,
    /// For each element: data goes into it but never out (stores only).
    unread: Vec<bool>,
    /// For each element: data comes out of it but never in (stores only).
    unwritten: Vec<bool>,
    /// The audit log store a process handling restricted data never writes to.
    unaudited: Vec<Option<ElementIx>>,
    /// The identity provider other people reach and this person does not.
    skipped_identity_provider: Vec<Option<ElementIx>>,
}

impl Oddities {
    pub(super) fn find(graph: &ComponentGraph) -> Oddities {
        let n = graph.model.elements.len();
        let m = graph.model.flows.len();
        let mut oddities = Oddities {
            bypass: vec![None; m],
            outside_access: vec![None; m],
            unread: vec![false; n],
            unwritten: vec![false; n],
            unaudited: vec![None; n],
            skipped_identity_provider: vec![None; n],
        };
        oddities.find_bypasses(graph);
        oddities.find_outside_access(graph);
        oddities.find_one_way_stores(graph);
        oddities.find_unaudited(graph);
        oddities.find_skipped_identity_provider(graph);
        oddities
    }

    /// The zone a flow enters without passing its gateway, and the gateway.
    pub fn bypass(&self, f: FlowIx) -> Option<(BoundaryIx, ElementIx)> {
        self.bypass.get(f.index()).copied().flatten()
    }

    /// The zone of a store a flow reaches from outside the zone around it.
    pub fn outside_access(&self, f: FlowIx) -> Option<BoundaryIx> {
        self.outside_access.get(f.index()).copied().flatten()
    }

    /// Whether data goes into a store but never comes out, in the model.
    pub fn unread(&self, e: ElementIx) -> bool {
        self.unread.get(e.index()).copied().unwrap_or(false)
    }

    /// Whether data comes out of a store but never goes in, in the model.
    pub fn unwritten(&self, e: ElementIx) -> bool {
        self.unwritten.get(e.index()).copied().unwrap_or(false)
    }

    /// The audit log store a process handling restricted data never writes to.
    pub fn unaudited(&self, e: ElementIx) -> Option<ElementIx> {
        self.unaudited.get(e.index()).copied().flatten()
    }

    /// The identity provider other people reach and this person does not.
    pub fn skipped_identity_provider(&self, e: ElementIx) -> Option<ElementIx> {
        self.skipped_identity_provider
            .get(e.index())
            .copied()
            .flatten()
    }

    fn find_bypasses(&mut self, graph: &ComponentGraph) {
        // For each trusted zone, the flows opened from outside it by an untrusted party, with
        // the element each arrives at.
        let mut entries: Vec<Vec<(FlowIx, ElementIx)>> =
            vec![Vec::new(); graph.model.boundaries.len()];
        for f in graph.flow_ixs() {
            if graph.flow_endpoints(f).is_none() || graph.flow(f).out_of_scope {
                continue;
            }
            let (opener, responder) = graph.opener_and_responder(f);
            if graph.is_trusted(opener) || !graph.is_trusted(responder) {
                continue;
            }
            let Some(inner) = graph.innermost_boundary(responder) else {
                continue;
            };
            for zone in graph.ancestors(inner) {
                if !graph.is_inside(opener, zone) {
                    entries[zone.index()].push((f, responder));
                }
            }
        }
        // Outermost zones first, so that a flow is reported for the widest zone it bypasses.
        let mut zones: Vec<usize> = (0..entries.len()).collect();
        zones.sort_by_key(|&z| graph.depth[z]);
        for z in zones {
            // People's sign-ins at an identity provider are entries of their own, not the way
            // in for the rest (round 38: Keycloak, taking most entering flows, was called the
            // gateway that a partner's webhook to another service went around).
            // Only people's sign-ins are left out: a partner's webhook to a service that also
            // issues tokens is an entry like any other (round 49: with it left out, a comments
            // service taking two of the three entries left was called the way in, though the
            // zone had four ways in besides the sign-ins).
            let flows: Vec<(FlowIx, ElementIx)> = entries[z]
                .iter()
                .copied()
                .filter(|&(f, responder)| {
                    !(issues_tokens(graph, responder)
                        && graph.is_person(graph.opener_and_responder(f).0))
                })
                .collect();
            if flows.len() < 2 {
                continue;
            }
            // The gateway is a process: a store or an interactor many flows reach (a firmware
            // bucket devices download from) is no way in for the others.
            let mut counts: foldhash::HashMap<ElementIx, usize> = foldhash::HashMap::default();
            for &(_, responder) in &flows {
                if graph.element(responder).kind == ElementKind::Process {
                    *counts.entry(responder).or_default() += 1;
                }
            }
            let Some((&gateway, &most)) = counts
                .iter()
                .max_by_key(|&(&e, &c)| (c, std::cmp::Reverse(e)))
            else {
                continue;
            };
            if most * 2 <= flows.len() {
                continue;
            }
            // A flow of another protocol family (MQTT from devices beside HTTPS from people)
            // is a separate entry by design, not a way around the gateway.
            let gateway_families: Vec<String> = flows
                .iter()
                .filter(|&&(_, r)| r == gateway)
                .filter_map(|&(f, _)| graph.flow(f).protocol.as_deref().map(protocol_family))
                .collect();
            for &(f, responder) in &flows {
                // A designed entry point is not a way around the gateway: a process the model
                // says faces the internet, an identity provider people sign in at, or a data
                // store (reached from outside, it is `outside_store_access`'s concern).
                let element = graph.element(responder);
                let designed = element.kind == ElementKind::DataStore
                    || ["internet_facing", "issues_tokens"].iter().any(|p| {
                        matches!(element.properties.get(*p), Some(PropertyValue::Bool(true)))
                    });
                if designed {
                    continue;
                }
                let other_family = graph
                    .flow(f)
                    .protocol
                    .as_deref()
                    .map(protocol_family)
                    .is_some_and(|p| {
                        !gateway_families.is_empty() && !gateway_families.contains(&p)
                    });
                if responder != gateway && !other_family && self.bypass[f.index()].is_none() {
                    self.bypass[f.index()] = Some((BoundaryIx::at(z), gateway));
                }
            }
        }
    }

    fn find_outside_access(&mut self, graph: &ComponentGraph) {
        for f in graph.flow_ixs() {
            let Some((s, t)) = graph.flow_endpoints(f) else {
                continue;
            };
            let kind = |e: ElementIx| graph.element(e).kind;
            let (store, other) = match (kind(s), kind(t)) {
                (ElementKind::DataStore, k) if k != ElementKind::DataStore => (s, t),
                (k, ElementKind::DataStore) if k != ElementKind::DataStore => (t, s),
                _ => continue,
            };
            let Some(zone) = graph.innermost_boundary(store) else {
                continue;
            };
            let around = graph.parent(zone).unwrap_or(zone);
            if !graph.is_inside(other, around) {
                self.outside_access[f.index()] = Some(zone);
            }
        }
    }

    fn find_one_way_stores(&mut self, graph: &ComponentGraph) {
        for e in graph.element_ixs() {
            if graph.element(e).kind != ElementKind::DataStore {
                continue;
            }
            // A flow drawn into the store but named as a read ("view onboarding documents")
            // reads it, and one drawn out of it but named as a write writes it (round 77: a
            // bucket an admin console views was called never read).
            let reads = |f: &FlowIx| {
                graph.flow(*f).bidirectional || opens_with(&graph.flow(*f).name, READ_VERBS)
            };
            let writes = |f: &FlowIx| {
                graph.flow(*f).bidirectional || opens_with(&graph.flow(*f).name, WRITE_VERBS)
            };
            let data_in = !graph.incoming(e).is_empty() || graph.outgoing(e).iter().any(writes);
            let data_out = !graph.outgoing(e).is_empty() || graph.incoming(e).iter().any(reads);
            self.unread[e.index()] = data_in && !data_out;
            self.unwritten[e.index()] = data_out && !data_in;
        }
    }

    fn find_unaudited(&mut self, graph: &ComponentGraph) {
        let is_audit = |e: ElementIx| graph.audit_logs().contains(&e);
        let Some(&audit) = graph.audit_logs().first() else {
            return;
        };
        for e in graph.element_ixs() {
            let element = graph.element(e);
            if element.kind != ElementKind::Process || element.out_of_scope {
                continue;
            }
            let flows = graph.outgoing(e).iter().chain(graph.incoming(e));
            let restricted = flows.clone().any(|&f| {
                graph.flow(f).highest_classification() == Some(Classification::Restricted)
            });
            let writes_audit = graph
                .outgoing(e)
                .iter()
                .any(|&f| graph.flow_endpoints(f).is_some_and(|(_, t)| is_audit(t)))
                || graph.incoming(e).iter().any(|&f| {
                    graph.flow(f).bidirectional
                        && graph.flow_endpoints(f).is_some_and(|(s, _)| is_audit(s))
                });
            if restricted && !writes_audit {
                self.unaudited[e.index()] = Some(audit);
            }
        }
    }

    fn find_skipped_identity_provider(&mut self, graph: &ComponentGraph) {
        let providers = graph.identity_providers();
        if providers.is_empty() {
            return;
        }
        let people: Vec<ElementIx> = graph
            .interactors()
            .iter()
            .copied()
            .filter(|&e| !graph.element(e).out_of_scope && graph.is_person(e))
            .collect();
        // Which provider each element's calls reach, following who opens each connection
        // backwards from the providers, through processes: one breadth-first search for the
        // whole model, not one per person.
        let mut reaches: Vec<Option<ElementIx>> = vec![None; graph.model.elements.len()];
        let mut queue: VecDeque<ElementIx> = VecDeque::new();
        for &p in providers {
            reaches[p.index()] = Some(p);
            queue.push_back(p);
        }
        while let Some(e) = queue.pop_front() {
            for &f in graph.called_by(e) {
                let (opener, _) = graph.opener_and_responder(f);
                if reaches[opener.index()].is_some() {
                    continue;
                }
                reaches[opener.index()] = reaches[e.index()];
                if graph.element(opener).kind == ElementKind::Process {
                    queue.push_back(opener);
                }
            }
        }
        let Some(usual) = people.iter().find_map(|p| reaches[p.index()]) else {
            return;
        };
        for &person in &people {
            if reaches[person.index()].is_none() {
                self.skipped_identity_provider[person.index()] = Some(usual);
            }
        }
    }
}

/// A protocol's family, for telling separate entries from ways around a gateway: `HTTPS`,
/// `HTTP/2` and `HTTPS (OIDC)` are all `http`; `MQTT over TLS` is `mqtt`; anything else is its
/// own name, lower-cased.
fn protocol_family(protocol: &str) -> String {
    let lower = protocol.to_ascii_lowercase();
    for family in ["http", "mqtt", "amqp", "grpc", "websocket", "ssh", "rdp"] {
        if lower.contains(family) {
            return family.to_owned();
        }
    }
    lower
}

/// Whether an element issues tokens: an identity provider people sign in at.
fn issues_tokens(graph: &ComponentGraph, e: ElementIx) -> bool {
    matches!(
        graph.element(e).properties.get("issues_tokens"),
        Some(PropertyValue::Bool(true))
    )
}

/// Verbs that open the name of a flow that reads a store, whichever way it is drawn (not
/// "export" and "import": a system exporting its logs into a store writes it).
const READ_VERBS: &[&str] = &[
    "view", "read", "open", "download", "fetch", "get", "look", "lookup", "list", "query", "load",
    "retrieve", "search", "browse",
];

/// Verbs that open the name of a flow that writes a store, whichever way it is drawn.
const WRITE_VERBS: &[&str] = &[
    "write", "store", "save", "upload", "record", "update", "put", "insert", "add", "append",
];

/// Whether `name`'s first word (lower-cased, letters only) is one of `verbs`.
fn opens_with(name: &str, verbs: &[&str]) -> bool {
    let first = name
        .split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("");
    verbs.iter().any(|v| first.eq_ignore_ascii_case(v))
}
