//! Filling a template's placeholders for one subject: names, never ids.

use std::fmt::Write as _;

use crate::bank::{Joiner, Placeholder, Segment, reads_plural};
use crate::graph::{ComponentGraph, ElementIx, FlowIx};
use crate::model::{Classification, ElementKind, PropertyValue};

use super::eval::Target;

/// The most names a list placeholder spells out before `and N others`.
const MAX_NAMES: usize = 5;

/// A list placeholder's names for one subject, computed on first use; the buffer is reused
/// for the next subject.
#[derive(Debug, Default)]
struct Slot {
    names: Vec<String>,
    ready: bool,
}

impl Slot {
    fn get_or_fill(&mut self, fill: impl FnOnce(&mut Vec<String>)) -> &[String] {
        if !self.ready {
            self.names.clear();
            fill(&mut self.names);
            self.ready = true;
        }
        &self.names
    }
}

/// The values of a subject's list placeholders, computed on first use and shared by every
/// question about the subject.
#[derive(Debug, Default)]
pub(crate) struct SubjectTexts {
    boundaries: Slot,
    data: Slot,
    restricted: Slot,
    callers: Slot,
    targets: Slot,
}

impl SubjectTexts {
    /// Forgets the values, for the next subject.
    pub(crate) fn clear(&mut self) {
        for slot in [
            &mut self.boundaries,
            &mut self.data,
            &mut self.restricted,
            &mut self.callers,
            &mut self.targets,
        ] {
            slot.ready = false;
        }
    }
}

pub(crate) struct Renderer<'g> {
    pub(crate) graph: &'g ComponentGraph,
    pub(crate) engagement_name: &'g str,
    /// The system's name in a sentence (`the online shop`), or `the system`.
    pub(crate) system: &'g str,
    /// The phrases `{statement}` looks for, lower-cased.
    pub(crate) says: &'g [String],
}

