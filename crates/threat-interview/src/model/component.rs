//! The component model: a data-flow diagram of elements, trust boundaries and data flows.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Extensions;

/// Free-form typed properties of an element, a flow or a boundary, tested by question rules.
pub type Properties = BTreeMap<String, PropertyValue>;

/// The value of a property: a boolean, a number, a string or a list of strings.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum PropertyValue {
    /// A flag, such as `stores_credentials: true`.
    Bool(bool),
    /// A number, such as `replicas: 3`, kept as written (`3` stays `3`, `3.0` stays `3.0`).
    Number(serde_json::Number),
    /// A string, such as `language: "rust"`.
    String(String),
    /// A list of strings, such as `auth_methods: ["oidc", "api_key"]`.
    List(Vec<String>),
}

// Read through a JSON value rather than derived: serde's untagged enums buffer numbers in a
// form that loses the digits of an integer past 64 bits.
impl<'de> Deserialize<'de> for PropertyValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde_json::Value;
        match Value::deserialize(deserializer)? {
            Value::Bool(b) => Ok(PropertyValue::Bool(b)),
            Value::Number(n) => Ok(PropertyValue::Number(n)),
            Value::String(s) => Ok(PropertyValue::String(s)),
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s),
                    _ => Err(serde::de::Error::custom(
                        "a list property holds strings only",
                    )),
                })
                .collect::<Result<_, _>>()
                .map(PropertyValue::List),
            Value::Null | Value::Object(_) => Err(serde::de::Error::custom(
                "a property is a boolean, a number, a string or a list of strings",
            )),
        }
    }
}

impl PropertyValue {
    /// The value as a boolean, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            PropertyValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            PropertyValue::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The value as a string, if it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PropertyValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a list of strings, if it is one.
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            PropertyValue::List(l) => Some(l),
            _ => None,
        }
    }
}

/// The data-flow diagram of the system under review.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ComponentModel {
    /// External interactors, processes and data stores.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Element>,
    /// Trust boundaries, which may nest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boundaries: Vec<Boundary>,
    /// Data flows between elements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Flow>,
}

impl ComponentModel {
    /// Whether the model has no element, boundary or flow.
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty() && self.boundaries.is_empty() && self.flows.is_empty()
    }

    /// The element with this id.
    pub fn element(&self, id: &str) -> Option<&Element> {
        self.elements.iter().find(|e| e.id == id)
    }

    /// The flow with this id.
    pub fn flow(&self, id: &str) -> Option<&Flow> {
        self.flows.iter().find(|f| f.id == id)
    }

    /// The boundary with this id.
    pub fn boundary(&self, id: &str) -> Option<&Boundary> {
        self.boundaries.iter().find(|b| b.id == id)
    }

    /// Per element (in model order), whether it is an external interactor drawn for context
    /// only: not marked out of scope itself, but every flow it has is (a card terminal that
    /// talks only to the acquirer, a partner's own user). It exchanges nothing under review
    /// with the system, so it is asked nothing and none of its pairs is counted, as if it were
    /// marked out of scope. An interactor with no flow at all is not: the model says nothing
    /// of it either way.
    pub fn drawn_for_context(&self) -> Vec<bool> {
        let index: std::collections::HashMap<&str, usize> = self
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        self.drawn_for_context_with(self.flows.iter().map(|flow| {
            (
                index.get(flow.source.as_str()).copied(),
                index.get(flow.target.as_str()).copied(),
            )
        }))
    }

    /// [`ComponentModel::drawn_for_context`], given each flow's ends (in model order) as
    /// element positions, for a caller that has resolved them already (the graph).
    pub(crate) fn drawn_for_context_with(
        &self,
        ends: impl Iterator<Item = (Option<usize>, Option<usize>)>,
    ) -> Vec<bool> {
        // 0: no flow seen, 1: only out-of-scope flows, 2: an in-scope one.
        let mut seen = vec![0u8; self.elements.len()];
        for (flow, (source, target)) in self.flows.iter().zip(ends) {
            let level = if flow.out_of_scope { 1 } else { 2 };
            for i in [source, target].into_iter().flatten() {
                seen[i] = seen[i].max(level);
            }
        }
        self.elements
            .iter()
            .zip(seen)
            .map(|(e, seen)| {
                e.kind == ElementKind::ExternalInteractor && !e.out_of_scope && seen == 1
            })
            .collect()
    }
}

