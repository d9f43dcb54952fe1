//! Threats Manager Studio models: `.tm` files (an OPC ZIP archive holding `threatmodel.json`,
//! UTF-16 JSON written by Newtonsoft.Json) and `.tmj` files (the JSON alone).
//!
//! `entities` become elements by their `$type` (`ExternalInteractor`, `Process`, `DataStore`),
//! `dataFlows` become flows (`source`, `target`; a `ReadWriteCommand` flow is bidirectional),
//! `groups` of type `TrustBoundary` become boundaries, nested by `parentId`, and an entity's
//! `parentId` is its boundary (through any group that is not a boundary). Lists are read in
//! both styles Newtonsoft writes: `{"$type": ..., "$values": [...]}` and plain arrays.
//! Topics to be clarified (the Quality extension's annotations) become questions with their
//! answers, so that what [`super::tms_export`] writes into a `.tm` comes back.
//!
//! The archive is read within limits: at most [`MAX_ENTRIES`] entries, and the model entry
//! decompresses to at most [`Limits::max_bytes`] (checked against its declared size first, then
//! while it inflates, so a lying header stops there too). The JSON goes through
//! [`crate::source::parse`] with the same limits on depth, strings and values as any input.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use serde_json::{Map, Value, json};

use super::skeleton::{self, About};
use super::tm_common::{Ids, clean_name, is_nil_guid, short_id, tidy, unmapped};
use super::{ForeignFormat, ImportError, Imported};
use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{
    Answer, AnswerChannel, Boundary, ComponentModel, Element, ElementKind, Flow, FlowEnd,
    Participant, Question, QuestionStatus, Role,
};
use crate::source::{self, Format, Limits};

/// The most entries a `.tm` archive may hold (Threats Manager Studio writes three).
pub(crate) const MAX_ENTRIES: usize = 1_000;

/// The name of the model's entry in a `.tm` archive.
pub(crate) const MODEL_ENTRY: &str = "threatmodel.json";

/// The namespace of the Quality extension's property schemas.
pub(crate) const ANNOTATIONS_NAMESPACE: &str = "https://www.simoneonsecurity.com/tm/2018";

/// The name of the Quality extension's annotations schema and property type.
pub(crate) const ANNOTATIONS_NAME: &str = "Annotations";

pub(crate) fn invalid(diagnostic: Diagnostic) -> ImportError {
    ImportError::Invalid {
        format: ForeignFormat::Tms,
        report: Box::new(Report::one(diagnostic)),
    }
}

/// UTF-16 text with a byte order mark: `None` without one, else the text or why it is not.
pub(crate) fn decode_utf16(bytes: &[u8]) -> Option<Result<String, String>> {
    let little = if bytes.starts_with(&[0xff, 0xfe]) {
        true
    } else if bytes.starts_with(&[0xfe, 0xff]) {
        false
    } else {
        return None;
    };
    Some(utf16_units(&bytes[2..], little))
}

fn utf16_units(bytes: &[u8], little: bool) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("UTF-16 text with an odd number of bytes (a truncated file?)".to_owned());
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        if little {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        }
    });
    char::decode_utf16(units)
        .enumerate()
        .map(|(index, c)| {
            c.map_err(|_| format!("invalid UTF-16 (unpaired surrogate at code unit {index})"))
        })
        .collect()
}

