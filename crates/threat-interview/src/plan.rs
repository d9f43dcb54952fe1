//! Planning: which open questions each interview asks, within its time box, so that every
//! (subject, STRIDE category) pair is surfaced in the time people give.
//!
//! Interviews are planned in calendar order; each takes questions routed to its roles that no
//! other interview has. An agenda is filled in five passes (see `docs/planning.md`):
//!
//! 1. **openers**: the questions that open every interview of the role (the architecture
//!    walk-through, the worst outcomes and the calibration of the STRIDE categories);
//! 2. **engagement-level** questions (asked once, not per component: secrets, pipeline, supply
//!    chain, incident response), in bank order, up to half the time box;
//! 3. **stated**: the questions that quote what the model's descriptions say (the kind blind
//!    reviewers rate best), up to a sixth of the time box;
//! 4. **riskiest**: the highest scores first, up to another sixth, so that the engagement's
//!    riskiest questions are not crowded out by broad ones that cover more pairs (tagged
//!    [`Reason::Score`]);
//! 5. **coverage**: a greedy weighted set cover: while some question covers a pair no agenda
//!    covers yet, take the one that covers the most uncovered risk per minute
//!    ([`crate::risk`]), with lazy re-evaluation (a question's gain only falls as others are
//!    taken, so a popped question whose recomputed gain still tops the heap is the best);
//! 6. **score**: the rest of the time, highest score first (priority × the highest risk among
//!    the pairs the question covers).
//!
//! No template appears more than [`MAX_PER_TEMPLATE`] times on one agenda. The agenda is then
//! laid out as an interview runs: openers, engagement-level questions, then the model's
//! questions in walk order (the order generation gave them), from the first external
//! interactor. What did not fit is carried over to the next interview with the role, and what
//! no later interview can take becomes the interview's "if time permits" tail (up to a quarter
//! of its time box) and the did-not-fit list, from which [`follow_ups`] makes follow-ups.
//!
//! Planning is linear in the number of questions per interview (a pool per role that shrinks
//! as interviews take questions), not in interviews × questions of every role.
//!
//! ```
//! use threat_interview::plan::score;
//! assert_eq!(score(4, 60), 240);
//! ```

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

// foldhash: ids and small keys, hashed many times per planning run.
use foldhash::{HashMap, HashMapExt, HashSet};

use serde::Serialize;

use crate::engine::{Questions, Subject};
use crate::graph::{ComponentGraph, WalkItem};
use crate::model::{
    AgendaItem, Engagement, FollowUp, Interview, InterviewStatus, Question, QuestionStatus, Role,
    Stride, SubjectKind,
};
use crate::risk::{RiskMap, weights_of};

/// The most questions of one template on one agenda.
pub const MAX_PER_TEMPLATE: usize = 2;

/// The share of a time box the "if time permits" tail may hold, in percent.
pub const TAIL_PERCENT: u32 = 25;

/// The risk an engagement-level question is scored with (it covers no pair): the default
/// weight times a directly exposed element's exposure.
const ENGAGEMENT_RISK: u32 = 18;

/// Why an interview could not be planned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// No interview has this id.
    #[error("no interview `{id}`")]
    UnknownInterview {
        /// The id asked for.
        id: String,
    },
    /// The interview was held or cancelled: its agenda is history.
    #[error("interview `{id}` is not planned any more: it was {status}")]
    NotPlanned {
        /// The interview's id.
        id: String,
        /// `held` or `cancelled`.
        status: &'static str,
    },
}

/// Why a question is on an agenda.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// It opens every interview of its role.
    Opener,
    /// It is asked once per engagement.
    Engagement,
    /// It starts from what the model's own descriptions say (a quote).
    Stated,
    /// It surfaces (subject, category) pairs no earlier question covers.
    Coverage,
    /// It ranks high: among the riskiest, taken before coverage within a sixth of the time
    /// box, or once every pair it could surface is covered.
    Score,
}

impl Reason {
    /// The identifier used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Opener => "opener",
            Reason::Engagement => "engagement",
            Reason::Stated => "stated",
            Reason::Coverage => "coverage",
            Reason::Score => "score",
        }
    }
}

/// A question on an agenda, and why it is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedItem {
    /// The question's id.
    pub question: String,
    /// Its minutes.
    pub minutes: u32,
    /// Its score.
    pub score: u32,
    /// Why it was chosen.
    pub reason: Reason,
    /// The (subject, category) pairs it surfaces that no question before it on any agenda did.
    pub new_pairs: u32,
}

/// A question that did not fit an interview's time box.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deferred {
    /// The question's id.
    pub question: String,
    /// Its minutes.
    pub minutes: u32,
    /// Its score.
    pub score: u32,
    /// The next planned interview with the question's role, if any; `None` means it goes to the
    /// did-not-fit (follow-up candidate) list.
    pub next_interview: Option<String>,
}

/// The agenda given to one interview, and what did not fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InterviewPlan {
    /// The interview's id.
    pub interview: String,
    /// The agenda, in the order it is asked, with the reason for each question.
    pub agenda: Vec<PlannedItem>,
    /// The minutes the agenda takes.
    pub minutes_used: u32,
    /// The interview's time box.
    pub minutes_available: u32,
    /// Questions to ask if time permits: the best of what did not fit that no later interview
    /// can take, up to a quarter of the time box.
    pub if_time_permits: Vec<PlannedItem>,
    /// The open questions for its roles that did not fit, highest score first: the first
    /// [`DEFERRED_LISTED`] of them (`EngagementPlan::did_not_fit` lists every question no
    /// interview takes).
    pub deferred: Vec<Deferred>,
    /// How many open questions for its roles did not fit.
    pub deferred_count: usize,
    /// How many of them a later interview with the role may take.
    pub carried_over: usize,
}

