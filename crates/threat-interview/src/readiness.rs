//! Readiness: how far an engagement's preparation has come, what is missing, and the effort
//! it will take.
//!
//! [`readiness`] reads an engagement and reports its scope (in, out, assumptions), its
//! documents by status, a participant for every role its assurance level interviews, its
//! calendar, its calibration, with a warning for each thing missing: the warnings
//! [`Engagement::validate`] already gives about preparation (`out-of-scope-empty`,
//! `required-role-unfilled`, `document-requested` and the calendar's), and five of its own
//! (`in-scope-empty`, `calendar-empty`, `calibration-missing`, `document-unreviewed`,
//! `custom-role-unanswered`). The
//! [`Effort`] is estimated from the level and the model's size; the formula is in
//! `docs/workflow.md`.

use serde::Serialize;

use crate::calendar;
use crate::diagnostic::{Diagnostic, DiagnosticCode, Report};
use crate::model::{
    AssuranceLevel, DocumentStatus, Engagement, InterviewStatus, Role, Stride, SubjectKind,
};

/// The warnings of [`Engagement::validate`] that are about preparation.
const PREPARATION_CODES: [DiagnosticCode; 8] = [
    DiagnosticCode::OutOfScopeEmpty,
    DiagnosticCode::RequiredRoleUnfilled,
    DiagnosticCode::DocumentRequested,
    DiagnosticCode::InterviewOverlap,
    DiagnosticCode::ParticipantDoubleBooked,
    DiagnosticCode::InterviewTooLong,
    DiagnosticCode::ArchitectSessionsApart,
    DiagnosticCode::InterviewDateOdd,
];

/// An engagement's preparation, and the effort ahead.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Readiness {
    /// The assurance level.
    pub level: AssuranceLevel,
    /// How many items the scope lists.
    pub scope: ScopeCounts,
    /// How many documents stand at each status.
    pub documents: DocumentCounts,
    /// Every role the level interviews, and every other role someone holds, with its
    /// participants.
    pub roles: Vec<RoleReadiness>,
    /// The calendar.
    pub calendar: CalendarSummary,
    /// Whether the business stakeholders calibrated the STRIDE categories.
    pub calibrated: bool,
    /// The effort estimate.
    pub effort: Effort,
    /// What is missing, sorted as a [`Report`] sorts; all warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Readiness {
    /// Whether nothing is missing.
    pub fn is_ready(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// How many items the scope lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ScopeCounts {
    /// What the engagement covers.
    pub in_scope: usize,
    /// What it leaves out.
    pub out_of_scope: usize,
    /// What it takes as given.
    pub assumptions: usize,
}

/// How many documents stand at each status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct DocumentCounts {
    /// Asked for, not yet received.
    pub requested: usize,
    /// Received, not yet read.
    pub received: usize,
    /// Read.
    pub reviewed: usize,
}

/// A role and who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RoleReadiness {
    /// The role.
    pub role: Role,
    /// Whether the assurance level interviews it.
    pub required: bool,
    /// The participants who hold it, by id.
    pub participants: Vec<String>,
}

/// The calendar, in figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct CalendarSummary {
    /// Interviews not cancelled.
    pub interviews: usize,
    /// Their minutes, together.
    pub minutes: u32,
    /// How many days they span (the highest `day`).
    pub days: u32,
    /// The first date, when interviews are dated.
    pub first_date: Option<String>,
    /// The last date.
    pub last_date: Option<String>,
}

/// The effort of an engagement for one threat modeler, in minutes, each part rounded up to a
/// quarter of an hour (`docs/workflow.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Effort {
    /// Preparation: reading the documents, drawing and checking the model, the calendar.
    pub preparation_minutes: u32,
    /// The interviews: the calendar's minutes, or a proposal's when there is no calendar yet.
    pub interview_minutes: u32,
    /// Analysis: threats and mitigations for every applicable (subject, STRIDE category) pair,
    /// then the findings and the roadmap.
    pub analysis_minutes: u32,
    /// The in-scope elements, flows and boundaries the estimate counted.
    pub model_items: usize,
    /// The applicable (subject, STRIDE category) pairs it counted.
    pub stride_pairs: usize,
}

