//! Validation of engagement files: every problem reported, each with its pointer, line and
//! column; bad input rejected cleanly.

use std::path::PathBuf;

use threat_interview::io::{self, Format, LoadError, LoadOptions};
use threat_interview::validate::{Validation, validate_path, validate_slice, validate_str};
use threat_interview::{
    AssuranceLevel, Diagnostic, DiagnosticLevel, Element, ElementKind, Engagement, Flow,
};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn validate_file(relative: &str) -> Validation {
    validate_path(repo().join(relative), &LoadOptions::default()).expect("the file is readable")
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn find<'a>(diagnostics: &'a [Diagnostic], code: &str, pointer: &str) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.code.as_str() == code && d.pointer == pointer)
        .unwrap_or_else(|| panic!("no `{code}` at `{pointer}` in {diagnostics:#?}"))
}

#[test]
fn the_bundled_example_is_valid() {
    let validation = validate_file("examples/engagements/online-shop.json");
    assert!(
        validation.report.is_valid(),
        "{:#?}",
        validation.report.errors
    );
    assert!(validation.engagement.is_some());
}

#[test]
fn a_dangling_target_a_duplicate_id_and_a_wrong_type_are_all_reported() {
    let report = validate_file("tests/invalid/schema-three-errors.json").report;
    assert_eq!(
        codes(&report.errors),
        ["duplicate-id", "wrong-type", "flow-target-missing"],
        "{report:#?}"
    );
    let duplicate = find(&report.errors, "duplicate-id", "/model/elements/2/id");
    assert_eq!((duplicate.line, duplicate.column), (Some(13), Some(9)));
    let wrong = find(&report.errors, "wrong-type", "/model/flows/0/encrypted");
    assert_eq!(wrong.message, "expected a boolean, found a string");
    assert_eq!((wrong.line, wrong.column), (Some(21), Some(9)));
    let dangling = find(
        &report.errors,
        "flow-target-missing",
        "/model/flows/1/target",
    );
    assert!(
        dangling.message.contains("`payments`"),
        "{}",
        dangling.message
    );
    assert_eq!(dangling.line, Some(23));
}

#[test]
fn a_truncated_file_reports_its_line_and_column() {
    let report = validate_file("tests/invalid/syntax-truncated.json").report;
    assert_eq!(codes(&report.errors), ["syntax"]);
    assert_eq!(
        (report.errors[0].line, report.errors[0].column),
        (Some(8), Some(38))
    );
    let error = io::load(repo().join("tests/invalid/syntax-truncated.json")).unwrap_err();
    assert!(
        error.to_string().contains("at line 8, column 38"),
        "{error}"
    );
}

#[test]
fn every_diagnostic_from_a_json_file_has_a_position() {
    for entry in std::fs::read_dir(repo().join("tests/invalid")).unwrap() {
        let path = entry.unwrap().path();
        let report = validate_path(&path, &LoadOptions::default())
            .unwrap()
            .report;
        assert!(!report.is_valid(), "{} should be invalid", path.display());
        for d in report.iter() {
            assert!(
                d.line.is_some() && d.column.is_some(),
                "{}: {d:?} has no position",
                path.display()
            );
            assert!(!d.message.ends_with('.'), "{d:?}");
            assert!(!d.message.starts_with(char::is_uppercase), "{d:?}");
        }
    }
}

#[test]
fn boundary_cycles_are_found_once_each_and_do_not_hang() {
    let report = validate_file("tests/invalid/meaning-boundary-cycle.json").report;
    let cycles: Vec<&str> = report
        .errors
        .iter()
        .filter(|d| d.code.as_str() == "boundary-cycle")
        .map(|d| d.pointer.as_str())
        .collect();
    assert_eq!(
        cycles,
        ["/model/boundaries/0/parent", "/model/boundaries/2/parent"]
    );
    find(
        &report.errors,
        "boundary-parent-missing",
        "/model/boundaries/3/parent",
    );
    find(
        &report.errors,
        "element-boundary-missing",
        "/model/elements/1/boundary",
    );
}