/// The most deferred questions an [`InterviewPlan`] lists; the rest are counted.
pub const DEFERRED_LISTED: usize = 100;

/// The open questions on no agenda after planning (no interview with their role, or no room
/// left), highest score first: candidates for follow-ups. Every one is listed, but their ids
/// are kept in one buffer rather than a `String` each (a 10,000-element model leaves tens of
/// thousands): each read ([`DidNotFit::get`], [`DidNotFit::iter`]) builds a [`Deferred`] (with
/// no next interview), and the list is written as a list of them without building any.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct DidNotFit {
    /// Every id, one after the other.
    ids: String,
    /// Each question's end in `ids`, minutes and score.
    items: Vec<(usize, u32, u32)>,
}

/// A [`Deferred`] of [`DidNotFit`], borrowed from its buffer: written as a `Deferred` is.
#[derive(Serialize)]
struct DeferredRef<'p> {
    question: &'p str,
    minutes: u32,
    score: u32,
    next_interview: Option<&'p str>,
}

impl DidNotFit {
    /// How many questions did not fit.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether every open question is on some agenda.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The `n`-th question, in score order.
    pub fn get(&self, n: usize) -> Option<Deferred> {
        self.items
            .get(n)
            .map(|&item| self.view(n, item).to_deferred())
    }

    /// The questions, highest score first.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Deferred> + '_ {
        self.views().map(|d| d.to_deferred())
    }

    fn views(&self) -> impl ExactSizeIterator<Item = DeferredRef<'_>> + '_ {
        self.items
            .iter()
            .enumerate()
            .map(|(n, &item)| self.view(n, item))
    }

    fn view(&self, n: usize, (end, minutes, score): (usize, u32, u32)) -> DeferredRef<'_> {
        let start = if n == 0 { 0 } else { self.items[n - 1].0 };
        DeferredRef {
            question: &self.ids[start..end],
            minutes,
            score,
            next_interview: None,
        }
    }

    /// Adds a question whose id `write_id` appends to the buffer.
    fn push(&mut self, write_id: impl FnOnce(&mut String), minutes: u32, score: u32) {
        write_id(&mut self.ids);
        self.items.push((self.ids.len(), minutes, score));
    }
}

impl DeferredRef<'_> {
    fn to_deferred(&self) -> Deferred {
        Deferred {
            question: self.question.to_owned(),
            minutes: self.minutes,
            score: self.score,
            next_interview: self.next_interview.map(str::to_owned),
        }
    }
}

impl<'p> IntoIterator for &'p DidNotFit {
    type Item = Deferred;
    type IntoIter = Box<dyn ExactSizeIterator<Item = Deferred> + 'p>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl std::fmt::Debug for DidNotFit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for DidNotFit {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.views())
    }
}

/// A (subject, category) pair on no agenda, as [`PlanGaps`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlanGap<'p> {
    /// The element's or flow's id.
    pub subject: &'p str,
    /// The category.
    pub category: Stride,
    /// Whether some open question covers it (it did not fit); `false`: none was generated.
    pub has_question: bool,
}

/// The in-scope pairs reachable from an interactor that no agenda, asked or answered question
/// covers, in walk order. Every one is listed; each subject's id is kept once in one buffer
/// (a 10,000-element model can leave over a hundred thousand pairs), and the pairs are read
/// as [`PlanGap`] views. Written as a list of [`PlanGap`].
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PlanGaps {
    /// The ids of the subjects with a gap, one after the other.
    ids: String,
    /// Each such subject's end in `ids`.
    ends: Vec<usize>,
    /// Each gap: its subject (by position in `ends`), its category, whether a question covers it.
    items: Vec<(u32, Stride, bool)>,
}

impl PlanGaps {
    /// How many pairs are on no agenda.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether every pair is on some agenda.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The `n`-th gap, in walk order.
    pub fn get(&self, n: usize) -> Option<PlanGap<'_>> {
        self.items.get(n).map(|&item| self.view(item))
    }

    /// The gaps, in walk order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = PlanGap<'_>> + '_ {
        self.items.iter().map(|&item| self.view(item))
    }

    fn view(&self, (subject, category, has_question): (u32, Stride, bool)) -> PlanGap<'_> {
        let s = subject as usize;
        let start = if s == 0 { 0 } else { self.ends[s - 1] };
        PlanGap {
            subject: &self.ids[start..self.ends[s]],
            category,
            has_question,
        }
    }

    /// Adds a gap; `same_subject`: of the subject of the gap added last.
    fn push(&mut self, subject: &str, same_subject: bool, category: Stride, has_question: bool) {
        if !same_subject || self.ends.is_empty() {
            self.ids.push_str(subject);
            self.ends.push(self.ids.len());
        }
        // Fewer subjects than 2^32: the graph refuses larger models.
        let at = u32::try_from(self.ends.len() - 1).unwrap_or(u32::MAX);
        self.items.push((at, category, has_question));
    }
}

