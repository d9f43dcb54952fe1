//! Microsoft Threat Modeling Tool `.tm7` files: XML written by the .NET DataContract
//! serializer.
//!
//! Every drawing surface (`DrawingSurfaceList/DrawingSurfaceModel`) is read: its `Borders`
//! hold the elements and the box boundaries, its `Lines` the flows and the line boundaries,
//! each keyed by GUID. An item's kind is its `GenericTypeId` (`GE.EI`, `GE.P`, `GE.DS`,
//! `GE.TB.B`, `GE.DF`, `GE.TB.L`); a custom knowledge-base type whose id is not a generic one is
//! followed up its `ParentId` chain in the file's knowledge base to the generic type it
//! derives from. Names and flags are display attributes (`Name`, `Provides Confidentiality`,
//! `Destination Authenticated`, `Stores Credentials`...), mapped onto the property vocabulary
//! where one fits and kept, all of them, under `extensions.tm7.attributes`.
//!
//! Boxes hold no list of members: an element is in the smallest box of its surface that holds
//! its centre, and a box is nested in the smallest box that holds it whole. A line boundary is
//! crossed by the flows whose path (source, bend handle, target) intersects its own; those go
//! into [`crate::model::Flow::crosses`]. A flow with a loose end (the all-zero GUID) is
//! attached to the element its end point is drawn in, with a warning, or left out.
//!
//! The XML parser refuses a document type declaration (so no entity is expanded or fetched),
//! and stops at [`Limits::max_values`] nodes.

use std::collections::HashMap;

use roxmltree::{Document, Node, ParsingOptions};
use serde_json::{Map, Value, json};

use super::geometry::{Point, Rect, paths_meet};
use super::skeleton::{self, About};
use super::tm_common::{Ids, clean_name, is_nil_guid, short_id, tidy, unmapped};
use super::{ForeignFormat, ImportError, Imported};
use crate::diagnostic::{Diagnostic, DiagnosticCode, Position, Report};
use crate::model::{Boundary, ComponentModel, Element, ElementKind, Flow, PropertyValue, Trust};
use crate::source::Limits;

/// Imports a `.tm7` file's bytes.
pub(crate) fn import(bytes: &[u8], limits: &Limits) -> Result<Imported, ImportError> {
    let text = decode(bytes, limits)?;
    // roxmltree refuses a DTD with declarations but lets an empty one (`<!DOCTYPE x>`) pass:
    // refuse any. (Outside markup a `<` is always escaped, so this finds declarations only,
    // and the odd one in a comment or a CDATA section, which no Threat Modeling Tool writes.)
    if let Some(at) = find_ignoring_case(&text, "<!DOCTYPE") {
        let position = crate::source::LineIndex::new(&text).position(at);
        return Err(xml_error_at(roxmltree::Error::DtdDetected, Some(position)));
    }
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: u32::try_from(limits.max_values).unwrap_or(u32::MAX),
        ..ParsingOptions::default()
    };
    let document = Document::parse_with_options(&text, options).map_err(xml_error)?;
    let root = document.root_element();
    if root.tag_name().name() != "ThreatModel" {
        return Err(invalid(Diagnostic::error(
            DiagnosticCode::InvalidStructure,
            "",
            format!(
                "the root element is `{}`, not `ThreatModel`: not a Threat Modeling Tool file",
                root.tag_name().name()
            ),
        )));
    }
    Ok(Reader::new(&document).read())
}

fn invalid(diagnostic: Diagnostic) -> ImportError {
    ImportError::Invalid {
        format: ForeignFormat::Tm7,
        report: Box::new(Report::one(diagnostic)),
    }
}

