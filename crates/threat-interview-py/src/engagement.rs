//! The `Engagement` class: a handle on a core engagement.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use serde::de::DeserializeOwned;
use serde_json::Value;
use threat_interview::coverage::Coverage;
use threat_interview::engine::merge;
use threat_interview::plan::{PlanError, plan_all, plan_interview};
use threat_interview::validate::{Diagnostic, Validation, validate_value};
use threat_interview::{
    Answer, AnswerChannel, AssuranceLevel, Engagement, Finding, FollowUp, Hint, RecordError, io,
};

use crate::banks::bank_set;
use crate::convert::{parse_name, to_python, to_value};
use crate::coverage::PyCoverage;
use crate::errors::{chain, invalid_report, plain_error, save_error, validation_error};
use crate::html;
use crate::questions::{GeneratedQuestions, PyQuestionList};

/// One threat-modeling exercise: its scope, people, calendar, component model, questions and
/// answers, hints, findings and follow-ups.
///
/// Build one with ``load``, ``loads``, ``Engagement.from_dict`` or
/// ``Engagement(id, name, assurance_level)``. Two engagements are equal when their data is.
#[pyclass(module = "threat_interview._native", name = "Engagement", eq)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PyEngagement {
    /// Shared with the question lists generated from it, which read it lazily; an edit while
    /// such a list is alive copies it first (copy on write), so the list keeps what it read.
    pub(crate) inner: Arc<Engagement>,
}

impl PyEngagement {
    pub(crate) fn new(inner: Engagement) -> Self {
        PyEngagement {
            inner: Arc::new(inner),
        }
    }

    /// The engagement, for an edit.
    fn edit(&mut self) -> &mut Engagement {
        Arc::make_mut(&mut self.inner)
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
        _ => Err(invalid_report(py, &validation.report)),
    }
}

/// A core refusal as a Python error: an unknown question is a `KeyError`, an invalid change a
/// `ValidationError` listing every problem.
fn record_error(py: Python<'_>, error: &RecordError) -> PyErr {
    match error {
        RecordError::UnknownQuestion { id } => PyKeyError::new_err(id.clone()),
        RecordError::Invalid { what, errors } => validation_error(py, what, errors),
        other => plain_error(py, "ThreatInterviewError", chain(other)),
    }
}

/// An item given as a dict, shaped like the engagement file's items of `field`.
fn item_from_dict<T: DeserializeOwned>(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    field: &str,
    next_index: usize,
) -> PyResult<T> {
    serde_json::from_value(to_value(data)?).map_err(|e| {
        validation_error(
            py,
            "the edit",
            &[Diagnostic::error(
                "invalid-structure",
                format!("/{field}/{next_index}"),
                e.to_string(),
            )],
        )
    })
}

fn plan_error(py: Python<'_>, error: &PlanError) -> PyErr {
    match error {
        PlanError::UnknownInterview { id } => PyKeyError::new_err(id.clone()),
        other => plain_error(py, "ThreatInterviewError", chain(other)),
    }
}

/// An assurance level from its name in files: `fast`, `standard` or `high`.
fn assurance_level(name: &str) -> PyResult<AssuranceLevel> {
    serde_json::from_value(Value::String(name.to_owned())).map_err(|_| {
        PyValueError::new_err(format!(
            "unknown assurance level `{name}`: expected `fast`, `standard` or `high`"
        ))
    })
}

#[pymethods]
impl PyEngagement {
    /// A new, empty engagement.
    #[new]
    #[pyo3(signature = (id, name, assurance_level = "standard"))]
    fn py_new(id: String, name: String, assurance_level: &str) -> PyResult<Self> {
        Ok(PyEngagement::new(Engagement::new(
            id,
            name,
            self::assurance_level(assurance_level)?,
        )))
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
    fn to_yaml(&self, py: Python<'_>) -> PyResult<String> {
        io::to_yaml_string(&self.inner).map_err(|e| save_error(py, &e))
    }

    /// Saves the engagement atomically, as JSON or YAML by the path's extension (``.yaml``,
    /// ``.yml``): a failed save leaves the old file as it was. Raises ``OSError`` when the
    /// file cannot be written.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        py.detach(|| io::save(&self.inner, &path))
            .map_err(|e| save_error(py, &e))
    }

