//! The component graph: the component model as a directed graph, with the derived facts that
//! question rules need.
//!
//! Elements are the nodes of a petgraph graph in compressed sparse rows ([`Csr`]), whose edges
//! say where data can go in one flow (a bidirectional flow both ways); reachability is computed
//! on it. The flows themselves are kept in lists per element, in model order, so that the
//! interview walk follows the order of the model. The petgraph indices stay in this module: callers name elements, flows and boundaries by [`ElementIx`], [`FlowIx`] and
//! [`BoundaryIx`], which are positions in the model's own lists.
//!
//! The graph is built leniently, so that it can be built from a model that failed validation
//! without panicking: a flow whose source or target names no element is left out (see
//! [`ComponentGraph::flow_endpoints`]), and a boundary nested in itself is cut where the cycle
//! closes.

use std::collections::VecDeque;

use foldhash::HashMap as IdMap;
use foldhash::HashMapExt;
use petgraph::csr::Csr;

use crate::model::{Boundary, ComponentModel, Element, ElementKind, Flow, Trust};

/// An element's position in [`ComponentModel::elements`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementIx(pub usize);

/// A flow's position in [`ComponentModel::flows`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FlowIx(pub usize);

/// A boundary's position in [`ComponentModel::boundaries`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BoundaryIx(pub usize);

/// The trust boundaries a flow leaves and enters on its way from its source to its target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Crossing {
    /// The boundaries around the source but not the target, innermost first.
    pub leaves: Vec<BoundaryIx>,
    /// The boundaries around the target but not the source, outermost first.
    pub enters: Vec<BoundaryIx>,
}

impl Crossing {
    /// Whether the flow crosses any boundary.
    pub fn crosses_any(&self) -> bool {
        !self.leaves.is_empty() || !self.enters.is_empty()
    }

    /// Every boundary crossed: those left, then those entered.
    pub fn all(&self) -> impl Iterator<Item = BoundaryIx> + '_ {
        self.leaves.iter().chain(&self.enters).copied()
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

/// The component model as a graph, with derived facts computed once.
#[derive(Debug)]
pub struct ComponentGraph<'m> {
    model: &'m ComponentModel,
    element_ids: IdMap<&'m str, ElementIx>,
    flow_ids: IdMap<&'m str, FlowIx>,
    boundary_ids: IdMap<&'m str, BoundaryIx>,
    /// The source and target of each flow whose ends both exist.
    endpoints: Vec<Option<(ElementIx, ElementIx)>>,
    boundary_paths: Vec<Vec<BoundaryIx>>,
    /// The innermost boundary of each element that names an existing one.
    element_boundary: Vec<Option<BoundaryIx>>,
    crossings: Vec<Crossing>,
    outgoing: Adjacency<FlowIx>,
    incoming: Adjacency<FlowIx>,
    /// Where data can go from each element in one flow (bidirectional flows both ways); node
    /// `i` is element `i`.
    neighbours: Csr<(), ()>,
    interactors: Vec<ElementIx>,
    entry_points: Vec<ElementIx>,
    reachable: Vec<bool>,
    reachable_from_untrusted: Vec<bool>,
}

