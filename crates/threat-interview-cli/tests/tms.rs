//! `import` of Threat Modeling Tool and Threats Manager Studio files, `export --format tms`
//! (questions back into a `.tm`) and `export --format tmq` (the bank as a question file). The real files are the shared
//! fixtures (`../shared/fixtures/`, or `THREAT_INTERVIEW_FIXTURES`); without them these tests
//! pass with a message, except on CI.

mod common;

use std::path::PathBuf;

use common::{run, stderr, stdout};

fn fixture(relative: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("THREAT_INTERVIEW_FIXTURES")
        .map_or_else(|| common::repo().join("../shared/fixtures"), PathBuf::from);
    if dir.is_dir() {
        return Some(dir.join(relative));
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared fixtures are missing at {}",
        dir.display()
    );
    eprintln!("skipped: no shared fixtures at {}", dir.display());
    None
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// The numbers of elements, flows and boundaries of an engagement file.
fn counts(file: &std::path::Path) -> [usize; 3] {
    let text = std::fs::read_to_string(file).unwrap();
    let engagement: serde_json::Value = serde_json::from_str(&text).unwrap();
    ["elements", "flows", "boundaries"]
        .map(|list| engagement["model"][list].as_array().map_or(0, Vec::len))
}

#[test]
fn a_tm_is_imported_its_questions_written_back_and_imported_again() {
    let Some(model) = fixture("tms/azure-paas-core-example.tm") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let engagement = dir.path().join("azure.json");
    let output = run(&["import", path(&model), "-o", path(&engagement)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(counts(&engagement), [6, 6, 1]);
    assert!(stderr(&output).contains("warning[import-unmapped]"));

    let output = run(&["questions", path(&engagement), "--write"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = run(&[
        "answer",
        path(&engagement),
        "engagement.architect.walkthrough",
        "--text",
        "Walked through.",
        "--via",
        "email",
        "--at",
        "2024-06-05",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));

    let out = dir.path().join("azure-topics.tm");
    let output = run(&[
        "export",
        path(&engagement),
        "--format",
        "tms",
        "--into",
        path(&model),
        "-o",
        path(&out),
        "--asked-by",
        "Jane Reviewer",
        "--asked-on",
        "2024-06-01",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("topics and 1 answer written"),
        "{}",
        stderr(&output)
    );

    let back = dir.path().join("back.yaml");
    let output = run(&["import", path(&out), "-o", path(&back), "--from", "tm"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = std::fs::read_to_string(&back).unwrap();
    assert!(text.contains("Walked through."), "the answer came back");
    assert!(
        text.contains("tms-topic-model-"),
        "the topics came back as questions"
    );
}

#[test]
fn a_tm7_is_imported() {
    let Some(model) = fixture("ms-tmt/MTMT_nested_tz.tm7") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let engagement = dir.path().join("nested.json");
    let output = run(&[
        "import",
        path(&model),
        "-o",
        path(&engagement),
        "--from",
        "tm7",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(counts(&engagement), [4, 3, 3]);
    let output = run(&["validate", path(&engagement)]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn the_bank_is_written_as_a_question_file_and_what_has_no_rule_is_listed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("bank.tmq");
    let output = run(&["export", "--format", "tmq", "-o", path(&out)]);
    assert!(output.status.success(), "{}", stderr(&output));
    let listed = stdout(&output);
    assert!(listed.contains("questions written;"), "{listed}");
    assert!(listed.contains("`property_true`"), "{listed}");
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], [0xff, 0xfe]);
}

#[test]
fn files_that_are_not_models_are_refused_with_the_right_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("renamed.tm7");
    // An empty ZIP archive: the end of central directory alone.
    let mut bytes = vec![0x50, 0x4b, 0x05, 0x06];
    bytes.extend([0u8; 18]);
    std::fs::write(&zip, &bytes).unwrap();
    let out = dir.path().join("x.json");
    let output = run(&["import", path(&zip), "-o", path(&out), "--from", "tm7"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("a ZIP archive, not a Threat Modeling Tool"),
        "{}",
        stderr(&output)
    );
    let output = run(&["import", path(&zip), "-o", path(&out)]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let output = run(&["import", "no-such-file.tm", "-o", path(&out)]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!out.exists());
}

#[test]
fn export_says_what_each_format_needs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.tm");
    // `tms` needs the model to write into; `tmq` takes no engagement and needs a file.
    let output = run(&[
        "export",
        common::EXAMPLE,
        "--format",
        "tms",
        "-o",
        path(&out),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--into MODEL.tm"),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "export",
        common::EXAMPLE,
        "--format",
        "tmq",
        "-o",
        path(&out),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let output = run(&["export", "--format", "tmq"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let output = run(&["export", "--format", "otm"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(!out.exists());
}
