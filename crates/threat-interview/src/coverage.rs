//! Coverage: for every in-scope element and flow, whether each STRIDE category that applies to
//! it has been asked about, answered, or not surfaced at all. A pair counts a question about it
//! in its category, and a question whose answer covers it (`also_covers`).
//!
//! Gaps are reported, never hidden: `Coverage::gaps` lists every pair with no live question
//! (or only skipped ones). Obsolete questions count for nothing.
//!
//! ```
//! use threat_interview::coverage::Coverage;
//! use threat_interview::{AssuranceLevel, Engagement};
//!
//! let mut engagement = Engagement::new("e1", "Shop", AssuranceLevel::Fast);
//! engagement.model = serde_json::from_value(serde_json::json!({
//!     "elements": [{"id": "customer", "name": "Customer", "kind": "external_interactor"}]
//! })).unwrap();
//! let coverage = Coverage::of(&engagement);
//! assert_eq!(coverage.gaps.len(), 2); // spoofing and repudiation, not surfaced
//! ```

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::engine::is_answered;
use crate::graph::{ComponentGraph, WalkItem};
use crate::model::{ComponentModel, Engagement, Question, QuestionStatus, Stride, SubjectKind};

/// Every element and flow, in the interview walk's order (model order for a model too large
/// for a graph): id, name, kind, and whether it is out of scope.
type WalkEntry<'m> = (&'m str, &'m str, SubjectKind, bool);

fn walk_order(model: &ComponentModel) -> Vec<WalkEntry<'_>> {
    fn element(e: &crate::model::Element) -> WalkEntry<'_> {
        (&e.id, &e.name, SubjectKind::from(e.kind), e.out_of_scope)
    }
    fn flow(f: &crate::model::Flow) -> WalkEntry<'_> {
        (&f.id, &f.name, SubjectKind::DataFlow, f.out_of_scope)
    }
    match ComponentGraph::new(model) {
        Ok(graph) => graph
            .walk()
            .into_iter()
            .map(|step| match step.item {
                WalkItem::Element(e) => element(&model.elements[e.index()]),
                WalkItem::Flow(f) => flow(&model.flows[f.index()]),
            })
            .collect(),
        Err(_) => model
            .elements
            .iter()
            .map(element)
            .chain(model.flows.iter().map(flow))
            .collect(),
    }
}

/// How far a (subject, category) pair has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// No live question about it: a gap.
    NotSurfaced,
    /// Its only questions were deliberately skipped: a gap.
    Skipped,
    /// A question exists, not yet answered.
    Asked,
    /// A question about it has been answered.
    Answered,
}

impl CoverageStatus {
    /// Whether the pair is a gap.
    pub fn is_gap(self) -> bool {
        matches!(self, CoverageStatus::NotSurfaced | CoverageStatus::Skipped)
    }

    /// The identifier used in output, such as `not_surfaced`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoverageStatus::NotSurfaced => "not_surfaced",
            CoverageStatus::Skipped => "skipped",
            CoverageStatus::Asked => "asked",
            CoverageStatus::Answered => "answered",
        }
    }
}

/// One (subject, category) pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoverageItem {
    /// The element's or flow's id.
    pub subject: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: SubjectKind,
    /// The category.
    pub category: Stride,
    /// How far it has got.
    pub status: CoverageStatus,
    /// The ids of the live questions about it.
    pub questions: Vec<String>,
}

/// Counts of pairs by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Every pair.
    pub pairs: usize,
    /// Pairs not surfaced.
    pub not_surfaced: usize,
    /// Pairs whose questions were all skipped.
    pub skipped: usize,
    /// Pairs asked about, not answered.
    pub asked: usize,
    /// Pairs answered.
    pub answered: usize,
}

impl Totals {
    fn add(&mut self, status: CoverageStatus) {
        self.pairs += 1;
        match status {
            CoverageStatus::NotSurfaced => self.not_surfaced += 1,
            CoverageStatus::Skipped => self.skipped += 1,
            CoverageStatus::Asked => self.asked += 1,
            CoverageStatus::Answered => self.answered += 1,
        }
    }

