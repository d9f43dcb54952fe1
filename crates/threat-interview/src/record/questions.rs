//! Where a question stands during an interview: asked, or skipped with a reason.

use super::{RecordError, is_blank};
use crate::model::{Engagement, QuestionStatus};

impl Engagement {
    /// Marks a question asked (in an interview, with no answer recorded yet). A skipped
    /// question asked after all loses its skip reason; an answered one is refused, since it
    /// was asked already and its answer says more.
    pub fn mark_asked(&mut self, question_id: &str) -> Result<(), RecordError> {
        let index = self.question_index(question_id)?;
        let question = &mut self.questions[index];
        match question.status {
            QuestionStatus::Answered => Err(RecordError::WrongStatus {
                item: format!("question `{question_id}`"),
                status: QuestionStatus::Answered.as_str(),
                action: "marked asked",
                pointer: format!("/questions/{index}/status"),
            }),
            QuestionStatus::Open | QuestionStatus::Asked | QuestionStatus::Skipped => {
                question.status = QuestionStatus::Asked;
                question.skip_reason = None;
                Ok(())
            }
        }
    }

    /// Marks a question deliberately not asked, with the reason (the time box ran out, a
    /// document answers it). An answered question cannot be skipped; an empty reason is
    /// refused.
    pub fn skip_question(&mut self, question_id: &str, reason: &str) -> Result<(), RecordError> {
        let index = self.question_index(question_id)?;
        let question = &mut self.questions[index];
        if question.status == QuestionStatus::Answered {
            return Err(RecordError::WrongStatus {
                item: format!("question `{question_id}`"),
                status: QuestionStatus::Answered.as_str(),
                action: "skipped",
                pointer: format!("/questions/{index}/status"),
            });
        }
        if is_blank(reason) {
            return Err(RecordError::RationaleMissing {
                action: format!("skipping question `{question_id}`"),
                noun: "reason",
                pointer: format!("/questions/{index}/skip_reason"),
            });
        }
        let (status, skip_reason) = (question.status, question.skip_reason.take());
        question.status = QuestionStatus::Skipped;
        question.skip_reason = Some(reason.to_owned());
        self.keep_if_valid("skip", &format!("/questions/{index}"), |e| {
            e.questions[index].status = status;
            e.questions[index].skip_reason = skip_reason;
        })
    }

    /// The position of a question, or `UnknownQuestion`.
    pub(super) fn question_index(&self, question_id: &str) -> Result<usize, RecordError> {
        self.questions
            .iter()
            .position(|q| q.id == question_id)
            .ok_or_else(|| RecordError::UnknownQuestion {
                id: question_id.to_owned(),
            })
    }
}