impl Renderer<'_> {
    /// Appends the text of a template for a subject (`None` for the engagement) to `out`.
    pub(crate) fn render(
        &self,
        segments: &[Segment],
        subject: Option<Target>,
        cache: &mut SubjectTexts,
        out: &mut String,
    ) {
        self.render_group(segments, subject, &[], cache, out);
    }

    /// Appends a grouped text: `{elements}` names `group`, other placeholders are the first
    /// subject's (grouping guarantees they are shared).
    pub(crate) fn render_group(
        &self,
        segments: &[Segment],
        subject: Option<Target>,
        group: &[Target],
        cache: &mut SubjectTexts,
        out: &mut String,
    ) {
        let start = out.len();
        for segment in segments {
            match segment {
                // The system's name is written for the middle of a sentence (`the online
                // shop`): it takes a capital where it opens one.
                Segment::Placeholder(Placeholder::System, _) if opens_sentence(&out[start..]) => {
                    capitalized(self.system, out);
                }
                // A flow is usually named by what it does (`use the filing app`): opening a
                // sentence, the name is said to be a flow's, in quotes.
                Segment::Placeholder(Placeholder::Element, _)
                    if matches!(subject, Some(Target::Flow(_)))
                        && opens_sentence(&out[start..]) =>
                {
                    let name = subject.map_or("", |s| self.name(s));
                    if name.starts_with(char::is_lowercase) {
                        out.push_str("The flow “");
                        out.push_str(name);
                        out.push('”');
                    } else {
                        out.push_str(name);
                    }
                }
                Segment::Literal(text) => out.push_str(text),
                Segment::Placeholder(Placeholder::Elements | Placeholder::Matching, joiner) => {
                    let names: Vec<&str> = group.iter().map(|&t| self.name(t)).collect();
                    join_names_with(&names, *joiner, out);
                }
                Segment::Placeholder(p, joiner) => self.fill(*p, *joiner, subject, cache, out),
                Segment::Agree {
                    singular,
                    plural,
                    anchor,
                } => {
                    let many = match segments.get(*anchor) {
                        Some(Segment::Placeholder(p, joiner)) => {
                            self.names_many(*p, *joiner, subject, group, cache)
                        }
                        _ => false,
                    };
                    out.push_str(if many { plural } else { singular });
                }
            }
        }
    }

    /// Whether the name a placeholder fills in reads as plural, for a verb that agrees with
    /// it: several grouped subjects, or one name whose last word is plural. A flow's own name
    /// is singular (a flow is "it", whatever it is called). Names joined with `or` agree with
    /// the last one (`if A or B fails`).
    fn names_many(
        &self,
        p: Placeholder,
        joiner: Joiner,
        subject: Option<Target>,
        group: &[Target],
        cache: &mut SubjectTexts,
    ) -> bool {
        match (p, subject) {
            (Placeholder::Elements, _) => match (group, joiner) {
                ([], _) => false,
                ([.., last], Joiner::Or) | ([last], Joiner::And) => {
                    matches!(last, Target::Element(_)) && reads_plural(self.name(*last))
                }
                (_, Joiner::And) => true,
            },
            (Placeholder::Element, Some(Target::Element(e))) => {
                reads_plural(&self.graph.element(e).name)
            }
            (Placeholder::Element, _) => false,
            _ => {
                let mut name = String::new();
                self.fill(p, Joiner::And, subject, cache, &mut name);
                reads_plural(&name)
            }
        }
    }

    fn name(&self, target: Target) -> &str {
        match target {
            Target::Element(e) => &self.graph.element(e).name,
            Target::Flow(f) => &self.graph.flow(f).name,
        }
    }

    fn fill(
        &self,
        p: Placeholder,
        joiner: Joiner,
        subject: Option<Target>,
        cache: &mut SubjectTexts,
        out: &mut String,
    ) {
        let graph = self.graph;
        match p {
            Placeholder::Engagement => return out.push_str(self.engagement_name),
            Placeholder::System => return out.push_str(self.system),
            _ => {}
        }
        let Some(subject) = subject else {
            // Loading rejects every other placeholder on engagement-level templates.
            let _ = write!(out, "{{{}}}", p.name());
            return;
        };
        let element_name = |e: ElementIx| graph.element(e).name.as_str();
        let list = |names: &[String], out: &mut String| {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            join_names_with(&names, joiner, out);
        };
        match (p, subject) {
            (Placeholder::Element, _) => out.push_str(self.name(subject)),
            (Placeholder::Kind, Target::Element(e)) => out.push_str(graph.element(e).kind.words()),
            (Placeholder::Kind, Target::Flow(_)) => out.push_str("data flow"),
            (
                Placeholder::Source
                | Placeholder::Target
                | Placeholder::Initiator
                | Placeholder::Responder,
                Target::Flow(f),
            ) => {
                let Some((s, t)) = graph.flow_endpoints(f) else {
                    let flow = graph.flow(f);
                    out.push_str(if p == Placeholder::Target {
                        &flow.target
                    } else {
                        &flow.source
                    });
                    return;
                };
                let (opener, responder) = graph.opener_and_responder(f);
                out.push_str(element_name(match p {
                    Placeholder::Source => s,
                    Placeholder::Target => t,
                    Placeholder::Initiator => opener,
                    _ => responder,
                }));
            }
            (Placeholder::Protocol, Target::Flow(f)) => {
                out.push_str(
                    graph
                        .flow(f)
                        .protocol
                        .as_deref()
                        .unwrap_or("an unspecified protocol"),
                );
            }
            (Placeholder::Boundary, Target::Element(e)) => match graph.innermost_boundary(e) {
                Some(b) => out.push_str(&graph.boundary(b).name),
                None => out.push_str("no trust boundary"),
            },
            (Placeholder::Boundary, Target::Flow(f)) => match graph.crossed(f).first() {
                Some(&b) => out.push_str(&graph.boundary(b).name),
                None => out.push_str("no trust boundary"),
            },
            (Placeholder::Zone, Target::Flow(f)) => {
                let odd = graph.oddities();
                let zone = odd
                    .bypass(f)
                    .map(|(z, _)| z)
                    .or_else(|| odd.outside_access(f))
                    .or_else(|| graph.crossed(f).first().copied());
                match zone {
                    Some(b) => out.push_str(&graph.boundary(b).name),
                    None => out.push_str("the protected zone"),
                }
            }
            (Placeholder::Zone, Target::Element(e)) => match graph.innermost_boundary(e) {
                Some(b) => out.push_str(&graph.boundary(b).name),
                None => out.push_str("the protected zone"),
            },
            (Placeholder::Gateway, Target::Flow(f)) => match graph.oddities().bypass(f) {
                Some((_, gateway)) => out.push_str(element_name(gateway)),
                None => out.push_str("the usual entry point"),
            },
            (Placeholder::Statement, _) => {
                let description = match subject {
                    Target::Element(e) => graph.element(e).description.as_deref(),
                    Target::Flow(f) => graph.flow(f).description.as_deref(),
                };
                // Loading requires a `says` test, so the subject's description holds the
                // sentence; the whole description stands in otherwise.
                let description = description.unwrap_or_default();
                out.push_str(
                    crate::bank::says::first_sentence(description, self.says)
                        .unwrap_or(description.trim()),
                );
            }
            (Placeholder::IdentityProvider, Target::Element(e)) => {
                match graph
                    .oddities()
                    .skipped_identity_provider(e)
                    .or_else(|| graph.identity_providers().first().copied())
                {
                    Some(idp) => out.push_str(element_name(idp)),
                    None => out.push_str("the identity provider"),
                }
            }
            (Placeholder::AuditLog, Target::Element(e)) => {
                match graph
                    .oddities()
                    .unaudited(e)
                    .or_else(|| graph.audit_logs().first().copied())
                {
                    Some(log) => out.push_str(element_name(log)),
                    None => out.push_str("the audit log"),
                }
            }
            (Placeholder::AuthMethods, Target::Element(e)) => {
                let methods: Vec<String> = match graph.element(e).properties.get("auth_methods") {
                    Some(PropertyValue::List(values)) => {
                        let mut words: Vec<String> = Vec::new();
                        for value in values {
                            let word = auth_method_words(value);
                            if !words.contains(&word) {
                                words.push(word);
                            }
                        }
                        words
                    }
                    Some(PropertyValue::String(value)) => vec![auth_method_words(value)],
                    _ => Vec::new(),
                };
                if methods.is_empty() {
                    out.push_str("the ways the model lists");
                } else {
                    list(&methods, out);
                }
            }
            (Placeholder::Boundaries, _) => {
                let names = cache.boundaries.get_or_fill(|names| {
                    let boundaries = match subject {
                        Target::Element(e) => graph.boundary_path(e),
                        Target::Flow(f) => graph.crossed(f),
                    };
                    names.extend(boundaries.iter().map(|&b| graph.boundary(b).name.clone()));
                });
                if names.is_empty() {
                    out.push_str("no trust boundary");
                } else {
                    list(names, out);
                }
            }
            (Placeholder::Writers, Target::Element(e)) => {
                let mut names: Vec<String> = Vec::new();
                let mut add = |other: ElementIx| {
                    let name = &graph.element(other).name;
                    if other != e && !names.contains(name) {
                        names.push(name.clone());
                    }
                };
                for &f in graph.incoming(e) {
                    if !graph.flow(f).out_of_scope
                        && let Some((s, _)) = graph.flow_endpoints(f)
                    {
                        add(s);
                    }
                }
                for &f in graph.outgoing(e) {
                    if graph.flow(f).bidirectional
                        && !graph.flow(f).out_of_scope
                        && let Some((_, t)) = graph.flow_endpoints(f)
                    {
                        add(t);
                    }
                }
                if names.is_empty() {
                    out.push_str("the components the model shows writing to it");
                } else {
                    list(&names, out);
                }
            }
            (Placeholder::DataIn, Target::Element(e)) => {
                let mut names: Vec<String> = Vec::new();
                let received = graph.incoming(e).iter().chain(
                    graph
                        .outgoing(e)
                        .iter()
                        .filter(|&&f| graph.flow(f).bidirectional),
                );
                for &f in received.filter(|&&f| !graph.flow(f).out_of_scope) {
                    // The keys and passwords a connection carries are how it is made, not data
                    // handed over (rounds 31 and 43: "sends the bank our SFTP private key").
                    for item in graph
                        .flow(f)
                        .data
                        .iter()
                        .filter(|i| !names_a_credential(&i.name))
                    {
                        if !names.contains(&item.name) {
                            names.push(item.name.clone());
                        }
                    }
                }
                if names.is_empty() {
                    out.push_str("what the model shows it receives");
                } else {
                    list(&names, out);
                }
            }
            (Placeholder::Data | Placeholder::Restricted | Placeholder::Records, _) => {
                let restricted = p == Placeholder::Restricted;
                let slot = if restricted {
                    &mut cache.restricted
                } else {
                    &mut cache.data
                };
                let names = slot.get_or_fill(|names| {
                    let mut add = |f: FlowIx| {
                        for item in &graph.flow(f).data {
                            if (!restricted || item.classification == Classification::Restricted)
                                && !names.contains(&item.name)
                            {
                                names.push(item.name.clone());
                            }
                        }
                    };
                    match subject {
                        Target::Flow(f) => add(f),
                        Target::Element(e) => exchanged_flows(graph, e, add),
                    }
                });
                // `{records}`: what is handed over, not the keys and passwords the
                // connections are made with (rounds 79 to 82: "can see or change session
                // cookie, invoice content ... password" read as records they reach).
                let records: Vec<String> = if p == Placeholder::Records {
                    names
                        .iter()
                        .filter(|name| !names_connection_material(name))
                        .cloned()
                        .collect()
                } else {
                    Vec::new()
                };
                if names.is_empty() {
                    out.push_str(if restricted {
                        "restricted data"
                    } else {
                        "unspecified data"
                    });
                } else if !records.is_empty() {
                    list(&records, out);
                } else {
                    list(names, out);
                }
            }
            (Placeholder::Callers | Placeholder::Targets, Target::Element(e)) => {
                let callers = p == Placeholder::Callers;
                let slot = if callers {
                    &mut cache.callers
                } else {
                    &mut cache.targets
                };
                let names = slot.get_or_fill(|names| peers(graph, e, callers, names));
                if names.is_empty() {
                    out.push_str(if callers {
                        "its callers"
                    } else {
                        "the elements it calls"
                    });
                } else {
                    list(names, out);
                }
            }
            // Loading rejects placeholders on kinds they mean nothing for; a bank built in code
            // that skipped the checks gets the placeholder back as written.
            (p, _) => {
                let _ = write!(out, "{{{}}}", p.name());
            }
        }
    }
}

