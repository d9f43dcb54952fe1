//! Generation: the questions a bank asks about an engagement, in interview order.
//!
//! An [`Engine`] is built once from banks and reused. [`Engine::generate`] takes an engagement
//! known to be valid ([`Checked`]) and walks its component graph
//! ([`ComponentGraph::walk`]): engagement-level templates first (those routed to business
//! stakeholders before the others), then, for each element and flow as the walk reaches it,
//! every template in use that applies to it, in bank order. Elements and flows reachable from
//! no external interactor come last and are flagged ([`Questions::unreachable`], and a note in
//! each of their questions' rationale). Subjects marked out of scope get no question.
//!
//! The result, [`Questions`], is owned (it shares the banks and a copy of the model, so it
//! outlives the engagement), indexable, and compact: each question holds indices into the
//! banks and the model, and its text is rendered when read. Every question has a stable id
//! (`<template-id>@<subject-id>`, or the template id alone at engagement level; `%` and `@`
//! inside either part are escaped as `%25` and `%40`, so that two questions never share an
//! id). [`Questions::merge_into`] folds them into an engagement without touching recorded
//! answers.
//!
//! ```
//! use threat_interview::engine::Engine;
//! use threat_interview::{AssuranceLevel, Element, ElementKind, Engagement, Flow};
//!
//! let mut engagement = Engagement::new("e1", "Shop", AssuranceLevel::Fast);
//! engagement.scope.out_of_scope.push("the mobile app".into());
//! engagement.model.elements = vec![
//!     Element::new("customer", "Customer", ElementKind::ExternalInteractor),
//!     Element::new("web", "Web shop", ElementKind::Process),
//! ];
//! engagement.model.flows = vec![Flow::new("f1", "browse", "customer", "web")];
//! let engine = Engine::builtin();
//! let questions = engine.generate(engagement.check()?);
//! let first = questions.get(0).unwrap();
//! assert!(!first.text().is_empty());
//! let report = questions.merge_into(&mut engagement);
//! assert_eq!(report.added.len(), engagement.questions.len());
//! # Ok::<(), threat_interview::Report>(())
//! ```

mod eval;
mod merge;
mod render;

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

pub use merge::{MergeReport, is_answered};

use crate::bank::{BankSet, BankTemplate, Condition, CoverRelation, GroupKey, Template};
use crate::graph::{ComponentGraph, ElementIx, FlowIx, WalkItem};
use crate::model::{
    Answer, AnswerChannel, Classification, CoveredPair, ElementKind, Engagement, PropertyValue,
    Provenance, Question, QuestionStatus, Role, Stride, SubjectKind,
};
use crate::validate::Checked;

use eval::{Facts, Program, Target};
use render::{Renderer, SubjectTexts};

/// What a generated question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    /// The engagement as a whole.
    Engagement,
    /// An element of the model.
    Element(ElementIx),
    /// A flow of the model.
    Flow(FlowIx),
}

/// One generated question, compact: its template, subjects and matched nodes are indices; its
/// text is rendered when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Item {
    template: u32,
    /// The range of its subjects in `Questions::subjects`.
    subjects_start: u32,
    subjects_len: u32,
    /// The range of its matched condition nodes in `Questions::matched`.
    matched_start: u32,
    matched_len: u32,
    reachable: bool,
    /// The model answers it (`answered_when`, `weakness_when`): generated answered, on no
    /// agenda.
    answered: bool,
    /// What answers it is a possible weakness (`weakness_when`).
    weakness: bool,
    /// The short question that follows a stated weakness up with its owner (see
    /// [`GeneratedQuestion::checks_stated_weakness`]): open, its template's and subject's.
    check: bool,
    /// For a grouped question, 1 + the index of its group key in `Questions::group_keys`.
    group: u32,
    /// For a grouped question, which question of its group (1 for the first).
    chunk: u32,
}

/// A question engine: banks layered once, reused for every engagement.
#[derive(Debug, Clone)]
pub struct Engine {
    banks: Arc<BankSet>,
    /// The word finders of the banks' `data_named` tests, built once.
    finders: Arc<eval::Finders>,
    /// The `not` nodes several templates share, evaluated once per subject.
    shared: Arc<eval::SharedNots>,
}

