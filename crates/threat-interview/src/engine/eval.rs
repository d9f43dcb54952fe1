//! Conditions compiled against one component graph and evaluated without allocating.
//!
//! A template's condition becomes a flat program of nodes in pre-order: boundary ids resolved
//! to positions (an id the model does not have matches nothing), kinds turned into bit masks,
//! protocols lower-cased. Evaluation records the nodes that held and decided the result, and
//! the engine turns them into JSON Pointers only for the templates that apply.

use crate::bank::{BoundaryRef, Condition, ExposureFilter, KindFilter, TriState};
use crate::graph::{BoundaryIx, ComponentGraph, ElementIx, Exposure, FlowIx};
use crate::model::{Classification, ElementKind, Properties, PropertyValue, SubjectKind};
use crate::source::escape_pointer_token;

/// What a question is about: an element or a flow (engagement-level questions have no
/// subject to evaluate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Target {
    Element(ElementIx),
    Flow(FlowIx),
}

fn element_bit(kind: ElementKind) -> u8 {
    SubjectKind::from(kind).bit()
}

#[derive(Debug, Clone, Copy)]
enum Boundary {
    Any,
    Ix(BoundaryIx),
    /// Named in the bank but absent from the model: matches nothing.
    Missing,
}

#[derive(Debug)]
enum Op {
    /// Holds for no subject: a test of a property no element or flow of the model has, or a
    /// node made only of such tests.
    Never,
    All(Box<[u32]>),
    Any(Box<[u32]>),
    Not(u32),
    Source(u32),
    Target(u32),
    Kind(u8),
    PropertyExists(String),
    PropertyTrue(String),
    PropertyEquals(String, PropertyValue),
    PropertyIn(String, Vec<String>),
    PropertyContains(String, String),
    Encrypted(TriState),
    Authenticated(TriState),
    ProtocolIn(Vec<String>),
    Bidirectional(bool),
    Crosses(Boundary),
    Enters(Boundary),
    Leaves(Boundary),
    CrossesIntoTrust(bool),
    InBoundary(Boundary),
    Trusted(bool),
    HasIncomingFrom(u8),
    HasOutgoingTo(u8),
    Reachable(bool),
    ReachableFromUntrusted(bool),
    Carries(Classification),
    OutOfScope(bool),
    Compare(String, std::cmp::Ordering, bool, f64),
    Initiator(u32),
    Responder(u32),
    Calls(u8),
    CalledBy(u8),
    Exposure(ExposureFilter),
    /// Lower-cased words, and whether each flow carries data so named (0: not worked out
    /// yet, 1: no, 2: yes): an element asks of every flow it touches, so each flow is read
    /// once per program.
    DataNamed(WordFinder, Box<[std::cell::Cell<u8>]>),
    BypassesGateway(bool),
    OutsideStoreAccess(bool),
    StoreUnread(bool),
    StoreUnwritten(bool),
    RestrictedWithoutAudit(bool),
    SkipsIdentityProvider(bool),
    OpenedByTarget(bool),
    /// Lower-cased phrases looked for in the subject's description.
    Says(Vec<String>),
    /// Some caller (`true`) or callee (`false`) satisfies the child.
    Peer(bool, u32),
    /// Some flow opened towards it (`true`) or by it (`false`) satisfies the child.
    Over(bool, u32),
}

/// The names of the properties some element or flow of a model has, and [`DESCRIBED`] when
/// some element or flow has a description.
pub(crate) type PropertyNames<'g> = foldhash::HashSet<&'g str>;

/// Stands in [`PropertyNames`] for "some subject has a description": a `says` test of a model
/// without any is known to fail. (A property name cannot start with a NUL character in any
/// model a person writes; if one did, a `says` test would merely not be folded.)
const DESCRIBED: &str = "\0description";

/// The names of the properties some element or flow of the graph's model has.
pub(crate) fn property_names(graph: &ComponentGraph) -> PropertyNames<'_> {
    let model = graph.model();
    let mut names = PropertyNames::default();
    if model.elements.iter().any(|e| e.description.is_some())
        || model.flows.iter().any(|f| f.description.is_some())
    {
        names.insert(DESCRIBED);
    }
    let maps = model
        .elements
        .iter()
        .map(|e| &e.properties)
        .chain(model.flows.iter().map(|f| &f.properties));
    for properties in maps {
        for name in properties.keys() {
            if !names.contains(name.as_str()) {
                names.insert(name.as_str());
            }
        }
    }
    names
}

