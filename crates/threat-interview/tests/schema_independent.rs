//! The committed schema, used by a plain JSON Schema validator, agrees with the library on
//! which files are structurally valid.
//!
//! Fixture names in `tests/invalid/` say what they break: `schema-*` the JSON Schema,
//! `meaning-*` only a rule of meaning (the schema accepts them), `syntax-*` JSON itself.

use std::path::{Path, PathBuf};

use threat_interview::io::LoadOptions;
use threat_interview::validate::validate_path;

/// Codes of the parse and structure stages: what a schema validator can see too.
const STRUCTURE_CODES: &[&str] = &[
    "syntax",
    "encoding",
    "too-large",
    "too-deep",
    "unknown-field",
    "wrong-type",
    "missing-field",
    "invalid-value",
    "out-of-range",
    "invalid-structure",
    "invalid-date",
    "unsupported-version",
    "duplicate-key",
];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn the_committed_schema_and_the_library_agree_on_structural_validity() {
    let schema_text = std::fs::read_to_string(repo().join("schemas/engagement.schema.json"))
        .expect("the committed schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    // Formats asserted: the published schema says what a date is.
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");

    let examples = json_files(&repo().join("examples/engagements"));
    let invalid = json_files(&repo().join("tests/invalid"));
    assert!(invalid.len() >= 5, "the invalid fixtures are there");
    for path in examples.iter().chain(&invalid) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let schema_valid = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .is_some_and(|value| validator.is_valid(&value));
        let report = validate_path(path, &LoadOptions::default()).unwrap().report;
        let library_structure_valid = !report
            .errors
            .iter()
            .any(|d| STRUCTURE_CODES.contains(&d.code.as_str()));
        assert_eq!(
            schema_valid, library_structure_valid,
            "{name}: schema says {schema_valid}, library says {:#?}",
            report.errors
        );
        if examples.contains(path) {
            assert!(
                schema_valid && report.is_valid(),
                "{name}: {:#?}",
                report.errors
            );
        } else if name.starts_with("meaning-") {
            assert!(schema_valid, "{name} should pass the schema");
            assert!(!report.is_valid(), "{name} should break a rule of meaning");
        } else {
            assert!(!schema_valid, "{name} should fail the schema");
            assert!(!report.is_valid(), "{name}");
        }
    }
}

#[test]
fn the_schema_resolves_its_references_under_its_own_id() {
    let schema = threat_interview::schema::engagement_schema();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    // A wrong type deep inside a `$ref`erenced definition is seen, so the `$ref`s resolve.
    let bad = serde_json::json!({
        "schema_version": 1, "id": "e", "name": "n", "assurance_level": "fast",
        "model": {"flows": [{"id": "f", "name": "f", "source": "a", "target": "b", "encrypted": 3}]}
    });
    let paths: Vec<String> = validator
        .iter_errors(&bad)
        .map(|e| e.instance_path().to_string())
        .collect();
    assert!(
        paths.iter().any(|p| p == "/model/flows/0/encrypted"),
        "{paths:?}"
    );
}