/// JSON text as Threats Manager Studio writes it: UTF-16 with a byte order mark (the model),
/// UTF-16LE without one (`extensions.json`), or UTF-8.
pub(crate) fn decode_json_text(bytes: &[u8]) -> Result<String, Diagnostic> {
    let encoding = |message: String| Diagnostic::error(DiagnosticCode::Encoding, "", message);
    if let Some(text) = decode_utf16(bytes) {
        return text.map_err(encoding);
    }
    if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        return utf16_units(bytes, true).map_err(encoding);
    }
    if bytes.len() >= 2 && bytes[0] == 0 && bytes[1] != 0 {
        return utf16_units(bytes, false).map_err(encoding);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        encoding(format!(
            "neither UTF-16 nor UTF-8 (invalid byte {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// A `.tm` archive opened within limits.
pub(crate) struct Archive<'b> {
    pub(crate) zip: zip::ZipArchive<Cursor<&'b [u8]>>,
}

fn zip_error(error: &zip::result::ZipError) -> ImportError {
    invalid(Diagnostic::error(
        DiagnosticCode::InvalidStructure,
        "",
        format!("not a readable ZIP archive ({error}): a truncated or damaged `.tm` file?"),
    ))
}

impl<'b> Archive<'b> {
    /// Opens an archive, refusing one with more than [`MAX_ENTRIES`] entries.
    pub(crate) fn open(bytes: &'b [u8]) -> Result<Self, ImportError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| zip_error(&e))?;
        if zip.len() > MAX_ENTRIES {
            return Err(invalid(Diagnostic::error(
                DiagnosticCode::ZipTooLarge,
                "",
                format!(
                    "the archive has {} entries, over the limit of {MAX_ENTRIES}",
                    zip.len()
                ),
            )));
        }
        Ok(Archive { zip })
    }

    /// The index of the model's entry.
    pub(crate) fn model_index(&self) -> Result<usize, ImportError> {
        self.zip
            .index_for_name(MODEL_ENTRY)
            .or_else(|| {
                (0..self.zip.len()).find(|&i| {
                    self.zip
                        .name_for_index(i)
                        .is_some_and(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(MODEL_ENTRY)))
                })
            })
            .ok_or_else(|| {
                invalid(Diagnostic::error(
                    DiagnosticCode::InvalidStructure,
                    "",
                    format!("the ZIP archive holds no `{MODEL_ENTRY}`: not a Threats Manager Studio `.tm` file"),
                ))
            })
    }

    /// An entry's bytes, decompressed within `limit` bytes.
    pub(crate) fn read(&mut self, index: usize, limit: u64) -> Result<Vec<u8>, ImportError> {
        let entry = self.zip.by_index(index).map_err(|e| zip_error(&e))?;
        let name = entry
            .name()
            .map(std::borrow::Cow::into_owned)
            .unwrap_or_default();
        let too_large = |size: String| {
            invalid(Diagnostic::error(
                DiagnosticCode::ZipTooLarge,
                format!("/{}", source::escape_pointer_token(&name)),
                format!("`{name}` decompresses to {size} bytes, over the limit of {limit} bytes"),
            ))
        };
        let entry_size = entry.size();
        if entry_size > limit {
            return Err(too_large(entry_size.to_string()));
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0).min(1 << 24));
        entry
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| {
                // The zip crate stops an entry that inflates past its declared size.
                if e.to_string().contains("declared uncompressed size") {
                    return invalid(Diagnostic::error(
                        DiagnosticCode::ZipTooLarge,
                        format!("/{}", source::escape_pointer_token(&name)),
                        format!("`{name}` inflates past the {entry_size} bytes its header declares: a ZIP bomb or a damaged `.tm` file"),
                    ));
                }
                invalid(Diagnostic::error(
                    DiagnosticCode::InvalidStructure,
                    format!("/{}", source::escape_pointer_token(&name)),
                    format!(
                        "`{name}` cannot be decompressed ({e}): a truncated or damaged `.tm` file?"
                    ),
                ))
            })?;
        if bytes.len() as u64 > limit {
            return Err(too_large(format!("more than {limit}")));
        }
        Ok(bytes)
    }
}

/// The model JSON of a `.tm` archive or a `.tmj` file, as UTF-8 text, and whether it came from
/// an archive.
pub(crate) fn model_text(bytes: &[u8], limits: &Limits) -> Result<(String, bool), ImportError> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(invalid(Diagnostic::error(
            DiagnosticCode::TooLarge,
            "",
            format!(
                "input is {size} bytes, over the limit of {} bytes",
                limits.max_bytes
            ),
        )));
    }
    if bytes.starts_with(b"PK") {
        let mut archive = Archive::open(bytes)?;
        let index = archive.model_index()?;
        let json = archive.read(index, limits.max_bytes)?;
        let text = decode_json_text(&json).map_err(invalid)?;
        Ok((text, true))
    } else {
        let text = decode_json_text(bytes).map_err(invalid)?;
        Ok((text, false))
    }
}

