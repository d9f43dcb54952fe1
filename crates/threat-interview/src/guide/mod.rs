//! The interview guide: what the interviewer holds during an interview, for one interview or for
//! the whole engagement, in Markdown ([`to_markdown`]) or as one self-contained HTML file
//! ([`to_html`]); and the findings and roadmap report ([`roadmap`], Markdown) that the closing
//! meeting presents.
//!
//! A guide gives each interview's goals, participants and agenda. The agenda's questions are
//! grouped by subject (the element, flow or boundary they are about; the engagement as a whole
//! for the rest) and, within a subject, by STRIDE category, in the order the agenda holds them:
//! the walk order the planner laid out. Each question comes with its rationale and follow-up
//! prompts for the interviewer, the answers already recorded, and room for notes; the
//! questions to ask if time permits follow, then the coverage gaps (pairs no live question
//! covers, or whose questions were all skipped).
//!
//! Both renderings are deterministic: the same engagement gives the same bytes (no clock, no
//! hash order). Every text from the engagement is escaped: in Markdown the characters that
//! would start markup, in HTML every `<`, `>`, `&` and quote.
//!
//! ```
//! use threat_interview::{guide, io, plan};
//!
//! let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/engagements/online-shop.json");
//! let mut engagement = io::load(path)?.engagement;
//! let engine = threat_interview::engine::Engine::builtin();
//! let questions = engine.generate(engagement.check().expect("the example is valid"));
//! questions.merge_into(&mut engagement);
//! plan::plan_all(&mut engagement);
//! let text = guide::to_markdown(&engagement, Some("iv-business"))?;
//! assert!(text.starts_with("# Interview guide: "));
//! assert!(guide::to_markdown(&engagement, Some("iv-nope")).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod html;
mod markdown;
mod roadmap;

use std::fmt::Write as _;

use std::collections::BTreeSet;

use crate::coverage::{Coverage, CoverageItem};
use crate::diagnostic::suggest;
use crate::model::{AgendaItem, Engagement, Interview, Question, Stride};

pub use html::to_html;
pub use markdown::to_markdown;
pub use roadmap::roadmap;

/// Why a guide cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GuideError {
    /// `--interview` names no interview of the engagement.
    #[error("interview `{id}` does not exist{}", closest.as_ref().map(|c| format!("; did you mean `{c}`?")).unwrap_or_default())]
    UnknownInterview {
        /// The id asked for.
        id: String,
        /// The closest id the engagement holds.
        closest: Option<String>,
    },
}

/// What a guide shows, gathered once for both renderings.
struct Guide<'e> {
    engagement: &'e Engagement,
    /// The interviews shown: one, or every interview.
    interviews: Vec<InterviewGuide<'e>>,
    /// Whether the guide is the whole engagement's.
    whole: bool,
    /// The engagement's gaps (the whole guide), or those of the interview's subjects.
    gaps: Vec<CoverageItem>,
}

struct InterviewGuide<'e> {
    interview: &'e Interview,
    agenda: Vec<SubjectGroup<'e>>,
    if_time_permits: Vec<SubjectGroup<'e>>,
    /// Agenda items naming no question of the engagement (an invalid file, never planned so).
    missing: Vec<&'e str>,
    /// Minutes set aside on the agenda.
    minutes_planned: u64,
}

/// The questions about one subject, by category.
struct SubjectGroup<'e> {
    /// The subject's id; `None` for questions about the engagement as a whole.
    subject: Option<&'e str>,
    categories: Vec<CategoryGroup<'e>>,
}

struct CategoryGroup<'e> {
    category: Option<Stride>,
    questions: Vec<(&'e Question, u32)>,
}

/// A subject's name and kind in words, for a heading; the id itself when the model lacks it.
fn subject_heading(engagement: &Engagement, id: &str) -> (String, &'static str) {
    let model = &engagement.model;
    if let Some(element) = model.element(id) {
        (element.name.clone(), element.kind.words())
    } else if let Some(flow) = model.flow(id) {
        (flow.name.clone(), "data flow")
    } else if let Some(boundary) = model.boundary(id) {
        (boundary.name.clone(), "trust boundary")
    } else {
        (id.to_owned(), "unknown subject")
    }
}

