//! Every diagnostic from a file says where: line and column for YAML as for JSON, columns in
//! characters.

use threat_interview::Diagnostic;
use threat_interview::io::{self, Format};
use threat_interview::validate::validate_str;

fn find<'r>(diagnostics: &'r [Diagnostic], code: &str) -> &'r Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.code.as_str() == code)
        .unwrap_or_else(|| panic!("no `{code}` in {diagnostics:#?}"))
}

fn place(d: &Diagnostic) -> (Option<u32>, Option<u32>) {
    (d.line, d.column)
}

const BLOCK_YAML: &str = "\
schema_version: 1
id: x
name: y
assurance_level: fast
model:
  elements:
    - id: a
      name: A
      kind: external_interactor
    - id: b
      name: B
      kind: process
  flows:
    - id: f
      name: F
      source: a
      target: zz
";

#[test]
fn yaml_block_style_diagnostics_have_lines_and_columns() {
    let validation = validate_str(BLOCK_YAML, Format::Yaml);
    let report = validation.report;
    let missing = find(&report.errors, "flow-target-missing");
    assert_eq!(missing.pointer, "/model/flows/0/target");
    assert_eq!(place(missing), (Some(17), Some(7)));
    // A sequence item is placed at its first key, the document at its start.
    let lonely = find(&report.warnings, "element-without-flow");
    assert_eq!(lonely.pointer, "/model/elements/1");
    assert_eq!(place(lonely), (Some(10), Some(7)));
    let scope = find(&report.warnings, "out-of-scope-empty");
    assert_eq!(place(scope), (Some(1), Some(1)));
}

#[test]
fn yaml_flow_style_diagnostics_have_lines_and_columns() {
    let text = "\
schema_version: 1
id: x
name: y
assurance_level: fast
model:
  elements:
    - {id: a, name: A, kind: external_interactor}
    - {id: a, name: B, kind: procss}
";
    let report = validate_str(text, Format::Yaml).report;
    let duplicate = find(&report.errors, "duplicate-id");
    assert_eq!(duplicate.pointer, "/model/elements/1/id");
    assert_eq!(place(duplicate), (Some(8), Some(8)));
    let kind = find(&report.errors, "invalid-value");
    assert_eq!(kind.pointer, "/model/elements/1/kind");
    assert_eq!(place(kind), (Some(8), Some(24)));
    let interactor = find(&report.warnings, "interactor-without-flow");
    assert_eq!(place(interactor), (Some(7), Some(7)));
}

#[test]
fn the_example_saved_as_yaml_locates_an_error_at_its_key() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/engagements/online-shop.json"
    );
    let mut engagement = io::load(path).unwrap().engagement;
    engagement.model.flows[3].target = "nowhere".into();
    let yaml = io::to_yaml_string(&engagement);
    let report = validate_str(&yaml, Format::Yaml).report;
    let missing = find(&report.errors, "flow-target-missing");
    assert_eq!(missing.pointer, "/model/flows/3/target");
    let (line, text) = yaml
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start() == "target: nowhere")
        .unwrap();
    let column = text.len() - text.trim_start().len() + 1;
    assert_eq!(
        place(missing),
        (
            Some(u32::try_from(line + 1).unwrap()),
            Some(u32::try_from(column).unwrap())
        )
    );
}

#[test]
fn json_syntax_errors_count_columns_in_characters() {
    let report = validate_str(r#"{"name": "é€€", x}"#, Format::Json).report;
    let syntax = find(&report.errors, "syntax");
    assert_eq!(place(syntax), (Some(1), Some(17)));
    let empty = validate_str("", Format::Json).report;
    assert_eq!(place(find(&empty.errors, "syntax")), (Some(1), Some(1)));
}

#[test]
fn a_number_too_large_for_its_field_is_an_out_of_range_error_with_its_place() {
    let text = r#"{"schema_version": 1, "id": "x", "name": "y", "assurance_level": "fast",
 "interviews": [{"id": "i", "title": "t", "day": 99999999999, "slot": "morning", "minutes": 30}]}"#;
    let report = validate_str(text, Format::Json).report;
    let range = find(&report.errors, "out-of-range");
    assert_eq!(range.pointer, "/interviews/0/day");
    assert_eq!(place(range), (Some(2), Some(43)));
    assert_eq!(report.errors.len(), 1, "{report:#?}");
}

#[test]
fn warnings_are_left_unplaced_only_when_asked_and_errors_never() {
    // The synthetic model draws self-loops: each is a warning.
    let engagement = threat_interview::synthetic::engagement(300, 3);
    let text = serde_json::to_string_pretty(&engagement).unwrap();
    let placed = io::load_slice_with(
        text.as_bytes(),
        Format::Json,
        &threat_interview::validate::LoadOptions::default(),
    )
    .unwrap();
    assert!(!placed.warnings.is_empty());
    assert!(placed.warnings.iter().all(|w| w.line.is_some()));
    let quiet = threat_interview::validate::LoadOptions::default().with_unplaced_warnings();
    let unplaced = io::load_slice_with(text.as_bytes(), Format::Json, &quiet).unwrap();
    assert_eq!(unplaced.warnings.len(), placed.warnings.len());
    assert!(unplaced.warnings.iter().all(|w| w.line.is_none()));
    assert_eq!(unplaced.engagement, placed.engagement);
    // The same from YAML, read through the value path.
    let yaml = io::to_yaml_string(&engagement);
    let placed_yaml = io::load_slice_with(
        yaml.as_bytes(),
        Format::Yaml,
        &threat_interview::validate::LoadOptions::default(),
    )
    .unwrap();
    assert!(!placed_yaml.warnings.is_empty());
    assert!(placed_yaml.warnings.iter().all(|w| w.line.is_some()));
    let unplaced_yaml = io::load_slice_with(yaml.as_bytes(), Format::Yaml, &quiet).unwrap();
    assert_eq!(unplaced_yaml.warnings.len(), placed_yaml.warnings.len());
    assert!(unplaced_yaml.warnings.iter().all(|w| w.line.is_none()));
    // A file with an error is placed whole, warnings included.
    let broken = text.replacen("\"kind\": \"process\"", "\"kind\": \"processor\"", 1);
    let Err(io::LoadError::Invalid { report }) =
        io::load_slice_with(broken.as_bytes(), Format::Json, &quiet)
    else {
        panic!("an unknown kind loads");
    };
    assert!(report.errors.iter().all(|d| d.line.is_some()));
    assert!(report.warnings.iter().all(|d| d.line.is_some()));
}
