//! Importing the hand-written files of `tests/foreign/` (what the published files lack: boxes
//! nested in boxes, zones nested in zones, references to nothing), and refusing broken input
//! clearly, within seconds and within the limits: truncated files, files of the other format,
//! files over the size limit, deeply nested files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use threat_interview::import::{
    ForeignFormat, ImportError, Imported, detect, import_bytes, import_path, to_otm,
};
use threat_interview::source::Limits;
use threat_interview::{Classification, DiagnosticCode, ElementKind, Engagement, Trust};

fn foreign(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/foreign")
        .join(name)
}

fn import(name: &str) -> Imported {
    import_path(foreign(name), None, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn has(imported: &Imported, code: DiagnosticCode, pointer: &str) -> bool {
    imported
        .warnings
        .iter()
        .any(|w| w.code == code && w.pointer == pointer)
}

fn prop<'e>(
    e: &'e Engagement,
    id: &str,
    name: &str,
) -> Option<&'e threat_interview::PropertyValue> {
    e.model.element(id).unwrap().properties.get(name)
}

#[test]
fn threat_dragon_boxes_nest_and_loose_ends_are_said() {
    let imported = import("nested-boxes.json");
    assert_eq!(imported.format, ForeignFormat::ThreatDragon);
    let e = &imported.engagement;
    assert!(e.validate().is_valid(), "{:?}", e.validate().errors);
    // Boxes: the private network (500,50 350x300) lies inside the cloud account
    // (300,0 600x400); the curve is a third boundary.
    assert_eq!(e.model.boundaries.len(), 3);
    let vpc = e.model.boundary("vpc").unwrap();
    assert_eq!(vpc.name, "Private network");
    assert_eq!(vpc.parent.as_deref(), Some("cloud"));
    assert_eq!(e.model.boundary("cloud").unwrap().parent, None);
    let inside = |id: &str| e.model.element(id).unwrap().boundary.as_deref();
    assert_eq!(inside("gateway"), Some("cloud"));
    assert_eq!(inside("orders"), Some("vpc"));
    assert_eq!(inside("db"), Some("vpc"));
    assert_eq!(inside("customer"), None);
    // Backups lies across the cloud account's edge: outside, with a word.
    assert_eq!(inside("straddler"), None);
    assert!(has(
        &imported,
        DiagnosticCode::ImportGuessed,
        "/detail/diagrams/0/cells/7"
    ));
    // The curve at x = 200 is crossed by the flows from the actors' side.
    let crosses = |id: &str| e.model.flow(id).unwrap().crosses.clone();
    assert_eq!(crosses("f-request"), ["line"]);
    assert_eq!(crosses("f-sign-in"), ["line"]);
    assert!(crosses("f-forward").is_empty());
    // The save ends 5 units below the database's box: attached to it, with a word.
    assert_eq!(e.model.flow("f-store").unwrap().target, "db");
    assert!(has(
        &imported,
        DiagnosticCode::ImportGuessed,
        "/detail/diagrams/0/cells/10/target"
    ));
    // A flow from nowhere, a flow to a note and an unknown shape are left out, each said.
    assert_eq!(e.model.flows.len(), 4);
    assert!(e.model.flow("f-lost").is_none());
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/detail/diagrams/0/cells/12/source"
    ));
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/detail/diagrams/0/cells/13/target"
    ));
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/detail/diagrams/0/cells/16"
    ));
    // Flags onto the vocabulary; others kept under their own names; objects kept aside.
    assert_eq!(
        prop(e, "gateway", "handles_payment").unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(
        prop(e, "gateway", "is_web_application").unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(
        prop(e, "gateway", "internet_facing").unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(
        prop(e, "db", "encrypted_at_rest").unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(
        prop(e, "db", "stores_inventory").unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(prop(e, "idp", "human").unwrap().as_bool(), Some(false));
    assert_eq!(
        prop(e, "orders", "privilege_level").unwrap().as_str(),
        Some("service account")
    );
    let gateway = e.model.element("gateway").unwrap();
    let kept = &gateway.extensions.as_ref().unwrap()["x-threat-dragon"];
    assert_eq!(kept["deploymentNotes"]["region"], "eu-west-1");
    assert_eq!(kept["threats"][0]["title"], "Spoofed client");
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/detail/diagrams/0/cells/4/data/deploymentNotes"
    ));
    let request = e.model.flow("f-request").unwrap();
    assert!(request.bidirectional);
    assert_eq!(request.encrypted, Some(true));
    assert_eq!(request.protocol.as_deref(), Some("HTTPS"));
    // An unnamed flow is named after its ends.
    assert_eq!(
        e.model.flow("f-sign-in").unwrap().name,
        "Gateway to Identity provider"
    );
    // Out of scope, with the reason, in the scope; the note is kept.
    assert!(e.model.element("straddler").unwrap().out_of_scope);
    assert_eq!(
        e.scope.out_of_scope,
        ["data store `Backups`: Run by another team"]
    );
    let notes = &e.extensions.as_ref().unwrap()["x-threat-dragon"]["notes"];
    assert_eq!(notes[0]["text"], "Drawn by hand for the tests");
    // Every warning is placed in the file.
    for w in &imported.warnings {
        assert!(
            w.code == DiagnosticCode::ImportSkeleton || w.line.is_some(),
            "{w}"
        );
    }
}

#[test]
fn otm_zones_nest_and_attributes_map_onto_the_vocabulary() {
    let imported = import("nested-zones.otm.yaml");
    assert_eq!(imported.format, ForeignFormat::Otm);
    let e = &imported.engagement;
    assert!(e.validate().is_valid(), "{:?}", e.validate().errors);
    let kinds: Vec<ElementKind> = e.model.elements.iter().map(|x| x.kind).collect();
    assert_eq!(
        kinds,
        [
            ElementKind::ExternalInteractor,
            ElementKind::Process,
            ElementKind::Process,
            ElementKind::Process,
            ElementKind::DataStore,
            ElementKind::Process,
        ]
    );
    // Zones nest by `parent.trustZone`; trust follows the rating.
    assert_eq!(
        e.model.boundary("private").unwrap().parent.as_deref(),
        Some("cloud")
    );
    assert_eq!(
        e.model.boundary("internet").unwrap().trust,
        Trust::Untrusted
    );
    assert_eq!(e.model.boundary("cloud").unwrap().trust, Trust::Trusted);
    // A component inside another lies in its container's zone.
    let inside = |id: &str| e.model.element(id).unwrap().boundary.as_deref();
    assert_eq!(inside("worker"), Some("private"));
    assert_eq!(inside("mystery"), None);
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/components/5/parent/trustZone"
    ));
    assert!(has(
        &imported,
        DiagnosticCode::ImportGuessed,
        "/components/5/type"
    ));
    // Attributes of the vocabulary become properties; others are kept as they are.
    assert_eq!(
        prop(e, "api", "internet_facing").unwrap().as_bool(),
        Some(true)
    );
    assert_eq!(prop(e, "api", "replicas").unwrap().as_f64(), Some(3.0));
    assert_eq!(
        prop(e, "api", "owner_team").unwrap().as_str(),
        Some("payments")
    );
    assert_eq!(
        prop(e, "api", "technology").unwrap().as_str(),
        Some("nginx")
    );
    assert_eq!(
        prop(e, "orders-db", "technology").unwrap().as_str(),
        Some("mysql")
    );
    assert!(prop(e, "orders-db", "stores_credentials").is_none());
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/components/4/attributes/stores_credentials"
    ));
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/components/1/attributes/runbook"
    ));
    // Flows: protocols from tags, data from assets, a flow to a zone left out.
    assert_eq!(e.model.flows.len(), 3);
    let browse = e.model.flow("browse").unwrap();
    assert!(browse.bidirectional);
    assert_eq!(browse.protocol.as_deref(), Some("HTTPS"));
    let enqueue = e.model.flow("enqueue").unwrap();
    assert_eq!(enqueue.data.len(), 1);
    assert_eq!(enqueue.data[0].classification, Classification::Confidential);
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/dataflows/1/assets/1"
    ));
    assert!(has(
        &imported,
        DiagnosticCode::ImportUnmapped,
        "/dataflows/3/destination"
    ));
    for w in &imported.warnings {
        assert!(
            w.code == DiagnosticCode::ImportSkeleton || w.line.is_some(),
            "{w}"
        );
    }
}

