//! Follow-ups: an open question or a hint sent to a participant after the interviews, with
//! the date asked, the due date and the channel; answering one answers its question.
//!
//! Ids follow `plan::follow_ups`: `fu-` and the question's (or the hint's) id, with `-2`,
//! `-3`... when taken.

use std::collections::HashSet;

use super::{RecordError, close_follow_up, position};
use crate::model::{
    Answer, AnswerChannel, ContactChannel, Engagement, FollowUp, FollowUpStatus, HintStatus,
    QuestionStatus,
};

/// Whom a follow-up goes to, when it was sent, when its answer is due and through which
/// channel.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FollowUpRequest {
    /// The participant asked, by id.
    pub assignee: String,
    /// When it is sent, `YYYY-MM-DD`.
    pub asked_on: String,
    /// When the answer is due, `YYYY-MM-DD`.
    pub due: Option<String>,
    /// The channel it goes through; the participant's contact channel when absent.
    pub channel: Option<ContactChannel>,
}

impl FollowUpRequest {
    /// A follow-up to a participant, sent on a date (`YYYY-MM-DD`), with no due date yet.
    pub fn new(assignee: impl Into<String>, asked_on: impl Into<String>) -> Self {
        FollowUpRequest {
            assignee: assignee.into(),
            asked_on: asked_on.into(),
            due: None,
            channel: None,
        }
    }

    /// The same, due on a date (`YYYY-MM-DD`).
    #[must_use]
    pub fn due(mut self, due: impl Into<String>) -> Self {
        self.due = Some(due.into());
        self
    }

    /// The same, through a channel.
    #[must_use]
    pub fn via(mut self, channel: ContactChannel) -> Self {
        self.channel = Some(channel);
        self
    }
}

impl Engagement {
    /// Turns an open (or asked, unanswered) question into a follow-up to a participant and
    /// returns the follow-up's id. A question answered or skipped, or with an open follow-up
    /// already, is refused.
    pub fn follow_up_question(
        &mut self,
        question_id: &str,
        request: FollowUpRequest,
    ) -> Result<String, RecordError> {
        let q = self.question_index(question_id)?;
        let question = &self.questions[q];
        if matches!(
            question.status,
            QuestionStatus::Answered | QuestionStatus::Skipped
        ) {
            return Err(RecordError::WrongStatus {
                item: format!("question `{question_id}`"),
                status: question.status.as_str(),
                action: "followed up",
                pointer: format!("/questions/{q}/status"),
            });
        }
        self.refuse_open_follow_up(format!("question `{question_id}`"), |f| {
            f.question.as_deref() == Some(question_id)
        })?;
        let mut follow_up = self.follow_up(question_id, question.text.clone(), request)?;
        follow_up.question = Some(question_id.to_owned());
        self.push_follow_up(follow_up)
    }

    /// Turns an open hint into a follow-up to a participant (to learn more before promoting
    /// or dismissing it) and returns the follow-up's id.
    pub fn follow_up_hint(
        &mut self,
        hint_id: &str,
        request: FollowUpRequest,
    ) -> Result<String, RecordError> {
        let h = position(&self.hints, hint_id, "hint", |x| &x.id)?;
        let hint = &self.hints[h];
        if hint.status != HintStatus::Open {
            return Err(RecordError::WrongStatus {
                item: format!("hint `{hint_id}`"),
                status: hint.status.as_str(),
                action: "followed up",
                pointer: format!("/hints/{h}/status"),
            });
        }
        self.refuse_open_follow_up(format!("hint `{hint_id}`"), |f| {
            f.hint.as_deref() == Some(hint_id)
        })?;
        let mut follow_up = self.follow_up(hint_id, hint.text.clone(), request)?;
        follow_up.hint = Some(hint_id.to_owned());
        self.push_follow_up(follow_up)
    }

