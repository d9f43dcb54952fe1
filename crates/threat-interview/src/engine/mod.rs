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

use std::collections::HashSet;
use std::fmt::Write as _;
use std::sync::Arc;

pub use merge::{MergeReport, is_answered};

use crate::bank::{BankSet, BankTemplate, Template};
use crate::graph::{ComponentGraph, ElementIx, FlowIx, WalkItem};
use crate::model::{Engagement, Provenance, Question, QuestionStatus, Role, Stride, SubjectKind};
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
}

/// A question engine: banks layered once, reused for every engagement.
#[derive(Debug, Clone)]
pub struct Engine {
    banks: Arc<BankSet>,
}

impl Engine {
    /// An engine asking the questions of these banks.
    pub fn new(banks: BankSet) -> Engine {
        Engine {
            banks: Arc::new(banks),
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
        let graph = match ComponentGraph::new(&engagement.model) {
            Ok(graph) => Arc::new(graph),
            // Validation refuses models too large for a graph; stay total anyway.
            Err(_) => return self.empty(&engagement),
        };
        self.generate_on(&engagement, &graph)
    }

    fn empty(&self, engagement: &Engagement) -> Questions {
        Questions {
            graph: Arc::new(ComponentGraph::empty()),
            banks: Arc::clone(&self.banks),
            engagement_name: engagement.name.clone(),
            roles: Vec::new(),
            items: Vec::new(),
            subjects: Vec::new(),
            matched: Vec::new(),
            pointers: Vec::new(),
            unreachable: Vec::new(),
        }
    }

    fn generate_on(&self, engagement: &Engagement, graph: &Arc<ComponentGraph>) -> Questions {
        let templates = self.banks.all_templates();
        let roles = route(engagement, templates);
        let programs: Vec<Program> = templates
            .iter()
            .map(|t| Program::compile(t.template.when.as_ref(), graph))
            .collect();
        let mut by_kind: [Vec<u32>; 4] = Default::default();
        let mut engagement_level = Vec::new();
        for (i, t) in templates.iter().enumerate() {
            // Fewer than 2^32 templates: a bank that large could not be read within the limits.
            let Ok(i) = u32::try_from(i) else { break };
            if t.disabled {
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
        // Business stakeholders open the engagement; the sort is stable, so bank order holds
        // within each group.
        engagement_level.sort_by_key(|&i| roles[i as usize] != Role::BusinessStakeholder);

        let mut out = Questions {
            graph: Arc::clone(graph),
            banks: Arc::clone(&self.banks),
            engagement_name: engagement.name.clone(),
            roles,
            items: Vec::new(),
            subjects: Vec::new(),
            matched: Vec::new(),
            pointers: Vec::new(),
            unreachable: Vec::new(),
        };
        for &i in &engagement_level {
            out.push(i, Subject::Engagement, &[], true);
        }
        // Evaluate in model order, the order in which the model lies in memory, then lay the
        // questions out in walk order: evaluating in walk order jumps around a large model and
        // made the cost per element grow with the model's size.
        let facts = Facts::new(graph);
        let model = graph.model();
        let n_elements = model.elements.len();
        let mut offsets: Vec<usize> = Vec::with_capacity(n_elements + model.flows.len() + 1);
        let mut evaluated: Vec<(u32, u32, u32)> = Vec::new();
        let mut matched: Vec<u32> = Vec::new();
        let mut scratch = Vec::new();
        let targets = graph
            .element_ixs()
            .map(Target::Element)
            .chain(graph.flow_ixs().map(Target::Flow));
        for target in targets {
            offsets.push(evaluated.len());
            let (kind, out_of_scope) = match target {
                Target::Element(e) => {
                    let element = graph.element(e);
                    (SubjectKind::from(element.kind), element.out_of_scope)
                }
                Target::Flow(f) => (SubjectKind::DataFlow, graph.flow(f).out_of_scope),
            };
            if out_of_scope {
                continue;
            }
            for &i in &by_kind[kind.index()] {
                scratch.clear();
                if !programs[i as usize].eval(&facts, target, &mut scratch) {
                    continue;
                }
                let start = u32::try_from(matched.len()).unwrap_or(u32::MAX);
                matched.extend_from_slice(&scratch);
                let len = u32::try_from(scratch.len()).unwrap_or(u32::MAX);
                evaluated.push((i, start, len));
            }
        }
        offsets.push(evaluated.len());
        for step in graph.walk() {
            let (slot, subject) = match step.item {
                WalkItem::Element(e) => (e.index(), Subject::Element(e)),
                WalkItem::Flow(f) => (n_elements + f.index(), Subject::Flow(f)),
            };
            let (Some(&from), Some(&to)) = (offsets.get(slot), offsets.get(slot + 1)) else {
                continue;
            };
            let in_scope = match subject {
                Subject::Element(e) => !graph.element(e).out_of_scope,
                Subject::Flow(f) => !graph.flow(f).out_of_scope,
                Subject::Engagement => true,
            };
            if in_scope && !step.reachable {
                out.unreachable.push(subject);
            }
            for &(template, start, len) in &evaluated[from..to] {
                let nodes = &matched[start as usize..(start + len) as usize];
                out.push(template, subject, nodes, step.reachable);
            }
        }
        out.pointers = programs.into_iter().map(|p| p.pointers).collect();
        out
    }
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
    /// The role of each template's questions, by template index.
    roles: Vec<Role>,
    items: Vec<Item>,
    subjects: Vec<Subject>,
    matched: Vec<u32>,
    /// The JSON Pointer of each condition node, by template index.
    pointers: Vec<Vec<String>>,
    unreachable: Vec<Subject>,
}

impl Questions {
    fn push(&mut self, template: u32, subject: Subject, matched: &[u32], reachable: bool) {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.items.push(Item {
            template,
            subjects_start: clamp(self.subjects.len()),
            subjects_len: 1,
            matched_start: clamp(self.matched.len()),
            matched_len: clamp(matched.len()),
            reachable,
        });
        self.subjects.push(subject);
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
        self.to_questions_where(|_| true)
    }

    /// The questions that pass a filter, as stored in an engagement, in interview order.
    pub fn to_questions_where(
        &self,
        mut keep: impl FnMut(&GeneratedQuestion<'_>) -> bool,
    ) -> Vec<Question> {
        let mut cache = SubjectTexts::default();
        let mut last = None;
        self.iter()
            .filter(|q| keep(q))
            .map(|q| {
                // List placeholders are computed once per subject: questions about one subject
                // are consecutive.
                let subject = q.subjects().next();
                if last != Some(subject) {
                    cache.clear();
                    last = Some(subject);
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

    /// The ids of [`Questions::unreachable`].
    pub fn unreachable_ids(&self) -> Vec<&str> {
        self.unreachable
            .iter()
            .filter_map(|&s| self.subject_id(s))
            .collect()
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

/// Escapes one part of a question id: `%` as `%25`, `@` as `%40`, so that `<template>@<subject>`
/// can be split back and two questions never share an id.
pub fn escape_id_part(part: &str) -> std::borrow::Cow<'_, str> {
    if part.contains(['%', '@']) {
        std::borrow::Cow::Owned(part.replace('%', "%25").replace('@', "%40"))
    } else {
        std::borrow::Cow::Borrowed(part)
    }
}

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

    fn entry(&self) -> &'g BankTemplate {
        &self.questions.banks.all_templates()[self.item.template as usize]
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

    /// The stable id: `<template-id>@<subject-id>`, or the template id at engagement level.
    pub fn id(&self) -> String {
        let template = escape_id_part(&self.template().id);
        let subjects = self.subject_ids();
        match subjects.first() {
            Some(subject) => format!("{template}@{}", escape_id_part(subject)),
            None => template.into_owned(),
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
            graph: &self.questions.graph,
            engagement_name: &self.questions.engagement_name,
        };
        let target = match self.subjects().next() {
            None | Some(Subject::Engagement) => None,
            Some(Subject::Element(e)) => Some(Target::Element(e)),
            Some(Subject::Flow(f)) => Some(Target::Flow(f)),
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
        &self.questions.roles[self.item.template as usize]
    }

    /// Whether its subject is reachable from an external interactor.
    pub fn reachable(&self) -> bool {
        self.item.reachable
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
        let mut text = String::with_capacity(template.text.len() + 32);
        self.write_text(cache, &mut text);
        let mut rationale = template.rationale.clone();
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
            template.minutes,
        );
        question.category = template.category;
        question.subjects = self.subject_ids().into_iter().map(str::to_owned).collect();
        question.rationale = Some(rationale);
        question.follow_up_prompts.clone_from(&template.follow_ups);
        question.references.clone_from(&template.references);
        question.status = QuestionStatus::Open;
        question.provenance = Some(provenance);
        question
    }
}