#[test]
fn our_own_export_comes_back_whole() {
    for name in ["nested-boxes.json", "nested-zones.otm.yaml"] {
        let e = import(name).engagement;
        let otm = serde_json::to_vec(&to_otm(&e)).unwrap();
        let again = import_bytes(&otm, None, &Limits::default())
            .unwrap()
            .engagement;
        // What passing through OTM adds is under `x-otm`; the rest is as it was.
        assert_eq!(without_otm(&again.model), without_otm(&e.model), "{name}");
        assert_eq!(again.scope, e.scope, "{name}");
        let mut extensions = again.extensions.clone().unwrap_or_default();
        extensions.remove("x-otm");
        let before = e.extensions.clone().unwrap_or_default();
        if name == "nested-boxes.json" {
            assert_eq!(extensions, before, "{name}");
        } else {
            assert_eq!(again.extensions, e.extensions, "{name}");
        }
    }
}

fn without_otm(model: &threat_interview::ComponentModel) -> serde_json::Value {
    let mut value = serde_json::to_value(model).unwrap();
    for list in ["elements", "boundaries", "flows"] {
        for item in value[list].as_array_mut().into_iter().flatten() {
            if let Some(ext) = item.get_mut("extensions").and_then(|e| e.as_object_mut()) {
                ext.remove("x-otm");
                if ext.is_empty() {
                    item.as_object_mut().unwrap().remove("extensions");
                }
            }
        }
    }
    value
}

