//! Loading and layering question banks.

use serde_json::{Value, json};
use threat_interview::bank::{BankError, BankSet, QuestionBank, Template};
use threat_interview::source::Limits;
use threat_interview::{Diagnostic, DiagnosticCode};

fn template(id: &str) -> Value {
    json!({
        "id": id, "category": "spoofing", "applies_to": ["process"],
        "text": "How does {element} authenticate {callers}?", "roles": ["architect"],
        "priority": 3, "minutes": 2, "rationale": "Because."
    })
}

fn bank(id: &str, templates: &[Value]) -> Value {
    json!({"schema_version": 1, "id": id, "name": id, "templates": templates})
}

fn load(value: &Value) -> Result<QuestionBank, BankError> {
    QuestionBank::from_json_str(&value.to_string())
}

fn first_problem(value: &Value) -> (String, DiagnosticCode) {
    let d = first_diagnostic(value);
    (d.pointer, d.code)
}

fn first_diagnostic(value: &Value) -> Diagnostic {
    let error = load(value).expect_err("the bank is invalid");
    error
        .report()
        .errors
        .first()
        .expect("a located problem")
        .clone()
}

#[test]
fn an_unknown_operator_is_rejected_with_the_pointer_of_its_node() {
    let mut t = template("t");
    t["when"] =
        json!({"all": [{"reachable": true}, {"any": [{"kind": "process"}, {"is_cloud": true}]}]});
    let b = bank("user", &[template("ok"), t]);
    let (pointer, code) = first_problem(&b);
    assert_eq!(pointer, "/templates/1/when/all/1/any/1");
    assert_eq!(code, DiagnosticCode::UnknownOperator);
    let message = load(&b).unwrap_err().to_string();
    assert_eq!(
        message,
        "not a valid question bank: unknown operator `is_cloud` (at /templates/1/when/all/1/any/1, line 1, column 481)"
    );
    let mut near = template("t");
    near["when"] = json!({"reachble": true});
    assert_eq!(
        first_diagnostic(&bank("b", &[near])).message,
        "unknown operator `reachble`; did you mean `reachable`?"
    );
}

#[test]
fn bad_operands_are_located() {
    let cases = [
        (json!({"kind": "router"}), "/templates/0/when/kind"),
        (
            json!({"crosses_into_trust": "yes"}),
            "/templates/0/when/crosses_into_trust",
        ),
        (
            json!({"not": {"encrypted": "maybe"}}),
            "/templates/0/when/not/encrypted",
        ),
        (
            json!({"kind": ["process", "nope"]}),
            "/templates/0/when/kind/1",
        ),
        (json!({"all": [{}]}), "/templates/0/when/all/0"),
        (
            json!({"reachable": true, "trusted": true}),
            "/templates/0/when",
        ),
        (
            json!({"property_in": {"name": "x"}}),
            "/templates/0/when/property_in",
        ),
        (
            json!({"source": {"carries": "secret"}}),
            "/templates/0/when/source/carries",
        ),
        (json!({"says": []}), "/templates/0/when/says"),
        (json!({"says": ["ok", " - "]}), "/templates/0/when/says/1"),
        (json!({"says": "trusts"}), "/templates/0/when/says"),
    ];
    for (when, expected) in cases {
        let mut t = template("t");
        t["when"] = when.clone();
        let (pointer, _) = first_problem(&bank("b", &[t]));
        assert_eq!(pointer, expected, "{when}");
    }
}

