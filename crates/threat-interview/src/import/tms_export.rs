//! Questions back into Threats Manager Studio: topics to be clarified written into a copy of a
//! `.tm` model ([`write_topics`]), and a bank of templates as a `.tmq` question file for its
//! Quality extension ([`question_file`]).
//!
//! # Topics
//!
//! Each question of the engagement (but those skipped or obsolete) becomes a topic to be
//! clarified on each of its subjects that the model holds (an entity, a flow or a trust
//! boundary, by id), or on the model itself when it has none: its text and rationale, asked on,
//! by and via, whether it is answered, and its answers with who, when and how. The topics go
//! into the objects' `Annotations` property (the Quality extension's schema, reused from the
//! model or added to it); a topic already there with the same text is replaced, so writing
//! twice gives the same file. Nothing else is re-serialized: the new JSON is spliced into the
//! original text, which is written back as UTF-16 with its byte order mark, and every other
//! entry of the archive is copied as it is, compressed bytes included. The result is checked
//! before it is returned: read back, its model must import to the same component model, and
//! its JSON, less the annotations written, must equal the original's.
//!
//! # Question files
//!
//! A template becomes a question whose rule selects what the template applies to, when its
//! condition has an equivalent among Threats Manager Studio's rule nodes: the kinds (`Object
//! Type`), `all`, `any`, `not`, `source` and `target` (the `Source` and `Target` scopes),
//! `crosses`, `enters` and `leaves` any boundary, `has_incoming_from` and `has_outgoing_to`.
//! A pack's templates are ANDed with the pack's `enabled_by`. Every other operator (the
//! properties of the vocabulary, which Threats Manager Studio models do not carry; flags such
//! as `encrypted`; reachability and exposure; named boundaries) has none, and its templates are
//! listed, with the first operator that stopped them, in [`QuestionFile::without_rule`].

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Write};

use serde_json::{Map, Value, json};

use super::tms::{self, ANNOTATIONS_NAME, ANNOTATIONS_NAMESPACE, Archive, class_of, list};
use super::{ForeignFormat, ImportError};
use crate::bank::{AppliesTo, BankSet, BoundaryRef, Condition, KindFilter};
use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{AnswerChannel, ElementKind, Engagement, Question, QuestionStatus, SubjectKind};
use crate::source::{Limits, escape_pointer_token};

/// Who asks, and when, for topics whose question says neither.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TopicOptions {
    /// Who asked (`askedBy`), such as the threat modeler's name.
    pub asked_by: String,
    /// When, as an RFC 3339 date and time or a date (`askedOn`), for a question with no answer
    /// and no earlier date of its own.
    pub asked_on: String,
}

impl TopicOptions {
    /// Topics asked by someone on a date.
    pub fn new(asked_by: impl Into<String>, asked_on: impl Into<String>) -> Self {
        TopicOptions {
            asked_by: asked_by.into(),
            asked_on: asked_on.into(),
        }
    }
}

/// A `.tm` with topics written into it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TopicsWritten {
    /// The new file's bytes.
    pub bytes: Vec<u8>,
    /// How many topics were written (a question about three subjects counts three).
    pub topics: usize,
    /// How many answers they carry.
    pub answers: usize,
    /// Questions left out: about something the model does not hold.
    pub warnings: Vec<Diagnostic>,
}

const PROPERTY_TYPE: &str = "ThreatsManager.Engine.ObjectModel.Properties.PropertyJsonSerializableObject, ThreatsManager.Engine";
const ANNOTATIONS_TYPE: &str =
    "ThreatsManager.Quality.Annotations.Annotations, ThreatsManager.Quality";
const TOPIC_TYPE: &str =
    "ThreatsManager.Quality.Annotations.TopicToBeClarified, ThreatsManager.Quality";
const PROPERTY_LIST_TYPE: &str = "System.Collections.Generic.List`1[[ThreatsManager.Interfaces.ObjectModel.Properties.IProperty, ThreatsManager.Interfaces]], mscorlib";
const SCHEMA_TYPE: &str =
    "ThreatsManager.Engine.ObjectModel.Properties.PropertySchema, ThreatsManager.Engine";
const PROPERTY_TYPE_LIST_TYPE: &str = "System.Collections.Generic.List`1[[ThreatsManager.Interfaces.ObjectModel.Properties.IPropertyType, ThreatsManager.Interfaces]], mscorlib";
const JSON_PROPERTY_TYPE: &str = "ThreatsManager.Engine.ObjectModel.Properties.JsonSerializableObjectPropertyType, ThreatsManager.Engine";

fn failed(diagnostic: Diagnostic) -> ImportError {
    ImportError::Invalid {
        format: ForeignFormat::Tms,
        report: Box::new(Report::one(diagnostic)),
    }
}

/// Writes the engagement's questions, with their answers, into a copy of a Threats Manager
/// Studio model (a `.tm` archive or a `.tmj` file) as topics to be clarified.
pub fn write_topics(
    model_file: &[u8],
    engagement: &Engagement,
    options: &TopicOptions,
    limits: &Limits,
) -> Result<TopicsWritten, ImportError> {
    let asked_on = options.asked_on.trim();
    if !tms::is_date(asked_on) && !tms::is_rfc3339(asked_on) {
        return Err(failed(Diagnostic::error(
            DiagnosticCode::InvalidDate,
            "",
            format!(
                "asked on `{asked_on}` is not a date (`YYYY-MM-DD`) or an RFC 3339 date and time"
            ),
        )));
    }
    let (text, zipped) = tms::model_text(model_file, limits)?;
    let original_bytes = if zipped {
        let mut archive = Archive::open(model_file)?;
        let index = archive.model_index()?;
        archive.read(index, limits.max_bytes)?
    } else {
        model_file.to_vec()
    };
    let model = tms::parse_model(&text, limits)?;
    let plan = TopicPlan::new(&model, engagement, options);
    let (new_text, topics, answers) = plan.apply(&text, &model)?;
    let new_json = encode_like(&new_text, &original_bytes);
    check_written(&model, &new_json, limits, &plan)?;
    let bytes = if zipped {
        rezip(model_file, &new_json)?
    } else {
        new_json
    };
    Ok(TopicsWritten {
        bytes,
        topics,
        answers,
        warnings: plan.warnings,
    })
}

