//! STRIDE: the six threat categories and which of them apply to which kind of element.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::component::SubjectKind;

/// One of the six STRIDE threat categories.
///
/// Each category names a kind of threat and the security property it violates.
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
pub enum Stride {
    /// Pretending to be someone or something else; violates authentication.
    Spoofing,
    /// Changing data or code without permission; violates integrity.
    Tampering,
    /// Denying having done something, with no way to prove otherwise; violates non-repudiation.
    Repudiation,
    /// Exposing information to someone not allowed to see it; violates confidentiality.
    InformationDisclosure,
    /// Making a service unavailable or degraded; violates availability.
    DenialOfService,
    /// Gaining capabilities without authorization; violates authorization.
    ElevationOfPrivilege,
}

impl Stride {
    /// The six categories, in STRIDE order.
    pub const ALL: [Stride; 6] = [
        Stride::Spoofing,
        Stride::Tampering,
        Stride::Repudiation,
        Stride::InformationDisclosure,
        Stride::DenialOfService,
        Stride::ElevationOfPrivilege,
    ];

    /// The identifier used in files, such as `information_disclosure`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses the identifier used in files.
    pub fn from_name(name: &str) -> Option<Stride> {
        name.parse().ok()
    }

    /// The letter of the category in the acronym.
    pub fn letter(self) -> char {
        match self {
            Stride::Spoofing => 'S',
            Stride::Tampering => 'T',
            Stride::Repudiation => 'R',
            Stride::InformationDisclosure => 'I',
            Stride::DenialOfService => 'D',
            Stride::ElevationOfPrivilege => 'E',
        }
    }

    /// The human-readable name, such as `Information disclosure`.
    pub fn title(self) -> &'static str {
        match self {
            Stride::Spoofing => "Spoofing",
            Stride::Tampering => "Tampering",
            Stride::Repudiation => "Repudiation",
            Stride::InformationDisclosure => "Information disclosure",
            Stride::DenialOfService => "Denial of service",
            Stride::ElevationOfPrivilege => "Elevation of privilege",
        }
    }

    /// The security property a threat of this category violates.
    pub fn desired_property(self) -> &'static str {
        match self {
            Stride::Spoofing => "authentication",
            Stride::Tampering => "integrity",
            Stride::Repudiation => "non-repudiation",
            Stride::InformationDisclosure => "confidentiality",
            Stride::DenialOfService => "availability",
            Stride::ElevationOfPrivilege => "authorization",
        }
    }

    /// A one-sentence definition of the category.
    pub fn definition(self) -> &'static str {
        match self {
            Stride::Spoofing => {
                "an attacker passes for another user, service or device and is accepted as such"
            }
            Stride::Tampering => {
                "an attacker changes data at rest, data in transit or code without being allowed to"
            }
            Stride::Repudiation => {
                "someone performs an action and can later deny it because nothing reliable records who did it"
            }
            Stride::InformationDisclosure => {
                "information reaches someone who is not entitled to read it"
            }
            Stride::DenialOfService => {
                "an attacker makes the system or part of it unavailable or too slow to be useful"
            }
            Stride::ElevationOfPrivilege => {
                "an attacker gains rights or capabilities beyond those granted to them"
            }
        }
    }

    /// The categories that apply to a kind of element (STRIDE per element).
    ///
    /// External interactors: S, R. Processes: all six. Data stores: T, R, I, D.
    /// Data flows: T, I, D.
    pub fn applicable_to(kind: SubjectKind) -> &'static [Stride] {
        use Stride::{
            DenialOfService, ElevationOfPrivilege, InformationDisclosure, Repudiation, Spoofing,
            Tampering,
        };
        match kind {
            SubjectKind::ExternalInteractor => &[Spoofing, Repudiation],
            SubjectKind::Process => &[
                Spoofing,
                Tampering,
                Repudiation,
                InformationDisclosure,
                DenialOfService,
                ElevationOfPrivilege,
            ],
            SubjectKind::DataStore => &[
                Tampering,
                Repudiation,
                InformationDisclosure,
                DenialOfService,
            ],
            SubjectKind::DataFlow => &[Tampering, InformationDisclosure, DenialOfService],
        }
    }

    /// Whether this category applies to a kind of element.
    pub fn applies_to(self, kind: SubjectKind) -> bool {
        Stride::applicable_to(kind).contains(&self)
    }
}

impl std::fmt::Display for Stride {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stride_per_element_table_matches_the_method() {
        let letters = |k| {
            Stride::applicable_to(k)
                .iter()
                .map(|s| s.letter())
                .collect::<String>()
        };
        assert_eq!(letters(SubjectKind::ExternalInteractor), "SR");
        assert_eq!(letters(SubjectKind::Process), "STRIDE");
        assert_eq!(letters(SubjectKind::DataStore), "TRID");
        assert_eq!(letters(SubjectKind::DataFlow), "TID");
    }

    #[test]
    fn names_round_trip() {
        for s in Stride::ALL {
            assert_eq!(Stride::from_name(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(Stride::from_name("spoof"), None);
    }
}
