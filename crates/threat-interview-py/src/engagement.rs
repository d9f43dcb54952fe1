//! The `Engagement` class: a handle on a core engagement.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use serde::de::DeserializeOwned;
use threat_interview::coverage::Coverage;
use threat_interview::engine::Engine;
use threat_interview::io::{self, LoadOptions, Revision, SaveOptions};
use threat_interview::plan::{PlanError, plan_all, plan_interview};
use threat_interview::validate::{Validation, validate_value};
use threat_interview::{
    Answer, AnswerChannel, AssuranceLevel, Diagnostic, DiagnosticCode, Engagement, Finding,
    FollowUp, Hint, RecordError,
};

use crate::banks::bank_set;
use crate::convert::{parse_name, to_python, to_value, value_to_py};
use crate::coverage::PyCoverage;
use crate::errors::{invalid_report, load_error, plain_error, save_error, validation_error};
use crate::questions::{PyQuestionList, resolve_role};
use crate::{dicts, html};

/// One threat-modeling exercise: its scope, people, calendar, component model, questions and
/// answers, hints, findings and follow-ups.
///
/// Build one with ``load``, ``loads``, ``Engagement.from_dict`` or
/// ``Engagement(id, name, assurance_level)``. Two engagements are equal when their data is.
/// An engagement loaded from a file remembers it (``path``) and what it held (``revision``):
/// ``save()`` writes it back, and refuses with ``ConflictError`` if the file changed since.
#[pyclass(module = "threat_interview._native", name = "Engagement", eq)]
#[derive(Debug, Clone)]
pub(crate) struct PyEngagement {
    /// Shared with the question lists read from it; an edit while such a list is alive copies
    /// it first (copy on write), so the list keeps what it read.
    pub(crate) inner: Arc<Engagement>,
    /// The file it was loaded from or last saved to, and the revision of that file then.
    origin: Option<(PathBuf, Revision)>,
    /// What `import_file` could not map, placed in the foreign file; empty otherwise.
    import_warnings: Vec<Diagnostic>,
    /// Whether `inner` validated without an error (a strict `load`) and has not been edited
    /// since: generation then does not validate it again.
    valid: bool,
}

impl PartialEq for PyEngagement {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl PyEngagement {
    pub(crate) fn new(inner: Engagement) -> Self {
        PyEngagement {
            inner: Arc::new(inner),
            origin: None,
            import_warnings: Vec::new(),
            valid: false,
        }
    }

    /// An engagement imported from another tool's file, with what could not be mapped. It
    /// remembers no file: ``save()`` needs a path, so that the foreign file is never
    /// overwritten.
    pub(crate) fn imported(inner: Engagement, warnings: Vec<Diagnostic>) -> Self {
        PyEngagement {
            inner: Arc::new(inner),
            origin: None,
            import_warnings: warnings,
            valid: false,
        }
    }

    /// `valid`: the load validated it without an error.
    pub(crate) fn loaded(
        inner: Engagement,
        path: PathBuf,
        revision: Revision,
        valid: bool,
    ) -> Self {
        PyEngagement {
            inner: Arc::new(inner),
            origin: Some((path, revision)),
            import_warnings: Vec::new(),
            valid,
        }
    }

    /// The engagement, for an edit.
    fn edit(&mut self) -> &mut Engagement {
        self.valid = false;
        Arc::make_mut(&mut self.inner)
    }

    /// The engagement as known to be valid, checked unless a strict load validated it and it
    /// was not edited since; the report of why it is not valid otherwise.
    pub(crate) fn checked(
        engagement: &Engagement,
        valid: bool,
    ) -> Result<threat_interview::validate::Checked<'_>, threat_interview::Report> {
        if valid {
            Ok(threat_interview::validate::Checked::vouched_for(engagement))
        } else {
            engagement.check()
        }
    }

