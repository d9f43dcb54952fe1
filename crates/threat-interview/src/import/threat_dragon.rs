//! OWASP Threat Dragon JSON, v2 (`detail.diagrams[].cells[]`, a cell's kind in `shape`, its
//! flags in `data`) and v1 (`detail.diagrams[].diagramJson.cells[]`, the kind in `type`, the
//! flags on the cell itself).
//!
//! Actors, processes and stores become elements; flows become flows; boxes (`trust-boundary-box`)
//! become boundaries holding the elements drawn entirely inside them, nested when a box lies
//! inside another; curves (`trust-boundary-curve`, every v1 `tm.Boundary`) become boundaries
//! that the flows whose path meets them cross (`Flow::crosses`). The flags map onto the
//! property vocabulary (`docs/import-export.md` has the table), others are kept as properties
//! under their own names in snake case, threats and the drawing are kept under
//! `extensions["x-threat-dragon"]`, and text blocks are kept as notes of the engagement.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::geometry::{Point, Rect, innermost, paths_meet};
use super::skeleton::{self, About, Ids, clean_name};
use super::{ForeignFormat, ImportError, Imported};
use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{
    Boundary, ComponentModel, Element, ElementKind, Extensions, Flow, Properties, PropertyValue,
};
use crate::source::{self, Format, Limits, escape_pointer_token};

/// The key of the data kept under `extensions`.
pub(crate) const EXTENSION: &str = "x-threat-dragon";

/// How far from an element's box a loose flow end may be drawn and still be read as attached
/// to it, in drawing units (Threat Dragon's ports sit on the box's edge).
const SNAP: f64 = 20.0;

/// Cell keys that describe the drawing, not the model: read for geometry or not at all.
const DRAWING_KEYS: &[&str] = &[
    "id",
    "type",
    "shape",
    "size",
    "position",
    "angle",
    "z",
    "zIndex",
    "attrs",
    "ports",
    "source",
    "target",
    "vertices",
    "labels",
    "smooth",
    "visible",
    "connector",
    "router",
    "markup",
    "tools",
    "width",
    "height",
    "parent",
    "children",
    "embeds",
    "data",
];

/// Flags that say nothing the model does not already (derived by Threat Dragon), or that are
/// read elsewhere.
const DERIVED_KEYS: &[&str] = &[
    "type",
    "name",
    "description",
    "isTrustBoundary",
    "hasOpenThreats",
    "threatFrequency",
    "outOfScope",
    "reasonOutOfScope",
    "threats",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Element(ElementKind),
    Flow,
    Box,
    Curve,
    Text,
}

/// A cell read from a diagram.
struct Cell<'v> {
    pointer: String,
    /// Where its flags are: `…/data` (v2) or the cell itself (v1).
    data_pointer: String,
    kind: Kind,
    /// Its id in the file (may be blank).
    raw_id: String,
    value: &'v Map<String, Value>,
    data: Option<&'v Map<String, Value>>,
}

/// What is known of an element of the current diagram, for flows and boxes.
struct Placed {
    /// Index in the model's elements.
    index: usize,
    rect: Option<Rect>,
}

struct Reader {
    warnings: Vec<Diagnostic>,
    ids: Ids,
    model: ComponentModel,
    out_of_scope: Vec<String>,
    notes: Vec<Value>,
    threats: usize,
    first_threats: Option<String>,
    unnamed: HashMap<&'static str, usize>,
}

fn ptr(base: &str, key: &str) -> String {
    format!("{base}/{}", escape_pointer_token(key))
}

fn number(value: Option<&Value>) -> Option<f64> {
    value.and_then(Value::as_f64).filter(|v| v.is_finite())
}

fn point_of(value: &Value) -> Option<Point> {
    Some(Point::new(number(value.get("x"))?, number(value.get("y"))?))
}

fn rect_of(cell: &Map<String, Value>) -> Option<Rect> {
    let position = cell.get("position")?;
    let size = cell.get("size")?;
    Some(Rect::new(
        number(position.get("x"))?,
        number(position.get("y"))?,
        number(size.get("width"))?,
        number(size.get("height"))?,
    ))
}

fn text_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut v = value;
    for key in path {
        v = v.get(key)?;
    }
    v.as_str()
}

