//! `threat-interview follow-up FILE --question Q|--hint H --to PARTICIPANT`: send an open
//! question or a hint to a participant after the interviews, with the date asked, the due date
//! and the channel, saved at once. `answer FILE --follow-up ID` records its answer.

use std::path::PathBuf;

use clap::ValueEnum;
use threat_interview::{ContactChannel, FollowUpRequest};

use super::input::edit;
use super::plan::follow_up_dates;
use super::recording::{parse_date, refused};
use super::{Status, eprint, print};

/// Arguments of `follow-up`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("about").required(true).args(["question", "hint"]))]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The open question followed up.
    #[arg(long, value_name = "QUESTION")]
    question: Option<String>,
    /// The open hint followed up.
    #[arg(long, value_name = "HINT")]
    hint: Option<String>,
    /// The participant asked, by id.
    #[arg(long, value_name = "PARTICIPANT")]
    to: String,
    /// The date it is sent, `YYYY-MM-DD` (today, UTC, when absent).
    #[arg(long, value_name = "DATE")]
    on: Option<String>,
    /// The date the answer is due, `YYYY-MM-DD`.
    #[arg(long, value_name = "DATE", conflicts_with = "due_in")]
    due: Option<String>,
    /// Days the answer is due after it is sent (as `plan --follow-ups`).
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    due_in: u16,
    /// The channel it goes through (the participant's contact channel when absent).
    #[arg(long, value_enum)]
    channel: Option<Channel>,
}

/// A channel to reach a participant, as `--channel` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Channel {
    /// Email.
    Email,
    /// A chat system.
    Chat,
    /// Telephone.
    Phone,
    /// Anything else.
    Other,
}

impl From<Channel> for ContactChannel {
    fn from(channel: Channel) -> Self {
        match channel {
            Channel::Email => ContactChannel::Email,
            Channel::Chat => ContactChannel::Chat,
            Channel::Phone => ContactChannel::Phone,
            Channel::Other => ContactChannel::Other,
        }
    }
}

/// The date sent and the due date; `Err` is a message for a bad date.
fn dates(args: &Args) -> Result<(String, String), String> {
    let (sent, due) = follow_up_dates(args.on.as_deref(), args.due_in)?;
    match &args.due {
        Some(text) => Ok((sent, parse_date("--due", text)?.to_string())),
        None => Ok((sent, due)),
    }
}

/// Adds the follow-up and saves the file.
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let (sent, due) = match dates(args) {
        Ok(dates) => dates,
        Err(message) => {
            eprint(&format!("error[usage]: {message}\n"));
            return Status::Failure;
        }
    };
    let mut added = String::new();
    let result = edit(&args.file, |engagement| {
        let mut request = FollowUpRequest::new(args.to.clone(), sent.clone()).due(due.clone());
        if let Some(channel) = args.channel {
            request = request.via(channel.into());
        }
        let done = match (&args.question, &args.hint) {
            (Some(question), _) => engagement.follow_up_question(question, request),
            // clap requires `--question` or `--hint`.
            (None, hint) => engagement.follow_up_hint(hint.as_deref().unwrap_or_default(), request),
        };
        added = done.map_err(|error| refused(&file, "follow-up", &error))?;
        Ok(())
    });
    match result {
        Ok(engagement) => {
            let channel = engagement
                .follow_ups
                .iter()
                .find(|f| f.id == added)
                .and_then(|f| f.channel)
                .map_or("no channel", ContactChannel::as_str);
            eprint(&format!("{file}: follow-up `{added}` recorded\n"));
            print(&format!(
                "follow-up `{added}` to `{}` via {channel}, sent {sent}, due {due}\n\
                 next: `threat-interview answer {file} --follow-up {added} --text TEXT` when it comes back\n",
                args.to
            ))
        }
        Err(status) => status,
    }
}
