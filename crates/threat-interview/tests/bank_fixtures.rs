//! The built-in bank on the example engagements and on the fixture models of `tests/models/`,
//! each of which isolates one situation: what must be asked, and what must not.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;
use threat_interview::bank::{BankSet, QuestionBank};
use threat_interview::coverage::Coverage;
use threat_interview::engine::{Engine, Questions};
use threat_interview::model::FlowEnd;
use threat_interview::model::PropertyValue;
use threat_interview::model::vocabulary::VOCABULARY;
use threat_interview::{ElementKind, Engagement};

mod common;

use common::{
    Asked, about, answered_from_model, answered_when_flow_says, asked, asked_with,
    assert_engagement_level, assert_fires, assert_never_asked, assert_not_fires,
    assert_text_starts_with, boundary_of_mut, element_mut, fires, flow_mut, load, set_auth_methods,
    set_property, text_of,
};

fn model(name: &str) -> Engagement {
    load(&format!("tests/models/{name}.json"))
}

fn generate(engagement: &Engagement) -> Questions {
    Engine::builtin().generate(engagement.check().expect("a valid engagement"))
}

const EXAMPLES: [&str; 16] = [
    "examples/engagements/online-shop.json",
    "examples/engagements/hr-saas.json",
    "examples/engagements/iiot-plant.json",
    "examples/engagements/fleet-tracking.json",
    "examples/engagements/telehealth.json",
    "examples/engagements/llm-assistant.json",
    "examples/engagements/exam-platform.json",
    "examples/engagements/esignature.json",
    "examples/engagements/retail-bank.json",
    "examples/engagements/city-portal.json",
    "examples/engagements/ticketing.json",
    "examples/engagements/claims.json",
    "examples/engagements/hotel-keys.json",
    "examples/engagements/food-delivery.json",
    "examples/engagements/warehouse.json",
    "examples/engagements/scooters.json",
];

const MODELS: [&str; 15] = [
    "admin-interactor",
    "bidirectional",
    "delivery-pipeline",
    "device-fleet",
    "flow-protection",
    "human-vs-system-interactors",
    "in-memory-cache",
    "log-store",
    "nested-zone-bypass",
    "no-identity-provider",
    "offline-devices",
    "outside-store-access",
    "queue-consumer",
    "stated-facts",
    "unread-store",
];

fn every_engagement() -> Vec<(String, Engagement)> {
    EXAMPLES
        .iter()
        .map(|p| ((*p).to_owned(), load(p)))
        .chain(MODELS.iter().map(|m| ((*m).to_owned(), model(m))))
        .collect()
}

const TOPICS: [&str; 7] = [
    "interactor.context.data",
    "interactor.context.transit",
    "interactor.spoofing.authentication",
    "interactor.spoofing.credential-change",
    "interactor.repudiation.failed-authentication",
    "interactor.context.denial-of-service",
    "interactor.context.authorization",
];

/// Whether a template is a member of a topic's family: the topic itself or one of its
/// variants.
fn in_topic(template: &str, topic: &str) -> bool {
    template == topic
        || template
            .strip_prefix(topic)
            .is_some_and(|rest| rest.starts_with('.'))
}

#[test]
fn every_in_scope_interactor_gets_each_of_the_seven_topics_exactly_once() {
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        let interactors: Vec<_> = engagement
            .model
            .elements
            .iter()
            .filter(|e| e.kind == ElementKind::ExternalInteractor)
            .collect();
        for interactor in interactors {
            for topic in TOPICS {
                let count = questions
                    .iter()
                    .filter(|q| in_topic(&q.template, topic) && q.subjects.contains(&interactor.id))
                    .count();
                let expected = usize::from(!interactor.out_of_scope);
                assert_eq!(
                    count, expected,
                    "{name}: `{topic}` asked {count} times about `{}`",
                    interactor.id
                );
            }
        }
    }
}

#[test]
fn the_seven_topics_cover_the_interactors_own_pairs_and_their_flows() {
    let bank = QuestionBank::builtin();
    for topic in TOPICS {
        let members: Vec<_> = bank
            .templates
            .iter()
            .filter(|t| in_topic(&t.id, topic))
            .collect();
        assert!(
            members.len() >= 4,
            "`{topic}` has person and system variants"
        );
        // One member has no condition: the neutral fallback the others supersede.
        let base: Vec<_> = members.iter().filter(|t| t.when.is_none()).collect();
        assert_eq!(base.len(), 1, "`{topic}`");
        assert_eq!(base[0].id, topic);
        for member in &members {
            assert_eq!(member.category, base[0].category, "{}", member.id);
            // A member may settle more (a system no server talks to: one question for all
            // seven topics), never less.
            for cover in &base[0].covers {
                assert!(member.covers.contains(cover), "{}", member.id);
            }
            if member.id != topic {
                assert!(
                    member.supersedes.iter().any(|s| s == topic),
                    "{}",
                    member.id
                );
            }
        }
    }
    let covers = |id: &str| {
        let t = bank.templates.iter().find(|t| t.id == id).unwrap();
        serde_json::to_value(&t.covers).unwrap()
    };
    assert_eq!(
        covers("interactor.context.transit"),
        serde_json::json!([{"relation": "flows", "categories": ["tampering", "information_disclosure"]}])
    );
    assert_eq!(
        covers("interactor.context.denial-of-service"),
        serde_json::json!([{"relation": "flows", "categories": ["denial_of_service"]}])
    );
    assert_eq!(
        covers("interactor.context.authorization"),
        serde_json::json!([{"relation": "callees", "categories": ["elevation_of_privilege"]}])
    );
}

#[test]
fn people_and_systems_are_phrased_as_what_they_are() {
    let questions = asked(&model("human-vs-system-interactors"));
    let variant = |subject: &str, topic: &str| -> String {
        let found: Vec<_> = questions
            .iter()
            .filter(|q| in_topic(&q.template, topic) && q.subjects.iter().any(|s| s == subject))
            .collect();
        assert_eq!(found.len(), 1, "{topic} about {subject}");
        found[0].template.clone()
    };
    for topic in TOPICS {
        let person = variant("person-user", topic);
        let system = variant("system-client", topic);
        let unclassified = variant("unclassified-client", topic);
        assert!(
            person.starts_with(&format!("{topic}.person")),
            "{topic}: {person}"
        );
        assert_eq!(system, format!("{topic}.caller"));
        assert_eq!(
            unclassified, topic,
            "no `human` property: the neutral member"
        );
    }
    let auth = "interactor.spoofing.authentication";
    let person = text_of(
        &questions,
        &format!("{auth}.person-password-mfa"),
        "person-user",
    );
    let system = text_of(&questions, &format!("{auth}.caller"), "system-client");
    let neutral = text_of(&questions, auth, "unclassified-client");
    assert!(person.starts_with("Person user can sign in"), "{person}");
    assert!(system.contains("System client prove who it is"), "{system}");
    assert_ne!(person, system);
    assert!(
        neutral.starts_with("How is Unclassified client authenticated"),
        "{neutral}"
    );
    let neutral_texts = questions
        .iter()
        .filter(|q| q.subjects.iter().any(|s| s == "unclassified-client"))
        .map(|q| &q.text);
    for text in neutral_texts {
        assert!(!text.contains(" it "), "neutral text says `it`: {text}");
        assert!(
            !text.contains("sign in"),
            "neutral text assumes a person: {text}"
        );
    }
}

#[test]
fn people_are_never_treated_as_servers() {
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        let people: HashSet<&str> = engagement
            .model
            .elements
            .iter()
            .filter(|e| e.properties.get("human") == Some(&PropertyValue::Bool(true)))
            .map(|e| e.id.as_str())
            .collect();
        for q in questions
            .iter()
            .filter(|q| q.template.starts_with("interactor."))
        {
            if !q.subjects.iter().any(|s| people.contains(s.as_str())) {
                continue;
            }
            for server_word in [
                "certificate",
                "is slow or unavailable",
                "prove who it is",
                "when it calls",
                "its calls",
                "calls it",
            ] {
                assert!(
                    !q.text.contains(server_word),
                    "{name}: a person treated as a server ({server_word}): {}",
                    q.text
                );
            }
        }
    }
}

#[test]
fn a_system_both_calling_and_called_is_a_partner_and_a_caller_of_ours_is_no_dependency() {
    let questions = asked(&model("bidirectional"));
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.partner",
        "partner-api",
    );
    assert_fires(
        &questions,
        "interactor.context.denial-of-service.partner",
        "partner-api",
    );
    // The customer opens its connection: never a system the service depends on.
    for q in questions
        .iter()
        .filter(|q| q.subjects.iter().any(|s| s == "customer"))
    {
        assert!(
            !q.template.ends_with(".callee") && !q.template.ends_with(".partner"),
            "{}",
            q.template
        );
    }
    // The service calls the partner: it checks the partner's answers; the customer's call and
    // the partner's webhook are requests into the service.
    assert_fires(&questions, "flow.tampering.responses", "f-partner-call");
    assert_not_fires(&questions, "flow.tampering.responses", "f-customer-call");
    assert_fires(
        &questions,
        "flow.tampering.forged-requests",
        "f-customer-call",
    );
    assert_fires(&questions, "flow.tampering.replay", "f-partner-webhook");
    assert_not_fires(&questions, "flow.tampering.replay", "f-partner-call");
    let replay = text_of(&questions, "flow.tampering.replay", "f-partner-webhook");
    assert!(replay.contains("from Partner API"), "{replay}");
    assert!(replay.contains("Integration service"), "{replay}");
}

// ---------------------------------------------------------------------------------------------
// Administrators, identity providers, audit logs.

#[test]
fn an_administrator_gets_break_glass_and_admin_trail_questions_and_a_user_does_not() {
    let questions = asked(&model("admin-interactor"));
    for template in [
        "interactor.spoofing.break-glass",
        "interactor.repudiation.admin-trail",
        "interactor.context.authorization.person-admin",
        "interactor.context.data.person-admin",
    ] {
        assert_fires(&questions, template, "administrator");
        assert_not_fires(&questions, template, "user");
    }
    assert_fires(
        &questions,
        "interactor.context.authorization.person",
        "user",
    );
    assert_not_fires(
        &questions,
        "interactor.context.authorization.person",
        "administrator",
    );
    assert_fires(
        &questions,
        "process.elevation_of_privilege.admin-interface",
        "admin-console",
    );
    assert_not_fires(
        &questions,
        "process.elevation_of_privilege.admin-interface",
        "web-app",
    );
    // The administrator works from the corporate zone, the user from the internet.
    assert_fires(
        &questions,
        "interactor.context.transit.person-internal",
        "administrator",
    );
    assert_fires(&questions, "interactor.context.transit.person", "user");
}

#[test]
fn a_person_who_skips_the_identity_provider_is_asked_how_they_authenticate_instead() {
    const OWN: &str = "interactor.spoofing.authentication.person-own-sign-in";
    const OWN_STATED: &str = "interactor.spoofing.authentication.person-own-sign-in-stated";
    let questions = asked(&model("no-identity-provider"));
    // The model says how the supplier signs in (a password): not asked what authenticates
    // them instead (rounds 70, both reviewers), but whether that path is as well kept.
    assert_fires(&questions, OWN_STATED, "supplier");
    assert_not_fires(&questions, OWN, "supplier");
    for other in ["staff", "customer"] {
        assert_not_fires(&questions, OWN, other);
        assert_not_fires(&questions, OWN_STATED, other);
        assert_fires(
            &questions,
            "interactor.spoofing.authentication.person-federated",
            other,
        );
    }
    let text = text_of(&questions, OWN_STATED, "supplier");
    assert!(
        text.starts_with("Supplier signs in with a password at ")
            && text.contains("not through Identity provider"),
        "{text}"
    );
    let mut unsaid = model("no-identity-provider");
    element_mut(&mut unsaid, "supplier")
        .properties
        .remove("auth_methods");
    let unsaid = asked(&unsaid);
    assert_fires(&unsaid, OWN, "supplier");
    assert_not_fires(&unsaid, OWN_STATED, "supplier");
    let text = text_of(&unsaid, OWN, "supplier");
    assert!(
        text.contains("Supplier") && text.contains("Identity provider"),
        "{text}"
    );
    // People sign in with OpenID Connect here, so the `oauth-oidc` pack applies: its token
    // lifecycle question refines the built-in token audience one on the identity provider.
    for template in [
        "oauth-oidc.process.spoofing.token-lifecycle",
        "process.spoofing.signing-keys",
    ] {
        assert_fires(&questions, template, "identity-provider");
        assert_not_fires(&questions, template, "web-app");
    }
    assert_not_fires(
        &questions,
        "process.spoofing.token-audience",
        "identity-provider",
    );
    // The built-in bank alone asks its own member.
    let bank_only = asked_with(&model("no-identity-provider"), BankSet::builtin_bank_only());
    for template in [
        "process.spoofing.token-audience",
        "process.spoofing.signing-keys",
    ] {
        assert_fires(&bank_only, template, "identity-provider");
        assert_not_fires(&bank_only, template, "web-app");
    }
}

#[test]
fn a_process_handling_restricted_data_without_an_audit_trail_is_named_and_the_log_is_guarded() {
    let questions = asked(&model("log-store"));
    let unaudited = "process.repudiation.unaudited";
    assert_fires(&questions, unaudited, "payout-service");
    for other in ["signin-service", "account-service"] {
        assert_not_fires(&questions, unaudited, other);
    }
    let text = text_of(&questions, unaudited, "payout-service");
    assert!(
        text.contains("Audit log store") && text.contains("bank details"),
        "{text}"
    );
    for template in [
        "store.tampering.append-only",
        "store.repudiation.forged-entries",
        "store.denial_of_service.audit-unavailable",
    ] {
        assert_fires(&questions, template, "audit-log");
    }
    assert_fires(&questions, "flow.tampering.audit-events", "f-signin-audit");
    assert_fires(&questions, "flow.tampering.audit-events", "f-account-audit");
    assert_not_fires(
        &questions,
        "flow.tampering.audit-events",
        "f-account-to-payout",
    );
    // The audit log's own concerns replace the generic ones.
    assert_not_fires(&questions, "store.tampering.write-access", "audit-log");
    assert_not_fires(&questions, "store.repudiation.direct-changes", "audit-log");
}

// ---------------------------------------------------------------------------------------------
// Flows: what the model says about protection decides the question.

#[test]
fn a_flows_question_follows_what_the_model_says_about_its_protection() {
    let questions = asked(&model("flow-protection"));
    let cases = [
        ("flow.information_disclosure.cleartext", "f-cleartext"),
        ("flow.information_disclosure.unknown", "f-unknown"),
        ("flow.information_disclosure.credentials", "f-protected"),
        ("flow.tampering.unauthenticated", "f-cleartext"),
        ("flow.tampering.client-separation", "f-protected"),
        ("flow.tampering.integrity", "f-unknown"),
    ];
    for (template, subject) in cases {
        for flow in ["f-protected", "f-cleartext", "f-unknown"] {
            if flow == subject {
                assert_fires(&questions, template, flow);
            } else {
                assert_not_fires(&questions, template, flow);
            }
        }
    }
    let cleartext = text_of(
        &questions,
        "flow.information_disclosure.cleartext",
        "f-cleartext",
    );
    assert!(cleartext.contains("is not encrypted"), "{cleartext}");
    let unknown = text_of(
        &questions,
        "flow.information_disclosure.unknown",
        "f-unknown",
    );
    assert!(unknown.contains("does not say whether"), "{unknown}");
    // Nothing asked about the encrypted flow says it might not be, nor asks where the
    // encryption of the others ends.
    for q in &questions {
        if q.subjects.iter().any(|s| s == "f-protected") {
            assert!(!q.text.contains("not encrypted"), "{}", q.text);
            assert!(!q.text.contains("does not say"), "{}", q.text);
        }
        if q.subjects
            .iter()
            .any(|s| s == "f-cleartext" || s == "f-unknown")
        {
            assert!(!q.text.contains("encryption terminated"), "{}", q.text);
        }
    }
}

#[test]
fn a_flow_that_bypasses_the_gateway_is_asked_about_naming_the_zone_and_the_gateway() {
    let questions = asked(&model("nested-zone-bypass"));
    let bypass = "flow.tampering.gateway-bypass";
    assert_fires(&questions, bypass, "f-direct-upload");
    for other in [
        "f-customer-gateway",
        "f-partner-gateway",
        "f-gateway-orders",
        "f-gateway-accounts",
    ] {
        assert_not_fires(&questions, bypass, other);
    }
    let text = text_of(&questions, bypass, "f-direct-upload");
    for name in [
        "Cloud zone",
        "API gateway",
        "Upload service",
        "upload files directly",
    ] {
        assert!(text.contains(name), "{name}: {text}");
    }
}

#[test]
fn a_flow_its_description_says_passes_the_gateway_is_not_a_bypass() {
    let questions = asked(&model("nested-zone-bypass"));
    let bypass = "flow.tampering.gateway-bypass";
    // Drawn straight to the service, said to go through the gateway: not a way around it.
    assert_not_fires(&questions, bypass, "f-partner-orders-drawn-direct");
    // "Not through the gateway" still is.
    assert_fires(&questions, bypass, "f-direct-upload");
}

#[test]
fn a_store_reached_from_outside_its_zone_is_asked_about_on_that_flow_only() {
    let questions = asked(&model("outside-store-access"));
    let outside = "flow.information_disclosure.outside-store-access";
    assert_fires(&questions, outside, "f-report-db");
    for other in ["f-app-db", "f-billing-db", "f-user-app"] {
        assert_not_fires(&questions, outside, other);
    }
    let text = text_of(&questions, outside, "f-report-db");
    for name in ["Reporting job", "Customer database", "Data zone"] {
        assert!(text.contains(name), "{name}: {text}");
    }
    // Where the model says what the account can do, only the path is asked about.
    let mut engagement = model("outside-store-access");
    let flow = flow_mut(&mut engagement, "f-report-db");
    flow.description = Some(
        "The reporting job connects straight to the database; its database user can read every \
         table."
            .into(),
    );
    let questions = asked(&engagement);
    let stated = "flow.information_disclosure.outside-store-access.account-stated";
    assert_fires(&questions, stated, "f-report-db");
    assert_not_fires(&questions, outside, "f-report-db");
    assert!(!text_of(&questions, stated, "f-report-db").contains("account"));
}

#[test]
fn stores_written_and_never_read_or_read_and_never_written_are_named() {
    let questions = asked(&model("unread-store"));
    assert_fires(&questions, "store.information_disclosure.unread", "archive");
    assert_fires(&questions, "store.tampering.unwritten", "reference-data");
    for (template, others) in [
        (
            "store.information_disclosure.unread",
            ["reference-data", "app-db"],
        ),
        ("store.tampering.unwritten", ["archive", "app-db"]),
    ] {
        for other in others {
            assert_not_fires(&questions, template, other);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Who calls whom: a worker that pulls from a queue is not an entry point.

#[test]
fn a_queue_worker_gets_no_caller_or_input_trust_question_and_the_queue_its_own() {
    let questions = asked(&model("queue-consumer"));
    for template in [
        "process.tampering.untrusted-input",
        "process.elevation_of_privilege.upstream-claims",
        "process.information_disclosure.over-sharing",
        "process.information_disclosure.error-details",
        "process.spoofing.sessions",
        "process.denial_of_service.expensive-requests",
    ] {
        assert_not_fires(&questions, template, "worker");
    }
    assert_fires(&questions, "process.tampering.consumed-data", "worker");
    assert_fires(&questions, "process.tampering.untrusted-input", "producer");
    assert_not_fires(&questions, "process.tampering.consumed-data", "producer");
    assert_fires(&questions, "store.denial_of_service.backlog", "work-queue");
    assert_fires(&questions, "store.tampering.forged-messages", "work-queue");
    assert_not_fires(
        &questions,
        "store.denial_of_service.no-backup",
        "work-queue",
    );
    // Both flows through the queue are asked about once, together.
    let queued = about(&questions, "flow.tampering.queued-messages", "f-enqueue");
    assert_eq!(queued.len(), 1);
    assert!(queued[0].subjects.contains(&"f-consume".to_owned()));
    // A worker that reads a queue is not reached from outside through it.
    let consumed = text_of(&questions, "process.tampering.consumed-data", "worker");
    assert!(consumed.starts_with("Nothing outside the trusted zones calls Queue worker"));
    for q in questions
        .iter()
        .filter(|q| q.subjects.contains(&"worker".to_owned()))
    {
        assert!(
            !q.text.contains("Requests that start outside"),
            "{}",
            q.text
        );
    }
}

#[test]
fn an_in_memory_cache_gets_cache_questions_and_no_backup_or_ransomware_question() {
    let questions = asked(&model("in-memory-cache"));
    for template in [
        "store.denial_of_service.no-backup",
        "store.denial_of_service.backups",
        "store.information_disclosure.at-rest-unknown",
        "store.denial_of_service.unbounded-growth",
    ] {
        assert_not_fires(&questions, template, "session-cache");
    }
    assert_fires(
        &questions,
        "store.denial_of_service.volatile",
        "session-cache",
    );
    assert_fires(
        &questions,
        "store.tampering.cache-poisoning",
        "session-cache",
    );
    assert_fires(&questions, "store.denial_of_service.backups", "app-db");
    assert_not_fires(&questions, "store.denial_of_service.volatile", "app-db");
    assert_not_fires(&questions, "store.tampering.cache-poisoning", "app-db");
    for q in questions
        .iter()
        .filter(|q| q.subjects.contains(&"session-cache".to_owned()))
    {
        let text = q.text.to_lowercase();
        assert!(
            !text.contains("ransomware") && !text.contains("backup"),
            "{}",
            q.text
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The bank as a whole.

/// Whether a condition requires a subject to carry payment-like data or to handle payments
/// (every way it can hold does).
fn requires_domain(condition: &Value, words: &[&str]) -> bool {
    let Some((op, operand)) = condition.as_object().and_then(|o| o.iter().next()) else {
        return false;
    };
    match op.as_str() {
        "all" => operand
            .as_array()
            .is_some_and(|items| items.iter().any(|c| requires_domain(c, words))),
        "any" => operand.as_array().is_some_and(|items| {
            !items.is_empty() && items.iter().all(|c| requires_domain(c, words))
        }),
        "property_true" => operand.as_str() == Some("handles_payment"),
        "data_named" => operand.as_array().is_some_and(|named| {
            named.iter().filter_map(Value::as_str).any(|w| {
                let w = w.to_lowercase();
                words.iter().any(|d| w.contains(d))
            })
        }),
        "source" | "target" | "initiator" | "responder" => requires_domain(operand, words),
        _ => false,
    }
}

/// The words of a text, lower-cased.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn no_text_names_another_domain_unless_its_condition_requires_that_data() {
    // Round 89: on-site devices (a drone's flight computer, its gateway) were asked what a
    // forged one could "sell" or make one "sell", a till's words.
    const DOMAIN: [&str; 14] = [
        "payment", "payments", "order", "orders", "basket", "baskets", "cart", "carts", "price",
        "prices", "card", "cards", "sell", "sells",
    ];
    let stems = ["payment", "order", "basket", "cart", "price", "card"];
    let bank: Value = serde_json::from_str(QuestionBank::builtin_json()).unwrap();
    let mut checked = 0;
    for template in bank["templates"].as_array().unwrap() {
        let id = template["id"].as_str().unwrap();
        let mut texts: Vec<&str> = vec![
            template["text"].as_str().unwrap(),
            template["rationale"].as_str().unwrap(),
        ];
        texts.extend(template["group"]["text"].as_str());
        texts.extend(
            template["follow_ups"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str),
        );
        let allowed = requires_domain(&template["when"], &stems);
        for text in texts {
            checked += 1;
            for word in words(text) {
                assert!(
                    allowed || !DOMAIN.contains(&word.as_str()),
                    "`{id}` says `{word}` without requiring such data: {text}"
                );
            }
        }
    }
    assert!(checked > 250, "{checked} texts");
}

#[test]
fn every_property_the_bank_reads_is_in_the_vocabulary() {
    let read = QuestionBank::builtin().properties_read();
    let known: HashSet<&str> = VOCABULARY.iter().map(|d| d.name).collect();
    let unknown: Vec<&&str> = read.iter().filter(|p| !known.contains(*p)).collect();
    assert!(unknown.is_empty(), "not in the vocabulary: {unknown:?}");
    for expected in ["human", "admin", "issues_tokens", "persistent", "audit_log"] {
        assert!(read.contains(expected), "{expected}");
    }
}

#[test]
fn code_level_questions_go_to_the_lead_developer_first() {
    let bank = QuestionBank::builtin();
    for id in [
        "process.tampering.query-construction",
        "process.tampering.deserialization",
        "process.information_disclosure.error-details",
    ] {
        let template = bank.templates.iter().find(|t| t.id == id).unwrap();
        assert_eq!(
            template.roles.first().map(threat_interview::Role::as_str),
            Some("lead_developer"),
            "{id}"
        );
    }
}

/// Families of templates that ask one concern: at most one of each is asked about a subject.
const FAMILIES: [&[&str]; 12] = [
    // How what arrives over a flow is known to be genuine.
    &[
        "flow.tampering.integrity",
        "flow.tampering.unauthenticated",
        "flow.tampering.client-separation",
        "flow.tampering.mutual-tls",
        "flow.tampering.queued-messages",
        "flow.tampering.audit-events",
        "flow.tampering.signed-messages",
        "flow.tampering.forged-requests",
        "flow.tampering.forged-requests.forwarded",
        "flow.tampering.replay",
        "flow.tampering.responses",
        "flow.tampering.from-person",
        "flow.tampering.from-person-anonymous",
        "flow.tampering.from-offline-device",
        "flow.tampering.to-offline-device",
    ],
    // How a flow is kept confidential.
    &[
        "flow.information_disclosure.protection",
        "flow.information_disclosure.unknown",
        "flow.information_disclosure.cleartext",
        "flow.information_disclosure.credentials",
        "flow.information_disclosure.leaving-scope",
    ],
    // Whether a process's actions are traceable.
    &[
        "process.repudiation.audit-trail",
        "process.repudiation.no-security-events",
        "process.repudiation.unaudited",
    ],
    // What a process trusts in its input.
    &[
        "process.tampering.untrusted-input",
        "process.tampering.consumed-data",
    ],
    // What runs out when a process is overloaded.
    &[
        "process.denial_of_service.capacity",
        "process.denial_of_service.expensive-requests",
        "process.denial_of_service.credential-checks",
    ],
    // Who can write to a store.
    &[
        "store.tampering.write-access",
        "store.tampering.planted-credentials",
        "store.tampering.forged-messages",
        "store.tampering.cache-poisoning",
        "store.tampering.append-only",
        "store.tampering.unwritten",
    ],
    // Whether direct changes to a store are traceable.
    &[
        "store.repudiation.direct-changes",
        "store.repudiation.direct-access",
        "store.repudiation.forged-entries",
    ],
    // Whether a store is encrypted at rest.
    &[
        "store.information_disclosure.at-rest-unknown",
        "store.information_disclosure.at-rest-no",
    ],
    // What happens when a store fills up.
    &[
        "store.denial_of_service.capacity",
        "store.denial_of_service.unbounded-growth",
        "store.denial_of_service.volatile",
        "store.denial_of_service.backlog",
        "store.denial_of_service.non-durable",
        "store.denial_of_service.audit-unavailable",
    ],
    // What a store loses for good.
    &[
        "store.denial_of_service.no-backup",
        "store.denial_of_service.no-backup-stated",
        "store.denial_of_service.backups",
        "store.denial_of_service.volatile",
    ],
    // How an identity provider's tokens are trusted.
    &[
        "process.spoofing.impersonation",
        "process.spoofing.token-audience",
    ],
    // What a compromised process could reach.
    &[
        "process.elevation_of_privilege.blast-radius",
        "process.elevation_of_privilege.store-accounts",
    ],
];

/// Generic members never asked next to a specific member of their family.
const GENERIC_AND_SPECIFIC: [(&str, &[&str]); 5] = [
    (
        "store.information_disclosure.direct-reads",
        &[
            "store.information_disclosure.at-rest-unknown",
            "store.information_disclosure.at-rest-no",
            "store.information_disclosure.secrets",
            "store.information_disclosure.unread",
        ],
    ),
    (
        "flow.information_disclosure.protection",
        &[
            "flow.information_disclosure.unknown",
            "flow.information_disclosure.cleartext",
            "flow.information_disclosure.credentials",
            "flow.information_disclosure.leaving-scope",
            "flow.information_disclosure.outside-store-access",
        ],
    ),
    (
        "process.spoofing.impersonation",
        &[
            "process.spoofing.token-validation",
            "process.spoofing.sessions",
            "process.spoofing.token-audience",
            "process.spoofing.signing-keys",
        ],
    ),
    (
        "process.elevation_of_privilege.blast-radius",
        &[
            "process.elevation_of_privilege.upstream-claims",
            "process.elevation_of_privilege.admin-interface",
            "process.elevation_of_privilege.store-accounts",
        ],
    ),
    (
        "process.information_disclosure.leaks",
        &[
            "process.information_disclosure.over-sharing",
            "process.information_disclosure.restricted-residue",
        ],
    ),
];

#[test]
fn one_concern_is_asked_once_per_subject() {
    // The near-duplicates the issue listed are gone from the bank.
    let bank = QuestionBank::builtin();
    let ids: HashSet<&str> = bank.templates.iter().map(|t| t.id.as_str()).collect();
    for gone in [
        "process.spoofing.caller-identity",
        "process.spoofing.caller-authentication",
        "flow.tampering.integrity-in-transit",
        "flow.tampering.untrusted-origin",
        "flow.tampering.cleartext",
        "flow.information_disclosure.cleartext-protocol",
        "process.repudiation.failed-access",
        "flow.denial_of_service.partner-outage",
        "process.denial_of_service.slow-dependencies",
        "store.denial_of_service.unavailable",
    ] {
        assert!(!ids.contains(gone), "{gone}");
    }
    for family in FAMILIES {
        for id in family {
            assert!(ids.contains(id), "{id}");
        }
    }
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        let mut per_subject: BTreeMap<(&str, usize), Vec<&str>> = BTreeMap::new();
        for q in &questions {
            for (f, family) in FAMILIES.iter().enumerate() {
                if family.contains(&q.template.as_str()) {
                    for subject in &q.subjects {
                        per_subject
                            .entry((subject.as_str(), f))
                            .or_default()
                            .push(&q.template);
                    }
                }
            }
        }
        for ((subject, _), templates) in per_subject {
            assert!(
                templates.len() == 1,
                "{name}: `{subject}` is asked one concern twice: {templates:?}"
            );
        }
        for (generic, specifics) in GENERIC_AND_SPECIFIC {
            for q in questions.iter().filter(|q| q.template == generic) {
                for subject in &q.subjects {
                    for specific in specifics {
                        assert_not_fires(&questions, specific, subject);
                    }
                }
            }
        }
        // No two questions say the same thing.
        let mut texts = HashSet::new();
        for q in &questions {
            assert!(texts.insert(&q.text), "{name}: asked twice: {}", q.text);
        }
    }
}

#[test]
fn every_reachable_pair_is_covered_and_the_budget_holds() {
    for (name, mut engagement) in every_engagement() {
        generate(&engagement).merge_into(&mut engagement);
        let coverage = Coverage::of(&engagement);
        assert!(
            coverage.gaps.is_empty(),
            "{name}: {:?}",
            coverage
                .gaps
                .iter()
                .map(|g| (&g.subject, g.category))
                .collect::<Vec<_>>()
        );
    }
    for (path, max_questions, max_minutes) in [
        ("examples/engagements/online-shop.json", 200, 700),
        ("examples/engagements/hr-saas.json", 220, 800),
    ] {
        let questions = asked(&load(path));
        let minutes: u32 = questions.iter().map(|q| q.minutes).sum();
        assert!(
            questions.len() <= max_questions && minutes <= max_minutes,
            "{path}: {} questions, {minutes} minutes",
            questions.len()
        );
    }
}

#[test]
fn the_engagement_opens_with_the_business_then_the_architecture_and_asks_owners_once() {
    let questions = asked(&load("examples/engagements/online-shop.json"));
    let engagement_level: Vec<&str> = questions
        .iter()
        .filter(|q| q.subjects.is_empty())
        .map(|q| q.template.as_str())
        .collect();
    // The shop's calibration is recorded before its business interview: confirmed there.
    assert_eq!(
        &engagement_level[..3],
        [
            "engagement.business.value-and-worst-outcomes.confirm",
            "engagement.business.stride-calibration.confirm",
            "engagement.architect.walkthrough.since-document",
        ]
    );
    let unique: HashSet<&&str> = engagement_level.iter().collect();
    assert_eq!(unique.len(), engagement_level.len());
    for topic in [
        "engagement.deployment.secrets",
        "engagement.deployment.production-changes",
        "engagement.deployment.supply-chain",
        "engagement.production.monitoring-and-response",
        "engagement.production.patching",
        "engagement.production.restore-tests",
    ] {
        // The topic, or the member of its family that names the model's evidence.
        assert!(
            engagement_level
                .iter()
                .any(|t| *t == topic || t.strip_prefix(topic).is_some_and(|r| r.starts_with('.'))),
            "{topic}"
        );
    }
    // Payment rules only where payments are in the model.
    assert!(engagement_level.contains(&"engagement.business.payment-rules"));
    let no_payments = asked(&model("queue-consumer"));
    assert!(
        !no_payments
            .iter()
            .any(|q| q.template == "engagement.business.payment-rules")
    );
    // Deployment and production concerns are asked once, not per component.
    for q in &questions {
        assert!(
            !q.template.starts_with("process.tampering.deployed-code"),
            "{}",
            q.template
        );
    }
}

/// The questions of the built-in bank alone, no pack.
fn asked_builtin(engagement: &Engagement) -> Vec<Asked> {
    asked_with(engagement, BankSet::builtin_bank_only())
}

#[test]
fn what_the_model_already_says_is_not_asked_again() {
    let hr = asked_builtin(&load("examples/engagements/hr-saas.json"));
    // The search index takes unauthenticated connections: no "through which accounts".
    assert_fires(&hr, "store.tampering.open-access", "search-index");
    assert_not_fires(&hr, "store.tampering.write-access", "search-index");
    assert_fires(&hr, "store.tampering.write-access", "document-bucket");
    // It is rebuilt from the HR database, not restored: no ransomware question.
    assert_fires(&hr, "store.denial_of_service.rebuild", "search-index");
    assert_not_fires(&hr, "store.denial_of_service.no-backup", "search-index");
    // Processes that write to the audit log are asked what it misses, not whether they
    // record; those that do not are asked the generic question.
    assert_fires(&hr, "process.repudiation.audit-gaps", "employee-service");
    assert_not_fires(&hr, "process.repudiation.audit-trail", "employee-service");
    // The support console is internal and behind a second factor: ask about one
    // administrator's reach, not "who can reach it, what authentication".
    assert_fires(
        &hr,
        "process.elevation_of_privilege.admin-scope",
        "admin-console",
    );
    assert_not_fires(
        &hr,
        "process.elevation_of_privilege.admin-interface",
        "admin-console",
    );
    assert_fires(
        &hr,
        "process.elevation_of_privilege.admin-interface",
        "api-gateway",
    );
    // Support staff sign in through their own single sign-on: that is said, so it is not
    // asked what authenticates them (nor, with a second factor listed, whether one is
    // enforced: round 53).
    assert_fires(
        &hr,
        "interactor.spoofing.authentication.person-own-sso-mfa",
        "vendor-support",
    );
    assert_not_fires(
        &hr,
        "interactor.spoofing.authentication.person-own-sign-in",
        "vendor-support",
    );
    // One-way calls to a partner carry no answer to check.
    assert_not_fires(&hr, "flow.tampering.responses", "f-send-email");
    assert_fires(&hr, "flow.tampering.responses", "f-payment-file");
    // A webhook receiver sends nothing back: no "get back more data" question.
    assert_not_fires(
        &hr,
        "process.information_disclosure.over-sharing",
        "esign-callback",
    );
    // The gateway checks tokens the identity service issues: sessions are asked of the
    // identity service, not of the gateway.
    assert_not_fires(&hr, "process.spoofing.sessions", "api-gateway");
    // What the model lists as exchanged is named, not asked; the partners the system sends
    // data to are asked what they may do with it in one question (rounds 71 to 88: 2 of 56
    // ratings worth asking, one question each).
    let text = text_of(&hr, "interactor.context.data.callee", "payroll-bank");
    assert_eq!(
        about(&hr, "interactor.context.data.callee", "email-provider")[0].id,
        about(&hr, "interactor.context.data.callee", "payroll-bank")[0].id,
    );
    assert!(
        text.contains("Payroll bank partner and Email provider"),
        "{text}"
    );
    let shop = asked_builtin(&load("examples/engagements/online-shop.json"));
    let text = text_of(&shop, "interactor.context.data.callee", "shipping-carrier");
    assert!(
        text.contains("delivery address and parcel details"),
        "{text}"
    );
}

#[test]
fn people_who_reach_the_system_the_same_way_share_a_question() {
    let hr = asked(&load("examples/engagements/hr-saas.json"));
    let transit: Vec<&Asked> = hr
        .iter()
        .filter(|q| q.template == "interactor.context.transit.person")
        .collect();
    assert_eq!(transit.len(), 1, "{transit:?}");
    assert_eq!(transit[0].subjects, ["tenant-employee", "tenant-hr-admin"]);
    // Their data and rights differ: those stay one question each.
    assert_fires(&hr, "interactor.context.data.person", "tenant-employee");
    assert_fires(
        &hr,
        "interactor.context.data.person-admin",
        "tenant-hr-admin",
    );
}

#[test]
fn devices_hosted_services_and_pulls_are_asked_what_fits_them() {
    let plant = asked(&load("examples/engagements/iiot-plant.json"));
    // The machines are reached without authentication: no certificates or credentials to ask
    // about, but what else on that network could connect.
    for (base, open) in [
        (
            "interactor.spoofing.authentication.callee",
            "interactor.spoofing.authentication.callee-open",
        ),
        (
            "interactor.repudiation.failed-authentication.callee",
            "interactor.repudiation.failed-authentication.callee-open",
        ),
        (
            "interactor.context.authorization.callee",
            "interactor.context.authorization.callee-open",
        ),
    ] {
        assert_fires(&plant, open, "plant-machines");
        assert_not_fires(&plant, base, "plant-machines");
    }
    assert_fires(
        &plant,
        "interactor.context.transit.callee-clear",
        "plant-machines",
    );
    // The platform only fetches releases from the supplier: what it takes, not what it sends.
    assert_fires(
        &plant,
        "interactor.context.data.callee-source",
        "gateway-supplier",
    );
    assert_fires(
        &plant,
        "flow.tampering.integrity-pulled",
        "f-supplier-releases",
    );
    // Entra ID is a vendor's hosted service: nothing about its runtime secrets or stores.
    assert_not_fires(
        &plant,
        "process.information_disclosure.runtime-secrets",
        "identity-provider",
    );
    assert_not_fires(
        &plant,
        "process.elevation_of_privilege.store-accounts",
        "identity-provider",
    );
    // An internet-facing dashboard is never "not called from outside".
    assert_not_fires(&plant, "process.tampering.consumed-data", "dashboard");
    // A two-way exchange with SAP is an exchange, not data sent one way.
    assert_fires(
        &plant,
        "flow.information_disclosure.leaving-scope-exchange",
        "f-erp-exchange",
    );
    assert_not_fires(
        &plant,
        "flow.information_disclosure.leaving-scope",
        "f-erp-exchange",
    );
}

#[test]
fn client_apps_and_people_without_accounts_are_not_asked_server_questions() {
    let fleet = asked_builtin(&load("examples/engagements/fleet-tracking.json"));
    // The driver app runs on phones: client questions, none of a server's. What the services
    // behind it take on trust from it is asked once, on its connections, and settles the
    // app's own spoofing, tampering and elevation of privilege (rounds 49 to 58: the app, its
    // connections and the services behind it were asked one concern five ways).
    assert_fires(&fleet, "flow.tampering.from-client-app", "f-app-sync");
    assert_not_fires(&fleet, "flow.tampering.integrity.from-app", "f-app-sync");
    for template in [
        "process.spoofing.client-app",
        "process.tampering.client-app",
        "process.elevation_of_privilege.client-app",
        "process.spoofing.impersonation",
        "process.tampering.behaviour",
        "process.elevation_of_privilege.blast-radius",
        "process.tampering.untrusted-input",
        "process.elevation_of_privilege.upstream-claims",
    ] {
        assert_not_fires(&fleet, template, "driver-app");
    }
    // Its SQLite store is on the device, unencrypted as the model says: no planted password
    // hashes or direct access.
    assert_fires(
        &fleet,
        "store.information_disclosure.on-device-unencrypted",
        "offline-store",
    );
    assert_not_fires(
        &fleet,
        "store.tampering.planted-credentials",
        "offline-store",
    );
    assert_fires(&fleet, "flow.tampering.on-device", "f-app-offline");
    assert_not_fires(&fleet, "flow.tampering.mutual-tls", "f-app-offline");
    // No cross-site request forgery against a native app, and no network questions about a
    // person using its screens.
    assert_not_fires(&fleet, "flow.tampering.forged-requests", "f-driver-app");
    // A person at their own app: who holds the device, not what changes on the way (round
    // 31: "could a user with a rooted device change" their own input, rated wrong).
    assert_fires(&fleet, "flow.tampering.on-device.person", "f-driver-app");
    assert_not_fires(&fleet, "flow.tampering.on-device", "f-driver-app");
    assert_not_fires(&fleet, "flow.tampering.integrity", "f-driver-app");
    assert_not_fires(
        &fleet,
        "flow.information_disclosure.unknown",
        "f-driver-app",
    );
    // Recipients never sign in: their link is the credential.
    for template in [
        "interactor.spoofing.authentication.person-anonymous",
        "interactor.spoofing.credential-change.person-anonymous",
        "interactor.repudiation.failed-authentication.person-anonymous",
        "interactor.context.authorization.person-anonymous",
    ] {
        assert_fires(&fleet, template, "recipient");
    }
    assert_not_fires(
        &fleet,
        "interactor.context.authorization.person",
        "recipient",
    );
    // Telematics units speak MQTT to their own entry: not a way around the HTTP gateway.
    assert_not_fires(&fleet, "flow.tampering.gateway-bypass", "f-telemetry-mqtt");
}

// ---------------------------------------------------------------------------------------------
// What the model says in prose.

#[test]
fn what_a_description_states_is_quoted_and_asked_about_and_nothing_else_is() {
    let questions = asked(&model("stated-facts"));
    // (template, subject, the sentence or clause quoted)
    let stated = [
        (
            "interactor.spoofing.stated-power",
            "support",
            "Support staff can reset any customer's password by phone, with no second approval.",
        ),
        (
            "interactor.spoofing.authentication.stated",
            "customer",
            "no second factor is offered.",
        ),
        (
            "interactor.spoofing.credential-change.stated",
            "partner",
            "The partner's API key dates from 2021 and is shared by all tenants.",
        ),
        (
            "process.spoofing.stated-trust",
            "api",
            "It trusts the X-Tenant header as it comes.",
        ),
        (
            "process.repudiation.stated-untraced",
            "worker",
            "its events are not logged.",
        ),
        (
            "process.denial_of_service.stated-single-point",
            "worker",
            "Runs as a single instance.",
        ),
        (
            "store.tampering.stated-shared-access",
            "db",
            "One database user with rights on all tables serves every service.",
        ),
        (
            "store.denial_of_service.stated-single-point",
            "db",
            "No backups are taken.",
        ),
        (
            "flow.information_disclosure.stated-cleartext",
            "f-api-worker",
            "Plain HTTP inside the cloud zone.",
        ),
        (
            "flow.tampering.stated-trust",
            "f-partner-api",
            "Partner calls are accepted without checking their signature.",
        ),
        (
            "flow.information_disclosure.stated-leak",
            "f-mail-visitor",
            "links are rewritten to the provider's click-tracking domain.",
        ),
        (
            "store.information_disclosure.stated-tenancy",
            "index",
            "One shared index, filtered by tenant id at query time.",
        ),
        (
            "process.information_disclosure.stated-destination",
            "worker",
            "Posts webhooks to the URLs tenants configure, and any host name is allowed.",
        ),
        (
            "process.elevation_of_privilege.stated-fail-open",
            "api",
            "Fraud scoring before each order is fail-open.",
        ),
        (
            "process.tampering.stated-not-enforced",
            "cdn",
            "Its firewall rules are in report-only mode.",
        ),
        (
            "flow.information_disclosure.stated-unmasked",
            "f-api-index",
            "Account documents for search, unmasked.",
        ),
    ];
    for (template, subject, sentence) in stated {
        assert_fires(&questions, template, subject);
        let text = text_of(&questions, template, subject);
        assert!(
            text.contains(&format!("“{sentence}”")),
            "{template}: {text}"
        );
    }
    // The specific question replaces the generic one of its family on that subject.
    for (generic, subject) in [
        ("process.spoofing.impersonation", "api"),
        ("process.repudiation.audit-trail", "worker"),
        ("process.denial_of_service.capacity", "worker"),
        ("store.tampering.write-access", "db"),
        ("store.denial_of_service.capacity", "db"),
        ("store.denial_of_service.no-backup", "db"),
        ("flow.information_disclosure.cleartext", "f-api-worker"),
        ("flow.tampering.integrity", "f-partner-api"),
        (
            "interactor.spoofing.authentication.person-password",
            "customer",
        ),
        ("interactor.spoofing.credential-change.caller", "partner"),
    ] {
        assert_not_fires(&questions, generic, subject);
    }
    // A stale shared key is asked about once, as a credential, not again as shared access;
    // a system is not asked what stops "one of them" abusing powers people hold.
    assert_not_fires(
        &questions,
        "interactor.repudiation.stated-shared-access",
        "partner",
    );
    assert_not_fires(&questions, "interactor.spoofing.stated-power", "partner");
    // An encrypted flow whose description mentions an old unencrypted endpoint, and a
    // description with no stated weakness ("everybody", "nothing about it"), get none.
    assert_not_fires(
        &questions,
        "flow.information_disclosure.stated-cleartext",
        "f-api-reports",
    );
    for q in &questions {
        if q.template.contains(".stated") {
            assert!(
                !q.subjects
                    .iter()
                    .any(|s| s == "reports" || s == "f-api-reports"),
                "{}: {:?}",
                q.template,
                q.subjects
            );
        }
    }
}

#[test]
fn the_services_the_system_calls_share_each_topic_and_on_behalf_of_needs_a_server_caller() {
    let questions = asked(&model("stated-facts"));
    for topic in [
        "interactor.context.transit.callee",
        "interactor.spoofing.authentication.callee",
        "interactor.spoofing.credential-change.callee",
        "interactor.repudiation.failed-authentication.callee",
        "interactor.context.denial-of-service.callee",
    ] {
        let asked: Vec<_> = questions.iter().filter(|q| q.template == topic).collect();
        assert_eq!(asked.len(), 1, "{topic}");
        // The archive, reached once without authentication or encryption, gets the `-open`
        // or `-clear` variant of the topics that have one.
        let expected: &[&str] = if topic.ends_with("denial-of-service.callee") {
            &["archive", "mailer", "sms", "pusher"]
        } else {
            &["mailer", "sms", "pusher"]
        };
        assert_eq!(asked[0].subjects, expected, "{topic}");
    }
    // The API is called by people and a partner only, the worker by the API.
    let claims = "process.elevation_of_privilege.upstream-claims";
    assert_not_fires(&questions, claims, "api");
    assert_fires(&questions, claims, "worker");
}

#[test]
fn what_a_statement_answers_is_not_asked_again_elsewhere() {
    let questions = asked(&model("stated-facts"));
    // The database says one account serves every service: its callers are not asked which
    // accounts they use there, nor their connections whether each client has its own.
    assert_fires(&questions, "store.tampering.stated-shared-access", "db");
    assert_not_fires(
        &questions,
        "process.elevation_of_privilege.store-accounts",
        "api",
    );
    assert_not_fires(&questions, "flow.tampering.client-separation", "f-api-db");
    // The bank's messages are signed with an HMAC, as its flow says: not asked whether they are;
    // every connection with it is encrypted, so only what is left (where that ends).
    assert_not_fires(&questions, "interactor.context.transit.caller", "bank");
    assert_fires(
        &questions,
        "interactor.context.transit.partner-protected",
        "bank",
    );
    assert_fires(&questions, "interactor.context.transit.caller", "partner");
    // A provider's hosted service is asked who can change its configuration, not about its
    // operating-system identity, its most expensive requests or what it over-shares.
    assert_fires(
        &questions,
        "process.elevation_of_privilege.vendor-configuration",
        "analytics",
    );
    for template in [
        "process.elevation_of_privilege.blast-radius",
        "process.denial_of_service.expensive-requests",
        "process.information_disclosure.over-sharing",
    ] {
        assert_not_fires(&questions, template, "analytics");
    }
}

#[test]
fn engagement_questions_name_the_model_s_evidence_and_replace_the_generic_one() {
    let questions = asked(&model("stated-facts"));
    let text = |template: &str| {
        let found: Vec<_> = questions
            .iter()
            .filter(|q| q.template == template)
            .collect();
        assert_eq!(found.len(), 1, "{template}");
        found[0].text.clone()
    };
    // The worker and the report builder record no security events, the API does.
    let unlogged = text("engagement.production.monitoring-and-response.unlogged");
    assert!(
        unlogged.starts_with("The model records that Worker and Report builder log no"),
        "{unlogged}"
    );
    let unbacked = text("engagement.production.restore-tests.unbacked");
    assert!(
        unbacked.starts_with("The model records no backups of Database:"),
        "{unbacked}"
    );
    for generic in [
        "engagement.production.monitoring-and-response",
        "engagement.production.restore-tests",
    ] {
        assert!(
            !questions.iter().any(|q| q.template == generic),
            "{generic}"
        );
    }
    // Without the evidence, the generic question is asked.
    let plain = asked(&model("admin-interactor"));
    for (generic, specific) in [
        (
            "engagement.production.monitoring-and-response",
            "engagement.production.monitoring-and-response.unlogged",
        ),
        (
            "engagement.production.restore-tests",
            "engagement.production.restore-tests.unbacked",
        ),
    ] {
        assert!(plain.iter().any(|q| q.template == generic), "{generic}");
        assert!(!plain.iter().any(|q| q.template == specific), "{specific}");
    }
}

#[test]
fn a_content_delivery_network_people_with_links_and_delivered_messages_get_their_own_questions() {
    let questions = asked(&model("stated-facts"));
    // A CDN (by its technology) is a provider's hosted front: what it checks, what is trusted
    // from it, and whether the origin takes traffic from anything else.
    assert_fires(
        &questions,
        "process.elevation_of_privilege.vendor-configuration",
        "cdn",
    );
    assert_fires(&questions, "flow.tampering.hosted-front", "f-visitor-cdn");
    assert_not_fires(
        &questions,
        "flow.tampering.forged-requests",
        "f-visitor-cdn",
    );
    assert_fires(
        &questions,
        "flow.tampering.behind-hosted-front",
        "f-cdn-reports",
    );
    for template in [
        "process.information_disclosure.over-sharing",
        "process.denial_of_service.expensive-requests",
        "process.elevation_of_privilege.blast-radius",
    ] {
        assert_not_fires(&questions, template, "cdn");
    }
    // People who get in with a link and a code are asked about links and codes.
    for topic in [
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.authorization",
    ] {
        assert_fires(&questions, &format!("{topic}.person-link"), "visitor");
        assert_not_fires(&questions, &format!("{topic}.person-link"), "customer");
    }
    // A message a service delivers to a person: look-alikes, not mutual TLS.
    assert_fires(
        &questions,
        "flow.tampering.delivered-to-person",
        "f-mail-visitor",
    );
    assert_not_fires(&questions, "flow.tampering.integrity", "f-mail-visitor");
    // A rebuildable store is not "lost for good"; a database holding password hashes is not a
    // holder of runtime secrets.
    let text = |template: &str| {
        questions
            .iter()
            .find(|q| q.template == template)
            .map(|q| q.text.clone())
            .unwrap_or_default()
    };
    let unbacked = text("engagement.production.restore-tests.unbacked");
    assert!(!unbacked.contains("Search index"), "{unbacked}");
    let holders = text("engagement.deployment.secrets.holders");
    assert!(
        holders.starts_with("The model shows keys or credentials held by API:"),
        "{holders}"
    );
}

#[test]
fn signed_messages_are_not_asked_about_and_a_push_provider_is_a_service_the_system_calls() {
    let questions = asked(&model("stated-facts"));
    // The scheme's messages are signed (`message_signing`): not asked whether they are.
    assert_not_fires(&questions, "interactor.context.transit.caller", "ips");
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.caller",
        "ips",
    );
    // A provider that only delivers to an app on people's phones is called by the system, not
    // a caller of it.
    for topic in [
        "interactor.context.transit.callee",
        "interactor.spoofing.authentication.callee",
        "interactor.context.denial-of-service.callee",
    ] {
        assert_fires(&questions, topic, "pusher");
    }
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.caller",
        "pusher",
    );
}

#[test]
fn a_service_with_one_unauthenticated_connection_is_not_said_to_have_no_authentication() {
    let questions = asked(&model("stated-facts"));
    // One of the two connections to the archive is authenticated: the text says "at least one".
    let text = text_of(
        &questions,
        "interactor.spoofing.authentication.callee-open",
        "archive",
    );
    assert!(
        text.starts_with("At least one connection to Archive is not authenticated"),
        "{text}"
    );
    let text = text_of(
        &questions,
        "interactor.spoofing.credential-change.callee-open",
        "archive",
    );
    assert!(
        text.starts_with("No credential protects at least one connection to Archive"),
        "{text}"
    );
}

#[test]
fn cross_site_request_forgery_is_asked_where_a_browser_session_reaches_the_service_that_acts() {
    let questions = asked(&model("stated-facts"));
    let forged = "flow.tampering.forged-requests";
    // A customer's signed-in browser calling the API.
    assert_fires(&questions, forged, "f-customer-api");
    // Not of a reverse proxy that only forwards: of the portal behind it, on the forwarded
    // flow that carries the session.
    assert_not_fires(&questions, forged, "f-customer-proxy");
    let forwarded = "flow.tampering.forged-requests.forwarded";
    assert_fires(&questions, forwarded, "f-proxy-portal");
    assert_not_fires(&questions, forged, "f-proxy-portal");
    let text = text_of(&questions, forwarded, "f-proxy-portal");
    assert!(
        text.starts_with("Portal proxy forwards people's requests to Customer portal"),
        "{text}"
    );
    // Not of anonymous read-only requests, nor of a Kerberos sign-in: no session cookie for
    // another site to ride on.
    assert_not_fires(&questions, forged, "f-customer-maps");
    assert_not_fires(&questions, forged, "f-support-directory");
}

#[test]
fn a_shared_front_is_asked_who_else_can_pose_as_it_and_its_answers_cover_its_own_pairs() {
    let engagement = model("stated-facts");
    let questions = asked(&engagement);
    // The CDN in front of the reports service: not the generic impersonation or input
    // questions (it runs no code of the team's), but who else can configure the same
    // provider's service to reach the origin, and who can change its configuration.
    assert_fires(
        &questions,
        "process.spoofing.impersonation.hosted-front",
        "cdn",
    );
    assert_not_fires(&questions, "process.spoofing.impersonation", "cdn");
    assert_not_fires(&questions, "process.tampering.untrusted-input", "cdn");
    // A provider's service that fronts nothing (the analytics SaaS) is asked the hosted
    // service's form: a look-alike tenant, not a rogue server.
    assert_fires(
        &questions,
        "process.spoofing.impersonation.saas",
        "analytics",
    );
    assert_not_fires(&questions, "process.spoofing.impersonation", "analytics");
    assert_not_fires(
        &questions,
        "process.information_disclosure.leaks",
        "analytics",
    );
    assert_not_fires(&questions, "process.tampering.behaviour", "analytics");
    assert_not_fires(
        &questions,
        "process.spoofing.impersonation.hosted-front",
        "analytics",
    );
    // What the answers settle: the origin-lock question on the CDN's flow covers the CDN's
    // spoofing (`covers` with `initiator`), who changes a hosted service's configuration
    // covers its tampering (`covers` with `self`).
    let stored = generate(&engagement).to_questions();
    let covers = |template: &str, subject: &str, category: threat_interview::Stride| {
        stored
            .iter()
            .filter(|q| {
                q.provenance
                    .as_ref()
                    .is_some_and(|p| p.template == template)
            })
            .any(|q| {
                q.also_covers
                    .iter()
                    .any(|p| p.subject == subject && p.category == category)
            })
    };
    assert!(covers(
        "flow.tampering.behind-hosted-front",
        "cdn",
        threat_interview::Stride::Spoofing
    ));
    assert!(covers(
        "process.elevation_of_privilege.vendor-configuration",
        "analytics",
        threat_interview::Stride::Tampering
    ));
    assert!(!covers(
        "process.elevation_of_privilege.vendor-configuration",
        "analytics",
        threat_interview::Stride::Spoofing
    ));
}

#[test]
fn a_process_that_logs_security_events_is_not_said_to_send_nothing_to_the_audit_log() {
    let mut engagement = model("log-store");
    let unaudited = "process.repudiation.unaudited";
    let before = asked(&engagement);
    let named: Vec<String> = before
        .iter()
        .filter(|q| q.template == unaudited)
        .flat_map(|q| q.subjects.clone())
        .collect();
    assert!(
        !named.is_empty(),
        "the fixture has a process the question names"
    );
    let first = named[0].clone();
    let element = engagement
        .model
        .elements
        .iter_mut()
        .find(|e| e.id == first)
        .unwrap();
    element
        .properties
        .insert("logs_security_events".into(), PropertyValue::Bool(true));
    let after = asked(&engagement);
    assert_not_fires(&after, unaudited, &first);
}

#[test]
fn the_system_s_name_takes_a_capital_where_it_opens_a_sentence() {
    // "the online shop" is written for the middle of a sentence; the callee's data question
    // opens with it.
    let questions = asked(&load("examples/engagements/online-shop.json"));
    let opening: Vec<&Asked> = questions
        .iter()
        .filter(|q| q.template.starts_with("interactor.context.data.callee"))
        .collect();
    assert!(!opening.is_empty());
    for q in opening {
        assert!(q.text.starts_with("The online shop "), "{}", q.text);
        // Later in the sentence, as written.
        if let Some((_, rest)) = q.text.split_once("The online shop ") {
            assert!(!rest.contains("The online shop"), "{}", q.text);
        }
    }
}

#[test]
fn round_9_what_the_ticketing_model_says_or_makes_meaningless_is_not_asked() {
    let questions = asked(&load("examples/engagements/ticketing.json"));
    // CI/CD is a provider's service but stands in front of nothing people reach.
    assert_not_fires(
        &questions,
        "process.spoofing.impersonation.hosted-front",
        "ci-cd",
    );
    // The web shop and the apps run on people's devices: nothing can authenticate them as
    // clients, so they are not asked what stops another from connecting in their name, but
    // what the services rely on that the app does or holds.
    for flow in ["f-web-queue", "f-web-bundle", "f-web-api", "f-app-api"] {
        assert_not_fires(&questions, "flow.tampering.unauthenticated", flow);
        assert_not_fires(&questions, "flow.tampering.client-separation", flow);
        assert_not_fires(&questions, "flow.tampering.integrity", flow);
    }
    assert_fires(&questions, "flow.tampering.open-to-clients", "f-web-bundle");
    assert_fires(&questions, "flow.tampering.from-client-app", "f-web-api");
    assert_fires(
        &questions,
        "flow.tampering.from-client-app",
        "f-scanner-sync",
    );
    // The notification service only talks to the message bus: no query construction, no
    // accounts on data stores.
    for template in [
        "process.tampering.query-construction",
        "process.elevation_of_privilege.store-accounts",
    ] {
        assert_not_fires(&questions, template, "notification-service");
    }
    // The model says the platform team can delete the audit log's groups: quoted, not asked
    // whether it is append-only.
    assert_not_fires(&questions, "store.tampering.append-only", "audit-log");
    assert_fires(&questions, "store.tampering.stated-deletable", "audit-log");
    assert!(
        text_of(&questions, "store.tampering.stated-deletable", "audit-log")
            .contains("“the platform team can delete log groups.”"),
    );
    // Break-glass sessions are said to be unrecorded: no "are they recorded under each
    // person's account".
    assert_not_fires(
        &questions,
        "interactor.repudiation.admin-trail",
        "ops-engineer",
    );
    // Break-glass access is psql through a bastion: no cross-site request forgery.
    assert_not_fires(&questions, "flow.tampering.forged-requests", "f-ops-db");
    // The scanners' key is said to be one per tenant: no "does each client have its own".
    assert_not_fires(
        &questions,
        "flow.tampering.client-separation",
        "f-scanner-sync",
    );
    // A cache and a message bus have no cloud data-event logs.
    for store in ["cache", "message-bus"] {
        assert_not_fires(
            &questions,
            "cloud-iam-storage.store.repudiation.data-events",
            store,
        );
    }
}

#[test]
fn checks_made_only_in_the_client_guessable_ids_values_from_the_request_and_raw_uploads_are_quoted()
{
    let questions = asked(&load("examples/engagements/ticketing.json"));
    for (template, subject, quoted) in [
        (
            "process.tampering.stated-client-side",
            "resale-service",
            "does not re-check the cap server-side",
        ),
        (
            "store.information_disclosure.stated-guessable",
            "object-storage",
            "which are sequential",
        ),
        (
            "flow.tampering.stated-from-request",
            "f-bo-refund",
            "takes the tenant id from the request body",
        ),
        (
            "flow.tampering.stated-upload",
            "f-bo-assets",
            "type checked by extension only",
        ),
    ] {
        let text = text_of(&questions, template, subject);
        assert!(text.contains(quoted), "{template}: {text}");
    }
    // Each replaces the generic question of its family on that subject.
    assert_not_fires(
        &questions,
        "process.tampering.untrusted-input",
        "resale-service",
    );
    assert_not_fires(&questions, "process.tampering.behaviour", "resale-service");
    assert_not_fires(
        &questions,
        "store.information_disclosure.direct-reads",
        "object-storage",
    );
    // A model that states none of these gets none of them.
    let shop = asked(&load("examples/engagements/online-shop.json"));
    for q in &shop {
        for family in [
            "stated-client-side",
            "stated-guessable",
            "stated-from-request",
            "stated-upload",
        ] {
            assert!(!q.template.ends_with(family), "{}: {}", q.template, q.text);
        }
    }
}

#[test]
fn round_10_what_the_claims_model_says_or_makes_meaningless_is_not_asked() {
    let questions = asked(&load("examples/engagements/claims.json"));
    // Auth0 issues tokens and forwards nothing: it is no front people reach the system
    // through.
    assert_not_fires(&questions, "flow.tampering.hosted-front", "f-ph-login");
    // Key Vault is encrypted by design and no request grows it.
    for template in [
        "store.information_disclosure.at-rest-unknown",
        "store.denial_of_service.unbounded-growth",
    ] {
        assert_not_fires(&questions, template, "key-vault");
    }
    // The data lake's description says who reads it.
    assert_not_fires(
        &questions,
        "store.information_disclosure.unread",
        "data-lake",
    );
    // The partner API is said to have no rate limiting: the garages are not asked what
    // happens when their limits trigger.
    assert_not_fires(
        &questions,
        "interactor.context.denial-of-service.caller",
        "garage-dms",
    );
    assert_not_fires(
        &questions,
        "interactor.context.denial-of-service.person",
        "garage-staff",
    );
    // Sending tokens to the staff identity provider is sign-in itself, not data leaving
    // scope to minimise.
    assert_not_fires(
        &questions,
        "flow.information_disclosure.leaving-scope",
        "f-adjuster-signin",
    );
}

#[test]
fn an_administrator_is_asked_what_their_own_rights_could_take_down_not_about_rate_limits() {
    for (path, admin) in [
        ("examples/engagements/ticketing.json", "ops-engineer"),
        ("examples/engagements/hr-saas.json", "tenant-hr-admin"),
    ] {
        let questions = asked(&load(path));
        let dos = "interactor.context.denial-of-service.person-admin";
        assert_fires(&questions, dos, admin);
        assert!(
            text_of(&questions, dos, admin).contains("by mistake or through a taken-over account")
        );
        for generic in [
            "interactor.context.denial-of-service.person-internal",
            "interactor.context.denial-of-service.person",
        ] {
            assert_not_fires(&questions, generic, admin);
        }
    }
    // People who are no administrators keep the question about floods.
    let ticketing = asked(&load("examples/engagements/ticketing.json"));
    assert!(ticketing.iter().any(
        |q| q.template == "interactor.context.denial-of-service.person"
            || q.template == "interactor.context.denial-of-service.person-internal"
    ));
}

#[test]
fn round_11_what_the_hotel_model_makes_meaningless_is_not_asked() {
    let questions = asked(&load("examples/engagements/hotel-keys.json"));
    // Cross-site request forgery only over the web: not over PostgreSQL, RDP or a vendor's
    // remote-desktop tool.
    for flow in [
        "f-ops-db",
        "f-ops-hotel-vpn",
        "f-vendor-remote",
        "f-frontdesk-lock",
    ] {
        assert_not_fires(&questions, "flow.tampering.forged-requests", flow);
    }
    // CI/CD, a provider's service that only the operations team reaches, is no front.
    assert_not_fires(
        &questions,
        "process.spoofing.impersonation.hosted-front",
        "ci-cd",
    );
    assert_not_fires(&questions, "flow.tampering.hosted-front", "f-ops-cicd");
    // "Not scanned" said of container images is no upload question; "accepts commands from
    // any host" is about who may connect, not about addresses the PMS is made to call.
    assert_not_fires(&questions, "flow.tampering.stated-upload", "f-deploy");
    assert_not_fires(
        &questions,
        "flow.information_disclosure.stated-destination",
        "f-pms-lock",
    );
}

#[test]
fn round_12_a_kubernetes_control_plane_is_not_asked_as_a_workload() {
    let questions = asked(&load("examples/engagements/food-delivery.json"));
    // The EKS control plane is drawn as a process on Kubernetes; it has no pods, service
    // account or resource limits of the team's.
    for template in [
        "kubernetes.process.information_disclosure.secrets",
        "kubernetes.process.elevation_of_privilege.pod-security",
        "kubernetes.process.spoofing.service-account",
        "kubernetes.process.denial_of_service.resource-limits",
    ] {
        assert_not_fires(&questions, template, "k8s-api");
    }
    // The workloads still are.
    assert_fires(
        &questions,
        "kubernetes.process.elevation_of_privilege.pod-security",
        "payout-job",
    );
    assert_fires(
        &questions,
        "kubernetes.process.spoofing.service-account",
        "payout-job",
    );
}

#[test]
fn round_12_what_the_food_delivery_model_states_is_quoted() {
    let questions = asked(&load("examples/engagements/food-delivery.json"));
    // A bank account changed without re-verification, a check that lets checkout go ahead
    // without it, a copy with nothing masked.
    assert_fires(
        &questions,
        "flow.tampering.stated-unverified-change",
        "f-restaurant-portal",
    );
    assert_fires(
        &questions,
        "process.elevation_of_privilege.stated-fail-open",
        "fraud-scoring",
    );
    assert_fires(
        &questions,
        "flow.information_disclosure.stated-unmasked",
        "f-warehouse-load",
    );
    // A person's own report taken as it comes: the threat is the person, not someone posing
    // as them.
    assert_fires(
        &questions,
        "interactor.spoofing.stated-trust-person",
        "courier",
    );
    assert_not_fires(&questions, "interactor.spoofing.stated-trust", "courier");
    // "Holds the workloads' Kubernetes secrets" says nothing about a credential of its own.
    assert_not_fires(&questions, "process.spoofing.stated-credential", "k8s-api");
}

#[test]
fn a_quote_keeps_the_clause_that_holds_the_phrase() {
    // "using the long-lived AWS access key (drawn here for the order service; ...)": the
    // quote is the clause before the bracket, which holds "long-lived".
    let questions = asked(&load("examples/engagements/ticketing.json"));
    let quoted: Vec<&Asked> = questions
        .iter()
        .filter(|q| q.template == "flow.tampering.stated-credential")
        .filter(|q| q.subjects.iter().any(|s| s == "f-ci-deploy"))
        .collect();
    assert_eq!(quoted.len(), 1);
    assert!(
        quoted[0]
            .text
            .contains("“helm upgrade of the core services with images from ECR, using the long-lived AWS access key.”"),
        "{}",
        quoted[0].text
    );
}

fn engagement_level(questions: &[Asked]) -> Vec<&str> {
    questions
        .iter()
        .filter(|q| q.subjects.is_empty())
        .map(|q| q.template.as_str())
        .collect()
}

#[test]
fn round_12_a_held_business_interview_with_its_calibration_is_not_asked_again() {
    const VALUE: &str = "engagement.business.value-and-worst-outcomes";
    const CALIBRATION: &str = "engagement.business.stride-calibration";
    // The business interview is held, the calibration recorded with the business's notes on
    // what would hurt: neither opener is asked again, and the architects' one opens.
    let mut food = load("examples/engagements/food-delivery.json");
    let held = engagement_level(&asked(&food))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert!(
        !held.iter().any(|t| t == VALUE || t == CALIBRATION),
        "{held:?}"
    );
    // (The example's architecture document is in hand: what changed since it is asked.)
    assert_eq!(held[0], "engagement.architect.walkthrough.since-document");
    // Weights without notes: the worst outcomes are still asked, the weights are not.
    food.calibration.as_mut().unwrap().notes = None;
    let questions = asked(&food);
    let level = engagement_level(&questions);
    assert_eq!(level[0], VALUE);
    assert!(!level.contains(&CALIBRATION), "{level:?}");
    // No calibration recorded: both are asked.
    food.calibration = None;
    let questions = asked(&food);
    assert_eq!(engagement_level(&questions)[..2], [VALUE, CALIBRATION]);
    // A calibration recorded before the business interview is held is a draft to confirm
    // there, in a few minutes, not to ask for again: the online shop's interviews are all
    // planned.
    let mut shop = load("examples/engagements/online-shop.json");
    let confirm = |t: &str| format!("{t}.confirm");
    let questions = asked(&shop);
    assert_eq!(
        engagement_level(&questions)[..2],
        [confirm(VALUE), confirm(CALIBRATION)]
    );
    let minutes = |q: &[Asked], t: &str| q.iter().find(|q| q.template == t).unwrap().minutes;
    assert!(minutes(&questions, &confirm(CALIBRATION)) < 8);
    // Its weights without notes: the weights are confirmed, the worst outcomes asked.
    shop.calibration.as_mut().unwrap().notes = None;
    assert_eq!(
        engagement_level(&asked(&shop))[..2],
        [VALUE.to_owned(), confirm(CALIBRATION)]
    );
    // The test reads the engagement, not a subject: an engagement with no model yet, before
    // its business interview, still opens with both.
    let empty = Engagement::new("e", "Empty", threat_interview::AssuranceLevel::Fast);
    assert_eq!(engagement_level(&asked(&empty))[..2], [VALUE, CALIBRATION]);
}

#[test]
fn round_12_people_with_social_sign_in_get_consumer_questions_not_workforce_ones() {
    let food = asked(&load("examples/engagements/food-delivery.json"));
    // Customers sign in with a one-time code or with Apple or Google: no "identity providers
    // the system accepts" for a workforce, no "leaves" the company.
    for (social, federated) in [
        (
            "interactor.spoofing.authentication.person-social",
            "interactor.spoofing.authentication.person-federated",
        ),
        (
            "interactor.spoofing.credential-change.person-social",
            "interactor.spoofing.credential-change.person-federated",
        ),
    ] {
        assert_fires(&food, social, "customer");
        assert_not_fires(&food, federated, "customer");
        // Staff on the company's single sign-on keep the workforce form.
        assert_not_fires(&food, social, "support-agent");
    }
    assert_fires(
        &food,
        "interactor.spoofing.credential-change.person-federated",
        "support-agent",
    );
    let text = text_of(
        &food,
        "interactor.spoofing.credential-change.person-social",
        "customer",
    );
    assert!(text.contains("social account"), "{text}");
    assert!(!text.contains("leaves"), "{text}");
    // Federated sign-in the model does not call social is asked as before.
    let plain = asked(&model("no-identity-provider"));
    assert_fires(
        &plain,
        "interactor.spoofing.credential-change.person-federated",
        "customer",
    );
    assert_not_fires(
        &plain,
        "interactor.spoofing.credential-change.person-social",
        "customer",
    );
}

#[test]
fn round_13_what_the_warehouse_model_states_is_quoted() {
    let questions = asked(&load("examples/engagements/warehouse.json"));
    // PLCs that take commands from any host: who else can send them, not who could pose as
    // them.
    assert_fires(
        &questions,
        "interactor.spoofing.stated-trust-callee",
        "conveyor-plc",
    );
    assert_not_fires(
        &questions,
        "interactor.spoofing.stated-trust",
        "conveyor-plc",
    );
    // One sentence is quoted once (round 95): the shared login the weak sign-in question
    // would quote is asked about as shared access, which covers spoofing too.
    assert_quoted_once(
        &load("examples/engagements/warehouse.json"),
        "process.elevation_of_privilege.stated-shared-access",
        "process.spoofing.stated-weak-sign-in",
        "fleet-manager",
    );
    for (template, subject) in [
        ("interactor.repudiation.stated-shared-access", "gate-staff"),
        ("interactor.spoofing.stated-trust-person", "picker"),
        ("flow.tampering.stated-trust", "f-hub-confirmations"),
        ("flow.tampering.stated-credential", "f-erp-sftp"),
        ("flow.tampering.stated-credential", "f-robot-control"),
    ] {
        assert_fires(&questions, template, subject);
    }
    let q = questions
        .iter()
        .find(|q| q.template == "interactor.spoofing.stated-trust-callee")
        .unwrap();
    assert!(
        q.text
            .contains("network.” The warehouse platform only calls"),
        "{}",
        q.text
    );
}

#[test]
fn round_14_what_the_scooter_model_states_is_quoted() {
    let scooters = asked(&load("examples/engagements/scooters.json"));
    for (template, subject) in [
        // "has no counter, so a recorded command can be replayed"
        ("flow.tampering.stated-replay", "f-ble-unlock"),
        // "the command history records the vehicle and command but not who sent it"
        ("process.repudiation.stated-untraced", "fleet-ops"),
        // "the city is chosen by a query parameter"
        ("flow.tampering.stated-from-request", "f-regulator-pull"),
        // "none has been rotated since"
        (
            "interactor.spoofing.credential-change.stated",
            "city-regulator",
        ),
        // "The callback carries no signature."
        ("flow.tampering.stated-trust", "f-kyc-webhook"),
    ] {
        assert_fires(&scooters, template, subject);
    }
    // "Any console user can command any vehicle in any city, and the command history records
    // the vehicle and command but not who sent it": one sentence, quoted once, by the question
    // on tracing it, which covers the power it names too (round 95).
    assert_quoted_once(
        &load("examples/engagements/scooters.json"),
        "process.repudiation.stated-untraced",
        "process.elevation_of_privilege.stated-power",
        "fleet-ops",
    );
    // A change made without re-entering the password (round 16's wording, here in the
    // stated-facts model).
    let stated = asked(&model("stated-facts"));
    assert_fires(
        &stated,
        "process.spoofing.stated-unverified-change",
        "portal",
    );
    // The replay question the model answers is not asked as well (the generic form does not
    // reach this app-to-vehicle flow in any case; the webhook below is where it did).
    assert_not_fires(&scooters, "flow.tampering.replay", "f-ble-unlock");
    // Round 12's webhook: "the event timestamp is not [checked] and delivered events are not
    // de-duplicated".
    let food = asked(&load("examples/engagements/food-delivery.json"));
    assert_fires(&food, "flow.tampering.stated-replay", "f-psp-webhook");
    assert_not_fires(&food, "flow.tampering.replay", "f-psp-webhook");
}

/// The caller, partner and callee forms of the seven topics, which an offline device must not
/// get.
const CALL_FORMS: [&str; 7] = [
    ".caller",
    ".caller-undescribed",
    ".partner",
    ".callee",
    ".callee-open",
    ".callee-clear",
    ".callee-source",
];

#[test]
fn an_offline_device_is_asked_how_things_reach_it_not_how_its_calls_are_made() {
    let hotel = asked(&load("examples/engagements/hotel-keys.json"));
    let site = asked(&model("offline-devices"));
    for (questions, device) in [(&hotel, "door-locks"), (&site, "barrier-controllers")] {
        for topic in TOPICS {
            assert_fires(questions, &format!("{topic}.offline-device"), device);
            for form in CALL_FORMS {
                assert_not_fires(questions, &format!("{topic}{form}"), device);
            }
        }
        for q in questions
            .iter()
            .filter(|q| q.subjects.iter().any(|s| s == device))
        {
            assert!(
                !q.text.contains("calls") && !q.text.contains("flood"),
                "{device}: {}",
                q.text
            );
        }
    }
    // What it records is collected by hand: no replay of a captured call, no connection.
    for (questions, flow) in [(&hotel, "f-lock-audit"), (&site, "f-barrier-log")] {
        assert_fires(questions, "flow.tampering.from-offline-device", flow);
        for template in [
            "flow.tampering.replay",
            "flow.tampering.integrity",
            "flow.information_disclosure.unknown",
            "flow.denial_of_service.interruption",
        ] {
            assert_not_fires(questions, template, flow);
        }
        for q in questions
            .iter()
            .filter(|q| q.subjects.iter().any(|s| s == flow))
        {
            assert!(
                !q.text.contains("call") && !q.text.contains("connection"),
                "{flow}: {}",
                q.text
            );
        }
    }
    // What a process sends it is carried there by hand too.
    assert_fires(&site, "flow.tampering.to-offline-device", "f-permit-load");
    assert_not_fires(&site, "flow.tampering.integrity", "f-permit-load");
    assert_not_fires(
        &site,
        "flow.information_disclosure.unknown",
        "f-permit-load",
    );
    // A device that reports over a network, tablets whose app queues actions offline and a
    // provider that may be offline are systems that call or are called; people in an
    // air-gapped room are people.
    for (who, form) in [
        ("smart-meters", "caller"),
        ("field-tablets", "caller"),
        ("billing-provider", "callee"),
    ] {
        assert_fires(
            &site,
            &format!("interactor.spoofing.authentication.{form}"),
            who,
        );
    }
    for who in [
        "smart-meters",
        "field-tablets",
        "billing-provider",
        "archive-clerks",
    ] {
        for topic in TOPICS {
            assert_not_fires(&site, &format!("{topic}.offline-device"), who);
        }
    }
    assert_fires(&site, "flow.tampering.replay", "f-meter-readings");
    assert_fires(&site, "flow.tampering.replay", "f-tablet-sync");
    assert_not_fires(
        &site,
        "flow.tampering.from-offline-device",
        "f-meter-readings",
    );
    // An app described as working offline is no offline device either.
    let claims = asked(&load("examples/engagements/claims.json"));
    let fleet = asked(&load("examples/engagements/fleet-tracking.json"));
    for questions in [&claims, &fleet] {
        assert!(
            !questions
                .iter()
                .any(|q| q.template.contains("offline-device")),
            "{:?}",
            questions
                .iter()
                .filter(|q| q.template.contains("offline-device"))
                .map(|q| (&q.template, &q.subjects))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn a_person_s_own_connection_is_asked_about_their_session_not_mutual_tls() {
    let hotel = asked(&load("examples/engagements/hotel-keys.json"));
    let site = asked(&model("offline-devices"));
    for (questions, flow) in [(&hotel, "f-guest-signin"), (&site, "f-staff-signin")] {
        assert_not_fires(questions, "flow.tampering.integrity", flow);
        // A sign-in at the identity provider is asked about relayed sign-ins (round 20: "what
        // tells it the sign-in comes from them" is circular); any other connection a person
        // opens, about their session.
        let template = if fires(questions, "flow.tampering.from-person.sign-in", flow) {
            "flow.tampering.from-person.sign-in"
        } else {
            "flow.tampering.from-person"
        };
        assert_fires(questions, template, flow);
        let text = text_of(questions, template, flow);
        assert!(
            !text.contains("mutual TLS")
                && (text.contains("session") || text.contains("phishing proxy")),
            "{text}"
        );
    }
    assert_fires(
        &hotel,
        "flow.tampering.from-person.sign-in",
        "f-guest-signin",
    );
    // People who are not authenticated at all are asked what anyone could send in their place.
    let city = asked(&load("examples/engagements/city-portal.json"));
    assert_fires(&city, "flow.tampering.from-person-anonymous", "f-chat");
    assert_not_fires(&city, "flow.tampering.from-person", "f-chat");
    // Straight to a provider's service, what the system relies on it to check (round 32).
    assert_fires(&city, "flow.tampering.person-to-provider", "f-analytics");
    assert_fires(&city, "flow.tampering.from-person", "f-citizen-login");
    // Nowhere is a person's connection asked about with the form for systems.
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        let elements = &engagement.model.elements;
        for flow in &engagement.model.flows {
            let end = |id: &str| elements.iter().find(|e| e.id == id);
            let source = end(&flow.source);
            let opened_by_target = flow.initiated_by == Some(FlowEnd::Target)
                || source.is_some_and(|e| e.kind == ElementKind::DataStore);
            let initiator = if opened_by_target {
                end(&flow.target)
            } else {
                source
            };
            if initiator.is_some_and(|e| {
                e.kind == ElementKind::ExternalInteractor
                    && e.properties.get("human") == Some(&PropertyValue::Bool(true))
            }) {
                assert!(
                    !fires(&questions, "flow.tampering.integrity", &flow.id),
                    "{name}: `{}` is a person's connection",
                    flow.id
                );
            }
        }
    }
}

#[test]
fn only_a_service_that_completes_a_sign_in_is_asked_as_an_openid_connect_relying_party() {
    let template = "oauth-oidc.process.spoofing.relying-party";
    let hotel = asked(&load("examples/engagements/hotel-keys.json"));
    // The back office exchanges the staff sign-in for an ID token; the guest API only checks
    // access tokens with the provider's keys; the providers sign people in themselves.
    assert_fires(&hotel, template, "back-office");
    for process in ["guest-api", "guest-idp", "staff-idp"] {
        assert_not_fires(&hotel, template, process);
    }
    let site = asked(&model("offline-devices"));
    assert_fires(&site, template, "staff-portal");
    for process in ["permit-api", "staff-idp"] {
        assert_not_fires(&site, template, process);
    }
    // A provider that completes sign-ins with the customers' own providers is a relying party
    // of theirs.
    let hr = asked(&load("examples/engagements/hr-saas.json"));
    assert_fires(&hr, template, "sso-service");
}

fn set_description(engagement: &mut Engagement, id: &str, description: &str) {
    element_mut(engagement, id).description = Some(description.to_owned());
}

const PIPELINE: [&str; 4] = [
    "process.spoofing.pipeline",
    "process.elevation_of_privilege.pipeline",
    "process.repudiation.pipeline",
    "process.denial_of_service.pipeline",
];

#[test]
fn a_pipeline_deploys_rather_than_calls_and_is_asked_what_can_change_what_runs() {
    let mut engagement = model("delivery-pipeline");
    let questions = asked(&engagement);
    // By its technology (`github_actions`) and by `deploys: true`.
    for deployer in ["pipeline", "release-tool"] {
        for template in PIPELINE {
            assert_fires(&questions, template, deployer);
        }
    }
    for template in PIPELINE {
        assert_not_fires(&questions, template, "web");
    }
    // Its flows to what runs code are deployments: one question, none of a connection's. (A
    // migration run against a database is a connection to a store, asked as one.)
    assert_not_fires(&questions, "flow.tampering.deployment", "f-migrate");
    for flow in ["f-deploy"] {
        assert_fires(&questions, "flow.tampering.deployment", flow);
        for generic in [
            "flow.denial_of_service.interruption",
            "flow.tampering.client-separation",
            "flow.information_disclosure.protection",
        ] {
            assert_not_fires(&questions, generic, flow);
        }
    }
    assert_not_fires(&questions, "flow.tampering.deployment", "f-web-db");
    // A deployment is not a call: the web shop's error details go to its customers, not to
    // the pipeline that deploys it, and the pipeline is not a hosted front.
    let errors = text_of(
        &questions,
        "process.information_disclosure.error-details",
        "web",
    );
    assert!(errors.contains("Customer"), "{errors}");
    assert!(!errors.contains("Build pipeline"), "{errors}");
    assert_not_fires(&questions, "flow.tampering.hosted-front", "f-push");
    // `deploys: false` says otherwise: the pipeline is a process like another, and its flow
    // a connection.
    let pipeline = element_mut(&mut engagement, "pipeline");
    pipeline
        .properties
        .insert("deploys".into(), PropertyValue::Bool(false));
    let after = asked(&engagement);
    for template in PIPELINE {
        assert_not_fires(&after, template, "pipeline");
    }
    assert_not_fires(&after, "flow.tampering.deployment", "f-deploy");
    assert!(
        about(&after, "flow.denial_of_service.interruption", "f-deploy").len()
            + about(&after, "flow.tampering.client-separation", "f-deploy").len()
            > 0,
        "a connection's questions come back"
    );
}

#[test]
fn an_engineer_who_only_pushes_code_is_asked_about_the_code_not_about_the_data() {
    let questions = asked(&model("delivery-pipeline"));
    for topic in [
        "interactor.context.data",
        "interactor.context.transit",
        "interactor.context.denial-of-service",
        "interactor.context.authorization",
    ] {
        let developer = format!("{topic}.developer");
        assert_fires(&questions, &developer, "engineer");
        assert_not_fires(&questions, &developer, "customer");
        for person in ["person", "person-internal"] {
            assert_not_fires(&questions, &format!("{topic}.{person}"), "engineer");
        }
    }
    assert_fires(&questions, "interactor.context.data.person", "customer");
    assert_eq!(
        text_of(&questions, "interactor.context.data.developer", "engineer"),
        "Changes by Engineer go into what Build pipeline builds and deploys (source code): can \
         one of them reach production without a second person's review, and could a change to a \
         build script or a test read Build pipeline's secrets?"
    );
}

#[test]
fn an_assumption_that_card_numbers_never_arrive_leaves_only_the_page_and_the_split() {
    let mut engagement = load("tests/models/packs/card-checkout.json");
    // The questions that presume card data in the system, and the two that do not: the
    // scripts of the page the customer types into, and who answers for what.
    let presume = |q: &[Asked]| {
        q.iter()
            .filter(|q| q.bank == "payment-cards")
            .filter(|q| {
                !q.template.ends_with("responsibility-matrix")
                    && !q.template.ends_with("payment-page-scripts")
            })
            .count()
    };
    let page = |q: &[Asked]| {
        q.iter()
            .filter(|q| q.template.ends_with("payment-page-scripts"))
            .count()
    };
    let before = asked(&engagement);
    assert!(presume(&before) > 0);
    assert_eq!(page(&before), 1);
    engagement
        .scope
        .assumptions
        .push("We assume nothing about the provider's own systems".into());
    assert_eq!(
        presume(&asked(&engagement)),
        presume(&before),
        "an unrelated assumption"
    );
    engagement.scope.assumptions.push(
        "Card details are typed only into the provider's hosted fields and never reach us".into(),
    );
    let after = asked(&engagement);
    assert_eq!(presume(&after), 0);
    assert_eq!(page(&after), 1);
}

#[test]
fn error_details_are_asked_of_what_answers_a_caller_not_of_a_mail_handler() {
    let questions = asked(&model("delivery-pipeline"));
    let errors = "process.information_disclosure.error-details";
    assert_fires(&questions, errors, "web");
    // Reached over SMTP only: nobody gets a reply to read an error in.
    assert_not_fires(&questions, errors, "mailer");
    // A code-level checklist, asked where a high-assurance review has the time for it.
    let mut standard = model("delivery-pipeline");
    standard.assurance_level = threat_interview::AssuranceLevel::Standard;
    let questions = asked(&standard);
    for template in [
        errors,
        "process.tampering.deserialization",
        "process.tampering.query-construction",
        "process.information_disclosure.restricted-residue",
    ] {
        assert!(
            questions.iter().all(|q| q.template != template),
            "{template} in a standard engagement"
        );
    }
    assert_fires(&questions, "process.information_disclosure.leaks", "web");
}

#[test]
fn a_person_is_not_told_they_have_no_second_factor_where_their_sign_in_offers_one() {
    let mut engagement = model("delivery-pipeline");
    let alone = "interactor.spoofing.authentication.person-password";
    assert_not_fires(&asked(&engagement), alone, "customer");
    // Neither the property nor the sentence: the model records no second factor.
    let sign_in = element_mut(&mut engagement, "sign-in");
    sign_in.properties.remove("mfa_available");
    assert_not_fires(&asked(&engagement), alone, "customer");
    set_description(
        &mut engagement,
        "sign-in",
        "Signs people in and issues the session tokens the web shop trusts.",
    );
    assert_fires(&asked(&engagement), alone, "customer");
}

#[test]
fn a_second_way_in_beside_an_identity_provider_is_asked_about_where_the_model_says_so() {
    let mut engagement = model("delivery-pipeline");
    let fallback = "interactor.context.denial-of-service.fallback";
    let stated = "interactor.context.denial-of-service.stated-fallback";
    let plain = "interactor.context.denial-of-service.identity-provider";
    let questions = asked(&engagement);
    // The sign-in service says partner staff can still use a password.
    assert_fires(&questions, fallback, "partner-idp");
    assert_not_fires(&questions, stated, "partner-idp");
    assert_not_fires(&questions, plain, "partner-idp");
    // Said of the provider itself, it is quoted.
    set_description(
        &mut engagement,
        "partner-idp",
        "Signs in the staff of partner companies over SAML. Break-glass local accounts exist for \
         each partner.",
    );
    let questions = asked(&engagement);
    assert_fires(&questions, stated, "partner-idp");
    assert_not_fires(&questions, fallback, "partner-idp");
    // Said nowhere: the plain question.
    set_description(&mut engagement, "partner-idp", "Signs in partner staff.");
    set_description(&mut engagement, "sign-in", "Signs people in.");
    let questions = asked(&engagement);
    assert_fires(&questions, plain, "partner-idp");
    assert_not_fires(&questions, fallback, "partner-idp");
}

#[test]
fn an_administrator_s_trail_is_not_asked_for_where_a_flow_says_their_actions_are_logged_as_another()
{
    let mut engagement = model("admin-interactor");
    let trail = "interactor.repudiation.admin-trail";
    assert_fires(&asked(&engagement), trail, "administrator");
    let flow = flow_mut(&mut engagement, "f-manage-users");
    flow.description =
        Some("Actions taken while impersonating are logged as the impersonated user.".into());
    assert_not_fires(&asked(&engagement), trail, "administrator");
}

#[test]
fn devices_sessions_downloads_and_native_apps_get_what_fits_them() {
    let questions = asked(&model("device-fleet"));
    // Chargers send an RFID token: no identity provider's topics (an `id token` is not in
    // an `RFID token`).
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.caller",
        "chargers",
    );
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.identity-provider",
        "chargers",
    );
    // Replay: a webhook, not a persistent WebSocket session nor a download.
    assert_fires(&questions, "flow.tampering.replay", "f-webhook");
    for flow in ["f-ocpp", "f-download"] {
        assert_not_fires(&questions, "flow.tampering.replay", flow);
    }
    // Cross-site request forgery needs a browser's cookies, not a native app's bearer token.
    assert_not_fires(&questions, "flow.tampering.forged-requests", "f-tech");
    assert_fires(&questions, "flow.tampering.from-person", "f-tech");
    // Devices read the bucket without authenticating: no one writes to it that way.
    assert_not_fires(&questions, "store.tampering.open-access", "firmware");
    // The scope's assumptions say where the secrets come from.
    let secrets = "kubernetes.process.information_disclosure.secrets";
    let answered = about(&questions, secrets, "billing");
    assert_eq!(answered.len(), 1);
    assert_eq!(
        generate(&model("device-fleet"))
            .iter()
            .find(|q| q.template().id == secrets)
            .and_then(|q| q.model_answer())
            .map(|a| a.text),
        Some(
            "The engagement says: \u{201c}Secrets are held in AWS Secrets Manager and mounted \
             through the CSI driver\u{201d}."
                .to_owned()
        )
    );
}

#[test]
fn a_quote_comes_from_where_the_answering_test_holds() {
    // The person reaches an app and the identity provider; only the identity provider says
    // its sign-in events go nowhere, and the app's sentence with the same words is not
    // quoted.
    let mut engagement = model("delivery-pipeline");
    set_description(
        &mut engagement,
        "web",
        "Serves the shop. Its own errors are not shipped anywhere.",
    );
    set_description(
        &mut engagement,
        "sign-in",
        "Signs people in. Sign-in events are not shipped to any monitoring. A second factor is \
         available.",
    );
    let questions = generate(&engagement);
    let answer = questions
        .iter()
        .find(|q| {
            q.template().id == "interactor.repudiation.failed-authentication.person-password"
                && q.subject_ids() == ["customer"]
        })
        .and_then(|q| q.model_answer())
        .map(|a| a.text);
    assert_eq!(
        answer.as_deref(),
        Some(
            "The model says of Sign-in service: \u{201c}Sign-in events are not shipped to any \
             monitoring\u{201d}."
        )
    );
}

#[test]
fn round_19_off_the_shelf_products_and_stated_pipeline_identities() {
    // Code-level questions are for the team's own code, not an off-the-shelf product.
    let mut engagement = model("device-fleet");
    let api = element_mut(&mut engagement, "api");
    api.properties
        .insert("language".into(), PropertyValue::String("java".into()));
    api.properties
        .insert("internet_facing".into(), PropertyValue::Bool(true));
    let deserialization = "process.tampering.deserialization";
    assert_fires(&asked(&engagement), deserialization, "api");
    let api = element_mut(&mut engagement, "api");
    api.properties.insert(
        "technology".into(),
        PropertyValue::String("keycloak".into()),
    );
    assert_not_fires(&asked(&engagement), deserialization, "api");
    // A pipeline whose description says how it proves who it is to the cloud is not asked the
    // generic question.
    let mut engagement = model("delivery-pipeline");
    let spoofing = "process.spoofing.pipeline";
    let is_answered = |e: &Engagement| {
        generate(e)
            .iter()
            .find(|q| q.template().id == spoofing && q.subject_ids() == ["pipeline"])
            .map(|q| q.is_answered_by_model())
    };
    assert_eq!(is_answered(&engagement), Some(false));
    set_description(
        &mut engagement,
        "pipeline",
        "Builds the images and deploys them. It deploys with a long-lived access key kept in its \
         settings.",
    );
    // A stored key is quoted, and what follows from it asked, instead.
    assert_eq!(is_answered(&engagement), None);
    assert_fires(
        &asked(&engagement),
        "process.spoofing.stated-credential",
        "pipeline",
    );
    // Federation alone leaves the question's point open: which repository and branch the
    // cloud's trust names (round 21).
    set_description(
        &mut engagement,
        "pipeline",
        "Builds the images and deploys them. Cloud access is through OIDC federation.",
    );
    assert_eq!(is_answered(&engagement), Some(false));
}

#[test]
fn what_the_system_sends_a_service_names_only_what_it_receives() {
    // The shop books parcels with a carrier and pulls tracking numbers back from it: the
    // carrier is sent the parcel, not the tracking number (rounds 18 and 19: "does it need
    // all of it" named data that came from it).
    let mut engagement = model("delivery-pipeline");
    let extra: serde_json::Value = serde_json::json!({
        "elements": [{"id": "carrier", "name": "Carrier", "kind": "external_interactor",
                      "properties": {"human": false}}],
        "flows": [
            {"id": "f-book", "name": "book parcel", "source": "web", "target": "carrier",
             "protocol": "HTTPS", "data": [{"name": "parcel details", "classification": "confidential"}]},
            {"id": "f-track", "name": "fetch tracking", "source": "carrier", "target": "web",
             "initiated_by": "target", "protocol": "HTTPS",
             "data": [{"name": "tracking number", "classification": "internal"}]}
        ]
    });
    let model_value = serde_json::to_value(&*engagement.model).unwrap();
    let mut merged = model_value.clone();
    for key in ["elements", "flows"] {
        let list = merged[key].as_array_mut().unwrap();
        list.extend(extra[key].as_array().unwrap().iter().cloned());
    }
    engagement.model = serde_json::from_value::<threat_interview::model::ComponentModel>(merged)
        .unwrap()
        .into();
    let questions = asked(&engagement);
    assert_eq!(
        text_of(&questions, "interactor.context.data.callee", "carrier"),
        "The system and Carrier exchange parcel details, as the model shows it: what may \
         Carrier do on its side with what it receives (how long it keeps it, whether it uses \
         it for anything else or passes it on), and what would a breach there expose?"
    );
}

/// The delivery-pipeline fixture with its engineers also querying the database directly, as
/// well as pushing code (rounds 38, 41 and 42).
fn pipeline_with_engineers_on_the_database() -> Engagement {
    let mut pipeline = model("delivery-pipeline");
    with_extra(
        &mut pipeline,
        &serde_json::json!({"flows": [{
            "id": "f-engineer-db", "name": "incident queries", "source": "engineer",
            "target": "db", "protocol": "PostgreSQL", "encrypted": true, "authenticated": true,
            "bidirectional": true,
            "data": [{"name": "customer records", "classification": "confidential"}]
        }]}),
    );
    pipeline
}

fn with_extra(engagement: &mut Engagement, extra: &serde_json::Value) {
    let mut merged = serde_json::to_value(&*engagement.model).unwrap();
    for key in ["elements", "flows"] {
        if let Some(items) = extra[key].as_array() {
            merged[key]
                .as_array_mut()
                .unwrap()
                .extend(items.iter().cloned());
        }
    }
    engagement.model = serde_json::from_value::<threat_interview::model::ComponentModel>(merged)
        .unwrap()
        .into();
}

#[test]
fn round_20_authorities_deployments_and_what_a_service_exchange_already_says() {
    let mut engagement = model("delivery-pipeline");
    with_extra(
        &mut engagement,
        &serde_json::json!({
            "elements": [{"id": "tax-office", "name": "Tax office", "kind": "external_interactor",
                          "description": "The national tax authority; filings are required by law.",
                          "properties": {"human": false}}],
            "flows": [{"id": "f-file", "name": "file returns", "source": "web", "target": "tax-office",
                       "protocol": "HTTPS", "data": [{"name": "tax return", "classification": "confidential"}]}]
        }),
    );
    let flow = flow_mut(&mut engagement, "f-deploy");
    flow.description = Some("The cluster trusts the token of whoever pushes.".into());
    let questions = asked(&engagement);
    // An authority the system reports to: what the rules require, and what a false filing
    // would take, not whether it "needs" the data or what else the credential reaches.
    for topic in ["data", "authorization"] {
        assert_fires(
            &questions,
            &format!("interactor.context.{topic}.authority"),
            "tax-office",
        );
        assert_not_fires(
            &questions,
            &format!("interactor.context.{topic}.callee"),
            "tax-office",
        );
    }
    // A quoted statement about trust on a deployment is not asked as a connection.
    assert_not_fires(&questions, "flow.tampering.stated-trust", "f-deploy");
    assert_fires(&questions, "flow.tampering.deployment", "f-deploy");
    // The same flow from a process that deploys nothing is a connection, and asked as one.
    let pipeline = element_mut(&mut engagement, "pipeline");
    pipeline
        .properties
        .insert("deploys".into(), PropertyValue::Bool(false));
    assert_fires(
        &asked(&engagement),
        "flow.tampering.stated-trust",
        "f-deploy",
    );
}

#[test]
fn a_reader_that_pulls_from_a_store_is_not_named_among_its_writers() {
    // Round 20: "besides the warehouse, who can write to the loyalty database" when the
    // warehouse only pulls from it.
    let mut engagement = model("delivery-pipeline");
    with_extra(
        &mut engagement,
        &serde_json::json!({
            "elements": [{"id": "report", "name": "Reporting job", "kind": "process",
                          "boundary": "tb-app"}],
            "flows": [{"id": "f-report", "name": "pull orders", "source": "db", "target": "report",
                       "initiated_by": "target", "protocol": "PostgreSQL",
                       "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&engagement);
    let text = text_of(&questions, "store.tampering.write-access", "db");
    assert!(
        text.starts_with("Besides Web shop and Release tool,"),
        "{text}"
    );
    assert!(!text.contains("Reporting job"), "{text}");
}

#[test]
fn round_21_a_public_download_asks_neither_keys_nor_growth_nor_an_account() {
    let key_policy = "cloud-iam-storage.store.information_disclosure.key-policy";
    let growth = "store.denial_of_service.unbounded-growth";
    let mut engagement = model("device-fleet");
    let firmware = element_mut(&mut engagement, "firmware");
    firmware
        .properties
        .insert("encrypted_at_rest".into(), PropertyValue::Bool(true));
    firmware
        .properties
        .insert("backups".into(), PropertyValue::Bool(true));
    // Chargers upload their logs to it: something outside writes to it.
    with_extra(
        &mut engagement,
        &serde_json::json!({"flows": [{"id": "f-logs", "name": "upload logs",
            "source": "chargers", "target": "firmware", "protocol": "HTTPS",
            "data": [{"name": "charger logs", "classification": "internal"}]}]}),
    );
    let questions = asked(&engagement);
    assert_fires(&questions, key_policy, "firmware");
    assert_fires(&questions, growth, "firmware");
    // Devices download it anonymously: no account to ask about on the path.
    assert_fires(
        &questions,
        "flow.information_disclosure.outside-store-access.account-stated",
        "f-download",
    );
    assert_not_fires(
        &questions,
        "flow.information_disclosure.outside-store-access",
        "f-download",
    );
    // Without the uploads, and with only public data in it: neither whose key encrypts it nor
    // whether outside requests make it grow.
    engagement.model.flows.retain(|f| f.id != "f-logs");
    let download = flow_mut(&mut engagement, "f-download");
    for item in &mut download.data {
        item.classification = threat_interview::model::Classification::Public;
    }
    let questions = asked(&engagement);
    assert_not_fires(&questions, key_policy, "firmware");
    assert_not_fires(&questions, growth, "firmware");
}

#[test]
fn data_on_a_flow_drawn_for_context_is_not_exchanged_with_the_system() {
    // The shop's customers type card numbers straight into the provider's fields, a flow out
    // of scope: the provider's and the customer's data topics do not name them (round 20).
    let shop = load("examples/engagements/online-shop.json");
    let carded = shop
        .model
        .flows
        .iter()
        .filter(|f| f.data.iter().any(|d| d.name.contains("card number")))
        .collect::<Vec<_>>();
    assert!(!carded.is_empty() && carded.iter().all(|f| f.out_of_scope));
    // The model lists the provider's data: the question is answered with it.
    let engine = Engine::new(BankSet::builtin());
    let questions = engine.generate(shop.check().expect("a valid engagement"));
    let answer = questions
        .iter()
        .find(|q| q.id() == "interactor.context.data.caller@payment-provider")
        .and_then(|q| q.model_answer())
        .expect("answered from the model");
    assert_eq!(
        answer.text,
        "The model lists what Payment provider exchanges with the online shop: restricted: \
         card token and provider API key; internal: payment status, payment reference and \
         amount."
    );
    assert!(!answer.text.contains("card number"));
}

#[test]
fn the_data_a_person_or_caller_exchanges_is_answered_from_the_model() {
    // Rounds 71 to 88: "the data list is already in the model" (data.person 10 of 84 ratings
    // worth asking, data.caller none of 78). Where the model lists and classifies it, the
    // question is generated answered, with the data by classification, the most sensitive
    // first, the keys and codes its connections are made with included (round 89: what a
    // forger would need).
    let shop = load("examples/engagements/online-shop.json");
    let engine = Engine::new(BankSet::builtin());
    let questions = engine.generate(shop.check().expect("a valid engagement"));
    let customer = questions
        .iter()
        .find(|q| q.id() == "interactor.context.data.person@customer")
        .expect("the customer's data topic");
    assert!(customer.is_answered_by_model());
    assert_eq!(
        customer.model_answer().unwrap().text,
        "The model lists what Customer exchanges with the online shop: restricted: sign-in \
         credentials and access token; confidential: session cookie and delivery address; \
         internal: basket; public: product pages."
    );
    // Every example's people and callers with data on their flows: answered, never asked.
    for (name, engagement) in every_engagement() {
        for q in asked(&engagement) {
            if q.template == "interactor.context.data.person"
                || q.template == "interactor.context.data.caller"
            {
                assert!(q.answered, "{name}: {} asked", q.id);
            }
        }
    }
}

#[test]
fn a_hosted_store_runs_out_of_its_plan_not_of_disk() {
    // Round 22: "runs out of disk and memory" asked of a hosted Snowflake warehouse.
    let mut engagement = model("delivery-pipeline");
    with_extra(
        &mut engagement,
        &serde_json::json!({
            "elements": [{"id": "warehouse", "name": "Warehouse", "kind": "data_store",
                          "properties": {"hosting": "saas", "backups": true}}],
            "flows": [{"id": "f-load", "name": "load orders", "source": "release-tool", "target": "warehouse",
                       "protocol": "HTTPS", "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&engagement);
    assert_fires(
        &questions,
        "store.denial_of_service.capacity.saas",
        "warehouse",
    );
    assert_not_fires(&questions, "store.denial_of_service.capacity", "warehouse");
    assert_not_fires(&questions, "store.denial_of_service.capacity.saas", "db");
}

#[test]
fn an_answer_from_an_assumption_quotes_the_assumption() {
    // The engagement's description names the same product, but the `assumes` test read the
    // scope's assumptions: the answer quotes the assumption.
    let mut engagement = model("device-fleet");
    engagement.description = Some("We plan to move the rest to Secrets Manager next year.".into());
    let answer = generate(&engagement)
        .iter()
        .find(|q| q.template().id == "kubernetes.process.information_disclosure.secrets")
        .and_then(|q| q.model_answer())
        .map(|a| a.text);
    assert_eq!(
        answer.as_deref(),
        Some(
            "The engagement says: \u{201c}Secrets are held in AWS Secrets Manager and mounted \
             through the CSI driver\u{201d}."
        )
    );
}

#[test]
fn replay_is_not_asked_of_file_transfers() {
    // A file dropped over SFTP is not a call to capture and send again (round 13: "timestamps
    // and nonces make no sense for SFTP file uploads").
    let warehouse = asked(&load("examples/engagements/warehouse.json"));
    assert_not_fires(&warehouse, "flow.tampering.replay", "f-erp-sftp");
}

#[test]
fn a_system_s_partners_share_one_question_per_concern() {
    // Round 23: the rotation, reach, flooding and two-way authentication of three partners
    // were asked three times each. The shop's carrier also calls back (tracking updates): it
    // joins the payment provider in one question per concern, and their callbacks share one
    // replay question at the gateway they reach.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "flows": [{"id": "f-tracking-callback", "name": "tracking updates",
                       "source": "shipping-carrier", "target": "api-gateway", "protocol": "HTTPS",
                       "encrypted": true,
                       "data": [{"name": "tracking events", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    for template in [
        "interactor.spoofing.authentication.partner",
        "interactor.context.denial-of-service.partner",
    ] {
        let found = about(&questions, template, "payment-provider");
        assert_eq!(found.len(), 1, "{template}");
        assert_eq!(
            found[0].subjects,
            ["payment-provider", "shipping-carrier"],
            "{template}"
        );
    }
    // The rotation of credentials is one question for the partners and the services the shop
    // only calls (rounds 71 to 82: eleven times called duplicates when asked in two).
    let rotation = about(
        &questions,
        "interactor.spoofing.credential-change.callee",
        "shipping-carrier",
    );
    assert_eq!(rotation.len(), 1);
    assert!(
        ["payment-provider", "shipping-carrier"]
            .iter()
            .all(|p| rotation[0].subjects.iter().any(|s| s == p)),
        "{:?}",
        rotation[0].subjects
    );
    assert_eq!(
        text_of(
            &questions,
            "interactor.spoofing.credential-change.callee",
            "shipping-carrier"
        ),
        "How are the credentials between the online shop and Payment provider and Shipping \
         carrier rotated (those the online shop holds for them and, where they also call the \
         online shop, those they present), and how fast could a leaked one be revoked without an \
         outage?"
    );
    let replay = about(&questions, "flow.tampering.replay", "f-psp-webhook");
    assert_eq!(replay.len(), 1);
    assert_eq!(replay[0].subjects, ["f-psp-webhook", "f-tracking-callback"]);
}

#[test]
fn a_pack_s_store_questions_are_one_question_across_the_stores() {
    // Round 23: key policies and data-access logging were asked store by store.
    let claims = asked(&load("examples/engagements/claims.json"));
    let found: Vec<_> = claims
        .iter()
        .filter(|q| q.template == "cloud-iam-storage.store.information_disclosure.key-policy")
        .collect();
    assert_eq!(found.len(), 1);
    assert!(found[0].subjects.len() > 1, "{:?}", found[0].subjects);
}

#[test]
fn an_audit_log_bucket_is_not_asked_the_pack_s_object_writes_question() {
    // Round 23: the object-writes question of the cloud pack repeated the append-only
    // question of an audit log kept in a bucket. The exam platform's audit log, moved to S3.
    let mut exams = load("examples/engagements/exam-platform.json");
    element_mut(&mut exams, "audit-log")
        .properties
        .insert("technology".into(), PropertyValue::String("s3".into()));
    let questions = asked(&exams);
    assert_not_fires(
        &questions,
        "cloud-iam-storage.store.tampering.object-writes",
        "audit-log",
    );
    // Its tampering is asked by the built-in bank.
    assert_fires(&questions, "store.tampering.write-access", "audit-log");
    // The exam papers' bucket is still asked who may write its objects.
    assert!(
        questions
            .iter()
            .any(|q| q.template == "cloud-iam-storage.store.tampering.object-writes")
    );
}

#[test]
fn the_shop_s_front_ends_share_one_forged_request_question() {
    let shop = asked(&load("examples/engagements/online-shop.json"));
    let forged: Vec<_> = shop
        .iter()
        .filter(|q| q.template == "flow.tampering.forged-requests")
        .collect();
    assert_eq!(forged.len(), 1);
    assert_eq!(forged[0].subjects, ["f-storefront", "f-backoffice"]);
    assert_eq!(
        forged[0].text,
        "Over browse the shop and use the back office, what stops the components that receive \
         them from acting on requests that people did not mean to send: another site driving \
         their browser (cross-site request forgery), or a captured request replayed later?"
    );
}

#[test]
fn an_interactor_whose_every_flow_is_out_of_scope_is_asked_nothing() {
    // Round 24: a card terminal drawn with one flow to the acquirer, that flow out of scope,
    // was asked the seven topics as a service the system calls (14 wrong ratings of 21).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "card-terminal", "name": "Card terminal",
                          "kind": "external_interactor", "properties": {"human": false}}],
            "flows": [{"id": "f-terminal-card", "name": "card payments",
                       "source": "card-terminal", "target": "payment-provider",
                       "protocol": "HTTPS", "out_of_scope": true,
                       "data": [{"name": "card data", "classification": "restricted"}]}]
        }),
    );
    let questions = generate(&shop);
    assert!(
        questions
            .iter()
            .all(|q| !q.subject_ids().contains(&"card-terminal")),
        "{:?}",
        questions
            .iter()
            .filter(|q| q.subject_ids().contains(&"card-terminal"))
            .map(|q| q.template().id.clone())
            .collect::<Vec<_>>()
    );
    // None of its pairs is counted, so none is a gap.
    let coverage = Coverage::of_questions(&shop, &questions.to_questions());
    assert!(coverage.items.iter().all(|i| i.subject != "card-terminal"));
    assert!(coverage.gaps.is_empty(), "{:?}", coverage.gaps);
    // The same interactor with one flow under review is asked its topics.
    shop.model.flows.last_mut().unwrap().out_of_scope = false;
    let questions = generate(&shop);
    assert!(
        questions
            .iter()
            .any(|q| q.subject_ids().contains(&"card-terminal"))
    );
    assert_eq!(
        shop.model
            .drawn_for_context()
            .iter()
            .filter(|c| **c)
            .count(),
        0
    );
}

#[test]
fn a_deployment_stopped_partway_is_asked_instead_of_retries() {
    // Round 24: "retries with backoff" and "flooding" make no sense for a pipeline's schema
    // migration: a deployment is asked what happens when it stops partway.
    let questions = asked(&model("delivery-pipeline"));
    for flow in ["f-deploy", "f-migrate"] {
        assert_fires(&questions, "flow.denial_of_service.deployment", flow);
    }
    // One question across the pipeline's deployments, the migration to a store no
    // interactor reaches among them (it used to be asked again, alone, as unreachable).
    let deployment: Vec<&Asked> = questions
        .iter()
        .filter(|q| q.template == "flow.denial_of_service.deployment")
        .collect();
    assert_eq!(deployment.len(), 1);
    assert_eq!(deployment[0].subjects, ["f-deploy", "f-migrate"]);
    assert_eq!(
        text_of(&questions, "flow.denial_of_service.deployment", "f-migrate"),
        "If a deployment over deploy the web shop and run migrations stops partway (a schema \
         migration half applied, a rollout interrupted), how would you notice, and can what it \
         was deploying to be rolled back or forward without losing data or leaving two versions \
         running?"
    );
    // A call between services is still asked about its timeouts and retries.
    assert!(
        questions
            .iter()
            .any(|q| q.template == "flow.denial_of_service.interruption")
    );
}

#[test]
fn the_health_data_pack_is_not_called_for_by_a_veterinary_practice() {
    // Round 24: an animal's clinical record is not health data under GDPR Article 9 or HIPAA.
    let mut telehealth = load("examples/engagements/telehealth.json");
    let active = |e: &Engagement| {
        common::asked_and_packs(e, BankSet::builtin())
            .1
            .iter()
            .any(|p| p.id == "health-data" && p.active)
    };
    assert!(active(&telehealth));
    telehealth.description =
        Some("The booking and records platform of a chain of veterinary clinics.".into());
    assert!(!active(&telehealth));
}

#[test]
fn a_person_fetching_public_content_straight_from_a_store_is_not_asked_about_the_path() {
    // Round 25: campaign media served from a bucket to backers' browsers was asked which
    // network the path runs over and how the browser makes sure it reaches the genuine store.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "flows": [{"id": "f-images", "name": "load product images", "source": "catalog-db",
                       "target": "customer", "initiated_by": "target", "protocol": "HTTPS",
                       "encrypted": true,
                       "data": [{"name": "product images", "classification": "public"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_not_fires(
        &questions,
        "flow.information_disclosure.outside-store-access",
        "f-images",
    );
    assert_not_fires(&questions, "flow.tampering.integrity-pulled", "f-images");
    // The same path carrying customer data is asked about.
    shop.model.flows.last_mut().unwrap().data[0].classification =
        threat_interview::model::Classification::Confidential;
    let questions = asked(&shop);
    assert_fires(
        &questions,
        "flow.information_disclosure.outside-store-access",
        "f-images",
    );
}

#[test]
fn money_bank_details_and_uploaded_files_are_asked_about_where_the_model_shows_them() {
    // Rounds 23 to 25: the reviewers' misses were the domain's own: a payout account changed
    // without a second step, one person moving money alone, uploaded files opened by others.
    let shop = asked(&load("examples/engagements/online-shop.json"));
    assert_eq!(
        text_of(
            &shop,
            "process.elevation_of_privilege.money-approval",
            "backoffice-app"
        ),
        "Staff reach Back-office application, which moves money: can one person alone issue a \
         refund, release a payout or lift a hold, or does it take a second approver or a limit \
         above which one is needed, and is each such action recorded under that person's own \
         name?"
    );
    // The shop holds no bank details and takes no files from people.
    assert!(
        shop.iter()
            .all(|q| q.template != "process.tampering.payout-details"
                && q.template != "flow.tampering.uploads")
    );
    let hr = asked(&load("examples/engagements/hr-saas.json"));
    assert_fires(&hr, "process.tampering.payout-details", "payroll-service");
    let claims = asked(&load("examples/engagements/claims.json"));
    assert_fires(&claims, "flow.tampering.uploads", "f-adjuster-use");
    // Photos on a flow both ways are shown as often as sent (round 31: front-desk staff who
    // look members up, photos included): asked where the flow says something is uploaded.
    let mut both_ways = load("examples/engagements/claims.json");
    let flow = flow_mut(&mut both_ways, "f-adjuster-use");
    flow.bidirectional = true;
    flow.description = Some("The adjuster looks up the claim and its photos.".to_owned());
    assert_not_fires(
        &asked(&both_ways),
        "flow.tampering.uploads",
        "f-adjuster-use",
    );
    flow_mut(&mut both_ways, "f-adjuster-use").description =
        Some("The adjuster looks up the claim and uploads inspection photos.".to_owned());
    assert_fires(
        &asked(&both_ways),
        "flow.tampering.uploads",
        "f-adjuster-use",
    );
    // A handheld scanner's scan confirmations are not files.
    let warehouse = asked(&load("examples/engagements/warehouse.json"));
    assert_never_asked(&warehouse, "flow.tampering.uploads");
}

#[test]
fn round_26_managed_devices_own_systems_provider_applications_and_pulls_from_partners() {
    // An app on devices the organisation manages is not asked as if anyone's device ran it.
    let mut hotel = load("examples/engagements/hotel-keys.json");
    let guests = asked(&hotel);
    assert_fires(&guests, "flow.tampering.from-client-app", "f-app-api");
    assert_fires(&guests, "flow.tampering.on-device.person", "f-guest-app");
    set_description(
        &mut hotel,
        "mobile-app",
        "The staff app on Intune-managed phones: housekeeping status and keys.",
    );
    let managed = asked(&hotel);
    assert_not_fires(&managed, "flow.tampering.from-client-app", "f-app-api");
    assert_fires(
        &managed,
        "flow.tampering.from-client-app.staff",
        "f-app-api",
    );
    assert_not_fires(&managed, "flow.tampering.on-device.person", "f-guest-app");
    assert_fires(
        &managed,
        "flow.tampering.on-device.staff-managed",
        "f-guest-app",
    );

    // A system of the organisation's own, drawn inside a trusted zone, is not asked what it
    // may do with the data it is sent.
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(
        &asked(&shop),
        "interactor.context.data.callee",
        "shipping-carrier",
    );
    element_mut(&mut shop, "shipping-carrier").boundary = Some("tb-corp".into());
    assert_not_fires(
        &asked(&shop),
        "interactor.context.data.callee",
        "shipping-carrier",
    );

    // A worker that pulls data from a partner is not told nothing outside reaches it.
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(
        &asked(&shop),
        "process.tampering.consumed-data",
        "fulfilment-worker",
    );
    with_extra(
        &mut shop,
        &serde_json::json!({
            "flows": [{"id": "f-tracking-pull", "name": "fetch tracking events",
                       "source": "shipping-carrier", "target": "fulfilment-worker",
                       "initiated_by": "target", "protocol": "HTTPS", "encrypted": true,
                       "data": [{"name": "tracking events", "classification": "internal"}]}]
        }),
    );
    assert_not_fires(
        &asked(&shop),
        "process.tampering.consumed-data",
        "fulfilment-worker",
    );

    // A provider's application that keeps the system's personal data (a CRM) is not a front
    // such as a CDN: no shared address ranges or dangling host names.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "helpdesk", "name": "Help desk", "kind": "process",
                          "properties": {"hosting": "saas", "handles_personal_data": true}}],
            "flows": [
                {"id": "f-helpdesk", "name": "open tickets", "source": "customer",
                 "target": "helpdesk", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "tickets", "classification": "confidential"}]},
                {"id": "f-helpdesk-orders", "name": "look up orders", "source": "helpdesk",
                 "target": "order-service", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "order status", "classification": "confidential"}]}
            ]
        }),
    );
    let hosted = "process.spoofing.impersonation.hosted-front";
    assert_not_fires(&asked(&shop), hosted, "helpdesk");
    element_mut(&mut shop, "helpdesk")
        .properties
        .remove("handles_personal_data");
    assert_fires(&asked(&shop), hosted, "helpdesk");
}

#[test]
fn round_26_stated_keys_broad_rights_and_unsigned_callbacks_are_quoted() {
    // Unquoted in rounds 23 to 26, and named among the reviewers' misses: a static key, an
    // account key, secrets in a configuration, broad rights, a callback authenticated by a
    // token in its URL rather than a signature, uploads with no type or size check.
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-shipment-booking").description =
        Some("Bookings are sent with a static API key in a header.".into());
    flow_mut(&mut shop, "f-psp-webhook").description =
        Some("The callback URL carries a secret token rather than a signature.".into());
    set_description(
        &mut shop,
        "fulfilment-worker",
        "Books parcels. Uses one service account with broad API rights at the carrier.",
    );
    let questions = asked(&shop);
    assert_eq!(
        text_of(
            &questions,
            "flow.tampering.stated-credential",
            "f-shipment-booking"
        ),
        "The model says of book shipment: \u{201c}Bookings are sent with a static API key in a \
         header.\u{201d} Who could hold that credential by now, what could they send over it \
         as Fulfilment worker, and what would replacing it break?"
    );
    assert_fires(&questions, "flow.tampering.stated-trust", "f-psp-webhook");
    assert_fires(
        &questions,
        "process.elevation_of_privilege.stated-power",
        "fulfilment-worker",
    );
}

#[test]
fn round_27_messages_to_people_and_developers() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "flows": [
                {"id": "f-confirmation", "name": "order confirmation e-mails",
                 "source": "order-service", "target": "customer", "protocol": "SMTP",
                 "data": [{"name": "order confirmation", "classification": "confidential"}]}
            ]
        }),
    );
    let questions = generate(&shop);
    let of = |template: &str, subject: &str| {
        questions
            .iter()
            .find(|q| q.template().id == template && q.subject_ids().contains(&subject))
    };
    // Round 27: a person was asked how they check mutual TLS on an e-mail.
    assert!(of("flow.tampering.integrity", "f-confirmation").is_none());
    assert_eq!(
        of("flow.tampering.to-person", "f-confirmation")
            .unwrap()
            .text(),
        "Over order confirmation e-mails, Order service sends messages to Customer: how would \
         they tell a genuine one from a forged one (a look-alike sender, a link to a copied page, \
         a changed attachment), and what could a forged one make them do?"
    );
    // An engineer who only pushes code is asked how they sign in to the pipeline.
    let pipeline = asked(&model("delivery-pipeline"));
    assert_fires(
        &pipeline,
        "interactor.spoofing.authentication.developer",
        "engineer",
    );
    assert_not_fires(
        &pipeline,
        "interactor.spoofing.authentication.person-own-sso",
        "engineer",
    );
}

#[test]
fn round_28_file_transfers_are_not_asked_about_mutual_tls_or_phishing() {
    // A report sent by SFTP to a regulator was asked whether it used mutual TLS and how the
    // regulator would tell it from a phishing message.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "flows": [
                {"id": "f-settlement-file", "name": "settlement file", "source": "backoffice-app",
                 "target": "payment-service", "protocol": "SFTP", "encrypted": true,
                 "data": [{"name": "settlement file", "classification": "confidential"}]},
                {"id": "f-statement-file", "name": "monthly statement", "source": "order-service",
                 "target": "customer", "protocol": "SFTP", "encrypted": true,
                 "data": [{"name": "statement", "classification": "confidential"}]},
                {"id": "f-statement-mail", "name": "monthly statement e-mail",
                 "source": "order-service", "target": "customer", "protocol": "SMTP",
                 "data": [{"name": "statement", "classification": "confidential"}]}
            ]
        }),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, "flow.tampering.mutual-tls", "f-settlement-file");
    assert_not_fires(&questions, "flow.tampering.to-person", "f-statement-file");
    assert_fires(&questions, "flow.tampering.to-person", "f-statement-mail");
    // The same transfer over HTTPS to a service that takes mutual TLS is asked about it.
    flow_mut(&mut shop, "f-settlement-file").protocol = Some("HTTPS".into());
    assert_fires(
        &asked(&shop),
        "flow.tampering.mutual-tls",
        "f-settlement-file",
    );
}

#[test]
fn people_who_reach_different_components_share_the_sign_in_flooding_and_transit_questions() {
    // Round 27: six kinds of people, each asked transit, password change, failed sign-ins and
    // flooding (0 worth in 30 ratings, listed as near-duplicates). A seller who reaches only
    // the storefront shares those questions with the customer, who reaches the gateway too.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "seller", "name": "Marketplace seller",
                          "kind": "external_interactor",
                          "properties": {"human": true, "auth_methods": ["password"]}}],
            "flows": [{"id": "f-seller", "name": "manage listings", "source": "seller",
                       "target": "web-frontend", "protocol": "HTTPS", "encrypted": true,
                       "authenticated": true, "bidirectional": true,
                       "data": [{"name": "listings", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    for template in [
        "interactor.context.transit.person",
        "interactor.spoofing.credential-change.person-password",
        "interactor.repudiation.failed-authentication.person-password",
    ] {
        let found = about(&questions, template, "seller");
        assert_eq!(found.len(), 1, "{template}");
        assert_eq!(found[0].subjects, ["customer", "seller"], "{template}");
    }
}

#[test]
fn round_29_payslips_sickness_absence_and_migrations() {
    // Payslips people download are not files they send (round 29); documents the HR
    // administrators say they upload are (round 34: a flow's own "upload").
    let hr = asked(&load("examples/engagements/hr-saas.json"));
    assert_not_fires(&hr, "flow.tampering.uploads", "f-employee-portal");
    assert_fires(&hr, "flow.tampering.uploads", "f-hr-admin-portal");
    // A payroll store that keeps sickness absence is not a clinical system.
    let mut shop = load("examples/engagements/online-shop.json");
    let active = |e: &Engagement| {
        common::asked_and_packs(e, BankSet::builtin())
            .1
            .iter()
            .any(|p| p.id == "health-data" && p.active)
    };
    element_mut(&mut shop, "orders-db")
        .properties
        .insert("health_data".into(), PropertyValue::Bool(true));
    assert!(active(&shop));
    set_description(
        &mut shop,
        "orders-db",
        "Orders and the staff timesheets, including sickness absence.",
    );
    assert!(!active(&shop));
    // Fetching an identity provider's signing keys is not a path to fence with network
    // policies (round 29: "validate tokens only fetches the public JWKS").
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-login").authenticated = None;
    flow_mut(&mut shop, "f-place-order").authenticated = None;
    let questions = asked(&shop);
    assert_not_fires(
        &questions,
        "kubernetes.flow.tampering.network-policy",
        "f-login",
    );
    assert_fires(
        &questions,
        "kubernetes.flow.tampering.network-policy",
        "f-place-order",
    );
}

#[test]
fn an_app_s_sign_in_at_the_identity_provider_is_not_an_open_path() {
    // Round 29: an app's sign-in is unauthenticated by nature (a public client); calling it an
    // open path to the identity provider made no sense. Its other unauthenticated calls are.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "shop-app", "name": "Shop app", "kind": "process",
                          "properties": {"hosting": "mobile"}}],
            "flows": [
                {"id": "f-app-sign-in", "name": "app sign-in", "source": "shop-app",
                 "target": "identity-service", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": false,
                 "data": [{"name": "authorization code", "classification": "restricted"}]},
                {"id": "f-app-catalogue", "name": "app catalogue", "source": "shop-app",
                 "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": false,
                 "data": [{"name": "product list", "classification": "public"}]}
            ]
        }),
    );
    let questions = asked(&shop);
    assert_not_fires(
        &questions,
        "flow.tampering.open-to-clients",
        "f-app-sign-in",
    );
    assert_fires(
        &questions,
        "flow.tampering.open-to-clients",
        "f-app-catalogue",
    );
}

#[test]
fn verbs_agree_with_the_names_they_follow() {
    // `Visitors` (plural) and the same person renamed `Visitor`: the texts differ in the
    // verb alone.
    let mut engagement = model("stated-facts");
    let plural = asked(&engagement);
    element_mut(&mut engagement, "visitor").name = "Visitor".to_owned();
    let singular = asked(&engagement);
    let link = "interactor.spoofing.authentication.person-link";
    let (many, one) = (
        text_of(&plural, link, "visitor"),
        text_of(&singular, link, "visitor"),
    );
    assert!(many.starts_with("Visitors get in with a link"), "{many}");
    assert!(one.starts_with("Visitor gets in with a link"), "{one}");
    assert_eq!(
        many.replacen("Visitors get", "Visitor gets", 1),
        one,
        "only the name and its verb differ"
    );
    let no_password = "interactor.spoofing.credential-change.person-link";
    assert!(text_of(&plural, no_password, "visitor").starts_with("Visitors have no password"));
    assert!(text_of(&singular, no_password, "visitor").starts_with("Visitor has no password"));
}

#[test]
fn a_person_with_a_password_and_another_way_in_is_asked_about_each_way_by_name() {
    // The shop's customers sign in with a password or a Google account: not "a password
    // alone", and not the generic "how is Customer authenticated" the model answers.
    let mut engagement = load("examples/engagements/online-shop.json");
    let alternatives = "interactor.spoofing.authentication.person-password-alternatives";
    let questions = asked(&engagement);
    let text = text_of(&questions, alternatives, "customer");
    assert!(
        text.starts_with("Customer can sign in with a password or a Google account, as the model shows, and it records no second factor for them"),
        "{text}"
    );
    for other in [
        "interactor.spoofing.authentication",
        "interactor.spoofing.authentication.person-password",
    ] {
        assert_not_fires(&questions, other, "customer");
    }
    // A password and a link, and no second factor stated: the same question, naming both.
    set_auth_methods(&mut engagement, "customer", &["password", "magic_link"]);
    set_property(
        &mut engagement,
        "customer",
        "mfa_available",
        PropertyValue::Bool(false),
    );
    assert_text_starts_with(
        &asked(&engagement),
        alternatives,
        "customer",
        "Customer can sign in with a password or a link sent to them",
    );
    // A password alone is asked as such; a recorded second factor is asked as that.
    set_auth_methods(&mut engagement, "customer", &["password"]);
    let questions = asked(&engagement);
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.person-password",
        "customer",
    );
    assert_not_fires(&questions, alternatives, "customer");
    set_auth_methods(
        &mut engagement,
        "customer",
        &["password", "magic_link", "totp"],
    );
    assert_not_fires(&asked(&engagement), alternatives, "customer");
}

#[test]
fn people_without_accounts_are_not_said_to_flood_through_their_accounts() {
    // Rounds 23 and 28: contractors with a link and no account, "flooded through the
    // accounts of" them. Visitors get in with a link only.
    let questions = asked(&model("stated-facts"));
    let text = text_of(
        &questions,
        "interactor.context.denial-of-service.person",
        "visitor",
    );
    assert!(!text.contains("accounts of"), "{text}");
    assert!(text.contains("claim to come, from"), "{text}");
}

#[test]
fn a_component_that_falls_back_when_its_connection_is_down_is_asked_what_it_lets_through() {
    // Round 31's misses (both reviewers): door controllers that "fall back to a cached
    // allow-list when the line is down" were never asked whether they fail open.
    const FALLBACK: &str = "process.elevation_of_privilege.stated-fallback";
    let mut shop = load("examples/engagements/online-shop.json");
    assert_not_fires(&asked(&shop), FALLBACK, "order-service");
    element_mut(&mut shop, "order-service").description = Some(
        "Takes orders. It checks stock with the ERP and falls back to a cached stock list when the line is down."
            .to_owned(),
    );
    let text = text_of(&asked(&shop), FALLBACK, "order-service");
    assert!(
        text.starts_with(
            "The model says of Order service: “It checks stock with the ERP and falls back to a cached stock list when the line is down.” What does Order service let through while it falls back"
        ),
        "{text}"
    );
    // Working offline is not falling back to a weaker check.
    element_mut(&mut shop, "order-service").description =
        Some("Takes orders; the shop works offline and syncs later.".to_owned());
    assert_not_fires(&asked(&shop), FALLBACK, "order-service");
}

#[test]
fn a_shared_login_is_quoted_whatever_the_words_between() {
    // Round 31: "a shared 'pfadmin' account" and "one shared front-desk login" were never
    // named (both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    element_mut(&mut shop, "backoffice-app").description =
        Some("Settings are managed through a shared 'shopadmin' account.".to_owned());
    element_mut(&mut shop, "shop-staff").description =
        Some("The warehouse PC stays signed in to one shared packing-bench login.".to_owned());
    let questions = asked(&shop);
    assert!(
        text_of(
            &questions,
            "process.elevation_of_privilege.stated-shared-access",
            "backoffice-app"
        )
        .starts_with("The model says of Back-office application: “Settings are managed through a shared 'shopadmin' account.”")
    );
    assert!(
        text_of(
            &questions,
            "interactor.repudiation.stated-shared-access",
            "shop-staff"
        )
        .starts_with("The model says of Shop staff: “The warehouse PC stays signed in to one shared packing-bench login.”")
    );
}

#[test]
fn a_stated_limit_below_which_staff_move_money_alone_is_asked_about_instead_of_approvals() {
    // Round 31 (both reviewers): "refunds up to £100 without approval" answers "can one
    // person alone issue a refund"; what is left is the threshold (round 27's miss: splits).
    const LIMIT: &str = "flow.tampering.stated-money-limit";
    const APPROVAL: &str = "process.elevation_of_privilege.money-approval";
    let mut shop = load("examples/engagements/online-shop.json");
    let questions = asked(&shop);
    assert_fires(&questions, APPROVAL, "backoffice-app");
    assert_not_fires(&questions, LIMIT, "f-backoffice");
    flow_mut(&mut shop, "f-backoffice").description = Some(
        "Staff search orders and change addresses. They issue refunds up to £50 without approval."
            .to_owned(),
    );
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        LIMIT,
        "f-backoffice",
        "The model says of use the back office: “They issue refunds up to £50 without approval.” Is that limit per action",
    );
    assert_not_fires(&questions, APPROVAL, "backoffice-app");
    // Tickets transferred without a second approval are not money.
    let ticketing = asked(&load("examples/engagements/ticketing.json"));
    assert_never_asked(&ticketing, LIMIT);
}

#[test]
fn connections_carrying_credentials_share_one_question() {
    // Round 31: four questions, one per connection, asked the same thing (where TLS ends and
    // whether the credentials reach logs); both reviewers listed them as near-duplicates.
    let mut grouped = 0;
    for path in EXAMPLES {
        let questions = asked(&load(path));
        let credentials: Vec<&Asked> = questions
            .iter()
            .filter(|q| q.template == "flow.information_disclosure.credentials")
            .collect();
        // Fewer questions than connections wherever there are several.
        let connections: usize = credentials.iter().map(|q| q.subjects.len()).sum();
        assert!(
            connections < 2 || credentials.len() < connections,
            "{path}: {credentials:?}"
        );
        if let Some(one) = credentials.first()
            && one.subjects.len() >= 2
        {
            assert!(
                one.text
                    .starts_with("These connections carry credentials or tokens: "),
                "{}",
                one.text
            );
            grouped += 1;
        }
    }
    assert!(
        grouped >= 2,
        "{grouped} examples ask about several connections at once"
    );
}

#[test]
fn round_32_people_reaching_providers_stores_reached_directly_identities_without_secrets() {
    // A person's traffic straight to a provider is not the provider's sign-in to vouch for
    // (round 31: head office in the CRM; round 32: learners at the CDN and the analytics
    // service, 2 wrong each): what the system relies on the provider to check is asked.
    const TO_PROVIDER: &str = "flow.tampering.person-to-provider";
    const CALLER: [&str; 2] = [
        "interactor.spoofing.authentication.caller",
        "interactor.spoofing.credential-change.caller",
    ];
    let city = asked(&load("examples/engagements/city-portal.json"));
    for flow in ["f-analytics", "f-booking-widget", "f-booking-staff"] {
        assert_fires(&city, TO_PROVIDER, flow);
        for other in [
            "flow.tampering.from-person",
            "flow.tampering.from-person-anonymous",
            "flow.tampering.integrity",
        ] {
            assert_not_fires(&city, other, flow);
        }
    }
    let exams = asked(&load("examples/engagements/exam-platform.json"));
    // A sign-in at a university's own identity provider too (round 36: the firm's Entra ID,
    // asked how it tells its users, was rated wrong by both reviewers).
    // (Since round 53, as a sign-in outside the system: what a phishing proxy could relay.)
    assert_fires(
        &exams,
        "flow.tampering.from-person.sign-in-outside",
        "f-sso-signin",
    );
    assert_not_fires(&exams, TO_PROVIDER, "f-sso-signin");
    assert_not_fires(&exams, "flow.tampering.from-person", "f-sso-signin");
    // No cross-site request forgery against a store a person writes to directly (a
    // pre-signed upload to a bucket, round 32).
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(
        &asked(&shop),
        "flow.tampering.forged-requests",
        "f-storefront",
    );
    flow_mut(&mut shop, "f-storefront").target = "catalog-db".to_owned();
    assert_not_fires(
        &asked(&shop),
        "flow.tampering.forged-requests",
        "f-storefront",
    );
    // A caller that proves itself with an identity its platform gives it holds no secret to
    // keep or rotate: answered from the model (round 32: a CDN's origin access identity).
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    for template in CALLER {
        assert!(
            !answered_from_model(&fleet, template, "telematics-unit"),
            "{template}"
        );
    }
    element_mut(&mut fleet, "telematics-unit").description = Some(
        "Each unit signs in with a workload identity its cloud issues; no key is stored on it."
            .to_owned(),
    );
    for template in CALLER {
        assert!(
            answered_from_model(&fleet, template, "telematics-unit"),
            "{template}"
        );
    }
    // The people whose sign-in methods the model lists are never asked the bare "how is X
    // authenticated" (round 32: an affiliate with a password, rated wrong by both).
    for (path, engagement) in every_engagement() {
        let questions = asked(&engagement);
        assert!(
            questions
                .iter()
                .all(|q| q.template != "interactor.spoofing.authentication"
                    || !q.subjects.iter().any(|s| {
                        engagement.model.elements.iter().any(|e| {
                            &e.id == s
                                && matches!(
                                    e.properties.get("human"),
                                    Some(PropertyValue::Bool(true))
                                )
                                && e.properties.contains_key("auth_methods")
                        })
                    })),
            "{path}"
        );
    }
}

#[test]
fn round_32_misses_keys_fetched_in_the_clear_and_workers_that_open_people_s_files() {
    // Both round-32 reviewers: the API fetched the keys it checks tokens with over plain HTTP,
    // and a transcoding pipeline ran ffmpeg on uploads; neither was asked.
    const KEYS: &str = "flow.tampering.verification-keys-in-clear";
    const FILES: &str = "process.elevation_of_privilege.hostile-files";
    let mut telehealth = load("examples/engagements/telehealth.json");
    assert_fires(&asked(&telehealth), KEYS, "f-gateway-idp");
    assert_not_fires(
        &asked(&telehealth),
        "flow.tampering.integrity",
        "f-gateway-idp",
    );
    flow_mut(&mut telehealth, "f-gateway-idp").encrypted = Some(true);
    assert_not_fires(&asked(&telehealth), KEYS, "f-gateway-idp");
    let esignature = asked(&load("examples/engagements/esignature.json"));
    assert!(
        text_of(&esignature, FILES, "pdf-worker")
            .starts_with("Document rendering worker works on files people send in (")
    );
    // Rendering its own PDF tickets is not opening people's files.
    let ticketing = asked(&load("examples/engagements/ticketing.json"));
    assert_never_asked(&ticketing, FILES);
}

#[test]
fn a_provider_only_people_s_devices_reach_gets_the_seven_topics_in_its_own_form() {
    // Round 32: an analytics service the browser's script calls was asked "when Skillhive
    // calls Product analytics", where the credentials Skillhive holds for it are kept and how
    // they are rotated (5 wrong from one reviewer): no part of the system calls it.
    let mut city = load("examples/engagements/city-portal.json");
    element_mut(&mut city, "web-analytics").out_of_scope = false;
    let questions = asked(&city);
    for topic in TOPICS {
        let template = format!("{topic}.reached-by-people");
        assert_fires(&questions, &template, "web-analytics");
        assert_not_fires(&questions, &format!("{topic}.callee"), "web-analytics");
    }
    assert!(
        text_of(
            &questions,
            "interactor.context.data.reached-by-people",
            "web-analytics"
        )
        .starts_with("Web analytics service receives ")
    );
    // A provider the system's own services also call stays a service the system calls.
    let telehealth = asked(&load("examples/engagements/telehealth.json"));
    assert_not_fires(
        &telehealth,
        "interactor.spoofing.authentication.reached-by-people",
        "video-provider",
    );
}

#[test]
fn round_33_what_the_model_says_of_devices_migrations_links_and_webhooks() {
    const UNENCRYPTED: &str = "store.information_disclosure.on-device-unencrypted";
    const SEPARATION: &str = "flow.tampering.client-separation";
    const TRANSIT: &str = "interactor.context.transit.caller";
    const UNSIGNED: &str = "interactor.context.transit.caller-unsigned";
    const INTEGRITY: &str = "flow.tampering.integrity";
    // An app's store the model says is not encrypted is asked about that, not whether it is.
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    let questions = asked(&fleet);
    assert_fires(&questions, UNENCRYPTED, "offline-store");
    assert_not_fires(
        &questions,
        "store.information_disclosure.on-device",
        "offline-store",
    );
    set_property(
        &mut fleet,
        "offline-store",
        "encrypted_at_rest",
        PropertyValue::Bool(true),
    );
    let questions = asked(&fleet);
    assert_not_fires(&questions, UNENCRYPTED, "offline-store");
    assert_fires(
        &questions,
        "store.information_disclosure.on-device",
        "offline-store",
    );
    // Migrations run with the master credentials: whether the pipeline has a credential of
    // its own is answered (rounds 23, 29 and 33: 6 wrong ratings for asking it).
    let mut city = load("examples/engagements/city-portal.json");
    assert!(!answered_from_model(&city, SEPARATION, "f-portal-db"));
    flow_mut(&mut city, "f-portal-db").description =
        Some("The portal connects with the database master credentials.".to_owned());
    assert!(answered_from_model(&city, SEPARATION, "f-portal-db"));
    // A webhook whose signature the receiver does not check: the model says they are not
    // signed, and the rest is asked (up to where transit is protected, what else tells a
    // forged one): both round-38 reviewers rejected that sentence as the whole answer.
    let mut hr = load("examples/engagements/hr-saas.json");
    assert!(!answered_from_model(&hr, TRANSIT, "esign-provider"));
    flow_mut(&mut hr, "f-esign-webhook").description = Some(
        "The provider posts the envelope status; we do not check its request signature yet."
            .to_owned(),
    );
    let questions = asked(&hr);
    assert_not_fires(&questions, TRANSIT, "esign-provider");
    assert!(!answered_from_model(&hr, UNSIGNED, "esign-provider"));
    assert!(
        text_of(&questions, UNSIGNED, "esign-provider").starts_with("The model marks the calls "),
        "{}",
        text_of(&questions, UNSIGNED, "esign-provider")
    );
    assert_fires(&asked(&hr), "flow.tampering.replay", "f-esign-webhook");
    flow_mut(&mut hr, "f-esign-webhook").protocol = Some("SMTP".to_owned());
    assert_not_fires(&asked(&hr), "flow.tampering.replay", "f-esign-webhook");
    // A connection made through a pre-signed link is answered about who makes it.
    assert!(!answered_from_model(&fleet, INTEGRITY, "f-fleet-db"));
    flow_mut(&mut fleet, "f-fleet-db").description =
        Some("Exports are written through a pre-signed URL the API issues.".to_owned());
    assert!(answered_from_model(&fleet, INTEGRITY, "f-fleet-db"));
}

#[test]
fn round_33_misses_a_key_shipped_to_browsers_and_attachments_a_job_opens() {
    const CLIENT_KEY: &str = "flow.information_disclosure.stated-client-key";
    const FILES: &str = "process.elevation_of_privilege.hostile-files";
    // Both reviewers: a mapping key "in the console's front-end code, restricted by HTTP
    // referrer" was never asked about; a job that extracts e-mailed attachments neither.
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-storefront").description = Some(
        "Product pages and maps; the maps API key is in the front-end code, restricted by HTTP referrer."
            .to_owned(),
    );
    element_mut(&mut shop, "fulfilment-worker").description = Some(
        "Reads order events and extracts the attachments customers send with returns.".to_owned(),
    );
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        CLIENT_KEY,
        "f-storefront",
        "The model says of browse the shop: “the maps API key is in the front-end code, restricted by HTTP referrer.”",
    );
    assert_fires(&questions, FILES, "fulfilment-worker");
    // A browser loading a JavaScript bundle carries no key.
    let ticketing = asked(&load("examples/engagements/ticketing.json"));
    assert_never_asked(&ticketing, CLIENT_KEY);
}

#[test]
fn the_keys_tokens_are_checked_with_are_asked_about_where_they_travel_not_where_they_are_kept() {
    // Round 32 (both reviewers): the integrity catch-all asked the identity provider how it
    // knows a key fetch comes from the API; where the keys come from and what makes the API
    // fetch again is what matters. Keys kept in a database are the store's secrets.
    const KEYS: &str = "flow.tampering.verification-keys";
    let mut warehouse = load("examples/engagements/warehouse.json");
    let questions = asked(&warehouse);
    assert_fires(&questions, KEYS, "f-wms-oidc");
    assert_not_fires(&questions, "flow.tampering.integrity", "f-wms-oidc");
    flow_mut(&mut warehouse, "f-wms-oidc").encrypted = Some(false);
    let questions = asked(&warehouse);
    assert_not_fires(&questions, KEYS, "f-wms-oidc");
    assert_fires(
        &questions,
        "flow.tampering.verification-keys-in-clear",
        "f-wms-oidc",
    );
    // The same keys written to a store are the store's secrets.
    flow_mut(&mut warehouse, "f-wms-oidc").target = "wms-db".to_owned();
    let questions = asked(&warehouse);
    assert_not_fires(
        &questions,
        "flow.tampering.verification-keys-in-clear",
        "f-wms-oidc",
    );
    for (path, engagement) in every_engagement() {
        let questions = asked(&engagement);
        for q in questions.iter().filter(|q| q.template.starts_with(KEYS)) {
            for subject in &q.subjects {
                let flow = engagement
                    .model
                    .flows
                    .iter()
                    .find(|f| &f.id == subject)
                    .unwrap();
                for end in [&flow.source, &flow.target] {
                    let element = engagement
                        .model
                        .elements
                        .iter()
                        .find(|e| &e.id == end)
                        .unwrap();
                    assert_ne!(element.kind, ElementKind::DataStore, "{path}: {subject}");
                }
            }
        }
    }
}

#[test]
fn round_34_a_denied_second_factor_staff_records_unsigned_messages_and_missing_limits() {
    const PASSWORD: &str = "interactor.spoofing.authentication.person-password";
    const STAFF: &str = "interactor.context.data.person-staff";
    const NO_LIMIT: &str = "process.denial_of_service.stated-no-limit";
    // "No second factor is offered to the public" at the identity provider is no sign of one
    // (both reviewers: the people were asked as if the model were silent).
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["password"]);
    element_mut(&mut shop, "identity-service").description =
        Some("Registers customers and checks passwords; staff use a second factor.".to_owned());
    assert_not_fires(&asked(&shop), PASSWORD, "customer");
    element_mut(&mut shop, "identity-service").description = Some(
        "Registers customers and checks passwords. No second factor is offered to the public."
            .to_owned(),
    );
    assert_fires(&asked(&shop), PASSWORD, "customer");
    // Staff reach other people's records by design: how far, in bulk, and noticed.
    let questions = asked(&load("examples/engagements/online-shop.json"));
    assert!(
        text_of(&questions, STAFF, "shop-staff")
            .contains("do they reach every record or only those of their own work")
    );
    assert_not_fires(&questions, "interactor.context.data.person", "shop-staff");
    assert_fires(&questions, "interactor.context.data.person", "customer");
    // A stated missing rate limit: guessing and cost, not only an outage.
    let city = asked(&load("examples/engagements/city-portal.json"));
    assert!(
        text_of(&city, NO_LIMIT, "open-data-api")
            .starts_with("The model says of Open-data API: “No rate limiting beyond the WAF defaults.” What could someone do by sending it requests as fast as they like")
    );
    assert_not_fires(
        &city,
        "process.denial_of_service.stated-single-point",
        "open-data-api",
    );
    // A partner's calls marked unsigned: that is said, the rest of transit asked.
    let mut hotel = load("examples/engagements/hotel-keys.json");
    assert!(!answered_from_model(
        &hotel,
        "interactor.context.transit.caller",
        "channel-partners"
    ));
    flow_mut(&mut hotel, "f-partner-push")
        .properties
        .insert("message_signing".to_owned(), PropertyValue::Bool(false));
    assert_text_starts_with(
        &asked(&hotel),
        "interactor.context.transit.caller-unsigned",
        "channel-partners",
        "The model marks the calls Channel managers and OTAs make to Partner API as unsigned",
    );
}

#[test]
fn round_34_uploads_a_flow_describes_and_a_timestamp_that_is_no_freshness_check() {
    const UPLOADS: &str = "flow.tampering.uploads";
    const REPLAY: &str = "flow.tampering.replay";
    // Both reviewers missed the proof-of-address uploads: the flow said "upload", its data
    // item did not.
    let mut shop = load("examples/engagements/online-shop.json");
    assert_not_fires(&asked(&shop), UPLOADS, "f-storefront");
    flow_mut(&mut shop, "f-storefront").description =
        Some("Customers browse, buy and upload a photo of a damaged parcel.".to_owned());
    assert_fires(&asked(&shop), UPLOADS, "f-storefront");
    // "Cameras post plate reads with an image and timestamp" does not answer replay (both
    // reviewers); a timestamp that is checked does.
    let mut hr = load("examples/engagements/hr-saas.json");
    flow_mut(&mut hr, "f-esign-webhook").description =
        Some("The provider posts the envelope status with a timestamp.".to_owned());
    assert!(!answered_from_model(&hr, REPLAY, "f-esign-webhook"));
    flow_mut(&mut hr, "f-esign-webhook").description = Some(
        "The provider posts the envelope status; its signed timestamp is checked within five minutes."
            .to_owned(),
    );
    assert!(answered_from_model(&hr, REPLAY, "f-esign-webhook"));
}

#[test]
fn what_a_boundary_says_holds_for_what_is_in_it() {
    const TRANSIT: &str = "interactor.context.transit.person-internal";
    // Round 34: "Council-owned Android handhelds" and "managed laptops, connected over a
    // site-to-site VPN" were written on the boundaries, not on the app or the staff; the app
    // was asked about devices the council does not control and the staff's transit was asked
    // (1 and 1 wrong).
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    assert_fires(
        &asked(&fleet),
        "flow.tampering.from-client-app",
        "f-app-sync",
    );
    boundary_of_mut(&mut fleet, "driver-app").description =
        Some("Company-owned phones enrolled in the MDM.".to_owned());
    let managed = asked(&fleet);
    assert_not_fires(&managed, "flow.tampering.from-client-app", "f-app-sync");
    assert_fires(
        &managed,
        "flow.tampering.from-client-app.staff",
        "f-app-sync",
    );
    // Staff in a zone described as reached over a site-to-site VPN, every flow encrypted:
    // their transit is answered, quoting the boundary.
    let mut shop = load("examples/engagements/online-shop.json");
    element_mut(&mut shop, "shop-staff").description = Some("Shop staff.".to_owned());
    flow_mut(&mut shop, "f-backoffice").description = Some("Staff work on orders.".to_owned());
    let answer = |e: &Engagement| {
        let questions = Engine::builtin().generate(e.check().unwrap());
        questions
            .iter()
            .find(|q| q.template().id == TRANSIT && q.subject_ids().contains(&"shop-staff"))
            .and_then(|q| q.model_answer())
            .map(|a| a.text)
    };
    assert_eq!(answer(&shop), None);
    let boundary = boundary_of_mut(&mut shop, "shop-staff");
    boundary.description =
        Some("The office network, connected to the cloud over a site-to-site VPN.".to_owned());
    let name = boundary.name.clone();
    assert_eq!(
        answer(&shop),
        Some(format!(
            "The model says of {name}: \u{201c}The office network, connected to the cloud over a site-to-site VPN\u{201d}."
        ))
    );
}

#[test]
fn round_35_public_stores_refunds_by_one_agent_and_stores_a_team_reads() {
    const PUBLIC: &str = "store.information_disclosure.stated-public";
    const APPROVAL: &str = "process.elevation_of_privilege.money-approval";
    const UNREAD: &str = "store.information_disclosure.unread";
    let mut shop = load("examples/engagements/online-shop.json");
    // A store the model says is public: what lands there and who can list it, not whether it
    // is encrypted at rest (both reviewers); a blocked public access is no such statement.
    element_mut(&mut shop, "catalog-db").description =
        Some("Products and prices; the container is public and served through the CDN.".to_owned());
    let questions = asked(&shop);
    assert_fires(&questions, PUBLIC, "catalog-db");
    assert_not_fires(
        &questions,
        "store.information_disclosure.at-rest-unknown",
        "catalog-db",
    );
    element_mut(&mut shop, "catalog-db").description =
        Some("Products and prices, with Block Public Access on.".to_owned());
    assert_not_fires(&asked(&shop), PUBLIC, "catalog-db");
    // Refunds "issued by one agent, with no second approval" on the tool's own call to the
    // payment service: whether one person can refund alone is answered.
    assert!(!answered_from_model(&shop, APPROVAL, "backoffice-app"));
    flow_mut(&mut shop, "f-refund").description =
        Some("Refunds are issued by one member of staff, with no second approval.".to_owned());
    assert!(answered_from_model(&shop, APPROVAL, "backoffice-app"));
    // A store the description says a team uses for reporting is read, drawn or not (both
    // reviewers: "the model shows nothing reading it" was false to the description).
    let mut plant = load("examples/engagements/iiot-plant.json");
    // The plant's own description names its readers ("quality engineers read it"): asked only
    // where the description does not.
    assert_not_fires(&asked(&plant), UNREAD, "historian");
    element_mut(&mut plant, "historian").description = Some("Process history.".to_owned());
    assert_fires(&asked(&plant), UNREAD, "historian");
    element_mut(&mut plant, "historian").description =
        Some("Process history the quality team uses for reporting.".to_owned());
    assert_not_fires(&asked(&plant), UNREAD, "historian");
}

#[test]
fn round_36_load_balancers_developers_client_apps_and_forwarded_signatures() {
    const OVER_SHARING: &str = "process.information_disclosure.over-sharing";
    const FILES: &str = "process.elevation_of_privilege.hostile-files";
    // A managed load balancer returns no data of its own and has no operating system to patch
    // (both reviewers, 4 questions about an AWS ALB).
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(&asked(&shop), OVER_SHARING, "api-gateway");
    set_property(
        &mut shop,
        "api-gateway",
        "technology",
        PropertyValue::String("aws_alb".to_owned()),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, OVER_SHARING, "api-gateway");
    let patching = questions
        .iter()
        .find(|q| q.template == "engagement.production.patching.internet-facing")
        .map(|q| q.text.clone())
        .unwrap_or_default();
    assert!(!patching.contains("API gateway"), "{patching}");
    // Engineers who push code: their failed sign-ins at the pipeline, not "every use of the
    // system by a developer" (both reviewers).
    let pipeline = asked(&model("delivery-pipeline"));
    assert_fires(
        &pipeline,
        "interactor.repudiation.failed-authentication.developer",
        "engineer",
    );
    assert_not_fires(
        &pipeline,
        "interactor.repudiation.failed-authentication.person-unknown",
        "engineer",
    );
    // A desktop add-in is not a worker that opens people's files.
    let mut esignature = load("examples/engagements/esignature.json");
    assert_fires(&asked(&esignature), FILES, "pdf-worker");
    set_property(
        &mut esignature,
        "pdf-worker",
        "hosting",
        PropertyValue::String("desktop".to_owned()),
    );
    assert_not_fires(&asked(&esignature), FILES, "pdf-worker");
    // A signed message forwarded by a gateway is not signed by the gateway.
    let city = asked(&load("examples/engagements/city-portal.json"));
    let signed: Vec<&Asked> = city
        .iter()
        .filter(|q| q.template == "flow.tampering.signed-messages")
        .collect();
    assert!(!signed.is_empty());
    for q in signed {
        assert!(q.text.starts_with("Messages over "), "{}", q.text);
    }
    // An audit log "shown to" someone is read.
    let mut plant = load("examples/engagements/iiot-plant.json");
    assert_fires(
        &asked(&plant),
        "store.information_disclosure.unread",
        "audit-log",
    );
    element_mut(&mut plant, "audit-log").description =
        Some("Sign-ins and changes, shown to the site administrators.".to_owned());
    assert_not_fires(
        &asked(&plant),
        "store.information_disclosure.unread",
        "audit-log",
    );
}

#[test]
fn people_with_links_are_asked_about_the_ways_in_they_have() {
    // Rounds 30 and 36: one-time codes asked about for people who get in with a link alone.
    const FAILED: &str = "interactor.repudiation.failed-authentication.person-link";
    const SIGN_IN: &str = "interactor.spoofing.authentication.person-link";
    let mut facts = model("stated-facts");
    let questions = asked(&facts);
    assert!(text_of(&questions, FAILED, "visitor").starts_with(
        "Visitors get in with a link sent to them or a one-time code sent to them: would"
    ));
    set_auth_methods(&mut facts, "visitor", &["magic_link"]);
    let questions = asked(&facts);
    for template in [FAILED, SIGN_IN] {
        let text = text_of(&questions, template, "visitor");
        assert!(!text.contains("code"), "{text}");
    }
}

#[test]
fn an_identity_provider_the_system_calls_for_tokens_is_asked_as_one() {
    // Round 36 (both reviewers' first miss): a tenant's own Entra ID that the system calls to
    // redeem codes for ID tokens was asked as any service it calls ("what may it do with the
    // data"); which tenant's keys are trusted for whom was never asked.
    let hr = asked(&load("examples/engagements/hr-saas.json"));
    for topic in [
        "interactor.context.data",
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.denial-of-service",
        "interactor.context.authorization",
    ] {
        // Its customers are tenants: the sign-in question asks whose keys vouch for whom.
        let form = if topic == "interactor.spoofing.authentication" {
            "identity-provider-tenants"
        } else {
            "identity-provider"
        };
        assert_fires(&hr, &format!("{topic}.{form}"), "customer-idp");
        assert_not_fires(&hr, &format!("{topic}.callee"), "customer-idp");
    }
    // Its tokens come back on the system's own connection, not through people's browsers.
    assert_fires(&hr, "interactor.context.transit.callee", "customer-idp");
    assert_not_fires(
        &hr,
        "interactor.context.transit.identity-provider",
        "customer-idp",
    );
}

#[test]
fn calls_through_a_load_balancer_are_checked_by_the_service_behind_it() {
    // Round 36: failed partner calls and replayed webhooks "at Edge gateway", an AWS load
    // balancer that only forwards them (both reviewers).
    const REPLAY: &str = "flow.tampering.replay";
    const FAILED: &str = "interactor.repudiation.failed-authentication.caller";
    let mut shop = load("examples/engagements/online-shop.json");
    let questions = asked(&shop);
    assert_fires(&questions, REPLAY, "f-psp-webhook");
    assert_fires(&questions, FAILED, "payment-provider");
    set_property(
        &mut shop,
        "api-gateway",
        "technology",
        PropertyValue::String("aws_alb".to_owned()),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, REPLAY, "f-psp-webhook");
    assert_not_fires(&questions, FAILED, "payment-provider");
    assert!(
        text_of(
            &questions,
            "flow.tampering.replay.through-balancer",
            "f-psp-webhook"
        )
        .contains("through API gateway, which only forwards it")
    );
    assert!(
        text_of(
            &questions,
            "interactor.repudiation.failed-authentication.caller-through-balancer",
            "payment-provider"
        )
        .contains("fails authentication at the service behind it")
    );
}

/// The checklist questions whose answer is the platform's, asked once across the model (in
/// each of its reachable and unreachable parts) however many subjects share them: reviewers
/// of rounds 31 to 36 rated each second and third part "the same template, second half"
/// (flows split at 20, processes at 4 or 5, one question per zone), 0 worth in 230 ratings.
#[test]
fn platform_checklist_questions_are_asked_once_however_many_subjects_share_them() {
    const ONCE: [&str; 9] = [
        "flow.denial_of_service.interruption",
        "flow.information_disclosure.protection",
        "flow.tampering.client-separation",
        "flow.tampering.responses",
        "process.tampering.untrusted-input",
        "process.information_disclosure.leaks",
        "process.spoofing.impersonation",
        "process.repudiation.audit-trail",
        "flow.tampering.from-person",
    ];
    let mut most = [0usize; ONCE.len()];
    let mut zones = [0usize; ONCE.len()];
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        for (i, template) in ONCE.iter().enumerate() {
            let of: Vec<&common::Asked> = questions
                .iter()
                .filter(|q| q.template == *template && !q.answered)
                .collect();
            // One per part of the walk and per role that answers for its subjects
            // (`answers_for`), never a second chunk or a question per zone.
            for q in &of {
                let key = q.id.split_once("@@").map_or("", |(_, key)| key);
                let part = key
                    .split(',')
                    .filter(|k| !k.starts_with("for="))
                    .collect::<Vec<_>>();
                assert!(
                    matches!(part.as_slice(), ["all" | "unreachable"] | []) && !key.contains('@'),
                    "{name}: `{template}` asked in parts: {:?}",
                    of.iter().map(|q| &q.id).collect::<Vec<_>>()
                );
            }
            most[i] = most[i].max(of.iter().map(|q| q.subjects.len()).max().unwrap_or(0));
            // An element's zone; a flow's, the element it is opened to (people's flows were
            // asked once per component they reach).
            let boundary_of = |id: &String| {
                engagement.model.element(id).map_or_else(
                    || {
                        engagement
                            .model
                            .flows
                            .iter()
                            .find(|f| f.id == *id)
                            .map(|f| f.target.clone())
                    },
                    |e| e.boundary.clone(),
                )
            };
            zones[i] = zones[i].max(
                of.iter()
                    .map(|q| {
                        q.subjects
                            .iter()
                            .map(boundary_of)
                            .collect::<BTreeSet<_>>()
                            .len()
                    })
                    .max()
                    .unwrap_or(0),
            );
        }
    }
    // Each is about more subjects somewhere than its old limit allowed in one question; the
    // others, once asked per zone (per component people reach), span zones (components).
    for (i, old) in [20, 20, 8, 1, 4].into_iter().enumerate() {
        assert!(
            most[i] > old,
            "`{}`: at most {} subjects in one question",
            ONCE[i],
            most[i]
        );
    }
    for i in 5..ONCE.len() {
        assert!(zones[i] > 1, "`{}` asked per zone", ONCE[i]);
    }
}

/// A phishing proxy in front of an identity provider is one concern for every sign-in it
/// takes: one question per provider, naming the people's sign-in flows.
#[test]
fn relayed_sign_ins_are_asked_once_per_identity_provider() {
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        let mut responders = BTreeSet::new();
        for q in questions
            .iter()
            // One answered from the model (a passkey's sign-in) stands alone, outside the group.
            .filter(|q| q.template == "flow.tampering.from-person.sign-in" && !q.answered)
        {
            let flow = engagement
                .model
                .flows
                .iter()
                .find(|f| f.id == q.subjects[0])
                .expect("a flow");
            let responder = if engagement.model.element(&flow.target).is_some() {
                flow.target.clone()
            } else {
                flow.source.clone()
            };
            assert!(
                responders.insert(responder.clone()),
                "{name}: two questions about sign-ins relayed to `{responder}`"
            );
        }
    }
}

#[test]
fn round_37_and_38_people_who_reach_a_store_directly_and_a_second_factor_the_model_lists() {
    // People who reach a store with no service in between (a bucket through signed links,
    // engineers at the database) are asked what decides what each request may do there, not
    // what tells the store it was them or about a look-alike of it (4 wrong of 4, twice).
    let claims = asked(&load("examples/engagements/claims.json"));
    let to_store = "flow.tampering.from-person.to-store";
    let to_database = "flow.tampering.from-person.to-database";
    // (Where the model says the bucket is reached through signed links, the quoted question
    // about those links asks it, round 59.)
    let stated_link = "flow.information_disclosure.stated-link";
    assert_not_fires(&claims, to_store, "f-docs-garage");
    for (flow, template) in [("f-docs-garage", stated_link), ("f-ops-db", to_database)] {
        assert_fires(&claims, template, flow);
        for person in [
            "flow.tampering.from-person",
            "flow.tampering.from-person-anonymous",
        ] {
            assert_not_fires(&claims, person, flow);
        }
    }
    // A bucket is asked about its links, a database about whose account (round 39: "a signed
    // link" made no sense for an engineer's database session).
    assert_not_fires(&claims, to_store, "f-ops-db");
    assert_not_fires(&claims, to_database, "f-docs-garage");
    assert_text_starts_with(
        &claims,
        to_database,
        "f-ops-db",
        "Operations engineer connects to Claims database directly over production data fixes, \
         with no service of ClaimPath in between: with whose database account",
    );
    // A service between them: the person's own question.
    assert_not_fires(&claims, to_store, "f-claims-docs");

    // A second factor the model lists is not asked about as if it might be missing, nor read
    // as an alternative ("single sign-on or a second factor": 3 wrong of 4).
    // Round 38's engineers: their own single sign-on and a second factor, pushing code and
    // querying the database through a bastion.
    let mut pipeline = pipeline_with_engineers_on_the_database();
    let stated = "interactor.spoofing.authentication.person-stated";
    assert_fires(&asked(&pipeline), stated, "engineer");
    set_auth_methods(&mut pipeline, "engineer", &["corporate_sso", "mfa"]);
    let questions = asked(&pipeline);
    assert_not_fires(&questions, stated, "engineer");
    assert_text_starts_with(
        &questions,
        "interactor.spoofing.authentication.person-stated-mfa",
        "engineer",
        "Engineer signs in with their organisation's single sign-on and a second factor, as the \
         model shows: is the second factor required on every way in",
    );
}

#[test]
fn round_37_and_38_what_the_model_says_of_a_store_or_a_path_is_not_asked_again() {
    // A store that keeps personal data a week and has no backups deletes it within the month
    // an erasure request allows (both reviewers: already answered).
    let mut shop = load("examples/engagements/online-shop.json");
    let deletion = "store.information_disclosure.personal-data-deletion";
    let store = asked(&shop)
        .into_iter()
        .find(|q| q.template == deletion)
        .map(|q| q.subjects[0].clone())
        .expect("a store asked about deletion");
    set_property(
        &mut shop,
        &store,
        "retention_days",
        PropertyValue::Number(7.into()),
    );
    set_property(&mut shop, &store, "backups", PropertyValue::Bool(false));
    assert_not_fires(&asked(&shop), deletion, &store);
    // Kept a week but backed up: the backups still hold it.
    set_property(&mut shop, &store, "backups", PropertyValue::Bool(true));
    assert_fires(&asked(&shop), deletion, &store);

    // Tokens the model says are stored hashed (both reviewers).
    let credentials = "store.information_disclosure.credential-storage";
    let mut shop = load("examples/engagements/online-shop.json");
    let store = asked(&shop)
        .into_iter()
        .find(|q| q.template == credentials)
        .map(|q| q.subjects[0].clone())
        .expect("a store asked how it keeps credentials");
    element_mut(&mut shop, &store).description =
        Some("Accounts; refresh tokens are stored hashed.".to_owned());
    assert_not_fires(&asked(&shop), credentials, &store);

    // A path to a store the model says runs through a bastion is the network asked about.
    let mut engagement = model("outside-store-access");
    let stated = "flow.information_disclosure.outside-store-access.account-stated";
    flow_mut(&mut engagement, "f-report-db").description = Some(
        "Nightly report queries with a shared admin password, through an SSM bastion.".to_owned(),
    );
    assert!(answered_from_model(&engagement, stated, "f-report-db"));
    flow_mut(&mut engagement, "f-report-db").description =
        Some("Nightly report queries with a shared admin password.".to_owned());
    assert!(!answered_from_model(&engagement, stated, "f-report-db"));
}

#[test]
fn round_38_an_identity_provider_people_sign_in_at_is_not_the_gateway_others_go_around() {
    // Six sign-ins at an identity provider in the cloud zone: the majority of the zone's
    // entries, yet the API gateway stays the way in the upload goes around.
    let mut engagement = model("nested-zone-bypass");
    let mut extra = serde_json::json!({
        "elements": [{
            "id": "identity", "name": "Identity provider", "kind": "process",
            "boundary": "tb-cloud", "properties": {"issues_tokens": true}
        }],
        "flows": []
    });
    for n in 0..6 {
        extra["flows"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": format!("f-sign-in-{n}"), "name": format!("sign in {n}"),
                "source": "customer", "target": "identity", "protocol": "HTTPS",
                "data": [{"name": "password", "classification": "restricted"}],
                "encrypted": true, "bidirectional": true
            }));
    }
    with_extra(&mut engagement, &extra);
    let questions = asked(&engagement);
    let bypass = "flow.tampering.gateway-bypass";
    let text = text_of(&questions, bypass, "f-direct-upload");
    assert!(
        text.contains("API gateway") && !text.contains("Identity provider"),
        "{text}"
    );
}

#[test]
fn round_39_and_40_what_is_out_of_scope_apps_without_a_server_and_stated_sign_ins() {
    // A standard named only for what is out of scope is not one that applies (both reviewers:
    // "the engagement names no laws or standards").
    let stated = "engagement.business.obligations.stated";
    let mut shop = load("examples/engagements/online-shop.json");
    assert_engagement_level(&asked(&shop), stated, false);
    shop.scope
        .out_of_scope
        .push("Card data handling, covered by the processor's PCI DSS".to_owned());
    assert_engagement_level(&asked(&shop), stated, false);
    shop.scope
        .in_scope
        .push("Card data handling, under PCI DSS".to_owned());
    assert_engagement_level(&asked(&shop), stated, true);

    // An app on a phone cannot be told apart by mutual TLS or network position (both).
    let claims = asked(&load("examples/engagements/claims.json"));
    assert_not_fires(&claims, "flow.tampering.integrity", "f-app-token");
    // What the services behind it take on trust from it is asked once, on its connections.
    assert_not_fires(&claims, "flow.tampering.integrity.from-app", "f-app-token");
    assert_text_starts_with(
        &claims,
        "flow.tampering.from-client-app",
        "f-app-token",
        "ClaimPath mobile app runs on people's devices, so anyone can send the requests it \
         sends (get tokens (password grant) and submit claim from app), from a modified copy of \
         the app or a script",
    );

    // A screen that only receives from another device over the local network (a kitchen
    // display): no server to repeat its checks, and not a flow on one device (both, 5 ratings).
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    with_extra(
        &mut fleet,
        &serde_json::json!({
            "elements": [{"id": "cab-display", "name": "Cab display", "kind": "process",
                          "properties": {"hosting": "mobile"}}],
            "flows": [{"id": "f-cab", "name": "show the next stop", "source": "driver-app",
                       "target": "cab-display", "protocol": "WebSocket (ws://)",
                       "data": [{"name": "next stop", "classification": "internal"}],
                       "encrypted": false, "authenticated": false}]
        }),
    );
    let questions = asked(&fleet);
    for template in [
        "process.elevation_of_privilege.client-app",
        "process.tampering.client-app",
        "process.repudiation.client-app",
    ] {
        assert_not_fires(&questions, template, "cab-display");
    }
    // The driver app has a server: what it records there, and what the server takes on
    // trust from it (asked on its connections).
    assert_fires(&questions, "process.repudiation.client-app", "driver-app");
    assert_fires(&questions, "flow.tampering.from-client-app", "f-app-sync");
    assert_not_fires(&questions, "flow.tampering.from-client-app", "f-cab");
    assert_not_fires(&questions, "flow.tampering.on-device", "f-cab");

    // People who sign in with a PIN are asked about it in its words, not how they sign in.
    let mut pipeline = model("delivery-pipeline");
    set_auth_methods(&mut pipeline, "customer", &["pin"]);
    let questions = asked(&pipeline);
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.person",
        "customer",
    );
    assert_text_starts_with(
        &questions,
        "interactor.spoofing.authentication.person-stated",
        "customer",
        "Customer signs in with a PIN, as the model shows",
    );

    // The key a pipeline deploys with, said on its deploy flow (both reviewers, twice).
    let mut pipeline = model("delivery-pipeline");
    assert!(!answered_from_model(
        &pipeline,
        "process.spoofing.pipeline",
        "pipeline"
    ));
    assert!(answered_when_flow_says(
        &mut pipeline,
        "f-deploy",
        "Helm deploys with an IAM user's access key kept in the repository.",
        "process.spoofing.pipeline",
        "pipeline"
    ));

    // Engineers on a shared database login: whose account, what it may do and whether one
    // is told from another are all said.
    // (The example's "with the shared admin login, through a jump host" is such a sentence.)
    let mut claims = load("examples/engagements/claims.json");
    let to_database = "flow.tampering.from-person.to-database";
    assert!(answered_from_model(&claims, to_database, "f-ops-db"));
    flow_mut(&mut claims, "f-ops-db").description =
        Some("Data fixes in production, in SQL through a jump host.".to_owned());
    assert!(!answered_from_model(&claims, to_database, "f-ops-db"));
    flow_mut(&mut claims, "f-ops-db").description =
        Some("Engineers share one read-write database login for fixes.".to_owned());
    assert!(answered_from_model(&claims, to_database, "f-ops-db"));

    // Sessions are asked of what people or their apps call, and not of a managed identity
    // service; "every tenant is served by the same instances" is no power someone holds.
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(&asked(&shop), "process.spoofing.sessions", "web-frontend");
    set_property(
        &mut shop,
        "web-frontend",
        "technology",
        PropertyValue::String("cognito".to_owned()),
    );
    element_mut(&mut shop, "order-service").description =
        Some("Takes orders; every tenant is served by the same instances.".to_owned());
    let questions = asked(&shop);
    assert_not_fires(&questions, "process.spoofing.sessions", "web-frontend");
    assert_not_fires(
        &questions,
        "process.elevation_of_privilege.stated-power",
        "order-service",
    );
}

#[test]
fn round_41_and_42_people_who_work_on_stores_directly_links_and_sftp() {
    // A shared admin account said in other words still answers whose account it is.
    let mut claims = load("examples/engagements/claims.json");
    flow_mut(&mut claims, "f-ops-db").description =
        Some("Ad-hoc fixes through a bastion using the shared database admin account.".to_owned());
    assert!(answered_from_model(
        &claims,
        "flow.tampering.from-person.to-database",
        "f-ops-db"
    ));

    // A link's own token is no credential someone holds to rotate (both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    let stated = "process.spoofing.stated-credential";
    element_mut(&mut shop, "order-service").description =
        Some("Takes orders; the link's token is valid for 30 days and can be reused.".to_owned());
    assert_not_fires(&asked(&shop), stated, "order-service");
    element_mut(&mut shop, "order-service").description =
        Some("Takes orders; its API token can be reused by any service.".to_owned());
    assert_fires(&asked(&shop), stated, "order-service");

    // An app's upload straight into a bucket: the bucket cannot tell a genuine app.
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    with_extra(
        &mut fleet,
        &serde_json::json!({"flows": [{
            "id": "f-app-photo", "name": "upload a photo", "source": "driver-app",
            "target": "pod-bucket", "protocol": "HTTPS", "encrypted": true,
            "authenticated": true,
            "description": "Photos go straight to S3 with a pre-signed URL the API hands out.",
            "data": [{"name": "delivery photo", "classification": "confidential"}]
        }]}),
    );
    assert_not_fires(
        &asked(&fleet),
        "flow.tampering.integrity.from-app",
        "f-app-photo",
    );

    // People whose only ways in are a store and the pipeline (engineers on the database,
    // analysts on the warehouse): what they reach there, not an application's rate limits and
    // roles (both reviewers, rounds 38, 41 and 42).
    let pipeline = pipeline_with_engineers_on_the_database();
    let questions = asked(&pipeline);
    for topic in ["data", "denial-of-service", "authorization"] {
        assert_fires(
            &questions,
            &format!("interactor.context.{topic}.person-direct"),
            "engineer",
        );
        for other in ["person-internal", "person-staff", "developer"] {
            assert_not_fires(
                &questions,
                &format!("interactor.context.{topic}.{other}"),
                "engineer",
            );
        }
    }
    // The customer uses the application: not one of them.
    assert_not_fires(
        &questions,
        "interactor.context.data.person-direct",
        "customer",
    );

    // A vendor reached over SFTP: its host key, not a TLS certificate; a password the model
    // says was never rotated answers how often it is.
    let mut shop = load("examples/engagements/online-shop.json");
    let callee_transit = "interactor.context.transit.callee";
    assert_fires(&asked(&shop), callee_transit, "shipping-carrier");
    let booking = flow_mut(&mut shop, "f-shipment-booking");
    booking.protocol = Some("SFTP".to_owned());
    booking.description =
        Some("A nightly file over SFTP with a password that has not been rotated.".to_owned());
    assert_not_fires(&asked(&shop), callee_transit, "shipping-carrier");
    assert!(answered_from_model(
        &shop,
        "interactor.spoofing.credential-change.callee",
        "shipping-carrier"
    ));
}

#[test]
fn a_partner_whose_every_connection_is_encrypted_and_whose_calls_are_signed_is_asked_the_rest() {
    // Rounds 33, 37, 38, 39 and 42 rated "How are the confidentiality and integrity of
    // everything exchanged ... ensured end to end?" wrong 8 times where every connection with
    // the partner is encrypted and its calls are signed; rounds 24 and 26 rejected that as an
    // answer (it does not say where the encryption ends). The marks are said, the rest asked.
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-psp-webhook")
        .properties
        .insert("message_signing".to_owned(), PropertyValue::Bool(true));
    let questions = asked(&shop);
    assert_not_fires(&questions, "interactor.context.transit", "payment-provider");
    assert_text_starts_with(
        &questions,
        "interactor.context.transit.partner-protected",
        "payment-provider",
        "The model marks the connections between the online shop and Payment provider \
         encrypted and the calls Payment provider makes signed: where on your side does that \
         encryption end",
    );
    // One connection the model does not mark encrypted: the whole question.
    flow_mut(&mut shop, "f-psp-charge").encrypted = None;
    let questions = asked(&shop);
    assert_fires(&questions, "interactor.context.transit", "payment-provider");
    assert_not_fires(
        &questions,
        "interactor.context.transit.partner-protected",
        "payment-provider",
    );
}

#[test]
fn round_43_and_44_keys_handed_over_client_secrets_sftp_drops_and_sessions_over_udp() {
    // The key a connection is made with is not data the provider receives (both reviewers,
    // rounds 31 and 43).
    let shop = asked(&load("examples/engagements/online-shop.json"));
    let text = text_of(&shop, "interactor.context.data.callee", "shipping-carrier");
    assert!(
        text.contains("parcel details") && !text.contains("API key"),
        "{text}"
    );

    // A client secret and an allow-list said of the connection answer who it comes from.
    let mut city = load("examples/engagements/city-portal.json");
    let integrity = "flow.tampering.integrity";
    assert!(!answered_from_model(&city, integrity, "f-parcel"));
    flow_mut(&mut city, "f-parcel").description =
        Some("Parcel look-ups through an IP-allowlisted endpoint with a client secret.".to_owned());
    assert!(answered_from_model(&city, integrity, "f-parcel"));

    // Files dropped over SFTP into object storage: whose account, not a signed link.
    let mut claims = load("examples/engagements/claims.json");
    flow_mut(&mut claims, "f-docs-garage").protocol = Some("SFTP".to_owned());
    let questions = asked(&claims);
    assert_not_fires(
        &questions,
        "flow.tampering.from-person.to-store",
        "f-docs-garage",
    );
    assert_fires(
        &questions,
        "flow.tampering.from-person.to-database",
        "f-docs-garage",
    );

    // A pipeline deploying with a stored service principal secret (both reviewers).
    let mut pipeline = model("delivery-pipeline");
    flow_mut(&mut pipeline, "f-deploy").description =
        Some("Deploys with a service principal secret stored in the pipeline.".to_owned());
    assert!(answered_from_model(
        &pipeline,
        "process.spoofing.pipeline",
        "pipeline"
    ));

    // Sessions are kept over web connections, not a game's UDP traffic (both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-storefront").protocol = Some("UDP".to_owned());
    assert_not_fires(&asked(&shop), "process.spoofing.sessions", "web-frontend");
}

#[test]
fn round_45_and_46_a_master_password_tls_said_in_words_and_settled_single_sign_on() {
    // Break-glass with the master password over an SSM port-forward: path and account said.
    let mut claims = load("examples/engagements/claims.json");
    flow_mut(&mut claims, "f-ops-db").description = Some(
        "On-call engineers open an SSM port-forward and connect with the master password."
            .to_owned(),
    );
    assert!(answered_from_model(
        &claims,
        "flow.information_disclosure.outside-store-access.account-stated",
        "f-ops-db"
    ));

    // "Opportunistic TLS" is the model speaking of a connection's encryption.
    let mut shop = load("examples/engagements/online-shop.json");
    let unknown = "flow.information_disclosure.unknown";
    assert_fires(&asked(&shop), unknown, "f-order-events");
    flow_mut(&mut shop, "f-order-events").description =
        Some("Order events, over TLS inside the cluster.".to_owned());
    assert_not_fires(&asked(&shop), unknown, "f-order-events");

    // Assumptions that say the organisations enforce a second factor and handle leavers
    // answer the own-single-sign-on question (both reviewers, rounds 41, 44 and 45).
    let mut shop = load("examples/engagements/online-shop.json");
    let own_sso = "interactor.spoofing.authentication.person-own-sso-mfa";
    assert!(!answered_from_model(&shop, own_sso, "shop-staff"));
    shop.scope.assumptions.push(
        "Corporate IT enforces MFA on single sign-on and removes leavers the same day".to_owned(),
    );
    assert!(answered_from_model(&shop, own_sso, "shop-staff"));

    // A partner's key the model says was never rotated answers how often it is.
    let mut scooters = load("examples/engagements/scooters.json");
    let change = "interactor.spoofing.credential-change.caller";
    assert!(!answered_from_model(&scooters, change, "transit-partner"));
    flow_mut(&mut scooters, "f-transit-partner").description = Some(
        "The partner reads availability with client credentials set up at onboarding and never \
         rotated."
            .to_owned(),
    );
    assert!(answered_from_model(&scooters, change, "transit-partner"));
}

#[test]
fn round_46_a_service_that_posts_to_urls_others_choose_is_asked_about_forged_requests() {
    // Both reviewers' first miss: webhooks posted to "any URL the customer types in".
    let outside = "process.information_disclosure.outside-urls";
    let mut esign = load("examples/engagements/esignature.json");
    assert_text_starts_with(
        &asked(&esign),
        outside,
        "notification-service",
        "Notification and webhook service sends requests to URLs that people outside choose",
    );
    element_mut(&mut esign, "notification-service").description =
        Some("Sends invitations and reminders by email or SMS.".to_owned());
    assert_not_fires(&asked(&esign), outside, "notification-service");
    // Where the cloud pack asks about the metadata endpoint, that question takes its place.
    let fleet = asked(&load("examples/engagements/fleet-tracking.json"));
    assert_not_fires(&fleet, outside, "webhook-dispatcher");
    assert_fires(
        &fleet,
        "cloud-iam-storage.process.information_disclosure.metadata-service",
        "webhook-dispatcher",
    );
}

#[test]
fn round_48_an_anonymous_caller_of_public_data_gets_the_seven_topics_in_its_own_form() {
    // A public peer-to-peer network (blockchain peers) drawn as a caller was asked its
    // credentials, their rotation and failed authentication (both reviewers, 12 ratings):
    // nothing identifies it and it carries only public data.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "price-feed", "name": "Public price feed", "kind": "external_interactor",
                          "properties": {"human": false}}],
            "flows": [{"id": "f-price-feed", "name": "push public prices", "source": "price-feed",
                       "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                       "authenticated": false,
                       "data": [{"name": "public prices", "classification": "public"}]}]
        }),
    );
    let questions = asked(&shop);
    for topic in TOPICS {
        assert_fires(
            &questions,
            &format!("{topic}.caller-anonymous"),
            "price-feed",
        );
        assert_not_fires(&questions, &format!("{topic}.caller"), "price-feed");
    }
    // One authenticated connection, or anything beyond public data: a caller like any other.
    flow_mut(&mut shop, "f-price-feed").authenticated = Some(true);
    assert_not_fires(
        &asked(&shop),
        "interactor.spoofing.authentication.caller-anonymous",
        "price-feed",
    );
}

#[test]
fn round_48_a_hardware_security_module_is_asked_who_can_use_its_keys() {
    // An HSM drawn as a store was asked about encryption at rest, growth from outside requests
    // and who can read its keys (both reviewers): its keys cannot be read, only used.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "hsm", "name": "Payment HSM", "kind": "data_store",
                          "boundary": "tb-app",
                          "properties": {"technology": "cloudhsm", "holds_secrets": true}}],
            "flows": [{"id": "f-sign", "name": "sign payment requests", "source": "payment-service",
                       "target": "hsm", "protocol": "PKCS#11", "encrypted": true,
                       "authenticated": true, "bidirectional": true,
                       "data": [{"name": "payment request digest", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        "store.information_disclosure.secrets.hsm",
        "hsm",
        "Payment HSM holds keys that should never leave it: which identities can use each key",
    );
    for template in [
        "store.information_disclosure.secrets",
        "store.information_disclosure.at-rest-unknown",
        "store.denial_of_service.unbounded-growth",
    ] {
        assert_not_fires(&questions, template, "hsm");
    }
}

#[test]
fn round_49_and_50_sign_in_services_second_codes_shared_clients_and_ways_in() {
    const OTP: &str = "interactor.spoofing.authentication.person-password-otp";
    const ALTERNATIVES: &str = "interactor.spoofing.authentication.person-password-alternatives";
    const PROTECTED: &str = "interactor.context.transit.partner-protected";
    const SEPARATION: &str = "flow.tampering.client-separation";
    const BYPASS: &str = "flow.tampering.gateway-bypass";
    // A hosted sign-in service people send their passwords and codes to, with no flow of
    // tokens drawn, was asked the seven topics of an analytics script in the pages (a key built
    // into the pages, "who decided to send it": 12 wrong ratings in round 50). It is an
    // identity provider.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "sign-in", "name": "Customer sign-in service",
                          "kind": "external_interactor", "properties": {"human": false}}],
            "flows": [{"id": "f-customer-sign-in", "name": "customer signs in",
                       "source": "customer", "target": "sign-in", "protocol": "HTTPS",
                       "encrypted": true, "bidirectional": true,
                       "properties": {"carries_credentials": true},
                       "data": [{"name": "e-mail and password", "classification": "restricted"},
                                {"name": "one-time code", "classification": "restricted"}]}]
        }),
    );
    let questions = asked(&shop);
    for topic in TOPICS {
        assert_fires(&questions, &format!("{topic}.identity-provider"), "sign-in");
        assert_not_fires(&questions, &format!("{topic}.reached-by-people"), "sign-in");
    }
    let data = text_of(
        &questions,
        "interactor.context.data.identity-provider",
        "sign-in",
    );
    assert!(
        !data.contains("password") && !data.contains("tenant"),
        "{data}"
    );
    // A single organisation's identity provider is not asked about other tenants' people;
    // a system that says it has tenants is.
    assert_text_starts_with(
        &questions,
        "interactor.spoofing.authentication.identity-provider",
        "sign-in",
        "How does the online shop know an assertion or token really comes from Customer sign-in service: which signing keys",
    );
    let hr = asked(&load("examples/engagements/hr-saas.json"));
    assert_fires(
        &hr,
        "interactor.spoofing.authentication.identity-provider-tenants",
        "customer-idp",
    );

    // A password and a one-time code sent by message: the code is the second factor (both
    // reviewers: "records no second factor" was false), asked about SIM swaps.
    set_auth_methods(&mut shop, "customer", &["password", "otp"]);
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        OTP,
        "customer",
        "Customer signs in with a password and a one-time code, as the model shows",
    );
    assert_not_fires(&questions, ALTERNATIVES, "customer");
    // With a link besides, the code is one way in among others.
    set_auth_methods(&mut shop, "customer", &["password", "otp", "magic_link"]);
    let questions = asked(&shop);
    assert_fires(&questions, ALTERNATIVES, "customer");
    assert_not_fires(&questions, OTP, "customer");

    // A partner's webhook "when an envelope is signed" is not a signed call (round 50: "the
    // model marks the calls signed" was false).
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "payment-provider", &["api_key"]);
    for flow in ["f-psp-webhook", "f-psp-charge", "f-card-entry"] {
        flow_mut(&mut shop, flow).encrypted = Some(true);
    }
    flow_mut(&mut shop, "f-psp-webhook").description =
        Some("Sent when a payment is signed off or declined.".to_owned());
    assert_not_fires(&asked(&shop), PROTECTED, "payment-provider");
    flow_mut(&mut shop, "f-psp-webhook").description =
        Some("Each webhook is signed with the provider's key.".to_owned());
    assert_fires(&asked(&shop), PROTECTED, "payment-provider");

    // Whether each client has a credential of its own, with two clients and with one.
    let mut shared = model("flow-protection");
    assert_fires(&asked(&shared), SEPARATION, "f-protected");
    let mut model_value = serde_json::to_value(&*shared.model).unwrap();
    model_value["flows"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["id"] != "f-second-caller");
    shared.model = serde_json::from_value::<threat_interview::model::ComponentModel>(model_value)
        .unwrap()
        .into();
    // A single client is asked the same question, whether its credential is its own, not
    // shared with another component, a tool or a person: one question, not two that reviewers
    // of rounds 71 to 82 called duplicates fifteen times.
    let questions = asked(&shared);
    assert_text_starts_with(
        &questions,
        SEPARATION,
        "f-protected",
        "Callee service authenticates Caller service on protected call: is the credential Caller \
         service uses there its own, not also held by another component, a tool or a person",
    );
    assert_not_fires(&questions, "flow.tampering.integrity", "f-protected");
    // A person who also connects is no second client (round 50: people signing documents
    // made an e-signature service look shared), and no client at all of the question.
    with_extra(
        &mut shared,
        &serde_json::json!({
            "elements": [{"id": "operator", "name": "Operator", "kind": "external_interactor",
                          "properties": {"human": true}}],
            "flows": [{"id": "f-operator", "name": "operator's call", "source": "operator",
                       "target": "callee-service", "protocol": "HTTPS",
                       "data": [{"name": "requests", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shared);
    let asked_once = about(&questions, SEPARATION, "f-protected");
    assert_eq!(asked_once.len(), 1);
    assert_eq!(asked_once[0].subjects, ["f-protected"]);

    // A partner's webhook to a service that also issues tokens is a way in like any other:
    // the gateway must take most of the entries besides people's sign-ins (round 49: a
    // comments service with two of five entries was called the way in).
    let mut zone = model("nested-zone-bypass");
    assert_fires(&asked(&zone), BYPASS, "f-direct-upload");
    let mut extra = serde_json::json!({
        "elements": [{"id": "identity", "name": "Identity service", "kind": "process",
                      "boundary": "tb-cloud", "properties": {"issues_tokens": true}}],
        "flows": [{"id": "f-sign-in", "name": "sign in", "source": "customer",
                   "target": "identity", "protocol": "HTTPS", "encrypted": true,
                   "bidirectional": true,
                   "data": [{"name": "password", "classification": "restricted"}]}]
    });
    for n in 0..3 {
        extra["flows"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": format!("f-partner-event-{n}"), "name": format!("partner event {n}"),
                "source": "partner-client", "target": "identity", "protocol": "HTTPS",
                "data": [{"name": "account event", "classification": "internal"}]
            }));
    }
    with_extra(&mut zone, &extra);
    assert_not_fires(&asked(&zone), BYPASS, "f-direct-upload");
    // An API key the description names is this connection's credential only where the
    // connection is made with it (round 50: "forwards ... with the firm id taken from the API
    // key" was quoted as the answer; both reviewers rejected it).
    let mut protection = model("flow-protection");
    flow_mut(&mut protection, "f-unknown").description = Some(
        "The gateway forwards to the callee with the firm id taken from the API key.".to_owned(),
    );
    let integrity = "flow.tampering.integrity";
    assert!(!answered_from_model(&protection, integrity, "f-unknown"));
    flow_mut(&mut protection, "f-unknown").description =
        Some("The caller calls it with an API key.".to_owned());
    assert!(answered_from_model(&protection, integrity, "f-unknown"));

    // Messages a provider delivers to people are asked about once, as delivered on the
    // system's behalf (round 50: each recipient was asked twice, once by each template).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "mailer", "name": "E-mail provider", "kind": "external_interactor",
                          "properties": {"human": false}}],
            "flows": [{"id": "f-order-mail", "name": "order e-mails", "source": "mailer",
                       "target": "customer", "protocol": "SMTP",
                       "data": [{"name": "order confirmation", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_fires(
        &questions,
        "flow.tampering.delivered-to-person",
        "f-order-mail",
    );
    assert_not_fires(&questions, "flow.tampering.to-person", "f-order-mail");
}

#[test]
fn round_51_and_52_codes_logs_online_checks_and_what_outsiders_exchange() {
    const LINK: &str = "interactor.context.authorization.person-link";
    const FORGED: &str = "store.repudiation.forged-entries";
    const KEYS: &str = "process.spoofing.signing-keys";
    // People who sign in with a code sent to their phone have accounts: "what exactly does one
    // link give them (one document, everything sent to that address)" was wrong for riders and
    // drivers (round 51, both reviewers). It stays for people who get links.
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["otp"]);
    let questions = asked(&shop);
    assert_not_fires(&questions, LINK, "customer");
    assert_fires(
        &questions,
        "interactor.context.authorization.person",
        "customer",
    );
    set_auth_methods(&mut shop, "customer", &["magic_link"]);
    assert_fires(&asked(&shop), LINK, "customer");

    // What a customer types into a payment provider's own page is not exchanged with the
    // system (round 52: "card details exchanged with the lettings platform", both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-card-entry").out_of_scope = false;
    let questions = asked(&shop);
    for (template, subject) in [
        ("interactor.context.data.person", "customer"),
        ("interactor.context.data.caller", "payment-provider"),
    ] {
        let text = text_of(&questions, template, subject);
        assert!(!text.contains("card number"), "{text}");
    }

    // Entries forged in another writer's name need two writers (round 52: an activity log
    // only the core application writes to).
    let mut log = model("log-store");
    assert_fires(&asked(&log), FORGED, "audit-log");
    let mut value = serde_json::to_value(&*log.model).unwrap();
    value["flows"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["id"] != "f-account-audit");
    log.model = serde_json::from_value::<threat_interview::model::ComponentModel>(value)
        .unwrap()
        .into();
    assert_not_fires(&asked(&log), FORGED, "audit-log");

    // Tokens checked with their issuer on every request have no signing keys to hand out
    // (round 52, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(&asked(&shop), KEYS, "identity-service");
    flow_mut(&mut shop, "f-login").description =
        Some("Every request's token is checked with the identity service.".to_owned());
    assert_not_fires(&asked(&shop), KEYS, "identity-service");

    // A partner's signed calls whose signature the model says is checked, through a gateway
    // it says ends TLS, are answered from the model (round 51, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "payment-provider", &["api_key"]);
    for flow in ["f-psp-webhook", "f-psp-charge", "f-card-entry"] {
        flow_mut(&mut shop, flow).encrypted = Some(true);
    }
    flow_mut(&mut shop, "f-psp-webhook").description =
        Some("Each webhook is signed with the provider's key.".to_owned());
    let protected = "interactor.context.transit.partner-protected";
    assert!(!answered_from_model(&shop, protected, "payment-provider"));
    flow_mut(&mut shop, "f-psp-webhook").description = Some(
        "Each webhook is signed with the provider's key. Signature checked by the payment service."
            .to_owned(),
    );
    // (The shop's gateway says it does "TLS termination".)
    assert!(answered_from_model(&shop, protected, "payment-provider"));
    element_mut(&mut shop, "api-gateway").description = Some("Routes to the services.".to_owned());
    assert!(!answered_from_model(&shop, protected, "payment-provider"));

    // Connections the model marks unencrypted, or says nothing of, are one question each
    // across the model, however many (round 51: "split into 3 + 3", both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    let clear = [
        "f-ssr-catalog",
        "f-login",
        "f-place-order",
        "f-order-write",
        "f-payment-request",
        "f-payment-status",
        "f-payment-record",
    ];
    for flow in clear {
        flow_mut(&mut shop, flow).encrypted = Some(false);
    }
    let questions = asked(&shop);
    let cleartext: Vec<&Asked> = questions
        .iter()
        .filter(|q| q.template == "flow.information_disclosure.cleartext")
        .collect();
    assert_eq!(cleartext.len(), 1);
    for flow in clear {
        assert!(cleartext[0].subjects.iter().any(|s| s == flow), "{flow}");
    }

    // Where the processes' secrets come from is the engagement's question to the deployment
    // owner; the processes are asked whether each reads only its own (round 52: secrets
    // handling asked eleven times).
    let mut both = 0;
    for (name, engagement) in every_engagement() {
        let questions = asked(&engagement);
        let holders = questions
            .iter()
            .any(|q| q.template == "engagement.deployment.secrets.holders");
        for q in questions
            .iter()
            .filter(|q| q.template == "process.information_disclosure.runtime-secrets")
        {
            assert!(!q.text.contains("where do"), "{name}: {}", q.text);
            assert!(q.text.contains("own secrets"), "{name}: {}", q.text);
            both += usize::from(holders);
        }
    }
    assert!(both > 0, "no example asks both");
}

#[test]
fn round_53_and_54_sign_ins_outside_the_system_and_applications_in_browsers() {
    // A person's sign-in at an outside single sign-on, carrying nothing but credentials and a
    // second factor, was asked what the system relies on the provider to check ("how long a
    // link it hands out stays valid": rounds 51, 53 and 54).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "staff-sso", "name": "Staff SSO", "kind": "external_interactor",
                          "properties": {"human": false, "hosting": "saas"}}],
            "flows": [{"id": "f-staff-sso", "name": "staff sign-in", "source": "shop-staff",
                       "target": "staff-sso", "protocol": "HTTPS", "encrypted": true,
                       "data": [{"name": "staff credentials", "classification": "restricted"},
                                {"name": "second factor", "classification": "restricted"}]}]
        }),
    );
    let questions = asked(&shop);
    let outside = "flow.tampering.from-person.sign-in-outside";
    assert_text_starts_with(
        &questions,
        outside,
        "f-staff-sso",
        "Shop staff sign in at Staff SSO over staff sign-in, outside the online shop: could a look-alike",
    );
    assert_not_fires(
        &questions,
        "flow.tampering.person-to-provider",
        "f-staff-sso",
    );
    // With data handed over besides, it is a provider the person uses.
    flow_mut(&mut shop, "f-staff-sso").data.push(
        serde_json::from_value(serde_json::json!({"name": "rota", "classification": "internal"}))
            .unwrap(),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, outside, "f-staff-sso");
    assert_fires(
        &questions,
        "flow.tampering.person-to-provider",
        "f-staff-sso",
    );

    // An application in people's browsers is not asked about task-switcher screenshots,
    // offline queues or a genuine copy (round 54); a mobile app still is.
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    let app = fleet
        .model
        .elements
        .iter()
        .find(|e| e.properties.get("hosting") == Some(&PropertyValue::String("mobile".to_owned())))
        .map(|e| e.id.clone())
        .expect("a mobile app in the fleet example");
    let mobile = asked(&fleet);
    assert_fires(&mobile, "process.information_disclosure.client-app", &app);
    assert_not_fires(
        &mobile,
        "process.information_disclosure.client-app.browser",
        &app,
    );
    // A phone app's genuineness is asked on its connections; the browser's own form (bots)
    // is not asked of it.
    assert_not_fires(&mobile, "process.spoofing.client-app", &app);
    assert_not_fires(&mobile, "process.spoofing.client-app.browser", &app);
    set_property(
        &mut fleet,
        &app,
        "hosting",
        PropertyValue::String("browser".to_owned()),
    );
    let browser = asked(&fleet);
    for base in [
        "process.information_disclosure.client-app",
        "process.spoofing.client-app",
    ] {
        assert_not_fires(&browser, base, &app);
        assert_fires(&browser, &format!("{base}.browser"), &app);
    }
    // Nor is a person's use of it asked about a corrupted local copy.
    let touching: Vec<String> = fleet
        .model
        .flows
        .iter()
        .filter(|f| f.target == app || f.source == app)
        .map(|f| f.id.clone())
        .collect();
    let on_device = |questions: &[Asked]| {
        questions
            .iter()
            .filter(|q| q.template == "flow.denial_of_service.on-device")
            .any(|q| q.subjects.iter().any(|s| touching.contains(s)))
    };
    assert!(on_device(&mobile));
    assert!(!on_device(&browser));
    let text = text_of(
        &browser,
        "process.information_disclosure.client-app.browser",
        &app,
    );
    assert!(
        text.contains("local or session storage") && !text.contains("task switcher"),
        "{text}"
    );

    // A store is said to hold what is written to it, not the credentials its writers connect
    // with (round 53: a warehouse "holds ... warehouse service credentials", both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    element_mut(&mut shop, "orders-db")
        .properties
        .remove("encrypted_at_rest");
    flow_mut(&mut shop, "f-order-write").data.push(
        serde_json::from_value(
            serde_json::json!({"name": "database password", "classification": "restricted"}),
        )
        .unwrap(),
    );
    let text = text_of(
        &asked(&shop),
        "store.information_disclosure.at-rest-unknown",
        "orders-db",
    );
    assert!(
        text.contains("delivery address") && !text.contains("password"),
        "{text}"
    );

    // A store the model says is for reporting and analytics is read (round 53, both).
    let unread = "store.information_disclosure.unread";
    let mut plant = load("examples/engagements/iiot-plant.json");
    assert_fires(&asked(&plant), unread, "audit-log");
    element_mut(&mut plant, "audit-log").description =
        Some("Reporting and analytics for management and finance.".to_owned());
    assert_not_fires(&asked(&plant), unread, "audit-log");

    // People with a second factor on their single sign-on are not asked whether one is
    // enforced there (round 53, both reviewers), and in-house staff are not said to use
    // "their own organisation's" sign-on (rounds 41, 44, 54).
    let shop = asked(&load("examples/engagements/online-shop.json"));
    let text = text_of(
        &shop,
        "interactor.spoofing.authentication.person-own-sso-mfa",
        "shop-staff",
    );
    assert!(
        !text.contains("is a second factor enforced") && !text.contains("own organisation"),
        "{text}"
    );

    // A managed API gateway has no operating system to patch (round 54).
    let mut shop = load("examples/engagements/online-shop.json");
    let patching = "engagement.production.patching.internet-facing";
    assert!(
        asked(&shop)
            .iter()
            .any(|q| q.template == patching && q.text.contains("API gateway"))
    );
    set_property(
        &mut shop,
        "api-gateway",
        "technology",
        PropertyValue::String("aws_api_gateway".to_owned()),
    );
    assert!(
        asked(&shop)
            .iter()
            .all(|q| q.template != patching || !q.text.contains("API gateway"))
    );

    // Files a partner drops over SFTP with SSH keys are asked whether each file is checked to
    // come from the account it belongs to, not about mutual TLS (round 54).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "drop", "name": "SFTP server", "kind": "process",
                          "boundary": "tb-dmz",
                          "properties": {"auth_methods": ["ssh_key"], "hosting": "aws"}}],
            "flows": [{"id": "f-carrier-file", "name": "tracking file", "source": "shipping-carrier",
                       "target": "drop", "protocol": "SFTP", "encrypted": true,
                       "authenticated": true,
                       "data": [{"name": "tracking updates", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        "flow.tampering.integrity.ssh",
        "f-carrier-file",
        "SFTP server takes tracking file from Shipping carrier over SFTP with SSH keys:",
    );
    assert_not_fires(&questions, "flow.tampering.integrity", "f-carrier-file");
    set_auth_methods(&mut shop, "drop", &["password"]);
    assert_not_fires(
        &asked(&shop),
        "flow.tampering.integrity.ssh",
        "f-carrier-file",
    );
}

#[test]
fn round_55_and_56_anonymous_searchers_stated_dates_and_ways_in_the_model_names() {
    // The public searching records without an account were asked about "a link or a code in a
    // message" given to them (round 56: 8 wrong ratings); what anyone can reach by searching or
    // counting through identifiers is asked instead.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "visitor", "name": "Visitor", "kind": "external_interactor",
                          "properties": {"human": true}}],
            "flows": [{"id": "f-visitor-search", "name": "search the catalogue",
                       "source": "visitor", "target": "web-frontend", "protocol": "HTTPS",
                       "authenticated": false, "bidirectional": true,
                       "data": [{"name": "search terms", "classification": "public"},
                                {"name": "product pages", "classification": "public"}]}]
        }),
    );
    let questions = asked(&shop);
    // (Only public data: sign-in and failed sign-ins get the forms for public data, round 74.)
    for form in [
        "interactor.spoofing.authentication.person-anonymous-public",
        "interactor.spoofing.credential-change.person-anonymous",
        "interactor.repudiation.failed-authentication.person-anonymous-public",
        "interactor.context.authorization.person-anonymous",
        "interactor.context.data.person-anonymous",
    ] {
        let text = text_of(&questions, form, "visitor");
        assert!(!text.contains("code in a message"), "{text}");
    }
    assert_not_fires(&questions, "interactor.context.data.person", "visitor");
    assert_text_starts_with(
        &questions,
        "interactor.context.data.person-anonymous",
        "visitor",
        "Without signing in, Visitor can see or send search terms and product pages",
    );

    // "Prices per car group and dates from base rates" states no credential's age (round 55,
    // both reviewers); "the key dates from 2019" does.
    let stated = "process.spoofing.stated-credential";
    let mut shop = load("examples/engagements/online-shop.json");
    element_mut(&mut shop, "catalog-service").description =
        Some("Computes prices per car group and dates from base rates.".to_owned());
    assert_not_fires(&asked(&shop), stated, "catalog-service");
    element_mut(&mut shop, "catalog-service").description =
        Some("Calls the supplier with an API key that dates from 2019.".to_owned());
    assert_fires(&asked(&shop), stated, "catalog-service");

    // A flow is asked about going around a gateway only where the model says the zone is
    // entered through one (the oddity was rated wrong in every round it was asked since round
    // 23, twice more in round 56).
    let bypass = "flow.tampering.gateway-bypass";
    let mut zone = model("nested-zone-bypass");
    assert_fires(&asked(&zone), bypass, "f-direct-upload");
    for id in ["tb-cloud", "tb-private"] {
        zone.model
            .boundaries
            .iter_mut()
            .find(|b| b.id == id)
            .unwrap()
            .description = Some("The services' subnet.".to_owned());
    }
    assert_not_fires(&asked(&zone), bypass, "f-direct-upload");

    // A reporting copy for finance is read (round 55, both reviewers).
    let unread = "store.information_disclosure.unread";
    let mut plant = load("examples/engagements/iiot-plant.json");
    element_mut(&mut plant, "audit-log").description =
        Some("Reporting copy of the events for finance and marketing.".to_owned());
    assert_not_fires(&asked(&plant), unread, "audit-log");

    // Connections that end at another organisation's service are not asked whether they are
    // forwarded in clear past a load balancer of ours (rounds 51, 52 and 56): what they carry
    // that the other side does not need is.
    let shop = asked(&load("examples/engagements/online-shop.json"));
    let outside = "flow.information_disclosure.protection.outside";
    for flow in ["f-psp-charge", "f-erp-export", "f-shipment-booking"] {
        assert_fires(&shop, outside, flow);
        assert_not_fires(&shop, "flow.information_disclosure.protection", flow);
    }
    assert_not_fires(&shop, outside, "f-catalog-read");
}

#[test]
fn round_57_and_58_callers_nothing_authenticates_and_codes_beside_single_sign_on() {
    // Analysers whose connections the model marks unauthenticated, sending restricted
    // results, were asked how they prove who they are and how their credential is rotated
    // (round 58, both reviewers: "a credential the model says does not exist").
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "scale", "name": "Parcel scales", "kind": "external_interactor",
                          "boundary": "tb-corp", "properties": {"human": false}}],
            "flows": [{"id": "f-weights", "name": "send weights", "source": "scale",
                       "target": "fulfilment-worker", "protocol": "TCP",
                       "encrypted": false, "authenticated": false,
                       "data": [{"name": "parcel weights and order ids", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    for topic in [
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.authorization",
    ] {
        assert_fires(
            &questions,
            &format!("{topic}.caller-unauthenticated"),
            "scale",
        );
        assert_not_fires(&questions, &format!("{topic}.caller"), "scale");
        assert_not_fires(&questions, &format!("{topic}.caller-anonymous"), "scale");
    }
    // A caller with public data only keeps the anonymous forms.
    flow_mut(&mut shop, "f-weights").data = vec![
        serde_json::from_value(serde_json::json!({"name": "weights", "classification": "public"}))
            .unwrap(),
    ];
    let questions = asked(&shop);
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.caller-anonymous",
        "scale",
    );
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.caller-unauthenticated",
        "scale",
    );

    // A code beside a password and single sign-on is one way in among several, not the
    // second factor (round 58, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["password", "otp", "saml"]);
    let questions = asked(&shop);
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.person-password-otp",
        "customer",
    );
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.person-password-alternatives",
        "customer",
    );

    // A service whose staff sign-in is checked against a directory over LDAP checks passwords,
    // not tokens (round 58, both reviewers).
    let tokens = "process.spoofing.token-validation";
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(&asked(&shop), tokens, "backoffice-app");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "directory", "name": "Directory", "kind": "external_interactor",
                          "boundary": "tb-corp", "properties": {"human": false}}],
            "flows": [{"id": "f-bind", "name": "check staff sign-in", "source": "backoffice-app",
                       "target": "directory", "protocol": "LDAP", "bidirectional": true,
                       "data": [{"name": "staff credentials", "classification": "restricted"}]}]
        }),
    );
    assert_not_fires(&asked(&shop), tokens, "backoffice-app");
}

#[test]
fn round_59_client_apps_asked_once_and_apps_only_staff_use() {
    // A warehouse handheld only the shop's staff use (rounds 55 and 58: the branch app and the
    // lab's scanners were said to run on people's own devices, 6 wrong ratings), beside the
    // customers' app.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "handheld", "name": "Picking handheld", "kind": "process",
                 "boundary": "tb-corp", "properties": {"hosting": "mobile"}},
                {"id": "shop-app", "name": "Shop app", "kind": "process",
                 "properties": {"hosting": "mobile"}}],
            "flows": [
                {"id": "f-pick", "name": "scan picked items", "source": "shop-staff",
                 "target": "handheld",
                 "data": [{"name": "picked items", "classification": "internal"}]},
                {"id": "f-pick-sync", "name": "confirm picks", "source": "handheld",
                 "target": "order-service", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "picked items", "classification": "internal"}]},
                {"id": "f-app-use", "name": "use the shop app", "source": "customer",
                 "target": "shop-app",
                 "data": [{"name": "basket", "classification": "internal"}]},
                {"id": "f-app-orders", "name": "place orders from the app", "source": "shop-app",
                 "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    // Staff devices: asked whether they are managed, and what the service checks itself.
    assert_fires(&questions, "flow.tampering.on-device.staff", "f-pick");
    assert_not_fires(&questions, "flow.tampering.on-device.person", "f-pick");
    assert_fires(
        &questions,
        "flow.tampering.from-client-app.staff",
        "f-pick-sync",
    );
    assert_not_fires(&questions, "flow.tampering.from-client-app", "f-pick-sync");
    assert_not_fires(&questions, "process.spoofing.client-app", "handheld");
    // The customers' app: their own devices, one question for what the service takes on trust
    // from it (it was asked five ways: the app's spoofing, tampering and elevation of
    // privilege, and two questions on each connection), none of a server's.
    assert_fires(&questions, "flow.tampering.on-device.person", "f-app-use");
    assert_fires(&questions, "flow.tampering.from-client-app", "f-app-orders");
    assert_not_fires(
        &questions,
        "flow.tampering.integrity.from-app",
        "f-app-orders",
    );
    for template in [
        "process.spoofing.client-app",
        "process.tampering.client-app",
        "process.elevation_of_privilege.client-app",
        "process.spoofing.impersonation",
        "process.tampering.behaviour",
        "process.elevation_of_privilege.blast-radius",
    ] {
        assert_not_fires(&questions, template, "shop-app");
    }
    // That one question settles the app's three pairs.
    let stored = generate(&shop).to_questions();
    for category in [
        threat_interview::Stride::Spoofing,
        threat_interview::Stride::Tampering,
        threat_interview::Stride::ElevationOfPrivilege,
    ] {
        assert!(
            stored.iter().any(|q| {
                q.provenance
                    .as_ref()
                    .is_some_and(|p| p.template == "flow.tampering.from-client-app")
                    && q.also_covers
                        .iter()
                        .any(|p| p.subject == "shop-app" && p.category == category)
            }),
            "{category:?} of the shop app is not covered"
        );
    }

    // An assumption that staff devices are managed answers whether they are.
    shop.scope
        .assumptions
        .push("Warehouse handhelds are company-owned and enrolled in the MDM".to_owned());
    let questions = asked(&shop);
    assert_not_fires(&questions, "flow.tampering.on-device.staff", "f-pick");
    assert_fires(
        &questions,
        "flow.tampering.on-device.staff-managed",
        "f-pick",
    );
    // It says nothing of the customers' phones.
    assert_fires(&questions, "flow.tampering.on-device.person", "f-app-use");
    assert_fires(&questions, "flow.tampering.from-client-app", "f-app-orders");
}

#[test]
fn round_59_and_60_tools_people_use_directly_devices_in_public_and_local_databases() {
    // A ticketing tool that customers and the shop's staff use directly, not through the shop
    // (round 59: asked as a provider the shop's pages embed a key for, 10 wrong ratings), and
    // an analytics service only the customers' browsers reach (still asked that way).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "helpdesk", "name": "Helpdesk", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false, "hosting": "saas"}},
                {"id": "analytics", "name": "Analytics", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}},
                {"id": "kiosk", "name": "Store kiosk", "kind": "process", "boundary": "tb-corp",
                 "properties": {"auth_methods": ["pin", "mtls"]}},
                {"id": "kiosk-db", "name": "Kiosk local store", "kind": "data_store",
                 "boundary": "tb-corp",
                 "properties": {"technology": "sqlite", "contains_personal_data": true}},
                {"id": "media", "name": "Media bucket", "kind": "data_store", "boundary": "tb-app",
                 "properties": {"technology": "s3", "backups": true}},
                {"id": "invoices", "name": "Invoice bucket", "kind": "data_store",
                 "boundary": "tb-app", "properties": {"technology": "s3"}},
                {"id": "scanner-app", "name": "Scanner app", "kind": "process",
                 "properties": {"hosting": "mobile"}}],
            "flows": [
                {"id": "f-ticket", "name": "write to support", "source": "customer",
                 "target": "helpdesk", "protocol": "HTTPS",
                 "data": [{"name": "support messages", "classification": "confidential"}]},
                {"id": "f-agent", "name": "answer tickets", "source": "shop-staff",
                 "target": "helpdesk", "protocol": "HTTPS",
                 "data": [{"name": "support messages", "classification": "confidential"}]},
                {"id": "f-track", "name": "page events", "source": "customer",
                 "target": "analytics", "protocol": "HTTPS",
                 "data": [{"name": "page events", "classification": "internal"}]},
                {"id": "f-kiosk-use", "name": "collect at the kiosk", "source": "customer",
                 "target": "kiosk", "protocol": "touchscreen and QR scanner",
                 "data": [{"name": "pickup code", "classification": "confidential"}]},
                {"id": "f-kiosk-db", "name": "keep local orders", "source": "kiosk",
                 "target": "kiosk-db", "protocol": "SQLite",
                 "data": [{"name": "pickup code hashes", "classification": "confidential"}]},
                {"id": "f-kiosk-sync", "name": "kiosk sync", "source": "kiosk",
                 "target": "order-service", "protocol": "MQTT over TLS", "encrypted": true,
                 "description": "Older kiosks still share one client certificate.",
                 "data": [{"name": "pickup events", "classification": "internal"}]},
                {"id": "f-scan-ble", "name": "unlock over Bluetooth", "source": "scanner-app",
                 "target": "kiosk", "protocol": "Bluetooth LE",
                 "data": [{"name": "unlock token", "classification": "confidential"}]},
                {"id": "f-media", "name": "export media", "source": "erp",
                 "target": "media", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "product images", "classification": "public"}]},
                {"id": "f-invoice-link", "name": "announce the invoice", "source": "order-service",
                 "target": "order-queue", "protocol": "AMQP",
                 "description": "Carries the pre-signed link for the e-mail.",
                 "data": [{"name": "invoice link", "classification": "confidential"}]},
                {"id": "f-invoice", "name": "download the invoice", "source": "customer",
                 "target": "invoices", "protocol": "HTTPS", "encrypted": true,
                 "description": "The customer opens the pre-signed link from the e-mail.",
                 "data": [{"name": "invoice", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    for topic in [
        "interactor.context.data",
        "interactor.context.transit",
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.denial-of-service",
        "interactor.context.authorization",
    ] {
        assert_fires(&questions, &format!("{topic}.people-tool"), "helpdesk");
        assert_not_fires(
            &questions,
            &format!("{topic}.reached-by-people"),
            "helpdesk",
        );
        assert_not_fires(&questions, &format!("{topic}.callee"), "helpdesk");
        assert_fires(
            &questions,
            &format!("{topic}.reached-by-people"),
            "analytics",
        );
    }
    // A person at a kiosk in a shop (round 60: lockers in stations): what someone standing
    // there could do, not sessions, look-alike sites or encryption on the way.
    assert_fires(
        &questions,
        "flow.tampering.from-person.physical",
        "f-kiosk-use",
    );
    for template in [
        "flow.tampering.from-person",
        "flow.tampering.from-person-anonymous",
        "flow.information_disclosure.unknown",
        "flow.information_disclosure.protection",
    ] {
        assert_not_fires(&questions, template, "f-kiosk-use");
    }
    // Its SQLite file: no database accounts, no administrators reading it directly, no
    // mutual TLS to a file; who holds the machine.
    assert_fires(&questions, "flow.tampering.embedded-store", "f-kiosk-db");
    assert_not_fires(&questions, "flow.tampering.integrity", "f-kiosk-db");
    assert_not_fires(
        &questions,
        "flow.information_disclosure.unknown",
        "f-kiosk-db",
    );
    assert_not_fires(&questions, "store.repudiation.direct-access", "kiosk-db");
    assert_not_fires(
        &questions,
        "process.elevation_of_privilege.store-accounts",
        "kiosk",
    );
    // Mutual TLS is not asked over Bluetooth; a certificate the model says is shared is
    // asked about as shared.
    assert_not_fires(&questions, "flow.tampering.mutual-tls", "f-scan-ble");
    assert_not_fires(&questions, "flow.tampering.mutual-tls", "f-kiosk-sync");
    assert_text_starts_with(
        &questions,
        "flow.tampering.mutual-tls.shared-certificate",
        "f-kiosk-sync",
        "The model says of kiosk sync: “Older kiosks still share one client certificate.”",
    );
    // Signed links the model mentions on two flows are one question (round 59: three), and
    // it settles what the person reaching the bucket directly may read there.
    let links: Vec<&Asked> = questions
        .iter()
        .filter(|q| q.template == "flow.information_disclosure.stated-link")
        .collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].subjects, ["f-invoice", "f-invoice-link"]);
    assert_not_fires(
        &questions,
        "flow.tampering.from-person.to-store",
        "f-invoice",
    );
    // A bucket does not run out of disk (one written from inside the trusted zones: what
    // outside requests can make grow is asked as such).
    assert_fires(
        &questions,
        "store.denial_of_service.capacity.object-storage",
        "media",
    );
    assert_not_fires(&questions, "store.denial_of_service.capacity", "media");
}

#[test]
fn round_59_and_60_sentences_that_answer_nothing_of_the_question() {
    const TRANSIT: &str = "interactor.context.transit.person-internal";
    // A flow that creates a pre-signed link for someone else is not itself authenticated by
    // one (round 59: "writes the zip and creates the pre-signed link", both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({"flows": [{
            "id": "f-export", "name": "write the export", "source": "catalog-service",
            "target": "catalog-db", "protocol": "HTTPS",
            "description": "Writes the zip and creates the pre-signed link.",
            "data": [{"name": "export", "classification": "confidential"}]
        }]}),
    );
    let integrity = "flow.tampering.integrity";
    assert!(!answered_from_model(&shop, integrity, "f-export"));
    assert!(answered_when_flow_says(
        &mut shop,
        "f-export",
        "Writes the zip through a pre-signed URL the API hands out.",
        integrity,
        "f-export"
    ));

    // A key in a CI variable that signs firmware is not the credential a pipeline deploys
    // with (round 60, both reviewers).
    let mut pipeline = model("delivery-pipeline");
    let deploys = "process.spoofing.pipeline";
    assert!(!answered_when_flow_says(
        &mut pipeline,
        "f-deploy",
        "Tagged builds are signed in CI with a key held in a CI variable and uploaded.",
        deploys,
        "pipeline"
    ));
    assert!(answered_when_flow_says(
        &mut pipeline,
        "f-deploy",
        "Helm deploys with a key held in a CI variable.",
        deploys,
        "pipeline"
    ));

    // What a zone says of one team does not answer for everyone in it (round 59: the legal
    // team's connections "answered" by how the outsourced support team connects).
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-backoffice").description =
        Some("Staff search orders, change addresses and issue refunds.".to_owned());
    boundary_of_mut(&mut shop, "shop-staff").description =
        Some("Staff laptops managed by IT; staff connect through the VPN.".to_owned());
    assert!(answered_from_model(&shop, TRANSIT, "shop-staff"));
    boundary_of_mut(&mut shop, "shop-staff").description = Some(
        "Staff laptops managed by IT; the outsourced support team connects through the VPN."
            .to_owned(),
    );
    assert!(!answered_from_model(&shop, TRANSIT, "shop-staff"));
}

#[test]
fn round_61_and_62_people_in_person_attached_devices_documents_in_hand_and_online_token_checks() {
    const SINCE: &str = "engagement.architect.walkthrough.since-document";
    const WALK: &str = "engagement.architect.walkthrough";
    const JWT: &str = "oauth-oidc.process.spoofing.jwt-validation";
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                // Someone who collects at a counter, with no account (round 62: a remittance's
                // recipient asked how they sign in and reset a password, 10 wrong ratings).
                {"id": "collector", "name": "Collector", "kind": "external_interactor",
                 "description": "Collects parcels at the counter. Has no account with us.",
                 "properties": {"human": true}},
                {"id": "counter", "name": "Counter terminal", "kind": "process",
                 "boundary": "tb-corp", "properties": {"hosting": "desktop"}},
                // A reader attached over USB (round 61: an RFID pad asked as another
                // organisation's service).
                {"id": "reader", "name": "Tag reader", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": false}}],
            "flows": [
                {"id": "f-collect", "name": "collect at the counter", "source": "collector",
                 "target": "counter", "protocol": "in person",
                 "data": [{"name": "pickup reference", "classification": "confidential"}]},
                {"id": "f-read-tags", "name": "read tags", "source": "counter",
                 "target": "reader", "protocol": "USB", "bidirectional": true,
                 "data": [{"name": "item tags", "classification": "internal"}]},
                {"id": "f-counter-orders", "name": "look up orders", "source": "counter",
                 "target": "order-service", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    for topic in [
        "interactor.context.data",
        "interactor.context.transit",
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.denial-of-service",
        "interactor.context.authorization",
    ] {
        assert_fires(&questions, &format!("{topic}.in-person"), "collector");
        assert_fires(&questions, &format!("{topic}.attached-device"), "reader");
        assert_not_fires(&questions, &format!("{topic}.in-person"), "customer");
        assert_not_fires(&questions, &format!("{topic}.callee"), "reader");
    }
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.person",
        "collector",
    );
    assert_fires(
        &questions,
        "flow.tampering.from-person.physical",
        "f-collect",
    );
    assert_not_fires(&questions, "flow.tampering.on-device.staff", "f-collect");
    assert_fires(&questions, "flow.tampering.local-link", "f-read-tags");
    for template in [
        "flow.information_disclosure.protection.outside",
        "flow.tampering.responses",
        "flow.tampering.integrity",
    ] {
        assert_not_fires(&questions, template, "f-read-tags");
    }

    // The architecture document is in hand: what changed since it, not a walk-through from
    // the start (rounds 59 to 62, 8 wrong ratings).
    let has = |q: &[Asked], t: &str| q.iter().any(|q| q.template == t);
    assert!(has(&questions, SINCE) && !has(&questions, WALK));
    for document in &mut shop.documents {
        document.status = threat_interview::DocumentStatus::Requested;
    }
    let requested = asked(&shop);
    assert!(!has(&requested, SINCE) && has(&requested, WALK));

    // A gateway that asks the identity service to check every token is not asked what it
    // checks in each one (round 62: introspection; the shop's gateway says so).
    let online = asked(&load("examples/engagements/online-shop.json"));
    assert_not_fires(&online, "process.spoofing.token-validation", "api-gateway");
    assert_not_fires(&online, JWT, "api-gateway");
    let mut checked_locally = load("examples/engagements/online-shop.json");
    flow_mut(&mut checked_locally, "f-login").description =
        Some("The gateway forwards sign-in requests.".to_owned());
    assert_fires(&asked(&checked_locally), JWT, "api-gateway");
}

#[test]
fn round_61_card_details_only_on_a_hosted_page_leave_the_split_alone() {
    // Round 61: "card details are entered only on the payment provider's hosted page" did not
    // stop the questions that presume card data (7 wrong of 7, both reviewers), nor the page
    // scripts question for a page that redirects.
    let mut engagement = load("tests/models/packs/card-checkout.json");
    engagement
        .scope
        .assumptions
        .push("Card details are entered only on the payment provider's hosted page".into());
    let questions = asked(&engagement);
    let pack: Vec<&str> = questions
        .iter()
        .filter(|q| q.bank == "payment-cards")
        .map(|q| q.template.as_str())
        .collect();
    assert_eq!(
        pack,
        ["payment-cards.engagement.business.responsibility-matrix"]
    );
}

#[test]
fn no_two_templates_supersede_each_other() {
    // Two templates that supersede each other drop both where both apply: the concern is
    // asked by neither.
    let mut supersedes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let banks = BankSet::builtin();
    for t in banks.templates() {
        supersedes.insert(
            t.template.id.clone(),
            t.template.supersedes.iter().cloned().collect(),
        );
    }
    // (The built-in set holds the built-in packs' templates too.)
    assert!(banks.templates().any(|t| t.pack.is_some()));
    for (id, victims) in &supersedes {
        for victim in victims {
            assert!(
                !supersedes.get(victim).is_some_and(|v| v.contains(id)),
                "`{id}` and `{victim}` supersede each other"
            );
        }
    }
}

#[test]
fn round_63_and_64_devices_on_site_systems_beside_the_platform_and_access_points() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                // A till people use in person (round 64: gates, kiosks and tills asked about
                // their callers' expensive requests and roles).
                {"id": "till", "name": "Shop till", "kind": "process", "boundary": "tb-corp",
                 "properties": {"hosting": "on_premises"}},
                // Door readers that take their rights from a vendor's cloud, never from the
                // shop (round 63: asked as services the platform calls).
                {"id": "doors", "name": "Door readers", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": false}},
                {"id": "door-cloud", "name": "Door vendor cloud", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}},
                // Access points that relay people's Wi-Fi sign-ins to a RADIUS server (round
                // 63: asked as an identity provider, 14 ratings).
                {"id": "aps", "name": "Wi-Fi access points", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": false}},
                {"id": "radius", "name": "RADIUS server", "kind": "process", "boundary": "tb-app",
                 "properties": {"hosting": "kubernetes"}},
                // A door credential in the phone's keychain (round 63: asked what is lost
                // before it synchronises).
                {"id": "shop-app", "name": "Shop app", "kind": "process",
                 "properties": {"hosting": "mobile"}},
                {"id": "keychain", "name": "Door credential store", "kind": "data_store",
                 "properties": {"hosting": "mobile", "technology": "ios_keychain"}},
                // A lobby tablet visitors use in person (round 63: said to be used by staff).
                {"id": "lobby", "name": "Lobby tablet", "kind": "process", "boundary": "tb-corp",
                 "properties": {"hosting": "mobile"}},
                {"id": "visitor", "name": "Visitor", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": true}}],
            "flows": [
                {"id": "f-till-use", "name": "ring up a sale", "source": "shop-staff",
                 "target": "till", "protocol": "on device",
                 "data": [{"name": "sale", "classification": "internal"}]},
                {"id": "f-till-tap", "name": "tap a loyalty tag", "source": "customer",
                 "target": "till", "protocol": "NFC",
                 "data": [{"name": "tag id", "classification": "internal"}]},
                {"id": "f-till-sync", "name": "send sales", "source": "till",
                 "target": "order-service", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "sales", "classification": "confidential"}]},
                {"id": "f-badge", "name": "badge in", "source": "shop-staff", "target": "doors",
                 "protocol": "key card",
                 "data": [{"name": "key card number", "classification": "internal"}]},
                {"id": "f-door-sync", "name": "sync door rights", "source": "doors",
                 "target": "door-cloud", "protocol": "vendor protocol over TLS",
                 "data": [{"name": "door rights", "classification": "internal"}]},
                {"id": "f-wifi", "name": "join the Wi-Fi", "source": "shop-staff",
                 "target": "aps", "protocol": "WPA2-Enterprise (PEAP)",
                 "data": [{"name": "staff credentials", "classification": "restricted"}]},
                {"id": "f-radius", "name": "check Wi-Fi sign-ins", "source": "aps",
                 "target": "radius", "protocol": "RADIUS (UDP)",
                 "data": [{"name": "staff credentials", "classification": "restricted"}]},
                {"id": "f-app-use", "name": "use the app", "source": "customer",
                 "target": "shop-app", "protocol": "on device",
                 "data": [{"name": "basket", "classification": "internal"}]},
                {"id": "f-keychain", "name": "keep the door credential", "source": "shop-app",
                 "target": "keychain",
                 "data": [{"name": "door credential", "classification": "restricted"}]},
                {"id": "f-register", "name": "register a visit", "source": "visitor",
                 "target": "lobby", "protocol": "touch screen",
                 "data": [{"name": "visitor name", "classification": "confidential"}]},
                {"id": "f-lobby-api", "name": "submit visits", "source": "lobby",
                 "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "visits", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    for (category, server) in [
        ("spoofing", "process.spoofing.impersonation"),
        ("tampering", "process.tampering.untrusted-input"),
        ("repudiation", "process.repudiation.audit-trail"),
        (
            "information_disclosure",
            "process.information_disclosure.over-sharing",
        ),
        (
            "denial_of_service",
            "process.denial_of_service.expensive-requests",
        ),
        (
            "elevation_of_privilege",
            "process.elevation_of_privilege.upstream-claims",
        ),
    ] {
        assert_fires(
            &questions,
            &format!("process.{category}.on-site-device"),
            "till",
        );
        assert_not_fires(&questions, server, "till");
        assert_not_fires(
            &questions,
            &format!("process.{category}.on-site-device"),
            "order-service",
        );
    }
    assert_fires(
        &questions,
        "flow.tampering.from-person.physical",
        "f-till-use",
    );
    // A person's own phone is not a device used in person.
    assert_fires(&questions, "flow.tampering.on-device.person", "f-app-use");
    assert_not_fires(
        &questions,
        "flow.tampering.from-person.physical",
        "f-app-use",
    );
    // Door readers: one question, not seven about calls the shop never makes.
    assert_fires(
        &questions,
        "interactor.context.data.beside-the-system",
        "doors",
    );
    for topic in TOPICS {
        assert_not_fires(&questions, &format!("{topic}.callee"), "doors");
        assert_not_fires(&questions, &format!("{topic}.identity-provider"), "aps");
    }
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.caller",
        "aps",
    );
    // The keychain: copying and revocation, not a synchronisation it does not do.
    assert_fires(
        &questions,
        "store.information_disclosure.device-keystore",
        "keychain",
    );
    for on_device in [
        "store.denial_of_service.on-device",
        "store.repudiation.on-device",
        "store.tampering.on-device",
    ] {
        assert_not_fires(&questions, on_device, "keychain");
    }
    // The lobby tablet: a device key, not a staff member's sign-in or people's own phones.
    assert_fires(
        &questions,
        "flow.tampering.from-client-app.kiosk",
        "f-lobby-api",
    );
    for other in [
        "flow.tampering.from-client-app",
        "flow.tampering.from-client-app.staff",
    ] {
        assert_not_fires(&questions, other, "f-lobby-api");
    }
    // A key card number is not payment card data (round 63: the `payment-cards` pack asked
    // about the door-access service); a card number is.
    let cards_pack = |data: &str| {
        let mut pipeline = model("delivery-pipeline");
        // (Its assumption, "card numbers never reach our systems", switches the pack off:
        // round 76.)
        pipeline.scope.assumptions.clear();
        with_extra(
            &mut pipeline,
            &serde_json::json!({"flows": [{
                "id": "f-cards", "name": "take cards", "source": "web", "target": "db",
                "protocol": "PostgreSQL",
                "data": [{"name": data, "classification": "restricted"}]
            }]}),
        );
        generate(&pipeline)
            .packs()
            .iter()
            .any(|p| p.id == "payment-cards" && p.active)
    };
    assert!(cards_pack("card number"));
    assert!(!cards_pack("key card number"));
    // A stated second approver is quoted, not asked as unknown (round 64).
    let mut money = load("examples/engagements/online-shop.json");
    element_mut(&mut money, "backoffice-app").description =
        Some("Staff issue refunds; refunds above 500 EUR need a second person.".to_owned());
    let questions = asked(&money);
    assert_text_starts_with(
        &questions,
        "process.elevation_of_privilege.money-approval-stated",
        "backoffice-app",
        "The model says of Back-office application: “refunds above 500 EUR need a second \
         person.”",
    );
    assert_not_fires(
        &questions,
        "process.elevation_of_privilege.money-approval",
        "backoffice-app",
    );
}

#[test]
fn round_65_and_66_own_phones_tills_with_a_pin_and_a_providers_pin_pad() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "shop-app", "name": "Shop app", "kind": "process",
                 "properties": {"hosting": "mobile"}},
                {"id": "till", "name": "Shop till", "kind": "process", "boundary": "tb-corp",
                 "description": "Staff take refunds; a shift manager approves refunds with their own PIN.",
                 "properties": {"hosting": "on_premises"}},
                {"id": "cashier", "name": "Cashier", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": true, "auth_methods": ["pin"]}},
                {"id": "terminal", "name": "Card terminal", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}},
                {"id": "app-db", "name": "App offline store", "kind": "data_store",
                 "properties": {"hosting": "mobile", "technology": "sqlite"}}],
            "flows": [
                // A customer's own phone (round 66: asked what someone standing at it could do).
                {"id": "f-app-touch", "name": "use the app", "source": "customer",
                 "target": "shop-app", "protocol": "touch screen",
                 "data": [{"name": "basket", "classification": "internal"}]},
                {"id": "f-app-orders", "name": "place orders", "source": "shop-app",
                 "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "orders", "classification": "confidential"}]},
                // A cashier with a till PIN (round 66: asked about HSTS, e-mailed links and
                // scripts flooding the platform).
                {"id": "f-till-use", "name": "operate the till", "source": "cashier",
                 "target": "till", "protocol": "keyboard and touch screen",
                 "data": [{"name": "refunds", "classification": "confidential"}]},
                {"id": "f-till-sync", "name": "send refunds", "source": "till",
                 "target": "payment-service", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "refunds", "classification": "confidential"}]},
                // A customer at a provider's PIN pad (round 66: asked about links it hands out).
                // The app's own SQLite file on the phone (round 65: asked about a service menu
                // and a debug port on a managed iPad).
                {"id": "f-app-db", "name": "keep the basket offline", "source": "shop-app",
                 "target": "app-db",
                 "data": [{"name": "basket", "classification": "internal"}]},
                {"id": "f-pin-pad", "name": "pay at the terminal", "source": "customer",
                 "target": "terminal", "protocol": "card reader and PIN pad",
                 "data": [{"name": "card PIN", "classification": "restricted"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_fires(&questions, "flow.tampering.on-device.person", "f-app-touch");
    // "Personal or company-managed; we do not control them" says the devices are not the
    // organisation's (round 68: asked as managed devices staff use, both reviewers).
    let mut phones = shop.clone();
    element_mut(&mut phones, "shop-app").description = Some(
        "Runs on customers' phones, personal or company-managed; we do not control them."
            .to_owned(),
    );
    let on_phones = asked(&phones);
    assert_fires(&on_phones, "flow.tampering.on-device.person", "f-app-touch");
    assert_not_fires(
        &on_phones,
        "flow.tampering.on-device.staff-managed",
        "f-app-touch",
    );
    assert_not_fires(
        &on_phones,
        "flow.tampering.from-client-app.staff",
        "f-app-orders",
    );
    assert_not_fires(
        &questions,
        "flow.tampering.from-person.physical",
        "f-app-touch",
    );
    assert_fires(&questions, "flow.tampering.from-client-app", "f-app-orders");
    assert_not_fires(
        &questions,
        "flow.tampering.from-client-app.kiosk",
        "f-app-orders",
    );
    for topic in [
        "interactor.context.data",
        "interactor.context.transit",
        "interactor.context.denial-of-service",
        "interactor.context.authorization",
    ] {
        assert_fires(&questions, &format!("{topic}.in-person"), "cashier");
        assert_not_fires(&questions, &format!("{topic}.in-person"), "customer");
    }
    // The cashier signs in with a PIN: asked as such, not as someone with no account.
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.in-person",
        "cashier",
    );
    assert_fires(
        &questions,
        "flow.tampering.from-person.physical",
        "f-pin-pad",
    );
    assert_not_fires(&questions, "flow.tampering.person-to-provider", "f-pin-pad");
    assert_not_fires(&questions, "flow.tampering.embedded-store", "f-app-db");
    assert_fires(&questions, "flow.tampering.on-device", "f-app-db");
    assert_fires(
        &questions,
        "process.elevation_of_privilege.money-approval-stated",
        "till",
    );
}

/// A token service that only apps on phones and desktops call keeps their sessions as tokens,
/// not cookies (rounds 51, 62 and 66: asked about cookie flags).
#[test]
fn sessions_of_a_service_only_apps_call_are_asked_about_tokens() {
    const TOKENS: &str = "process.spoofing.sessions.app-tokens";
    const COOKIES: &str = "process.spoofing.sessions";
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "shop-app", "name": "Shop app", "kind": "process",
                 "properties": {"hosting": "mobile"}},
                {"id": "till-app", "name": "Till app", "kind": "process",
                 "properties": {"hosting": "desktop"}},
                {"id": "app-auth", "name": "App sign-in service", "kind": "process",
                 "boundary": "tb-app", "properties": {"issues_tokens": true}}],
            "flows": [
                {"id": "f-app-use", "name": "use the app", "source": "customer",
                 "target": "shop-app", "protocol": "touch screen",
                 "data": [{"name": "password", "classification": "restricted"}]},
                {"id": "f-app-sign-in", "name": "sign in", "source": "shop-app",
                 "target": "app-auth", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "password", "classification": "restricted"},
                          {"name": "refresh token", "classification": "restricted"}]},
                {"id": "f-till-sign-in", "name": "sign in", "source": "till-app",
                 "target": "app-auth", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "refresh token", "classification": "restricted"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_fires(&questions, TOKENS, "app-auth");
    assert_not_fires(&questions, COOKIES, "app-auth");
    // A browser among its callers: cookies are back in the question.
    let mut with_browser = shop.clone();
    with_extra(
        &mut with_browser,
        &serde_json::json!({
            "elements": [],
            "flows": [
                {"id": "f-web-sign-in", "name": "sign in", "source": "web-frontend",
                 "target": "app-auth", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "session cookie", "classification": "restricted"}]}]
        }),
    );
    let browsers = asked(&with_browser);
    assert_not_fires(&browsers, TOKENS, "app-auth");
    assert_fires(&browsers, COOKIES, "app-auth");
}

#[test]
fn round_69_what_the_model_settles_and_what_a_service_does_not_do() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "shop-app", "name": "Shop app", "kind": "process",
                 "properties": {"hosting": "mobile"}},
                {"id": "shop-web", "name": "Shop web app", "kind": "process",
                 "properties": {"hosting": "browser"}},
                {"id": "price-calc", "name": "Price calculator", "kind": "process",
                 "boundary": "tb-app", "description": "Stateless rules that price a basket."},
                {"id": "doc-service", "name": "Document service", "kind": "process",
                 "boundary": "tb-app",
                 "description": "Hands out upload links and queues OCR jobs."},
                {"id": "ocr-worker", "name": "OCR worker", "kind": "process",
                 "boundary": "tb-app",
                 "description": "Renders uploaded PDFs and OCRs them."}],
            "flows": [
                {"id": "f-app-use", "name": "use the app", "source": "customer",
                 "target": "shop-app", "protocol": "touch screen",
                 "data": [{"name": "delivery address", "classification": "confidential"}]},
                {"id": "f-web-use", "name": "use the web app", "source": "customer",
                 "target": "shop-web", "protocol": "browser",
                 "data": [{"name": "delivery address", "classification": "confidential"}]},
                {"id": "f-price", "name": "price the basket", "source": "order-service",
                 "target": "price-calc", "protocol": "HTTP", "bidirectional": true,
                 "data": [{"name": "basket", "classification": "internal"}]},
                {"id": "f-upload", "name": "upload invoices", "source": "customer",
                 "target": "doc-service", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "invoice PDF", "classification": "confidential"}]},
                {"id": "f-ocr", "name": "read invoices", "source": "doc-service",
                 "target": "ocr-worker", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "invoice PDF", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    // Another app on the device: a phone's, not a browser's (its storage is asked on its own).
    assert_fires(
        &questions,
        "flow.information_disclosure.on-device",
        "f-app-use",
    );
    assert_not_fires(
        &questions,
        "flow.information_disclosure.on-device",
        "f-web-use",
    );
    // A flow's name opening a sentence is said to be a flow's.
    let mut app_only = shop.clone();
    app_only.model.flows.retain(|f| f.id != "f-web-use");
    assert_text_starts_with(
        &asked(&app_only),
        "flow.tampering.on-device.person",
        "f-app-use",
        "The flow \u{201c}use the app\u{201d} passes between Customer and Shop app",
    );
    // A service that calls nothing holds nothing to over-share (both reviewers).
    let sharing = "process.information_disclosure.over-sharing";
    assert_not_fires(&questions, sharing, "price-calc");
    let mut reading = shop.clone();
    with_extra(
        &mut reading,
        &serde_json::json!({"elements": [], "flows": [
            {"id": "f-prices", "name": "read prices", "source": "price-calc",
             "target": "catalog-db", "protocol": "PostgreSQL", "encrypted": true,
             "authenticated": true,
             "data": [{"name": "prices", "classification": "internal"}]}]}),
    );
    assert_fires(&asked(&reading), sharing, "price-calc");
    // Queueing OCR jobs is not reading the files (both reviewers).
    let files = "process.elevation_of_privilege.hostile-files";
    assert_fires(&questions, files, "ocr-worker");
    assert_not_fires(&questions, files, "doc-service");
    // A store that keeps credentials of other services is not one to sign in from.
    let planted = "store.tampering.planted-credentials";
    assert_fires(&questions, planted, "customers-db");
    let mut orders = shop.clone();
    set_property(
        &mut orders,
        "orders-db",
        "stores_credentials",
        PropertyValue::Bool(true),
    );
    assert_not_fires(&asked(&orders), planted, "orders-db");
    // Refunds with "no second approval" are not asked what one person can do below a limit.
    let approval = "process.elevation_of_privilege.money-approval-stated";
    flow_mut(&mut shop, "f-refund").description =
        Some("Staff refund orders; a manager approves refunds above 100 EUR.".to_owned());
    assert_fires(&asked(&shop), approval, "payment-service");
    flow_mut(&mut shop, "f-refund").description =
        Some("Staff refund orders; no second approval.".to_owned());
    assert_not_fires(&asked(&shop), approval, "payment-service");
    // What an administrator can do to others' second factors is not their own weak sign-in.
    let weak = "interactor.spoofing.authentication.stated";
    set_property(&mut shop, "shop-staff", "admin", PropertyValue::Bool(true));
    element_mut(&mut shop, "shop-staff").description =
        Some("Staff reset the second factor of customers who lost their phone.".to_owned());
    element_mut(&mut shop, "customer").description =
        Some("Customers can reset the second factor from the account page.".to_owned());
    let questions = asked(&shop);
    assert_not_fires(&questions, weak, "shop-staff");
    assert_fires(&questions, weak, "customer");
}

#[test]
fn round_69_answers_from_the_zone_and_the_flow() {
    let mut shop = load("examples/engagements/online-shop.json");
    // A connection to the identity service that nothing authenticates, in a zone that says
    // it has no network policies (both reviewers: the model answers it).
    flow_mut(&mut shop, "f-login").authenticated = Some(false);
    let unauthenticated = "flow.tampering.unauthenticated";
    assert!(!answered_from_model(&shop, unauthenticated, "f-login"));
    boundary_of_mut(&mut shop, "identity-service").description =
        Some("One namespace for everything; no network policies yet.".to_owned());
    assert!(answered_from_model(&shop, unauthenticated, "f-login"));
    // A worker writing with another service's database user (both reviewers).
    assert!(answered_when_flow_says(
        &mut shop,
        "f-shipment-status",
        "Writes statuses with the same database user the order service has.",
        "flow.tampering.integrity",
        "f-shipment-status",
    ));
    // A partner's callback with "no message signature" is asked as unsigned.
    flow_mut(&mut shop, "f-psp-webhook").description =
        Some("Payment results; authenticated with an API key, no message signature.".to_owned());
    let questions = asked(&shop);
    assert_fires(
        &questions,
        "interactor.context.transit.caller-unsigned",
        "payment-provider",
    );
}

#[test]
fn round_70_signed_notifications_codes_for_resets_keys_per_connection_and_handhelds() {
    let mut shop = load("examples/engagements/online-shop.json");
    // Notifications marked unauthenticated that carry an HMAC are not "nothing to
    // authenticate" (both reviewers, four questions).
    flow_mut(&mut shop, "f-psp-webhook").authenticated = Some(false);
    let unauthenticated = "interactor.spoofing.authentication.caller-unauthenticated";
    assert_fires(&asked(&shop), unauthenticated, "payment-provider");
    flow_mut(&mut shop, "f-psp-webhook")
        .properties
        .insert("message_signing".to_owned(), PropertyValue::Bool(true));
    let signed = asked(&shop);
    for template in [
        unauthenticated,
        "interactor.spoofing.credential-change.caller-unauthenticated",
        "interactor.repudiation.failed-authentication.caller-unauthenticated",
        "interactor.context.authorization.caller-unauthenticated",
    ] {
        assert_not_fires(&signed, template, "payment-provider");
    }
    // A one-time code where the model says there is no second factor is for resets.
    let mut codes = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut codes, "customer", &["password", "otp"]);
    let otp = "interactor.spoofing.authentication.person-password-otp";
    assert_fires(&asked(&codes), otp, "customer");
    set_property(
        &mut codes,
        "customer",
        "mfa_available",
        PropertyValue::Bool(false),
    );
    let reset_codes = asked(&codes);
    assert_not_fires(&reset_codes, otp, "customer");
    // (Since round 82, asked what the code is for rather than as "a password alone".)
    assert_fires(
        &reset_codes,
        "interactor.spoofing.authentication.person-password-otp-unclear",
        "customer",
    );
    // A reusable card token is not a credential of ours; a reusable key is.
    let stated = "flow.tampering.stated-credential";
    let mut tokens = load("examples/engagements/online-shop.json");
    flow_mut(&mut tokens, "f-psp-charge").description =
        Some("Charges the card through the provider, which returns a reusable card token.".into());
    assert_not_fires(&asked(&tokens), stated, "f-psp-charge");
    flow_mut(&mut tokens, "f-psp-charge").description =
        Some("Charges the card with a reusable API key.".into());
    assert_fires(&asked(&tokens), stated, "f-psp-charge");
    // Mutual TLS is asked of the connections that use it, where the service takes keys too.
    let mtls = "flow.tampering.mutual-tls";
    let mut keys = load("examples/engagements/online-shop.json");
    assert_fires(&asked(&keys), mtls, "f-payment-request");
    set_auth_methods(&mut keys, "payment-service", &["mtls", "api_key"]);
    assert_not_fires(&asked(&keys), mtls, "f-payment-request");
    flow_mut(&mut keys, "f-payment-request").protocol = Some("HTTPS (mTLS)".to_owned());
    assert_fires(&asked(&keys), mtls, "f-payment-request");
    // Handhelds the organisation manages.
    let mut handhelds = load("examples/engagements/online-shop.json");
    with_extra(
        &mut handhelds,
        &serde_json::json!({
            "elements": [
                {"id": "picker-app", "name": "Picker app", "kind": "process",
                 "boundary": "tb-corp",
                 "description": "Android app on managed handheld devices.",
                 "properties": {"hosting": "mobile"}}],
            "flows": [
                {"id": "f-pick", "name": "pick orders", "source": "shop-staff",
                 "target": "picker-app", "protocol": "on-device UI",
                 "data": [{"name": "pick list", "classification": "internal"}]}]
        }),
    );
    let picked = asked(&handhelds);
    assert_fires(&picked, "flow.tampering.on-device.staff-managed", "f-pick");
    assert_not_fires(&picked, "flow.tampering.on-device.staff", "f-pick");
}

#[test]
fn round_70_health_data_reads_and_retention_the_model_states() {
    let mut clinic = load("examples/engagements/online-shop.json");
    set_property(
        &mut clinic,
        "backoffice-app",
        "health_data",
        PropertyValue::Bool(true),
    );
    let audit = "health-data.process.repudiation.access-audit";
    assert!(!answered_from_model(&clinic, audit, "backoffice-app"));
    element_mut(&mut clinic, "backoffice-app").description =
        Some("Refunds are logged; viewing a customer's record is not.".to_owned());
    assert!(answered_from_model(&clinic, audit, "backoffice-app"));
    // Round 71: where the model sets the retention, the pack does not ask how long (the
    // built-in deletion question asks the rest).
    let retention = "health-data.store.information_disclosure.retention";
    set_property(
        &mut clinic,
        "customers-db",
        "health_data",
        PropertyValue::Bool(true),
    );
    let questions = asked(&clinic);
    assert_fires(&questions, retention, "customers-db");
    set_property(
        &mut clinic,
        "customers-db",
        "retention_days",
        PropertyValue::Number(3650.into()),
    );
    assert_not_fires(&asked(&clinic), retention, "customers-db");
}

#[test]
fn round_71_and_72_signed_webhooks_proxies_managed_services_and_stated_readers() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "receiver", "name": "Merchant webhook endpoint", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}},
                {"id": "log-store", "name": "Log store", "kind": "data_store",
                 "boundary": "tb-app", "properties": {"technology": "elasticsearch"}},
                {"id": "reporting", "name": "Reporting job", "kind": "process",
                 "boundary": "tb-corp", "properties": {"hosting": "on_premises"}}],
            "flows": [
                {"id": "f-notify", "name": "notify merchants", "source": "order-service",
                 "target": "receiver", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": false,
                 "data": [{"name": "order event", "classification": "internal"}]},
                {"id": "f-logs", "name": "ship logs", "source": "order-service",
                 "target": "log-store", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "request logs", "classification": "internal"}]},
                {"id": "f-report", "name": "read orders for reports", "source": "reporting",
                 "target": "orders-db", "protocol": "PostgreSQL", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    // Webhooks we sign to a receiver's URL: not "a connection without authentication" to a
    // service (round 72, both reviewers, four questions), but the signing secret.
    let topics = [
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.authorization",
    ];
    let unsigned = asked(&shop);
    for topic in topics {
        assert_fires(&unsigned, &format!("{topic}.callee-open"), "receiver");
        assert_not_fires(&unsigned, &format!("{topic}.callee-signed"), "receiver");
    }
    let mut signed = shop.clone();
    flow_mut(&mut signed, "f-notify")
        .properties
        .insert("message_signing".to_owned(), PropertyValue::Bool(true));
    let signed = asked(&signed);
    for topic in topics {
        assert_fires(&signed, &format!("{topic}.callee-signed"), "receiver");
        assert_not_fires(&signed, &format!("{topic}.callee-open"), "receiver");
        assert_not_fires(&signed, topic, "receiver");
    }
    // Readers a store's description names (rounds 71 and 72, both reviewers).
    let unread = "store.information_disclosure.unread";
    assert_fires(&unsigned, unread, "log-store");
    element_mut(&mut shop, "log-store").description =
        Some("Request logs; the operations team searches it during incidents.".to_owned());
    assert_not_fires(&asked(&shop), unread, "log-store");
    // Access from outside a store's zone with the path and the credential stated (round 71).
    let outside = "flow.information_disclosure.outside-store-access";
    assert!(!answered_from_model(&shop, outside, "f-report"));
    assert!(answered_when_flow_says(
        &mut shop,
        "f-report",
        "Nightly extract over the VPN, with a database account that can read every table.",
        outside,
        "f-report",
    ));
    assert!(answered_when_flow_says(
        &mut shop,
        "f-report",
        "Nightly extract over the VPN, with a read-only database user.",
        "flow.information_disclosure.outside-store-access.account-stated",
        "f-report",
    ));
    // "A service account" does not say whose it is; "its own service account" does (rounds
    // 71 and 72, both reviewers).
    let separation = "flow.tampering.client-separation";
    let mut accounts = load("examples/engagements/online-shop.json");
    assert!(!answered_when_flow_says(
        &mut accounts,
        "f-order-write",
        "Writes orders with a service account.",
        separation,
        "f-order-write",
    ));
    assert!(answered_when_flow_says(
        &mut accounts,
        "f-order-write",
        "Writes orders with its own service account.",
        separation,
        "f-order-write",
    ));
}

#[test]
fn round_71_and_72_proxies_managed_identity_and_break_glass() {
    let mut shop = load("examples/engagements/online-shop.json");
    // Failed checks of a partner's calls are not answered by a proxy that logs nothing: the
    // checks are made behind it (round 72, four answers rejected by both reviewers). Since
    // round 79 no service's `logs_security_events` answers it: whether the calls are checked
    // at all is not in that property.
    let failed = "interactor.repudiation.failed-authentication.caller";
    set_property(
        &mut shop,
        "api-gateway",
        "logs_security_events",
        PropertyValue::Bool(false),
    );
    assert!(!answered_from_model(&shop, failed, "payment-provider"));
    set_property(
        &mut shop,
        "api-gateway",
        "technology",
        PropertyValue::String("nginx".to_owned()),
    );
    assert!(!answered_from_model(&shop, failed, "payment-provider"));
    // A managed identity service's password hashing is the provider's (round 71).
    let checks = "process.denial_of_service.credential-checks";
    assert_fires(&asked(&shop), checks, "identity-service");
    set_property(
        &mut shop,
        "identity-service",
        "technology",
        PropertyValue::String("cognito".to_owned()),
    );
    assert_not_fires(&asked(&shop), checks, "identity-service");
    // Emergency sign-in is answered by a break-glass account, not by a break-glass tool that
    // opens others' data (round 72, both reviewers).
    let glass = "interactor.spoofing.break-glass";
    set_property(&mut shop, "shop-staff", "admin", PropertyValue::Bool(true));
    element_mut(&mut shop, "shop-staff").description =
        Some("Staff open a customer's account with the break-glass tool.".to_owned());
    assert!(!answered_from_model(&shop, glass, "shop-staff"));
    element_mut(&mut shop, "shop-staff").description =
        Some("A break-glass account in a sealed envelope covers an SSO outage.".to_owned());
    assert!(answered_from_model(&shop, glass, "shop-staff"));
    // A proxy holds nothing to over-share (round 72); a managed API gateway fetches no URL
    // for a forged request to turn against the metadata service (round 71).
    let mut edge = load("examples/engagements/online-shop.json");
    with_extra(
        &mut edge,
        &serde_json::json!({
            "elements": [
                {"id": "hooks", "name": "Webhook intake", "kind": "process", "boundary": "tb-dmz",
                 "description": "Receives webhook callbacks from partners.",
                 "properties": {"hosting": "aws"}}],
            "flows": [
                {"id": "f-hook", "name": "partner callbacks", "source": "shipping-carrier",
                 "target": "hooks", "protocol": "HTTPS", "encrypted": true, "bidirectional": true,
                 "data": [{"name": "shipment status", "classification": "internal"}]},
                {"id": "f-hook-store", "name": "look up orders", "source": "hooks",
                 "target": "orders-db", "protocol": "PostgreSQL", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    let sharing = "process.information_disclosure.over-sharing";
    let metadata = "cloud-iam-storage.process.information_disclosure.metadata-service";
    let plain = asked(&edge);
    assert_fires(&plain, sharing, "hooks");
    assert_fires(&plain, metadata, "hooks");
    set_property(
        &mut edge,
        "hooks",
        "technology",
        PropertyValue::String("nginx".to_owned()),
    );
    assert_not_fires(&asked(&edge), sharing, "hooks");
    set_property(
        &mut edge,
        "hooks",
        "technology",
        PropertyValue::String("api_gateway".to_owned()),
    );
    assert_not_fires(&asked(&edge), metadata, "hooks");
}

#[test]
fn round_73_and_74_bearer_apis_opaque_tokens_and_proxies_in_front() {
    let mut shop = load("examples/engagements/online-shop.json");
    // Tokens that are random and checked by their hash are signed with no key (round 74, both
    // reviewers).
    let keys = "process.spoofing.signing-keys";
    assert_fires(&asked(&shop), keys, "identity-service");
    element_mut(&mut shop, "identity-service").description =
        Some("Issues random tokens, stored as a hash and checked by it.".to_owned());
    assert_not_fires(&asked(&shop), keys, "identity-service");
    // A proxy in front does not call on anyone's behalf (round 74, both reviewers).
    let claims = "process.elevation_of_privilege.upstream-claims";
    assert_fires(&asked(&shop), claims, "order-service");
    set_property(
        &mut shop,
        "api-gateway",
        "technology",
        PropertyValue::String("nginx".to_owned()),
    );
    assert_not_fires(&asked(&shop), claims, "order-service");
    // Forged requests in people's browsers need a cookie or a session on the forwarded
    // connection: a bearer token from a command line is not sent by a browser on its own
    // (round 74, both reviewers).
    let mut proxied = load("examples/engagements/online-shop.json");
    with_extra(
        &mut proxied,
        &serde_json::json!({
            "elements": [
                {"id": "ingress", "name": "Ingress", "kind": "process", "boundary": "tb-dmz",
                 "properties": {"technology": "ingress_nginx"}},
                {"id": "upload-api", "name": "Upload API", "kind": "process",
                 "boundary": "tb-app"}],
            "flows": [
                {"id": "f-in", "name": "use the site", "source": "customer", "target": "ingress",
                 "protocol": "HTTPS", "encrypted": true,
                 "properties": {"carries_credentials": true},
                 "data": [{"name": "session cookie", "classification": "restricted"}]},
                {"id": "f-up", "name": "forward uploads", "source": "ingress",
                 "target": "upload-api", "protocol": "HTTP",
                 "properties": {"carries_credentials": true},
                 "data": [{"name": "API token", "classification": "restricted"}]}]
        }),
    );
    let forged = "flow.tampering.forged-requests.forwarded";
    assert_not_fires(&asked(&proxied), forged, "f-up");
    flow_mut(&mut proxied, "f-up")
        .data
        .push(threat_interview::model::DataItem::new(
            "session cookie",
            threat_interview::model::Classification::Restricted,
        ));
    assert_fires(&asked(&proxied), forged, "f-up");
}

#[test]
fn round_74_public_sources_and_people_who_only_get_public_data() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "advisories", "name": "Advisory repository", "kind": "external_interactor",
                 "boundary": "tb-partners",
                 "description": "A public repository; anyone can open a pull request.",
                 "properties": {"human": false}},
                {"id": "visitor", "name": "Visitor", "kind": "external_interactor",
                 "properties": {"human": true}}],
            "flows": [
                {"id": "f-advisories", "name": "pull advisories", "source": "advisories",
                 "target": "catalog-service", "initiated_by": "target", "protocol": "HTTPS",
                 "encrypted": true, "authenticated": false,
                 "data": [{"name": "advisories", "classification": "public"}]},
                {"id": "f-visit", "name": "browse", "source": "visitor",
                 "target": "web-frontend", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": false, "bidirectional": true,
                 "data": [{"name": "product pages", "classification": "public"}]}]
        }),
    );
    // A public source read without credentials (round 74, both reviewers, five questions):
    // not a service we connect to without authentication, nor one a host could call.
    let questions = asked(&shop);
    for topic in [
        "interactor.spoofing.authentication",
        "interactor.spoofing.credential-change",
        "interactor.repudiation.failed-authentication",
        "interactor.context.authorization",
    ] {
        assert_fires(&questions, &format!("{topic}.callee-public"), "advisories");
        assert_not_fires(&questions, &format!("{topic}.callee-open"), "advisories");
    }
    assert_not_fires(
        &questions,
        "interactor.spoofing.stated-trust-callee",
        "advisories",
    );
    // People who only get public data: not asked about counting through identifiers or bulk
    // collection, which is ordinary use (round 74, both reviewers).
    for template in [
        "interactor.spoofing.authentication.person-anonymous",
        "interactor.repudiation.failed-authentication.person-anonymous",
    ] {
        assert_fires(&questions, &format!("{template}-public"), "visitor");
        assert_not_fires(&questions, template, "visitor");
    }
    // What is not public is asked as before.
    flow_mut(&mut shop, "f-advisories").data[0].classification =
        threat_interview::model::Classification::Internal;
    flow_mut(&mut shop, "f-visit").data[0].classification =
        threat_interview::model::Classification::Internal;
    let internal = asked(&shop);
    assert_fires(
        &internal,
        "interactor.spoofing.authentication.callee-open",
        "advisories",
    );
    assert_not_fires(
        &internal,
        "interactor.spoofing.authentication.callee-public",
        "advisories",
    );
    assert_fires(
        &internal,
        "interactor.spoofing.authentication.person-anonymous",
        "visitor",
    );
}

#[test]
fn round_73_cards_read_over_the_air_a_controller_s_own_flash_and_tenants() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "door", "name": "Door controller", "kind": "process",
                 "boundary": "tb-corp", "properties": {"hosting": "on_premises"}},
                {"id": "door-cache", "name": "Controller cache", "kind": "data_store",
                 "boundary": "tb-corp", "properties": {"technology": "controller flash memory"}},
                {"id": "printer", "name": "Card printer", "kind": "process",
                 "boundary": "tb-corp", "properties": {"hosting": "on_premises"}}],
            "flows": [
                {"id": "f-badge", "name": "present a badge", "source": "shop-staff",
                 "target": "door", "protocol": "125 kHz proximity", "encrypted": false,
                 "description": "The chip sends a fixed number in the clear.",
                 "data": [{"name": "badge number", "classification": "internal"}]},
                {"id": "f-cache", "name": "keep the badge list", "source": "door",
                 "target": "door-cache", "protocol": "local",
                 "data": [{"name": "badge list", "classification": "internal"}]},
                {"id": "f-print", "name": "print badges", "source": "backoffice-app",
                 "target": "printer", "protocol": "USB", "encrypted": false,
                 "data": [{"name": "badge layout", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    // A card read over the air in the clear: read from nearby, not a network path (round 73,
    // both reviewers).
    assert_fires(
        &questions,
        "flow.information_disclosure.over-the-air",
        "f-badge",
    );
    for network in [
        "flow.information_disclosure.stated-cleartext",
        "flow.information_disclosure.cleartext",
    ] {
        assert_not_fires(&questions, network, "f-badge");
    }
    // A controller's write to its own flash is asked as a store on the machine, not as a
    // connection to authenticate and encrypt (both reviewers).
    assert_fires(&questions, "flow.tampering.embedded-store", "f-cache");
    for network in [
        "flow.tampering.integrity",
        "flow.information_disclosure.unknown",
    ] {
        assert_not_fires(&questions, network, "f-cache");
    }
    // A printer on a USB cable has no callers making expensive requests (both reviewers).
    assert_not_fires(
        &questions,
        "process.denial_of_service.expensive-requests",
        "printer",
    );
    // "The university's Azure tenant" is not tenants (round 73, both reviewers).
    let tenants = "interactor.spoofing.authentication.identity-provider-tenants";
    let mut city = load("examples/engagements/city-portal.json");
    city.scope
        .assumptions
        .push("Everything runs in the city's Azure tenant.".to_owned());
    let city = asked(&city);
    assert!(city.iter().all(|q| q.template != tenants));
    // Nor is the appointment booking service, which case workers sign in to and citizens book
    // through, an identity provider (round 93: a gate keypad, a payment provider's virtual
    // terminal and an auction portal were asked about their signing keys and claims).
    assert_not_fires(
        &city,
        "interactor.spoofing.authentication.identity-provider",
        "booking-saas",
    );
    assert_fires(
        &city,
        "interactor.spoofing.authentication.callee-open",
        "booking-saas",
    );
}

#[test]
fn round_76_card_numbers_that_stay_with_the_issuer_do_not_enable_the_payment_cards_pack() {
    // "Full card numbers, CVVs and PINs stay with the issuer; we only see card references and
    // masked numbers" (round 76: both reviewers rated the card data environment and card data
    // access questions wrong).
    let from_pack = |e: &Engagement| {
        asked(e)
            .iter()
            .filter(|q| q.template.starts_with("payment-cards."))
            .count()
    };
    let mut shop = load("examples/engagements/online-shop.json");
    assert!(from_pack(&shop) > 0);
    shop.scope.assumptions.push(
        "Full card numbers, CVVs and PINs stay with the payment provider; we only see card \
         references."
            .to_owned(),
    );
    assert_eq!(from_pack(&shop), 0);
}

#[test]
fn round_78_runners_that_request_tokens_and_clouds_that_check_them_are_no_identity_providers() {
    // A hosted CI/CD service: its runners and its deployer ask its own token issuer for OIDC ID
    // tokens, and customers' clouds read the issuer's public keys and take the deployer's
    // tokens (round 78: both
    // reviewers rated 26 identity-provider questions about them wrong).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "job-issuer", "name": "Job token issuer", "kind": "process",
                 "boundary": "tb-app",
                 "description": "Signs short-lived OIDC ID tokens for running jobs.",
                 "properties": {"issues_tokens": true}},
                {"id": "runner", "name": "Self-hosted runner", "kind": "external_interactor",
                 "boundary": "tb-partners",
                 "properties": {"human": false, "auth_methods": ["api_key"]}},
                {"id": "cloud", "name": "Customer cloud account", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}}],
            "flows": [
                {"id": "f-runner-token", "name": "job requests OIDC token", "source": "runner",
                 "target": "job-issuer", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true, "bidirectional": true,
                 "data": [{"name": "job token", "classification": "restricted"},
                          {"name": "OIDC ID token", "classification": "restricted"}]},
                {"id": "f-jwks", "name": "fetch signing keys", "source": "cloud",
                 "target": "job-issuer", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": false, "bidirectional": true,
                 "data": [{"name": "discovery document and public keys",
                           "classification": "public"}]},
                {"id": "f-deploy-token", "name": "deployer requests OIDC token",
                 "source": "order-service", "target": "job-issuer", "protocol": "HTTPS",
                 "encrypted": true, "authenticated": true, "bidirectional": true,
                 "data": [{"name": "OIDC ID token", "classification": "restricted"}]},
                {"id": "f-deploy", "name": "deploy to customer cloud", "source": "order-service",
                 "target": "cloud", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true, "bidirectional": true,
                 "data": [{"name": "OIDC ID token", "classification": "restricted"},
                          {"name": "release artifacts", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    for subject in ["runner", "cloud"] {
        for template in [
            "interactor.context.data.identity-provider",
            "interactor.spoofing.authentication.identity-provider",
            "interactor.context.authorization.identity-provider",
        ] {
            assert_not_fires(&questions, template, subject);
        }
    }
    // The runner calls in with its own credential: a caller.
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.caller",
        "runner",
    );
    // The cloud only reads public keys: not a caller sending data unauthenticated, but a
    // system the service calls.
    for template in [
        "interactor.spoofing.authentication.caller-unauthenticated",
        "interactor.context.authorization.caller-unauthenticated",
        "interactor.context.data.caller",
    ] {
        assert_not_fires(&questions, template, "cloud");
    }
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.callee",
        "cloud",
    );
    // An issuer only workloads ask for tokens is asked about workload tokens, not sign-out;
    // the shop's own identity service, which people reach, keeps the sign-out question.
    assert_fires(
        &questions,
        "oauth-oidc.process.spoofing.token-lifecycle.workload",
        "job-issuer",
    );
    assert_not_fires(
        &questions,
        "oauth-oidc.process.spoofing.token-lifecycle",
        "job-issuer",
    );
    assert_fires(
        &questions,
        "oauth-oidc.process.spoofing.token-lifecycle",
        "identity-service",
    );
    // An identity provider that sends assertions is one still.
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "idp", "name": "Corporate IdP", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}}],
            "flows": [
                {"id": "f-idp", "name": "exchange the code", "source": "identity-service",
                 "target": "idp", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true, "bidirectional": true,
                 "data": [{"name": "authorization code", "classification": "restricted"},
                          {"name": "ID token", "classification": "restricted"}]}]
        }),
    );
    assert_fires(
        &asked(&shop),
        "interactor.spoofing.authentication.identity-provider",
        "idp",
    );
}

#[test]
fn round_78_what_the_engagement_leaves_out_and_issuers_that_check_their_own_tokens() {
    // "Our own internal build and release process" is out of scope: the supply-chain
    // question is not asked (round 78, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    assert_engagement_level(&asked(&shop), "engagement.deployment.supply-chain", true);
    shop.scope
        .out_of_scope
        .push("Our own internal build and release process for the service".to_owned());
    assert_engagement_level(&asked(&shop), "engagement.deployment.supply-chain", false);
    // An issuer that checks its tokens for the other services keeps no signing key to ask
    // about (round 78: "issues session cookies and personal access tokens and checks them for
    // the other services").
    let mut shop = load("examples/engagements/online-shop.json");
    assert_fires(
        &asked(&shop),
        "process.spoofing.signing-keys",
        "identity-service",
    );
    element_mut(&mut shop, "identity-service").description = Some(
        "Issues session cookies and personal access tokens and checks them for the other \
         services."
            .into(),
    );
    assert_not_fires(
        &asked(&shop),
        "process.spoofing.signing-keys",
        "identity-service",
    );
}

#[test]
fn round_77_browsers_phones_views_drawn_as_writes_and_what_a_page_leaves_out() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "clinician", "name": "On-call clinician", "kind": "external_interactor",
                 "properties": {"human": true}},
                {"id": "portal", "name": "Therapist portal", "kind": "process",
                 "properties": {"hosting": "browser"}},
                {"id": "app", "name": "Client mobile app", "kind": "process",
                 "properties": {"hosting": "mobile"}},
                {"id": "journal", "name": "On-device journal store", "kind": "data_store",
                 "description": "We rely on the OS file protection, the file itself is not encrypted by us.",
                 "properties": {"hosting": "mobile"}},
                {"id": "video", "name": "Video platform", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}},
                {"id": "pager", "name": "SMS provider", "kind": "external_interactor",
                 "boundary": "tb-partners", "properties": {"human": false}},
                {"id": "docs", "name": "Verification documents", "kind": "data_store",
                 "boundary": "tb-data"}],
            "flows": [
                {"id": "f-open-case", "name": "open crisis case", "source": "clinician",
                 "target": "portal", "protocol": "browser UI",
                 "data": [{"name": "crisis case", "classification": "restricted"}]},
                {"id": "f-journal", "name": "save journal locally", "source": "app",
                 "target": "journal", "protocol": "SQLite", "bidirectional": true,
                 "data": [{"name": "mood journal entries", "classification": "restricted"}]},
                {"id": "f-app-video", "name": "join video session", "source": "app",
                 "target": "video", "protocol": "WebRTC", "encrypted": true,
                 "authenticated": true, "bidirectional": true,
                 "data": [{"name": "session audio and video", "classification": "restricted"}]},
                {"id": "f-rooms", "name": "create video rooms", "source": "order-service",
                 "target": "video", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true, "bidirectional": true,
                 "data": [{"name": "room id", "classification": "internal"}]},
                {"id": "f-page", "name": "page on-call clinician", "source": "order-service",
                 "target": "pager", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true,
                 "description": "SMS to the clinician with a link to the case (no client details in the text).",
                 "data": [{"name": "case link", "classification": "internal"}]},
                {"id": "f-docs-in", "name": "store onboarding documents",
                 "source": "order-service", "target": "docs", "protocol": "HTTPS",
                 "encrypted": true, "authenticated": true,
                 "data": [{"name": "licence documents", "classification": "confidential"}]},
                {"id": "f-docs-view", "name": "view onboarding documents",
                 "source": "backoffice-app", "target": "docs", "protocol": "HTTPS",
                 "encrypted": true, "authenticated": true,
                 "data": [{"name": "licence documents", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    // A person and a web app in their browser: what the browser exposes, not a proxy on a
    // network path (round 77: "a human-to-browser UI flow has no load balancer").
    assert_fires(
        &questions,
        "flow.information_disclosure.on-device.browser",
        "f-open-case",
    );
    assert_not_fires(
        &questions,
        "flow.information_disclosure.protection",
        "f-open-case",
    );
    // A phone app acting on a video platform's answers is not the platform acting on them.
    assert_not_fires(&questions, "flow.tampering.responses", "f-app-video");
    assert_fires(&questions, "flow.tampering.responses", "f-rooms");
    // A store on phones that says it is not encrypted: its on-device form, not the servers'
    // snapshots and disks.
    assert_fires(
        &questions,
        "store.information_disclosure.on-device-unencrypted",
        "journal",
    );
    assert_not_fires(
        &questions,
        "store.information_disclosure.stated-cleartext",
        "journal",
    );
    // A bucket an admin tool views, drawn as a write, is read.
    assert_not_fires(&questions, "store.information_disclosure.unread", "docs");
    // What a page leaves out answers what goes to the outside service.
    assert!(answered_from_model(
        &shop,
        "flow.information_disclosure.protection.outside",
        "f-page"
    ));
    // One database user for the whole app says nothing of how the connection is protected.
    flow_mut(&mut shop, "f-order-write").description =
        Some("Django ORM, one database user for the whole app.".into());
    assert!(!answered_from_model(
        &shop,
        "flow.tampering.integrity",
        "f-order-write"
    ));
    // Without the view, the bucket is written and never read.
    shop.model.flows.retain(|f| f.id != "f-docs-view");
    assert_fires(&asked(&shop), "store.information_disclosure.unread", "docs");
}

#[test]
fn round_79_and_80_serial_cables_office_networks_read_only_modes_and_optional_second_factors() {
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "scale", "name": "Weighbridge", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": false}},
                {"id": "scale-pc", "name": "Weighbridge connector", "kind": "process",
                 "boundary": "tb-corp"},
                {"id": "clerk", "name": "Council staff", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": true}},
                {"id": "reports", "name": "Audit schema", "kind": "data_store",
                 "boundary": "tb-data", "description": "Sign-ins and admin changes. Exported nightly to S3."},
                {"id": "sftp", "name": "Bank file SFTP server", "kind": "process",
                 "boundary": "tb-app",
                 "properties": {"technology": "aws_transfer_family", "holds_secrets": true}}],
            "flows": [
                {"id": "f-serial", "name": "send weights", "source": "scale",
                 "target": "scale-pc", "protocol": "RS-232", "encrypted": false,
                 "authenticated": false,
                 "data": [{"name": "gross weight", "classification": "internal"}]},
                {"id": "f-clerk", "name": "use the back office", "source": "clerk",
                 "target": "backoffice-app", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true, "bidirectional": true,
                 "description": "Staff handle cases. Only reachable from the council network.",
                 "data": [{"name": "cases", "classification": "confidential"}]},
                {"id": "f-reports", "name": "write audit events", "source": "order-service",
                 "target": "reports", "protocol": "PostgreSQL", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "audit events", "classification": "internal"}]},
                {"id": "f-sftp", "name": "deliver statement files", "source": "payment-provider",
                 "target": "sftp", "protocol": "SFTP", "encrypted": true, "authenticated": true,
                 "data": [{"name": "bank statements", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    // A serial cable is asked as a local link, not about replayed calls or who shares the
    // network (round 79, both reviewers).
    assert_fires(&questions, "flow.tampering.local-link", "f-serial");
    assert_not_fires(&questions, "flow.tampering.replay", "f-serial");
    assert_not_fires(
        &questions,
        "flow.information_disclosure.cleartext",
        "f-serial",
    );
    // Staff who reach the system only from the office network, encrypted: answered (round 79).
    assert!(answered_from_model(
        &shop,
        "interactor.context.transit.person-internal",
        "clerk"
    ));
    // A store exported elsewhere is read (round 80); a managed SFTP endpoint has no sidecar or
    // debug shell to read its secrets (round 80, both reviewers).
    assert_not_fires(&questions, "store.information_disclosure.unread", "reports");
    assert_not_fires(
        &questions,
        "process.information_disclosure.runtime-secrets",
        "sftp",
    );
    // A read-only "view as" mode is no power to change anything (round 80, both reviewers).
    let stated_power = "process.elevation_of_privilege.stated-power";
    element_mut(&mut shop, "backoffice-app").description =
        Some("Back office. Has a read-only 'view as customer' mode.".into());
    assert_not_fires(&asked(&shop), stated_power, "backoffice-app");
    element_mut(&mut shop, "backoffice-app").description =
        Some("Back office. Staff can view as any customer and change their orders.".into());
    assert_fires(&asked(&shop), stated_power, "backoffice-app");
    // What a person's own description says of their second factor answers whether it is
    // required: a weakness where it is optional (round 80, both reviewers).
    set_auth_methods(&mut shop, "customer", &["password", "mfa"]);
    let mfa = "interactor.spoofing.authentication.person-password-mfa";
    let answer = |shop: &Engagement| {
        Engine::builtin()
            .generate(shop.check().unwrap())
            .iter()
            .find(|q| q.template().id == mfa && q.subject_ids() == ["customer"])
            .and_then(|q| q.model_answer())
    };
    assert!(answer(&shop).is_none());
    element_mut(&mut shop, "customer").description = Some(
        "Shoppers. TOTP is offered but only enforced if their company admin turns it on.".into(),
    );
    assert!(answer(&shop).unwrap().weakness);
    element_mut(&mut shop, "customer").description =
        Some("Shoppers. MFA is enforced for every account.".into());
    let enforced = answer(&shop).unwrap();
    assert!(!enforced.weakness);
    // A service that logs no security events does not say whether a caller is checked: asked
    // (rounds 78 and 79, both reviewers each time).
    set_property(
        &mut shop,
        "payment-service",
        "logs_security_events",
        PropertyValue::Bool(false),
    );
    set_property(
        &mut shop,
        "api-gateway",
        "logs_security_events",
        PropertyValue::Bool(false),
    );
    assert!(
        !Engine::builtin()
            .generate(shop.check().unwrap())
            .iter()
            .any(|q| q
                .template()
                .id
                .starts_with("interactor.repudiation.failed-authentication.caller")
                && q.is_answered_by_model())
    );
}

#[test]
fn round_81_and_82_public_keys_mutual_tls_stated_codes_beside_passwords_and_pets() {
    let mut shop = load("examples/engagements/online-shop.json");
    // A connection that carries only public data (published signing keys): nothing to send
    // in another's name (round 82, both reviewers).
    let unauthenticated = "flow.tampering.unauthenticated";
    flow_mut(&mut shop, "f-login").authenticated = Some(false);
    assert_fires(&asked(&shop), unauthenticated, "f-login");
    flow_mut(&mut shop, "f-login").data = vec![threat_interview::model::DataItem::new(
        "token signing keys",
        threat_interview::model::Classification::Public,
    )];
    assert_not_fires(&asked(&shop), unauthenticated, "f-login");
    // A connection that says it uses mutual TLS and an API key is not answered by the key
    // (round 81, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "payment-provider", &["mtls"]);
    let mutual = "flow.tampering.mutual-tls";
    flow_mut(&mut shop, "f-psp-charge").description = Some("Charges cards with an API key.".into());
    assert!(answered_from_model(&shop, mutual, "f-psp-charge"));
    flow_mut(&mut shop, "f-psp-charge").description = Some("Mutual TLS plus an API key.".into());
    assert!(!answered_from_model(&shop, mutual, "f-psp-charge"));
    // A one-time code beside a password where the model says no second factor is offered: what
    // the code is for, not "a password alone" (round 82, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["password", "otp"]);
    set_property(
        &mut shop,
        "customer",
        "mfa_available",
        PropertyValue::Bool(false),
    );
    let questions = asked(&shop);
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.person-password-otp-unclear",
        "customer",
    );
    assert_not_fires(
        &questions,
        "interactor.spoofing.authentication.person-password",
        "customer",
    );
    // Pets' records are not health data under Article 9 or HIPAA (round 81, both reviewers).
    let mut clinic = load("tests/models/packs/clinic-records.json");
    let from_pack = |e: &Engagement| {
        asked(e)
            .iter()
            .filter(|q| q.template.starts_with("health-data."))
            .count()
    };
    assert!(from_pack(&clinic) > 0);
    clinic.description = Some("Vet chat and video consultations and pet insurance claims.".into());
    assert_eq!(from_pack(&clinic), 0);
}

#[test]
fn round_83_pairs_reviewers_called_duplicates_are_asked_once() {
    // Rounds 71 to 82: the reviewers named the same pairs as duplicates again and again. Each
    // concern now has one template; the other asks what it alone asks.
    let shop = load("examples/engagements/online-shop.json");
    let questions = asked(&shop);
    // A person's data (23 times with the function-level check): what they reach and what
    // matters most, not whose records, which the authorization question asks.
    let data = text_of(&questions, "interactor.context.data.person", "customer");
    let reach = text_of(
        &questions,
        "interactor.context.authorization.person",
        "customer",
    );
    assert!(reach.contains("someone else's data"), "{reach}");
    assert!(
        !data.contains("other people") && !data.contains("whose"),
        "{data}"
    );
    // What is handed over, not how the connection is made: the staff's session is no record
    // they reach (rounds 79 to 82).
    let staff = text_of(
        &questions,
        "interactor.context.data.person-staff",
        "shop-staff",
    );
    assert!(staff.contains("orders and customer details"), "{staff}");
    assert!(!staff.contains("session"), "{staff}");
    // Over-sharing asks what comes back beyond what was asked for; another party's records are
    // the authorization question's (20 times), and the processes share one question (21
    // times split by boundary).
    let over = "process.information_disclosure.over-sharing";
    assert!(!text_of(&questions, over, "api-gateway").contains("another party"));
    let mut zoned = load("examples/engagements/online-shop.json");
    element_mut(&mut zoned, "web-frontend").boundary = None;
    let questions = asked(&zoned);
    let shared = about(&questions, over, "api-gateway");
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0].subjects, ["web-frontend", "api-gateway"]);

    // Kubernetes' cluster-wide questions are one each, however many services run there (rounds
    // 78, 80, 81 and 82 split ten services eight and two).
    let mut cluster = load("tests/models/packs/k8s-services.json");
    let mut extra = serde_json::json!({"elements": [], "flows": []});
    for n in 0..9 {
        extra["elements"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": format!("svc-{n}"), "name": format!("Service {n}"), "kind": "process",
                "properties": {"hosting": "kubernetes", "holds_secrets": true}
            }));
        extra["flows"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({
                "id": format!("f-svc-{n}"), "name": format!("call {n}"), "source": "api",
                "target": format!("svc-{n}"), "protocol": "HTTPS",
                "data": [{"name": "requests", "classification": "internal"}]
            }));
    }
    with_extra(&mut cluster, &extra);
    let questions = asked(&cluster);
    for template in [
        "kubernetes.process.elevation_of_privilege.pod-security",
        "kubernetes.process.spoofing.service-account",
    ] {
        let asked: Vec<_> = questions
            .iter()
            .filter(|q| q.template == template)
            .collect();
        assert_eq!(asked.len(), 1, "{template}");
        assert!(asked[0].subjects.len() > 10, "{template}");
    }

    // An identity provider's assertions are asked about once, replay included, at the
    // identity provider (12 times with the replay of the same flow).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "idp", "name": "Corporate identity provider",
                          "kind": "external_interactor", "properties": {"human": false}}],
            "flows": [{"id": "f-assertion", "name": "sign-in response", "source": "idp",
                       "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                       "authenticated": true,
                       "data": [{"name": "SAML response", "classification": "restricted"}]}]
        }),
    );
    assert_not_fires(&asked(&shop), "flow.tampering.replay", "f-assertion");
    flow_mut(&mut shop, "f-assertion").data = vec![threat_interview::model::DataItem::new(
        "account events",
        threat_interview::model::Classification::Internal,
    )];
    assert_fires(&asked(&shop), "flow.tampering.replay", "f-assertion");
}

#[test]
fn round_83_and_84_messages_to_people_recipients_out_of_scope_and_public_sources() {
    // An SMS gateway that only sends texts to people's phones opens no connection to the
    // system: none of the unauthenticated-caller questions (rounds 83, both reviewers, eight
    // questions), and a person receiving a code authenticates nobody (round 84, both).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "sms", "name": "SMS gateway", "kind": "external_interactor",
                          "properties": {"human": false, "hosting": "saas",
                                         "auth_methods": ["api_key"]}}],
            "flows": [
                {"id": "f-send-sms", "name": "send texts", "source": "identity-service",
                 "target": "sms", "protocol": "HTTPS", "encrypted": true, "authenticated": true,
                 "data": [{"name": "phone number", "classification": "confidential"}]},
                {"id": "f-sms-customer", "name": "text to customer", "source": "sms",
                 "target": "customer", "protocol": "SMS", "authenticated": false,
                 "data": [{"name": "message text", "classification": "internal"}]},
                {"id": "f-code", "name": "send codes", "source": "identity-service",
                 "target": "customer", "protocol": "SMS", "authenticated": false,
                 "data": [{"name": "one-time code", "classification": "restricted"}]}
            ]
        }),
    );
    let questions = asked(&shop);
    for template in [
        "interactor.spoofing.authentication.caller-unauthenticated",
        "interactor.spoofing.credential-change.caller-unauthenticated",
        "interactor.repudiation.failed-authentication.caller-unauthenticated",
        "interactor.context.authorization.caller-unauthenticated",
    ] {
        assert_not_fires(&questions, template, "sms");
    }
    assert_fires(
        &questions,
        "interactor.spoofing.authentication.callee",
        "sms",
    );
    assert_not_fires(&questions, "flow.tampering.unauthenticated", "f-code");

    // How an out-of-scope recipient checks the files it takes is its own (round 83, both).
    let ssh = "flow.tampering.integrity.ssh";
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-erp-export").description =
        Some("A nightly file uploaded with an SSH key.".to_owned());
    assert_not_fires(&asked(&shop), ssh, "f-erp-export");
    element_mut(&mut shop, "erp").out_of_scope = false;
    assert_fires(&asked(&shop), ssh, "f-erp-export");

    // A read out of a store that keeps an audit trail sends it no events (round 83, both).
    let audit = "flow.tampering.audit-events";
    let mut shop = load("examples/engagements/online-shop.json");
    set_property(
        &mut shop,
        "orders-db",
        "audit_log",
        PropertyValue::Bool(true),
    );
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "reporting", "name": "Reporting job", "kind": "process",
                          "boundary": "tb-app"}],
            "flows": [{"id": "f-extract", "name": "extract orders", "source": "orders-db",
                       "target": "reporting", "protocol": "PostgreSQL", "authenticated": true,
                       "data": [{"name": "orders", "classification": "confidential"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, audit, "f-extract");
    assert_fires(&questions, audit, "f-order-write");

    // A public register the system only looks public numbers up in is asked whether what
    // comes back is genuine and fresh, not what it may do with what it is sent (round 84,
    // both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "register", "name": "Public company register",
                          "kind": "external_interactor", "properties": {"human": false}}],
            "flows": [{"id": "f-lookup", "name": "look up companies",
                       "source": "order-service", "target": "register", "protocol": "HTTPS",
                       "encrypted": true, "bidirectional": true, "authenticated": false,
                       "data": [{"name": "company number", "classification": "public"},
                                {"name": "company status", "classification": "public"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, "interactor.context.data.callee", "register");
    assert_fires(
        &questions,
        "interactor.context.data.callee-source",
        "register",
    );

    // An administrative interface "behind the VPN", its staff signing in with a second factor
    // and its security events logged, is answered (round 84, both reviewers).
    let admin = "process.elevation_of_privilege.admin-interface";
    let mut shop = load("examples/engagements/online-shop.json");
    set_property(
        &mut shop,
        "backoffice-app",
        "logs_security_events",
        PropertyValue::Bool(true),
    );
    assert!(!answered_from_model(&shop, admin, "backoffice-app"));
    element_mut(&mut shop, "backoffice-app").description =
        Some("Internal console for support staff behind the VPN.".to_owned());
    assert!(answered_from_model(&shop, admin, "backoffice-app"));

    // Which requests are the most expensive, and what limits one caller, is asked where
    // untrusted callers arrive, not of a service that only other services call (round 84, both
    // reviewers, of a webhook dispatcher; rounds 77 to 82: never once rated worth).
    let expensive = "process.denial_of_service.expensive-requests";
    let questions = asked(&load("examples/engagements/online-shop.json"));
    assert_fires(&questions, expensive, "api-gateway");
    assert_not_fires(&questions, expensive, "payment-service");

    // A person's description that says when the one-time code is asked answers what it is for
    // (round 83, both reviewers).
    let unclear = "interactor.spoofing.authentication.person-password-otp-unclear";
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["password", "otp"]);
    set_property(
        &mut shop,
        "customer",
        "mfa_available",
        PropertyValue::Bool(false),
    );
    assert!(!answered_from_model(&shop, unclear, "customer"));
    element_mut(&mut shop, "customer").description =
        Some("A code by text message is asked only when the phone number changes.".to_owned());
    assert!(answered_from_model(&shop, unclear, "customer"));
}

#[test]
fn round_85_and_86_smart_cards_audit_locks_stated_limits_and_managed_endpoints() {
    // A smart card is no payment card (round 86, both reviewers: PCI DSS for an election
    // platform).
    let rules = "engagement.business.payment-rules";
    let mut cluster = load("tests/models/packs/k8s-services.json");
    assert_engagement_level(&asked(&cluster), rules, false);
    with_extra(
        &mut cluster,
        &serde_json::json!({
            "elements": [{"id": "officer", "name": "Officer", "kind": "external_interactor",
                          "properties": {"human": true}}],
            "flows": [{"id": "f-officer", "name": "sign in with smart card", "source": "officer",
                       "target": "web", "protocol": "HTTPS", "encrypted": true,
                       "data": [{"name": "smart card certificate", "classification": "internal"}]}]
        }),
    );
    assert_engagement_level(&asked(&cluster), rules, false);

    // An audit log whose administrators "can also delete" entries is asked that, not whether
    // it is append-only (round 86, both); one in compliance-mode object lock is answered, and
    // not asked how it would be rebuilt after a wipe (round 85, both).
    let (append, deletable) = (
        "store.tampering.append-only",
        "store.tampering.stated-deletable",
    );
    let mut shop = load("examples/engagements/online-shop.json");
    set_property(
        &mut shop,
        "orders-db",
        "audit_log",
        PropertyValue::Bool(true),
    );
    set_property(
        &mut shop,
        "orders-db",
        "backups",
        PropertyValue::Bool(false),
    );
    element_mut(&mut shop, "orders-db").description =
        Some("Its administrators can also delete entries.".to_owned());
    let questions = asked(&shop);
    assert_fires(&questions, deletable, "orders-db");
    assert_not_fires(&questions, append, "orders-db");
    element_mut(&mut shop, "orders-db").description =
        Some("A bucket with Object Lock in compliance mode for six years.".to_owned());
    assert!(answered_from_model(&shop, append, "orders-db"));
    assert_not_fires(
        &asked(&shop),
        "store.denial_of_service.no-backup",
        "orders-db",
    );

    // A caller's rate limit stated on the service it calls answers what stops it flooding
    // (round 86, both reviewers).
    let flood = "interactor.context.denial-of-service.caller";
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "feed-reader", "name": "Feed reader",
                          "kind": "external_interactor", "properties": {"human": false}}],
            "flows": [{"id": "f-feed", "name": "pull the catalogue feed", "source": "feed-reader",
                       "target": "api-gateway", "protocol": "HTTPS", "encrypted": true,
                       "authenticated": true,
                       "data": [{"name": "product feed", "classification": "internal"}]}]
        }),
    );
    assert!(!answered_from_model(&shop, flood, "feed-reader"));
    element_mut(&mut shop, "api-gateway").description =
        Some("Each key is limited to 120 requests a minute.".to_owned());
    assert!(answered_from_model(&shop, flood, "feed-reader"));

    // An origin the model says answers around the CDN is a weakness the model states (round
    // 86, both reviewers).
    let behind = "flow.tampering.behind-hosted-front";
    let mut facts = model("stated-facts");
    assert!(!answered_from_model(&facts, behind, "f-cdn-reports"));
    element_mut(&mut facts, "reports").description =
        Some("It is not restricted to the CDN's address ranges.".to_owned());
    assert!(answered_from_model(&facts, behind, "f-cdn-reports"));

    // A managed transfer endpoint sends no stack traces, and nobody reads health data through
    // it (round 85, both reviewers).
    let errors = "process.information_disclosure.error-details";
    let mut pipeline = model("delivery-pipeline");
    assert_fires(&asked(&pipeline), errors, "web");
    set_property(
        &mut pipeline,
        "web",
        "technology",
        PropertyValue::String("aws_transfer_family".to_owned()),
    );
    assert_not_fires(&asked(&pipeline), errors, "web");

    // A PIN is how a person signs in, not data they reach (round 86, both reviewers).
    let mut shop = load("examples/engagements/online-shop.json");
    flow_mut(&mut shop, "f-shop-api")
        .data
        .push(threat_interview::model::DataItem::new(
            "customer PIN",
            threat_interview::model::Classification::Restricted,
        ));
    let data = text_of(&asked(&shop), "interactor.context.data.person", "customer");
    assert!(!data.contains("PIN"), "{data}");
}

#[test]
fn round_87_and_88_lane_kiosks_stated_second_factors_lost_backups_and_proxies() {
    // A driver at a gate lane's kiosk and cameras deals with the system in person, and sends
    // no files (round 88, both reviewers: web questions and uploads for a kiosk scan).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "driver", "name": "Driver", "kind": "external_interactor",
                 "properties": {"human": true}},
                {"id": "gate", "name": "Gate system", "kind": "process", "boundary": "tb-app",
                 "properties": {"hosting": "on_premises"}}
            ],
            "flows": [{"id": "f-lane", "name": "present at the gate", "source": "driver",
                       "target": "gate", "protocol": "gate lane kiosk and cameras",
                       "data": [{"name": "appointment code", "classification": "internal"},
                                {"name": "container images", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    assert_fires(&questions, "interactor.context.data.in-person", "driver");
    assert_not_fires(&questions, "interactor.context.data.person", "driver");
    assert_not_fires(&questions, "flow.tampering.uploads", "f-lane");

    // A second factor the sign-in flow says is asked answers whether it is required, and one
    // "offered but" rarely turned on is a weakness (rounds 87 and 88, both reviewers).
    let mfa = "interactor.spoofing.authentication.person-password-mfa";
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["password", "mfa"]);
    assert!(!answered_from_model(&shop, mfa, "customer"));
    flow_mut(&mut shop, "f-shop-api").description =
        Some("Customers sign in with a password and a one-time code by SMS.".to_owned());
    assert!(answered_from_model(&shop, mfa, "customer"));
    let mut shop = load("examples/engagements/online-shop.json");
    set_auth_methods(&mut shop, "customer", &["password", "mfa"]);
    element_mut(&mut shop, "customer").description = Some(
        "An authenticator app is offered but only a fifth of customers have turned it on."
            .to_owned(),
    );
    assert!(answered_from_model(&shop, mfa, "customer"));

    // A store the model says has no backups is not asked whether it has any (round 88, both
    // reviewers); it is asked what would be lost for good (round 92 and the rounds before: the
    // bare "backups: false" does not answer that).
    let no_backup = "store.denial_of_service.no-backup";
    let mut shop = load("examples/engagements/online-shop.json");
    element_mut(&mut shop, "orders-db")
        .properties
        .remove("backups");
    assert!(!answered_from_model(&shop, no_backup, "orders-db"));
    set_property(
        &mut shop,
        "orders-db",
        "backups",
        PropertyValue::Bool(false),
    );
    let questions = asked(&shop);
    assert_not_fires(&questions, no_backup, "orders-db");
    assert_text_starts_with(
        &questions,
        "store.denial_of_service.no-backup-stated",
        "orders-db",
        "The model records no backups of Orders database: what would be lost for good",
    );

    // An administrative interface reached only through a zero-trust proxy says how it is
    // reached (round 87, both reviewers).
    let admin = "process.elevation_of_privilege.admin-interface";
    let mut shop = load("examples/engagements/online-shop.json");
    set_property(
        &mut shop,
        "backoffice-app",
        "logs_security_events",
        PropertyValue::Bool(true),
    );
    element_mut(&mut shop, "backoffice-app").description =
        Some("Reached only through the zero-trust proxy.".to_owned());
    assert!(answered_from_model(&shop, admin, "backoffice-app"));
}

#[test]
fn round_89_a_log_sink_is_no_store_account_and_a_hosted_identity_provider_hashes_nothing() {
    // A process whose only store is the audit log it ships events to is not asked which
    // account it uses there to change schemas or read other tables (round 89, both
    // reviewers: "the gateway has no data store in the model").
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "relay", "name": "Link relay", "kind": "process", "boundary": "tb-app",
                 "properties": {"hosting": "on_premises"}},
                {"id": "siem", "name": "SIEM", "kind": "data_store", "boundary": "tb-app",
                 "properties": {"audit_log": true}}
            ],
            "flows": [{"id": "f-relay-events", "name": "ship link events", "source": "relay",
                       "target": "siem",
                       "data": [{"name": "link events", "classification": "internal"}]}]
        }),
    );
    let questions = asked(&shop);
    let accounts = "process.elevation_of_privilege.store-accounts";
    assert_not_fires(&questions, accounts, "relay");
    assert_fires(&questions, accounts, "order-service");
    // The password hashing of an identity provider run as a service is its provider's
    // capacity to size, not the tenant's (round 89, both reviewers).
    let checks = "process.denial_of_service.credential-checks";
    assert_fires(&questions, checks, "identity-service");
    set_property(
        &mut shop,
        "identity-service",
        "hosting",
        PropertyValue::String("saas".to_owned()),
    );
    assert_not_fires(&asked(&shop), checks, "identity-service");
}

#[test]
fn round_89_a_code_the_model_says_may_be_guessed_without_limit_is_asked_how_many_guesses() {
    // Rounds 88 and 89: both reviewers' first miss was a short code (release PINs, a
    // four-digit handover code) that the model says may be tried without limit.
    let template = "process.spoofing.stated-guessable-code";
    let mut shop = load("examples/engagements/online-shop.json");
    assert_not_fires(&asked(&shop), template, "order-service");
    element_mut(&mut shop, "order-service").description = Some(
        "Takes orders and issues pick-up codes (four digits, no limit on wrong attempts). \
         Writes to the order queue."
            .to_owned(),
    );
    let questions = asked(&shop);
    assert_eq!(
        text_of(&questions, template, "order-service"),
        "The model says of Order service: “Takes orders and issues pick-up codes (four digits, \
         no limit on wrong attempts).” How many guesses would it take to hit a valid code or \
         PIN (one guess tried against every code open at the time counts too), what would a \
         right guess give, and would anyone notice the guessing?"
    );
    // A lockout the model states is the weak sign-in question's, not this one's.
    element_mut(&mut shop, "order-service").description =
        Some("Staff accounts have no lockout.".to_owned());
    assert_not_fires(&asked(&shop), template, "order-service");
}

#[test]
fn round_90_a_stated_shared_key_open_admin_login_or_unrotated_signing_key_is_a_weakness() {
    // Round 90 (round 89's model without interview notes), both reviewers: a question asked
    // again what the description already says is weak. Each such sentence now answers it as
    // a weakness the model states (recorded as a hint), and the question is not put to anyone.
    // A caller that signs in with a key every integration shares, which lets anyone act for
    // any customer.
    let mut claims = load("examples/engagements/claims.json");
    let caller = "interactor.spoofing.authentication.caller";
    let rights = "interactor.context.authorization.caller";
    assert!(!weakness_stated(&claims, caller, "garage-dms"));
    assert!(!weakness_stated(&claims, rights, "garage-dms"));
    element_mut(&mut claims, "garage-dms").description = Some(
        "Every integration uses the same API key, which is printed in the integration guide. \
         The garage is named in the request, so anyone with the key can submit invoices for \
         any garage."
            .to_owned(),
    );
    assert!(weakness_stated(&claims, caller, "garage-dms"));
    assert!(weakness_stated(&claims, rights, "garage-dms"));
    // An administrative interface behind its login alone.
    let mut shop = load("examples/engagements/online-shop.json");
    let admin = "process.elevation_of_privilege.admin-interface";
    assert!(!weakness_stated(&shop, admin, "api-gateway"));
    element_mut(&mut shop, "api-gateway").description =
        Some("Its admin API is protected by the Kong login only.".to_owned());
    assert!(weakness_stated(&shop, admin, "api-gateway"));
    // Messages signed with a key that has never been rotated.
    let mut esign = load("examples/engagements/esignature.json");
    let signed = "flow.tampering.signed-messages";
    assert!(!weakness_stated(&esign, signed, "f-webhook"));
    flow_mut(&mut esign, "f-webhook").description = Some(
        "Envelope events signed with one HMAC secret per tenant, which has never been rotated."
            .to_owned(),
    );
    assert!(weakness_stated(&esign, signed, "f-webhook"));
}

#[test]
fn round_90_a_phishing_resistant_sign_in_answers_the_relay_question() {
    // Round 90, both reviewers: pilots sign in "with password and FIDO2 hardware key", which
    // is the second factor bound to the real site that the relayed sign-in question asks for.
    let relay = "flow.tampering.from-person.sign-in";
    let mut hotel = load("examples/engagements/hotel-keys.json");
    assert!(!answered_from_model(&hotel, relay, "f-guest-signin"));
    assert!(answered_when_flow_says(
        &mut hotel,
        "f-guest-signin",
        "Guests sign in with a passkey on their phone.",
        relay,
        "f-guest-signin",
    ));
    let mut hotel = load("examples/engagements/hotel-keys.json");
    set_auth_methods(&mut hotel, "guest", &["password", "webauthn"]);
    assert!(answered_from_model(&hotel, relay, "f-guest-signin"));
}

/// Whether the one question of a template about a subject is answered from the model with a
/// weakness it states.
fn weakness_stated(engagement: &Engagement, template: &str, subject: &str) -> bool {
    let questions = Engine::builtin().generate(engagement.check().expect("a valid engagement"));
    let found: Vec<bool> = questions
        .iter()
        .filter(|q| {
            q.template().id == template
                && q.subject_ids().contains(&subject)
                && !q.checks_stated_weakness()
        })
        .map(|q| q.model_answer().is_some_and(|a| a.weakness))
        .collect();
    assert_eq!(found.len(), 1, "{template} about {subject}");
    found[0]
}

#[test]
fn round_91_a_store_open_to_every_pod_or_one_database_user_for_all_is_a_stated_weakness() {
    // Round 91, both reviewers: the questions on who reaches a store, with which account, and
    // whether its clients are told apart asked what the model states as weak ("No AUTH and no
    // TLS; reachable from every pod", "Every service connects with the same database user").
    let mut shop = load("examples/engagements/online-shop.json");
    let accounts = "process.elevation_of_privilege.store-accounts";
    let separation = "flow.tampering.client-separation";
    assert!(!weakness_stated(&shop, accounts, "order-service"));
    assert!(!weakness_stated(&shop, separation, "f-order-write"));
    element_mut(&mut shop, "orders-db").description = Some(
        "PostgreSQL. Every service connects with the same 'app' user, which owns all schemas."
            .to_owned(),
    );
    assert!(weakness_stated(&shop, accounts, "order-service"));
    assert!(weakness_stated(&shop, separation, "f-order-write"));
    // A store any pod reaches without a password.
    let mut food = load("examples/engagements/food-delivery.json");
    let open = "store.tampering.open-access";
    assert!(!weakness_stated(&food, open, "location-cache"));
    element_mut(&mut food, "location-cache").description =
        Some("Redis with no AUTH and no TLS; reachable from every pod in the cluster.".to_owned());
    assert!(weakness_stated(&food, open, "location-cache"));
    // A flow into a store that the store says every pod in the cluster reaches.
    let mut fleet = load("examples/engagements/fleet-tracking.json");
    let outside = "flow.information_disclosure.outside-store-access";
    assert!(!weakness_stated(&fleet, outside, "f-ingest-locations"));
    element_mut(&mut fleet, "location-store").description =
        Some("Positions, reachable from every pod in the cluster.".to_owned());
    assert!(weakness_stated(&fleet, outside, "f-ingest-locations"));
}

#[test]
fn round_91_staff_at_a_workstation_app_are_not_met_in_person() {
    // Round 91, both reviewers: the auctioneer's clerk, staff on the rostrum PC's desktop
    // console, was asked about counter screens, receipts and "amounts, items, doors". Staff
    // inside a trusted zone who use an app on a workstation are internal people; a cashier at
    // a till (a device, not an app) is still met in person (round 66).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "clerk", "name": "Clerk", "kind": "external_interactor",
                 "boundary": "tb-corp", "properties": {"human": true, "auth_methods": ["password"]}},
                {"id": "console", "name": "Clerk console", "kind": "process", "boundary": "tb-corp",
                 "properties": {"hosting": "desktop"}}
            ],
            "flows": [
                {"id": "f-clerk-use", "name": "record the sale", "source": "clerk",
                 "target": "console", "protocol": "local keyboard and screen",
                 "data": [{"name": "hammer prices", "classification": "confidential"}]},
                {"id": "f-console-api", "name": "send results", "source": "console",
                 "target": "order-service", "protocol": "HTTPS", "encrypted": true,
                 "authenticated": true,
                 "data": [{"name": "hammer prices", "classification": "confidential"}]}
            ]
        }),
    );
    let questions = asked(&shop);
    for topic in [
        "interactor.context.data",
        "interactor.context.transit",
        "interactor.context.authorization",
    ] {
        assert_not_fires(&questions, &format!("{topic}.in-person"), "clerk");
    }
    assert_fires(&questions, "interactor.context.data.person-staff", "clerk");
    // At a device of the shop's own (a till, not an app), the same person is met in person.
    set_property(
        &mut shop,
        "console",
        "hosting",
        PropertyValue::String("on_premises".to_owned()),
    );
    assert_fires(&asked(&shop), "interactor.context.data.in-person", "clerk");
}

#[test]
fn rounds_89_to_91_a_versioned_store_without_backups_is_asked_what_would_be_lost() {
    // Rounds 89, 90 and 91, both reviewers each time: "backups: false" taken as the answer
    // for a bucket whose description says versioning is on, where what matters is who can
    // delete the versions. Such a store is asked the question; one with neither is asked what
    // would be lost for good, the model's "no backups" stated in the text (round 92: as an
    // answer, "backups: false" was rated wrong or generic again).
    let no_backup = "store.denial_of_service.no-backup";
    let stated = "store.denial_of_service.no-backup-stated";
    let mut shop = load("examples/engagements/online-shop.json");
    set_property(
        &mut shop,
        "orders-db",
        "backups",
        PropertyValue::Bool(false),
    );
    assert!(!answered_from_model(&shop, stated, "orders-db"));
    assert_not_fires(&asked(&shop), no_backup, "orders-db");
    element_mut(&mut shop, "orders-db").description =
        Some("Orders, kept for ten years. Versioning is on; there is no Object Lock.".to_owned());
    assert!(!answered_from_model(&shop, no_backup, "orders-db"));
    assert_not_fires(&asked(&shop), stated, "orders-db");
}

#[test]
fn round_91_a_spreadsheet_or_a_crm_people_work_in_is_not_asked_about_as_a_database() {
    // Round 91, both reviewers: an Excel workbook on SharePoint and a Salesforce org were asked
    // about "database accounts", "queries", migrations and support scripts, a path "from
    // outside the zones around it", and disk and memory. A tool people work in directly is
    // asked about its accounts, sharing, connected apps and history; a database people reach
    // directly keeps its questions. (Retries with backoff for people reading a sheet, also
    // rated wrong, stay: the flows' denial-of-service question is the bank's unconditional
    // one.)
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "sheet", "name": "Returns workbook", "kind": "data_store",
                 "boundary": "tb-data",
                 "properties": {"technology": "excel_online", "hosting": "saas",
                                "contains_personal_data": true}},
                {"id": "crm", "name": "CRM", "kind": "data_store", "boundary": "tb-data",
                 "properties": {"technology": "salesforce", "hosting": "saas", "backups": true}},
                {"id": "warehouse", "name": "Warehouse", "kind": "data_store",
                 "boundary": "tb-data",
                 "properties": {"technology": "snowflake", "hosting": "saas", "backups": true}}
            ],
            "flows": [
                {"id": "f-staff-sheet", "name": "log returns", "source": "shop-staff",
                 "target": "sheet", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "customer names", "classification": "confidential"}]},
                {"id": "f-staff-crm", "name": "work with customers", "source": "shop-staff",
                 "target": "crm", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "customer names", "classification": "confidential"}]},
                {"id": "f-staff-warehouse", "name": "run reports", "source": "shop-staff",
                 "target": "warehouse", "protocol": "HTTPS", "encrypted": true,
                 "data": [{"name": "order history", "classification": "confidential"}]}
            ]
        }),
    );
    let questions = asked(&shop);
    for (flow, store) in [("f-staff-sheet", "sheet"), ("f-staff-crm", "crm")] {
        assert_fires(&questions, "flow.tampering.from-person.to-app-tenant", flow);
        assert_not_fires(&questions, "flow.tampering.from-person.to-database", flow);
        assert_not_fires(
            &questions,
            "flow.information_disclosure.outside-store-access",
            flow,
        );
        assert_fires(&questions, "store.tampering.write-access.app-tenant", store);
        assert_not_fires(&questions, "store.tampering.write-access", store);
        assert_fires(
            &questions,
            "store.information_disclosure.direct-reads.app-tenant",
            store,
        );
        assert_not_fires(
            &questions,
            "store.information_disclosure.direct-reads",
            store,
        );
    }
    // A hosted database people query directly is still a database.
    assert_fires(
        &questions,
        "flow.tampering.from-person.to-database",
        "f-staff-warehouse",
    );
    assert_not_fires(
        &questions,
        "flow.tampering.from-person.to-app-tenant",
        "f-staff-warehouse",
    );
    // Hosted services out of capacity: quotas and plan limits, not disks, one or several.
    for q in questions
        .iter()
        .filter(|q| q.template == "store.denial_of_service.capacity.saas")
    {
        assert!(!q.text.contains("disk"), "{}", q.text);
    }
    assert!(
        questions
            .iter()
            .any(|q| q.template == "store.denial_of_service.capacity.saas" && q.subjects.len() > 1),
        "the hosted stores share one capacity question"
    );
    // A workbook on a file share is not asked about its disk, memory and connections either
    // (round 93, both reviewers).
    let mut on_share = shop.clone();
    set_property(
        &mut on_share,
        "sheet",
        "hosting",
        PropertyValue::String("on_premises".to_owned()),
    );
    set_property(&mut on_share, "sheet", "backups", PropertyValue::Bool(true));
    let on_share = asked(&on_share);
    assert_not_fires(&on_share, "store.denial_of_service.capacity", "sheet");
    assert_fires(
        &on_share,
        "store.denial_of_service.capacity.app-tenant",
        "sheet",
    );
    // A workbook shared with everyone is a weakness the model states.
    let reads = "store.information_disclosure.direct-reads.app-tenant";
    assert!(!weakness_stated(&shop, reads, "sheet"));
    element_mut(&mut shop, "sheet").description = Some(
        "One workbook per week, shared with anyone in the organisation who has the link."
            .to_owned(),
    );
    assert!(weakness_stated(&shop, reads, "sheet"));
    assert!(weakness_stated(
        &shop,
        "flow.tampering.from-person.to-app-tenant",
        "f-staff-sheet"
    ));
}

#[test]
fn round_92_a_partner_s_portal_people_upload_files_to_is_no_identity_provider() {
    // Round 92, both reviewers, seven questions each: a payroll bureau whose web portal the
    // payroll team signs in to (a password and an SMS code) to upload the week's file was
    // asked about the signing keys, assertions and claims of an identity provider. A system
    // people send business files to, with no flow to or from the system's services, is a tool
    // they use directly; a sign-in service they send only their credentials to stays an
    // identity provider (round 50).
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [{"id": "bureau", "name": "Payroll bureau",
                          "kind": "external_interactor", "boundary": "tb-partners",
                          "properties": {"human": false, "auth_methods": ["password", "otp"]}}],
            "flows": [{"id": "f-staff-bureau", "name": "upload the payroll file",
                       "source": "shop-staff", "target": "bureau", "protocol": "HTTPS",
                       "encrypted": true, "authenticated": true,
                       "data": [{"name": "payroll file", "classification": "restricted"},
                                {"name": "bureau portal credentials",
                                 "classification": "restricted"}]}]
        }),
    );
    let questions = asked(&shop);
    for topic in TOPICS {
        assert_not_fires(&questions, &format!("{topic}.identity-provider"), "bureau");
        assert_fires(&questions, &format!("{topic}.people-tool"), "bureau");
    }
    // The same portal, described as the staff's sign-in service, is an identity provider.
    element_mut(&mut shop, "bureau").description =
        Some("The identity provider the staff sign in with.".to_owned());
    let questions = asked(&shop);
    for topic in TOPICS {
        assert_fires(&questions, &format!("{topic}.identity-provider"), "bureau");
    }
}

#[test]
fn round_92_a_replay_feature_does_not_answer_whether_replays_are_refused() {
    // Round 92, both reviewers, three answers: "maintenance endpoints to resync a candidate or
    // replay a webhook" was quoted as the answer to whether a captured call sent again is
    // refused. Only what says replays are refused, or how calls are told apart, answers it.
    let replay = "flow.tampering.replay";
    let mut shop = load("examples/engagements/online-shop.json");
    assert!(!answered_from_model(&shop, replay, "f-psp-webhook"));
    element_mut(&mut shop, "api-gateway").description = Some(
        "Kong. An admin endpoint on port 8444 can replay a webhook from the last seven days."
            .to_owned(),
    );
    assert!(!answered_from_model(&shop, replay, "f-psp-webhook"));
    flow_mut(&mut shop, "f-psp-webhook").description = Some(
        "The provider reports captures and chargebacks; replayed events are rejected by their \
         event id."
            .to_owned(),
    );
    assert!(answered_from_model(&shop, replay, "f-psp-webhook"));
}

#[test]
fn round_92_a_zone_that_says_what_reaches_it_answers_the_path_to_its_store() {
    // Round 92, both reviewers: "connects straight to Portal database from outside the zones
    // around it: over which network does this path run, and what else could use it?" where
    // the store's subnet says it is "reachable from the App Service VNet integration and the
    // Container Apps environment". The fleet's data zone says what reaches it the same way. A
    // zone "meant to be reached only from" another is what the path goes around, not an
    // answer (round 38's model, above).
    let fleet = load("examples/engagements/fleet-tracking.json");
    let outside = "flow.information_disclosure.outside-store-access";
    let stated = "flow.information_disclosure.outside-store-access.account-stated";
    // The path is stated, the account is not: still asked.
    assert!(!answered_from_model(&fleet, outside, "f-ingest-locations"));
    // With the account stated too, the question that is left asks only the path: answered.
    let mut fleet = fleet;
    flow_mut(&mut fleet, "f-ingest-locations").description = Some(
        "Every decoded position is inserted through the ingest service's own database user."
            .to_owned(),
    );
    assert!(answered_from_model(&fleet, stated, "f-ingest-locations"));
    // Without the zone's statement, it is asked.
    let mut unstated = fleet.clone();
    for boundary in &mut unstated.model.boundaries {
        boundary.description = None;
    }
    assert!(!answered_from_model(
        &unstated,
        stated,
        "f-ingest-locations"
    ));
}

#[test]
fn round_92_a_change_made_on_a_call_with_no_call_back_is_quoted_and_asked_about() {
    // Round 92, both reviewers and the plan's, first of their misses: "whoever picks up changes
    // them in the operations console while on the call; there is no call-back or second check"
    // was in the model and no question asked about it.
    let unverified = "interactor.spoofing.stated-unverified-change";
    let mut shop = load("examples/engagements/online-shop.json");
    assert_not_fires(&asked(&shop), unverified, "shop-staff");
    element_mut(&mut shop, "shop-staff").description = Some(
        "Customers who want a refund sent elsewhere ring the team, and whoever picks up changes \
         the account while on the call; there is no call-back or second check."
            .to_owned(),
    );
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        unverified,
        "shop-staff",
        "The model says of Shop staff: \u{201c}there is no call-back or second check.\u{201d}",
    );
    // A custom role that answers for the staff's business takes it; how they sign in stays
    // with the architect (round 59).
    shop.custom_roles.push(
        serde_json::from_value(serde_json::json!({
            "id": "operations_lead", "name": "Operations lead", "meeting_minutes": 60,
            "answers_for": ["shop-staff"],
            "expertise": ["business_stakeholder", "production_owner"]
        }))
        .unwrap(),
    );
    shop.participants.push(
        serde_json::from_value(serde_json::json!({
            "id": "sandra", "name": "Sandra", "roles": ["operations_lead"]
        }))
        .unwrap(),
    );
    let questions = asked(&shop);
    let role_of = |template: &str| {
        about(&questions, template, "shop-staff")
            .first()
            .map(|q| q.role.as_str().to_owned())
    };
    assert_eq!(role_of(unverified).as_deref(), Some("operations_lead"));
    let sign_in = questions
        .iter()
        .find(|q| {
            q.subjects == ["shop-staff"]
                && q.template
                    .starts_with("interactor.spoofing.authentication.")
        })
        .expect("the staff are asked how they sign in");
    assert_eq!(sign_in.role.as_str(), "architect");
}

#[test]
fn round_92_a_file_nobody_compares_after_it_is_edited_by_hand_is_quoted_and_asked_about() {
    // Round 92, both reviewers and the plan's, second of their misses: "Nobody compares the
    // file that goes to the bureau with what the export job wrote", of a payroll file corrected
    // by hand in a workbook before it is uploaded.
    let store = "store.tampering.stated-unchecked";
    let flow = "flow.tampering.stated-unchecked";
    let mut shop = load("examples/engagements/online-shop.json");
    let questions = asked(&shop);
    assert_not_fires(&questions, store, "orders-db");
    assert_not_fires(&questions, flow, "f-psp-webhook");
    element_mut(&mut shop, "orders-db").description = Some(
        "Orders. Refunds are exported weekly and corrected by hand; nobody compares the \
         corrected file with the export."
            .to_owned(),
    );
    flow_mut(&mut shop, "f-psp-webhook").description =
        Some("Chargeback amounts are never reconciled with the provider's statement.".to_owned());
    let questions = asked(&shop);
    assert_text_starts_with(
        &questions,
        store,
        "orders-db",
        "The model says of Orders database: \u{201c}nobody compares the corrected file with the \
         export.\u{201d}",
    );
    assert_fires(&questions, flow, "f-psp-webhook");
}

#[test]
fn round_92_an_untraced_change_whose_consequence_the_model_states_is_a_stated_weakness() {
    // Round 92, both reviewers: "The console does not record who changed what" was asked how
    // you would find out who did it, where the next sentence says "so we could not tell who
    // changed a bank account".
    let untraced = "process.repudiation.stated-untraced";
    let mut shop = load("examples/engagements/online-shop.json");
    element_mut(&mut shop, "backoffice-app").description =
        Some("The back office does not record who changed what.".to_owned());
    assert!(!answered_from_model(&shop, untraced, "backoffice-app"));
    element_mut(&mut shop, "backoffice-app").description = Some(
        "The back office does not record who changed what. Its history shows one shared \
         account, so we could not tell who changed a refund."
            .to_owned(),
    );
    assert!(weakness_stated(&shop, untraced, "backoffice-app"));
}

#[test]
fn round_92_a_stored_deployment_secret_and_a_queue_lost_on_restart_are_stated_weaknesses() {
    // Round 92, both reviewers: the pipeline "with an Azure service principal whose secret is
    // stored in GitHub Actions secrets" was asked whether it uses federation or a stored key,
    // and a task queue "so whatever is queued when it restarts or is patched is lost" what it
    // loses when it restarts.
    let pipeline = "process.spoofing.pipeline";
    let mut delivery = model("delivery-pipeline");
    assert!(!answered_from_model(&delivery, pipeline, "pipeline"));
    element_mut(&mut delivery, "pipeline").description = Some(
        "Builds the images and deploys them with a service principal whose secret is stored in \
         GitHub Actions secrets."
            .to_owned(),
    );
    assert!(weakness_stated(&delivery, pipeline, "pipeline"));
    let volatile = "store.denial_of_service.volatile";
    let mut shop = load("examples/engagements/online-shop.json");
    assert!(!answered_from_model(&shop, volatile, "session-cache"));
    element_mut(&mut shop, "session-cache").description =
        Some("Redis with no persistence: whatever it holds when it restarts is lost.".to_owned());
    assert!(weakness_stated(&shop, volatile, "session-cache"));
}

#[test]
fn round_93_a_keypad_a_virtual_terminal_and_an_auction_portal_are_no_identity_providers() {
    // Round 93, both reviewers, 17 questions: people send a gate code to a keypad that passes
    // it to the site controller, call-centre agents sign in to a payment provider's virtual
    // terminal, and the collections team signs in to an auction partner's portal to list a
    // unit's contents; each was asked about its signing keys, assertions and claims.
    let mut shop = load("examples/engagements/online-shop.json");
    with_extra(
        &mut shop,
        &serde_json::json!({
            "elements": [
                {"id": "keypad", "name": "Gate keypad", "kind": "external_interactor",
                 "properties": {"human": false}},
                {"id": "auction", "name": "Auction partner", "kind": "external_interactor",
                 "boundary": "tb-partners",
                 "properties": {"human": false, "auth_methods": ["password"]}}
            ],
            "flows": [
                {"id": "f-keypad-entry", "name": "type the gate code", "source": "customer",
                 "target": "keypad", "protocol": "keypad", "encrypted": false,
                 "properties": {"carries_credentials": true},
                 "data": [{"name": "gate code", "classification": "restricted"}]},
                {"id": "f-keypad-check", "name": "check the code", "source": "keypad",
                 "target": "order-service", "protocol": "RS-485", "encrypted": false,
                 "properties": {"carries_credentials": true},
                 "data": [{"name": "gate code", "classification": "restricted"}]},
                {"id": "f-terminal", "name": "take a card by phone", "source": "shop-staff",
                 "target": "payment-provider", "protocol": "HTTPS", "encrypted": true,
                 "properties": {"carries_credentials": true},
                 "data": [{"name": "card number", "classification": "restricted"},
                          {"name": "virtual terminal login", "classification": "restricted"}]},
                {"id": "f-listing", "name": "list a unit's contents", "source": "shop-staff",
                 "target": "auction", "protocol": "HTTPS", "encrypted": true,
                 "properties": {"carries_credentials": true},
                 "data": [{"name": "auction portal login", "classification": "restricted"},
                          {"name": "photos and description of the contents",
                           "classification": "internal"}]}
            ]
        }),
    );
    let questions = asked(&shop);
    for subject in ["keypad", "payment-provider", "auction"] {
        for topic in TOPICS {
            assert_not_fires(&questions, &format!("{topic}.identity-provider"), subject);
        }
    }
}

#[test]
fn round_93_credentials_kept_in_clear_text_and_a_user_passed_in_the_body_are_stated_weaknesses() {
    // Round 93, both reviewers: "Gate codes are stored in clear text" was asked which password
    // hashing the store uses, and a service told the acting user's name "in the request body"
    // whether it takes the caller's identity on trust.
    let storage = "store.information_disclosure.credential-storage";
    let claims = "process.elevation_of_privilege.upstream-claims";
    let mut shop = load("examples/engagements/online-shop.json");
    assert!(!answered_from_model(&shop, storage, "customers-db"));
    element_mut(&mut shop, "customers-db").description = Some(
        "Accounts. Door codes are stored in clear text so support can read them out.".to_owned(),
    );
    assert!(weakness_stated(&shop, storage, "customers-db"));
    let questions = asked(&shop);
    assert_fires(&questions, claims, "order-service");
    flow_mut(&mut shop, "f-place-order").description = Some(
        "Orders on behalf of the signed-in customer, whose id is passed in the request body."
            .to_owned(),
    );
    assert!(weakness_stated(&shop, claims, "order-service"));
}

/// Asserts that, of two templates that quote the same sentence of a subject's description,
/// only `kept` is asked, and that its question covers `dropped`'s category on the subject.
fn assert_quoted_once(engagement: &Engagement, kept: &str, dropped: &str, subject: &str) {
    let questions = Engine::builtin().generate(engagement.check().expect("a valid engagement"));
    let of = |template: &str| {
        questions
            .iter()
            .filter(|q| q.template().id == template && q.subject_ids() == [subject])
            .map(|q| q.to_question())
            .collect::<Vec<_>>()
    };
    assert!(of(dropped).is_empty(), "{dropped} asked about {subject}");
    let kept = of(kept);
    assert_eq!(kept.len(), 1, "{kept:?}");
    let category = Engine::builtin()
        .banks()
        .all_templates()
        .iter()
        .find(|t| t.template.id == dropped)
        .and_then(|t| t.template.category)
        .unwrap();
    assert!(
        kept[0]
            .also_covers
            .iter()
            .any(|p| p.subject == subject && p.category == category),
        "{:?}",
        kept[0].also_covers
    );
}

#[test]
fn round_95_a_stated_consequence_answers_the_question_that_asks_for_it() {
    // Round 95, both reviewers: the questions that quote a weakness asked who could use it and
    // what they would reach, when the description says so itself ("whoever gets that password
    // has remote control of every machine", "anything on the practice network can read these
    // images"). Such a statement now answers them, as a weakness recorded as a hint, and its
    // owner is asked whether it has been used and what closing it would take.
    let scooters = load("examples/engagements/scooters.json");
    let stated = |id: &str, description: &str, template: &str| {
        let mut e = scooters.clone();
        set_description(&mut e, id, description);
        weakness_stated(&e, template, id)
    };
    let shared = "Console sign-in is a password alone, with no MFA";
    assert!(!stated(
        "fleet-ops",
        &format!("{shared}."),
        "process.spoofing.stated-weak-sign-in"
    ));
    assert!(stated(
        "fleet-ops",
        &format!("{shared}: whoever gets a password can lock every scooter."),
        "process.spoofing.stated-weak-sign-in"
    ));
    let power = "Any console user can command any vehicle in any city";
    assert!(!stated(
        "fleet-ops",
        &format!("{power}."),
        "process.elevation_of_privilege.stated-power"
    ));
    assert!(stated(
        "fleet-ops",
        &format!(
            "Anyone at a depot PC can open the console. {power}, and the console does not record \
             who sent a command."
        ),
        "process.elevation_of_privilege.stated-power"
    ));
    // "so we could not say afterwards who" is the untraced change's consequence.
    assert!(stated(
        "fleet-ops",
        "The console does not record who opened a vehicle's history, so we could not say \
         afterwards who looked.",
        "process.repudiation.stated-untraced"
    ));
    // Plain text on a path anything on the network can reach.
    let mut e = scooters.clone();
    flow_mut(&mut e, "f-fleet-commands").description =
        Some("Commands go over MQTT in plain text.".into());
    assert!(!weakness_stated(
        &e,
        "flow.information_disclosure.stated-cleartext",
        "f-fleet-commands"
    ));
    flow_mut(&mut e, "f-fleet-commands").description = Some(
        "Commands go over MQTT in plain text: anything on the depot network can read them.".into(),
    );
    assert!(weakness_stated(
        &e,
        "flow.information_disclosure.stated-cleartext",
        "f-fleet-commands"
    ));
}

#[test]
fn round_95_no_login_is_not_no_log() {
    // "The viewer has no login of its own" was quoted as a change nothing records ("no log").
    let mut scooters = load("examples/engagements/scooters.json");
    set_description(
        &mut scooters,
        "fleet-ops",
        "The viewer has no login of its own. It shows the live map.",
    );
    assert_not_fires(
        &asked(&scooters),
        "process.repudiation.stated-untraced",
        "fleet-ops",
    );
    set_description(
        &mut scooters,
        "fleet-ops",
        "There is no log of who opened the map. It shows the live map.",
    );
    assert_fires(
        &asked(&scooters),
        "process.repudiation.stated-untraced",
        "fleet-ops",
    );
}

#[test]
fn round_95_a_code_check_without_an_attempt_limit_answers_how_guessing_is_limited() {
    // The patients sign in to the app with a code by SMS; the service behind the app says its
    // code check has no attempt limit: the question on guessing is answered, as a weakness,
    // and not followed up a second time, since the service's own question quotes it.
    let mut scooters = load("examples/engagements/scooters.json");
    let template = "interactor.repudiation.failed-authentication.person-link";
    assert!(!weakness_stated(&scooters, template, "rider"));
    set_description(
        &mut scooters,
        "api-gateway",
        "It checks the codes riders sign in with. The code check has no attempt limit and no \
         lockout.",
    );
    set_property(
        &mut scooters,
        "api-gateway",
        "stores_credentials",
        threat_interview::model::PropertyValue::Bool(true),
    );
    assert!(weakness_stated(&scooters, template, "rider"));
    let questions = generate(&scooters);
    let quoting: Vec<String> = questions
        .iter()
        .filter(|q| {
            q.quotes_the_model()
                && !q.is_answered_by_model()
                && q.subject_ids() == ["api-gateway"]
                && q.text().contains("no attempt limit")
        })
        .map(|q| q.id())
        .collect();
    assert_eq!(quoting.len(), 1, "{quoting:?}");
    assert!(
        !questions
            .iter()
            .any(|q| q.checks_stated_weakness() && q.text().contains("no attempt limit")),
        "followed up twice"
    );
}
