//! The component graph: the component model as a directed graph, with the derived facts that
//! question rules need.
//!
//! Elements are the nodes of a petgraph graph in compressed sparse rows ([`Csr`]), whose edges
//! say where data can go in one flow (a bidirectional flow both ways); reachability is a
//! petgraph breadth-first search on it. The flows themselves are kept in lists per element, in
//! model order, so that the interview walk follows the order of the model. The petgraph indices
//! stay in this module: callers name elements, flows and boundaries by [`ElementIx`],
//! [`FlowIx`] and [`BoundaryIx`], which are positions in the model's own lists.
//!
//! The graph owns its model (shared, behind an [`Arc`]), so that results built from it, such as
//! generated questions, can outlive the engagement they came from.
//!
//! The graph is built leniently, so that it can be built from a model that failed validation
//! without panicking: a flow whose source or target names no element is left out (see
//! [`ComponentGraph::flow_endpoints`]), a boundary nested in itself is cut where the cycle
//! closes, and of two items with one id the first wins. Every fact costs time linear in the
//! model, however deep boundaries nest: a boundary's ancestors are tested in constant time by
//! their places in a depth-first numbering of the boundary tree.

use std::collections::VecDeque;
use std::sync::Arc;

use foldhash::HashMap as IdMap;
use foldhash::HashMapExt;
use petgraph::csr::Csr;
use petgraph::visit::Bfs;

mod oddities;

pub use oddities::Oddities;

use crate::model::{
    Boundary, ComponentModel, Element, ElementKind, Flow, FlowEnd, PropertyValue, Trust,
};

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u32);

        impl $name {
            /// The position in the model's list.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The item at a position of the model's list; `None` past 2^32 items.
            pub fn new(index: usize) -> Option<Self> {
                u32::try_from(index).ok().map($name)
            }

            pub(crate) fn at(index: usize) -> Self {
                // Lists longer than 2^32 items are refused when the graph is built.
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }
        }
    };
}

index_type!(
    /// An element's position in [`ComponentModel::elements`].
    ElementIx
);
index_type!(
    /// A flow's position in [`ComponentModel::flows`].
    FlowIx
);
index_type!(
    /// A boundary's position in [`ComponentModel::boundaries`].
    BoundaryIx
);

/// The trust boundaries a flow leaves and enters on its way from its source to its target:
/// those around the source up to (not including) the innermost one around both ends, then those
/// around the target below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Crossing {
    /// The innermost boundary around the source, if it leaves any.
    from: Option<BoundaryIx>,
    /// The innermost boundary around the target, if it enters any.
    to: Option<BoundaryIx>,
    /// The innermost boundary around both ends; `None` when no boundary holds both.
    common: Option<BoundaryIx>,
}

impl Crossing {
    /// Whether the flow crosses any boundary.
    pub fn crosses_any(&self) -> bool {
        self.from != self.common || self.to != self.common
    }

    /// Whether the flow leaves any boundary.
    pub fn leaves_any(&self) -> bool {
        self.from != self.common
    }

    /// Whether the flow enters any boundary.
    pub fn enters_any(&self) -> bool {
        self.to != self.common
    }
}

/// The `technology` values of CI/CD and deployment products: a process with one of them
/// deploys the others ([`ComponentGraph::is_deployer`]).
pub const DEPLOYMENT_TECHNOLOGIES: &[&str] = &[
    "argo_cd",
    "argocd",
    "azure_devops",
    "azure_pipelines",
    "bitbucket_pipelines",
    "buildkite",
    "circleci",
    "cloud_build",
    "codebuild",
    "codedeploy",
    "codepipeline",
    "drone",
    "flux",
    "fluxcd",
    "github_actions",
    "gitlab_ci",
    "harness",
    "jenkins",
    "octopus_deploy",
    "spinnaker",
    "teamcity",
    "tekton",
    "travis_ci",
];

/// Whether an element deploys the others (see [`ComponentGraph::is_deployer`]).
fn is_deployer(element: &Element) -> bool {
    if element.kind != ElementKind::Process {
        return false;
    }
    match element.properties.get("deploys") {
        Some(PropertyValue::Bool(b)) => *b,
        _ => matches!(
            element.properties.get("technology"),
            Some(PropertyValue::String(t)) if DEPLOYMENT_TECHNOLOGIES.contains(&t.as_str())
        ),
    }
}

/// How exposed an element or a flow is to untrusted parties: whether someone outside the
/// trusted zones can make it act, following who opens each connection (not where the data
/// goes: a reply from an API the system calls does not make the caller reachable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exposure {
    /// No untrusted interactor's request reaches it.
    None,
    /// Untrusted requests reach it through elements that relay them; `hops` counts them.
    Indirect {
        /// How many elements relay the request before it arrives (at least 1).
        hops: u32,
    },
    /// An untrusted interactor calls it directly (an entry point), or opens the flow.
    Direct,
}

impl Exposure {
    /// Whether untrusted requests reach it at all.
    pub fn is_exposed(self) -> bool {
        self != Exposure::None
    }
}

/// One step of the interview walk: an element or a flow, in the order an architect
/// interview visits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkStep {
    /// What is visited.
    pub item: WalkItem,
    /// Whether it is reachable from an external interactor; unreachable items come last.
    pub reachable: bool,
}