impl<'p> IntoIterator for &'p PlanGaps {
    type Item = PlanGap<'p>;
    type IntoIter = Box<dyn ExactSizeIterator<Item = PlanGap<'p>> + 'p>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl std::fmt::Debug for PlanGaps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for PlanGaps {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The plans of every planned interview, and what no interview could take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngagementPlan {
    /// One plan per planned interview, in calendar order.
    pub interviews: Vec<InterviewPlan>,
    /// Open questions on no agenda after planning (no interview with their role, or no room
    /// left), highest score first: candidates for follow-ups.
    pub did_not_fit: DidNotFit,
    /// In-scope pairs reachable from an interactor that no agenda, asked or answered question
    /// covers, in walk order.
    pub gaps: PlanGaps,
}

/// Whether a stored question's text quotes the model's descriptions: the built-in bank writes
/// a quote (`{statement}`) after a colon, between “ and ” (`The model says of X: “…”`); a
/// flow's name in quotes (`the flow “use the app”`) follows no colon.
fn quotes_the_model(text: &str) -> bool {
    text.contains(": “")
}

/// The score of a question: its priority times a risk.
pub fn score(priority: u8, risk: u32) -> u32 {
    u32::from(priority).saturating_mul(risk)
}

/// Whether a question still needs asking.
fn is_open(q: &Question) -> bool {
    !q.obsolete && q.status == QuestionStatus::Open && q.answers.is_empty()
}

/// The calendar order of interviews: day, then slot, then start time, then file order.
fn calendar_key(i: &Interview) -> (u32, crate::model::Slot, Option<&str>) {
    (i.day, i.slot, i.start.as_deref())
}

/// A set of pair keys: a flag per (subject, category) of the model.
#[derive(Debug, Clone, Default)]
struct PairSet(Vec<bool>);

impl PairSet {
    fn with_capacity(pairs: usize) -> PairSet {
        PairSet(vec![false; pairs])
    }

    fn contains(&self, key: u32) -> bool {
        self.0.get(key as usize).copied().unwrap_or(false)
    }

    /// Adds a key; whether it was new.
    fn insert(&mut self, key: u32) -> bool {
        match self.0.get_mut(key as usize) {
            Some(slot) => !std::mem::replace(slot, true),
            None => false,
        }
    }

    fn extend(&mut self, keys: impl IntoIterator<Item = u32>) {
        for k in keys {
            self.insert(k);
        }
    }
}

/// Whether a question quotes what the model says, and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stated {
    No,
    /// It quotes a sentence of the model.
    Quote,
    /// It follows up a weakness the model states.
    Weakness,
}

/// One question as the planner sees it: indices and numbers, no text.
#[derive(Debug, Clone, Copy)]
struct Record {
    /// Index into `Facts::roles`.
    role: u32,
    minutes: u32,
    /// Interned template.
    template: u32,
    score: u32,
    opener: bool,
    /// Engagement-level: asked once, about no subject.
    once: bool,
    /// It quotes what the model says.
    stated: bool,
    /// It follows up a weakness the model states (`@weakness`): taken first among the
    /// questions that quote the model.
    weakness: bool,
    /// Still to be asked.
    open: bool,
    /// The range of its pairs in `Facts::pair_list`.
    pairs_start: u32,
    pairs_len: u32,
}

/// What the planner knows of the questions and the model, computed once per planning run.
struct Facts<'r> {
    records: Vec<Record>,
    /// The roles questions are routed to, by index.
    roles: Vec<&'r Role>,
    /// The pairs (as `slot * 6 + category`) each question covers, in scope and reachable.
    pair_list: Vec<u32>,
    /// The risk of each pair, by pair key.
    risk: Vec<u32>,
    /// Pairs already covered: by questions asked or answered, or on held interviews' agendas.
    covered: PairSet,
    /// The graph, for the gaps' walk.
    graph: &'r ComponentGraph,
}

fn stride_index(c: Stride) -> u32 {
    match c {
        Stride::Spoofing => 0,
        Stride::Tampering => 1,
        Stride::Repudiation => 2,
        Stride::InformationDisclosure => 3,
        Stride::DenialOfService => 4,
        Stride::ElevationOfPrivilege => 5,
    }
}

/// Pair keys and risks over one graph.
struct Pairs<'g> {
    graph: &'g ComponentGraph,
    risk_map: RiskMap,
    risk: Vec<u32>,
    /// Whether each pair counts, once worked out.
    known: Vec<Known>,
}

/// Whether a pair counts towards coverage, once worked out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Unknown,
    Counts,
    DoesNotCount,
}

impl<'g> Pairs<'g> {
    fn new(graph: &'g ComponentGraph, engagement: &Engagement) -> Pairs<'g> {
        let subjects = graph.model().elements.len() + graph.model().flows.len();
        Pairs {
            graph,
            risk_map: RiskMap::new(graph, weights_of(engagement)),
            risk: vec![0; subjects * 6],
            known: vec![Known::Unknown; subjects * 6],
        }
    }

    fn len(&self) -> usize {
        self.risk.len()
    }

    fn n_elements(&self) -> usize {
        self.graph.model().elements.len()
    }

    /// The key of a pair that counts (in scope, reachable, the category applies), recording
    /// its risk. Each pair is worked out once: many questions cover the same pairs.
    fn key(&mut self, subject: Subject, category: Stride) -> Option<u32> {
        let slot = match subject {
            Subject::Engagement => return None,
            Subject::Element(e) => e.index(),
            Subject::Flow(f) => self.n_elements() + f.index(),
        };
        let key = u32::try_from(slot).ok()?.checked_mul(6)? + stride_index(category);
        match self.known.get(key as usize)? {
            Known::Counts => return Some(key),
            Known::DoesNotCount => return None,
            Known::Unknown => {}
        }
        let graph = self.graph;
        let (kind, counts) = match subject {
            Subject::Engagement => return None,
            Subject::Element(e) => (
                SubjectKind::from(graph.element(e).kind),
                graph.is_in_review(e) && graph.is_reachable(e),
            ),
            Subject::Flow(f) => {
                let reachable = graph
                    .flow_endpoints(f)
                    .is_some_and(|(s, _)| graph.is_reachable(s));
                (
                    SubjectKind::DataFlow,
                    !graph.flow(f).out_of_scope && reachable,
                )
            }
        };
        if !counts || !category.applies_to(kind) {
            self.known[key as usize] = Known::DoesNotCount;
            return None;
        }
        self.risk[key as usize] = match subject {
            Subject::Element(e) => self.risk_map.element_risk(e, category),
            Subject::Flow(f) => self.risk_map.flow_risk(f, category),
            Subject::Engagement => return None,
        };
        self.known[key as usize] = Known::Counts;
        Some(key)
    }

    fn subject(&self, id: &str) -> Option<Subject> {
        self.graph
            .element_ix(id)
            .map(Subject::Element)
            .or_else(|| self.graph.flow_ix(id).map(Subject::Flow))
    }
}

/// Interns roles and templates while records are built.
#[derive(Default)]
struct Builder<'r> {
    records: Vec<Record>,
    roles: Vec<&'r Role>,
    role_ids: HashMap<&'r Role, u32>,
    pair_list: Vec<u32>,
    covered: PairSet,
}