    fn count_pairs(&self) -> [(&'static str, usize); 10] {
        let e = &self.inner;
        let answered = e.questions.iter().filter(|q| !q.answers.is_empty()).count();
        [
            ("elements", e.model.elements.len()),
            ("flows", e.model.flows.len()),
            ("boundaries", e.model.boundaries.len()),
            ("participants", e.participants.len()),
            ("interviews", e.interviews.len()),
            ("questions", e.questions.len()),
            ("answered", answered),
            ("hints", e.hints.len()),
            ("findings", e.findings.len()),
            ("follow_ups", e.follow_ups.len()),
        ]
    }
}

/// The engagement a validation produced, or the `ValidationError` that stops it.
///
/// `strict` refuses any error; otherwise an engagement whose structure could be read is
/// accepted even with errors of meaning (dangling references and the like), so that a file
/// being written can still be loaded and fixed.
pub(crate) fn accept(py: Python<'_>, validation: Validation, strict: bool) -> PyResult<Engagement> {
    match validation.engagement {
        Some(engagement) if !strict || validation.report.is_valid() => Ok(engagement),
        _ => Err(invalid_report(py, "engagement", &validation.report)),
    }
}

/// A core refusal as a Python error: an unknown question, hint, finding or follow-up is a
/// `KeyError`; an invalid change, or one the engagement does not allow (a finding without an
/// attack path, a verdict without a rationale, a question answered already), a
/// `ValidationError` listing every problem with its code and pointer.
pub(crate) fn record_error(py: Python<'_>, error: &RecordError) -> PyErr {
    match error {
        RecordError::UnknownQuestion { id } | RecordError::Unknown { id, .. } => {
            PyKeyError::new_err(id.clone())
        }
        RecordError::Invalid { what, errors } => validation_error(py, what, errors),
        other => {
            let diagnostics = other.diagnostics();
            if diagnostics.is_empty() {
                plain_error(
                    py,
                    "ThreatInterviewError",
                    threat_interview::error_chain(other),
                )
            } else {
                validation_error(py, "the change", &diagnostics)
            }
        }
    }
}

/// An item given as a dict, shaped like the engagement file's items of `field`.
fn item_from_dict<T: DeserializeOwned>(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    field: &str,
    next_index: usize,
) -> PyResult<T> {
    item_from_value(py, &to_value(data)?, field, next_index)
}

/// An item given as a JSON value, shaped like the engagement file's items of `field`.
pub(crate) fn item_from_value<T: DeserializeOwned>(
    py: Python<'_>,
    value: &serde_json::Value,
    field: &str,
    next_index: usize,
) -> PyResult<T> {
    T::deserialize(value).map_err(|e| {
        validation_error(
            py,
            "the edit",
            &[Diagnostic::error(
                DiagnosticCode::InvalidStructure,
                format!("/{field}/{next_index}"),
                e.to_string(),
            )],
        )
    })
}

fn plan_error(py: Python<'_>, error: &PlanError) -> PyErr {
    match error {
        PlanError::UnknownInterview { id } => PyKeyError::new_err(id.clone()),
        other => plain_error(
            py,
            "ThreatInterviewError",
            threat_interview::error_chain(other),
        ),
    }
}

#[pymethods]
impl PyEngagement {
    /// A new, empty engagement.
    #[new]
    #[pyo3(signature = (id, name, assurance_level = "standard"))]
    fn py_new(id: String, name: String, assurance_level: &str) -> PyResult<Self> {
        let level = parse_name::<AssuranceLevel>("assurance level", assurance_level)?;
        Ok(PyEngagement::new(Engagement::new(id, name, level)))
    }

    /// An engagement from a dict shaped like an engagement file, validated.
    ///
    /// Raises ``ValidationError`` listing every problem, each with its JSON Pointer. With
    /// ``strict=False`` only problems of structure are refused: errors of meaning (such as a
    /// flow whose target names no element) are let through; ``validate`` reports them.
    #[classmethod]
    #[pyo3(signature = (data, *, strict = true))]
    fn from_dict(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        data: &Bound<'_, PyAny>,
        strict: bool,
    ) -> PyResult<Self> {
        let value = to_value(data)?;
        let validation = py.detach(|| validate_value(&value));
        accept(py, validation, strict).map(PyEngagement::new)
    }

    /// The engagement as a dict shaped like an engagement file (plain dicts, lists, strings,
    /// numbers and booleans).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &*self.inner)
    }

    /// The engagement as canonical JSON text: two-space indent, trailing newline, the same
    /// text for the same engagement.
    fn to_json(&self) -> String {
        io::to_json_string(&self.inner)
    }

    /// The engagement as YAML text.
    fn to_yaml(&self) -> String {
        io::to_yaml_string(&self.inner)
    }

    /// Saves the engagement, as JSON or YAML by the path's extension. With no ``path``, writes
    /// back to the file it was loaded from (or last saved to).
    ///
    /// The save is atomic (a failed save leaves the old file as it was), writes through a
    /// symbolic link, keeps the file's permissions, and refuses an engagement that does not
    /// validate (``ValidationError``). Writing back to the file it came from, it refuses with
    /// ``ConflictError`` when that file changed since it was read, rather than overwrite
    /// someone else's answers. A YAML file's comments cannot be kept: the save refuses to drop
    /// them unless ``drop_yaml_comments=True``. Raises ``OSError`` when the file cannot be
    /// written.
    #[pyo3(signature = (path = None, *, drop_yaml_comments = false))]
    fn save(
        &mut self,
        py: Python<'_>,
        path: Option<PathBuf>,
        drop_yaml_comments: bool,
    ) -> PyResult<()> {
        let (target, expected) = match (path, &self.origin) {
            (Some(path), Some((origin, revision))) if same_file(&path, origin) => {
                (path, Some(*revision))
            }
            (Some(path), _) => (path, None),
            (None, Some((origin, revision))) => (origin.clone(), Some(*revision)),
            (None, None) => {
                return Err(PyValueError::new_err(
                    "the engagement was not loaded from a file: give `save` a path",
                ));
            }
        };
        let mut options = SaveOptions::default();
        if let Some(revision) = expected {
            options = options.expecting(revision);
        }
        if drop_yaml_comments {
            options = options.dropping_yaml_comments();
        }
        let inner = Arc::clone(&self.inner);
        let revision = py
            .detach(|| io::save_with(&inner, &target, &options))
            .map_err(|e| save_error(py, &e))?;
        self.origin = Some((target, revision));
        Ok(())
    }