/// The words of a `data_named` condition, looked for in one pass over a name.
#[derive(Debug)]
struct WordFinder {
    /// Lower-cased.
    words: Vec<String>,
    /// Every word at once, ignoring ASCII case; `None` if it could not be built (then each
    /// word is looked for in turn).
    matcher: Option<aho_corasick::AhoCorasick>,
}

impl WordFinder {
    fn new(words: &[String]) -> WordFinder {
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let matcher = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&words)
            .ok();
        WordFinder { words, matcher }
    }

    /// Whether the name, lower-cased, contains one of the words.
    fn finds(&self, name: &str) -> bool {
        let lowered;
        // Beyond ASCII, lower-case the whole name first (`É` and `é`).
        let name = if name.is_ascii() {
            name
        } else {
            lowered = name.to_lowercase();
            &lowered
        };
        if let Some(matcher) = &self.matcher {
            return matcher.is_match(name);
        }
        let name = name.to_ascii_lowercase();
        self.words.iter().any(|w| name.contains(w.as_str()))
    }
}

/// A condition compiled against a graph: nodes in pre-order, node 0 the root.
#[derive(Debug, Default)]
pub(crate) struct Program {
    ops: Vec<Op>,
    /// The JSON Pointer of each node within its template (`/when/all/0`).
    pub(crate) pointers: Vec<String>,
}

impl Program {
    /// Compiles a condition; `present` holds the names of the properties some element or flow
    /// of the model has ([`property_names`]): a test of any other is known to fail.
    pub(crate) fn compile(
        condition: Option<&Condition>,
        graph: &ComponentGraph,
        present: &PropertyNames<'_>,
    ) -> Program {
        let mut program = Program::default();
        if let Some(condition) = condition {
            program.add(condition, "/when".to_owned(), graph, present);
        }
        program
    }