    /// An independent copy.
    fn copy(&self) -> Self {
        self.clone()
    }

    fn __copy__(&self) -> Self {
        self.clone()
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.clone()
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

    /// The engagement's questions, in their stored order.
    #[getter]
    fn questions(&self) -> PyQuestionList {
        PyQuestionList::new(self.inner.questions.clone())
    }

    /// Generates the questions to ask, in interview order: the built-in question bank walks the
    /// component model from its external interactors.
    ///
    /// ``banks`` adds question banks on top of the built-in one, in order: a path to a JSON or
    /// YAML bank file, a dict shaped like one, or a list of those; a bank that cannot be used
    /// raises ``BankError``. ``role`` keeps only the questions for that role (such as
    /// ``architect``). ``write=True`` merges every generated question into the engagement
    /// (answers are never lost; questions no longer generated are marked obsolete) and
    /// records what changed in the list's ``merge_report``.
    #[pyo3(signature = (banks = None, *, role = None, write = false))]
    fn generate_questions(
        &mut self,
        py: Python<'_>,
        banks: Option<&Bound<'_, PyAny>>,
        role: Option<&str>,
        write: bool,
    ) -> PyResult<PyQuestionList> {
        let set = bank_set(py, banks)?;
        let generated = {
            let engagement = Arc::clone(&self.inner);
            py.detach(|| GeneratedQuestions::new(engagement, set))
        };
        if write {
            let all = py.detach(|| generated.questions());
            let inner = self.edit();
            let report = py.detach(|| merge(inner, all.clone()));
            let mut list = PyQuestionList::new(all);
            if let Some(role) = role {
                list = list.retain_role(role);
            }
            list.merge = Some(report);
            return Ok(list);
        }
        Ok(match role {
            Some(role) => PyQuestionList::new(py.detach(|| generated.questions_for_role(role))),
            None => PyQuestionList::lazy(generated),
        })
    }

    /// The coverage of the model by the engagement's questions, or by ``questions`` (such as a
    /// freshly generated list not written yet): for every in-scope element and flow, which of
    /// its STRIDE categories were asked about, answered, or not surfaced at all.
    #[pyo3(signature = (questions = None))]
    fn coverage(&self, py: Python<'_>, questions: Option<&PyQuestionList>) -> PyCoverage {
        let inner: &Engagement = &self.inner;
        let coverage = match questions {
            Some(list) => {
                let questions = list.materialized();
                py.detach(|| Coverage::of_questions(inner, questions))
            }
            None => py.detach(|| Coverage::of(inner)),
        };
        PyCoverage { inner: coverage }
    }

    /// Plans interview agendas within their time boxes, highest-scoring open questions first
    /// (priority times the business calibration of their STRIDE category), and writes them
    /// into the engagement.
    ///
    /// With no ``interview``, plans every planned interview in calendar order and returns a
    /// dict with ``interviews`` (one plan each) and ``did_not_fit`` (questions on no agenda:
    /// candidates for follow-ups). With an interview id, plans that one and returns its plan:
    /// ``interview``, ``agenda``, ``minutes_used``, ``minutes_available`` and ``deferred``.
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
        let questions = found
            .agenda
            .iter()
            .filter_map(|item| self.inner.question(&item.question).cloned())
            .collect();
        Ok(PyQuestionList::new(questions))
    }

    /// Records an answer to a question and marks it answered.
    ///
    /// ``by`` is the id of the participant who answered, ``at`` a date (``YYYY-MM-DD``) or an
    /// RFC 3339 date and time, ``via`` how the answer came (``interview``, ``follow_up``,
    /// ``document``, ``email``, ``chat``, ``other``) and ``reference`` the id of that
    /// interview, follow-up or document. Raises ``KeyError`` for an unknown question and
    /// ``ValidationError`` (keeping the engagement as it was) when the answer is not valid,
    /// such as one by an unknown participant.
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
        let via: AnswerChannel = parse_name(
            "answer channel",
            via,
            "`interview`, `follow_up`, `document`, `email`, `chat` or `other`",
        )?;
        if text.is_empty() {
            return Err(PyValueError::new_err("an answer needs a text"));
        }
        let answer = Answer {
            text,
            by,
            at,
            via,
            reference,
            extensions: None,
        };
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
