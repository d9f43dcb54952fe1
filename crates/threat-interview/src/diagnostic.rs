//! Diagnostics: what is wrong with an input, where, and how seriously.
//!
//! Every surface reports problems the same way: engagement files, question banks, the layering
//! of banks, edits to an engagement and files from other tools. A [`Diagnostic`] has a
//! [`DiagnosticCode`] from a closed, documented set, a [`DiagnosticLevel`], the JSON Pointer of the
//! value concerned, a message, and, when the input came from text, the line and column where
//! that value (or, for an object member, its key) is written. A [`Report`] holds them sorted
//! and deduplicated, errors apart from warnings.
//!
//! # Codes
//!
//! Reading any input:
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `io` | error | the file could not be read, or is not a regular file |
//! | `too-large` | error | the input is larger than the size limit |
//! | `encoding` | error | the input is not UTF-8 |
//! | `syntax` | error | the input is not well-formed JSON or YAML |
//! | `too-deep` | error | the input nests deeper than the depth limit |
//! | `too-long` | error | a string is longer than the string limit |
//! | `too-many` | error | the input holds more values than the value limit (YAML aliases count each time they are used) |
//! | `duplicate-key` | error | an object has the same key twice; the message gives the first one's place |
//! | `unknown-field` | error | a field the format does not have |
//! | `wrong-type` | error | a value of the wrong JSON type |
//! | `missing-field` | error | a required field is absent |
//! | `invalid-value` | error | a value of the right type that is not allowed (unknown name, empty text, bad pattern) |
//! | `invalid-date` | error | a date that is not `YYYY-MM-DD` (or, where allowed, an RFC 3339 date and time) |
//! | `out-of-range` | error | a number outside its allowed range |
//! | `invalid-structure` | error | the value passes the schema but still cannot be read |
//! | `unsupported-version` | error | `schema_version` is newer (or other) than the versions this library reads |
//!
//! The meaning of an engagement:
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `duplicate-id` | error | an id already used in its id space (elements, flows and boundaries share one; every other collection has its own) |
//! | `flow-source-missing` | error | a flow's `source` names no element |
//! | `flow-target-missing` | error | a flow's `target` names no element |
//! | `flow-self-loop` | warning | a flow goes from an element to itself |
//! | `boundary-parent-missing` | error | a boundary's `parent` names no boundary |
//! | `boundary-cycle` | error | a boundary is nested in itself, directly or not (reported once per cycle) |
//! | `element-boundary-missing` | error | an element's `boundary` names no boundary |
//! | `role-duplicate` | error | a custom role declared twice |
//! | `role-shadows-built-in` | error | a custom role with a built-in role's id |
//! | `role-undeclared` | error | a role neither built in nor declared in `custom_roles` |
//! | `role-expertise-custom` | error | a custom role's `expertise` names a custom role: it lists built-in roles |
//! | `participant-missing` | error | a reference to a participant that does not exist |
//! | `question-missing` | error | a reference to a question that does not exist |
//! | `hint-missing` | error | a finding grown from a hint, or a follow-up of a hint, that does not exist |
//! | `finding-missing` | error | a hint promoted to a finding that does not exist |
//! | `subject-missing` | error | a subject that names no element, flow or boundary |
//! | `question-subject-gone` | warning | a generated question, not yet obsolete, about something that left the model |
//! | `answer-reference-missing` | error | an answer's `reference` names no interview, follow-up or document (as its `via` says) |
//! | `attack-path-empty` | error | a finding with no attack step (a hint becomes a finding only with an attack path) |
//! | `rationale-missing` | error | a confirmed or dismissed finding, or a dismissed hint, with no rationale |
//! | `interactor-without-flow` | warning | an in-scope external interactor that no flow touches |
//! | `element-without-flow` | warning | an in-scope process or data store that no flow touches |
//! | `out-of-scope-empty` | warning | the scope says nothing about what is out of scope |
//! | `required-role-unfilled` | warning | no participant holds a built-in role the assurance level interviews |
//! | `property-unknown` | warning | a property name close to one of the vocabulary's (`docs/vocabulary.md`) but not in it; the message suggests the known one |
//! | `property-type` | warning | a property of the vocabulary with a value of the wrong type (`human: "yes"`), which conditions will not read |
//! | `property-value` | warning | a value of a vocabulary property close to one the bank reads but not one of them (`hosting: "on-premises"`, `language: "Python"`); the message suggests the known one |
//! | `flow-crosses-missing` | error | a flow's `crosses` names no boundary |
//! | `exception-subject-missing` | error | an answer's exception names a subject the question is not about |
//! | `document-requested` | warning | a document asked for during preparation and not yet received |
//!
//! The calendar an engagement holds (warnings of `Engagement::validate`; the times are read as
//! `HH:MM` on the interview's `date`, or its `day` when it has none):
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `interview-overlap` | warning | two interviews on the same day whose times overlap (the threat modelers cannot be in both) |
//! | `participant-double-booked` | warning | a participant invited to two interviews at the same time |
//! | `interview-too-long` | warning | an interview longer than any of its roles usually gives (`typical_minutes`, a custom role's `meeting_minutes`) |
//! | `architect-sessions-apart` | warning | the architects' sessions not on consecutive working days |
//! | `interview-date-odd` | warning | an interview dated on a weekend, or whose `date` disagrees with its `day` (counted in working days from the first interview) |
//!
//! The readiness report of an engagement (`readiness::readiness`; with the warnings above):
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `in-scope-empty` | warning | the scope says nothing about what is in scope |
//! | `calendar-empty` | warning | no interview is on the calendar yet |
//! | `calibration-missing` | warning | the business stakeholders have not calibrated the STRIDE categories |
//! | `document-unreviewed` | warning | a document received and not yet reviewed |
//! | `custom-role-unanswered` | warning | a custom role someone holds, or that is not optional, with no `answers_for`: no generated question goes to it |
//!
//! Question banks and their layering:
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `unknown-operator` | error | a condition operator the language does not have |
//! | `condition-too-large` | error | a condition with more nodes than the condition limit |
//! | `unknown-placeholder` | error | a placeholder the text language does not have |
//! | `unclosed-placeholder` | error | a `{` without its `}` |
//! | `unmatched-brace` | error | a lone `}` in a text (write `}}` for a literal brace) |
//! | `placeholder-not-for-kind` | error | a placeholder used on a kind it means nothing for |
//! | `category-not-applicable` | error | a template's STRIDE category does not apply to one of its kinds |
//! | `engagement-template-field` | error | an engagement-level template with a `category`, a `group` or `covers`, or `engagement` mixed with kinds; `opener` on a template that is not engagement-level |
//! | `template-redefined` | error | a template id an earlier bank defines, without `override: true` |
//! | `override-unknown` | error | `override: true` on an id no earlier bank defines |
//! | `disable-unknown` | error | `disable` names an id no earlier bank defines |
//! | `bank-duplicate` | error | two banks with the same id |
//! | `pack-override` | error | a pack (a bank with `pack`) that overrides or disables templates: packs add questions and supersede |
//! | `supersedes-unknown` | error | `supersedes` names an id neither the bank nor an earlier one defines (or the template itself) |
//!
//! Importing files from other tools (`import`; the pointer is into the foreign file):
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `import-unmapped` | warning | something in the foreign file has no place in the model: left out, or kept only under `extensions` |
//! | `import-guessed` | warning | something the foreign file does not say, filled in by the importer: a name, an element kind, the element a loose flow end was drawn at |
//! | `import-skeleton` | warning | a part of the engagement the foreign file has nothing for (scope, participants, calendar), made a skeleton to fill in |
//! | `zip-too-large` | error | a ZIP archive (a Threats Manager Studio `.tm`) with an entry that decompresses past the size limit, or too many entries |
//! | `dtd-refused` | error | an XML file (a Threat Modeling Tool `.tm7`) with a document type declaration: refused, so that no entity is ever expanded or fetched |
//! | `topic-subject-missing` | warning | a question about something the Threats Manager Studio model does not hold, left out of the topics written into it |
//!
//! Importing answers from a CSV (`sheet::import_answers`; the line is the CSV's, the pointer
//! the question's in the engagement; with `syntax`, `encoding`, `missing-field` for a missing
//! column, `question-missing` for an unknown id, and the engagement's own checks of an answer):
//!
//! | code | level | meaning |
//! | --- | --- | --- |
//! | `answer-already-recorded` | error | a row with an answer, other than the one exported, for a question already answered: answers are never replaced |
//! | `row-duplicate` | error | a second row answering the same question |