/// The text of the file: UTF-8 (with or without a byte order mark) or UTF-16 with one.
fn decode(bytes: &[u8], limits: &Limits) -> Result<String, ImportError> {
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
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Err(invalid(Diagnostic::error(
            DiagnosticCode::InvalidStructure,
            "",
            "a ZIP archive, not a Threat Modeling Tool `.tm7` (which is XML); a Threats Manager Studio `.tm` is a ZIP archive: import it as `tms`",
        )));
    }
    if let Some(text) = super::tms::decode_utf16(bytes) {
        return text
            .map_err(|message| invalid(Diagnostic::error(DiagnosticCode::Encoding, "", message)));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        invalid(Diagnostic::error(
            DiagnosticCode::Encoding,
            "",
            format!(
                "invalid UTF-8 (byte {}): not a Threat Modeling Tool file",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}

fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    text.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

fn xml_error(error: roxmltree::Error) -> ImportError {
    let pos = error.pos();
    let position = Some(Position {
        line: pos.row,
        column: pos.col,
    });
    xml_error_at(error, position)
}

fn xml_error_at(error: roxmltree::Error, position: Option<Position>) -> ImportError {
    let diagnostic = match error {
        roxmltree::Error::DtdDetected => Diagnostic::error(
            DiagnosticCode::DtdRefused,
            "",
            "the file declares a document type (`<!DOCTYPE`): refused, so that no entity is expanded or fetched; a Threat Modeling Tool file has none",
        ),
        roxmltree::Error::NodesLimitReached => Diagnostic::error(
            DiagnosticCode::TooMany,
            "",
            "the XML holds more nodes than the value limit",
        ),
        other => Diagnostic::error(
            DiagnosticCode::Syntax,
            "",
            format!("not well-formed XML: {other}"),
        ),
    };
    invalid(diagnostic.at(position))
}

/// The first child element with this local name.
fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// The text of the first child element with this local name, trimmed.
fn child_text<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).and_then(|c| c.text()).map(str::trim)
}

fn child_number(node: Node<'_, '_>, name: &str) -> Option<f64> {
    child_text(node, name)
        .and_then(|t| t.parse::<f64>().ok())
        .filter(|n| n.is_finite())
}

/// The local name of an `i:type` attribute's value (`b:StringDisplayAttribute` gives
/// `StringDisplayAttribute`).
fn xsi_type<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    node.attributes()
        .find(|a| {
            a.name() == "type"
                && a.namespace()
                    .is_some_and(|ns| ns.contains("XMLSchema-instance"))
        })
        .map(|a| a.value().rsplit(':').next().unwrap_or_default())
}

fn attribute_local<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes()
        .find(|a| a.name() == name)
        .map(|a| a.value())
}

/// A display attribute's value.
#[derive(Debug, Clone, PartialEq)]
enum AttrValue {
    Text(String),
    Bool(bool),
    /// A choice from a list: the options, the one chosen, and whether the stencil fixes it
    /// (`StaticListDisplayAttribute`) rather than leaving it to the user.
    Choice {
        chosen: Option<String>,
        index: usize,
        fixed: bool,
    },
}

#[derive(Debug, Clone)]
struct Attr {
    display: String,
    value: AttrValue,
}

/// What a border or a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Element(ElementKind),
    Box,
    Flow,
    Line,
    Annotation,
}

/// A border or a line of a drawing surface.
#[derive(Debug, Clone)]
struct Item {
    guid: String,
    pointer: String,
    surface: usize,
    generic: String,
    type_id: String,
    stencil: Option<String>,
    name: Option<String>,
    attrs: Vec<Attr>,
    rect: Option<Rect>,
    /// Lines: source, bend handle, target points and the GUIDs of the ends.
    path: Option<[Point; 3]>,
    source: String,
    target: String,
}

impl Item {
    fn attr(&self, display: &str) -> Option<&AttrValue> {
        self.attrs
            .iter()
            .find(|a| a.display.eq_ignore_ascii_case(display))
            .map(|a| &a.value)
    }