    /// The pairs that are gaps.
    pub fn gaps(&self) -> usize {
        self.not_surfaced + self.skipped
    }
}

/// Counts of a role's live questions by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RoleTotals {
    /// Every live question routed to the role.
    pub questions: usize,
    /// Not asked yet.
    pub open: usize,
    /// Asked, not answered.
    pub asked: usize,
    /// Answered.
    pub answered: usize,
    /// Skipped.
    pub skipped: usize,
    /// Their estimated minutes, answered ones included.
    pub minutes: u64,
}

/// The coverage of an engagement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Every (in-scope subject, applicable category) pair, in interview order.
    pub items: Vec<CoverageItem>,
    /// Totals over every pair.
    pub totals: Totals,
    /// The pairs that are gaps (not surfaced, or only skipped), in interview order.
    pub gaps: Vec<CoverageItem>,
    /// Totals per category, in STRIDE order.
    pub by_category: BTreeMap<Stride, Totals>,
    /// Totals of live questions per role, by role id.
    pub by_role: BTreeMap<String, RoleTotals>,
}

impl Coverage {
    /// The coverage of an engagement by its own questions.
    pub fn of(engagement: &Engagement) -> Coverage {
        Coverage::of_questions(engagement, &engagement.questions)
    }

    /// The coverage of an engagement's model by a list of questions (such as freshly generated
    /// ones not merged yet).
    pub fn of_questions(engagement: &Engagement, questions: &[Question]) -> Coverage {
        let mut best: HashMap<(&str, Stride), (CoverageStatus, Vec<&str>)> = HashMap::new();
        let mut by_role: BTreeMap<String, RoleTotals> = BTreeMap::new();
        for q in questions.iter().filter(|q| !q.obsolete) {
            let role = by_role.entry(q.role.as_str().to_owned()).or_default();
            role.questions += 1;
            role.minutes += u64::from(q.minutes);
            let status = if is_answered(q) {
                role.answered += 1;
                CoverageStatus::Answered
            } else {
                match q.status {
                    QuestionStatus::Skipped => {
                        role.skipped += 1;
                        CoverageStatus::Skipped
                    }
                    QuestionStatus::Asked => {
                        role.asked += 1;
                        CoverageStatus::Asked
                    }
                    _ => {
                        role.open += 1;
                        CoverageStatus::Asked
                    }
                }
            };
            let own = q
                .category
                .into_iter()
                .flat_map(|c| q.subjects.iter().map(move |s| (s.as_str(), c)));
            let covered = q
                .also_covers
                .iter()
                .map(|p| (p.subject.as_str(), p.category));
            for key in own.chain(covered) {
                let entry = best
                    .entry(key)
                    .or_insert((CoverageStatus::NotSurfaced, Vec::new()));
                entry.0 = entry.0.max(status);
                if !entry.1.contains(&q.id.as_str()) {
                    entry.1.push(&q.id);
                }
            }
        }
        let mut coverage = Coverage {
            items: Vec::new(),
            gaps: Vec::new(),
            totals: Totals::default(),
            by_category: Stride::ALL
                .into_iter()
                .map(|s| (s, Totals::default()))
                .collect(),
            by_role,
        };
        for (id, name, kind, out_of_scope) in walk_order(&engagement.model) {
            if out_of_scope {
                continue;
            }
            for &category in Stride::applicable_to(kind) {
                let (status, ids) = best
                    .get(&(id, category))
                    .map_or((CoverageStatus::NotSurfaced, Vec::new()), |(s, ids)| {
                        (*s, ids.iter().map(|&i| i.to_owned()).collect())
                    });
                coverage.totals.add(status);
                coverage
                    .by_category
                    .entry(category)
                    .or_default()
                    .add(status);
                coverage.items.push(CoverageItem {
                    subject: id.to_owned(),
                    name: name.to_owned(),
                    kind,
                    category,
                    status,
                    questions: ids,
                });
            }
        }
        coverage.gaps = coverage
            .items
            .iter()
            .filter(|i| i.status.is_gap())
            .cloned()
            .collect();
        coverage
    }

    /// Whether every pair has a live question.
    pub fn is_complete(&self) -> bool {
        self.totals.gaps() == 0
    }
}