/// The text at a path of keys in a cell.
fn text_in<'v>(cell: &'v Map<String, Value>, path: &[&str]) -> Option<&'v str> {
    let (first, rest) = path.split_first()?;
    text_at(cell.get(*first)?, rest)
}

/// The label drawn on a cell: its text, or its first label's.
fn label(cell: &Map<String, Value>) -> Option<String> {
    for path in [["attrs", "text", "text"], ["attrs", "label", "text"]] {
        if let Some(name) = text_in(cell, &path).and_then(clean_name) {
            return Some(name);
        }
    }
    for label in cell.get("labels")?.as_array()? {
        if let Some(name) = label.as_str().and_then(clean_name) {
            return Some(name);
        }
        for path in [
            ["attrs", "labelText", "text"],
            ["attrs", "text", "text"],
            ["attrs", "label", "text"],
        ] {
            if let Some(name) = text_at(label, &path).and_then(clean_name) {
                return Some(name);
            }
        }
    }
    None
}

fn kind_of(cell: &Map<String, Value>, data: Option<&Map<String, Value>>) -> Option<Kind> {
    let by_type = |t: &str| match t {
        "tm.Actor" => Some(Kind::Element(ElementKind::ExternalInteractor)),
        "tm.Process" => Some(Kind::Element(ElementKind::Process)),
        "tm.Store" => Some(Kind::Element(ElementKind::DataStore)),
        "tm.Flow" => Some(Kind::Flow),
        "tm.BoundaryBox" => Some(Kind::Box),
        "tm.Boundary" => Some(Kind::Curve),
        "tm.Text" => Some(Kind::Text),
        _ => None,
    };
    if let Some(shape) = cell.get("shape").and_then(Value::as_str) {
        return match shape {
            "actor" => Some(Kind::Element(ElementKind::ExternalInteractor)),
            "process" => Some(Kind::Element(ElementKind::Process)),
            "store" => Some(Kind::Element(ElementKind::DataStore)),
            "flow" => Some(Kind::Flow),
            "trust-boundary-box" => Some(Kind::Box),
            "trust-boundary-curve" | "trust-broundary-curve" => Some(Kind::Curve),
            "td-text-block" => Some(Kind::Text),
            _ => data
                .and_then(|d| d.get("type"))
                .and_then(Value::as_str)
                .and_then(by_type),
        };
    }
    cell.get("type").and_then(Value::as_str).and_then(by_type)
}

/// `isALog` → `is_a_log`, `handlesGoodsOrServices` → `handles_goods_or_services`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev_lower = i > 0 && !chars[i - 1].is_uppercase() && chars[i - 1] != '_';
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if c == '-' || c == ' ' {
            out.push('_');
        } else {
            out.push(c);
        }
    }
    out
}

