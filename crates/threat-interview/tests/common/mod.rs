//! What the tests of the built-in bank and of its packs share: loading files of the
//! repository, generated questions as owned records, and assertions about which template is
//! asked about which subject.

#![allow(dead_code)] // each test file uses its own part of this module

use threat_interview::Engagement;
use threat_interview::bank::BankSet;
use threat_interview::engine::{Engine, PackUse};
use threat_interview::model::Role;

/// The element with this id, to change in a test.
pub(crate) fn element_mut<'a>(
    engagement: &'a mut Engagement,
    id: &str,
) -> &'a mut threat_interview::model::Element {
    engagement
        .model
        .elements
        .iter_mut()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no element `{id}`"))
}

/// The flow with this id, to change in a test.
pub(crate) fn flow_mut<'a>(
    engagement: &'a mut Engagement,
    id: &str,
) -> &'a mut threat_interview::model::Flow {
    engagement
        .model
        .flows
        .iter_mut()
        .find(|f| f.id == id)
        .unwrap_or_else(|| panic!("no flow `{id}`"))
}

/// Sets a property of the element with this id, to change in a test.
pub(crate) fn set_property(
    engagement: &mut Engagement,
    element: &str,
    name: &str,
    value: threat_interview::model::PropertyValue,
) {
    element_mut(engagement, element)
        .properties
        .insert(name.to_owned(), value);
}

/// Sets the `auth_methods` of the element with this id, to change in a test.
pub(crate) fn set_auth_methods(engagement: &mut Engagement, element: &str, methods: &[&str]) {
    set_property(
        engagement,
        element,
        "auth_methods",
        threat_interview::model::PropertyValue::List(
            methods.iter().map(|m| (*m).to_owned()).collect(),
        ),
    );
}

/// The trust boundary an element sits in, to change in a test.
pub(crate) fn boundary_of_mut<'a>(
    engagement: &'a mut Engagement,
    element: &str,
) -> &'a mut threat_interview::model::Boundary {
    let zone = element_mut(engagement, element)
        .boundary
        .clone()
        .unwrap_or_else(|| panic!("`{element}` sits in no boundary"));
    engagement
        .model
        .boundaries
        .iter_mut()
        .find(|b| b.id == zone)
        .unwrap_or_else(|| panic!("no boundary `{zone}`"))
}

/// Sets a flow's description and tells whether the model then answers the template's
/// question about the subject (a sentence that settles it, or one that only looks as if it
/// did).
pub(crate) fn answered_when_flow_says(
    engagement: &mut Engagement,
    flow: &str,
    description: &str,
    template: &str,
    subject: &str,
) -> bool {
    flow_mut(engagement, flow).description = Some(description.to_owned());
    answered_from_model(engagement, template, subject)
}

/// Whether the one question of a template about a subject (alone or with others) is answered
/// from the model.
pub(crate) fn answered_from_model(engagement: &Engagement, template: &str, subject: &str) -> bool {
    let questions = Engine::builtin().generate(engagement.check().expect("a valid engagement"));
    let found: Vec<bool> = questions
        .iter()
        .filter(|q| {
            q.template().id == template
                && q.subject_ids().contains(&subject)
                && !q.checks_stated_weakness()
        })
        .map(|q| q.is_answered_by_model())
        .collect();
    assert_eq!(found.len(), 1, "{template} about {subject}");
    found[0]
}

/// Asserts that the one question of a template about a subject starts with `prefix`.
pub(crate) fn assert_text_starts_with(
    questions: &[Asked],
    template: &str,
    subject: &str,
    prefix: &str,
) {
    let text = text_of(questions, template, subject);
    assert!(
        text.starts_with(prefix),
        "`{template}` about `{subject}`: {text}"
    );
}

/// Asserts that no question of the template is asked at all.
pub(crate) fn assert_never_asked(questions: &[Asked], template: &str) {
    let asked: Vec<&Asked> = questions
        .iter()
        .filter(|q| q.template == template)
        .collect();
    assert!(asked.is_empty(), "`{template}` asked: {asked:?}");
}