/// Appends `n` in decimal: many ids carry a chunk number, and `write!` costs several times
/// more.
fn push_decimal(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        // A digit: `n % 10` is below 10.
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// A question before layout: one subject, the template, its matched nodes.
#[derive(Debug, Clone, Copy)]
struct Fired {
    template: u32,
    matched_start: u32,
    matched_len: u32,
    /// Its template's `answered_when` or `weakness_when` holds: the model answers it.
    answered: bool,
    /// Its template's `weakness_when` holds: what answers it is a possible weakness.
    weakness: bool,
}

/// Drops, from the questions of each end of a flow, the templates that a question asked of
/// the flow supersedes there (`across`, by template: the end and the template it drops), and
/// compacts `evaluated` and its `offsets` (one per element, then one per flow, then the end).
fn supersede_across(
    graph: &ComponentGraph,
    across: &[Vec<(CoverRelation, u32)>],
    evaluated: &mut Vec<Fired>,
    offsets: &mut Vec<usize>,
) {
    let n_elements = graph.model().elements.len();
    let mut dropped: Vec<(usize, u32)> = Vec::new();
    for f in graph.flow_ixs() {
        let (Some(&from), Some(&to)) = (
            offsets.get(n_elements + f.index()),
            offsets.get(n_elements + f.index() + 1),
        ) else {
            continue;
        };
        let fired = &evaluated[from..to];
        if graph.flow_endpoints(f).is_none()
            || fired.iter().all(|x| across[x.template as usize].is_empty())
        {
            continue;
        }
        let (opener, responder) = graph.opener_and_responder(f);
        for fired in fired {
            for &(relation, template) in &across[fired.template as usize] {
                let end = if relation == CoverRelation::Initiator {
                    opener
                } else {
                    responder
                };
                dropped.push((end.index(), template));
            }
        }
    }
    if dropped.is_empty() {
        return;
    }
    dropped.sort_unstable();
    dropped.dedup();
    let mut kept = Vec::with_capacity(evaluated.len());
    let mut compacted = Vec::with_capacity(offsets.len());
    for slot in 0..offsets.len().saturating_sub(1) {
        compacted.push(kept.len());
        for fired in &evaluated[offsets[slot]..offsets[slot + 1]] {
            if slot < n_elements && dropped.binary_search(&(slot, fired.template)).is_ok() {
                continue;
            }
            kept.push(*fired);
        }
    }
    compacted.push(kept.len());
    *evaluated = kept;
    *offsets = compacted;
}

impl Engine {
    /// An engine asking the questions of these banks.
    pub fn new(banks: BankSet) -> Engine {
        let finders = eval::finders(
            banks
                .all_templates()
                .iter()
                .filter_map(|t| t.template.when.as_ref())
                .chain(banks.packs().iter().map(|p| &p.enabled_by)),
        );
        let shared = eval::SharedNots::of(
            banks
                .all_templates()
                .iter()
                .map(|t| t.template.when.as_ref()),
        );
        Engine {
            banks: Arc::new(banks),
            finders: Arc::new(finders),
            shared: Arc::new(shared),
        }
    }

    /// An engine asking the built-in bank's questions.
    pub fn builtin() -> Engine {
        Engine::new(BankSet::builtin())
    }

    /// The banks it asks from.
    pub fn banks(&self) -> &BankSet {
        &self.banks
    }

    /// The questions the banks ask about an engagement, in interview order.
    pub fn generate(&self, engagement: Checked<'_>) -> Questions {
        let graph = match ComponentGraph::from_shared(engagement.model.share()) {
            Ok(graph) => Arc::new(graph),
            // Validation refuses models too large for a graph; stay total anyway.
            Err(_) => return self.empty(&engagement, Arc::new(ComponentGraph::empty())),
        };
        self.generate_on(&engagement, &graph)
    }

    fn empty(&self, engagement: &Engagement, graph: Arc<ComponentGraph>) -> Questions {
        Questions {
            graph,
            banks: Arc::clone(&self.banks),
            engagement_name: engagement.name.clone(),
            system: engagement
                .system
                .clone()
                .unwrap_or_else(|| "the system".to_owned()),
            roles: Vec::new(),
            items: Vec::new(),
            subjects: Vec::new(),
            matched: Vec::new(),
            pointers: Vec::new(),
            group_keys: Vec::new(),
            unreachable: Vec::new(),
            packs: Vec::new(),
            unknown_packs: Vec::new(),
            evidence: Vec::new(),
            answered_by: Vec::new(),
            also_quoted: Vec::new(),
            statements: eval::engagement_statements(engagement),
            assumptions: engagement.scope.assumptions.len(),
        }
    }

    fn generate_on(&self, engagement: &Engagement, graph: &Arc<ComponentGraph>) -> Questions {
        let templates = self.banks.all_templates();
        let roles = route(engagement, templates);
        let mut present = eval::property_names(graph);
        eval::add_engagement_facts(&mut present, engagement);
        let mut programs: Vec<Program> = templates
            .iter()
            .map(|t| {
                Program::compile_with(t.template.when.as_ref(), graph, &present, &self.finders)
            })
            .collect();
        // The templates each template supersedes, by index.
        let superseded: Vec<Vec<u32>> = templates
            .iter()
            .map(|t| {
                t.template
                    .supersedes
                    .iter()
                    .filter_map(|id| self.banks.position(id))
                    .filter_map(|i| u32::try_from(i).ok())
                    .collect()
            })
            .collect();
        // What a flow template's question settles on an end of the flow (`covers` with
        // `initiator` or `responder`) it also supersedes there: the templates of that end it
        // lists in `supersedes`, in the categories it covers, are not asked of that element.
        let across: Vec<Vec<(CoverRelation, u32)>> = templates
            .iter()
            .zip(&superseded)
            .map(|(t, dropped)| {
                let t = &t.template;
                if !t.applies_to_kind(SubjectKind::DataFlow) {
                    return Vec::new();
                }
                t.covers
                    .iter()
                    .filter(|c| {
                        matches!(
                            c.relation,
                            CoverRelation::Initiator | CoverRelation::Responder
                        )
                    })
                    .flat_map(|c| {
                        dropped
                            .iter()
                            .filter(|&&d| {
                                let other = &templates[d as usize].template;
                                !other.applies_to_kind(SubjectKind::DataFlow)
                                    && other.category.is_some_and(|k| c.categories.contains(&k))
                            })
                            .map(move |&d| (c.relation, d))
                    })
                    .collect()
            })
            .collect();
        let mut facts = Facts::new(graph);
        facts.share(self.shared.count);
        for (i, program) in programs.iter_mut().enumerate() {
            if let Some(nodes) = self.shared.per_template.get(i) {
                program.share(nodes);
            }
            program.prefilter(&facts);
        }
        // Where the model answers a question (`answered_when`), and where what it says is a
        // possible weakness (`weakness_when`), by template index.
        let compile_each =
            |condition: fn(&Template) -> Option<&Condition>| -> Vec<Option<Program>> {
                templates
                    .iter()
                    .map(|t| {
                        condition(&t.template).map(|c| {
                            let mut program =
                                Program::compile_with(Some(c), graph, &present, &self.finders);
                            program.prefilter(&facts);
                            program
                        })
                    })
                    .collect()
            };
        let answered = compile_each(|t| t.answered_when.as_ref());
        let weakness = compile_each(|t| t.weakness_when.as_ref());
        let packs = self.pack_uses(engagement, graph, &facts, &present);
        let mut by_kind: [Vec<u32>; 4] = Default::default();
        let mut engagement_level = Vec::new();
        for (i, t) in templates.iter().enumerate() {
            // Fewer than 2^32 templates: a bank that large could not be read within the limits.
            let Ok(i) = u32::try_from(i) else { break };
            if t.disabled || t.pack.is_some_and(|p| !packs[p].active) {
                continue;
            }
            // A template whose condition can hold for no subject of this model is not
            // evaluated at all.
            if programs[i as usize].is_never() {
                continue;
            }
            if t.template.is_engagement_level() {
                engagement_level.push(i);
            }
            for kind in SubjectKind::ALL {
                if t.template.applies_to_kind(kind) {
                    by_kind[kind.index()].push(i);
                }
            }
        }
        // Openers first, then business stakeholders' questions; the sort is stable, so bank
        // order holds within each group.
        engagement_level.sort_by_key(|&i| {
            (
                !templates[i as usize].template.opener,
                roles[i as usize] != Role::BusinessStakeholder,
            )
        });

        let mut out = self.empty(engagement, Arc::clone(graph));
        out.roles = roles;
        out.unknown_packs = engagement
            .packs
            .enable
            .iter()
            .chain(&engagement.packs.disable)
            .filter(|id| !packs.iter().any(|p| &p.id == *id))
            .cloned()
            .collect();
        out.packs = packs;
        let model = graph.model();
        let in_scope = |target: Target| match target {
            Target::Element(e) => graph.is_in_review(e),
            Target::Flow(f) => !graph.flow(f).out_of_scope,
        };
        let mut scratch = Vec::new();
        let all_targets = || {
            graph
                .element_ixs()
                .map(Target::Element)
                .chain(graph.flow_ixs().map(Target::Flow))
        };
        // An engagement-level condition holds when some subject in scope satisfies it; a
        // template that lists its evidence (`{matching}`) keeps every such subject.
        let mut fired_at_engagement: Vec<(u32, Vec<u32>, Vec<Target>)> = Vec::new();
        for &i in &engagement_level {
            let program = &programs[i as usize];
            let mut evidence = Vec::new();
            let mut matched = Vec::new();
            let fired = if program.is_empty() || program.is_always() {
                true
            } else if templates[i as usize].lists_matching {
                let kinds = program.kinds();
                for t in all_targets().filter(|&t| in_scope(t) && facts.kind_bit(t) & kinds != 0) {
                    scratch.clear();
                    if program.eval(&facts, t, &mut scratch) {
                        if evidence.is_empty() {
                            matched.clone_from(&scratch);
                        }
                        evidence.push(t);
                    }
                }
                !evidence.is_empty()
            } else {
                let kinds = program.kinds();
                let fired = all_targets()
                    .filter(|&t| in_scope(t) && facts.kind_bit(t) & kinds != 0)
                    .any(|t| {
                        scratch.clear();
                        program.eval(&facts, t, &mut scratch)
                    });
                matched.clone_from(&scratch);
                fired
            };
            if fired {
                fired_at_engagement.push((i, matched, evidence));
            }
        }
        // Only the most specific of a family is asked, at engagement level too.
        let dropped: Vec<u32> = fired_at_engagement
            .iter()
            .flat_map(|(i, ..)| superseded[*i as usize].iter().copied())
            .collect();
        for (i, matched, evidence) in fired_at_engagement {
            if dropped.contains(&i) {
                continue;
            }
            if !evidence.is_empty() {
                out.evidence
                    .push((u32::try_from(out.items.len()).unwrap_or(u32::MAX), evidence));
            }
            out.push(i, &[Subject::Engagement], &matched, true, 0, 0);
        }
        // Evaluate in model order, the order in which the model lies in memory, then lay the
        // questions out in walk order: evaluating in walk order jumps around a large model and
        // made the cost per element grow with the model's size.
        let n_elements = model.elements.len();
        let mut offsets: Vec<usize> = Vec::with_capacity(n_elements + model.flows.len() + 1);
        let mut evaluated: Vec<Fired> = Vec::new();
        let mut matched: Vec<u32> = Vec::new();
        for target in all_targets() {
            offsets.push(evaluated.len());
            let kind = match target {
                Target::Element(e) => SubjectKind::from(graph.element(e).kind),
                Target::Flow(_) => SubjectKind::DataFlow,
            };
            if !in_scope(target) {
                continue;
            }
            let first = evaluated.len();
            for &i in &by_kind[kind.index()] {
                scratch.clear();
                if !programs[i as usize].eval(&facts, target, &mut scratch) {
                    continue;
                }
                let start = u32::try_from(matched.len()).unwrap_or(u32::MAX);
                matched.extend_from_slice(&scratch);
                let len = u32::try_from(scratch.len()).unwrap_or(u32::MAX);
                evaluated.push(Fired {
                    template: i,
                    matched_start: start,
                    matched_len: len,
                    answered: false,
                    weakness: false,
                });
            }
            // Only the most specific of a family is asked: drop what a fired template
            // supersedes.
            let fired = &evaluated[first..];
            if fired
                .iter()
                .any(|f| !superseded[f.template as usize].is_empty())
            {
                let dropped: Vec<u32> = fired
                    .iter()
                    .flat_map(|f| superseded[f.template as usize].iter().copied())
                    .collect();
                // A template that is itself superseded still drops its own family's members,
                // but not another category's: the question that covered that category is not
                // asked, so that category's own question is (a physical-access question that
                // settles a flow's disclosure, superseded by a quoted statement about replay).
                let category = |t: u32| templates[t as usize].template.category;
                let drops = |f: &Fired, victim: u32| {
                    superseded[f.template as usize].contains(&victim)
                        && (category(f.template) == category(victim)
                            || !dropped.contains(&f.template))
                };
                // Most subjects have no superseded template that supersedes in turn.
                let chained = fired.iter().any(|f| {
                    !superseded[f.template as usize].is_empty() && dropped.contains(&f.template)
                });
                let mut kept: Vec<Fired> = fired
                    .iter()
                    .filter(|v| {
                        if chained {
                            !fired.iter().any(|f| drops(f, v.template))
                        } else {
                            !dropped.contains(&v.template)
                        }
                    })
                    .copied()
                    .collect();
                evaluated.truncate(first);
                evaluated.append(&mut kept);
            }
            // What the model answers is generated answered, after superseding: the family's
            // concern is answered, so its generic member is not asked instead.
            for fired in &mut evaluated[first..] {
                if let Some(program) = &weakness[fired.template as usize] {
                    scratch.clear();
                    fired.weakness = program.eval(&facts, target, &mut scratch);
                    fired.answered = fired.weakness;
                }
                if !fired.answered
                    && let Some(program) = &answered[fired.template as usize]
                {
                    scratch.clear();
                    fired.answered = program.eval(&facts, target, &mut scratch);
                }
            }
        }
        offsets.push(evaluated.len());
        supersede_across(graph, &across, &mut evaluated, &mut offsets);

        let answerers = Answerers::of(engagement, graph);
        let from_pack = if answerers.roles.is_empty() {
            Vec::new()
        } else {
            from_pack(&self.banks)
        };
        // Lay out in walk order; a grouped template's subjects gather at the place of the
        // first of them.
        let mut slots: Vec<Slot> = Vec::new();
        let mut groups: Vec<Gathered> = Vec::new();
        // The weaknesses the model states that a question already follows up, by statement:
        // one sentence that answers several templates is followed up once.
        let mut followed_up: HashSet<String> = HashSet::new();
        // The sentences questions quote (by where they lie in memory: a sentence is a slice
        // of one description), with the question that quotes each: one sentence is quoted
        // once. A stated weakness whose every sentence a question quotes is not followed up
        // (round 95: a code check without an attempt limit answered the patients' question on
        // guessing, and was already asked about as a guessable code).
        let mut quoted: foldhash::HashMap<usize, u32> = foldhash::HashMap::default();
        // Per template, its groups by key; keys are built in one reused buffer and copied only
        // when a group is new.
        let mut group_index: Vec<foldhash::HashMap<String, usize>> =
            vec![foldhash::HashMap::default(); templates.len()];
        let mut key = String::new();
        for step in graph.walk() {
            let (slot, subject, target) = match step.item {
                WalkItem::Element(e) => (e.index(), Subject::Element(e), Target::Element(e)),
                WalkItem::Flow(f) => (n_elements + f.index(), Subject::Flow(f), Target::Flow(f)),
            };
            let (Some(&from), Some(&to)) = (offsets.get(slot), offsets.get(slot + 1)) else {
                continue;
            };
            if in_scope(target) && !step.reachable {
                out.unreachable.push(subject);
            }
            for fired in &evaluated[from..to] {
                let entry = &templates[fired.template as usize].template;
                // An answered question stands alone: the others of its group are asked.
                let Some(group) = entry.group.as_ref().filter(|_| !fired.answered) else {
                    slots.push(Slot::Single(subject, *fired, step.reachable));
                    continue;
                };
                key.clear();
                group_key(graph, &group.by, target, &mut key);
                // Subjects another role answers for are asked apart (a pack's questions keep
                // their routing, see `Answerers::route`).
                if let Some(r) = answerers.role_of(graph, target, entry)
                    && !from_pack
                        .get(fired.template as usize)
                        .copied()
                        .unwrap_or(false)
                {
                    if !key.is_empty() {
                        key.push(',');
                    }
                    key.push_str("for=");
                    key.push_str(answerers.roles[r].as_str());
                }
                // In a group across the model, subjects reachable from no interactor join the
                // others: the walk meets every reachable subject first, so the group is laid
                // out where its first reachable subject is, and last only when it has no other
                // (round 49: a worker that only pulls from partners was asked each
                // cluster-wide question a second time, alone). Groups keyed on a neighbour
                // keep them apart, asked last.
                if !step.reachable && !group.by.is_empty() {
                    key.push_str(if key.is_empty() {
                        "unreachable"
                    } else {
                        ",unreachable"
                    });
                }
                if key.is_empty() {
                    key.push_str("all");
                }
                let index = &mut group_index[fired.template as usize];
                let at = if let Some(&at) = index.get(key.as_str()) {
                    at
                } else {
                    slots.push(Slot::Group(groups.len()));
                    groups.push(Gathered {
                        template: fired.template,
                        key: key.clone(),
                        subjects: Vec::new(),
                        first: *fired,
                        reachable: step.reachable,
                    });
                    index.insert(key.clone(), groups.len() - 1);
                    groups.len() - 1
                };
                groups[at].subjects.push(subject);
            }
        }
        let stated: HashSet<usize> = slots
            .iter()
            .filter_map(|slot| match slot {
                Slot::Single(subject, fired, _) if !fired.answered => {
                    quoted_sentence(graph, &templates[fired.template as usize], *subject)
                }
                _ => None,
            })
            .map(|sentence| sentence.as_ptr() as usize)
            .collect();
        for slot in slots {
            match slot {
                Slot::Single(subject, fired, reachable) => {
                    // A sentence another question about the subject already quotes is not
                    // quoted a second time (round 95: a shared login without a second factor
                    // asked twice, as a weak sign-in and as shared access): that question
                    // covers this one's category too.
                    if !fired.answered
                        && let Some(sentence) =
                            quoted_sentence(graph, &templates[fired.template as usize], subject)
                    {
                        let next = u32::try_from(out.items.len()).unwrap_or(u32::MAX);
                        let first = *quoted.entry(sentence.as_ptr() as usize).or_insert(next);
                        if first != next {
                            if let Some(category) =
                                templates[fired.template as usize].template.category
                            {
                                out.also_quoted.push((first, category));
                            }
                            continue;
                        }
                    }
                    let nodes = &matched[fired.matched_start as usize
                        ..(fired.matched_start + fired.matched_len) as usize];
                    out.push(fired.template, &[subject], nodes, reachable, 0, 0);
                    if fired.answered
                        && let Some(item) = out.items.last_mut()
                    {
                        item.answered = true;
                        item.weakness = fired.weakness;
                    }
                    // A stated weakness is answered, recorded as a hint, and followed up with
                    // its owner by one short question of its own.
                    if fired.weakness
                        && let Some(at) = out.items.len().checked_sub(1)
                        && let Some(answered) = out.get(at)
                        && !answered.answer_quotes().iter().all(|(_, quote)| {
                            matches!(quote, Cow::Borrowed(s) if stated.contains(&(s.as_ptr() as usize)))
                        })
                        && let Some(statement) = answered.stated_weakness()
                        && followed_up.insert(statement)
                    {
                        let mut check = out.items[at];
                        check.answered = false;
                        check.check = true;
                        out.items.push(check);
                    }
                }
                Slot::Group(g) => {
                    let gathered = &groups[g];
                    let max = templates[gathered.template as usize]
                        .template
                        .group
                        .as_ref()
                        .map_or(6, |g| g.max.max(1) as usize);
                    let nodes = &matched[gathered.first.matched_start as usize
                        ..(gathered.first.matched_start + gathered.first.matched_len) as usize];
                    let key = u32::try_from(out.group_keys.len() + 1).unwrap_or(u32::MAX);
                    // Kept escaped: the key is only ever read as part of an id.
                    out.group_keys
                        .push(escape_id_part(&gathered.key).into_owned());
                    for (chunk, subjects) in gathered.subjects.chunks(max).enumerate() {
                        let chunk = u32::try_from(chunk + 1).unwrap_or(u32::MAX);
                        out.push(
                            gathered.template,
                            subjects,
                            nodes,
                            gathered.reachable,
                            key,
                            chunk,
                        );
                    }
                }
            }
        }
        if !answerers.roles.is_empty() {
            out.answered_by = answerers.route(&out, &from_pack);
        }
        // The pointers of the nodes that decided a question, for the templates that apply.
        let mut applies = vec![false; templates.len()];
        for item in &out.items {
            if let Some(slot) = applies.get_mut(item.template as usize) {
                *slot = true;
            }
        }
        out.pointers = templates
            .iter()
            .zip(applies)
            .map(|(t, applies)| {
                if applies {
                    eval::condition_pointers(t.template.when.as_ref())
                } else {
                    Vec::new()
                }
            })
            .collect();
        out
    }
}

/// The sentence a template that quotes its subject's description (`{statement}`) quotes, a
/// slice of the description; `None` for another template.
fn quoted_sentence<'g>(
    graph: &'g ComponentGraph,
    entry: &BankTemplate,
    subject: Subject,
) -> Option<&'g str> {
    if !entry.quotes_the_model() {
        return None;
    }
    let description = match subject {
        Subject::Element(e) => graph.element(e).description.as_deref(),
        Subject::Flow(f) => graph.flow(f).description.as_deref(),
        Subject::Engagement => None,
    }?;
    crate::bank::says::first_sentence(description, &entry.says)
}

