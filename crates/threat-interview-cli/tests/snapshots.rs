//! The human-readable output of every command on the bundled example, as snapshots: a change
//! to what people read shows as a diff of `tests/snapshots/*.snap` for a reviewer to read.
//! `INSTA_UPDATE=always cargo test -p threat-interview-cli --test snapshots` rewrites them.

mod common;

use common::{EXAMPLE, run, stderr, stdout};

fn both(args: &[&str]) -> String {
    let output = run(args);
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        stdout(&output),
        stderr(&output)
    )
}

#[test]
fn validate_an_invalid_file() {
    insta::assert_snapshot!(both(&[
        "validate",
        "tests/invalid/schema-three-errors.json"
    ]));
}

#[test]
fn summary_of_the_example() {
    insta::assert_snapshot!(both(&["summary", EXAMPLE]));
}

#[test]
fn questions_of_the_example() {
    insta::assert_snapshot!(both(&["questions", EXAMPLE]));
}

#[test]
fn questions_of_one_role_as_a_guide() {
    insta::assert_snapshot!(both(&[
        "questions",
        EXAMPLE,
        "--role",
        "production_owner",
        "--format",
        "md"
    ]));
}

#[test]
fn coverage_of_the_example_before_any_question() {
    insta::assert_snapshot!(both(&["coverage", EXAMPLE]));
}

#[test]
fn packs_of_the_example() {
    insta::assert_snapshot!(both(&["packs", EXAMPLE]));
}

#[test]
fn plan_of_the_example() {
    insta::assert_snapshot!(both(&["plan", EXAMPLE]));
}

#[test]
fn the_plan_s_guide_says_where_a_question_that_did_not_fit_may_still_be_asked() {
    // Round 88's reviewer read a question listed under an interview's "If time permits" and
    // again under "Did not fit" as a contradiction: the second list now names the interview.
    let guide = both(&["plan", EXAMPLE, "--format", "md"]);
    let start = guide.find("## Did not fit").expect("a Did not fit section");
    let end = guide[start..]
        .find("## Coverage")
        .map_or(guide.len(), |end| start + end);
    insta::assert_snapshot!(&guide[start..end]);
}

#[test]
fn usage_errors_say_what_to_do() {
    insta::assert_snapshot!(both(&["questions", EXAMPLE, "--role", "architcet"]));
}

#[test]
fn import_of_a_threat_dragon_model() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("engagement.json");
    let out = out.to_str().unwrap();
    let text = both(&["import", "tests/foreign/nested-boxes.json", "-o", out]);
    insta::assert_snapshot!(text.replace(out, "OUT"));
}

#[test]
fn import_of_an_open_threat_model_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("engagement.json");
    let out = out.to_str().unwrap();
    let text = both(&["import", "tests/foreign/nested-zones.otm.yaml", "-o", out]);
    insta::assert_snapshot!(text.replace(out, "OUT"));
}

#[test]
fn export_of_the_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shop.otm.json");
    let out = out.to_str().unwrap();
    let text = both(&["export", EXAMPLE, "--format", "otm", "-o", out]);
    insta::assert_snapshot!(text.replace(out, "OUT"));
}

#[test]
fn calendar_proposed_from_a_friday() {
    insta::assert_snapshot!(both(&["calendar", EXAMPLE, "--start", "2026-12-04"]));
}

#[test]
fn calendar_the_file_holds() {
    insta::assert_snapshot!(both(&["calendar", EXAMPLE]));
}

#[test]
fn readiness_of_the_example() {
    insta::assert_snapshot!(both(&["readiness", EXAMPLE]));
}

/// The exit code and standard error only.
fn status_and_stderr(args: &[&str]) -> String {
    let output = run(args);
    format!("exit: {:?}\n{}", output.status.code(), stderr(&output))
}

