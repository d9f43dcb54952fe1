//! Coverage: for every in-scope element and flow, how far each STRIDE category that applies to
//! it has got: `not_surfaced` (no question), `skipped` (its questions were skipped, with a
//! reason), `generated` (a question exists), `planned` (on a planned interview's agenda),
//! `asked`, `answered`. A pair counts a question about it in its category, and a question
//! whose answer covers it (`also_covers`).
//!
//! Gaps are reported, never hidden: `Coverage::gaps` lists every pair with no live question
//! (or only skipped ones), and `Coverage::unplanned` the pairs whose questions are on no agenda
//! and not asked yet. Obsolete questions count for nothing.
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

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::is_answered;
use crate::graph::{ComponentGraph, WalkItem};
use crate::model::{ComponentModel, Engagement, Question, QuestionStatus, Stride, SubjectKind};

/// Every element and flow, in the interview walk's order (model order for a model too large
/// for a graph): id, name, kind, and whether it is out of scope.
type WalkEntry<'m> = (&'m str, &'m str, SubjectKind, bool);

/// `context`: the element is an interactor drawn for context only
/// ([`ComponentModel::drawn_for_context`]), counted as out of scope.
fn element_entry(e: &crate::model::Element, context: bool) -> WalkEntry<'_> {
    (
        &e.id,
        &e.name,
        SubjectKind::from(e.kind),
        e.out_of_scope || context,
    )
}

fn flow_entry(f: &crate::model::Flow) -> WalkEntry<'_> {
    (&f.id, &f.name, SubjectKind::DataFlow, f.out_of_scope)
}

fn walk_order(model: &ComponentModel) -> Vec<WalkEntry<'_>> {
    match ComponentGraph::new(model) {
        Ok(graph) => graph
            .walk()
            .iter()
            .map(|step| match step.item {
                WalkItem::Element(e) => {
                    element_entry(&model.elements[e.index()], !graph.is_in_review(e))
                }
                WalkItem::Flow(f) => flow_entry(&model.flows[f.index()]),
            })
            .collect(),
        Err(_) => model
            .elements
            .iter()
            .zip(model.drawn_for_context())
            .map(|(e, context)| element_entry(e, context))
            .chain(model.flows.iter().map(flow_entry))
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
    /// A question exists, on no agenda and not asked yet.
    Generated,
    /// A question is on a planned interview's agenda.
    Planned,
    /// A question was asked, not answered yet.
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
            CoverageStatus::Generated => "generated",
            CoverageStatus::Planned => "planned",
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
    /// Pairs with a question on no agenda, not asked.
    pub generated: usize,
    /// Pairs with a question on a planned agenda, not asked.
    pub planned: usize,
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
            CoverageStatus::Generated => self.generated += 1,
            CoverageStatus::Planned => self.planned += 1,
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
    /// The pairs whose questions are on no agenda and not asked (`generated`), in interview
    /// order: the gaps of the plan.
    pub unplanned: Vec<CoverageItem>,
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
        let mut by_role: BTreeMap<String, RoleTotals> = BTreeMap::new();
        let best = tally(engagement, questions, Some(&mut by_role));
        let mut coverage = Coverage {
            items: Vec::new(),
            gaps: Vec::new(),
            unplanned: Vec::new(),
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
                let (status, ids) = best.status(id, category);
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
        coverage.unplanned = coverage
            .items
            .iter()
            .filter(|i| i.status == CoverageStatus::Generated)
            .cloned()
            .collect();
        coverage
    }

    /// The gaps alone, as [`Coverage::of`] lists them in [`Coverage::gaps`], without the
    /// items of the other pairs (and without the interview walk when there is no gap, the
    /// usual case): what `questions --format json` prints.
    pub fn gaps_of(engagement: &Engagement) -> Vec<CoverageItem> {
        let best = tally(engagement, &engagement.questions, None);
        let model = &engagement.model;
        let any = model
            .elements
            .iter()
            .zip(model.drawn_for_context())
            .map(|(e, context)| element_entry(e, context))
            .chain(model.flows.iter().map(flow_entry))
            .filter(|&(_, _, _, out_of_scope)| !out_of_scope)
            .any(|(id, _, kind, _)| {
                Stride::applicable_to(kind)
                    .iter()
                    .any(|&category| best.status_of(id, category).is_gap())
            });
        if !any {
            return Vec::new();
        }
        let mut gaps = Vec::new();
        for (id, name, kind, out_of_scope) in walk_order(model) {
            if out_of_scope {
                continue;
            }
            for &category in Stride::applicable_to(kind) {
                if !best.status_of(id, category).is_gap() {
                    continue;
                }
                let (status, questions) = best.status(id, category);
                gaps.push(CoverageItem {
                    subject: id.to_owned(),
                    name: name.to_owned(),
                    kind,
                    category,
                    status,
                    questions,
                });
            }
        }
        gaps
    }

    /// Whether every pair has a live question.
    pub fn is_complete(&self) -> bool {
        self.totals.gaps() == 0
    }
}