/// The list placeholders of the subject being rendered: computed once per subject, since
/// the questions about one subject are consecutive.
#[derive(Default)]
struct Cache {
    texts: SubjectTexts,
    /// Whether `texts` are those of `subject` (nothing is cached before the first question).
    filled: bool,
    subject: Option<Subject>,
}

impl Cache {
    fn render(&mut self, q: &GeneratedQuestion<'_>) -> Question {
        let subject = q.subjects().next();
        if !self.filled || self.subject != subject {
            self.texts.clear();
            self.filled = true;
            self.subject = subject;
        }
        q.question_with(&mut self.texts)
    }
}

/// A place in the layout: one question, or a group gathered along the walk.
enum Slot {
    Single(Subject, Fired, bool),
    Group(usize),
}
/// A group of subjects gathered for one grouped template.
struct Gathered {
    template: u32,
    key: String,
    subjects: Vec<Subject>,
    first: Fired,
    reachable: bool,
}

impl Engine {
    /// Which packs apply to an engagement, and why: enabled or disabled by hand, or the first
    /// in-scope element or flow (in model order) that satisfies the pack's condition.
    fn pack_uses(
        &self,
        engagement: &Engagement,
        graph: &ComponentGraph,
        facts: &Facts<'_>,
        present: &eval::PropertyNames<'_>,
    ) -> Vec<PackUse> {
        let settings = &engagement.packs;
        self.banks
            .packs()
            .iter()
            .map(|pack| {
                let named = |list: &[String]| list.contains(&pack.id);
                let (active, reason) = if named(&settings.disable) {
                    (false, PackReason::DisabledByEngagement)
                } else if named(&settings.enable) {
                    (true, PackReason::EnabledByEngagement)
                } else {
                    let program = Program::compile_with(
                        Some(&pack.enabled_by),
                        graph,
                        present,
                        &self.finders,
                    );
                    let mut matched = Vec::new();
                    let found = first_called_for(&program, graph, facts, &mut matched);
                    match found {
                        Some(t) => {
                            let subject = match t {
                                Target::Element(e) => graph.element(e).id.clone(),
                                Target::Flow(f) => graph.flow(f).id.clone(),
                            };
                            let pointers = eval::condition_pointers(Some(&pack.enabled_by));
                            let matched = matched
                                .iter()
                                .filter_map(|&n| pointers.get(n as usize))
                                .map(|p| p.replacen("/when", "/pack/enabled_by", 1))
                                .collect();
                            (true, PackReason::CalledFor { subject, matched })
                        }
                        None => match self.ruled_out_by(
                            engagement,
                            graph,
                            facts,
                            present,
                            &pack.enabled_by,
                        ) {
                            Some(statement) => {
                                (false, PackReason::RuledOutByEngagement { statement })
                            }
                            None => (false, PackReason::NotCalledFor),
                        },
                    }
                };
                PackUse {
                    id: pack.id.clone(),
                    name: pack.name.clone(),
                    active,
                    reason,
                }
            })
            .collect()
    }
}

impl Engine {
    /// Where nothing in the model calls for a pack only because of what the engagement states
    /// (an assumption such as "card numbers stay with the issuer", a line of its description
    /// or of what it leaves out, tested under `not` in the pack's `enabled_by`), the sentence
    /// that rules it out.
    fn ruled_out_by(
        &self,
        engagement: &Engagement,
        graph: &ComponentGraph,
        facts: &Facts<'_>,
        present: &eval::PropertyNames<'_>,
        enabled_by: &Condition,
    ) -> Option<String> {
        let mut tests = Vec::new();
        statement_tests(enabled_by, false, &mut tests);
        let statement = tests.iter().find_map(|(test, phrases)| {
            let lowered = crate::bank::says::lowered(phrases);
            let sentences: Vec<String> = match test {
                StatementTest::Assumes => engagement.scope.assumptions.clone(),
                StatementTest::Excludes => engagement.scope.out_of_scope.clone(),
                StatementTest::Says => eval::engagement_statements(engagement),
            };
            sentences
                .iter()
                .find_map(|t| crate::bank::says::first_sentence(t, &lowered).map(str::to_owned))
        })?;
        let bare = present.without_engagement_statements();
        let program = Program::compile_with(Some(enabled_by), graph, &bare, &self.finders);
        let called_for = first_called_for(&program, graph, facts, &mut Vec::new()).is_some();
        called_for.then_some(statement)
    }
}

/// The first in-scope element or flow (elements first, in model order) that satisfies a pack's
/// compiled condition, with the condition nodes that held left in `matched`.
fn first_called_for(
    program: &Program,
    graph: &ComponentGraph,
    facts: &Facts<'_>,
    matched: &mut Vec<u32>,
) -> Option<Target> {
    let in_scope = |t: &Target| match *t {
        Target::Element(e) => graph.is_in_review(e),
        Target::Flow(f) => !graph.flow(f).out_of_scope,
    };
    graph
        .element_ixs()
        .map(Target::Element)
        .chain(graph.flow_ixs().map(Target::Flow))
        .filter(in_scope)
        .find(|&t| {
            matched.clear();
            program.eval(facts, t, matched)
        })
}

/// Which of the engagement's statements a test reads.
enum StatementTest {
    Assumes,
    Excludes,
    Says,
}

/// The tests of the engagement's statements found under a `not` in `condition`, with their
/// phrases.
fn statement_tests<'c>(
    condition: &'c Condition,
    negated: bool,
    out: &mut Vec<(StatementTest, &'c [String])>,
) {
    match condition {
        Condition::All(items) | Condition::Any(items) => {
            for item in items {
                statement_tests(item, negated, out);
            }
        }
        Condition::Not(inner) => statement_tests(inner, !negated, out),
        Condition::Assumes(phrases) if negated => out.push((StatementTest::Assumes, phrases)),
        Condition::Excludes(phrases) if negated => out.push((StatementTest::Excludes, phrases)),
        Condition::EngagementSays(phrases) if negated => {
            out.push((StatementTest::Says, phrases));
        }
        _ => {}
    }
}