impl<'m> ComponentGraph<'m> {
    /// Builds the graph of a component model and computes its derived facts.
    pub fn new(model: &'m ComponentModel) -> Self {
        let n = model.elements.len();
        let mut element_ids = IdMap::with_capacity(n);
        for (i, element) in model.elements.iter().enumerate() {
            // The first element with an id wins the id.
            element_ids
                .entry(element.id.as_str())
                .or_insert(ElementIx(i));
        }
        let mut flow_ids = IdMap::with_capacity(model.flows.len());
        let mut endpoints = Vec::with_capacity(model.flows.len());
        for (i, flow) in model.flows.iter().enumerate() {
            flow_ids.entry(flow.id.as_str()).or_insert(FlowIx(i));
            let source = element_ids.get(flow.source.as_str()).copied();
            let target = element_ids.get(flow.target.as_str()).copied();
            endpoints.push(source.zip(target));
        }
        let valid = || {
            endpoints
                .iter()
                .enumerate()
                .filter_map(|(i, ends)| ends.map(|(s, t)| (FlowIx(i), s, t)))
        };
        let outgoing = Adjacency::build(n, valid().map(|(f, s, _)| (s, f)));
        let incoming = Adjacency::build(n, valid().map(|(f, _, t)| (t, f)));
        let neighbours = neighbour_graph(
            n,
            &Adjacency::build(
                n,
                valid().flat_map(|(f, s, t)| {
                    let back = model.flows[f.0].bidirectional.then_some((t, s));
                    std::iter::once((s, t)).chain(back)
                }),
            ),
        );
        let mut boundary_ids = IdMap::with_capacity(model.boundaries.len());
        for (i, boundary) in model.boundaries.iter().enumerate() {
            boundary_ids
                .entry(boundary.id.as_str())
                .or_insert(BoundaryIx(i));
        }
        let boundary_paths = boundary_paths(&model.boundaries, &boundary_ids);
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
        let path =
            |e: ElementIx| element_boundary[e.0].map_or(&[][..], |b| &boundary_paths[b.0][..]);
        let crossings = endpoints
            .iter()
            .map(|ends| ends.map_or_else(Crossing::default, |(s, t)| crossing(path(s), path(t))))
            .collect();
        let mut built = ComponentGraph {
            model,
            element_ids,
            flow_ids,
            boundary_ids,
            endpoints,
            boundary_paths,
            element_boundary,
            crossings,
            outgoing,
            incoming,
            neighbours,
            interactors: Vec::new(),
            entry_points: Vec::new(),
            reachable: Vec::new(),
            reachable_from_untrusted: Vec::new(),
        };
        built.interactors = (0..n)
            .map(ElementIx)
            .filter(|&e| model.elements[e.0].kind == ElementKind::ExternalInteractor)
            .collect();
        let mut entry = vec![false; n];
        for &i in &built.interactors {
            for next in built.next(i) {
                if model.elements[next.0].kind != ElementKind::ExternalInteractor {
                    entry[next.0] = true;
                }
            }
        }
        built.entry_points = (0..n).filter(|&i| entry[i]).map(ElementIx).collect();
        built.reachable = built.reach(&built.interactors);
        let untrusted: Vec<ElementIx> = built
            .interactors
            .iter()
            .copied()
            .filter(|&i| !built.is_trusted(i))
            .collect();
        built.reachable_from_untrusted = built.reach(&untrusted);
        built
    }

