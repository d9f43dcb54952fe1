//! What every importer shares: the engagement around the foreign model (a skeleton scope, no
//! participants yet, the standard calendar) with the warnings that say what to fill in; ids
//! made unique; names cleaned or made up.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    AssuranceLevel, ComponentModel, Engagement, Extensions, Interview, Participant, Role, Scope,
    Slot,
};

/// What an importer read about the file as a whole.
#[derive(Debug, Default)]
pub(crate) struct About {
    /// What was read, in words: `Threat Dragon model`, `Open Threat Model file`.
    pub(crate) tool: &'static str,
    /// The model's title.
    pub(crate) title: Option<String>,
    /// The model's own id, when it has a usable one.
    pub(crate) id: Option<String>,
    /// Its description.
    pub(crate) description: Option<String>,
    /// What the file marks out of scope, in words.
    pub(crate) out_of_scope: Vec<String>,
    /// Data of the file kept as is, under one key of the engagement's `extensions`.
    pub(crate) extensions: Option<Extensions>,
    /// The people the file names (who asked and answered a Threats Manager Studio topic).
    pub(crate) participants: Vec<Participant>,
}

/// The standard calendar: two mornings, as the bundled examples hold.
fn calendar() -> Vec<Interview> {
    let interview = |id: &str, title: &str, day, start: &str, minutes, roles: &[Role]| {
        let mut i = Interview::new(id, title, day, Slot::Morning, minutes, roles.to_vec());
        i.start = Some(start.to_owned());
        i
    };
    vec![
        interview(
            "iv-business",
            "Business stakeholders: value, concerns and calibration",
            1,
            "09:00",
            30,
            &[Role::BusinessStakeholder],
        ),
        interview(
            "iv-architecture-1",
            "Architecture walk-through, part 1",
            1,
            "09:45",
            180,
            &[Role::Architect, Role::LeadDeveloper],
        ),
        interview(
            "iv-architecture-2",
            "Architecture walk-through, part 2",
            2,
            "09:00",
            120,
            &[Role::Architect, Role::LeadDeveloper],
        ),
        interview(
            "iv-deployment",
            "Deployment: secrets, pipelines and supply chain",
            2,
            "11:15",
            45,
            &[Role::DeploymentOwner],
        ),
        interview(
            "iv-production",
            "Production: operations, monitoring and incidents",
            2,
            "12:00",
            45,
            &[Role::ProductionOwner],
        ),
    ]
}

/// An id made of the letters and digits of a title: `Demo Threat Model` gives
/// `demo-threat-model`.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= 64 {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// A name as one line: line breaks and runs of spaces become one space; `None` when nothing
/// is left.
pub(crate) fn clean_name(text: &str) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// The engagement around an imported model, and the warnings that say what to fill in.
pub(crate) fn engagement(
    about: About,
    model: ComponentModel,
    warnings: &mut Vec<Diagnostic>,
) -> Engagement {
    let tool = about.tool;
    let title = about.title.as_deref().and_then(clean_name);
    let id = about
        .id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .or_else(|| title.as_deref().map(slug).filter(|s| !s.is_empty()))
        .unwrap_or_else(|| "imported".to_owned());
    let name = title.clone().unwrap_or_else(|| format!("Imported {tool}"));
    let mut engagement = Engagement::new(id, name, AssuranceLevel::Standard);
    engagement.description = about
        .description
        .filter(|d| !d.trim().is_empty())
        .map(|d| d.trim().to_owned());
    let drawn = match &title {
        Some(title) => format!("the {tool} `{title}`"),
        None => format!("the {tool}"),
    };
    engagement.scope = Scope::default();
    engagement.scope.in_scope = vec![format!(
        "Everything drawn in {drawn} that it does not mark out of scope (imported: review)"
    )];
    engagement.scope.out_of_scope = about.out_of_scope;
    engagement.interviews = calendar();
    engagement.model = model.into();
    engagement.extensions = about.extensions.filter(|e| !e.is_empty());

    let skeleton =
        |message: String| Diagnostic::warning(DiagnosticCode::ImportSkeleton, "", message);
    warnings.push(skeleton(if engagement.scope.out_of_scope.is_empty() {
        format!(
            "the scope is a skeleton: {drawn} marks nothing out of scope; say what the engagement leaves out in `scope.out_of_scope` and review `scope.in_scope`"
        )
    } else {
        format!(
            "the scope is a skeleton: `scope.out_of_scope` lists what {drawn} marks out of scope; review it and `scope.in_scope`"
        )
    }));
    engagement.participants = about.participants;
    let roles: Vec<&str> = engagement
        .assurance_level
        .required_roles()
        .iter()
        .filter(|role| {
            !engagement
                .participants
                .iter()
                .any(|p| p.roles.contains(role))
        })
        .map(Role::as_str)
        .collect();
    if engagement.participants.is_empty() {
        warnings.push(skeleton(format!(
            "no participants yet: add the people who hold the roles {} (a `standard` engagement interviews each) and invite them to the interviews",
            roles.join(", ")
        )));
    } else if !roles.is_empty() {
        warnings.push(skeleton(format!(
            "no participant holds the roles {} (a `standard` engagement interviews each): give the people the file names their roles, or add those who hold them",
            roles.join(", ")
        )));
    }
    warnings.push(skeleton(format!(
        "the calendar is the standard one, {} interviews over two mornings: set the days and times with the participants",
        engagement.interviews.len()
    )));
    engagement
}

