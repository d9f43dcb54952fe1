//! The built-in packs (`docs/packs.md`): what enables each one, where its questions are asked
//! and where they are not, and that no pack text states a fact the model does not hold, with
//! every pack switched on for every model.
//!
//! Each pack has a fixture in `tests/models/packs/` that calls for it (and for no other pack);
//! `plain-web-app` holds facts close to every pack's and calls for none.

use std::collections::{BTreeSet, HashMap, HashSet};

use threat_interview::bank::{BankSet, QuestionBank};
use threat_interview::coverage::Coverage;
use threat_interview::engine::{Engine, PackReason, PackUse};
use threat_interview::model::PropertyValue;
use threat_interview::model::vocabulary::VOCABULARY;
use threat_interview::{ElementKind, Engagement, Flow, Role};

mod common;

use common::{
    Asked, about, asked, asked_and_packs, asked_with, assert_engagement_level, assert_fires,
    assert_not_fires, element_mut, load, repo, text_of,
};

const PACKS: [&str; 6] = [
    "llm-agents",
    "kubernetes",
    "cloud-iam-storage",
    "oauth-oidc",
    "payment-cards",
    "health-data",
];

/// Each pack, the fixture that calls for it, and the first subject (in model order) that does.
const CALLED_FOR: [(&str, &str, &str); 6] = [
    ("llm-agents", "llm-support-bot", "support-agent"),
    ("kubernetes", "k8s-services", "web"),
    ("cloud-iam-storage", "cloud-functions", "upload-api"),
    ("oauth-oidc", "oauth-provider", "user"),
    ("payment-cards", "card-checkout", "shopper"),
    ("health-data", "clinic-records", "clinician"),
];

fn fixture(name: &str) -> Engagement {
    load(&format!("tests/models/packs/{name}.json"))
}

/// The JSON files of a directory of the repository, sorted.
fn json_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(repo(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let is_json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            let name = path.file_name()?.to_str()?.to_owned();
            is_json.then(|| format!("{dir}/{name}"))
        })
        .collect();
    files.sort();
    files
}

/// Every model the packs are swept over: the examples, the built-in bank's fixtures and the
/// packs' fixtures.
fn every_model() -> Vec<(String, Engagement)> {
    let files: Vec<String> = json_files("examples/engagements")
        .into_iter()
        .chain(json_files("tests/models"))
        .chain(json_files("tests/models/packs"))
        .collect();
    assert!(files.len() >= 20, "{files:?}");
    files.into_iter().map(|f| (f.clone(), load(&f))).collect()
}

fn uses(engagement: &Engagement) -> Vec<PackUse> {
    asked_and_packs(engagement, BankSet::builtin()).1
}

/// The same engagement with every built-in pack enabled by hand.
fn all_packs_enabled(engagement: &Engagement) -> Engagement {
    let mut engagement = engagement.clone();
    engagement.packs.disable.clear();
    engagement.packs.enable = PACKS.iter().map(|&p| p.to_owned()).collect();
    engagement
}

// ---------------------------------------------------------------------------------------------
// The packs as shipped.

#[test]
fn six_packs_ship_each_with_its_sources_and_eight_to_fourteen_templates() {
    let packs = QuestionBank::builtin_packs();
    let ids: Vec<&str> = packs.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, PACKS);
    let builtin: HashMap<&str, &threat_interview::bank::Template> = QuestionBank::builtin()
        .templates
        .iter()
        .map(|t| (t.id.as_str(), t))
        .collect();
    for pack in packs {
        let settings = pack.pack.as_ref().expect("a pack");
        assert!(settings.sources.len() >= 2, "{}: sources", pack.id);
        let n = pack.templates.len();
        assert!((8..=14).contains(&n), "{}: {n} templates", pack.id);
        for t in &pack.templates {
            assert!(
                t.id.starts_with(&format!("{}.", pack.id)),
                "{} is named after its pack",
                t.id
            );
            assert!(
                t.when.is_some(),
                "{}: a pack template has a condition",
                t.id
            );
            assert!(!t.references.is_empty(), "{}: cites its references", t.id);
            assert!(
                (1..=4).contains(&t.minutes),
                "{}: {} minutes",
                t.id,
                t.minutes
            );
            // A pack question that refines a built-in one replaces it on the same kind of
            // subject, in the same STRIDE category: the pair stays covered.
            for superseded in &t.supersedes {
                let generic = builtin
                    .get(superseded.as_str())
                    .unwrap_or_else(|| panic!("{}: supersedes `{superseded}`", t.id));
                assert_eq!(generic.category, t.category, "{} / {superseded}", t.id);
                assert_eq!(generic.applies_to, t.applies_to, "{} / {superseded}", t.id);
            }
        }
    }
    let set = BankSet::builtin();
    assert_eq!(set.packs().len(), 6);
    assert_eq!(
        set.len(),
        builtin.len() + packs.iter().map(|p| p.templates.len()).sum::<usize>()
    );
    // Packs never leave a pair without an unconditional template: they only add.
    assert_eq!(set.unconditional_gaps(), []);
}

#[test]
fn every_property_the_packs_read_is_in_the_vocabulary() {
    let read: std::collections::BTreeSet<&str> = QuestionBank::builtin_packs()
        .iter()
        .flat_map(QuestionBank::properties_read)
        .collect();
    let known: HashSet<&str> = VOCABULARY.iter().map(|d| d.name).collect();
    let unknown: Vec<&&str> = read.iter().filter(|p| !known.contains(*p)).collect();
    assert!(unknown.is_empty(), "not in the vocabulary: {unknown:?}");
    for new in [
        "ai_model",
        "tool_calls",
        "untrusted_prompt_input",
        "embeddings",
        "grant_types",
        "health_data",
    ] {
        assert!(read.contains(new), "{new} is read by a pack");
    }
}