/// The text encoded as the original was: UTF-16 with the same byte order mark, or UTF-8.
fn encode_like(text: &str, original: &[u8]) -> Vec<u8> {
    let units = text.encode_utf16();
    if original.starts_with(&[0xfe, 0xff]) {
        let mut out = vec![0xfe, 0xff];
        out.extend(units.flat_map(u16::to_be_bytes));
        out
    } else if original.starts_with(&[0xff, 0xfe]) {
        let mut out = vec![0xff, 0xfe];
        out.extend(units.flat_map(u16::to_le_bytes));
        out
    } else if original.len() >= 2 && original[0] != 0 && original[1] == 0 {
        units.flat_map(u16::to_le_bytes).collect()
    } else {
        let mut out = Vec::new();
        if original.starts_with(b"\xEF\xBB\xBF") {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// The archive with its model entry replaced and every other entry copied as it is.
fn rezip(original: &[u8], model_json: &[u8]) -> Result<Vec<u8>, ImportError> {
    let write_error = |e: &dyn std::fmt::Display| {
        failed(Diagnostic::error(
            DiagnosticCode::Io,
            "",
            format!("cannot write the archive: {e}"),
        ))
    };
    let mut archive = Archive::open(original)?;
    let model_index = archive.model_index()?;
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.zip.len() {
        if index == model_index {
            let entry = archive
                .zip
                .by_index_raw(index)
                .map_err(|e| write_error(&e))?;
            let name = entry
                .name()
                .map(std::borrow::Cow::into_owned)
                .map_err(|e| write_error(&e))?;
            let mut file_options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(model_json.len() as u64 >= u64::from(u32::MAX));
            if let Some(time) = entry.last_modified() {
                file_options = file_options.last_modified_time(time);
            }
            drop(entry);
            writer
                .start_file(name, file_options)
                .map_err(|e| write_error(&e))?;
            writer.write_all(model_json).map_err(|e| write_error(&e))?;
        } else {
            let entry = archive
                .zip
                .by_index_raw(index)
                .map_err(|e| write_error(&e))?;
            writer.raw_copy_file(entry).map_err(|e| write_error(&e))?;
        }
    }
    let cursor = writer.finish().map_err(|e| write_error(&e))?;
    Ok(cursor.into_inner())
}

/// Reads the written model back: it must import to the same component model, and its JSON,
/// less the annotations written, must be the original's.
fn check_written(
    original: &Value,
    new_json: &[u8],
    limits: &Limits,
    plan: &TopicPlan,
) -> Result<(), ImportError> {
    let broken = |what: &str| {
        failed(Diagnostic::error(
            DiagnosticCode::InvalidStructure,
            "",
            format!(
                "the model written with topics does not read back as it should ({what}); nothing was written"
            ),
        ))
    };
    let text = tms::decode_json_text(new_json).map_err(|_| broken("encoding"))?;
    let written = tms::parse_model(&text, limits).map_err(|_| broken("JSON"))?;
    let mut stripped = written.clone();
    plan.strip(&mut stripped);
    let mut original_stripped = original.clone();
    plan.strip(&mut original_stripped);
    if stripped != original_stripped {
        return Err(broken("its structure differs from the original's"));
    }
    let before = tms::import_value(original);
    let after = tms::import_value(&written);
    if before.engagement.model != after.engagement.model {
        return Err(broken("its component model differs from the original's"));
    }
    Ok(())
}

/// Where every object of the model is, and the topics each gets.
struct TopicPlan {
    model_id: String,
    wrapped: bool,
    /// The annotations property type's id, and whether its schema must be added.
    annotations_type: String,
    add_schema: Option<Value>,
    /// Object pointers (`""` for the model) with their topics, in file order.
    topics: Vec<(String, Vec<Value>)>,
    /// The texts written per object, to replace earlier topics with the same text.
    texts: HashMap<String, HashSet<String>>,
    warnings: Vec<Diagnostic>,
}

impl TopicPlan {
    fn new(model: &Value, engagement: &Engagement, options: &TopicOptions) -> Self {
        let model_id = model
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or(tms_nil())
            .to_owned();
        let wrapped = ["entities", "dataFlows", "groups", "schemas"]
            .iter()
            .any(|k| model.get(*k).is_some_and(|v| v.get("$values").is_some()));
        let types = tms::property_types(model);
        let existing = types
            .iter()
            .filter(|(_, t)| t.is_annotations())
            .map(|(id, _)| id.clone())
            .min();
        // The type id as the file writes it (ids are compared without case).
        let existing = existing.and_then(|lower| find_type_id(model, &lower));
        let (annotations_type, add_schema) = if let Some(id) = existing {
            (id, None)
        } else {
            let schema_id = guid(&[&model_id, "threat-interview annotations schema"]);
            let type_id = guid(&[&model_id, "threat-interview annotations type"]);
            let schema = annotations_schema(&model_id, &schema_id, &type_id, wrapped);
            (type_id, Some(schema))
        };

        // Objects by id, in file order.
        let mut objects: Vec<(String, String)> = Vec::new();
        for key in ["entities", "dataFlows", "groups"] {
            let (items, at) = list(model.get(key), &format!("/{key}"));
            for (index, item) in items.iter().enumerate() {
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    objects.push((id.to_owned(), format!("{at}/{index}")));
                }
            }
        }
        let pointer_of: HashMap<&str, &str> = objects
            .iter()
            .map(|(id, p)| (id.as_str(), p.as_str()))
            .collect();

        let mut per_object: HashMap<String, Vec<Value>> = HashMap::new();
        let mut texts: HashMap<String, HashSet<String>> = HashMap::new();
        let mut warnings = Vec::new();
        for (q, question) in engagement.questions.iter().enumerate() {
            if question.obsolete || question.status == QuestionStatus::Skipped {
                continue;
            }
            let mut places: Vec<String> = Vec::new();
            for subject in &question.subjects {
                match pointer_of.get(subject.as_str()) {
                    Some(pointer) => places.push((*pointer).to_owned()),
                    None => warnings.push(Diagnostic::warning(
                        DiagnosticCode::TopicSubjectMissing,
                        format!("/questions/{q}/subjects"),
                        format!(
                            "question `{}` is about `{subject}`, which the Threats Manager Studio model does not hold: no topic there",
                            question.id
                        ),
                    )),
                }
            }
            if question.subjects.is_empty() {
                places.push(String::new());
            }
            places.dedup();
            for place in places {
                let topic = topic_json(question, engagement, options, &model_id);
                texts
                    .entry(place.clone())
                    .or_default()
                    .insert(question.text.clone());
                per_object.entry(place).or_default().push(topic);
            }
        }
        let mut topics: Vec<(String, Vec<Value>)> = per_object.into_iter().collect();
        topics.sort_by(|a, b| a.0.cmp(&b.0));
        TopicPlan {
            model_id,
            wrapped,
            annotations_type,
            add_schema,
            topics,
            texts,
            warnings,
        }
    }

    /// The new text: each object's annotations property written or replaced, the schema added
    /// when the model has none; and how many topics and answers were written.
    fn apply(&self, text: &str, model: &Value) -> Result<(String, usize, usize), ImportError> {
        let mut wanted: Vec<String> = Vec::new();
        for (pointer, _) in &self.topics {
            wanted.push(pointer.clone());
            wanted.push(format!("{pointer}/properties"));
            let (properties, at) = list(
                model.pointer(pointer).and_then(|o| o.get("properties")),
                &format!("{pointer}/properties"),
            );
            wanted.push(at.clone());
            for index in 0..properties.len() {
                wanted.push(format!("{at}/{index}"));
            }
        }
        wanted.push("/schemas".to_owned());
        let (_, schemas_at) = list(model.get("schemas"), "/schemas");
        wanted.push(schemas_at.clone());
        let spans = spans(text, &wanted.iter().map(String::as_str).collect());
        let span = |pointer: &str| spans.get(pointer).copied();

        let mut edits: Vec<(usize, usize, String)> = Vec::new();
        let (mut topic_count, mut answer_count) = (0, 0);
        for (pointer, topics) in &self.topics {
            topic_count += topics.len();
            answer_count += topics
                .iter()
                .map(|t| t.get("items").and_then(Value::as_array).map_or(0, Vec::len))
                .sum::<usize>();
            let object = model.pointer(pointer).unwrap_or(&Value::Null);
            let properties_value = object.get("properties");
            let (properties, list_at) = list(properties_value, &format!("{pointer}/properties"));
            let existing = properties.iter().position(|p| self.is_ours(p));
            match (properties_value, existing) {
                (Some(Value::Array(_) | Value::Object(_)), Some(index)) => {
                    let at = format!("{list_at}/{index}");
                    let old = properties[index];
                    let merged = self.property(
                        old.get("id").and_then(Value::as_str),
                        pointer,
                        topics,
                        Some(old),
                    );
                    let (start, end) = span(&at).ok_or_else(|| lost(&at))?;
                    edits.push((start, end, compact(&merged)));
                }
                (Some(Value::Array(_) | Value::Object(_)), None)
                    if span(&list_at).is_some_and(|(s, e)| {
                        text.as_bytes()[s] == b'[' && text.as_bytes()[e - 1] == b']'
                    }) =>
                {
                    let (start, end) = span(&list_at).ok_or_else(|| lost(&list_at))?;
                    let property = self.property(None, pointer, topics, None);
                    edits.push(append_to_array(text, start, end, &compact(&property)));
                }
                (Some(Value::Null) | None, _) | (Some(_), None) => {
                    let property = self.property(None, pointer, topics, None);
                    let new_list = self.property_list(vec![property]);
                    if let Some((start, end)) = span(&format!("{pointer}/properties")) {
                        edits.push((start, end, compact(&new_list)));
                    } else {
                        let (start, end) = span(pointer).ok_or_else(|| lost(pointer))?;
                        edits.push(add_member(
                            text,
                            start,
                            end,
                            "properties",
                            &compact(&new_list),
                        ));
                    }
                }
                (Some(_), Some(_)) => return Err(lost(&list_at)),
            }
        }
        if let Some(schema) = &self.add_schema {
            match (model.get("schemas"), span(&schemas_at)) {
                (Some(Value::Array(_) | Value::Object(_)), Some((start, end)))
                    if text.as_bytes()[start] == b'[' =>
                {
                    edits.push(append_to_array(text, start, end, &compact(schema)));
                }
                _ => {
                    let new_list = if self.wrapped {
                        json!({"$type": format!("System.Collections.Generic.List`1[[ThreatsManager.Interfaces.ObjectModel.Properties.IPropertySchema, ThreatsManager.Interfaces]], mscorlib"), "$values": [schema]})
                    } else {
                        json!([schema])
                    };
                    if let Some((start, end)) = span("/schemas") {
                        edits.push((start, end, compact(&new_list)));
                    } else {
                        let (start, end) = span("").ok_or_else(|| lost(""))?;
                        edits.push(add_member(text, start, end, "schemas", &compact(&new_list)));
                    }
                }
            }
        }
        edits.sort_by_key(|edit| std::cmp::Reverse(edit.0));
        let mut out = text.to_owned();
        let mut last_start = usize::MAX;
        for (start, end, replacement) in edits {
            if end > last_start {
                return Err(lost("overlapping edits"));
            }
            out.replace_range(start..end, &replacement);
            last_start = start;
        }
        Ok((out, topic_count, answer_count))
    }

    /// Whether a property is the annotations property.
    fn is_ours(&self, property: &Value) -> bool {
        property
            .get("propertyTypeId")
            .and_then(Value::as_str)
            .is_some_and(|id| id.eq_ignore_ascii_case(&self.annotations_type))
    }

    fn property_list(&self, items: Vec<Value>) -> Value {
        if self.wrapped {
            json!({"$type": PROPERTY_LIST_TYPE, "$values": items})
        } else {
            Value::Array(items)
        }
    }

    /// The annotations property of an object: its earlier items but the topics rewritten,
    /// then the topics.
    fn property(
        &self,
        id: Option<&str>,
        pointer: &str,
        topics: &[Value],
        old: Option<&Value>,
    ) -> Value {
        let texts = self.texts.get(pointer);
        let old_value = old.and_then(|o| o.get("value"));
        let old_items_value = old_value.and_then(|v| v.get("items"));
        let mut items: Vec<Value> = list(old_items_value, "")
            .0
            .into_iter()
            .filter(|item| {
                !(class_of(item) == "TopicToBeClarified"
                    && item
                        .get("text")
                        .and_then(Value::as_str)
                        .is_some_and(|t| texts.is_some_and(|texts| texts.contains(t.trim()))))
            })
            .cloned()
            .collect();
        items.extend(topics.iter().cloned());
        let items = match old_items_value {
            Some(Value::Object(wrapper)) => {
                let mut wrapper = wrapper.clone();
                wrapper.insert("$values".into(), Value::Array(items));
                Value::Object(wrapper)
            }
            _ => Value::Array(items),
        };
        // The earlier value's members stay where they were; a new value is written as the
        // Quality extension writes one.
        let value = if let Some(Value::Object(old_value)) = old_value {
            let mut value = old_value.clone();
            value.insert("items".into(), items);
            value
        } else {
            let mut value = Map::new();
            value.insert("$type".into(), json!(ANNOTATIONS_TYPE));
            value.insert("items".into(), items);
            value.insert("modelId".into(), json!(self.model_id));
            value
        };
        if let Some(Value::Object(old)) = old {
            let mut property = old.clone();
            property.insert("value".into(), Value::Object(value));
            return Value::Object(property);
        }
        let mut property = Map::new();
        property.insert("$type".into(), json!(PROPERTY_TYPE));
        property.insert("value".into(), Value::Object(value));
        property.insert("modelId".into(), json!(self.model_id));
        let id = id.map_or_else(
            || guid(&[&self.model_id, pointer, "threat-interview annotations"]),
            str::to_owned,
        );
        property.insert("id".into(), json!(id));
        property.insert("propertyTypeId".into(), json!(self.annotations_type));
        property.insert("readOnly".into(), json!(false));
        Value::Object(property)
    }

    /// Removes what the plan writes from a model: the topics it writes (by text) from the
    /// annotations of the objects it writes to, the annotations properties left empty, the
    /// property lists left empty (as `null`), and the schema it adds.
    fn strip(&self, model: &mut Value) {
        for (pointer, _) in &self.topics {
            let texts = self.texts.get(pointer);
            let Some(object) = model.pointer_mut(pointer) else {
                continue;
            };
            // Absent, `null` and empty lists are all "no property".
            let empty = object.get("properties").is_none_or(list_is_empty);
            if empty {
                if let Some(object) = object.as_object_mut() {
                    object.remove("properties");
                }
                continue;
            }
            let Some(properties) = object.get_mut("properties") else {
                continue;
            };
            let list = match properties {
                Value::Array(items) => Some(items),
                Value::Object(o) => o.get_mut("$values").and_then(Value::as_array_mut),
                _ => None,
            };
            if let Some(list) = list {
                for property in list.iter_mut() {
                    if !self.is_ours(property) {
                        continue;
                    }
                    let items =
                        property
                            .pointer_mut("/value/items")
                            .and_then(|items| match items {
                                Value::Array(a) => Some(a),
                                Value::Object(o) => {
                                    o.get_mut("$values").and_then(Value::as_array_mut)
                                }
                                _ => None,
                            });
                    if let Some(items) = items {
                        items.retain(|item| {
                            !(class_of(item) == "TopicToBeClarified"
                                && item.get("text").and_then(Value::as_str).is_some_and(|t| {
                                    texts.is_some_and(|texts| texts.contains(t.trim()))
                                }))
                        });
                    }
                }
                list.retain(|property| {
                    !(self.is_ours(property)
                        && property.pointer("/value/items").is_none_or(list_is_empty))
                });
                if list.is_empty()
                    && let Some(object) = object.as_object_mut()
                {
                    object.remove("properties");
                }
            }
        }
        if let Some(schema) = &self.add_schema {
            let schema_id = schema.get("id").cloned();
            if let Some(schemas) = model.get_mut("schemas") {
                let list = match schemas {
                    Value::Array(items) => Some(items),
                    Value::Object(o) => o.get_mut("$values").and_then(Value::as_array_mut),
                    _ => None,
                };
                if let Some(list) = list {
                    list.retain(|s| s.get("id") != schema_id.as_ref());
                    if list.is_empty() {
                        *schemas = Value::Null;
                    }
                }
            }
        }
    }
}

fn list_is_empty(items: &Value) -> bool {
    match items {
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o
            .get("$values")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty),
        _ => true,
    }
}

fn lost(pointer: &str) -> ImportError {
    failed(Diagnostic::error(
        DiagnosticCode::InvalidStructure,
        pointer.to_owned(),
        format!("cannot find `{pointer}` in the model text to write the topics there"),
    ))
}

fn tms_nil() -> &'static str {
    "00000000-0000-0000-0000-000000000000"
}