    /// The model the graph was built from.
    pub fn model(&self) -> &'m ComponentModel {
        self.model
    }

    /// The element at a position.
    pub fn element(&self, e: ElementIx) -> &'m Element {
        &self.model.elements[e.0]
    }

    /// The flow at a position.
    pub fn flow(&self, f: FlowIx) -> &'m Flow {
        &self.model.flows[f.0]
    }

    /// The boundary at a position.
    pub fn boundary(&self, b: BoundaryIx) -> &'m Boundary {
        &self.model.boundaries[b.0]
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
        (0..self.model.elements.len()).map(ElementIx)
    }

    /// Every flow position, in model order.
    pub fn flow_ixs(&self) -> impl ExactSizeIterator<Item = FlowIx> + use<> {
        (0..self.model.flows.len()).map(FlowIx)
    }

    /// The source and target of a flow; `None` when either names no element.
    pub fn flow_endpoints(&self, f: FlowIx) -> Option<(ElementIx, ElementIx)> {
        self.endpoints.get(f.0).copied().flatten()
    }

    /// The flows leaving an element, in model order.
    pub fn outgoing(&self, e: ElementIx) -> &[FlowIx] {
        self.outgoing.of(e)
    }

    /// The flows reaching an element, in model order.
    pub fn incoming(&self, e: ElementIx) -> &[FlowIx] {
        self.incoming.of(e)
    }

    /// The boundaries around a boundary, outermost first, ending with the boundary itself.
    pub fn boundary_path_of_boundary(&self, b: BoundaryIx) -> &[BoundaryIx] {
        &self.boundary_paths[b.0]
    }

    /// The boundaries around an element, outermost first; empty when it is outside every
    /// boundary.
    pub fn boundary_path(&self, e: ElementIx) -> &[BoundaryIx] {
        self.element_boundary[e.0].map_or(&[], |b| &self.boundary_paths[b.0])
    }

    /// The boundaries a flow leaves and enters.
    pub fn crossing(&self, f: FlowIx) -> &Crossing {
        &self.crossings[f.0]
    }

    /// Whether an element is inside at least one boundary and inside no untrusted one.
    pub fn is_trusted(&self, e: ElementIx) -> bool {
        let path = self.boundary_path(e);
        !path.is_empty()
            && path
                .iter()
                .all(|&b| self.model.boundaries[b.0].trust == Trust::Trusted)
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
        self.reachable[e.0]
    }

    /// Whether an element is reachable from an untrusted interactor: one outside every boundary
    /// or inside an untrusted one.
    pub fn is_reachable_from_untrusted(&self, e: ElementIx) -> bool {
        self.reachable_from_untrusted[e.0]
    }

    /// The elements reachable from no external interactor, in model order.
    pub fn unreachable(&self) -> Vec<ElementIx> {
        self.element_ixs()
            .filter(|&e| !self.reachable[e.0])
            .collect()
    }

    /// The elements reachable from an element along flows (bidirectional flows both ways), in
    /// breadth-first order, starting with the element itself.
    pub fn reachable_from(&self, start: ElementIx) -> Vec<ElementIx> {
        let mut seen = vec![false; self.model.elements.len()];
        let mut order = Vec::new();
        let mut queue = VecDeque::from([start]);
        seen[start.0] = true;
        while let Some(e) = queue.pop_front() {
            order.push(e);
            for next in self.next(e) {
                if !seen[next.0] {
                    seen[next.0] = true;
                    queue.push_back(next);
                }
            }
        }
        order
    }

    /// The order in which an architect interview visits the model: breadth-first from each
    /// external interactor in model order, each element followed by the flows it sends (and
    /// the bidirectional flows it takes part in) as they are reached; then the elements and
    /// flows reachable from no interactor, in model order, marked unreachable. Every element
    /// and every flow appears exactly once.
    pub fn walk(&self) -> Vec<WalkStep> {
        let n = self.model.elements.len();
        let mut seen = vec![false; n];
        let mut flow_seen = vec![false; self.model.flows.len()];
        let mut steps = Vec::with_capacity(n + self.model.flows.len());
        let mut queue = VecDeque::new();
        for &start in &self.interactors {
            if seen[start.0] {
                continue;
            }
            seen[start.0] = true;
            queue.push_back(start);
            while let Some(e) = queue.pop_front() {
                steps.push(WalkStep {
                    item: WalkItem::Element(e),
                    reachable: true,
                });
                for &f in self.outgoing.of(e) {
                    let (_, target) = self.flow_endpoints(f).expect("listed flows have ends");
                    visit_flow(f, target, &mut flow_seen, &mut seen, &mut queue, &mut steps);
                }
                for &f in self.incoming.of(e) {
                    if self.model.flows[f.0].bidirectional {
                        let (source, _) = self.flow_endpoints(f).expect("listed flows have ends");
                        visit_flow(f, source, &mut flow_seen, &mut seen, &mut queue, &mut steps);
                    }
                }
            }
        }
        for e in self.element_ixs() {
            if !seen[e.0] {
                steps.push(WalkStep {
                    item: WalkItem::Element(e),
                    reachable: false,
                });
            }
        }
        for f in self.flow_ixs() {
            if !flow_seen[f.0] {
                steps.push(WalkStep {
                    item: WalkItem::Flow(f),
                    reachable: false,
                });
            }
        }
        steps
    }

    /// The elements data can go to from an element in one flow, in model order.
    fn next(&self, e: ElementIx) -> impl Iterator<Item = ElementIx> + '_ {
        self.neighbours
            .neighbors_slice(node(e))
            .iter()
            .map(|&n| ElementIx(n as usize))
    }

    /// Marks the elements reachable from any of the starts (multi-source breadth-first search).
    fn reach(&self, starts: &[ElementIx]) -> Vec<bool> {
        let mut seen = vec![false; self.model.elements.len()];
        let mut queue: VecDeque<ElementIx> = VecDeque::new();
        for &s in starts {
            if !seen[s.0] {
                seen[s.0] = true;
                queue.push_back(s);
            }
        }
        while let Some(e) = queue.pop_front() {
            for next in self.next(e) {
                if !seen[next.0] {
                    seen[next.0] = true;
                    queue.push_back(next);
                }
            }
        }
        seen
    }
}