/// The best status of each (subject, category) pair the questions touch, and the ids of the
/// live questions about it.
struct Best<'e>(foldhash::HashMap<(&'e str, Stride), (CoverageStatus, Vec<&'e str>)>);

impl Best<'_> {
    fn status_of(&self, id: &str, category: Stride) -> CoverageStatus {
        self.0
            .get(&(id, category))
            .map_or(CoverageStatus::NotSurfaced, |(s, _)| *s)
    }

    fn status(&self, id: &str, category: Stride) -> (CoverageStatus, Vec<String>) {
        self.0
            .get(&(id, category))
            .map_or((CoverageStatus::NotSurfaced, Vec::new()), |(s, ids)| {
                (*s, ids.iter().map(|&i| i.to_owned()).collect())
            })
    }
}

/// Tallies the live questions: the best status of each pair, and (when asked for) the totals
/// per role.
fn tally<'e>(
    engagement: &'e Engagement,
    questions: &'e [Question],
    mut by_role: Option<&mut BTreeMap<String, RoleTotals>>,
) -> Best<'e> {
    let mut best: foldhash::HashMap<(&str, Stride), (CoverageStatus, Vec<&str>)> =
        foldhash::HashMap::default();
    let planned: std::collections::HashSet<&str> = engagement
        .interviews
        .iter()
        .filter(|i| i.status == crate::model::InterviewStatus::Planned)
        .flat_map(|i| i.agenda.iter().map(|a| a.question.as_str()))
        .collect();
    let mut unused = RoleTotals::default();
    for q in questions.iter().filter(|q| !q.obsolete) {
        let role = match by_role.as_deref_mut() {
            // Looked up before inserting: the role's id is copied once per role, not per
            // question.
            Some(by_role) => {
                if !by_role.contains_key(q.role.as_str()) {
                    by_role.insert(q.role.as_str().to_owned(), RoleTotals::default());
                }
                by_role.get_mut(q.role.as_str()).unwrap_or(&mut unused)
            }
            None => &mut unused,
        };
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
                    if planned.contains(q.id.as_str()) {
                        CoverageStatus::Planned
                    } else {
                        CoverageStatus::Generated
                    }
                }
            }
        };
        for key in q.covered_pairs() {
            let entry = best
                .entry(key)
                .or_insert((CoverageStatus::NotSurfaced, Vec::new()));
            entry.0 = entry.0.max(status);
            if !entry.1.contains(&q.id.as_str()) {
                entry.1.push(&q.id);
            }
        }
    }
    Best(best)
}

#[cfg(test)]
mod tests {
    use super::Coverage;
    use crate::engine::Engine;
    use crate::model::QuestionStatus;

    /// `gaps_of` lists exactly the gaps `of` lists, in the same order, with or without gaps.
    #[test]
    fn gaps_of_is_the_gaps_of_the_whole_coverage() {
        let mut engagement = crate::synthetic::engagement(60, 7);
        assert_eq!(
            Coverage::gaps_of(&engagement),
            Coverage::of(&engagement).gaps
        );
        assert!(!Coverage::gaps_of(&engagement).is_empty());
        Engine::builtin()
            .generate(
                engagement
                    .check()
                    .expect("the synthetic engagement is valid"),
            )
            .merge_into(&mut engagement);
        assert_eq!(
            Coverage::gaps_of(&engagement),
            Coverage::of(&engagement).gaps
        );
        assert!(Coverage::gaps_of(&engagement).is_empty());
        // Skipped, obsolete and removed questions leave gaps here and there.
        for (i, q) in engagement.questions.iter_mut().enumerate() {
            match i % 7 {
                0 => q.status = QuestionStatus::Skipped,
                3 => q.obsolete = true,
                _ => {}
            }
        }
        let len = engagement.questions.len();
        engagement.questions.truncate(len - len / 5);
        let gaps = Coverage::gaps_of(&engagement);
        assert!(!gaps.is_empty());
        assert_eq!(gaps, Coverage::of(&engagement).gaps);
    }
}