use std::fmt;

use serde::{Deserialize, Serialize};

/// A place in source text, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// The line, from 1.
    pub line: u32,
    /// The column, from 1, in characters.
    pub column: u32,
}

/// An error and its causes, joined by `: `, as the command line and the Python exceptions print
/// them (cedar's style: lowercase, no final period).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The candidate closest to a word that is probably a misspelling of it (`architcet` for
/// `architect`, `production-owner` for `production_owner`), if any is close enough.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let folded = |s: &str| s.to_lowercase().replace(['-', ' '], "_");
    let word = folded(word);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word, &folded(c)), c))
        .filter(|&(distance, c)| distance <= (c.chars().count() / 3).max(1))
        .min_by_key(|&(distance, c)| (distance, c))
        .map(|(_, c)| c)
}

/// What kind of problem a [`Diagnostic`] reports: a closed set, documented in the module.
///
/// Written in files and messages in kebab case (`flow-target-missing`); [`DiagnosticCode::as_str`]
/// and [`std::str::FromStr`] convert.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
#[non_exhaustive]
pub enum DiagnosticCode {
    /// The file could not be read, or is not a regular file.
    Io,
    /// The input is larger than the size limit.
    TooLarge,
    /// The input is not UTF-8.
    Encoding,
    /// The input is not well-formed JSON or YAML.
    Syntax,
    /// The input nests deeper than the depth limit.
    TooDeep,
    /// A string is longer than the string limit.
    TooLong,
    /// The input holds more values than the value limit.
    TooMany,
    /// An object has the same key twice.
    DuplicateKey,
    /// A field the format does not have.
    UnknownField,
    /// A value of the wrong JSON type.
    WrongType,
    /// A required field is absent.
    MissingField,
    /// A value of the right type that is not allowed.
    InvalidValue,
    /// A date that is not a date.
    InvalidDate,
    /// A number outside its allowed range.
    OutOfRange,
    /// The value passes the schema but still cannot be read.
    InvalidStructure,
    /// `schema_version` is not one this library reads.
    UnsupportedVersion,
    /// An id already used in its id space.
    DuplicateId,
    /// A flow's `source` names no element.
    FlowSourceMissing,
    /// A flow's `target` names no element.
    FlowTargetMissing,
    /// A flow goes from an element to itself.
    FlowSelfLoop,
    /// A boundary's `parent` names no boundary.
    BoundaryParentMissing,
    /// A boundary is nested in itself.
    BoundaryCycle,
    /// An element's `boundary` names no boundary.
    ElementBoundaryMissing,
    /// A custom role declared twice.
    RoleDuplicate,
    /// A custom role with a built-in role's id.
    RoleShadowsBuiltIn,
    /// A role neither built in nor declared.
    RoleUndeclared,
    /// A custom role's `expertise` names a custom role; it lists built-in roles.
    RoleExpertiseCustom,
    /// A reference to a participant that does not exist.
    ParticipantMissing,
    /// A reference to a question that does not exist.
    QuestionMissing,
    /// A finding grown from a hint, or a follow-up of a hint, that does not exist.
    HintMissing,
    /// A hint promoted to a finding that does not exist.
    FindingMissing,
    /// A subject that names no element, flow or boundary.
    SubjectMissing,
    /// A generated question, not yet obsolete, about something that left the model.
    QuestionSubjectGone,
    /// An answer's `reference` names nothing of the kind its `via` says.
    AnswerReferenceMissing,
    /// A finding with no attack step.
    AttackPathEmpty,
    /// A confirmed or dismissed finding, or a dismissed hint, with no rationale.
    RationaleMissing,
    /// An in-scope external interactor that no flow touches.
    InteractorWithoutFlow,
    /// An in-scope process or data store that no flow touches.
    ElementWithoutFlow,
    /// The scope says nothing about what is out of scope.
    OutOfScopeEmpty,
    /// No participant holds a role the assurance level interviews.
    RequiredRoleUnfilled,
    /// A condition operator the language does not have.
    UnknownOperator,
    /// A condition with more nodes than the condition limit.
    ConditionTooLarge,
    /// A placeholder the text language does not have.
    UnknownPlaceholder,
    /// A `{` without its `}`.
    UnclosedPlaceholder,
    /// A lone `}` in a text.
    UnmatchedBrace,
    /// A placeholder used on a kind it means nothing for.
    PlaceholderNotForKind,
    /// A template's category does not apply to one of its kinds.
    CategoryNotApplicable,
    /// An engagement-level template with a category, a group or covers, or mixed with kinds;
    /// an opener that is not engagement-level.
    EngagementTemplateField,
    /// A template id an earlier bank defines, without `override: true`.
    TemplateRedefined,
    /// `override: true` on an id no earlier bank defines.
    OverrideUnknown,
    /// `disable` names an id no earlier bank defines.
    DisableUnknown,
    /// Two banks with the same id.
    BankDuplicate,
    /// `supersedes` names an id neither the bank nor an earlier one defines.
    SupersedesUnknown,
    /// A pack that overrides or disables templates.
    PackOverride,
    /// A property name close to one of the vocabulary's but not in it.
    PropertyUnknown,
    /// A property of the vocabulary with a value of the wrong type.
    PropertyType,
    /// A value of a property of the vocabulary close to one the bank reads but not one of them.
    PropertyValue,
    /// A flow's `crosses` names no boundary.
    FlowCrossesMissing,
    /// An answer's exception names a subject the question is not about.
    ExceptionSubjectMissing,
    /// Something in a foreign file that has no place in the model.
    ImportUnmapped,
    /// Something a foreign file does not say, filled in by the importer.
    ImportGuessed,
    /// A part of an imported engagement made a skeleton to fill in.
    ImportSkeleton,
    /// A ZIP entry that decompresses past the size limit, or too many entries.
    ZipTooLarge,
    /// An XML document type declaration, refused.
    DtdRefused,
    /// A question about something a Threats Manager Studio model does not hold.
    TopicSubjectMissing,
    /// A CSV row answering a question already answered.
    AnswerAlreadyRecorded,
    /// A second CSV row answering the same question.
    RowDuplicate,
    /// A document asked for during preparation and not yet received.
    DocumentRequested,
    /// Two interviews on the same day whose times overlap.
    InterviewOverlap,
    /// A participant invited to two interviews at the same time.
    ParticipantDoubleBooked,
    /// An interview longer than any of its roles usually gives.
    InterviewTooLong,
    /// The architects' sessions not on consecutive working days.
    ArchitectSessionsApart,
    /// An interview's date that is not a working day, or that disagrees with its day number.
    InterviewDateOdd,
    /// Readiness: the scope says nothing about what is in scope.
    InScopeEmpty,
    /// Readiness: no interview is on the calendar.
    CalendarEmpty,
    /// Readiness: the business stakeholders have not calibrated the STRIDE categories.
    CalibrationMissing,
    /// Readiness: a document received and not yet reviewed.
    DocumentUnreviewed,
    /// Readiness: a custom role someone holds (or that is not optional) answers for nothing in
    /// the model, so no generated question goes to it.
    CustomRoleUnanswered,
}