/// The model JSON parsed within limits.
pub(crate) fn parse_model(text: &str, limits: &Limits) -> Result<Value, ImportError> {
    let parsed = source::parse(text.as_bytes(), Format::Json, limits).map_err(|failure| {
        ImportError::Invalid {
            format: ForeignFormat::Tms,
            report: Box::new(Report::from_diagnostics(failure.diagnostics)),
        }
    })?;
    let value = parsed.value;
    let is_model = value.as_object().is_some_and(|o| {
        o.get("$type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.contains("ThreatModel"))
            || o.contains_key("entities")
            || o.contains_key("dataFlows")
    });
    if !is_model {
        return Err(invalid(Diagnostic::error(
            DiagnosticCode::InvalidStructure,
            "",
            "the JSON is not a Threats Manager Studio model (no `entities`, `dataFlows` or `ThreatModel` type)",
        )));
    }
    Ok(value)
}

/// A list as Newtonsoft writes it, plain or wrapped in `{"$type", "$values"}`: its items and
/// the pointer prefix of its items. `null` and absent lists are empty.
pub(crate) fn list<'v>(value: Option<&'v Value>, pointer: &str) -> (Vec<&'v Value>, String) {
    match value {
        Some(Value::Array(items)) => (items.iter().collect(), pointer.to_owned()),
        Some(Value::Object(object)) => match object.get("$values") {
            Some(Value::Array(items)) => (items.iter().collect(), format!("{pointer}/$values")),
            _ => (Vec::new(), pointer.to_owned()),
        },
        _ => (Vec::new(), pointer.to_owned()),
    }
}

/// The class of a `$type` (`ThreatsManager.Engine.ObjectModel.Entities.Process,
/// ThreatsManager.Engine` gives `Process`).
pub(crate) fn class_of(value: &Value) -> &str {
    value.get("$type").and_then(Value::as_str).map_or("", |t| {
        let full = t.split(',').next().unwrap_or_default().trim();
        full.rsplit('.').next().unwrap_or(full)
    })
}

fn text<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

/// A property type: its schema's name and namespace, and its own name.
#[derive(Debug, Clone)]
pub(crate) struct PropertyType {
    pub(crate) schema: String,
    pub(crate) namespace: String,
    pub(crate) name: String,
}

/// The model's property types by id.
pub(crate) fn property_types(model: &Value) -> HashMap<String, PropertyType> {
    let mut types = HashMap::new();
    for schema in list(model.get("schemas"), "/schemas").0 {
        let schema_name = text(schema, "name").unwrap_or_default();
        let namespace = text(schema, "namespace").unwrap_or_default();
        for property_type in list(schema.get("propertyTypes"), "").0 {
            if let Some(id) = text(property_type, "id") {
                types.insert(
                    id.to_ascii_lowercase(),
                    PropertyType {
                        schema: schema_name.to_owned(),
                        namespace: namespace.to_owned(),
                        name: text(property_type, "name").unwrap_or_default().to_owned(),
                    },
                );
            }
        }
    }
    types
}

impl PropertyType {
    /// Whether this is the Quality extension's annotations property.
    pub(crate) fn is_annotations(&self) -> bool {
        self.schema == ANNOTATIONS_NAME
            && self.name == ANNOTATIONS_NAME
            && self.namespace == ANNOTATIONS_NAMESPACE
    }
}

/// Imports a `.tm` or `.tmj` file's bytes.
pub(crate) fn import(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    let (text, _) = model_text(bytes, limits)?;
    let model = parse_model(&text, limits)?;
    Ok(import_value(&model))
}

/// Imports a model already parsed.
pub(crate) fn import_value(model: &Value) -> Imported {
    Reader::new(model).read()
}

struct Reader<'v> {
    model: &'v Value,
    types: HashMap<String, PropertyType>,
    warnings: Vec<Diagnostic>,
    participants: Vec<Participant>,
    questions: Vec<Question>,
}

impl<'v> Reader<'v> {
    fn new(model: &'v Value) -> Self {
        Reader {
            model,
            types: property_types(model),
            warnings: Vec::new(),
            participants: Vec::new(),
            questions: Vec::new(),
        }
    }