/// The path of every boundary, outermost first and ending with the boundary itself. A parent
/// that names no boundary ends the path; a cycle is cut where it closes.
fn boundary_paths(boundaries: &[Boundary], ids: &IdMap<&str, BoundaryIx>) -> Vec<Vec<BoundaryIx>> {
    boundaries
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let mut path = vec![BoundaryIx(i)];
            let mut current = i;
            while let Some(parent) = boundaries[current]
                .parent
                .as_deref()
                .and_then(|p| ids.get(p))
            {
                if path.contains(parent) {
                    break;
                }
                path.push(*parent);
                current = parent.0;
            }
            path.reverse();
            path
        })
        .collect()
}

fn crossing(source: &[BoundaryIx], target: &[BoundaryIx]) -> Crossing {
    let common = source
        .iter()
        .zip(target)
        .take_while(|(a, b)| a == b)
        .count();
    Crossing {
        leaves: source[common..].iter().rev().copied().collect(),
        enters: target[common..].to_vec(),
    }
}

fn visit_flow(
    f: FlowIx,
    next: ElementIx,
    flow_seen: &mut [bool],
    seen: &mut [bool],
    queue: &mut VecDeque<ElementIx>,
    steps: &mut Vec<WalkStep>,
) {
    if flow_seen[f.0] {
        return;
    }
    flow_seen[f.0] = true;
    steps.push(WalkStep {
        item: WalkItem::Flow(f),
        reachable: true,
    });
    if !seen[next.0] {
        seen[next.0] = true;
        queue.push_back(next);
    }
}

/// The petgraph node of an element.
fn node(e: ElementIx) -> u32 {
    u32::try_from(e.0).expect("fewer than 2^32 elements")
}

/// The graph of where data can go, from the (unsorted, possibly repeated) targets of each
/// element: each row sorted and deduplicated, as petgraph's compressed rows want them.
fn neighbour_graph(nodes: usize, targets: &Adjacency<ElementIx>) -> Csr<(), ()> {
    let mut edges: Vec<(u32, u32)> = Vec::with_capacity(targets.items.len());
    let mut row: Vec<u32> = Vec::new();
    for source in 0..nodes {
        row.clear();
        row.extend(targets.of(ElementIx(source)).iter().map(|&t| node(t)));
        row.sort_unstable();
        row.dedup();
        let source = node(ElementIx(source));
        edges.extend(row.iter().map(|&t| (source, t)));
    }
    let mut graph = Csr::from_sorted_edges(&edges).expect("rows are sorted and unique");
    // `from_sorted_edges` makes nodes up to the largest one an edge names.
    while graph.node_count() < nodes {
        graph.add_node(());
    }
    graph
}

/// Lists of items per element, stored contiguously (compressed sparse rows), in the order the
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
            offsets[node.0 + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut items = vec![T::default(); offsets[nodes]];
        for (node, item) in pairs {
            items[next[node.0]] = item;
            next[node.0] += 1;
        }
        Adjacency { offsets, items }
    }

    fn of(&self, node: ElementIx) -> &[T] {
        &self.items[self.offsets[node.0]..self.offsets[node.0 + 1]]
    }
}