/// The property type id as the model writes it.
fn find_type_id(model: &Value, lower: &str) -> Option<String> {
    for schema in list(model.get("schemas"), "").0 {
        for property_type in list(schema.get("propertyTypes"), "").0 {
            if let Some(id) = property_type.get("id").and_then(Value::as_str)
                && id.eq_ignore_ascii_case(lower)
            {
                return Some(id.to_owned());
            }
        }
    }
    None
}

fn annotations_schema(model_id: &str, schema_id: &str, type_id: &str, wrapped: bool) -> Value {
    let property_type = json!({
        "$type": JSON_PROPERTY_TYPE,
        "visible": true,
        "propertyViewer": "Annotations Property Viewer",
        "id": type_id,
        "name": ANNOTATIONS_NAME,
        "description": "Annotations to objects.",
        "modelId": model_id,
        "schema": schema_id,
    });
    let property_types = if wrapped {
        json!({"$type": PROPERTY_TYPE_LIST_TYPE, "$values": [property_type]})
    } else {
        json!([property_type])
    };
    json!({
        "$type": SCHEMA_TYPE,
        "propertyTypes": property_types,
        "id": schema_id,
        "name": ANNOTATIONS_NAME,
        "description": "Property Schema that collects properties related to the Quality Extension annotations functionality.",
        "modelId": model_id,
        "namespace": ANNOTATIONS_NAMESPACE,
        "scope": 1_073_741_823,
        "priority": 1000,
        "visible": true,
        "system": true,
        "notExportable": true,
    })
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// An edit that appends an item to the array written at `start..end`.
fn append_to_array(text: &str, start: usize, end: usize, item: &str) -> (usize, usize, String) {
    let inner = &text[start + 1..end - 1];
    let close = end - 1;
    if inner.trim().is_empty() {
        (start + 1, close, item.to_owned())
    } else {
        // After the last item, before the whitespace that precedes `]`.
        let last = start + 1 + inner.trim_end().len();
        (last, last, format!(",{item}"))
    }
}

/// An edit that adds a member to the object written at `start..end`.
fn add_member(
    text: &str,
    start: usize,
    end: usize,
    key: &str,
    value: &str,
) -> (usize, usize, String) {
    let inner = &text[start + 1..end - 1];
    let member = format!("{}:{value}", compact(&json!(key)));
    if inner.trim().is_empty() {
        (start + 1, end - 1, member)
    } else {
        let last = start + 1 + inner.trim_end().len();
        (last, last, format!(",{member}"))
    }
}

/// A GUID made from a hash of some parts: the same parts give the same GUID, so writing twice
/// gives the same file.
fn guid(parts: &[&str]) -> String {
    // FNV-1a, 128 bits.
    let mut hash: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
        }
    }
    // Version 4 and variant bits, as a random GUID has.
    hash = (hash & !(0xf << 76)) | (0x4 << 76);
    hash = (hash & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{hash:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A date as Threats Manager Studio writes one: an RFC 3339 date and time with an offset (a
/// date alone is taken at midnight UTC, `Z` is written `+00:00`).
fn tms_date(at: &str) -> String {
    let at = at.trim();
    if at.len() == 10 {
        return format!("{at}T00:00:00+00:00");
    }
    match at.strip_suffix('Z').or_else(|| at.strip_suffix('z')) {
        Some(rest) => format!("{rest}+00:00"),
        None => at.to_owned(),
    }
}

fn channel_words(via: AnswerChannel) -> &'static str {
    match via {
        AnswerChannel::Interview => "Interview",
        AnswerChannel::FollowUp => "Follow-up",
        AnswerChannel::Document => "Document",
        AnswerChannel::Email => "Email",
        AnswerChannel::Chat => "Chat",
        AnswerChannel::Other => "Other",
        AnswerChannel::Model => "Model",
    }
}

fn tms_extension<'q>(
    extensions: Option<&'q crate::model::Extensions>,
    key: &str,
) -> Option<&'q str> {
    extensions
        .and_then(|e| e.get("tms"))
        .and_then(|t| t.get(key))
        .and_then(Value::as_str)
}

