//! Generation: the questions a bank asks about an engagement, in interview order.
//!
//! [`generate`] walks the component graph ([`ComponentGraph::walk`]): engagement-level
//! templates first (those routed to business stakeholders before the others), then, for each
//! element and flow as the walk reaches it, every template in use that applies to it, in bank
//! order. Elements and flows reachable from no external interactor come last and are flagged
//! ([`Generated::unreachable`], and a note in each of their questions' rationale). Subjects
//! marked out of scope get no question.
//!
//! The result is compact: each question holds indices into the bank set and the model, and its
//! text is rendered when read; [`Generated::questions`] turns them into [`Question`]s, with stable ids
//! (`<template-id>@<subject-id>`, or the template id alone at engagement level). [`merge`]
//! folds them into an engagement without touching recorded answers.
//!
//! ```
//! use threat_interview::bank::BankSet;
//! use threat_interview::engine::{generate, merge};
//! use threat_interview::{AssuranceLevel, Engagement};
//!
//! let mut engagement = Engagement::new("e1", "Shop", AssuranceLevel::Fast);
//! engagement.model = serde_json::from_value(serde_json::json!({
//!     "elements": [
//!         {"id": "customer", "name": "Customer", "kind": "external_interactor"},
//!         {"id": "web", "name": "Web shop", "kind": "process"}
//!     ],
//!     "flows": [{"id": "f1", "name": "browse", "source": "customer", "target": "web"}]
//! })).unwrap();
//! let banks = BankSet::builtin();
//! let questions = generate(&engagement, &banks).questions();
//! let report = merge(&mut engagement, questions);
//! assert_eq!(report.added.len(), engagement.questions.len());
//! ```

mod eval;
mod merge;
mod render;

use std::collections::HashSet;
use std::fmt::Write as _;

pub use merge::{MergeReport, is_answered, merge};

use crate::bank::{BankSet, BankTemplate, Template};
use crate::graph::{ComponentGraph, ElementIx, FlowIx, WalkItem};
use crate::model::{Engagement, Provenance, Question, QuestionStatus, Role, Stride, SubjectKind};

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

/// One generated question, compact (20 bytes): its template, subject and matched nodes are
/// indices; its text is rendered when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Item {
    template: u32,
    /// The element's or flow's position; 0 at engagement level.
    subject_ix: u32,
    matched_start: u32,
    matched_len: u16,
    /// 0 engagement, 1 element, 2 flow.
    subject_tag: u8,
    reachable: bool,
}

impl Item {
    fn subject(&self) -> Subject {
        let ix = self.subject_ix as usize;
        match self.subject_tag {
            1 => Subject::Element(ElementIx(ix)),
            2 => Subject::Flow(FlowIx(ix)),
            _ => Subject::Engagement,
        }
    }
}

/// The component graph a [`Generated`] renders its texts with: built by [`generate`], or lent
/// to [`generate_with_graph`].
#[derive(Debug)]
enum GraphRef<'a> {
    Owned(Box<ComponentGraph<'a>>),
    Borrowed(&'a ComponentGraph<'a>),
}

impl<'a> GraphRef<'a> {
    fn get(&self) -> &ComponentGraph<'a> {
        match self {
            GraphRef::Owned(graph) => graph,
            GraphRef::Borrowed(graph) => graph,
        }
    }
}

/// The questions generated for an engagement, in interview order.
///
/// Compact: each question is a template, a subject and the condition nodes that matched. Texts
/// are rendered when asked for ([`GeneratedQuestion::text`], [`Generated::questions`]), so
/// that generation itself allocates nothing per question.
#[derive(Debug)]
pub struct Generated<'a> {
    engagement: &'a Engagement,
    banks: &'a BankSet,
    graph: GraphRef<'a>,
    items: Vec<Item>,
    /// Matched condition nodes of every question, sliced by `Item::matched_*`.
    matched: Vec<u32>,
    pointers: Vec<Vec<String>>,
    roles: Vec<Role>,
    unreachable: Vec<Subject>,
}

