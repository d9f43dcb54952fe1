//! Stage 3: what the engagement means. References, cycles, duplicate ids, rationales.
//!
//! The checks read the typed engagement. For a file whose structure is broken they read what
//! could be salvaged of it ([`super::salvage`]); [`Origins`] gives each item its pointer in the
//! file and says which ids belong to items that could not be read.

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use crate::diagnostic::{Diagnostic, DiagnosticCode};
use crate::model::{
    AnswerChannel, DocumentStatus, ElementKind, Engagement, FindingStatus, HintStatus,
    PropertyValue, Role, vocabulary,
};
use crate::source::escape_pointer_token;

use super::salvage::{List, Origins};

/// Every problem of meaning in an engagement.
pub(super) fn check(engagement: &Engagement, origins: &Origins) -> Vec<Diagnostic> {
    let mut checker = Checker {
        e: engagement,
        origins,
        subjects: HashMap::new(),
        touched: Vec::new(),
        participants: HashSet::new(),
        questions: HashSet::new(),
        interviews: HashSet::new(),
        follow_ups: HashSet::new(),
        documents: HashSet::new(),
        hints: HashSet::new(),
        findings: HashSet::new(),
        custom_roles: HashSet::new(),
        out: Vec::new(),
    };
    checker.ids();
    checker.model();
    checker.roles();
    checker.interviews();
    checker.questions();
    checker.hints();
    checker.findings();
    checker.follow_ups();
    checker.calibration_and_documents();
    checker.warnings();
    checker.out
}

struct Checker<'a> {
    e: &'a Engagement,
    origins: &'a Origins,
    /// Elements, flows and boundaries share one id space: each id with its first place.
    subjects: HashMap<&'a str, (List, usize)>,
    /// Which elements (by position) a flow touches, found while checking the flows.
    touched: Vec<bool>,
    participants: HashSet<&'a str>,
    questions: HashSet<&'a str>,
    interviews: HashSet<&'a str>,
    follow_ups: HashSet<&'a str>,
    documents: HashSet<&'a str>,
    hints: HashSet<&'a str>,
    findings: HashSet<&'a str>,
    custom_roles: HashSet<&'a str>,
    out: Vec<Diagnostic>,
}

/// What a reference names.
#[derive(Clone, Copy)]
enum Reference {
    Participant,
    Question,
    Hint,
    Finding,
    Subject,
}

impl<'a> Checker<'a> {
    fn error(&mut self, code: DiagnosticCode, pointer: String, message: String) {
        self.out.push(Diagnostic::error(code, pointer, message));
    }

    fn warning(&mut self, code: DiagnosticCode, pointer: String, message: String) {
        self.out.push(Diagnostic::warning(code, pointer, message));
    }

    fn at(&self, list: List, i: usize) -> String {
        self.origins.item(list, i)
    }

    /// Whether an id names an item of a list of the model (elements, flows, boundaries).
    fn is(&self, list: List, id: &str) -> bool {
        matches!(self.subjects.get(id), Some((l, _)) if *l == list)
    }

    /// Registers the ids of a list in an id space (`None`: elements, flows and boundaries'
    /// shared one), reporting duplicates with the first use's pointer. Ids of items that could
    /// not be read count too, at their place in the file.
    fn register(
        &mut self,
        list: List,
        read: Vec<&'a str>,
        mut space: Option<&mut HashSet<&'a str>>,
    ) {
        let origins = self.origins;
        let mut local: HashMap<&'a str, (List, usize)> = HashMap::new();
        for (at, id) in origins.ids(list, read) {
            let first = match space {
                None => self.subjects.get(id).copied(),
                Some(_) => local.get(id).copied(),
            };
            if let Some((first_list, first_at)) = first {
                self.error(
                    DiagnosticCode::DuplicateId,
                    format!("{}/{at}/id", list.pointer()),
                    format!(
                        "id `{id}` is already used at `{}/{first_at}`",
                        first_list.pointer()
                    ),
                );
                continue;
            }
            match space.as_deref_mut() {
                None => {
                    self.subjects.insert(id, (list, at));
                }
                Some(space) => {
                    local.insert(id, (list, at));
                    space.insert(id);
                }
            }
        }
    }