    /// A yes or no attribute: `Some` only when set (a user's choice other than the list's
    /// first, default, option; or a value the stencil fixes).
    fn yes_no(&self, display: &str) -> Option<bool> {
        match self.attr(display)? {
            AttrValue::Bool(b) => Some(*b),
            AttrValue::Choice {
                chosen: Some(chosen),
                index,
                fixed,
            } if *fixed || *index > 0 => match chosen.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                _ => None,
            },
            AttrValue::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                _ => None,
            },
            AttrValue::Choice { .. } => None,
        }
    }

    /// A list attribute's chosen option, when set (not the default, first option).
    fn choice(&self, display: &str) -> Option<&str> {
        match self.attr(display)? {
            AttrValue::Choice {
                chosen: Some(chosen),
                index,
                fixed,
            } if *fixed || *index > 0 => Some(chosen.as_str()),
            _ => None,
        }
    }

    fn label(&self) -> String {
        let what = match self.generic.as_str() {
            "GE.EI" => "External interactor",
            "GE.P" => "Process",
            "GE.DS" => "Data store",
            "GE.DF" => "Flow",
            "GE.TB.B" | "GE.TB.L" => "Trust boundary",
            _ => "Item",
        };
        clean_name(self.name.as_deref(), || {
            format!(
                "{} {}",
                self.stencil.as_deref().unwrap_or(what),
                short_id(&self.guid)
            )
        })
    }

    /// Every display attribute but the headings, as JSON, for `extensions.tm7.attributes`.
    fn attributes_json(&self) -> Map<String, Value> {
        let mut map = Map::new();
        for attr in &self.attrs {
            let value = match &attr.value {
                AttrValue::Text(t) => Value::String(t.clone()),
                AttrValue::Bool(b) => Value::Bool(*b),
                AttrValue::Choice { chosen, .. } => {
                    chosen.clone().map_or(Value::Null, Value::String)
                }
            };
            map.insert(attr.display.clone(), value);
        }
        map
    }

    fn extensions(&self, surface_name: &str) -> crate::model::Extensions {
        let mut tm7 = Map::new();
        tm7.insert("guid".into(), json!(self.guid));
        tm7.insert("type_id".into(), json!(self.type_id));
        if self.generic != self.type_id {
            tm7.insert("generic_type_id".into(), json!(self.generic));
        }
        if let Some(stencil) = &self.stencil {
            tm7.insert("stencil".into(), json!(stencil));
        }
        tm7.insert("surface".into(), json!(surface_name));
        let attributes = self.attributes_json();
        if !attributes.is_empty() {
            tm7.insert("attributes".into(), Value::Object(attributes));
        }
        let mut extensions = crate::model::Extensions::new();
        extensions.insert("tm7".into(), Value::Object(tm7));
        extensions
    }
}

struct Reader<'a, 'i> {
    document: &'a Document<'i>,
    /// Knowledge-base element types: id to parent id.
    parents: HashMap<&'a str, &'a str>,
    /// DataContract objects by `z:Id`, for `z:Ref`.
    by_ref: HashMap<&'a str, Node<'a, 'i>>,
    warnings: Vec<Diagnostic>,
}

impl<'a, 'i> Reader<'a, 'i> {
    fn new(document: &'a Document<'i>) -> Self {
        let mut parents = HashMap::new();
        let mut by_ref = HashMap::new();
        for node in document.descendants().filter(Node::is_element) {
            if node.tag_name().name() == "ElementType"
                && let (Some(id), Some(parent)) =
                    (child_text(node, "Id"), child_text(node, "ParentId"))
            {
                parents.insert(id, parent);
            }
            if let Some(id) = attribute_local(node, "Id")
                && node.attributes().any(|a| {
                    a.name() == "Id" && a.namespace().is_some_and(|ns| ns.contains("Serialization"))
                })
            {
                by_ref.insert(id, node);
            }
        }
        Reader {
            document,
            parents,
            by_ref,
            warnings: Vec::new(),
        }
    }

    /// The object a `z:Ref` points to, or the node itself.
    fn resolve(&self, node: Node<'a, 'i>) -> Node<'a, 'i> {
        node.attributes()
            .find(|a| {
                a.name() == "Ref" && a.namespace().is_some_and(|ns| ns.contains("Serialization"))
            })
            .and_then(|a| self.by_ref.get(a.value()).copied())
            .unwrap_or(node)
    }

    /// The generic type an element type derives from: itself when it is one (`GE.*`), else
    /// the first generic type up its knowledge-base parents.
    fn generic_type(&self, id: &str) -> Option<String> {
        let mut current = id;
        for _ in 0..32 {
            if current.starts_with("GE.") {
                return Some(current.to_owned());
            }
            current = self.parents.get(current).copied()?;
        }
        None
    }