/// An engagement's component model, shared rather than copied: the graph that question
/// generation builds ([`crate::ComponentGraph::from_shared`]) holds the same model, so
/// generating questions does not copy it.
///
/// It reads as a [`ComponentModel`] (`Deref`) and is written in files exactly as one. Writing
/// through it (`DerefMut`) is copy-on-write: while a graph or [`crate::engine::Questions`]
/// still shares the model, the first write copies it, so what they hold never changes under
/// them.
///
/// ```
/// use threat_interview::model::{ComponentModel, SharedModel};
/// let mut model = SharedModel::from(ComponentModel::default());
/// let shared = model.share();
/// model.elements.clear(); // copy-on-write: `shared` is not touched
/// assert_eq!(*shared, ComponentModel::default());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SharedModel(std::sync::Arc<ComponentModel>);

impl SharedModel {
    /// The model, shared: another handle on it, not a copy.
    pub fn share(&self) -> std::sync::Arc<ComponentModel> {
        std::sync::Arc::clone(&self.0)
    }

    /// The model itself, copied only if something else shares it.
    pub fn into_inner(self) -> ComponentModel {
        std::sync::Arc::unwrap_or_clone(self.0)
    }
}

impl std::ops::Deref for SharedModel {
    type Target = ComponentModel;

    fn deref(&self) -> &ComponentModel {
        &self.0
    }
}

impl std::ops::DerefMut for SharedModel {
    /// Copies the model first if a graph or a generation still shares it.
    fn deref_mut(&mut self) -> &mut ComponentModel {
        std::sync::Arc::make_mut(&mut self.0)
    }
}

impl From<ComponentModel> for SharedModel {
    fn from(model: ComponentModel) -> Self {
        SharedModel(std::sync::Arc::new(model))
    }
}

impl PartialEq<ComponentModel> for SharedModel {
    fn eq(&self, other: &ComponentModel) -> bool {
        *self.0 == *other
    }
}

impl JsonSchema for SharedModel {
    // Written as a `ComponentModel`: the same schema, under the same name.
    fn inline_schema() -> bool {
        ComponentModel::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        ComponentModel::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        ComponentModel::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ComponentModel::json_schema(generator)
    }
}

/// The kind of a diagram element (flows are not elements of the model's `elements` list).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ElementKind {
    /// A person, service or device outside the system that interacts with it.
    ExternalInteractor,
    /// Code that runs: a service, an application, a function, a job.
    Process,
    /// Where data rests: a database, a file share, a queue, a cache, a bucket.
    DataStore,
}

impl ElementKind {
    /// The identifier used in files, such as `external_interactor`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind in words, such as `external interactor`.
    pub fn words(self) -> &'static str {
        SubjectKind::from(self).words()
    }
}

impl std::fmt::Display for ElementKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of anything a STRIDE question can be about: an element of one of the three kinds,
/// or a data flow. Derived from [`ElementKind`] (`From`), with data flows added.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SubjectKind {
    /// An external interactor.
    ExternalInteractor,
    /// A process.
    Process,
    /// A data store.
    DataStore,
    /// A data flow.
    DataFlow,
}

impl SubjectKind {
    /// The four kinds, in diagram order.
    pub const ALL: [SubjectKind; 4] = [
        SubjectKind::ExternalInteractor,
        SubjectKind::Process,
        SubjectKind::DataStore,
        SubjectKind::DataFlow,
    ];

    /// The identifier used in files, such as `data_flow`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The kind in words, such as `data flow`.
    pub fn words(self) -> &'static str {
        match self {
            SubjectKind::ExternalInteractor => "external interactor",
            SubjectKind::Process => "process",
            SubjectKind::DataStore => "data store",
            SubjectKind::DataFlow => "data flow",
        }
    }

    /// The kind's position in [`SubjectKind::ALL`], for tables indexed by kind.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The kind as one bit of a mask (`1 << index`), for sets of kinds.
    pub fn bit(self) -> u8 {
        1 << self.index()
    }

    /// The element kind, `None` for a data flow.
    pub fn element_kind(self) -> Option<ElementKind> {
        match self {
            SubjectKind::ExternalInteractor => Some(ElementKind::ExternalInteractor),
            SubjectKind::Process => Some(ElementKind::Process),
            SubjectKind::DataStore => Some(ElementKind::DataStore),
            SubjectKind::DataFlow => None,
        }
    }
}

impl From<ElementKind> for SubjectKind {
    fn from(kind: ElementKind) -> Self {
        match kind {
            ElementKind::ExternalInteractor => SubjectKind::ExternalInteractor,
            ElementKind::Process => SubjectKind::Process,
            ElementKind::DataStore => SubjectKind::DataStore,
        }
    }
}