/// The ids of one id space (elements, flows and boundaries share one), made unique.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    /// `wanted` if it is free and not blank, else the first free `wanted-2`, `wanted-3`...
    /// (`fallback`, `fallback-2`... for a blank one; `item` when both are blank). The second
    /// value says whether it had to change.
    pub(crate) fn claim(&mut self, wanted: &str, fallback: &str) -> (String, bool) {
        let blank = wanted.trim().is_empty();
        let base = match (blank, fallback.trim().is_empty()) {
            (false, _) => wanted,
            (true, false) => fallback,
            (true, true) => "item",
        };
        if self.taken.insert(base.to_owned()) {
            return (base.to_owned(), blank);
        }
        let mut n = 2usize;
        loop {
            let candidate = format!("{base}-{n}");
            if self.taken.insert(candidate.clone()) {
                return (candidate, true);
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug("Demo Threat Model"), "demo-threat-model");
        assert_eq!(
            slug("  Online Payments / Platform! "),
            "online-payments-platform"
        );
        assert_eq!(slug("///"), "");
        assert_eq!(
            clean_name("Generic /\nPrivilege  user").as_deref(),
            Some("Generic / Privilege user")
        );
        assert_eq!(clean_name(" \n "), None);
    }

    #[test]
    fn ids_are_made_unique() {
        let mut ids = Ids::default();
        assert_eq!(ids.claim("a", "x"), ("a".to_owned(), false));
        assert_eq!(ids.claim("a", "x"), ("a-2".to_owned(), true));
        assert_eq!(ids.claim("", "flow"), ("flow".to_owned(), true));
        assert_eq!(ids.claim(" ", "flow"), ("flow-2".to_owned(), true));
        assert_eq!(ids.claim("", ""), ("item".to_owned(), true));
    }

    #[test]
    fn a_skeleton_validates_and_says_what_to_fill_in() {
        let mut warnings = Vec::new();
        let about = About {
            tool: "Threat Dragon model",
            title: Some("Demo\nModel".to_owned()),
            ..About::default()
        };
        let e = engagement(about, ComponentModel::default(), &mut warnings);
        assert_eq!(e.id, "demo-model");
        assert_eq!(e.name, "Demo Model");
        assert!(e.validate().is_valid(), "{:?}", e.validate());
        assert_eq!(warnings.len(), 3);
        assert!(
            warnings
                .iter()
                .all(|w| w.code == DiagnosticCode::ImportSkeleton)
        );
    }
}
