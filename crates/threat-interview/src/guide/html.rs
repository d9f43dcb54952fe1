//! The guide as one self-contained HTML file: the style inline, no script, no external
//! resource (nothing to fetch: it opens offline and prints as it shows), every text escaped.

use std::fmt::Write as _;

use super::{Guide, GuideError, Out, Span, render};
use crate::model::Engagement;

/// The interview guide of one interview (`Some(id)`) or of the whole engagement, as one HTML
/// document.
///
/// # Errors
///
/// [`GuideError::UnknownInterview`] when `interview` names no interview of the engagement.
pub fn to_html(engagement: &Engagement, interview: Option<&str>) -> Result<String, GuideError> {
    let guide = Guide::gather(engagement, interview)?;
    let title = match &guide.interviews[..] {
        [one] if !guide.whole => format!("Interview guide: {}", one.interview.title),
        _ => format!("Interview guide: {}", engagement.name),
    };
    let mut out = Html(String::new());
    out.0
        .push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.0.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    escape(&title, &mut out.0);
    out.0.push_str("</title>\n<style>\n");
    out.0.push_str(STYLE);
    out.0.push_str("</style>\n</head>\n<body>\n<main>\n");
    render(&guide, &mut out);
    Ok(out.finish())
}

const STYLE: &str = "\
body { font-family: system-ui, sans-serif; line-height: 1.45; margin: 0; color: #1b1b1b; }
main { max-width: 52rem; margin: 0 auto; padding: 1.5rem; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; margin: 1.4em 0 0.5em; }
h1 { font-size: 1.7rem; } h2 { font-size: 1.4rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.2rem; } h4 { font-size: 1.05rem; } h5, h6 { font-size: 1rem; color: #444; }
code { font-family: ui-monospace, monospace; font-size: 0.9em; background: #f2f2f2; padding: 0 0.2em; }
.question { border-left: 3px solid #5a7fa8; padding: 0.2rem 0 0.2rem 0.8rem; margin: 0.8rem 0; }
.question .text { font-weight: 600; margin: 0 0 0.3rem; }
.question .detail { margin: 0.2rem 0; } .label { font-style: italic; color: #555; }
.notes { border: 1px dashed #999; min-height: 4rem; margin: 0.4rem 0; }
@media print { .question { break-inside: avoid; } }
";

struct Html(String);

/// Text with `&`, `<`, `>` and both quotes escaped; control characters dropped.
fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

fn spans(spans: &[Span], out: &mut String) {
    for span in spans {
        match span {
            Span::Text(t) => escape(t, out),
            Span::Code(t) => {
                out.push_str("<code>");
                escape(t, out);
                out.push_str("</code>");
            }
            Span::Strong(t) => {
                out.push_str("<strong>");
                escape(t, out);
                out.push_str("</strong>");
            }
        }
    }
}

impl Out for Html {
    fn heading(&mut self, level: usize, text: &[Span]) {
        let level = level.clamp(1, 6);
        let _ = write!(self.0, "<h{level}>");
        spans(text, &mut self.0);
        let _ = writeln!(self.0, "</h{level}>");
    }

    fn paragraph(&mut self, text: &[Span]) {
        self.0.push_str("<p>");
        spans(text, &mut self.0);
        self.0.push_str("</p>\n");
    }

    fn bullets(&mut self, items: &[Vec<Span>]) {
        self.0.push_str("<ul>\n");
        for item in items {
            self.0.push_str("<li>");
            spans(item, &mut self.0);
            self.0.push_str("</li>\n");
        }
        self.0.push_str("</ul>\n");
    }

    fn question(
        &mut self,
        number: usize,
        question: &[Span],
        details: &[(&str, Vec<Span>)],
        prompts: &[Vec<Span>],
    ) {
        self.0
            .push_str("<section class=\"question\">\n<p class=\"text\">");
        let _ = write!(self.0, "{number}. ");
        spans(question, &mut self.0);
        self.0.push_str("</p>\n");
        for (label, text) in details {
            self.0
                .push_str("<p class=\"detail\"><span class=\"label\">");
            escape(label, &mut self.0);
            self.0.push_str(":</span> ");
            spans(text, &mut self.0);
            self.0.push_str("</p>\n");
        }
        if !prompts.is_empty() {
            self.0.push_str(
                "<p class=\"detail\"><span class=\"label\">Follow-up prompts:</span></p>\n",
            );
            self.bullets(prompts);
        }
        self.0.push_str("<div class=\"notes\"></div>\n</section>\n");
    }

    fn notes_space(&mut self) {
        self.0
            .push_str("<div class=\"notes\" style=\"min-height: 12rem\"></div>\n");
    }

    fn finish(mut self) -> String {
        self.0.push_str("</main>\n</body>\n</html>\n");
        self.0
    }
}