#[test]
fn questions_go_to_the_role_whose_expertise_they_need() {
    let role_of: HashMap<String, Role> = QuestionBank::builtin_packs()
        .iter()
        .flat_map(|p| &p.templates)
        .map(|t| (t.id.clone(), t.roles[0].clone()))
        .collect();
    let first = |id: &str| {
        role_of
            .get(id)
            .unwrap_or_else(|| panic!("no template {id}"))
            .clone()
    };
    for id in [
        "llm-agents.process.tampering.prompt-injection",
        "llm-agents.process.tampering.output-handling",
        "llm-agents.process.information_disclosure.system-prompt",
        "llm-agents.flow.tampering.indirect-injection",
        "oauth-oidc.process.spoofing.authorization-code",
        "oauth-oidc.process.spoofing.relying-party",
        "oauth-oidc.process.spoofing.jwt-validation",
        "oauth-oidc.process.spoofing.refresh-tokens",
        "oauth-oidc.flow.information_disclosure.browser-tokens",
        "payment-cards.process.information_disclosure.card-data",
        "payment-cards.engagement.lead_developer.payment-page-scripts",
    ] {
        assert_eq!(first(id), Role::LeadDeveloper, "{id}");
    }
    for id in [
        "kubernetes.engagement.deployment.api-access",
        "kubernetes.engagement.deployment.admission",
        "kubernetes.process.information_disclosure.secrets",
        "kubernetes.process.elevation_of_privilege.pod-security",
        "cloud-iam-storage.engagement.deployment.long-lived-keys",
        "cloud-iam-storage.process.elevation_of_privilege.cloud-role",
        "payment-cards.engagement.deployment.key-management",
        "llm-agents.engagement.deployment.model-supply-chain",
    ] {
        assert_eq!(first(id), Role::DeploymentOwner, "{id}");
    }
    for id in [
        "kubernetes.engagement.production.nodes-and-audit",
        "cloud-iam-storage.engagement.production.control-plane-logs",
        "payment-cards.engagement.production.cde-access",
        "health-data.engagement.production.breach-notification",
    ] {
        assert_eq!(first(id), Role::ProductionOwner, "{id}");
    }
    for id in [
        "llm-agents.engagement.business.model-reliance",
        "payment-cards.engagement.business.responsibility-matrix",
        "health-data.engagement.business.lawful-basis",
    ] {
        assert_eq!(first(id), Role::BusinessStakeholder, "{id}");
    }
}

// ---------------------------------------------------------------------------------------------
// What enables each pack.

#[test]
fn each_pack_is_called_for_by_its_fixture_and_names_the_subject_that_calls_for_it() {
    for (pack, name, subject) in CALLED_FOR {
        let used = uses(&fixture(name));
        for u in &used {
            if u.id == pack {
                assert!(u.active, "{name}: {pack}");
                let PackReason::CalledFor {
                    subject: found,
                    matched,
                } = &u.reason
                else {
                    panic!("{name}: {pack} applies because {:?}", u.reason);
                };
                assert_eq!(found, subject, "{name}: {pack}");
                assert!(
                    matched.iter().all(|m| m.starts_with("/pack/enabled_by")),
                    "{matched:?}"
                );
            } else {
                // Each fixture calls for its own pack only.
                assert!(!u.active, "{name} calls for {}: {:?}", u.id, u.reason);
            }
        }
    }
}

#[test]
fn facts_close_to_a_packs_call_for_none() {
    // A payroll service that moves money, ID card scans and a wildcard certificate, health
    // checks, session tokens and SAML, servers on premises and on virtual machines; canteen
    // top-ups paid by card on the provider's hosted page, medical certificates kept as
    // documents in a store marked `health_data`.
    let plain = fixture("plain-web-app");
    for u in uses(&plain) {
        assert!(!u.active, "{}: {:?}", u.id, u.reason);
        assert_eq!(u.reason, PackReason::NotCalledFor, "{}", u.id);
    }
    // Enabled by hand, no pack question finds a subject there: every one of them needs its
    // pack's facts.
    let questions = asked(&all_packs_enabled(&plain));
    let from_packs: Vec<&str> = questions
        .iter()
        .filter(|q| PACKS.contains(&q.bank.as_str()))
        .map(|q| q.template.as_str())
        .collect();
    assert!(from_packs.is_empty(), "{from_packs:?}");
    // A pack the engagement disables is not asked even where the model calls for it.
    let mut shop = load("examples/engagements/online-shop.json");
    shop.packs.disable.push("payment-cards".to_owned());
    let (questions, used) = asked_and_packs(&shop, BankSet::builtin());
    let cards = used.iter().find(|u| u.id == "payment-cards").unwrap();
    assert_eq!(cards.reason, PackReason::DisabledByEngagement);
    assert!(questions.iter().all(|q| q.bank != "payment-cards"));
}

#[test]
fn cards_on_a_hosted_page_and_medical_certificates_as_documents_call_for_no_pack() {
    // The city portal: card numbers are typed on the payment provider's hosted page, and
    // medical certificates are documents attached to permit applications; the plain web app
    // has both too, the card flow in scope and the certificates' store marked `health_data`.
    for engagement in [
        load("examples/engagements/city-portal.json"),
        fixture("plain-web-app"),
    ] {
        for u in uses(&engagement) {
            if u.id == "payment-cards" || u.id == "health-data" {
                assert!(!u.active, "{}: {}: {:?}", engagement.id, u.id, u.reason);
            }
        }
    }
}

#[test]
fn the_examples_call_for_the_packs_their_models_describe() {
    let active = |path: &str| -> BTreeSet<String> {
        uses(&load(path))
            .into_iter()
            .filter(|u| u.active)
            .map(|u| u.id)
            .collect()
    };
    let set = |ids: &[&str]| -> BTreeSet<String> { ids.iter().map(|&s| s.to_owned()).collect() };
    // The shop's services run on Kubernetes, customers sign in with Google, orders carry card
    // tokens and the customer types card numbers into the provider's fields.
    assert_eq!(
        active("examples/engagements/online-shop.json"),
        set(&["kubernetes", "oauth-oidc", "payment-cards"])
    );
    // The HR platform: Kubernetes, S3 and a Lambda function, SAML and OpenID Connect; payroll
    // moves money but carries no card data, and medical certificates filed as documents are
    // not clinical data.
    assert_eq!(
        active("examples/engagements/hr-saas.json"),
        set(&["cloud-iam-storage", "kubernetes", "oauth-oidc"])
    );
    let assistant = active("examples/engagements/llm-assistant.json");
    assert!(assistant.contains("llm-agents"), "{assistant:?}");
    assert!(!assistant.contains("payment-cards"), "{assistant:?}");
    assert!(!assistant.contains("health-data"), "{assistant:?}");
}

// ---------------------------------------------------------------------------------------------
// Where each pack's questions are asked, and where they are not.

