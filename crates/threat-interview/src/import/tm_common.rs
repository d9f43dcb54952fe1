//! What the Threat Modeling Tool and Threats Manager Studio importers share beyond the
//! skeleton engagement (`skeleton.rs`): GUIDs, names made fit for questions, ids kept unique,
//! and the tidying that leaves no reference dangling.

use std::collections::HashSet;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::Engagement;

/// The all-zero GUID both tools write for "none".
pub(crate) const NIL_GUID: &str = "00000000-0000-0000-0000-000000000000";

/// Whether a GUID is absent: empty or all zeros.
pub(crate) fn is_nil_guid(guid: &str) -> bool {
    let guid = guid.trim();
    guid.is_empty() || guid == NIL_GUID
}

/// A name fit for a question (`skeleton::clean_name`); `fallback` when nothing is left.
pub(crate) fn clean_name(name: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    name.and_then(super::skeleton::clean_name)
        .unwrap_or_else(fallback)
}

/// The first eight characters of an id, to make up a name (`Flow 4c66cfc7`).
pub(crate) fn short_id(id: &str) -> &str {
    let end = id
        .char_indices()
        .nth(8)
        .map_or(id.len(), |(index, _)| index);
    &id[..end]
}

/// GUIDs already given to elements, flows and boundaries (one id space in the model). Unlike
/// `skeleton::Ids`, a GUID taken twice is not renamed: flows name their ends by GUID, so the
/// second item is left out, with a warning.
#[derive(Debug, Default)]
pub(crate) struct Ids(HashSet<String>);

impl Ids {
    /// Claims an id; `false` when it is taken (the item is then left out, with a warning).
    pub(crate) fn claim(&mut self, id: &str) -> bool {
        self.0.insert(id.to_owned())
    }
}

/// A warning about something of the foreign file that the import leaves out.
pub(crate) fn unmapped(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
    Diagnostic::warning(DiagnosticCode::ImportUnmapped, pointer, message)
}

/// Makes sure no reference of an imported model dangles, whatever the foreign file held (two
/// items with one id, a parent that was left out): items without an id are left out, a
/// boundary or parent that names no boundary is dropped, a flow whose end names no element is
/// left out, a crossing of no boundary is dropped, and a question keeps only the subjects the
/// model holds. Each change is a warning at the whole file.
pub(crate) fn tidy(engagement: &mut Engagement, warnings: &mut Vec<Diagnostic>) {
    let model = &mut engagement.model;
    let mut note = |message: String| warnings.push(unmapped("", message));
    model.elements.retain(|e| !e.id.trim().is_empty());
    model.boundaries.retain(|b| !b.id.trim().is_empty());
    model.flows.retain(|f| !f.id.trim().is_empty());
    let boundaries: HashSet<String> = model.boundaries.iter().map(|b| b.id.clone()).collect();
    let elements: HashSet<String> = model.elements.iter().map(|e| e.id.clone()).collect();
    for boundary in &mut model.boundaries {
        if let Some(parent) = &boundary.parent
            && (parent == &boundary.id || !boundaries.contains(parent))
        {
            note(format!(
                "trust boundary `{}` is nested in `{parent}`, which is not an imported boundary: imported at the top level",
                boundary.name
            ));
            boundary.parent = None;
        }
    }
    for element in &mut model.elements {
        if let Some(boundary) = &element.boundary
            && !boundaries.contains(boundary)
        {
            note(format!(
                "`{}` is in `{boundary}`, which is not an imported boundary: imported outside every boundary",
                element.name
            ));
            element.boundary = None;
        }
    }
    model.flows.retain(|flow| {
        let kept = elements.contains(&flow.source) && elements.contains(&flow.target);
        if !kept {
            note(format!(
                "flow `{}` joins `{}` and `{}`, which are not both imported elements: left out",
                flow.name, flow.source, flow.target
            ));
        }
        kept
    });
    for flow in &mut model.flows {
        flow.crosses.retain(|b| boundaries.contains(b));
    }
    let subjects: HashSet<&str> = elements
        .iter()
        .chain(&boundaries)
        .map(String::as_str)
        .chain(model.flows.iter().map(|f| f.id.as_str()))
        .collect();
    for question in &mut engagement.questions {
        question.subjects.retain(|s| subjects.contains(s.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_line_breaks_and_empty_ones_are_made_up() {
        assert_eq!(
            clean_name(Some("Web\nApplication "), String::new),
            "Web Application"
        );
        assert_eq!(clean_name(Some("  "), || "Flow 1".into()), "Flow 1");
        assert_eq!(clean_name(None, || "x".into()), "x");
        assert_eq!(short_id("4c66cfc7-ab"), "4c66cfc7");
        assert_eq!(short_id("ab"), "ab");
        assert!(is_nil_guid(NIL_GUID) && is_nil_guid("") && !is_nil_guid("1"));
    }
}
