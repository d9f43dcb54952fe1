//! Conditions compiled against one component graph and evaluated without allocating.
//!
//! A template's condition becomes a flat program of nodes in pre-order: boundary ids resolved
//! to positions (an id the model does not have matches nothing), kinds turned into bit masks,
//! protocols lower-cased. Evaluation records the nodes that held and decided the result, and
//! the engine turns them into JSON Pointers only for the templates that apply.

use crate::bank::{BoundaryRef, Condition, ExposureFilter, KindFilter, TriState};
use crate::graph::{BoundaryIx, ComponentGraph, ElementIx, Exposure, FlowIx};
use crate::model::{
    Classification, ElementKind, Engagement, InterviewStatus, Properties, PropertyValue, Role,
    SubjectKind,
};
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
    /// Holds for every subject: a test of the engagement (its calibration) that holds.
    Always,
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
    ProtocolHas(std::sync::Arc<WordFinder>),
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
    DataNamed(std::sync::Arc<WordFinder>, Box<[std::cell::Cell<u8>]>),
    BypassesGateway(bool),
    OutsideStoreAccess(bool),
    CallersAtLeast(u32),
    SignInOnly(bool),
    StoreUnread(bool),
    StoreUnwritten(bool),
    RestrictedWithoutAudit(bool),
    SkipsIdentityProvider(bool),
    OpenedByTarget(bool),
    Deploys(bool),
    /// Lower-cased phrases looked for in the subject's description.
    Says(Vec<String>),
    /// Lower-cased phrases looked for in the descriptions of the boundaries around it.
    ZoneSays(Vec<String>),
    /// A `not` that many templates share (same condition under it): its result is kept per
    /// subject in [`Facts`] (the shared id), worked out once per generation.
    SharedNot(u32, u32),
    /// Some caller (`true`) or callee (`false`) satisfies the child.
    Peer(bool, u32),
    /// Some flow opened towards it (`true`) or by it (`false`) satisfies the child.
    Over(bool, u32),
}

/// The names of the properties some element or flow of a model has, and [`DESCRIBED`] when
/// some element or flow has a description.
#[derive(Debug, Default, Clone)]
pub(crate) struct PropertyNames<'g> {
    names: foldhash::HashSet<&'g str>,
    /// The engagement's scope assumptions (`assumes`), empty until
    /// [`add_engagement_facts`].
    assumptions: Vec<String>,
    /// What the engagement's scope leaves out (`excludes`).
    exclusions: Vec<String>,
    /// What the engagement says of itself (`engagement_says`): its description and scope.
    engagement_text: Vec<String>,
    /// The titles of the documents the engagement has in hand, received or reviewed
    /// (`document_in_hand`).
    documents_in_hand: Vec<String>,
    /// The engagement's assurance level (`assurance`); `None` until
    /// [`add_engagement_facts`].
    assurance: Option<crate::model::AssuranceLevel>,
}

impl<'g> PropertyNames<'g> {
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub(crate) fn insert(&mut self, name: &'g str) {
        self.names.insert(name);
    }

    /// The same facts, as if the engagement assumed, said and left out nothing: what a pack
    /// would do were it not for what the engagement states.
    pub(crate) fn without_engagement_statements(&self) -> Self {
        let mut names = self.clone();
        names.assumptions.clear();
        names.exclusions.clear();
        names.engagement_text.clear();
        names
    }
}

/// Stands in [`PropertyNames`] for "some subject has a description": a `says` test of a model
/// without any is known to fail. (A property name cannot start with a NUL character in any
/// model a person writes; if one did, a `says` test would merely not be folded.)
const DESCRIBED: &str = "\0description";

/// Stands in [`PropertyNames`] for "the engagement records a calibration" (`calibrated`).
const CALIBRATED: &str = "\0calibrated";

/// Stands in [`PropertyNames`] for "the engagement's calibration has notes"
/// (`calibration_notes`).
const CALIBRATION_NOTES: &str = "\0calibration notes";

/// Stands in [`PropertyNames`] for "the engagement records a calibration, held or not"
/// (`calibration_recorded`).
const CALIBRATION_RECORDED: &str = "\0calibration recorded";

/// Stands in [`PropertyNames`] for "the engagement's calibration has notes, held or not"
/// (`calibration_notes_recorded`).
const CALIBRATION_NOTES_RECORDED: &str = "\0calibration notes recorded";

/// What the engagement says of itself, in order: its description, then its scope's lines in
/// scope and its assumptions. `engagement_says` reads it, and an answer from the model quotes
/// it. What is out of scope is not said of the system (round 39: "card data handling, covered
/// by the processor's PCI DSS" read as a standard that applies to it).
pub(crate) fn engagement_statements(engagement: &Engagement) -> Vec<String> {
    engagement
        .description
        .iter()
        .chain(&engagement.scope.in_scope)
        .chain(&engagement.scope.assumptions)
        .cloned()
        .collect()
}

