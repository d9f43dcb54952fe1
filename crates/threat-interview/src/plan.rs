//! Calibration and time boxes: which open questions each interview asks, within its minutes.
//!
//! A question's score is its priority times the business stakeholders' weight of its STRIDE
//! category ([`crate::Calibration`]; 3 when not calibrated, and for engagement-level questions).
//! [`plan_interview`] fills an interview's agenda with the open questions routed to its roles,
//! highest score first (ties in the engagement's question order, which is the interview walk
//! order), as long as they fit its time box. What does not fit is reported: carried over to the
//! next planned interview with that role, or, when there is none, on the did-not-fit list, a
//! candidate list for follow-ups. Nothing is dropped silently.
//!
//! ```
//! use threat_interview::plan::score;
//! use threat_interview::{Stride, StrideWeights};
//!
//! let mut weights = StrideWeights::default();
//! weights.set(Stride::InformationDisclosure, 5);
//! assert_eq!(score(4, Some(Stride::InformationDisclosure), &weights), 20);
//! assert_eq!(score(4, None, &weights), 12);
//! ```

use std::cmp::Reverse;
use std::collections::HashSet;

use serde::Serialize;

use crate::model::{
    AgendaItem, DEFAULT_WEIGHT, Engagement, Interview, InterviewStatus, Question, QuestionStatus,
    Stride, StrideWeights,
};

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
    /// The agenda, as written into the interview.
    pub agenda: Vec<AgendaItem>,
    /// The minutes the agenda takes.
    pub minutes_used: u32,
    /// The interview's time box.
    pub minutes_available: u32,
    /// The open questions for its roles that did not fit, highest score first.
    pub deferred: Vec<Deferred>,
}

/// The plans of every planned interview, and the questions no interview could take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EngagementPlan {
    /// One plan per planned interview, in calendar order.
    pub interviews: Vec<InterviewPlan>,
    /// Open questions on no agenda after planning (no interview with their role, or no room
    /// left), highest score first: candidates for follow-ups.
    pub did_not_fit: Vec<Deferred>,
}

/// The score of a question: priority × weight of its category (3 at engagement level).
pub fn score(priority: u8, category: Option<Stride>, weights: &StrideWeights) -> u32 {
    let weight = category.map_or(DEFAULT_WEIGHT, |c| weights.get(c));
    u32::from(priority) * u32::from(weight)
}

fn weights(engagement: &Engagement) -> StrideWeights {
    engagement
        .calibration
        .as_ref()
        .map(|c| c.weights)
        .unwrap_or_default()
}

fn question_score(q: &Question, weights: StrideWeights) -> u32 {
    score(q.priority, q.category, &weights)
}

/// Whether a question still needs asking.
fn is_open(q: &Question) -> bool {
    !q.obsolete && q.status == QuestionStatus::Open && q.answers.is_empty()
}

/// The engagement's open questions, highest score first, ties in question order.
pub fn agenda_order(engagement: &Engagement) -> Vec<&Question> {
    let weights = weights(engagement);
    let mut open: Vec<(usize, &Question)> = engagement
        .questions
        .iter()
        .enumerate()
        .filter(|(_, q)| is_open(q))
        .collect();
    open.sort_by_key(|&(i, q)| (Reverse(question_score(q, weights)), i));
    open.into_iter().map(|(_, q)| q).collect()
}

/// The calendar order of interviews: day, then slot, then start time, then file order.
fn calendar_key(i: &Interview) -> (u32, crate::model::Slot, Option<&str>) {
    (i.day, i.slot, i.start.as_deref())
}

/// Fills an interview's agenda (replacing it) with the open questions for its roles that are
/// on no other interview's agenda, highest score first, within its time box.
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
    Ok(plan_at(engagement, at))
}

/// Fills the agenda of the interview at a position.
fn plan_at(engagement: &mut Engagement, at: usize) -> InterviewPlan {
    let interview = &engagement.interviews[at];
    let elsewhere: HashSet<&str> = engagement
        .interviews
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != at)
        .flat_map(|(_, iv)| iv.agenda.iter().map(|a| a.question.as_str()))
        .collect();
    // The next planned interviews, in calendar order, for carrying over.
    let mut later: Vec<&Interview> = engagement
        .interviews
        .iter()
        .filter(|iv| {
            iv.status == InterviewStatus::Planned && calendar_key(iv) > calendar_key(interview)
        })
        .collect();
    later.sort_by(|a, b| calendar_key(a).cmp(&calendar_key(b)));
    let weights = weights(engagement);
    let mut agenda = Vec::new();
    let mut deferred = Vec::new();
    let mut used = 0u32;
    for q in agenda_order(engagement) {
        if !interview.roles.contains(&q.role) || elsewhere.contains(q.id.as_str()) {
            continue;
        }
        let after = used
            .checked_add(q.minutes)
            .filter(|&m| m <= interview.minutes);
        if let Some(after) = after {
            used = after;
            agenda.push(AgendaItem {
                question: q.id.clone(),
                minutes: q.minutes,
            });
        } else {
            deferred.push(Deferred {
                question: q.id.clone(),
                minutes: q.minutes,
                score: question_score(q, weights),
                next_interview: later
                    .iter()
                    .find(|iv| iv.roles.contains(&q.role))
                    .map(|iv| iv.id.clone()),
            });
        }
    }
    let plan = InterviewPlan {
        interview: interview.id.clone(),
        agenda: agenda.clone(),
        minutes_used: used,
        minutes_available: interview.minutes,
        deferred,
    };
    engagement.interviews[at].agenda = agenda;
    plan
}

/// Plans every planned interview in calendar order (earlier ones pick first), and lists the
/// open questions left on no agenda. Interviews are told apart by position, so two with one id
/// (an invalid file) are both planned.
pub fn plan_all(engagement: &mut Engagement) -> EngagementPlan {
    let mut order: Vec<usize> = (0..engagement.interviews.len())
        .filter(|&i| engagement.interviews[i].status == InterviewStatus::Planned)
        .collect();
    order.sort_by(|&a, &b| {
        calendar_key(&engagement.interviews[a])
            .cmp(&calendar_key(&engagement.interviews[b]))
            .then(a.cmp(&b))
    });
    // Start from empty agendas so that earlier interviews pick first.
    for &i in &order {
        engagement.interviews[i].agenda.clear();
    }
    let mut interviews = Vec::with_capacity(order.len());
    for i in order {
        interviews.push(plan_at(engagement, i));
    }
    let on_agenda: HashSet<&str> = engagement
        .interviews
        .iter()
        .flat_map(|iv| iv.agenda.iter().map(|a| a.question.as_str()))
        .collect();
    let weights = weights(engagement);
    let did_not_fit = agenda_order(engagement)
        .into_iter()
        .filter(|q| !on_agenda.contains(q.id.as_str()))
        .map(|q| Deferred {
            question: q.id.clone(),
            minutes: q.minutes,
            score: question_score(q, weights),
            next_interview: None,
        })
        .collect();
    EngagementPlan {
        interviews,
        did_not_fit,
    }
}
