//! Risk: how much a (subject, STRIDE category) pair matters, so that interviews surface the
//! riskiest pairs first.
//!
//! The score of a pair is
//!
//! ```text
//! risk = W × (E + C) × D × A
//! ```
//!
//! - **W**, the business stakeholders' calibration weight of the category, 1 to 5 (3 when not
//!   calibrated): [`crate::Calibration`], recorded with [`record_calibration`];
//! - **E**, exposure, following who opens each connection ([`crate::graph::Exposure`]): 6 when
//!   an untrusted interactor calls the element or opens the flow, 4 when untrusted requests
//!   reach it through one relay, 3 through more, 2 when only trusted interactors reach it, 1
//!   when no interactor does;
//! - **C**, crossings: 2 for a flow from an untrusted place into a trusted one (or an element
//!   called through such a flow), 1 for any other boundary crossing, else 0;
//! - **D**, the highest classification of the data carried, sent or received: restricted 4,
//!   confidential 3, internal 2, public or unknown 1;
//! - **A**, admin capability: 2 for an element with an admin interface, an admin interactor or
//!   a flow one of them takes part in, else 1.
//!
//! Scores run from 1 to 5 × 8 × 4 × 2 = 320. A question's score is its priority times the
//! highest risk among the pairs it covers (times the weight 3 × 2 for an engagement-level
//! question, which covers no pair).

use crate::graph::{ComponentGraph, ElementIx, Exposure, FlowIx};
use crate::model::{
    Calibration, Classification, ElementKind, Engagement, PropertyValue, Stride, StrideWeights,
};

/// The risk factors of one element or flow, before the category's weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Factors {
    /// Exposure, 1 to 6.
    pub exposure: u32,
    /// Crossings into trust, 0 to 2.
    pub crossing: u32,
    /// Data classification, 1 to 4.
    pub data: u32,
    /// Admin capability, 1 or 2.
    pub admin: u32,
}

impl Factors {
    /// `(E + C) × D × A`.
    pub fn base(self) -> u32 {
        (self.exposure + self.crossing) * self.data * self.admin
    }
}

/// The risk factors of every element and flow of a model, computed once.
#[derive(Debug, Clone)]
pub struct RiskMap {
    elements: Vec<Factors>,
    flows: Vec<Factors>,
    weights: StrideWeights,
}

fn exposure_factor(exposure: Exposure, reachable: bool) -> u32 {
    match exposure {
        Exposure::Direct => 6,
        Exposure::Indirect { hops } if hops <= 1 => 4,
        Exposure::Indirect { .. } => 3,
        Exposure::None if reachable => 2,
        Exposure::None => 1,
    }
}

fn data_factor(class: Option<Classification>) -> u32 {
    match class {
        Some(Classification::Restricted) => 4,
        Some(Classification::Confidential) => 3,
        Some(Classification::Internal) => 2,
        _ => 1,
    }
}

fn is_admin(graph: &ComponentGraph, e: ElementIx) -> bool {
    let element = graph.element(e);
    let flag = |name: &str| {
        matches!(
            element.properties.get(name),
            Some(PropertyValue::Bool(true))
        )
    };
    match element.kind {
        ElementKind::ExternalInteractor => flag("admin"),
        ElementKind::Process => flag("has_admin_interface"),
        ElementKind::DataStore => false,
    }
}

impl RiskMap {
    /// The factors of every element and flow of a graph, with these category weights.
    pub fn new(graph: &ComponentGraph, weights: StrideWeights) -> RiskMap {
        // Worked out once per element: every flow asks it of both its ends.
        let admin: Vec<bool> = graph.element_ixs().map(|e| is_admin(graph, e)).collect();
        let flows: Vec<Factors> = graph
            .flow_ixs()
            .map(|f| {
                let Some((s, t)) = graph.flow_endpoints(f) else {
                    return Factors {
                        exposure: 1,
                        crossing: 0,
                        data: 1,
                        admin: 1,
                    };
                };
                let crossing = if graph.crosses_into_trust(f) {
                    2
                } else {
                    u32::from(graph.crosses_any(f))
                };
                Factors {
                    exposure: exposure_factor(graph.flow_exposure(f), graph.is_reachable(s)),
                    crossing,
                    data: data_factor(graph.flow(f).highest_classification()),
                    admin: if admin[s.index()] || admin[t.index()] {
                        2
                    } else {
                        1
                    },
                }
            })
            .collect();
        let elements = graph
            .element_ixs()
            .map(|e| {
                let around = graph.outgoing(e).iter().chain(graph.incoming(e));
                let data = around
                    .clone()
                    .filter_map(|&f| graph.flow(f).highest_classification())
                    .max();
                let crossing = graph
                    .called_by(e)
                    .iter()
                    .map(|&f| flows[f.index()].crossing)
                    .max()
                    .unwrap_or(0);
                Factors {
                    exposure: exposure_factor(graph.exposure(e), graph.is_reachable(e)),
                    crossing,
                    data: data_factor(data),
                    admin: if admin[e.index()] { 2 } else { 1 },
                }
            })
            .collect();
        RiskMap {
            elements,
            flows,
            weights,
        }
    }