/// A question as a topic to be clarified.
fn topic_json(
    question: &Question,
    engagement: &Engagement,
    options: &TopicOptions,
    model_id: &str,
) -> Value {
    let person = |id: &str| {
        engagement
            .participant(id)
            .map_or_else(|| id.to_owned(), |p| p.name.clone())
    };
    let mut answers = Vec::new();
    for answer in &question.answers {
        let on = tms_extension(answer.extensions.as_ref(), "answeredOn")
            .map(str::to_owned)
            .or_else(|| answer.at.as_deref().map(tms_date));
        let by = tms_extension(answer.extensions.as_ref(), "answeredBy")
            .map(str::to_owned)
            .or_else(|| answer.by.as_deref().map(person));
        let via = tms_extension(answer.extensions.as_ref(), "answeredVia").map_or_else(
            || match &answer.reference {
                Some(reference) => format!("{}: {reference}", channel_words(answer.via)),
                None => channel_words(answer.via).to_owned(),
            },
            str::to_owned,
        );
        let mut item = Map::new();
        item.insert("answeredOn".into(), json!(on));
        item.insert("answeredBy".into(), json!(by));
        item.insert("answeredVia".into(), json!(via));
        item.insert("printable".into(), json!(true));
        item.insert("createdOn".into(), json!(on));
        item.insert("createdBy".into(), json!(by));
        item.insert("modifiedOn".into(), json!(on));
        item.insert("modifiedBy".into(), json!(by));
        item.insert("text".into(), json!(answer.text));
        answers.push(Value::Object(item));
    }
    let first_answer_on = question
        .answers
        .iter()
        .filter_map(|a| a.at.as_deref())
        .min()
        .map(tms_date);
    let asked_on = tms_extension(question.extensions.as_ref(), "askedOn")
        .map(str::to_owned)
        .or(first_answer_on)
        .unwrap_or_else(|| tms_date(&options.asked_on));
    let asked_by = tms_extension(question.extensions.as_ref(), "askedBy")
        .map_or_else(|| options.asked_by.clone(), str::to_owned);
    let on_agenda = engagement.interviews.iter().find(|i| {
        i.agenda
            .iter()
            .chain(&i.if_time_permits)
            .any(|a| a.question == question.id)
    });
    let asked_via = tms_extension(question.extensions.as_ref(), "askedVia").map_or_else(
        || match (on_agenda, question.answers.first()) {
            (Some(interview), _) => format!("Interview: {}", interview.title),
            (None, Some(answer)) => channel_words(answer.via).to_owned(),
            (None, None) => "Interview".to_owned(),
        },
        str::to_owned,
    );
    let answered = question.status == QuestionStatus::Answered
        || !question.answers.is_empty()
        || question
            .extensions
            .as_ref()
            .and_then(|e| e.get("tms"))
            .and_then(|t| t.get("answered"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
    let last_on = answers
        .last()
        .and_then(|a| a.get("answeredOn"))
        .and_then(Value::as_str)
        .map_or_else(|| asked_on.clone(), str::to_owned);
    let last_by = answers
        .last()
        .and_then(|a| a.get("answeredBy"))
        .and_then(Value::as_str)
        .map_or_else(|| asked_by.clone(), str::to_owned);
    let mut topic = Map::new();
    topic.insert("$type".into(), json!(TOPIC_TYPE));
    topic.insert("modelId".into(), json!(model_id));
    topic.insert("rationale".into(), json!(question.rationale));
    topic.insert("askedOn".into(), json!(asked_on));
    topic.insert("askedBy".into(), json!(asked_by));
    topic.insert("askedVia".into(), json!(asked_via));
    topic.insert("answered".into(), json!(answered));
    topic.insert("items".into(), Value::Array(answers));
    topic.insert("createdOn".into(), json!(asked_on));
    topic.insert("createdBy".into(), json!(asked_by));
    topic.insert("modifiedOn".into(), json!(last_on));
    topic.insert("modifiedBy".into(), json!(last_by));
    topic.insert("text".into(), json!(question.text));
    Value::Object(topic)
}

/// The byte spans of the values at some JSON Pointers in a text known to be valid JSON
/// (`""` is the whole document).
fn spans(text: &str, wanted: &HashSet<&str>) -> HashMap<String, (usize, usize)> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        text,
        at: 0,
        wanted,
        found: HashMap::new(),
    };
    let mut pointer = String::new();
    scanner.skip_ws();
    scanner.value(&mut pointer);
    scanner.found
}