#[test]
fn a_long_boundary_chain_closing_on_itself_is_one_cycle() {
    let n = 20_000;
    let mut engagement = Engagement::new("e", "chain", AssuranceLevel::Fast);
    for i in 0..n {
        let value = serde_json::json!({
            "id": format!("b{i}"), "name": format!("b{i}"), "parent": format!("b{}", (i + 1) % n)
        });
        engagement
            .model
            .boundaries
            .push(serde_json::from_value(value).unwrap());
    }
    let report = engagement.validate();
    assert_eq!(
        codes(&report.errors),
        ["boundary-cycle"],
        "one cycle, reported once"
    );
}

#[test]
fn every_broken_reference_is_reported() {
    let report = validate_file("tests/invalid/meaning-references.json").report;
    for (code, pointer) in [
        ("role-shadows-built-in", "/custom_roles/0/id"),
        ("role-duplicate", "/custom_roles/2/id"),
        ("role-expertise-custom", "/custom_roles/1/expertise/1"),
        ("role-undeclared", "/participants/1/roles/0"),
        ("role-undeclared", "/interviews/0/roles/1"),
        ("participant-missing", "/documents/0/owner"),
        ("participant-missing", "/interviews/0/participants/1"),
        ("question-missing", "/interviews/0/agenda/0/question"),
        ("subject-missing", "/questions/0/subjects/1"),
        ("participant-missing", "/questions/0/answers/0/by"),
        (
            "answer-reference-missing",
            "/questions/0/answers/0/reference",
        ),
        (
            "answer-reference-missing",
            "/questions/0/answers/1/reference",
        ),
        ("rationale-missing", "/hints/0"),
        ("subject-missing", "/hints/0/subjects/0"),
        ("question-missing", "/hints/0/question"),
        ("participant-missing", "/hints/0/raised_by"),
        ("rationale-missing", "/findings/0"),
        ("hint-missing", "/findings/0/hints/0"),
        ("attack-path-empty", "/findings/0/attack_path"),
        ("question-missing", "/follow_ups/0/question"),
        ("participant-missing", "/follow_ups/0/assignee"),
        ("participant-missing", "/calibration/provided_by/0"),
    ] {
        find(&report.errors, code, pointer);
    }
    // The role `champion` is declared (twice), so using it is fine; an email answer's
    // reference names something outside the engagement.
    assert!(
        !report
            .errors
            .iter()
            .any(|d| d.pointer == "/questions/0/role")
    );
    assert!(
        !report
            .errors
            .iter()
            .any(|d| d.pointer == "/questions/0/answers/2/reference")
    );
    assert_eq!(report.errors.len(), 22, "{:#?}", report.errors);
}

fn two_elements() -> Engagement {
    let mut engagement = Engagement::new("e", "two elements", AssuranceLevel::Fast);
    for (id, kind) in [
        ("user", ElementKind::ExternalInteractor),
        ("api", ElementKind::Process),
    ] {
        engagement.model.elements.push(Element::new(id, id, kind));
    }
    engagement
}

fn flow(id: &str, source: &str, target: &str) -> Flow {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": id, "source": source, "target": target
    }))
    .unwrap()
}

#[test]
fn dates_are_checked_by_the_schema_formats() {
    let report = validate_file("tests/invalid/schema-dates.json").report;
    let found: Vec<(&str, &str)> = report
        .errors
        .iter()
        .map(|d| (d.code.as_str(), d.pointer.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("invalid-date", "/questions/0/answers/0/at"),
            ("invalid-date", "/follow_ups/0/asked_on"),
            ("invalid-date", "/follow_ups/0/due"),
        ]
    );
    assert_eq!(
        report.errors[0].message,
        "`yesterday` is not a date (`YYYY-MM-DD`) or an RFC 3339 date and time"
    );
}

