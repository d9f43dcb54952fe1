//! Live recording from the command line: `ask`, `answer`, `hint`, `finding`, `follow-up` and
//! `followups` on a copy of the bundled example. What people read is a snapshot (a transcript
//! of the commands, the temporary path written `FILE`); what lands in the file is checked as
//! data. `INSTA_UPDATE=always cargo test -p threat-interview-cli --test recording` rewrites the
//! snapshots.

mod common;

use std::fmt::Write as _;
use std::path::Path;

use common::{EXAMPLE, repo, run, stderr, stdout};
use serde_json::Value;

const WALKTHROUGH: &str = "engagement.architect.walkthrough.since-document";
const SECRETS: &str = "engagement.deployment.secrets.holders";
const ADMIN_ACCESS: &str = "engagement.production.admin-access.admin-interfaces";

/// A copy of the example with its questions merged, in a temporary directory.
fn example_with_questions(dir: &Path) -> String {
    let file = dir.join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &file).unwrap();
    let file = file.to_str().unwrap().to_owned();
    let output = run(&["questions", &file, "--write", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    file
}

fn read(file: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

fn question<'a>(engagement: &'a Value, id: &str) -> &'a Value {
    engagement["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap()
}

/// Runs the commands in order (`FILE` stands for the file) and writes down each one with its
/// exit code and output, the file's path written `FILE`.
fn transcript(file: &str, commands: &[&[&str]]) -> String {
    let mut text = String::new();
    for args in commands {
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "FILE" { file } else { a })
            .collect();
        let output = run(&args);
        let shown: Vec<String> = args
            .iter()
            .map(|a| match *a {
                a if a == file => "FILE".to_owned(),
                a if a.is_empty() || a.contains(' ') => format!("'{a}'"),
                a => a.to_owned(),
            })
            .collect();
        let _ = write!(
            text,
            "$ threat-interview {}\nexit: {:?}\n--- stdout\n{}--- stderr\n{}\n",
            shown.join(" "),
            output.status.code(),
            stdout(&output),
            stderr(&output)
        );
    }
    text.replace(file, "FILE")
}

#[test]
fn questions_are_marked_asked_or_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_with_questions(dir.path());
    let text = transcript(
        &file,
        &[
            &["ask", "FILE", WALKTHROUGH],
            &[
                "ask",
                "FILE",
                SECRETS,
                "--skip",
                "--reason",
                "the pipeline document answers it",
            ],
            &["ask", "FILE", SECRETS, "--skip", "--reason", " "],
            &["ask", "FILE", SECRETS, "--skip"],
            &["ask", "FILE", "no-such-question"],
            &[
                "answer",
                "FILE",
                WALKTHROUGH,
                "--text",
                "Walked through",
                "--by",
                "li-wei",
            ],
            &["ask", "FILE", WALKTHROUGH, "--skip", "--reason", "no time"],
        ],
    );
    insta::assert_snapshot!(text);
    let engagement = read(&file);
    assert_eq!(question(&engagement, WALKTHROUGH)["status"], "answered");
    let secrets = question(&engagement, SECRETS);
    assert_eq!(secrets["status"], "skipped");
    assert_eq!(secrets["skip_reason"], "the pipeline document answers it");
}