impl std::fmt::Display for SubjectKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An external interactor, a process or a data store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Element {
    /// Unique among elements, flows and boundaries.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The name used in questions, such as `Payment API`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// What kind of element this is.
    pub kind: ElementKind,
    /// What the element does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The innermost trust boundary that contains the element; absent when it is outside every
    /// boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary: Option<String>,
    /// Whether the element is drawn for context but not under review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_scope: bool,
    /// Typed facts about the element, tested by question rules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: Properties,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Element {
    /// A new in-scope element with no boundary, description or properties.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: ElementKind) -> Self {
        Element {
            id: id.into(),
            name: name.into(),
            kind,
            description: None,
            boundary: None,
            out_of_scope: false,
            properties: Properties::new(),
            extensions: None,
        }
    }
}

/// Whether what lies inside a boundary is trusted.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Trust {
    /// What lies inside is trusted by the system under review (the usual case).
    #[default]
    Trusted,
    /// What lies inside is not trusted, such as a partner network or the users' devices.
    Untrusted,
}

/// A trust boundary: a zone whose inside trusts itself more than its outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Boundary {
    /// Unique among elements, flows and boundaries.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The name used in questions, such as `Production VPC`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// What the boundary encloses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The boundary this one is nested in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether the inside is trusted; trusted when absent.
    #[serde(default, skip_serializing_if = "is_trusted")]
    pub trust: Trust,
    /// Typed facts about the boundary.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: Properties,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Boundary {
    /// A new trusted top-level boundary.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Boundary {
            id: id.into(),
            name: name.into(),
            description: None,
            parent: None,
            trust: Trust::Trusted,
            properties: Properties::new(),
            extensions: None,
        }
    }
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_trusted(trust: &Trust) -> bool {
    *trust == Trust::Trusted
}

/// How sensitive a piece of data is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Classification {
    /// Meant to be public.
    Public,
    /// Internal to the organisation.
    Internal,
    /// Confidential: personal data, business secrets.
    Confidential,
    /// Restricted: credentials, payment data, health data, keys.
    Restricted,
}

impl Classification {
    /// The identifier used in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A piece of data carried by a flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DataItem {
    /// What the data is, such as `card number`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// How sensitive it is.
    pub classification: Classification,
}

impl DataItem {
    /// A piece of data.
    pub fn new(name: impl Into<String>, classification: Classification) -> Self {
        DataItem {
            name: name.into(),
            classification,
        }
    }
}

/// An end of a flow.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FlowEnd {
    /// The element the data leaves.
    Source,
    /// The element the data reaches.
    Target,
}

/// A data flow from a source element to a target element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Flow {
    /// Unique among elements, flows and boundaries.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The name used in questions, such as `place order`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The id of the element the data leaves (for a bidirectional flow, the initiator).
    #[schemars(length(min = 1))]
    pub source: String,
    /// The id of the element the data reaches.
    #[schemars(length(min = 1))]
    pub target: String,
    /// What the flow is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The protocol, such as `HTTPS` or `AMQP`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The data the flow carries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<DataItem>,
    /// Whether the flow is encrypted in transit; unknown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted: Option<bool>,
    /// Whether the endpoints authenticate each other; unknown when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authenticated: Option<bool>,
    /// Whether data goes both ways (a request and its response count as one flow); the source
    /// is then the end that opens the connection.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bidirectional: bool,
    /// Which end opens the connection, when it is not the end the data leaves: a worker that
    /// pulls messages from a queue (data from the queue, the worker initiates), a job that
    /// fetches a file. When absent, the source initiates, except that a data store never does
    /// (a flow out of a store is initiated by its target). Who opens a connection decides who
    /// *calls* an element and what can be reached from outside; where the data goes decides
    /// what it reads and sends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiated_by: Option<FlowEnd>,
    /// Trust boundaries the flow crosses although neither end is inside them: boundaries drawn
    /// as lines (Threat Dragon's curves, the Threat Modeling Tool's line boundaries) rather than
    /// boxes. Crossings by nesting (an end inside a boundary, the other outside) are derived
    /// from the elements' boundaries and need not be listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub crosses: Vec<String>,
    /// Whether the flow is drawn for context but not under review.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub out_of_scope: bool,
    /// Typed facts about the flow, tested by question rules.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: Properties,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Flow {
    /// A new in-scope one-way flow with nothing known about its protocol or data.
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        source: impl Into<String>,
        target: impl Into<String>,
    ) -> Self {
        Flow {
            id: id.into(),
            name: name.into(),
            source: source.into(),
            target: target.into(),
            description: None,
            protocol: None,
            data: Vec::new(),
            encrypted: None,
            authenticated: None,
            bidirectional: false,
            initiated_by: None,
            crosses: Vec::new(),
            out_of_scope: false,
            properties: Properties::new(),
            extensions: None,
        }
    }

    /// The most sensitive classification of the data the flow carries.
    pub fn highest_classification(&self) -> Option<Classification> {
        self.data.iter().map(|d| d.classification).max()
    }
}
