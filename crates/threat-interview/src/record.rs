//! Recording what the interviews produce: answers, hints, findings and follow-ups.
//!
//! Each method checks its change with the engagement's own validation and refuses one that
//! would make the engagement invalid where it touches it (an answer by a participant who does
//! not exist, a finding without an attack path, a follow-up to nobody): the engagement is then
//! left exactly as it was, and the error lists every problem, each with its JSON Pointer.
//!
//! During the interviews a question is marked asked ([`Engagement::mark_asked`]) or skipped
//! with a reason ([`Engagement::skip_question`]); a hint becomes a finding only with a
//! conceptual attack path ([`Engagement::promote_hint`]), and a finding is confirmed (never
//! without an attack path) or dismissed with a rationale. Afterwards an open question or hint
//! goes to a participant as a follow-up ([`Engagement::follow_up_question`],
//! [`Engagement::follow_up_hint`]); answering the follow-up answers its question
//! ([`Engagement::answer_follow_up`]). Refusals that are not about validity name the value
//! concerned too ([`RecordError::AttackPathMissing`] and the like).
//!
//! ```
//! use threat_interview::{AttackStep, Finding, Hint, RecordError, io};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/engagements/online-shop.json");
//! let mut engagement = io::load(path)?.engagement;
//! engagement.add_hint(Hint::new("h-1", "The back office reaches the catalogue over plain HTTP"))?;
//! let sketchy = Finding::new("fd-1", "Prices altered in transit", Vec::new());
//! let refused = engagement.promote_hint("h-1", sketchy).unwrap_err();
//! assert!(matches!(refused, RecordError::AttackPathMissing { .. }));
//! let path = vec![AttackStep::new("Join the office Wi-Fi"), AttackStep::new("Rewrite a price")];
//! engagement.promote_hint("h-1", Finding::new("fd-1", "Prices altered in transit", path))?;
//! engagement.confirm_finding("fd-1", "the Wi-Fi password is shared")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ```
//! use threat_interview::engine::Engine;
//! use threat_interview::{Answer, AnswerChannel, QuestionStatus, io};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/engagements/online-shop.json");
//! let loaded = io::load(path)?;
//! let questions = Engine::builtin().generate(loaded.checked());
//! let mut engagement = loaded.engagement;
//! questions.merge_into(&mut engagement);
//! let id = engagement.questions[0].id.clone();
//! let mut answer = Answer::new(
//!     "Orders and payments; an outage costs sales at once",
//!     AnswerChannel::Interview,
//! );
//! answer.by = Some("ana-ferreira".into());
//! answer.at = Some("2026-03-02".into());
//! answer.reference = Some("iv-business".into());
//! engagement.record_answer(&id, answer)?;
//! assert_eq!(engagement.question(&id).unwrap().status, QuestionStatus::Answered);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod findings;
mod follow_ups;
mod questions;

pub use follow_ups::FollowUpRequest;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    Answer, AnswerChannel, Engagement, Finding, FollowUp, FollowUpStatus, Hint, QuestionStatus,
};

