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
use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{Classification, ElementKind, PropertyValue, SubjectKind};
use crate::source::escape_pointer_token;

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
    /// Flows only: the flow's protocol holds one of the words at the start of a word, ASCII
    /// case ignored (`smtp` finds `SMTP (via SES)`, `wss` finds `OCPP 2.0.1 over WSS`).
    ProtocolHas(Vec<String>),
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
    /// Requests from an untrusted interactor (outside every boundary or inside an untrusted
    /// one) reach it, following who opens each connection: the same as `exposure: any`.
    ReachableFromUntrusted(bool),
    /// A flow carries data of at least this classification; an element sends or receives such
    /// a flow.
    Carries(Classification),
    /// Whether the subject is marked out of scope.
    OutOfScope(bool),
    /// The property is a number greater than the value.
    PropertyGt(PropertyNumber),
    /// The property is a number greater than or equal to the value.
    PropertyGte(PropertyNumber),
    /// The property is a number less than the value.
    PropertyLt(PropertyNumber),
    /// The property is a number less than or equal to the value.
    PropertyLte(PropertyNumber),
    /// Flows only: the condition holds for the element that opens the connection (the source,
    /// unless `initiated_by` says the target, or the source is a data store).
    Initiator(Box<Condition>),
    /// Flows only: the condition holds for the element that answers the connection.
    Responder(Box<Condition>),
    /// Elements: opens a connection to an element of that kind (who initiates, not where the
    /// data goes).
    Calls(KindFilter),
    /// Elements: an element of that kind opens a connection to it.
    CalledBy(KindFilter),
    /// How exposed the subject is to untrusted interactors, following who opens each
    /// connection: `direct` (an untrusted interactor calls it, or opens the flow), `indirect`
    /// (requests reach it through elements that relay them), `any` (either), `none`.
    Exposure(ExposureFilter),
    /// A flow carries a data item whose name contains one of these words (case-insensitive);
    /// an element sends or receives such a flow.
    DataNamed(Vec<String>),
    /// Flows only: the flow enters a protected zone without going through the element the
    /// zone's other entering flows reach (its gateway).
    BypassesGateway(bool),
    /// Flows only: the flow joins a data store to an element outside the zone around the
    /// store's own zone.
    OutsideStoreAccess(bool),
    /// Elements: connections are opened to it from at least this many distinct components
    /// (processes, data stores and outside systems; people, `human: true`, are not counted),
    /// over in-scope flows (a deployment is not a connection): a component shared by several
    /// clients.
    CallersAtLeast(u32),
    /// Flows only: every data item the flow carries is sign-in material (a password or other
    /// credential, a key, a second factor, a one-time code, a token or a session), and it
    /// carries at least one: a sign-in.
    SignInOnly(bool),
    /// Data stores: data goes in and never comes out, in the model.
    StoreUnread(bool),
    /// Data stores: data comes out and never goes in, in the model.
    StoreUnwritten(bool),
    /// Processes: handles restricted data and sends nothing to the model's audit log store
    /// (a data store with `audit_log: true`).
    RestrictedWithoutAudit(bool),
    /// People (`human: true` interactors): reaches none of the identity providers
    /// (`issues_tokens: true` processes) the other people reach.
    SkipsIdentityProvider(bool),
    /// Flows only: the connection is opened by the end the data goes to (a pull: a worker
    /// reading a queue, a job fetching a file), not by the end it leaves.
    OpenedByTarget(bool),
    /// Elements: it builds and deploys the others (a CI/CD pipeline: `deploys: true`, or a
    /// CI/CD `technology` such as `github_actions` or `argocd`). Flows: a deployer opens it, so
    /// it is a deployment, not a call.
    Deploys(bool),
    /// The engagement's scope assumptions (`scope.assumptions`) have a sentence with one of
    /// these phrases in it, matched as `says` matches: the same for every subject, so that a
    /// question an assumption rules out ("card numbers never reach our systems") is not asked.
    Assumes(Vec<String>),
    /// The engagement's scope leaves out (`scope.out_of_scope`) something written with one of
    /// these phrases, matched as `says` matches: the same for every subject, so that an
    /// engagement-level question about what the engagement leaves out ("our own build and
    /// release process") is not asked.
    Excludes(Vec<String>),
    /// What the engagement says of itself (its description, and its scope: what is in, what is
    /// out, what is assumed) has a sentence with one of these phrases, matched as `says`
    /// matches: the same for every subject, so that what the engagement already states (the
    /// laws that apply) is not asked as if unknown.
    EngagementSays(Vec<String>),
    /// The engagement lists a document it has in hand (received or reviewed, not only
    /// requested) whose title has one of these phrases, matched as `says` matches: the same for
    /// every subject, so that what a document in hand describes (the architecture) is asked as
    /// what changed since, not from the start.
    DocumentInHand(Vec<String>),
    /// The subject's description has a sentence with one of these phrases in it (ASCII case
    /// ignored, the phrase starting a word): what the modeler wrote in prose, such as
    /// `"trusts the"` or `"not rotated"`. The `{statement}` placeholder quotes that sentence.
    Says(Vec<String>),
    /// The description of a trust boundary around the subject (around either end of a flow)
    /// has a sentence with one of these phrases, matched as `says` matches: what the modeler
    /// wrote of a zone ("laptops are managed with Intune", "reached over a site-to-site VPN")
    /// holds for what is in it.
    ZoneSays(Vec<String>),
    /// Elements: some element that opens a connection to it satisfies the condition.
    Caller(Box<Condition>),
    /// Elements: some element it opens a connection to satisfies the condition.
    Callee(Box<Condition>),
    /// Elements: some in-scope flow opened towards it satisfies the condition (a flow
    /// condition, such as `{"bidirectional": true}`).
    CalledOver(Box<Condition>),
    /// Elements: some in-scope flow it opens satisfies the condition.
    CallsOver(Box<Condition>),
    /// The engagement records a calibration (the business stakeholders' STRIDE weights) and
    /// an interview of the business stakeholders is held: the same for every subject, so that
    /// an engagement-level question the calibration answers is not asked again.
    Calibrated(bool),
    /// Likewise, and the calibration has notes (the business's own account of what would
    /// hurt most).
    CalibrationNotes(bool),
    /// The engagement records a calibration, whether or not the business stakeholders'
    /// interview is held yet (with `calibrated`: one recorded before that interview, to
    /// confirm there rather than ask again).
    CalibrationRecorded(bool),
    /// Likewise, and the calibration has notes.
    CalibrationNotesRecorded(bool),
    /// The engagement's assurance level is at least this one (`fast` < `standard` < `high`):
    /// the same for every subject, so that the depth a high-assurance review has time for
    /// (code-level checklists) is not asked in a standard one.
    Assurance(crate::model::AssuranceLevel),
}