/// What a [`WalkStep`] visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum WalkItem {
    /// An element.
    Element(ElementIx),
    /// A flow.
    Flow(FlowIx),
}

/// Why a graph could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the model has {count} {what}, more than a graph holds (2^32 - 1)")]
#[non_exhaustive]
pub struct GraphTooLarge {
    /// What there are too many of.
    pub what: &'static str,
    /// How many.
    pub count: usize,
}

/// The component model as a graph, with derived facts computed once.
#[derive(Debug)]
pub struct ComponentGraph {
    model: Arc<ComponentModel>,
    /// The interview walk, worked out on first use ([`ComponentGraph::walk`]).
    walk: std::sync::OnceLock<Vec<WalkStep>>,
    element_ids: IdMap<Box<str>, ElementIx>,
    flow_ids: IdMap<Box<str>, FlowIx>,
    boundary_ids: IdMap<Box<str>, BoundaryIx>,
    /// The source and target of each flow whose ends both exist.
    endpoints: Vec<Option<(ElementIx, ElementIx)>>,
    /// The parent of each boundary (cycles cut), its depth (1 at the top), and its place in a
    /// depth-first numbering of the boundary tree (`enter..exit` spans its descendants).
    parent: Vec<Option<BoundaryIx>>,
    depth: Vec<u32>,
    enter: Vec<u32>,
    exit: Vec<u32>,
    /// The innermost boundary of each element that names an existing one.
    element_boundary: Vec<Option<BoundaryIx>>,
    crossings: Vec<Crossing>,
    /// The boundaries each flow is declared to cross as lines (`Flow::crosses`).
    lines: Vec<Vec<BoundaryIx>>,
    /// Whether each flow is opened by its target rather than its source.
    opened_by_target: Vec<bool>,
    /// Whether each element builds and deploys the others (a CI/CD pipeline), and whether each
    /// flow is a deployment (one it opens).
    deployer: Vec<bool>,
    deployment: Vec<bool>,
    /// External interactors drawn for context only ([`ComponentModel::drawn_for_context`]).
    context: Vec<bool>,
    outgoing: Adjacency<FlowIx>,
    incoming: Adjacency<FlowIx>,
    /// The flows each element opens, and the flows opened towards it, in model order.
    calls: Adjacency<FlowIx>,
    called: Adjacency<FlowIx>,
    element_exposure: Vec<Exposure>,
    /// Processes that issue tokens (`issues_tokens: true`), and data stores marked
    /// `audit_log: true`, in model order.
    identity_providers: Vec<ElementIx>,
    audit_logs: Vec<ElementIx>,
    oddities: Oddities,
    /// Where data can go from each element in one flow (bidirectional flows both ways); node
    /// `i` is element `i`.
    neighbours: Csr<(), ()>,
    interactors: Vec<ElementIx>,
    entry_points: Vec<ElementIx>,
    trusted: Vec<bool>,
    reachable: Vec<bool>,
    reachable_from_untrusted: Vec<bool>,
}

impl ComponentGraph {
    /// Builds the graph of a copy of a component model.
    pub fn new(model: &ComponentModel) -> Result<Self, GraphTooLarge> {
        ComponentGraph::from_shared(Arc::new(model.clone()))
    }

    /// Builds the graph of a shared component model, without copying it.
    pub fn from_shared(model: Arc<ComponentModel>) -> Result<Self, GraphTooLarge> {
        for (what, count) in [
            ("elements", model.elements.len()),
            ("flows", model.flows.len()),
            ("boundaries", model.boundaries.len()),
        ] {
            if u32::try_from(count).is_err() || count == u32::MAX as usize {
                return Err(GraphTooLarge { what, count });
            }
        }
        Ok(ComponentGraph::build(model))
    }

    /// The graph of an empty model.
    pub(crate) fn empty() -> Self {
        ComponentGraph::build(Arc::new(ComponentModel::default()))
    }