/// Whether a pack applies to an engagement, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct PackUse {
    /// The pack's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Whether its questions are asked.
    pub active: bool,
    /// Why.
    pub reason: PackReason,
}

/// Why a pack applies or not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PackReason {
    /// The engagement enables it by id (`packs.enable`).
    EnabledByEngagement,
    /// The engagement disables it by id (`packs.disable`).
    DisabledByEngagement,
    /// An element or flow of the model satisfies its condition.
    CalledFor {
        /// The first such element or flow, in model order.
        subject: String,
        /// The JSON Pointers, within the pack, of the condition nodes that held.
        matched: Vec<String>,
    },
    /// Nothing in the model calls for it.
    NotCalledFor,
    /// The model would call for it, but what the engagement states rules it out (an
    /// assumption such as "card numbers stay with the issuer").
    RuledOutByEngagement {
        /// The engagement's sentence that rules it out.
        statement: String,
    },
}

impl PackReason {
    /// The reason in words, for people.
    pub fn describe(&self) -> String {
        match self {
            PackReason::EnabledByEngagement => "enabled by the engagement".to_owned(),
            PackReason::DisabledByEngagement => "disabled by the engagement".to_owned(),
            PackReason::CalledFor { subject, .. } => format!("`{subject}` calls for it"),
            PackReason::NotCalledFor => "nothing in the model calls for it".to_owned(),
            PackReason::RuledOutByEngagement { statement } => {
                format!("the engagement says \u{201c}{statement}\u{201d}")
            }
        }
    }
}

/// The values a grouped template's subjects must share, as a stable string (ids, not names,
/// so that renaming an element keeps question ids).
fn group_key(graph: &ComponentGraph, keys: &[GroupKey], target: Target, out: &mut String) {
    for key in keys {
        if !out.is_empty() {
            out.push(',');
        }
        let ends = match target {
            Target::Flow(f) => graph.flow_endpoints(f),
            Target::Element(_) => None,
        };
        let element_id = |e: ElementIx| graph.element(e).id.as_str();
        let tri = |flag: Option<bool>| match flag {
            Some(true) => "yes",
            Some(false) => "no",
            None => "unknown",
        };
        match (key, target) {
            (GroupKey::Boundary, Target::Element(e)) => out.push_str(
                graph
                    .innermost_boundary(e)
                    .map_or("-", |b| graph.boundary(b).id.as_str()),
            ),
            (GroupKey::Boundary, Target::Flow(f)) => out.push_str(
                graph
                    .crossed(f)
                    .first()
                    .map_or("-", |&b| graph.boundary(b).id.as_str()),
            ),
            (GroupKey::Kind, Target::Element(e)) => out.push_str(graph.element(e).kind.as_str()),
            (GroupKey::Kind, Target::Flow(_)) => out.push_str("data_flow"),
            (GroupKey::Protocol, Target::Flow(f)) => out.push_str(
                &graph
                    .flow(f)
                    .protocol
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), str::to_lowercase),
            ),
            (GroupKey::Encrypted, Target::Flow(f)) => out.push_str(tri(graph.flow(f).encrypted)),
            (GroupKey::Authenticated, Target::Flow(f)) => {
                out.push_str(tri(graph.flow(f).authenticated));
            }
            (GroupKey::Source | GroupKey::Target, Target::Flow(_)) => {
                if let Some((s, t)) = ends {
                    out.push_str(element_id(if *key == GroupKey::Source { s } else { t }));
                }
            }
            (GroupKey::Initiator | GroupKey::Responder, Target::Flow(f)) => {
                if ends.is_some() {
                    let (o, r) = graph.opener_and_responder(f);
                    out.push_str(element_id(if *key == GroupKey::Initiator { o } else { r }));
                }
            }
            (GroupKey::Classification, _) => {
                let highest = match target {
                    Target::Flow(f) => graph.flow(f).highest_classification(),
                    Target::Element(e) => graph
                        .outgoing(e)
                        .iter()
                        .chain(graph.incoming(e))
                        .filter_map(|&f| graph.flow(f).highest_classification())
                        .max(),
                };
                out.push_str(highest.map_or("-", |c| c.as_str()));
            }
            (GroupKey::Callees, Target::Element(e)) => {
                let mut ids: Vec<&str> = graph
                    .calls(e)
                    .iter()
                    .map(|&f| element_id(graph.opener_and_responder(f).1))
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                out.push_str(&ids.join("+"));
            }
            (GroupKey::Property(name), _) => {
                let properties = match target {
                    Target::Element(e) => &graph.element(e).properties,
                    Target::Flow(f) => &graph.flow(f).properties,
                };
                match properties.get(name) {
                    Some(PropertyValue::String(text)) => out.push_str(text),
                    Some(PropertyValue::List(items)) => {
                        let mut items: Vec<&str> = items.iter().map(String::as_str).collect();
                        items.sort_unstable();
                        out.push_str(&items.join("+"));
                    }
                    Some(value) => {
                        out.push_str(&serde_json::to_string(value).unwrap_or_default());
                    }
                    None => out.push('-'),
                }
            }
            _ => out.push('-'),
        }
    }
}

/// The custom roles that answer for parts of the model (`answers_for`) and that a participant
/// holds, and which elements and flows each answers for: an element listed or inside a
/// listed boundary, a flow listed or between two elements of the same role.
struct Answerers {
    roles: Vec<Role>,
    /// For each role of `roles`, its `expertise` (empty: every question about its part).
    expertise: Vec<Vec<Role>>,
    /// For each element, then each flow, 1 + the index of its role in `roles`; 0 for none.
    elements: Vec<u16>,
    flows: Vec<u16>,
}

impl Answerers {
    fn of(engagement: &Engagement, graph: &ComponentGraph) -> Self {
        let mut answerers = Answerers {
            roles: Vec::new(),
            expertise: Vec::new(),
            elements: Vec::new(),
            flows: Vec::new(),
        };
        let held = |role: &Role| {
            engagement
                .participants
                .iter()
                .any(|p| p.roles.contains(role))
        };
        let declared: Vec<(Role, &[String], &[Role])> = engagement
            .custom_roles
            .iter()
            .filter(|d| !d.answers_for.is_empty())
            .map(|d| {
                (
                    Role::from_name(&d.id),
                    d.answers_for.as_slice(),
                    d.expertise.as_slice(),
                )
            })
            .filter(|(role, _, _)| role.is_custom() && held(role))
            .take(usize::from(u16::MAX - 1))
            .collect();
        if declared.is_empty() {
            return answerers;
        }
        answerers.elements = vec![0; graph.model().elements.len()];
        answerers.flows = vec![0; graph.model().flows.len()];
        for (r, (role, ids, expertise)) in declared.into_iter().enumerate() {
            let mark = u16::try_from(r + 1).unwrap_or(u16::MAX);
            answerers.roles.push(role);
            answerers.expertise.push(expertise.to_vec());
            let boundaries: Vec<_> = ids.iter().filter_map(|id| graph.boundary_ix(id)).collect();
            let inside = |e: ElementIx| boundaries.iter().any(|&b| graph.is_inside(e, b));
            let interactor =
                |e: ElementIx| graph.element(e).kind == crate::ElementKind::ExternalInteractor;
            for e in graph.element_ixs() {
                let listed = ids.contains(&graph.element(e).id) || (inside(e) && !interactor(e));
                if listed && answerers.elements[e.index()] == 0 {
                    answerers.elements[e.index()] = mark;
                }
            }
            // A person or outside system inside a listed boundary is asked about how the
            // components it uses treat it: the role answers for it only where it answers for
            // every one of them (an operator at an HMI of the OT network, not front-desk staff
            // on a club's network signing in to a console in the cloud).
            for e in graph.element_ixs() {
                if answerers.elements[e.index()] != 0 || !interactor(e) || !inside(e) {
                    continue;
                }
                let mut peers = graph
                    .outgoing(e)
                    .iter()
                    .chain(graph.incoming(e))
                    .filter(|&&f| !graph.flow(f).out_of_scope)
                    .filter_map(|&f| graph.flow_endpoints(f))
                    .map(|(a, b)| if a == e { b } else { a })
                    .peekable();
                if peers.peek().is_some() && peers.all(|p| answerers.elements[p.index()] == mark) {
                    answerers.elements[e.index()] = mark;
                }
            }
            // A flow is the role's where both ends are, or where a person or outside system
            // no role answers for opens it to an element the role answers for (people at a
            // locker's touchscreen: how the locker treats what they do is the role's to say;
            // round 60).
            for f in graph.flow_ixs() {
                let listed = ids.contains(&graph.flow(f).id)
                    || graph.flow_endpoints(f).is_some_and(|(a, b)| {
                        let (opener, responder) = graph.opener_and_responder(f);
                        let of = |e: ElementIx| answerers.elements[e.index()];
                        (of(a) == mark && of(b) == mark)
                            || (interactor(opener) && of(opener) == 0 && of(responder) == mark)
                    });
                if listed && answerers.flows[f.index()] == 0 {
                    answerers.flows[f.index()] = mark;
                }
            }
        }
        answerers
    }

    /// The index in `roles` of the role that answers for a subject, for a question of this
    /// template. A role that answers for people answers what they do and reach, not how they
    /// sign in or how a failed sign-in is noticed (spoofing, repudiation): those stay with the
    /// template's roles (round 59: a privacy counsel who answers for the legal team was asked
    /// about its single sign-on and alerting), unless the template names the business
    /// stakeholders among them: then it asks about how the people work, such as a change they
    /// make on a call without calling back (round 92: the payroll lead was not asked about
    /// bank details changed on the phone).
    fn role_of(
        &self,
        graph: &ComponentGraph,
        target: Target,
        template: &Template,
    ) -> Option<usize> {
        let mark = match target {
            Target::Element(e) => {
                if graph.is_person(e)
                    && matches!(
                        template.category,
                        Some(Stride::Spoofing | Stride::Repudiation)
                    )
                    && !template.roles.contains(&Role::BusinessStakeholder)
                {
                    return None;
                }
                self.elements.get(e.index())
            }
            Target::Flow(f) => self.flows.get(f.index()),
        };
        let r = mark.and_then(|&m| usize::from(m).checked_sub(1))?;
        // A role with an `expertise` takes only the questions that one of its kinds could
        // answer, a role its template names (rounds 73, 74 and 77: a physical security lead, a
        // trust and safety lead and a clinical safety lead were asked how input is validated;
        // round 82: an embedded lead, held to the best answerer only, got four questions about
        // the car for a 90-minute interview).
        match self.expertise.get(r) {
            Some(kinds)
                if !kinds.is_empty() && !template.roles.iter().any(|t| kinds.contains(t)) =>
            {
                None
            }
            _ => Some(r),
        }
    }

