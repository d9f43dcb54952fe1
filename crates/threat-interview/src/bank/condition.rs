//! The condition language: when a template applies to an element or a flow.
//!
//! A condition is a JSON object with exactly one key, the operator (see
//! `docs/question-bank.md`). It is parsed by hand from a [`serde_json::Value`], not derived,
//! so that a bad node is reported with its JSON Pointer (`/templates/12/when/all/1`). The
//! parsed [`Condition`] is plain data; the engine compiles it against a component graph once
//! per generation (boundary ids resolved, kinds as bit masks) and evaluates it without
//! allocating.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::location::escape_pointer_token;
use crate::model::{Classification, ElementKind, PropertyValue, SubjectKind};

use super::error::{BankProblem, ProblemKind};

/// An applicability condition over an element or a flow.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every condition holds (true for an empty list).
    All(Vec<Condition>),
    /// At least one condition holds (false for an empty list).
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// The subject is of one of these kinds (`data_flow` for flows).
    Kind(KindList),
    /// The subject has the property.
    PropertyExists(String),
    /// The property is the boolean `true`.
    PropertyTrue(String),
    /// The property equals the value.
    PropertyEquals(PropertyEquals),
    /// The property is a string among the values.
    PropertyIn(PropertyIn),
    /// The property is a list holding the value, or a string containing it.
    PropertyContains(PropertyContains),
    /// Flows only: whether the flow is encrypted.
    Encrypted(TriState),
    /// Flows only: whether the flow's ends authenticate each other.
    Authenticated(TriState),
    /// Flows only: the protocol is one of these (case-insensitive).
    ProtocolIn(Vec<String>),
    /// Flows only: whether the flow is bidirectional.
    Bidirectional(bool),
    /// Flows only: the flow crosses any boundary, or the named one.
    Crosses(BoundaryRef),
    /// Flows only: the flow enters any boundary, or the named one.
    Enters(BoundaryRef),
    /// Flows only: the flow leaves any boundary, or the named one.
    Leaves(BoundaryRef),
    /// Flows only: the flow goes from an untrusted place to a trusted one.
    CrossesIntoTrust(bool),
    /// Flows only: the condition holds for the flow's source element.
    Source(Box<Condition>),
    /// Flows only: the condition holds for the flow's target element.
    Target(Box<Condition>),
    /// Elements: inside any boundary or the named one at any depth; flows: both ends are.
    InBoundary(BoundaryRef),
    /// Elements: inside at least one boundary and no untrusted one; flows: both ends are.
    Trusted(bool),
    /// Elements: receives a flow from an element of that kind (bidirectional flows count both
    /// ways).
    HasIncomingFrom(KindFilter),
    /// Elements: sends a flow to an element of that kind (bidirectional flows count both ways).
    HasOutgoingTo(KindFilter),
    /// Reachable from some external interactor (a flow: its source is).
    Reachable(bool),
    /// Reachable from an interactor outside every boundary or inside an untrusted one.
    ReachableFromUntrusted(bool),
    /// A flow carries data of at least this classification; an element sends or receives such
    /// a flow.
    Carries(Classification),
    /// Whether the subject is marked out of scope.
    OutOfScope(bool),
}

/// One kind or a list of kinds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindList(pub Vec<SubjectKind>);

impl Serialize for KindList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => one.serialize(serializer),
            many => many.serialize(serializer),
        }
    }
}

impl JsonSchema for KindList {
    fn schema_name() -> Cow<'static, str> {
        "KindList".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let kind = generator.subschema_for::<SubjectKind>();
        schemars::json_schema!({
            "description": "A kind, or a list of kinds.",
            "oneOf": [kind, {"type": "array", "items": kind, "minItems": 1}]
        })
    }
}

/// `any`, or the id of a trust boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoundaryRef {
    /// Any boundary.
    Any,
    /// The boundary with this id.
    Named(String),
}

impl Serialize for BoundaryRef {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            BoundaryRef::Any => serializer.serialize_str("any"),
            BoundaryRef::Named(id) => serializer.serialize_str(id),
        }
    }
}