impl DiagnosticCode {
    /// The code as written in output, such as `flow-target-missing`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for DiagnosticCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How serious a diagnostic is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DiagnosticLevel {
    /// The input is invalid.
    Error,
    /// The input is valid but probably not what was meant.
    Warning,
}

impl DiagnosticLevel {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl fmt::Display for DiagnosticLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in an input.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Diagnostic {
    /// What kind of problem it is.
    pub code: DiagnosticCode,
    /// The JSON Pointer of the value concerned, such as `/model/flows/3/target`; empty for the
    /// whole document.
    pub pointer: String,
    /// What is wrong, in lowercase, with user input in backticks.
    pub message: String,
    /// The line where the value is written, from 1, when known.
    pub line: Option<u32>,
    /// The column where the value is written, from 1 and in characters, when known.
    pub column: Option<u32>,
    /// Error or warning.
    pub severity: DiagnosticLevel,
}

impl Diagnostic {
    /// An error, with no position yet.
    pub fn error(
        code: DiagnosticCode,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(DiagnosticLevel::Error, code, pointer, message)
    }

    /// A warning, with no position yet.
    pub fn warning(
        code: DiagnosticCode,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(DiagnosticLevel::Warning, code, pointer, message)
    }

    fn new(
        severity: DiagnosticLevel,
        code: DiagnosticCode,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            pointer: pointer.into(),
            message: message.into(),
            line: None,
            column: None,
            severity,
        }
    }