    /// The questions whose subjects one role answers for, all of them, with that role. A
    /// pack's questions keep their routing: they ask about a technology (Kubernetes, a cloud's
    /// identities), which its own owners know, not about the part of the system.
    fn route(&self, questions: &Questions, from_pack: &[bool]) -> Vec<(u32, Role)> {
        let mut routed = Vec::new();
        for (i, item) in questions.items.iter().enumerate() {
            if from_pack
                .get(item.template as usize)
                .copied()
                .unwrap_or(false)
            {
                continue;
            }
            let subjects = &questions.subjects
                [item.subjects_start as usize..(item.subjects_start + item.subjects_len) as usize];
            let template = &questions.banks.all_templates()[item.template as usize].template;
            let mut role = None;
            let all = subjects.iter().all(|subject| {
                let target = match *subject {
                    Subject::Element(e) => Target::Element(e),
                    Subject::Flow(f) => Target::Flow(f),
                    Subject::Engagement => return false,
                };
                match (self.role_of(&questions.graph, target, template), role) {
                    (Some(r), None) => {
                        role = Some(r);
                        true
                    }
                    (Some(r), Some(first)) => r == first,
                    (None, _) => false,
                }
            });
            if let (true, Some(r), Ok(i)) = (all, role, u32::try_from(i)) {
                routed.push((i, self.roles[r].clone()));
            }
        }
        routed
    }
}

/// For each template of a bank set, whether a pack defines it.
fn from_pack(banks: &BankSet) -> Vec<bool> {
    banks
        .all_templates()
        .iter()
        .map(|t| t.pack.is_some())
        .collect()
}

/// The role each template's questions go to: the first of its roles the engagement has a
/// participant for, or else its first.
fn route(engagement: &Engagement, templates: &[BankTemplate]) -> Vec<Role> {
    let present: HashSet<&Role> = engagement
        .participants
        .iter()
        .flat_map(|p| &p.roles)
        .collect();
    templates
        .iter()
        .map(|t| {
            let roles = &t.template.roles;
            roles
                .iter()
                .find(|r| present.contains(r))
                .or(roles.first())
                .cloned()
                .unwrap_or(Role::Architect)
        })
        .collect()
}

/// The questions generated for an engagement, in interview order: owned, indexable, rendered
/// when read.
#[derive(Debug, Clone)]
pub struct Questions {
    graph: Arc<ComponentGraph>,
    banks: Arc<BankSet>,
    engagement_name: String,
    system: String,
    /// The role of each template's questions, by template index.
    roles: Vec<Role>,
    items: Vec<Item>,
    subjects: Vec<Subject>,
    matched: Vec<u32>,
    /// The JSON Pointer of each condition node, by template index.
    pointers: Vec<Vec<String>>,
    /// The key of each group of subjects, for grouped questions' ids (escaped for ids).
    group_keys: Vec<String>,
    unreachable: Vec<Subject>,
    packs: Vec<PackUse>,
    unknown_packs: Vec<String>,
    /// For engagement-level questions that list their evidence (`{matching}`): the question's
    /// index and the subjects that satisfy its template's condition, in model order.
    evidence: Vec<(u32, Vec<Target>)>,
    /// The questions routed to a custom role that answers for all their subjects
    /// (`answers_for`), by question index, in order; empty when no custom role does.
    answered_by: Vec<(u32, Role)>,
    /// The categories of the questions left out because another question about the same
    /// subject quotes the same sentence, by the index of that question, in order of the
    /// questions left out.
    also_quoted: Vec<(u32, Stride)>,
    /// What the engagement says of itself (its description, then its scope's lines), for the
    /// answers from the model that an `engagement_says` or `assumes` test found; the scope's
    /// assumptions are its last `assumptions` lines.
    statements: Vec<String>,
    assumptions: usize,
}

impl Questions {
    fn push(
        &mut self,
        template: u32,
        subjects: &[Subject],
        matched: &[u32],
        reachable: bool,
        group: u32,
        chunk: u32,
    ) {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.items.push(Item {
            template,
            subjects_start: clamp(self.subjects.len()),
            subjects_len: clamp(subjects.len()),
            matched_start: clamp(self.matched.len()),
            matched_len: clamp(matched.len()),
            reachable,
            answered: false,
            weakness: false,
            check: false,
            group,
            chunk,
        });
        self.subjects.extend_from_slice(subjects);
        self.matched.extend_from_slice(matched);
    }