    fn read(mut self) -> Imported {
        let root = self.document.root_element();
        let meta = child(root, "MetaInformation");
        let meta_text = |name: &str| {
            meta.and_then(|m| child_text(m, name))
                .filter(|t| !t.is_empty())
        };
        let model_name = meta_text("ThreatModelName").map(str::to_owned);
        let description = meta_text("HighLevelSystemDescription").map(str::to_owned);
        let assumptions = meta_text("Assumptions").map(str::to_owned);

        let mut items = Vec::new();
        let mut surfaces: Vec<String> = Vec::new();
        let mut first_surface_guid = None;
        if let Some(list) = child(root, "DrawingSurfaceList") {
            for (index, surface) in list.children().filter(Node::is_element).enumerate() {
                let surface = self.resolve(surface);
                let guid = child_text(surface, "Guid").unwrap_or_default().to_owned();
                if first_surface_guid.is_none() && !guid.is_empty() {
                    first_surface_guid = Some(guid.clone());
                }
                let name = child(surface, "Properties")
                    .map(|p| read_attrs(p).0)
                    .and_then(|attrs| {
                        attrs
                            .into_iter()
                            .find(|a| a.display == "Name")
                            .and_then(|a| match a.value {
                                AttrValue::Text(t) if !t.trim().is_empty() => Some(t),
                                _ => None,
                            })
                    })
                    .or_else(|| child_text(surface, "Header").map(str::to_owned))
                    .unwrap_or_else(|| format!("Diagram {}", index + 1));
                surfaces.push(name);
                for list_name in ["Borders", "Lines"] {
                    let Some(entries) = child(surface, list_name) else {
                        continue;
                    };
                    for entry in entries.children().filter(Node::is_element) {
                        let key = child_text(entry, "Key").unwrap_or_default();
                        let pointer = format!(
                            "/ThreatModel/DrawingSurfaceList/{index}/{list_name}/{}",
                            crate::source::escape_pointer_token(key)
                        );
                        let Some(value) = child(entry, "Value").map(|v| self.resolve(v)) else {
                            continue;
                        };
                        items.push(self.item(value, key, index, pointer));
                    }
                }
            }
        }

        let model = self.build(&items, &surfaces);
        let threats = child(root, "ThreatInstances")
            .map_or(0, |t| t.children().filter(Node::is_element).count());
        if threats > 0 {
            self.warnings.push(unmapped(
                "/ThreatModel/ThreatInstances",
                format!(
                    "{threats} generated threat{} not imported: threats are the analysis that follows the interviews",
                    if threats == 1 { " is" } else { "s are" }
                ),
            ));
        }
        let id = first_surface_guid.map_or_else(
            || "tm7-import".to_owned(),
            |g| format!("tm7-{}", short_id(&g)),
        );
        let name = model_name.unwrap_or_else(|| {
            surfaces.first().map_or_else(
                || "Threat Modeling Tool model".to_owned(),
                |s| format!("{s} (Threat Modeling Tool)"),
            )
        });
        let about = About {
            tool: "Threat Modeling Tool model",
            title: Some(name),
            id: Some(id),
            description,
            ..About::default()
        };
        let mut engagement = skeleton::engagement(about, model, &mut self.warnings);
        if let Some(assumptions) = assumptions {
            engagement.scope.assumptions.push(assumptions);
        }
        tidy(&mut engagement, &mut self.warnings);
        Imported {
            engagement,
            warnings: self.warnings,
            format: ForeignFormat::Tm7,
        }
    }

