//! Open Threat Model (OTM) 0.1 and 0.2, JSON or YAML: import, and export to OTM 0.2 JSON.
//!
//! Import: trust zones become boundaries (nested by `parent.trustZone`, untrusted below a
//! trust rating of 50), components become elements (the kind from the component's `type` and
//! `tags`; a component inside another lies in the trust zone its container is in), data flows
//! become flows; tags and attributes map onto the property vocabulary; threats, mitigations,
//! assets and representations are kept under `extensions["x-otm"]`.
//!
//! Export ([`to_otm`]): every boundary is a trust zone, every element a component, every flow
//! a data flow, with our kinds, properties, questions and coverage under
//! `attributes.threat_interview`, which the import reads back: OTM → engagement → OTM keeps
//! every zone, component and flow.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::skeleton::{self, About, Ids, clean_name};
use super::{ForeignFormat, ImportError, Imported};
use crate::coverage::Coverage;
use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{
    Boundary, Classification, ComponentModel, DataItem, Element, ElementKind, Engagement,
    Extensions, Flow, FlowEnd, Properties, PropertyValue, Trust, vocabulary,
};
use crate::source::{self, Format, Limits, escape_pointer_token};

/// The key of the data kept under `extensions`.
pub(crate) const EXTENSION: &str = "x-otm";

/// The key of our data under an OTM object's `attributes`.
pub const ATTRIBUTE: &str = "threat_interview";

/// The OTM version written by [`to_otm`].
pub const OTM_VERSION: &str = "0.2.0";

/// Below this trust rating (OTM's 0 to 100) a trust zone is untrusted.
pub(crate) const UNTRUSTED_BELOW: f64 = 50.0;

/// The id of the trust zone [`to_otm`] puts the elements outside every boundary in (OTM
/// requires a parent for every component); marked `synthetic`, the import leaves it out.
const OUTSIDE: &str = "outside-every-boundary";

fn ptr(base: &str, key: &str) -> String {
    format!("{base}/{}", escape_pointer_token(key))
}

/// Words of a component type or tag: `web-application-server-side` gives `web`,
/// `application`, `server`, `side`; `AWS::EC2::VPC` gives `aws`, `ec2`, `vpc`.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

const INTERACTOR_WORDS: &[&str] = &[
    "client", "user", "users", "browser", "actor", "human", "person", "customer", "partner",
    "device", "mobile", "android", "ios", "desktop",
];
const STORE_WORDS: &[&str] = &[
    "database",
    "db",
    "rds",
    "sql",
    "postgresql",
    "postgres",
    "mysql",
    "mariadb",
    "oracle",
    "mssql",
    "mongodb",
    "mongo",
    "dynamodb",
    "cosmosdb",
    "redis",
    "memcached",
    "cache",
    "elasticache",
    "elasticsearch",
    "opensearch",
    "cassandra",
    "storage",
    "store",
    "datastore",
    "s3",
    "bucket",
    "blob",
    "queue",
    "sqs",
    "kafka",
    "rabbitmq",
    "filesystem",
    "file",
    "files",
    "efs",
    "ebs",
    "disk",
    "volume",
    "warehouse",
    "datalake",
    "table",
    "vault",
];
const PROCESS_WORDS: &[&str] = &[
    "service",
    "server",
    "application",
    "app",
    "api",
    "container",
    "docker",
    "function",
    "lambda",
    "balancer",
    "gateway",
    "proxy",
    "worker",
    "job",
    "backend",
    "frontend",
    "ecs",
    "eks",
    "aks",
    "gke",
    "kubernetes",
    "pod",
    "vm",
    "instance",
    "cdn",
    "waf",
    "firewall",
    "manager",
    "web",
    "process",
    "microservice",
    "batch",
    "scheduler",
    "broker",
    "idp",
    "identity",
    "auth",
    "code",
    "class",
];
/// Product names that become `technology`, as written in the vocabulary's examples.
const TECHNOLOGIES: &[(&str, &str)] = &[
    ("postgresql", "postgresql"),
    ("postgres", "postgresql"),
    ("mysql", "mysql"),
    ("mariadb", "mariadb"),
    ("mongodb", "mongodb"),
    ("mongo", "mongodb"),
    ("redis", "redis"),
    ("memcached", "memcached"),
    ("rabbitmq", "rabbitmq"),
    ("kafka", "kafka"),
    ("dynamodb", "dynamodb"),
    ("elasticsearch", "elasticsearch"),
    ("s3", "s3"),
    ("sqs", "sqs"),
    ("lambda", "lambda"),
    ("nginx", "nginx"),
    ("tomcat", "tomcat"),
    ("kubernetes", "kubernetes"),
];
/// Tags that name a protocol, and how the protocol is written.
const PROTOCOLS: &[(&str, &str)] = &[
    ("https", "HTTPS"),
    ("http", "HTTP"),
    ("tcp", "TCP"),
    ("udp", "UDP"),
    ("tls", "TLS"),
    ("grpc", "gRPC"),
    ("amqp", "AMQP"),
    ("mqtt", "MQTT"),
    ("ssh", "SSH"),
    ("sftp", "SFTP"),
    ("ftp", "FTP"),
    ("smtp", "SMTP"),
    ("ldap", "LDAP"),
    ("ldaps", "LDAPS"),
    ("websocket", "WebSocket"),
    ("wss", "WSS"),
    ("jdbc", "JDBC"),
];

/// The kind a component's type and tags suggest, and whether it is only the default.
fn classify(otm_type: &str, tags: &[String]) -> (ElementKind, bool) {
    let type_words = words(otm_type);
    let tag_words: Vec<String> = tags.iter().flat_map(|t| words(t)).collect();
    for source in [&type_words, &tag_words] {
        let has = |list: &[&str]| source.iter().any(|w| list.contains(&w.as_str()));
        if has(INTERACTOR_WORDS) {
            return (ElementKind::ExternalInteractor, false);
        }
        if has(STORE_WORDS) {
            return (ElementKind::DataStore, false);
        }
        if has(PROCESS_WORDS) {
            return (ElementKind::Process, false);
        }
    }
    (ElementKind::Process, true)
}

fn technology(otm_type: &str, tags: &[String]) -> Option<&'static str> {
    std::iter::once(otm_type)
        .chain(tags.iter().map(String::as_str))
        .flat_map(words)
        .find_map(|w| TECHNOLOGIES.iter().find(|(k, _)| *k == w).map(|&(_, v)| v))
}

fn classification(confidentiality: f64) -> Classification {
    if confidentiality >= 90.0 {
        Classification::Restricted
    } else if confidentiality >= 50.0 {
        Classification::Confidential
    } else if confidentiality > 0.0 {
        Classification::Internal
    } else {
        Classification::Public
    }
}

