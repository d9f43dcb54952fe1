//! The `QuestionList` class: questions as a read-only sequence of dicts, read on demand.

use std::sync::Arc;

use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PySlice};
use threat_interview::engine::Questions;
use threat_interview::{Engagement, Question, QuestionStatus, Role, Stride};

use crate::convert::parse_name;
use crate::{dicts, html};

/// Where a list's questions come from. Neither is copied: a generation is owned by the list, an
/// engagement's questions are a snapshot shared with it (an edit of the engagement copies it
/// first, so the list keeps what it read).
#[derive(Debug, Clone)]
pub(crate) enum Source {
    /// A generation, rendered when read.
    Generated(Arc<Questions>),
    /// The questions stored in an engagement.
    Stored(Arc<Engagement>),
}

/// Questions, in interview (or agenda) order: a read-only sequence of
/// ``threat_interview.types.Question`` dicts.
///
/// A freshly generated list renders each question only when it is read. ``filter`` narrows it
/// without copying; ``Engagement.merge`` writes a generated list into the engagement. In a
/// notebook the list shows as a table.
#[pyclass(
    module = "threat_interview._native",
    name = "QuestionList",
    frozen,
    sequence
)]
#[derive(Debug, Clone)]
pub(crate) struct PyQuestionList {
    pub(crate) source: Source,
    /// The positions picked by a filter or a slice, in order; `None` for every question.
    pub(crate) picked: Option<Arc<[usize]>>,
    /// The engagement the list is about, for role names.
    pub(crate) engagement: Arc<Engagement>,
}

impl PyQuestionList {
    /// Every question of a generation.
    pub(crate) fn generated(questions: Questions, engagement: Arc<Engagement>) -> Self {
        PyQuestionList {
            source: Source::Generated(Arc::new(questions)),
            picked: None,
            engagement,
        }
    }

    /// Questions stored in an engagement, at these positions (all of them for `None`).
    pub(crate) fn stored(engagement: Arc<Engagement>, picked: Option<Vec<usize>>) -> Self {
        PyQuestionList {
            source: Source::Stored(Arc::clone(&engagement)),
            picked: picked.map(Arc::from),
            engagement,
        }
    }

    fn total(&self) -> usize {
        match &self.source {
            Source::Generated(q) => q.len(),
            Source::Stored(e) => e.questions.len(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.picked
            .as_ref()
            .map_or_else(|| self.total(), |p| p.len())
    }

    /// The source position of the list's `i`-th question.
    fn position(&self, i: usize) -> usize {
        self.picked.as_ref().map_or(i, |p| p[i])
    }

    /// The source positions, in order.
    pub(crate) fn positions(&self) -> Vec<usize> {
        (0..self.len()).map(|i| self.position(i)).collect()
    }

    /// The list's `i`-th question (in range), rendered or copied.
    pub(crate) fn question(&self, i: usize) -> Option<Question> {
        let at = self.position(i);
        match &self.source {
            Source::Generated(q) => q.get(at).map(|g| g.to_question()),
            Source::Stored(e) => e.questions.get(at).cloned(),
        }
    }

    /// Every question of the list, rendered or copied.
    pub(crate) fn materialized(&self) -> Vec<Question> {
        match (&self.source, &self.picked) {
            (Source::Generated(q), None) => q.to_questions(),
            (Source::Generated(q), Some(picked)) => {
                let mut keep = vec![false; q.len()];
                for &p in picked.iter() {
                    keep[p] = true;
                }
                q.to_questions_where(|g| keep[g.index()])
            }
            (Source::Stored(e), None) => e.questions.clone(),
            (Source::Stored(e), Some(picked)) => picked
                .iter()
                .filter_map(|&p| e.questions.get(p).cloned())
                .collect(),
        }
    }

    fn narrowed(&self, picked: Vec<usize>) -> Self {
        PyQuestionList {
            source: self.source.clone(),
            picked: Some(Arc::from(picked)),
            engagement: Arc::clone(&self.engagement),
        }
    }

    /// What a filter reads of the question at a source position.
    fn facts(&self, at: usize) -> (Role, Option<Stride>, QuestionStatus, Vec<String>, u32) {
        match &self.source {
            Source::Generated(q) => {
                let Some(g) = q.get(at) else {
                    return (Role::Architect, None, QuestionStatus::Open, Vec::new(), 0);
                };
                (
                    g.role().clone(),
                    g.category(),
                    g.status(),
                    g.subject_ids().into_iter().map(str::to_owned).collect(),
                    g.minutes(),
                )
            }
            Source::Stored(e) => {
                let q = &e.questions[at];
                (
                    q.role.clone(),
                    q.category,
                    q.status,
                    q.subjects.clone(),
                    q.minutes,
                )
            }
        }
    }

    fn minutes(&self) -> u64 {
        (0..self.len())
            .map(|i| u64::from(self.facts(self.position(i)).4))
            .sum()
    }

    /// Whether the list is a whole generation: merging it may mark questions obsolete.
    pub(crate) fn is_whole_generation(&self) -> bool {
        matches!(self.source, Source::Generated(_)) && self.picked.is_none()
    }

    /// The list keeping only the questions routed to a role.
    pub(crate) fn for_role(&self, role: &Role) -> Self {
        let picked = (0..self.len())
            .map(|i| self.position(i))
            .filter(|&at| self.facts(at).0 == *role)
            .collect();
        self.narrowed(picked)
    }
}

/// A role name from Python: a role of the engagement, or a `ValueError` with the closest one.
pub(crate) fn resolve_role(engagement: &Engagement, name: &str) -> PyResult<Role> {
    Role::resolve(engagement, name).map_err(|e| PyValueError::new_err(e.to_string()))
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
            let indices = slice.indices(isize::try_from(self.len())?)?;
            let mut picked = Vec::new();
            let mut i = indices.start;
            for _ in 0..indices.slicelength {
                picked.push(self.position(usize::try_from(i)?));
                i += indices.step;
            }
            return Ok(Bound::new(py, self.narrowed(picked))?.into_any());
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
        Ok(dicts::question(py, &question)?.into_any())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.to_list(py)?.try_iter()?.into_any())
    }

