//! The spreadsheet round trip: the questions and answers as CSV ([`to_csv`]), and the answers
//! someone filled in the `answer` column read back into the engagement ([`import_answers`]).
//!
//! The CSV is RFC 4180 (a header, CRLF line ends, fields quoted when they hold a comma, a quote
//! or a line break), one row per question in the engagement's order:
//!
//! | column | what |
//! | --- | --- |
//! | `id` | the question's id: the import finds the question by it |
//! | `subjects` | the names of the elements, flows or boundaries it is about, `; ` between them |
//! | `category` | the STRIDE category (`spoofing`...), empty for an engagement-level question |
//! | `role` | the role best placed to answer |
//! | `text` | the question |
//! | `status` | `open`, `asked`, `answered` or `skipped` (`, obsolete` after it when its subject left the model) |
//! | `answer` | the answers recorded, a blank line between two; fill it to answer |
//! | `answered_by` | the participant (id) of the last answer; fill it with the answer, or give `--by` |
//! | `answered_on` | its date; fill it with the answer, or give `--at` |
//!
//! A text that a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, a tab
//! or a carriage return) is written with a `'` before it, the way spreadsheets mark text; the
//! import takes that `'` off again.
//!
//! The import reads the `id` and `answer` columns (and `answered_by`, `answered_on` when
//! present; other columns are ignored, in any order). A row whose answer is empty, or the same
//! as exported, is left alone. Every other row must name a question that has no answer yet,
//! once. Every problem is reported with its line, and then nothing is imported: the answers
//! come in all together or not at all.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, DiagnosticCode, Report, suggest};
use crate::model::{Answer, AnswerChannel, Engagement, Question};

/// The header of the CSV, in order.
pub const COLUMNS: [&str; 9] = [
    "id",
    "subjects",
    "category",
    "role",
    "text",
    "status",
    "answer",
    "answered_by",
    "answered_on",
];

/// The questions and answers as CSV text, the same bytes for the same engagement.
pub fn to_csv(engagement: &Engagement) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    // Writing into memory cannot fail.
    let _ = writer.write_record(COLUMNS);
    for question in &engagement.questions {
        let _ = writer.write_record(row(engagement, question).map(|cell| guard(&cell)));
    }
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn row(engagement: &Engagement, question: &Question) -> [String; 9] {
    let model = &engagement.model;
    let subjects: Vec<&str> = question
        .subjects
        .iter()
        .map(|id| {
            model
                .element(id)
                .map(|e| e.name.as_str())
                .or_else(|| model.flow(id).map(|f| f.name.as_str()))
                .or_else(|| model.boundary(id).map(|b| b.name.as_str()))
                .unwrap_or(id)
        })
        .collect();
    let mut status = question.status.as_str().to_owned();
    if question.obsolete {
        status.push_str(", obsolete");
    }
    let last = question.answers.last();
    [
        question.id.clone(),
        subjects.join("; "),
        question
            .category
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        question.role.as_str().to_owned(),
        question.text.clone(),
        status,
        answers_text(question),
        last.and_then(|a| a.by.clone()).unwrap_or_default(),
        last.and_then(|a| a.at.clone()).unwrap_or_default(),
    ]
}

/// The answers of a question as the `answer` column holds them.
fn answers_text(question: &Question) -> String {
    question
        .answers
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A text a spreadsheet would take for a formula, marked as text with a leading `'`.
fn guard(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The text of a cell, with the mark [`guard`] adds taken off.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// Who answered and when, for the rows that do not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportDefaults {
    /// The participant (id) who answered.
    pub by: Option<String>,
    /// When: `YYYY-MM-DD` or an RFC 3339 date and time.
    pub at: Option<String>,
}

impl ImportDefaults {
    /// Who answered and when, for the rows that do not say.
    pub fn new(by: Option<String>, at: Option<String>) -> Self {
        ImportDefaults { by, at }
    }
}

/// An answer imported from a row.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Imported {
    /// The row's line in the CSV, from 1 (the header is line 1).
    pub line: u32,
    /// The question answered.
    pub question: String,
}

fn at_line(mut diagnostic: Diagnostic, line: u32, column: Option<u32>) -> Diagnostic {
    diagnostic.line = Some(line);
    diagnostic.column = column;
    diagnostic
}