#[test]
fn llm_agents_asks_about_injection_tools_the_provider_and_retrieval_where_they_are() {
    let q = asked(&fixture("llm-support-bot"));
    let p = "llm-agents.";
    // Direct prompt injection where outside requests reach a model; not for the summariser,
    // which nobody outside calls, nor for the reporting service, which has no model.
    assert_fires(
        &q,
        &format!("{p}process.tampering.prompt-injection"),
        "support-agent",
    );
    for other in ["summariser", "report-service"] {
        assert_not_fires(&q, &format!("{p}process.tampering.prompt-injection"), other);
    }
    for template in ["output-handling", "system-prompt", "usage-limits"] {
        let id = q
            .iter()
            .find(|x| x.template.ends_with(template))
            .map_or_else(|| panic!("{template}"), |x| x.template.clone());
        assert_fires(&q, &id, "support-agent");
        assert_fires(&q, &id, "summariser");
        assert_not_fires(&q, &id, "report-service");
        assert_not_fires(&q, &id, "ingest-job");
    }
    // Only the agent acts on tool calls.
    for template in [
        "process.elevation_of_privilege.tool-authorization",
        "process.tampering.consequential-actions",
        "process.repudiation.agent-trail",
    ] {
        assert_fires(&q, &format!("{p}{template}"), "support-agent");
        assert_not_fires(&q, &format!("{p}{template}"), "summariser");
    }
    // The agent's own questions replace the generic ones they refine.
    assert_not_fires(
        &q,
        "process.elevation_of_privilege.blast-radius",
        "support-agent",
    );
    assert_not_fires(&q, "process.repudiation.audit-trail", "support-agent");
    // Indirect injection through retrieved passages and read e-mails; not through the chat
    // (the person typing is asked about as direct injection), nor through the ticket
    // database, which is no retrieval store.
    let indirect = format!("{p}flow.tampering.indirect-injection");
    for flow in ["f-retrieve", "f-read-inbox"] {
        assert_fires(&q, &indirect, flow);
    }
    for flow in [
        "f-chat",
        "f-summary-read",
        "f-ingest",
        "f-report",
        "f-email",
    ] {
        assert_not_fires(&q, &indirect, flow);
    }
    // The hosted model's retention, once for both flows that reach it.
    let retention = about(
        &q,
        &format!("{p}flow.information_disclosure.provider-retention"),
        "f-agent-prompt",
    );
    assert_eq!(retention.len(), 1);
    assert!(
        retention[0]
            .subjects
            .contains(&"f-summary-prompt".to_owned())
    );
    assert!(retention[0].text.contains("Model provider"));
    assert_not_fires(
        &q,
        &format!("{p}flow.information_disclosure.provider-retention"),
        "f-tool-ticket",
    );
    // The retrieval index, not the ticket database.
    for template in [
        "store.information_disclosure.retrieval-access",
        "store.tampering.poisoning",
    ] {
        assert_fires(&q, &format!("{p}{template}"), "knowledge-index");
        assert_not_fires(&q, &format!("{p}{template}"), "ticket-db");
    }
    assert_not_fires(&q, "store.tampering.write-access", "knowledge-index");
    assert_fires(&q, "store.tampering.write-access", "ticket-db");
    for template in [
        "engagement.business.model-reliance",
        "engagement.deployment.model-supply-chain",
    ] {
        assert_engagement_level(&q, &format!("{p}{template}"), true);
    }
}

#[test]
fn kubernetes_asks_about_workloads_in_the_cluster_and_not_the_batch_machine() {
    let q = asked(&fixture("k8s-services"));
    let p = "kubernetes.";
    for subject in ["web", "api", "worker"] {
        assert_fires(
            &q,
            &format!("{p}process.elevation_of_privilege.pod-security"),
            subject,
        );
        assert_fires(&q, &format!("{p}process.spoofing.service-account"), subject);
        assert_not_fires(&q, "process.elevation_of_privilege.blast-radius", subject);
        assert_not_fires(&q, "process.spoofing.impersonation", subject);
    }
    for template in [
        "process.elevation_of_privilege.pod-security",
        "process.spoofing.service-account",
        "process.information_disclosure.secrets",
        "process.denial_of_service.resource-limits",
    ] {
        assert_not_fires(&q, &format!("{p}{template}"), "batch");
    }
    assert_fires(&q, "process.spoofing.impersonation", "batch");
    // Secrets where the built-in bank asks about runtime secrets (the API and the worker use
    // a store), replacing that question; the web front end calls only the API.
    for subject in ["api", "worker"] {
        assert_fires(
            &q,
            &format!("{p}process.information_disclosure.secrets"),
            subject,
        );
        assert_not_fires(
            &q,
            "process.information_disclosure.runtime-secrets",
            subject,
        );
    }
    assert_not_fires(
        &q,
        &format!("{p}process.information_disclosure.secrets"),
        "web",
    );
    assert_fires(
        &q,
        "process.information_disclosure.runtime-secrets",
        "batch",
    );
    // Resource limits replace the generic capacity question on the worker nobody outside
    // calls; the exposed services keep their expensive-requests question.
    assert_fires(
        &q,
        &format!("{p}process.denial_of_service.resource-limits"),
        "worker",
    );
    for subject in ["web", "api"] {
        assert_not_fires(
            &q,
            &format!("{p}process.denial_of_service.resource-limits"),
            subject,
        );
    }
    // Network policies where nothing authenticates a client between two workloads.
    let policy = format!("{p}flow.tampering.network-policy");
    for flow in ["f-web-api", "f-api-cache"] {
        assert_fires(&q, &policy, flow);
    }
    // Authenticated, outside the cluster, or from a person: not the network's job alone.
    for flow in ["f-worker-cache", "f-api-db", "f-batch-db", "f-user-web"] {
        assert_not_fires(&q, &policy, flow);
    }
    assert_not_fires(&q, "flow.tampering.unauthenticated", "f-web-api");
    // One question across the cluster: whether network policies exist is one answer.
    let asked_policy: Vec<&common::Asked> = q.iter().filter(|a| a.template == policy).collect();
    assert_eq!(asked_policy.len(), 1);
    assert_eq!(asked_policy[0].subjects, ["f-web-api", "f-api-cache"]);
    assert!(
        asked_policy[0]
            .text
            .starts_with("Nothing in the model shows the services that answer "),
        "{}",
        asked_policy[0].text
    );
    for template in [
        "engagement.deployment.api-access",
        "engagement.deployment.admission",
        "engagement.production.nodes-and-audit",
    ] {
        assert_engagement_level(&q, &format!("{p}{template}"), true);
    }
}

