//! Importing Microsoft Threat Modeling Tool `.tm7` and Threats Manager Studio `.tm` files, and
//! writing questions back into a `.tm`.
//!
//! The real files are the public samples in `../shared/fixtures/` (or the folder that
//! `THREAT_INTERVIEW_FIXTURES` names); a test that needs them says so and passes when the folder
//! is absent, except on CI (`CI=true`), where a missing folder fails. The counts asserted were
//! made by hand from each file, as each test says, and agree with a second count by other means
//! (see `docs/tms.md`). Small files of our own, and every hostile file, are made in the tests.

use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use threat_interview::engine::Engine;
use threat_interview::import::tms_export::{TopicOptions, question_file, write_topics};
use threat_interview::import::{ForeignFormat, ImportError, Imported, import_bytes, import_path};
use threat_interview::model::{
    AgendaItem, Answer, AnswerChannel, Interview, Participant, QuestionStatus, Role, Slot, Trust,
};
use threat_interview::source::Limits;
use threat_interview::{DiagnosticCode, ElementKind, Engagement};

fn fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("THREAT_INTERVIEW_FIXTURES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared fixtures are missing at {} (CI must have them)",
        dir.display()
    );
    eprintln!(
        "skipped: no shared fixtures at {} (set THREAT_INTERVIEW_FIXTURES)",
        dir.display()
    );
    None
}

fn fixture(relative: &str) -> Option<PathBuf> {
    fixtures().map(|dir| dir.join(relative))
}

fn import(path: &Path) -> Imported {
    import_path(path, None, &Limits::default())
        .unwrap_or_else(|e| panic!("{} imports: {e}", path.display()))
}

/// The numbers of interactors, processes, stores, flows and boundaries.
fn counts(engagement: &Engagement) -> [usize; 5] {
    let kind = |k: ElementKind| {
        engagement
            .model
            .elements
            .iter()
            .filter(|e| e.kind == k)
            .count()
    };
    [
        kind(ElementKind::ExternalInteractor),
        kind(ElementKind::Process),
        kind(ElementKind::DataStore),
        engagement.model.flows.len(),
        engagement.model.boundaries.len(),
    ]
}

fn by_name<'e>(engagement: &'e Engagement, name: &str) -> &'e str {
    if let Some(e) = engagement.model.elements.iter().find(|e| e.name == name) {
        return &e.id;
    }
    if let Some(b) = engagement.model.boundaries.iter().find(|b| b.name == name) {
        return &b.id;
    }
    if let Some(f) = engagement.model.flows.iter().find(|f| f.name == name) {
        return &f.id;
    }
    panic!("nothing is named `{name}`")
}

fn boundary_of<'e>(engagement: &'e Engagement, name: &str) -> Option<&'e str> {
    let id = by_name(engagement, name);
    engagement
        .model
        .element(id)
        .and_then(|e| e.boundary.as_deref())
}

fn codes(imported: &Imported) -> Vec<DiagnosticCode> {
    imported.warnings.iter().map(|w| w.code).collect()
}

// Counted by hand from the XML: for the one DrawingSurfaceModel, the GenericTypeId of each
// entry of Borders (GE.EI 1, GE.P 1, GE.DS 2, GE.TB.B 2) and of Lines (GE.DF 6); containment
// from Left/Top/Width/Height: Mobile Client (433,240,100,100) lies in Internet
// (386,151,202,281), the three others in Public Cloud (744,142,371,308).
#[test]
fn mtmt_example_tm7() {
    let Some(path) = fixture("ms-tmt/MTMT_example.tm7") else {
        return;
    };
    let imported = import(&path);
    let e = &imported.engagement;
    assert_eq!(imported.format, ForeignFormat::Tm7);
    assert_eq!(counts(e), [1, 1, 2, 6, 2]);
    let internet = by_name(e, "Internet");
    let cloud = by_name(e, "Public Cloud");
    assert_eq!(boundary_of(e, "Mobile Client"), Some(internet));
    for name in [
        "Public API v2",
        "Accounting PostgreSQL",
        "Azure File Storage",
    ] {
        assert_eq!(boundary_of(e, name), Some(cloud), "{name}");
    }
    // `Public Cloud` is a custom knowledge-base type (SE.TB.TMCore.AzureTrustBoundary).
    assert_eq!(
        e.model
            .boundary(cloud)
            .unwrap()
            .extensions
            .as_ref()
            .unwrap()["tm7"]["type_id"],
        "SE.TB.TMCore.AzureTrustBoundary"
    );
    assert_eq!(e.model.boundary(internet).unwrap().trust, Trust::Untrusted);
    let request = e.model.flow(by_name(e, "API Request")).unwrap();
    assert_eq!(request.source, by_name(e, "Mobile Client"));
    assert_eq!(request.target, by_name(e, "Public API v2"));
    assert!(codes(&imported).contains(&DiagnosticCode::ImportUnmapped)); // 43 threats
    assert!(e.validate().is_valid());
}

