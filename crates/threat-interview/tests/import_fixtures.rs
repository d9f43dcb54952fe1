//! Importing the real Threat Dragon and Open Threat Model files other projects publish
//! (`../shared/fixtures/` next to the repository, or the folder `THREAT_INTERVIEW_FIXTURES`
//! names): every file imports, with the numbers of interactors, processes, stores, flows and
//! boundaries counted by hand from the file, and its nesting or crossings; every imported
//! engagement validates and goes through generation and planning without a gap; the OTM
//! export of every file is accepted by the official OTM schema and keeps every zone,
//! component and flow.
//!
//! The folder is not part of the repository: without it these tests print why and pass,
//! except under `CI=true`, where a missing folder fails.
//!
//! How the numbers were counted, once per file, by reading the file (and checked with
//! `grep -o`): Threat Dragon v2 cells by their `"shape"` (`actor`, `process`, `store`, `flow`,
//! `trust-boundary-box` and `trust-boundary-curve` are boundaries, `td-text-block` is a note);
//! v1 cells by their `"type"` (`tm.Actor`, `tm.Process`, `tm.Store`, `tm.Flow`, `tm.Boundary`,
//! every v1 boundary being a line); OTM by the items of `trustZones`, `components` (each kind
//! from its `type`, see each test) and `dataflows`.

use std::path::PathBuf;

use threat_interview::coverage::Coverage;
use threat_interview::engine::Engine;
use threat_interview::graph::ComponentGraph;
use threat_interview::import::{ForeignFormat, Imported, import_path, to_otm};
use threat_interview::plan::plan_all;
use threat_interview::source::Limits;
use threat_interview::{Classification, DiagnosticCode, ElementKind, Engagement, Trust};

/// The fixtures folder, or `None` (with a message) when it is absent outside CI.
fn fixtures() -> Option<PathBuf> {
    let dir = std::env::var_os("THREAT_INTERVIEW_FIXTURES").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures"),
        PathBuf::from,
    );
    if dir.is_dir() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    assert!(
        !ci,
        "the fixtures folder {} is missing (CI=true: it must be there)",
        dir.display()
    );
    eprintln!(
        "skipped: the fixtures folder {} is absent (set THREAT_INTERVIEW_FIXTURES)",
        dir.display()
    );
    None
}

const THREAT_DRAGON: &[&str] = &[
    "threat-dragon/demo-threat-model.json",
    "threat-dragon/v2-threat-model.json",
    "threat-dragon/three-tier-web-app.json",
    "threat-dragon/generic-cms.json",
    "threat-dragon/payment-online.json",
    "threat-dragon/v2-new-model.json",
];
const OTM: &[&str] = &[
    "otm/EXAMPLE.json",
    "otm/EXAMPLE.yaml",
    "otm/manual_threat_model.yaml",
    "otm/minimal_content.yaml",
    "otm/cft_example.yaml",
];

fn import(dir: &std::path::Path, file: &str) -> Imported {
    import_path(dir.join(file), None, &Limits::default()).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Interactors, processes, stores, flows, boundaries.
fn counts(e: &Engagement) -> [usize; 5] {
    let kind = |k| e.model.elements.iter().filter(|x| x.kind == k).count();
    [
        kind(ElementKind::ExternalInteractor),
        kind(ElementKind::Process),
        kind(ElementKind::DataStore),
        e.model.flows.len(),
        e.model.boundaries.len(),
    ]
}

fn element<'e>(e: &'e Engagement, id: &str) -> &'e threat_interview::Element {
    e.model
        .element(id)
        .unwrap_or_else(|| panic!("no element `{id}`"))
}

fn flow<'e>(e: &'e Engagement, id: &str) -> &'e threat_interview::Flow {
    e.model.flow(id).unwrap_or_else(|| panic!("no flow `{id}`"))
}

fn crossings(e: &Engagement) -> usize {
    e.model.flows.iter().map(|f| f.crosses.len()).sum()
}

