//! `threat-interview packs [FILE]`: the question packs, and which apply to an engagement and
//! why; `--enable` and `--disable` record a choice in the file.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;
use threat_interview::bank::PackEntry;
use threat_interview::engine::{Engine, PackUse};

use super::input::{edit, load_banks, load_engagement};
use super::questions::warn_unknown_packs;
use super::{OutputFormat, Status, eprint, print, print_json};
use crate::table::{Table, WIDTH};

/// Arguments of `packs`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// An engagement file: show which packs apply to it and why.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// A question bank (JSON or YAML) layered on the built-in one; repeat for several.
    #[arg(long = "bank", value_name = "F")]
    banks: Vec<PathBuf>,
    /// Ask this pack's questions whatever the model holds (saved into FILE).
    #[arg(long, value_name = "ID", requires = "file")]
    enable: Vec<String>,
    /// Never ask this pack's questions (saved into FILE).
    #[arg(long, value_name = "ID", requires = "file")]
    disable: Vec<String>,
    /// Forget a choice made with `--enable` or `--disable`: the model decides again.
    #[arg(long, value_name = "ID", requires = "file")]
    reset: Vec<String>,
    /// How to print.
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
}

#[derive(Debug, Serialize)]
struct PackRow<'a> {
    id: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    templates: usize,
    sources: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    applies: Option<&'a PackUse>,
}

/// Lists the packs; with FILE, which apply and why; with `--enable`/`--disable`/`--reset`,
/// records the choice first.
pub(crate) fn run(args: &Args) -> Status {
    let banks = match load_banks(&args.banks) {
        Ok(banks) => banks,
        Err(status) => return status,
    };
    let known = |id: &String| banks.packs().iter().any(|p| &p.id == id);
    for id in args.enable.iter().chain(&args.disable).chain(&args.reset) {
        if !known(id) {
            let ids: Vec<&str> = banks.packs().iter().map(|p| p.id.as_str()).collect();
            let hint = threat_interview::suggest(id, ids.iter().copied()).map_or_else(
                || format!("the packs are {}", ids.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            eprint(&format!("error: no pack `{id}`: {hint}\n"));
            return Status::Failure;
        }
    }
    let Some(file) = &args.file else {
        return show(args.format, banks.packs(), None);
    };
    let changing = !(args.enable.is_empty() && args.disable.is_empty() && args.reset.is_empty());
    let engagement = if changing {
        let edited = edit(file, |engagement| {
            let settings = &mut engagement.packs;
            for id in args.reset.iter().chain(&args.enable).chain(&args.disable) {
                settings.enable.retain(|x| x != id);
                settings.disable.retain(|x| x != id);
            }
            settings.enable.extend(args.enable.iter().cloned());
            settings.disable.extend(args.disable.iter().cloned());
            Ok(())
        });
        match edited {
            Ok(engagement) => {
                eprint(&format!("{}: pack choices saved\n", file.display()));
                engagement
            }
            Err(status) => return status,
        }
    } else {
        match load_engagement(file) {
            Ok(loaded) => loaded.engagement,
            Err(status) => return status,
        }
    };
    let Ok(checked) = engagement.check() else {
        return Status::Invalid;
    };
    let engine = Engine::new(banks.clone());
    let questions = engine.generate(checked);
    warn_unknown_packs(&file.display().to_string(), &questions);
    show(args.format, banks.packs(), Some(questions.packs()))
}

fn show(format: OutputFormat, packs: &[PackEntry], uses: Option<&[PackUse]>) -> Status {
    let rows: Vec<PackRow<'_>> = packs
        .iter()
        .map(|p| PackRow {
            id: &p.id,
            name: &p.name,
            description: p.description.as_deref(),
            templates: p.templates,
            sources: &p.sources,
            applies: uses.and_then(|u| u.iter().find(|u| u.id == p.id)),
        })
        .collect();
    if format == OutputFormat::Json {
        return print_json(&rows);
    }
    if rows.is_empty() {
        return print("no question pack is loaded\n");
    }
    let mut headers = vec!["PACK", "NAME", "TEMPLATES"];
    if uses.is_some() {
        headers.extend(["APPLIES", "WHY"]);
    }
    let mut table = Table::new(&headers, 40).right(2);
    for row in &rows {
        let mut cells = vec![
            row.id.to_owned(),
            row.name.to_owned(),
            row.templates.to_string(),
        ];
        if let Some(used) = row.applies {
            cells.push(if used.active { "yes" } else { "no" }.to_owned());
            cells.push(used.reason.describe());
        }
        table.row(cells);
    }
    let mut text = table.render(WIDTH);
    let _ = writeln!(
        text,
        "\n`packs FILE --enable ID` asks a pack whatever the model holds; `--disable ID` never"
    );
    print(&text)
}