// Counted by hand from the XML: Borders hold GE.EI 4, GE.P 7, GE.DS 13, GE.TB.B 2 and one GE.A
// annotation (not an element); Lines is empty. Of the 24 elements, 13 lie in The Generic Trust
// Border Boundary (80,32,539,560), 11 in The CorpNet Trust Boundary (725,62,567,451).
#[test]
fn sdl_all_components_tm7() {
    let Some(path) = fixture("ms-tmt/SDL_all_components.tm7") else {
        return;
    };
    let imported = import(&path);
    let e = &imported.engagement;
    assert_eq!(counts(e), [4, 7, 13, 0, 2]);
    let generic = by_name(e, "The Generic Trust Border Boundary");
    let corpnet = by_name(e, "The CorpNet Trust Boundary");
    let inside = |b: &str| {
        e.model
            .elements
            .iter()
            .filter(|x| x.boundary.as_deref() == Some(b))
            .count()
    };
    assert_eq!((inside(generic), inside(corpnet)), (13, 11));
    assert_eq!(boundary_of(e, "Thick Client"), Some(generic));
    assert_eq!(boundary_of(e, "Web Server"), Some(corpnet));
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.code == DiagnosticCode::ImportUnmapped
                && w.message.contains("free-text annotation")),
        "the GE.A annotation is reported"
    );
    assert!(e.validate().is_valid());
}

// Counted by hand from the XML: Borders hold GE.P 2, GE.DS 2 and GE.TB.B 2, Lines hold GE.DF 3
// and GE.TB.L 1. Sandbox environment (131,121,174,168) lies inside Generic Trust Border
// Boundary (76,82,435,445); Sandbox Mongo (160,161,100,100) inside Sandbox environment. The
// flow HTTPS, S(745,307) H(606,272) T(462,303), crosses the line Internet Boundary, S(723,125)
// H(661,318) T(731,487). Production data has SourceGuid all zeros; its source point (389,335)
// lies in Main Application (367,253,100,100), to which it is attached with a warning.
#[test]
fn mtmt_nested_tz_tm7() {
    let Some(path) = fixture("ms-tmt/MTMT_nested_tz.tm7") else {
        return;
    };
    let imported = import(&path);
    let e = &imported.engagement;
    assert_eq!(counts(e), [0, 2, 2, 3, 3]);
    let generic = by_name(e, "Generic Trust Border Boundary");
    let sandbox = by_name(e, "Sandbox environment");
    let line = by_name(e, "Internet Boundary");
    assert_eq!(
        e.model.boundary(sandbox).unwrap().parent.as_deref(),
        Some(generic)
    );
    assert_eq!(boundary_of(e, "Sandbox Mongo"), Some(sandbox));
    assert_eq!(boundary_of(e, "Production Mongo"), Some(generic));
    assert_eq!(boundary_of(e, "Customer web client"), None);
    let https = e.model.flow(by_name(e, "HTTPS")).unwrap();
    assert_eq!(https.crosses, [line]);
    assert_eq!(https.protocol.as_deref(), Some("HTTPS"));
    assert_eq!(https.encrypted, Some(true));
    for name in ["Sandbox data", "Production data"] {
        assert!(e.model.flow(by_name(e, name)).unwrap().crosses.is_empty());
    }
    let production = e.model.flow(by_name(e, "Production data")).unwrap();
    assert_eq!(production.source, by_name(e, "Main Application"));
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("loose source"))
    );
    assert!(e.validate().is_valid());
}

// Counted by hand from threatmodel.json (UTF-16 in the ZIP): entities.$values by $type class
// (ExternalInteractor 1, Process 4, DataStore 1), dataFlows.$values 6, groups.$values 1
// TrustBoundary. Five entities have parentId e91ea401 (Trust Boundary 1), User has the nil GUID.
// The 7 ThreatActor objects of `actors` are attackers, not elements.
#[test]
fn azure_paas_core_tm() {
    let Some(path) = fixture("tms/azure-paas-core-example.tm") else {
        return;
    };
    let imported = import(&path);
    let e = &imported.engagement;
    assert_eq!(imported.format, ForeignFormat::Tms);
    assert_eq!(counts(e), [1, 4, 1, 6, 1]);
    let boundary = by_name(e, "Trust Boundary 1");
    for name in [
        "Application Gateway",
        "Web Application",
        "API Management",
        "Web APIs",
        "Azure SQL",
    ] {
        assert_eq!(boundary_of(e, name), Some(boundary), "{name}");
    }
    assert_eq!(boundary_of(e, "User"), None);
    let send = e.model.flow(by_name(e, "Send request")).unwrap();
    assert_eq!(send.source, by_name(e, "User"));
    assert_eq!(send.target, by_name(e, "Application Gateway"));
    assert!(send.bidirectional, "ReadWriteCommand");
    assert!(
        imported
            .warnings
            .iter()
            .any(|w| w.message.contains("7 threat actors"))
    );
    assert!(e.validate().is_valid());
}