/// Adds the answers filled in the CSV's `answer` column to their questions (through the
/// engagement's `record_answer`, so each is checked as any answer is), reached by the
/// modelers through a document (`via: document`, no reference).
///
/// # Errors
///
/// Every problem, each with the line (and column) of the CSV where it is: a CSV that cannot be
/// read (`syntax`, `encoding`), no `id` or `answer` column (`missing-field`), a row naming
/// no question (`question-missing`, with the closest id), a question already answered
/// (`answer-already-recorded`) or answered twice in the file (`row-duplicate`), an answer the
/// engagement refuses (an unknown participant, a date that is not one). The engagement is then
/// left as it was.
pub fn import_answers(
    engagement: &mut Engagement,
    csv_bytes: &[u8],
    defaults: &ImportDefaults,
) -> Result<Vec<Imported>, Report> {
    let mut errors = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(csv_bytes);
    let header = match reader.headers() {
        Ok(header) => header.clone(),
        Err(error) => {
            return Err(Report::from_diagnostics(vec![read_error(
                &error, csv_bytes,
            )]));
        }
    };
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let (Some(id_column), Some(answer_column)) = (column("id"), column("answer")) else {
        let missing: Vec<String> = ["id", "answer"]
            .into_iter()
            .filter(|c| column(c).is_none())
            .map(|c| format!("`{c}`"))
            .collect();
        return Err(Report::from_diagnostics(vec![at_line(
            Diagnostic::error(
                DiagnosticCode::MissingField,
                "",
                format!(
                    "the header has no {} column; expected the columns of the export: {}",
                    missing.join(" or "),
                    COLUMNS.join(", ")
                ),
            ),
            1,
            Some(1),
        )]));
    };
    let by_column = column("answered_by");
    let on_column = column("answered_on");
    let mut updated = engagement.clone();
    let mut imported = Vec::new();
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    let mut lines = Lines::new(csv_bytes);
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                errors.push(read_error(&error, csv_bytes));
                // The reader cannot go on past broken quoting.
                break;
            }
        };
        let line = lines.line_at(record.position().map_or(0, csv::Position::byte));
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(|c| unguard(c.trim()))
                .filter(|c| !c.is_empty())
        };
        let Some(text) = cell(Some(answer_column)) else {
            continue;
        };
        let id = cell(Some(id_column)).unwrap_or_default();
        let Some(index) = updated.questions.iter().position(|q| q.id == id) else {
            let closest = suggest(id, updated.questions.iter().map(|q| q.id.as_str()))
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            errors.push(at_line(
                Diagnostic::error(
                    DiagnosticCode::QuestionMissing,
                    "",
                    format!(
                        "row answers question `{id}`, which the engagement does not hold{closest}"
                    ),
                ),
                line,
                None,
            ));
            continue;
        };
        let question = &engagement.questions[index];
        if text == answers_text(question).trim() {
            // The answer as exported: nothing new.
            continue;
        }
        if let Some(first) = seen.insert(id.to_owned(), line) {
            errors.push(at_line(
                Diagnostic::error(
                    DiagnosticCode::RowDuplicate,
                    format!("/questions/{index}"),
                    format!("question `{id}` is answered on line {first} already"),
                ),
                line,
                None,
            ));
            continue;
        }
        if !question.answers.is_empty() {
            errors.push(at_line(
                Diagnostic::error(
                    DiagnosticCode::AnswerAlreadyRecorded,
                    format!("/questions/{index}/answers"),
                    format!(
                        "question `{id}` is answered already; its answer is not replaced (record another with `answer`, or leave the cell as exported)"
                    ),
                ),
                line,
                None,
            ));
            continue;
        }
        let mut answer = Answer::new(text, AnswerChannel::Document);
        answer.by = cell(by_column)
            .map(str::to_owned)
            .or_else(|| defaults.by.clone());
        answer.at = cell(on_column)
            .map(str::to_owned)
            .or_else(|| defaults.at.clone());
        match updated.record_answer(id, answer) {
            Ok(()) => imported.push(Imported {
                line,
                question: id.to_owned(),
            }),
            Err(error) => {
                let mut found = error.diagnostics();
                if found.is_empty() {
                    found.push(Diagnostic::error(
                        DiagnosticCode::InvalidValue,
                        format!("/questions/{index}"),
                        error.to_string(),
                    ));
                }
                errors.extend(found.into_iter().map(|d| at_line(d, line, None)));
            }
        }
    }
    if errors.is_empty() {
        *engagement = updated;
        Ok(imported)
    } else {
        Err(Report::from_diagnostics(errors))
    }
}

/// Lines from byte offsets, counted forwards once (the csv crate's own line numbers are one
/// short with CRLF line ends, RFC 4180's).
struct Lines<'b> {
    bytes: &'b [u8],
    offset: usize,
    line: u32,
}

impl<'b> Lines<'b> {
    fn new(bytes: &'b [u8]) -> Self {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line of a byte offset at or past the last one asked for.
    // Each byte is counted once per file: no crate for it.
    #[allow(clippy::naive_bytecount)]
    fn line_at(&mut self, offset: u64) -> u32 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        // After a CRLF the reader places the next record at the LF: the record starts past the
        // line ends (and the blank lines it skips).
        while matches!(self.bytes.get(offset), Some(b'\r' | b'\n')) {
            offset += 1;
        }
        if offset > self.offset {
            let newlines = self.bytes[self.offset..offset]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.line = self
                .line
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            self.offset = offset;
        }
        self.line
    }
}

fn read_error(error: &csv::Error, bytes: &[u8]) -> Diagnostic {
    let line = error
        .position()
        .map_or(1, |p| Lines::new(bytes).line_at(p.byte()));
    let code = if matches!(error.kind(), csv::ErrorKind::Utf8 { .. }) {
        DiagnosticCode::Encoding
    } else {
        DiagnosticCode::Syntax
    };
    at_line(
        Diagnostic::error(code, "", format!("the CSV cannot be read: {error}")),
        line,
        None,
    )
}