struct Scanner<'t, 'w> {
    bytes: &'t [u8],
    text: &'t str,
    at: usize,
    wanted: &'w HashSet<&'w str>,
    found: HashMap<String, (usize, usize)>,
}

impl Scanner<'_, '_> {
    fn skip_ws(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn string(&mut self) -> (usize, usize) {
        let start = self.at;
        self.at += 1;
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => break,
                _ => {}
            }
        }
        (start, self.at)
    }

    fn value(&mut self, pointer: &mut String) {
        let start = self.at;
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.at) {
                        Some(b'}') => {
                            self.at += 1;
                            break;
                        }
                        Some(b',') => self.at += 1,
                        Some(b'"') => {
                            let (s, e) = self.string();
                            let key: String =
                                serde_json::from_str(&self.text[s..e]).unwrap_or_default();
                            self.skip_ws();
                            self.at += 1; // the colon
                            self.skip_ws();
                            let len = pointer.len();
                            pointer.push('/');
                            pointer.push_str(&escape_pointer_token(&key));
                            self.value(pointer);
                            pointer.truncate(len);
                        }
                        _ => break,
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut index = 0usize;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.at) {
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        Some(b',') => {
                            self.at += 1;
                        }
                        Some(_) => {
                            let len = pointer.len();
                            pointer.push('/');
                            pointer.push_str(&index.to_string());
                            self.value(pointer);
                            pointer.truncate(len);
                            index += 1;
                        }
                        None => break,
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            Some(_) => {
                while self
                    .bytes
                    .get(self.at)
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.at += 1;
                }
            }
            None => return,
        }
        if self.wanted.contains(pointer.as_str()) {
            self.found.insert(pointer.clone(), (start, self.at));
        }
    }
}

