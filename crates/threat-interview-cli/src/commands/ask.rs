//! `threat-interview ask FILE QUESTION [--skip --reason TEXT]`: mark a question asked during
//! an interview, or skipped with the reason, saved at once.

use std::path::PathBuf;

use super::input::edit;
use super::recording::refused;
use super::{Status, eprint};

/// Arguments of `ask`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The id of the question.
    #[arg(value_name = "QUESTION")]
    question: String,
    /// Mark it skipped (deliberately not asked) instead; needs `--reason`.
    #[arg(long, requires = "reason")]
    skip: bool,
    /// Why it was skipped.
    #[arg(long, value_name = "TEXT", requires = "skip")]
    reason: Option<String>,
}

/// Marks the question and saves the file (an atomic save, applied again on top of another
/// process's change).
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let result = edit(&args.file, |engagement| {
        let done = match &args.reason {
            Some(reason) if args.skip => engagement.skip_question(&args.question, reason),
            _ => engagement.mark_asked(&args.question),
        };
        done.map_err(|error| {
            refused(
                &file,
                if args.skip {
                    "skip"
                } else {
                    "question's status"
                },
                &error,
            )
        })
    });
    match result {
        Ok(_) => {
            let how = if args.skip { "skipped" } else { "asked" };
            eprint(&format!(
                "{file}: question `{}` marked {how}\n",
                args.question
            ));
            Status::Valid
        }
        Err(status) => status,
    }
}