fn as_id(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// A scalar attribute as a property.
fn property_value(value: &Value) -> Option<PropertyValue> {
    match value {
        Value::Bool(b) => Some(PropertyValue::Bool(*b)),
        Value::Number(n) => Some(PropertyValue::Number(n.clone())),
        Value::String(s) => Some(PropertyValue::String(s.clone())),
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(PropertyValue::List),
        _ => None,
    }
}

/// What a component or a zone nests in.
#[derive(Debug, Clone)]
enum Parent {
    Zone(String),
    Component(String),
}

struct Reader {
    warnings: Vec<Diagnostic>,
    ids: Ids,
}

impl Reader {
    fn warn(&mut self, code: DiagnosticCode, pointer: String, message: String) {
        self.warnings
            .push(Diagnostic::warning(code, pointer, message));
    }

    fn unmapped(&mut self, pointer: String, message: String) {
        self.warn(DiagnosticCode::ImportUnmapped, pointer, message);
    }

    fn guessed(&mut self, pointer: String, message: String) {
        self.warn(DiagnosticCode::ImportGuessed, pointer, message);
    }

    fn id(&mut self, item: &Map<String, Value>, at: &str, fallback: &str) -> (String, String) {
        let raw = as_id(item.get("id")).unwrap_or_default();
        let (id, changed) = self.ids.claim(&raw, fallback);
        if changed {
            let what = if raw.is_empty() {
                "no id".to_owned()
            } else {
                format!("id `{raw}` is already used")
            };
            self.guessed(ptr(at, "id"), format!("{what}: read as `{id}`"));
        }
        (raw, id)
    }

    fn name(&mut self, item: &Map<String, Value>, at: &str, made_up: String) -> String {
        if let Some(name) = item
            .get("name")
            .and_then(Value::as_str)
            .and_then(clean_name)
        {
            return name;
        }
        self.guessed(ptr(at, "name"), format!("no name: named `{made_up}`"));
        made_up
    }

    fn parent(&mut self, item: &Map<String, Value>, at: &str) -> Option<Parent> {
        let parent = item.get("parent")?;
        if parent.is_null() {
            return None;
        }
        if let Some(zone) = as_id(parent.get("trustZone")) {
            return Some(Parent::Zone(zone));
        }
        if let Some(component) = as_id(parent.get("component")) {
            return Some(Parent::Component(component));
        }
        self.unmapped(
            ptr(at, "parent"),
            "`parent` names neither a `trustZone` nor a `component`: ignored".to_owned(),
        );
        None
    }

    /// Tags and attributes onto properties; what has no place is kept in `kept` (with a
    /// warning). Returns our own attributes (`threat_interview`), written by [`to_otm`].
    fn attributes(
        &mut self,
        item: &Map<String, Value>,
        at: &str,
        properties: &mut Properties,
        kept: &mut Extensions,
    ) -> Option<Map<String, Value>> {
        let tags = strings(item.get("tags"));
        if !tags.is_empty() {
            properties.insert("tags".to_owned(), PropertyValue::List(tags));
        }
        let attributes = item.get("attributes")?.as_object()?;
        let mut ours = None;
        let mut other = Map::new();
        for (key, value) in attributes {
            if key == ATTRIBUTE {
                ours = value.as_object().cloned();
                continue;
            }
            other.insert(key.clone(), value.clone());
            if value.is_null() {
                continue;
            }
            match property_value(value) {
                Some(p) => {
                    let known = vocabulary::property(key);
                    if known.is_some_and(|d| !d.kind.admits(&p)) {
                        self.unmapped(
                            ptr(&ptr(at, "attributes"), key),
                            format!("attribute `{key}` is not of the type the vocabulary gives it: kept under `extensions.{EXTENSION}` only"),
                        );
                    } else {
                        properties.insert(key.clone(), p);
                    }
                }
                None => self.unmapped(
                    ptr(&ptr(at, "attributes"), key),
                    format!("attribute `{key}` is not a boolean, a number, a string or a list of strings: kept under `extensions.{EXTENSION}` only"),
                ),
            }
        }
        if !other.is_empty() {
            kept.insert("attributes".into(), Value::Object(other));
        }
        ours
    }

    /// Keeps the keys of an item the model has no place for; warns about those OTM does not
    /// define either.
    fn keep_rest(
        &mut self,
        item: &Map<String, Value>,
        at: &str,
        read: &[&str],
        defined: &[&str],
        kept: &mut Extensions,
    ) {
        for (key, value) in item {
            if read.contains(&key.as_str()) || value.is_null() {
                continue;
            }
            kept.insert(key.clone(), value.clone());
            if !defined.contains(&key.as_str()) {
                self.unmapped(
                    ptr(at, key),
                    format!("`{key}` is not an OTM field: kept under `extensions.{EXTENSION}`"),
                );
            }
        }
    }
}

fn extensions(kept: Extensions) -> Option<Extensions> {
    (!kept.is_empty()).then(|| Map::from_iter([(EXTENSION.to_owned(), Value::Object(kept))]))
}

fn invalid(diagnostics: Vec<Diagnostic>) -> ImportError {
    ImportError::Invalid {
        format: ForeignFormat::Otm,
        report: Box::new(Report::from_diagnostics(diagnostics)),
    }
}

/// The scanner's complaint about a quoted scalar whose lines are indented less than YAML
/// allows (PyYAML, which wrote some published OTM files, accepts them).
const UNDER_INDENTED: &str = "invalid indentation in quoted scalar";

/// Reads a YAML file whose quoted scalars have lines indented less than YAML allows, as
/// PyYAML does: such a line is indented as far as the quote (a quoted scalar drops the
/// leading spaces of its lines, so its value is the same). Each repair is a warning at the
/// line; any other failure is returned as it is.
fn lenient_quotes(
    bytes: &[u8],
    mut failure: source::ParseFailure,
    limits: &Limits,
    repairs: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, ImportError> {
    let mut text = bytes.to_vec();
    for _ in 0..64 {
        let [d] = failure.diagnostics.as_slice() else {
            break;
        };
        let (Some(line), Some(column)) = (d.line, d.column) else {
            break;
        };
        if d.code != DiagnosticCode::Syntax || d.message != UNDER_INDENTED {
            break;
        }
        let Some((fixed, first)) = reindent_quoted(&text, line, column) else {
            break;
        };
        repairs.push(
            Diagnostic::warning(
                DiagnosticCode::ImportGuessed,
                "",
                format!("the quoted text that starts at line {line} has lines indented less than YAML allows: read as if they were indented as far as its quote"),
            )
            .at(Some(source::Position { line: first, column: 1 })),
        );
        text = fixed;
        match source::parse(&text, Format::Yaml, limits) {
            Ok(_) => return Ok(text),
            Err(next) => failure = next,
        }
    }
    Err(invalid(failure.diagnostics))
}

/// The text with the lines of the quoted scalar at `line` and `column` (1-based, in
/// characters) indented at least as far as its quote, and the first line changed; `None`
/// when there is no quoted scalar there or nothing to change.
fn reindent_quoted(text: &[u8], line: u32, column: u32) -> Option<(Vec<u8>, u32)> {
    let text = std::str::from_utf8(text).ok()?;
    let start_of_line = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)? as usize)
        .map(str::len)
        .sum::<usize>();
    let indent = column.checked_sub(1)? as usize;
    let start = start_of_line + text[start_of_line..].char_indices().nth(indent)?.0;
    let quote = text[start..]
        .chars()
        .next()
        .filter(|c| *c == '\'' || *c == '"')?;
    let mut out = String::with_capacity(text.len() + 64);
    out.push_str(&text[..=start]);
    let mut chars = text[start + 1..].char_indices().peekable();
    let mut first = None;
    let mut current = line;
    while let Some((i, c)) = chars.next() {
        out.push(c);
        if c == '\n' {
            current += 1;
            let rest = &text[start + 1 + i + 1..];
            let spaces = rest.chars().take_while(|&c| c == ' ').count();
            let blank = rest[spaces..].starts_with('\n') || rest[spaces..].starts_with("\r\n");
            if spaces < indent && !blank {
                out.extend(std::iter::repeat_n(' ', indent - spaces));
                first.get_or_insert(current);
            }
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                out.push('\'');
                chars.next();
                continue;
            }
            let end = start + 1 + i + c.len_utf8();
            out.push_str(&text[end..]);
            return first.map(|f| (out.into_bytes(), f));
        } else if c == '\\'
            && quote == '"'
            && let Some((_, n)) = chars.next()
        {
            out.push(n);
        }
    }
    None
}