#[test]
fn a_statement_needs_a_says_test_that_speaks_of_the_subject() {
    let quoting = |when: Option<Value>| {
        let mut t = template("t");
        t["text"] = json!("The model says of {element}: “{statement}.” Why?");
        if let Some(when) = when {
            t["when"] = when;
        }
        bank("b", &[t])
    };
    for when in [
        None,
        Some(json!({"not": {"says": ["trusts"]}})),
        Some(json!({"caller": {"says": ["trusts"]}})),
    ] {
        let d = first_diagnostic(&quoting(when.clone()));
        assert_eq!(
            (d.pointer.as_str(), d.code),
            ("/templates/0/text", DiagnosticCode::PlaceholderNotForKind),
            "{when:?}"
        );
        assert!(d.message.contains("`says`"), "{}", d.message);
    }
    for when in [
        json!({"says": ["trusts"]}),
        json!({"all": [{"kind": "process"}, {"any": [{"says": ["trusts"]}, {"reachable": true}]}]}),
    ] {
        assert!(load(&quoting(Some(when.clone()))).is_ok(), "{when}");
    }
    // A grouped text cannot quote one subject's description.
    let mut t = template("t");
    t["when"] = json!({"says": ["trusts"]});
    t["group"] = json!({"text": "Do {elements} trust: “{statement}”?"});
    let d = first_diagnostic(&bank("b", &[t]));
    assert_eq!(d.pointer, "/templates/0/group/text");
}

#[test]
fn matching_lists_evidence_at_engagement_level_only_and_needs_a_condition() {
    let engagement = |when: Option<Value>| {
        let mut t = json!({
            "id": "e", "applies_to": ["engagement"], "roles": ["architect"],
            "text": "The model shows {matching} without logs: who would notice?",
            "priority": 3, "minutes": 2, "rationale": "Because."
        });
        if let Some(when) = when {
            t["when"] = when;
        }
        bank("b", &[t])
    };
    assert!(load(&engagement(Some(json!({"kind": "process"})))).is_ok());
    let d = first_diagnostic(&engagement(None));
    assert_eq!(
        (d.pointer.as_str(), d.code),
        ("/templates/0/text", DiagnosticCode::PlaceholderNotForKind)
    );
    assert!(d.message.contains("`when`"), "{}", d.message);
    let mut t = template("t");
    t["text"] = json!("Is {matching} logged?");
    let d = first_diagnostic(&bank("b", &[t]));
    assert_eq!(
        (d.pointer.as_str(), d.code),
        ("/templates/0/text", DiagnosticCode::PlaceholderNotForKind)
    );
}

#[test]
fn template_problems_are_located() {
    let mut unknown_placeholder = template("t");
    unknown_placeholder["text"] = json!("What about {nothing}?");
    assert_eq!(
        first_problem(&bank("b", &[unknown_placeholder])),
        (
            "/templates/0/text".to_owned(),
            DiagnosticCode::UnknownPlaceholder
        )
    );
    let mut lone_brace = template("t");
    lone_brace["text"] = json!("Is {element} } closed?");
    assert_eq!(
        first_problem(&bank("b", &[lone_brace])),
        (
            "/templates/0/text".to_owned(),
            DiagnosticCode::UnmatchedBrace
        )
    );
    let mut flow_placeholder = template("t");
    flow_placeholder["text"] = json!("Who calls {source}?");
    assert_eq!(
        first_problem(&bank("b", &[flow_placeholder])).0,
        "/templates/0/text"
    );
    let mut wrong_category = template("t");
    wrong_category["applies_to"] = json!(["process", "external_interactor"]);
    wrong_category["category"] = json!("tampering");
    assert_eq!(
        first_problem(&bank("b", &[wrong_category])).0,
        "/templates/0/applies_to/1"
    );
    let mut unknown_field = template("t");
    unknown_field["colour"] = json!("red");
    let (pointer, code) = first_problem(&bank("b", &[template("a"), unknown_field]));
    assert_eq!(pointer, "/templates/1/colour");
    assert_eq!(code, DiagnosticCode::UnknownField);
    let mut priority = template("t");
    priority["priority"] = json!(9);
    assert_eq!(
        first_problem(&bank("b", &[priority])).0,
        "/templates/0/priority"
    );
    assert_eq!(
        first_problem(&bank("b", &[template("a"), template("a")])).0,
        "/templates/1/id"
    );
    let mut engagement = template("t");
    engagement["applies_to"] = json!(["engagement"]);
    engagement.as_object_mut().unwrap().remove("category");
    engagement["text"] = json!("What is {engagement} worth?");
    assert!(load(&bank("b", &[engagement.clone()])).is_ok());
    // An engagement-level question has no subject for the model to answer, well or badly.
    for field in ["answered_when", "weakness_when"] {
        let mut answered = engagement.clone();
        answered[field] = json!({"says": ["no network polic"]});
        assert_eq!(
            first_problem(&bank("b", &[answered])),
            (
                format!("/templates/0/{field}"),
                DiagnosticCode::EngagementTemplateField
            )
        );
    }
    // A broken `weakness_when` is located like a broken `when`.
    let mut broken = template("t");
    broken["weakness_when"] = json!({"sayz": ["no network polic"]});
    assert_eq!(
        first_problem(&bank("b", &[broken])).0,
        "/templates/0/weakness_when"
    );
}

