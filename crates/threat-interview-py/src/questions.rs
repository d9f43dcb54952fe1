//! The `QuestionList` class: questions as a read-only sequence of dicts.

use std::sync::{Arc, OnceLock};

use pyo3::exceptions::{PyIndexError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySlice};
use threat_interview::bank::BankSet;
use threat_interview::engine::{Generated, MergeReport, generate};
use threat_interview::{Engagement, Question, QuestionStatus, Stride};

use crate::convert::{name_of, parse_name, to_python};
use crate::html;

/// What a generation reads: the engagement as it was, and the banks.
struct Snapshot {
    engagement: Arc<Engagement>,
    banks: BankSet,
}

self_cell::self_cell!(
    struct GeneratedCell {
        owner: Snapshot,
        #[covariant]
        dependent: Generated,
    }
);

/// The core's compact generation result kept with what it borrows: questions are rendered
/// only when read, as `Generated` does in Rust.
pub(crate) struct GeneratedQuestions(GeneratedCell);

impl std::fmt::Debug for GeneratedQuestions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GeneratedQuestions({})", self.len())
    }
}

impl GeneratedQuestions {
    /// Generates the questions the banks ask about the engagement.
    pub(crate) fn new(engagement: Arc<Engagement>, banks: BankSet) -> Self {
        GeneratedQuestions(GeneratedCell::new(Snapshot { engagement, banks }, |s| {
            generate(&s.engagement, &s.banks)
        }))
    }

    fn generated(&self) -> &Generated<'_> {
        self.0.borrow_dependent()
    }

    fn len(&self) -> usize {
        self.generated().len()
    }

    /// Every question, rendered.
    pub(crate) fn questions(&self) -> Vec<Question> {
        self.generated().questions()
    }

    /// The questions for one role, rendered; the others are never rendered.
    pub(crate) fn questions_for_role(&self, role: &str) -> Vec<Question> {
        self.generated()
            .iter()
            .filter(|q| q.role().as_str() == role)
            .map(|q| q.to_question())
            .collect()
    }

    fn question(&self, index: usize) -> Option<Question> {
        self.generated().iter().nth(index).map(|q| q.to_question())
    }

    fn ids(&self) -> Vec<String> {
        self.generated().iter().map(|q| q.id()).collect()
    }

    fn minutes(&self) -> u64 {
        self.generated()
            .iter()
            .map(|q| u64::from(q.template().minutes))
            .sum()
    }
}

/// Questions, in interview (or agenda) order: a read-only sequence of dicts shaped like the
/// ``questions`` of an engagement file.
///
/// ``to_records()`` gives flat dicts for ``pandas.DataFrame``; in a notebook the list shows as
/// a table. A freshly generated list renders its questions only when they are read, and
/// turns each into a dict only when it is read.
#[pyclass(
    module = "threat_interview._native",
    name = "QuestionList",
    frozen,
    sequence
)]
#[derive(Debug, Default)]
pub(crate) struct PyQuestionList {
    /// The generation the list reads from, when it is a fresh one.
    generated: Option<GeneratedQuestions>,
    /// The questions, rendered (at once for other lists, on first need for generated ones).
    rendered: OnceLock<Vec<Question>>,
    /// What writing the questions into the engagement changed, when they were written.
    pub(crate) merge: Option<MergeReport>,
}

impl PyQuestionList {
    /// A list of questions already rendered.
    pub(crate) fn new(questions: Vec<Question>) -> Self {
        PyQuestionList {
            generated: None,
            rendered: OnceLock::from(questions),
            merge: None,
        }
    }

    /// A list that renders the generated questions when they are read.
    pub(crate) fn lazy(generated: GeneratedQuestions) -> Self {
        PyQuestionList {
            generated: Some(generated),
            rendered: OnceLock::new(),
            merge: None,
        }
    }

    /// Every question, rendered (once).
    pub(crate) fn materialized(&self) -> &[Question] {
        self.rendered.get_or_init(|| {
            self.generated
                .as_ref()
                .map(GeneratedQuestions::questions)
                .unwrap_or_default()
        })
    }

    /// The questions for one role.
    pub(crate) fn retain_role(self, role: &str) -> Self {
        let kept = self
            .materialized()
            .iter()
            .filter(|q| q.role.as_str() == role)
            .cloned()
            .collect();
        PyQuestionList::new(kept)
    }

    fn len(&self) -> usize {
        match (self.rendered.get(), &self.generated) {
            (Some(questions), _) => questions.len(),
            (None, Some(generated)) => generated.len(),
            (None, None) => 0,
        }
    }

    fn minutes(&self) -> u64 {
        match (self.rendered.get(), &self.generated) {
            (None, Some(generated)) => generated.minutes(),
            _ => self
                .materialized()
                .iter()
                .map(|q| u64::from(q.minutes))
                .sum(),
        }
    }

    /// The question at `index` (in range), rendering only that one when the list is lazy.
    fn question(&self, index: usize) -> Option<Question> {
        match (self.rendered.get(), &self.generated) {
            (None, Some(generated)) => generated.question(index),
            _ => self.materialized().get(index).cloned(),
        }
    }
}

pub(crate) const STRIDE_NAMES: &str = "`spoofing`, `tampering`, `repudiation`, \
    `information_disclosure`, `denial_of_service` or `elevation_of_privilege`";
const STATUS_NAMES: &str = "`open`, `asked`, `answered` or `skipped`";

