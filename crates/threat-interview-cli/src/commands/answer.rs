//! `threat-interview answer FILE QUESTION --text TEXT`: record an answer, saved at once.

use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::{Answer, AnswerChannel, RecordError};

use super::input::edit;
use super::{Status, eprint, eprint_diagnostics};

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
    #[arg(value_name = "QUESTION")]
    question: String,
    /// What was said.
    #[arg(long)]
    text: String,
    /// The participant who answered, by id.
    #[arg(long, value_name = "PARTICIPANT")]
    by: Option<String>,
    /// When: `YYYY-MM-DD`, or an RFC 3339 date and time.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,
    /// How the answer reached the modelers.
    #[arg(long, value_enum, default_value = "interview")]
    via: Via,
    /// The id of the interview, follow-up or document it came through.
    #[arg(long, value_name = "ID")]
    reference: Option<String>,
}

/// Records the answer and saves the file (an atomic save; if another process saved the file
/// meanwhile, the answer is recorded again on top of its change).
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let result = edit(&args.file, |engagement| {
        let mut answer = Answer::new(args.text.clone(), args.via.into());
        answer.by.clone_from(&args.by);
        answer.at.clone_from(&args.at);
        answer.reference.clone_from(&args.reference);
        engagement
            .record_answer(&args.question, answer)
            .map_err(|error| match error {
                RecordError::Invalid { errors, .. } => {
                    eprint_diagnostics(&file, &errors);
                    eprint(&format!("{file}: the answer was not recorded\n"));
                    Status::Invalid
                }
                other => {
                    eprint(&format!("{file}: error[usage]: {other}\n"));
                    Status::Failure
                }
            })
    });
    match result {
        Ok(_) => {
            eprint(&format!("{file}: answer to `{}` recorded\n", args.question));
            Status::Valid
        }
        Err(status) => status,
    }
}
