//! The `threat-interview` binary: output formats and exit codes.

mod common;

use common::{EXAMPLE, repo, run, stdout};

const THREE_ERRORS: &str = "tests/invalid/schema-three-errors.json";

#[test]
fn the_bundled_example_validates() {
    let output = run(&["validate", EXAMPLE]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("checked 1 file: 1 valid, 0 invalid; 0 errors"));
}

#[test]
fn an_invalid_file_lists_every_error_with_its_place_and_exits_1() {
    let output = run(&["validate", THREE_ERRORS]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    for line in [
        "tests/invalid/schema-three-errors.json:13:9: error[duplicate-id]: id `web` is already used at `/model/elements/1` (at /model/elements/2/id)",
        "tests/invalid/schema-three-errors.json:21:9: error[wrong-type]: expected a boolean, found a string (at /model/flows/0/encrypted)",
        "tests/invalid/schema-three-errors.json:23:54: error[flow-target-missing]: flow target `payments` names no element (at /model/flows/1/target)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(
        text.ends_with("checked 1 file: 0 valid, 1 invalid; 3 errors, 2 warnings\n"),
        "{text}"
    );
}

#[test]
fn json_output_is_an_array_of_file_results() {
    let output = run(&["validate", "--format", "json", EXAMPLE, THREE_ERRORS]);
    assert_eq!(output.status.code(), Some(1));
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["file"], EXAMPLE);
    assert_eq!(results[0]["valid"], true);
    assert_eq!(results[1]["valid"], false);
    let errors = results[1]["errors"].as_array().unwrap();
    let pointers: Vec<&str> = errors
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(
        pointers,
        [
            "/model/elements/2/id",
            "/model/flows/0/encrypted",
            "/model/flows/1/target"
        ]
    );
    assert_eq!(errors[0]["code"], "duplicate-id");
    assert_eq!(errors[0]["line"], 13);
    assert_eq!(errors[0]["column"], 9);
    assert_eq!(errors[0]["severity"], "error");
    assert_eq!(results[1]["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn a_truncated_file_shows_its_line_and_column() {
    let output = run(&["validate", "tests/invalid/syntax-truncated.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("tests/invalid/syntax-truncated.json:8:38: error[syntax]: end of input while parsing a string\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_missing_file_is_exit_2_even_beside_an_invalid_one() {
    let output = run(&["validate", THREE_ERRORS, "no/such/file.json"]);
    assert_eq!(output.status.code(), Some(2));
    let errors = String::from_utf8(output.stderr.clone()).unwrap();
    assert!(
        errors.starts_with("no/such/file.json: error[io]: cannot read `no/such/file.json`: "),
        "{errors}"
    );
    assert!(stdout(&output).contains("0 valid, 1 invalid, 1 unreadable"));
}

#[test]
fn usage_errors_are_exit_2() {
    assert_eq!(run(&["validate"]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        run(&["validate", "--format", "xml", EXAMPLE]).status.code(),
        Some(2)
    );
}

#[test]
fn schema_prints_the_committed_schema() {
    let output = run(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let committed = std::fs::read_to_string(repo().join("schemas/engagement.schema.json")).unwrap();
    let diff = threat_interview::schema::first_difference(&committed, &stdout(&output));
    assert!(diff.is_none(), "{}", diff.unwrap_or_default());
}

#[test]
fn summary_counts_the_model() {
    let output = run(&["summary", "--format", "json", EXAMPLE]);
    assert_eq!(output.status.code(), Some(0));
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let engagement: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join(EXAMPLE)).unwrap()).unwrap();
    assert_eq!(summary["name"], engagement["name"]);
    assert_eq!(summary["assurance_level"], engagement["assurance_level"]);
    let flows = engagement["model"]["flows"].as_array().unwrap().len();
    assert_eq!(summary["flows"], flows);
    let human = stdout(&run(&["summary", EXAMPLE]));
    assert!(human.contains(&format!("flows: {flows}\n")), "{human}");
    assert!(human.contains("assurance level: "), "{human}");
}

#[test]
fn summary_of_an_invalid_file_shows_its_errors_and_exits_1() {
    let output = run(&["summary", THREE_ERRORS]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let errors = String::from_utf8(output.stderr.clone()).unwrap();
    assert!(errors.contains("error[flow-target-missing]"), "{errors}");
}

#[test]
fn the_built_in_packs_are_listed_and_the_examples_say_which_apply_and_why() {
    let output = run(&["packs", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let packs: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = packs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "llm-agents",
            "kubernetes",
            "cloud-iam-storage",
            "oauth-oidc",
            "payment-cards",
            "health-data"
        ]
    );
    for pack in packs.as_array().unwrap() {
        assert!(pack["templates"].as_u64().unwrap() >= 8, "{pack}");
        assert!(!pack["sources"].as_array().unwrap().is_empty(), "{pack}");
    }
    let applies = |file: &str| -> Vec<(String, String)> {
        let output = run(&["packs", file, "--format", "json"]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        let rows: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        rows.as_array()
            .unwrap()
            .iter()
            .filter(|r| r["applies"]["active"] == true)
            .map(|r| {
                (
                    r["id"].as_str().unwrap().to_owned(),
                    r["applies"]["reason"]["subject"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                )
            })
            .collect()
    };
    let shop = applies(EXAMPLE);
    for (pack, subject) in [
        ("oauth-oidc", "customer"),
        // Card tokens go to the provider over in-scope flows; the customer types card numbers
        // into the provider's fields, a flow outside the scope.
        ("payment-cards", "payment-provider"),
        ("kubernetes", "web-frontend"),
    ] {
        assert!(
            shop.contains(&(pack.to_owned(), subject.to_owned())),
            "{pack}: {shop:?}"
        );
    }
    let assistant = applies("examples/engagements/llm-assistant.json");
    assert!(
        assistant.contains(&("llm-agents".to_owned(), "model-provider".to_owned())),
        "{assistant:?}"
    );
    // `questions` and `plan` name the packs they applied.
    let output = run(&["questions", EXAMPLE]);
    assert!(
        stdout(&output).contains("packs applied: kubernetes (`web-frontend` calls for it)"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_llm_assistant_example_validates_without_a_warning_but_its_requested_documents() {
    let output = run(&["validate", "examples/engagements/llm-assistant.json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(
        text.contains("checked 1 file: 1 valid, 0 invalid; 0 errors, 2 warnings"),
        "{text}"
    );
    // The preparation is still going: two documents were asked for and not received.
    let warnings: Vec<&str> = text.lines().filter(|l| l.contains("warning[")).collect();
    assert_eq!(warnings.len(), 2, "{text}");
    assert!(
        warnings
            .iter()
            .all(|l| l.contains("warning[document-requested]")),
        "{text}"
    );
}

#[test]
fn calendar_and_readiness_fit_100_columns_for_every_example() {
    let examples = std::fs::read_dir(repo().join("examples/engagements")).unwrap();
    let mut checked = 0;
    for entry in examples {
        let path = entry.unwrap().path();
        let file = path.to_str().unwrap();
        for args in [
            &["calendar", file, "--start", "2026-12-04"][..],
            &["readiness", file][..],
        ] {
            let output = run(args);
            assert_eq!(output.status.code(), Some(0), "{args:?}");
            for line in stdout(&output).lines() {
                assert!(line.chars().count() <= 100, "{args:?}: {line}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "{checked}");
}
