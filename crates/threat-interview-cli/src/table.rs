//! Tables for a terminal: columns sized to their content, the whole within 100 columns by
//! default. Narrow columns are cut with `…` past their cap; the last column wraps at word
//! boundaries under itself. Widths count characters, and no cell can make the formatter fail
//! (a width past 65,535 would: long ids are cut instead).

/// The width tables fit by default.
pub(crate) const WIDTH: usize = 100;

/// A table under construction.
#[derive(Debug)]
pub(crate) struct Table {
    headers: Vec<String>,
    /// The most characters each column but the last shows; longer cells are cut.
    caps: Vec<usize>,
    /// Which columns are right-aligned.
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these headers; every column but the last is capped at `cap` characters.
    pub(crate) fn new(headers: &[&str], cap: usize) -> Table {
        Table {
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            caps: vec![cap; headers.len()],
            right: vec![false; headers.len()],
            rows: Vec::new(),
        }
    }

    /// Caps one column at a width.
    pub(crate) fn cap(mut self, column: usize, cap: usize) -> Table {
        if let Some(c) = self.caps.get_mut(column) {
            *c = cap;
        }
        self
    }

    /// Aligns one column to the right (numbers).
    pub(crate) fn right(mut self, column: usize) -> Table {
        if let Some(r) = self.right.get_mut(column) {
            *r = true;
        }
        self
    }

    /// Adds a row.
    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The table as text, every line within `width` characters where the columns allow.
    pub(crate) fn render(&self, width: usize) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| chars(h)).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(n.saturating_sub(1)) {
                widths[i] = widths[i].max(chars(cell).min(self.caps[i]));
            }
        }
        let fixed: usize = widths[..n.saturating_sub(1)].iter().map(|w| w + 2).sum();
        let last = width.saturating_sub(fixed).max(20);
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut wrapped: Vec<String> = Vec::new();
            let mut prefix = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 == n {
                    wrapped = wrap(cell, last);
                    break;
                }
                let text = cut(cell, widths[i]);
                let pad = widths[i] - chars(&text);
                if self.right[i] {
                    prefix.extend(std::iter::repeat_n(' ', pad));
                    prefix.push_str(&text);
                } else {
                    prefix.push_str(&text);
                    prefix.extend(std::iter::repeat_n(' ', pad));
                }
                prefix.push_str("  ");
            }
            let indent = " ".repeat(chars(&prefix));
            let mut first = true;
            for part in if wrapped.is_empty() {
                vec![String::new()]
            } else {
                wrapped
            } {
                let lead = if first { &prefix } else { &indent };
                first = false;
                let text = format!("{lead}{part}");
                out.push_str(text.trim_end());
                out.push('\n');
            }
        };
        line(&self.headers, &mut out);
        for row in &self.rows {
            line(row, &mut out);
        }
        out
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// A cell cut to a width, with `…` when cut.
pub(crate) fn cut(text: &str, width: usize) -> String {
    if chars(text) <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Text wrapped at spaces into lines of at most `width` characters (a longer word is cut); a
/// newline in the text starts a new line.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|paragraph| wrap_line(paragraph, width))
        .collect()
}

fn wrap_line(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let word = cut(word, width);
        if !current.is_empty() && chars(&current) + 1 + chars(&word) > width {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_and_the_last_one_wraps() {
        let mut table = Table::new(&["ID", "N", "TEXT"], 10).right(1);
        table.row(vec![
            "short".into(),
            "3".into(),
            "one two three four five six".into(),
        ]);
        table.row(vec![
            "a-very-long-identifier".into(),
            "12".into(),
            "x".into(),
        ]);
        let text = table.render(40);
        assert_eq!(
            text,
            "ID           N  TEXT\nshort        3  one two three four five\n                six\na-very-lo…  12  x\n"
        );
        assert!(text.lines().all(|l| l.chars().count() <= 40));
    }

    #[test]
    fn a_huge_cell_is_cut_not_a_formatting_failure() {
        let mut table = Table::new(&["ID", "TEXT"], 40);
        table.row(vec!["x".repeat(70_000), "y".repeat(70_000)]);
        let text = table.render(WIDTH);
        assert!(text.lines().all(|l| l.chars().count() <= WIDTH));
    }
}