/// Adds to `names` what the engagement-level tests (`calibrated`, `calibration_notes`,
/// `calibration_recorded`, `calibration_notes_recorded`, `assumes`, `excludes`, `engagement_says`,
/// `document_in_hand`, `assurance`) read of the engagement: they are the same for every subject, so they are
/// settled when a condition is compiled. A calibration counts as `calibrated` once the business
/// stakeholders' interview is held: one recorded before it is a draft to confirm there.
pub(crate) fn add_engagement_facts(names: &mut PropertyNames<'_>, engagement: &Engagement) {
    names.assumptions.clone_from(&engagement.scope.assumptions);
    names.exclusions.clone_from(&engagement.scope.out_of_scope);
    names.assurance = Some(engagement.assurance_level);
    names.engagement_text = engagement_statements(engagement);
    names.documents_in_hand = engagement
        .documents
        .iter()
        .filter(|d| d.status != crate::model::DocumentStatus::Requested)
        .map(|d| d.title.clone())
        .collect();
    let Some(calibration) = &engagement.calibration else {
        return;
    };
    let notes = calibration
        .notes
        .as_deref()
        .is_some_and(|n| !n.trim().is_empty());
    let held = engagement
        .interviews
        .iter()
        .any(|i| i.status == InterviewStatus::Held && i.roles.contains(&Role::BusinessStakeholder));
    names.insert(CALIBRATION_RECORDED);
    if notes {
        names.insert(CALIBRATION_NOTES_RECORDED);
    }
    if held {
        names.insert(CALIBRATED);
        if notes {
            names.insert(CALIBRATION_NOTES);
        }
    }
}

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

/// The word finders of the `data_named` and `protocol_has` conditions of a bank set, by their
/// words: made once per engine, not at every generation; each builds its matcher the first
/// time it is used, so a condition no subject of the model reaches costs nothing.
pub(crate) type Finders = foldhash::HashMap<Vec<String>, std::sync::Arc<WordFinder>>;

/// The word finders of every `data_named` and `protocol_has` condition under these conditions.
pub(crate) fn finders<'c>(conditions: impl IntoIterator<Item = &'c Condition>) -> Finders {
    fn walk(condition: &Condition, out: &mut Finders) {
        if let Condition::DataNamed(words) | Condition::ProtocolHas(words) = condition
            && !out.contains_key(words)
        {
            out.insert(words.clone(), std::sync::Arc::new(WordFinder::new(words)));
        }
        for child in condition.children() {
            walk(child, out);
        }
    }
    let mut out = Finders::default();
    for condition in conditions {
        walk(condition, &mut out);
    }
    out
}

/// The `not` nodes that several templates share, found once per engine: per template (by
/// position among the conditions given), the pre-order index of each such node in its
/// compiled program and the id its result is kept under.
#[derive(Debug, Default)]
pub(crate) struct SharedNots {
    pub(crate) per_template: Vec<Vec<(u32, u32)>>,
    pub(crate) count: u32,
}

impl SharedNots {
    /// The `not` nodes that occur, the same, at least twice among these conditions.
    pub(crate) fn of<'c>(conditions: impl IntoIterator<Item = Option<&'c Condition>>) -> Self {
        let found: Vec<Vec<(u32, String)>> = conditions
            .into_iter()
            .map(|condition| {
                let mut found = Vec::new();
                let mut at = 0u32;
                if let Some(condition) = condition {
                    preorder_nodes(condition, &mut |node| {
                        if matches!(node, Condition::Not(_))
                            && let Ok(key) = serde_json::to_string(node)
                        {
                            found.push((at, key));
                        }
                        at += 1;
                    });
                }
                found
            })
            .collect();
        let mut uses: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
        for (_, key) in found.iter().flatten() {
            *uses.entry(key.as_str()).or_default() += 1;
        }
        let mut ids: foldhash::HashMap<&str, u32> = foldhash::HashMap::default();
        let mut count = 0;
        let per_template = found
            .iter()
            .map(|nodes| {
                nodes
                    .iter()
                    .filter(|(_, key)| uses[key.as_str()] > 1)
                    .map(|(at, key)| {
                        let id = *ids.entry(key.as_str()).or_insert_with(|| {
                            count += 1;
                            count - 1
                        });
                        (*at, id)
                    })
                    .collect()
            })
            .collect();
        SharedNots {
            per_template,
            count,
        }
    }
}

/// The words of a `data_named` condition, looked for in one pass over a name.
#[derive(Debug)]
pub(crate) struct WordFinder {
    /// Lower-cased.
    words: Vec<String>,
    /// Every word at once, ignoring ASCII case, built at the first search; `None` if it could
    /// not be built (then each word is looked for in turn).
    matcher: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
}

impl WordFinder {
    fn new(words: &[String]) -> WordFinder {
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        WordFinder {
            words,
            matcher: std::sync::OnceLock::new(),
        }
    }