impl Effort {
    /// The three parts together.
    pub fn total_minutes(&self) -> u32 {
        self.preparation_minutes
            .saturating_add(self.interview_minutes)
            .saturating_add(self.analysis_minutes)
    }

    /// Minutes as hours, such as `7.75`.
    pub fn hours(minutes: u32) -> f64 {
        f64::from(minutes) / 60.0
    }
}

/// The constants of the effort formula for a level: minutes of preparation before any item,
/// per model item, per document; minutes of analysis per STRIDE pair, and for the report.
#[derive(Debug, Clone, Copy)]
struct Rates {
    preparation: u32,
    per_item: u32,
    per_document: u32,
    per_pair: u32,
    report: u32,
}

fn rates(level: AssuranceLevel) -> Rates {
    match level {
        AssuranceLevel::Fast => Rates {
            preparation: 60,
            per_item: 2,
            per_document: 10,
            per_pair: 1,
            report: 60,
        },
        AssuranceLevel::Standard => Rates {
            preparation: 240,
            per_item: 3,
            per_document: 15,
            per_pair: 4,
            report: 240,
        },
        AssuranceLevel::High => Rates {
            preparation: 480,
            per_item: 5,
            per_document: 30,
            per_pair: 8,
            report: 480,
        },
    }
}

/// Rounds minutes up to a quarter of an hour.
fn quarter(minutes: u64) -> u32 {
    u32::try_from(minutes.div_ceil(15).saturating_mul(15)).unwrap_or(u32::MAX)
}

/// The effort of an engagement (`docs/workflow.md`):
///
/// - preparation = P + i × (elements + flows + boundaries in scope) + d × documents;
/// - interviews = the minutes of the interviews not cancelled, or of [`calendar::propose`]'s
///   when none is on the calendar;
/// - analysis = a × (applicable STRIDE pairs of the in-scope elements and flows) + R;
///
/// with (P, i, d, a, R) = (60, 2, 10, 1, 60) for a fast exercise, (240, 3, 15, 4, 240) for a
/// standard one and (480, 5, 30, 8, 480) for high assurance.
pub fn effort(engagement: &Engagement) -> Effort {
    let model = &engagement.model;
    let elements = model.elements.iter().filter(|e| !e.out_of_scope);
    let flows = model.flows.iter().filter(|f| !f.out_of_scope).count();
    let mut pairs = flows * Stride::applicable_to(SubjectKind::DataFlow).len();
    let mut items = flows + model.boundaries.len();
    for element in elements {
        items += 1;
        pairs += Stride::applicable_to(element.kind.into()).len();
    }
    let r = rates(engagement.assurance_level);
    let documents = engagement.documents.len();
    let preparation = u64::from(r.preparation)
        + u64::from(r.per_item) * items as u64
        + u64::from(r.per_document) * documents as u64;
    let held: u64 = engagement
        .interviews
        .iter()
        .filter(|i| i.status != InterviewStatus::Cancelled)
        .map(|i| u64::from(i.minutes))
        .sum();
    let interviews = if engagement.interviews.is_empty() {
        // Any working day: the minutes do not depend on the date.
        let monday = jiff::civil::Date::constant(2026, 1, 5);
        calendar::propose(engagement, monday).map_or(0, |p| {
            p.interviews.iter().map(|i| u64::from(i.minutes)).sum()
        })
    } else {
        held
    };
    let analysis = u64::from(r.per_pair) * pairs as u64 + u64::from(r.report);
    Effort {
        preparation_minutes: quarter(preparation),
        interview_minutes: quarter(interviews),
        analysis_minutes: quarter(analysis),
        model_items: items,
        stride_pairs: pairs,
    }
}