/// The operand of the numeric comparisons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertyNumber {
    /// The property's name.
    pub name: String,
    /// The number it is compared with.
    pub value: f64,
}

/// How exposed a subject must be for `exposure`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ExposureFilter {
    /// Called directly by an untrusted interactor.
    Direct,
    /// Reached through elements that relay untrusted requests.
    Indirect,
    /// Direct or indirect.
    Any,
    /// No untrusted request reaches it.
    None,
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
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
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

/// An operator of the condition language: the one key of a condition object. Declared once;
/// [`Operator::iter`] lists them in documentation order, and their names parse with `FromStr`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[allow(missing_docs)] // each is documented on its `Condition` variant
pub enum Operator {
    All,
    Any,
    Not,
    Kind,
    PropertyExists,
    PropertyTrue,
    PropertyEquals,
    PropertyIn,
    PropertyContains,
    Encrypted,
    Authenticated,
    ProtocolIn,
    ProtocolHas,
    Bidirectional,
    Crosses,
    Enters,
    Leaves,
    CrossesIntoTrust,
    Source,
    Target,
    InBoundary,
    Trusted,
    HasIncomingFrom,
    HasOutgoingTo,
    Reachable,
    ReachableFromUntrusted,
    Carries,
    OutOfScope,
    PropertyGt,
    PropertyGte,
    PropertyLt,
    PropertyLte,
    Initiator,
    Responder,
    Calls,
    CalledBy,
    Exposure,
    DataNamed,
    BypassesGateway,
    OutsideStoreAccess,
    CallersAtLeast,
    SignInOnly,
    StoreUnread,
    StoreUnwritten,
    RestrictedWithoutAudit,
    SkipsIdentityProvider,
    OpenedByTarget,
    Deploys,
    Assumes,
    Excludes,
    EngagementSays,
    DocumentInHand,
    Says,
    ZoneSays,
    Caller,
    Callee,
    CalledOver,
    CallsOver,
    Calibrated,
    CalibrationNotes,
    CalibrationRecorded,
    CalibrationNotesRecorded,
    Assurance,
}