    fn build(model: Arc<ComponentModel>) -> Self {
        let n = model.elements.len();
        let element_ids = ids(model.elements.iter().map(|e| e.id.as_str()), ElementIx::at);
        let flow_ids = ids(model.flows.iter().map(|f| f.id.as_str()), FlowIx::at);
        let boundary_ids = ids(
            model.boundaries.iter().map(|b| b.id.as_str()),
            BoundaryIx::at,
        );
        let endpoints: Vec<Option<(ElementIx, ElementIx)>> = model
            .flows
            .iter()
            .map(|flow| {
                let source = element_ids.get(flow.source.as_str()).copied();
                let target = element_ids.get(flow.target.as_str()).copied();
                source.zip(target)
            })
            .collect();
        let valid = || {
            endpoints
                .iter()
                .enumerate()
                .filter_map(|(i, ends)| ends.map(|(s, t)| (FlowIx::at(i), s, t)))
        };
        let outgoing = Adjacency::build(n, valid().map(|(f, s, _)| (s, f)));
        let incoming = Adjacency::build(n, valid().map(|(f, _, t)| (t, f)));
        let opened_by_target: Vec<bool> = model
            .flows
            .iter()
            .zip(&endpoints)
            .map(|(flow, ends)| match flow.initiated_by {
                Some(end) => end == FlowEnd::Target,
                // A data store never opens a connection.
                None => ends.is_some_and(|(s, t)| {
                    model.elements[s.index()].kind == ElementKind::DataStore
                        && model.elements[t.index()].kind != ElementKind::DataStore
                }),
            })
            .collect();
        let ends_by_opening = |(f, s, t): (FlowIx, ElementIx, ElementIx)| {
            if opened_by_target[f.index()] {
                (t, s, f)
            } else {
                (s, t, f)
            }
        };
        let deployer: Vec<bool> = model.elements.iter().map(is_deployer).collect();
        // A flow counts where both of its ends resolve, as everywhere in the graph.
        let context =
            model.drawn_for_context_with(endpoints.iter().map(|ends| {
                ends.map_or((None, None), |(s, t)| (Some(s.index()), Some(t.index())))
            }));
        let deployment: Vec<bool> = endpoints
            .iter()
            .enumerate()
            .map(|(i, ends)| {
                ends.is_some_and(|(s, t)| deployer[if opened_by_target[i] { t } else { s }.index()])
            })
            .collect();
        // Who calls whom, among the flows under review: a flow drawn for context only (out of
        // scope) makes no one a caller, and neither does a deployment: a pipeline changes what
        // runs, it does not use it, so it is not among a service's callers and does not expose
        // it.
        let reviewed = || {
            valid()
                .filter(|(f, _, _)| !model.flows[f.index()].out_of_scope && !deployment[f.index()])
        };
        let calls = Adjacency::build(n, reviewed().map(ends_by_opening).map(|(i, _, f)| (i, f)));
        let called = Adjacency::build(n, reviewed().map(ends_by_opening).map(|(_, r, f)| (r, f)));
        let lines: Vec<Vec<BoundaryIx>> = model
            .flows
            .iter()
            .map(|flow| {
                let mut crossed: Vec<BoundaryIx> = flow
                    .crosses
                    .iter()
                    .filter_map(|b| boundary_ids.get(b.as_str()).copied())
                    .collect();
                crossed.dedup();
                crossed
            })
            .collect();
        let neighbours = neighbour_graph(
            n,
            &Adjacency::build(
                n,
                valid().flat_map(|(f, s, t)| {
                    // Data goes from source to target; a bidirectional flow, or one its target
                    // opens (a worker reading a queue, an app reading a store), is walked back
                    // from the target too.
                    let back = (model.flows[f.index()].bidirectional
                        || opened_by_target[f.index()])
                    .then_some((t, s));
                    std::iter::once((s, t)).chain(back)
                }),
            ),
        );
        let parent = parents(&model.boundaries, &boundary_ids);
        let (depth, enter, exit) = number_tree(&parent);
        let element_boundary: Vec<Option<BoundaryIx>> = model
            .elements
            .iter()
            .map(|e| {
                e.boundary
                    .as_deref()
                    .and_then(|b| boundary_ids.get(b))
                    .copied()
            })
            .collect();
        let mut built = ComponentGraph {
            walk: std::sync::OnceLock::new(),
            model,
            element_ids,
            flow_ids,
            boundary_ids,
            endpoints,
            parent,
            depth,
            enter,
            exit,
            element_boundary,
            crossings: Vec::new(),
            lines,
            opened_by_target,
            deployer,
            deployment,
            context,
            outgoing,
            incoming,
            calls,
            called,
            element_exposure: Vec::new(),
            identity_providers: Vec::new(),
            audit_logs: Vec::new(),
            oddities: Oddities::default(),
            neighbours,
            interactors: Vec::new(),
            entry_points: Vec::new(),
            trusted: Vec::new(),
            reachable: Vec::new(),
            reachable_from_untrusted: Vec::new(),
        };
        built.crossings = (0..built.model.flows.len())
            .map(|f| match built.endpoints[f] {
                Some((s, t)) => {
                    let (from, to) = (
                        built.element_boundary[s.index()],
                        built.element_boundary[t.index()],
                    );
                    Crossing {
                        from,
                        to,
                        common: built.common_ancestor(from, to),
                    }
                }
                None => Crossing::default(),
            })
            .collect();
        built.trusted = built.compute_trust();
        built.interactors = (0..n)
            .filter(|&e| built.model.elements[e].kind == ElementKind::ExternalInteractor)
            .map(ElementIx::at)
            .collect();
        let mut entry = vec![false; n];
        for &i in &built.interactors {
            for next in built.next(i) {
                if built.model.elements[next.index()].kind != ElementKind::ExternalInteractor {
                    entry[next.index()] = true;
                }
            }
        }
        built.entry_points = (0..n).filter(|&i| entry[i]).map(ElementIx::at).collect();
        built.reachable = built.reach(&built.interactors);
        let untrusted: Vec<ElementIx> = built
            .interactors
            .iter()
            .copied()
            .filter(|&i| !built.is_trusted(i))
            .collect();
        built.reachable_from_untrusted = built.reach(&untrusted);
        built.element_exposure = built.exposure_of_elements(&untrusted);
        let flagged = |kind: ElementKind, property: &str| -> Vec<ElementIx> {
            built
                .model
                .elements
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    e.kind == kind
                        && matches!(e.properties.get(property), Some(PropertyValue::Bool(true)))
                })
                .map(|(i, _)| ElementIx::at(i))
                .collect()
        };
        built.identity_providers = flagged(ElementKind::Process, "issues_tokens");
        built.audit_logs = flagged(ElementKind::DataStore, "audit_log");
        built.oddities = Oddities::find(&built);
        built
    }

    /// How exposed each element is: a breadth-first search along who opens each connection,
    /// from the untrusted interactors; processes relay the requests they receive to what they
    /// call, data stores and interactors do not.
    fn exposure_of_elements(&self, untrusted: &[ElementIx]) -> Vec<Exposure> {
        let n = self.model.elements.len();
        let mut exposure = vec![Exposure::None; n];
        let mut queue: VecDeque<(ElementIx, u32)> = VecDeque::new();
        for &start in untrusted {
            for &f in self.calls.of(start) {
                let (_, responder) = self.opener_and_responder(f);
                if exposure[responder.index()] != Exposure::Direct
                    && self.model.elements[responder.index()].kind
                        != ElementKind::ExternalInteractor
                {
                    exposure[responder.index()] = Exposure::Direct;
                    queue.push_back((responder, 0));
                }
            }
        }
        while let Some((e, hops)) = queue.pop_front() {
            if self.model.elements[e.index()].kind != ElementKind::Process {
                continue;
            }
            for &f in self.calls.of(e) {
                let (_, next) = self.opener_and_responder(f);
                if exposure[next.index()] == Exposure::None
                    && self.model.elements[next.index()].kind != ElementKind::ExternalInteractor
                {
                    exposure[next.index()] = Exposure::Indirect { hops: hops + 1 };
                    queue.push_back((next, hops + 1));
                }
            }
        }
        exposure
    }

    /// The element that opens a flow's connection and the one that answers (for a flow whose
    /// ends exist).
    pub fn opener_and_responder(&self, f: FlowIx) -> (ElementIx, ElementIx) {
        let (s, t) = self.endpoints[f.index()].unwrap_or_default();
        if self.opened_by_target[f.index()] {
            (t, s)
        } else {
            (s, t)
        }
    }

    /// Whether a flow's connection is opened by its target rather than its source.
    pub fn opened_by_target(&self, f: FlowIx) -> bool {
        self.opened_by_target[f.index()]
    }

    /// Whether an element builds and deploys the others: a process marked `deploys: true`,
    /// or whose `technology` is a CI/CD or deployment product (such as `github_actions`,
    /// `gitlab_ci`, `jenkins`, `argocd`), unless it is marked `deploys: false`.
    pub fn is_deployer(&self, e: ElementIx) -> bool {
        self.deployer[e.index()]
    }

    /// Whether the element is under review: not marked out of scope, and not an external
    /// interactor drawn for context only (every flow it has out of scope,
    /// [`ComponentModel::drawn_for_context`]). Questions are asked, and pairs counted, only of
    /// elements under review.
    pub fn is_in_review(&self, e: ElementIx) -> bool {
        !self.element(e).out_of_scope && !self.context[e.index()]
    }

    /// Whether a flow is a deployment: a deployer opens it. A deployment is not a call
    /// ([`ComponentGraph::calls`]): it changes what the other end runs, it does not use it,
    /// even where the model draws it to a service for short (for the cluster or cloud API
    /// that really takes it).
    pub fn is_deployment(&self, f: FlowIx) -> bool {
        self.deployment[f.index()]
    }

    /// The flows an element opens (it calls the other end), in model order.
    pub fn calls(&self, e: ElementIx) -> &[FlowIx] {
        self.calls.of(e)
    }

    /// The deployments an element opens (in scope), in model order: flows that `calls` leaves
    /// out, since a deployment makes no one a caller, but that an element opens all the same.
    pub fn deployments_by(&self, e: ElementIx) -> impl Iterator<Item = FlowIx> + '_ {
        // Only a deployer opens deployments: anything else has none, and its flows are not
        // scanned (`calls_over` asks this of every element it evaluates).
        let (outgoing, incoming): (&[FlowIx], &[FlowIx]) = if self.is_deployer(e) {
            (self.outgoing(e), self.incoming(e))
        } else {
            (&[], &[])
        };
        outgoing.iter().chain(incoming).copied().filter(move |&f| {
            self.is_deployment(f)
                && !self.model.flows[f.index()].out_of_scope
                && self.opener_and_responder(f).0 == e
        })
    }

    /// The flows opened towards an element (the other end calls it), in model order.
    pub fn called_by(&self, e: ElementIx) -> &[FlowIx] {
        self.called.of(e)
    }

    /// How exposed an element is to untrusted parties.
    pub fn exposure(&self, e: ElementIx) -> Exposure {
        self.element_exposure[e.index()]
    }

    /// How exposed a flow is: `Direct` when an untrusted interactor opens it, `Indirect` when an
    /// exposed process does, `None` otherwise.
    pub fn flow_exposure(&self, f: FlowIx) -> Exposure {
        if self.endpoints[f.index()].is_none() {
            return Exposure::None;
        }
        let (opener, _) = self.opener_and_responder(f);
        let element = &self.model.elements[opener.index()];
        if element.kind == ElementKind::ExternalInteractor && !self.is_trusted(opener) {
            return Exposure::Direct;
        }
        match self.exposure(opener) {
            Exposure::None => Exposure::None,
            Exposure::Direct => Exposure::Indirect { hops: 1 },
            Exposure::Indirect { hops } => Exposure::Indirect { hops: hops + 1 },
        }
    }

    /// The processes that issue tokens (`issues_tokens: true`), in model order.
    pub fn identity_providers(&self) -> &[ElementIx] {
        &self.identity_providers
    }

    /// Whether an element is a person (`human: true`).
    pub fn is_person(&self, e: ElementIx) -> bool {
        matches!(
            self.element(e).properties.get("human"),
            Some(PropertyValue::Bool(true))
        )
    }

    /// The data stores marked `audit_log: true`, in model order.
    pub fn audit_logs(&self) -> &[ElementIx] {
        &self.audit_logs
    }

    /// The model's oddities a senior threat modeler asks about first.
    pub fn oddities(&self) -> &Oddities {
        &self.oddities
    }

    /// The model the graph was built from.
    pub fn model(&self) -> &ComponentModel {
        &self.model
    }

    /// The model, shared.
    pub fn shared_model(&self) -> &Arc<ComponentModel> {
        &self.model
    }

    /// The element at a position.
    pub fn element(&self, e: ElementIx) -> &Element {
        &self.model.elements[e.index()]
    }

    /// The flow at a position.
    pub fn flow(&self, f: FlowIx) -> &Flow {
        &self.model.flows[f.index()]
    }

    /// The boundary at a position.
    pub fn boundary(&self, b: BoundaryIx) -> &Boundary {
        &self.model.boundaries[b.index()]
    }

    /// The position of the element with this id.
    pub fn element_ix(&self, id: &str) -> Option<ElementIx> {
        self.element_ids.get(id).copied()
    }

    /// The position of the flow with this id.
    pub fn flow_ix(&self, id: &str) -> Option<FlowIx> {
        self.flow_ids.get(id).copied()
    }

    /// The position of the boundary with this id.
    pub fn boundary_ix(&self, id: &str) -> Option<BoundaryIx> {
        self.boundary_ids.get(id).copied()
    }

    /// Every element position, in model order.
    pub fn element_ixs(&self) -> impl ExactSizeIterator<Item = ElementIx> + use<> {
        (0..self.model.elements.len()).map(ElementIx::at)
    }

    /// Every flow position, in model order.
    pub fn flow_ixs(&self) -> impl ExactSizeIterator<Item = FlowIx> + use<> {
        (0..self.model.flows.len()).map(FlowIx::at)
    }

    /// The source and target of a flow; `None` when either names no element.
    pub fn flow_endpoints(&self, f: FlowIx) -> Option<(ElementIx, ElementIx)> {
        self.endpoints.get(f.index()).copied().flatten()
    }

    /// The flows leaving an element, in model order.
    pub fn outgoing(&self, e: ElementIx) -> &[FlowIx] {
        self.outgoing.of(e)
    }

    /// The flows reaching an element, in model order.
    pub fn incoming(&self, e: ElementIx) -> &[FlowIx] {
        self.incoming.of(e)
    }

    /// The parent of a boundary (cycles cut where they close).
    pub fn parent(&self, b: BoundaryIx) -> Option<BoundaryIx> {
        self.parent[b.index()]
    }

    /// The innermost boundary around an element.
    pub fn innermost_boundary(&self, e: ElementIx) -> Option<BoundaryIx> {
        self.element_boundary[e.index()]
    }

    /// The boundaries around a boundary, innermost (itself) first.
    pub fn ancestors(&self, b: BoundaryIx) -> impl Iterator<Item = BoundaryIx> + '_ {
        std::iter::successors(Some(b), |&b| self.parent(b))
    }

    /// The boundaries around an element, outermost first; empty when it is outside every
    /// boundary. Costs the depth of its nesting.
    pub fn boundary_path(&self, e: ElementIx) -> Vec<BoundaryIx> {
        let mut path: Vec<BoundaryIx> = self
            .innermost_boundary(e)
            .map(|b| self.ancestors(b).collect())
            .unwrap_or_default();
        path.reverse();
        path
    }

    /// Whether boundary `outer` is `inner` or holds it, at any depth. Constant time.
    pub fn boundary_contains(&self, outer: BoundaryIx, inner: BoundaryIx) -> bool {
        let (o, i) = (outer.index(), inner.index());
        self.enter[o] <= self.enter[i] && self.exit[i] <= self.exit[o]
    }

    /// Whether an element is inside a boundary, at any depth. Constant time.
    pub fn is_inside(&self, e: ElementIx, b: BoundaryIx) -> bool {
        self.innermost_boundary(e)
            .is_some_and(|inner| self.boundary_contains(b, inner))
    }

    /// The boundaries a flow leaves and enters.
    pub fn crossing(&self, f: FlowIx) -> Crossing {
        self.crossings[f.index()]
    }

    /// The boundaries a flow leaves, innermost first.
    pub fn leaves(&self, f: FlowIx) -> impl Iterator<Item = BoundaryIx> + '_ {
        let c = self.crossing(f);
        self.path_up(c.from, c.common)
    }

    /// The boundaries a flow enters, outermost first.
    pub fn enters(&self, f: FlowIx) -> Vec<BoundaryIx> {
        let c = self.crossing(f);
        let mut entered: Vec<BoundaryIx> = self.path_up(c.to, c.common).collect();
        entered.reverse();
        entered
    }

    /// Every boundary a flow crosses: those it leaves, then those it enters, then those it is
    /// declared to cross as lines.
    pub fn crossed(&self, f: FlowIx) -> Vec<BoundaryIx> {
        let mut all: Vec<BoundaryIx> = self.leaves(f).collect();
        all.extend(self.enters(f));
        all.extend(
            self.lines[f.index()]
                .iter()
                .filter(|b| !all.contains(b))
                .collect::<Vec<_>>(),
        );
        all
    }

    /// Whether a flow crosses any boundary, by nesting or as a line.
    pub fn crosses_any(&self, f: FlowIx) -> bool {
        self.crossing(f).crosses_any() || !self.lines[f.index()].is_empty()
    }

    /// Whether a flow crosses a boundary: leaves it, enters it, or crosses it as a line.
    pub fn flow_crosses(&self, f: FlowIx, b: BoundaryIx) -> bool {
        self.flow_leaves(f, b) || self.flow_enters(f, b) || self.lines[f.index()].contains(&b)
    }

    /// Whether a flow leaves a boundary. Constant time.
    pub fn flow_leaves(&self, f: FlowIx, b: BoundaryIx) -> bool {
        let c = self.crossing(f);
        self.on_path(b, c.from, c.common)
    }

    /// Whether a flow enters a boundary. Constant time.
    pub fn flow_enters(&self, f: FlowIx, b: BoundaryIx) -> bool {
        let c = self.crossing(f);
        self.on_path(b, c.to, c.common)
    }

    /// Whether `b` lies on the way up from `from` to `common` (excluded).
    fn on_path(&self, b: BoundaryIx, from: Option<BoundaryIx>, common: Option<BoundaryIx>) -> bool {
        let Some(from) = from else { return false };
        self.boundary_contains(b, from) && common.is_none_or(|c| !self.boundary_contains(b, c))
    }

    fn path_up(
        &self,
        from: Option<BoundaryIx>,
        common: Option<BoundaryIx>,
    ) -> impl Iterator<Item = BoundaryIx> + '_ {
        from.into_iter()
            .flat_map(|b| self.ancestors(b))
            .take_while(move |&b| Some(b) != common)
    }

    /// The innermost boundary holding both, by climbing from the deeper one.
    fn common_ancestor(&self, a: Option<BoundaryIx>, b: Option<BoundaryIx>) -> Option<BoundaryIx> {
        let (mut a, mut b) = (a?, b?);
        while self.depth[a.index()] > self.depth[b.index()] {
            a = self.parent(a)?;
        }
        while self.depth[b.index()] > self.depth[a.index()] {
            b = self.parent(b)?;
        }
        while a != b {
            a = self.parent(a)?;
            b = self.parent(b)?;
        }
        Some(a)
    }

    fn compute_trust(&self) -> Vec<bool> {
        // A boundary is trusted when it and every boundary around it are; parents first.
        let mut order: Vec<usize> = (0..self.parent.len()).collect();
        order.sort_by_key(|&b| self.depth[b]);
        let mut trusted_boundary = vec![false; self.parent.len()];
        for b in order {
            let own = self.model.boundaries[b].trust == Trust::Trusted;
            trusted_boundary[b] = own && self.parent[b].is_none_or(|p| trusted_boundary[p.index()]);
        }
        self.element_boundary
            .iter()
            .map(|inner| inner.is_some_and(|b| trusted_boundary[b.index()]))
            .collect()
    }

    /// Whether an element is inside at least one boundary and inside no untrusted one.
    pub fn is_trusted(&self, e: ElementIx) -> bool {
        self.trusted[e.index()]
    }

    /// Whether a flow goes from an untrusted place (outside every boundary, or inside an
    /// untrusted one) to a trusted one.
    pub fn crosses_into_trust(&self, f: FlowIx) -> bool {
        self.flow_endpoints(f)
            .is_some_and(|(s, t)| !self.is_trusted(s) && self.is_trusted(t))
    }

    /// The external interactors, in model order.
    pub fn interactors(&self) -> &[ElementIx] {
        &self.interactors
    }

    /// The entry points: elements other than interactors that exchange data with an
    /// interactor (targets of its flows, or either end of a bidirectional one), in model order.
    pub fn entry_points(&self) -> &[ElementIx] {
        &self.entry_points
    }

    /// Whether an element is reachable from some external interactor along flows.
    pub fn is_reachable(&self, e: ElementIx) -> bool {
        self.reachable[e.index()]
    }

    /// Whether an element is reachable from an untrusted interactor: one outside every boundary
    /// or inside an untrusted one.
    pub fn is_reachable_from_untrusted(&self, e: ElementIx) -> bool {
        self.reachable_from_untrusted[e.index()]
    }

    /// The elements reachable from no external interactor, in model order.
    pub fn unreachable(&self) -> Vec<ElementIx> {
        self.element_ixs()
            .filter(|&e| !self.reachable[e.index()])
            .collect()
    }

    /// The elements reachable from an element along flows (bidirectional flows both ways), in
    /// breadth-first order, starting with the element itself.
    pub fn reachable_from(&self, start: ElementIx) -> Vec<ElementIx> {
        let mut bfs = Bfs::new(&self.neighbours, start.0);
        let mut order = Vec::new();
        while let Some(node) = bfs.next(&self.neighbours) {
            order.push(ElementIx(node));
        }
        order
    }

    /// The order in which an architect interview visits the model: breadth-first from each
    /// external interactor in model order, each element followed by the flows it sends, the
    /// bidirectional flows it takes part in and the flows it opens to read (a queue, a store),
    /// as they are reached; then the elements and
    /// flows reachable from no interactor, in model order, marked unreachable. Every element
    /// and every flow appears exactly once.
    ///
    /// Hand-written rather than a petgraph search because the order of the flows matters: each
    /// element's flows come in model order, which a compressed graph's sorted rows lose.
    /// Worked out once per graph: generation and planning both follow it.
    pub fn walk(&self) -> &[WalkStep] {
        self.walk.get_or_init(|| self.compute_walk())
    }

    fn compute_walk(&self) -> Vec<WalkStep> {
        let n = self.model.elements.len();
        let mut seen = vec![false; n];
        let mut flow_seen = vec![false; self.model.flows.len()];
        let mut steps = Vec::with_capacity(n + self.model.flows.len());
        let mut queue = VecDeque::new();
        for &start in &self.interactors {
            if seen[start.index()] {
                continue;
            }
            seen[start.index()] = true;
            queue.push_back(start);
            while let Some(e) = queue.pop_front() {
                steps.push(WalkStep {
                    item: WalkItem::Element(e),
                    reachable: true,
                });
                let flows = self.outgoing.of(e).iter().map(|&f| (f, false)).chain(
                    self.incoming
                        .of(e)
                        .iter()
                        .filter(|&&f| {
                            self.model.flows[f.index()].bidirectional
                                || self.opened_by_target[f.index()]
                        })
                        .map(|&f| (f, true)),
                );
                for (f, reverse) in flows {
                    let Some((source, target)) = self.flow_endpoints(f) else {
                        continue;
                    };
                    if std::mem::replace(&mut flow_seen[f.index()], true) {
                        continue;
                    }
                    steps.push(WalkStep {
                        item: WalkItem::Flow(f),
                        reachable: true,
                    });
                    let next = if reverse { source } else { target };
                    if !std::mem::replace(&mut seen[next.index()], true) {
                        queue.push_back(next);
                    }
                }
            }
        }
        for e in self.element_ixs() {
            if !seen[e.index()] {
                steps.push(WalkStep {
                    item: WalkItem::Element(e),
                    reachable: false,
                });
            }
        }
        for f in self.flow_ixs() {
            if !flow_seen[f.index()] {
                steps.push(WalkStep {
                    item: WalkItem::Flow(f),
                    reachable: false,
                });
            }
        }
        steps
    }

    /// The elements data can go to from an element in one flow.
    fn next(&self, e: ElementIx) -> impl Iterator<Item = ElementIx> + '_ {
        self.neighbours
            .neighbors_slice(e.0)
            .iter()
            .map(|&n| ElementIx(n))
    }

    /// Marks the elements reachable from any of the starts: petgraph's breadth-first search,
    /// started from all of them at once.
    fn reach(&self, starts: &[ElementIx]) -> Vec<bool> {
        let mut seen = vec![false; self.model.elements.len()];
        let Some(first) = starts.first() else {
            return seen;
        };
        let mut bfs = Bfs::new(&self.neighbours, first.0);
        for s in &starts[1..] {
            if bfs.discovered.put(s.index()) {
                continue;
            }
            bfs.stack.push_back(s.0);
        }
        while let Some(node) = bfs.next(&self.neighbours) {
            seen[node as usize] = true;
        }
        seen
    }
}