#[test]
fn every_file_is_detected_and_imported() {
    let Some(dir) = fixtures() else { return };
    for (files, format) in [
        (THREAT_DRAGON, ForeignFormat::ThreatDragon),
        (OTM, ForeignFormat::Otm),
    ] {
        for file in files {
            let imported = import(&dir, file);
            assert_eq!(imported.format, format, "{file}");
            let report = imported.engagement.validate();
            assert!(report.is_valid(), "{file}: {:?}", report.errors);
            // Names the importer keeps are not taken for the vocabulary's near misses.
            assert!(
                report
                    .warnings
                    .iter()
                    .all(|w| w.code != DiagnosticCode::PropertyUnknown
                        && w.code != DiagnosticCode::PropertyType),
                "{file}: {:?}",
                report.warnings
            );
            for w in &imported.warnings {
                assert!(!w.is_error(), "{file}: {w}");
                assert!(
                    w.pointer.is_empty() || w.pointer.starts_with('/'),
                    "{file}: {w}"
                );
                assert!(
                    w.code == DiagnosticCode::ImportSkeleton || w.line.is_some(),
                    "{file}: a warning with no place: {w}"
                );
            }
            // The readiness notes: scope, participants, calendar.
            let skeleton = imported
                .warnings
                .iter()
                .filter(|w| w.code == DiagnosticCode::ImportSkeleton)
                .count();
            assert_eq!(skeleton, 3, "{file}");
        }
    }
}

#[test]
fn threat_dragon_v1_demo() {
    let Some(dir) = fixtures() else { return };
    let e = import(&dir, "threat-dragon/demo-threat-model.json").engagement;
    // v1 `type`: tm.Actor 1 (Browser), tm.Process 2 (Web Application, Background Worker
    // Process), tm.Store 4 (Worker Config, Database, Web Application Config, Message Queue),
    // tm.Flow 10, tm.Boundary 4 (all lines).
    assert_eq!(counts(&e), [1, 2, 4, 10, 4]);
    // Crossings, from the coordinates: "Web Request" runs from the centre of Browser
    // (106,78) to (245,112) and on to the centre of Web Application (258,239); its last
    // segment meets the curve 64d52ab0 (177,149)-(291,150) at about (248.9,149.6).
    assert_eq!(
        flow(&e, "56b56e8c-751d-4d8a-a9c7-6554c9f142ee").crosses,
        ["64d52ab0-9733-4ae9-af1b-a347cbc13186"]
    );
    // Four flows cross the curve a61cbe16 between the processes and the Database.
    for f in [
        "75949d2c-0449-4a10-add3-07ac91a0c608",
        "2fd00bd2-c603-4d72-a12f-c20a3a1ba77b",
        "d117ddba-2508-45ce-b9ea-fb9df56a79e5",
        "015880b7-fb7a-4fe3-b729-fbd40bd7afcb",
    ] {
        assert_eq!(
            flow(&e, f).crosses,
            ["a61cbe16-7e3f-400c-a0ea-c0695253c6ad"]
        );
    }
    // Web Request, Web Response, Put Message, Message and those four: 8 crossings.
    assert_eq!(crossings(&e), 8);
    // The two config reads are out of scope, with Threat Dragon's reason in the scope.
    assert!(flow(&e, "c8c746d8-2a26-464e-8524-3350be8dcae5").out_of_scope);
    assert!(flow(&e, "6cba52e8-0d26-481f-bcc1-dbf0b66d8b42").out_of_scope);
    assert!(
        e.scope
            .out_of_scope
            .iter()
            .any(|s| s.contains("This data flow represents a read from the file system"))
    );
    // v1 flags sit on the cell: Worker Config stores credentials, Database is a log.
    let worker_config = element(&e, "a25bbb4e-093f-4238-a620-31efdee452dc");
    assert_eq!(
        worker_config.properties["stores_credentials"].as_bool(),
        Some(true)
    );
    let database = element(&e, "936557f9-22e2-4bac-bb70-0089c5c2fbe1");
    assert_eq!(database.properties["audit_log"].as_bool(), Some(true));
    let web_request = flow(&e, "56b56e8c-751d-4d8a-a9c7-6554c9f142ee");
    assert_eq!(web_request.encrypted, Some(true));
    assert_eq!(web_request.protocol.as_deref(), Some("HTTP/S"));
    // A flow over a public network into Web Application: it faces the internet.
    let web_app = element(&e, "0d9909ea-1398-4898-be81-cf1c808324dc");
    assert_eq!(web_app.properties["internet_facing"].as_bool(), Some(true));
    // 14 threats kept (10 open, 4 mitigated).
    let threats: usize = e
        .model
        .elements
        .iter()
        .filter_map(|x| x.extensions.as_ref())
        .chain(e.model.flows.iter().filter_map(|x| x.extensions.as_ref()))
        .filter_map(|x| x["x-threat-dragon"].get("threats"))
        .map(|t| t.as_array().unwrap().len())
        .sum();
    assert_eq!(threats, 14);
}