    /// The number of questions.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no question was generated.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The question at a position.
    pub fn get(&self, index: usize) -> Option<GeneratedQuestion<'_>> {
        self.items.get(index).map(|item| GeneratedQuestion {
            questions: self,
            item,
            index,
        })
    }

    /// The questions, in interview order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = GeneratedQuestion<'_>> {
        self.items
            .iter()
            .enumerate()
            .map(move |(index, item)| GeneratedQuestion {
                questions: self,
                item,
                index,
            })
    }

    /// The questions as stored in an engagement, in interview order.
    pub fn to_questions(&self) -> Vec<Question> {
        self.rendered().collect()
    }

    /// What [`Questions::to_questions`] returns, rendered on up to `threads` threads (the
    /// calling one among them), each rendering a contiguous run of the questions: the same
    /// questions in the same order. The library starts no thread unless asked through this
    /// method or [`Questions::merge_into_on`]; a command line that owns the machine asks for
    /// one per core (`std::thread::available_parallelism`).
    pub fn to_questions_on(&self, threads: std::num::NonZeroUsize) -> Vec<Question> {
        // Runs shorter than this are not worth a thread's start.
        const LEAST_PER_THREAD: usize = 2_000;
        let threads = threads.get().min(self.len() / LEAST_PER_THREAD).max(1);
        if threads == 1 {
            return self.to_questions();
        }
        let per_thread = self.len().div_ceil(threads);
        let render = |start: usize| {
            let end = (start + per_thread).min(self.len());
            let mut cache = Cache::default();
            (start..end)
                .filter_map(|i| self.get(i))
                .map(|q| cache.render(&q))
                .collect::<Vec<Question>>()
        };
        std::thread::scope(|scope| {
            let others: Vec<_> = (1..threads)
                .map(|t| scope.spawn(move || render(t * per_thread)))
                .collect();
            let mut questions = Vec::with_capacity(self.len());
            questions.extend(render(0));
            for other in others {
                questions.extend(
                    other
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
            questions
        })
    }

    /// The questions that pass a filter, as stored in an engagement, in interview order.
    pub fn to_questions_where(
        &self,
        mut keep: impl FnMut(&GeneratedQuestion<'_>) -> bool,
    ) -> Vec<Question> {
        let mut cache = Cache::default();
        self.iter()
            .filter(|q| keep(q))
            .map(|q| cache.render(&q))
            .collect()
    }

    /// The questions as stored in an engagement, in interview order, rendered one at a time:
    /// what [`Questions::to_questions`] collects, for a caller that converts each question as
    /// it comes and need not hold them all (the Python binding's `to_list`).
    pub fn rendered(&self) -> impl ExactSizeIterator<Item = Question> + '_ {
        let mut cache = Cache::default();
        self.iter().map(move |q| cache.render(&q))
    }

    /// The elements and flows reachable from no external interactor (and in scope), in walk
    /// order: their questions come last.
    pub fn unreachable(&self) -> &[Subject] {
        &self.unreachable
    }

    /// The ids of [`Questions::unreachable`].
    pub fn unreachable_ids(&self) -> Vec<&str> {
        self.unreachable
            .iter()
            .filter_map(|&s| self.subject_id(s))
            .collect()
    }

    /// Every pack of the banks, whether it applied and why.
    pub fn packs(&self) -> &[PackUse] {
        &self.packs
    }

    /// Pack ids the engagement enables or disables that no bank defines.
    pub fn unknown_packs(&self) -> &[String] {
        &self.unknown_packs
    }

    /// The banks the questions come from.
    pub fn banks(&self) -> &BankSet {
        &self.banks
    }

    /// The component graph of the model the questions are about.
    pub fn graph(&self) -> &ComponentGraph {
        &self.graph
    }

    fn subject_id(&self, subject: Subject) -> Option<&str> {
        let model = self.graph.model();
        match subject {
            Subject::Engagement => None,
            Subject::Element(e) => Some(&model.elements[e.index()].id),
            Subject::Flow(f) => Some(&model.flows[f.index()].id),
        }
    }

    /// Folds every question into an engagement: new ones added, unanswered
    /// ones refreshed, answered ones untouched, generated ones no longer produced marked
    /// obsolete.
    pub fn merge_into(&self, engagement: &mut Engagement) -> MergeReport {
        merge::merge(engagement, self.to_questions(), true)
    }

    /// [`Questions::merge_into`], the questions rendered on up to `threads` threads
    /// ([`Questions::to_questions_on`]): the same engagement and report.
    pub fn merge_into_on(
        &self,
        engagement: &mut Engagement,
        threads: std::num::NonZeroUsize,
    ) -> MergeReport {
        merge::merge(engagement, self.to_questions_on(threads), true)
    }

    /// Folds the questions that pass a filter into an engagement, marking nothing obsolete: a
    /// question the filter left out is not a question that vanished.
    pub fn merge_where(
        &self,
        engagement: &mut Engagement,
        keep: impl FnMut(&GeneratedQuestion<'_>) -> bool,
    ) -> MergeReport {
        merge::merge(engagement, self.to_questions_where(keep), false)
    }
}

/// Whether a plain test (a kind, a property) of a condition fails for a subject: what
/// [`GeneratedQuestion::model_answer`] checks before quoting a subject an `all` names.
fn plainly_fails(graph: &ComponentGraph, condition: &Condition, at: Target) -> bool {
    let properties = match at {
        Target::Element(e) => &graph.element(e).properties,
        Target::Flow(f) => &graph.flow(f).properties,
    };
    match condition {
        Condition::Kind(kinds) => match at {
            Target::Element(e) => !kinds.0.iter().any(|k| *k == graph.element(e).kind.into()),
            Target::Flow(_) => !kinds.0.contains(&SubjectKind::DataFlow),
        },
        Condition::PropertyTrue(name) => {
            !matches!(properties.get(name), Some(PropertyValue::Bool(true)))
        }
        Condition::PropertyEquals(p) => properties.get(&p.name) != Some(&p.value),
        Condition::PropertyContains(p) => match properties.get(&p.name) {
            Some(PropertyValue::List(items)) => !items.contains(&p.value),
            Some(PropertyValue::String(s)) => !s.contains(p.value.as_str()),
            _ => true,
        },
        // An `any` of plain tests fails when each of them does (a subject that is none of the
        // kinds of places the answer can come from), an `all` when one of them does.
        Condition::Any(items) => items.iter().all(|c| plainly_fails(graph, c, at)),
        Condition::All(items) => items.iter().any(|c| plainly_fails(graph, c, at)),
        _ => false,
    }
}

pub use crate::model::escape_id_part;

/// One part of an answer from the model: what says it (`None`: the engagement) and the
/// sentence, or the property, quoted.
type Quote<'g> = (Option<&'g str>, Cow<'g, str>);

/// What ends the id of the question that follows up a stated weakness, after the answered
/// question's id ([`GeneratedQuestion::checks_stated_weakness`]); the planner reads it in
/// stored questions.
pub(crate) const WEAKNESS_SUFFIX: &str = "@weakness";

/// What the question that follows up a stated weakness asks, after the quote.
const WEAKNESS_CHECK: &str = "Has this gap been used already, what would show it if it \
     had been, and what would closing it take, by when?";

/// Its prompt once answered.
const WEAKNESS_CHECK_FOLLOW_UP: &str =
    "If it has been used, or could be today, record a finding with the steps it takes.";

/// Its minutes, at most: a short item on its owner's agenda.
const WEAKNESS_CHECK_MINUTES: u32 = 3;

/// A generated question, borrowed from [`Questions`].
#[derive(Debug, Clone, Copy)]
pub struct GeneratedQuestion<'g> {
    questions: &'g Questions,
    item: &'g Item,
    index: usize,
}

impl<'g> GeneratedQuestion<'g> {
    /// Its position in [`Questions`].
    pub fn index(&self) -> usize {
        self.index
    }

    /// The position of its template in [`BankSet::all_templates`]: questions of one template
    /// share it.
    pub fn template_index(&self) -> usize {
        self.item.template as usize
    }

    fn entry(&self) -> &'g BankTemplate {
        &self.questions.banks.all_templates()[self.item.template as usize]
    }

    /// Whether its text quotes what the model's descriptions say (`{statement}`, or a stated
    /// weakness it follows up).
    pub fn quotes_the_model(&self) -> bool {
        self.item.check || self.entry().quotes_the_model()
    }

    /// Whether it follows up a weakness the model states. The question its template asks is
    /// answered by the model's own sentence (`weakness_when`), recorded as a hint, and not asked
    /// again; this short question, open, asks the owner what the statement leaves open: has
    /// the weakness been used, what would show it, and what would closing it take. Its id is
    /// the answered question's followed by `@weakness`; a statement that answers several
    /// templates is followed up once, after the first of them.
    pub fn checks_stated_weakness(&self) -> bool {
        self.item.check
    }

    /// The template it comes from.
    pub fn template(&self) -> &'g Template {
        &self.entry().template
    }

    /// The id of the bank the template comes from.
    pub fn bank(&self) -> &'g str {
        &self.entry().bank
    }

    /// What it is about: its subjects, in walk order (one, or none at engagement level).
    pub fn subjects(&self) -> impl ExactSizeIterator<Item = Subject> + use<'g> {
        let start = self.item.subjects_start as usize;
        let end = start + self.item.subjects_len as usize;
        self.questions.subjects[start..end].iter().copied()
    }

    /// The ids of the elements and flows it is about; empty at engagement level.
    pub fn subject_ids(&self) -> Vec<&'g str> {
        let questions = self.questions;
        self.subjects()
            .filter_map(|s| questions.subject_id(s))
            .collect()
    }

    /// The stable id: `<template-id>@<subject-id>`, the template id at engagement level, and
    /// `<template-id>@@<group-key>` for a grouped question (`@<n>` after it for the n-th
    /// question of a group too large for one), so that a subject joining or leaving a group
    /// keeps the question's id.
    pub fn id(&self) -> String {
        let mut id = String::new();
        self.id_into(&mut id);
        id
    }

    /// Appends the stable id ([`GeneratedQuestion::id`]) to `out`: many ids written into one
    /// buffer, without a `String` each.
    pub fn id_into(&self, out: &mut String) {
        let template = self.entry().id_part.as_str();
        if self.item.group > 0 {
            let key = &self.questions.group_keys[self.item.group as usize - 1];
            out.reserve(template.len() + 2 + key.len() + 4);
            out.push_str(template);
            out.push_str("@@");
            out.push_str(key);
            if self.item.chunk > 1 {
                out.push('@');
                push_decimal(out, self.item.chunk);
            }
            return;
        }
        match self
            .subjects()
            .next()
            .and_then(|s| self.questions.subject_id(s))
        {
            Some(subject) => {
                let subject = escape_id_part(subject);
                out.reserve(template.len() + 1 + subject.len() + WEAKNESS_SUFFIX.len());
                out.push_str(template);
                out.push('@');
                out.push_str(&subject);
                if self.item.check {
                    out.push_str(WEAKNESS_SUFFIX);
                }
            }
            None => out.push_str(template),
        }
    }

    /// Whether the model already answers the question (its template's `answered_when` or
    /// `weakness_when` holds): it is generated answered and goes on no agenda.
    pub fn is_answered_by_model(&self) -> bool {
        self.item.answered
    }

    /// The status it is generated with: `answered` where the model answers it, `open`
    /// otherwise.
    pub fn status(&self) -> QuestionStatus {
        if self.item.answered {
            QuestionStatus::Answered
        } else {
            QuestionStatus::Open
        }
    }

    /// Where the model answers the question, the answer: the first sentence of the subject's
    /// own description (for an element, then of its flows') that holds a phrase of
    /// `weakness_when` (then marked `weakness`) or else of `answered_when`, quoted, or a
    /// pointer to the model when no sentence does (a property answered it). Never another
    /// element's: what a neighbour says speaks of other connections too.
    pub fn model_answer(&self) -> Option<Answer> {
        if !self.item.answered {
            return None;
        }
        let (text, _) = self.answer_text()?;
        let id = match self.targets().first().copied()? {
            Target::Element(e) => self.questions.graph.element(e).id.as_str(),
            Target::Flow(f) => self.questions.graph.flow(f).id.as_str(),
        };
        let mut answer = Answer::new(text, AnswerChannel::Model);
        answer.reference = Some(id.to_owned());
        answer.weakness = self.item.weakness;
        Some(answer)
    }

    /// Where what the model says is a possible weakness (`weakness_when` holds), the answer
    /// that quotes it ("The model says of X: “…”."); `None` otherwise, and where it quotes no
    /// sentence (only a property, such as `logs_security_events: false`, states it).
    fn stated_weakness(&self) -> Option<String> {
        if !self.item.weakness {
            return None;
        }
        self.answer_text()
            .and_then(|(text, quoted)| quoted.then_some(text))
    }

    /// The condition whose holding answers the question: `weakness_when` for a weakness,
    /// `answered_when` otherwise.
    fn answered_by_condition(&self) -> Option<&'g Condition> {
        if self.item.weakness {
            self.template().weakness_when.as_ref()
        } else {
            self.template().answered_when.as_ref()
        }
    }

    /// What the answer from the model quotes (see [`GeneratedQuestion::quotes`]).
    fn answer_quotes(&self) -> Vec<Quote<'g>> {
        let mut found = Vec::new();
        if let (Some(c), Some(subject)) = (self.answered_by_condition(), self.targets().first()) {
            self.quotes(c, *subject, &mut found);
        }
        found
    }

    /// The text of the answer from the model (see [`GeneratedQuestion::model_answer`]), and
    /// whether it quotes a sentence of the model or the engagement.
    fn answer_text(&self) -> Option<(String, bool)> {
        let graph = &self.questions.graph;
        let subject = self.targets().first().copied()?;
        let found = self.answer_quotes();
        let holds = self.answered_by_condition();
        let name = match subject {
            Target::Element(e) => graph.element(e).name.as_str(),
            Target::Flow(f) => graph.flow(f).name.as_str(),
        };
        // Each part of the answer once, in the order the condition asks for them: "The model
        // says of A: “…”, and of B: “…”."
        let mut text = String::new();
        let mut last: Option<Option<&str>> = None;
        for (of, sentence) in &found {
            let sentence: &str = sentence;
            text.push_str(match (text.is_empty(), last == Some(*of)) {
                (true, _) => "",
                (false, true) => " and ",
                (false, false) => ", and ",
            });
            if last != Some(*of) {
                match of {
                    Some(of) if text.is_empty() => {
                        let _ = write!(text, "The model says of {of}: ");
                    }
                    Some(of) => {
                        let _ = write!(text, "of {of}: ");
                    }
                    None if text.is_empty() => text.push_str("The engagement says: "),
                    None => text.push_str("the engagement: "),
                }
            }
            let _ = write!(text, "\u{201c}{sentence}\u{201d}");
            last = Some(*of);
        }
        // A sentence is quoted borrowed from the model; a property is cited in an owned string
        // ("logs_security_events: false").
        let quoted = found
            .iter()
            .any(|(_, quote)| matches!(quote, Cow::Borrowed(_)));
        if text.is_empty()
            && let (Some(Condition::Carries(_)), Target::Element(e)) = (holds, subject)
        {
            // A data test answers with the data: what the element exchanges with the system,
            // the most sensitive first, as the model lists and classifies it.
            text = self.data_answer(name, e);
        }
        if text.is_empty() {
            let _ = write!(
                text,
                "The model answers it in the properties of {name} and of what it connects to."
            );
        } else {
            text.push('.');
        }
        Some((text, quoted))
    }

    /// The data an element exchanges with the system (for a person, through the apps on their
    /// own device too), by classification, the most sensitive first, without the closing full
    /// stop: "The model lists what Donor exchanges with the platform: restricted: health
    /// questionnaire answers; confidential: donor profile and blood group"; empty when it
    /// exchanges none.
    fn data_answer(&self, name: &str, e: ElementIx) -> String {
        let graph = &self.questions.graph;
        let mut flows: Vec<FlowIx> = Vec::new();
        render::exchanged_flows(graph, e, |f| flows.push(f));
        // A person also sees and changes what the apps on their own device exchange with the
        // system (round 89: a recipient's app carries the medicine category to the platform).
        if graph.is_person(e) {
            let on_device = |app: ElementIx| {
                graph.element(app).kind == ElementKind::Process
                    && matches!(
                        graph.element(app).properties.get("hosting"),
                        Some(PropertyValue::String(h)) if ["browser", "mobile", "desktop"].contains(&h.as_str())
                    )
            };
            for f in flows.clone() {
                let Some((s, t)) = graph.flow_endpoints(f) else {
                    continue;
                };
                let app = if s == e { t } else { s };
                if app != e && on_device(app) {
                    render::exchanged_flows(graph, app, |g| {
                        if !flows.contains(&g) {
                            flows.push(g);
                        }
                    });
                }
            }
        }
        // Everything exchanged, the keys and codes the connections are made with included:
        // they are what a forger of this party would need (round 89).
        let mut items: Vec<(&str, Classification)> = Vec::new();
        for &f in &flows {
            for item in &graph.flow(f).data {
                if !items.iter().any(|(n, _)| *n == item.name) {
                    items.push((&item.name, item.classification));
                }
            }
        }
        let mut text = String::new();
        if items.is_empty() {
            return text;
        }
        let _ = write!(
            text,
            "The model lists what {name} exchanges with {}: ",
            self.questions.system
        );
        let mut first = true;
        for level in [
            Classification::Restricted,
            Classification::Confidential,
            Classification::Internal,
            Classification::Public,
        ] {
            let names: Vec<&str> = items
                .iter()
                .filter(|(_, c)| *c == level)
                .map(|(n, _)| *n)
                .collect();
            if names.is_empty() {
                continue;
            }
            if !first {
                text.push_str("; ");
            }
            first = false;
            let _ = write!(text, "{}: ", level.as_str());
            for (i, n) in names.iter().enumerate() {
                text.push_str(match i {
                    0 => "",
                    _ if i + 1 == names.len() => " and ",
                    _ => ", ",
                });
                text.push_str(n);
            }
        }
        text
    }

    /// The quotes an answer from the model is made of: for an `all`, one from each of its
    /// items that gives one (each once); for an `any` of ways that need several sentences,
    /// those of the first way that gives any; otherwise the first [`GeneratedQuestion::quote`].
    fn quotes(&self, condition: &Condition, at: Target, out: &mut Vec<Quote<'g>>) {
        match condition {
            Condition::All(items) => {
                if items
                    .iter()
                    .any(|c| plainly_fails(&self.questions.graph, c, at))
                {
                    return;
                }
                for item in items {
                    self.quotes(item, at, out);
                }
            }
            // Ways of answering (a link and its lifetime, or a path and a credential): the
            // quotes of the first that gives any.
            Condition::Any(items) if items.iter().any(|c| matches!(c, Condition::All(_))) => {
                for item in items {
                    let mut found = Vec::new();
                    self.quotes(item, at, &mut found);
                    if !found.is_empty() {
                        for quote in found {
                            if !out.contains(&quote) {
                                out.push(quote);
                            }
                        }
                        return;
                    }
                }
            }
            other => {
                if let Some(found) = self.quote(other, at)
                    && !out.contains(&found)
                {
                    out.push(found);
                }
            }
        }
    }

    /// The sentence a `says` (or `engagement_says`, `assumes`) test of `condition` found,
    /// looked for where the test looks (the subject, a flow's ends, an element's flows or
    /// peers), with the name of what says it (`None`: the engagement); tests under `not` give
    /// no quote.
    fn quote(&self, condition: &Condition, at: Target) -> Option<Quote<'g>> {
        let graph: &'g ComponentGraph = &self.questions.graph;
        let described = |t: Target| match t {
            Target::Element(e) => {
                let el = graph.element(e);
                (el.name.as_str(), el.description.as_deref())
            }
            Target::Flow(f) => {
                let flow = graph.flow(f);
                (flow.name.as_str(), flow.description.as_deref())
            }
        };
        let end = |pick: fn(&ComponentGraph, FlowIx) -> Option<ElementIx>| match at {
            Target::Flow(f) => pick(graph, f).map(Target::Element),
            Target::Element(_) => None,
        };
        let flows = |towards: bool| match at {
            Target::Element(e) => {
                if towards {
                    graph.called_by(e)
                } else {
                    graph.calls(e)
                }
            }
            Target::Flow(_) => &[],
        };
        match condition {
            // A quote from a subject the rest of an `all` rules out would answer for the
            // wrong one: the plain tests of its items must hold there.
            Condition::All(items) => {
                if items.iter().any(|c| plainly_fails(graph, c, at)) {
                    return None;
                }
                // A sentence before a property: the property only says which subject it is.
                let plain = |c: &&Condition| {
                    matches!(
                        c,
                        Condition::Kind(_)
                            | Condition::PropertyTrue(_)
                            | Condition::PropertyEquals(_)
                    )
                };
                items
                    .iter()
                    .filter(|c| !plain(c))
                    .chain(items.iter().filter(plain))
                    .find_map(|c| self.quote(c, at))
            }
            Condition::Any(items) => items.iter().find_map(|c| self.quote(c, at)),
            Condition::Says(phrases) => {
                let (name, description) = described(at);
                let sentence = crate::bank::says::first_sentence(
                    description?,
                    &crate::bank::says::lowered(phrases),
                )?;
                Some((Some(name), Cow::Borrowed(sentence)))
            }
            // A property that answers it is cited as the model records it.
            Condition::PropertyEquals(_) | Condition::PropertyTrue(_)
                if !plainly_fails(graph, condition, at) =>
            {
                let (name, _) = described(at);
                let cited = match condition {
                    Condition::PropertyEquals(p) => format!(
                        "{}: {}",
                        p.name,
                        serde_json::to_string(&p.value).unwrap_or_default()
                    ),
                    Condition::PropertyTrue(n) => format!("{n}: true"),
                    _ => return None,
                };
                Some((Some(name), Cow::Owned(cited)))
            }
            // A list that holds the value is cited whole, as the model records it.
            Condition::PropertyContains(p) if !plainly_fails(graph, condition, at) => {
                let (name, _) = described(at);
                let properties = match at {
                    Target::Element(e) => &graph.element(e).properties,
                    Target::Flow(f) => &graph.flow(f).properties,
                };
                let value = properties.get(&p.name)?;
                let cited = match value {
                    crate::model::PropertyValue::List(items) => items.join(", "),
                    other => serde_json::to_string(other).unwrap_or_default(),
                };
                Some((Some(name), Cow::Owned(format!("{}: {cited}", p.name))))
            }
            Condition::ZoneSays(phrases) => {
                let phrases = crate::bank::says::lowered(phrases);
                eval::zone_sentence(graph, at, &phrases)
                    .map(|(name, sentence)| (Some(name), Cow::Borrowed(sentence)))
            }
            Condition::EngagementSays(phrases) | Condition::Assumes(phrases) => {
                let phrases = crate::bank::says::lowered(phrases);
                // An `assumes` test found its sentence among the assumptions: quote one of them.
                let statements = &self.questions.statements;
                let from = if matches!(condition, Condition::Assumes(_)) {
                    statements.len() - self.questions.assumptions
                } else {
                    0
                };
                statements[from..].iter().find_map(|s| {
                    crate::bank::says::first_sentence(s, &phrases)
                        .map(|found| (None, Cow::Borrowed(found)))
                })
            }
            Condition::Source(c) => {
                end(|g, f| g.flow_endpoints(f).map(|(s, _)| s)).and_then(|t| self.quote(c, t))
            }
            Condition::Target(c) => {
                end(|g, f| g.flow_endpoints(f).map(|(_, t)| t)).and_then(|t| self.quote(c, t))
            }
            Condition::Initiator(c) => {
                end(|g, f| Some(g.opener_and_responder(f).0)).and_then(|t| self.quote(c, t))
            }
            Condition::Responder(c) => {
                end(|g, f| Some(g.opener_and_responder(f).1)).and_then(|t| self.quote(c, t))
            }
            Condition::CalledOver(c) => flows(true)
                .iter()
                .find_map(|&f| self.quote(c, Target::Flow(f))),
            Condition::CallsOver(c) => {
                let deployments = match at {
                    Target::Element(e) => Some(graph.deployments_by(e)),
                    Target::Flow(_) => None,
                };
                flows(false)
                    .iter()
                    .copied()
                    .chain(deployments.into_iter().flatten())
                    .find_map(|f| self.quote(c, Target::Flow(f)))
            }
            Condition::Caller(c) | Condition::Callee(c) => {
                let towards = matches!(condition, Condition::Caller(_));
                let Target::Element(e) = at else { return None };
                flows(towards).iter().find_map(|&f| {
                    let (opener, responder) = graph.opener_and_responder(f);
                    let peer = if opener == e { responder } else { opener };
                    self.quote(c, Target::Element(peer))
                })
            }
            _ => None,
        }
    }

    /// Whether the question is about several subjects that share its answer.
    pub fn is_grouped(&self) -> bool {
        self.item.group > 0
    }

    /// The text, placeholders filled with names.
    pub fn text(&self) -> String {
        let mut text = String::new();
        self.write_text(&mut SubjectTexts::default(), &mut text);
        text
    }

    fn renderer(&self) -> Renderer<'g> {
        Renderer {
            graph: &self.questions.graph,
            engagement_name: &self.questions.engagement_name,
            system: &self.questions.system,
            says: &self.entry().says,
        }
    }

    fn targets(&self) -> Vec<Target> {
        self.subjects()
            .filter_map(|s| match s {
                Subject::Engagement => None,
                Subject::Element(e) => Some(Target::Element(e)),
                Subject::Flow(f) => Some(Target::Flow(f)),
            })
            .collect()
    }

    /// Appends the text to `out`; `cache` holds list placeholders of the last subject rendered.
    fn write_text(&self, cache: &mut SubjectTexts, out: &mut String) {
        if self.item.check {
            if let Some(statement) = self.stated_weakness() {
                out.push_str(&statement);
                out.push(' ');
            }
            out.push_str(WEAKNESS_CHECK);
            return;
        }
        let targets = self.targets();
        let entry = self.entry();
        if entry.lists_matching {
            let evidence = self
                .questions
                .evidence
                .iter()
                .find(|(at, _)| *at as usize == self.index)
                .map_or(&[][..], |(_, subjects)| subjects.as_slice());
            self.renderer()
                .render_group(&entry.segments, None, evidence, cache, out);
            return;
        }
        match (&entry.group, targets.len()) {
            (Some(group), 2..) => {
                self.renderer()
                    .render_group(group, targets.first().copied(), &targets, cache, out);
            }
            _ => self
                .renderer()
                .render(&entry.segments, targets.first().copied(), cache, out),
        }
    }

    /// The STRIDE category; `None` at engagement level.
    pub fn category(&self) -> Option<Stride> {
        self.template().category
    }

    /// The role it is routed to: a custom role that answers for all its subjects
    /// (`answers_for`) and that a participant holds; otherwise the first of the template's
    /// roles the engagement has a participant for, or else the first.
    pub fn role(&self) -> &'g Role {
        let answered_by = &self.questions.answered_by;
        if !answered_by.is_empty()
            && let Ok(at) = answered_by.binary_search_by_key(&self.index, |(i, _)| *i as usize)
        {
            return &answered_by[at].1;
        }
        &self.questions.roles[self.item.template as usize]
    }

    /// Whether its subject is reachable from an external interactor.
    pub fn reachable(&self) -> bool {
        self.item.reachable
    }

    /// The estimated minutes: the template's, plus its group's `minutes_each` for each subject
    /// past the first.
    pub fn minutes(&self) -> u32 {
        let template = self.template();
        if self.item.check {
            return template.minutes.min(WEAKNESS_CHECK_MINUTES);
        }
        let extra = template.group.as_ref().map_or(0, |g| {
            g.minutes_each
                .saturating_mul(self.item.subjects_len.saturating_sub(1))
        });
        template.minutes.saturating_add(extra)
    }

    /// The (subject, category) pairs its answer covers: its own subjects in its category,
    /// then those its template's `covers` names, in scope and each once.
    pub fn covered_pairs(&self) -> Vec<(Subject, Stride)> {
        let mut pairs = Vec::new();
        self.covered_pairs_into(&mut pairs);
        pairs
    }

    /// [`GeneratedQuestion::covered_pairs`] into a buffer, cleared first.
    pub fn covered_pairs_into(&self, pairs: &mut Vec<(Subject, Stride)>) {
        pairs.clear();
        let template = self.template();
        if let Some(category) = template.category {
            pairs.extend(self.subjects().map(|s| (s, category)));
        }
        // A follow-up of a stated weakness is about that weakness alone.
        if self.item.check {
            return;
        }
        // The categories of the questions that quoted the same sentence, left out for it.
        for &(at, category) in &self.questions.also_quoted {
            if at as usize == self.index {
                for subject in self.subjects() {
                    if !pairs.contains(&(subject, category)) {
                        pairs.push((subject, category));
                    }
                }
            }
        }
        let graph = &self.questions.graph;
        for cover in &template.covers {
            for subject in self.subjects() {
                let related: Vec<Subject> = match (cover.relation, subject) {
                    (CoverRelation::Itself, _) => vec![subject],
                    (CoverRelation::Initiator | CoverRelation::Responder, Subject::Flow(f)) => {
                        if graph.flow_endpoints(f).is_none() {
                            continue;
                        }
                        let (o, r) = graph.opener_and_responder(f);
                        let end = if cover.relation == CoverRelation::Initiator {
                            o
                        } else {
                            r
                        };
                        if !graph.is_in_review(end) {
                            continue;
                        }
                        vec![Subject::Element(end)]
                    }
                    (_, Subject::Element(e)) => self.around_element(cover.relation, e),
                    _ => continue,
                };
                for other in related {
                    let kind = match other {
                        Subject::Element(x) => SubjectKind::from(graph.element(x).kind),
                        _ => SubjectKind::DataFlow,
                    };
                    for &category in &cover.categories {
                        if category.applies_to(kind) && !pairs.contains(&(other, category)) {
                            pairs.push((other, category));
                        }
                    }
                }
            }
        }
    }

    /// The in-scope subjects around an element that a `covers` relation names (flows,
    /// callees, callers); none for the relations of flows.
    fn around_element(&self, relation: CoverRelation, e: ElementIx) -> Vec<Subject> {
        let graph = &self.questions.graph;
        match relation {
            CoverRelation::Flows => graph
                .outgoing(e)
                .iter()
                .chain(graph.incoming(e))
                .filter(|&&f| !graph.flow(f).out_of_scope)
                .map(|&f| Subject::Flow(f))
                .collect(),
            CoverRelation::Callees | CoverRelation::Callers => {
                let flows = if relation == CoverRelation::Callees {
                    graph.calls(e)
                } else {
                    graph.called_by(e)
                };
                flows
                    .iter()
                    .map(|&f| {
                        let (o, r) = graph.opener_and_responder(f);
                        if o == e { r } else { o }
                    })
                    .filter(|&x| {
                        graph.is_in_review(x)
                            && graph.element(x).kind
                                != crate::model::ElementKind::ExternalInteractor
                    })
                    .map(Subject::Element)
                    .collect()
            }
            CoverRelation::Initiator | CoverRelation::Responder | CoverRelation::Itself => {
                Vec::new()
            }
        }
    }

    /// The JSON Pointers, within the template, of the condition nodes that matched.
    pub fn matched(&self) -> impl Iterator<Item = &'g str> + use<'g> {
        let start = self.item.matched_start as usize;
        let end = start + self.item.matched_len as usize;
        let pointers = &self.questions.pointers[self.item.template as usize];
        self.questions.matched[start..end]
            .iter()
            .filter_map(move |&node| pointers.get(node as usize).map(String::as_str))
    }

    /// The question as stored in an engagement, open and unanswered.
    pub fn to_question(&self) -> Question {
        self.question_with(&mut SubjectTexts::default())
    }

    fn question_with(&self, cache: &mut SubjectTexts) -> Question {
        let template = self.template();
        let entry = self.entry();
        let mut text = String::with_capacity(template.text.len() + 32);
        self.write_text(cache, &mut text);
        let first = self.targets().first().copied();
        let renderer = self.renderer();
        let mut rationale = String::with_capacity(template.rationale.len() + 16);
        if self.item.check {
            let answered = self
                .questions
                .get(self.index.wrapping_sub(1))
                .map_or_else(String::new, |q| q.id());
            let _ = write!(
                rationale,
                "The model states this possible weakness itself, so the question it answers \
                 (`{answered}`) is not asked again and the weakness is recorded as the hint \
                 `model-{answered}`. Its owner knows what the model cannot say: whether it has \
                 been used, how it would be noticed, and what closing it would take."
            );
        } else {
            renderer.render(&entry.rationale, first, cache, &mut rationale);
        }
        if !self.item.reachable {
            let model = self.questions.graph.model();
            let name = match self.subjects().next() {
                Some(Subject::Element(e)) => &model.elements[e.index()].name,
                Some(Subject::Flow(f)) => &model.flows[f.index()].name,
                _ => &self.questions.engagement_name,
            };
            let _ = write!(
                rationale,
                " (Asked last: {name} is reachable from no external interactor.)"
            );
        }
        let mut provenance = Provenance::new(template.id.clone(), self.bank());
        provenance.matched = self.matched().map(str::to_owned).collect();
        let mut question = Question::new(
            self.id(),
            text,
            self.role().clone(),
            template.priority,
            self.minutes(),
        );
        question.category = template.category;
        question.subjects = self.subject_ids().into_iter().map(str::to_owned).collect();
        let own = self.item.subjects_len as usize;
        question.also_covers = self
            .covered_pairs()
            .into_iter()
            .skip(if template.category.is_some() { own } else { 0 })
            .filter_map(|(subject, category)| {
                self.questions
                    .subject_id(subject)
                    .map(|id| CoveredPair::new(id, category))
            })
            .collect();
        question.rationale = Some(rationale);
        question.follow_up_prompts = if self.item.check {
            vec![WEAKNESS_CHECK_FOLLOW_UP.to_owned()]
        } else {
            entry
                .follow_ups
                .iter()
                .map(|segments| {
                    let mut prompt = String::new();
                    renderer.render(segments, first, cache, &mut prompt);
                    prompt
                })
                .collect()
        };
        question.references.clone_from(&template.references);
        question.opener = template.opener;
        question.status = self.status();
        question.answers = self.model_answer().into_iter().collect();
        question.provenance = Some(provenance);
        question
    }
}