/// An id map where the first item with an id wins.
fn ids<'a, T: Copy>(
    ids: impl ExactSizeIterator<Item = &'a str>,
    make: impl Fn(usize) -> T,
) -> IdMap<Box<str>, T> {
    let mut map = IdMap::with_capacity(ids.len());
    for (i, id) in ids.enumerate() {
        map.entry(Box::from(id)).or_insert_with(|| make(i));
    }
    map
}

/// The parent of every boundary, parents that name no boundary dropped and cycles cut where
/// they close, in time linear in the number of boundaries.
fn parents(boundaries: &[Boundary], ids: &IdMap<Box<str>, BoundaryIx>) -> Vec<Option<BoundaryIx>> {
    let mut parent: Vec<Option<BoundaryIx>> = boundaries
        .iter()
        .map(|b| b.parent.as_deref().and_then(|p| ids.get(p)).copied())
        .collect();
    // 0: not seen, 1: on the current walk, 2: done.
    let mut state = vec![0u8; boundaries.len()];
    let mut path = Vec::new();
    for start in 0..boundaries.len() {
        path.clear();
        let mut at = Some(start);
        while let Some(b) = at {
            match state[b] {
                2 => break,
                1 => {
                    // The walk came back to `b`: cut the edge that closed the cycle.
                    if let Some(&last) = path.last() {
                        parent[last] = None;
                    }
                    break;
                }
                _ => {
                    state[b] = 1;
                    path.push(b);
                    at = parent[b].map(BoundaryIx::index);
                }
            }
        }
        for &b in &path {
            state[b] = 2;
        }
    }
    parent
}