/// Every `.tm7` and `.tm` file of the shared fixtures.
fn every_fixture() -> Vec<PathBuf> {
    let Some(dir) = fixtures() else {
        return Vec::new();
    };
    let mut files = Vec::new();
    for sub in ["ms-tmt", "tms"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("a fixture folder") {
            let path = entry.unwrap().path();
            if matches!(
                path.extension().and_then(|e| e.to_str()),
                Some("tm7" | "tm")
            ) {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 4, "{files:?}");
    files
}

/// What a modeler adds to an imported skeleton: a scope, a person per role, an interview per
/// role.
fn fill(engagement: &mut Engagement) {
    // One interview per role, in place of the skeleton's standard calendar.
    engagement.interviews.clear();
    engagement
        .scope
        .out_of_scope
        .push("the cloud provider".into());
    for (i, role) in Role::BUILT_IN.iter().enumerate() {
        engagement.participants.push(Participant::new(
            format!("p{i}"),
            format!("Person {i}"),
            vec![role.clone()],
        ));
        let mut interview = Interview::new(
            format!("i{i}"),
            format!("Interview {i}"),
            u32::try_from(i).unwrap() + 1,
            Slot::Morning,
            90,
            vec![role.clone()],
        );
        interview.participants.push(format!("p{i}"));
        engagement.interviews.push(interview);
    }
}

#[test]
fn every_fixture_imports_generates_and_plans() {
    for path in every_fixture() {
        let mut engagement = import(&path).engagement;
        fill(&mut engagement);
        let report = engagement.validate();
        assert!(report.is_valid(), "{}: {report:?}", path.display());
        let questions = Engine::builtin().generate(engagement.check().unwrap());
        assert!(!questions.is_empty(), "{}", path.display());
        questions.merge_into(&mut engagement);
        let plan = threat_interview::plan::plan_all(&mut engagement);
        let planned: usize = engagement.interviews.iter().map(|i| i.agenda.len()).sum();
        assert!(planned > 0, "{}: nothing planned", path.display());
        assert_eq!(plan.interviews.len(), engagement.interviews.len());
        assert!(engagement.validate().is_valid(), "{}", path.display());
    }
}

/// The entries of a ZIP archive: name, compressed bytes and decompressed bytes.
fn entries(bytes: &[u8]) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut raw = Vec::new();
        let name = {
            let mut entry = archive.by_index_raw(i).unwrap();
            entry.read_to_end(&mut raw).unwrap();
            entry.name().unwrap().into_owned()
        };
        let mut data = Vec::new();
        archive.by_index(i).unwrap().read_to_end(&mut data).unwrap();
        out.push((name, raw, data));
    }
    out
}

fn utf16_json(bytes: &[u8]) -> Value {
    assert_eq!(&bytes[..2], [0xff, 0xfe], "UTF-16LE with a byte order mark");
    let units: Vec<u16> = bytes[2..]
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    serde_json::from_str(&String::from_utf16(&units).unwrap()).unwrap()
}

/// The topics of a model JSON: (object id, text) to the topic.
fn topics(model: &Value) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    let mut visit = |object: &Value| {
        let id = object["id"].as_str().unwrap_or_default().to_owned();
        let properties = object["properties"]["$values"].as_array().cloned();
        for property in properties.unwrap_or_default() {
            if let Some(items) = property["value"]["items"].as_array() {
                for item in items {
                    if item["$type"]
                        .as_str()
                        .is_some_and(|t| t.contains("TopicToBeClarified"))
                    {
                        out.insert(
                            (id.clone(), item["text"].as_str().unwrap().to_owned()),
                            item.clone(),
                        );
                    }
                }
            }
        }
    };
    visit(model);
    for key in ["entities", "dataFlows", "groups"] {
        for object in model[key]["$values"].as_array().unwrap() {
            visit(object);
        }
    }
    out
}

