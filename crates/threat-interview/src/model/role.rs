//! The roles interviewed during an engagement, built in and custom.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Extensions;

/// A role to interview. Built-in roles have a fixed identifier; any other identifier names a
/// custom role, which the engagement must declare in `custom_roles`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Business stakeholders: value of the solution, business concerns, calibration.
    BusinessStakeholder,
    /// Architects: the design, walked element by element.
    Architect,
    /// Lead developers: the design and its implementation, with the architects.
    LeadDeveloper,
    /// Owners of the deployment infrastructure: secrets, pipelines, supply chain.
    DeploymentOwner,
    /// Owners of the production environment: operations, monitoring, administrative access,
    /// incident handling.
    ProductionOwner,
    /// A custom role declared by the engagement, by its identifier.
    Custom(String),
}

impl Role {
    /// The five built-in roles.
    pub const BUILT_IN: [Role; 5] = [
        Role::BusinessStakeholder,
        Role::Architect,
        Role::LeadDeveloper,
        Role::DeploymentOwner,
        Role::ProductionOwner,
    ];

    /// The identifier used in files.
    pub fn as_str(&self) -> &str {
        match self {
            Role::BusinessStakeholder => "business_stakeholder",
            Role::Architect => "architect",
            Role::LeadDeveloper => "lead_developer",
            Role::DeploymentOwner => "deployment_owner",
            Role::ProductionOwner => "production_owner",
            Role::Custom(id) => id,
        }
    }

    /// Parses an identifier: a built-in role's, or else a custom role's.
    pub fn from_name(name: &str) -> Role {
        Role::BUILT_IN
            .into_iter()
            .find(|r| r.as_str() == name)
            .unwrap_or_else(|| Role::Custom(name.to_owned()))
    }

    /// The role a name names in an engagement: a built-in role, or a custom role the engagement
    /// declares. An unknown name is an error that suggests the closest known role (so
    /// `architcet` and `production-owner` are caught, not read as custom roles nobody holds).
    pub fn resolve(engagement: &super::Engagement, name: &str) -> Result<Role, UnknownRole> {
        let role = Role::from_name(name);
        let declared = |id: &str| engagement.custom_roles.iter().any(|r| r.id == id);
        if !role.is_custom() || declared(name) {
            return Ok(role);
        }
        let known: Vec<String> = Role::BUILT_IN
            .iter()
            .map(|r| r.as_str().to_owned())
            .chain(engagement.custom_roles.iter().map(|r| r.id.clone()))
            .collect();
        let suggestion =
            crate::diagnostic::suggest(name, known.iter().map(String::as_str)).map(str::to_owned);
        Err(UnknownRole {
            name: name.to_owned(),
            suggestion,
            known,
        })
    }

    /// Whether this is a custom role.
    pub fn is_custom(&self) -> bool {
        matches!(self, Role::Custom(_))
    }

    /// What an interview with this role is for. `None` for custom roles, whose goal is in
    /// their declaration.
    pub fn goal(&self) -> Option<&'static str> {
        Some(match self {
            Role::BusinessStakeholder => {
                "understand the value of the solution and the business concerns, and calibrate what matters most"
            }
            Role::Architect => {
                "walk the design element by element, starting at an external interactor"
            }
            Role::LeadDeveloper => {
                "walk the design and its implementation: authentication, data handling, dependencies"
            }
            Role::DeploymentOwner => {
                "understand how the solution is built and deployed: secrets, pipelines, supply chain"
            }
            Role::ProductionOwner => {
                "understand operations: monitoring, administrative access, incident handling, backups"
            }
            Role::Custom(_) => return None,
        })
    }

    /// The usual length of a meeting with this role, in minutes. `None` for custom roles.
    pub fn typical_minutes(&self) -> Option<u32> {
        match self {
            Role::BusinessStakeholder => Some(30),
            Role::Architect | Role::LeadDeveloper => Some(180),
            Role::DeploymentOwner | Role::ProductionOwner => Some(60),
            Role::Custom(_) => None,
        }
    }

    /// Whether this role may be dropped from an engagement (fast exercises drop it).
    pub fn is_optional(&self) -> bool {
        matches!(
            self,
            Role::DeploymentOwner | Role::ProductionOwner | Role::Custom(_)
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = Cow::<'de, str>::deserialize(deserializer)?;
        if name.is_empty() {
            return Err(serde::de::Error::custom("a role cannot be empty"));
        }
        Ok(Role::from_name(&name))
    }
}