/// The flows over which an element exchanges data with the system, in the graph's order.
/// An element's data is what it exchanges over the flows under review: one drawn for
/// context (out of scope, such as a customer's card details going straight to a payment
/// provider) is not exchanged with the system. An outside party's flows with another outside
/// party (a customer typing card details into a payment provider's page) are not exchanged
/// with the system either, unless they are all it has (a provider only people's devices
/// reach).
pub(crate) fn exchanged_flows(graph: &ComponentGraph, e: ElementIx, mut each: impl FnMut(FlowIx)) {
    let flows = || {
        graph
            .outgoing(e)
            .iter()
            .chain(graph.incoming(e))
            .copied()
            .filter(|&f| !graph.flow(f).out_of_scope)
    };
    let outside = |f: FlowIx| {
        graph.element(e).kind == ElementKind::ExternalInteractor
            && graph.flow_endpoints(f).is_some_and(|(s, t)| {
                let other = if s == e { t } else { s };
                graph.element(other).kind == ElementKind::ExternalInteractor
            })
    };
    let with_system = flows().any(|f| !outside(f));
    for f in flows() {
        if !(with_system && outside(f)) {
            each(f);
        }
    }
}

/// The names of the elements that open connections to an element (`callers`), or that it
/// opens connections to, in model order, each once: who initiates decides, not where the
/// data goes, so a bidirectional flow's responder is never its caller.
fn peers(graph: &ComponentGraph, e: ElementIx, callers: bool, names: &mut Vec<String>) {
    let flows = if callers {
        graph.called_by(e)
    } else {
        graph.calls(e)
    };
    for &f in flows {
        let (opener, responder) = graph.opener_and_responder(f);
        let other = if callers { opener } else { responder };
        let name = &graph.element(other).name;
        if other != e && !names.contains(name) {
            names.push(name.clone());
        }
    }
}

