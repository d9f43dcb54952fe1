//! `import` and `export`: another tool's model in, an engagement out, ready to plan; an
//! engagement's model out as Open Threat Model; exit codes.

mod common;

use common::{EXAMPLE, repo, run, stderr, stdout};

const THREAT_DRAGON: &str = "tests/foreign/nested-boxes.json";
const OTM: &str = "tests/foreign/nested-zones.otm.yaml";

#[test]
fn an_import_is_written_valid_and_plans() {
    let dir = tempfile::tempdir().unwrap();
    for (input, name) in [(THREAT_DRAGON, "td.json"), (OTM, "otm.yaml")] {
        let out = dir.path().join(name);
        let out = out.to_str().unwrap();
        let output = run(&["import", input, "-o", out]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        assert!(stdout(&output).is_empty());
        let text = stderr(&output);
        assert!(text.contains("warning[import-skeleton]"), "{text}");
        assert!(text.contains(&format!("{out}: written")), "{text}");
        // The engagement validates (warnings about the people to add) and plans.
        let output = run(&["validate", out]);
        assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
        let output = run(&["plan", out]);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    }
}

#[test]
fn an_import_goes_to_standard_output_without_an_output_file() {
    let output = run(&["import", THREAT_DRAGON]);
    assert_eq!(output.status.code(), Some(0));
    let engagement: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(engagement["id"], "nested-boxes");
    assert_eq!(engagement["model"]["elements"].as_array().unwrap().len(), 6);
}

#[test]
fn an_existing_engagement_is_not_overwritten_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("e.json");
    std::fs::write(&out, "{}").unwrap();
    let out = out.to_str().unwrap();
    let output = run(&["import", THREAT_DRAGON, "-o", out]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--force"));
    assert_eq!(std::fs::read_to_string(out).unwrap(), "{}");
    let output = run(&["import", THREAT_DRAGON, "-o", out, "--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn a_file_of_the_wrong_format_is_exit_1_and_an_unreadable_one_exit_2() {
    let output = run(&["import", THREAT_DRAGON, "--from", "otm"]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    assert!(text.contains("import it as `threat-dragon`"), "{text}");
    assert!(text.contains("nothing imported (1 error)"), "{text}");
    let output = run(&["import", "tests/invalid/syntax-truncated.json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let output = run(&["import", "tests/foreign/missing.json"]);
    assert_eq!(output.status.code(), Some(2));
    let output = run(&["import", THREAT_DRAGON, "--from", "visio"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("threat-dragon"));
}

#[test]
fn export_writes_otm_that_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.otm.json");
    let out = out.to_str().unwrap();
    let output = run(&["export", EXAMPLE, "--format", "otm", "-o", out]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let otm: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(otm["otmVersion"], "0.2.0");
    let shop: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join(EXAMPLE)).unwrap()).unwrap();
    assert_eq!(
        otm["components"].as_array().unwrap().len(),
        shop["model"]["elements"].as_array().unwrap().len()
    );
    let back = dir.path().join("back.json");
    let output = run(&["import", out, "-o", back.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let again: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&back).unwrap()).unwrap();
    for list in ["elements", "flows", "boundaries"] {
        let ids = |v: &serde_json::Value| -> Vec<String> {
            v["model"][list]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x["id"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(ids(&again), ids(&shop), "{list}");
    }
    assert_eq!(again["scope"], shop["scope"]);
    // To standard output without -o; an invalid engagement is not exported.
    let output = run(&["export", EXAMPLE, "--format", "otm"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("{\n  \"otmVersion\": \"0.2.0\""));
    let output = run(&[
        "export",
        "tests/invalid/schema-three-errors.json",
        "--format",
        "otm",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
}