#[test]
fn questions_and_answers_go_into_the_tm_and_come_back() {
    let Some(path) = fixture("tms/azure-paas-core-example.tm") else {
        return;
    };
    let original = std::fs::read(&path).unwrap();
    let first = import(&path).engagement;
    let mut engagement = first.clone();
    fill(&mut engagement);
    Engine::builtin()
        .generate(engagement.check().unwrap())
        .merge_into(&mut engagement);
    // Answer three questions: one about an entity, one about a flow, one about the model.
    // An element with a question of its own (the Application Gateway, a load balancer, has
    // none since its backends' questions are asked together with it).
    let entity = by_name(&first, "Azure SQL").to_owned();
    let send = by_name(&first, "Send request").to_owned();
    let pick = |engagement: &Engagement, f: &dyn Fn(&[String]) -> bool| {
        engagement
            .questions
            .iter()
            .position(|q| f(&q.subjects))
            .expect("a question")
    };
    let on_entity = pick(&engagement, &|s| s == [entity.clone()]);
    let on_flow = pick(&engagement, &|s| s.contains(&send));
    let on_model = pick(&engagement, &|s| s.is_empty());
    for (n, &index) in [on_entity, on_flow, on_model].iter().enumerate() {
        let question = &mut engagement.questions[index];
        let mut answer = Answer::new(
            format!("Answer {n}: yes, with mutual TLS."),
            AnswerChannel::Email,
        );
        answer.by = Some("p1".into());
        answer.at = Some(format!("2024-06-0{}", n + 1));
        question.answers.push(answer);
        question.status = QuestionStatus::Answered;
    }
    engagement.interviews[1].agenda.push(AgendaItem::new(
        engagement.questions[on_entity].id.clone(),
        5,
    ));
    let options = TopicOptions::new("Jane Reviewer", "2024-06-05T10:00:00+02:00");
    let written = write_topics(&original, &engagement, &options, &Limits::default()).unwrap();
    let asked = engagement
        .questions
        .iter()
        .filter(|q| !q.obsolete && q.status != QuestionStatus::Skipped)
        .map(|q| q.subjects.len().max(1))
        .sum::<usize>();
    assert_eq!(written.topics, asked);
    assert_eq!(written.answers, 3);

    // The archive: the same entries in the same order, every other entry byte for byte.
    let before = entries(&original);
    let after = entries(&written.bytes);
    assert_eq!(
        before.iter().map(|e| &e.0).collect::<Vec<_>>(),
        after.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    for (b, a) in before.iter().zip(&after) {
        if b.0 != "threatmodel.json" {
            assert_eq!(b.1, a.1, "{} copied as it was", b.0);
        }
    }
    // The model JSON: the same structure once the topics are taken out again.
    let old_json = utf16_json(&before[0].2);
    let new_json = utf16_json(&after[0].2);
    let mut stripped = new_json.clone();
    strip_topics(&mut stripped);
    assert_eq!(stripped, old_json);
    // Only the annotations were spliced in: the original text is still there around them.
    let old_text = String::from_utf8_lossy(&before[0].2).len();
    assert!(after[0].2.len() > old_text);

    // The topics, with asked on, by and via, and the answers with who, when and how.
    let found = topics(&new_json);
    let entity_question = &engagement.questions[on_entity];
    let topic = &found[&(entity.clone(), entity_question.text.clone())];
    assert_eq!(topic["askedBy"], "Jane Reviewer");
    assert_eq!(topic["askedVia"], "Interview: Interview 1");
    assert_eq!(topic["answered"], true);
    assert_eq!(topic["askedOn"], "2024-06-01T00:00:00+00:00");
    let answer = &topic["items"][0];
    assert_eq!(answer["answeredBy"], "Person 1");
    assert_eq!(answer["answeredVia"], "Email");
    assert_eq!(answer["answeredOn"], "2024-06-01T00:00:00+00:00");
    assert_eq!(answer["text"], "Answer 0: yes, with mutual TLS.");
    let model_id = new_json["id"].as_str().unwrap();
    assert!(found.contains_key(&(
        model_id.to_owned(),
        engagement.questions[on_model].text.clone()
    )));

    // Imported again: the model unchanged, the topics back as questions with their answers.
    let again = import_bytes(&written.bytes, None, &Limits::default()).unwrap();
    assert_eq!(again.engagement.model, first.model);
    assert_eq!(again.engagement.questions.len(), asked);
    for &index in &[on_entity, on_flow, on_model] {
        let ours = &engagement.questions[index];
        let back = again
            .engagement
            .questions
            .iter()
            .find(|q| {
                q.text == ours.text && q.subjects == ours.subjects[..ours.subjects.len().min(1)]
            })
            .unwrap_or_else(|| panic!("`{}` came back", ours.text));
        assert_eq!(back.status, QuestionStatus::Answered);
        assert_eq!(back.answers.len(), 1);
        assert_eq!(back.answers[0].text, ours.answers[0].text);
        assert_eq!(back.answers[0].via, AnswerChannel::Email);
        let by = back.answers[0].by.as_deref().unwrap();
        assert_eq!(again.engagement.participant(by).unwrap().name, "Person 1");
        assert!(back.answers[0].at.as_deref().unwrap().starts_with(&format!(
            "2024-06-0{}",
            [on_entity, on_flow, on_model].iter().position(|&i| i == index).unwrap() + 1
        )));
    }
    assert!(again.engagement.validate().is_valid());

    // Written again into its own output, nothing changes: a topic with the same text is
    // replaced, not added.
    let twice = write_topics(&written.bytes, &engagement, &options, &Limits::default()).unwrap();
    let first_difference = twice
        .bytes
        .iter()
        .zip(&written.bytes)
        .position(|(a, b)| a != b);
    assert!(
        twice.bytes == written.bytes,
        "written twice: {} and {} bytes, first difference at {first_difference:?}",
        twice.bytes.len(),
        written.bytes.len()
    );
}

/// Removes every topic to be clarified, the annotations properties left empty, and the property
/// lists left empty.
fn strip_topics(model: &mut Value) {
    fn is_topic(item: &Value) -> bool {
        item.get("$type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("TopicToBeClarified"))
    }
    fn is_annotations(property: &Value) -> bool {
        property
            .pointer("/value/$type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("Annotations.Annotations"))
    }
    fn strip_object(object: &mut Value) {
        let Some(list) = object
            .pointer_mut("/properties/$values")
            .and_then(Value::as_array_mut)
        else {
            return;
        };
        for property in list.iter_mut() {
            if let Some(items) = property
                .pointer_mut("/value/items")
                .and_then(Value::as_array_mut)
            {
                items.retain(|i| !is_topic(i));
            }
        }
        list.retain(|p| {
            !is_annotations(p)
                || p.pointer("/value/items")
                    .and_then(Value::as_array)
                    .is_some_and(|i| !i.is_empty())
        });
        if list.is_empty() {
            object["properties"] = Value::Null;
        }
    }
    strip_object(model);
    for key in ["entities", "dataFlows", "groups"] {
        for object in model[key]["$values"].as_array_mut().unwrap() {
            strip_object(object);
        }
    }
}

// --- Small files of our own -------------------------------------------------------------------

fn utf16le(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xff, 0xfe] } else { Vec::new() };
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        writer
            .start_file(
                *name,
                zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated),
            )
            .unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A model in the plain-array style of newer Threats Manager Studio versions, with a group that
/// is not a trust boundary between a boundary and an entity, and nested boundaries.
const PLAIN_MODEL: &str = r#"{
  "$type": "ThreatsManager.Engine.ObjectModel.ThreatModel, ThreatsManager.Engine",
  "id": "11111111-1111-4111-8111-111111111111",
  "name": "Plain",
  "entities": [
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.ExternalInteractor, ThreatsManager.Engine",
     "id": "e1", "name": "Customer", "parentId": "00000000-0000-0000-0000-000000000000"},
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.Process, ThreatsManager.Engine",
     "id": "p1", "name": "Shop\nAPI", "parentId": "g1"},
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.DataStore, ThreatsManager.Engine",
     "id": "s1", "name": "Orders", "parentId": "b2"}
  ],
  "dataFlows": [
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.DataFlow, ThreatsManager.Engine",
     "id": "f1", "name": "orders", "source": "e1", "target": "p1", "flowType": "WriteCommand"},
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.DataFlow, ThreatsManager.Engine",
     "id": "f2", "name": "", "source": "p1", "target": "s1", "flowType": "ReadWriteCommand"},
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.DataFlow, ThreatsManager.Engine",
     "id": "f3", "name": "dangling", "source": "p1", "target": "nowhere"}
  ],
  "groups": [
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.TrustBoundary, ThreatsManager.Engine",
     "id": "b1", "name": "Cloud", "parentId": "00000000-0000-0000-0000-000000000000"},
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.Group, ThreatsManager.Engine",
     "id": "g1", "name": "Web tier", "parentId": "b1"},
    {"$type": "ThreatsManager.Engine.ObjectModel.Entities.TrustBoundary, ThreatsManager.Engine",
     "id": "b2", "name": "Data zone", "parentId": "g1"}
  ],
  "schemas": [],
  "properties": null
}"#;