/// Appends `A`, `A and B`, `A, B and C` (or `A, B or C`); past [`MAX_NAMES`],
/// `A, B, C, D, E and 3 others` (`and 1 other`).
pub(crate) fn join_names_with(names: &[&str], joiner: Joiner, out: &mut String) {
    let last = match joiner {
        Joiner::And => " and ",
        Joiner::Or => " or ",
    };
    let shown = names.len().min(MAX_NAMES);
    for (i, name) in names[..shown].iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == shown && names.len() <= MAX_NAMES {
                last
            } else {
                ", "
            });
        }
        out.push_str(name);
    }
    match names.len().saturating_sub(MAX_NAMES) {
        0 => {}
        1 => {
            let _ = write!(out, "{last}1 other");
        }
        more => {
            let _ = write!(out, "{last}{more} others");
        }
    }
}
/// Whether text written so far leaves the next word at the start of a sentence.
/// A sentence ending inside a quote (`… network.” `) ends there too.
fn opens_sentence(before: &str) -> bool {
    let trimmed = before.trim_end();
    if trimmed.is_empty() {
        return true;
    }
    let unquoted = trimmed.trim_end_matches(['”', '"', '’']);
    unquoted.ends_with(['.', '?', '!'])
}

/// Appends a phrase with its first letter in capitals.
fn capitalized(phrase: &str, out: &mut String) {
    let mut chars = phrase.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// Whether a data item's name names a credential the connection is made with (a key, a
/// password, a secret), not data handed over.
fn names_a_credential(name: &str) -> bool {
    names_a_credential_lower(&name.to_ascii_lowercase())
}

/// [`names_a_credential`] of a name already in lower case.
fn names_a_credential_lower(lower: &str) -> bool {
    [
        "api key",
        "private key",
        "ssh key",
        "access key",
        "signing key",
        "password",
        "secret",
        "credential",
        "client certificate",
    ]
    .iter()
    .any(|word| lower.contains(word))
}

/// Whether a data item's name names what a sign-in exchanges: a credential
/// ([`names_a_credential`]), a second factor, a one-time code, a token or a session.
pub(crate) fn names_sign_in_material(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    names_connection_material_lower(&lower) || lower.contains("token")
}

/// Whether a data item's name names how a connection or a sign-in is made rather than what
/// it hands over, for `{records}`: a credential ([`names_a_credential`]), a second factor or
/// code or PIN, a session or cookie, an assertion, or a token that signs someone in (a card
/// token is data handed over).
fn names_connection_material(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // A PIN is a word of its own ("chair PIN"), not a piece of "shipping"; it is what a
    // person signs in with, but a PIN pad's flow is still a sign-in's, so only `{records}`
    // leaves it out.
    names_connection_material_lower(&lower)
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word == "pin")
}