    fn read(mut self) -> Imported {
        let mut ids = Ids::default();
        let mut component = ComponentModel::default();

        // Groups: trust boundaries, and the other groups entities may sit in.
        let (groups, groups_at) = list(self.model.get("groups"), "/groups");
        let mut group_parent: HashMap<&str, &str> = HashMap::new();
        let mut boundary_ids: HashSet<&str> = HashSet::new();
        for group in &groups {
            if let Some(id) = text(group, "id") {
                group_parent.insert(id, text(group, "parentId").unwrap_or_default());
                if class_of(group) == "TrustBoundary" {
                    boundary_ids.insert(id);
                }
            }
        }
        // The nearest trust boundary at or above a group, through groups that are not.
        let boundary_of = |start: &str| -> Option<String> {
            let mut current = start;
            for _ in 0..=groups.len() {
                if is_nil_guid(current) {
                    return None;
                }
                if boundary_ids.contains(current) {
                    return Some(current.to_owned());
                }
                current = group_parent.get(current).copied()?;
            }
            None
        };
        for (index, group) in groups.iter().enumerate() {
            let pointer = format!("{groups_at}/{index}");
            let Some(id) = text(group, "id").filter(|id| !id.is_empty()) else {
                self.warnings
                    .push(unmapped(pointer, "a group without an id: left out"));
                continue;
            };
            let name = clean_name(text(group, "name"), || {
                format!("Trust boundary {}", short_id(id))
            });
            if class_of(group) != "TrustBoundary" {
                self.warnings.push(unmapped(
                    pointer,
                    format!("group `{name}` is of type `{}`, not a trust boundary: what it holds is placed in the trust boundary around it", class_of(group)),
                ));
                continue;
            }
            if !ids.claim(id) {
                self.duplicate(&pointer, &name, id);
                continue;
            }
            let mut boundary = Boundary::new(id, name);
            boundary.description = text(group, "description")
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned);
            boundary.parent = text(group, "parentId").and_then(boundary_of);
            if boundary.parent.as_deref() == Some(id) {
                boundary.parent = None;
            }
            boundary.extensions = self.extensions(group);
            self.topics(group, &pointer, Some(id));
            component.boundaries.push(boundary);
        }
        // A nesting loop (a group its own ancestor) would make the model invalid: cut it.
        cut_boundary_cycles(&mut component.boundaries, &mut self.warnings, &groups_at);