    fn add(
        &mut self,
        condition: &Condition,
        pointer: String,
        graph: &ComponentGraph,
        present: &PropertyNames<'_>,
    ) -> u32 {
        // Conditions are limited to `Limits::max_condition_nodes` nodes when a bank loads.
        let at = u32::try_from(self.ops.len()).unwrap_or(u32::MAX);
        let op_pointer = format!(
            "{pointer}/{}",
            escape_pointer_token(condition.operator().as_str())
        );
        // Reserve the slot so that children get later indices (pre-order).
        self.ops.push(Op::Kind(0));
        self.pointers.push(pointer);
        let boundary = |r: &BoundaryRef| match r {
            BoundaryRef::Any => Boundary::Any,
            BoundaryRef::Named(id) => graph
                .boundary_ix(id)
                .map_or(Boundary::Missing, Boundary::Ix),
        };
        let kinds = |f: &KindFilter| match f {
            KindFilter::Any => 0b111,
            KindFilter::Kind(k) => element_bit(*k),
        };
        let op = match condition {
            Condition::All(items) | Condition::Any(items) => {
                let children: Box<[u32]> = items
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.add(c, format!("{op_pointer}/{i}"), graph, present))
                    .collect();
                if matches!(condition, Condition::All(_)) {
                    Op::All(children)
                } else {
                    Op::Any(children)
                }
            }
            Condition::Not(c) => Op::Not(self.add(c, op_pointer, graph, present)),
            Condition::Source(c) => Op::Source(self.add(c, op_pointer, graph, present)),
            Condition::Target(c) => Op::Target(self.add(c, op_pointer, graph, present)),
            Condition::Kind(list) => Op::Kind(list.0.iter().fold(0, |m, &k| m | k.bit())),
            Condition::PropertyExists(name) => Op::PropertyExists(name.clone()),
            Condition::PropertyTrue(name) => Op::PropertyTrue(name.clone()),
            Condition::PropertyEquals(p) => Op::PropertyEquals(p.name.clone(), p.value.clone()),
            Condition::PropertyIn(p) => Op::PropertyIn(p.name.clone(), p.values.clone()),
            Condition::PropertyContains(p) => Op::PropertyContains(p.name.clone(), p.value.clone()),
            Condition::Encrypted(t) => Op::Encrypted(*t),
            Condition::Authenticated(t) => Op::Authenticated(*t),
            Condition::ProtocolIn(list) => Op::ProtocolIn(list.clone()),
            Condition::Bidirectional(b) => Op::Bidirectional(*b),
            Condition::Crosses(r) => Op::Crosses(boundary(r)),
            Condition::Enters(r) => Op::Enters(boundary(r)),
            Condition::Leaves(r) => Op::Leaves(boundary(r)),
            Condition::CrossesIntoTrust(b) => Op::CrossesIntoTrust(*b),
            Condition::InBoundary(r) => Op::InBoundary(boundary(r)),
            Condition::Trusted(b) => Op::Trusted(*b),
            Condition::HasIncomingFrom(f) => Op::HasIncomingFrom(kinds(f)),
            Condition::HasOutgoingTo(f) => Op::HasOutgoingTo(kinds(f)),
            Condition::Reachable(b) => Op::Reachable(*b),
            Condition::ReachableFromUntrusted(b) => Op::ReachableFromUntrusted(*b),
            Condition::Carries(c) => Op::Carries(*c),
            Condition::OutOfScope(b) => Op::OutOfScope(*b),
            Condition::PropertyGt(p) => {
                Op::Compare(p.name.clone(), std::cmp::Ordering::Greater, false, p.value)
            }
            Condition::PropertyGte(p) => {
                Op::Compare(p.name.clone(), std::cmp::Ordering::Greater, true, p.value)
            }
            Condition::PropertyLt(p) => {
                Op::Compare(p.name.clone(), std::cmp::Ordering::Less, false, p.value)
            }
            Condition::PropertyLte(p) => {
                Op::Compare(p.name.clone(), std::cmp::Ordering::Less, true, p.value)
            }
            Condition::Initiator(c) => Op::Initiator(self.add(c, op_pointer, graph, present)),
            Condition::Responder(c) => Op::Responder(self.add(c, op_pointer, graph, present)),
            Condition::Calls(f) => Op::Calls(kinds(f)),
            Condition::CalledBy(f) => Op::CalledBy(kinds(f)),
            Condition::Exposure(e) => Op::Exposure(*e),
            Condition::DataNamed(words) => Op::DataNamed(
                WordFinder::new(words),
                vec![std::cell::Cell::new(0); graph.flow_ixs().len()].into_boxed_slice(),
            ),
            Condition::BypassesGateway(b) => Op::BypassesGateway(*b),
            Condition::OutsideStoreAccess(b) => Op::OutsideStoreAccess(*b),
            Condition::StoreUnread(b) => Op::StoreUnread(*b),
            Condition::StoreUnwritten(b) => Op::StoreUnwritten(*b),
            Condition::RestrictedWithoutAudit(b) => Op::RestrictedWithoutAudit(*b),
            Condition::SkipsIdentityProvider(b) => Op::SkipsIdentityProvider(*b),
            Condition::OpenedByTarget(b) => Op::OpenedByTarget(*b),
            Condition::Says(phrases) => Op::Says(crate::bank::says::lowered(phrases)),
            Condition::Caller(c) => Op::Peer(true, self.add(c, op_pointer, graph, present)),
            Condition::Callee(c) => Op::Peer(false, self.add(c, op_pointer, graph, present)),
            Condition::CalledOver(c) => Op::Over(true, self.add(c, op_pointer, graph, present)),
            Condition::CallsOver(c) => Op::Over(false, self.add(c, op_pointer, graph, present)),
        };
        self.ops[at as usize] = self.fold(op, present);
        at
    }

    /// `Op::Never` for a test of a property the model does not have, and for a node that
    /// cannot hold because of such tests; the op itself otherwise.
    fn fold(&self, op: Op, present: &PropertyNames<'_>) -> Op {
        let never = |c: &u32| matches!(self.ops[*c as usize], Op::Never);
        let absent = |name: &String| !present.contains(name.as_str());
        let cannot_hold = match &op {
            Op::PropertyExists(name)
            | Op::PropertyTrue(name)
            | Op::PropertyEquals(name, _)
            | Op::PropertyIn(name, _)
            | Op::PropertyContains(name, _)
            | Op::Compare(name, ..) => absent(name),
            Op::Says(_) => !present.contains(DESCRIBED),
            Op::All(children) => children.iter().any(never),
            Op::Any(children) => children.iter().all(never),
            Op::Source(c)
            | Op::Target(c)
            | Op::Initiator(c)
            | Op::Responder(c)
            | Op::Peer(_, c)
            | Op::Over(_, c) => never(c),
            _ => false,
        };
        if cannot_hold { Op::Never } else { op }
    }

    /// Whether the program has no test (the template always applies).
    pub(crate) fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The kinds of subject (bits of `SubjectKind::bit`) the program can hold for: those of a
    /// `kind` test at its root or among the tests of a root `all`; every kind otherwise.
    pub(crate) fn kinds(&self) -> u8 {
        match self.ops.first() {
            Some(Op::Kind(mask)) => *mask,
            Some(Op::All(children)) => children
                .iter()
                .filter_map(|&c| match self.ops.get(c as usize) {
                    Some(Op::Kind(mask)) => Some(*mask),
                    _ => None,
                })
                .fold(u8::MAX, |all, mask| all & mask),
            _ => u8::MAX,
        }
    }

    /// Whether the program is known to hold for no subject of the model it was compiled for.
    pub(crate) fn is_never(&self) -> bool {
        matches!(self.ops.first(), Some(Op::Never))
    }

    /// Whether the program holds for a subject; on success `matched` ends with the nodes that
    /// decided it (leaves that held, and `not` nodes that held).
    pub(crate) fn eval(&self, facts: &Facts<'_>, subject: Target, matched: &mut Vec<u32>) -> bool {
        if self.ops.is_empty() {
            return true;
        }
        self.node(0, facts, subject, matched)
    }

    fn node(&self, at: u32, facts: &Facts<'_>, subject: Target, matched: &mut Vec<u32>) -> bool {
        let graph = facts.graph;
        let start = matched.len();
        let leaf = match &self.ops[at as usize] {
            Op::Never => return false,
            Op::All(children) => {
                let ok = children
                    .iter()
                    .all(|&c| self.node(c, facts, subject, matched));
                if !ok {
                    matched.truncate(start);
                }
                return ok;
            }
            Op::Any(children) => {
                for &c in children {
                    if self.node(c, facts, subject, matched) {
                        return true;
                    }
                    matched.truncate(start);
                }
                return false;
            }
            Op::Not(child) => {
                let inner = self.node(*child, facts, subject, matched);
                matched.truncate(start);
                !inner
            }
            Op::Source(child) | Op::Target(child) | Op::Initiator(child) | Op::Responder(child) => {
                let Target::Flow(f) = subject else {
                    return false;
                };
                let Some((s, t)) = graph.flow_endpoints(f) else {
                    return false;
                };
                let (opener, responder) = graph.opener_and_responder(f);
                let end = match self.ops[at as usize] {
                    Op::Source(_) => s,
                    Op::Target(_) => t,
                    Op::Initiator(_) => opener,
                    _ => responder,
                };
                return self.node(*child, facts, Target::Element(end), matched);
            }
            Op::Peer(towards, child) | Op::Over(towards, child) => {
                let Target::Element(e) = subject else {
                    return false;
                };
                let flows = if *towards {
                    graph.called_by(e)
                } else {
                    graph.calls(e)
                };
                let peer = matches!(self.ops[at as usize], Op::Peer(..));
                for &f in flows {
                    let next = if peer {
                        let (opener, responder) = graph.opener_and_responder(f);
                        Target::Element(if *towards { opener } else { responder })
                    } else {
                        Target::Flow(f)
                    };
                    let mark = matched.len();
                    if self.node(*child, facts, next, matched) {
                        return true;
                    }
                    matched.truncate(mark);
                }
                return false;
            }
            Op::Says(phrases) => {
                let description = match subject {
                    Target::Element(e) => graph.element(e).description.as_deref(),
                    Target::Flow(f) => graph.flow(f).description.as_deref(),
                };
                description.is_some_and(|d| crate::bank::says::first_sentence(d, phrases).is_some())
            }
            Op::OpenedByTarget(b) => match subject {
                Target::Flow(f) => {
                    graph.flow_endpoints(f).is_some() && graph.opened_by_target(f) == *b
                }
                Target::Element(_) => false,
            },
            Op::Kind(mask) => mask & facts.kind_bit(subject) != 0,
            Op::PropertyExists(name) => facts.properties(subject).contains_key(name),
            Op::PropertyTrue(name) => matches!(
                facts.properties(subject).get(name),
                Some(PropertyValue::Bool(true))
            ),
            Op::PropertyEquals(name, value) => facts.properties(subject).get(name) == Some(value),
            Op::PropertyIn(name, values) => match facts.properties(subject).get(name) {
                Some(PropertyValue::String(s)) => values.iter().any(|v| v == s),
                _ => false,
            },
            Op::PropertyContains(name, value) => match facts.properties(subject).get(name) {
                Some(PropertyValue::List(items)) => items.iter().any(|v| v == value),
                Some(PropertyValue::String(s)) => s.contains(value.as_str()),
                _ => false,
            },
            Op::Encrypted(state) => {
                matches!(subject, Target::Flow(f) if state.matches(graph.flow(f).encrypted))
            }
            Op::Authenticated(state) => {
                matches!(subject, Target::Flow(f) if state.matches(graph.flow(f).authenticated))
            }
            Op::ProtocolIn(list) => match subject {
                Target::Flow(f) => graph
                    .flow(f)
                    .protocol
                    .as_deref()
                    .is_some_and(|p| list.iter().any(|l| l.eq_ignore_ascii_case(p))),
                Target::Element(_) => false,
            },
            Op::Bidirectional(b) => {
                matches!(subject, Target::Flow(f) if graph.flow(f).bidirectional == *b)
            }
            Op::Crosses(r) => match subject {
                Target::Flow(f) => match r {
                    Boundary::Any => graph.crosses_any(f),
                    Boundary::Ix(b) => graph.flow_crosses(f, *b),
                    Boundary::Missing => false,
                },
                Target::Element(_) => false,
            },
            Op::Enters(r) | Op::Leaves(r) => match subject {
                Target::Flow(f) => {
                    let enters = matches!(self.ops[at as usize], Op::Enters(_));
                    match (r, enters) {
                        (Boundary::Any, true) => graph.crossing(f).enters_any(),
                        (Boundary::Any, false) => graph.crossing(f).leaves_any(),
                        (Boundary::Ix(b), true) => graph.flow_enters(f, *b),
                        (Boundary::Ix(b), false) => graph.flow_leaves(f, *b),
                        (Boundary::Missing, _) => false,
                    }
                }
                Target::Element(_) => false,
            },
            Op::CrossesIntoTrust(b) => match subject {
                Target::Flow(f) => {
                    let into = graph
                        .flow_endpoints(f)
                        .is_some_and(|(s, t)| !graph.is_trusted(s) && graph.is_trusted(t));
                    into == *b
                }
                Target::Element(_) => false,
            },
            Op::InBoundary(r) => {
                let inside = |e: ElementIx| match r {
                    Boundary::Any => graph.innermost_boundary(e).is_some(),
                    Boundary::Ix(b) => graph.is_inside(e, *b),
                    Boundary::Missing => false,
                };
                facts.both_ends(subject, inside)
            }
            Op::Trusted(b) => facts.both_ends(subject, |e| graph.is_trusted(e)) == *b,
            Op::HasIncomingFrom(mask) => {
                matches!(subject, Target::Element(e) if facts.incoming_kinds[e.index()] & mask != 0)
            }
            Op::HasOutgoingTo(mask) => {
                matches!(subject, Target::Element(e) if facts.outgoing_kinds[e.index()] & mask != 0)
            }
            Op::Reachable(b) => facts
                .source_end(subject)
                .is_some_and(|e| graph.is_reachable(e) == *b),
            Op::ReachableFromUntrusted(b) => {
                let exposed = match subject {
                    Target::Element(e) => graph.exposure(e).is_exposed(),
                    Target::Flow(f) => graph.flow_exposure(f).is_exposed(),
                };
                exposed == *b
            }
            Op::Carries(level) => match subject {
                Target::Flow(f) => graph.flow(f).highest_classification() >= Some(*level),
                Target::Element(e) => facts.highest_classification[e.index()] >= Some(*level),
            },
            Op::OutOfScope(b) => match subject {
                Target::Flow(f) => graph.flow(f).out_of_scope == *b,
                Target::Element(e) => graph.element(e).out_of_scope == *b,
            },
            Op::Compare(name, ordering, or_equal, value) => {
                match facts.properties(subject).get(name) {
                    Some(PropertyValue::Number(n)) => n.as_f64().is_some_and(|n| {
                        n.partial_cmp(value)
                            .is_some_and(|o| o == *ordering || (*or_equal && o.is_eq()))
                    }),
                    _ => false,
                }
            }
            Op::Calls(mask) => {
                matches!(subject, Target::Element(e) if facts.calls_kinds[e.index()] & mask != 0)
            }
            Op::CalledBy(mask) => {
                matches!(subject, Target::Element(e) if facts.called_by_kinds[e.index()] & mask != 0)
            }
            Op::Exposure(filter) => {
                let exposure = match subject {
                    Target::Element(e) => graph.exposure(e),
                    Target::Flow(f) => graph.flow_exposure(f),
                };
                match filter {
                    ExposureFilter::Direct => exposure == Exposure::Direct,
                    ExposureFilter::Indirect => matches!(exposure, Exposure::Indirect { .. }),
                    ExposureFilter::Any => exposure.is_exposed(),
                    ExposureFilter::None => !exposure.is_exposed(),
                }
            }
            Op::DataNamed(words, known) => {
                let named = |f: FlowIx| {
                    let Some(known) = known.get(f.index()) else {
                        return false;
                    };
                    if known.get() == 0 {
                        let named = graph
                            .flow(f)
                            .data
                            .iter()
                            .any(|item| words.finds(&item.name));
                        known.set(if named { 2 } else { 1 });
                    }
                    known.get() == 2
                };
                match subject {
                    Target::Flow(f) => named(f),
                    Target::Element(e) => graph
                        .outgoing(e)
                        .iter()
                        .chain(graph.incoming(e))
                        .any(|&f| named(f)),
                }
            }
            Op::BypassesGateway(b) => match subject {
                Target::Flow(f) => graph.oddities().bypass(f).is_some() == *b,
                Target::Element(_) => false,
            },
            Op::OutsideStoreAccess(b) => match subject {
                Target::Flow(f) => graph.oddities().outside_access(f).is_some() == *b,
                Target::Element(_) => false,
            },
            Op::StoreUnread(b) => match subject {
                Target::Element(e) => {
                    graph.element(e).kind == ElementKind::DataStore
                        && graph.oddities().unread(e) == *b
                }
                Target::Flow(_) => false,
            },
            Op::StoreUnwritten(b) => match subject {
                Target::Element(e) => {
                    graph.element(e).kind == ElementKind::DataStore
                        && graph.oddities().unwritten(e) == *b
                }
                Target::Flow(_) => false,
            },
            Op::RestrictedWithoutAudit(b) => match subject {
                Target::Element(e) => graph.oddities().unaudited(e).is_some() == *b,
                Target::Flow(_) => false,
            },
            Op::SkipsIdentityProvider(b) => match subject {
                Target::Element(e) => graph.oddities().skipped_identity_provider(e).is_some() == *b,
                Target::Flow(_) => false,
            },
        };
        if leaf {
            matched.push(at);
        }
        leaf
    }
}