    /// The factors of an element.
    pub fn element(&self, e: ElementIx) -> Factors {
        self.elements[e.index()]
    }

    /// The factors of a flow.
    pub fn flow(&self, f: FlowIx) -> Factors {
        self.flows[f.index()]
    }

    /// The risk of an element's pair.
    pub fn element_risk(&self, e: ElementIx, category: Stride) -> u32 {
        u32::from(self.weights.get(category)) * self.element(e).base()
    }

    /// The risk of a flow's pair.
    pub fn flow_risk(&self, f: FlowIx, category: Stride) -> u32 {
        u32::from(self.weights.get(category)) * self.flow(f).base()
    }

    /// The weights in use.
    pub fn weights(&self) -> StrideWeights {
        self.weights
    }
}

/// The weights of an engagement's calibration, or the defaults.
pub fn weights_of(engagement: &Engagement) -> StrideWeights {
    engagement
        .calibration
        .as_ref()
        .map(|c| c.weights)
        .unwrap_or_default()
}

/// Why a calibration could not be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalibrationError {
    /// A weight outside 1 to 5.
    #[error("the weight of {category} must be from 1 to 5, not {weight}")]
    OutOfRange {
        /// The category.
        category: Stride,
        /// The weight given.
        weight: u8,
    },
    /// A participant who does not exist.
    #[error("no participant `{id}`")]
    UnknownParticipant {
        /// The id given.
        id: String,
    },
}

/// Records the business stakeholders' answer to the calibration question: the weight of each
/// category given (the others keep theirs), who gave it, and notes. The next plan ranks by the
/// new weights. Nothing changes on an error.
pub fn record_calibration(
    engagement: &mut Engagement,
    weights: &[(Stride, u8)],
    provided_by: Option<&str>,
    notes: Option<&str>,
) -> Result<(), CalibrationError> {
    for &(category, weight) in weights {
        if !(1..=5).contains(&weight) {
            return Err(CalibrationError::OutOfRange { category, weight });
        }
    }
    if let Some(id) = provided_by
        && !engagement.participants.iter().any(|p| p.id == id)
    {
        return Err(CalibrationError::UnknownParticipant { id: id.to_owned() });
    }
    let calibration = engagement
        .calibration
        .get_or_insert_with(|| Calibration::new(StrideWeights::default()));
    for &(category, weight) in weights {
        calibration.weights.set(category, weight);
    }
    if let Some(id) = provided_by
        && !calibration.provided_by.iter().any(|p| p == id)
    {
        calibration.provided_by.push(id.to_owned());
    }
    if let Some(notes) = notes {
        calibration.notes = Some(notes.to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssuranceLevel, Participant};

    #[test]
    fn calibration_is_checked_then_recorded() {
        let mut e = Engagement::new("e", "E", AssuranceLevel::Fast);
        e.participants.push(Participant::new(
            "ana",
            "Ana",
            vec![crate::Role::BusinessStakeholder],
        ));
        assert_eq!(
            record_calibration(&mut e, &[(Stride::DenialOfService, 6)], None, None),
            Err(CalibrationError::OutOfRange {
                category: Stride::DenialOfService,
                weight: 6
            })
        );
        assert!(e.calibration.is_none());
        assert!(matches!(
            record_calibration(&mut e, &[(Stride::Spoofing, 2)], Some("bob"), None),
            Err(CalibrationError::UnknownParticipant { .. })
        ));
        record_calibration(
            &mut e,
            &[(Stride::DenialOfService, 5), (Stride::Spoofing, 1)],
            Some("ana"),
            Some("downtime costs sales"),
        )
        .unwrap();
        let c = e.calibration.as_ref().unwrap();
        assert_eq!(c.weights.denial_of_service, 5);
        assert_eq!(c.weights.spoofing, 1);
        assert_eq!(c.weights.tampering, 3);
        assert_eq!(c.provided_by, ["ana"]);
    }
}