    fn ids(&mut self) {
        let e = self.e;
        let model = &e.model;
        self.subjects
            .reserve(model.elements.len() + model.flows.len() + model.boundaries.len());
        let element_places = self
            .origins
            .ids(
                List::Elements,
                model.elements.iter().map(|x| x.id.as_str()).collect(),
            )
            .last()
            .map_or(model.elements.len(), |&(at, _)| at + 1);
        self.touched = vec![false; element_places.max(model.elements.len())];
        self.register(
            List::Elements,
            model.elements.iter().map(|x| x.id.as_str()).collect(),
            None,
        );
        self.register(
            List::Flows,
            model.flows.iter().map(|x| x.id.as_str()).collect(),
            None,
        );
        self.register(
            List::Boundaries,
            model.boundaries.iter().map(|x| x.id.as_str()).collect(),
            None,
        );
        let mut participants = HashSet::new();
        let mut questions = HashSet::new();
        let mut interviews = HashSet::new();
        let mut follow_ups = HashSet::new();
        let mut documents = HashSet::new();
        let mut hints = HashSet::new();
        let mut findings = HashSet::new();
        self.register(
            List::Participants,
            e.participants.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut participants),
        );
        self.register(
            List::Questions,
            e.questions.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut questions),
        );
        self.register(
            List::Interviews,
            e.interviews.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut interviews),
        );
        self.register(
            List::FollowUps,
            e.follow_ups.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut follow_ups),
        );
        self.register(
            List::Documents,
            e.documents.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut documents),
        );
        self.register(
            List::Hints,
            e.hints.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut hints),
        );
        self.register(
            List::Findings,
            e.findings.iter().map(|x| x.id.as_str()).collect(),
            Some(&mut findings),
        );
        self.participants = participants;
        self.questions = questions;
        self.interviews = interviews;
        self.follow_ups = follow_ups;
        self.documents = documents;
        self.hints = hints;
        self.findings = findings;
    }

    fn model(&mut self) {
        let model = &self.e.model;
        for (i, flow) in model.flows.iter().enumerate() {
            for (end, id, code) in [
                ("source", &flow.source, DiagnosticCode::FlowSourceMissing),
                ("target", &flow.target, DiagnosticCode::FlowTargetMissing),
            ] {
                if let Some((List::Elements, at)) = self.subjects.get(id.as_str()).copied() {
                    if let Some(t) = self.touched.get_mut(at) {
                        *t = true;
                    }
                    continue;
                }
                if self.origins.is_unreadable(id) {
                    continue;
                }
                let what = if self.subjects.contains_key(id.as_str()) {
                    format!("flow {end} `{id}` is a flow or a boundary, not an element")
                } else {
                    format!("flow {end} `{id}` names no element")
                };
                let pointer = self.at(List::Flows, i);
                self.error(code, format!("{pointer}/{end}"), what);
            }
            if flow.source == flow.target && self.is(List::Elements, &flow.source) {
                let pointer = self.at(List::Flows, i);
                self.warning(
                    DiagnosticCode::FlowSelfLoop,
                    format!("{pointer}/target"),
                    format!("flow goes from `{}` to itself", flow.source),
                );
            }
        }
        for (i, flow) in model.flows.iter().enumerate() {
            for (j, boundary) in flow.crosses.iter().enumerate() {
                if !self.is(List::Boundaries, boundary) && !self.origins.is_unreadable(boundary) {
                    let pointer = self.at(List::Flows, i);
                    self.error(
                        DiagnosticCode::FlowCrossesMissing,
                        format!("{pointer}/crosses/{j}"),
                        format!("flow crosses `{boundary}`, which is not a boundary"),
                    );
                }
            }
            let origins = self.origins;
            self.vocabulary(&flow.properties, || origins.item(List::Flows, i));
        }
        for (i, element) in model.elements.iter().enumerate() {
            let origins = self.origins;
            self.vocabulary(&element.properties, || origins.item(List::Elements, i));
            if let Some(boundary) = &element.boundary
                && !self.is(List::Boundaries, boundary)
                && !self.origins.is_unreadable(boundary)
            {
                let pointer = self.at(List::Elements, i);
                self.error(
                    DiagnosticCode::ElementBoundaryMissing,
                    format!("{pointer}/boundary"),
                    format!("boundary `{boundary}` does not exist"),
                );
            }
        }
        self.boundary_tree();
    }

    /// Properties close to the vocabulary's names, and the vocabulary's with the wrong type.
    fn vocabulary(&mut self, properties: &crate::model::Properties, pointer: impl Fn() -> String) {
        for (name, value) in properties {
            if let Some(definition) = vocabulary::property(name) {
                // A value the bank would read but for its spelling (`on-premises`, `Python`).
                let mut close = |at: String, given: &str| {
                    if let Some(known) = vocabulary::close_value(definition, given) {
                        self.warning(
                            DiagnosticCode::PropertyValue,
                            at,
                            format!(
                                "`{given}` is not a value of property `{name}` that questions read (docs/vocabulary.md); did you mean `{known}`?"
                            ),
                        );
                    }
                };
                let at = || format!("{}/properties/{}", pointer(), escape_pointer_token(name));
                match value {
                    PropertyValue::String(given) => close(at(), given),
                    PropertyValue::List(items) => {
                        for (k, given) in items.iter().enumerate() {
                            close(format!("{}/{k}", at()), given);
                        }
                    }
                    _ => {}
                }
                if !definition.kind.admits(value) {
                    self.warning(
                        DiagnosticCode::PropertyType,
                        format!("{}/properties/{}", pointer(), escape_pointer_token(name)),
                        format!(
                            "property `{name}` should be a {}; questions that read it will not see this value",
                            definition.kind.as_str()
                        ),
                    );
                }
            } else if let Some(known) = vocabulary::close_to(name) {
                self.warning(
                    DiagnosticCode::PropertyUnknown,
                    format!("{}/properties/{}", pointer(), escape_pointer_token(name)),
                    format!(
                        "property `{name}` is not in the vocabulary (docs/vocabulary.md); did you mean `{known}`?"
                    ),
                );
            }
        }
    }

    /// Missing parents and cycles, in time linear in the number of boundaries.
    fn boundary_tree(&mut self) {
        let boundaries = &self.e.model.boundaries;
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (k, b) in boundaries.iter().enumerate() {
            index.entry(b.id.as_str()).or_insert(k);
        }
        for (k, b) in boundaries.iter().enumerate() {
            if let Some(parent) = &b.parent
                && !index.contains_key(parent.as_str())
                && !self.origins.is_unreadable(parent)
            {
                let pointer = self.at(List::Boundaries, k);
                self.error(
                    DiagnosticCode::BoundaryParentMissing,
                    format!("{pointer}/parent"),
                    format!("parent boundary `{parent}` does not exist"),
                );
            }
        }
        // 0: not seen, 1: on the current walk, 2: done.
        let mut state = vec![0u8; boundaries.len()];
        let mut path: Vec<usize> = Vec::new();
        for start in 0..boundaries.len() {
            path.clear();
            let mut at = Some(start);
            while let Some(k) = at {
                match state[k] {
                    2 => break,
                    1 => {
                        let from = path.iter().position(|&p| p == k).unwrap_or(0);
                        let cycle = &path[from..];
                        let first = cycle.iter().copied().min().unwrap_or(k);
                        let names: Vec<String> = cycle
                            .iter()
                            .map(|&c| format!("`{}`", boundaries[c].id))
                            .collect();
                        let id = &boundaries[first].id;
                        let pointer = self.at(List::Boundaries, first);
                        self.error(
                            DiagnosticCode::BoundaryCycle,
                            format!("{pointer}/parent"),
                            format!(
                                "boundary `{id}` is nested in itself: {} -> `{id}`",
                                names.join(" -> ")
                            ),
                        );
                        break;
                    }
                    _ => {
                        state[k] = 1;
                        path.push(k);
                        at = boundaries[k]
                            .parent
                            .as_deref()
                            .and_then(|p| index.get(p).copied());
                    }
                }
            }
            for &k in &path {
                state[k] = 2;
            }
        }
    }

    fn roles(&mut self) {
        let e = self.e;
        let mut declared: HashMap<&'a str, String> = HashMap::new();
        for (i, role) in e.custom_roles.iter().enumerate() {
            let pointer = format!("{}/id", self.at(List::CustomRoles, i));
            let id = role.id.as_str();
            if !Role::from_name(id).is_custom() {
                self.error(
                    DiagnosticCode::RoleShadowsBuiltIn,
                    pointer,
                    format!("custom role `{id}` has the id of a built-in role"),
                );
            } else if let Some(first) = declared.get(id) {
                let first = first.trim_end_matches("/id").to_owned();
                self.error(
                    DiagnosticCode::RoleDuplicate,
                    pointer,
                    format!("custom role `{id}` is already declared at `{first}`"),
                );
            } else {
                declared.insert(id, pointer);
            }
        }
        self.custom_roles = declared.into_keys().collect();
        for (i, role) in e.custom_roles.iter().enumerate() {
            let base = || self.origins.item(List::CustomRoles, i);
            self.references(&role.answers_for, Reference::Subject, &base, "answers_for");
            for (j, kind) in role.expertise.iter().enumerate() {
                if let Role::Custom(name) = kind {
                    self.error(
                        DiagnosticCode::RoleExpertiseCustom,
                        format!("{}/expertise/{j}", base()),
                        format!(
                            "`expertise` lists the built-in roles whose kind of question `{}` \
                             answers; `{name}` is not one (architect, lead_developer, \
                             deployment_owner, production_owner, business_stakeholder)",
                            role.id
                        ),
                    );
                }
            }
        }
        for (i, p) in e.participants.iter().enumerate() {
            for (j, role) in p.roles.iter().enumerate() {
                self.role_use(role, || {
                    format!("{}/roles/{j}", self.origins.item(List::Participants, i))
                });
            }
        }
        for (i, interview) in e.interviews.iter().enumerate() {
            for (j, role) in interview.roles.iter().enumerate() {
                self.role_use(role, || {
                    format!("{}/roles/{j}", self.origins.item(List::Interviews, i))
                });
            }
        }
        for (i, q) in e.questions.iter().enumerate() {
            self.role_use(&q.role, || {
                format!("{}/role", self.origins.item(List::Questions, i))
            });
        }
    }

    fn role_use(&mut self, role: &Role, pointer: impl FnOnce() -> String) {
        if let Role::Custom(name) = role
            && !self.custom_roles.contains(name.as_str())
        {
            self.error(
                DiagnosticCode::RoleUndeclared,
                pointer(),
                format!("role `{name}` is neither built in nor declared in `custom_roles`"),
            );
        }
    }

    /// Reports a reference to a missing participant, question, hint or subject.
    fn reference(&mut self, id: Option<&str>, kind: Reference, pointer: impl FnOnce() -> String) {
        let Some(id) = id else { return };
        if self.origins.is_unreadable(id) {
            return;
        }
        let (known, code, noun) = match kind {
            Reference::Participant => (
                self.participants.contains(id),
                DiagnosticCode::ParticipantMissing,
                "participant",
            ),
            Reference::Question => (
                self.questions.contains(id),
                DiagnosticCode::QuestionMissing,
                "question",
            ),
            Reference::Hint => (self.hints.contains(id), DiagnosticCode::HintMissing, "hint"),
            Reference::Finding => (
                self.findings.contains(id),
                DiagnosticCode::FindingMissing,
                "finding",
            ),
            Reference::Subject => (
                self.subjects.contains_key(id),
                DiagnosticCode::SubjectMissing,
                "element, flow or boundary",
            ),
        };
        if !known {
            self.error(code, pointer(), format!("{noun} `{id}` does not exist"));
        }
    }

    /// Checks every item of a list of references; `base` makes the pointer of the item they
    /// are in, when one is reported.
    fn references(
        &mut self,
        ids: &[String],
        kind: Reference,
        base: &dyn Fn() -> String,
        key: &str,
    ) {
        for (j, id) in ids.iter().enumerate() {
            self.reference(Some(id), kind, || format!("{}/{key}/{j}", base()));
        }
    }

    fn interviews(&mut self) {
        let (e, origins) = (self.e, self.origins);
        for (i, interview) in e.interviews.iter().enumerate() {
            let base = || origins.item(List::Interviews, i);
            self.references(
                &interview.participants,
                Reference::Participant,
                &base,
                "participants",
            );
            for (j, item) in interview.agenda.iter().enumerate() {
                self.reference(Some(&item.question), Reference::Question, || {
                    format!("{}/agenda/{j}/question", base())
                });
            }
        }
    }

    fn questions(&mut self) {
        let (e, origins) = (self.e, self.origins);
        for (i, question) in e.questions.iter().enumerate() {
            let base = || origins.item(List::Questions, i);
            if question.obsolete {
                // An obsolete question is about what left the model: nothing to check there.
            } else if question.provenance.is_some() {
                // A generated question whose subject left the model: generating again marks it
                // obsolete; until then it is a warning, so the file can still be loaded.
                for (j, subject) in question.subjects.iter().enumerate() {
                    if !self.subjects.contains_key(subject.as_str())
                        && !origins.is_unreadable(subject)
                    {
                        self.warning(
                            DiagnosticCode::QuestionSubjectGone,
                            format!("{}/subjects/{j}", base()),
                            format!("`{subject}` left the model; generate the questions again to mark this one obsolete"),
                        );
                    }
                }
            } else {
                self.references(&question.subjects, Reference::Subject, &base, "subjects");
            }
            for (k, answer) in question.answers.iter().enumerate() {
                let at = || format!("{}/answers/{k}", base());
                for (x, exception) in answer.exceptions.iter().enumerate() {
                    if !question.subjects.contains(&exception.subject) {
                        self.error(
                            DiagnosticCode::ExceptionSubjectMissing,
                            format!("{}/exceptions/{x}/subject", at()),
                            format!(
                                "`{}` is not one of the question's subjects",
                                exception.subject
                            ),
                        );
                    }
                }
                self.reference(answer.by.as_deref(), Reference::Participant, || {
                    format!("{}/by", at())
                });
                let Some(reference) = answer.reference.as_deref() else {
                    continue;
                };
                let (known, noun) = match answer.via {
                    AnswerChannel::Interview => (self.interviews.contains(reference), "interview"),
                    AnswerChannel::FollowUp => (self.follow_ups.contains(reference), "follow-up"),
                    AnswerChannel::Document => (self.documents.contains(reference), "document"),
                    // Email, chat and other channels name things outside the engagement.
                    _ => continue,
                };
                if !known && !origins.is_unreadable(reference) {
                    self.error(
                        DiagnosticCode::AnswerReferenceMissing,
                        format!("{}/reference", at()),
                        format!("{noun} `{reference}` does not exist"),
                    );
                }
            }
        }
    }

    fn hints(&mut self) {
        let (e, origins) = (self.e, self.origins);
        for (i, hint) in e.hints.iter().enumerate() {
            let base = || origins.item(List::Hints, i);
            self.references(&hint.subjects, Reference::Subject, &base, "subjects");
            self.reference(hint.question.as_deref(), Reference::Question, || {
                format!("{}/question", base())
            });
            self.reference(hint.raised_by.as_deref(), Reference::Participant, || {
                format!("{}/raised_by", base())
            });
            self.reference(hint.finding.as_deref(), Reference::Finding, || {
                format!("{}/finding", base())
            });
            if hint.status == HintStatus::Dismissed && is_blank(hint.rationale.as_deref()) {
                self.error(
                    DiagnosticCode::RationaleMissing,
                    base(),
                    "a dismissed hint needs a rationale".to_owned(),
                );
            }
        }
    }

    fn findings(&mut self) {
        let (e, origins) = (self.e, self.origins);
        for (i, finding) in e.findings.iter().enumerate() {
            let base = || origins.item(List::Findings, i);
            self.references(&finding.subjects, Reference::Subject, &base, "subjects");
            self.references(&finding.hints, Reference::Hint, &base, "hints");
            if finding.attack_path.is_empty() {
                self.error(
                    DiagnosticCode::AttackPathEmpty,
                    format!("{}/attack_path", base()),
                    "a finding needs at least one attack step; keep it as a hint until an attack path is sketched".to_owned(),
                );
            }
            for (k, step) in finding.attack_path.iter().enumerate() {
                self.reference(step.subject.as_deref(), Reference::Subject, || {
                    format!("{}/attack_path/{k}/subject", base())
                });
            }
            let status = match finding.status {
                FindingStatus::Confirmed => Some("confirmed"),
                FindingStatus::Dismissed => Some("dismissed"),
                FindingStatus::Plausible => None,
            };
            if let Some(status) = status
                && is_blank(finding.rationale.as_deref())
            {
                self.error(
                    DiagnosticCode::RationaleMissing,
                    base(),
                    format!("a {status} finding needs a rationale"),
                );
            }
        }
    }

    fn follow_ups(&mut self) {
        let (e, origins) = (self.e, self.origins);
        for (i, follow_up) in e.follow_ups.iter().enumerate() {
            let base = || origins.item(List::FollowUps, i);
            self.reference(follow_up.question.as_deref(), Reference::Question, || {
                format!("{}/question", base())
            });
            self.reference(Some(&follow_up.assignee), Reference::Participant, || {
                format!("{}/assignee", base())
            });
            self.reference(follow_up.hint.as_deref(), Reference::Hint, || {
                format!("{}/hint", base())
            });
        }
    }

    fn calibration_and_documents(&mut self) {
        let (e, origins) = (self.e, self.origins);
        if let Some(calibration) = &e.calibration {
            self.references(
                &calibration.provided_by,
                Reference::Participant,
                &|| "/calibration".to_owned(),
                "provided_by",
            );
        }
        for (i, document) in e.documents.iter().enumerate() {
            self.reference(document.owner.as_deref(), Reference::Participant, || {
                format!("{}/owner", origins.item(List::Documents, i))
            });
        }
    }

    fn warnings(&mut self) {
        let e = self.e;
        // `touched` is by file position: map each element read to its place in the file.
        let origins = self.origins;
        let positions: Vec<usize> = origins
            .ids(
                List::Elements,
                e.model.elements.iter().map(|x| x.id.as_str()).collect(),
            )
            .into_iter()
            .map(|(at, _)| at)
            .collect();
        for (i, element) in e.model.elements.iter().enumerate() {
            let at = positions.get(i).copied().unwrap_or(i);
            let touched = self.touched.get(at).copied().unwrap_or(false)
                || self
                    .subjects
                    .get(element.id.as_str())
                    .map(|&(_, first)| first)
                    != Some(at);
            if element.out_of_scope || touched {
                continue;
            }
            let (code, noun) = match element.kind {
                ElementKind::ExternalInteractor => {
                    (DiagnosticCode::InteractorWithoutFlow, "external interactor")
                }
                _ => (DiagnosticCode::ElementWithoutFlow, "element"),
            };
            let pointer = self.at(List::Elements, i);
            self.warning(
                code,
                pointer,
                format!("{noun} `{}` has no data flow", element.id),
            );
        }
        for (i, document) in e.documents.iter().enumerate() {
            if document.status == DocumentStatus::Requested {
                let pointer = format!("{}/status", self.at(List::Documents, i));
                self.warning(
                    DiagnosticCode::DocumentRequested,
                    pointer,
                    format!(
                        "document `{}` was requested and has not been received",
                        document.id
                    ),
                );
            }
        }
        self.out.extend(super::schedule::check(e, &|i| {
            origins.item(List::Interviews, i)
        }));
        if e.scope.out_of_scope.is_empty() && !self.origins.scope_unknown {
            self.warning(
                DiagnosticCode::OutOfScopeEmpty,
                "/scope".to_owned(),
                "the scope does not say what is out of scope".to_owned(),
            );
        }
        if !self.origins.level_unknown {
            let held: HashSet<&Role> = e.participants.iter().flat_map(|p| &p.roles).collect();
            let level = e.assurance_level;
            for role in level.required_roles() {
                if !held.contains(role) {
                    self.warning(
                        DiagnosticCode::RequiredRoleUnfilled,
                        "/participants".to_owned(),
                        format!(
                            "no participant holds the `{role}` role, which a `{}` engagement interviews",
                            level.as_str()
                        ),
                    );
                }
            }
        }
    }
}

fn is_blank(text: Option<&str>) -> bool {
    text.is_none_or(|s| s.trim().is_empty())
}