/// Generates the questions the banks ask about an engagement, in interview order.
pub fn generate<'a>(engagement: &'a Engagement, banks: &'a BankSet) -> Generated<'a> {
    let graph = ComponentGraph::new(&engagement.model);
    let parts = run(engagement, banks, &graph);
    parts.into_generated(engagement, banks, GraphRef::Owned(Box::new(graph)))
}

/// What a run of the engine produces, before it is paired with its graph.
struct Parts {
    items: Vec<Item>,
    matched: Vec<u32>,
    pointers: Vec<Vec<String>>,
    roles: Vec<Role>,
    unreachable: Vec<Subject>,
}

impl Parts {
    fn into_generated<'a>(
        self,
        engagement: &'a Engagement,
        banks: &'a BankSet,
        graph: GraphRef<'a>,
    ) -> Generated<'a> {
        Generated {
            engagement,
            banks,
            graph,
            items: self.items,
            matched: self.matched,
            pointers: self.pointers,
            roles: self.roles,
            unreachable: self.unreachable,
        }
    }
}

/// [`generate`], with the engagement's component graph already built.
///
/// # Panics
///
/// If `graph` was not built from `engagement.model`.
pub fn generate_with_graph<'a>(
    engagement: &'a Engagement,
    banks: &'a BankSet,
    graph: &'a ComponentGraph<'a>,
) -> Generated<'a> {
    assert!(
        std::ptr::eq(graph.model(), &raw const engagement.model),
        "the graph must be built from the engagement's model"
    );
    run(engagement, banks, graph).into_generated(engagement, banks, GraphRef::Borrowed(graph))
}

fn run(engagement: &Engagement, banks: &BankSet, graph: &ComponentGraph<'_>) -> Parts {
    let templates = banks.all_templates();
    let present: HashSet<&Role> = engagement
        .participants
        .iter()
        .flat_map(|p| &p.roles)
        .collect();
    let roles: Vec<Role> = templates
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
        .collect();
    let programs: Vec<Program> = templates
        .iter()
        .map(|t| Program::compile(t.template.when.as_ref(), graph))
        .collect();
    let mut by_kind: [Vec<u32>; 4] = Default::default();
    let mut engagement_level = Vec::new();
    for (i, t) in templates.iter().enumerate() {
        if t.disabled {
            continue;
        }
        let i = u32::try_from(i).expect("fewer than 2^32 templates");
        if t.template.is_engagement_level() {
            engagement_level.push(i);
        }
        for kind in SubjectKind::ALL {
            if t.template.applies_to_kind(kind) {
                by_kind[kind_slot(kind)].push(i);
            }
        }
    }
    // Business stakeholders open the engagement; the sort is stable, so bank order holds
    // within each group.
    engagement_level.sort_by_key(|&i| roles[i as usize] != Role::BusinessStakeholder);

    let facts = Facts::new(graph);
    let walk = graph.walk();
    // An upper bound on the number of questions (every template applying): reserving it costs
    // address space, not memory, and saves copying a large vector as it grows.
    let mut bound = engagement_level.len();
    for step in &walk {
        let kind = match step.item {
            WalkItem::Element(e) => SubjectKind::from(graph.element(e).kind),
            WalkItem::Flow(_) => SubjectKind::DataFlow,
        };
        bound += by_kind[kind_slot(kind)].len();
    }
    let mut generated = Parts {
        items: Vec::with_capacity(bound),
        matched: Vec::new(),
        pointers: Vec::new(),
        roles,
        unreachable: Vec::new(),
    };
    for &i in &engagement_level {
        generated.items.push(Item {
            template: i,
            subject_ix: 0,
            matched_start: 0,
            matched_len: 0,
            subject_tag: 0,
            reachable: true,
        });
    }
    // Evaluate in model order, the order in which the model lies in memory, then lay the
    // questions out in walk order: evaluating in walk order jumps around a large model and
    // made the cost per element grow with the model's size.
    let model = graph.model();
    let subjects = model.elements.len() + model.flows.len();
    let mut offsets: Vec<usize> = Vec::with_capacity(subjects + 1);
    let mut evaluated: Vec<Item> = Vec::with_capacity(bound);
    let mut scratch = Vec::new();
    let targets = graph
        .element_ixs()
        .map(Target::Element)
        .chain(graph.flow_ixs().map(Target::Flow));
    for target in targets {
        offsets.push(evaluated.len());
        let (tag, ix, kind, out_of_scope) = match target {
            Target::Element(e) => {
                let element = graph.element(e);
                (
                    1,
                    e.0,
                    SubjectKind::from(element.kind),
                    element.out_of_scope,
                )
            }
            Target::Flow(f) => (2, f.0, SubjectKind::DataFlow, graph.flow(f).out_of_scope),
        };
        if out_of_scope {
            continue;
        }
        let subject_ix = u32::try_from(ix).expect("fewer than 2^32 elements and flows");
        for &i in &by_kind[kind_slot(kind)] {
            scratch.clear();
            if !programs[i as usize].eval(&facts, target, &mut scratch) {
                continue;
            }
            let matched_start =
                u32::try_from(generated.matched.len()).expect("fewer than 2^32 matches");
            generated.matched.extend_from_slice(&scratch);
            evaluated.push(Item {
                template: i,
                subject_ix,
                matched_start,
                matched_len: u16::try_from(scratch.len()).expect("fewer than 2^16 nodes"),
                subject_tag: tag,
                reachable: true,
            });
        }
    }
    offsets.push(evaluated.len());
    for step in walk {
        let (slot, subject, out_of_scope) = match step.item {
            WalkItem::Element(e) => (e.0, Subject::Element(e), graph.element(e).out_of_scope),
            WalkItem::Flow(f) => (
                model.elements.len() + f.0,
                Subject::Flow(f),
                graph.flow(f).out_of_scope,
            ),
        };
        if out_of_scope {
            continue;
        }
        if !step.reachable {
            generated.unreachable.push(subject);
        }
        let items = &evaluated[offsets[slot]..offsets[slot + 1]];
        generated.items.extend(items.iter().map(|item| Item {
            reachable: step.reachable,
            ..*item
        }));
    }
    debug_assert_eq!(subjects + 1, offsets.len());
    generated.pointers = programs.into_iter().map(|p| p.pointers).collect();
    generated
}