    fn item(&self, value: Node<'a, 'i>, key: &str, surface: usize, pointer: String) -> Item {
        let guid = child_text(value, "Guid")
            .filter(|g| !g.is_empty())
            .unwrap_or(key)
            .to_owned();
        let generic_id = child_text(value, "GenericTypeId")
            .unwrap_or_default()
            .to_owned();
        let type_id = child_text(value, "TypeId")
            .unwrap_or(&generic_id)
            .to_owned();
        let generic = self
            .generic_type(&generic_id)
            .or_else(|| self.generic_type(&type_id))
            .unwrap_or(generic_id);
        let (attrs, stencil) = child(value, "Properties")
            .map(read_attrs)
            .unwrap_or_default();
        let name = attrs
            .iter()
            .find(|a| a.display == "Name")
            .and_then(|a| match &a.value {
                AttrValue::Text(t) => Some(t.clone()),
                _ => None,
            });
        let rect = match (
            child_number(value, "Left"),
            child_number(value, "Top"),
            child_number(value, "Width"),
            child_number(value, "Height"),
        ) {
            (Some(left), Some(top), Some(width), Some(height)) => {
                Some(Rect::new(left, top, width, height))
            }
            _ => None,
        };
        let point =
            |x: &str, y: &str| Some(Point::new(child_number(value, x)?, child_number(value, y)?));
        let path = match (
            point("SourceX", "SourceY"),
            point("HandleX", "HandleY"),
            point("TargetX", "TargetY"),
        ) {
            (Some(s), Some(h), Some(t)) => Some([s, h, t]),
            (Some(s), None, Some(t)) => Some([s, s, t]),
            _ => None,
        };
        Item {
            guid,
            pointer,
            surface,
            generic,
            type_id,
            stencil,
            name,
            attrs,
            rect,
            path,
            source: child_text(value, "SourceGuid")
                .unwrap_or_default()
                .to_owned(),
            target: child_text(value, "TargetGuid")
                .unwrap_or_default()
                .to_owned(),
        }
    }

    fn kind(&mut self, item: &Item) -> Option<Kind> {
        let kind = match item.generic.as_str() {
            "GE.EI" => Kind::Element(ElementKind::ExternalInteractor),
            "GE.P" => Kind::Element(ElementKind::Process),
            "GE.DS" => Kind::Element(ElementKind::DataStore),
            "GE.TB.B" => Kind::Box,
            "GE.DF" => Kind::Flow,
            "GE.TB.L" => Kind::Line,
            "GE.A" => Kind::Annotation,
            other => {
                self.warnings.push(unmapped(
                    item.pointer.clone(),
                    format!(
                        "`{}` is of type `{}`, which derives from no generic type this import knows (`{other}`): left out",
                        item.label(),
                        item.type_id
                    ),
                ));
                return None;
            }
        };
        Some(kind)
    }

    fn build(&mut self, items: &[Item], surfaces: &[String]) -> ComponentModel {
        let mut ids = Ids::default();
        let mut model = ComponentModel::default();
        let kinds: Vec<Option<Kind>> = items.iter().map(|i| self.kind(i)).collect();
        let surface_name = |item: &Item| surfaces.get(item.surface).cloned().unwrap_or_default();

        // Boxes, and their nesting by geometry within a surface.
        let boxes: Vec<(usize, Rect)> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| kinds[*i] == Some(Kind::Box))
            .filter_map(|(i, item)| {
                if let Some(rect) = item.rect {
                    Some((i, rect))
                } else {
                    self.warnings.push(unmapped(
                        item.pointer.clone(),
                        format!(
                            "trust boundary `{}` has no position or size: nothing can be placed in it",
                            item.label()
                        ),
                    ));
                    None
                }
            })
            .collect();
        // A box's rank: larger boxes rank higher, and of two equal boxes the earlier one, so
        // that nesting never loops.
        let rank = |k: usize, rect: &Rect| (rect.area(), std::cmp::Reverse(k));
        let innermost = |surface: usize,
                         fits: &dyn Fn(&Rect) -> bool,
                         above: Option<(f64, std::cmp::Reverse<usize>)>| {
            boxes
                .iter()
                .filter(|(i, rect)| items[*i].surface == surface && fits(rect))
                .filter(|(i, rect)| {
                    above.is_none_or(|a| {
                        rank(*i, rect).partial_cmp(&a) == Some(std::cmp::Ordering::Greater)
                    })
                })
                .min_by(|(i, a), (j, b)| {
                    rank(*i, a)
                        .partial_cmp(&rank(*j, b))
                        .unwrap_or(std::cmp::Ordering::Equal)
                })
                .map(|(i, _)| items[*i].guid.clone())
        };
        for &(i, rect) in &boxes {
            let item = &items[i];
            if !ids.claim(&item.guid) {
                self.duplicate(item);
                continue;
            }
            let mut boundary = Boundary::new(item.guid.clone(), item.label());
            boundary.parent = innermost(
                item.surface,
                &|r: &Rect| r.contains(&rect),
                Some(rank(i, &rect)),
            );
            if mentions_internet(item) {
                boundary.trust = Trust::Untrusted;
            }
            boundary.extensions = Some(item.extensions(&surface_name(item)));
            model.boundaries.push(boundary);
        }