impl<'r> Builder<'r> {
    fn new(pairs: usize) -> Builder<'r> {
        Builder {
            covered: PairSet::with_capacity(pairs),
            ..Builder::default()
        }
    }

    fn role(&mut self, role: &'r Role) -> u32 {
        let next = u32::try_from(self.roles.len()).unwrap_or(u32::MAX);
        *self.role_ids.entry(role).or_insert_with(|| {
            self.roles.push(role);
            next
        })
    }

    // One record's fields, named at the call sites.
    #[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
    fn push(
        &mut self,
        role: &'r Role,
        minutes: u32,
        priority: u8,
        template: u32,
        opener: bool,
        once: bool,
        stated: Stated,
        open: bool,
        done: bool,
        pairs: &[u32],
        risk: &[u32],
    ) {
        let role = self.role(role);
        let top = pairs
            .iter()
            .filter_map(|&k| risk.get(k as usize))
            .max()
            .copied();
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.records.push(Record {
            role,
            minutes,
            template,
            score: score(priority, top.unwrap_or(ENGAGEMENT_RISK)),
            opener,
            once,
            stated: stated != Stated::No,
            weakness: stated == Stated::Weakness,
            open,
            pairs_start: clamp(self.pair_list.len()),
            pairs_len: clamp(pairs.len()),
        });
        self.pair_list.extend_from_slice(pairs);
        if done {
            self.covered.extend(pairs.iter().copied());
        }
    }

    fn finish(self, pairs: Pairs<'r>) -> Facts<'r> {
        Facts {
            graph: pairs.graph,
            records: self.records,
            roles: self.roles,
            pair_list: self.pair_list,
            risk: pairs.risk,
            covered: self.covered,
        }
    }
}

impl<'r> Facts<'r> {
    /// The facts of an engagement's stored questions.
    fn of_engagement(engagement: &'r Engagement, graph: &'r ComponentGraph) -> Facts<'r> {
        let mut pairs = Pairs::new(graph, engagement);
        let mut builder = Builder::new(pairs.len());
        let held: HashSet<&str> = engagement
            .interviews
            .iter()
            .filter(|iv| iv.status == InterviewStatus::Held)
            .flat_map(|iv| iv.agenda.iter().map(|a| a.question.as_str()))
            .collect();
        let mut template_ids: HashMap<&str, u32> = HashMap::new();
        let mut own: Vec<u32> = Vec::new();
        for q in &engagement.questions {
            own.clear();
            if !q.obsolete {
                for (id, category) in q.covered_pairs() {
                    if let Some(key) = pairs.subject(id).and_then(|s| pairs.key(s, category))
                        && !own.contains(&key)
                    {
                        own.push(key);
                    }
                }
            }
            let template = q.provenance.as_ref().map_or(q.id.as_str(), |p| &p.template);
            let next = u32::try_from(template_ids.len()).unwrap_or(u32::MAX);
            let template = *template_ids.entry(template).or_insert(next);
            let done = !q.obsolete
                && (matches!(q.status, QuestionStatus::Asked | QuestionStatus::Answered)
                    || !q.answers.is_empty()
                    || held.contains(q.id.as_str()));
            builder.push(
                &q.role,
                q.minutes,
                q.priority,
                template,
                q.opener,
                q.subjects.is_empty(),
                if q.provenance.is_some() && q.id.ends_with(crate::engine::WEAKNESS_SUFFIX) {
                    Stated::Weakness
                } else if quotes_the_model(&q.text) {
                    Stated::Quote
                } else {
                    Stated::No
                },
                is_open(q),
                done,
                &own,
                &pairs.risk,
            );
        }
        builder.finish(pairs)
    }

    /// The facts of freshly generated questions: open, or answered by the model.
    fn of_generated(engagement: &Engagement, questions: &'r Questions) -> Facts<'r> {
        let mut pairs = Pairs::new(questions.graph(), engagement);
        let mut builder = Builder::new(pairs.len());
        let mut own: Vec<u32> = Vec::new();
        let mut covered = Vec::new();
        for q in questions.iter() {
            own.clear();
            q.covered_pairs_into(&mut covered);
            for &(subject, category) in &covered {
                if let Some(key) = pairs.key(subject, category)
                    && !own.contains(&key)
                {
                    own.push(key);
                }
            }
            let template = q.template();
            builder.push(
                q.role(),
                q.minutes(),
                template.priority,
                u32::try_from(q.template_index()).unwrap_or(u32::MAX),
                template.opener,
                template.is_engagement_level(),
                if q.checks_stated_weakness() {
                    Stated::Weakness
                } else if q.quotes_the_model() {
                    Stated::Quote
                } else {
                    Stated::No
                },
                // What the model answers is generated answered: covered, and on no agenda.
                !q.is_answered_by_model(),
                q.is_answered_by_model(),
                &own,
                &pairs.risk,
            );
        }
        builder.finish(pairs)
    }

    fn pairs(&self, q: usize) -> &[u32] {
        let r = self.records[q];
        &self.pair_list[r.pairs_start as usize..(r.pairs_start + r.pairs_len) as usize]
    }

    /// The uncovered risk a question would surface.
    fn gain(&self, q: usize, covered: &PairSet) -> u64 {
        self.pairs(q)
            .iter()
            .filter(|&&k| !covered.contains(k))
            .map(|&k| u64::from(self.risk.get(k as usize).copied().unwrap_or(1)))
            .sum()
    }
}