#[test]
fn calendar_written_then_exported_as_icalendar() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.json");
    std::fs::copy(common::repo().join(EXAMPLE), &path).unwrap();
    let before = std::fs::read(&path).unwrap();
    let file = path.to_str().unwrap();
    let refused = status_and_stderr(&["calendar", file, "--start", "2026-12-04", "--write"]);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "a refused write changes nothing"
    );
    let undated = status_and_stderr(&["export", file, "--format", "ics"]);
    let replaced = status_and_stderr(&[
        "calendar",
        file,
        "--start",
        "2026-12-04",
        "--write",
        "--replace",
    ]);
    let exported = both(&["export", file, "--format", "ics"]);
    let bad_date = status_and_stderr(&["calendar", file, "--start", "2026-02-30"]);
    let text = format!(
        "--- calendar --write over the file's interviews\n{refused}--- export of undated interviews\n{undated}--- calendar --write --replace\n{replaced}--- export (CRLF shown as \u{23ce})\n{}--- a date that does not exist\n{bad_date}",
        exported.replace("\r\n", "\u{23ce}\n"),
    );
    insta::assert_snapshot!(text.replace(file, "FILE"));
}

#[test]
fn calendar_with_problems_the_user_wrote() {
    // The example, edited as someone might: the business interview runs four hours into the
    // architects' session, Li Wei is also asked to the deployment interview at that time, and
    // the architects come back on day 5.
    let mut value: serde_json::Value =
        serde_json::from_slice(&std::fs::read(common::repo().join(EXAMPLE)).unwrap()).unwrap();
    let interviews = value["interviews"].as_array_mut().unwrap();
    interviews[0]["minutes"] = 240.into();
    interviews[2]["day"] = 5.into();
    interviews[3]["day"] = 1.into();
    interviews[3]["start"] = "10:00".into();
    interviews[3]["participants"]
        .as_array_mut()
        .unwrap()
        .push("li-wei".into());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shop.json");
    std::fs::write(&path, serde_json::to_string_pretty(&value).unwrap()).unwrap();
    let file = path.to_str().unwrap();
    insta::assert_snapshot!(both(&["calendar", file]).replace(file, "FILE"));
}

