//! Versions of the engagement file: the newest one is read as is, an older one is upgraded step
//! by step before it is checked, a newer one is refused with a message naming both versions.
//!
//! A change to the file format that an older file would fail (a renamed field, a new required
//! one) bumps [`SCHEMA_VERSION`] and adds one [`Migration`] to [`MIGRATIONS`], from the version
//! before it. Version 1 is the first, so the list is empty today; [`upgrade`] is what loading
//! runs, and its tests run it on migrations of their own.
//!
//! ```
//! use serde_json::json;
//! use threat_interview::validate::migrate::{Migration, upgrade};
//!
//! // A made-up version 2 that renamed `name` to `title`.
//! fn rename(value: &mut serde_json::Value) {
//!     if let Some(name) = value.as_object_mut().and_then(|o| o.remove("name")) {
//!         value["title"] = name;
//!     }
//! }
//! let steps = [Migration { from: 1, describe: "`name` becomes `title`", apply: rename }];
//! let upgraded = upgrade(&json!({"schema_version": 1, "name": "Shop"}), 2, &steps).unwrap();
//! assert_eq!(upgraded, json!({"schema_version": 2, "title": "Shop"}));
//! ```

use serde_json::Value;

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::SCHEMA_VERSION;

/// One step of upgrade: from a version to the next.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The version it upgrades from; it produces `from + 1`.
    pub from: u32,
    /// What it changes, for people.
    pub describe: &'static str,
    /// The change, made on the parsed file.
    pub apply: fn(&mut Value),
}

/// The migrations of the engagement file, oldest first: none yet, version 1 is the first.
pub const MIGRATIONS: &[Migration] = &[];

/// Upgrades a parsed file to version `to` with `steps`, one version at a time; an error names
/// the version no step upgrades from.
pub fn upgrade(value: &Value, to: u32, steps: &[Migration]) -> Result<Value, Diagnostic> {
    let mut upgraded = value.clone();
    let Some(mut version) = version_of(value) else {
        return Ok(upgraded);
    };
    while u64::from(to) > version {
        let Some(step) = steps.iter().find(|s| u64::from(s.from) == version) else {
            return Err(Diagnostic::error(
                DiagnosticCode::UnsupportedVersion,
                "/schema_version",
                format!(
                    "schema version {version} cannot be upgraded: this library has no migration from it"
                ),
            ));
        };
        (step.apply)(&mut upgraded);
        version += 1;
        if let Some(object) = upgraded.as_object_mut() {
            object.insert("schema_version".to_owned(), Value::from(version));
        }
    }
    Ok(upgraded)
}

fn version_of(value: &Value) -> Option<u64> {
    value.get("schema_version").and_then(Value::as_u64)
}

/// The version gate of loading: `Ok(None)` for the current version (or none, which the schema
/// reports), `Ok(Some(upgraded))` for an older one, an error for a newer or impossible one.
pub(crate) fn check_version(value: &Value) -> Result<Option<Value>, Diagnostic> {
    match version_of(value) {
        None => Ok(None),
        Some(v) if v == u64::from(SCHEMA_VERSION) => Ok(None),
        Some(v) if v == 0 || v > u64::from(SCHEMA_VERSION) => Err(super::unsupported_version(v)),
        Some(_) => upgrade(value, SCHEMA_VERSION, MIGRATIONS).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn add_scope(value: &mut Value) {
        value["scope"] = json!({"out_of_scope": []});
    }

    fn rename_title(value: &mut Value) {
        if let Some(title) = value.as_object_mut().and_then(|o| o.remove("title")) {
            value["name"] = title;
        }
    }

    #[test]
    fn upgrades_one_version_at_a_time_in_order() {
        let steps = [
            Migration {
                from: 2,
                describe: "scope",
                apply: add_scope,
            },
            Migration {
                from: 1,
                describe: "title",
                apply: rename_title,
            },
        ];
        let old = json!({"schema_version": 1, "title": "Shop"});
        let upgraded = upgrade(&old, 3, &steps).unwrap();
        assert_eq!(
            upgraded,
            json!({"schema_version": 3, "scope": {"out_of_scope": []}, "name": "Shop"})
        );
        let missing = upgrade(&json!({"schema_version": 1}), 3, &steps[..1]).unwrap_err();
        assert!(
            missing.message.contains("no migration from it"),
            "{}",
            missing.message
        );
    }

    #[test]
    fn a_newer_version_is_refused_naming_both() {
        let error = check_version(&json!({"schema_version": 7})).unwrap_err();
        assert_eq!(error.code, DiagnosticCode::UnsupportedVersion);
        assert_eq!(
            error.message,
            "this file is schema version 7, written by a newer threat-interview; this library reads versions up to 1"
        );
        assert!(check_version(&json!({"schema_version": 0})).is_err());
        assert_eq!(check_version(&json!({"schema_version": 1})).unwrap(), None);
    }
}