/// A candidate in the coverage heap: gain per minute, compared exactly (cross-multiplied),
/// earlier questions first on ties.
#[derive(Debug, PartialEq, Eq)]
struct Candidate {
    gain: u64,
    minutes: u64,
    index: usize,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        (u128::from(self.gain) * u128::from(other.minutes))
            .cmp(&(u128::from(other.gain) * u128::from(self.minutes)))
            .then(other.index.cmp(&self.index))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Appends the id of the question at an index to a buffer.
type IdWriter<'r> = Box<dyn Fn(usize, &mut String) + 'r>;

/// Planner state shared across the interviews of one planning run.
struct Planner<'r> {
    facts: Facts<'r>,
    /// Appends a question's id to a buffer: computed for the questions a plan names.
    id: IdWriter<'r>,
    covered: PairSet,
    /// Questions on some agenda already.
    taken: Vec<bool>,
    /// Open questions by role index, in question order; taken ones are dropped as
    /// interviews go.
    pools: Vec<Vec<usize>>,
    /// Open questions, highest score first (question order on ties): sorted once, so that
    /// no interview sorts its candidates again.
    by_score: Vec<usize>,
    /// A scratch mark per question, all `false` between interviews.
    mark: Vec<bool>,
}

impl<'r> Planner<'r> {
    fn new(facts: Facts<'r>, id: IdWriter<'r>, taken: Vec<bool>) -> Self {
        let mut covered = facts.covered.clone();
        let mut pools = vec![Vec::new(); facts.roles.len()];
        for (i, r) in facts.records.iter().enumerate() {
            if taken[i] {
                covered.extend(facts.pairs(i).iter().copied());
            } else if r.open {
                pools[r.role as usize].push(i);
            }
        }
        // Sorted with each key beside its index: no look-up of a record per comparison.
        let mut keyed: Vec<(Reverse<u32>, usize)> = facts
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.open)
            .map(|(i, r)| (Reverse(r.score), i))
            .collect();
        keyed.sort_unstable();
        let by_score: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
        let mark = vec![false; facts.records.len()];
        Planner {
            facts,
            id,
            covered,
            taken,
            pools,
            by_score,
            mark,
        }
    }

    fn role_index(&self, role: &Role) -> Option<usize> {
        self.facts.roles.iter().position(|r| *r == role)
    }

    /// Plans one interview.
    fn plan(&mut self, interview: &Interview, later: &[&Interview]) -> InterviewPlan {
        let mut roles: Vec<usize> = interview
            .roles
            .iter()
            .filter_map(|r| self.role_index(r))
            .collect();
        roles.sort_unstable();
        roles.dedup();
        // Each pool is in question order and the pools are disjoint: merged, not sorted.
        let mut candidates: Vec<usize> = Vec::new();
        for &r in &roles {
            let pool = self.pools[r].iter().copied().filter(|&i| !self.taken[i]);
            candidates = merge_sorted(&candidates, pool);
        }
        let records = &self.facts.records;
        let budget = interview.minutes;
        let mut used = 0u32;
        let mut chosen: Vec<(usize, Reason, u32)> = Vec::new();
        let mut per_template: HashMap<u32, usize> = HashMap::new();
        let mut picked = vec![false; candidates.len()];
        let fits = |used: u32, q: usize| {
            used.checked_add(records[q].minutes)
                .is_some_and(|m| m <= budget)
        };
        let room = |per_template: &HashMap<u32, usize>, q: usize| {
            per_template.get(&records[q].template).copied().unwrap_or(0) < MAX_PER_TEMPLATE
        };
        // Passes 1 and 2: openers, then engagement-level questions up to half the time box.
        let mut take = Vec::new();
        for (pass, limit) in [(Reason::Opener, budget), (Reason::Engagement, budget / 2)] {
            for (c, &q) in candidates.iter().enumerate() {
                let r = records[q];
                let wanted = match pass {
                    Reason::Opener => r.opener,
                    _ => !r.opener && r.once,
                };
                if !wanted || picked[c] || !fits(used, q) || !room(&per_template, q) {
                    continue;
                }
                if pass == Reason::Engagement && used + r.minutes > limit.max(1) {
                    continue;
                }
                *per_template.entry(r.template).or_default() += 1;
                used += r.minutes;
                picked[c] = true;
                take.push((q, pass));
            }
        }
        // Pass 3: what the model's own descriptions say, up to a sixth of the time box: the
        // questions that quote it are the ones reviewers rate best (docs/question-quality.md).
        // The follow-ups of the weaknesses it states come first (rounds 92 to 94: every
        // reviewer asked that a stated weakness be put to its owner).
        let limit = used + budget / 6;
        let weakness_first = candidates
            .iter()
            .enumerate()
            .filter(|&(_, &q)| records[q].weakness)
            .chain(
                candidates
                    .iter()
                    .enumerate()
                    .filter(|&(_, &q)| !records[q].weakness),
            );
        for (c, &q) in weakness_first {
            let r = records[q];
            if !r.stated || r.opener || r.once || picked[c] || !room(&per_template, q) {
                continue;
            }
            if !fits(used, q) || used + r.minutes > limit {
                continue;
            }
            *per_template.entry(r.template).or_default() += 1;
            used += r.minutes;
            picked[c] = true;
            take.push((q, Reason::Stated));
        }
        // Pass 3b: the riskiest questions, highest score first, up to a sixth of the time box
        // (blind reviews of the plans for rounds 87 and 88: the cover pass filled interviews
        // with broad questions while the question with the engagement's highest score, on
        // changes to landlords' bank details, did not fit).
        let limit = used + budget / 6;
        for (c, &q) in candidates.iter().enumerate() {
            if !picked[c] {
                self.mark[q] = true;
            }
        }
        for &q in &self.by_score {
            if !self.mark[q] {
                continue;
            }
            let r = records[q];
            if r.opener || r.once || !room(&per_template, q) {
                continue;
            }
            if !fits(used, q) || used + r.minutes > limit {
                continue;
            }
            *per_template.entry(r.template).or_default() += 1;
            used += r.minutes;
            // No longer marked: picked (as in pass 5).
            self.mark[q] = false;
            take.push((q, Reason::Score));
        }
        for (c, &q) in candidates.iter().enumerate() {
            if !picked[c] {
                picked[c] = !self.mark[q];
                self.mark[q] = false;
            }
        }
        for (q, pass) in take {
            let new = cover(&self.facts, &mut self.covered, q);
            chosen.push((q, pass, new));
        }
        // Pass 4: greedy weighted set cover, lazily re-evaluated.
        let records = &self.facts.records;
        let mut heap: BinaryHeap<(Candidate, usize)> = candidates
            .iter()
            .enumerate()
            .filter(|&(c, _)| !picked[c])
            .filter_map(|(c, &q)| {
                let gain = self.facts.gain(q, &self.covered);
                (gain > 0).then(|| {
                    (
                        Candidate {
                            gain,
                            minutes: u64::from(records[q].minutes.max(1)),
                            index: q,
                        },
                        c,
                    )
                })
            })
            .collect();
        let shortest = candidates
            .iter()
            .map(|&q| records[q].minutes)
            .min()
            .unwrap_or(u32::MAX);
        while let Some((top, c)) = heap.pop() {
            if budget - used < shortest {
                // Nothing fits any more.
                break;
            }
            let q = top.index;
            let gain = self.facts.gain(q, &self.covered);
            if gain == 0 {
                continue;
            }
            if gain < top.gain {
                heap.push((Candidate { gain, ..top }, c));
                continue;
            }
            let r = self.facts.records[q];
            if !fits(used, q) || !room(&per_template, q) {
                continue;
            }
            *per_template.entry(r.template).or_default() += 1;
            used += r.minutes;
            picked[c] = true;
            let new = cover(&self.facts, &mut self.covered, q);
            chosen.push((q, Reason::Coverage, new));
        }
        // Pass 5: by score. The candidates left are marked, then read in score order.
        let records = &self.facts.records;
        for (c, &q) in candidates.iter().enumerate() {
            if !picked[c] {
                self.mark[q] = true;
            }
        }
        let rest: Vec<usize> = self
            .by_score
            .iter()
            .copied()
            .filter(|&q| self.mark[q])
            .collect();
        let mut scored = Vec::new();
        for &q in &rest {
            if !fits(used, q) || !room(&per_template, q) {
                continue;
            }
            *per_template.entry(records[q].template).or_default() += 1;
            used += records[q].minutes;
            // No longer marked: picked.
            self.mark[q] = false;
            scored.push(q);
        }
        for q in scored {
            let new = cover(&self.facts, &mut self.covered, q);
            chosen.push((q, Reason::Score, new));
        }
        let records = &self.facts.records;
        // Lay out: openers, engagement-level, then the model in walk (question) order.
        chosen.sort_by_key(|&(q, reason, _)| {
            let rank = match reason {
                Reason::Opener => 0,
                _ if records[q].once => 1,
                _ => 2,
            };
            (rank, q)
        });
        for &(q, _, _) in &chosen {
            self.taken[q] = true;
        }
        let item = |q: usize, reason: Reason, new_pairs: u32| PlannedItem {
            question: id_of(&self.id, q),
            minutes: records[q].minutes,
            score: records[q].score,
            reason,
            new_pairs,
        };
        let agenda: Vec<PlannedItem> = chosen
            .iter()
            .map(|&(q, reason, new)| item(q, reason, new))
            .collect();
        // The next interview for each role, found once (not once per deferred question).
        let next_for: Vec<Option<&str>> = self
            .facts
            .roles
            .iter()
            .map(|role| {
                later
                    .iter()
                    .find(|iv| iv.roles.contains(role))
                    .map(|iv| iv.id.as_str())
            })
            .collect();
        // In score order already.
        let deferred: Vec<(usize, Option<&str>)> = rest
            .iter()
            .filter(|&&q| self.mark[q])
            .map(|&q| (q, next_for[records[q].role as usize]))
            .collect();
        for &q in &rest {
            self.mark[q] = false;
        }
        let deferred_count = deferred.len();
        let carried_over = deferred.iter().filter(|(_, next)| next.is_some()).count();
        let tail_budget = budget.saturating_mul(TAIL_PERCENT) / 100;
        let mut tail_used = 0u32;
        let mut if_time_permits = Vec::new();
        for (q, next) in &deferred {
            if next.is_some() {
                continue;
            }
            let minutes = records[*q].minutes;
            if tail_used.saturating_add(minutes) <= tail_budget {
                tail_used += minutes;
                if_time_permits.push(item(*q, Reason::Score, 0));
            }
        }
        let deferred = deferred
            .into_iter()
            .take(DEFERRED_LISTED)
            .map(|(q, next_interview)| Deferred {
                question: id_of(&self.id, q),
                minutes: records[q].minutes,
                score: records[q].score,
                next_interview: next_interview.map(str::to_owned),
            })
            .collect();
        for r in roles {
            let taken = &self.taken;
            self.pools[r].retain(|&i| !taken[i]);
        }
        InterviewPlan {
            interview: interview.id.clone(),
            agenda,
            minutes_used: used,
            minutes_available: budget,
            if_time_permits,
            deferred,
            deferred_count,
            carried_over,
        }
    }

    /// The open questions on no agenda, highest score first.
    fn did_not_fit(&self) -> DidNotFit {
        let records = &self.facts.records;
        let mut out = DidNotFit::default();
        for i in self.by_score.iter().copied().filter(|&i| !self.taken[i]) {
            out.push(
                |ids| (self.id)(i, ids),
                records[i].minutes,
                records[i].score,
            );
        }
        out
    }

    /// The in-scope reachable pairs no agenda covers, in walk order.
    fn gaps(&self) -> PlanGaps {
        let mut open_cover = PairSet::with_capacity(self.facts.risk.len());
        for (i, r) in self.facts.records.iter().enumerate() {
            if r.open {
                open_cover.extend(self.facts.pairs(i).iter().copied());
            }
        }
        let graph = self.facts.graph;
        let n = graph.model().elements.len();
        let mut out = PlanGaps::default();
        for step in graph.walk() {
            if !step.reachable {
                continue;
            }
            let (id, kind, slot, out_of_scope) = match step.item {
                WalkItem::Element(e) => {
                    let el = graph.element(e);
                    (
                        el.id.as_str(),
                        SubjectKind::from(el.kind),
                        e.index(),
                        !graph.is_in_review(e),
                    )
                }
                WalkItem::Flow(f) => {
                    let fl = graph.flow(f);
                    (
                        fl.id.as_str(),
                        SubjectKind::DataFlow,
                        n + f.index(),
                        fl.out_of_scope,
                    )
                }
            };
            let Some(slot) = u32::try_from(slot).ok().and_then(|s| s.checked_mul(6)) else {
                continue;
            };
            if out_of_scope {
                continue;
            }
            // The gaps of one subject come together: its id is kept once for all of them.
            let mut first = true;
            for &category in Stride::applicable_to(kind) {
                let key = slot + stride_index(category);
                if !self.covered.contains(key) {
                    out.push(id, !first, category, open_cover.contains(key));
                    first = false;
                }
            }
        }
        out
    }
}