/// Facts about the elements derived once per generation, so that every test is O(1).
#[derive(Debug)]
pub(crate) struct Facts<'g> {
    pub(crate) graph: &'g ComponentGraph,
    incoming_kinds: Vec<u8>,
    outgoing_kinds: Vec<u8>,
    highest_classification: Vec<Option<Classification>>,
    calls_kinds: Vec<u8>,
    called_by_kinds: Vec<u8>,
}

impl<'g> Facts<'g> {
    pub(crate) fn new(graph: &'g ComponentGraph) -> Self {
        let n = graph.model().elements.len();
        let mut incoming_kinds = vec![0u8; n];
        let mut outgoing_kinds = vec![0u8; n];
        let mut highest_classification: Vec<Option<Classification>> = vec![None; n];
        let mut calls_kinds = vec![0u8; n];
        let mut called_by_kinds = vec![0u8; n];
        for f in graph.flow_ixs() {
            let Some((s, t)) = graph.flow_endpoints(f) else {
                continue;
            };
            let flow = graph.flow(f);
            let source_bit = element_bit(graph.element(s).kind);
            let target_bit = element_bit(graph.element(t).kind);
            incoming_kinds[t.index()] |= source_bit;
            outgoing_kinds[s.index()] |= target_bit;
            if flow.bidirectional {
                incoming_kinds[s.index()] |= target_bit;
                outgoing_kinds[t.index()] |= source_bit;
            }
            let (opener, responder) = graph.opener_and_responder(f);
            calls_kinds[opener.index()] |= element_bit(graph.element(responder).kind);
            called_by_kinds[responder.index()] |= element_bit(graph.element(opener).kind);
            let class = flow.highest_classification();
            for end in [s, t] {
                highest_classification[end.index()] =
                    highest_classification[end.index()].max(class);
            }
        }
        Facts {
            graph,
            incoming_kinds,
            outgoing_kinds,
            highest_classification,
            calls_kinds,
            called_by_kinds,
        }
    }