        // Line boundaries.
        let mut lines: Vec<(usize, [Point; 3])> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if kinds[i] != Some(Kind::Line) {
                continue;
            }
            if !ids.claim(&item.guid) {
                self.duplicate(item);
                continue;
            }
            // A line has no inside: its trust says nothing.
            let boundary_name = item.label();
            let mut boundary = Boundary::new(item.guid.clone(), boundary_name);
            let mut extensions = item.extensions(&surface_name(item));
            if let Some(Value::Object(tm7)) = extensions.get_mut("tm7") {
                tm7.insert("line".into(), Value::Bool(true));
            }
            boundary.extensions = Some(extensions);
            model.boundaries.push(boundary);
            match item.path {
                Some(path) => lines.push((i, path)),
                None => self.warnings.push(unmapped(
                    item.pointer.clone(),
                    format!(
                        "line boundary `{}` has no path: no flow can be found to cross it",
                        item.label()
                    ),
                )),
            }
        }

        // Elements.
        let mut element_rects: Vec<(usize, Rect)> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match kinds[i] {
                Some(Kind::Element(kind)) => {
                    if !ids.claim(&item.guid) {
                        self.duplicate(item);
                        continue;
                    }
                    let mut element = Element::new(item.guid.clone(), item.label(), kind);
                    if let Some(rect) = item.rect {
                        let centre = rect.center();
                        element.boundary = innermost(item.surface, &|r: &Rect| r.contains_point(centre), None);
                        element_rects.push((i, rect));
                    }
                    element.out_of_scope = item.yes_no("Out Of Scope").unwrap_or(false);
                    element_properties(item, kind, &mut element.properties);
                    element.extensions = Some(item.extensions(&surface_name(item)));
                    model.elements.push(element);
                }
                Some(Kind::Annotation) => self.warnings.push(unmapped(
                    item.pointer.clone(),
                    format!("free-text annotation `{}` is a note on the drawing, not an element: left out", item.label()),
                )),
                _ => {}
            }
        }

        // Flows.
        let element_ids: HashMap<&str, usize> = items
            .iter()
            .enumerate()
            .filter(|(i, _)| matches!(kinds[*i], Some(Kind::Element(_))))
            .map(|(i, item)| (item.guid.as_str(), i))
            .collect();
        for (i, item) in items.iter().enumerate() {
            if kinds[i] != Some(Kind::Flow) {
                continue;
            }
            let label = item.label();
            let mut end = |guid: &str, point: Option<Point>, which: &str| -> Option<String> {
                if !is_nil_guid(guid) && element_ids.contains_key(guid) {
                    return Some(guid.to_owned());
                }
                // A loose end: the element its end point is drawn in, the smallest if several.
                let found = point.and_then(|p| {
                    element_rects
                        .iter()
                        .filter(|(j, rect)| {
                            items[*j].surface == item.surface && rect.contains_point(p)
                        })
                        .min_by(|(_, a), (_, b)| {
                            a.area()
                                .partial_cmp(&b.area())
                                .unwrap_or(std::cmp::Ordering::Equal)
                        })
                        .map(|(j, _)| items[*j].guid.clone())
                });
                match &found {
                    Some(id) => self.warnings.push(unmapped(
                        item.pointer.clone(),
                        format!(
                            "flow `{label}` has a loose {which} (`{}`): attached to `{}`, the element its end is drawn in",
                            if guid.is_empty() { "none" } else { guid },
                            items[element_ids[id.as_str()]].label()
                        ),
                    )),
                    None => self.warnings.push(unmapped(
                        item.pointer.clone(),
                        format!(
                            "flow `{label}` has a loose {which} (`{}`) drawn in no element: left out",
                            if guid.is_empty() { "none" } else { guid }
                        ),
                    )),
                }
                found
            };
            let path = item.path;
            let source = end(&item.source, path.map(|p| p[0]), "source");
            let target = end(&item.target, path.map(|p| p[2]), "target");
            let (Some(source), Some(target)) = (source, target) else {
                continue;
            };
            if !ids.claim(&item.guid) {
                self.duplicate(item);
                continue;
            }
            let mut flow = Flow::new(item.guid.clone(), label, source, target);
            flow.out_of_scope = item.yes_no("Out Of Scope").unwrap_or(false);
            flow_properties(item, &mut flow);
            if let Some(path) = path {
                for (j, line) in &lines {
                    if items[*j].surface == item.surface && paths_meet(&path, line) {
                        flow.crosses.push(items[*j].guid.clone());
                    }
                }
            }
            flow.extensions = Some(item.extensions(&surface_name(item)));
            model.flows.push(flow);
        }
        model
    }

    fn duplicate(&mut self, item: &Item) {
        self.warnings.push(unmapped(
            item.pointer.clone(),
            format!(
                "`{}` reuses the id `{}` of an item already imported: left out",
                item.label(),
                item.guid
            ),
        ));
    }
}