/// Runs an import that must fail, within a few seconds; its error.
fn refused(bytes: &[u8], format: Option<ForeignFormat>, limits: &Limits) -> ImportError {
    let start = Instant::now();
    let result = import_bytes(bytes, format, limits);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    match result {
        Ok(_) => panic!("imported"),
        Err(e) => e,
    }
}

fn codes(error: &ImportError) -> Vec<DiagnosticCode> {
    error.report().errors.iter().map(|d| d.code).collect()
}

#[test]
fn a_truncated_file_is_a_syntax_error_at_its_end() {
    // JSON cut anywhere: a syntax error, placed where the text stops.
    let bytes = std::fs::read(foreign("nested-boxes.json")).unwrap();
    for cut in [bytes.len() / 3, bytes.len() * 2 / 3, bytes.len() - 2] {
        let error = refused(&bytes[..cut], None, &Limits::default());
        assert!(matches!(error, ImportError::Invalid { .. }), "{error}");
        assert_eq!(codes(&error), [DiagnosticCode::Syntax], "{error}");
        assert!(error.report().errors[0].line.is_some(), "{error}");
    }
    // YAML cut between two lines can still be a whole document; cut inside a flow mapping,
    // it is a syntax error.
    let text = std::fs::read_to_string(foreign("nested-zones.otm.yaml")).unwrap();
    let cut = text.find("{trustRating: 70").unwrap() + 5;
    let error = refused(&text.as_bytes()[..cut], None, &Limits::default());
    assert_eq!(codes(&error), [DiagnosticCode::Syntax], "{error}");
    assert!(error.report().errors[0].line.is_some(), "{error}");
}