/// A `.tmq` question file, and the templates it could not hold.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QuestionFile {
    /// The file's bytes: UTF-16LE JSON with a byte order mark.
    pub bytes: Vec<u8>,
    /// The ids of the templates written, in bank order.
    pub written: Vec<String>,
    /// The templates with no Threats Manager Studio rule, each with the operator (or the
    /// reason) that has none.
    pub without_rule: Vec<(String, String)>,
}

const NODE_NS: &str = "ThreatsManager.AutoGenRules.Engine";
const NODE_ASSEMBLY: &str = "ThreatsManager.AutoGenRules";
const ZERO: &str = "00000000-0000-0000-0000-000000000000";

fn node_type(class: &str) -> String {
    format!("{NODE_NS}.{class}, {NODE_ASSEMBLY}")
}

/// The rule scope a condition is read in.
#[derive(Clone, Copy)]
enum Scope {
    Object,
    Source,
    Target,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Scope::Object => "Object",
            Scope::Source => "Source",
            Scope::Target => "Target",
        }
    }
}

const OBJECT_TYPES: [&str; 5] = [
    "External Interactor",
    "Process",
    "Data Store",
    "Flow",
    "Threat Model",
];

fn object_type(value: &str, scope: Scope) -> Value {
    json!({
        "$type": node_type("EnumValueRuleNode"),
        "namespace": null,
        "schema": null,
        "values": null,
        "items": OBJECT_TYPES.iter().map(|v| json!({"value": v})).collect::<Vec<_>>(),
        "value": value,
        "name": "Object Type",
        "scope": scope.as_str(),
        "modelId": ZERO,
    })
}

fn kind_name(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::ExternalInteractor => "External Interactor",
        SubjectKind::Process => "Process",
        SubjectKind::DataStore => "Data Store",
        SubjectKind::DataFlow => "Flow",
    }
}