/// The depth of each boundary (1 at the top) and its depth-first entry and exit numbers, so
/// that `a` holds `b` exactly when `enter[a] <= enter[b] && exit[b] <= exit[a]`. The tree must
/// have no cycle.
fn number_tree(parent: &[Option<BoundaryIx>]) -> (Vec<u32>, Vec<u32>, Vec<u32>) {
    let n = parent.len();
    let children = Adjacency::build(
        n,
        parent
            .iter()
            .enumerate()
            .filter_map(|(b, p)| p.map(|p| (ElementIx::at(p.index()), BoundaryIx::at(b)))),
    );
    let mut depth = vec![0u32; n];
    let mut enter = vec![0u32; n];
    let mut exit = vec![0u32; n];
    let mut clock = 0u32;
    let mut stack: Vec<(usize, bool)> = Vec::new();
    for root in (0..n).filter(|&b| parent[b].is_none()) {
        stack.push((root, false));
        while let Some((b, done)) = stack.pop() {
            if done {
                exit[b] = clock;
                continue;
            }
            depth[b] = parent[b].map_or(1, |p| depth[p.index()] + 1);
            enter[b] = clock;
            clock += 1;
            stack.push((b, true));
            for &child in children.of(ElementIx::at(b)).iter().rev() {
                stack.push((child.index(), false));
            }
        }
    }
    (depth, enter, exit)
}