/// Groups agenda items by subject, then category, each in order of first appearance.
fn group<'e>(
    engagement: &'e Engagement,
    items: &'e [AgendaItem],
    missing: &mut Vec<&'e str>,
) -> Vec<SubjectGroup<'e>> {
    let mut groups: Vec<SubjectGroup<'e>> = Vec::new();
    for item in items {
        let Some(question) = engagement.question(&item.question) else {
            missing.push(&item.question);
            continue;
        };
        let subject = question.subjects.first().map(String::as_str);
        let position = groups
            .iter()
            .position(|g| g.subject == subject)
            .unwrap_or_else(|| {
                groups.push(SubjectGroup {
                    subject,
                    categories: Vec::new(),
                });
                groups.len() - 1
            });
        let categories = &mut groups[position].categories;
        let position = categories
            .iter()
            .position(|c| c.category == question.category)
            .unwrap_or_else(|| {
                categories.push(CategoryGroup {
                    category: question.category,
                    questions: Vec::new(),
                });
                categories.len() - 1
            });
        categories[position]
            .questions
            .push((question, item.minutes));
    }
    groups
}

impl<'e> Guide<'e> {
    fn gather(engagement: &'e Engagement, interview: Option<&str>) -> Result<Self, GuideError> {
        let chosen: Vec<&Interview> = match interview {
            None => engagement.interviews.iter().collect(),
            Some(id) => {
                let Some(found) = engagement.interviews.iter().find(|i| i.id == id) else {
                    return Err(GuideError::UnknownInterview {
                        id: id.to_owned(),
                        closest: suggest(id, engagement.interviews.iter().map(|i| i.id.as_str()))
                            .map(str::to_owned),
                    });
                };
                vec![found]
            }
        };
        let interviews: Vec<InterviewGuide> = chosen
            .into_iter()
            .map(|interview| {
                let mut missing = Vec::new();
                let agenda = group(engagement, &interview.agenda, &mut missing);
                let if_time_permits = group(engagement, &interview.if_time_permits, &mut missing);
                InterviewGuide {
                    interview,
                    agenda,
                    if_time_permits,
                    missing,
                    minutes_planned: interview.agenda.iter().map(|i| u64::from(i.minutes)).sum(),
                }
            })
            .collect();
        let coverage = Coverage::of(engagement);
        let gaps = if interview.is_none() {
            coverage.gaps
        } else {
            // An interview's gaps are those of the subjects it talks about.
            let subjects: BTreeSet<&str> = interviews
                .iter()
                .flat_map(|i| i.agenda.iter().chain(&i.if_time_permits))
                .filter_map(|g| g.subject)
                .collect();
            coverage
                .gaps
                .into_iter()
                .filter(|gap| subjects.contains(gap.subject.as_str()))
                .collect()
        };
        Ok(Guide {
            engagement,
            interviews,
            whole: interview.is_none(),
            gaps,
        })
    }
}

/// When an interview takes place, in words: `day 1, 2026-12-04 at 09:00, morning, 30 minutes`.
fn when(interview: &Interview) -> String {
    let mut text = format!("day {}", interview.day);
    if let Some(date) = &interview.date {
        text.push_str(", ");
        text.push_str(date);
    }
    if let Some(start) = &interview.start {
        text.push_str(" at ");
        text.push_str(start);
    }
    text.push_str(", ");
    text.push_str(interview.slot.as_str());
    let _ = write!(text, ", {} minutes", interview.minutes);
    text
}

/// A participant in words: the name, the roles, the organization.
fn participant_line(engagement: &Engagement, id: &str) -> (String, String) {
    match engagement.participant(id) {
        Some(p) => {
            let mut detail: Vec<String> = p.roles.iter().map(|r| r.as_str().to_owned()).collect();
            if let Some(org) = &p.organization {
                detail.push(org.clone());
            }
            (p.name.clone(), detail.join(", "))
        }
        None => (
            id.to_owned(),
            "not a participant of the engagement".to_owned(),
        ),
    }
}

/// The category heading of a group of questions.
fn category_heading(category: Option<Stride>) -> String {
    match category {
        Some(c) => format!("{} ({})", c.title(), c.desired_property()),
        None => "Any category".to_owned(),
    }
}

/// A piece of inline text; renderings escape it as their syntax needs.
enum Span {
    Text(String),
    Code(String),
    Strong(String),
}

fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

fn code(s: impl Into<String>) -> Span {
    Span::Code(s.into())
}