/// The text of a STRIDE category as written in files, such as `information_disclosure`.
fn category_name(category: Option<Stride>) -> Option<&'static str> {
    category.map(Stride::as_str)
}

fn record<'py>(py: Python<'py>, q: &Question) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("id", &q.id)?;
    dict.set_item("text", &q.text)?;
    dict.set_item("category", category_name(q.category))?;
    dict.set_item("subjects", q.subjects.join(", "))?;
    dict.set_item("role", q.role.as_str())?;
    dict.set_item("priority", q.priority)?;
    dict.set_item("minutes", q.minutes)?;
    dict.set_item("status", name_of(&q.status))?;
    dict.set_item("obsolete", q.obsolete)?;
    dict.set_item("answers", q.answers.len())?;
    dict.set_item("last_answer", q.answers.last().map(|a| a.text.as_str()))?;
    dict.set_item("rationale", q.rationale.as_deref())?;
    dict.set_item(
        "template",
        q.provenance.as_ref().map(|p| p.template.as_str()),
    )?;
    dict.set_item("bank", q.provenance.as_ref().map(|p| p.bank.as_str()))?;
    Ok(dict)
}

#[pymethods]
impl PyQuestionList {
    fn __len__(&self) -> usize {
        self.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        index: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Ok(slice) = index.cast::<PySlice>() {
            let questions = self.materialized();
            let indices = slice.indices(isize::try_from(questions.len())?)?;
            let mut picked = Vec::new();
            let mut i = indices.start;
            for _ in 0..indices.slicelength {
                picked.push(questions[usize::try_from(i)?].clone());
                i += indices.step;
            }
            return Ok(Bound::new(py, PyQuestionList::new(picked))?.into_any());
        }
        let Ok(i) = index.extract::<isize>() else {
            return Err(PyTypeError::new_err(
                "question list indices must be integers or slices",
            ));
        };
        let len = isize::try_from(self.len())?;
        let at = if i < 0 { i + len } else { i };
        let question = usize::try_from(at)
            .ok()
            .filter(|_| at < len)
            .and_then(|at| self.question(at))
            .ok_or_else(|| PyIndexError::new_err("question index out of range"))?;
        to_python(py, &question)
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.to_list(py)?.try_iter()?.into_any())
    }

    /// The questions as dicts shaped like an engagement file's ``questions``.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .materialized()
            .iter()
            .map(|q| to_python(py, q))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The questions as flat dicts ``pandas.DataFrame`` takes as they are: ``id``, ``text``,
    /// ``category``, ``subjects`` (comma-separated), ``role``, ``priority``, ``minutes``,
    /// ``status``, ``obsolete``, ``answers`` (how many), ``last_answer``, ``rationale``,
    /// ``template`` and ``bank``.
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .materialized()
            .iter()
            .map(|q| record(py, q))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The question ids, in order.
    fn ids(&self) -> Vec<String> {
        match (self.rendered.get(), &self.generated) {
            (None, Some(generated)) => generated.ids(),
            _ => self.materialized().iter().map(|q| q.id.clone()).collect(),
        }
    }

    /// The questions that match every filter given: the role that answers them (such as
    /// ``architect``), their STRIDE category (such as ``spoofing``), their status (``open``,
    /// ``asked``, ``answered``, ``skipped``) and a subject id they are about.
    #[pyo3(signature = (*, role = None, category = None, status = None, subject = None))]
    fn filter(
        &self,
        role: Option<&str>,
        category: Option<&str>,
        status: Option<&str>,
        subject: Option<&str>,
    ) -> PyResult<Self> {
        let category = category
            .map(|c| parse_name::<Stride>("STRIDE category", c, STRIDE_NAMES))
            .transpose()?;
        let status = status
            .map(|s| parse_name::<QuestionStatus>("question status", s, STATUS_NAMES))
            .transpose()?;
        let mut picked = Vec::new();
        for q in self.materialized() {
            if role.is_some_and(|r| q.role.as_str() != r)
                || category.is_some_and(|c| q.category != Some(c))
                || status.is_some_and(|s| q.status != s)
                || subject.is_some_and(|s| !q.subjects.iter().any(|x| x == s))
            {
                continue;
            }
            picked.push(q.clone());
        }
        Ok(PyQuestionList::new(picked))
    }

    /// When the questions were written into the engagement (``write=True``), what that
    /// changed: the ids ``added``, ``refreshed``, ``obsoleted``, ``revived`` and
    /// ``kept_answered``; otherwise ``None``.
    #[getter]
    fn merge_report<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.merge.as_ref().map(|m| to_python(py, m)).transpose()
    }

    fn __repr__(&self) -> String {
        format!(
            "<QuestionList {} questions, {} minutes>",
            self.len(),
            self.minutes()
        )
    }

    /// The questions as an HTML table, for notebooks.
    fn _repr_html_(&self) -> String {
        let caption = format!("{} questions, {} minutes", self.len(), self.minutes());
        let shown: Vec<Question> = (0..self.len().min(html::MAX_ROWS))
            .filter_map(|i| self.question(i))
            .collect();
        let rows = shown.iter().map(|q| {
            vec![
                q.id.clone(),
                q.role.as_str().to_owned(),
                category_name(q.category).unwrap_or("").to_owned(),
                q.priority.to_string(),
                q.minutes.to_string(),
                q.text.clone(),
            ]
        });
        html::table(
            &caption,
            &["id", "role", "category", "priority", "minutes", "text"],
            rows,
            self.len(),
        )
    }
}