#[test]
fn threat_dragon_v2_demo() {
    let Some(dir) = fixtures() else { return };
    let imported = import(&dir, "threat-dragon/v2-threat-model.json");
    let e = &imported.engagement;
    // `shape`: actor 1, process 2, store 4, flow 10, trust-boundary-curve 3 (and one
    // td-text-block, a note).
    assert_eq!(counts(e), [1, 2, 4, 10, 3]);
    // "Put Message" leaves the centre of Web Application (270,230) for the vertex (351,120):
    // that segment meets the curve 6767506f's segment (333,117)-(432,180) at (346.8,125.8).
    assert_eq!(
        flow(e, "c779a822-d4ec-4237-9191-fe7170b32956").crosses,
        ["6767506f-3d7f-4a5f-bbe2-ea03689d30fc"]
    );
    assert_eq!(crossings(e), 8);
    // "Web Request" starts at the point (180,70), attached to nothing, 10 units right of the
    // Browser's box (10..170 x 30..110): read as leaving the Browser, with a warning there.
    let web_request = flow(e, "2d84bfae-f1ed-49e5-8542-10a02f4a1c57");
    assert_eq!(web_request.source, "b394f9f7-07ca-42bc-b616-ad77c6fbfcce");
    assert_eq!(
        web_request.crosses,
        ["0adc088b-ebb1-46be-af7b-36112c60c419"]
    );
    let snapped = imported
        .warnings
        .iter()
        .find(|w| w.pointer == "/detail/diagrams/0/cells/19/source")
        .expect("a warning at the loose end");
    assert_eq!(snapped.code, DiagnosticCode::ImportGuessed);
    // The store Web Application Config is out of scope in v2.
    assert!(element(e, "bdd3e115-4b92-4020-90b7-c3351dba292b").out_of_scope);
    // The three unnamed curves get names, each with a warning at its `data/name`.
    for k in 16..=18 {
        let at = format!("/detail/diagrams/0/cells/{k}/data/name");
        assert!(imported.warnings.iter().any(|w| w.pointer == at), "{at}");
    }
    // The text block is kept as a note.
    let notes = &e.extensions.as_ref().unwrap()["x-threat-dragon"]["notes"];
    assert!(
        notes[0]["text"]
            .as_str()
            .unwrap()
            .starts_with("A Demo Threat Model")
    );
}