/// [`names_connection_material`] of a name already in lower case.
fn names_connection_material_lower(lower: &str) -> bool {
    names_a_credential_lower(lower)
        || [
            "second factor",
            "mfa",
            "one-time code",
            "otp",
            "passcode",
            "sign-in code",
            "session",
            "cookie",
            "assertion",
            "access token",
            "refresh token",
            "id token",
            "id_token",
            "bearer token",
            "auth token",
            "jwt",
        ]
        .iter()
        .any(|word| lower.contains(word))
}

/// An `auth_methods` value in words, for `{auth_methods}`: the vocabulary's values as a
/// sentence names them, any other value with its underscores as spaces.
fn auth_method_words(value: &str) -> String {
    match value {
        "password" => "a password",
        "mfa" => "a second factor",
        "totp" => "an authenticator app's code",
        "webauthn" | "passkey" => "a security key or passkey",
        "oidc" | "oauth2" => "an account at another identity provider",
        "google_oidc" => "a Google account",
        "saml" => "SAML single sign-on",
        "corporate_sso" => "their organisation's single sign-on",
        "sso" => "single sign-on",
        "api_key" => "an API key",
        "mtls" => "a client certificate",
        "hmac_signature" => "signed requests",
        "magic_link" => "a link sent to them",
        "otp" => "a one-time code sent to them",
        "pin" => "a PIN",
        other => return other.replace('_', " "),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::{Joiner, join_names_with, opens_sentence};

    #[test]
    fn a_sentence_ends_inside_a_closing_quote() {
        assert!(opens_sentence(""));
        assert!(opens_sentence("It runs. "));
        assert!(opens_sentence(
            "The model says of X: “It trusts every caller.” "
        ));
        assert!(!opens_sentence("The model calls it “the hub” "));
        assert!(!opens_sentence("Ask "));
    }

    fn joined(names: &[&str]) -> String {
        let mut out = String::new();
        join_names_with(names, Joiner::And, &mut out);
        out
    }

    #[test]
    fn names_are_joined_in_english() {
        assert_eq!(joined(&["A"]), "A");
        assert_eq!(joined(&["A", "B"]), "A and B");
        assert_eq!(joined(&["A", "B", "C"]), "A, B and C");
        assert_eq!(joined(&["A", "B", "C", "D", "E"]), "A, B, C, D and E");
        assert_eq!(
            joined(&["A", "B", "C", "D", "E", "F", "G"]),
            "A, B, C, D, E and 2 others"
        );
        assert_eq!(
            joined(&["A", "B", "C", "D", "E", "F"]),
            "A, B, C, D, E and 1 other"
        );
        let mut out = String::new();
        join_names_with(&["A", "B", "C"], Joiner::Or, &mut out);
        assert_eq!(out, "A, B or C");
    }
}