impl Operator {
    /// The operator's name, as written in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every operator, in documentation order.
    pub fn iter() -> impl Iterator<Item = Operator> {
        <Operator as strum::IntoEnumIterator>::iter()
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Condition::from_value(&value, "", usize::MAX)
            .map_err(|d| serde::de::Error::custom(format!("{} (at {})", d.message, d.pointer)))
    }
}

impl Condition {
    /// Parses a condition from JSON; `pointer` is where `value` sits in its document and
    /// prefixes the pointer of any problem reported. A condition of more than `max_nodes`
    /// nodes is refused (`condition-too-large`).
    pub fn from_value(
        value: &Value,
        pointer: &str,
        max_nodes: usize,
    ) -> Result<Condition, Diagnostic> {
        let nodes = count_nodes(value);
        if nodes > max_nodes {
            return Err(Diagnostic::error(
                DiagnosticCode::ConditionTooLarge,
                pointer,
                format!("the condition has {nodes} nodes, over the limit of {max_nodes}"),
            ));
        }
        parse(value, pointer)
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        match self {
            Condition::All(_) => Operator::All,
            Condition::Any(_) => Operator::Any,
            Condition::Not(_) => Operator::Not,
            Condition::Kind(_) => Operator::Kind,
            Condition::PropertyExists(_) => Operator::PropertyExists,
            Condition::PropertyTrue(_) => Operator::PropertyTrue,
            Condition::PropertyEquals(_) => Operator::PropertyEquals,
            Condition::PropertyIn(_) => Operator::PropertyIn,
            Condition::PropertyContains(_) => Operator::PropertyContains,
            Condition::Encrypted(_) => Operator::Encrypted,
            Condition::Authenticated(_) => Operator::Authenticated,
            Condition::ProtocolIn(_) => Operator::ProtocolIn,
            Condition::ProtocolHas(_) => Operator::ProtocolHas,
            Condition::Bidirectional(_) => Operator::Bidirectional,
            Condition::Crosses(_) => Operator::Crosses,
            Condition::Enters(_) => Operator::Enters,
            Condition::Leaves(_) => Operator::Leaves,
            Condition::CrossesIntoTrust(_) => Operator::CrossesIntoTrust,
            Condition::Source(_) => Operator::Source,
            Condition::Target(_) => Operator::Target,
            Condition::InBoundary(_) => Operator::InBoundary,
            Condition::Trusted(_) => Operator::Trusted,
            Condition::HasIncomingFrom(_) => Operator::HasIncomingFrom,
            Condition::HasOutgoingTo(_) => Operator::HasOutgoingTo,
            Condition::Reachable(_) => Operator::Reachable,
            Condition::ReachableFromUntrusted(_) => Operator::ReachableFromUntrusted,
            Condition::Carries(_) => Operator::Carries,
            Condition::OutOfScope(_) => Operator::OutOfScope,
            Condition::PropertyGt(_) => Operator::PropertyGt,
            Condition::PropertyGte(_) => Operator::PropertyGte,
            Condition::PropertyLt(_) => Operator::PropertyLt,
            Condition::PropertyLte(_) => Operator::PropertyLte,
            Condition::Initiator(_) => Operator::Initiator,
            Condition::Responder(_) => Operator::Responder,
            Condition::Calls(_) => Operator::Calls,
            Condition::CalledBy(_) => Operator::CalledBy,
            Condition::Exposure(_) => Operator::Exposure,
            Condition::DataNamed(_) => Operator::DataNamed,
            Condition::BypassesGateway(_) => Operator::BypassesGateway,
            Condition::OutsideStoreAccess(_) => Operator::OutsideStoreAccess,
            Condition::CallersAtLeast(_) => Operator::CallersAtLeast,
            Condition::SignInOnly(_) => Operator::SignInOnly,
            Condition::StoreUnread(_) => Operator::StoreUnread,
            Condition::StoreUnwritten(_) => Operator::StoreUnwritten,
            Condition::RestrictedWithoutAudit(_) => Operator::RestrictedWithoutAudit,
            Condition::SkipsIdentityProvider(_) => Operator::SkipsIdentityProvider,
            Condition::OpenedByTarget(_) => Operator::OpenedByTarget,
            Condition::Deploys(_) => Operator::Deploys,
            Condition::Assumes(_) => Operator::Assumes,
            Condition::Excludes(_) => Operator::Excludes,
            Condition::EngagementSays(_) => Operator::EngagementSays,
            Condition::DocumentInHand(_) => Operator::DocumentInHand,
            Condition::Says(_) => Operator::Says,
            Condition::ZoneSays(_) => Operator::ZoneSays,
            Condition::Caller(_) => Operator::Caller,
            Condition::Callee(_) => Operator::Callee,
            Condition::CalledOver(_) => Operator::CalledOver,
            Condition::CallsOver(_) => Operator::CallsOver,
            Condition::Calibrated(_) => Operator::Calibrated,
            Condition::CalibrationNotes(_) => Operator::CalibrationNotes,
            Condition::CalibrationRecorded(_) => Operator::CalibrationRecorded,
            Condition::CalibrationNotesRecorded(_) => Operator::CalibrationNotesRecorded,
            Condition::Assurance(_) => Operator::Assurance,
        }
    }