#[test]
fn a_plain_array_tm_nests_through_groups() {
    let json = utf16le(PLAIN_MODEL, true);
    let tm = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("threatmodel.json", &json),
    ]);
    let imported = import_bytes(&tm, None, &Limits::default()).unwrap();
    let e = &imported.engagement;
    assert_eq!(counts(e), [1, 1, 1, 2, 2]);
    assert_eq!(
        e.model.element("p1").unwrap().boundary.as_deref(),
        Some("b1")
    );
    assert_eq!(e.model.element("p1").unwrap().name, "Shop API");
    assert_eq!(
        e.model.element("s1").unwrap().boundary.as_deref(),
        Some("b2")
    );
    assert_eq!(
        e.model.boundary("b2").unwrap().parent.as_deref(),
        Some("b1")
    );
    assert_eq!(e.model.element("e1").unwrap().boundary, None);
    assert!(e.model.flow("f2").unwrap().bidirectional);
    assert_eq!(e.model.flow("f2").unwrap().name, "Flow f2");
    let messages: Vec<&str> = imported
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("`dangling`")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("`Web tier`")),
        "{messages:?}"
    );
    assert!(e.validate().is_valid());

    // The same JSON alone, as a `.tmj`, in UTF-8 and in UTF-16 without a byte order mark.
    for bytes in [PLAIN_MODEL.as_bytes().to_vec(), utf16le(PLAIN_MODEL, false)] {
        let tmj = import_bytes(&bytes, Some(ForeignFormat::Tms), &Limits::default()).unwrap();
        assert_eq!(tmj.engagement.model, e.model);
    }

    // A date that is not one is refused before anything is written.
    let bad = TopicOptions::new("Jane", "last tuesday");
    let error = write_topics(&tm, e, &bad, &Limits::default()).unwrap_err();
    assert_eq!(code(&error), DiagnosticCode::InvalidDate);

    // Topics go into a plain-array model too, with the annotations schema added.
    let mut engagement = e.clone();
    let mut question =
        threat_interview::Question::new("q1", "Who runs the Shop API?", Role::Architect, 3, 5);
    question.subjects = vec!["p1".into(), "gone".into()];
    engagement.questions.push(question);
    let options = TopicOptions::new("Jane", "2024-06-05");
    let written = write_topics(&tm, &engagement, &options, &Limits::default()).unwrap();
    assert_eq!(written.topics, 1);
    assert_eq!(written.warnings.len(), 1);
    assert_eq!(
        written.warnings[0].code,
        DiagnosticCode::TopicSubjectMissing
    );
    let again = import_bytes(&written.bytes, None, &Limits::default()).unwrap();
    assert_eq!(again.engagement.model, e.model);
    let back = &again.engagement.questions;
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].text, "Who runs the Shop API?");
    assert_eq!(back[0].subjects, ["p1"]);
    assert_eq!(back[0].status, QuestionStatus::Asked);
    let schemas = utf16_json_any(&entries(&written.bytes)[1].2)["schemas"].clone();
    assert_eq!(schemas[0]["name"], "Annotations");
}