#[test]
fn cloud_iam_storage_asks_about_roles_buckets_and_keys_in_the_cloud_only() {
    let q = asked(&fixture("cloud-functions"));
    let p = "cloud-iam-storage.";
    let role = format!("{p}process.elevation_of_privilege.cloud-role");
    for subject in ["upload-api", "resize-fn"] {
        assert_fires(&q, &role, subject);
    }
    assert_not_fires(&q, &role, "legacy");
    // The metadata service is asked about for the API on instances that fetches a URL the
    // uploader gives, not for the function.
    let imds = format!("{p}process.information_disclosure.metadata-service");
    assert_fires(&q, &imds, "upload-api");
    assert_not_fires(&q, &imds, "resize-fn");
    assert_not_fires(&q, &imds, "legacy");
    // An API that fetches nothing anyone chooses has no request to forge (rounds 33 to 36:
    // 5 wrong and 17 generic ratings, none worth, on workers that fetch no URL).
    let mut no_fetch = fixture("cloud-functions");
    common::element_mut(&mut no_fetch, "upload-api").description =
        Some("Accepts uploads and stores them.".to_owned());
    assert_not_fires(&asked(&no_fetch), &imds, "upload-api");
    // Object storage questions on the bucket only.
    for template in [
        "store.information_disclosure.public-access",
        "store.tampering.object-writes",
    ] {
        assert_fires(&q, &format!("{p}{template}"), "uploads-bucket");
        assert_not_fires(&q, &format!("{p}{template}"), "metadata-table");
        assert_not_fires(&q, &format!("{p}{template}"), "legacy-db");
    }
    assert_not_fires(
        &q,
        "store.information_disclosure.direct-reads",
        "uploads-bucket",
    );
    assert_fires(&q, "store.information_disclosure.direct-reads", "legacy-db");
    // Key policies and data-access logs on both cloud stores, not on premises.
    for template in [
        "store.information_disclosure.key-policy",
        "store.repudiation.data-events",
    ] {
        for subject in ["uploads-bucket", "metadata-table"] {
            assert_fires(&q, &format!("{p}{template}"), subject);
        }
        assert_not_fires(&q, &format!("{p}{template}"), "legacy-db");
    }
    for template in [
        "engagement.deployment.long-lived-keys",
        "engagement.deployment.cross-account",
        "engagement.production.control-plane-logs",
    ] {
        assert_engagement_level(&q, &format!("{p}{template}"), true);
    }
}

#[test]
fn oauth_oidc_asks_the_authorization_server_the_relying_party_and_the_api_their_own_questions() {
    let q = asked(&fixture("oauth-provider"));
    let p = "oauth-oidc.process.spoofing.";
    // The authorization server: its grants, clients and tokens.
    for template in [
        "authorization-code",
        "deprecated-grants",
        "client-authentication",
        "token-lifecycle",
        "refresh-tokens",
    ] {
        assert_fires(&q, &format!("{p}{template}"), "auth-server");
        for other in ["web-app", "api", "legacy-app"] {
            assert_not_fires(&q, &format!("{p}{template}"), other);
        }
    }
    assert_not_fires(&q, "process.spoofing.token-audience", "auth-server");
    // The relying party checks sign-in responses; the API does not sign anyone in.
    assert_fires(&q, &format!("{p}relying-party"), "web-app");
    assert_not_fires(&q, &format!("{p}relying-party"), "api");
    // Both check the tokens they accept, in one question, instead of the built-in one.
    let jwt = about(&q, &format!("{p}jwt-validation"), "api");
    assert_eq!(jwt.len(), 1);
    assert!(jwt[0].subjects.contains(&"web-app".to_owned()));
    assert_not_fires(&q, "process.spoofing.token-validation", "api");
    assert_not_fires(&q, &format!("{p}jwt-validation"), "legacy-app");
    // The issuer is not asked for an audience naming itself, even where it lists the OpenID
    // Connect it offers (round 31, rated wrong by both reviewers): the relying parties are.
    let mut listed = fixture("oauth-provider");
    common::element_mut(&mut listed, "auth-server")
        .properties
        .insert(
            "auth_methods".to_owned(),
            threat_interview::model::PropertyValue::List(vec![
                "password".to_owned(),
                "oidc".to_owned(),
            ]),
        );
    let listed = asked(&listed);
    assert_not_fires(&listed, &format!("{p}jwt-validation"), "auth-server");
    assert_fires(&listed, &format!("{p}jwt-validation"), "api");
    // Tokens in a person's browser; not a session cookie, not a partner system's tokens.
    let browser = "oauth-oidc.flow.information_disclosure.browser-tokens";
    assert_fires(&q, browser, "f-user-api");
    for flow in ["f-user-web", "f-partner-api", "f-user-legacy", "f-web-auth"] {
        assert_not_fires(&q, browser, flow);
    }
}

#[test]
fn payment_cards_asks_where_card_data_goes_and_the_business_who_answers_for_it() {
    let q = asked(&fixture("card-checkout"));
    let p = "payment-cards.";
    for template in [
        "process.information_disclosure.card-data",
        "process.repudiation.card-data-access",
    ] {
        assert_fires(&q, &format!("{p}{template}"), "checkout");
        assert_not_fires(&q, &format!("{p}{template}"), "catalog");
    }
    assert_not_fires(&q, "process.repudiation.audit-trail", "checkout");
    assert_fires(&q, "process.repudiation.audit-trail", "catalog");
    let stored = format!("{p}store.information_disclosure.stored-card-data");
    assert_fires(&q, &stored, "card-vault");
    assert_not_fires(&q, &stored, "catalog-db");
    assert_not_fires(
        &q,
        "store.information_disclosure.at-rest-unknown",
        "card-vault",
    );
    for template in [
        "engagement.business.responsibility-matrix",
        "engagement.architect.cde-segmentation",
        "engagement.lead_developer.payment-page-scripts",
        "engagement.deployment.key-management",
        "engagement.production.cde-access",
    ] {
        assert_engagement_level(&q, &format!("{p}{template}"), true);
    }
    // The online shop keeps no card data: no key management question; its customers type
    // card numbers into the provider's fields embedded in its pages.
    let shop = asked(&load("examples/engagements/online-shop.json"));
    assert_engagement_level(
        &shop,
        &format!("{p}engagement.deployment.key-management"),
        false,
    );
    assert_engagement_level(
        &shop,
        &format!("{p}engagement.lead_developer.payment-page-scripts"),
        true,
    );
    assert_not_fires(
        &shop,
        &format!("{p}process.information_disclosure.card-data"),
        "catalog-service",
    );
}

