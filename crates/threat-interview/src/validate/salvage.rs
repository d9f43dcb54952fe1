//! What can be read of an engagement whose structure is broken, so that its meaning is still
//! checked: every list item that has the expected shape is kept, with its position in the file,
//! and the ids of those that do not are remembered so that references to them are not reported
//! as dangling.

use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{AssuranceLevel, Calibration, Engagement, Scope};

/// A list of the engagement whose items the checker reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum List {
    Elements,
    Boundaries,
    Flows,
    Documents,
    CustomRoles,
    Participants,
    Interviews,
    Questions,
    Hints,
    Findings,
    FollowUps,
}

impl List {
    /// The list's pointer.
    pub(super) fn pointer(self) -> &'static str {
        match self {
            List::Elements => "/model/elements",
            List::Boundaries => "/model/boundaries",
            List::Flows => "/model/flows",
            List::Documents => "/documents",
            List::CustomRoles => "/custom_roles",
            List::Participants => "/participants",
            List::Interviews => "/interviews",
            List::Questions => "/questions",
            List::Hints => "/hints",
            List::Findings => "/findings",
            List::FollowUps => "/follow_ups",
        }
    }

    const ALL: [List; 11] = [
        List::Elements,
        List::Boundaries,
        List::Flows,
        List::Documents,
        List::CustomRoles,
        List::Participants,
        List::Interviews,
        List::Questions,
        List::Hints,
        List::Findings,
        List::FollowUps,
    ];

    fn slot(self) -> usize {
        List::ALL.iter().position(|&l| l == self).unwrap_or(0)
    }
}

/// Where the items of a salvaged engagement were in the file, and the ids of the items that
/// could not be read. The default is an engagement read whole: every item where it is.
#[derive(Debug, Default)]
pub(super) struct Origins {
    /// For each list, the file position of each kept item; `None` when nothing was dropped.
    positions: [Option<Vec<usize>>; 11],
    /// For each list where something was dropped, the id of every item by file position (so
    /// that a duplicate id is still found when one of the two could not be read).
    ids: [Option<Vec<Option<String>>>; 11],
    /// Ids of items that could not be read, by id space: references to them are not reported.
    pub(super) unreadable: HashSet<String>,
    /// Whether the assurance level could be read (the required-roles warning needs it).
    pub(super) level_unknown: bool,
    /// Whether the scope could be read (the out-of-scope warning needs it).
    pub(super) scope_unknown: bool,
}

impl Origins {
    /// The pointer of item `i` of a list, at its position in the file.
    pub(super) fn item(&self, list: List, i: usize) -> String {
        let at = self.positions[list.slot()]
            .as_ref()
            .and_then(|p| p.get(i).copied())
            .unwrap_or(i);
        format!("{}/{at}", list.pointer())
    }

    /// The ids of a list's items with their file positions: those of every item, read or not,
    /// when some were dropped, else `read` (the ids of the items as read).
    pub(super) fn ids<'a>(&'a self, list: List, read: Vec<&'a str>) -> Vec<(usize, &'a str)> {
        match &self.ids[list.slot()] {
            Some(ids) => ids
                .iter()
                .enumerate()
                .filter_map(|(i, id)| id.as_deref().map(|id| (i, id)))
                .collect(),
            None => read.into_iter().enumerate().collect(),
        }
    }

    /// Whether an id belongs to an item that could not be read.
    pub(super) fn is_unreadable(&self, id: &str) -> bool {
        self.unreadable.contains(id)
    }
}