/// The graph of where data can go, from the (unsorted, possibly repeated) targets of each
/// element: each row sorted and deduplicated, as petgraph's compressed rows want them.
fn neighbour_graph(nodes: usize, targets: &Adjacency<ElementIx>) -> Csr<(), ()> {
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity(targets.items.len());
    let mut row: Vec<u32> = Vec::new();
    for source in 0..nodes {
        row.clear();
        row.extend(targets.of(ElementIx::at(source)).iter().map(|t| t.0));
        row.sort_unstable();
        row.dedup();
        let source = ElementIx::at(source).0;
        edges.extend(row.iter().map(|&t| (source, t)));
    }
    // The rows are sorted and unique, as `from_sorted_edges` requires; an empty graph on error.
    let mut graph = Csr::from_sorted_edges(&edges).unwrap_or_default();
    // `from_sorted_edges` makes nodes up to the largest one an edge names.
    while graph.node_count() < nodes {
        graph.add_node(());
    }
    graph
}

/// Lists of items per node, stored contiguously (compressed sparse rows), in the order the
/// pairs were given.
#[derive(Debug)]
struct Adjacency<T> {
    offsets: Vec<usize>,
    items: Vec<T>,
}

impl<T: Copy + Default> Adjacency<T> {
    fn build(nodes: usize, pairs: impl Iterator<Item = (ElementIx, T)> + Clone) -> Self {
        let mut offsets = vec![0; nodes + 1];
        for (node, _) in pairs.clone() {
            offsets[node.index() + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut items = vec![T::default(); offsets[nodes]];
        for (node, item) in pairs {
            items[next[node.index()]] = item;
            next[node.index()] += 1;
        }
        Adjacency { offsets, items }
    }

    fn of(&self, node: ElementIx) -> &[T] {
        &self.items[self.offsets[node.index()]..self.offsets[node.index() + 1]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(depth: usize) -> ComponentModel {
        let mut model = ComponentModel::default();
        for i in 0..depth {
            let mut b = Boundary::new(format!("b{i}"), format!("Zone {i}"));
            b.parent = (i > 0).then(|| format!("b{}", i - 1));
            model.boundaries.push(b);
        }
        let mut outside = Element::new("user", "User", ElementKind::ExternalInteractor);
        outside.boundary = None;
        let mut inside = Element::new("app", "App", ElementKind::Process);
        inside.boundary = Some(format!("b{}", depth - 1));
        let mut middle = Element::new("db", "Db", ElementKind::DataStore);
        middle.boundary = Some(format!("b{}", depth / 2));
        model.elements = vec![outside, inside, middle];
        model.flows = vec![
            Flow::new("f1", "in", "user", "app"),
            Flow::new("f2", "store", "app", "db"),
        ];
        model
    }

    #[test]
    fn deep_boundary_chains_cost_linear_time() {
        let depth = 20_000;
        let graph = ComponentGraph::new(&chain(depth)).unwrap();
        let f1 = graph.flow_ix("f1").unwrap();
        let f2 = graph.flow_ix("f2").unwrap();
        assert_eq!(graph.enters(f1).len(), depth);
        assert_eq!(graph.leaves(f1).count(), 0);
        assert_eq!(graph.leaves(f2).count(), depth - 1 - depth / 2);
        let top = graph.boundary_ix("b0").unwrap();
        let mid = graph.boundary_ix(&format!("b{}", depth / 2)).unwrap();
        let low = graph.boundary_ix(&format!("b{}", depth - 1)).unwrap();
        assert!(graph.flow_enters(f1, top) && graph.flow_enters(f1, low));
        assert!(graph.flow_leaves(f2, low) && !graph.flow_leaves(f2, mid));
        let app = graph.element_ix("app").unwrap();
        assert!(graph.is_inside(app, top) && graph.is_inside(app, mid));
        assert!(graph.is_trusted(app));
        assert_eq!(graph.boundary_path(app).first(), Some(&top));
    }

    #[test]
    fn a_boundary_cycle_is_cut_and_never_loops() {
        let mut model = chain(3);
        model.boundaries[0].parent = Some("b2".into());
        let graph = ComponentGraph::new(&model).unwrap();
        let app = graph.element_ix("app").unwrap();
        assert!(graph.boundary_path(app).len() <= 3);
        let f1 = graph.flow_ix("f1").unwrap();
        assert!(graph.crossing(f1).crosses_any());
    }
}