#[test]
fn round_12_card_questions_need_card_data_in_the_system_not_a_provider_s_token() {
    let p = "payment-cards.";
    let card_data = format!("{p}process.information_disclosure.card-data");
    let card_access = format!("{p}process.repudiation.card-data-access");
    // Card numbers are typed only into the provider's hosted fields (an out-of-scope flow to
    // the provider); the system's own services see a single-use card token. They are not
    // asked whether a card number could reach them, nor to log access to card data, and
    // there is no cardholder data environment to segment.
    for (path, services) in [
        (
            "examples/engagements/food-delivery.json",
            ["api-gateway", "order-service", "payment-service"],
        ),
        (
            "examples/engagements/online-shop.json",
            ["api-gateway", "order-service", "payment-service"],
        ),
    ] {
        let q = asked(&load(path));
        for service in services {
            assert_not_fires(&q, &card_data, service);
            assert_not_fires(&q, &card_access, service);
        }
        for template in [
            "engagement.architect.cde-segmentation",
            "engagement.production.cde-access",
            "engagement.deployment.key-management",
        ] {
            assert_engagement_level(&q, &format!("{p}{template}"), false);
        }
        // What the hosted fields leave: the scripts on the pages that embed them, and the
        // provider's share of the card rules.
        for template in [
            "engagement.lead_developer.payment-page-scripts",
            "engagement.business.responsibility-matrix",
        ] {
            assert_engagement_level(&q, &format!("{p}{template}"), true);
        }
    }
    // The hotel's guest database and warehouse hold saved-card tokens, not card data; the
    // virtual card numbers partners send with bookings do reach the partner API, the
    // reservation system and the hotels' PMS.
    let hotel = asked(&load("examples/engagements/hotel-keys.json"));
    let stored = format!("{p}store.information_disclosure.stored-card-data");
    for store in ["guest-db", "data-warehouse"] {
        assert_not_fires(&hotel, &stored, store);
    }
    assert_not_fires(&hotel, &card_data, "guest-api");
    for process in ["partner-api", "crs", "pms"] {
        assert_fires(&hotel, &card_data, process);
    }
    assert_engagement_level(
        &hotel,
        &format!("{p}engagement.architect.cde-segmentation"),
        true,
    );
}

#[test]
fn health_data_asks_about_reads_retention_and_sharing_where_health_data_is() {
    let q = asked(&fixture("clinic-records"));
    let p = "health-data.";
    for template in [
        "process.elevation_of_privilege.minimum-necessary",
        "process.repudiation.access-audit",
    ] {
        assert_fires(&q, &format!("{p}{template}"), "records");
        assert_not_fires(&q, &format!("{p}{template}"), "scheduling");
    }
    // Retention on the records database (health data named on its flows), replacing the
    // personal data question; the analytics store (marked `health_data`) has its retention in
    // the model (`retention_days`), so it and the schedule keep the built-in deletion question
    // (round 71: "how long" asked where the model says it).
    let retention = format!("{p}store.information_disclosure.retention");
    assert_fires(&q, &retention, "records-db");
    assert_not_fires(
        &q,
        "store.information_disclosure.personal-data-deletion",
        "records-db",
    );
    for store in ["analytics", "schedule-db"] {
        assert_not_fires(&q, &retention, store);
        assert_fires(
            &q,
            "store.information_disclosure.personal-data-deletion",
            store,
        );
    }
    // Sharing with the laboratory, not what the laboratory sends back to the clinic.
    let sharing = format!("{p}flow.information_disclosure.third-party-sharing");
    assert_fires(&q, &sharing, "f-lab-request");
    for flow in ["f-lab-result", "f-records-db", "f-clinician-records"] {
        assert_not_fires(&q, &sharing, flow);
    }
    let text = text_of(&q, &sharing, "f-lab-request");
    assert!(
        text.contains("Laboratory") && text.contains("diagnosis"),
        "{text}"
    );
    for template in [
        "engagement.business.lawful-basis",
        "engagement.business.emergency-access",
        "engagement.architect.de-identification",
        "engagement.production.breach-notification",
    ] {
        assert_engagement_level(&q, &format!("{p}{template}"), true);
    }
}

// ---------------------------------------------------------------------------------------------
// Truth of texts, with every pack switched on for every model.

const K8S: [&str; 6] = ["kubernetes", "eks", "aks", "gke", "openshift", "k3s"];
const CLOUD: [&str; 14] = [
    "aws",
    "azure",
    "gcp",
    "aws_lambda",
    "lambda",
    "ec2",
    "ecs",
    "fargate",
    "azure_functions",
    "app_service",
    "azure_vm",
    "cloud_run",
    "cloud_functions",
    "compute_engine",
];
const CLOUD_STORAGE: [&str; 18] = [
    "s3",
    "blob",
    "azure_blob",
    "blob_storage",
    "gcs",
    "cloud_storage",
    "adls",
    "dynamodb",
    "rds",
    "aurora",
    "redshift",
    "documentdb",
    "cosmosdb",
    "azure_sql",
    "bigquery",
    "cloud_sql",
    "firestore",
    "spanner",
];
const LLM: [&str; 25] = [
    "llm",
    "langchain",
    "llamaindex",
    "semantic_kernel",
    "ollama",
    "vllm",
    "huggingface",
    "openai",
    "azure_openai",
    "anthropic",
    "bedrock",
    "vertex_ai",
    "gemini",
    "mistral",
    "cohere",
    "pgvector",
    "pinecone",
    "weaviate",
    "qdrant",
    "milvus",
    "chroma",
    "chromadb",
    "faiss",
    "lancedb",
    "vespa",
];
const OAUTH_METHODS: [&str; 5] = ["oidc", "google_oidc", "oauth2", "oauth", "jwt"];
const TOKENS: [&str; 4] = ["access token", "refresh token", "id token", "bearer"];
const CARD_DATA: [&str; 15] = [
    "card number",
    "card token",
    "card data",
    "card details",
    "cardholder",
    "card holder",
    "payment card",
    "credit card",
    "debit card",
    "primary account number",
    "cvv",
    "cvc",
    "card verification",
    "card security code",
    "virtual card",
];
const HEALTH_DATA: [&str; 11] = [
    "health record",
    "health data",
    "health information",
    "medical",
    "diagnosis",
    "diagnoses",
    "patient",
    "clinical",
    "prescription",
    "lab result",
    "sick note",
];

