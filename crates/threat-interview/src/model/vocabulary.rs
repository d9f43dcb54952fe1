//! The property vocabulary: the names of element and flow properties the built-in question
//! bank and the built-in packs read, each with its type and meaning.
//!
//! Properties are free-form ([`super::Properties`]): a model may carry any name, and a user bank
//! may read any. The vocabulary is what the built-in bank understands; `docs/vocabulary.md`
//! lists it with the templates each property drives, and the engagement schema publishes it
//! (`$defs/PropertyVocabulary`). Validation warns (`property-unknown`) about a name close to a
//! known one but not in it, such as `is_human` or `internet_faced`, (`property-type`) about
//! a known name with a value of the wrong type, which a condition would silently not read, and
//! (`property-value`) about a value close to one of a known name's values but not one of them,
//! such as `hosting: "on-premises"` for `on_premises`.

use super::{PropertyValue, SubjectKind};

/// The type of a property's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum PropertyType {
    /// `true` or `false`.
    Boolean,
    /// A number.
    Number,
    /// A string.
    String,
    /// A list of strings.
    List,
}

impl PropertyType {
    /// The type's name, as in JSON Schema.
    pub fn as_str(self) -> &'static str {
        match self {
            PropertyType::Boolean => "boolean",
            PropertyType::Number => "number",
            PropertyType::String => "string",
            PropertyType::List => "array",
        }
    }

    /// Whether a value is of this type.
    pub fn admits(self, value: &PropertyValue) -> bool {
        matches!(
            (self, value),
            (PropertyType::Boolean, PropertyValue::Bool(_))
                | (PropertyType::Number, PropertyValue::Number(_))
                | (PropertyType::String, PropertyValue::String(_))
                | (PropertyType::List, PropertyValue::List(_))
        )
    }
}

/// A property of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropertyDefinition {
    /// The property's name.
    pub name: &'static str,
    /// Its value's type.
    pub kind: PropertyType,
    /// The kinds of subject it describes.
    pub applies_to: &'static [SubjectKind],
    /// What it means.
    pub meaning: &'static str,
    /// The values the built-in bank and packs read, where they read a closed set of them
    /// (`hosting`, `auth_methods`); empty where the set is open (`technology`). Other values
    /// are allowed: they mean something to people and to user banks; validation suggests one
    /// of these only for a value that differs from it in case, separators or, in a longer
    /// word, one character ([`close_value`]).
    pub values: &'static [&'static str],
}

use SubjectKind::{DataFlow as F, DataStore as S, ExternalInteractor as I, Process as P};

const fn def(
    name: &'static str,
    kind: PropertyType,
    applies_to: &'static [SubjectKind],
    meaning: &'static str,
) -> PropertyDefinition {
    PropertyDefinition {
        name,
        kind,
        applies_to,
        meaning,
        values: &[],
    }
}

/// A definition whose values the bank reads from a closed set.
const fn def_values(
    name: &'static str,
    kind: PropertyType,
    applies_to: &'static [SubjectKind],
    meaning: &'static str,
    values: &'static [&'static str],
) -> PropertyDefinition {
    PropertyDefinition {
        values,
        ..def(name, kind, applies_to, meaning)
    }
}

