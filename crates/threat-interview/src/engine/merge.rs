//! Folding freshly generated questions into an engagement without losing an answer.

use serde::Serialize;

use crate::model::{Answer, AnswerChannel, Engagement, Question, QuestionStatus};

/// What a merge changed, by question id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MergeReport {
    /// Questions new to the engagement.
    pub added: Vec<String>,
    /// Unanswered questions whose text or other generated fields changed.
    pub refreshed: Vec<String>,
    /// Generated questions no longer produced (their subject left the model, or their template
    /// no longer applies), now marked obsolete.
    pub obsoleted: Vec<String>,
    /// Obsolete questions produced again, no longer obsolete.
    pub revived: Vec<String>,
    /// Answered questions produced again: kept exactly as they were.
    pub kept_answered: Vec<String>,
}

impl MergeReport {
    /// Whether the merge changed nothing.
    pub fn is_unchanged(&self) -> bool {
        self.added.is_empty()
            && self.refreshed.is_empty()
            && self.obsoleted.is_empty()
            && self.revived.is_empty()
    }
}

/// Whether a question has been answered: its status says so, or it holds an answer.
pub fn is_answered(question: &Question) -> bool {
    question.status == QuestionStatus::Answered || !question.answers.is_empty()
}

/// Merges generated questions into an engagement; with `obsolete_missing`, the generated
/// questions of the engagement that `generated` lacks are marked obsolete (only the full output
/// of a generation may say that a question vanished).
///
/// - A question whose id is new is added.
/// - An answer from the model (`via: model`) follows the model: added, changed or removed as
///   the model comes to answer the question, says it otherwise, or stops answering it; a
///   question answered by nothing else is `answered` or `open` with it.
/// - A question that exists keeps its status and answers; when it is unanswered its generated
///   fields (text, category, subjects, covered pairs, role, priority, minutes, rationale, prompts, references,
///   provenance) are refreshed; an answered one is left untouched.
/// - A generated question (one with provenance) that `generated` no longer holds is marked
///   `obsolete`, never deleted; one produced again is no longer obsolete.
/// - Questions written by hand (no provenance) are left untouched.
///
/// The result is in a deterministic order: the generated questions in interview order, then
/// the engagement's other questions (hand-written and obsolete) in their previous order.
pub(crate) fn merge(
    engagement: &mut Engagement,
    generated: Vec<Question>,
    obsolete_missing: bool,
) -> MergeReport {
    let mut report = MergeReport::default();
    let mut existing: Vec<Option<Question>> = std::mem::take(&mut engagement.questions)
        .into_iter()
        .map(Some)
        .collect();
    let mut by_id: foldhash::HashMap<String, usize> = foldhash::HashMap::with_capacity_and_hasher(
        existing.len(),
        foldhash::fast::RandomState::default(),
    );
    for (i, q) in existing.iter().enumerate() {
        if let Some(q) = q {
            // With duplicate ids (an invalid file) the first one is the one merged.
            by_id.entry(q.id.clone()).or_insert(i);
        }
    }
    let mut merged = Vec::with_capacity(existing.len().max(generated.len()));
    let mut produced: foldhash::HashSet<String> = foldhash::HashSet::with_capacity_and_hasher(
        generated.len(),
        foldhash::fast::RandomState::default(),
    );
    for fresh in generated {
        if !produced.insert(fresh.id.clone()) {
            continue;
        }
        let Some(old) = by_id.get(&fresh.id).and_then(|&i| existing[i].take()) else {
            report.added.push(fresh.id.clone());
            merged.push(fresh);
            continue;
        };
        let mut old = old;
        if old.obsolete {
            old.obsolete = false;
            report.revived.push(old.id.clone());
        }
        let model_answer_changed = refresh_model_answer(&mut old, &fresh);
        if is_answered(&old) {
            if model_answer_changed {
                report.refreshed.push(old.id.clone());
            } else {
                report.kept_answered.push(old.id.clone());
            }
        } else if refresh(&mut old, fresh) || model_answer_changed {
            report.refreshed.push(old.id.clone());
        }
        merged.push(old);
    }
    for mut old in existing.into_iter().flatten() {
        if obsolete_missing
            && old.provenance.is_some()
            && !old.obsolete
            && !produced.contains(&old.id)
        {
            old.obsolete = true;
            report.obsoleted.push(old.id.clone());
        }
        merged.push(old);
    }
    engagement.questions = merged;
    report
}

/// Brings the answer from the model (`via: model`) of `old` in line with `fresh`'s: the
/// model's statement is regenerated every time, so a changed or removed statement changes or
/// removes it; a question answered by nothing else is answered while the model answers it
/// and open again when it no longer does. Answers from people are never touched. Whether
/// anything changed.
fn refresh_model_answer(old: &mut Question, fresh: &Question) -> bool {
    let from_model = |a: &Answer| a.via == AnswerChannel::Model;
    let new: Vec<&Answer> = fresh.answers.iter().filter(|a| from_model(a)).collect();
    let current: Vec<&Answer> = old.answers.iter().filter(|a| from_model(a)).collect();
    if current == new {
        return false;
    }
    let new: Vec<Answer> = new.into_iter().cloned().collect();
    old.answers.retain(|a| !from_model(a));
    let by_people = !old.answers.is_empty();
    let answered_by_model = !new.is_empty();
    old.answers.extend(new);
    if !by_people {
        if answered_by_model && old.status == QuestionStatus::Open {
            old.status = QuestionStatus::Answered;
        } else if !answered_by_model && old.status == QuestionStatus::Answered {
            old.status = QuestionStatus::Open;
        }
    }
    true
}

/// Copies the generated fields of `fresh` into `old`; whether anything changed.
fn refresh(old: &mut Question, fresh: Question) -> bool {
    let before = (
        &old.text,
        old.category,
        &old.subjects,
        &old.also_covers,
        &old.role,
        old.priority,
        old.minutes,
        &old.rationale,
        &old.follow_up_prompts,
        &old.references,
        old.opener,
        &old.provenance,
    );
    let after = (
        &fresh.text,
        fresh.category,
        &fresh.subjects,
        &fresh.also_covers,
        &fresh.role,
        fresh.priority,
        fresh.minutes,
        &fresh.rationale,
        &fresh.follow_up_prompts,
        &fresh.references,
        fresh.opener,
        &fresh.provenance,
    );
    if before == after {
        return false;
    }
    old.text = fresh.text;
    old.category = fresh.category;
    old.subjects = fresh.subjects;
    old.also_covers = fresh.also_covers;
    old.role = fresh.role;
    old.priority = fresh.priority;
    old.minutes = fresh.minutes;
    old.rationale = fresh.rationale;
    old.follow_up_prompts = fresh.follow_up_prompts;
    old.references = fresh.references;
    old.opener = fresh.opener;
    old.provenance = fresh.provenance;
    true
}
