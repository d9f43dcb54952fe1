//! Where the schema allows an object or an array: the one thing serde's typed reading is more
//! lenient about than the schema. serde reads a struct from an array of its fields in order
//! (`"scope": []` is a `Scope` with every field defaulted) and an enumeration from an object
//! (`{"process": null}`); the schema refuses both. [`fits`] walks a JSON text once, building
//! nothing, and says whether every object and every array in it stands where the schema allows
//! one; what is inside them (types, fields, values) is left to serde and to the checks on the
//! types.

use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::schema::ENGAGEMENT_SCHEMA;

/// One place in a document: which containers may stand there, and the places inside them.
#[derive(Debug, Default)]
struct Place {
    /// Anything may stand here: the schema does not constrain it.
    free: bool,
    object: bool,
    array: bool,
    /// The places of named members, then of any other member.
    members: HashMap<String, usize>,
    other_members: Option<usize>,
    /// No member but the named ones (`additionalProperties: false`).
    closed: bool,
    /// The place of the items of an array.
    items: Option<usize>,
}

/// The places of a schema, in an arena: the root is 0, and 1 is a free place.
#[derive(Debug)]
pub(crate) struct Shapes {
    places: Vec<Place>,
}

const ROOT: usize = 0;
const FREE: usize = 1;

/// How deep `$ref`s are followed; past it a place is free (the engagement schema has no
/// recursive definition, so this is never reached).
const MAX_DEPTH: usize = 64;

impl Shapes {
    /// The places of `schema`, a generated schema with its definitions in `$defs`.
    pub(crate) fn of(schema: &Value) -> Self {
        let mut shapes = Shapes {
            places: vec![
                Place::default(),
                Place {
                    free: true,
                    ..Place::default()
                },
            ],
        };
        shapes.fill(ROOT, schema, schema, 0);
        shapes
    }

    fn new_place(&mut self) -> usize {
        self.places.push(Place::default());
        self.places.len() - 1
    }

    fn fill(&mut self, at: usize, schema: &Value, root: &Value, depth: usize) {
        let Value::Object(map) = schema else {
            // `true` allows anything; `false` allows nothing.
            if schema.as_bool() == Some(true) {
                self.places[at].free = true;
            }
            return;
        };
        if depth > MAX_DEPTH {
            self.places[at].free = true;
            return;
        }
        let constrained = ["type", "$ref", "anyOf", "oneOf", "allOf", "const", "enum"]
            .iter()
            .any(|k| map.contains_key(*k));
        if !constrained {
            self.places[at].free = true;
        }
        match map.get("type") {
            Some(Value::String(t)) => self.allow(at, t),
            Some(Value::Array(types)) => {
                for t in types.iter().filter_map(Value::as_str) {
                    self.allow(at, t);
                }
            }
            _ => {}
        }
        if let Some(name) = map
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            match root.get("$defs").and_then(|defs| defs.get(name)) {
                Some(definition) => self.fill(at, definition, root, depth + 1),
                None => self.places[at].free = true,
            }
        }
        for key in ["anyOf", "oneOf", "allOf"] {
            for alternative in map.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.fill(at, alternative, root, depth + 1);
            }
        }
        if let Some(Value::Object(members)) = map.get("properties") {
            for (name, member) in members {
                let existing = self.places[at].members.get(name).copied();
                let place = existing.unwrap_or_else(|| {
                    let place = self.new_place();
                    self.places[at].members.insert(name.clone(), place);
                    place
                });
                self.fill(place, member, root, depth + 1);
            }
        }
        if map.get("additionalProperties") == Some(&Value::Bool(false)) {
            self.places[at].closed = true;
        } else if let Some(other) = map.get("additionalProperties") {
            let existing = self.places[at].other_members;
            let place = existing.unwrap_or_else(|| self.new_place());
            self.places[at].other_members = Some(place);
            self.fill(place, other, root, depth + 1);
        }
        if let Some(items) = map.get("items") {
            let existing = self.places[at].items;
            let place = existing.unwrap_or_else(|| self.new_place());
            self.places[at].items = Some(place);
            self.fill(place, items, root, depth + 1);
        }
    }

    fn allow(&mut self, at: usize, type_name: &str) {
        match type_name {
            "object" => self.places[at].object = true,
            "array" => self.places[at].array = true,
            _ => {}
        }
    }

    /// Whether every object and array of the JSON `text` stands where the schema allows one.
    /// A text that is not JSON does not fit.
    pub(crate) fn fits(&self, text: &str) -> bool {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        (Walk {
            shapes: self,
            at: ROOT,
        })
        .deserialize(&mut deserializer)
        .is_ok()
            && deserializer.end().is_ok()
    }
}