    /// The file the engagement was loaded from or last saved to, if any.
    #[getter]
    fn path(&self) -> Option<String> {
        self.origin
            .as_ref()
            .map(|(p, _)| p.to_string_lossy().into_owned())
    }

    /// The revision (a fingerprint of the bytes) of that file when it was read or written.
    #[getter]
    fn revision(&self) -> Option<String> {
        self.origin.as_ref().map(|(_, r)| r.to_string())
    }

    /// An independent copy (which forgets the file it came from).
    fn copy(&self) -> Self {
        PyEngagement::new((*self.inner).clone())
    }

    fn __copy__(&self) -> Self {
        self.copy()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.copy()
    }

    /// Pickles as its dict, rebuilt through ``Engagement.from_dict`` without the meaning
    /// checks (the engagement may be a work in progress).
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let from_dict = slf.get_type().getattr("_from_dict_lenient")?;
        let data = slf.borrow().to_dict(py)?;
        Ok((from_dict, PyTuple::new(py, [data])?))
    }

    /// ``Engagement.from_dict(data, strict=False)``, for unpickling.
    #[staticmethod]
    fn _from_dict_lenient(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let value = to_value(data)?;
        let validation = py.detach(|| validate_value(&value));
        accept(py, validation, false).map(PyEngagement::new)
    }

    /// The engagement's stable identifier.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The engagement's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.name
    }

    /// What the engagement is about, if said.
    #[getter]
    fn description(&self) -> Option<&str> {
        self.inner.description.as_deref()
    }

    /// How deep the exercise goes: ``fast``, ``standard`` or ``high``.
    #[getter]
    fn assurance_level(&self) -> &'static str {
        self.inner.assurance_level.as_str()
    }

    /// The version of the engagement file format.
    #[getter]
    fn schema_version(&self) -> u32 {
        self.inner.schema_version
    }

    /// How many of each thing the engagement holds: ``elements``, ``flows``, ``boundaries``,
    /// ``participants``, ``interviews``, ``questions``, ``answered``, ``hints``, ``findings``
    /// and ``follow_ups``.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (what, n) in self.count_pairs() {
            dict.set_item(what, n)?;
        }
        Ok(dict)
    }

    /// The engagement's questions, in their stored order. Nothing is copied: each question
    /// becomes a dict when it is read.
    #[getter]
    fn questions(&self) -> PyQuestionList {
        PyQuestionList::stored(Arc::clone(&self.inner), None)
    }

    /// The question with this id, as a dict. Raises ``KeyError`` when there is none.
    fn question<'py>(&self, py: Python<'py>, id: &str) -> PyResult<Bound<'py, PyDict>> {
        let question = self
            .inner
            .question(id)
            .ok_or_else(|| PyKeyError::new_err(id.to_owned()))?;
        dicts::question(py, question)
    }

    /// Every problem with the engagement as it is now (``ValidationReport``).
    fn validate(&self, py: Python<'_>) -> crate::report::PyValidationReport {
        let inner = Arc::clone(&self.inner);
        crate::report::PyValidationReport {
            inner: py.detach(|| inner.validate()),
        }
    }

    /// Generates the questions to ask, in interview order: the question banks walk the
    /// component model from its external interactors. Nothing is written into the engagement:
    /// ``merge`` does that.
    ///
    /// ``banks`` adds question banks on top of the built-in one, in order: a path to a JSON or
    /// YAML bank file, a dict shaped like one, or a list of those; a bank that cannot be used
    /// raises ``BankError``. ``role`` keeps only the questions for that role (such as
    /// ``architect``; an unknown role is a ``ValueError`` naming the closest). Raises
    /// ``ValidationError`` when the engagement is not valid.
    #[pyo3(signature = (banks = None, *, role = None))]
    fn generate_questions(
        &self,
        py: Python<'_>,
        banks: Option<&Bound<'_, PyAny>>,
        role: Option<&str>,
    ) -> PyResult<PyQuestionList> {
        let role = role.map(|r| resolve_role(&self.inner, r)).transpose()?;
        let set = bank_set(py, banks)?;
        let inner = Arc::clone(&self.inner);
        let valid = self.valid;
        let generated = py.detach(|| {
            PyEngagement::checked(&inner, valid).map(|checked| Engine::new(set).generate(checked))
        });
        let generated = generated.map_err(|report| {
            invalid_report(
                py,
                "engagement (fix it before generating questions)",
                &report,
            )
        })?;
        let list = PyQuestionList::generated(generated, Arc::clone(&self.inner));
        Ok(match role {
            Some(role) => list.for_role(&role),
            None => list,
        })
    }

    /// Which question packs apply to this engagement, and why: dicts with ``id``, ``name``,
    /// ``active`` and ``reason`` (``{"kind": "called_for", "subject": ..., "matched": [...]}``,
    /// ``{"kind": "enabled_by_engagement"}``, ``{"kind": "disabled_by_engagement"}`` or
    /// ``{"kind": "not_called_for"}``). ``banks`` as for ``generate_questions``. Raises
    /// ``ValidationError`` when the engagement is not valid.
    #[pyo3(signature = (banks = None))]
    fn packs<'py>(
        &self,
        py: Python<'py>,
        banks: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let set = bank_set(py, banks)?;
        let inner = Arc::clone(&self.inner);
        let valid = self.valid;
        let uses = py.detach(|| {
            PyEngagement::checked(&inner, valid)
                .map(|checked| Engine::new(set).generate(checked).packs().to_vec())
        });
        let uses = uses.map_err(|report| invalid_report(py, "engagement", &report))?;
        to_python(py, &uses)
    }

    /// Asks a pack's questions whatever the model holds (``packs.enable`` in the file).
    fn enable_pack(&mut self, pack: &str) {
        let settings = &mut self.edit().packs;
        settings.disable.retain(|p| p != pack);
        if !settings.enable.iter().any(|p| p == pack) {
            settings.enable.push(pack.to_owned());
        }
    }

    /// Never asks a pack's questions (``packs.disable`` in the file).
    fn disable_pack(&mut self, pack: &str) {
        let settings = &mut self.edit().packs;
        settings.enable.retain(|p| p != pack);
        if !settings.disable.iter().any(|p| p == pack) {
            settings.disable.push(pack.to_owned());
        }
    }

    /// Forgets a choice made with ``enable_pack`` or ``disable_pack``: the model decides again.
    fn reset_pack(&mut self, pack: &str) {
        let settings = &mut self.edit().packs;
        settings.enable.retain(|p| p != pack);
        settings.disable.retain(|p| p != pack);
    }

    /// Writes generated questions into the engagement: new ones added, unanswered ones
    /// refreshed, answered ones untouched. Merging a whole generation also marks obsolete the
    /// generated questions it no longer holds (their subject left the model); merging a
    /// filtered list marks nothing obsolete. Returns what changed (a ``MergeReport``).
    fn merge<'py>(
        &mut self,
        py: Python<'py>,
        questions: &PyQuestionList,
    ) -> PyResult<Bound<'py, PyAny>> {
        let crate::questions::Source::Generated(generated) = &questions.source else {
            return Err(PyTypeError::new_err(
                "only generated questions can be merged; these are an engagement's own",
            ));
        };
        let generated = Arc::clone(generated);
        let whole = questions.is_whole_generation();
        let positions = questions.positions();
        let inner = self.edit();
        let report = py.detach(move || {
            if whole {
                generated.merge_into(inner)
            } else {
                let mut keep = vec![false; generated.len()];
                for p in positions {
                    keep[p] = true;
                }
                generated.merge_where(inner, |g| keep[g.index()])
            }
        });
        to_python(py, &report)
    }

    /// The coverage of the model by the engagement's questions, or by ``questions`` (such as a
    /// freshly generated list not merged yet): for every in-scope element and flow, which of
    /// its STRIDE categories were asked about, answered, or not surfaced at all.
    #[pyo3(signature = (questions = None))]
    fn coverage(&self, py: Python<'_>, questions: Option<&PyQuestionList>) -> PyCoverage {
        let inner = Arc::clone(&self.inner);
        let coverage = match questions {
            Some(list) => {
                let questions = py.detach(|| list.materialized());
                py.detach(|| Coverage::of_questions(&inner, &questions))
            }
            None => py.detach(|| Coverage::of(&inner)),
        };
        PyCoverage { inner: coverage }
    }

    /// Records the business stakeholders' calibration: ``weights`` maps STRIDE categories
    /// (``spoofing``... ``elevation_of_privilege``) to weights from 1 to 5; the categories not
    /// given keep theirs. ``provided_by`` is a participant id. The next ``plan()`` ranks by the
    /// new weights. Raises ``ValueError`` for an unknown category or a weight out of range and
    /// ``KeyError`` for an unknown participant, changing nothing.
    #[pyo3(signature = (weights, *, provided_by = None, notes = None))]
    fn record_calibration(
        &mut self,
        weights: std::collections::BTreeMap<String, i64>,
        provided_by: Option<String>,
        notes: Option<String>,
    ) -> PyResult<()> {
        let mut parsed = Vec::with_capacity(weights.len());
        for (name, weight) in &weights {
            let category = parse_name::<threat_interview::Stride>("STRIDE category", name)?;
            let weight = u8::try_from(*weight)
                .ok()
                .filter(|w| (1..=5).contains(w))
                .ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err(format!(
                        "the weight of {name} must be from 1 to 5, not {weight}"
                    ))
                })?;
            parsed.push((category, weight));
        }
        threat_interview::risk::record_calibration(
            self.edit(),
            &parsed,
            provided_by.as_deref(),
            notes.as_deref(),
        )
        .map_err(|e| match e {
            threat_interview::risk::CalibrationError::UnknownParticipant { id } => {
                PyKeyError::new_err(id)
            }
            other => pyo3::exceptions::PyValueError::new_err(other.to_string()),
        })
    }

    /// Plans interview agendas within their time boxes and writes them into the engagement.
    ///
    /// With no ``interview``, plans every planned interview in calendar order and returns an
    /// ``EngagementPlan``: ``interviews`` (one plan each: the ``agenda`` with each item's
    /// ``reason`` and ``score``, the ``if_time_permits`` tail, what was ``deferred``),
    /// ``did_not_fit`` (questions on no agenda: candidates for follow-ups) and ``gaps`` (pairs
    /// on no agenda). With an interview id, plans that one and returns its ``InterviewPlan``.
    /// Raises ``KeyError`` for an unknown interview.
    #[pyo3(signature = (interview = None))]
    fn plan<'py>(
        &mut self,
        py: Python<'py>,
        interview: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match interview {
            None => {
                let plan = plan_all(self.edit());
                to_python(py, &plan)
            }
            Some(id) => {
                let plan = plan_interview(self.edit(), id).map_err(|e| plan_error(py, &e))?;
                to_python(py, &plan)
            }
        }
    }

    /// The questions on an interview's agenda, in agenda order. Raises ``KeyError`` for an
    /// unknown interview.
    fn agenda(&self, interview: &str) -> PyResult<PyQuestionList> {
        let found = self
            .inner
            .interviews
            .iter()
            .find(|i| i.id == interview)
            .ok_or_else(|| PyKeyError::new_err(interview.to_owned()))?;
        let positions: std::collections::HashMap<&str, usize> = self
            .inner
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.as_str(), i))
            .collect();
        let picked = found
            .agenda
            .iter()
            .filter_map(|item| positions.get(item.question.as_str()).copied())
            .collect();
        Ok(PyQuestionList::stored(
            Arc::clone(&self.inner),
            Some(picked),
        ))
    }

    /// Records an answer to a question and marks it answered.
    ///
    /// ``by`` is the id of the participant who answered, ``at`` a date (``YYYY-MM-DD``) or an
    /// RFC 3339 date and time, ``via`` how the answer came (``interview``, ``follow_up``,
    /// ``document``, ``email``, ``chat``, ``other``) and ``reference`` the id of that
    /// interview, follow-up or document. Raises ``KeyError`` for an unknown question and
    /// ``ValidationError`` (keeping the engagement as it was) when the answer is not valid,
    /// such as an empty one or one by an unknown participant.
    // Each argument is a Python keyword argument.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (question_id, text, *, by = None, at = None, via = "interview", reference = None))]
    fn record_answer(
        &mut self,
        py: Python<'_>,
        question_id: &str,
        text: String,
        by: Option<String>,
        at: Option<String>,
        via: &str,
        reference: Option<String>,
    ) -> PyResult<()> {
        let via = parse_name::<AnswerChannel>("answer channel", via)?;
        let mut answer = Answer::new(text, via);
        answer.by = by;
        answer.at = at;
        answer.reference = reference;
        self.edit()
            .record_answer(question_id, answer)
            .map_err(|e| record_error(py, &e))
    }

    /// Records a hint: a possible weakness an interviewee revealed. ``hint`` is a dict shaped
    /// like an engagement file's ``hints`` items (``id`` and ``text`` at least). Raises
    /// ``ValidationError``, keeping the engagement as it was, when it is not valid there.
    fn add_hint(&mut self, py: Python<'_>, hint: &Bound<'_, PyAny>) -> PyResult<()> {
        let hint: Hint = item_from_dict(py, hint, "hints", self.inner.hints.len())?;
        self.edit().add_hint(hint).map_err(|e| record_error(py, &e))
    }

    /// Records a finding: a weakness with at least one attack step. ``finding`` is a dict
    /// shaped like an engagement file's ``findings`` items. Raises ``ValidationError``,
    /// keeping the engagement as it was, when it is not valid there.
    fn add_finding(&mut self, py: Python<'_>, finding: &Bound<'_, PyAny>) -> PyResult<()> {
        let finding: Finding = item_from_dict(py, finding, "findings", self.inner.findings.len())?;
        self.edit()
            .add_finding(finding)
            .map_err(|e| record_error(py, &e))
    }

    /// Records a follow-up: a question sent to a named participant after the interviews.
    /// ``follow_up`` is a dict shaped like an engagement file's ``follow_ups`` items. Raises
    /// ``ValidationError``, keeping the engagement as it was, when it is not valid there.
    fn add_follow_up(&mut self, py: Python<'_>, follow_up: &Bound<'_, PyAny>) -> PyResult<()> {
        let follow_up: FollowUp =
            item_from_dict(py, follow_up, "follow_ups", self.inner.follow_ups.len())?;
        self.edit()
            .add_follow_up(follow_up)
            .map_err(|e| record_error(py, &e))
    }

    /// Marks a question asked (during an interview, with no answer yet); a skipped question
    /// asked after all loses its skip reason. Raises ``KeyError`` for an unknown question and
    /// ``ValidationError`` for an answered one.
    fn mark_asked(&mut self, py: Python<'_>, question_id: &str) -> PyResult<()> {
        self.edit()
            .mark_asked(question_id)
            .map_err(|e| record_error(py, &e))
    }

    /// Marks a question skipped (deliberately not asked), with the reason. Raises
    /// ``KeyError`` for an unknown question and ``ValidationError`` for an empty reason or an
    /// answered question.
    fn skip_question(&mut self, py: Python<'_>, question_id: &str, reason: &str) -> PyResult<()> {
        self.edit()
            .skip_question(question_id, reason)
            .map_err(|e| record_error(py, &e))
    }

    /// Promotes an open hint to a finding. ``finding`` is a dict shaped like an engagement
    /// file's ``findings`` items (``id``, ``title`` and the ``attack_path``, a list of steps
    /// ``{"description": ..., "subject": ...}`` in order); it takes the hint's subjects and
    /// category when it has none. Raises ``ValidationError`` (``attack-path-empty``), changing
    /// nothing, when the attack path is missing or empty, and ``KeyError`` for an unknown hint.
    fn promote_hint(
        &mut self,
        py: Python<'_>,
        hint_id: &str,
        finding: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let finding = crate::recording::finding_from_dict(py, finding, self.inner.findings.len())?;
        self.edit()
            .promote_hint(hint_id, finding)
            .map_err(|e| record_error(py, &e))
    }

    /// Dismisses an open hint, with the rationale.
    fn dismiss_hint(&mut self, py: Python<'_>, hint_id: &str, rationale: &str) -> PyResult<()> {
        self.edit()
            .dismiss_hint(hint_id, rationale)
            .map_err(|e| record_error(py, &e))
    }

    /// Confirms a finding, with the rationale. Raises ``ValidationError`` for a finding
    /// without an attack path (``attack-path-empty``) or an empty rationale.
    fn confirm_finding(
        &mut self,
        py: Python<'_>,
        finding_id: &str,
        rationale: &str,
    ) -> PyResult<()> {
        self.edit()
            .confirm_finding(finding_id, rationale)
            .map_err(|e| record_error(py, &e))
    }

    /// Dismisses a finding, with the rationale.
    fn dismiss_finding(
        &mut self,
        py: Python<'_>,
        finding_id: &str,
        rationale: &str,
    ) -> PyResult<()> {
        self.edit()
            .dismiss_finding(finding_id, rationale)
            .map_err(|e| record_error(py, &e))
    }

    /// Marks a finding a quick win (``quick_win=False``: no longer one).
    #[pyo3(signature = (finding_id, quick_win = true))]
    fn set_quick_win(&mut self, py: Python<'_>, finding_id: &str, quick_win: bool) -> PyResult<()> {
        self.edit()
            .set_quick_win(finding_id, quick_win)
            .map_err(|e| record_error(py, &e))
    }

    /// Turns an open question into a follow-up to a participant (``to``, an id) and returns
    /// the follow-up's id (``fu-`` and the question's). ``asked_on`` and ``due`` are
    /// ``YYYY-MM-DD`` (``asked_on`` today, UTC, when absent); ``channel`` is ``email``,
    /// ``chat``, ``phone`` or ``other`` (the participant's contact channel when absent).
    /// Raises ``ValidationError`` for a question answered or skipped or already followed up,
    /// an unknown participant, or a bad date.
    #[pyo3(signature = (question_id, *, to, asked_on = None, due = None, channel = None))]
    fn follow_up_question(
        &mut self,
        py: Python<'_>,
        question_id: &str,
        to: String,
        asked_on: Option<String>,
        due: Option<String>,
        channel: Option<&str>,
    ) -> PyResult<String> {
        let request = crate::recording::request(to, asked_on, due, channel)?;
        self.edit()
            .follow_up_question(question_id, request)
            .map_err(|e| record_error(py, &e))
    }

    /// Turns an open hint into a follow-up to a participant; the same arguments as
    /// ``follow_up_question``.
    #[pyo3(signature = (hint_id, *, to, asked_on = None, due = None, channel = None))]
    fn follow_up_hint(
        &mut self,
        py: Python<'_>,
        hint_id: &str,
        to: String,
        asked_on: Option<String>,
        due: Option<String>,
        channel: Option<&str>,
    ) -> PyResult<String> {
        let request = crate::recording::request(to, asked_on, due, channel)?;
        self.edit()
            .follow_up_hint(hint_id, request)
            .map_err(|e| record_error(py, &e))
    }

    /// Records the answer to an open follow-up and closes it (``answered_on`` from ``at``, a
    /// date or an RFC 3339 date and time); when it continues a question, the answer is
    /// recorded on the question too, through the follow-up and by its assignee unless ``by``
    /// says otherwise. Raises ``KeyError`` for an unknown follow-up and ``ValidationError``
    /// for one already answered or cancelled.
    #[pyo3(signature = (follow_up_id, text, *, by = None, at = None))]
    fn answer_follow_up(
        &mut self,
        py: Python<'_>,
        follow_up_id: &str,
        text: String,
        by: Option<String>,
        at: Option<String>,
    ) -> PyResult<()> {
        let mut answer = Answer::new(text, AnswerChannel::FollowUp);
        answer.by = by;
        answer.at = at;
        self.edit()
            .answer_follow_up(follow_up_id, answer)
            .map_err(|e| record_error(py, &e))
    }

    /// The open follow-ups whose answer was due before ``on`` (``YYYY-MM-DD``), as dicts, in
    /// the engagement's order. Raises ``ValueError`` when ``on`` is not a date.
    fn overdue_follow_ups<'py>(&self, py: Python<'py>, on: &str) -> PyResult<Bound<'py, PyAny>> {
        let on = crate::recording::date("on", on)?;
        to_python(py, &self.inner.overdue_follow_ups(&on))
    }

    /// The hints, as dicts.
    #[getter]
    fn hints<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.hints)
    }

    /// The findings, as dicts.
    #[getter]
    fn findings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.findings)
    }

    /// The follow-ups, as dicts.
    #[getter]
    fn follow_ups<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.follow_ups)
    }

    /// What ``import_file`` could not map (or filled in), each placed in the foreign file:
    /// its JSON ``pointer`` there, ``line`` and ``column``. Empty for an engagement not
    /// imported.
    #[getter]
    fn import_warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyList>> {
        dicts::diagnostics(py, &self.import_warnings)
    }

    /// The engagement's model as an Open Threat Model 0.2 document (a dict, JSON-ready):
    /// boundaries as trust zones, elements as components, flows as data flows, with the
    /// kinds, properties, questions and coverage under each item's
    /// ``attributes["threat_interview"]``. ``json.dumps`` it to write an ``.otm.json`` file.
    fn to_otm<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let inner = Arc::clone(&self.inner);
        let otm = py.detach(|| threat_interview::import::to_otm(&inner));
        value_to_py(py, &otm)
    }

    /// Proposes a calendar from ``start`` (``YYYY-MM-DD``; a weekend starts on the Monday
    /// after), from the assurance level and the participants: a list of interview dicts, each
    /// with its ``day``, ``date``, ``start``, ``minutes``, ``roles``, ``participants`` and
    /// ``goals``, in calendar order. With ``apply=True`` they become the engagement's
    /// interviews, which is refused (``ValueError``) when it already has some, unless
    /// ``replace=True``: a calendar someone wrote is never overwritten silently.
    #[pyo3(signature = (start, *, apply = false, replace = false))]
    fn propose_calendar<'py>(
        &mut self,
        py: Python<'py>,
        start: &str,
        apply: bool,
        replace: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let date: jiff::civil::Date = start.parse().map_err(|_| {
            PyValueError::new_err(format!(
                "`{start}` is not a date: expected `YYYY-MM-DD`, such as `2026-12-04`"
            ))
        })?;
        let proposal = threat_interview::calendar::propose(&self.inner, date)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        if apply {
            let existing = self.inner.interviews.len();
            if existing > 0 && !replace {
                return Err(PyValueError::new_err(format!(
                    "the engagement already has {existing} interviews; pass `replace=True` to replace them with the proposal"
                )));
            }
            self.edit().interviews.clone_from(&proposal.interviews);
        }
        let dicts = proposal
            .interviews
            .iter()
            .map(|i| dicts::calendar_interview(py, i))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(pyo3::types::PyList::new(py, dicts)?.into_any())
    }

    /// How far the preparation has come: ``scope`` (counts in, out, assumptions),
    /// ``documents`` (counts by status), ``roles`` (each role the level interviews, or someone
    /// holds, with its ``participants``), ``calendar`` (interviews, minutes, days, first and
    /// last dates), ``calibrated``, ``effort`` (minutes of preparation, interviews and
    /// analysis, see ``docs/workflow.md``), ``ready`` and the ``warnings`` for what is missing.
    fn readiness<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = threat_interview::readiness::readiness(&self.inner);
        let value = to_python(py, &report)?;
        let dict = value.cast::<PyDict>()?;
        dict.set_item("warnings", dicts::diagnostics(py, &report.warnings)?)?;
        dict.set_item("ready", report.is_ready())?;
        let effort = dict.get_item("effort")?;
        if let Some(effort) = effort {
            effort.set_item("total_minutes", report.effort.total_minutes())?;
        }
        Ok(value)
    }

    /// The calendar as iCalendar text (RFC 5545): one event per interview, CRLF line ends,
    /// lines folded at 75 octets, the same text for the same engagement. Raises
    /// ``ValueError`` when an interview has no date (``propose_calendar(start, apply=True)``
    /// gives them) or a date or time that cannot be read.
    fn to_ics(&self) -> PyResult<String> {
        threat_interview::calendar::to_ics(&self.inner)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The interview guide, of one interview (``interview``, its id) or of the whole
    /// engagement: goals, participants, the agenda grouped by subject and STRIDE category in
    /// walk order with each question's rationale and follow-up prompts, room for notes, the
    /// coverage gaps. ``format`` is ``"md"`` (Markdown) or ``"html"`` (one self-contained
    /// file). The same text for the same engagement. Raises ``KeyError`` for an unknown
    /// interview, ``ValueError`` for an unknown format.
    #[pyo3(signature = (format = "md", interview = None))]
    fn guide(&self, format: &str, interview: Option<&str>) -> PyResult<String> {
        let rendered = match format {
            "md" => threat_interview::guide::to_markdown(&self.inner, interview),
            "html" => threat_interview::guide::to_html(&self.inner, interview),
            other => {
                return Err(PyValueError::new_err(format!(
                    "unknown guide format `{other}`; expected `md` or `html`"
                )));
            }
        };
        rendered.map_err(|e| PyKeyError::new_err(e.to_string()))
    }

    /// The questions and answers as CSV text (RFC 4180, CRLF line ends), one row per
    /// question: ``id``, ``subjects``, ``category``, ``role``, ``text``, ``status``,
    /// ``answer``, ``answered_by``, ``answered_on``. The same text for the same engagement.
    fn to_csv(&self) -> String {
        threat_interview::sheet::to_csv(&self.inner)
    }

    /// Adds the answers filled in the ``answer`` column of a CSV that ``to_csv`` wrote to
    /// their questions, all together or none; returns the ids of the questions answered.
    /// ``source`` is the CSV: a ``pathlib.Path`` (or any path object) is read, a ``str`` is
    /// the CSV text itself when it holds a line break and a path otherwise. ``by`` and ``at``
    /// stand for the rows whose ``answered_by`` and ``answered_on`` are empty. Raises
    /// ``ValidationError`` (the engagement kept as it was) listing every refused row, each
    /// with its ``line``: an unknown id, a question already answered, a question answered
    /// twice, an unknown participant, a date that is not one.
    #[pyo3(signature = (source, *, by = None, at = None))]
    fn import_answers(
        &mut self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        by: Option<String>,
        at: Option<String>,
    ) -> PyResult<Vec<String>> {
        let text = match source.extract::<String>() {
            Ok(text) if text.contains('\n') => text.into_bytes(),
            _ => {
                let path: PathBuf = source.extract()?;
                threat_interview::source::read_file(
                    &path,
                    &threat_interview::source::Limits::default(),
                )
                .map_err(|e| crate::errors::read_error(py, &e))?
            }
        };
        let defaults = threat_interview::sheet::ImportDefaults::new(by, at);
        let mut updated = (*self.inner).clone();
        let imported = threat_interview::sheet::import_answers(&mut updated, &text, &defaults)
            .map_err(|report| invalid_report(py, "the answers CSV", &report))?;
        if !imported.is_empty() {
            *self.edit() = updated;
        }
        Ok(imported.into_iter().map(|row| row.question).collect())
    }

    /// The component graph as a Mermaid flowchart: trust boundaries as nested subgraphs,
    /// flows crossing a boundary drawn thick, elements and flows shaded by coverage; every
    /// name escaped. The same text for the same engagement.
    fn to_mermaid(&self) -> String {
        threat_interview::diagram::to_mermaid(&self.inner)
    }

    /// The component graph as Graphviz DOT: trust boundaries as nested clusters, flows
    /// crossing a boundary drawn thick, elements and flows shaded by coverage; every id and
    /// name escaped. The same text for the same engagement.
    fn to_dot(&self) -> String {
        threat_interview::diagram::to_dot(&self.inner)
    }

    /// The findings and roadmap report in Markdown: quick wins first, then the other
    /// findings by severity, each with its attack path; dismissed findings with their
    /// rationale, the hints not yet analysed, the coverage gaps.
    fn roadmap(&self) -> String {
        threat_interview::guide::roadmap(&self.inner)
    }

    /// The extensions of the engagement (other tools' data), or ``None``.
    #[getter]
    fn extensions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.inner.extensions {
            None => Ok(py.None().into_bound(py)),
            Some(map) => value_to_py(py, &serde_json::Value::Object(map.clone())),
        }
    }

    fn __repr__(&self) -> String {
        let e = &self.inner;
        format!(
            "<Engagement id={:?} name={:?} assurance_level={} elements={} flows={} questions={}>",
            e.id,
            e.name,
            e.assurance_level.as_str(),
            e.model.elements.len(),
            e.model.flows.len(),
            e.questions.len()
        )
    }

    /// A compact HTML summary, for notebooks.
    fn _repr_html_(&self) -> String {
        let e = &self.inner;
        let mut rows = vec![
            vec!["id".to_owned(), e.id.clone()],
            vec![
                "assurance level".to_owned(),
                e.assurance_level.as_str().to_owned(),
            ],
        ];
        rows.extend(
            self.count_pairs()
                .into_iter()
                .map(|(what, n)| vec![what.replace('_', "-"), n.to_string()]),
        );
        let total = rows.len();
        html::table(&e.name, &["", ""], rows, total)
    }
}

/// Whether two paths name the same file (after resolving links), or are equal as written.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Loads a file into an engagement that remembers it, for `load`.
pub(crate) fn load_file(py: Python<'_>, path: PathBuf, strict: bool) -> PyResult<PyEngagement> {
    let options = LoadOptions::default();
    if strict {
        let loaded = py
            .detach(|| io::load_with(&path, &options))
            .map_err(|e| load_error(py, &e))?;
        return Ok(PyEngagement::loaded(
            loaded.engagement,
            path,
            loaded.revision,
            true,
        ));
    }
    let bytes = py
        .detach(|| threat_interview::source::read_file(&path, &options.limits))
        .map_err(|e| crate::errors::read_error(py, &e))?;
    let format = threat_interview::source::Format::from_path(&path);
    let validation =
        py.detach(|| threat_interview::validate::validate_slice(&bytes, format, &options));
    let engagement = accept(py, validation, false)?;
    Ok(PyEngagement::loaded(
        engagement,
        path,
        Revision::of(&bytes),
        false,
    ))
}