fn utf16_json_any(bytes: &[u8]) -> Value {
    let units: Vec<u16> = bytes
        .strip_prefix(&[0xff, 0xfe])
        .unwrap_or(bytes)
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    serde_json::from_str(&String::from_utf16(&units).unwrap()).unwrap()
}

const SMALL_TM7: &str = r#"<ThreatModel xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><DrawingSurfaceList><DrawingSurfaceModel z:Id="i1" xmlns:z="http://schemas.microsoft.com/2003/10/Serialization/"><GenericTypeId xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts">DRAWINGSURFACE</GenericTypeId><Guid xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts">d1</Guid><Borders xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts" xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:KeyValueOfguidanyType><a:Key>u1</a:Key><a:Value z:Id="i2" i:type="StencilRectangle"><GenericTypeId>GE.EI</GenericTypeId><Guid>u1</Guid><Properties><a:anyType i:type="b:StringDisplayAttribute" xmlns:b="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"><b:DisplayName>Name</b:DisplayName><b:Name/><b:Value i:type="c:string" xmlns:c="http://www.w3.org/2001/XMLSchema">User</b:Value></a:anyType><a:anyType i:type="b:ListDisplayAttribute" xmlns:b="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"><b:DisplayName>Type</b:DisplayName><b:Name/><b:Value i:type="a:ArrayOfstring"><a:string>Not Selected</a:string><a:string>Human</a:string><a:string>Code</a:string></b:Value><b:SelectedIndex>1</b:SelectedIndex></a:anyType></Properties><TypeId>GE.EI</TypeId><Height>50</Height><Left>0</Left><Top>0</Top><Width>50</Width></a:Value></a:KeyValueOfguidanyType><a:KeyValueOfguidanyType><a:Key>p1</a:Key><a:Value z:Id="i3" i:type="StencilEllipse"><GenericTypeId>CUSTOM.P</GenericTypeId><Guid>p1</Guid><Properties><a:anyType i:type="b:StringDisplayAttribute" xmlns:b="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"><b:DisplayName>Name</b:DisplayName><b:Name/><b:Value i:type="c:string" xmlns:c="http://www.w3.org/2001/XMLSchema">Custom API</b:Value></a:anyType></Properties><TypeId>CUSTOM.P</TypeId><Height>50</Height><Left>200</Left><Top>0</Top><Width>50</Width></a:Value></a:KeyValueOfguidanyType></Borders><Lines xmlns="http://schemas.datacontract.org/2004/07/ThreatModeling.Model.Abstracts" xmlns:a="http://schemas.microsoft.com/2003/10/Serialization/Arrays"><a:KeyValueOfguidanyType><a:Key>f1</a:Key><a:Value z:Id="i4" i:type="Connector"><GenericTypeId>GE.DF</GenericTypeId><Guid>f1</Guid><Properties/><TypeId>GE.DF</TypeId><HandleX>125</HandleX><HandleY>25</HandleY><SourceGuid>u1</SourceGuid><SourceX>25</SourceX><SourceY>25</SourceY><TargetGuid>p1</TargetGuid><TargetX>225</TargetX><TargetY>25</TargetY></a:Value></a:KeyValueOfguidanyType></Lines></DrawingSurfaceModel></DrawingSurfaceList><MetaInformation><ThreatModelName>Small</ThreatModelName></MetaInformation><KnowledgeBase><a:GenericElements xmlns:a="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"><a:ElementType><a:Id>GE.P</a:Id><a:ParentId>ROOT</a:ParentId></a:ElementType></a:GenericElements><a:StandardElements xmlns:a="http://schemas.datacontract.org/2004/07/ThreatModeling.KnowledgeBase"><a:ElementType><a:Id>CUSTOM.BASE</a:Id><a:ParentId>GE.P</a:ParentId></a:ElementType><a:ElementType><a:Id>CUSTOM.P</a:Id><a:ParentId>CUSTOM.BASE</a:ParentId></a:ElementType></a:StandardElements></KnowledgeBase></ThreatModel>"#;

#[test]
fn a_custom_knowledge_base_type_is_its_generic_ancestor() {
    let imported = import_bytes(SMALL_TM7.as_bytes(), None, &Limits::default()).unwrap();
    let e = &imported.engagement;
    assert_eq!(e.name, "Small");
    assert_eq!(counts(e), [1, 1, 0, 1, 0]);
    assert_eq!(e.model.element("p1").unwrap().kind, ElementKind::Process);
    let user = e.model.element("u1").unwrap();
    assert_eq!(user.properties["human"].as_bool(), Some(true));
    assert_eq!(e.model.flow("f1").unwrap().name, "Flow f1");
}

#[test]
fn the_question_file_holds_the_templates_with_a_rule() {
    let file = question_file(&threat_interview::BankSet::builtin());
    let json = utf16_json(&file.bytes);
    let questions = json["$values"].as_array().unwrap();
    assert_eq!(questions.len(), file.written.len());
    assert!(!file.written.is_empty());
    assert!(!file.without_rule.is_empty());
    let written: HashSet<&str> = file.written.iter().map(String::as_str).collect();
    assert!(
        file.without_rule
            .iter()
            .all(|(id, _)| !written.contains(id.as_str()))
    );
    for question in questions {
        let object = question.as_object().unwrap();
        assert_eq!(object.keys().next().map(String::as_str), Some("$type"));
        assert!(!question["text"].as_str().unwrap().contains('{'));
        let node = &question["rule"]["node"];
        assert!(
            node["$type"]
                .as_str()
                .unwrap()
                .starts_with("ThreatsManager.AutoGenRules.Engine.")
        );
    }
}