fn kind_slot(kind: SubjectKind) -> usize {
    match kind {
        SubjectKind::ExternalInteractor => 0,
        SubjectKind::Process => 1,
        SubjectKind::DataStore => 2,
        SubjectKind::DataFlow => 3,
    }
}

/// A generated question, borrowed from [`Generated`].
#[derive(Debug, Clone, Copy)]
pub struct GeneratedQuestion<'g> {
    generated: &'g Generated<'g>,
    item: &'g Item,
}

impl<'g> GeneratedQuestion<'g> {
    fn entry(&self) -> &'g BankTemplate {
        &self.generated.banks.all_templates()[self.item.template as usize]
    }

    /// The template it comes from.
    pub fn template(&self) -> &'g Template {
        &self.entry().template
    }

    /// The id of the bank the template comes from.
    pub fn bank(&self) -> &'g str {
        &self.entry().bank
    }

    /// What it is about.
    pub fn subject(&self) -> Subject {
        self.item.subject()
    }

    /// The id of the element or flow it is about; `None` at engagement level.
    pub fn subject_id(&self) -> Option<&'g str> {
        let model = &self.generated.engagement.model;
        match self.item.subject() {
            Subject::Engagement => None,
            Subject::Element(e) => Some(&model.elements[e.0].id),
            Subject::Flow(f) => Some(&model.flows[f.0].id),
        }
    }

    /// The stable id: `<template-id>@<subject-id>`, or the template id at engagement level.
    pub fn id(&self) -> String {
        let template = &self.template().id;
        match self.subject_id() {
            Some(subject) => format!("{template}@{subject}"),
            None => template.clone(),
        }
    }

    /// The text, placeholders filled with names.
    pub fn text(&self) -> String {
        let mut text = String::new();
        self.write_text(&mut SubjectTexts::default(), &mut text);
        text
    }

    /// Appends the text to `out`; `cache` holds list placeholders of the last subject rendered.
    fn write_text(&self, cache: &mut SubjectTexts, out: &mut String) {
        let renderer = Renderer {
            graph: self.generated.graph.get(),
            engagement_name: &self.generated.engagement.name,
        };
        let target = match self.item.subject() {
            Subject::Engagement => None,
            Subject::Element(e) => Some(Target::Element(e)),
            Subject::Flow(f) => Some(Target::Flow(f)),
        };
        renderer.render(&self.entry().segments, target, cache, out);
    }

    /// The STRIDE category; `None` at engagement level.
    pub fn category(&self) -> Option<Stride> {
        self.template().category
    }

    /// The role it is routed to: the first of the template's roles the engagement has a
    /// participant for, or else the first.
    pub fn role(&self) -> &'g Role {
        &self.generated.roles[self.item.template as usize]
    }

    /// Whether its subject is reachable from an external interactor.
    pub fn reachable(&self) -> bool {
        self.item.reachable
    }

    /// The JSON Pointers, within the template, of the condition nodes that matched.
    pub fn matched(&self) -> impl Iterator<Item = &'g str> + use<'g> {
        let start = self.item.matched_start as usize;
        let end = start + usize::from(self.item.matched_len);
        let pointers = &self.generated.pointers[self.item.template as usize];
        self.generated.matched[start..end]
            .iter()
            .map(move |&node| pointers[node as usize].as_str())
    }

    /// The question as stored in an engagement, open and unanswered.
    pub fn to_question(&self) -> Question {
        self.question_with(&mut SubjectTexts::default())
    }

    fn question_with(&self, cache: &mut SubjectTexts) -> Question {
        let template = self.template();
        let mut text = String::with_capacity(template.text.len() + 32);
        self.write_text(cache, &mut text);
        let mut rationale = template.rationale.clone();
        if !self.item.reachable {
            let name = match self.item.subject() {
                Subject::Element(e) => &self.generated.engagement.model.elements[e.0].name,
                Subject::Flow(f) => &self.generated.engagement.model.flows[f.0].name,
                Subject::Engagement => &self.generated.engagement.name,
            };
            let _ = write!(
                rationale,
                " (Asked last: {name} is reachable from no external interactor.)"
            );
        }
        Question {
            id: self.id(),
            text,
            category: template.category,
            subjects: self.subject_id().map(str::to_owned).into_iter().collect(),
            role: self.role().clone(),
            priority: template.priority,
            minutes: template.minutes,
            rationale: Some(rationale),
            follow_up_prompts: template.follow_ups.clone(),
            references: template.references.clone(),
            status: QuestionStatus::Open,
            obsolete: false,
            answers: Vec::new(),
            provenance: Some(Provenance {
                template: template.id.clone(),
                bank: self.bank().to_owned(),
                matched: self.matched().map(str::to_owned).collect(),
            }),
            extensions: None,
        }
    }
}