/// Restores what [`to_otm`] wrote under `attributes.threat_interview`: the properties,
/// exactly (none read from the OTM fields then), and the other tools' extensions.
fn restore_ours(
    ours: Option<&Map<String, Value>>,
    properties: &mut Properties,
    extensions: &mut Option<Extensions>,
) {
    let Some(ours) = ours else { return };
    properties.clear();
    if let Some(Value::Object(props)) = ours.get("properties") {
        for (k, v) in props {
            if let Some(p) = property_value(v) {
                properties.insert(k.clone(), p);
            }
        }
    }
    if let Some(Value::Object(rest)) = ours.get("extensions") {
        let map = extensions.get_or_insert_with(Extensions::new);
        for (k, v) in rest {
            if k != EXTENSION {
                map.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Imports an OTM file, JSON or YAML.
pub(super) fn import(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let format = match head.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => Format::Json,
        _ => Format::Yaml,
    };
    let mut repairs = Vec::new();
    let repaired: Vec<u8>;
    let parsed = match source::parse(bytes, format, limits) {
        Ok(parsed) => parsed,
        Err(failure) => {
            repaired = lenient_quotes(bytes, failure, limits, &mut repairs)?;
            source::parse(&repaired, format, limits).map_err(|f| invalid(f.diagnostics))?
        }
    };
    let fail = |code, pointer: &str, message: String| {
        let mut d = vec![Diagnostic::error(code, pointer, message)];
        parsed.place(&mut d);
        invalid(d)
    };
    let Some(root) = parsed.value.as_object() else {
        return Err(fail(
            DiagnosticCode::WrongType,
            "",
            "an Open Threat Model file is an object (a JSON object or a YAML mapping)".to_owned(),
        ));
    };
    let version = match root.get("otmVersion") {
        Some(Value::String(v)) => v.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            return Err(fail(
                DiagnosticCode::WrongType,
                "/otmVersion",
                "`otmVersion` should be a version string such as `0.2.0`".to_owned(),
            ));
        }
        None if root.contains_key("detail") || root.contains_key("summary") => {
            return Err(fail(
                DiagnosticCode::InvalidStructure,
                "",
                "this is a Threat Dragon model, not an Open Threat Model file: import it as `threat-dragon`".to_owned(),
            ));
        }
        None => {
            return Err(fail(
                DiagnosticCode::MissingField,
                "",
                "not an Open Threat Model file: `otmVersion` is missing".to_owned(),
            ));
        }
    };
    let list = |key: &str| -> Result<&[Value], ImportError> {
        match root.get(key) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(items)) => Ok(items.as_slice()),
            Some(_) => Err(fail(
                DiagnosticCode::WrongType,
                &format!("/{key}"),
                format!("`{key}` should be a list"),
            )),
        }
    };
    let zones = list("trustZones")?;
    let components = list("components")?;
    let dataflows = list("dataflows")?;
    let assets = list("assets")?;

    let mut r = Reader {
        warnings: repairs,
        ids: Ids::default(),
    };
    if !(version.starts_with("0.1") || version.starts_with("0.2")) {
        r.guessed(
            "/otmVersion".to_owned(),
            format!(
                "OTM version `{version}` is not one this importer knows (0.1 and 0.2): read as 0.2"
            ),
        );
    }

    // Assets, by id: what flows carry.
    let mut asset_of: HashMap<String, DataItem> = HashMap::new();
    for asset in assets.iter().filter_map(Value::as_object) {
        let Some(id) = as_id(asset.get("id")) else {
            continue;
        };
        let name = text(asset.get("name")).unwrap_or_else(|| id.clone());
        let confidentiality = asset
            .get("risk")
            .and_then(|r| r.get("confidentiality"))
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        asset_of.insert(id, DataItem::new(name, classification(confidentiality)));
    }

    let mut model = ComponentModel::default();

    // Trust zones.
    let mut zone_of: HashMap<String, usize> = HashMap::new();
    let mut synthetic: HashSet<String> = HashSet::new();
    let mut zone_parents: Vec<(usize, String, Parent)> = Vec::new();
    let mut zone_pointers: Vec<String> = Vec::new();
    for (i, zone) in zones.iter().enumerate() {
        let at = format!("/trustZones/{i}");
        let Some(zone) = zone.as_object() else {
            r.unmapped(at, "the trust zone is not an object: left out".to_owned());
            continue;
        };
        let ours = zone
            .get("attributes")
            .and_then(|a| a.get(ATTRIBUTE))
            .and_then(Value::as_object);
        if ours
            .and_then(|o| o.get("synthetic"))
            .and_then(Value::as_bool)
            == Some(true)
        {
            if let Some(id) = as_id(zone.get("id")) {
                synthetic.insert(id);
            }
            continue;
        }
        let name = r.name(zone, &at, format!("Unnamed trust zone {}", i + 1));
        let (raw, id) = r.id(zone, &at, &skeleton::slug(&name));
        let mut boundary = Boundary::new(id, name.clone());
        boundary.description = text(zone.get("description"));
        let mut kept = Extensions::new();
        let ours = r.attributes(zone, &at, &mut boundary.properties, &mut kept);
        if let Some(t) = text(zone.get("type")) {
            boundary
                .properties
                .insert("otm_type".to_owned(), PropertyValue::String(t));
        }
        let rating = zone.get("risk").and_then(|r| r.get("trustRating"));
        match rating.and_then(Value::as_f64) {
            Some(v) => {
                if let Some(Value::Number(n)) = rating {
                    boundary
                        .properties
                        .insert("trust_rating".to_owned(), PropertyValue::Number(n.clone()));
                }
                if v < UNTRUSTED_BELOW {
                    boundary.trust = Trust::Untrusted;
                }
            }
            None => r.guessed(
                ptr(&at, "risk"),
                format!("trust zone `{name}` has no `risk.trustRating`: read as trusted"),
            ),
        }
        if let Some(trust) = ours
            .as_ref()
            .and_then(|o| o.get("trust"))
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<Trust>().ok())
        {
            boundary.trust = trust;
        }
        if let Some(parent) = r.parent(zone, &at) {
            zone_parents.push((model.boundaries.len(), at.clone(), parent));
        }
        r.keep_rest(
            zone,
            &at,
            &[
                "id",
                "name",
                "description",
                "type",
                "risk",
                "parent",
                "attributes",
                "tags",
            ],
            &["representations"],
            &mut kept,
        );
        if let Some(Value::Object(risk)) = zone.get("risk") {
            let rest: Map<String, Value> = risk
                .iter()
                .filter(|(k, _)| k.as_str() != "trustRating")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !rest.is_empty() {
                kept.insert("risk".into(), Value::Object(rest));
            }
        }
        if ours
            .as_ref()
            .and_then(|o| o.get("line"))
            .and_then(Value::as_bool)
            == Some(true)
        {
            kept.insert("line".into(), Value::Bool(true));
        }
        boundary.extensions = extensions(kept);
        restore_ours(
            ours.as_ref(),
            &mut boundary.properties,
            &mut boundary.extensions,
        );
        if !raw.is_empty() {
            zone_of.entry(raw).or_insert(model.boundaries.len());
        }
        zone_pointers.push(at);
        model.boundaries.push(boundary);
    }

    // Components.
    let mut component_of: HashMap<String, usize> = HashMap::new();
    let mut component_parents: Vec<Option<(String, Parent)>> = Vec::new();
    let mut unknown_types: Vec<(String, String, usize)> = Vec::new();
    let mut threats_kept = 0usize;
    for (i, component) in components.iter().enumerate() {
        let at = format!("/components/{i}");
        let Some(component) = component.as_object() else {
            r.unmapped(at, "the component is not an object: left out".to_owned());
            continue;
        };
        let name = r.name(component, &at, format!("Unnamed component {}", i + 1));
        let (raw, id) = r.id(component, &at, &skeleton::slug(&name));
        let otm_type = text(component.get("type")).unwrap_or_default();
        let tags = strings(component.get("tags"));
        let mut kept = Extensions::new();
        let mut properties = Properties::new();
        let ours = r.attributes(component, &at, &mut properties, &mut kept);
        let ours_kind = ours
            .as_ref()
            .and_then(|o| o.get("kind"))
            .and_then(Value::as_str)
            .and_then(|k| k.parse::<ElementKind>().ok());
        let kind = ours_kind.unwrap_or_else(|| {
            let (kind, default) = classify(&otm_type, &tags);
            if default {
                match unknown_types.iter_mut().find(|(t, _, _)| *t == otm_type) {
                    Some((_, _, n)) => *n += 1,
                    None => unknown_types.push((otm_type.clone(), ptr(&at, "type"), 1)),
                }
            }
            kind
        });
        let mut element = Element::new(id, name, kind);
        element.description = text(component.get("description"));
        if !otm_type.is_empty() {
            properties.insert(
                "otm_type".to_owned(),
                PropertyValue::String(otm_type.clone()),
            );
            kept.insert("type".into(), Value::String(otm_type.clone()));
        }
        if kind != ElementKind::ExternalInteractor
            && !properties.contains_key("technology")
            && let Some(t) = technology(&otm_type, &tags)
        {
            properties.insert("technology".to_owned(), PropertyValue::String(t.to_owned()));
        }
        element.properties = properties;
        element.out_of_scope = ours
            .as_ref()
            .and_then(|o| o.get("out_of_scope"))
            .and_then(Value::as_bool)
            == Some(true);
        let parent = r.parent(component, &at);
        // A container is kept (the element's boundary says which zone it is in).
        if let Some(Parent::Component(c)) = &parent {
            kept.insert("parent".into(), json!({"component": c}));
        }
        if let Some(threats) = component.get("threats").and_then(Value::as_array) {
            threats_kept += threats.len();
        }
        r.keep_rest(
            component,
            &at,
            &[
                "id",
                "name",
                "description",
                "type",
                "parent",
                "attributes",
                "tags",
            ],
            &["representations", "assets", "threats"],
            &mut kept,
        );
        element.extensions = extensions(kept);
        restore_ours(
            ours.as_ref(),
            &mut element.properties,
            &mut element.extensions,
        );
        component_parents.push(parent.map(|p| (at.clone(), p)));
        if !raw.is_empty() {
            component_of.entry(raw).or_insert(model.elements.len());
        }
        model.elements.push(element);
    }
    for (otm_type, at, n) in unknown_types {
        let what = if otm_type.is_empty() {
            "no type".to_owned()
        } else {
            format!("type `{otm_type}`, which this importer does not know,")
        };
        let others = if n > 1 {
            format!(
                " (and {} more component{} of this type)",
                n - 1,
                if n == 2 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        r.guessed(
            at,
            format!("a component of {what} is read as a process{others}"),
        );
    }

    // Where each component lies: the zone its parent chain reaches.
    let zone_ids: Vec<String> = model.boundaries.iter().map(|b| b.id.clone()).collect();
    let resolve = |start: usize, r: &mut Reader| -> Option<usize> {
        let mut at = start;
        let mut seen = HashSet::new();
        loop {
            if !seen.insert(at) {
                let (pointer, _) = component_parents[start].clone()?;
                r.guessed(
                    ptr(&pointer, "parent"),
                    "the component is nested in itself through its parents: read as outside every trust zone".to_owned(),
                );
                return None;
            }
            let (pointer, parent) = component_parents[at].clone()?;
            match parent {
                Parent::Zone(zone) => {
                    if let Some(&b) = zone_of.get(&zone) {
                        return Some(b);
                    }
                    if !synthetic.contains(&zone) {
                        r.unmapped(
                            ptr(&ptr(&pointer, "parent"), "trustZone"),
                            format!("trust zone `{zone}` does not exist: the component is read as outside every trust zone"),
                        );
                    }
                    return None;
                }
                Parent::Component(c) => {
                    let Some(&next) = component_of.get(&c) else {
                        r.unmapped(
                            ptr(&ptr(&pointer, "parent"), "component"),
                            format!("component `{c}` does not exist: the component is read as outside every trust zone"),
                        );
                        return None;
                    };
                    at = next;
                }
            }
        }
    };
    for e in 0..model.elements.len() {
        if let Some(b) = resolve(e, &mut r) {
            model.elements[e].boundary = Some(zone_ids[b].clone());
        }
    }
    for (b, at, parent) in zone_parents {
        let target = match parent {
            Parent::Zone(z) => zone_of.get(&z).copied().or_else(|| {
                if !synthetic.contains(&z) {
                    r.unmapped(
                        ptr(&ptr(&at, "parent"), "trustZone"),
                        format!("trust zone `{z}` does not exist: not nested"),
                    );
                }
                None
            }),
            Parent::Component(c) => {
                if let Some(&e) = component_of.get(&c) {
                    let zone = resolve(e, &mut r);
                    r.guessed(
                        ptr(&ptr(&at, "parent"), "component"),
                        "a trust zone nested in a component: nested in that component's trust zone instead".to_owned(),
                    );
                    zone
                } else {
                    r.unmapped(
                        ptr(&ptr(&at, "parent"), "component"),
                        format!("component `{c}` does not exist: not nested"),
                    );
                    None
                }
            }
        };
        if let Some(t) = target.filter(|&t| t != b) {
            model.boundaries[b].parent = Some(zone_ids[t].clone());
        }
    }
    // A cycle of zones: cut at the first zone of it found.
    let index: HashMap<String, usize> = zone_ids.iter().cloned().zip(0..).collect();
    for (b, pointer) in zone_pointers.iter().enumerate() {
        let mut seen = HashSet::new();
        let mut at = b;
        while let Some(&p) = model.boundaries[at]
            .parent
            .as_ref()
            .and_then(|p| index.get(p))
        {
            if p == b {
                let name = model.boundaries[b].name.clone();
                model.boundaries[b].parent = None;
                r.guessed(
                    ptr(pointer, "parent"),
                    format!("trust zone `{name}` is nested in itself through its parents: read as not nested"),
                );
                break;
            }
            if !seen.insert(p) {
                break;
            }
            at = p;
        }
    }

    // Data flows.
    let element_ids: Vec<String> = model.elements.iter().map(|e| e.id.clone()).collect();
    let boundary_ids: HashMap<String, String> = zone_of
        .iter()
        .map(|(raw, &b)| (raw.clone(), zone_ids[b].clone()))
        .collect();
    for (i, flow) in dataflows.iter().enumerate() {
        let at = format!("/dataflows/{i}");
        let Some(flow) = flow.as_object() else {
            r.unmapped(at, "the data flow is not an object: left out".to_owned());
            continue;
        };
        let mut ends = Vec::with_capacity(2);
        for key in ["source", "destination"] {
            match as_id(flow.get(key)) {
                Some(raw) => {
                    if let Some(&e) = component_of.get(&raw) {
                        ends.push(e);
                    } else {
                        let what = if zone_of.contains_key(&raw) {
                            format!("`{raw}` is a trust zone, not a component")
                        } else {
                            format!("component `{raw}` does not exist")
                        };
                        r.unmapped(
                            ptr(&at, key),
                            format!("the data flow's {key}: {what}; the flow is left out"),
                        );
                    }
                }
                None => r.unmapped(
                    ptr(&at, key),
                    format!("the data flow has no {key}: it is left out"),
                ),
            }
        }
        let [source, target] = ends[..] else { continue };
        let made_up = format!(
            "{} to {}",
            model.elements[source].name, model.elements[target].name
        );
        let name = r.name(flow, &at, made_up);
        let (_, id) = r.id(flow, &at, &skeleton::slug(&name));
        let mut f = Flow::new(
            id,
            name,
            element_ids[source].clone(),
            element_ids[target].clone(),
        );
        f.description = text(flow.get("description"));
        f.bidirectional = flow.get("bidirectional").and_then(Value::as_bool) == Some(true);
        let mut kept = Extensions::new();
        let ours = r.attributes(flow, &at, &mut f.properties, &mut kept);
        let tags = strings(flow.get("tags"));
        f.protocol = tags.iter().find_map(|t| {
            let lower = t.trim().to_lowercase();
            PROTOCOLS
                .iter()
                .find(|(k, _)| *k == lower)
                .map(|&(_, v)| v.to_owned())
        });
        if let Some(list) = flow.get("assets").and_then(Value::as_array) {
            for (k, asset) in list.iter().enumerate() {
                let Some(asset_id) = asset.as_str() else {
                    continue;
                };
                match asset_of.get(asset_id) {
                    Some(item) if !f.data.contains(item) => f.data.push(item.clone()),
                    Some(_) => {}
                    None => r.unmapped(
                        format!("{at}/assets/{k}"),
                        format!("asset `{asset_id}` does not exist: not read as data of the flow"),
                    ),
                }
            }
        }
        if let Some(threats) = flow.get("threats").and_then(Value::as_array) {
            threats_kept += threats.len();
        }
        if let Some(ours) = &ours {
            f.protocol = text(ours.get("protocol"));
            f.encrypted = ours.get("encrypted").and_then(Value::as_bool);
            f.authenticated = ours.get("authenticated").and_then(Value::as_bool);
            f.out_of_scope = ours.get("out_of_scope").and_then(Value::as_bool) == Some(true);
            f.initiated_by = ours
                .get("initiated_by")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<FlowEnd>().ok());
            if let Some(data) = ours.get("data")
                && let Ok(items) = serde_json::from_value::<Vec<DataItem>>(data.clone())
            {
                for item in items {
                    if !f.data.contains(&item) {
                        f.data.push(item);
                    }
                }
            }
            for crossed in strings(ours.get("crosses")) {
                if let Some(b) = boundary_ids.get(&crossed)
                    && !f.crosses.contains(b)
                {
                    f.crosses.push(b.clone());
                }
            }
        }
        r.keep_rest(
            flow,
            &at,
            &[
                "id",
                "name",
                "description",
                "bidirectional",
                "source",
                "destination",
                "attributes",
                "tags",
            ],
            &["representations", "assets", "threats"],
            &mut kept,
        );
        f.extensions = extensions(kept);
        restore_ours(ours.as_ref(), &mut f.properties, &mut f.extensions);
        model.flows.push(f);
    }

    // What is kept of the file as a whole.
    let project = root.get("project").and_then(Value::as_object);
    if project.is_none() {
        r.guessed(
            "/project".to_owned(),
            "no `project`: the engagement is named after the tool".to_owned(),
        );
    }
    let mut kept = Extensions::new();
    kept.insert("otmVersion".into(), Value::String(version));
    if let Some(project) = project {
        let mut rest: Map<String, Value> = project
            .iter()
            .filter(|(k, v)| !matches!(k.as_str(), "name" | "id" | "description") && !v.is_null())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Our own attributes are read back, not kept.
        if let Some(Value::Object(attributes)) = rest.get_mut("attributes") {
            attributes.remove(ATTRIBUTE);
            if attributes.is_empty() {
                rest.remove("attributes");
            }
        }
        if !rest.is_empty() {
            kept.insert("project".into(), Value::Object(rest));
        }
    }
    let known = [
        "otmVersion",
        "project",
        "representations",
        "assets",
        "trustZones",
        "components",
        "dataflows",
        "threats",
        "mitigations",
    ];
    for (key, value) in root {
        if matches!(
            key.as_str(),
            "otmVersion" | "project" | "trustZones" | "components" | "dataflows"
        ) || value.is_null()
        {
            continue;
        }
        kept.insert(key.clone(), value.clone());
        if !known.contains(&key.as_str()) {
            r.unmapped(
                ptr("", key),
                format!("`{key}` is not an OTM field: kept under `extensions.{EXTENSION}`"),
            );
        }
    }
    let threats = root
        .get("threats")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let mitigations = root
        .get("mitigations")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if threats + mitigations + threats_kept > 0 {
        let at = if threats > 0 {
            "/threats"
        } else if mitigations > 0 {
            "/mitigations"
        } else {
            ""
        };
        r.unmapped(
            at.to_owned(),
            format!(
                "{threats} threat{} and {mitigations} mitigation{} (used {threats_kept} time{} by components and flows) kept under `extensions.{EXTENSION}`: questions come from the model, not from them",
                if threats == 1 { "" } else { "s" },
                if mitigations == 1 { "" } else { "s" },
                if threats_kept == 1 { "" } else { "s" },
            ),
        );
    }
    let project_text = |key| text(project.and_then(|p| p.get(key)));
    let about = About {
        tool: "Open Threat Model file",
        title: project_text("name"),
        id: project_text("id"),
        description: project_text("description"),
        extensions: extensions(kept),
        ..About::default()
    };
    let mut warnings = std::mem::take(&mut r.warnings);
    parsed.place(&mut warnings);
    // In the order of the file; then what the engagement needs filled in.
    let mut warnings = Report::from_diagnostics(warnings).warnings;
    let mut engagement = skeleton::engagement(about, model, &mut warnings);
    restore_engagement(&mut engagement, project);
    Ok(Imported {
        engagement,
        warnings,
        format: ForeignFormat::Otm,
    })
}

