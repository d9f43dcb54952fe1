//! What the fuzz targets share: the whole engagement pipeline on one input.

use threat_interview::engine::Engine;
use threat_interview::io::{self, Format, LoadOptions};
use threat_interview::validate::validate_slice;
use threat_interview::{Coverage, Engagement, plan};

/// Validates `data` as an engagement file in `format`. When it holds an engagement without an
/// error, runs generation, merge, planning and coverage on it, then checks that what the
/// library writes is valid and loses nothing, in JSON and in YAML.
pub fn engagement_pipeline(data: &[u8], format: Format) {
    let validation = validate_slice(data, format, &LoadOptions::default());
    let Some(engagement) = validation.engagement else {
        return;
    };
    if !validation.report.is_valid() {
        return;
    }
    // What was read is written back valid and whole.
    round_trip(&engagement, format);

    let Ok(checked) = engagement.check() else {
        return;
    };
    let questions = Engine::builtin().generate(checked);
    for question in questions.iter() {
        let _ = question.id();
        let _ = question.text();
    }
    let mut merged = engagement.clone();
    questions.merge_into(&mut merged);
    plan::plan_all(&mut merged);
    let _ = Coverage::of(&merged);
    // What generation, merge and planning made is written back valid and whole too.
    round_trip(&merged, format);
}

/// Writes `engagement` as the library saves it (JSON, and YAML too when `format` is YAML),
/// reads the text back and asserts that it is valid and equal to `engagement`.
fn round_trip(engagement: &Engagement, format: Format) {
    let json = io::to_json_string(engagement);
    assert_reads_back(engagement, &json, Format::Json);
    if format == Format::Yaml {
        let yaml = io::to_yaml_string(engagement);
        assert_reads_back(engagement, &yaml, Format::Yaml);
    }
}

fn assert_reads_back(engagement: &Engagement, text: &str, format: Format) {
    let again = validate_slice(text.as_bytes(), format, &LoadOptions::default());
    assert!(
        again.report.is_valid(),
        "the {format} the library wrote does not validate: {:#?}\n--- text ---\n{text}",
        again.report.errors,
    );
    let Some(reread) = again.engagement else {
        panic!("the {format} the library wrote validates but gives no engagement:\n{text}");
    };
    assert!(
        reread == *engagement,
        "the {format} the library wrote reads back as another engagement:\n{text}"
    );
}

/// Imports `data` as another tool's file, detected and forced to each format. An import
/// validates, goes through generation and planning, is written back whole, and its OTM export
/// imports back to the same model (what passing through OTM adds is under `x-otm`).
pub fn import_pipeline(data: &[u8]) {
    use threat_interview::import::{ForeignFormat, import_bytes, to_otm};
    use threat_interview::source::Limits;
    let limits = Limits::default();
    for format in [
        None,
        Some(ForeignFormat::ThreatDragon),
        Some(ForeignFormat::Otm),
    ] {
        let Ok(imported) = import_bytes(data, format, &limits) else {
            continue;
        };
        let engagement = imported.engagement;
        let report = engagement.validate();
        assert!(
            report.is_valid(),
            "an import does not validate: {:#?}",
            report.errors
        );
        round_trip(&engagement, Format::Json);
        let otm = serde_json::to_vec(&to_otm(&engagement)).expect("OTM is JSON");
        let again = import_bytes(&otm, Some(ForeignFormat::Otm), &limits)
            .unwrap_or_else(|e| panic!("our OTM export does not import: {e}"))
            .engagement;
        assert_eq!(
            without_otm(&again.model),
            without_otm(&engagement.model),
            "the model changed through OTM"
        );
        let Ok(checked) = engagement.check() else {
            continue;
        };
        let mut planned = engagement.clone();
        Engine::builtin().generate(checked).merge_into(&mut planned);
        plan::plan_all(&mut planned);
        let _ = to_otm(&planned);
    }
}

/// A model as JSON without the `x-otm` extensions.
fn without_otm(model: &threat_interview::ComponentModel) -> serde_json::Value {
    let mut value = serde_json::to_value(model).expect("a model is JSON");
    for list in ["elements", "boundaries", "flows"] {
        for item in value[list].as_array_mut().into_iter().flatten() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            if let Some(ext) = item.get_mut("extensions").and_then(|e| e.as_object_mut()) {
                ext.remove("x-otm");
                if ext.is_empty() {
                    item.remove("extensions");
                }
            }
        }
    }
    value
}