impl JsonSchema for BoundaryRef {
    fn schema_name() -> Cow<'static, str> {
        "BoundaryRef".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`any`, or the id of a trust boundary.",
            "type": "string",
            "minLength": 1
        })
    }
}

/// `any`, or an element kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    /// Any kind.
    Any,
    /// Elements of this kind.
    Kind(ElementKind),
}

impl Serialize for KindFilter {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            KindFilter::Any => serializer.serialize_str("any"),
            KindFilter::Kind(kind) => kind.serialize(serializer),
        }
    }
}

impl JsonSchema for KindFilter {
    fn schema_name() -> Cow<'static, str> {
        "KindFilter".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "`any`, or an element kind.",
            "enum": ["any", "external_interactor", "process", "data_store"]
        })
    }
}

/// `yes`, `no`, or `unknown` (absent in the model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TriState {
    /// Known to be so.
    Yes,
    /// Known not to be so.
    No,
    /// Not said in the model.
    Unknown,
}

impl TriState {
    /// Whether a model's optional flag is in this state.
    pub fn matches(self, flag: Option<bool>) -> bool {
        matches!(
            (self, flag),
            (TriState::Yes, Some(true)) | (TriState::No, Some(false)) | (TriState::Unknown, None)
        )
    }
}

/// The operand of `property_equals`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyEquals {
    /// The property's name.
    pub name: String,
    /// The value it must equal.
    pub value: PropertyValue,
}

/// The operand of `property_in`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyIn {
    /// The property's name.
    pub name: String,
    /// The strings it may be.
    pub values: Vec<String>,
}

/// The operand of `property_contains`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyContains {
    /// The property's name.
    pub name: String,
    /// The string the list must hold, or the string must contain.
    pub value: String,
}

/// Every operator of the language, in documentation order.
pub const OPERATORS: &[&str] = &[
    "all",
    "any",
    "not",
    "kind",
    "property_exists",
    "property_true",
    "property_equals",
    "property_in",
    "property_contains",
    "encrypted",
    "authenticated",
    "protocol_in",
    "bidirectional",
    "crosses",
    "enters",
    "leaves",
    "crosses_into_trust",
    "source",
    "target",
    "in_boundary",
    "trusted",
    "has_incoming_from",
    "has_outgoing_to",
    "reachable",
    "reachable_from_untrusted",
    "carries",
    "out_of_scope",
];

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Condition::from_value(&value, "").map_err(|p| serde::de::Error::custom(p.to_string()))
    }
}

impl Condition {
    /// Parses a condition from JSON; `pointer` is where `value` sits in its document and
    /// prefixes the pointer of any problem reported.
    pub fn from_value(value: &Value, pointer: &str) -> Result<Condition, BankProblem> {
        let object = value
            .as_object()
            .ok_or_else(|| problem(pointer, ProblemKind::ConditionNotObject))?;
        let mut entries = object.iter();
        let (Some((op, operand)), None) = (entries.next(), entries.next()) else {
            return Err(problem(
                pointer,
                ProblemKind::ConditionKeys {
                    keys: object.keys().cloned().collect(),
                },
            ));
        };
        let at = format!("{pointer}/{}", escape_pointer_token(op));
        let condition = match op.as_str() {
            "all" => Condition::All(list(operand, &at)?),
            "any" => Condition::Any(list(operand, &at)?),
            "not" => Condition::Not(Box::new(Condition::from_value(operand, &at)?)),
            "source" => Condition::Source(Box::new(Condition::from_value(operand, &at)?)),
            "target" => Condition::Target(Box::new(Condition::from_value(operand, &at)?)),
            "kind" => Condition::Kind(kinds(operand, &at)?),
            "property_exists" => Condition::PropertyExists(string(operand, &at)?),
            "property_true" => Condition::PropertyTrue(string(operand, &at)?),
            "property_equals" => Condition::PropertyEquals(operand_struct(operand, &at)?),
            "property_in" => Condition::PropertyIn(operand_struct(operand, &at)?),
            "property_contains" => Condition::PropertyContains(operand_struct(operand, &at)?),
            "encrypted" => Condition::Encrypted(tri_state(operand, &at)?),
            "authenticated" => Condition::Authenticated(tri_state(operand, &at)?),
            "protocol_in" => Condition::ProtocolIn(strings(operand, &at)?),
            "bidirectional" => Condition::Bidirectional(boolean(operand, &at)?),
            "crosses" => Condition::Crosses(boundary(operand, &at)?),
            "enters" => Condition::Enters(boundary(operand, &at)?),
            "leaves" => Condition::Leaves(boundary(operand, &at)?),
            "crosses_into_trust" => Condition::CrossesIntoTrust(boolean(operand, &at)?),
            "in_boundary" => Condition::InBoundary(boundary(operand, &at)?),
            "trusted" => Condition::Trusted(boolean(operand, &at)?),
            "has_incoming_from" => Condition::HasIncomingFrom(kind_filter(operand, &at)?),
            "has_outgoing_to" => Condition::HasOutgoingTo(kind_filter(operand, &at)?),
            "reachable" => Condition::Reachable(boolean(operand, &at)?),
            "reachable_from_untrusted" => Condition::ReachableFromUntrusted(boolean(operand, &at)?),
            "carries" => Condition::Carries(classification(operand, &at)?),
            "out_of_scope" => Condition::OutOfScope(boolean(operand, &at)?),
            _ => {
                return Err(problem(
                    pointer,
                    ProblemKind::UnknownOperator {
                        operator: op.clone(),
                    },
                ));
            }
        };
        Ok(condition)
    }