/// Reads what can be read of an engagement value, given the pointers where its structure is
/// broken: an item with a broken optional field is read without that field, so that its other
/// references are still checked.
pub(super) fn salvage(value: &Value, broken: &[&str]) -> (Engagement, Origins) {
    let mut origins = Origins::default();
    let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
    let level = value
        .get("assurance_level")
        .and_then(|v| AssuranceLevel::deserialize_from(v).ok());
    origins.level_unknown = level.is_none();
    let repair = Repair { broken };
    let mut engagement = Engagement::new(
        text("id"),
        text("name"),
        level.unwrap_or(AssuranceLevel::Fast),
    );
    engagement.schema_version = value
        .get("schema_version")
        .and_then(Value::as_u64)
        .and_then(|v| u32::try_from(v).ok())
        .unwrap_or(engagement.schema_version);
    match value.get("scope").map(Scope::deserialize_from) {
        None => {}
        Some(Ok(scope)) => engagement.scope = scope,
        Some(Err(())) => origins.scope_unknown = true,
    }
    engagement.calibration = value
        .get("calibration")
        .and_then(|v| Calibration::deserialize_from(v).ok());
    let model = value.get("model");
    let elements = read(
        &repair,
        take(List::Elements, model, "elements"),
        &mut origins,
    );
    let boundaries = read(
        &repair,
        take(List::Boundaries, model, "boundaries"),
        &mut origins,
    );
    let flows = read(&repair, take(List::Flows, model, "flows"), &mut origins);
    engagement.model.elements = elements;
    engagement.model.boundaries = boundaries;
    engagement.model.flows = flows;
    let root = Some(value);
    engagement.documents = read(
        &repair,
        take(List::Documents, root, "documents"),
        &mut origins,
    );
    engagement.custom_roles = read(
        &repair,
        take(List::CustomRoles, root, "custom_roles"),
        &mut origins,
    );
    engagement.participants = read(
        &repair,
        take(List::Participants, root, "participants"),
        &mut origins,
    );
    engagement.interviews = read(
        &repair,
        take(List::Interviews, root, "interviews"),
        &mut origins,
    );
    engagement.questions = read(
        &repair,
        take(List::Questions, root, "questions"),
        &mut origins,
    );
    engagement.hints = read(&repair, take(List::Hints, root, "hints"), &mut origins);
    engagement.findings = read(
        &repair,
        take(List::Findings, root, "findings"),
        &mut origins,
    );
    engagement.follow_ups = read(
        &repair,
        take(List::FollowUps, root, "follow_ups"),
        &mut origins,
    );
    (engagement, origins)
}

/// The pointers where the structure is broken.
struct Repair<'b> {
    broken: &'b [&'b str],
}

impl Repair<'_> {
    /// An item with the members at the broken pointers under `pointer` removed.
    fn without_broken(&self, item: &Value, pointer: &str) -> Option<Value> {
        let prefix = format!("{pointer}/");
        let mut repaired = item.clone();
        let mut changed = false;
        for broken in self.broken {
            let Some(relative) = broken.strip_prefix(&prefix) else {
                continue;
            };
            let (parent, key) = match relative.rsplit_once('/') {
                Some((parent, key)) => (format!("/{parent}"), key),
                None => (String::new(), relative),
            };
            let key = key.replace("~1", "/").replace("~0", "~");
            if let Some(Value::Object(object)) = repaired.pointer_mut(&parent) {
                changed |= object.remove(&key).is_some();
            }
        }
        changed.then_some(repaired)
    }
}

fn take<'v>(list: List, parent: Option<&'v Value>, key: &str) -> Option<(List, &'v Value)> {
    parent.and_then(|p| p.get(key)).map(|items| (list, items))
}

/// The items of a list that can be read, recording the file positions of those kept and the
/// ids of those dropped.
fn read<T: DeserializeOwned>(
    repair: &Repair<'_>,
    items: Option<(List, &Value)>,
    origins: &mut Origins,
) -> Vec<T> {
    let Some((list, Value::Array(items))) = items else {
        return Vec::new();
    };
    let mut kept = Vec::with_capacity(items.len());
    let mut positions = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let read = T::deserialize(item).or_else(|error| {
            let pointer = format!("{}/{i}", list.pointer());
            match repair.without_broken(item, &pointer) {
                Some(repaired) => T::deserialize(&repaired),
                None => Err(error),
            }
        });
        match read {
            Ok(value) => {
                kept.push(value);
                positions.push(i);
            }
            Err(_) => {
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    origins.unreadable.insert(id.to_owned());
                }
            }
        }
    }
    if positions.len() < items.len() {
        origins.positions[list.slot()] = Some(positions);
        origins.ids[list.slot()] = Some(
            items
                .iter()
                .map(|item| item.get("id").and_then(Value::as_str).map(str::to_owned))
                .collect(),
        );
    }
    kept
}

/// Deserializing from a borrowed value, with the error dropped.
trait FromValue: Sized {
    fn deserialize_from(value: &Value) -> Result<Self, ()>;
}

impl<T: DeserializeOwned> FromValue for T {
    fn deserialize_from(value: &Value) -> Result<Self, ()> {
        T::deserialize(value).map_err(|_| ())
    }
}