/// Two ascending lists of question indices as one.
fn merge_sorted(a: &[usize], b: impl Iterator<Item = usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(a.len() + b.size_hint().0);
    let mut a = a.iter().copied().peekable();
    for y in b {
        while let Some(x) = a.next_if(|&x| x < y) {
            out.push(x);
        }
        out.push(y);
    }
    out.extend(a);
    out
}

/// A question's id, from a planner's id writer.
fn id_of(id: &dyn Fn(usize, &mut String), q: usize) -> String {
    let mut out = String::new();
    id(q, &mut out);
    out
}

/// Marks a question's pairs covered; how many were new.
fn cover(facts: &Facts<'_>, covered: &mut PairSet, q: usize) -> u32 {
    let mut new = 0;
    for &k in facts.pairs(q) {
        if covered.insert(k) {
            new += 1;
        }
    }
    new
}

/// The planned interviews in calendar order (file order on ties), as positions.
fn calendar(engagement: &Engagement) -> Vec<usize> {
    let mut order: Vec<usize> = (0..engagement.interviews.len())
        .filter(|&i| engagement.interviews[i].status == InterviewStatus::Planned)
        .collect();
    order.sort_by(|&a, &b| {
        calendar_key(&engagement.interviews[a])
            .cmp(&calendar_key(&engagement.interviews[b]))
            .then(a.cmp(&b))
    });
    order
}