#[test]
fn a_hint_becomes_a_finding_only_with_an_attack_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_with_questions(dir.path());
    let text = transcript(
        &file,
        &[
            &[
                "hint",
                "FILE",
                "--text",
                "The back office reaches the catalogue over plain HTTP",
                "--subject",
                "api-gateway",
                "--category",
                "tampering",
                "--by",
                "sam-okoro",
                "--at",
                "2026-12-04",
            ],
            &["hint", "FILE", "--text", "x", "--category", "tamperin"],
            &[
                "finding",
                "promote",
                "FILE",
                "h-1",
                "--title",
                "Prices altered in transit",
            ],
            &[
                "finding",
                "promote",
                "FILE",
                "h-1",
                "--title",
                "Prices altered in transit",
                "--step",
                "Join the office Wi-Fi with a rogue access point",
                "--step",
                "api-gateway: rewrite a price update on its way in",
                "--severity",
                "high",
            ],
            &[
                "finding", "promote", "FILE", "h-1", "--title", "Again", "--step", "x",
            ],
            &["finding", "confirm", "FILE", "fd-h-1", "--rationale", ""],
            &[
                "finding",
                "confirm",
                "FILE",
                "fd-h-1",
                "--rationale",
                "the Wi-Fi password is shared",
            ],
            &["finding", "quick-win", "FILE", "fd-h-1"],
            &["finding", "dismiss", "FILE", "fd-nope", "--rationale", "x"],
            &[
                "hint",
                "FILE",
                "--text",
                "Staff reuse one ERP account",
                "--subject",
                "erp",
            ],
            &[
                "hint",
                "FILE",
                "--dismiss",
                "h-2",
                "--rationale",
                "the ERP is out of scope",
            ],
        ],
    );
    insta::assert_snapshot!(text);
    let engagement = read(&file);
    let hint = &engagement["hints"][0];
    assert_eq!(hint["status"], "promoted");
    assert_eq!(hint["finding"], "fd-h-1");
    let finding = &engagement["findings"][0];
    assert_eq!(finding["status"], "confirmed");
    assert_eq!(finding["quick_win"], true);
    assert_eq!(finding["hints"][0], "h-1");
    assert_eq!(finding["attack_path"][1]["subject"], "api-gateway");
    assert_eq!(
        finding["attack_path"][1]["description"],
        "rewrite a price update on its way in"
    );
    assert_eq!(engagement["findings"].as_array().unwrap().len(), 1);
    assert_eq!(engagement["hints"][1]["status"], "dismissed");
}

#[test]
fn a_finding_without_an_attack_path_is_refused_before_any_verdict() {
    // A file edited by hand: a finding that lost its steps makes the file invalid, so no
    // verdict is recorded on it (the core refuses to confirm it too: tests/recording.rs).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &file).unwrap();
    let file = file.to_str().unwrap().to_owned();
    let mut engagement = read(&file);
    engagement["findings"] = serde_json::json!([
        {"id": "fd-1", "title": "Prices altered in transit", "attack_path": []}
    ]);
    std::fs::write(&file, serde_json::to_string_pretty(&engagement).unwrap()).unwrap();
    let before = std::fs::read(&file).unwrap();
    let output = run(&[
        "finding",
        "confirm",
        &file,
        "fd-1",
        "--rationale",
        "seen it",
    ]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stderr(&output).replace(&file, "FILE"));
    assert_eq!(std::fs::read(&file).unwrap(), before, "nothing written");
}