/// The facts of one element or flow, read from the model directly (not through the engine),
/// to check the packs' conditions against.
struct Facts<'a> {
    engagement: &'a Engagement,
}

impl<'a> Facts<'a> {
    fn element(&self, id: &str) -> Option<&'a threat_interview::Element> {
        self.engagement.model.elements.iter().find(|e| e.id == id)
    }

    fn flow(&self, id: &str) -> Option<&'a Flow> {
        self.engagement.model.flows.iter().find(|f| f.id == id)
    }

    /// The flows an element sends or receives.
    fn flows_of(&self, id: &str) -> impl Iterator<Item = &'a Flow> + use<'a, '_> {
        let id = id.to_owned();
        self.engagement
            .model
            .flows
            .iter()
            .filter(move |f| f.source == id || f.target == id)
    }

    fn string_in(props: &threat_interview::model::Properties, name: &str, values: &[&str]) -> bool {
        matches!(props.get(name), Some(PropertyValue::String(s)) if values.contains(&s.as_str()))
    }

    fn is_true(props: &threat_interview::model::Properties, name: &str) -> bool {
        props.get(name) == Some(&PropertyValue::Bool(true))
    }

    fn named(flow: &Flow, words: &[&str]) -> bool {
        flow.data.iter().any(|d| {
            let name = d.name.to_lowercase();
            words.iter().any(|w| name.contains(w))
        })
    }

    /// Whether a pack's domain is present on a subject: an element's own properties or the
    /// data of its flows; a flow's own properties and data, or either end.
    fn holds(&self, pack: &str, subject: &str) -> bool {
        if let Some(e) = self.element(subject) {
            let p = &e.properties;
            let data = |words: &[&str]| self.flows_of(subject).any(|f| Self::named(f, words));
            return match pack {
                "kubernetes" => {
                    Self::string_in(p, "hosting", &K8S) || Self::string_in(p, "technology", &K8S)
                }
                "cloud-iam-storage" => {
                    Self::string_in(p, "hosting", &CLOUD)
                        || Self::string_in(p, "technology", &CLOUD_STORAGE)
                        || Self::string_in(p, "technology", &["lambda"])
                }
                "llm-agents" => {
                    ["ai_model", "tool_calls", "embeddings"]
                        .iter()
                        .any(|n| Self::is_true(p, n))
                        || Self::string_in(p, "technology", &LLM)
                }
                "oauth-oidc" => {
                    matches!(p.get("auth_methods"), Some(PropertyValue::List(m))
                        if m.iter().any(|m| OAUTH_METHODS.contains(&m.as_str())))
                        || Self::is_true(p, "issues_tokens")
                        || p.contains_key("grant_types")
                }
                "payment-cards" => data(&CARD_DATA),
                "health-data" => Self::is_true(p, "health_data") || data(&HEALTH_DATA),
                _ => unreachable!("{pack}"),
            };
        }
        let f = self.flow(subject).unwrap_or_else(|| panic!("{subject}"));
        let ends = [f.source.as_str(), f.target.as_str()];
        match pack {
            "payment-cards" => Self::named(f, &CARD_DATA),
            "health-data" => Self::named(f, &HEALTH_DATA),
            "llm-agents" if Self::is_true(&f.properties, "untrusted_prompt_input") => true,
            "oauth-oidc" if Self::named(f, &TOKENS) => true,
            _ => ends.iter().any(|e| self.holds(pack, e)),
        }
    }

    /// Whether some in-scope element or flow of the model holds a pack's domain.
    fn anywhere(&self, pack: &str) -> bool {
        let model = &self.engagement.model;
        model
            .elements
            .iter()
            .filter(|e| !e.out_of_scope)
            .map(|e| e.id.as_str())
            .chain(
                model
                    .flows
                    .iter()
                    .filter(|f| !f.out_of_scope)
                    .map(|f| f.id.as_str()),
            )
            .any(|s| self.holds(pack, s))
    }
}

/// The words (lower case) of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words that name a pack's domain: a text that says one of them must be about a subject that
/// holds that domain.
const DOMAIN_WORDS: [(&str, &[&str]); 6] = [
    (
        "kubernetes",
        &[
            "kubernetes",
            "pod",
            "pods",
            "namespace",
            "namespaces",
            "etcd",
            "kubectl",
        ],
    ),
    (
        "cloud-iam-storage",
        &["bucket", "buckets", "iam", "cloudtrail", "imdsv2", "s3"],
    ),
    (
        "llm-agents",
        &[
            "llm",
            "prompt",
            "prompts",
            "embeddings",
            "agent",
            "language model",
        ],
    ),
    ("oauth-oidc", &["oauth", "openid", "pkce", "jwt", "dpop"]),
    (
        "payment-cards",
        &["card", "cards", "cardholder", "pci", "cvv", "pan"],
    ),
    (
        "health-data",
        &["health", "medical", "patient", "patients", "hipaa"],
    ),
];