/// The shapes of the engagement schema.
pub(crate) static ENGAGEMENT_SHAPES: LazyLock<Shapes> =
    LazyLock::new(|| Shapes::of(&ENGAGEMENT_SCHEMA));

/// Whether every object and array of an engagement's JSON text stands where the engagement
/// schema allows one.
pub(crate) fn fits(text: &str) -> bool {
    ENGAGEMENT_SHAPES.fits(text)
}

/// The walk of one value at one place.
#[derive(Clone, Copy)]
struct Walk<'s> {
    shapes: &'s Shapes,
    at: usize,
}

impl Walk<'_> {
    fn place(&self) -> &Place {
        &self.shapes.places[self.at]
    }

    fn to(self, at: Option<usize>) -> Self {
        Walk {
            shapes: self.shapes,
            at: if self.place().free {
                FREE
            } else {
                at.unwrap_or(FREE)
            },
        }
    }
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let place = self.place();
        if !(place.free || place.object) {
            return Err(A::Error::custom("an object where the schema has none"));
        }
        while let Some(child) = map.next_key_seed(Member(self))? {
            map.next_value_seed(child)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let place = self.place();
        if !(place.free || place.array) {
            return Err(A::Error::custom("an array where the schema has none"));
        }
        let item = self.to(place.items);
        while seq.next_element_seed(item)?.is_some() {}
        Ok(())
    }
}

/// A member's name, read to find its place.
struct Member<'s>(Walk<'s>);

impl<'de, 's> DeserializeSeed<'de> for Member<'s> {
    type Value = Walk<'s>;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Walk<'s>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'s> Visitor<'_> for Member<'s> {
    type Value = Walk<'s>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Walk<'s>, E> {
        let place = self.0.place();
        let at = place.members.get(name).copied().or(place.other_members);
        if at.is_none() && place.closed && !place.free {
            return Err(E::custom("a member the schema does not have"));
        }
        Ok(self.0.to(at))
    }
}

#[cfg(test)]
mod tests {
    use super::fits;

    const MINIMAL: &str =
        r#"{"schema_version": 1, "id": "e", "name": "E", "assurance_level": "fast"#;

    fn with(rest: &str) -> String {
        format!("{MINIMAL}\"{rest}}}")
    }

    #[test]
    fn objects_and_arrays_fit_only_where_the_schema_has_them() {
        assert!(fits(&with("")));
        assert!(fits(&with(r#", "scope": {"in_scope": ["a"]}"#)));
        assert!(!fits(&with(r#", "scope": []"#)));
        assert!(fits(&with(
            r#", "model": {"elements": [{"id": "a", "name": "A", "kind": "process"}]}"#
        )));
        assert!(!fits(&with(
            r#", "model": {"elements": [["a", "A", "process"]]}"#
        )));
        assert!(!fits(&with(
            r#", "model": {"elements": [{"id": "a", "name": "A", "kind": {"process": null}}]}"#
        )));
        // Properties take lists; extensions take anything.
        assert!(fits(&with(
            r#", "model": {"elements": [{"id": "a", "name": "A", "kind": "process", "properties": {"auth_methods": ["oidc"]}, "extensions": {"x": [{"y": [1]}]}}]}"#
        )));
        assert!(!fits(&with(
            r#", "model": {"elements": [{"id": "a", "name": "A", "kind": "process", "properties": {"x": {"y": 1}}}]}"#
        )));
        assert!(!fits(&with(r#", "zz": 1"#)));
        assert!(!fits("{"));
        assert!(!fits(&format!("{} []", with(""))));
    }
}