/// The vocabulary, by name.
pub const VOCABULARY: &[PropertyDefinition] = &[
    def(
        "admin",
        PropertyType::Boolean,
        &[I],
        "The interactor administers the system: it can change configuration, users or rights.",
    ),
    def(
        "ai_model",
        PropertyType::Boolean,
        &[I, P],
        "The process calls or hosts a language model: it puts text into prompts and acts on, or returns, what the model generates; an interactor with it is a language model service the system calls (a hosted model provider's API).",
    ),
    def(
        "audit_log",
        PropertyType::Boolean,
        &[S],
        "The store is the system's audit log: security events are written to it.",
    ),
    def_values(
        "auth_methods",
        PropertyType::List,
        &[I, P],
        "How the interactor authenticates, or what a process accepts: `password`, `mfa`, `oidc`, `saml`, `corporate_sso`, `api_key`, `mtls`, `hmac_signature`, `magic_link` (a link that grants access), `otp` (a one-time code sent by message), `pin` (a short numeric code, as on a shared till or tablet).",
        &[
            "password",
            "mfa",
            "oidc",
            "saml",
            "corporate_sso",
            "api_key",
            "mtls",
            "hmac_signature",
            "magic_link",
            "otp",
            "pin",
            "basic",
            "bearer_token",
            "google_oidc",
            "integrated_windows",
            "jwt",
            "kerberos",
            "negotiate",
            "ntlm",
            "oauth",
            "oauth2",
            "passkey",
            "spnego",
            "ssh_key",
            "sso",
            "totp",
            "webauthn",
            "windows_integrated",
        ],
    ),
    def(
        "backups",
        PropertyType::Boolean,
        &[S],
        "The store is backed up.",
    ),
    def(
        "carries_credentials",
        PropertyType::Boolean,
        &[F],
        "The flow carries passwords, tokens, keys or session cookies.",
    ),
    def(
        "deploys",
        PropertyType::Boolean,
        &[P],
        "The process builds and deploys the others: a CI/CD pipeline or deployment tool. Its flows to them are deployments, not calls: it is not among their callers. A `technology` such as `github_actions`, `gitlab_ci`, `circleci`, `jenkins` or `argocd` implies it; `false` says otherwise.",
    ),
    def(
        "durable",
        PropertyType::Boolean,
        &[S],
        "A queue or cache that keeps its messages across restarts.",
    ),
    def(
        "embeddings",
        PropertyType::Boolean,
        &[S],
        "The store is a vector store of embeddings that a language model application retrieves passages from.",
    ),
    def(
        "encrypted_at_rest",
        PropertyType::Boolean,
        &[S],
        "The store encrypts what it holds on disk.",
    ),
    def(
        "framework",
        PropertyType::String,
        &[P],
        "The application framework, such as `spring`, `django` or `express`.",
    ),
    def_values(
        "grant_types",
        PropertyType::List,
        &[P],
        "The OAuth 2.0 grants the process issues tokens through, as an authorization server: `authorization_code`, `client_credentials`, `refresh_token`, `device_code`, `implicit`, `password`.",
        &[
            "authorization_code",
            "client_credentials",
            "refresh_token",
            "device_code",
            "implicit",
            "password",
        ],
    ),
    def(
        "handles_payment",
        PropertyType::Boolean,
        &[P],
        "The process takes or moves money: card payments, payouts, refunds.",
    ),
    def(
        "handles_personal_data",
        PropertyType::Boolean,
        &[P],
        "The process reads or changes personal data.",
    ),
    def(
        "contains_personal_data",
        PropertyType::Boolean,
        &[S],
        "The store holds personal data.",
    ),
    def(
        "health_data",
        PropertyType::Boolean,
        &[P, S],
        "It handles data concerning health (GDPR Article 9 special category, HIPAA protected health information), whether or not the flows' data names say so.",
    ),
    def(
        "has_admin_interface",
        PropertyType::Boolean,
        &[P],
        "The process offers an administration interface.",
    ),
    def(
        "holds_secrets",
        PropertyType::Boolean,
        &[P, S],
        "It holds keys, certificates or other secrets: a vault or key store, or a process with API keys or signing keys of its own.",
    ),
    def_values(
        "hosting",
        PropertyType::String,
        &[P, S],
        "Where it runs: `aws`, `azure`, `gcp`, `aws_lambda`, `kubernetes`, `eks`, `aks`, `gke`, `on_premises`, `saas`, `browser`, `mobile`, `desktop` (the last three: a client on the user's device, not a server).",
        &[
            "aws",
            "azure",
            "gcp",
            "aws_lambda",
            "kubernetes",
            "eks",
            "aks",
            "gke",
            "on_premises",
            "saas",
            "browser",
            "mobile",
            "desktop",
            "app_service",
            "azure_functions",
            "azure_vm",
            "cloud_functions",
            "cloud_run",
            "compute_engine",
            "ec2",
            "ecs",
            "fargate",
            "k3s",
            "lambda",
            "openshift",
        ],
    ),
    def(
        "human",
        PropertyType::Boolean,
        &[I],
        "The interactor is a person (`false`: another system, a device, a scheduled job).",
    ),
    def(
        "internet_facing",
        PropertyType::Boolean,
        &[P],
        "The process accepts connections from the internet.",
    ),
    def(
        "issues_tokens",
        PropertyType::Boolean,
        &[P],
        "The process is an identity provider: it signs the tokens or sessions the others trust.",
    ),
    def_values(
        "language",
        PropertyType::String,
        &[P],
        "The programming language, such as `java`, `python`, `rust`.",
        &[
            "java", "python", "rust", "c#", "csharp", "dotnet", "groovy", "kotlin", "php", "ruby",
            "scala",
        ],
    ),
    def(
        "logs_security_events",
        PropertyType::Boolean,
        &[P],
        "The process records security events (sign-ins, denials, administrative changes).",
    ),
    def(
        "message_signing",
        PropertyType::Boolean,
        &[F],
        "Each message of the flow is signed by its sender (an HMAC, a JWS), beyond the channel.",
    ),
    def(
        "mfa_available",
        PropertyType::Boolean,
        &[I, P],
        "A second factor is offered (to the interactor, or by the process).",
    ),
    def(
        "persistent",
        PropertyType::Boolean,
        &[S],
        "The store keeps its data across restarts (`false`: an in-memory cache).",
    ),
    def(
        "rate_limited",
        PropertyType::Boolean,
        &[P, F],
        "Requests are rate limited.",
    ),
    def(
        "rebuildable",
        PropertyType::Boolean,
        &[S],
        "The store is rebuilt from other data when it is lost (a search index, a cache of a database), rather than restored from backups.",
    ),
    def(
        "replicas",
        PropertyType::Number,
        &[P, S],
        "How many instances run.",
    ),
    def(
        "retention_days",
        PropertyType::Number,
        &[S],
        "How long records are kept, in days.",
    ),
    def(
        "stores_credentials",
        PropertyType::Boolean,
        &[P, S],
        "The store holds, or the process checks and keeps, passwords, password hashes, API keys or tokens of users.",
    ),
    def(
        "technology",
        PropertyType::String,
        &[P, S],
        "The product or runtime, such as `postgresql`, `redis`, `rabbitmq`, `nginx`, `lambda`, `s3`, `kubernetes`, `openai`, `pgvector`.",
    ),
    def(
        "tool_calls",
        PropertyType::Boolean,
        &[P],
        "The process acts on the tool or function calls a language model returns: it is an agent that calls APIs, runs queries or takes actions a model chose.",
    ),
    def(
        "untrusted_prompt_input",
        PropertyType::Boolean,
        &[F],
        "The flow carries text that neither the system nor the person using it wrote (documents, web pages, e-mails, tickets, tool results) into a language model's prompt: a way in for indirect prompt injection.",
    ),
];