/// Plans the interviews at `order` in turn.
fn run(planner: &mut Planner<'_>, engagement: &Engagement, order: &[usize]) -> Vec<InterviewPlan> {
    let mut plans = Vec::with_capacity(order.len());
    for (n, &i) in order.iter().enumerate() {
        let later: Vec<&Interview> = order[n + 1..]
            .iter()
            .map(|&j| &engagement.interviews[j])
            .collect();
        plans.push(planner.plan(&engagement.interviews[i], &later));
    }
    plans
}

/// Which stored questions are on the agendas of the interviews at `positions`.
fn on_agendas(engagement: &Engagement, positions: &[usize]) -> Vec<bool> {
    let index: HashMap<&str, usize> = engagement
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut taken = vec![false; engagement.questions.len()];
    for &i in positions {
        for item in &engagement.interviews[i].agenda {
            if let Some(&q) = index.get(item.question.as_str()) {
                taken[q] = true;
            }
        }
    }
    taken
}

/// Plans the engagement's planned interviews for freshly generated questions, without merging
/// them or writing agendas: what [`plan_all`] would give after a merge into an engagement with
/// no question asked yet, without materializing a question's text (a 10,000-element model
/// generates and plans in tens of milliseconds). The engagement gives the interviews, roles and
/// calibration.
pub fn plan_generated(engagement: &Engagement, questions: &Questions) -> EngagementPlan {
    let facts = Facts::of_generated(engagement, questions);
    let n = facts.records.len();
    let id = Box::new(move |i: usize, out: &mut String| {
        if let Some(q) = questions.get(i) {
            q.id_into(out);
        }
    });
    let mut planner = Planner::new(facts, id, vec![false; n]);
    let order = calendar(engagement);
    let interviews = run(&mut planner, engagement, &order);
    EngagementPlan {
        interviews,
        did_not_fit: planner.did_not_fit(),
        gaps: planner.gaps(),
    }
}