#[test]
fn follow_ups_are_sent_listed_when_overdue_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_with_questions(dir.path());
    let text = transcript(
        &file,
        &[
            &[
                "follow-up",
                "FILE",
                "--question",
                ADMIN_ACCESS,
                "--to",
                "jonas-lind",
                "--on",
                "2026-12-01",
                "--due-in",
                "3",
            ],
            &[
                "follow-up",
                "FILE",
                "--question",
                SECRETS,
                "--to",
                "priya-nair",
                "--on",
                "2026-12-02",
                "--due",
                "2026-12-09",
                "--channel",
                "chat",
            ],
            &[
                "follow-up",
                "FILE",
                "--question",
                SECRETS,
                "--to",
                "priya-nair",
                "--on",
                "2026-12-02",
            ],
            &[
                "hint",
                "FILE",
                "--text",
                "Staff reuse one ERP account",
                "--subject",
                "erp",
            ],
            &[
                "follow-up",
                "FILE",
                "--hint",
                "h-1",
                "--to",
                "sam-okoro",
                "--on",
                "2026-12-03",
                "--due",
                "2026-12-01",
            ],
            &[
                "follow-up",
                "FILE",
                "--hint",
                "h-1",
                "--to",
                "mallory",
                "--on",
                "2026-12-03",
            ],
            &[
                "follow-up",
                "FILE",
                "--hint",
                "h-1",
                "--to",
                "sam-okoro",
                "--on",
                "2026-12-03",
                "--due",
                "2026-12-05",
            ],
            &[
                "follow-up",
                "FILE",
                "--question",
                WALKTHROUGH,
                "--to",
                "li-wei",
                "--on",
                "2026-13-01",
            ],
            &["followups", "FILE", "--overdue-on", "2026-12-06"],
            &[
                "answer",
                "FILE",
                "--follow-up",
                &format!("fu-{ADMIN_ACCESS}"),
                "--text",
                "MFA everywhere but the bastion",
                "--at",
                "2026-12-05T09:30:00Z",
            ],
            &[
                "answer",
                "FILE",
                "--follow-up",
                "fu-h-1",
                "--text",
                "Yes, one shared account",
                "--at",
                "2026-12-06",
            ],
            &["answer", "FILE", "--follow-up", "fu-h-1", "--text", "again"],
            &["followups", "FILE"],
            &["followups", "FILE", "--overdue-on", "2026-12-31"],
        ],
    );
    insta::assert_snapshot!(text);
    for args in [
        &["followups", &file][..],
        &["followups", &file, "--overdue-on", "2026-12-06"],
    ] {
        // The table; the closing `next:` line names the file, whatever its length.
        for line in stdout(&run(args))
            .lines()
            .filter(|l| !l.starts_with("next:"))
        {
            assert!(
                line.chars().count() <= 100,
                "wider than 100 columns: {line}"
            );
        }
    }
    let engagement = read(&file);
    let answered = question(&engagement, ADMIN_ACCESS);
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["answers"][0]["via"], "follow_up");
    assert_eq!(answered["answers"][0]["by"], "jonas-lind");
    assert_eq!(
        answered["answers"][0]["reference"],
        format!("fu-{ADMIN_ACCESS}")
    );
    let follow_ups = engagement["follow_ups"].as_array().unwrap();
    assert_eq!(follow_ups.len(), 3);
    assert_eq!(follow_ups[0]["status"], "answered");
    assert_eq!(follow_ups[0]["answered_on"], "2026-12-05");
    assert_eq!(
        follow_ups[0]["channel"], "phone",
        "the participant's contact channel"
    );
    assert_eq!(follow_ups[1]["channel"], "chat");
    assert_eq!(follow_ups[2]["hint"], "h-1");
}

#[test]
fn an_answer_through_a_follow_up_closes_it_and_json_lists_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_with_questions(dir.path());
    let sent = run(&[
        "follow-up",
        &file,
        "--question",
        SECRETS,
        "--to",
        "priya-nair",
        "--on",
        "2026-12-01",
    ]);
    assert_eq!(sent.status.code(), Some(0), "{}", stderr(&sent));
    let listed = run(&[
        "followups",
        &file,
        "--overdue-on",
        "2026-12-10",
        "--format",
        "json",
    ]);
    let rows: Value = serde_json::from_str(&stdout(&listed)).unwrap();
    assert_eq!(rows[0]["id"], format!("fu-{SECRETS}"));
    assert_eq!(rows[0]["days_overdue"], 2);
    assert_eq!(rows[0]["via"], "email");
    let id = format!("fu-{SECRETS}");
    let answered = run(&[
        "answer",
        &file,
        SECRETS,
        "--text",
        "In the vault",
        "--via",
        "follow-up",
        "--reference",
        &id,
        "--at",
        "2026-12-09",
    ]);
    assert_eq!(answered.status.code(), Some(0), "{}", stderr(&answered));
    let engagement = read(&file);
    assert_eq!(engagement["follow_ups"][0]["status"], "answered");
    assert_eq!(engagement["follow_ups"][0]["answered_on"], "2026-12-09");
    let listed = run(&[
        "followups",
        &file,
        "--overdue-on",
        "2026-12-10",
        "--format",
        "json",
    ]);
    assert_eq!(stdout(&listed), "[]\n");
}