/// The definition of a property of the vocabulary.
pub fn property(name: &str) -> Option<&'static PropertyDefinition> {
    VOCABULARY.iter().find(|d| d.name == name)
}

/// The property of the vocabulary a name not in it probably means (`is_human`, `humans`,
/// `internet-facing`), if one is close.
pub fn close_to(name: &str) -> Option<&'static str> {
    if property(name).is_some() {
        return None;
    }
    let normalized = name
        .trim_start_matches("is_")
        .trim_start_matches("has_")
        .replace('-', "_")
        .to_lowercase();
    if let Some(d) = VOCABULARY
        .iter()
        .find(|d| d.name == normalized || d.name.trim_start_matches("has_") == normalized)
    {
        return Some(d.name);
    }
    crate::diagnostic::suggest(name, VOCABULARY.iter().map(|d| d.name))
        .and_then(|s| VOCABULARY.iter().find(|d| d.name == s).map(|d| d.name))
}

/// The value of a property of the vocabulary a value not among its values probably means
/// (`on-premises` for `on_premises`, `MFA` for `mfa`), if one is close.
pub fn close_value(definition: &PropertyDefinition, value: &str) -> Option<&'static str> {
    if definition.values.is_empty() || definition.values.contains(&value) {
        return None;
    }
    // Values are short and many are abbreviations: a slip of one character is suggested
    // only in a word of five or more (`on_premise`), while a short one must differ in case
    // or separators alone (`MFA`, `on-premises`), so that `c`, `k8s` or `sms`, which mean
    // something else, are not "corrected" to `c#`, `k3s` or `sso`.
    let folded = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    let given = folded(value);
    let long = given.chars().count() >= 5;
    definition
        .values
        .iter()
        .map(|known| (strsim::damerau_levenshtein(&given, &folded(known)), *known))
        .filter(|&(distance, _)| distance == 0 || (long && distance == 1))
        .min()
        .map(|(_, known)| known)
}