#[test]
fn yaml_banks_load_like_json_ones() {
    let yaml = r"
schema_version: 1
id: acme
name: ACME
templates:
  - id: acme.flow.tampering.signing
    category: tampering
    applies_to: [data_flow]
    when: {all: [{crosses: any}, {encrypted: 'no'}]}
    text: Is {element} from {source} to {target} signed?
    roles: [architect]
    priority: 4
    minutes: 3
    rationale: Unencrypted flows across boundaries can be altered.
";
    let bank = QuestionBank::from_yaml_str(yaml).unwrap();
    assert_eq!(bank.templates[0].id, "acme.flow.tampering.signing");
    let json = serde_json::to_value(&bank).unwrap();
    let again = QuestionBank::from_value(&json).unwrap();
    assert_eq!(
        again, bank,
        "a bank round-trips through its serialized form"
    );
}

#[test]
fn banks_layer_add_override_and_disable() {
    let base = load(&bank("base", &[template("a"), template("b")])).unwrap();
    let mut over = template("a");
    over["override"] = json!(true);
    over["text"] = json!("Overridden {element}");
    let mut user = bank("user", &[over, template("c")]);
    user["disable"] = json!(["b"]);
    let user = load(&user).unwrap();
    let mut set = BankSet::new();
    set.push(base).unwrap();
    set.push(user).unwrap();
    let in_use: Vec<(&str, &str)> = set
        .templates()
        .map(|t| (t.template.id.as_str(), t.bank.as_str()))
        .collect();
    assert_eq!(in_use, [("a", "user"), ("c", "user")]);
    assert_eq!(set.get("a").unwrap().template.text, "Overridden {element}");
    assert!(set.get("b").unwrap().disabled);
}

#[test]
fn layering_conflicts_are_reported_not_resolved() {
    let base = load(&bank("base", &[template("a")])).unwrap();
    let mut override_unknown = template("z");
    override_unknown["override"] = json!(true);
    let mut user = bank("user", &[template("a"), override_unknown]);
    user["disable"] = json!(["nope"]);
    let user = load(&user).unwrap();
    let mut set = BankSet::new();
    set.push(base).unwrap();
    let before = set.clone();
    let error = set.push(user).unwrap_err();
    let found: Vec<(&str, &str, Option<u32>)> = error
        .report
        .errors
        .iter()
        .map(|d| (d.pointer.as_str(), d.code.as_str(), d.line))
        .collect();
    assert_eq!(
        found,
        [
            ("/templates/0/id", "template-redefined", Some(1)),
            ("/templates/1/override", "override-unknown", Some(1)),
            ("/disable/0", "disable-unknown", Some(1)),
        ]
    );
    assert_eq!(set, before, "a conflicting bank changes nothing");
    assert!(
        error.to_string().starts_with(
            "bank `user` conflicts with the banks before it: template `a` is already defined by bank `base`"
        ),
        "{error}"
    );
}

#[test]
fn disabling_every_unconditional_template_of_a_pair_is_visible() {
    let builtin = QuestionBank::builtin();
    let ids: Vec<String> = builtin
        .templates
        .iter()
        .filter(|t: &&Template| {
            t.category == Some(threat_interview::Stride::Repudiation)
                && t.applies_to_kind(threat_interview::SubjectKind::ExternalInteractor)
                && t.is_unconditional()
        })
        .map(|t| t.id.clone())
        .collect();
    assert!(!ids.is_empty());
    let mut user = bank("user", &[]);
    user["disable"] = json!(ids);
    let set = BankSet::with_user_banks([load(&user).unwrap()]).unwrap();
    assert_eq!(
        set.unconditional_gaps(),
        [(
            threat_interview::SubjectKind::ExternalInteractor,
            threat_interview::Stride::Repudiation
        )]
    );
}