#[test]
fn no_pack_text_states_a_fact_the_model_does_not_hold() {
    let mut checked = 0;
    for (name, engagement) in every_model() {
        let engagement = all_packs_enabled(&engagement);
        let facts = Facts {
            engagement: &engagement,
        };
        let model = &engagement.model;
        let mut names: Vec<String> = model
            .elements
            .iter()
            .map(|e| e.name.to_lowercase())
            .chain(model.flows.iter().map(|f| f.name.to_lowercase()))
            .chain(model.boundaries.iter().map(|b| b.name.to_lowercase()))
            .chain(engagement.system.iter().map(|s| s.to_lowercase()))
            .collect();
        // Longest first, so that a name inside another goes with it.
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for q in asked(&engagement) {
            let Some(&pack) = PACKS.iter().find(|&&p| p == q.bank) else {
                continue;
            };
            checked += 1;
            // The question's own pack: every subject holds its domain (an engagement-level
            // question, some subject of the model).
            let mut domains: Vec<&str> = vec![pack];
            // And any other pack's domain its text names.
            // The model's own names (`Agent console`) say nothing about a domain.
            let mut lower = q.text.to_lowercase();
            for name in &names {
                lower = lower.replace(name.as_str(), " ");
            }
            let said = words(&lower);
            let says = |w: &&str| {
                if w.contains(' ') {
                    lower.contains(*w)
                } else {
                    said.iter().any(|s| s == w)
                }
            };
            for (domain, list) in DOMAIN_WORDS {
                if list.iter().any(says) {
                    domains.push(domain);
                }
            }
            for domain in domains {
                if q.subjects.is_empty() {
                    assert!(
                        facts.anywhere(domain),
                        "{name}: `{}` speaks of {domain}, which the model does not hold: {}",
                        q.template,
                        q.text
                    );
                }
                for subject in &q.subjects {
                    assert!(
                        facts.holds(domain, subject),
                        "{name}: `{}` about `{subject}` speaks of {domain}, which it does not hold: {}",
                        q.template,
                        q.text
                    );
                }
            }
        }
    }
    assert!(checked > 150, "{checked} pack questions checked");
}