    /// The matcher, built the first time: a contiguous NFA, which builds several times faster
    /// than a DFA (a DFA per finder was a quarter of the command line's fixed cost) and
    /// searches the short names of data items and protocols as fast.
    fn matcher(&self) -> Option<&aho_corasick::AhoCorasick> {
        self.matcher
            .get_or_init(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(&self.words)
                    .ok()
            })
            .as_ref()
    }

    /// Whether the name, lower-cased, holds one of the words at the start of a word (it may
    /// end inside one: `card` finds `cardholder`, `id token` does not find `RFID token`).
    fn finds(&self, name: &str) -> bool {
        let lowered;
        // Beyond ASCII, lower-case the whole name first (`É` and `é`).
        let name = if name.is_ascii() {
            name
        } else {
            lowered = name.to_lowercase();
            &lowered
        };
        let starts_word = |at: usize| {
            name[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        };
        if let Some(matcher) = self.matcher() {
            return matcher
                .find_overlapping_iter(name)
                .any(|m| starts_word(m.start()));
        }
        let name = name.to_ascii_lowercase();
        self.words.iter().any(|w| {
            name.match_indices(w.as_str())
                .any(|(at, _)| starts_word(at))
        })
    }
}

/// The JSON Pointer of each node of a condition within its template (`/when/all/0`), in the
/// pre-order of [`Program`]'s nodes: worked out only for the templates that apply.
pub(crate) fn condition_pointers(condition: Option<&Condition>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(condition) = condition {
        preorder(condition, "/when".to_owned(), &mut |_, pointer| {
            out.push(pointer);
        });
    }
    out
}

/// Visits the nodes of a condition in the order [`Program`] numbers them (a node, then its
/// children in order), each with its JSON Pointer within the template.
fn preorder<F: FnMut(&Condition, String)>(condition: &Condition, pointer: String, visit: &mut F) {
    let op_pointer = format!(
        "{pointer}/{}",
        escape_pointer_token(condition.operator().as_str())
    );
    visit(condition, pointer);
    match condition {
        Condition::All(items) | Condition::Any(items) => {
            for (i, c) in items.iter().enumerate() {
                preorder(c, format!("{op_pointer}/{i}"), visit);
            }
        }
        other => {
            for c in other.children() {
                preorder(c, op_pointer.clone(), visit);
            }
        }
    }
}

/// Visits the nodes of a condition in the order [`Program`] numbers them, as [`preorder`]
/// does, without working out their pointers.
fn preorder_nodes<F: FnMut(&Condition)>(condition: &Condition, visit: &mut F) {
    visit(condition);
    for c in condition.children() {
        preorder_nodes(c, visit);
    }
}

/// Whether one of the texts has a sentence with one of the phrases (`says` matching): the
/// `assumes` and `engagement_says` tests.
fn said_in(texts: &[String], phrases: &[String]) -> bool {
    let phrases = crate::bank::says::lowered(phrases);
    texts
        .iter()
        .any(|t| crate::bank::says::first_sentence(t, &phrases).is_some())
}

/// A test of the engagement, settled when it is compiled.
fn engagement_test(holds: bool) -> Op {
    if holds { Op::Always } else { Op::Never }
}

/// A condition compiled against a graph: nodes in pre-order, node 0 the root.
#[derive(Debug, Default)]
pub(crate) struct Program {
    ops: Vec<Op>,
    /// The [`Facts::traits`] bits a subject (and a flow's ends) must have for the program to
    /// hold (nothing by default): worked out by [`Program::prefilter`] from the tests every
    /// way of holding needs, so that most subjects a template is not about are turned away
    /// with a few tests.
    required: Required,
}

impl Program {
    /// Compiles a condition, building the word finders it needs.
    #[cfg(test)]
    pub(crate) fn compile(
        condition: Option<&Condition>,
        graph: &ComponentGraph,
        present: &PropertyNames<'_>,
    ) -> Program {
        Program::compile_with(condition, graph, present, &Finders::default())
    }

    /// Compiles a condition; `present` holds the names of the properties some element or flow
    /// of the model has ([`property_names`]): a test of any other is known to fail. The word
    /// finders of `data_named` tests come from `finders` (those it does not hold are built).
    pub(crate) fn compile_with(
        condition: Option<&Condition>,
        graph: &ComponentGraph,
        present: &PropertyNames<'_>,
        finders: &Finders,
    ) -> Program {
        let mut program = Program::default();
        if let Some(condition) = condition {
            program.add(condition, graph, present, finders);
        }
        program
    }

