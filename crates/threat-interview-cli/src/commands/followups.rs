//! `threat-interview followups FILE [--overdue-on DATE]`: the follow-ups, or those whose answer
//! was due before a date and has not come, as a table within 100 columns (or JSON).

use std::path::PathBuf;

use serde::Serialize;
use std::fmt::Write as _;

use threat_interview::{ContactChannel, Engagement, FollowUp, FollowUpStatus};

use super::input::load_engagement;
use super::recording::parse_date;
use super::{OutputFormat, Status, count, eprint, print, print_json};
use crate::table::{Table, WIDTH};

/// Arguments of `followups`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The engagement file, JSON or YAML by extension.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Only the open follow-ups whose answer was due before this date, `YYYY-MM-DD`, most
    /// overdue first.
    #[arg(long, value_name = "DATE")]
    overdue_on: Option<String>,
    /// How to print them.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

/// One follow-up as `--format json` prints it.
#[derive(Debug, Serialize)]
struct Row<'a> {
    #[serde(flatten)]
    follow_up: &'a FollowUp,
    /// The channel it went through, or the assignee's contact channel.
    #[serde(skip_serializing_if = "Option::is_none")]
    via: Option<&'static str>,
    /// Days past its due date, with `--overdue-on`.
    #[serde(skip_serializing_if = "Option::is_none")]
    days_overdue: Option<i32>,
}

/// Lists the follow-ups.
pub(crate) fn run(args: &Args) -> Status {
    let on = match args
        .overdue_on
        .as_deref()
        .map(|d| parse_date("--overdue-on", d))
    {
        None => None,
        Some(Ok(date)) => Some(date),
        Some(Err(message)) => {
            eprint(&format!("error[usage]: {message}\n"));
            return Status::Failure;
        }
    };
    let loaded = match load_engagement(&args.file) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let engagement = &loaded.engagement;
    let mut rows: Vec<Row<'_>> = match on {
        None => engagement
            .follow_ups
            .iter()
            .map(|f| row(engagement, f, None))
            .collect(),
        Some(date) => {
            let text = date.to_string();
            engagement
                .overdue_follow_ups(&text)
                .into_iter()
                .map(|f| row(engagement, f, Some(date)))
                .collect()
        }
    };
    // Most overdue first; the file's order among equals.
    rows.sort_by_key(|r| std::cmp::Reverse(r.days_overdue.unwrap_or(0)));
    match args.format {
        OutputFormat::Json => print_json(&rows),
        OutputFormat::Human => print(&table(
            &args.file.display().to_string(),
            engagement,
            &rows,
            args.overdue_on.as_deref(),
        )),
    }
}

fn row<'a>(
    engagement: &Engagement,
    follow_up: &'a FollowUp,
    on: Option<jiff::civil::Date>,
) -> Row<'a> {
    let via = follow_up
        .channel
        .or_else(|| {
            engagement
                .participants
                .iter()
                .find(|p| p.id == follow_up.assignee)
                .and_then(|p| p.contact.as_ref())
                .map(|c| c.channel)
        })
        .map(ContactChannel::as_str);
    let days_overdue = on.and_then(|on| {
        let due: jiff::civil::Date = follow_up.due.as_deref()?.parse().ok()?;
        Some(due.until(on).ok()?.get_days())
    });
    Row {
        follow_up,
        via,
        days_overdue,
    }
}

fn table(
    file: &str,
    engagement: &Engagement,
    rows: &[Row<'_>],
    overdue_on: Option<&str>,
) -> String {
    let third = if overdue_on.is_some() {
        "late"
    } else {
        "status"
    };
    // The id on a line of its own in the last, widest column, so that it is rarely cut.
    let mut table = Table::new(&["due", "to", third, "follow-up"], 16);
    if overdue_on.is_some() {
        table = table.right(2);
    }
    for r in rows {
        let f = r.follow_up;
        let mut cell = format!("{}\nasked {}", f.id, f.asked_on);
        if let Some(via) = r.via {
            cell.push_str(" via ");
            cell.push_str(via);
        }
        match (&f.question, &f.hint) {
            // `plan --follow-ups` and `follow-up` name a question's follow-up after it.
            (Some(q), _) if f.id.strip_prefix("fu-") == Some(q.as_str()) => {}
            (Some(q), _) => {
                let _ = write!(cell, ", about question `{q}`");
            }
            (None, Some(h)) => {
                let _ = write!(cell, ", about hint `{h}`");
            }
            (None, None) => {}
        }
        cell.push('\n');
        cell.push_str(&f.text);
        if let Some(answer) = &f.answer {
            match &f.answered_on {
                Some(on) => {
                    let _ = write!(cell, "\nanswer ({on}): ");
                }
                None => cell.push_str("\nanswer: "),
            }
            cell.push_str(answer);
        }
        let state = match r.days_overdue {
            Some(days) => format!("{days} d"),
            None => f.status.as_str().to_owned(),
        };
        table.row(vec![
            f.due.clone().unwrap_or_else(|| "-".to_owned()),
            f.assignee.clone(),
            state,
            cell,
        ]);
    }
    let mut text = if rows.is_empty() {
        String::new()
    } else {
        table.render(WIDTH)
    };
    let open = engagement
        .follow_ups
        .iter()
        .filter(|f| f.status == FollowUpStatus::Open)
        .count();
    let _ = match overdue_on {
        Some(on) => writeln!(
            text,
            "{} overdue on {on} (of {open} open)",
            count(rows.len(), "follow-up"),
        ),
        None => writeln!(
            text,
            "{}, {open} open",
            count(engagement.follow_ups.len(), "follow-up")
        ),
    };
    if rows
        .iter()
        .any(|r| r.follow_up.status == FollowUpStatus::Open)
    {
        let _ = writeln!(
            text,
            "next: `threat-interview answer {file} --follow-up ID --text TEXT` records an answer"
        );
    }
    text
}
