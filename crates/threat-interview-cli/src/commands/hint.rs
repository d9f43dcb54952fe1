//! `threat-interview hint FILE --text TEXT`: record a hint (a possible weakness an interviewee
//! revealed) on its subjects and category, saved at once; `--dismiss HINT --rationale TEXT`
//! sets one aside. `finding promote` turns one into a finding.

use std::path::PathBuf;

use threat_interview::{Engagement, Hint, Stride};

use super::input::edit;
use super::recording::refused;
use super::{Status, eprint, print};

/// Arguments of `hint`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("action").required(true).args(["text", "dismiss"]))]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// What was said or noticed.
    #[arg(long)]
    text: Option<String>,
    /// The hint's id (`h-1`, `h-2`... when absent).
    #[arg(long, value_name = "ID", requires = "text")]
    id: Option<String>,
    /// An element, flow or boundary it concerns; repeat for several.
    #[arg(long = "subject", value_name = "ID", requires = "text")]
    subjects: Vec<String>,
    /// The STRIDE category it suggests, such as `tampering`.
    #[arg(long, value_name = "CATEGORY", requires = "text", value_parser = parse_category)]
    category: Option<Stride>,
    /// The question whose answer revealed it.
    #[arg(long, value_name = "QUESTION", requires = "text")]
    question: Option<String>,
    /// The participant who revealed it, by id.
    #[arg(long, value_name = "PARTICIPANT", requires = "text")]
    by: Option<String>,
    /// When: `YYYY-MM-DD`, or an RFC 3339 date and time.
    #[arg(long, value_name = "DATE", requires = "text")]
    at: Option<String>,
    /// Dismiss this hint instead; needs `--rationale`.
    #[arg(long, value_name = "HINT", requires = "rationale")]
    dismiss: Option<String>,
    /// Why the hint is dismissed.
    #[arg(long, value_name = "TEXT", requires = "dismiss")]
    rationale: Option<String>,
}

/// A STRIDE category by name, with the closest one suggested.
pub(crate) fn parse_category(name: &str) -> Result<Stride, String> {
    name.parse().map_err(|_| {
        let names: Vec<&str> = Stride::ALL.iter().map(|s| s.as_str()).collect();
        let hint = threat_interview::suggest(name, names.iter().copied()).map_or_else(
            || format!("one of {}", names.join(", ")),
            |s| format!("did you mean `{s}`?"),
        );
        format!("`{name}` is not a STRIDE category: {hint}")
    })
}

/// The first free id of the form `h-N`.
fn next_id(engagement: &Engagement) -> String {
    let taken: std::collections::HashSet<&str> =
        engagement.hints.iter().map(|h| h.id.as_str()).collect();
    // Among n + 1 candidates at most n are taken.
    (1..=engagement.hints.len() + 1)
        .map(|n| format!("h-{n}"))
        .find(|id| !taken.contains(id.as_str()))
        .unwrap_or_default()
}

/// Records or dismisses the hint and saves the file.
pub(crate) fn run(args: &Args) -> Status {
    let file = args.file.display().to_string();
    let mut recorded = String::new();
    let result = edit(&args.file, |engagement| {
        if let (Some(id), Some(rationale)) = (&args.dismiss, &args.rationale) {
            recorded.clone_from(id);
            return engagement
                .dismiss_hint(id, rationale)
                .map_err(|error| refused(&file, "dismissal", &error));
        }
        let id = args.id.clone().unwrap_or_else(|| next_id(engagement));
        let mut hint = Hint::new(id.clone(), args.text.clone().unwrap_or_default());
        hint.subjects.clone_from(&args.subjects);
        hint.category = args.category;
        hint.question.clone_from(&args.question);
        hint.raised_by.clone_from(&args.by);
        hint.recorded_at.clone_from(&args.at);
        recorded = id;
        engagement
            .add_hint(hint)
            .map_err(|error| refused(&file, "hint", &error))
    });
    match result {
        Ok(_) if args.dismiss.is_some() => {
            eprint(&format!("{file}: hint `{recorded}` dismissed\n"));
            Status::Valid
        }
        Ok(_) => {
            eprint(&format!("{file}: hint `{recorded}` recorded\n"));
            print(&format!(
                "hint `{recorded}` recorded\nnext: once an attack path is sketched, \
                 `threat-interview finding promote {file} {recorded} --title TITLE --step STEP...`\n"
            ))
        }
        Err(status) => status,
    }
}