/// Why a change was refused. Every refusal leaves the engagement as it was; those about an
/// item that exists name it and carry the JSON Pointer of the value concerned.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// No question has this id.
    #[error("no question `{id}`")]
    UnknownQuestion {
        /// The id asked for.
        id: String,
    },
    /// No hint, finding or follow-up has this id.
    #[error("no {what} `{id}`")]
    Unknown {
        /// What was looked for: `hint`, `finding` or `follow-up`.
        what: &'static str,
        /// The id asked for.
        id: String,
    },
    /// The change would make the engagement invalid; nothing was changed.
    #[error("the {what} was not recorded: {}", summary(errors))]
    Invalid {
        /// What was being recorded: `answer`, `hint`, `finding` or `follow-up`.
        what: &'static str,
        /// Every problem, with the pointer the item would have had.
        errors: Vec<Diagnostic>,
    },
    /// A finding needs a conceptual attack path (ordered steps) before this change: a hint is
    /// promoted, and a finding confirmed, only with one.
    #[error(
        "{action} needs a conceptual attack path: at least one step saying how an attacker would exploit it (at {pointer})"
    )]
    AttackPathMissing {
        /// What was refused, such as ``promoting hint `h-1` ``.
        action: String,
        /// The attack path's pointer.
        pointer: String,
    },
    /// A rationale (or a reason) is required and was empty.
    #[error("{action} needs a {noun}: say why (at {pointer})")]
    RationaleMissing {
        /// What was refused, such as ``dismissing finding `fd-1` ``.
        action: String,
        /// `rationale` or `reason`.
        noun: &'static str,
        /// The pointer the rationale would have had.
        pointer: String,
    },
    /// The item is not in a state that allows the change.
    #[error("{item} is {status}: it cannot be {action} (at {pointer})")]
    WrongStatus {
        /// The item, such as ``question `q-1` ``.
        item: String,
        /// Its status, such as `answered`.
        status: &'static str,
        /// What was refused, such as `skipped`.
        action: &'static str,
        /// The pointer of its status.
        pointer: String,
    },
    /// The item already has an open follow-up.
    #[error("{item} already has the open follow-up `{follow_up}` (at {pointer})")]
    OpenFollowUp {
        /// The question or hint, such as ``question `q-1` ``.
        item: String,
        /// The open follow-up's id.
        follow_up: String,
        /// The open follow-up's pointer.
        pointer: String,
    },
    /// A follow-up due before it was asked.
    #[error("the due date `{due}` is before the date asked `{asked_on}` (at {pointer})")]
    DueBeforeAsked {
        /// The due date.
        due: String,
        /// The date asked.
        asked_on: String,
        /// The pointer of the due date.
        pointer: String,
    },
}

impl RecordError {
    /// The problems as diagnostics, each with its code and JSON Pointer: every problem of an
    /// invalid change, or the one refusal; empty for an unknown id.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        let (code, pointer) = match self {
            RecordError::Invalid { errors, .. } => return errors.clone(),
            RecordError::UnknownQuestion { .. } | RecordError::Unknown { .. } => {
                return Vec::new();
            }
            RecordError::AttackPathMissing { pointer, .. } => {
                (DiagnosticCode::AttackPathEmpty, pointer)
            }
            RecordError::RationaleMissing { pointer, .. } => {
                (DiagnosticCode::RationaleMissing, pointer)
            }
            RecordError::WrongStatus { pointer, .. }
            | RecordError::OpenFollowUp { pointer, .. } => (DiagnosticCode::InvalidValue, pointer),
            RecordError::DueBeforeAsked { pointer, .. } => (DiagnosticCode::InvalidDate, pointer),
        };
        let message = self.to_string();
        let message = message
            .rsplit_once(" (at ")
            .map_or(message.as_str(), |(m, _)| m)
            .to_owned();
        vec![Diagnostic::error(code, pointer.clone(), message)]
    }
}