fn entity_type(kind: ElementKind) -> &'static str {
    match kind {
        ElementKind::ExternalInteractor => "ExternalInteractor",
        ElementKind::Process => "Process",
        ElementKind::DataStore => "DataStore",
    }
}

fn boolean_node(class: &str, name: &str, value: bool, scope: Scope) -> Value {
    json!({
        "$type": node_type(class),
        "value": value,
        "name": name,
        "scope": scope.as_str(),
        "modelId": ZERO,
    })
}

fn combine(class: &str, name: &str, nodes: Vec<Value>, scope: Scope) -> Value {
    let mut node = Map::new();
    node.insert("$type".into(), json!(node_type(class)));
    node.insert("name".into(), json!(name));
    node.insert("scope".into(), json!(scope.as_str()));
    node.insert("children".into(), Value::Null);
    node.insert("nodes".into(), Value::Array(nodes));
    node.insert("modelId".into(), json!(ZERO));
    Value::Object(node)
}

fn any_of(nodes: Vec<Value>, scope: Scope) -> Value {
    if nodes.len() == 1 {
        nodes.into_iter().next().unwrap_or(Value::Null)
    } else {
        combine("OrRuleNode", "OR", nodes, scope)
    }
}

fn all_of(nodes: Vec<Value>, scope: Scope) -> Value {
    if nodes.len() == 1 {
        nodes.into_iter().next().unwrap_or(Value::Null)
    } else {
        combine("AndRuleNode", "AND", nodes, scope)
    }
}

fn negate(child: Value, scope: Scope) -> Value {
    let mut node = Map::new();
    node.insert("$type".into(), json!(node_type("NotRuleNode")));
    node.insert("name".into(), json!("NOT"));
    node.insert("scope".into(), json!(scope.as_str()));
    node.insert("child".into(), child);
    node.insert("modelId".into(), json!(ZERO));
    Value::Object(node)
}

/// A condition as a rule node, or the operator that has no equivalent.
fn rule(condition: &Condition, scope: Scope) -> Result<Value, String> {
    let on_flow_only = |name: &str| -> Result<(), String> {
        match scope {
            Scope::Object => Ok(()),
            _ => Err(format!("`{name}` inside `source` or `target`")),
        }
    };
    let any_boundary = |name: &str, boundary: &BoundaryRef| -> Result<(), String> {
        match boundary {
            BoundaryRef::Any => Ok(()),
            BoundaryRef::Named(_) => Err(format!("`{name}` of a named boundary")),
        }
    };
    let has = |class: &str, name: &str, filter: &KindFilter| -> Value {
        let kinds: Vec<ElementKind> = match filter {
            KindFilter::Any => vec![
                ElementKind::ExternalInteractor,
                ElementKind::Process,
                ElementKind::DataStore,
            ],
            KindFilter::Kind(kind) => vec![*kind],
        };
        any_of(
            kinds
                .into_iter()
                .map(|kind| {
                    json!({
                        "$type": node_type(class),
                        "entityType": entity_type(kind),
                        "name": name,
                        "scope": scope.as_str(),
                        "modelId": ZERO,
                    })
                })
                .collect(),
            scope,
        )
    };
    Ok(match condition {
        Condition::All(items) => all_of(
            items
                .iter()
                .map(|c| rule(c, scope))
                .collect::<Result<_, _>>()?,
            scope,
        ),
        Condition::Any(items) => any_of(
            items
                .iter()
                .map(|c| rule(c, scope))
                .collect::<Result<_, _>>()?,
            scope,
        ),
        Condition::Not(inner) => negate(rule(inner, scope)?, scope),
        Condition::Kind(kinds) => any_of(
            kinds
                .0
                .iter()
                .map(|k| object_type(kind_name(*k), scope))
                .collect(),
            scope,
        ),
        Condition::Crosses(boundary) => {
            on_flow_only("crosses")?;
            any_boundary("crosses", boundary)?;
            boolean_node(
                "CrossTrustBoundaryRuleNode",
                "Crosses Trust Boundary",
                true,
                scope,
            )
        }
        Condition::Enters(boundary) => {
            on_flow_only("enters")?;
            any_boundary("enters", boundary)?;
            boolean_node(
                "EnterTrustBoundaryRuleNode",
                "Enters Trust Boundary",
                true,
                scope,
            )
        }
        Condition::Leaves(boundary) => {
            on_flow_only("leaves")?;
            any_boundary("leaves", boundary)?;
            boolean_node(
                "ExitTrustBoundaryRuleNode",
                "Exits Trust Boundary",
                true,
                scope,
            )
        }
        Condition::Source(inner) => match scope {
            Scope::Object => rule(inner, Scope::Source)?,
            _ => return Err("`source` inside `source` or `target`".to_owned()),
        },
        Condition::Target(inner) => match scope {
            Scope::Object => rule(inner, Scope::Target)?,
            _ => return Err("`target` inside `source` or `target`".to_owned()),
        },
        Condition::HasIncomingFrom(filter) => has("HasIncomingRuleNode", "Has Incoming", filter),
        Condition::HasOutgoingTo(filter) => has("HasOutgoingRuleNode", "Has Outgoing", filter),
        other => {
            let value = serde_json::to_value(other).unwrap_or(Value::Null);
            let operator = value
                .as_object()
                .and_then(|o| o.keys().next().cloned())
                .unwrap_or_else(|| "?".to_owned());
            return Err(format!("`{operator}`"));
        }
    })
}