#[test]
fn threat_dragon_three_tier() {
    let Some(dir) = fixtures() else { return };
    let imported = import(&dir, "threat-dragon/three-tier-web-app.json");
    let e = &imported.engagement;
    // `shape`: process 3 (Web UI, Web Service, PostgresSQL), flow 3, trust-boundary-box 2.
    assert_eq!(counts(e), [0, 3, 0, 3, 2]);
    // Nesting: Web UI (212,220 130x120) lies inside the box "Internet" (152,170 250x200);
    // Web Service and PostgresSQL inside "Public Cloud" (563,180 520x200). The boxes' names
    // are only in their labels.
    let internet = "a10125fd-004a-44d9-b4a8-dffb49de91c4";
    let cloud = "c54864d8-740f-40cb-bbb9-6ba008a336b6";
    assert_eq!(e.model.boundary(internet).unwrap().name, "Internet");
    assert_eq!(e.model.boundary(cloud).unwrap().name, "Public Cloud");
    let inside = |id: &str| element(e, id).boundary.clone().unwrap();
    assert_eq!(inside("5170eb10-abe9-48ec-8c74-b5ad508c28ef"), internet);
    assert_eq!(inside("09b86abf-65dd-49c2-9746-0cf9282f82a1"), cloud);
    assert_eq!(inside("97731369-531c-4c22-b017-8428cff90ac1"), cloud);
    // The flow from Web Service to PostgresSQL goes both ways (`isBidirectional`).
    assert!(flow(e, "91ccf804-a9b8-45ca-ab35-992337903633").bidirectional);
    // The three flows have empty names: named after their ends, with warnings.
    assert!(
        e.model
            .flows
            .iter()
            .any(|f| f.name == "Web Service to PostgresSQL")
    );
    let guessed = imported
        .warnings
        .iter()
        .filter(|w| w.code == DiagnosticCode::ImportGuessed && w.message.contains("no name"))
        .count();
    assert_eq!(guessed, 3);
}

#[test]
fn threat_dragon_generic_cms() {
    let Some(dir) = fixtures() else { return };
    let e = import(&dir, "threat-dragon/generic-cms.json").engagement;
    // `shape`: actor 2 (Admin, Generic / Privilege user), process 2 (Web server, CDN
    // network), store 1 (Databse), flow 5, trust-boundary-box 1 (Internet).
    assert_eq!(counts(&e), [2, 2, 1, 5, 1]);
    // The box Internet (280,200 370x380) holds Web server (430,250 90x90) and Databse
    // (403,460 120x60); Admin (57.5,375) and CDN network (760,435) lie outside it.
    let internet = "5dfe8ce8-7c53-491a-b511-6127704a297c";
    for id in [
        "8bee0586-5f1e-454c-8d8c-de52d3942781",
        "ea6f644e-74ca-4812-b506-6b9c4b5db27e",
    ] {
        assert_eq!(element(&e, id).boundary.as_deref(), Some(internet));
    }
    assert_eq!(
        element(&e, "f1c572a9-0dc6-4aec-a1be-3e05ae30e110").boundary,
        None
    );
    assert_eq!(
        element(&e, "271c61ff-61ce-47fe-9ca2-51dafa727fb5").boundary,
        None
    );
    assert_eq!(
        element(&e, "c6bdd6cf-cb9b-40f6-8bbd-891b83f10ef4").name,
        "Generic / Privilege user"
    );
    // Admin's "Unsecured mySQL connection" goes both ways.
    let mysql = e
        .model
        .flows
        .iter()
        .find(|f| f.name == "Unsecured mySQL connection")
        .unwrap();
    assert!(mysql.bidirectional);
    assert_eq!(mysql.target, "ea6f644e-74ca-4812-b506-6b9c4b5db27e");
}