    pub(crate) fn kind_bit(&self, subject: Target) -> u8 {
        match subject {
            Target::Element(e) => element_bit(self.graph.element(e).kind),
            Target::Flow(_) => SubjectKind::DataFlow.bit(),
        }
    }

    fn properties(&self, subject: Target) -> &'g Properties {
        match subject {
            Target::Element(e) => &self.graph.element(e).properties,
            Target::Flow(f) => &self.graph.flow(f).properties,
        }
    }

    /// For an element, the test on it; for a flow, the test on both its ends.
    fn both_ends(&self, subject: Target, test: impl Fn(ElementIx) -> bool) -> bool {
        match subject {
            Target::Element(e) => test(e),
            Target::Flow(f) => self
                .graph
                .flow_endpoints(f)
                .is_some_and(|(s, t)| test(s) && test(t)),
        }
    }

    /// The element itself, or a flow's source.
    fn source_end(&self, subject: Target) -> Option<ElementIx> {
        match subject {
            Target::Element(e) => Some(e),
            Target::Flow(f) => self.graph.flow_endpoints(f).map(|(s, _)| s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Facts, Program, Target, WordFinder, property_names};
    use crate::bank::Condition;
    use crate::graph::ComponentGraph;
    use crate::model::{ComponentModel, Element, ElementKind, PropertyValue};

    /// Whether the condition (JSON) holds for the model's first element.
    fn holds(model: &ComponentModel, condition: &serde_json::Value) -> bool {
        let condition = Condition::from_value(condition, "/when", 100).unwrap();
        let graph = ComponentGraph::new(model).unwrap();
        let present = property_names(&graph);
        let program = Program::compile(Some(&condition), &graph, &present);
        let facts = Facts::new(&graph);
        let first = graph.element_ixs().next().unwrap();
        program.eval(&facts, Target::Element(first), &mut Vec::new())
    }

    #[test]
    fn a_test_of_a_property_no_subject_has_fails_and_its_negation_holds() {
        let mut model = ComponentModel::default();
        let mut element = Element::new("api", "API", ElementKind::Process);
        element
            .properties
            .insert("internet_facing".into(), PropertyValue::Bool(true));
        model.elements.push(element);
        let absent = serde_json::json!({"property_true": "ai_model"});
        let present = serde_json::json!({"property_true": "internet_facing"});
        assert!(!holds(&model, &absent));
        assert!(holds(&model, &serde_json::json!({"not": absent})));
        assert!(holds(
            &model,
            &serde_json::json!({"any": [absent, present]})
        ));
        assert!(!holds(
            &model,
            &serde_json::json!({"all": [present, absent]})
        ));
        assert!(holds(
            &model,
            &serde_json::json!({"not": {"all": [present, absent]}})
        ));
        assert!(!holds(
            &model,
            &serde_json::json!({"property_in": {"name": "hosting", "values": ["aws"]}})
        ));
    }

    #[test]
    fn data_names_are_matched_whatever_their_case() {
        let finder = WordFinder::new(&["PAN".to_owned(), "holder".to_owned(), "santé".to_owned()]);
        assert!(finder.finds("Card PAN"));
        assert!(finder.finds("CARDHOLDER data"));
        assert!(!finder.finds("Card"));
        // Beyond ASCII, the name is lower-cased as a whole.
        assert!(finder.finds("DONNÉES DE SANTÉ"));
        assert!(!finder.finds("Gesundheit"));
    }
}