    /// This diagnostic placed at a position.
    #[must_use]
    pub fn at(mut self, position: Option<Position>) -> Self {
        self.line = position.map(|p| p.line);
        self.column = position.map(|p| p.column);
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == DiagnosticLevel::Error
    }

    /// The diagnostic as one line for people:
    /// `file:line:column: error[code]: message (at /pointer)`; `file` may be empty.
    pub fn to_line(&self, file: &str) -> String {
        let mut place = file.to_owned();
        if let Some(line) = self.line {
            if !place.is_empty() {
                place.push(':');
            }
            place.push_str(&line.to_string());
            if let Some(column) = self.column {
                place.push(':');
                place.push_str(&column.to_string());
            }
        }
        let mut text = String::with_capacity(place.len() + self.message.len() + 48);
        if !place.is_empty() {
            text.push_str(&place);
            text.push_str(": ");
        }
        text.push_str(self.severity.as_str());
        text.push('[');
        text.push_str(self.code.as_str());
        text.push_str("]: ");
        text.push_str(&self.message);
        if !self.pointer.is_empty() {
            text.push_str(" (at ");
            text.push_str(&self.pointer);
            text.push(')');
        }
        text
    }

    fn sort_key(&self) -> (u32, u32, &str, DiagnosticCode, &str) {
        (
            self.line.unwrap_or(u32::MAX),
            self.column.unwrap_or(u32::MAX),
            &self.pointer,
            self.code,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_line(""))
    }
}