/// What a rendering writes: the guide's layout is decided once, in [`render`].
trait Out {
    fn heading(&mut self, level: usize, spans: &[Span]);
    fn paragraph(&mut self, spans: &[Span]);
    fn bullets(&mut self, items: &[Vec<Span>]);
    /// A numbered question: its text, then labelled details, prompts and room for notes.
    fn question(
        &mut self,
        number: usize,
        question: &[Span],
        details: &[(&str, Vec<Span>)],
        prompts: &[Vec<Span>],
    );
    /// Room for the interviewer's notes.
    fn notes_space(&mut self);
    fn finish(self) -> String;
}

fn render(guide: &Guide, out: &mut impl Out) {
    let engagement = guide.engagement;
    let top = if guide.whole {
        out.heading(1, &[text(format!("Interview guide: {}", engagement.name))]);
        engagement_header(engagement, out);
        2
    } else {
        1
    };
    for interview in &guide.interviews {
        interview_section(engagement, interview, top, out);
    }
    let level = if guide.whole { 2 } else { top + 1 };
    out.heading(level, &[text("Coverage gaps")]);
    if guide.gaps.is_empty() {
        out.paragraph(&[text(if guide.whole {
            "None: every applicable STRIDE category of every in-scope element and flow has a live question."
        } else {
            "None among the subjects of this interview."
        })]);
    } else {
        out.paragraph(&[text(format!(
            "{} (subject, STRIDE category) pairs have no live question, or only skipped ones: ask about them if the conversation allows.",
            guide.gaps.len()
        ))]);
        let items: Vec<Vec<Span>> = guide
            .gaps
            .iter()
            .map(|gap| {
                vec![
                    text(format!("{} ({}, ", gap.name, gap.kind.words())),
                    code(gap.subject.clone()),
                    text(format!(
                        "): {}, {}",
                        gap.category.title(),
                        gap.status.as_str().replace('_', " ")
                    )),
                ]
            })
            .collect();
        out.bullets(&items);
    }
}

fn engagement_header(engagement: &Engagement, out: &mut impl Out) {
    let mut line = vec![text("Engagement "), code(engagement.id.clone())];
    if let Some(system) = &engagement.system {
        line.push(text(format!(" of {system}")));
    }
    line.push(text(format!(
        ", assurance level {}.",
        engagement.assurance_level.as_str()
    )));
    out.paragraph(&line);
    if let Some(description) = &engagement.description {
        out.paragraph(&[text(description.clone())]);
    }
    let scope = &engagement.scope;
    for (title, list) in [
        ("In scope", &scope.in_scope),
        ("Out of scope", &scope.out_of_scope),
        ("Assumptions", &scope.assumptions),
    ] {
        if !list.is_empty() {
            out.heading(2, &[text(title)]);
            let items: Vec<Vec<Span>> = list.iter().map(|s| vec![text(s.clone())]).collect();
            out.bullets(&items);
        }
    }
    out.heading(2, &[text("Interviews")]);
    let items: Vec<Vec<Span>> = engagement
        .interviews
        .iter()
        .map(|i| {
            vec![
                text(format!("{} (", i.title)),
                code(i.id.clone()),
                text(format!("): {}, {} questions", when(i), i.agenda.len())),
            ]
        })
        .collect();
    if items.is_empty() {
        out.paragraph(&[text("No interview yet.")]);
    } else {
        out.bullets(&items);
    }
}

