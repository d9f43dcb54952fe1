//! `threat-interview answer FILE QUESTION --text TEXT`: record an answer, saved at once;
//! `answer FILE --follow-up ID --text TEXT` records the answer to a follow-up, closes it, and
//! answers its question.

use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::{Answer, AnswerChannel};

use super::input::edit;
use super::recording::refused;
use super::{Status, eprint};

/// How an answer reached the modelers, as `--via` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Via {
    /// During an interview (`--reference` names it).
    Interview,
    /// Through a follow-up (`--reference` names it).
    FollowUp,
    /// From a document (`--reference` names it).
    Document,
    /// By email.
    Email,
    /// By chat.
    Chat,
    /// Any other way.
    Other,
}

impl From<Via> for AnswerChannel {
    fn from(via: Via) -> Self {
        match via {
            Via::Interview => AnswerChannel::Interview,
            Via::FollowUp => AnswerChannel::FollowUp,
            Via::Document => AnswerChannel::Document,
            Via::Email => AnswerChannel::Email,
            Via::Chat => AnswerChannel::Chat,
            Via::Other => AnswerChannel::Other,
        }
    }
}

/// Arguments of `answer`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The id of the question answered.
    #[arg(value_name = "QUESTION", required_unless_present = "follow_up")]
    question: Option<String>,
    /// The follow-up answered instead: it is closed, and its question answered.
    #[arg(long, value_name = "ID", conflicts_with = "question")]
    follow_up: Option<String>,
    /// What was said.
    #[arg(long)]
    text: String,
    /// The participant who answered, by id.
    #[arg(long, value_name = "PARTICIPANT")]
    by: Option<String>,
    /// When: `YYYY-MM-DD`, or an RFC 3339 date and time.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// How the answer reached the modelers (a follow-up's answer comes through it).
    #[arg(long, value_enum, conflicts_with = "follow_up")]
    via: Option<Via>,
    /// The id of the interview, follow-up or document it came through.
    #[arg(long, value_name = "ID", conflicts_with = "follow_up")]
    reference: Option<String>,
}

/// Records the answer and saves the file (an atomic save; if another process saved the file
/// meanwhile, the answer is recorded again on top of its change).
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let via = match (args.via, &args.follow_up) {
        (Some(via), _) => via,
        (None, Some(_)) => Via::FollowUp,
        (None, None) => Via::Interview,
    };
    let result = edit(&args.file, |engagement| {
        let mut answer = Answer::new(args.text.clone(), via.into());
        answer.by.clone_from(&args.by);
        answer.at.clone_from(&args.at);
        answer.reference.clone_from(&args.reference);
        let done = match (&args.follow_up, &args.question) {
            (Some(follow_up), _) => engagement.answer_follow_up(follow_up, answer),
            // clap requires QUESTION without `--follow-up`.
            (None, question) => {
                engagement.record_answer(question.as_deref().unwrap_or_default(), answer)
            }
        };
        done.map_err(|error| refused(&file, "answer", &error))
    });
    match result {
        Ok(_) => {
            let what = match (&args.follow_up, &args.question) {
                (Some(follow_up), _) => format!("answer to follow-up `{follow_up}`"),
                (None, question) => {
                    format!("answer to `{}`", question.as_deref().unwrap_or_default())
                }
            };
            eprint(&format!("{file}: {what} recorded\n"));
            Status::Valid
        }
        Err(status) => status,
    }
}