#[test]
fn threat_dragon_payment() {
    let Some(dir) = fixtures() else { return };
    let e = import(&dir, "threat-dragon/payment-online.json").engagement;
    // `shape`: actor 1 (Customer), process 4, flow 10, trust-boundary-box 3.
    assert_eq!(counts(&e), [1, 4, 0, 10, 3]);
    // Customer Client (450,375 140x130) in "Customer / Internet" (360,325 310x200); Merchant
    // Web Server (65,670) in "Merchant / Web" (20,620 220x210); both Stripe processes in
    // "Stripe / Web" (670,680 380x410); Customer (450,120) outside every box.
    let b = |id: &str| element(&e, id).boundary.clone();
    assert_eq!(
        b("313655e5-4832-4424-b13c-7a3618543737").as_deref(),
        Some("347f80ba-5755-47a5-9a1b-295fe75552b2")
    );
    assert_eq!(
        b("9a109a12-5616-4a78-b268-96e2cf68e9b3").as_deref(),
        Some("d50ff0be-15cd-4ddb-80b3-37e06d71fcf2")
    );
    for id in [
        "43b2bb57-8d50-479f-abf3-c9addd9aa295",
        "91a72b16-b05b-463a-b0c6-62fa2dd0f72b",
    ] {
        assert_eq!(
            b(id).as_deref(),
            Some("4991548a-366e-4c45-87fc-487056f4379d")
        );
    }
    assert_eq!(b("a10e3c57-dad4-4914-b702-a43d9bf13956"), None);
    // 8 of the 10 flows join elements in different boxes (all but the two between the
    // Stripe processes): each crosses by nesting.
    let graph = ComponentGraph::new(&e.model).unwrap();
    let crossing = graph.flow_ixs().filter(|&f| graph.crosses_any(f)).count();
    assert_eq!(crossing, 8);
}

#[test]
fn threat_dragon_empty_model() {
    let Some(dir) = fixtures() else { return };
    let e = import(&dir, "threat-dragon/v2-new-model.json").engagement;
    // One diagram holding one td-text-block.
    assert_eq!(counts(&e), [0, 0, 0, 0, 0]);
    assert_eq!(e.name, "New Blank Model");
}

fn otm_example(dir: &std::path::Path, file: &str) {
    let e = import(dir, file).engagement;
    // components by `type`: web-client (an interactor), web-service (a process), database (a
    // store), code-class (a process); dataflows 2; trustZones 2.
    assert_eq!(counts(&e), [1, 2, 1, 2, 2], "{file}");
    // Nesting by `parent.trustZone`: Web Client in Internet (trust rating 20: untrusted),
    // Customer Database in Private (100).
    let internet = "f0ba7722-39b6-4c81-8290-a30a248bb8d9";
    let private = "2ab4effa-40b7-4cd2-ba81-8247d29a6f2d";
    assert_eq!(
        element(&e, "web-client").boundary.as_deref(),
        Some(internet)
    );
    assert_eq!(
        element(&e, "customer-database").boundary.as_deref(),
        Some(private)
    );
    assert_eq!(e.model.boundary(internet).unwrap().trust, Trust::Untrusted);
    assert_eq!(e.model.boundary(private).unwrap().trust, Trust::Trusted);
    // Both flows go both ways; the one to the database carries the credit card data (its
    // asset's confidentiality is 100).
    assert!(e.model.flows.iter().all(|f| f.bidirectional));
    let stored = flow(&e, "cc-store-in-db");
    assert_eq!(stored.data[0].name, "Credit Card Data");
    assert_eq!(stored.data[0].classification, Classification::Restricted);
    // The tag `postgres` names the store's technology.
    assert_eq!(
        element(&e, "customer-database").properties["technology"].as_str(),
        Some("postgresql")
    );
    // Threats and mitigations are kept.
    let kept = &e.extensions.as_ref().unwrap()["x-otm"];
    assert_eq!(kept["threats"].as_array().unwrap().len(), 1, "{file}");
    assert_eq!(kept["mitigations"].as_array().unwrap().len(), 2, "{file}");
}

#[test]
fn otm_example_json_and_yaml() {
    let Some(dir) = fixtures() else { return };
    otm_example(&dir, "otm/EXAMPLE.json");
    otm_example(&dir, "otm/EXAMPLE.yaml");
    // The two files are the same model.
    let json = import(&dir, "otm/EXAMPLE.json").engagement;
    let yaml = import(&dir, "otm/EXAMPLE.yaml").engagement;
    assert_eq!(json.model, yaml.model);
}