fn interview_section(
    engagement: &Engagement,
    guide: &InterviewGuide,
    level: usize,
    out: &mut impl Out,
) {
    let interview = guide.interview;
    let title = if level == 1 {
        format!("Interview guide: {}", interview.title)
    } else {
        interview.title.clone()
    };
    out.heading(level, &[text(title)]);
    let mut line = vec![
        text("Interview "),
        code(interview.id.clone()),
        text(format!(" of {}: {}", engagement.name, when(interview))),
    ];
    if interview.status != crate::model::InterviewStatus::Planned {
        line.push(text(format!(" ({})", interview.status.as_str())));
    }
    line.push(text("."));
    out.paragraph(&line);
    if !interview.roles.is_empty() {
        let roles: Vec<&str> = interview
            .roles
            .iter()
            .map(crate::model::Role::as_str)
            .collect();
        out.paragraph(&[text(format!("Roles: {}.", roles.join(", ")))]);
    }
    out.heading(level + 1, &[text("Goals")]);
    if interview.goals.is_empty() {
        out.paragraph(&[text("No goal written.")]);
    } else {
        let goals: Vec<Vec<Span>> = interview
            .goals
            .iter()
            .map(|g| vec![text(g.clone())])
            .collect();
        out.bullets(&goals);
    }
    out.heading(level + 1, &[text("Participants")]);
    if interview.participants.is_empty() {
        out.paragraph(&[text("Nobody invited yet.")]);
    } else {
        let people: Vec<Vec<Span>> = interview
            .participants
            .iter()
            .map(|id| {
                let (name, detail) = participant_line(engagement, id);
                let mut spans = vec![Span::Strong(name), text(" (")];
                spans.push(code(id.clone()));
                if !detail.is_empty() {
                    spans.push(text(format!("; {detail}")));
                }
                spans.push(text(")"));
                spans
            })
            .collect();
        out.bullets(&people);
    }
    out.heading(level + 1, &[text("Agenda")]);
    let questions: usize = interview.agenda.len();
    if questions == 0 {
        out.paragraph(&[text("No question on the agenda: run `plan` to fill it.")]);
    } else {
        out.paragraph(&[text(format!(
            "{questions} questions, {} of {} minutes, grouped by subject and STRIDE category in the order of the walk.",
            guide.minutes_planned, interview.minutes
        ))]);
    }
    let mut number = 0;
    groups(engagement, &guide.agenda, level + 2, &mut number, out);
    if !guide.if_time_permits.is_empty() {
        out.heading(level + 1, &[text("If time permits")]);
        groups(
            engagement,
            &guide.if_time_permits,
            level + 2,
            &mut number,
            out,
        );
    }
    if !guide.missing.is_empty() {
        let ids: Vec<Vec<Span>> = guide.missing.iter().map(|id| vec![code(*id)]).collect();
        out.paragraph(&[text("Agenda items naming no question of the engagement:")]);
        out.bullets(&ids);
    }
    out.heading(level + 1, &[text("Notes")]);
    out.notes_space();
}

fn groups(
    engagement: &Engagement,
    groups: &[SubjectGroup],
    level: usize,
    number: &mut usize,
    out: &mut impl Out,
) {
    for group in groups {
        match group.subject {
            Some(id) => {
                let (name, kind) = subject_heading(engagement, id);
                out.heading(
                    level,
                    &[text(format!("{name} ({kind}, ")), code(id), text(")")],
                );
            }
            None => out.heading(level, &[text("The engagement as a whole")]),
        }
        for category in &group.categories {
            out.heading(level + 1, &[text(category_heading(category.category))]);
            for (question, minutes) in &category.questions {
                *number += 1;
                question_block(engagement, question, *minutes, *number, out);
            }
        }
    }
}

fn question_block(
    engagement: &Engagement,
    question: &Question,
    minutes: u32,
    number: usize,
    out: &mut impl Out,
) {
    let mut details: Vec<(&str, Vec<Span>)> = Vec::new();
    let mut about = vec![
        code(question.id.clone()),
        text(format!(
            ", {minutes} min, for the {}",
            question.role.as_str()
        )),
    ];
    if question.status != crate::model::QuestionStatus::Open {
        about.push(text(format!(", {}", question.status.as_str())));
    }
    details.push(("About", about));
    if question.subjects.len() > 1 {
        let names: Vec<String> = question
            .subjects
            .iter()
            .map(|s| subject_heading(engagement, s).0)
            .collect();
        details.push(("Subjects", vec![text(names.join(", "))]));
    }
    if let Some(rationale) = &question.rationale {
        details.push(("Why", vec![text(rationale.clone())]));
    }
    if let Some(reason) = &question.skip_reason {
        details.push(("Skipped", vec![text(reason.clone())]));
    }
    for answer in &question.answers {
        let mut spans = vec![text(answer.text.clone())];
        let by = answer
            .by
            .as_deref()
            .map(|b| participant_line(engagement, b).0);
        match (by, &answer.at) {
            (Some(by), Some(at)) => spans.push(text(format!(" (by {by}, on {at})"))),
            (Some(by), None) => spans.push(text(format!(" (by {by})"))),
            (None, Some(at)) => spans.push(text(format!(" (on {at})"))),
            (None, None) => {}
        }
        details.push(("Answered", spans));
    }
    let prompts: Vec<Vec<Span>> = question
        .follow_up_prompts
        .iter()
        .map(|p| vec![text(p.clone())])
        .collect();
    out.question(number, &[text(question.text.clone())], &details, &prompts);
}
