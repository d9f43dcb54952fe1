//! `threat-interview questions` and `threat-interview coverage`: formats, `--write`, exit codes.

mod common;

use common::{EXAMPLE, repo, run, stderr, stdout};

#[test]
fn questions_are_printed_in_every_format_with_the_coverage_verdict() {
    let table = run(&["questions", EXAMPLE]);
    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    assert!(text.contains("engagement.business"), "{text}");
    assert!(text.contains(", 0 skipped, 0 not surfaced\n"), "{text}");
    let json = run(&["questions", EXAMPLE, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["questions"].as_array().unwrap().len() > 100);
    assert_eq!(value["coverage_gaps"], serde_json::json!([]));
    let md = run(&[
        "questions",
        EXAMPLE,
        "--format",
        "md",
        "--role",
        "architect",
    ]);
    let text = stdout(&md);
    assert!(text.starts_with("# Interview guide: "), "{text}");
    assert!(text.contains("## Coverage"), "{text}");
    assert!(!text.contains("production_owner,"), "the role filter holds");
    // Identical across runs.
    assert_eq!(stdout(&run(&["questions", EXAMPLE])), stdout(&table));
}

#[test]
fn write_merges_into_the_file_and_coverage_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &file).unwrap();
    let file = file.to_str().unwrap();
    let before = run(&["coverage", file, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&before.stdout).unwrap();
    assert!(
        !value["gaps"].as_array().unwrap().is_empty(),
        "no questions yet: all gaps"
    );
    let table = stdout(&run(&["coverage", file]));
    assert!(
        table.contains("gap:       spoofing               not_surfaced Customer (`customer`)"),
        "{table}"
    );

    let write = run(&["questions", file, "--write"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    assert!(stderr(&write).contains("added"), "{}", stderr(&write));
    let after = run(&["coverage", file, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert_eq!(value["gaps"], serde_json::json!([]));
    assert_eq!(value["totals"]["not_surfaced"], 0);
    let saved = std::fs::read_to_string(file).unwrap();
    let again = run(&["questions", file, "--write"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(file).unwrap(),
        saved,
        "a second merge is a no-op"
    );
}

#[test]
fn a_bad_bank_exits_1_with_its_pointer_and_a_missing_one_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank.yaml");
    std::fs::write(
        &bank,
        "schema_version: 1\nid: bad\nname: bad\ntemplates:\n  - id: t\n    applies_to: [process]\n    when: {any: [{is_cloud: true}]}\n    text: x\n    roles: [architect]\n    priority: 3\n    minutes: 1\n    rationale: r\n",
    )
    .unwrap();
    let output = run(&["questions", EXAMPLE, "--bank", bank.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("unknown operator `is_cloud` (at /templates/0/when/any/0)"),
        "{}",
        stderr(&output)
    );
    let missing = run(&["questions", EXAMPLE, "--bank", "no/such/bank.json"]);
    assert_eq!(missing.status.code(), Some(2));
    let no_file = run(&["coverage", "no/such/engagement.json"]);
    assert_eq!(no_file.status.code(), Some(2));
}

#[test]
fn the_json_output_s_coverage_gaps_are_those_the_saved_questions_leave() {
    // A bank that switches off every question about who the example's people and partners
    // are leaves gaps; `questions --format json` works them out beside printing the questions
    // (on a second thread) and must print the ones `coverage` finds once they are saved.
    let dir = tempfile::tempdir().unwrap();
    let builtin: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("crates/threat-interview/src/bank/builtin.json"))
            .unwrap(),
    )
    .unwrap();
    let disabled: Vec<&str> = builtin["templates"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["id"].as_str())
        .filter(|id| id.starts_with("interactor.spoofing"))
        .collect();
    let bank = dir.path().join("gaps.json");
    std::fs::write(
        &bank,
        serde_json::json!({"schema_version": 1, "id": "gaps", "name": "Gaps",
                           "templates": [], "disable": disabled})
        .to_string(),
    )
    .unwrap();
    let bank = bank.to_str().unwrap();
    let file = dir.path().join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &file).unwrap();
    let file = file.to_str().unwrap();
    let json = run(&["questions", file, "--bank", bank, "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", stderr(&json));
    let printed: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let gaps = &printed["coverage_gaps"];
    assert!(!gaps.as_array().unwrap().is_empty(), "{gaps}");
    let write = run(&["questions", file, "--bank", bank, "--write"]);
    assert_eq!(write.status.code(), Some(0), "{}", stderr(&write));
    let coverage = run(&["coverage", file, "--format", "json"]);
    let saved: serde_json::Value = serde_json::from_slice(&coverage.stdout).unwrap();
    assert_eq!(gaps, &saved["gaps"]);
}