fn write_back(engagement: &mut Engagement, at: usize, plan: &InterviewPlan) {
    let to_items = |items: &[PlannedItem]| {
        items
            .iter()
            .map(|p| AgendaItem::new(p.question.clone(), p.minutes))
            .collect()
    };
    let interview = &mut engagement.interviews[at];
    interview.agenda = to_items(&plan.agenda);
    interview.if_time_permits = to_items(&plan.if_time_permits);
}

/// Fills one interview's agenda (replacing it and its tail) with open questions for its roles
/// that are on no other interview's agenda.
pub fn plan_interview(
    engagement: &mut Engagement,
    interview_id: &str,
) -> Result<InterviewPlan, PlanError> {
    let at = engagement
        .interviews
        .iter()
        .position(|i| i.id == interview_id)
        .ok_or_else(|| PlanError::UnknownInterview {
            id: interview_id.to_owned(),
        })?;
    match engagement.interviews[at].status {
        InterviewStatus::Planned => {}
        status @ (InterviewStatus::Held | InterviewStatus::Cancelled) => {
            return Err(PlanError::NotPlanned {
                id: interview_id.to_owned(),
                status: status.as_str(),
            });
        }
    }
    let others: Vec<usize> = (0..engagement.interviews.len())
        .filter(|&i| i != at)
        .collect();
    let plan = {
        let graph = ComponentGraph::from_shared(engagement.model.share())
            .unwrap_or_else(|_| ComponentGraph::empty());
        let facts = Facts::of_engagement(engagement, &graph);
        let questions = &engagement.questions;
        let id = Box::new(move |i: usize, out: &mut String| out.push_str(&questions[i].id));
        let mut planner = Planner::new(facts, id, on_agendas(engagement, &others));
        let this = &engagement.interviews[at];
        let later: Vec<&Interview> = calendar(engagement)
            .into_iter()
            .map(|i| &engagement.interviews[i])
            .filter(|iv| calendar_key(iv) > calendar_key(this))
            .collect();
        planner.plan(this, &later)
    };
    write_back(engagement, at, &plan);
    Ok(plan)
}

/// Plans every planned interview in calendar order (earlier ones pick first), and reports what
/// did not fit and the pairs on no agenda. Interviews are told apart by position, so two with
/// one id (an invalid file) are both planned.
pub fn plan_all(engagement: &mut Engagement) -> EngagementPlan {
    let order = calendar(engagement);
    // Held interviews' agendas are history: their questions count as asked.
    let held: Vec<usize> = (0..engagement.interviews.len())
        .filter(|&i| engagement.interviews[i].status == InterviewStatus::Held)
        .collect();
    let (plans, did_not_fit, gaps) = {
        let graph = ComponentGraph::from_shared(engagement.model.share())
            .unwrap_or_else(|_| ComponentGraph::empty());
        let facts = Facts::of_engagement(engagement, &graph);
        let questions = &engagement.questions;
        let id = Box::new(move |i: usize, out: &mut String| out.push_str(&questions[i].id));
        let mut planner = Planner::new(facts, id, on_agendas(engagement, &held));
        let plans = run(&mut planner, engagement, &order);
        (plans, planner.did_not_fit(), planner.gaps())
    };
    for (&i, plan) in order.iter().zip(&plans) {
        write_back(engagement, i, plan);
    }
    EngagementPlan {
        interviews: plans,
        did_not_fit,
        gaps,
    }
}

/// The follow-ups [`follow_ups`] would add.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpReport {
    /// The ids of the follow-ups added.
    pub added: Vec<String>,
    /// Questions with no participant of their role to send them to.
    pub unassigned: Vec<String>,
}

/// Turns the questions that did not fit any interview into follow-ups: each sent to the first
/// participant holding the question's role (through their contact channel), asked on `asked_on`
/// and due on `due` (`YYYY-MM-DD`). A question that already has an open follow-up is skipped.
/// The seed's open channel: nothing left unasked just because the interviews were full.
pub fn follow_ups(
    engagement: &mut Engagement,
    plan: &EngagementPlan,
    asked_on: &str,
    due: Option<&str>,
) -> FollowUpReport {
    let mut report = FollowUpReport {
        added: Vec::new(),
        unassigned: Vec::new(),
    };
    let existing: HashSet<String> = engagement
        .follow_ups
        .iter()
        .filter_map(|f| f.question.clone())
        .collect();
    let mut ids: HashSet<String> = engagement.follow_ups.iter().map(|f| f.id.clone()).collect();
    let by_id: HashMap<&str, &Question> = engagement
        .questions
        .iter()
        .map(|q| (q.id.as_str(), q))
        .collect();
    let mut new = Vec::new();
    for d in &plan.did_not_fit {
        if existing.contains(&d.question) {
            continue;
        }
        let Some(q) = by_id.get(d.question.as_str()) else {
            continue;
        };
        let Some(person) = engagement
            .participants
            .iter()
            .find(|p| p.roles.contains(&q.role))
        else {
            report.unassigned.push(q.id.clone());
            continue;
        };
        let mut id = format!("fu-{}", q.id);
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("fu-{}-{n}", q.id);
            n += 1;
        }
        ids.insert(id.clone());
        let mut follow_up = FollowUp::new(id.clone(), q.text.clone(), person.id.clone(), asked_on);
        follow_up.question = Some(q.id.clone());
        follow_up.due = due.map(str::to_owned);
        new.push(follow_up);
        report.added.push(id);
    }
    engagement.follow_ups.extend(new);
    report
}