#[test]
fn a_newer_version_is_refused_naming_both_versions() {
    let report = validate_file("tests/invalid/schema-newer-version.json").report;
    assert_eq!(codes(&report.errors), ["unsupported-version"]);
    assert_eq!(
        report.errors[0].message,
        "this file is schema version 3, written by a newer threat-interview; this library reads versions up to 1"
    );
    assert_eq!(report.errors[0].line, Some(2));
}

#[test]
fn a_flow_from_an_element_to_itself_is_a_warning() {
    let mut engagement = two_elements();
    engagement.model.flows.push(flow("loop", "api", "api"));
    let report = engagement.validate();
    assert!(report.is_valid(), "{report:#?}");
    let warning = find(&report.warnings, "flow-self-loop", "/model/flows/0/target");
    assert_eq!(warning.severity, DiagnosticLevel::Warning);
    assert_eq!(
        warning.line, None,
        "in-memory engagements have no positions"
    );
    // The interactor touches no flow; the process does (its loop).
    find(
        &report.warnings,
        "interactor-without-flow",
        "/model/elements/0",
    );
    assert!(
        !report
            .warnings
            .iter()
            .any(|d| d.code.as_str() == "element-without-flow")
    );
}

#[test]
fn in_memory_engagements_get_the_checks_the_schema_would_do() {
    let mut engagement = two_elements();
    engagement.model.flows.push(flow("api", "user", "api"));
    engagement.questions.push(
        serde_json::from_value(serde_json::json!({
            "id": "q", "text": "?", "role": "architect", "priority": 9, "minutes": 5
        }))
        .unwrap(),
    );
    let mut calibration = threat_interview::Calibration::default();
    calibration.weights.spoofing = 0;
    engagement.calibration = Some(calibration);
    engagement.schema_version = 7;
    let report = engagement.validate();
    assert_eq!(
        codes(&report.errors),
        [
            "out-of-range",
            "duplicate-id",
            "out-of-range",
            "unsupported-version"
        ],
        "{report:#?}"
    );
}

#[test]
fn warnings_leave_the_engagement_valid() {
    let mut engagement = two_elements();
    engagement.model.flows.push(flow("call", "user", "api"));
    let report = engagement.validate();
    assert!(report.is_valid());
    assert_eq!(
        codes(&report.warnings),
        [
            "required-role-unfilled",
            "required-role-unfilled",
            "out-of-scope-empty"
        ],
        "{report:#?}"
    );
    engagement.scope.out_of_scope.push("payments".into());
    for (id, role) in [("a", "architect"), ("b", "business_stakeholder")] {
        engagement.participants.push(
            serde_json::from_value(serde_json::json!({"id": id, "name": id, "roles": [role]}))
                .unwrap(),
        );
    }
    assert!(engagement.validate().is_empty());
}