#[cfg(test)]
mod tests {
    use super::eval::{Facts, Program, Target, property_names};
    use super::{Engine, push_decimal};
    use crate::graph::ComponentGraph;
    use crate::model::Engagement;

    /// The pointers worked out for the templates that apply name, one per compiled node, a
    /// node of the template's condition of the operator compiled there.
    #[test]
    fn condition_pointers_name_each_compiled_node() {
        let engine = Engine::builtin();
        let engagement = crate::synthetic::engagement(50, 3);
        let graph = ComponentGraph::new(&engagement.model).unwrap();
        let present = property_names(&graph);
        for template in engine.banks.all_templates() {
            let when = template.template.when.as_ref();
            let pointers = super::eval::condition_pointers(when);
            let program = Program::compile(when, &graph, &present);
            assert_eq!(pointers.len(), program.len(), "{}", template.template.id);
            let json = serde_json::to_value(&template.template).unwrap();
            for pointer in &pointers {
                let node = json.pointer(pointer);
                assert!(
                    node.is_some_and(serde_json::Value::is_object),
                    "{}: {pointer}",
                    template.template.id
                );
            }
        }
    }

    /// The first test of a program (the traits every subject it holds for must have) and the
    /// results of shared `not` nodes kept per subject change no result: every template of the
    /// built-in bank and packs, on every subject of every example and of a synthetic model,
    /// gives the same answer and the same deciding nodes with them as without them.
    #[test]
    fn the_prefilter_of_a_program_changes_no_result() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/engagements");
        let mut engagements: Vec<Engagement> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| crate::io::load(entry.unwrap().path()).unwrap().engagement)
            .collect();
        engagements.push(crate::synthetic::engagement(300, 7));
        let engine = Engine::builtin();
        let shared = super::eval::SharedNots::of(
            engine
                .banks
                .all_templates()
                .iter()
                .map(|t| t.template.when.as_ref()),
        );
        // Many templates share `not` nodes (the guard against apps on people's devices).
        assert!(shared.count > 10, "{}", shared.count);
        let mut checked = 0usize;
        for engagement in &engagements {
            let graph = ComponentGraph::new(&engagement.model).unwrap();
            let present = property_names(&graph);
            let facts = Facts::new(&graph);
            let mut shared_facts = Facts::new(&graph);
            shared_facts.share(shared.count);
            let subjects: Vec<Target> = graph
                .element_ixs()
                .map(Target::Element)
                .chain(graph.flow_ixs().map(Target::Flow))
                .collect();
            for (i, template) in engine.banks.all_templates().iter().enumerate() {
                let when = template.template.when.as_ref();
                let plain = Program::compile(when, &graph, &present);
                let mut filtered = Program::compile(when, &graph, &present);
                filtered.prefilter(&facts);
                let mut sharing = Program::compile(when, &graph, &present);
                sharing.share(&shared.per_template[i]);
                sharing.prefilter(&shared_facts);
                for &subject in &subjects {
                    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
                    let held = plain.eval(&facts, subject, &mut a);
                    assert_eq!(
                        held,
                        filtered.eval(&facts, subject, &mut b),
                        "{} on {subject:?}",
                        template.template.id
                    );
                    assert_eq!(
                        held,
                        sharing.eval(&shared_facts, subject, &mut c),
                        "{} on {subject:?}, shared",
                        template.template.id
                    );
                    if held {
                        assert_eq!(a, b, "{}", template.template.id);
                        assert_eq!(a, c, "{}, shared", template.template.id);
                        checked += 1;
                    }
                }
            }
        }
        // The comparison saw templates hold, not only fail.
        assert!(checked > 1000, "{checked}");
    }

    #[test]
    fn push_decimal_writes_what_display_does() {
        for n in [
            0,
            1,
            9,
            10,
            11,
            99,
            100,
            12_345,
            1_000_000,
            u32::MAX - 1,
            u32::MAX,
        ] {
            let mut out = String::from("x@");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x@{n}"));
        }
    }
}