/// A template's text with its placeholders said generically, for a question asked of any
/// object that matches its rule.
fn generic_text(text: &str, applies_to: &[AppliesTo]) -> String {
    let subject = match applies_to {
        [AppliesTo::ExternalInteractor] => "this external interactor",
        [AppliesTo::Process] => "this process",
        [AppliesTo::DataStore] => "this data store",
        [AppliesTo::DataFlow] => "this flow",
        _ => "this element",
    };
    let kind = match applies_to {
        [one] => one.subject_kind().map_or("element", SubjectKind::words),
        _ => "element",
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['{', '}']) {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if rest.as_bytes()[i] == b'}' {
            out.push('}');
            rest = after.strip_prefix('}').unwrap_or(after);
            continue;
        }
        if let Some(after) = after.strip_prefix('{') {
            out.push('{');
            rest = after;
            continue;
        }
        let Some(end) = after.find('}') else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        let written = &after[..end];
        let name = written.split('|').next().unwrap_or_default();
        let words = match name {
            "element" => subject,
            "elements" => "these elements",
            "kind" => kind,
            "source" => "the source",
            "target" => "the target",
            "initiator" => "the caller",
            "responder" => "the element called",
            "protocol" => "its protocol",
            "boundary" => "its trust boundary",
            "boundaries" => "its trust boundaries",
            "data" => "the data",
            "restricted" => "the restricted data",
            "callers" => "its callers",
            "targets" => "the elements it calls",
            "zone" => "the protected zone",
            "gateway" => "the gateway",
            "identity_provider" => "the identity provider",
            "audit_log" => "the audit log",
            "auth_methods" => "the ways it signs in",
            "system" => "the system",
            "engagement" => "this threat model",
            // An agreement (`{is|are}`): the subject is written in the singular.
            _ if written.contains('|') => name,
            _ => "it",
        };
        out.push_str(words);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    // A sentence starts with a capital.
    let mut chars = out.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() && text.starts_with('{') => {
            first.to_uppercase().chain(chars).collect()
        }
        _ => out,
    }
}

/// The templates of a bank set as a Threats Manager Studio `.tmq` question file.
pub fn question_file(banks: &BankSet) -> QuestionFile {
    let mut questions = Vec::new();
    let mut written = Vec::new();
    let mut without_rule = Vec::new();
    let mut seen_texts = HashSet::new();
    for entry in banks.templates() {
        let template = &entry.template;
        let kinds: Vec<Value> = template
            .applies_to
            .iter()
            .map(|a| match a.subject_kind() {
                Some(kind) => object_type(kind_name(kind), Scope::Object),
                None => object_type("Threat Model", Scope::Object),
            })
            .collect();
        let mut nodes = vec![any_of(kinds, Scope::Object)];
        let mut result = Ok(());
        if let Some(pack) = entry.pack.and_then(|p| banks.packs().get(p)) {
            match rule(&pack.enabled_by, Scope::Object) {
                Ok(node) => nodes.push(node),
                Err(operator) => {
                    result = Err(format!(
                        "{operator} (in the `{}` pack's `enabled_by`)",
                        pack.id
                    ));
                }
            }
        }
        if result.is_ok()
            && let Some(condition) = &template.when
        {
            match rule(condition, Scope::Object) {
                Ok(node) => nodes.push(node),
                Err(operator) => result = Err(operator),
            }
        }
        if let Err(reason) = result {
            without_rule.push((template.id.clone(), reason));
            continue;
        }
        let text = generic_text(&template.text, &template.applies_to);
        // The Quality extension skips a question whose text it already has.
        if !seen_texts.insert(text.clone()) {
            without_rule.push((
                template.id.clone(),
                "the same text as a template already written".to_owned(),
            ));
            continue;
        }
        let rationale = generic_text(&template.rationale, &template.applies_to);
        questions.push(json!({
            "$type": "ThreatsManager.Quality.Annotations.Question, ThreatsManager.Quality",
            "text": text,
            "rationale": rationale,
            "rule": {
                "$type": node_type("SelectionRule"),
                "node": all_of(nodes, Scope::Object),
                "modelId": ZERO,
            },
        }));
        written.push(template.id.clone());
    }
    let file = json!({
        "$type": "PostSharp.Patterns.Collections.AdvisableCollection`1[[ThreatsManager.Quality.Annotations.Question, ThreatsManager.Quality]], PostSharp.Patterns.Common",
        "$values": questions,
    });
    let text = serde_json::to_string_pretty(&file).unwrap_or_default();
    let mut bytes = vec![0xff, 0xfe];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    QuestionFile {
        bytes,
        written,
        without_rule,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_find_values_by_pointer() {
        let text = r#"{"a": [1, {"b": null}], "c": {"$values": [ ]}, "d\"": "x"}"#;
        let wanted: HashSet<&str> = ["", "/a/1/b", "/c/$values", "/d\""].into_iter().collect();
        let found = spans(text, &wanted);
        let at = |p: &str| {
            let (s, e) = found[p];
            &text[s..e]
        };
        assert_eq!(at("/a/1/b"), "null");
        assert_eq!(at("/c/$values"), "[ ]");
        assert_eq!(at("/d\""), "\"x\"");
        assert_eq!(at(""), text);
    }

    #[test]
    fn arrays_and_objects_grow_in_place() {
        let text = "[1, 2\r\n]";
        let (s, e, r) = append_to_array(text, 0, text.len(), "3");
        let mut out = text.to_owned();
        out.replace_range(s..e, &r);
        assert_eq!(out, "[1, 2,3\r\n]");
        let text = "{}";
        let (s, e, r) = add_member(text, 0, 2, "k", "1");
        let mut out = text.to_owned();
        out.replace_range(s..e, &r);
        assert_eq!(out, r#"{"k":1}"#);
    }

    #[test]
    fn guids_are_stable_and_well_formed() {
        let a = guid(&["model", "x"]);
        assert_eq!(a, guid(&["model", "x"]));
        assert_ne!(a, guid(&["model", "y"]));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }

    #[test]
    fn texts_speak_of_any_object() {
        assert_eq!(
            generic_text(
                "{element} sends {data|or} to {target}; {{x}}",
                &[AppliesTo::DataFlow]
            ),
            "This flow sends the data to the target; {x}"
        );
        assert_eq!(tms_date("2024-06-05"), "2024-06-05T00:00:00+00:00");
        assert_eq!(
            tms_date("2024-06-05T10:00:00Z"),
            "2024-06-05T10:00:00+00:00"
        );
    }
}