impl JsonSchema for Role {
    fn schema_name() -> Cow<'static, str> {
        "Role".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A role to interview: `business_stakeholder`, `architect`, `lead_developer`, `deployment_owner`, `production_owner`, or the id of a custom role declared in `custom_roles`.",
            "type": "string",
            "minLength": 1,
            "examples": ["business_stakeholder", "architect", "lead_developer", "deployment_owner", "production_owner"]
        })
    }
}

/// A role name that names no role of an engagement.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{name}`{}", suggestion.as_ref().map_or_else(
    || format!("; the roles are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    |s| format!("; did you mean `{s}`?")
))]
#[non_exhaustive]
pub struct UnknownRole {
    /// The name given.
    pub name: String,
    /// The closest known role, when one is close.
    pub suggestion: Option<String>,
    /// Every role the engagement knows.
    pub known: Vec<String>,
}

/// The declaration of a custom role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RoleDefinition {
    /// The role's identifier, used wherever a role is named. Must not be a built-in role's.
    #[schemars(length(min = 1))]
    pub id: String,
    /// The role's display name.
    pub name: String,
    /// What an interview with this role is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// Whether the role may be left out of the engagement.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// The usual length of a meeting with this role, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub meeting_minutes: Option<u32>,
    /// The elements, flows and boundaries (with everything inside them) this role answers
    /// for, such as the OT network an automation engineer runs: a question whose subjects all
    /// lie there goes to this role, ahead of the roles its template names, when a participant
    /// holds it. An external interactor inside a listed boundary (and not listed itself) is the
    /// role's only where the role answers for every element it exchanges data with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers_for: Vec<String>,
    /// The built-in roles whose kind of question this role answers about what it answers for
    /// (a clinical safety lead: `business_stakeholder`, `production_owner`): a question about
    /// its part of the model goes to it only where its template names one of these among the
    /// roles that can answer, and the others (how input is validated, which database account a
    /// service uses) stay with the roles the template names. Empty: every question about its
    /// part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expertise: Vec<Role>,
    /// Data from other tools, kept as is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Extensions>,
}

impl RoleDefinition {
    /// A mandatory custom role with no goal or usual length yet.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        RoleDefinition {
            id: id.into(),
            name: name.into(),
            goal: None,
            optional: false,
            meeting_minutes: None,
            answers_for: Vec::new(),
            expertise: Vec::new(),
            extensions: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_role_suggests_the_closest() {
        let mut engagement =
            super::super::Engagement::new("e", "E", super::super::AssuranceLevel::Fast);
        engagement
            .custom_roles
            .push(RoleDefinition::new("security_champion", "Champion"));
        let resolve = |name| Role::resolve(&engagement, name);
        assert_eq!(resolve("architect"), Ok(Role::Architect));
        assert_eq!(
            resolve("security_champion"),
            Ok(Role::Custom("security_champion".into()))
        );
        let miss = resolve("architcet").unwrap_err();
        assert_eq!(
            miss.to_string(),
            "unknown role `architcet`; did you mean `architect`?"
        );
        assert_eq!(
            resolve("production-owner")
                .unwrap_err()
                .suggestion
                .as_deref(),
            Some("production_owner")
        );
        assert_eq!(
            resolve("Architect").unwrap_err().suggestion.as_deref(),
            Some("architect")
        );
        let far = resolve("cfo").unwrap_err();
        assert_eq!(far.suggestion, None);
        assert!(far.to_string().contains("`security_champion`"), "{far}");
    }

    #[test]
    fn built_in_and_custom_roles_round_trip() {
        for role in Role::BUILT_IN {
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
            assert!(!role.is_custom());
        }
        let custom: Role = serde_json::from_str("\"security_champion\"").unwrap();
        assert_eq!(custom, Role::Custom("security_champion".into()));
        assert!(serde_json::from_str::<Role>("\"\"").is_err());
    }
}