    /// The conditions directly under this one.
    pub fn children(&self) -> &[Condition] {
        match self {
            Condition::All(items) | Condition::Any(items) => items,
            Condition::Not(c)
            | Condition::Source(c)
            | Condition::Target(c)
            | Condition::Initiator(c)
            | Condition::Responder(c)
            | Condition::Caller(c)
            | Condition::Callee(c)
            | Condition::CalledOver(c)
            | Condition::CallsOver(c) => std::slice::from_ref(c),
            _ => &[],
        }
    }

    /// The phrases of the first `says` test that speaks of the subject itself and must hold:
    /// reached through `all` and `any` only (not through `not`, `source`, `caller` and the
    /// like).
    pub fn says_phrases(&self) -> Option<&[String]> {
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            match c {
                Condition::Says(phrases) => return Some(phrases),
                Condition::All(items) | Condition::Any(items) => stack.extend(items.iter().rev()),
                _ => {}
            }
        }
        None
    }

    /// The property a leaf reads, if it reads one.
    pub fn property_name(&self) -> Option<&str> {
        match self {
            Condition::PropertyExists(name) | Condition::PropertyTrue(name) => Some(name),
            Condition::PropertyEquals(p) => Some(&p.name),
            Condition::PropertyIn(p) => Some(&p.name),
            Condition::PropertyContains(p) => Some(&p.name),
            Condition::PropertyGt(p)
            | Condition::PropertyGte(p)
            | Condition::PropertyLt(p)
            | Condition::PropertyLte(p) => Some(&p.name),
            _ => None,
        }
    }

    /// Every property the condition reads, in pre-order, with repeats.
    pub fn properties_read(&self) -> Vec<&str> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(c) = stack.pop() {
            out.extend(c.property_name());
            stack.extend(c.children().iter().rev());
        }
        out
    }

    /// The condition holds for every subject: it has no leaf test (`{"all": []}` and nests of
    /// `all` around it).
    pub fn is_trivially_true(&self) -> bool {
        matches!(self, Condition::All(items) if items.iter().all(Condition::is_trivially_true))
    }
}