#[test]
fn otm_manual_model() {
    let Some(dir) = fixtures() else { return };
    let e = import(&dir, "otm/manual_threat_model.yaml").engagement;
    // components: user (generic-client), web-server (web-application-server-side), database
    // (postgresql); dataflows 2; trustZones 3.
    assert_eq!(counts(&e), [1, 1, 1, 2, 3]);
    assert_eq!(
        element(&e, "database").boundary.as_deref(),
        Some("2ab4effa-40b7-4cd2-ba81-8247d29a6f2d")
    );
    // The user (Internet) reaches the web server (Public): a flow that crosses by nesting.
    let graph = ComponentGraph::new(&e.model).unwrap();
    let f = graph.flow_ix("client-connection").unwrap();
    assert!(graph.crosses_any(f));
}

#[test]
fn otm_minimal_model() {
    let Some(dir) = fixtures() else { return };
    let e = import(&dir, "otm/minimal_content.yaml").engagement;
    // trustZones [], components [], dataflows [].
    assert_eq!(counts(&e), [0, 0, 0, 0, 0]);
    assert_eq!(e.id, "minimal-project");
}

#[test]
fn otm_cloudformation_model() {
    let Some(dir) = fixtures() else { return };
    let imported = import(&dir, "otm/cft_example.yaml");
    let e = &imported.engagement;
    // components 22: generic-client 2 (interactors), and 20 processes (vpc 1,
    // empty-component 12, elastic-container-service 2, docker-container 2, load-balancer 2,
    // CD-SYSTEMS-MANAGER 1); dataflows 22; trustZones 2.
    assert_eq!(counts(e), [2, 20, 0, 22, 2]);
    // Nesting through components: ServiceTaskDefinition c4ab8f7f is in Service d866c98b, in
    // PrivateSubnet1 22139da0, in CustomVPC 37e5e555, in the zone Public Cloud b61d6911.
    assert_eq!(
        element(e, "c4ab8f7f-4aed-4ca2-86fb-751dea985ad1")
            .boundary
            .as_deref(),
        Some("b61d6911-338d-46a8-9f39-8dcd24abfe91")
    );
    // "VPCssm -> VPCssmSecurityGroup" goes from the VPC endpoint (Public Cloud) to 0.0.0.0/0
    // (Internet): it crosses by nesting.
    let graph = ComponentGraph::new(&e.model).unwrap();
    assert!(
        graph.crosses_any(
            graph
                .flow_ix("f32de4b2-5169-46ff-a88f-b291c2dc887e")
                .unwrap()
        )
    );
    // Names repeat; ids do not: every component is there under its own id.
    assert_eq!(
        e.model
            .elements
            .iter()
            .filter(|x| x.name == "VPCssm")
            .count(),
        2
    );
    // The components of types the importer does not know are said to be read as processes.
    assert!(imported.warnings.iter().any(
        |w| w.code == DiagnosticCode::ImportGuessed && w.message.contains("`empty-component`")
    ));
}

/// Imports, generates, merges and plans: no reachable pair is left on no agenda.
#[test]
fn every_import_goes_through_generation_and_planning() {
    let Some(dir) = fixtures() else { return };
    let engine = Engine::builtin();
    for file in THREAT_DRAGON.iter().chain(OTM) {
        let mut e = import(&dir, file).engagement;
        let questions = engine.generate(e.check().expect("valid"));
        questions.merge_into(&mut e);
        let plan = plan_all(&mut e);
        assert!(
            plan.gaps.is_empty(),
            "{file}: pairs on no agenda: {:?}",
            plan.gaps
                .iter()
                .map(|g| format!("{} {}", g.subject, g.category))
                .collect::<Vec<_>>()
        );
        assert!(e.validate().is_valid(), "{file}");
        let coverage = Coverage::of(&e);
        let graph = ComponentGraph::new(&e.model).unwrap();
        for item in &coverage.gaps {
            let reachable = graph
                .element_ix(&item.subject)
                .map(|x| graph.is_reachable(x))
                .or_else(|| {
                    graph.flow_ix(&item.subject).map(|f| {
                        let (s, t) = graph.flow_endpoints(f).unwrap();
                        graph.is_reachable(s) || graph.is_reachable(t)
                    })
                })
                .unwrap_or(false);
            assert!(
                !reachable,
                "{file}: {} {} is reachable and not surfaced",
                item.subject, item.category
            );
        }
        if !e.model.is_empty() && !graph.interactors().is_empty() {
            assert!(coverage.totals.planned > 0, "{file}: nothing planned");
        }
    }
}