/// The readiness report of an engagement.
pub fn readiness(engagement: &Engagement) -> Readiness {
    let e = engagement;
    let mut warnings: Vec<Diagnostic> = e
        .validate()
        .warnings
        .into_iter()
        .filter(|d| PREPARATION_CODES.contains(&d.code))
        .collect();
    if e.scope.in_scope.is_empty() {
        warnings.push(Diagnostic::warning(
            DiagnosticCode::InScopeEmpty,
            "/scope".to_owned(),
            "the scope does not say what is in scope".to_owned(),
        ));
    }
    let count = |status| e.documents.iter().filter(|d| d.status == status).count();
    for (i, document) in e.documents.iter().enumerate() {
        if document.status == DocumentStatus::Received {
            warnings.push(Diagnostic::warning(
                DiagnosticCode::DocumentUnreviewed,
                format!("/documents/{i}/status"),
                format!(
                    "document `{}` was received and has not been reviewed",
                    document.id
                ),
            ));
        }
    }
    let level = e.assurance_level;
    let mut roles: Vec<RoleReadiness> = Vec::new();
    let mut add = |role: &Role, required: bool| {
        if roles.iter().any(|r| &r.role == role) {
            return;
        }
        roles.push(RoleReadiness {
            role: role.clone(),
            required,
            participants: e
                .participants_with_role(role)
                .map(|p| p.id.clone())
                .collect(),
        });
    };
    for role in level.required_roles() {
        add(role, true);
    }
    for role in &Role::BUILT_IN {
        if e.participants_with_role(role).next().is_some() {
            add(role, false);
        }
    }
    for (i, custom) in e.custom_roles.iter().enumerate() {
        let role = Role::Custom(custom.id.clone());
        let held = e.participants_with_role(&role).next().is_some();
        if custom.answers_for.is_empty() && (held || !custom.optional) {
            warnings.push(Diagnostic::warning(
                DiagnosticCode::CustomRoleUnanswered,
                format!("/custom_roles/{i}"),
                format!(
                    "custom role `{}` answers for nothing in the model: no generated question \
                     goes to it; list in `answers_for` the elements, flows or boundaries it \
                     answers for",
                    custom.id
                ),
            ));
        }
        add(&role, !custom.optional);
    }
    let active: Vec<_> = e
        .interviews
        .iter()
        .filter(|i| i.status != InterviewStatus::Cancelled)
        .collect();
    let mut dates: Vec<&str> = active.iter().filter_map(|i| i.date.as_deref()).collect();
    dates.sort_unstable();
    let summary = CalendarSummary {
        interviews: active.len(),
        minutes: active.iter().fold(0u32, |m, i| m.saturating_add(i.minutes)),
        days: active.iter().map(|i| i.day).max().unwrap_or(0),
        first_date: dates.first().map(|d| (*d).to_owned()),
        last_date: dates.last().map(|d| (*d).to_owned()),
    };
    if active.is_empty() {
        warnings.push(Diagnostic::warning(
            DiagnosticCode::CalendarEmpty,
            "/interviews".to_owned(),
            "no interview is on the calendar: propose one with `threat-interview calendar FILE --start YYYY-MM-DD`".to_owned(),
        ));
    }
    if e.calibration.is_none() {
        warnings.push(Diagnostic::warning(
            DiagnosticCode::CalibrationMissing,
            "/calibration".to_owned(),
            "the business stakeholders have not calibrated the STRIDE categories".to_owned(),
        ));
    }
    let warnings = Report::from_diagnostics(warnings).warnings;
    Readiness {
        level,
        scope: ScopeCounts {
            in_scope: e.scope.in_scope.len(),
            out_of_scope: e.scope.out_of_scope.len(),
            assumptions: e.scope.assumptions.len(),
        },
        documents: DocumentCounts {
            requested: count(DocumentStatus::Requested),
            received: count(DocumentStatus::Received),
            reviewed: count(DocumentStatus::Reviewed),
        },
        roles,
        calendar: summary,
        calibrated: e.calibration.is_some(),
        effort: effort(e),
        warnings,
    }
}
