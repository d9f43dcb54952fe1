//! Compact HTML tables for Jupyter's `_repr_html_`.

use std::fmt::Write as _;

/// The most rows a table shows; the caption says how many were left out.
pub(crate) const MAX_ROWS: usize = 50;

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// A table with a caption, a header row and at most [`MAX_ROWS`] rows; every cell is escaped.
/// `total` is how many rows there are in all (`rows` may stop early): the footer counts those
/// left out.
pub(crate) fn table<R, C>(caption: &str, headers: &[&str], rows: R, total: usize) -> String
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = String>,
{
    let mut html = String::from("<table class=\"threat-interview\">");
    let _ = write!(html, "<caption>{}</caption><thead><tr>", escape(caption));
    for header in headers {
        let _ = write!(html, "<th>{}</th>", escape(header));
    }
    html.push_str("</tr></thead><tbody>");
    let mut shown = 0usize;
    for row in rows.into_iter().take(MAX_ROWS) {
        shown += 1;
        html.push_str("<tr>");
        for cell in row {
            let _ = write!(html, "<td>{}</td>", escape(&cell));
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody>");
    let hidden = total.saturating_sub(shown);
    if hidden > 0 {
        let _ = write!(
            html,
            "<tfoot><tr><td colspan=\"{}\">… and {hidden} more</td></tr></tfoot>",
            headers.len()
        );
    }
    html.push_str("</table>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_and_caption_are_escaped() {
        let html = table(
            "<b>",
            &["a&b"],
            [vec!["<script>\"x\"</script>".to_owned()]],
            1,
        );
        assert!(html.contains("<caption>&lt;b&gt;</caption>"), "{html}");
        assert!(html.contains("<th>a&amp;b</th>"), "{html}");
        assert!(
            html.contains("<td>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</td>"),
            "{html}"
        );
    }

    #[test]
    fn long_tables_are_cut_with_a_count() {
        let rows = (0..MAX_ROWS + 3).map(|i| vec![i.to_string()]);
        let html = table("t", &["n"], rows, MAX_ROWS + 3);
        assert_eq!(html.matches("<tr><td>").count(), MAX_ROWS);
        assert!(html.contains("… and 3 more"), "{html}");
    }
}
