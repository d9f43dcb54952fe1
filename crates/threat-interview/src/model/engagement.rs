//! The engagement: one threat-modeling exercise and everything its interview phase produces.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Calibration, Extensions, Finding, FollowUp, Hint, Interview, Question, Role, RoleDefinition,
    SharedModel,
};

/// The version of the engagement file format this library reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// One threat-modeling exercise: its scope, people, calendar, component model, questions and
/// answers, hints, findings and follow-ups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Engagement")]
#[non_exhaustive]
pub struct Engagement {
    /// The version of the file format; this library reads and writes version 1.
    #[schemars(range(min = 1, max = 1))]
    pub schema_version: u32,
    /// A stable identifier for the engagement.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The name of the engagement, such as `Online shop, spring review`.
    #[schemars(length(min = 1))]
    pub name: String,
    /// What the engagement is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The system under review as people call it in a sentence, such as `the online shop`;
    /// questions say `the system` when it is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub system: Option<String>,
    /// How deep the exercise goes, which decides the roles and the calendar.
    pub assurance_level: AssuranceLevel,
    /// What is in scope, what is not, and what is assumed.
    #[serde(default)]
    pub scope: Scope,
    /// Documentation gathered during preparation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// Roles beyond the built-in ones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom_roles: Vec<RoleDefinition>,
    /// The people taking part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
    /// The interviews, planned or held.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interviews: Vec<Interview>,
    /// The component model (data-flow diagram) of the system under review.
    #[serde(default)]
    pub model: SharedModel,
    /// The questions, generated or written by hand, and their answers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    /// How much each STRIDE category matters to the business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
    /// Question packs enabled or disabled by hand, by id; the others apply where the model
    /// calls for them.
    #[serde(default, skip_serializing_if = "PackSettings::is_empty")]
    pub packs: PackSettings,
    /// Possible weaknesses revealed during the interviews.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hints: Vec<Hint>,
    /// Hints with at least a sketched attack path, confirmed or dismissed with a rationale.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    /// Questions sent to a named person after the interviews.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUp>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Engagement {
    /// A new, empty engagement of the current schema version.
    pub fn new(id: impl Into<String>, name: impl Into<String>, level: AssuranceLevel) -> Self {
        Engagement {
            schema_version: SCHEMA_VERSION,
            id: id.into(),
            name: name.into(),
            description: None,
            system: None,
            assurance_level: level,
            scope: Scope::default(),
            documents: Vec::new(),
            custom_roles: Vec::new(),
            participants: Vec::new(),
            interviews: Vec::new(),
            model: SharedModel::default(),
            questions: Vec::new(),
            calibration: None,
            packs: PackSettings::default(),
            hints: Vec::new(),
            findings: Vec::new(),
            follow_ups: Vec::new(),
            extensions: None,
        }
    }

    /// The participant with this id.
    pub fn participant(&self, id: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.id == id)
    }

    /// The names of an interview's participants, in its order; an id that names no participant
    /// stands for itself.
    pub fn participant_names<'a>(&'a self, interview: &'a Interview) -> Vec<&'a str> {
        interview
            .participants
            .iter()
            .map(|id| {
                self.participant(id)
                    .map_or(id.as_str(), |p| p.name.as_str())
            })
            .collect()
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The participants who hold a role.
    pub fn participants_with_role<'a>(
        &'a self,
        role: &'a Role,
    ) -> impl Iterator<Item = &'a Participant> + 'a {
        self.participants
            .iter()
            .filter(move |p| p.roles.contains(role))
    }
}

/// How deep the exercise goes.
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
pub enum AssuranceLevel {
    /// A few hours: business stakeholders and architects only.
    Fast,
    /// A few days: every built-in role, over about three days.
    Standard,
    /// Longer, for high-assurance systems: every built-in role, more depth.
    High,
}

impl AssuranceLevel {
    /// The identifier used in files.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The built-in roles an engagement of this level should interview.
    pub fn required_roles(self) -> &'static [Role] {
        match self {
            AssuranceLevel::Fast => &[Role::BusinessStakeholder, Role::Architect],
            AssuranceLevel::Standard | AssuranceLevel::High => &Role::BUILT_IN,
        }
    }
}

/// What is in scope, what is not, and what is assumed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Scope {
    /// What the engagement covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_scope: Vec<String>,
    /// What it deliberately leaves out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub out_of_scope: Vec<String>,
    /// What is taken as given, such as `the cloud provider's physical security`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<String>,
}

/// Where a document gathered during preparation stands.
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
pub enum DocumentStatus {
    /// Asked for, not yet received.
    Requested,
    /// Received, not yet read.
    Received,
    /// Read by the threat modelers.
    Reviewed,
}

/// A document gathered during preparation: an architecture description, a diagram, a policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Document {
    /// Unique among documents.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The document's title.
    #[schemars(length(min = 1))]
    pub title: String,
    /// Where it stands.
    pub status: DocumentStatus,
    /// Where to find it: a URL or a path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The participant who provides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Notes on the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Document {
    /// A document with a status and nothing else.
    pub fn new(id: impl Into<String>, title: impl Into<String>, status: DocumentStatus) -> Self {
        Document {
            id: id.into(),
            title: title.into(),
            status,
            location: None,
            owner: None,
            notes: None,
            extensions: None,
        }
    }
}

/// A person taking part in the engagement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Participant {
    /// Unique among participants.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The person's name.
    #[schemars(length(min = 1))]
    pub name: String,
    /// The roles the person is interviewed for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
    /// The person's team or organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// How to reach the person for follow-ups.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl Participant {
    /// A participant holding some roles, with no contact yet.
    pub fn new(id: impl Into<String>, name: impl Into<String>, roles: Vec<Role>) -> Self {
        Participant {
            id: id.into(),
            name: name.into(),
            roles,
            organization: None,
            contact: None,
            extensions: None,
        }
    }
}

/// How to reach a participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Contact {
    /// The channel.
    pub channel: ContactChannel,
    /// The address on that channel: an email address, a chat handle, a phone number.
    #[schemars(length(min = 1))]
    pub address: String,
}

impl Contact {
    /// A way to reach a participant.
    pub fn new(channel: ContactChannel, address: impl Into<String>) -> Self {
        Contact {
            channel,
            address: address.into(),
        }
    }
}

/// A channel to reach a participant.
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
pub enum ContactChannel {
    /// Email.
    Email,
    /// A chat system.
    Chat,
    /// Telephone.
    Phone,
    /// Anything else.
    Other,
}

/// Question packs an engagement enables or disables by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PackSettings {
    /// Packs asked whatever the model holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable: Vec<String>,
    /// Packs never asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<String>,
}

impl PackSettings {
    /// Whether nothing is enabled or disabled by hand.
    pub fn is_empty(&self) -> bool {
        self.enable.is_empty() && self.disable.is_empty()
    }
}