impl<'a> Generated<'a> {
    /// The number of questions.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no question was generated.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The questions, in interview order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = GeneratedQuestion<'_>> {
        self.items.iter().map(move |item| GeneratedQuestion {
            generated: self,
            item,
        })
    }

    /// The questions as stored in an engagement, in interview order.
    pub fn questions(&self) -> Vec<Question> {
        let mut cache = SubjectTexts::default();
        let mut last = None;
        self.iter()
            .map(|q| {
                // List placeholders are computed once per subject: questions about one subject
                // are consecutive.
                if last != Some(q.item.subject()) {
                    cache.clear();
                    last = Some(q.item.subject());
                }
                q.question_with(&mut cache)
            })
            .collect()
    }

    /// The elements and flows reachable from no external interactor (and in scope), in walk
    /// order: their questions come last.
    pub fn unreachable(&self) -> &[Subject] {
        &self.unreachable
    }

    /// The ids of [`Generated::unreachable`].
    pub fn unreachable_ids(&self) -> Vec<&'a str> {
        let model = &self.engagement.model;
        self.unreachable
            .iter()
            .filter_map(|s| match *s {
                Subject::Element(e) => Some(model.elements[e.0].id.as_str()),
                Subject::Flow(f) => Some(model.flows[f.0].id.as_str()),
                Subject::Engagement => None,
            })
            .collect()
    }

    /// The engagement the questions are for.
    pub fn engagement(&self) -> &'a Engagement {
        self.engagement
    }

    /// The banks the questions come from.
    pub fn banks(&self) -> &'a BankSet {
        self.banks
    }
}