    /// The operator's name, as written in files.
    pub fn operator(&self) -> &'static str {
        match self {
            Condition::All(_) => "all",
            Condition::Any(_) => "any",
            Condition::Not(_) => "not",
            Condition::Kind(_) => "kind",
            Condition::PropertyExists(_) => "property_exists",
            Condition::PropertyTrue(_) => "property_true",
            Condition::PropertyEquals(_) => "property_equals",
            Condition::PropertyIn(_) => "property_in",
            Condition::PropertyContains(_) => "property_contains",
            Condition::Encrypted(_) => "encrypted",
            Condition::Authenticated(_) => "authenticated",
            Condition::ProtocolIn(_) => "protocol_in",
            Condition::Bidirectional(_) => "bidirectional",
            Condition::Crosses(_) => "crosses",
            Condition::Enters(_) => "enters",
            Condition::Leaves(_) => "leaves",
            Condition::CrossesIntoTrust(_) => "crosses_into_trust",
            Condition::Source(_) => "source",
            Condition::Target(_) => "target",
            Condition::InBoundary(_) => "in_boundary",
            Condition::Trusted(_) => "trusted",
            Condition::HasIncomingFrom(_) => "has_incoming_from",
            Condition::HasOutgoingTo(_) => "has_outgoing_to",
            Condition::Reachable(_) => "reachable",
            Condition::ReachableFromUntrusted(_) => "reachable_from_untrusted",
            Condition::Carries(_) => "carries",
            Condition::OutOfScope(_) => "out_of_scope",
        }
    }

    /// The condition holds for every subject: it has no leaf test (`{"all": []}` and nests of
    /// `all` around it).
    pub fn is_trivially_true(&self) -> bool {
        matches!(self, Condition::All(items) if items.iter().all(Condition::is_trivially_true))
    }
}

fn problem(pointer: &str, kind: ProblemKind) -> BankProblem {
    BankProblem {
        pointer: pointer.to_owned(),
        kind,
    }
}

fn expected(pointer: &str, what: &'static str, value: &Value) -> BankProblem {
    problem(
        pointer,
        ProblemKind::ExpectedOperand {
            expected: what,
            found: describe(value),
        },
    )
}

/// A short description of a JSON value's type, for messages.
pub(crate) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn list(value: &Value, pointer: &str) -> Result<Vec<Condition>, BankProblem> {
    let items = value
        .as_array()
        .ok_or_else(|| expected(pointer, "a list of conditions", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| Condition::from_value(item, &format!("{pointer}/{i}")))
        .collect()
}

fn string(value: &Value, pointer: &str) -> Result<String, BankProblem> {
    match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        _ => Err(expected(pointer, "a non-empty string", value)),
    }
}