/// A path of the repository.
pub(crate) fn repo(path: &str) -> String {
    format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"))
}

/// An engagement file of the repository, which must load.
pub(crate) fn load(path: &str) -> Engagement {
    threat_interview::io::load(repo(path))
        .unwrap_or_else(|e| panic!("{path} loads: {e}"))
        .engagement
}

/// One generated question, owned.
#[derive(Debug, Clone)]
pub(crate) struct Asked {
    pub(crate) id: String,
    /// Answered from the model: asked alone, outside its template's group.
    pub(crate) answered: bool,
    pub(crate) template: String,
    pub(crate) bank: String,
    pub(crate) subjects: Vec<String>,
    pub(crate) text: String,
    pub(crate) minutes: u32,
    pub(crate) role: Role,
}

/// The questions a bank set's templates ask about an engagement, and the packs it used; the
/// short questions that follow up the weaknesses the model states
/// (`GeneratedQuestion::checks_stated_weakness`) are left out: they are tested apart.
pub(crate) fn asked_and_packs(
    engagement: &Engagement,
    banks: BankSet,
) -> (Vec<Asked>, Vec<PackUse>) {
    let questions = Engine::new(banks).generate(engagement.check().expect("a valid engagement"));
    let asked = questions
        .iter()
        .filter(|q| !q.checks_stated_weakness())
        .map(|q| Asked {
            id: q.id(),
            answered: q.is_answered_by_model(),
            template: q.template().id.clone(),
            bank: q.bank().to_owned(),
            subjects: q.subject_ids().into_iter().map(str::to_owned).collect(),
            text: q.text(),
            minutes: q.minutes(),
            role: q.role().clone(),
        })
        .collect();
    (asked, questions.packs().to_vec())
}

/// The questions a bank set generates for an engagement.
pub(crate) fn asked_with(engagement: &Engagement, banks: BankSet) -> Vec<Asked> {
    asked_and_packs(engagement, banks).0
}

/// The questions the built-in bank generates for an engagement.
pub(crate) fn asked(engagement: &Engagement) -> Vec<Asked> {
    asked_with(engagement, BankSet::builtin())
}

/// The questions of a template (exactly this id) about a subject.
pub(crate) fn about<'a>(questions: &'a [Asked], template: &str, subject: &str) -> Vec<&'a Asked> {
    questions
        .iter()
        .filter(|q| q.template == template && q.subjects.iter().any(|s| s == subject))
        .collect()
}

/// Whether a template is asked about a subject.
pub(crate) fn fires(questions: &[Asked], template: &str, subject: &str) -> bool {
    !about(questions, template, subject).is_empty()
}

#[track_caller]
pub(crate) fn assert_fires(questions: &[Asked], template: &str, subject: &str) {
    assert!(
        fires(questions, template, subject),
        "`{template}` is not asked about `{subject}`; asked about it: {:?}",
        questions
            .iter()
            .filter(|q| q.subjects.iter().any(|s| s == subject))
            .map(|q| &q.template)
            .collect::<Vec<_>>()
    );
}

#[track_caller]
pub(crate) fn assert_not_fires(questions: &[Asked], template: &str, subject: &str) {
    let found = about(questions, template, subject);
    assert!(
        found.is_empty(),
        "`{template}` must not be asked about `{subject}`: {:?}",
        found.iter().map(|q| &q.text).collect::<Vec<_>>()
    );
}

/// Whether an engagement-level template is asked (once, about no subject), as expected.
#[track_caller]
pub(crate) fn assert_engagement_level(questions: &[Asked], template: &str, expected: bool) {
    let found = questions
        .iter()
        .any(|q| q.template == template && q.subjects.is_empty());
    assert_eq!(found, expected, "`{template}` asked once: {found}");
}

/// The one text of a template about a subject.
#[track_caller]
pub(crate) fn text_of(questions: &[Asked], template: &str, subject: &str) -> String {
    let found = about(questions, template, subject);
    assert_eq!(found.len(), 1, "`{template}` about `{subject}`");
    found[0].text.clone()
}