/// Every problem found in an input, errors apart from warnings, in a stable order: by position
/// in the file, then pointer, then code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Report {
    /// Problems that make the input invalid.
    pub errors: Vec<Diagnostic>,
    /// Problems that leave it valid.
    pub warnings: Vec<Diagnostic>,
}

impl Report {
    /// A report of these diagnostics: duplicates removed, sorted, split by level.
    pub fn from_diagnostics(diagnostics: impl IntoIterator<Item = Diagnostic>) -> Self {
        let mut all: Vec<Diagnostic> = diagnostics.into_iter().collect();
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        all.dedup();
        let (errors, warnings) = all.into_iter().partition(Diagnostic::is_error);
        Report { errors, warnings }
    }

    /// A report of one diagnostic.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Report::from_diagnostics([diagnostic])
    }

    /// Whether there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Errors then warnings.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.errors.iter().chain(&self.warnings)
    }

    /// The number of errors and warnings.
    pub fn len(&self) -> usize {
        self.errors.len() + self.warnings.len()
    }

    /// Whether there is no error and no warning.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the diagnostics of another report, keeping the order.
    pub fn merge(&mut self, other: Report) {
        let all = std::mem::take(self).into_iter().chain(other);
        *self = Report::from_diagnostics(all);
    }

    /// A one-line summary: the first error and how many more, for error messages.
    pub fn summary(&self, what: &str) -> String {
        match self.errors.as_slice() {
            [] => format!("{what} is valid"),
            [first, rest @ ..] => {
                let mut text = format!("not a valid {what}: {}", first.message);
                let mut place: Vec<String> = Vec::new();
                if !first.pointer.is_empty() {
                    place.push(first.pointer.clone());
                }
                if let (Some(line), Some(column)) = (first.line, first.column) {
                    place.push(format!("line {line}, column {column}"));
                }
                if !place.is_empty() {
                    text.push_str(" (at ");
                    text.push_str(&place.join(", "));
                    text.push(')');
                }
                match rest.len() {
                    0 => {}
                    1 => text.push_str(" and 1 more error"),
                    n => {
                        text.push_str(" and ");
                        text.push_str(&n.to_string());
                        text.push_str(" more errors");
                    }
                }
                text
            }
        }
    }
}

impl IntoIterator for Report {
    type Item = Diagnostic;
    type IntoIter =
        std::iter::Chain<std::vec::IntoIter<Diagnostic>, std::vec::IntoIter<Diagnostic>>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter().chain(self.warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn codes_round_trip_through_their_names() {
        for code in DiagnosticCode::iter() {
            let name = code.as_str();
            assert_eq!(name.parse::<DiagnosticCode>().unwrap(), code);
            assert_eq!(serde_json::to_value(code).unwrap(), name);
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
        assert_eq!(
            DiagnosticCode::RoleShadowsBuiltIn.as_str(),
            "role-shadows-built-in"
        );
    }

    #[test]
    fn every_code_is_documented_in_the_module_table() {
        let doc = include_str!("diagnostic.rs");
        for code in DiagnosticCode::iter() {
            assert!(
                doc.contains(&format!("//! | `{}` |", code.as_str())),
                "`{code}` is missing from the table"
            );
        }
    }

    #[test]
    fn a_line_names_the_place_the_code_and_the_pointer() {
        let d = Diagnostic::error(
            DiagnosticCode::FlowTargetMissing,
            "/model/flows/0/target",
            "no",
        )
        .at(Some(Position { line: 3, column: 7 }));
        assert_eq!(
            d.to_line("a.json"),
            "a.json:3:7: error[flow-target-missing]: no (at /model/flows/0/target)"
        );
        let whole = Diagnostic::warning(DiagnosticCode::OutOfScopeEmpty, "", "empty");
        assert_eq!(whole.to_line(""), "warning[out-of-scope-empty]: empty");
    }
}