/// The number of condition nodes in a value, counted without recursion (a condition is
/// refused before it is parsed when it is too large).
fn count_nodes(value: &Value) -> usize {
    let mut count = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        count += 1;
        match v {
            Value::Object(o) => stack.extend(o.values().filter(|v| v.is_object() || v.is_array())),
            Value::Array(a) => stack.extend(a.iter().filter(|v| v.is_object() || v.is_array())),
            _ => {}
        }
    }
    count
}

fn parse(value: &Value, pointer: &str) -> Result<Condition, Diagnostic> {
    let object = value.as_object().ok_or_else(|| {
        Diagnostic::error(
            DiagnosticCode::WrongType,
            pointer,
            format!(
                "a condition must be an object with exactly one operator, found {}",
                describe(value)
            ),
        )
    })?;
    let mut entries = object.iter();
    let (Some((op, operand)), None) = (entries.next(), entries.next()) else {
        return Err(Diagnostic::error(
            DiagnosticCode::InvalidValue,
            pointer,
            format!(
                "a condition must have exactly one operator, found {}",
                keys_list(&object.keys().cloned().collect::<Vec<_>>())
            ),
        ));
    };
    let at = format!("{pointer}/{}", escape_pointer_token(op));
    let Ok(operator) = op.parse::<Operator>() else {
        let suggestion = crate::diagnostic::suggest(op, Operator::iter().map(Operator::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        return Err(Diagnostic::error(
            DiagnosticCode::UnknownOperator,
            pointer,
            format!("unknown operator `{op}`{suggestion}"),
        ));
    };
    Ok(match operator {
        Operator::All => Condition::All(list(operand, &at)?),
        Operator::Any => Condition::Any(list(operand, &at)?),
        Operator::Not => Condition::Not(Box::new(parse(operand, &at)?)),
        Operator::Source => Condition::Source(Box::new(parse(operand, &at)?)),
        Operator::Target => Condition::Target(Box::new(parse(operand, &at)?)),
        Operator::Kind => Condition::Kind(kinds(operand, &at)?),
        Operator::PropertyExists => Condition::PropertyExists(string(operand, &at)?),
        Operator::PropertyTrue => Condition::PropertyTrue(string(operand, &at)?),
        Operator::PropertyEquals => Condition::PropertyEquals(operand_struct(operand, &at)?),
        Operator::PropertyIn => Condition::PropertyIn(operand_struct(operand, &at)?),
        Operator::PropertyContains => Condition::PropertyContains(operand_struct(operand, &at)?),
        Operator::Encrypted => Condition::Encrypted(named(operand, &at)?),
        Operator::Authenticated => Condition::Authenticated(named(operand, &at)?),
        Operator::ProtocolIn => Condition::ProtocolIn(strings(operand, &at)?),
        Operator::ProtocolHas => Condition::ProtocolHas(phrases(operand, &at)?),
        Operator::Bidirectional => Condition::Bidirectional(boolean(operand, &at)?),
        Operator::Crosses => Condition::Crosses(boundary(operand, &at)?),
        Operator::Enters => Condition::Enters(boundary(operand, &at)?),
        Operator::Leaves => Condition::Leaves(boundary(operand, &at)?),
        Operator::CrossesIntoTrust => Condition::CrossesIntoTrust(boolean(operand, &at)?),
        Operator::InBoundary => Condition::InBoundary(boundary(operand, &at)?),
        Operator::Trusted => Condition::Trusted(boolean(operand, &at)?),
        Operator::HasIncomingFrom => Condition::HasIncomingFrom(kind_filter(operand, &at)?),
        Operator::HasOutgoingTo => Condition::HasOutgoingTo(kind_filter(operand, &at)?),
        Operator::Reachable => Condition::Reachable(boolean(operand, &at)?),
        Operator::ReachableFromUntrusted => {
            Condition::ReachableFromUntrusted(boolean(operand, &at)?)
        }
        Operator::Carries => Condition::Carries(named(operand, &at)?),
        Operator::OutOfScope => Condition::OutOfScope(boolean(operand, &at)?),
        Operator::PropertyGt => Condition::PropertyGt(operand_struct(operand, &at)?),
        Operator::PropertyGte => Condition::PropertyGte(operand_struct(operand, &at)?),
        Operator::PropertyLt => Condition::PropertyLt(operand_struct(operand, &at)?),
        Operator::PropertyLte => Condition::PropertyLte(operand_struct(operand, &at)?),
        Operator::Initiator => Condition::Initiator(Box::new(parse(operand, &at)?)),
        Operator::Responder => Condition::Responder(Box::new(parse(operand, &at)?)),
        Operator::Calls => Condition::Calls(kind_filter(operand, &at)?),
        Operator::CalledBy => Condition::CalledBy(kind_filter(operand, &at)?),
        Operator::Exposure => Condition::Exposure(named(operand, &at)?),
        Operator::DataNamed => Condition::DataNamed(strings(operand, &at)?),
        Operator::BypassesGateway => Condition::BypassesGateway(boolean(operand, &at)?),
        Operator::OutsideStoreAccess => Condition::OutsideStoreAccess(boolean(operand, &at)?),
        Operator::CallersAtLeast => Condition::CallersAtLeast(count(operand, &at)?),
        Operator::SignInOnly => Condition::SignInOnly(boolean(operand, &at)?),
        Operator::StoreUnread => Condition::StoreUnread(boolean(operand, &at)?),
        Operator::StoreUnwritten => Condition::StoreUnwritten(boolean(operand, &at)?),
        Operator::RestrictedWithoutAudit => {
            Condition::RestrictedWithoutAudit(boolean(operand, &at)?)
        }
        Operator::SkipsIdentityProvider => Condition::SkipsIdentityProvider(boolean(operand, &at)?),
        Operator::OpenedByTarget => Condition::OpenedByTarget(boolean(operand, &at)?),
        Operator::Deploys => Condition::Deploys(boolean(operand, &at)?),
        Operator::Assumes => Condition::Assumes(phrases(operand, &at)?),
        Operator::Excludes => Condition::Excludes(phrases(operand, &at)?),
        Operator::EngagementSays => Condition::EngagementSays(phrases(operand, &at)?),
        Operator::DocumentInHand => Condition::DocumentInHand(phrases(operand, &at)?),
        Operator::Says => Condition::Says(phrases(operand, &at)?),
        Operator::ZoneSays => Condition::ZoneSays(phrases(operand, &at)?),
        Operator::Caller => Condition::Caller(Box::new(parse(operand, &at)?)),
        Operator::Callee => Condition::Callee(Box::new(parse(operand, &at)?)),
        Operator::CalledOver => Condition::CalledOver(Box::new(parse(operand, &at)?)),
        Operator::CallsOver => Condition::CallsOver(Box::new(parse(operand, &at)?)),
        Operator::Calibrated => Condition::Calibrated(boolean(operand, &at)?),
        Operator::CalibrationNotes => Condition::CalibrationNotes(boolean(operand, &at)?),
        Operator::CalibrationRecorded => Condition::CalibrationRecorded(boolean(operand, &at)?),
        Operator::Assurance => Condition::Assurance(named(operand, &at)?),
        Operator::CalibrationNotesRecorded => {
            Condition::CalibrationNotesRecorded(boolean(operand, &at)?)
        }
    })
}

fn keys_list(keys: &[String]) -> String {
    if keys.is_empty() {
        "none".to_owned()
    } else {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn expected(pointer: &str, what: &str, value: &Value) -> Diagnostic {
    Diagnostic::error(
        DiagnosticCode::WrongType,
        pointer,
        format!("expected {what}, found {}", describe(value)),
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

fn list(value: &Value, pointer: &str) -> Result<Vec<Condition>, Diagnostic> {
    let items = value
        .as_array()
        .ok_or_else(|| expected(pointer, "a list of conditions", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| parse(item, &format!("{pointer}/{i}")))
        .collect()
}

fn string(value: &Value, pointer: &str) -> Result<String, Diagnostic> {
    match value {
        Value::String(s) if !s.is_empty() => Ok(s.clone()),
        Value::String(_) => Err(Diagnostic::error(
            DiagnosticCode::InvalidValue,
            pointer,
            "must not be empty",
        )),
        _ => Err(expected(pointer, "a non-empty string", value)),
    }
}

fn strings(value: &Value, pointer: &str) -> Result<Vec<String>, Diagnostic> {
    let items = value
        .as_array()
        .ok_or_else(|| expected(pointer, "a list of strings", value))?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| string(item, &format!("{pointer}/{i}")))
        .collect()
}

/// A non-empty list of phrases, each with a letter or digit in it.
fn phrases(value: &Value, pointer: &str) -> Result<Vec<String>, Diagnostic> {
    let items = strings(value, pointer)?;
    if items.is_empty() {
        return Err(Diagnostic::error(
            DiagnosticCode::InvalidValue,
            pointer,
            "must list at least one phrase",
        ));
    }
    for (i, item) in items.iter().enumerate() {
        if !item.chars().any(char::is_alphanumeric) {
            return Err(expected(
                &format!("{pointer}/{i}"),
                "a phrase with a letter or digit in it",
                &value[i],
            ));
        }
    }
    Ok(items)
}

fn count(value: &Value, pointer: &str) -> Result<u32, Diagnostic> {
    value
        .as_u64()
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n >= 1)
        .ok_or_else(|| expected(pointer, "a whole number, at least 1", value))
}

fn boolean(value: &Value, pointer: &str) -> Result<bool, Diagnostic> {
    value
        .as_bool()
        .ok_or_else(|| expected(pointer, "`true` or `false`", value))
}

/// A value named by a string, whose names strum lists; an unknown name names the allowed ones.
fn named<T>(value: &Value, pointer: &str) -> Result<T, Diagnostic>
where
    T: std::str::FromStr + strum::IntoEnumIterator + Into<&'static str>,
{
    let Some(name) = value.as_str() else {
        return Err(expected(pointer, "a string", value));
    };
    name.parse::<T>().map_err(|_| {
        let allowed: Vec<String> = T::iter().map(|t| format!("`{}`", t.into())).collect();
        Diagnostic::error(
            DiagnosticCode::InvalidValue,
            pointer,
            format!("`{name}` is not one of {}", allowed.join(", ")),
        )
    })
}

fn kinds(value: &Value, pointer: &str) -> Result<KindList, Diagnostic> {
    match value {
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| named::<SubjectKind>(item, &format!("{pointer}/{i}")))
            .collect::<Result<_, _>>()
            .map(KindList),
        Value::Array(_) => Err(expected(
            pointer,
            "a kind or a non-empty list of kinds",
            value,
        )),
        _ => Ok(KindList(vec![named::<SubjectKind>(value, pointer)?])),
    }
}

fn kind_filter(value: &Value, pointer: &str) -> Result<KindFilter, Diagnostic> {
    if value.as_str() == Some("any") {
        return Ok(KindFilter::Any);
    }
    named::<ElementKind>(value, pointer)
        .map(KindFilter::Kind)
        .map_err(|mut d| {
            if d.code == DiagnosticCode::InvalidValue {
                d.message = d
                    .message
                    .replace(" is not one of ", " is not one of `any`, ");
            }
            d
        })
}

fn boundary(value: &Value, pointer: &str) -> Result<BoundaryRef, Diagnostic> {
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
) -> Result<T, Diagnostic> {
    if !value.is_object() {
        return Err(expected(pointer, "an object", value));
    }
    T::deserialize(value)
        .map_err(|e| Diagnostic::error(DiagnosticCode::InvalidValue, pointer, e.to_string()))
}