/// A scalar value as a property; `None` for an empty string, an object, an array of
/// anything but strings, or null.
fn property_value(value: &Value) -> Option<PropertyValue> {
    match value {
        Value::Bool(b) => Some(PropertyValue::Bool(*b)),
        Value::Number(n) => Some(PropertyValue::Number(n.clone())),
        Value::String(s) if !s.trim().is_empty() => {
            Some(PropertyValue::String(s.trim().to_owned()))
        }
        Value::Array(items) => items
            .iter()
            .map(|i| i.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(PropertyValue::List),
        _ => None,
    }
}

fn is_empty_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The Threat Dragon flags with a place in the vocabulary: (flag, kinds it is read on,
/// property). Booleans, both values kept.
const VOCABULARY_FLAGS: &[(&str, &[ElementKind], &str)] = &[
    (
        "handlesCardPayment",
        &[ElementKind::Process],
        "handles_payment",
    ),
    ("isALog", &[ElementKind::DataStore], "audit_log"),
    (
        "isEncrypted",
        &[ElementKind::DataStore],
        "encrypted_at_rest",
    ),
    (
        "storesCredentials",
        &[ElementKind::DataStore, ElementKind::Process],
        "stores_credentials",
    ),
];

impl Reader {
    fn unmapped(&mut self, pointer: String, message: String) {
        self.warnings.push(Diagnostic::warning(
            DiagnosticCode::ImportUnmapped,
            pointer,
            message,
        ));
    }

    fn guessed(&mut self, pointer: String, message: String) {
        self.warnings.push(Diagnostic::warning(
            DiagnosticCode::ImportGuessed,
            pointer,
            message,
        ));
    }

    /// The name of a cell, or a made-up one (with a warning).
    fn name(
        &mut self,
        cell: &Cell<'_>,
        what: &'static str,
        made_up: impl FnOnce(usize) -> String,
    ) -> String {
        if let Some(name) = cell
            .data
            .and_then(|d| d.get("name"))
            .and_then(Value::as_str)
            .and_then(clean_name)
            .or_else(|| label(cell.value))
        {
            return name;
        }
        let n = self.unnamed.entry(what).or_default();
        *n += 1;
        let name = made_up(*n);
        let at = match cell.data {
            Some(d) if d.contains_key("name") => ptr(&cell.data_pointer, "name"),
            _ => cell.pointer.clone(),
        };
        self.guessed(at, format!("the cell has no name: named `{name}`"));
        name
    }

    /// The id of a cell in the model, unique, with a warning when it had to change.
    fn id(&mut self, cell: &Cell<'_>, fallback: &str) -> String {
        let (id, changed) = self.ids.claim(&cell.raw_id, fallback);
        if changed {
            let what = if cell.raw_id.trim().is_empty() {
                "the cell has no id".to_owned()
            } else {
                format!("id `{}` is already used", cell.raw_id)
            };
            self.guessed(ptr(&cell.pointer, "id"), format!("{what}: read as `{id}`"));
        }
        id
    }

    /// Kept data of a cell: its drawing, its threats, its flags that have no place.
    fn keep(&mut self, cell: &Cell<'_>, diagram: &Value, kept: &mut Extensions) {
        kept.insert("diagram".into(), diagram.clone());
        if cell.raw_id.trim() != "" {
            kept.insert("cell".into(), Value::String(cell.raw_id.clone()));
        }
        for key in ["position", "size", "source", "target", "vertices"] {
            if let Some(v) = cell.value.get(key) {
                kept.insert(key.into(), v.clone());
            }
        }
        if let Some(threats) = cell
            .data
            .and_then(|d| d.get("threats"))
            .and_then(Value::as_array)
            .filter(|t| !t.is_empty())
        {
            self.threats += threats.len();
            if self.first_threats.is_none() {
                self.first_threats = Some(ptr(&cell.data_pointer, "threats"));
            }
            kept.insert("threats".into(), Value::Array(threats.clone()));
        }
    }

    /// Reads the flags of an element or a flow into properties; what has no place is kept.
    fn flags(
        &mut self,
        cell: &Cell<'_>,
        kind: Option<ElementKind>,
        properties: &mut Properties,
        kept: &mut Extensions,
        handled: &[&str],
    ) {
        let Some(data) = cell.data else { return };
        let v1 = std::ptr::eq(data, cell.value);
        for (key, value) in data {
            let key = key.as_str();
            if DERIVED_KEYS.contains(&key) || handled.contains(&key) {
                continue;
            }
            if v1 && DRAWING_KEYS.contains(&key) {
                continue;
            }
            if let Some(&(_, _, property)) = VOCABULARY_FLAGS
                .iter()
                .find(|(flag, on, _)| *flag == key && kind.is_some_and(|k| on.contains(&k)))
                && let Some(b) = value.as_bool()
            {
                properties.insert(property.to_owned(), PropertyValue::Bool(b));
                continue;
            }
            if key == "providesAuthentication"
                && kind == Some(ElementKind::ExternalInteractor)
                && value.as_bool() == Some(true)
            {
                // An actor that authenticates others is a system (an identity provider).
                properties.insert("human".to_owned(), PropertyValue::Bool(false));
            }
            match property_value(value) {
                Some(p) => {
                    properties.insert(snake_case(key), p);
                }
                None if is_empty_value(value) => {}
                None => {
                    kept.insert(key.to_owned(), value.clone());
                    self.unmapped(
                        ptr(&cell.data_pointer, key),
                        format!(
                            "`{key}` is not a flag the model has a place for: kept under `extensions.{EXTENSION}`"
                        ),
                    );
                }
            }
        }
    }

    fn out_of_scope(&mut self, cell: &Cell<'_>, name: &str, what: &str) -> bool {
        let Some(data) = cell.data else { return false };
        if data.get("outOfScope").and_then(Value::as_bool) != Some(true) {
            return false;
        }
        let reason = data
            .get("reasonOutOfScope")
            .and_then(Value::as_str)
            .and_then(clean_name);
        self.out_of_scope.push(match reason {
            Some(reason) => format!("{what} `{name}`: {reason}"),
            None => format!("{what} `{name}`, marked out of scope in Threat Dragon"),
        });
        true
    }

    fn description(cell: &Cell<'_>) -> Option<String> {
        cell.data
            .and_then(|d| d.get("description"))
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
    }

    /// Reads one diagram into the model.
    fn diagram(&mut self, index: usize, diagram: &Value) {
        let base = format!("/detail/diagrams/{index}");
        let (cells, cells_pointer) =
            if let Some(cells) = diagram.get("cells").and_then(Value::as_array) {
                (cells, format!("{base}/cells"))
            } else if let Some(cells) = diagram
                .get("diagramJson")
                .and_then(|d| d.get("cells"))
                .and_then(Value::as_array)
            {
                (cells, format!("{base}/diagramJson/cells"))
            } else {
                self.unmapped(
                    base,
                    "the diagram has no `cells` (v2) or `diagramJson.cells` (v1) list: left out"
                        .to_owned(),
                );
                return;
            };
        let title = diagram
            .get("title")
            .and_then(Value::as_str)
            .and_then(clean_name)
            .map_or_else(|| json!(index), Value::String);

        let mut read: Vec<Cell<'_>> = Vec::with_capacity(cells.len());
        for (j, cell) in cells.iter().enumerate() {
            let pointer = format!("{cells_pointer}/{j}");
            let Some(value) = cell.as_object() else {
                self.unmapped(pointer, "the cell is not an object: left out".to_owned());
                continue;
            };
            let v2_data = value.get("data").and_then(Value::as_object);
            let (data, data_pointer) = match v2_data {
                Some(d) => (Some(d), ptr(&pointer, "data")),
                None if value.contains_key("shape") => (None, pointer.clone()),
                None => (Some(value), pointer.clone()),
            };
            let Some(kind) = kind_of(value, data) else {
                let what = value
                    .get("shape")
                    .or_else(|| value.get("type"))
                    .and_then(Value::as_str)
                    .map_or_else(
                        || "without a shape or a type".to_owned(),
                        |s| format!("`{s}`"),
                    );
                self.unmapped(
                    pointer,
                    format!(
                        "a cell {what} is not a Threat Dragon element this importer knows: left out"
                    ),
                );
                continue;
            };
            let raw_id = match value.get("id") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            read.push(Cell {
                pointer,
                data_pointer,
                kind,
                raw_id,
                value,
                data,
            });
        }

        // Elements first: flows and boxes refer to them, in any order.
        let mut placed: HashMap<&str, Placed> = HashMap::new();
        let mut element_cells: Vec<(usize, Option<Rect>, &Cell<'_>)> = Vec::new();
        for cell in &read {
            let Kind::Element(kind) = cell.kind else {
                continue;
            };
            let words = kind.words();
            let name = self.name(cell, words, |n| format!("Unnamed {words} {n}"));
            let id = self.id(cell, &skeleton::slug(&name));
            let mut element = Element::new(id, name.clone(), kind);
            element.description = Self::description(cell);
            element.out_of_scope = self.out_of_scope(cell, &name, words);
            let mut kept = Extensions::new();
            self.keep(cell, &title, &mut kept);
            self.flags(cell, Some(kind), &mut element.properties, &mut kept, &[]);
            element.extensions = Some(Map::from_iter([(
                EXTENSION.to_owned(),
                Value::Object(kept),
            )]));
            let rect = rect_of(cell.value);
            if rect.is_none() {
                self.guessed(
                    cell.pointer.clone(),
                    format!("`{name}` has no position and size: read as outside every box"),
                );
            }
            let index = self.model.elements.len();
            self.model.elements.push(element);
            element_cells.push((index, rect, cell));
            if !cell.raw_id.is_empty() {
                placed
                    .entry(cell.raw_id.as_str())
                    .or_insert(Placed { index, rect });
            }
        }

        // Boxes, nested by geometry.
        let mut boxes: Vec<(usize, Rect, &str)> = Vec::new();
        for cell in &read {
            if cell.kind != Kind::Box {
                continue;
            }
            let name = self.name(cell, "boundary", |n| format!("Unnamed trust boundary {n}"));
            let id = self.id(cell, &skeleton::slug(&name));
            let mut boundary = Boundary::new(id, name.clone());
            boundary.description = Self::description(cell);
            let mut kept = Extensions::new();
            self.keep(cell, &title, &mut kept);
            boundary.extensions = Some(Map::from_iter([(
                EXTENSION.to_owned(),
                Value::Object(kept),
            )]));
            let index = self.model.boundaries.len();
            self.model.boundaries.push(boundary);
            match rect_of(cell.value) {
                Some(rect) => boxes.push((index, rect, cell.pointer.as_str())),
                None => self.guessed(
                    cell.pointer.clone(),
                    format!("box `{name}` has no position and size: it holds nothing"),
                ),
            }
        }
        let rects: Vec<Rect> = boxes.iter().map(|&(_, r, _)| r).collect();
        for (k, &(index, rect, at)) in boxes.iter().enumerate() {
            if let Some(parent) = innermost(&rect, &rects, Some(k)) {
                let parent_id = self.model.boundaries[boxes[parent].0].id.clone();
                self.model.boundaries[index].parent = Some(parent_id);
            }
            for &(other_index, other_rect, _) in boxes.iter().skip(k + 1) {
                if rect.overlaps(&other_rect)
                    && !rect.contains(&other_rect)
                    && !other_rect.contains(&rect)
                {
                    let (a, b) = (
                        self.model.boundaries[index].name.clone(),
                        self.model.boundaries[other_index].name.clone(),
                    );
                    self.guessed(
                        at.to_owned(),
                        format!("boxes `{a}` and `{b}` overlap without one lying inside the other: neither is nested in the other"),
                    );
                }
            }
        }
        for &(index, rect, cell) in &element_cells {
            let Some(rect) = rect else { continue };
            if let Some(b) = innermost(&rect, &rects, None) {
                self.model.elements[index].boundary =
                    Some(self.model.boundaries[boxes[b].0].id.clone());
            }
            for &(b, box_rect, _) in &boxes {
                if box_rect.overlaps(&rect) && !box_rect.contains(&rect) {
                    let (name, box_name) = (
                        self.model.elements[index].name.clone(),
                        self.model.boundaries[b].name.clone(),
                    );
                    self.guessed(
                        cell.pointer.clone(),
                        format!(
                            "`{name}` lies across the edge of box `{box_name}`: read as outside it"
                        ),
                    );
                }
            }
        }

        // Curves: lines that flows cross.
        let center = |raw: &str| placed.get(raw).and_then(|p| p.rect).map(|r| r.center());
        let mut curves: Vec<(usize, Vec<Point>)> = Vec::new();
        for cell in &read {
            if cell.kind != Kind::Curve {
                continue;
            }
            let name = self.name(cell, "boundary", |n| format!("Unnamed trust boundary {n}"));
            let id = self.id(cell, &skeleton::slug(&name));
            let mut boundary = Boundary::new(id, name.clone());
            boundary.description = Self::description(cell);
            let mut kept = Extensions::new();
            self.keep(cell, &title, &mut kept);
            kept.insert("line".into(), Value::Bool(true));
            boundary.extensions = Some(Map::from_iter([(
                EXTENSION.to_owned(),
                Value::Object(kept),
            )]));
            let index = self.model.boundaries.len();
            self.model.boundaries.push(boundary);
            let points = path(cell.value, &center);
            if points.len() < 2 {
                self.guessed(
                    cell.pointer.clone(),
                    format!("trust boundary `{name}` is not drawn as a line: no flow crosses it"),
                );
            } else {
                curves.push((index, points));
            }
        }

        // Flows.
        for cell in &read {
            if cell.kind != Kind::Flow {
                continue;
            }
            let Some((source, target)) = self.ends(cell, &placed, &element_cells) else {
                continue;
            };
            let (source_name, target_name) = (
                self.model.elements[source].name.clone(),
                self.model.elements[target].name.clone(),
            );
            let name = self.name(cell, "flow", |_| format!("{source_name} to {target_name}"));
            let id = self.id(cell, &skeleton::slug(&name));
            let mut flow = Flow::new(
                id,
                name.clone(),
                self.model.elements[source].id.clone(),
                self.model.elements[target].id.clone(),
            );
            flow.description = Self::description(cell);
            flow.out_of_scope = self.out_of_scope(cell, &name, "data flow");
            let mut kept = Extensions::new();
            self.keep(cell, &title, &mut kept);
            if let Some(data) = cell.data {
                if let Some(b) = data.get("isEncrypted").and_then(Value::as_bool) {
                    flow.encrypted = Some(b);
                }
                flow.bidirectional =
                    data.get("isBidirectional").and_then(Value::as_bool) == Some(true);
                flow.protocol = data
                    .get("protocol")
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned);
                if let Some(public) = data.get("isPublicNetwork").and_then(Value::as_bool) {
                    flow.properties
                        .insert("public_network".to_owned(), PropertyValue::Bool(public));
                    if public {
                        self.internet_facing(source, target);
                    }
                }
            }
            self.flags(
                cell,
                None,
                &mut flow.properties,
                &mut kept,
                &[
                    "isEncrypted",
                    "isBidirectional",
                    "protocol",
                    "isPublicNetwork",
                ],
            );
            let mut points = Vec::new();
            let anchor = |end: usize| {
                element_cells
                    .iter()
                    .find(|(i, _, _)| *i == end)
                    .and_then(|(_, r, _)| *r)
                    .map(|r| r.center())
            };
            let start = cell
                .value
                .get("source")
                .and_then(point_of)
                .or_else(|| anchor(source));
            let end = cell
                .value
                .get("target")
                .and_then(point_of)
                .or_else(|| anchor(target));
            if let Some(p) = start {
                points.push(p);
            }
            if let Some(vertices) = cell.value.get("vertices").and_then(Value::as_array) {
                points.extend(vertices.iter().filter_map(point_of));
            }
            if let Some(p) = end {
                points.push(p);
            }
            if points.len() >= 2 {
                for (b, line) in &curves {
                    if paths_meet(&points, line) {
                        flow.crosses.push(self.model.boundaries[*b].id.clone());
                    }
                }
            }
            flow.extensions = Some(Map::from_iter([(
                EXTENSION.to_owned(),
                Value::Object(kept),
            )]));
            self.model.flows.push(flow);
        }

        // Text blocks: notes.
        for cell in &read {
            if cell.kind != Kind::Text {
                continue;
            }
            let text = cell
                .data
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .or_else(|| {
                    text_in(cell.value, &["attrs", "text", "text"]).map(|t| t.trim().to_owned())
                });
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                self.notes
                    .push(json!({"diagram": title, "cell": cell.raw_id, "text": text}));
            }
        }
    }

    /// A process that receives a flow over a public network, or answers an external
    /// interactor over one, faces the internet.
    fn internet_facing(&mut self, source: usize, target: usize) {
        let kind = |i: usize| self.model.elements[i].kind;
        let facing = if kind(target) == ElementKind::Process {
            Some(target)
        } else if kind(source) == ElementKind::Process
            && kind(target) == ElementKind::ExternalInteractor
        {
            Some(source)
        } else {
            None
        };
        if let Some(i) = facing {
            self.model.elements[i]
                .properties
                .insert("internet_facing".to_owned(), PropertyValue::Bool(true));
        }
    }

    /// The elements (by index) a flow goes from and to; `None`, with a warning, when an end
    /// is attached to nothing an importer can use.
    fn ends(
        &mut self,
        cell: &Cell<'_>,
        placed: &HashMap<&str, Placed>,
        elements: &[(usize, Option<Rect>, &Cell<'_>)],
    ) -> Option<(usize, usize)> {
        let mut found = [0usize; 2];
        for (slot, end) in ["source", "target"].into_iter().enumerate() {
            let at = ptr(&cell.pointer, end);
            let value = cell.value.get(end);
            let referenced = value
                .and_then(|v| v.get("cell").or_else(|| v.get("id")))
                .and_then(Value::as_str);
            if let Some(raw) = referenced {
                if let Some(p) = placed.get(raw) {
                    found[slot] = p.index;
                    continue;
                }
                self.unmapped(
                    at,
                    format!("the flow's {end} `{raw}` is not an actor, a process or a store of the diagram: the flow is left out"),
                );
                return None;
            }
            let Some(point) = value.and_then(point_of) else {
                self.unmapped(at, format!("the flow has no {end}: it is left out"));
                return None;
            };
            // A loose end: the element it was drawn at, if one is close.
            let nearest = elements
                .iter()
                .filter_map(|&(i, r, _)| r.map(|r| (i, r.distance_to(point))))
                .filter(|&(_, d)| d <= SNAP)
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((i, d)) = nearest else {
                self.unmapped(
                    at,
                    format!("the flow's {end} is attached to no element and drawn near none: the flow is left out"),
                );
                return None;
            };
            found[slot] = i;
            let name = self.model.elements[i].name.clone();
            let how = if d == 0.0 {
                format!("drawn inside `{name}`")
            } else {
                format!("drawn {d:.0} units from `{name}`")
            };
            self.guessed(
                at,
                format!(
                    "the flow's {end} is attached to no element; {how}: read as attached to it"
                ),
            );
        }
        Some((found[0], found[1]))
    }
}

/// The points of a line cell: its source, its vertices, its target; an end attached to a cell
/// is at that cell's centre.
fn path(cell: &Map<String, Value>, center: &dyn Fn(&str) -> Option<Point>) -> Vec<Point> {
    let end = |key: &str| {
        let v = cell.get(key)?;
        point_of(v).or_else(|| {
            v.get("cell")
                .or_else(|| v.get("id"))
                .and_then(Value::as_str)
                .and_then(center)
        })
    };
    let mut points = Vec::new();
    points.extend(end("source"));
    if let Some(vertices) = cell.get("vertices").and_then(Value::as_array) {
        points.extend(vertices.iter().filter_map(point_of));
    }
    points.extend(end("target"));
    points
}

/// The error for an OTM file read as a Threat Dragon model.
fn other_format() -> Diagnostic {
    Diagnostic::error(
        DiagnosticCode::InvalidStructure,
        "/otmVersion",
        "this is an Open Threat Model file, not a Threat Dragon model: import it as `otm`",
    )
}

fn invalid(diagnostics: Vec<Diagnostic>) -> ImportError {
    ImportError::Invalid {
        format: ForeignFormat::ThreatDragon,
        report: Box::new(Report::from_diagnostics(diagnostics)),
    }
}

/// Imports a Threat Dragon model.
pub(super) fn import(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    let parsed = source::parse(bytes, Format::Json, limits).map_err(|f| {
        // An OTM YAML file is no JSON: say what it is rather than where JSON stops.
        if f.diagnostics
            .iter()
            .any(|d| d.code == DiagnosticCode::Syntax)
            && super::detect(bytes) == Some(ForeignFormat::Otm)
        {
            return invalid(vec![other_format()]);
        }
        invalid(f.diagnostics)
    })?;
    let fail = |code, pointer: &str, message: String| {
        let mut d = vec![Diagnostic::error(code, pointer, message)];
        parsed.place(&mut d);
        invalid(d)
    };
    let Some(root) = parsed.value.as_object() else {
        return Err(fail(
            DiagnosticCode::WrongType,
            "",
            "a Threat Dragon model is a JSON object".to_owned(),
        ));
    };
    if root.contains_key("otmVersion") {
        let mut d = vec![other_format()];
        parsed.place(&mut d);
        return Err(invalid(d));
    }
    let Some(detail) = root.get("detail") else {
        return Err(fail(
            DiagnosticCode::MissingField,
            "",
            "not a Threat Dragon model: `detail` (which holds the diagrams) is missing".to_owned(),
        ));
    };
    let Some(diagrams) = detail.get("diagrams") else {
        return Err(fail(
            DiagnosticCode::MissingField,
            "/detail",
            "not a Threat Dragon model: `detail.diagrams` is missing".to_owned(),
        ));
    };
    let Some(diagrams) = diagrams.as_array() else {
        return Err(fail(
            DiagnosticCode::WrongType,
            "/detail/diagrams",
            "`detail.diagrams` should be a list of diagrams".to_owned(),
        ));
    };

    let mut reader = Reader {
        warnings: Vec::new(),
        ids: Ids::default(),
        model: ComponentModel::default(),
        out_of_scope: Vec::new(),
        notes: Vec::new(),
        threats: 0,
        first_threats: None,
        unnamed: HashMap::new(),
    };
    let version = root.get("version").and_then(Value::as_str);
    if let Some(version) = version {
        let major = version
            .split('.')
            .next()
            .and_then(|m| m.trim().parse::<u32>().ok());
        if major.is_none_or(|m| m > 2) {
            reader.guessed(
                "/version".to_owned(),
                format!("version `{version}` is not one this importer knows (1 and 2): read as version 2"),
            );
        }
    }
    for (i, diagram) in diagrams.iter().enumerate() {
        if diagram.is_object() {
            reader.diagram(i, diagram);
        } else {
            reader.unmapped(
                format!("/detail/diagrams/{i}"),
                "the diagram is not an object: left out".to_owned(),
            );
        }
    }
    if reader.threats > 0 {
        let at = reader.first_threats.clone().unwrap_or_default();
        let n = reader.threats;
        reader.unmapped(
            at,
            format!(
                "{n} threat{} kept under `extensions.{EXTENSION}.threats` of their elements and flows: questions come from the model, not from them",
                if n == 1 { "" } else { "s" }
            ),
        );
    }

    let summary = root.get("summary").and_then(Value::as_object);
    let text = |key: &str| {
        summary
            .and_then(|s| s.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let mut kept = Extensions::new();
    if let Some(version) = version {
        kept.insert("version".into(), Value::String(version.to_owned()));
    }
    if let Some(summary) = summary {
        kept.insert("summary".into(), Value::Object(summary.clone()));
    }
    if let Some(detail) = detail.as_object() {
        let rest: Map<String, Value> = detail
            .iter()
            .filter(|(k, _)| k.as_str() != "diagrams")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !rest.is_empty() {
            kept.insert("detail".into(), Value::Object(rest));
        }
    }
    let meta: Vec<Value> = diagrams
        .iter()
        .filter_map(Value::as_object)
        .map(|d| {
            Value::Object(
                d.iter()
                    .filter(|(k, _)| !matches!(k.as_str(), "cells" | "diagramJson"))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )
        })
        .collect();
    kept.insert("diagrams".into(), Value::Array(meta));
    if !reader.notes.is_empty() {
        kept.insert(
            "notes".into(),
            Value::Array(std::mem::take(&mut reader.notes)),
        );
    }
    let about = About {
        tool: "Threat Dragon model",
        title: text("title"),
        id: None,
        description: text("description"),
        out_of_scope: std::mem::take(&mut reader.out_of_scope),
        extensions: Some(Map::from_iter([(
            EXTENSION.to_owned(),
            Value::Object(kept),
        )])),
        ..About::default()
    };
    let mut warnings = std::mem::take(&mut reader.warnings);
    parsed.place(&mut warnings);
    // In the order of the file; then what the engagement needs filled in.
    let mut warnings = Report::from_diagnostics(warnings).warnings;
    let engagement = skeleton::engagement(about, reader.model, &mut warnings);
    Ok(Imported {
        engagement,
        warnings,
        format: ForeignFormat::ThreatDragon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::vocabulary;

    #[test]
    fn flags_become_snake_case() {
        assert_eq!(snake_case("isALog"), "is_a_log");
        assert_eq!(
            snake_case("handlesGoodsOrServices"),
            "handles_goods_or_services"
        );
        assert_eq!(snake_case("privilegeLevel"), "privilege_level");
        assert_eq!(snake_case("isPublicNetwork"), "is_public_network");
        assert_eq!(snake_case("HTTPPort"), "http_port");
    }

    #[test]
    fn flags_kept_under_their_own_names_are_not_taken_for_the_vocabulary() {
        for flag in [
            "providesAuthentication",
            "handlesGoodsOrServices",
            "isWebApplication",
            "privilegeLevel",
            "isSigned",
            "storesInventory",
            "isPublicNetwork",
        ] {
            let name = snake_case(flag);
            assert_eq!(vocabulary::close_to(&name), None, "{name}");
            assert!(vocabulary::property(&name).is_none(), "{name}");
        }
        assert_eq!(vocabulary::close_to("public_network"), None);
    }
}
