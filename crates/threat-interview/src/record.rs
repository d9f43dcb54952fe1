//! Recording what the interviews produce: answers, hints, findings and follow-ups.
//!
//! Each method checks its change with the engagement's own validation and refuses one that
//! would make the engagement invalid where it touches it (an answer by a participant who does
//! not exist, a finding without an attack path, a follow-up to nobody): the engagement is then
//! left exactly as it was, and the error lists every problem, each with its JSON Pointer.
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

use crate::diagnostic::Diagnostic;
use crate::model::{Answer, Engagement, Finding, FollowUp, Hint, QuestionStatus};

/// Why a change was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordError {
    /// No question has this id.
    #[error("no question `{id}`")]
    UnknownQuestion {
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
}

fn summary(errors: &[Diagnostic]) -> String {
    errors
        .iter()
        .map(|d| format!("{} (at {})", d.message, d.pointer))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Engagement {
    /// Records an answer to a question and marks the question answered.
    pub fn record_answer(&mut self, question_id: &str, answer: Answer) -> Result<(), RecordError> {
        let index = self
            .questions
            .iter()
            .position(|q| q.id == question_id)
            .ok_or_else(|| RecordError::UnknownQuestion {
                id: question_id.to_owned(),
            })?;
        let question = &mut self.questions[index];
        let previous = question.status;
        question.answers.push(answer);
        question.status = QuestionStatus::Answered;
        let pointer = format!("/questions/{index}/answers/{}", question.answers.len() - 1);
        self.keep_if_valid("answer", &pointer, |e| {
            let question = &mut e.questions[index];
            question.answers.pop();
            question.status = previous;
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
        let nested = format!("{pointer}/");
        let errors: Vec<Diagnostic> = self
            .validate()
            .errors
            .into_iter()
            .filter(|d| d.pointer == pointer || d.pointer.starts_with(&nested))
            .collect();
        if errors.is_empty() {
            return Ok(());
        }
        undo(self);
        Err(RecordError::Invalid { what, errors })
    }
}
