//! The command line under hostile or careless use: no panic, no hang, no lost answer, no
//! silent failure.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::{EXAMPLE, repo, run, stderr, stdout};

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_threat-interview"));
    command.current_dir(repo());
    command
}

/// A copy of the example with its questions merged, in a temporary directory.
fn example_with_questions(dir: &Path) -> String {
    let file = dir.join("shop.json");
    std::fs::copy(repo().join(EXAMPLE), &file).unwrap();
    let file = file.to_str().unwrap().to_owned();
    let output = run(&["questions", &file, "--write", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    file
}

#[test]
fn two_processes_answering_at_once_never_lose_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = example_with_questions(dir.path());
    let engagement: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let ids: Vec<String> = engagement["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap().to_owned())
        .collect();
    let mut conflicts = 0;
    for round in 0..50 {
        let (a, b) = (&ids[2 * round], &ids[2 * round + 1]);
        let spawn = |id: &str, text: &str| {
            binary()
                .args(["answer", &file, id, "--text", text, "--by", "li-wei"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let first = spawn(a, &format!("first answer {round}"));
        let second = spawn(b, &format!("second answer {round}"));
        let first = first.wait_with_output().unwrap();
        let second = second.wait_with_output().unwrap();
        let saved: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let answers_of = |id: &str| -> Vec<String> {
            saved["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["id"] == id)
                .and_then(|q| q["answers"].as_array())
                .map(|a| {
                    a.iter()
                        .map(|x| x["text"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default()
        };
        for (output, id, text) in [
            (&first, a, format!("first answer {round}")),
            (&second, b, format!("second answer {round}")),
        ] {
            let errors = String::from_utf8_lossy(&output.stderr);
            if output.status.success() {
                assert!(
                    answers_of(id).contains(&text),
                    "round {round}: {id} lost its answer"
                );
            } else {
                // The only acceptable failure is the named conflict, and then nothing changed.
                assert!(
                    errors.contains("error[conflict]"),
                    "round {round}: {errors}"
                );
                assert!(!answers_of(id).contains(&text));
                conflicts += 1;
            }
        }
    }
    // With retries on a lost race, both answers land every time in practice.
    assert!(conflicts <= 5, "{conflicts} conflicts in 50 rounds");
}

#[test]
fn ids_longer_than_a_formatter_allows_do_not_panic_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let long = "x".repeat(70_000);
    let text = serde_json::json!({
        "schema_version": 1, "id": "e", "name": "Long ids", "assurance_level": "fast",
        "scope": {"out_of_scope": ["nothing"]},
        "participants": [{"id": "p", "name": "P", "roles": ["architect", "business_stakeholder"]}],
        "custom_roles": [{"id": long.clone(), "name": "A very long role"}],
        "model": {
            "elements": [
                {"id": format!("user-{long}"), "name": long.clone(), "kind": "external_interactor"},
                {"id": format!("app-{long}"), "name": "App", "kind": "process"}
            ],
            "flows": [{"id": format!("f-{long}"), "name": "f", "source": format!("user-{long}"), "target": format!("app-{long}")}]
        }
    });
    let file = dir.path().join("long.json");
    std::fs::write(&file, text.to_string()).unwrap();
    let file = file.to_str().unwrap();
    for args in [
        vec!["questions", file],
        vec!["coverage", file],
        vec!["plan", file],
        vec!["summary", file],
    ] {
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        assert!(
            stdout(&output).lines().all(|l| l.chars().count() <= 100),
            "{args:?} fits 100 columns"
        );
    }
    let written = run(&["questions", file, "--write"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    assert_eq!(run(&["coverage", file]).status.code(), Some(0));
}

#[test]
fn an_unknown_role_is_a_usage_error_with_a_suggestion() {
    let output = run(&["questions", EXAMPLE, "--role", "architcet"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "error[usage]: unknown role `architcet`; did you mean `architect`?\n"
    );
    let output = run(&["questions", EXAMPLE, "--role", "production-owner"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("did you mean `production_owner`?"));
}

#[cfg(target_os = "linux")]
#[test]
fn output_that_cannot_be_written_is_a_failure() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let output = binary()
        .args(["questions", EXAMPLE])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("error[io]: cannot write the output"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_as_a_bank_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("bank.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    for bank in [fifo.to_str().unwrap(), "/dev/zero"] {
        let output = run(&["questions", EXAMPLE, "--bank", bank]);
        assert_eq!(output.status.code(), Some(2), "{bank}");
        assert!(
            stderr(&output).contains("is not a regular file"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_bank_that_is_not_utf8_is_invalid_input_with_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank.json");
    std::fs::write(&bank, b"{\"id\": \"\xFF\"}").unwrap();
    let output = run(&["questions", EXAMPLE, "--bank", bank.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(":1:9: error[encoding]"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_duplicate_key_is_refused_before_a_write_could_drop_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dup.json");
    let text = std::fs::read_to_string(repo().join(EXAMPLE)).unwrap();
    let doubled = text.replacen(
        "\"participants\": [",
        "\"questions\": [],\n  \"questions\": [],\n  \"participants\": [",
        1,
    );
    std::fs::write(&file, &doubled).unwrap();
    let output = run(&["questions", file.to_str().unwrap(), "--write"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error[duplicate-key]"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), doubled);
}

#[test]
fn twenty_thousand_unreachable_elements_print_in_every_format() {
    // Quadratic work per unreachable element (a list searched for each heading) would make
    // this take minutes; it prints in about a second.
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let elements: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": format!("p{i}"), "name": format!("P{i}"), "kind": "process"}))
        .collect();
    let flows: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"id": format!("f{i}"), "name": "f", "source": format!("p{i}"), "target": format!("p{}", (i + 1) % n)}))
        .collect();
    let text = serde_json::json!({
        "schema_version": 1, "id": "e", "name": "Unreachable", "assurance_level": "fast",
        "scope": {"out_of_scope": ["nothing"]},
        "model": {"elements": elements, "flows": flows}
    });
    let file = dir.path().join("unreachable.json");
    std::fs::write(&file, text.to_string()).unwrap();
    let file = file.to_str().unwrap();
    for format in ["md", "json"] {
        let output = run(&["questions", file, "--role", "architect", "--format", format]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stdout(&output).contains("p19999"));
    }
}

#[test]
fn a_bank_type_error_has_the_code_python_gets_and_a_place() {
    let dir = tempfile::tempdir().unwrap();
    let bank = dir.path().join("bank.yaml");
    std::fs::write(
        &bank,
        "schema_version: 1\nid: b\nname: b\ntemplates:\n  - id: t\n    category: spoofing\n    applies_to: [process]\n    text: '?'\n    roles: [architect]\n    priority: high\n    minutes: 2\n    rationale: r\n",
    )
    .unwrap();
    let bank = bank.to_str().unwrap();
    let output = run(&["questions", EXAMPLE, "--bank", bank]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "{bank}:10:5: error[wrong-type]: expected an integer, found a string (at /templates/0/priority)\n"
        )
    );
}