// --- Hostile files ----------------------------------------------------------------------------

/// Runs an import that must fail, with an error, within seconds and without a panic.
fn refused(what: &str, run: impl FnOnce() -> Result<Imported, ImportError>) -> ImportError {
    let start = Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run));
    let elapsed = start.elapsed();
    let error = match result {
        Ok(Ok(_)) => panic!("{what}: imported"),
        Ok(Err(error)) => error,
        Err(payload) => panic!("{what}: panicked: {:?}", payload.downcast_ref::<String>()),
    };
    assert!(elapsed < Duration::from_secs(5), "{what}: took {elapsed:?}");
    assert!(!error.to_string().is_empty());
    eprintln!("{what}: {error} ({elapsed:?})");
    error
}

fn code(error: &ImportError) -> DiagnosticCode {
    error.report().errors[0].code
}

/// A deflate stream of `chunks` MiB of zeros, made from one compressed MiB repeated (full
/// flushes make each copy a stand-alone run of blocks), and a ZIP holding it as
/// `threatmodel.json` whose headers declare `declared` bytes.
fn zip_bomb(chunks: usize, declared: u32) -> Vec<u8> {
    let mut compress = flate2::Compress::new(flate2::Compression::fast(), false);
    let zeros = vec![0u8; 1 << 20];
    let mut block = Vec::with_capacity(1 << 16);
    compress
        .compress_vec(&zeros, &mut block, flate2::FlushCompress::Full)
        .unwrap();
    let mut end = Vec::with_capacity(64);
    compress
        .compress_vec(&[], &mut end, flate2::FlushCompress::Finish)
        .unwrap();
    let mut data = Vec::with_capacity(block.len() * chunks + end.len());
    for _ in 0..chunks {
        data.extend_from_slice(&block);
    }
    data.extend_from_slice(&end);
    let name = b"threatmodel.json";
    let size = u32::try_from(data.len()).unwrap();
    let mut out = Vec::new();
    let le16 = |v: u16| v.to_le_bytes();
    let le32 = |v: u32| v.to_le_bytes();
    // Local file header.
    out.extend(le32(0x0403_4b50));
    out.extend(le16(20));
    out.extend(le16(0));
    out.extend(le16(8));
    out.extend(le16(0));
    out.extend(le16(0x21));
    out.extend(le32(0));
    out.extend(le32(size));
    out.extend(le32(declared));
    out.extend(le16(u16::try_from(name.len()).unwrap()));
    out.extend(le16(0));
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let central = u32::try_from(out.len()).unwrap();
    // Central directory.
    out.extend(le32(0x0201_4b50));
    out.extend(le16(20));
    out.extend(le16(20));
    out.extend(le16(0));
    out.extend(le16(8));
    out.extend(le16(0));
    out.extend(le16(0x21));
    out.extend(le32(0));
    out.extend(le32(size));
    out.extend(le32(declared));
    out.extend(le16(u16::try_from(name.len()).unwrap()));
    out.extend(le16(0));
    out.extend(le16(0));
    out.extend(le16(0));
    out.extend(le16(0));
    out.extend(le32(0));
    out.extend(le32(0));
    out.extend_from_slice(name);
    let central_size = u32::try_from(out.len()).unwrap() - central;
    // End of central directory.
    out.extend(le32(0x0605_4b50));
    out.extend(le16(0));
    out.extend(le16(0));
    out.extend(le16(1));
    out.extend(le16(1));
    out.extend(le32(central_size));
    out.extend(le32(central));
    out.extend(le16(0));
    out
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size() {
    // 4 GiB less a byte declared, 1 GiB of zeros inside, about 10 MB on disk.
    let bomb = zip_bomb(1024, u32::MAX);
    assert!(bomb.len() < 16 << 20, "{}", bomb.len());
    let error = refused("zip bomb", || import_bytes(&bomb, None, &Limits::default()));
    assert_eq!(code(&error), DiagnosticCode::ZipTooLarge);
}

#[test]
fn a_zip_bomb_that_lies_about_its_size_stops_at_the_limit() {
    // It says 1 KiB, holds 64 MiB; the limit is 8 MiB: inflating stops just past it.
    let bomb = zip_bomb(64, 1024);
    let limits = Limits::default().with_max_bytes(8 << 20);
    let error = refused("lying zip bomb", || import_bytes(&bomb, None, &limits));
    assert_eq!(code(&error), DiagnosticCode::ZipTooLarge);
}

#[test]
fn a_zip_renamed_tm7_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.tm7");
    std::fs::write(&path, zip_of(&[("readme.txt", b"hello")])).unwrap();
    let error = refused("zip renamed .tm7", || {
        import_path(&path, None, &Limits::default())
    });
    assert!(error.to_string().contains("threatmodel.json"), "{error}");
    let error = refused("zip forced as tm7", || {
        import_path(&path, Some(ForeignFormat::Tm7), &Limits::default())
    });
    assert!(error.to_string().contains("ZIP"), "{error}");
}