#[test]
fn invalid_utf8_is_reported_with_the_position_of_the_first_bad_byte() {
    let bytes = b"{\n  \"name\": \"caf\xC3\xA9 \xFF\"\n}\n";
    let validation = validate_slice(bytes, Format::Json, &LoadOptions::default());
    let error = &validation.report.errors[0];
    assert_eq!(error.code.as_str(), "encoding");
    assert_eq!((error.line, error.column), (Some(2), Some(17)));
    match io::load_slice_with(bytes, Format::Json, &LoadOptions::default()) {
        Err(LoadError::Invalid { report }) => assert_eq!(report.errors[0].line, Some(2)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_200_mb_file_is_refused_on_its_size_without_being_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.json");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(200 * 1024 * 1024).unwrap();
    drop(file);
    let error = io::load(&path).unwrap_err();
    assert!(
        matches!(
            error,
            LoadError::Read(threat_interview::source::ReadError::TooLarge {
                size: 209_715_200,
                limit: 134_217_728,
                ..
            })
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("209715200 bytes"), "{error}");
    let report = validate_path(&path, &LoadOptions::default())
        .unwrap()
        .report;
    assert_eq!(codes(&report.errors), ["too-large"]);
}

#[test]
fn the_size_limit_applies_to_bytes_too() {
    let options = LoadOptions::default()
        .with_limits(threat_interview::source::Limits::default().with_max_bytes(10));
    let validation = validate_slice(b"{\"schema_version\": 1}", Format::Json, &options);
    assert_eq!(codes(&validation.report.errors), ["too-large"]);
}

#[test]
fn json_nested_10_000_deep_is_a_clean_error_with_a_position() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let report = validate_str(&text, Format::Json).report;
    assert_eq!(codes(&report.errors), ["too-deep"]);
    assert_eq!(report.errors[0].line, Some(1));
    assert!(report.errors[0].column.is_some());
    let nested_objects = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    let Err(LoadError::Invalid { report }) = io::load_str(&nested_objects, Format::Json) else {
        panic!("deep input is refused");
    };
    assert_eq!(codes(&report.errors), ["too-deep"]);
    assert!(report.errors[0].column.is_some());
}

#[test]
fn yaml_nested_10_000_deep_is_a_clean_error_too() {
    let flow_style = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let report = validate_str(&flow_style, Format::Yaml).report;
    assert_eq!(codes(&report.errors), ["too-deep"], "{report:#?}");
    assert!(report.errors[0].line.is_some());
    let block_style: String = (0..10_000).map(|i| " ".repeat(i * 2) + "- \n").collect();
    let report = validate_str(&block_style, Format::Yaml).report;
    assert!(!report.is_valid());
    assert!(
        matches!(report.errors[0].code.as_str(), "too-deep" | "syntax"),
        "{report:#?}"
    );
}

#[test]
fn yaml_files_are_checked_like_json() {
    let text = "schema_version: 1\nid: e\nname: Shop\nassurance_level: fast\nmodel:\n  flows:\n    - {id: f, name: f, source: a, target: b, encrypted: maybe}\n";
    let report = validate_str(text, Format::Yaml).report;
    assert_eq!(
        codes(&report.errors),
        ["flow-source-missing", "flow-target-missing", "wrong-type"],
        "{report:#?}"
    );
    assert!(
        report.errors.iter().all(|d| d.line == Some(7)),
        "positions in the YAML text, in the order written"
    );
    let bad = validate_str("a: [1, 2\n", Format::Yaml).report;
    assert_eq!(codes(&bad.errors), ["syntax"]);
    assert!(bad.errors[0].line.is_some());
}

#[test]
fn the_same_file_gives_the_same_report() {
    let path = "tests/invalid/meaning-references.json";
    assert_eq!(validate_file(path), validate_file(path));
    let report = validate_file(path).report;
    let positions: Vec<_> = report.errors.iter().map(|d| (d.line, d.column)).collect();
    let mut sorted = positions.clone();
    sorted.sort();
    assert_eq!(positions, sorted, "errors are in file order");
}

#[test]
fn odd_documents_are_reported_not_panicked_on() {
    for text in [
        "",
        "null",
        "[]",
        "42",
        "\"text\"",
        "{}",
        "{\"model\": []}",
        "{\"model\": {\"flows\": [1, null, {}]}}",
    ] {
        let json = validate_str(text, Format::Json);
        assert!(!json.report.is_valid(), "{text:?}");
        let yaml = validate_str(text, Format::Yaml);
        assert!(!yaml.report.is_valid(), "{text:?}");
    }
}

fn example_text() -> String {
    std::fs::read_to_string(repo().join("tests/invalid/meaning-references.json")).unwrap()
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn no_input_makes_validation_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512)) {
        let _ = validate_slice(&bytes, Format::Json, &LoadOptions::default());
        let _ = validate_slice(&bytes, Format::Yaml, &LoadOptions::default());
    }

    #[test]
    fn cutting_a_file_anywhere_never_panics(cut in 0usize..4000, splice in 0usize..4000) {
        let text = example_text();
        let bytes = text.as_bytes();
        let cut = cut.min(bytes.len());
        let splice = splice.min(bytes.len());
        let mut mangled = bytes[..cut].to_vec();
        mangled.extend_from_slice(&bytes[splice..]);
        let validation = validate_slice(&mangled, Format::Json, &LoadOptions::default());
        for d in validation.report.iter() {
            proptest::prop_assert!(d.line.is_some(), "{:?}", d);
        }
    }
}