    /// The questions as ``threat_interview.types.Question`` dicts.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        if let (Source::Generated(generated), None) = (&self.source, &self.picked) {
            // Each question rendered and converted in turn: the rendered questions are never
            // all held at once (memory first touched costs more than the rendering).
            return dicts::without_gc(py, || {
                let mut strings = dicts::Strings::new(py);
                let items = generated
                    .rendered()
                    .map(|q| dicts::question_with(&q, &mut strings))
                    .collect::<PyResult<Vec<_>>>()?;
                PyList::new(py, items)
            });
        }
        let questions = py.detach(|| self.materialized());
        dicts::without_gc(py, || {
            let mut strings = dicts::Strings::new(py);
            let items = questions
                .iter()
                .map(|q| dicts::question_with(q, &mut strings))
                .collect::<PyResult<Vec<_>>>()?;
            PyList::new(py, items)
        })
    }

    /// The questions as rows for ``pandas.DataFrame``: the same dicts as ``to_list`` (one
    /// question shape everywhere; lists stay lists).
    fn to_records<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.to_list(py)
    }

    /// The question ids, in order.
    fn ids(&self) -> Vec<String> {
        (0..self.len())
            .map(|i| {
                let at = self.position(i);
                match &self.source {
                    Source::Generated(q) => q.get(at).map(|g| g.id()).unwrap_or_default(),
                    Source::Stored(e) => e.questions[at].id.clone(),
                }
            })
            .collect()
    }

    /// The minutes of every question in the list.
    #[getter]
    fn total_minutes(&self) -> u64 {
        self.minutes()
    }

    /// The questions that match every filter given: the role that answers them (such as
    /// ``architect``), their STRIDE category (such as ``spoofing``), their status (``open``,
    /// ``asked``, ``answered``, ``skipped``) and a subject id they are about. An unknown role,
    /// category or status is a ``ValueError`` naming the closest.
    #[pyo3(signature = (*, role = None, category = None, status = None, subject = None))]
    fn filter(
        &self,
        role: Option<&str>,
        category: Option<&str>,
        status: Option<&str>,
        subject: Option<&str>,
    ) -> PyResult<Self> {
        let role = role
            .map(|r| resolve_role(&self.engagement, r))
            .transpose()?;
        let category = category
            .map(|c| parse_name::<Stride>("STRIDE category", c))
            .transpose()?;
        let status = status
            .map(|s| parse_name::<QuestionStatus>("question status", s))
            .transpose()?;
        let picked = (0..self.len())
            .map(|i| self.position(i))
            .filter(|&at| {
                let (r, c, s, subjects, _) = self.facts(at);
                role.as_ref().is_none_or(|x| *x == r)
                    && category.is_none_or(|x| c == Some(x))
                    && status.is_none_or(|x| s == x)
                    && subject.is_none_or(|x| subjects.iter().any(|s| s == x))
            })
            .collect();
        Ok(self.narrowed(picked))
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
                q.category.map_or("", Stride::as_str).to_owned(),
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