        // Entities.
        let (entities, entities_at) = list(self.model.get("entities"), "/entities");
        let mut element_ids: HashSet<String> = HashSet::new();
        for (index, entity) in entities.iter().enumerate() {
            let pointer = format!("{entities_at}/{index}");
            let class = class_of(entity);
            let kind = match class {
                "ExternalInteractor" => ElementKind::ExternalInteractor,
                "Process" => ElementKind::Process,
                "DataStore" => ElementKind::DataStore,
                other => {
                    self.warnings.push(unmapped(
                        pointer,
                        format!(
                            "entity `{}` is of type `{}`, not an external interactor, a process or a data store: left out",
                            text(entity, "name").unwrap_or_default(),
                            if other.is_empty() { "none" } else { other }
                        ),
                    ));
                    continue;
                }
            };
            let Some(id) = text(entity, "id").filter(|id| !id.is_empty()) else {
                self.warnings
                    .push(unmapped(pointer, "an entity without an id: left out"));
                continue;
            };
            let name = clean_name(text(entity, "name"), || {
                format!("{} {}", capitalized(kind.words()), short_id(id))
            });
            if !ids.claim(id) {
                self.duplicate(&pointer, &name, id);
                continue;
            }
            let mut element = Element::new(id, name, kind);
            element.description = text(entity, "description")
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned);
            element.boundary = text(entity, "parentId").and_then(boundary_of);
            element.extensions = self.extensions(entity);
            self.threat_events(entity, &pointer);
            self.topics(entity, &pointer, Some(id));
            element_ids.insert(id.to_owned());
            component.elements.push(element);
        }

        // Data flows.
        let (flows, flows_at) = list(self.model.get("dataFlows"), "/dataFlows");
        for (index, data_flow) in flows.iter().enumerate() {
            let pointer = format!("{flows_at}/{index}");
            let Some(id) = text(data_flow, "id").filter(|id| !id.is_empty()) else {
                self.warnings
                    .push(unmapped(pointer, "a data flow without an id: left out"));
                continue;
            };
            let name = clean_name(text(data_flow, "name"), || format!("Flow {}", short_id(id)));
            let source = text(data_flow, "source").unwrap_or_default();
            let target = text(data_flow, "target").unwrap_or_default();
            let missing: Vec<&str> = [("source", source), ("target", target)]
                .into_iter()
                .filter(|(_, end)| !element_ids.contains(*end))
                .map(|(which, _)| which)
                .collect();
            if !missing.is_empty() {
                self.warnings.push(unmapped(
                    pointer,
                    format!(
                        "data flow `{name}`: its {} names no imported entity: left out",
                        missing.join(" and ")
                    ),
                ));
                continue;
            }
            if !ids.claim(id) {
                self.duplicate(&pointer, &name, id);
                continue;
            }
            let mut flow = Flow::new(id, name, source, target);
            flow.description = text(data_flow, "description")
                .filter(|d| !d.trim().is_empty())
                .map(str::to_owned);
            match text(data_flow, "flowType").unwrap_or_default() {
                "ReadWriteCommand" | "ReadWrite" => flow.bidirectional = true,
                // The source reads from the target: the data goes the other way, and the
                // source opens the connection.
                "ReadCommand" | "Read" => {
                    target.clone_into(&mut flow.source);
                    source.clone_into(&mut flow.target);
                    flow.initiated_by = Some(FlowEnd::Target);
                }
                _ => {}
            }
            flow.extensions = self.extensions(data_flow);
            self.threat_events(data_flow, &pointer);
            self.topics(data_flow, &pointer, Some(id));
            component.flows.push(flow);
        }

        self.topics(self.model, "", None);
        let actors = list(self.model.get("actors"), "/actors").0.len();
        if actors > 0 {
            self.warnings.push(unmapped(
                "/actors",
                format!("{actors} threat actor{} not imported: threat actors are attackers, not elements of the diagram", if actors == 1 { " is" } else { "s are" }),
            ));
        }

        let id = text(self.model, "id")
            .filter(|id| !id.is_empty())
            .map_or_else(|| "tms-import".to_owned(), str::to_owned);
        let name = clean_name(text(self.model, "name"), || {
            "Threats Manager Studio model".to_owned()
        });
        let description = text(self.model, "description").map(str::to_owned);
        let mut extensions = Map::new();
        extensions.insert(
            "tms".into(),
            json!({"id": text(self.model, "id"), "owner": text(self.model, "owner")}),
        );
        let about = About {
            tool: "Threats Manager Studio model",
            title: Some(name),
            id: Some(id),
            description,
            extensions: Some(extensions),
            participants: std::mem::take(&mut self.participants),
            ..About::default()
        };
        let mut engagement = skeleton::engagement(about, component, &mut self.warnings);
        engagement.questions = std::mem::take(&mut self.questions);
        tidy(&mut engagement, &mut self.warnings);
        Imported {
            engagement,
            warnings: self.warnings,
            format: ForeignFormat::Tms,
        }
    }

    fn duplicate(&mut self, pointer: &str, name: &str, id: &str) {
        self.warnings.push(unmapped(
            pointer.to_owned(),
            format!("`{name}` reuses the id `{id}` of an item already imported: left out"),
        ));
    }

    /// `extensions.tms`: the object's template, its flow type, and its simple properties as
    /// `schema / property`; none when it has none of them.
    fn extensions(&self, object: &Value) -> Option<crate::model::Extensions> {
        let mut tms = Map::new();
        for key in ["template", "flowType"] {
            if let Some(value) = text(object, key).filter(|v| !is_nil_guid(v)) {
                tms.insert(key.into(), json!(value));
            }
        }
        let mut properties = Map::new();
        for property in list(object.get("properties"), "").0 {
            let Some(property_type) = text(property, "propertyTypeId")
                .and_then(|id| self.types.get(&id.to_ascii_lowercase()))
            else {
                continue;
            };
            let value = match property.get("value") {
                Some(v @ (Value::Bool(_) | Value::Number(_) | Value::String(_))) => v.clone(),
                _ => continue,
            };
            properties.insert(
                format!("{} / {}", property_type.schema, property_type.name),
                value,
            );
        }
        if !properties.is_empty() {
            tms.insert("properties".into(), Value::Object(properties));
        }
        if tms.is_empty() {
            return None;
        }
        let mut extensions = crate::model::Extensions::new();
        extensions.insert("tms".into(), Value::Object(tms));
        Some(extensions)
    }

    fn threat_events(&mut self, object: &Value, pointer: &str) {
        let count = list(object.get("threatEvents"), "").0.len();
        if count > 0 {
            self.warnings.push(unmapped(
                format!("{pointer}/threatEvents"),
                format!(
                    "`{}`: {count} threat event{} not imported: threats are the analysis that follows the interviews",
                    text(object, "name").unwrap_or_default(),
                    if count == 1 { " is" } else { "s are" },
                ),
            ));
        }
    }

    /// The topics to be clarified of an object's annotations, as questions about it.
    fn topics(&mut self, object: &Value, pointer: &str, subject: Option<&str>) {
        let (properties, properties_at) =
            list(object.get("properties"), &format!("{pointer}/properties"));
        for (p, property) in properties.iter().enumerate() {
            let is_annotations = text(property, "propertyTypeId")
                .and_then(|id| self.types.get(&id.to_ascii_lowercase()))
                .is_some_and(PropertyType::is_annotations);
            if !is_annotations {
                continue;
            }
            let value = property.get("value");
            let (items, items_at) = list(
                value.and_then(|v| v.get("items")),
                &format!("{properties_at}/{p}/value/items"),
            );
            for (t, item) in items.iter().enumerate() {
                let at = format!("{items_at}/{t}");
                if class_of(item) != "TopicToBeClarified" {
                    self.warnings.push(unmapped(
                        at,
                        format!("a `{}` annotation is not imported: only topics to be clarified become questions", class_of(item)),
                    ));
                    continue;
                }
                let Some(question_text) =
                    text(item, "text").map(str::trim).filter(|t| !t.is_empty())
                else {
                    self.warnings.push(unmapped(
                        at,
                        "a topic to be clarified without a text: left out",
                    ));
                    continue;
                };
                self.topic(item, question_text, subject);
            }
        }
    }

    fn topic(&mut self, item: &Value, question_text: &str, subject: Option<&str>) {
        let base = format!("tms-topic-{}", subject.map_or("model", short_id));
        let mut n = 1;
        let id = loop {
            let candidate = format!("{base}-{n}");
            if !self.questions.iter().any(|q| q.id == candidate) {
                break candidate;
            }
            n += 1;
        };
        let mut question = Question::new(id, question_text, Role::Architect, 3, 5);
        question.subjects = subject.map(str::to_owned).into_iter().collect();
        question.rationale = text(item, "rationale")
            .filter(|r| !r.trim().is_empty())
            .map(str::to_owned);
        let mut tms = Map::new();
        for key in ["askedOn", "askedBy", "askedVia"] {
            if let Some(value) = text(item, key).filter(|v| !v.is_empty()) {
                tms.insert(key.into(), json!(value));
            }
        }
        for answer_item in list(item.get("items"), "").0 {
            let Some(answer_text) = text(answer_item, "text")
                .map(str::trim)
                .filter(|t| !t.is_empty())
            else {
                continue;
            };
            let via_text = text(answer_item, "answeredVia").unwrap_or_default();
            let mut answer = Answer::new(answer_text, channel(via_text));
            answer.by = text(answer_item, "answeredBy")
                .map(str::trim)
                .filter(|b| !b.is_empty())
                .map(|name| self.participant(name));
            answer.at = text(answer_item, "answeredOn").and_then(answer_date);
            let mut raw = Map::new();
            for key in ["answeredOn", "answeredBy", "answeredVia"] {
                if let Some(value) = text(answer_item, key).filter(|v| !v.is_empty()) {
                    raw.insert(key.into(), json!(value));
                }
            }
            if !raw.is_empty() {
                let mut extensions = Map::new();
                extensions.insert("tms".into(), Value::Object(raw));
                answer.extensions = Some(extensions);
            }
            question.answers.push(answer);
        }
        let answered = item
            .get("answered")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        question.status = if question.answers.is_empty() && !answered {
            QuestionStatus::Asked
        } else {
            QuestionStatus::Answered
        };
        if answered && question.answers.is_empty() {
            tms.insert("answered".into(), Value::Bool(true));
        }
        if !tms.is_empty() {
            let mut extensions = Map::new();
            extensions.insert("tms".into(), Value::Object(tms));
            question.extensions = Some(extensions);
        }
        self.questions.push(question);
    }

    /// The id of the participant with this name, added when new.
    fn participant(&mut self, name: &str) -> String {
        if let Some(p) = self.participants.iter().find(|p| p.name == name) {
            return p.id.clone();
        }
        let slug: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        let base = if slug.is_empty() {
            "person".to_owned()
        } else {
            slug
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.participants.iter().any(|p| p.id == id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.participants
            .push(Participant::new(id.clone(), name, Vec::new()));
        id
    }
}

fn capitalized(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// How an answer came, from the words Threats Manager Studio keeps (free text).
pub(crate) fn channel(via: &str) -> AnswerChannel {
    let via = via.trim().to_ascii_lowercase();
    let starts = |words: &[&str]| words.iter().any(|w| via.starts_with(w));
    if starts(&["interview", "workshop", "meeting", "call"]) {
        AnswerChannel::Interview
    } else if starts(&["follow"]) {
        AnswerChannel::FollowUp
    } else if starts(&["document", "doc"]) {
        AnswerChannel::Document
    } else if starts(&["email", "e-mail", "mail"]) {
        AnswerChannel::Email
    } else if starts(&["chat", "teams", "slack", "im"]) {
        AnswerChannel::Chat
    } else {
        AnswerChannel::Other
    }
}

/// An answer's date as the engagement keeps it: an RFC 3339 date and time with an offset as
/// it is, a date and time without one (a local time) as its date, nothing else (nor
/// .NET's `0001-01-01`, its "no date").
pub(crate) fn answer_date(on: &str) -> Option<String> {
    let on = on.trim();
    let date = on.get(..10)?;
    if !is_date(date) || date.starts_with("0001") {
        return None;
    }
    if is_rfc3339(on) {
        Some(on.to_owned())
    } else {
        Some(date.to_owned())
    }
}

fn number(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// Whether a text is a calendar date, `YYYY-MM-DD`.
pub(crate) fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (number(&b[..4]), number(&b[5..7]), number(&b[8..]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// Whether a text is an RFC 3339 date and time (`2024-06-06T09:31:12.5+02:00`).
pub(crate) fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let field = |range: std::ops::Range<usize>, max: u32| {
        b.get(range).and_then(number).is_some_and(|n| n <= max)
    };
    if !(b.len() >= 20
        && text.get(..10).is_some_and(is_date)
        && matches!(b[10], b'T' | b't')
        && field(11..13, 23)
        && b[13] == b':'
        && field(14..16, 59)
        && b[16] == b':'
        && field(17..19, 60))
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            b.len() == i + 6
                && field(i + 1..i + 3, 23)
                && b[i + 3] == b':'
                && field(i + 4..i + 6, 59)
        }
        _ => false,
    }
}

fn cut_boundary_cycles(
    boundaries: &mut [Boundary],
    warnings: &mut Vec<Diagnostic>,
    groups_at: &str,
) {
    let parents: HashMap<String, Option<String>> = boundaries
        .iter()
        .map(|b| (b.id.clone(), b.parent.clone()))
        .collect();
    for boundary in boundaries.iter_mut() {
        let mut seen = HashSet::new();
        let mut current = boundary.parent.clone();
        while let Some(id) = current {
            if id == boundary.id || !seen.insert(id.clone()) {
                warnings.push(unmapped(
                    groups_at.to_owned(),
                    format!("trust boundary `{}` is nested in itself through its parents: imported at the top level", boundary.name),
                ));
                boundary.parent = None;
                break;
            }
            current = parents.get(&id).cloned().flatten();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offset_or_become_dates() {
        assert!(is_rfc3339("2024-06-06T09:31:12.5+02:00"));
        assert!(is_rfc3339("2024-06-06T09:31:12Z"));
        assert!(!is_rfc3339("2024-06-06T09:31:12"));
        assert_eq!(
            answer_date("2024-06-06T09:31:12").as_deref(),
            Some("2024-06-06")
        );
        assert_eq!(answer_date("0001-01-01T00:00:00"), None);
        assert_eq!(answer_date("soon"), None);
        assert_eq!(answer_date("2023-02-29T10:00:00Z"), None);
        assert_eq!(
            answer_date("2024-02-29T25:00:00Z").as_deref(),
            Some("2024-02-29")
        );
        assert!(!is_rfc3339("2024-06-06T09:31:12+02:00x"));
    }

    #[test]
    fn channels_are_read_from_free_text() {
        assert_eq!(channel("Workshop"), AnswerChannel::Interview);
        assert_eq!(channel("E-mail"), AnswerChannel::Email);
        assert_eq!(channel("Follow-up: f1"), AnswerChannel::FollowUp);
        assert_eq!(channel(""), AnswerChannel::Other);
    }

    #[test]
    fn utf16_is_read_with_or_without_a_byte_order_mark() {
        let units: Vec<u8> = "{\"a\": 1}"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decode_json_text(&units).unwrap(), "{\"a\": 1}");
        let mut with_bom = vec![0xff, 0xfe];
        with_bom.extend(&units);
        assert_eq!(decode_json_text(&with_bom).unwrap(), "{\"a\": 1}");
        assert!(decode_json_text(&with_bom[..with_bom.len() - 1]).is_err());
    }
}