#[test]
fn fifty_thousand_dangling_references_are_placed_in_one_pass() {
    // Each diagnostic used to rescan the text from its start to find its line: this took over a
    // minute. Positions now come from one pass over the text.
    let n = 50_000;
    let agenda: Vec<serde_json::Value> = (0..n)
        .map(|i| serde_json::json!({"question": format!("q-missing-{i}"), "minutes": 1}))
        .collect();
    let text = serde_json::json!({
        "schema_version": 1, "id": "e", "name": "n", "assurance_level": "fast",
        "interviews": [{"id": "iv", "title": "t", "day": 1, "slot": "morning", "minutes": 60,
                        "agenda": agenda}]
    })
    .to_string();
    let report = validate_str(&text, Format::Json).report;
    assert_eq!(report.errors.len(), n);
    let last = report.errors.last().unwrap();
    assert_eq!(last.code.as_str(), "question-missing");
    assert_eq!(last.line, Some(1));
    assert!(last.column.unwrap() > 1_000_000);
}

#[test]
fn what_a_custom_role_answers_for_must_exist() {
    let text = r#"{"schema_version": 1, "id": "e", "name": "E", "assurance_level": "fast",
      "custom_roles": [{"id": "ot_engineer", "name": "OT engineer",
        "answers_for": ["ot", "plc", "nowhere"]}],
      "model": {"boundaries": [{"id": "ot", "name": "OT network"}],
        "elements": [{"id": "plc", "name": "PLC", "kind": "process", "boundary": "ot"}]}}"#;
    let report = validate_str(text, Format::Json).report;
    assert_eq!(codes(&report.errors), ["subject-missing"]);
    let missing = find(
        &report.errors,
        "subject-missing",
        "/custom_roles/0/answers_for/2",
    );
    assert_eq!(missing.line, Some(3));
}

#[test]
fn a_property_value_the_bank_would_read_but_for_its_spelling_is_a_warning_with_the_known_one() {
    // Conditions compare values exactly: `on-premises` or `Python` would silently fire none of
    // the questions that read `on_premises` or `python`. A value far from every known one
    // (`managed_cloud_database`, `embedded`) is the modeler's own and says nothing.
    let text = std::fs::read_to_string(repo().join("examples/engagements/online-shop.json"))
        .expect("the example");
    let mut shop: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let elements = &mut shop["model"]["elements"];
    elements[4]["properties"]["hosting"] = "on-premises".into();
    elements[11]["properties"]["language"] = "Python".into();
    elements[0]["properties"]["auth_methods"] =
        serde_json::json!(["Password", "passkey", "sms_code"]);
    elements[5]["properties"]["hosting"] = "embedded".into();
    let text = serde_json::to_string_pretty(&shop).expect("JSON");
    let report = validate_str(&text, Format::Json).report;
    assert!(report.is_valid(), "{:#?}", report.errors);
    let warned: Vec<(&str, &str)> = report
        .warnings
        .iter()
        .filter(|d| d.code.as_str() == "property-value")
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        warned,
        [
            (
                "/model/elements/0/properties/auth_methods/0",
                "`Password` is not a value of property `auth_methods` that questions read \
                 (docs/vocabulary.md); did you mean `password`?"
            ),
            (
                "/model/elements/4/properties/hosting",
                "`on-premises` is not a value of property `hosting` that questions read \
                 (docs/vocabulary.md); did you mean `on_premises`?"
            ),
            (
                "/model/elements/11/properties/language",
                "`Python` is not a value of property `language` that questions read \
                 (docs/vocabulary.md); did you mean `python`?"
            ),
        ]
    );
    let placed = find(
        &report.warnings,
        "property-value",
        "/model/elements/4/properties/hosting",
    );
    assert!(placed.line.is_some() && placed.column.is_some());
}