#[test]
fn a_file_of_the_other_format_says_which_it_is() {
    let td = std::fs::read(foreign("nested-boxes.json")).unwrap();
    let otm = std::fs::read(foreign("nested-zones.otm.yaml")).unwrap();
    let error = refused(&td, Some(ForeignFormat::Otm), &Limits::default());
    assert!(
        error.to_string().contains("import it as `threat-dragon`"),
        "{error}"
    );
    let error = refused(&otm, Some(ForeignFormat::ThreatDragon), &Limits::default());
    assert!(
        matches!(
            error,
            ImportError::Invalid {
                format: ForeignFormat::ThreatDragon,
                ..
            }
        ),
        "{error}"
    );
    // YAML is not JSON, but the reader says what the file is rather than where JSON stops.
    assert!(error.to_string().contains("import it as `otm`"), "{error}");
    // A JSON file of neither format forced to Threat Dragon says where it is broken.
    let error = refused(
        b"{\"a\": [1, 2",
        Some(ForeignFormat::ThreatDragon),
        &Limits::default(),
    );
    assert_eq!(codes(&error), [DiagnosticCode::Syntax]);
    let json_otm = br#"{"otmVersion": "0.2.0", "project": {"name": "x", "id": "x"}}"#;
    let error = refused(
        json_otm,
        Some(ForeignFormat::ThreatDragon),
        &Limits::default(),
    );
    assert!(error.to_string().contains("import it as `otm`"), "{error}");
    // Neither format.
    let error = refused(b"{\"schema_version\": 1}", None, &Limits::default());
    assert!(matches!(error, ImportError::Unrecognized(_)), "{error}");
    assert_eq!(detect(&td), Some(ForeignFormat::ThreatDragon));
    assert_eq!(detect(&otm), Some(ForeignFormat::Otm));
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    // The limits are honoured the same way for 1 GB and for 1 KB: a small limit stands in for
    // the default of 128 MiB, so that no test writes a huge file.
    let limits = Limits::default().with_max_bytes(1024);
    let path = foreign("nested-boxes.json");
    assert!(std::fs::metadata(&path).unwrap().len() > 1024);
    let start = Instant::now();
    let error = import_path(&path, None, &limits).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(matches!(error, ImportError::Read(_)), "{error}");
    assert_eq!(codes(&error), [DiagnosticCode::TooLarge]);
    // Bytes already in memory: the same limit, the same code.
    let bytes = std::fs::read(&path).unwrap();
    let error = refused(&bytes, None, &limits);
    assert_eq!(codes(&error), [DiagnosticCode::TooLarge]);
    // And for the other limits: the number of values.
    let error = refused(&bytes, None, &Limits::default().with_max_values(100));
    assert_eq!(codes(&error), [DiagnosticCode::TooMany]);
}

#[test]
fn a_deeply_nested_file_is_refused_early() {
    let depth = 200_000;
    let mut td = String::from(r#"{"version": "2.3.0", "summary": {}, "detail": {"diagrams": "#);
    td.push_str(&"[".repeat(depth));
    td.push_str(&"]".repeat(depth));
    td.push_str("}}");
    let error = refused(td.as_bytes(), None, &Limits::default());
    assert_eq!(codes(&error), [DiagnosticCode::TooDeep], "{error}");

    let mut otm = String::from("otmVersion: 0.2.0\nproject: {name: x, id: x}\ncomponents: ");
    otm.push_str(&"[".repeat(depth));
    otm.push_str(&"]".repeat(depth));
    let error = refused(otm.as_bytes(), None, &Limits::default());
    assert_eq!(codes(&error), [DiagnosticCode::TooDeep], "{error}");

    // Block nesting in YAML, one level per line.
    let mut otm = String::from("otmVersion: 0.2.0\nproject: {name: x, id: x}\nx:\n");
    for level in 1..2_000 {
        otm.push_str(&" ".repeat(level));
        otm.push_str("a:\n");
    }
    let error = refused(otm.as_bytes(), Some(ForeignFormat::Otm), &Limits::default());
    assert_eq!(codes(&error), [DiagnosticCode::TooDeep], "{error}");
}

#[test]
fn structural_problems_are_errors_with_their_place() {
    let cases: &[(&[u8], &str, DiagnosticCode)] = &[
        (b"[1, 2]", "", DiagnosticCode::WrongType),
        (
            br#"{"summary": {}, "version": "2.0.0"}"#,
            "",
            DiagnosticCode::MissingField,
        ),
        (
            br#"{"summary": {}, "detail": {"diagrams": 3}}"#,
            "/detail/diagrams",
            DiagnosticCode::WrongType,
        ),
    ];
    for (bytes, pointer, code) in cases {
        let error = refused(bytes, Some(ForeignFormat::ThreatDragon), &Limits::default());
        let report = error.report();
        assert_eq!(report.errors[0].code, *code, "{error}");
        assert_eq!(report.errors[0].pointer, *pointer, "{error}");
    }
    let error = refused(
        b"otmVersion: 0.2.0\ncomponents: 5\n",
        None,
        &Limits::default(),
    );
    assert_eq!(error.report().errors[0].pointer, "/components");
    assert_eq!(error.report().errors[0].line, Some(2));
}

#[test]
fn a_path_that_is_not_a_file_is_a_read_error() {
    let error = import_path(Path::new("/"), None, &Limits::default()).unwrap_err();
    assert!(matches!(error, ImportError::Read(_)), "{error}");
}
