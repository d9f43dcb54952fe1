//! Folding freshly generated questions into an engagement without losing an answer.

use serde::Serialize;

use crate::model::{
    Answer, AnswerChannel, Engagement, Hint, HintStatus, Question, QuestionStatus, Stride,
};

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
    /// Hints recorded from the model (an answer from the model that states a possible
    /// weakness), by hint id.
    pub hints_recorded: Vec<String>,
    /// Open hints from the model whose statement or subjects changed, by hint id.
    pub hints_refreshed: Vec<String>,
    /// Open hints from the model that the model no longer gives, removed, by hint id.
    pub hints_withdrawn: Vec<String>,
}

impl MergeReport {
    /// Whether the merge changed nothing.
    pub fn is_unchanged(&self) -> bool {
        self.added.is_empty()
            && self.refreshed.is_empty()
            && self.obsoleted.is_empty()
            && self.revived.is_empty()
            && self.hints_recorded.is_empty()
            && self.hints_refreshed.is_empty()
            && self.hints_withdrawn.is_empty()
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
/// - An answer from the model that states a possible weakness (`weakness`) is recorded as an
///   open hint (`from_model`), one per statement and STRIDE category: the questions answered
///   by the same sentence share it. Its id is `model-` and the first such question's
///   id. An open hint from the model is refreshed as the model changes and, with
///   `obsolete_missing`, withdrawn when the model no longer gives it; one the modelers promoted
///   or dismissed is theirs and never touched, and a hint of theirs with the same id is never
///   overwritten.
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
    let weaknesses = weaknesses(&generated);
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
    merge_hints(engagement, weaknesses, obsolete_missing, &mut report);
    report
}

/// The hints that the answers from the model in `generated` call for: one per statement and
/// STRIDE category, over the subjects of every question it answers, in the order of the
/// questions.
fn weaknesses(generated: &[Question]) -> Vec<Hint> {
    let mut hints: Vec<Hint> = Vec::new();
    let mut at: foldhash::HashMap<(Option<Stride>, &str), usize> = foldhash::HashMap::default();
    for q in generated {
        let Some(answer) = q
            .answers
            .iter()
            .find(|a| a.via == AnswerChannel::Model && a.weakness)
        else {
            continue;
        };
        let key = (q.category, answer.text.as_str());
        let i = *at.entry(key).or_insert_with(|| {
            let mut hint = Hint::new(format!("model-{}", q.id), answer.text.clone());
            hint.category = q.category;
            hint.question = Some(q.id.clone());
            hint.from_model = true;
            hints.push(hint);
            hints.len() - 1
        });
        let hint = &mut hints[i];
        for subject in &q.subjects {
            if !hint.subjects.contains(subject) {
                hint.subjects.push(subject.clone());
            }
        }
    }
    hints
}

/// Folds the hints the model calls for into the engagement's (see [`merge`]).
fn merge_hints(
    engagement: &mut Engagement,
    fresh: Vec<Hint>,
    obsolete_missing: bool,
    report: &mut MergeReport,
) {
    let mut fresh: Vec<Option<Hint>> = fresh.into_iter().map(Some).collect();
    let by_id: foldhash::HashMap<String, usize> = fresh
        .iter()
        .enumerate()
        .filter_map(|(i, h)| h.as_ref().map(|h| (h.id.clone(), i)))
        .collect();
    let hints = std::mem::take(&mut engagement.hints);
    let mut kept = Vec::with_capacity(hints.len() + fresh.len());
    for mut old in hints {
        let new = by_id.get(&old.id).and_then(|&i| fresh[i].take());
        if !old.from_model || old.status != HintStatus::Open {
            // The modelers' own, or one they have analysed: never touched.
            kept.push(old);
            continue;
        }
        match new {
            Some(new) => {
                if (&old.text, &old.subjects, old.category, &old.question)
                    != (&new.text, &new.subjects, new.category, &new.question)
                {
                    old.text = new.text;
                    old.subjects = new.subjects;
                    old.category = new.category;
                    old.question = new.question;
                    report.hints_refreshed.push(old.id.clone());
                }
                kept.push(old);
            }
            None if obsolete_missing => report.hints_withdrawn.push(old.id),
            None => kept.push(old),
        }
    }
    for new in fresh.into_iter().flatten() {
        report.hints_recorded.push(new.id.clone());
        kept.push(new);
    }
    engagement.hints = kept;
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