    fn add(
        &mut self,
        condition: &Condition,
        graph: &ComponentGraph,
        present: &PropertyNames<'_>,
        finders: &Finders,
    ) -> u32 {
        // Conditions are limited to `Limits::max_condition_nodes` nodes when a bank loads.
        let at = u32::try_from(self.ops.len()).unwrap_or(u32::MAX);
        // Reserve the slot so that children get later indices (pre-order).
        self.ops.push(Op::Kind(0));
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
                    .map(|c| self.add(c, graph, present, finders))
                    .collect();
                if matches!(condition, Condition::All(_)) {
                    Op::All(children)
                } else {
                    Op::Any(children)
                }
            }
            Condition::Not(c) => Op::Not(self.add(c, graph, present, finders)),
            Condition::Source(c) => Op::Source(self.add(c, graph, present, finders)),
            Condition::Target(c) => Op::Target(self.add(c, graph, present, finders)),
            Condition::Kind(list) => Op::Kind(list.0.iter().fold(0, |m, &k| m | k.bit())),
            Condition::PropertyExists(name) => Op::PropertyExists(name.clone()),
            Condition::PropertyTrue(name) => Op::PropertyTrue(name.clone()),
            Condition::PropertyEquals(p) => Op::PropertyEquals(p.name.clone(), p.value.clone()),
            Condition::PropertyIn(p) => Op::PropertyIn(p.name.clone(), p.values.clone()),
            Condition::PropertyContains(p) => Op::PropertyContains(p.name.clone(), p.value.clone()),
            Condition::Encrypted(t) => Op::Encrypted(*t),
            Condition::Authenticated(t) => Op::Authenticated(*t),
            Condition::ProtocolIn(list) => Op::ProtocolIn(list.clone()),
            Condition::ProtocolHas(words) => Op::ProtocolHas(finders.get(words).map_or_else(
                || std::sync::Arc::new(WordFinder::new(words)),
                std::sync::Arc::clone,
            )),
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
            Condition::Initiator(c) => Op::Initiator(self.add(c, graph, present, finders)),
            Condition::Responder(c) => Op::Responder(self.add(c, graph, present, finders)),
            Condition::Calls(f) => Op::Calls(kinds(f)),
            Condition::CalledBy(f) => Op::CalledBy(kinds(f)),
            Condition::Exposure(e) => Op::Exposure(*e),
            Condition::DataNamed(words) => Op::DataNamed(
                finders.get(words).map_or_else(
                    || std::sync::Arc::new(WordFinder::new(words)),
                    std::sync::Arc::clone,
                ),
                vec![std::cell::Cell::new(0); graph.flow_ixs().len()].into_boxed_slice(),
            ),
            Condition::BypassesGateway(b) => Op::BypassesGateway(*b),
            Condition::OutsideStoreAccess(b) => Op::OutsideStoreAccess(*b),
            Condition::CallersAtLeast(n) => Op::CallersAtLeast(*n),
            Condition::SignInOnly(b) => Op::SignInOnly(*b),
            Condition::StoreUnread(b) => Op::StoreUnread(*b),
            Condition::StoreUnwritten(b) => Op::StoreUnwritten(*b),
            Condition::RestrictedWithoutAudit(b) => Op::RestrictedWithoutAudit(*b),
            Condition::SkipsIdentityProvider(b) => Op::SkipsIdentityProvider(*b),
            Condition::OpenedByTarget(b) => Op::OpenedByTarget(*b),
            Condition::Deploys(b) => Op::Deploys(*b),
            Condition::EngagementSays(phrases) => {
                engagement_test(said_in(&present.engagement_text, phrases))
            }
            Condition::Assumes(phrases) => engagement_test(said_in(&present.assumptions, phrases)),
            Condition::Excludes(phrases) => engagement_test(said_in(&present.exclusions, phrases)),
            Condition::DocumentInHand(phrases) => {
                engagement_test(said_in(&present.documents_in_hand, phrases))
            }
            Condition::Says(phrases) => Op::Says(crate::bank::says::lowered(phrases)),
            Condition::ZoneSays(phrases) => Op::ZoneSays(crate::bank::says::lowered(phrases)),
            Condition::Caller(c) => Op::Peer(true, self.add(c, graph, present, finders)),
            Condition::Callee(c) => Op::Peer(false, self.add(c, graph, present, finders)),
            Condition::CalledOver(c) => Op::Over(true, self.add(c, graph, present, finders)),
            Condition::CallsOver(c) => Op::Over(false, self.add(c, graph, present, finders)),
            Condition::Calibrated(b) => engagement_test(present.contains(CALIBRATED) == *b),
            Condition::Assurance(level) => {
                engagement_test(present.assurance.is_some_and(|a| a >= *level))
            }
            Condition::CalibrationNotesRecorded(b) => {
                engagement_test(present.contains(CALIBRATION_NOTES_RECORDED) == *b)
            }
            Condition::CalibrationRecorded(b) => {
                engagement_test(present.contains(CALIBRATION_RECORDED) == *b)
            }
            Condition::CalibrationNotes(b) => {
                engagement_test(present.contains(CALIBRATION_NOTES) == *b)
            }
        };
        self.ops[at as usize] = self.fold(op, present);
        at
    }

    /// `Op::Never` for a test of a property the model does not have, and for a node that
    /// cannot hold because of such tests; the op itself otherwise.
    fn fold(&self, op: Op, present: &PropertyNames<'_>) -> Op {
        let never = |c: &u32| matches!(self.ops[*c as usize], Op::Never);
        // A negation of a settled test is settled.
        if let Op::Not(c) = &op {
            match self.ops[*c as usize] {
                Op::Never => return Op::Always,
                Op::Always => return Op::Never,
                _ => return op,
            }
        }
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

    /// The number of nodes.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ops.len()
    }

    /// Marks the shared `not` nodes (pre-order index, shared id) of this program's condition,
    /// so that their results are kept in [`Facts::share`]'s cells.
    pub(crate) fn share(&mut self, nodes: &[(u32, u32)]) {
        for &(at, id) in nodes {
            if let Some(op) = self.ops.get_mut(at as usize)
                && let Op::Not(child) = *op
            {
                *op = Op::SharedNot(id, child);
            }
        }
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

    /// Whether the program is known to hold for every subject, and without any: it tests only
    /// the engagement (an engagement-level question asked even of a model with no element).
    pub(crate) fn is_always(&self) -> bool {
        matches!(self.ops.first(), Some(Op::Always))
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
        if !self.required.met(facts, subject) {
            return false;
        }
        self.node(0, facts, subject, matched)
    }

    /// Works out the traits a subject must have for the program to hold, in the bits of
    /// `facts` (the facts [`Program::eval`] will be given).
    pub(crate) fn prefilter(&mut self, facts: &Facts<'_>) {
        self.required = if self.ops.is_empty() {
            Required::default()
        } else {
            self.required_at(0, facts)
        };
    }

    /// The traits every subject for which node `at` holds has: the union over the tests of
    /// an `all`, the intersection over the branches of an `any`, nothing for a negation or a
    /// caller; a test of a flow's end requires of that end.
    fn required_at(&self, at: u32, facts: &Facts<'_>) -> Required {
        let own = |bits: u64| Required {
            own: bits,
            ..Required::default()
        };
        let tri = |state: &TriState, yes: u64, no: u64, unknown: u64| match state {
            TriState::Yes => yes,
            TriState::No => no,
            TriState::Unknown => unknown,
        };
        let flag = |b: bool, yes: u64, no: u64| if b { yes } else { no };
        let end = |child: u32, which: usize| {
            let mut required = Required {
                own: trait_bit::HAS_ENDS,
                ..Required::default()
            };
            required.ends[which] = self.required_at(child, facts).own;
            required
        };
        match &self.ops[at as usize] {
            Op::All(children) => children.iter().fold(Required::default(), |all, &c| {
                all.and(self.required_at(c, facts))
            }),
            Op::Any(children) => children
                .iter()
                .map(|&c| self.required_at(c, facts))
                .reduce(Required::or)
                .unwrap_or_default(),
            Op::Source(c) => end(*c, 0),
            Op::Target(c) => end(*c, 1),
            Op::Initiator(c) => end(*c, 2),
            Op::Responder(c) => end(*c, 3),
            Op::Kind(mask) if mask.is_power_of_two() => {
                own(1 << (trait_bit::FIRST_KIND + mask.trailing_zeros()))
            }
            Op::PropertyExists(name)
            | Op::PropertyTrue(name)
            | Op::PropertyEquals(name, _)
            | Op::PropertyIn(name, _)
            | Op::PropertyContains(name, _)
            | Op::Compare(name, ..) => own(facts.property_bit(name)),
            Op::Says(_) => own(trait_bit::DESCRIBED),
            Op::Encrypted(state) => own(tri(
                state,
                trait_bit::ENCRYPTED,
                trait_bit::UNENCRYPTED,
                trait_bit::ENCRYPTION_UNKNOWN,
            )),
            Op::Authenticated(state) => own(tri(
                state,
                trait_bit::AUTHENTICATED,
                trait_bit::UNAUTHENTICATED,
                trait_bit::AUTHENTICATION_UNKNOWN,
            )),
            Op::Bidirectional(b) => own(flag(*b, trait_bit::BIDIRECTIONAL, trait_bit::ONE_WAY)),
            Op::OutOfScope(b) => own(flag(*b, trait_bit::OUT_OF_SCOPE, trait_bit::IN_SCOPE)),
            Op::ReachableFromUntrusted(b) => {
                own(flag(*b, trait_bit::EXPOSED, trait_bit::UNEXPOSED))
            }
            Op::Exposure(filter) => own(if matches!(filter, ExposureFilter::None) {
                trait_bit::UNEXPOSED
            } else {
                trait_bit::EXPOSED
            }),
            Op::OpenedByTarget(b) => own(flag(
                *b,
                trait_bit::OPENED_BY_TARGET,
                trait_bit::OPENED_BY_SOURCE,
            )),
            Op::BypassesGateway(true) => own(trait_bit::BYPASSES_GATEWAY),
            Op::OutsideStoreAccess(true) => own(trait_bit::OUTSIDE_STORE_ACCESS),
            Op::StoreUnread(true) => own(trait_bit::STORE_UNREAD),
            Op::StoreUnwritten(true) => own(trait_bit::STORE_UNWRITTEN),
            Op::RestrictedWithoutAudit(true) => own(trait_bit::RESTRICTED_WITHOUT_AUDIT),
            Op::SkipsIdentityProvider(true) => own(trait_bit::SKIPS_IDENTITY_PROVIDER),
            _ => Required::default(),
        }
    }

    fn node(&self, at: u32, facts: &Facts<'_>, subject: Target, matched: &mut Vec<u32>) -> bool {
        let graph = facts.graph;
        let start = matched.len();
        let leaf = match &self.ops[at as usize] {
            Op::Never => return false,
            Op::Always => true,
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
            Op::SharedNot(id, child) => {
                let cell = facts.shared_cell(*id, subject);
                match cell.map(std::cell::Cell::get) {
                    Some(1) => false,
                    Some(2) => true,
                    _ => {
                        let inner = self.node(*child, facts, subject, matched);
                        matched.truncate(start);
                        if let Some(cell) = cell {
                            cell.set(if inner { 1 } else { 2 });
                        }
                        !inner
                    }
                }
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
                // `calls_over` reads every flow the element opens: a pipeline's deployments too
                // (round 39: the deploy key was said on the deployment).
                let deployments = (!peer && !*towards).then(|| graph.deployments_by(e));
                for f in flows
                    .iter()
                    .copied()
                    .chain(deployments.into_iter().flatten())
                {
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
            Op::ZoneSays(phrases) => zone_sentence(graph, subject, phrases).is_some(),
            Op::Deploys(b) => match subject {
                Target::Element(e) => graph.is_deployer(e) == *b,
                Target::Flow(f) => {
                    graph.flow_endpoints(f).is_some() && graph.is_deployment(f) == *b
                }
            },
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
            Op::ProtocolHas(finder) => match subject {
                Target::Flow(f) => graph
                    .flow(f)
                    .protocol
                    .as_deref()
                    .is_some_and(|p| finder.finds(p)),
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
                Target::Element(e) => graph.is_in_review(e) != *b,
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
            Op::SignInOnly(b) => match subject {
                Target::Flow(f) => {
                    let data = &graph.flow(f).data;
                    let sign_in = !data.is_empty()
                        && data
                            .iter()
                            .all(|item| super::render::names_sign_in_material(&item.name));
                    sign_in == *b
                }
                Target::Element(_) => false,
            },
            Op::CallersAtLeast(n) => match subject {
                Target::Element(e) => facts.caller_count(e) >= *n,
                Target::Flow(_) => false,
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

/// What a program requires before its nodes are evaluated: trait bits of the subject and,
/// for a flow, of its source, target, initiator and responder.
#[derive(Debug, Default, Clone, Copy)]
struct Required {
    own: u64,
    ends: [u64; 4],
}

impl Required {
    /// Both requirements.
    fn and(self, other: Required) -> Required {
        Required {
            own: self.own | other.own,
            ends: std::array::from_fn(|i| self.ends[i] | other.ends[i]),
        }
    }

    /// What either requirement requires.
    fn or(self, other: Required) -> Required {
        Required {
            own: self.own & other.own,
            ends: std::array::from_fn(|i| self.ends[i] & other.ends[i]),
        }
    }

    /// Whether the subject (and its ends) have every trait required.
    fn met(&self, facts: &Facts<'_>, subject: Target) -> bool {
        if facts.traits(subject) & self.own != self.own {
            return false;
        }
        if self.ends == [0; 4] {
            return true;
        }
        // `HAS_ENDS` is in `own` whenever an end is tested: a flow with both ends.
        let Target::Flow(f) = subject else {
            return false;
        };
        let Some((source, target)) = facts.graph.flow_endpoints(f) else {
            return false;
        };
        let (initiator, responder) = facts.graph.opener_and_responder(f);
        [source, target, initiator, responder]
            .iter()
            .zip(self.ends)
            .all(|(&e, bits)| facts.traits(Target::Element(e)) & bits == bits)
    }
}

/// Facts about the elements derived once per generation, so that every test is O(1).
#[derive(Debug)]
pub(crate) struct Facts<'g> {
    pub(crate) graph: &'g ComponentGraph,
    /// Per subject (elements, then flows), the [`trait_bit`]s it has: what
    /// [`Program::prefilter`] tests first.
    traits: Vec<u64>,
    /// The bit of each property name given one (the first names met, while bits last).
    property_bits: foldhash::HashMap<&'g str, u64>,
    /// Per shared `not` ([`SharedNots`]), per subject (elements, then flows): 0 not worked
    /// out yet, 1 it fails, 2 it holds.
    shared: Vec<Box<[std::cell::Cell<u8>]>>,
    incoming_kinds: Vec<u8>,
    outgoing_kinds: Vec<u8>,
    highest_classification: Vec<Option<Classification>>,
    calls_kinds: Vec<u8>,
    called_by_kinds: Vec<u8>,
    /// How many distinct components open connections to each element over in-scope flows,
    /// worked out the first time a condition asks (`callers_at_least`).
    caller_counts: std::cell::OnceCell<Vec<u32>>,
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
            // A deployment is not a call (`ComponentGraph::is_deployment`).
            if !graph.is_deployment(f) {
                let (opener, responder) = graph.opener_and_responder(f);
                calls_kinds[opener.index()] |= element_bit(graph.element(responder).kind);
                called_by_kinds[responder.index()] |= element_bit(graph.element(opener).kind);
            }
            let class = flow.highest_classification();
            for end in [s, t] {
                highest_classification[end.index()] =
                    highest_classification[end.index()].max(class);
            }
        }
        let mut property_bits = foldhash::HashMap::default();
        let model = graph.model();
        let mut traits = Vec::with_capacity(model.elements.len() + model.flows.len());
        let oddities = graph.oddities();
        let flag = |b: bool, bit: u64| if b { bit } else { 0 };
        for e in graph.element_ixs() {
            let element = graph.element(e);
            let store = element.kind == ElementKind::DataStore;
            let mut bits = exposure_bit(graph.exposure(e))
                | kind_trait(element_bit(element.kind))
                | scope_bit(!graph.is_in_review(e))
                | flag(element.description.is_some(), trait_bit::DESCRIBED)
                | flag(store && oddities.unread(e), trait_bit::STORE_UNREAD)
                | flag(store && oddities.unwritten(e), trait_bit::STORE_UNWRITTEN)
                | flag(
                    oddities.unaudited(e).is_some(),
                    trait_bit::RESTRICTED_WITHOUT_AUDIT,
                )
                | flag(
                    oddities.skipped_identity_provider(e).is_some(),
                    trait_bit::SKIPS_IDENTITY_PROVIDER,
                );
            bits |= property_traits(&element.properties, &mut property_bits);
            traits.push(bits);
        }
        for f in graph.flow_ixs() {
            let flow = graph.flow(f);
            let mut bits = exposure_bit(graph.flow_exposure(f))
                | kind_trait(SubjectKind::DataFlow.bit())
                | scope_bit(flow.out_of_scope)
                | flag(flow.description.is_some(), trait_bit::DESCRIBED)
                | flag(oddities.bypass(f).is_some(), trait_bit::BYPASSES_GATEWAY)
                | flag(
                    oddities.outside_access(f).is_some(),
                    trait_bit::OUTSIDE_STORE_ACCESS,
                );
            if graph.flow_endpoints(f).is_some() {
                bits |= trait_bit::HAS_ENDS
                    | if graph.opened_by_target(f) {
                        trait_bit::OPENED_BY_TARGET
                    } else {
                        trait_bit::OPENED_BY_SOURCE
                    };
            }
            bits |= match flow.encrypted {
                Some(true) => trait_bit::ENCRYPTED,
                Some(false) => trait_bit::UNENCRYPTED,
                None => trait_bit::ENCRYPTION_UNKNOWN,
            };
            bits |= match flow.authenticated {
                Some(true) => trait_bit::AUTHENTICATED,
                Some(false) => trait_bit::UNAUTHENTICATED,
                None => trait_bit::AUTHENTICATION_UNKNOWN,
            };
            bits |= if flow.bidirectional {
                trait_bit::BIDIRECTIONAL
            } else {
                trait_bit::ONE_WAY
            };
            bits |= property_traits(&flow.properties, &mut property_bits);
            traits.push(bits);
        }
        Facts {
            graph,
            traits,
            property_bits,
            shared: Vec::new(),
            incoming_kinds,
            outgoing_kinds,
            highest_classification,
            calls_kinds,
            called_by_kinds,
            caller_counts: std::cell::OnceCell::new(),
        }
    }

    /// How many distinct components (processes, data stores and outside systems; people,
    /// `human: true`, are not counted) open connections to `e` over in-scope flows
    /// (deployments are not connections).
    fn caller_count(&self, e: ElementIx) -> u32 {
        let counts = self.caller_counts.get_or_init(|| {
            let graph = self.graph;
            let mut pairs: Vec<(usize, usize)> = graph
                .flow_ixs()
                .filter(|&f| {
                    !graph.flow(f).out_of_scope
                        && graph.flow_endpoints(f).is_some()
                        && !graph.is_deployment(f)
                })
                .map(|f| {
                    let (opener, responder) = graph.opener_and_responder(f);
                    (responder.index(), opener.index())
                })
                .filter(|&(responder, opener)| {
                    responder != opener && !graph.is_person(ElementIx::at(opener))
                })
                .collect();
            pairs.sort_unstable();
            pairs.dedup();
            let mut counts = vec![0u32; graph.model().elements.len()];
            for (responder, _) in pairs {
                counts[responder] += 1;
            }
            counts
        });
        counts.get(e.index()).copied().unwrap_or(0)
    }

    /// Makes room for the results of `count` shared `not` nodes.
    pub(crate) fn share(&mut self, count: u32) {
        let subjects = self.traits.len();
        self.shared = (0..count)
            .map(|_| vec![std::cell::Cell::new(0); subjects].into_boxed_slice())
            .collect();
    }

    /// The cell of a shared `not`'s result for a subject, if room was made for it.
    fn shared_cell(&self, id: u32, subject: Target) -> Option<&std::cell::Cell<u8>> {
        let slot = match subject {
            Target::Element(e) => e.index(),
            Target::Flow(f) => self.incoming_kinds.len() + f.index(),
        };
        self.shared.get(id as usize)?.get(slot)
    }

    /// The [`trait_bit`]s of a subject.
    fn traits(&self, subject: Target) -> u64 {
        let slot = match subject {
            Target::Element(e) => e.index(),
            Target::Flow(f) => self.incoming_kinds.len() + f.index(),
        };
        self.traits.get(slot).copied().unwrap_or(0)
    }

    /// The trait bit of a property name; 0 for a name given none.
    fn property_bit(&self, name: &str) -> u64 {
        self.property_bits.get(name).copied().unwrap_or(0)
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

/// What [`Facts`] records of each subject in one word, tested before a program's nodes.
mod trait_bit {
    pub(super) const DESCRIBED: u64 = 1;
    pub(super) const ENCRYPTED: u64 = 1 << 1;
    pub(super) const UNENCRYPTED: u64 = 1 << 2;
    pub(super) const ENCRYPTION_UNKNOWN: u64 = 1 << 3;
    pub(super) const AUTHENTICATED: u64 = 1 << 4;
    pub(super) const UNAUTHENTICATED: u64 = 1 << 5;
    pub(super) const AUTHENTICATION_UNKNOWN: u64 = 1 << 6;
    pub(super) const BIDIRECTIONAL: u64 = 1 << 7;
    pub(super) const ONE_WAY: u64 = 1 << 8;
    pub(super) const EXPOSED: u64 = 1 << 9;
    pub(super) const UNEXPOSED: u64 = 1 << 10;
    pub(super) const IN_SCOPE: u64 = 1 << 11;
    pub(super) const OUT_OF_SCOPE: u64 = 1 << 12;
    /// A flow whose two ends are in the model.
    pub(super) const HAS_ENDS: u64 = 1 << 13;
    pub(super) const OPENED_BY_TARGET: u64 = 1 << 14;
    pub(super) const OPENED_BY_SOURCE: u64 = 1 << 15;
    pub(super) const BYPASSES_GATEWAY: u64 = 1 << 16;
    pub(super) const OUTSIDE_STORE_ACCESS: u64 = 1 << 17;
    pub(super) const STORE_UNREAD: u64 = 1 << 18;
    pub(super) const STORE_UNWRITTEN: u64 = 1 << 19;
    pub(super) const RESTRICTED_WITHOUT_AUDIT: u64 = 1 << 20;
    pub(super) const SKIPS_IDENTITY_PROVIDER: u64 = 1 << 21;
    /// The kind's bit ([`SubjectKind::bit`](crate::model::SubjectKind::bit)) shifted here.
    pub(super) const FIRST_KIND: u32 = 22;
    /// The first bit given to a property name; the ones above it go to the names met first.
    pub(super) const FIRST_PROPERTY: u32 = 26;
}

fn kind_trait(kind_bit: u8) -> u64 {
    u64::from(kind_bit) << trait_bit::FIRST_KIND
}

fn scope_bit(out_of_scope: bool) -> u64 {
    if out_of_scope {
        trait_bit::OUT_OF_SCOPE
    } else {
        trait_bit::IN_SCOPE
    }
}

fn exposure_bit(exposure: Exposure) -> u64 {
    if exposure.is_exposed() {
        trait_bit::EXPOSED
    } else {
        trait_bit::UNEXPOSED
    }
}

/// The bits of the properties a subject has, giving a bit to each name met for the first
/// time while bits last.
fn property_traits<'g>(
    properties: &'g Properties,
    bits: &mut foldhash::HashMap<&'g str, u64>,
) -> u64 {
    let mut traits = 0;
    for name in properties.keys() {
        let next = u32::try_from(bits.len())
            .ok()
            .and_then(|n| n.checked_add(trait_bit::FIRST_PROPERTY))
            .filter(|&n| n < u64::BITS);
        let bit = match bits.get(name.as_str()) {
            Some(&bit) => bit,
            None => match next {
                Some(n) => {
                    bits.insert(name.as_str(), 1 << n);
                    1 << n
                }
                None => 0,
            },
        };
        traits |= bit;
    }
    traits
}

/// The first sentence with one of the phrases in the descriptions of the boundaries around a
/// subject (around either end of a flow), innermost first, with the boundary's name.
pub(crate) fn zone_sentence<'g>(
    graph: &'g ComponentGraph,
    subject: Target,
    phrases: &[String],
) -> Option<(&'g str, &'g str)> {
    let ends = match subject {
        Target::Element(e) => [Some(e), None],
        Target::Flow(f) => graph
            .flow_endpoints(f)
            .map_or([None, None], |(a, b)| [Some(a), Some(b)]),
    };
    ends.into_iter().flatten().find_map(|e| {
        graph.boundary_path(e).into_iter().rev().find_map(|b| {
            let boundary = graph.boundary(b);
            let description = boundary.description.as_deref()?;
            crate::bank::says::first_sentence(description, phrases)
                .map(|sentence| (boundary.name.as_str(), sentence))
        })
    })
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
        assert!(finder.finds("HOLDER name"));
        assert!(!finder.finds("Card"));
        // A word starts a word of the name, and may end inside one.
        assert!(!finder.finds("CARDHOLDER data"));
        assert!(!finder.finds("SPANNER"));
        assert!(finder.finds("PANs kept"));
        let id_token = WordFinder::new(&["id token".to_owned()]);
        assert!(id_token.finds("ID token"));
        assert!(!id_token.finds("RFID token UID"));
        // Beyond ASCII, the name is lower-cased as a whole.
        assert!(finder.finds("DONNÉES DE SANTÉ"));
        assert!(!finder.finds("Gesundheit"));
    }
}