/// The display attributes of a `Properties` list, and the first heading (the stencil's name).
fn read_attrs(properties: Node<'_, '_>) -> (Vec<Attr>, Option<String>) {
    let mut attrs = Vec::new();
    let mut stencil = None;
    for node in properties.children().filter(Node::is_element) {
        let kind = xsi_type(node).unwrap_or_default();
        let Some(display) = child_text(node, "DisplayName") else {
            continue;
        };
        let display = display.to_owned();
        let value_node = child(node, "Value");
        let value = match kind {
            "HeaderDisplayAttribute" => {
                if stencil.is_none() && !display.is_empty() {
                    stencil = Some(display);
                }
                continue;
            }
            "BooleanDisplayAttribute" => AttrValue::Bool(
                value_node
                    .and_then(|v| v.text())
                    .is_some_and(|t| t.trim().eq_ignore_ascii_case("true")),
            ),
            "ListDisplayAttribute" | "StaticListDisplayAttribute" => {
                let options: Vec<String> = value_node
                    .map(|v| {
                        v.children()
                            .filter(Node::is_element)
                            .map(|o| o.text().unwrap_or_default().trim().to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let index = child_text(node, "SelectedIndex")
                    .and_then(|t| t.parse::<usize>().ok())
                    .unwrap_or(0);
                AttrValue::Choice {
                    chosen: options.get(index).cloned(),
                    index,
                    fixed: kind == "StaticListDisplayAttribute",
                }
            }
            _ => AttrValue::Text(
                value_node
                    .and_then(|v| v.text())
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            ),
        };
        attrs.push(Attr { display, value });
    }
    (attrs, stencil)
}

fn mentions_internet(item: &Item) -> bool {
    let says = |s: &str| s.to_ascii_lowercase().contains("internet");
    item.name.as_deref().is_some_and(says) || says(&item.type_id)
}

/// The vocabulary properties an element's attributes and type say.
fn element_properties(item: &Item, kind: ElementKind, properties: &mut crate::model::Properties) {
    let mut set_bool = |name: &str, value: Option<bool>| {
        if let Some(value) = value {
            properties.insert(name.to_owned(), PropertyValue::Bool(value));
        }
    };
    match kind {
        ElementKind::DataStore => {
            set_bool("stores_credentials", item.yes_no("Stores Credentials"));
            set_bool("audit_log", item.yes_no("Stores Log Data"));
            set_bool("encrypted_at_rest", item.yes_no("Encrypted"));
            set_bool("backups", item.yes_no("Backup"));
        }
        ElementKind::ExternalInteractor => {
            let human = item
                .choice("Type")
                .and_then(|t| match t.to_ascii_lowercase().as_str() {
                    "human" => Some(true),
                    "code" => Some(false),
                    _ => None,
                });
            set_bool("human", human);
        }
        ElementKind::Process => {}
    }
    let type_text = format!(
        "{} {}",
        item.type_id,
        item.stencil.as_deref().unwrap_or_default()
    )
    .to_ascii_lowercase();
    if kind != ElementKind::ExternalInteractor {
        let technology = [
            ("mysql", "mysql"),
            ("postgres", "postgresql"),
            ("sqlite", "sqlite"),
            ("mongodb", "mongodb"),
            ("redis", "redis"),
            ("riak", "riak"),
        ]
        .into_iter()
        .find(|(word, _)| {
            type_text.contains(word)
                || item
                    .name
                    .as_deref()
                    .is_some_and(|n| n.to_ascii_lowercase().contains(word))
        });
        if let Some((_, technology)) = technology {
            properties.insert(
                "technology".into(),
                PropertyValue::String(technology.into()),
            );
        }
        let hosting = if type_text.contains("azure") {
            Some("azure")
        } else if type_text.contains("browser")
            || type_text.contains("html5")
            || type_text.contains("cookie")
        {
            Some("browser")
        } else if type_text.contains("thickclient") || type_text.contains("thick client") {
            Some("desktop")
        } else if type_text.contains("mobile")
            || item.name.as_deref().is_some_and(|n| {
                n.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case("android") || w.eq_ignore_ascii_case("ios"))
            })
        {
            Some("mobile")
        } else {
            None
        };
        if let Some(hosting) = hosting {
            properties.insert("hosting".into(), PropertyValue::String(hosting.into()));
        }
    }
}

/// The flow fields and properties a flow's attributes and type say.
fn flow_properties(item: &Item, flow: &mut Flow) {
    flow.encrypted = item.yes_no("Provides Confidentiality");
    let ends = [
        item.yes_no("Destination Authenticated"),
        item.yes_no("Source Authenticated"),
    ];
    flow.authenticated = if ends.contains(&Some(false)) {
        Some(false)
    } else if ends.contains(&Some(true)) {
        Some(true)
    } else {
        None
    };
    let last = item.type_id.rsplit('.').next().unwrap_or_default();
    flow.protocol = match last.to_ascii_uppercase().as_str() {
        "HTTP" => Some("HTTP"),
        "HTTPS" => Some("HTTPS"),
        "IPSEC" => Some("IPsec"),
        "RPC" => Some("RPC"),
        "SMB" => Some("SMB"),
        "UDP" => Some("UDP"),
        "ALPC" => Some("ALPC"),
        "IOCTL" => Some("IOCTL"),
        "NAMEDPIPE" => Some("named pipe"),
        _ => None,
    }
    .map(str::to_owned);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_flow_crosses_its_line_boundary() {
        let path = |p: [(f64, f64); 3]| p.map(|(x, y)| Point::new(x, y));
        // The Threat Modeling Tool sample's flow and line boundary (MTMT_nested_tz).
        let flow = path([(745.0, 307.0), (606.0, 272.0), (462.0, 303.0)]);
        let line = path([(723.0, 125.0), (661.0, 318.0), (731.0, 487.0)]);
        assert!(paths_meet(&flow, &line));
        let other = path([(389.0, 335.0), (300.0, 380.0), (208.0, 395.0)]);
        assert!(!paths_meet(&other, &line));
    }

    #[test]
    fn a_rectangle_holds_what_lies_inside_it() {
        let outer = Rect::new(76.0, 82.0, 435.0, 445.0);
        let inner = Rect::new(131.0, 121.0, 174.0, 168.0);
        assert!(outer.contains(&inner) && !inner.contains(&outer));
        assert!(inner.contains_point(Point::new(210.0, 211.0)));
        assert!(!inner.contains_point(Point::new(100.0, 211.0)));
    }
}