/// The official OTM schema, compiled by the `jsonschema` crate (draft 7, as it declares).
fn otm_validator(dir: &std::path::Path) -> jsonschema::Validator {
    let text = std::fs::read_to_string(dir.join("otm/otm_schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::new(&schema).expect("the OTM schema compiles")
}

#[test]
fn the_otm_export_of_every_file_is_accepted_by_the_official_schema() {
    let Some(dir) = fixtures() else { return };
    let validator = otm_validator(&dir);
    let engine = Engine::builtin();
    for file in THREAT_DRAGON.iter().chain(OTM) {
        let mut e = import(&dir, file).engagement;
        // Bare, then with questions and a plan (the attributes grow).
        for round in 0..2 {
            let otm = to_otm(&e);
            let errors: Vec<String> = validator
                .iter_errors(&otm)
                .map(|err| format!("{} at {}", err, err.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{file} (round {round}): {errors:#?}");
            if round == 0 {
                engine.generate(e.check().unwrap()).merge_into(&mut e);
                plan_all(&mut e);
            }
        }
    }
}

/// OTM → engagement → OTM keeps every trust zone, component and data flow: ids, names,
/// parents, ends and directions.
#[test]
fn otm_round_trips() {
    let Some(dir) = fixtures() else { return };
    for file in OTM {
        let text = std::fs::read(dir.join(file)).unwrap();
        let original = threat_interview::source::parse(
            &text,
            threat_interview::source::Format::from_path(std::path::Path::new(file)),
            &Limits::default(),
        );
        // EXAMPLE.yaml needs the lenient reading of its quoted text; compare with the JSON.
        let original = original.map_or_else(
            |_| {
                let json = std::fs::read(dir.join("otm/EXAMPLE.json")).unwrap();
                serde_json::from_slice(&json).unwrap()
            },
            |parsed| parsed.value,
        );
        let e = import(&dir, file).engagement;
        let exported = to_otm(&e);
        let again = threat_interview::import::import_bytes(
            serde_json::to_string(&exported).unwrap().as_bytes(),
            None,
            &Limits::default(),
        )
        .unwrap()
        .engagement;
        assert_eq!(
            again.model, e.model,
            "{file}: the model changed through OTM"
        );
        for (key, fields) in [
            ("trustZones", &["id", "name", "parent"][..]),
            ("components", &["id", "name", "type", "parent"][..]),
            ("dataflows", &["id", "name", "source", "destination"][..]),
        ] {
            let before = original[key].as_array().cloned().unwrap_or_default();
            let after = exported[key].as_array().cloned().unwrap_or_default();
            assert_eq!(before.len(), after.len(), "{file}: {key}");
            for (b, a) in before.iter().zip(&after) {
                for field in fields {
                    assert_eq!(b.get(*field), a.get(*field), "{file}: {key} {field}");
                }
            }
        }
        for (b, a) in original["dataflows"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(exported["dataflows"].as_array().unwrap())
        {
            let bidirectional = b["bidirectional"].as_bool().unwrap_or(false);
            assert_eq!(a["bidirectional"], bidirectional, "{file}");
        }
    }
}