/// What [`to_otm`] wrote of the engagement under the project's attributes: the scope and the
/// assurance level.
fn restore_engagement(engagement: &mut Engagement, project: Option<&Map<String, Value>>) {
    let Some(ours) = project
        .and_then(|p| p.get("attributes"))
        .and_then(|a| a.get(ATTRIBUTE))
        .and_then(Value::as_object)
    else {
        return;
    };
    if let Some(level) = ours
        .get("assurance_level")
        .and_then(Value::as_str)
        .and_then(|l| l.parse().ok())
    {
        engagement.assurance_level = level;
    }
    if let Some(scope) = ours
        .get("scope")
        .and_then(|s| serde_json::from_value(s.clone()).ok())
    {
        engagement.scope = scope;
    }
    if let Some(system) = text(ours.get("system")) {
        engagement.system = Some(system);
    }
    if let Some(Value::Object(rest)) = ours.get("extensions") {
        let map = engagement.extensions.get_or_insert_with(Extensions::new);
        for (k, v) in rest {
            if k != EXTENSION {
                map.insert(k.clone(), v.clone());
            }
        }
    }
}

/// The component an element was inside in the OTM file it came from, when both are in the same
/// zone.
fn container<'m>(e: &'m Element, zone_of: &HashMap<&str, Option<&str>>) -> Option<&'m str> {
    e.extensions
        .as_ref()
        .and_then(|x| x.get(EXTENSION))
        .and_then(|x| x.get("parent"))
        .and_then(|p| p.get("component"))
        .and_then(Value::as_str)
        .filter(|c| {
            e.boundary.is_some()
                && zone_of.get(c).is_some_and(|z| *z == e.boundary.as_deref())
                && *c != e.id
        })
}