/// The example planned into a copy (the guide shows the agendas `plan` fills), and its path.
fn planned_example(name: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::copy(common::repo().join(EXAMPLE), &path).unwrap();
    let path = path.to_str().unwrap().to_owned();
    let output = run(&["plan", &path, "--write"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    (dir, path)
}

#[test]
fn guide_of_one_interview_in_markdown() {
    let (_dir, path) = planned_example("shop.json");
    let output = run(&[
        "export",
        &path,
        "--format",
        "md",
        "--interview",
        "iv-architecture-1",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn guide_of_the_engagement_in_markdown_and_html() {
    let (_dir, path) = planned_example("shop.json");
    let md = run(&["export", &path, "--format", "md"]);
    assert_eq!(md.status.code(), Some(0), "{}", stderr(&md));
    insta::assert_snapshot!("guide_of_the_engagement_md", stdout(&md));
    let html = run(&["export", &path, "--format", "html"]);
    assert_eq!(html.status.code(), Some(0), "{}", stderr(&html));
    insta::assert_snapshot!("guide_of_the_engagement_html", stdout(&html));
    // Same input, same bytes.
    assert_eq!(run(&["export", &path, "--format", "md"]).stdout, md.stdout);
    assert_eq!(
        run(&["export", &path, "--format", "html"]).stdout,
        html.stdout
    );
}

#[test]
fn guide_of_an_unknown_interview_names_the_closest() {
    let (_dir, path) = planned_example("shop.json");
    insta::assert_snapshot!(
        status_and_stderr(&[
            "export",
            &path,
            "--format",
            "md",
            "--interview",
            "iv-bussiness"
        ])
        .replace(&path, "shop.json")
    );
}

#[test]
fn component_graph_as_mermaid_and_dot() {
    let (_dir, path) = planned_example("shop.json");
    let mermaid = run(&["export", &path, "--format", "mermaid"]);
    assert_eq!(mermaid.status.code(), Some(0), "{}", stderr(&mermaid));
    insta::assert_snapshot!("graph_mermaid", stdout(&mermaid));
    let dot = run(&["export", &path, "--format", "dot"]);
    assert_eq!(dot.status.code(), Some(0), "{}", stderr(&dot));
    insta::assert_snapshot!("graph_dot", stdout(&dot));
    assert_eq!(
        run(&["export", &path, "--format", "dot"]).stdout,
        dot.stdout
    );
    assert_eq!(
        run(&["export", &path, "--format", "mermaid"]).stdout,
        mermaid.stdout
    );
}

#[test]
fn roadmap_after_findings_were_recorded() {
    let (_dir, path) = planned_example("shop.json");
    let steps: &[&[&str]] = &[
        &[
            "hint",
            &path,
            "--text",
            "Prices go over plain HTTP",
            "--subject",
            "api-gateway",
        ],
        &[
            "hint",
            &path,
            "--text",
            "Admins share one account",
            "--subject",
            "shop-staff",
        ],
        &["hint", &path, "--text", "Backups are <unencrypted>"],
        &["hint", &path, "--text", "Logs are kept a week"],
        &[
            "finding",
            "promote",
            &path,
            "h-1",
            "--id",
            "fd-1",
            "--title",
            "Prices altered in transit",
            "--severity",
            "high",
            "--quick-win",
            "--step",
            "customer: joins a rogue Wi-Fi access point",
            "--step",
            "api-gateway: the attacker rewrites prices in the plain HTTP response",
        ],
        &[
            "finding",
            "promote",
            &path,
            "h-2",
            "--id",
            "fd-2",
            "--title",
            "No trace of who changed an order",
            "--severity",
            "medium",
            "--step",
            "shop-staff: a colleague uses the shared account",
        ],
        &[
            "finding",
            "confirm",
            &path,
            "fd-1",
            "--rationale",
            "Plain HTTP seen in the gateway config",
        ],
        &[
            "finding",
            "promote",
            &path,
            "h-3",
            "--id",
            "fd-3",
            "--title",
            "Backups readable by the cloud team",
            "--step",
            "a cloud admin copies the bucket",
        ],
        &[
            "finding",
            "dismiss",
            &path,
            "fd-3",
            "--rationale",
            "The bucket is encrypted with a key the team cannot read",
        ],
    ];
    for args in steps {
        let output = run(args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    let output = run(&["export", &path, "--format", "roadmap"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn writing_questions_records_the_weaknesses_the_model_states_as_hints() {
    // The exam platform's cluster says it has no network policies: the questions that sentence
    // answers are answered with a weakness, and `--write` records one hint for it.
    let dir = tempfile::tempdir().unwrap();
    let source =
        std::fs::read_to_string(common::repo().join("examples/engagements/exam-platform.json"))
            .unwrap();
    let mut engagement: serde_json::Value = serde_json::from_str(&source).unwrap();
    let cluster = engagement["model"]["boundaries"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|b| b["id"] == "tb-cluster")
        .unwrap();
    cluster["description"] = "The production EKS cluster. No network policies yet.".into();
    let file = dir.path().join("exams.json");
    std::fs::write(&file, serde_json::to_string_pretty(&engagement).unwrap()).unwrap();
    let path = file.to_str().unwrap();
    let written = run(&["questions", path, "--write", "--format", "json"]);
    assert_eq!(written.status.code(), Some(0), "{}", stderr(&written));
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let hints = serde_json::to_string_pretty(&saved["hints"]).unwrap();
    // Written again: nothing changes, and no hint is named.
    let again = run(&["questions", path, "--write", "--format", "json"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    insta::assert_snapshot!(format!(
        "--- stderr\n{}--- hints\n{hints}\n--- stderr, written again\n{}",
        stderr(&written).replace(path, "exams.json"),
        stderr(&again).replace(path, "exams.json")
    ));
}