#[test]
fn syntax_and_read_errors_have_the_engagement_file_codes() {
    let report = QuestionBank::from_json_str("{").unwrap_err().report();
    assert_eq!(report.errors[0].code, DiagnosticCode::Syntax);
    assert_eq!(report.errors[0].line, Some(1));
    assert!(matches!(
        QuestionBank::from_path("/nonexistent/bank.json"),
        Err(BankError::Read(_))
    ));
    let (pointer, code) = first_problem(&json!({"schema_version": 2, "id": "x", "name": "x"}));
    assert_eq!(
        (pointer.as_str(), code),
        ("/schema_version", DiagnosticCode::UnsupportedVersion)
    );
}

#[test]
fn a_type_error_has_the_pointer_of_its_field_and_a_line_and_column() {
    let text = "{\"schema_version\": 1, \"id\": \"b\", \"name\": \"b\", \"templates\": [\n  {\"id\": \"t\", \"category\": \"spoofing\", \"applies_to\": [\"process\"],\n   \"text\": \"?\", \"roles\": [\"architect\"], \"priority\": \"high\", \"minutes\": 2, \"rationale\": \"r\"}]}";
    let report = QuestionBank::from_json_str(text).unwrap_err().report();
    let d = &report.errors[0];
    assert_eq!(
        (d.code, d.pointer.as_str(), d.line, d.column),
        (
            DiagnosticCode::WrongType,
            "/templates/0/priority",
            Some(3),
            Some(41)
        )
    );
    let yaml = "schema_version: 1\nid: b\nname: b\ntemplates:\n  - id: t\n    category: spoofing\n    applies_to: [process]\n    text: '?'\n    roles: [architect]\n    priority: high\n    minutes: 2\n    rationale: r\n";
    let report = QuestionBank::from_yaml_str(yaml).unwrap_err().report();
    let d = &report.errors[0];
    assert_eq!(
        (d.code, d.pointer.as_str(), d.line, d.column),
        (
            DiagnosticCode::WrongType,
            "/templates/0/priority",
            Some(10),
            Some(5)
        )
    );
}

#[test]
fn banks_get_the_limits_of_engagement_files() {
    let mut huge = template("t");
    let leaves: Vec<Value> = (0..70_000).map(|_| json!({"reachable": true})).collect();
    huge["when"] = json!({"all": leaves});
    assert_eq!(
        first_problem(&bank("b", &[huge])),
        (
            "/templates/0/when".to_owned(),
            DiagnosticCode::ConditionTooLarge
        )
    );
    let text = bank("b", &[template("t")]).to_string();
    let small = Limits::default().with_max_bytes(10);
    let error = QuestionBank::from_slice(
        text.as_bytes(),
        threat_interview::source::Format::Json,
        &small,
    )
    .unwrap_err();
    assert_eq!(error.report().errors[0].code, DiagnosticCode::TooLarge);
    #[cfg(unix)]
    {
        let error = QuestionBank::from_path("/dev/zero").unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
    }
    let invalid_utf8 = b"{\"id\": \"\xFF\"}";
    let error = QuestionBank::from_slice(
        invalid_utf8,
        threat_interview::source::Format::Json,
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(error.report().errors[0].code, DiagnosticCode::Encoding);
    let bom_yaml = "\u{feff}schema_version: 1\nid: b\nname: b\n";
    assert!(QuestionBank::from_yaml_str(bom_yaml).is_ok());
}

#[test]
fn the_builtin_bank_validates_against_the_published_schema() {
    let schema = threat_interview::bank::bank_schema();
    let validator = jsonschema::validator_for(&schema).expect("the bank schema compiles");
    let builtin: Value = serde_json::from_str(QuestionBank::builtin_json()).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&builtin)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut bad = bank("b", &[template("t")]);
    bad["templates"][0]["when"] = json!({"is_cloud": true});
    assert!(!validator.is_valid(&bad));
}