/// The engagement's model as an OTM 0.2 document (JSON), which the official OTM schema
/// accepts: boundaries as trust zones, elements as components, flows as data flows, with our
/// kinds, properties, questions and coverage under `attributes.threat_interview`. What an
/// import kept of an OTM file (threats, mitigations, assets, representations, attributes) is
/// written back.
pub fn to_otm(engagement: &Engagement) -> Value {
    let model = &engagement.model;
    let kept = |ext: &Option<Extensions>| -> Map<String, Value> {
        ext.as_ref()
            .and_then(|e| e.get(EXTENSION))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let other_extensions = |ext: &Option<Extensions>| -> Option<Value> {
        let rest: Map<String, Value> = ext
            .iter()
            .flatten()
            .filter(|(k, _)| k.as_str() != EXTENSION)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        (!rest.is_empty()).then_some(Value::Object(rest))
    };
    let top = kept(&engagement.extensions);
    let coverage = Coverage::of(engagement);
    let mut coverage_of: HashMap<&str, Map<String, Value>> = HashMap::new();
    for item in &coverage.items {
        coverage_of
            .entry(item.subject.as_str())
            .or_default()
            .insert(
                item.category.as_str().to_owned(),
                json!(item.status.as_str()),
            );
    }
    let question = |q: &crate::model::Question| {
        let mut v = json!({
            "id": q.id,
            "text": q.text,
            "role": q.role.as_str(),
            "priority": q.priority,
            "status": q.status.as_str(),
        });
        if let Some(c) = q.category {
            v["category"] = json!(c.as_str());
        }
        if !q.answers.is_empty() {
            v["answers"] = json!(
                q.answers
                    .iter()
                    .map(|a| a.text.as_str())
                    .collect::<Vec<_>>()
            );
        }
        v
    };
    let live_questions = || engagement.questions.iter().filter(|q| !q.obsolete);
    let questions_of = |id: &str| -> Vec<Value> {
        live_questions()
            .filter(|q| {
                q.subjects.iter().any(|s| s == id) || q.also_covers.iter().any(|c| c.subject == id)
            })
            .map(question)
            .collect()
    };
    let ours_of = |id: &str,
                   mut ours: Map<String, Value>,
                   properties: &Properties,
                   ext: &Option<Extensions>| {
        if !properties.is_empty() {
            ours.insert("properties".into(), json!(properties));
        }
        let questions = questions_of(id);
        if !questions.is_empty() {
            ours.insert("questions".into(), Value::Array(questions));
        }
        if let Some(c) = coverage_of.get(id) {
            ours.insert("coverage".into(), Value::Object(c.clone()));
        }
        if let Some(rest) = other_extensions(ext) {
            ours.insert("extensions".into(), rest);
        }
        Value::Object(ours)
    };
    let attributes = |kept: &Map<String, Value>, ours: Value| {
        let mut attributes = kept
            .get("attributes")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        attributes.insert(ATTRIBUTE.into(), ours);
        Value::Object(attributes)
    };
    let copy = |from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]| {
        for key in keys {
            if let Some(v) = from.get(*key) {
                to.insert((*key).to_owned(), v.clone());
            }
        }
    };

    // Trust zones, and one for what lies outside every boundary.
    let mut ids: HashSet<&str> = HashSet::new();
    ids.extend(model.boundaries.iter().map(|b| b.id.as_str()));
    ids.extend(model.elements.iter().map(|e| e.id.as_str()));
    let mut outside = OUTSIDE.to_owned();
    let mut n = 2;
    while ids.contains(outside.as_str()) {
        outside = format!("{OUTSIDE}-{n}");
        n += 1;
    }
    let mut zones: Vec<Value> = Vec::new();
    for b in &model.boundaries {
        let k = kept(&b.extensions);
        let rating = b
            .properties
            .get("trust_rating")
            .and_then(|v| match v {
                PropertyValue::Number(n) => Some(Value::Number(n.clone())),
                _ => None,
            })
            .unwrap_or_else(|| json!(if b.trust == Trust::Trusted { 100 } else { 10 }));
        let mut zone = Map::new();
        zone.insert("id".into(), json!(b.id));
        zone.insert("name".into(), json!(b.name));
        if let Some(PropertyValue::String(t)) = b.properties.get("otm_type") {
            zone.insert("type".into(), json!(t));
        }
        if let Some(d) = &b.description {
            zone.insert("description".into(), json!(d));
        }
        let mut risk = k
            .get("risk")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        risk.insert("trustRating".into(), rating);
        zone.insert("risk".into(), Value::Object(risk));
        if let Some(p) = &b.parent {
            zone.insert("parent".into(), json!({"trustZone": p}));
        }
        copy(&k, &mut zone, &["representations"]);
        let mut ours = Map::new();
        ours.insert("trust".into(), json!(b.trust.as_str()));
        let line = k.get("line").and_then(Value::as_bool) == Some(true)
            || b.extensions
                .as_ref()
                .and_then(|e| e.get(super::threat_dragon::EXTENSION))
                .and_then(|t| t.get("line"))
                .and_then(Value::as_bool)
                == Some(true);
        if line {
            ours.insert("line".into(), Value::Bool(true));
        }
        zone.insert(
            "attributes".into(),
            attributes(&k, ours_of(&b.id, ours, &b.properties, &b.extensions)),
        );
        zones.push(Value::Object(zone));
    }

    // Components.
    let zone_of: HashMap<&str, Option<&str>> = model
        .elements
        .iter()
        .map(|e| (e.id.as_str(), e.boundary.as_deref()))
        .collect();
    // A component inside another stays so when both are in the same zone and the chain of
    // containers ends (elements outside every zone go to the synthetic one).
    let direct: HashMap<&str, Option<&str>> = model
        .elements
        .iter()
        .map(|e| (e.id.as_str(), container(e, &zone_of)))
        .collect();
    let containers: HashMap<&str, Option<&str>> = direct
        .iter()
        .map(|(&id, &first)| {
            let mut seen = HashSet::from([id]);
            let mut at = first;
            while let Some(c) = at {
                if !seen.insert(c) {
                    return (id, None);
                }
                at = direct.get(c).copied().flatten();
            }
            (id, first)
        })
        .collect();
    let mut needs_outside = false;
    let mut components: Vec<Value> = Vec::new();
    for e in &model.elements {
        let k = kept(&e.extensions);
        let mut c = Map::new();
        c.insert("id".into(), json!(e.id));
        c.insert("name".into(), json!(e.name));
        let otm_type = k
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| {
                e.properties
                    .get("otm_type")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| {
                match e.kind {
                    ElementKind::ExternalInteractor => "generic-client",
                    ElementKind::Process => "generic-service",
                    ElementKind::DataStore => "generic-data-store",
                }
                .to_owned()
            });
        c.insert("type".into(), json!(otm_type));
        if let Some(d) = &e.description {
            c.insert("description".into(), json!(d));
        }
        let container = containers.get(e.id.as_str()).copied().flatten();
        let parent = match (container, &e.boundary) {
            (Some(c), _) => json!({"component": c}),
            (None, Some(b)) => json!({"trustZone": b}),
            (None, None) => {
                needs_outside = true;
                json!({"trustZone": outside})
            }
        };
        c.insert("parent".into(), parent);
        if let Some(PropertyValue::List(tags)) = e.properties.get("tags") {
            c.insert("tags".into(), json!(tags));
        }
        copy(&k, &mut c, &["representations", "assets", "threats"]);
        let mut ours = Map::new();
        ours.insert("kind".into(), json!(e.kind.as_str()));
        if e.out_of_scope {
            ours.insert("out_of_scope".into(), Value::Bool(true));
        }
        c.insert(
            "attributes".into(),
            attributes(&k, ours_of(&e.id, ours, &e.properties, &e.extensions)),
        );
        components.push(Value::Object(c));
    }
    if needs_outside {
        zones.push(json!({
            "id": outside,
            "name": "Outside every trust boundary",
            "description": "The components the engagement places outside every trust boundary (OTM gives every component a parent)",
            "risk": {"trustRating": 0},
            "attributes": {ATTRIBUTE: {"synthetic": true, "trust": "untrusted"}},
        }));
    }

    // Data flows.
    let mut flows: Vec<Value> = Vec::new();
    for f in &model.flows {
        let k = kept(&f.extensions);
        let mut d = Map::new();
        d.insert("id".into(), json!(f.id));
        d.insert("name".into(), json!(f.name));
        if let Some(desc) = &f.description {
            d.insert("description".into(), json!(desc));
        }
        d.insert("bidirectional".into(), json!(f.bidirectional));
        d.insert("source".into(), json!(f.source));
        d.insert("destination".into(), json!(f.target));
        if let Some(PropertyValue::List(tags)) = f.properties.get("tags") {
            d.insert("tags".into(), json!(tags));
        }
        copy(&k, &mut d, &["representations", "assets", "threats"]);
        let mut ours = Map::new();
        if let Some(p) = &f.protocol {
            ours.insert("protocol".into(), json!(p));
        }
        if let Some(b) = f.encrypted {
            ours.insert("encrypted".into(), json!(b));
        }
        if let Some(b) = f.authenticated {
            ours.insert("authenticated".into(), json!(b));
        }
        if let Some(end) = f.initiated_by {
            ours.insert("initiated_by".into(), json!(end));
        }
        if !f.data.is_empty() {
            ours.insert("data".into(), json!(f.data));
        }
        if !f.crosses.is_empty() {
            ours.insert("crosses".into(), json!(f.crosses));
        }
        if f.out_of_scope {
            ours.insert("out_of_scope".into(), Value::Bool(true));
        }
        d.insert(
            "attributes".into(),
            attributes(&k, ours_of(&f.id, ours, &f.properties, &f.extensions)),
        );
        flows.push(Value::Object(d));
    }

    // The project.
    let mut project = top
        .get("project")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    project.insert("name".into(), json!(engagement.name));
    project.insert("id".into(), json!(engagement.id));
    if let Some(d) = &engagement.description {
        project.insert("description".into(), json!(d));
    }
    let mut ours = Map::new();
    ours.insert("schema_version".into(), json!(engagement.schema_version));
    ours.insert(
        "assurance_level".into(),
        json!(engagement.assurance_level.as_str()),
    );
    if let Some(system) = &engagement.system {
        ours.insert("system".into(), json!(system));
    }
    ours.insert("scope".into(), json!(engagement.scope));
    ours.insert(
        "coverage".into(),
        json!({"totals": coverage.totals, "by_category": coverage.by_category}),
    );
    let general: Vec<Value> = live_questions()
        .filter(|q| q.subjects.is_empty())
        .map(question)
        .collect();
    if !general.is_empty() {
        ours.insert("questions".into(), Value::Array(general));
    }
    if let Some(rest) = other_extensions(&engagement.extensions) {
        ours.insert("extensions".into(), rest);
    }
    let mut project_attributes = project
        .get("attributes")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    project_attributes.insert(ATTRIBUTE.into(), Value::Object(ours));
    project.insert("attributes".into(), Value::Object(project_attributes));

    let mut otm = Map::new();
    otm.insert("otmVersion".into(), json!(OTM_VERSION));
    otm.insert("project".into(), Value::Object(project));
    for key in ["representations", "assets"] {
        if let Some(v) = top.get(key) {
            otm.insert(key.into(), v.clone());
        }
    }
    otm.insert("trustZones".into(), Value::Array(zones));
    otm.insert("components".into(), Value::Array(components));
    otm.insert("dataflows".into(), Value::Array(flows));
    for key in ["threats", "mitigations"] {
        if let Some(v) = top.get(key) {
            otm.insert(key.into(), v.clone());
        }
    }
    Value::Object(otm)
}