fn strings(value: &Value, pointer: &str) -> Result<Vec<String>, BankProblem> {
    let items = value
        .as_array()
        .ok_or_else(|| expected(pointer, "a list of strings", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| string(item, &format!("{pointer}/{i}")))
        .collect()
}

fn boolean(value: &Value, pointer: &str) -> Result<bool, BankProblem> {
    value
        .as_bool()
        .ok_or_else(|| expected(pointer, "`true` or `false`", value))
}

fn one_of<'v>(
    value: &'v Value,
    pointer: &str,
    allowed: &'static [&'static str],
) -> Result<&'v str, BankProblem> {
    let Some(name) = value.as_str() else {
        return Err(expected(pointer, "a string", value));
    };
    if allowed.contains(&name) {
        Ok(name)
    } else {
        Err(problem(
            pointer,
            ProblemKind::UnknownValue {
                value: name.to_owned(),
                allowed,
            },
        ))
    }
}

const SUBJECT_KINDS: &[&str] = &["external_interactor", "process", "data_store", "data_flow"];
const KIND_FILTERS: &[&str] = &["any", "external_interactor", "process", "data_store"];
const TRI_STATES: &[&str] = &["yes", "no", "unknown"];
const CLASSIFICATIONS: &[&str] = &["public", "internal", "confidential", "restricted"];

fn subject_kind(value: &Value, pointer: &str) -> Result<SubjectKind, BankProblem> {
    let name = one_of(value, pointer, SUBJECT_KINDS)?;
    Ok(SubjectKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .expect("listed kinds parse"))
}

fn kinds(value: &Value, pointer: &str) -> Result<KindList, BankProblem> {
    match value {
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| subject_kind(item, &format!("{pointer}/{i}")))
            .collect::<Result<_, _>>()
            .map(KindList),
        Value::Array(_) => Err(expected(
            pointer,
            "a kind or a non-empty list of kinds",
            value,
        )),
        _ => Ok(KindList(vec![subject_kind(value, pointer)?])),
    }
}

fn kind_filter(value: &Value, pointer: &str) -> Result<KindFilter, BankProblem> {
    Ok(match one_of(value, pointer, KIND_FILTERS)? {
        "any" => KindFilter::Any,
        "external_interactor" => KindFilter::Kind(ElementKind::ExternalInteractor),
        "process" => KindFilter::Kind(ElementKind::Process),
        _ => KindFilter::Kind(ElementKind::DataStore),
    })
}

fn tri_state(value: &Value, pointer: &str) -> Result<TriState, BankProblem> {
    Ok(match one_of(value, pointer, TRI_STATES)? {
        "yes" => TriState::Yes,
        "no" => TriState::No,
        _ => TriState::Unknown,
    })
}

fn classification(value: &Value, pointer: &str) -> Result<Classification, BankProblem> {
    Ok(match one_of(value, pointer, CLASSIFICATIONS)? {
        "public" => Classification::Public,
        "internal" => Classification::Internal,
        "confidential" => Classification::Confidential,
        _ => Classification::Restricted,
    })
}

fn boundary(value: &Value, pointer: &str) -> Result<BoundaryRef, BankProblem> {
    let name = string(value, pointer)?;
    Ok(if name == "any" {
        BoundaryRef::Any
    } else {
        BoundaryRef::Named(name)
    })
}

/// The object operands (`property_equals`...): deserialized by serde, whose message names the
/// offending field.
fn operand_struct<T: serde::de::DeserializeOwned>(
    value: &Value,
    pointer: &str,
) -> Result<T, BankProblem> {
    if !value.is_object() {
        return Err(expected(pointer, "an object", value));
    }
    T::deserialize(value).map_err(|e| {
        problem(
            pointer,
            ProblemKind::Structure {
                message: e.to_string(),
            },
        )
    })
}

/// Removes the `when` member from a template object, so the rest can be deserialized by serde
/// and the condition parsed by hand.
pub(crate) fn take_when(template: &mut Map<String, Value>) -> Option<Value> {
    template.remove("when")
}
