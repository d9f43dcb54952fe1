//! `threat-interview plan`: agendas within their time boxes, what did not fit, `--write`.

mod common;

use common::{EXAMPLE, repo, run};

#[test]
fn every_planned_interview_gets_an_agenda_within_its_time_box() {
    let output = run(&["plan", EXAMPLE, "--format", "json"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let interviews = value["plan"]["interviews"].as_array().unwrap();
    assert!(interviews.len() >= 2, "{value}");
    for plan in interviews {
        let used = plan["minutes_used"].as_u64().unwrap();
        let available = plan["minutes_available"].as_u64().unwrap();
        let agenda = plan["agenda"].as_array().unwrap();
        assert!(!agenda.is_empty(), "{plan}");
        assert!(used <= available, "{plan}");
        let sum: u64 = agenda.iter().map(|a| a["minutes"].as_u64().unwrap()).sum();
        assert_eq!(sum, used);
    }
    // The bank asks more than two interviews hold: the rest is reported, not dropped.
    assert!(!value["plan"]["did_not_fit"].as_array().unwrap().is_empty());
    assert_eq!(value["coverage"]["gaps"], serde_json::json!([]));
}

#[test]
fn the_table_names_each_interview_and_reports_what_did_not_fit() {
    let output = run(&["plan", EXAMPLE]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("(`iv-business`)"), "{text}");
    assert!(text.contains("(`iv-architecture-1`)"), "{text}");
    assert!(text.contains("did not fit any interview: "), "{text}");
    assert!(text.contains(", 0 skipped, 0 not surfaced\n"), "{text}");
}

#[test]
fn write_saves_agendas_that_validate_and_a_second_plan_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &file).unwrap();
    let file = file.to_str().unwrap();
    assert_eq!(run(&["plan", file, "--write"]).status.code(), Some(0));
    let first = std::fs::read(file).unwrap();
    let saved: serde_json::Value = serde_json::from_slice(&first).unwrap();
    assert!(
        saved["interviews"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| !i["agenda"].as_array().unwrap().is_empty())
    );
    assert!(saved["questions"].as_array().unwrap().len() > 100);
    assert_eq!(run(&["validate", file]).status.code(), Some(0));
    assert_eq!(run(&["plan", file, "--write"]).status.code(), Some(0));
    assert_eq!(std::fs::read(file).unwrap(), first);
}

#[test]
fn an_invalid_engagement_or_a_missing_file_fails_with_the_documented_codes() {
    let output = run(&["plan", "tests/invalid/meaning-references.json"]);
    assert_eq!(output.status.code(), Some(1));
    let output = run(&["plan", "no/such/file.json"]);
    assert_eq!(output.status.code(), Some(2));
}