/// [`to_otm`] as pretty JSON text with a final newline.
pub fn to_otm_string(engagement: &Engagement) -> String {
    let mut text = serde_json::to_string_pretty(&to_otm(engagement)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_text_indented_too_little_is_read_as_pyyaml_reads_it() {
        let text = "a:\n  b:\n    'one\n  two'\nc: 1\n";
        let failure = source::parse(text.as_bytes(), Format::Yaml, &Limits::default()).unwrap_err();
        assert_eq!(failure.diagnostics[0].message, UNDER_INDENTED);
        let mut repairs = Vec::new();
        let fixed =
            lenient_quotes(text.as_bytes(), failure, &Limits::default(), &mut repairs).unwrap();
        let parsed = source::parse(&fixed, Format::Yaml, &Limits::default()).unwrap();
        assert_eq!(parsed.value, json!({"a": {"b": "one two"}, "c": 1}));
        assert_eq!(repairs.len(), 1);
        assert_eq!(repairs[0].line, Some(4));
        assert_eq!(reindent_quoted(b"a: 'x'\n", 1, 4), None);
    }

    #[test]
    fn the_export_gives_every_component_a_parent_and_no_cycle() {
        use crate::model::AssuranceLevel;
        let mut e = Engagement::new("e", "E", AssuranceLevel::Fast);
        e.model.boundaries.push(Boundary::new("z", "Zone"));
        for (id, container) in [("a", "b"), ("b", "a")] {
            let mut element = Element::new(id, id, ElementKind::Process);
            element.boundary = Some("z".into());
            element.extensions = extensions(Map::from_iter([(
                "parent".to_owned(),
                json!({"component": container}),
            )]));
            e.model.elements.push(element);
        }
        e.model.elements.push(Element::new(
            "user",
            "User",
            ElementKind::ExternalInteractor,
        ));
        let otm = to_otm(&e);
        let parents: Vec<&Value> = otm["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| &c["parent"])
            .collect();
        assert_eq!(
            parents,
            [
                &json!({"trustZone": "z"}),
                &json!({"trustZone": "z"}),
                &json!({"trustZone": OUTSIDE})
            ]
        );
        assert_eq!(
            otm["trustZones"][1]["attributes"][ATTRIBUTE]["synthetic"],
            true
        );
        // The synthetic zone does not come back.
        let text = serde_json::to_vec(&otm).unwrap();
        let again = import(&text, &Limits::default()).unwrap().engagement;
        assert_eq!(again.model.boundaries.len(), 1);
        assert_eq!(again.model.element("user").unwrap().boundary, None);
    }

    fn kind(t: &str) -> (ElementKind, bool) {
        classify(t, &[])
    }

    #[test]
    fn component_types_give_kinds() {
        assert_eq!(
            kind("generic-client"),
            (ElementKind::ExternalInteractor, false)
        );
        assert_eq!(kind("web-client"), (ElementKind::ExternalInteractor, false));
        assert_eq!(kind("database"), (ElementKind::DataStore, false));
        assert_eq!(kind("postgresql"), (ElementKind::DataStore, false));
        assert_eq!(kind("web-service"), (ElementKind::Process, false));
        assert_eq!(
            kind("web-application-server-side"),
            (ElementKind::Process, false)
        );
        assert_eq!(kind("load-balancer"), (ElementKind::Process, false));
        assert_eq!(kind("vpc"), (ElementKind::Process, true));
        assert_eq!(kind("empty-component"), (ElementKind::Process, true));
        assert_eq!(
            classify("empty-component", &["AWS::S3::Bucket".to_owned()]),
            (ElementKind::DataStore, false)
        );
        assert_eq!(
            technology("database", &["postgres".to_owned()]),
            Some("postgresql")
        );
        assert_eq!(
            technology("web-service", &["tomcat".to_owned()]),
            Some("tomcat")
        );
    }

    #[test]
    fn confidentiality_gives_a_classification() {
        assert_eq!(classification(100.0), Classification::Restricted);
        assert_eq!(classification(60.0), Classification::Confidential);
        assert_eq!(classification(10.0), Classification::Internal);
        assert_eq!(classification(0.0), Classification::Public);
    }

    #[test]
    fn kept_property_names_are_not_taken_for_the_vocabulary() {
        for name in ["otm_type", "tags", "trust_rating"] {
            assert_eq!(vocabulary::close_to(name), None, "{name}");
        }
    }
}