#[test]
fn with_every_pack_on_every_model_the_built_in_rules_still_hold() {
    let supersedes: HashMap<String, Vec<String>> = BankSet::builtin()
        .templates()
        .map(|t| (t.template.id.clone(), t.template.supersedes.clone()))
        .collect();
    for (name, engagement) in every_model() {
        let mut engagement = all_packs_enabled(&engagement);
        let questions = asked(&engagement);
        // No two questions say the same thing.
        let mut texts = HashSet::new();
        for q in &questions {
            assert!(texts.insert(&q.text), "{name}: asked twice: {}", q.text);
            // Every placeholder is filled; a quoted statement may hold braces of its own
            // (`/listings/{id}`).
            assert!(!unquoted(&q.text).contains('{'), "{name}: {}", q.text);
        }
        // Nothing a question supersedes is asked about the same subject.
        for q in &questions {
            for generic in &supersedes[&q.template] {
                for subject in &q.subjects {
                    assert_not_fires(&questions, generic, subject);
                }
            }
        }
        // The seven interactor topics stay once per in-scope interactor: packs add none.
        for e in &engagement.model.elements {
            if e.kind != ElementKind::ExternalInteractor || e.out_of_scope {
                continue;
            }
            let topics = questions
                .iter()
                .filter(|q| q.template.starts_with("interactor.") && q.subjects.contains(&e.id))
                // Besides the topics: administrators' extra questions, and questions about what
                // the model says of the interactor (`interactor.<category>.stated-*`).
                .filter(|q| {
                    !q.template.ends_with("break-glass")
                        && !q.template.ends_with("admin-trail")
                        && !q.template.contains(".stated-")
                })
                .count();
            assert_eq!(topics, 7, "{name}: `{}`", e.id);
        }
        // Every reachable pair is still covered.
        Engine::builtin()
            .generate(engagement.check().unwrap())
            .merge_into(&mut engagement);
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
}

// ---------------------------------------------------------------------------------------------
// What packs cost.

/// The questions and minutes the packs add to an engagement, as the model calls for them.
fn pack_share(path: &str) -> (usize, u32, usize, u32) {
    let engagement = load(path);
    let with = asked(&engagement);
    let without = asked_with(&engagement, BankSet::builtin_bank_only());
    let from_packs: Vec<&Asked> = with
        .iter()
        .filter(|q| PACKS.contains(&q.bank.as_str()))
        .collect();
    let minutes = |qs: &[Asked]| qs.iter().map(|q| q.minutes).sum::<u32>();
    (
        from_packs.len(),
        from_packs.iter().map(|q| q.minutes).sum(),
        with.len() - without.len().min(with.len()),
        minutes(&with).saturating_sub(minutes(&without)),
    )
}

#[test]
fn packs_take_modest_time_on_the_examples() {
    for (path, max_questions, max_minutes) in [
        ("examples/engagements/online-shop.json", 30, 110),
        ("examples/engagements/hr-saas.json", 40, 140),
        ("examples/engagements/llm-assistant.json", 40, 150),
    ] {
        let (questions, minutes, added, added_minutes) = pack_share(path);
        assert!(
            questions <= max_questions && minutes <= max_minutes,
            "{path}: packs ask {questions} questions, {minutes} minutes"
        );
        // Pack questions replace the generic ones they refine: the net addition is smaller.
        assert!(added < questions && added_minutes < minutes, "{path}");
    }
    // Roles that are not present still get their questions routed somewhere sensible: every
    // pack question of the shop goes to a role the shop has a participant for.
    let shop = load("examples/engagements/online-shop.json");
    let present: HashSet<&Role> = shop.participants.iter().flat_map(|p| &p.roles).collect();
    for q in asked(&shop)
        .iter()
        .filter(|q| PACKS.contains(&q.bank.as_str()))
    {
        assert!(present.contains(&q.role), "{}: {:?}", q.template, q.role);
    }
}

/// The text outside the statements it quotes (between “ and ”).
fn unquoted(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some((before, after)) = rest.split_once('“') {
        out.push_str(before);
        rest = after.split_once('”').map_or("", |(_, tail)| tail);
    }
    out.push_str(rest);
    out
}

#[test]
fn a_service_said_to_only_validate_tokens_is_not_asked_how_it_completes_a_sign_in() {
    let template = "oauth-oidc.process.spoofing.relying-party";
    let mut engagement = load("examples/engagements/claims.json");
    // The web portal completes the policyholders' sign-in; the claims API only accepts tokens.
    assert_fires(&asked(&engagement), template, "web-portal");
    assert_not_fires(&asked(&engagement), template, "claims-api");
    let portal = engagement
        .model
        .elements
        .iter_mut()
        .find(|e| e.id == "web-portal")
        .unwrap();
    portal.description = Some("A resource server: it only validates bearer tokens.".to_owned());
    assert_not_fires(&asked(&engagement), template, "web-portal");
}

#[test]
fn the_stored_card_data_question_does_not_call_every_data_item_card_data() {
    // Round 16 of blind review: "carry card data (bank details, ERP credentials, ...)" called
    // every item the flows carry card data.
    let mut seen = 0;
    for (name, engagement) in every_model() {
        for q in asked(&all_packs_enabled(&engagement)) {
            if q.template == "payment-cards.store.information_disclosure.stored-card-data" {
                assert!(
                    q.text.contains(" carry card data among "),
                    "{name}: {}",
                    q.text
                );
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "no model asks it");
}

#[test]
fn round_37_and_38_pack_questions_the_model_answers_or_that_do_not_fit() {
    // A namespace whose boundary says it has no network policies answers whether any pod may
    // connect (both reviewers, twice).
    let mut k8s = fixture("k8s-services");
    let policy = "kubernetes.flow.tampering.network-policy";
    assert!(!common::answered_from_model(&k8s, policy, "f-web-api"));
    common::boundary_of_mut(&mut k8s, "api").description =
        Some("The namespace of the API; no network policies between namespaces yet.".to_owned());
    assert!(common::answered_from_model(&k8s, policy, "f-web-api"));

    // The team's own service that calls a hosted model (it has a language) is not the hosted
    // model service whose retention is asked about (round 38: both reviewers).
    let mut llm = fixture("llm-support-bot");
    let retention = "llm-agents.flow.information_disclosure.provider-retention";
    common::flow_mut(&mut llm, "f-report").target = "summariser".to_owned();
    common::set_property(
        &mut llm,
        "summariser",
        "technology",
        PropertyValue::String("bedrock".to_owned()),
    );
    assert_not_fires(&asked(&llm), retention, "f-report");
    common::element_mut(&mut llm, "summariser")
        .properties
        .remove("language");
    assert_fires(&asked(&llm), retention, "f-report");

    // Emergency access to health data is asked where care is given, not of a recruitment
    // system whose diversity answers are marked as health data (round 38: both reviewers).
    let mut clinic = fixture("clinic-records");
    let emergency = "health-data.engagement.business.emergency-access";
    assert_engagement_level(&asked(&clinic), emergency, true);
    clinic.description = Some("Applicant tracking for employers.".to_owned());
    clinic.scope.in_scope = vec!["The applicant-tracking services".to_owned()];
    for flow in &mut clinic.model.flows {
        for data in &mut flow.data {
            data.name = "diversity answers".to_owned();
        }
    }
    let questions = asked(&clinic);
    assert_engagement_level(&questions, emergency, false);
    // The pack is still in use for the store marked as holding health data.
    assert!(
        questions
            .iter()
            .any(|q| q.template.starts_with("health-data."))
    );
}

#[test]
fn round_49_a_store_of_public_data_is_not_asked_to_log_its_reads() {
    // A search index of published articles (`contains_personal_data: false`, public and
    // internal data) was asked whether reads are logged and a bulk download noticed (both
    // reviewers: pointless for data anyone can read).
    let data_events = "cloud-iam-storage.store.repudiation.data-events";
    let mut public = fixture("cloud-functions");
    common::set_property(
        &mut public,
        "metadata-table",
        "contains_personal_data",
        PropertyValue::Bool(false),
    );
    assert_not_fires(&asked(&public), data_events, "metadata-table");
    assert_fires(&asked(&public), data_events, "uploads-bucket");
}

#[test]
fn round_77_an_agreement_the_model_states_answers_sharing_and_records_never_deleted_are_a_weakness()
{
    // "We have a BAA with them" answers whether an agreement binds the receiver; "nothing is
    // deleted today" answers how long health data is kept, with a weakness (round 77: both
    // reviewers rated both questions wrong, as asking what the model says).
    let mut clinic = fixture("clinic-records");
    let sharing = "health-data.flow.information_disclosure.third-party-sharing";
    let retention = "health-data.store.information_disclosure.retention";
    let generated = |e: &Engagement| {
        Engine::builtin()
            .generate(e.check().unwrap())
            .iter()
            .map(|q| {
                (
                    q.template().id.clone(),
                    q.subject_ids().join(" "),
                    q.model_answer(),
                )
            })
            .collect::<Vec<_>>()
    };
    let answer = |e: &Engagement, template: &str, subject: &str| {
        generated(e)
            .into_iter()
            .find(|(t, s, _)| t == template && s == subject)
            .and_then(|(_, _, a)| a)
    };
    assert!(answer(&clinic, sharing, "f-lab-request").is_none());
    assert!(answer(&clinic, retention, "records-db").is_none());
    element_mut(&mut clinic, "lab").description =
        Some("An outside laboratory. We have a BAA with them.".into());
    element_mut(&mut clinic, "records-db").description =
        Some("Patient records. Nothing is deleted today.".into());
    let shared = answer(&clinic, sharing, "f-lab-request").unwrap();
    assert_eq!(
        shared.text,
        "The model says of Laboratory: \u{201c}We have a BAA with them\u{201d}."
    );
    assert!(!shared.weakness);
    let kept = answer(&clinic, retention, "records-db").unwrap();
    assert!(kept.weakness);
    assert!(
        kept.text.contains("Nothing is deleted today"),
        "{}",
        kept.text
    );
}

#[test]
fn a_pack_the_engagement_rules_out_names_the_sentence() {
    // The shop calls for the payment-cards pack; an assumption that card numbers stay with the
    // provider switches it off, and the reason names that assumption rather than "nothing in
    // the model calls for it" (noted after round 76).
    let mut shop = load("examples/engagements/online-shop.json");
    let cards = |e: &Engagement| {
        uses(e)
            .into_iter()
            .find(|u| u.id == "payment-cards")
            .unwrap()
    };
    assert!(cards(&shop).active);
    shop.scope.assumptions.push(
        "Full card numbers, CVVs and PINs stay with the payment provider; we only see card \
         references."
            .to_owned(),
    );
    let off = cards(&shop);
    assert!(!off.active);
    assert_eq!(
        off.reason,
        PackReason::RuledOutByEngagement {
            statement: "Full card numbers, CVVs and PINs stay with the payment provider".to_owned()
        }
    );
    assert_eq!(
        off.reason.describe(),
        "the engagement says \u{201c}Full card numbers, CVVs and PINs stay with the payment \
         provider\u{201d}"
    );
    // A pack nothing calls for keeps its reason, whatever the engagement assumes.
    let health = uses(&shop)
        .into_iter()
        .find(|u| u.id == "health-data")
        .unwrap();
    assert_eq!(health.reason, PackReason::NotCalledFor);
}