/// The vocabulary as a JSON Schema object (every property optional, others allowed), for the
/// engagement schema's `$defs`.
pub fn schema() -> serde_json::Value {
    let mut properties = serde_json::Map::new();
    for d in VOCABULARY {
        let mut schema = serde_json::json!({
            "type": d.kind.as_str(),
            "description": format!(
                "{} ({})",
                d.meaning,
                d.applies_to.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            ),
        });
        if d.kind == PropertyType::List {
            schema["items"] = serde_json::json!({"type": "string"});
        }
        properties.insert(d.name.to_owned(), schema);
    }
    serde_json::json!({
        "description": "The properties the built-in question bank and its packs read (docs/vocabulary.md). Properties are free-form; these names have these types and meanings.",
        "type": "object",
        "properties": properties,
        "additionalProperties": true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_sorted_loosely_and_unique() {
        let mut names: Vec<&str> = VOCABULARY.iter().map(|d| d.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), VOCABULARY.len());
    }

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(close_to("is_human"), Some("human"));
        assert_eq!(close_to("internet-facing"), Some("internet_facing"));
        assert_eq!(close_to("internet_faced"), Some("internet_facing"));
        assert_eq!(close_to("admin_interface"), Some("has_admin_interface"));
        assert_eq!(close_to("human"), None);
        assert_eq!(close_to("cost_centre"), None);
    }

    #[test]
    fn close_values_are_suggested_and_known_or_far_ones_are_not() {
        let hosting = property("hosting").unwrap();
        assert_eq!(close_value(hosting, "on-premises"), Some("on_premises"));
        assert_eq!(close_value(hosting, "Kubernetes"), Some("kubernetes"));
        assert_eq!(close_value(hosting, "kubernetes"), None);
        assert_eq!(close_value(hosting, "embedded"), None);
        let methods = property("auth_methods").unwrap();
        assert_eq!(close_value(methods, "MFA"), Some("mfa"));
        assert_eq!(close_value(methods, "client_certificate"), None);
        assert_eq!(close_value(methods, "webauthm"), Some("webauthn"));
        // Short values that mean something else are left alone.
        assert_eq!(close_value(methods, "sms"), None);
        assert_eq!(close_value(hosting, "k8s"), None);
        assert_eq!(close_value(property("language").unwrap(), "c"), None);
        // A property read whatever its value suggests nothing.
        assert_eq!(
            close_value(property("technology").unwrap(), "postgress"),
            None
        );
    }
}