    /// Records the answer to an open follow-up and closes it; when the follow-up continues a
    /// question, the answer is recorded on the question too (through the follow-up, by its
    /// assignee unless `answer.by` says otherwise), which is then answered.
    pub fn answer_follow_up(
        &mut self,
        follow_up_id: &str,
        mut answer: Answer,
    ) -> Result<(), RecordError> {
        let k = position(&self.follow_ups, follow_up_id, "follow-up", |x| &x.id)?;
        let follow_up = &self.follow_ups[k];
        if follow_up.status != FollowUpStatus::Open {
            return Err(RecordError::WrongStatus {
                item: format!("follow-up `{follow_up_id}`"),
                status: follow_up.status.as_str(),
                action: "answered again",
                pointer: format!("/follow_ups/{k}/status"),
            });
        }
        if answer.by.is_none() {
            answer.by = Some(follow_up.assignee.clone());
        }
        if let Some(question) = follow_up.question.clone() {
            answer.via = AnswerChannel::FollowUp;
            answer.reference = Some(follow_up_id.to_owned());
            // `record_answer` closes the follow-up of its question, or undoes both.
            return self.record_answer(&question, answer);
        }
        let before = follow_up.clone();
        close_follow_up(&mut self.follow_ups[k], &answer);
        self.keep_if_valid("follow-up", &format!("/follow_ups/{k}"), |e| {
            e.follow_ups[k] = before;
        })
    }

    /// The open follow-ups whose answer was due before `on` (`YYYY-MM-DD`), in file order.
    pub fn overdue_follow_ups(&self, on: &str) -> Vec<&FollowUp> {
        self.follow_ups
            .iter()
            .filter(|f| f.is_overdue_on(on))
            .collect()
    }

    /// Refuses when a follow-up of the item is still open.
    fn refuse_open_follow_up(
        &self,
        item: String,
        of: impl Fn(&FollowUp) -> bool,
    ) -> Result<(), RecordError> {
        match self
            .follow_ups
            .iter()
            .position(|f| f.status == FollowUpStatus::Open && of(f))
        {
            Some(k) => Err(RecordError::OpenFollowUp {
                item,
                follow_up: self.follow_ups[k].id.clone(),
                pointer: format!("/follow_ups/{k}"),
            }),
            None => Ok(()),
        }
    }

    /// A new follow-up about `of`, with a free id, checked for its dates.
    fn follow_up(
        &self,
        of: &str,
        text: String,
        request: FollowUpRequest,
    ) -> Result<FollowUp, RecordError> {
        let k = self.follow_ups.len();
        if let Some(due) = &request.due
            && is_date(due)
            && is_date(&request.asked_on)
            && *due < request.asked_on
        {
            return Err(RecordError::DueBeforeAsked {
                due: due.clone(),
                asked_on: request.asked_on,
                pointer: format!("/follow_ups/{k}/due"),
            });
        }
        let taken: HashSet<&str> = self.follow_ups.iter().map(|f| f.id.as_str()).collect();
        let mut id = format!("fu-{of}");
        let mut n = 2;
        while taken.contains(id.as_str()) {
            id = format!("fu-{of}-{n}");
            n += 1;
        }
        let channel = request.channel.or_else(|| {
            self.participants
                .iter()
                .find(|p| p.id == request.assignee)
                .and_then(|p| p.contact.as_ref())
                .map(|c| c.channel)
        });
        let mut follow_up = FollowUp::new(id, text, request.assignee, request.asked_on);
        follow_up.due = request.due;
        follow_up.channel = channel;
        Ok(follow_up)
    }

    /// Adds a follow-up, checked where it lands, and returns its id.
    fn push_follow_up(&mut self, follow_up: FollowUp) -> Result<String, RecordError> {
        let id = follow_up.id.clone();
        self.add_follow_up(follow_up)?;
        Ok(id)
    }
}

/// Whether a text has the shape of a `YYYY-MM-DD` date (validation checks the calendar).
fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}