fn summary(errors: &[Diagnostic]) -> String {
    errors
        .iter()
        .map(|d| format!("{} (at {})", d.message, d.pointer))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Engagement {
    /// Records an answer to a question and marks the question answered. An answer that came
    /// through an open follow-up of the question (`via` follow-up, `reference` its id) closes
    /// the follow-up too.
    pub fn record_answer(&mut self, question_id: &str, answer: Answer) -> Result<(), RecordError> {
        let index = self
            .questions
            .iter()
            .position(|q| q.id == question_id)
            .ok_or_else(|| RecordError::UnknownQuestion {
                id: question_id.to_owned(),
            })?;
        // An answer through an open follow-up of this question closes the follow-up too.
        let closes = (answer.via == AnswerChannel::FollowUp)
            .then_some(answer.reference.as_deref())
            .flatten()
            .and_then(|reference| {
                self.follow_ups.iter().position(|f| {
                    f.id == reference
                        && f.status == FollowUpStatus::Open
                        && f.question.as_deref() == Some(question_id)
                })
            });
        let before = closes.map(|k| self.follow_ups[k].clone());
        if let Some(k) = closes {
            close_follow_up(&mut self.follow_ups[k], &answer);
        }
        let question = &mut self.questions[index];
        let previous = question.status;
        question.answers.push(answer);
        question.status = QuestionStatus::Answered;
        let pointer = format!("/questions/{index}/answers/{}", question.answers.len() - 1);
        let mut pointers = vec![pointer];
        pointers.extend(closes.map(|k| format!("/follow_ups/{k}")));
        self.keep_if_valid_at("answer", &pointers, |e| {
            let question = &mut e.questions[index];
            question.answers.pop();
            question.status = previous;
            if let (Some(k), Some(before)) = (closes, before) {
                e.follow_ups[k] = before;
            }
        })
    }

    /// Records a hint: a possible weakness an interviewee revealed.
    pub fn add_hint(&mut self, hint: Hint) -> Result<(), RecordError> {
        self.hints.push(hint);
        let pointer = format!("/hints/{}", self.hints.len() - 1);
        self.keep_if_valid("hint", &pointer, |e| {
            e.hints.pop();
        })
    }

    /// Records a finding: a weakness with at least one step of an attack path.
    pub fn add_finding(&mut self, finding: Finding) -> Result<(), RecordError> {
        self.findings.push(finding);
        let pointer = format!("/findings/{}", self.findings.len() - 1);
        self.keep_if_valid("finding", &pointer, |e| {
            e.findings.pop();
        })
    }

    /// Records a follow-up: a question sent to a named participant after the interviews.
    pub fn add_follow_up(&mut self, follow_up: FollowUp) -> Result<(), RecordError> {
        self.follow_ups.push(follow_up);
        let pointer = format!("/follow_ups/{}", self.follow_ups.len() - 1);
        self.keep_if_valid("follow-up", &pointer, |e| {
            e.follow_ups.pop();
        })
    }

    /// Keeps a change if validation finds no error at or under `pointer`; undoes it otherwise.
    fn keep_if_valid(
        &mut self,
        what: &'static str,
        pointer: &str,
        undo: impl FnOnce(&mut Engagement),
    ) -> Result<(), RecordError> {
        self.keep_if_valid_at(what, &[pointer.to_owned()], undo)
    }

    /// Keeps a change if validation finds no error at or under any of `pointers`; undoes it
    /// otherwise.
    fn keep_if_valid_at(
        &mut self,
        what: &'static str,
        pointers: &[String],
        undo: impl FnOnce(&mut Engagement),
    ) -> Result<(), RecordError> {
        let under = |d: &Diagnostic| {
            pointers.iter().any(|p| {
                d.pointer == *p
                    || d.pointer
                        .strip_prefix(p.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
        };
        let errors: Vec<Diagnostic> = self.validate().errors.into_iter().filter(under).collect();
        if errors.is_empty() {
            return Ok(());
        }
        undo(self);
        Err(RecordError::Invalid { what, errors })
    }
}

/// Closes a follow-up with an answer: its text, the day it came (from `at`), answered.
fn close_follow_up(follow_up: &mut FollowUp, answer: &Answer) {
    follow_up.status = FollowUpStatus::Answered;
    follow_up.answer = Some(answer.text.clone());
    follow_up.answered_on = answer.at.as_deref().map(date_part);
}

/// The `YYYY-MM-DD` of a date or of an RFC 3339 date and time.
fn date_part(at: &str) -> String {
    at.get(..10).unwrap_or(at).to_owned()
}

/// Whether a text is empty or only spaces.
fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// The position of the item with an id, or `Unknown` naming what was looked for.
fn position<T>(
    items: &[T],
    id: &str,
    what: &'static str,
    id_of: impl Fn(&T) -> &str,
) -> Result<usize, RecordError> {
    items
        .iter()
        .position(|x| id_of(x) == id)
        .ok_or_else(|| RecordError::Unknown {
            what,
            id: id.to_owned(),
        })
}