#[test]
fn xml_with_a_document_type_is_refused() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ThreatModel>&lol9;</ThreatModel>"#;
    let external = r#"<?xml version="1.0"?>
<!DOCTYPE ThreatModel [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<ThreatModel><DrawingSurfaceList>&xxe;</DrawingSurfaceList></ThreatModel>"#;
    let empty = "<!DOCTYPE ThreatModel><ThreatModel/>";
    for (what, xml) in [
        ("billion laughs", laughs),
        ("external entity", external),
        ("empty doctype", empty),
    ] {
        let error = refused(what, || {
            import_bytes(xml.as_bytes(), None, &Limits::default())
        });
        assert_eq!(code(&error), DiagnosticCode::DtdRefused, "{what}");
        assert!(!error.to_string().contains("root:"), "{what}: {error}");
    }
    // An entity without a DTD is only an unknown reference.
    let error = refused("undeclared entity", || {
        import_bytes(
            b"<ThreatModel>&xxe;</ThreatModel>",
            None,
            &Limits::default(),
        )
    });
    assert_eq!(code(&error), DiagnosticCode::Syntax);
}

#[test]
fn a_file_past_the_size_limit_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.tm7");
    // A sparse file: 1 GiB long, nothing written.
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(1 << 30).unwrap();
    drop(file);
    let error = refused("1 GiB file", || {
        import_path(&path, None, &Limits::default())
    });
    assert_eq!(code(&error), DiagnosticCode::TooLarge);
    // The same limit holds for bytes handed over directly.
    let limits = Limits::default().with_max_bytes(100);
    let error = refused("bytes past the limit", || {
        import_bytes(SMALL_TM7.as_bytes(), None, &limits)
    });
    assert_eq!(code(&error), DiagnosticCode::TooLarge);
}

#[test]
fn truncated_files_are_refused() {
    let half = &SMALL_TM7.as_bytes()[..SMALL_TM7.len() / 2];
    let error = refused("truncated .tm7", || {
        import_bytes(half, Some(ForeignFormat::Tm7), &Limits::default())
    });
    assert_eq!(code(&error), DiagnosticCode::Syntax);
    let tm = zip_of(&[("threatmodel.json", &utf16le(PLAIN_MODEL, true))]);
    for cut in [tm.len() / 3, tm.len() - 10, 30] {
        refused("truncated .tm", || {
            import_bytes(&tm[..cut], None, &Limits::default())
        });
    }
    // Truncated JSON inside a sound archive.
    let json = utf16le(&PLAIN_MODEL[..PLAIN_MODEL.len() / 2], true);
    let tm = zip_of(&[("threatmodel.json", &json)]);
    let error = refused("truncated JSON", || {
        import_bytes(&tm, None, &Limits::default())
    });
    assert_eq!(code(&error), DiagnosticCode::Syntax);
    if let Some(path) = fixture("tms/azure-paas-core-example.tm") {
        let bytes = std::fs::read(path).unwrap();
        refused("truncated fixture", || {
            import_bytes(&bytes[..bytes.len() / 2], None, &Limits::default())
        });
    }
}

#[test]
fn json_limits_hold_inside_the_archive() {
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    let tm = zip_of(&[("threatmodel.json", &utf16le(&deep, true))]);
    let error = refused("deep JSON", || import_bytes(&tm, None, &Limits::default()));
    assert_eq!(code(&error), DiagnosticCode::TooDeep);
    let many = zip_of(
        &(0..1_001)
            .map(|i| (format!("f{i}"), Vec::new()))
            .collect::<Vec<_>>()
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect::<Vec<_>>(),
    );
    let error = refused("too many entries", || {
        import_bytes(&many, None, &Limits::default())
    });
    assert_eq!(code(&error), DiagnosticCode::ZipTooLarge);
}

#[test]
#[ignore = "prints the templates the question file leaves out, for docs/tms.md"]
fn print_the_templates_without_a_rule() {
    let file = question_file(&threat_interview::BankSet::builtin());
    println!("written: {}", file.written.len());
    for id in &file.written {
        println!("W {id}");
    }
    for (id, reason) in &file.without_rule {
        println!("N {id}: {reason}");
    }
}

#[test]
fn docs_tms_lists_the_templates_with_and_without_a_rule() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/tms.md"),
    )
    .unwrap();
    let file = question_file(&threat_interview::BankSet::builtin());
    let (written, without) = doc
        .split_once("are not, by the first operator")
        .expect("docs/tms.md has both lists");
    assert!(written.contains(&format!(
        "these {} templates are written",
        file.written.len()
    )));
    assert!(doc.contains(&format!("These {} are not", file.without_rule.len())));
    for id in &file.written {
        assert!(
            written.contains(&format!("`{id}`")),
            "{id} is listed as written"
        );
    }
    for (id, reason) in &file.without_rule {
        let row = without
            .lines()
            .find(|line| line.contains(&format!("`{id}`")))
            .unwrap_or_else(|| panic!("{id} is listed without a rule"));
        assert!(row.starts_with(&format!("| {reason} |")), "{id}: {reason}");
    }
}
