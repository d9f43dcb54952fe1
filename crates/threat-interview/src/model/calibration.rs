//! Calibration: how much each STRIDE category matters to the business.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Stride;

/// The weights business stakeholders give the STRIDE categories, and who gave them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Calibration {
    /// The weight of each category, from 1 (matters little) to 5 (matters most).
    #[serde(default)]
    pub weights: StrideWeights,
    /// The participants who gave the weights, by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provided_by: Vec<String>,
    /// Why the weights are what they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Calibration {
    /// A calibration of these weights, given by nobody yet.
    pub fn new(weights: StrideWeights) -> Self {
        Calibration {
            weights,
            provided_by: Vec::new(),
            notes: None,
        }
    }
}

/// A weight from 1 to 5 for each STRIDE category; 3 when not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrideWeights {
    /// The weight of spoofing.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 5))]
    pub spoofing: u8,
    /// The weight of tampering.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 5))]
    pub tampering: u8,
    /// The weight of repudiation.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 5))]
    pub repudiation: u8,
    /// The weight of information disclosure.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 5))]
    pub information_disclosure: u8,
    /// The weight of denial of service.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 5))]
    pub denial_of_service: u8,
    /// The weight of elevation of privilege.
    #[serde(default = "default_weight")]
    #[schemars(range(min = 1, max = 5))]
    pub elevation_of_privilege: u8,
}

/// The weight of a category nobody weighted.
pub const DEFAULT_WEIGHT: u8 = 3;

fn default_weight() -> u8 {
    DEFAULT_WEIGHT
}

impl Default for StrideWeights {
    fn default() -> Self {
        StrideWeights {
            spoofing: DEFAULT_WEIGHT,
            tampering: DEFAULT_WEIGHT,
            repudiation: DEFAULT_WEIGHT,
            information_disclosure: DEFAULT_WEIGHT,
            denial_of_service: DEFAULT_WEIGHT,
            elevation_of_privilege: DEFAULT_WEIGHT,
        }
    }
}

impl StrideWeights {
    /// The weight of a category.
    pub fn get(&self, category: Stride) -> u8 {
        match category {
            Stride::Spoofing => self.spoofing,
            Stride::Tampering => self.tampering,
            Stride::Repudiation => self.repudiation,
            Stride::InformationDisclosure => self.information_disclosure,
            Stride::DenialOfService => self.denial_of_service,
            Stride::ElevationOfPrivilege => self.elevation_of_privilege,
        }
    }

    /// Sets the weight of a category.
    pub fn set(&mut self, category: Stride, weight: u8) {
        let slot = match category {
            Stride::Spoofing => &mut self.spoofing,
            Stride::Tampering => &mut self.tampering,
            Stride::Repudiation => &mut self.repudiation,
            Stride::InformationDisclosure => &mut self.information_disclosure,
            Stride::DenialOfService => &mut self.denial_of_service,
            Stride::ElevationOfPrivilege => &mut self.elevation_of_privilege,
        };
        *slot = weight;
    }
}
