//! The guide in Markdown (CommonMark): headings, lists, and a rule to write on under each
//! question.

use std::fmt::Write as _;

use super::{Guide, GuideError, Out, Span, render};
use crate::model::Engagement;

/// The interview guide of one interview (`Some(id)`) or of the whole engagement, in Markdown.
///
/// # Errors
///
/// [`GuideError::UnknownInterview`] when `interview` names no interview of the engagement.
pub fn to_markdown(engagement: &Engagement, interview: Option<&str>) -> Result<String, GuideError> {
    let guide = Guide::gather(engagement, interview)?;
    let mut out = Markdown(String::new());
    render(&guide, &mut out);
    Ok(out.finish())
}

struct Markdown(String);

/// Text on one line with every character that could start markup escaped with a backslash.
pub(super) fn escape(text: &str, out: &mut String) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // `_` inside a word (`business_stakeholder`) never starts emphasis: left as it is.
        let inside_word = |j: Option<usize>| {
            j.and_then(|j| chars.get(j))
                .is_some_and(|c: &char| c.is_alphanumeric())
        };
        if c == '_' && inside_word(i.checked_sub(1)) && inside_word(Some(i + 1)) {
            out.push(c);
            continue;
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// A code span that holds any text: fenced by more backticks than it contains in a row.
pub(super) fn code_span(text: &str, out: &mut String) {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.starts_with(' ') {
        " "
    } else {
        ""
    };
    out.push_str(&fence);
    out.push_str(pad);
    out.push_str(&text);
    out.push_str(pad);
    out.push_str(&fence);
}

/// Escapes what would make the text written from `start` a list item or a rule: a leading
/// `-`, `+`, `=` or a number followed by `.` or `)`.
fn guard_block_start(out: &mut String, start: usize) {
    let written = &out[start..];
    let digits = written.chars().take_while(char::is_ascii_digit).count();
    let at = match written.as_bytes().get(digits) {
        Some(b'.' | b')') if digits > 0 => Some(start + digits),
        Some(b'-' | b'+' | b'=') if digits == 0 => Some(start),
        _ => None,
    };
    if let Some(at) = at {
        out.insert(at, '\\');
    }
}

fn spans(spans: &[Span], out: &mut String) {
    for span in spans {
        match span {
            Span::Text(t) => escape(t, out),
            Span::Code(t) => code_span(t, out),
            Span::Strong(t) => {
                out.push_str("**");
                escape(t, out);
                out.push_str("**");
            }
        }
    }
}

impl Out for Markdown {
    fn heading(&mut self, level: usize, text: &[Span]) {
        self.0.push_str(&"#".repeat(level.min(6)));
        self.0.push(' ');
        spans(text, &mut self.0);
        self.0.push_str("\n\n");
    }

    fn paragraph(&mut self, text: &[Span]) {
        let start = self.0.len();
        spans(text, &mut self.0);
        guard_block_start(&mut self.0, start);
        self.0.push_str("\n\n");
    }

    fn bullets(&mut self, items: &[Vec<Span>]) {
        for item in items {
            self.0.push_str("- ");
            let start = self.0.len();
            spans(item, &mut self.0);
            guard_block_start(&mut self.0, start);
            self.0.push('\n');
        }
        self.0.push('\n');
    }

    fn question(
        &mut self,
        number: usize,
        question: &[Span],
        details: &[(&str, Vec<Span>)],
        prompts: &[Vec<Span>],
    ) {
        let indent = " ".repeat(format!("{number}. ").len());
        let _ = write!(self.0, "{number}. **");
        spans(question, &mut self.0);
        self.0.push_str("**\n\n");
        for (label, text) in details {
            self.0.push_str(&indent);
            let _ = write!(self.0, "*{label}:* ");
            spans(text, &mut self.0);
            self.0.push_str("\n\n");
        }
        if !prompts.is_empty() {
            self.0.push_str(&indent);
            self.0.push_str("*Follow-up prompts:*\n\n");
            for prompt in prompts {
                self.0.push_str(&indent);
                self.0.push_str("- ");
                spans(prompt, &mut self.0);
                self.0.push('\n');
            }
            self.0.push('\n');
        }
        self.0.push_str(&indent);
        self.0.push_str("*Notes:*\n\n");
        self.0.push_str(&indent);
        self.0.push_str("___\n\n");
    }

    fn notes_space(&mut self) {
        self.0.push_str("___\n\n___\n\n___\n\n");
    }

    fn finish(mut self) -> String {
        // One final newline, not a blank line.
        while self.0.ends_with("\n\n") {
            self.0.pop();
        }
        self.0
    }
}
