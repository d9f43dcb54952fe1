//! The component graph as a diagram: Mermaid ([`to_mermaid`]) and Graphviz DOT ([`to_dot`]).
//!
//! Trust boundaries are drawn as nested subgraphs (DOT clusters), elements inside their
//! innermost boundary; a flow that crosses a boundary (its ends in different boundaries, or a
//! boundary drawn as a line in `crosses`) is drawn thick, and its label says so. Each
//! element and flow is shaded by its coverage (`Coverage::of`): by the least advanced of its
//! (subject, STRIDE category) pairs, so that a gap shows in red whatever else was answered.
//! Out-of-scope elements are grey and dashed.
//!
//! Ids never reach the syntax as written: Mermaid nodes are named `n0`, `n1`... (subgraphs
//! `b0`...), in model order, and every label is escaped (`#34;` entity codes in Mermaid,
//! quoted strings in DOT), so any id and any name gives a valid diagram. The output is the
//! same bytes for the same engagement. Boundaries are nested without recursion: a deep or
//! cyclic nesting cannot overflow the stack (a boundary in a cycle is drawn at the top level).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::coverage::{Coverage, CoverageStatus};
use crate::model::{ComponentModel, Engagement};

/// The shade of each coverage status: (class, fill, stroke).
fn shade(status: Option<CoverageStatus>) -> (&'static str, &'static str, &'static str) {
    match status {
        Some(CoverageStatus::NotSurfaced | CoverageStatus::Skipped) => {
            ("gap", "#f6c6c6", "#b00020")
        }
        Some(CoverageStatus::Generated) => ("generated", "#fde2b8", "#b36b00"),
        Some(CoverageStatus::Planned) => ("planned", "#fff3b0", "#8a7500"),
        Some(CoverageStatus::Asked) => ("asked", "#cfe3f7", "#2f5f8a"),
        Some(CoverageStatus::Answered) => ("answered", "#c8ecc9", "#2e7d32"),
        None => ("out_of_scope", "#eeeeee", "#888888"),
    }
}

const LEGEND: [Option<CoverageStatus>; 6] = [
    Some(CoverageStatus::NotSurfaced),
    Some(CoverageStatus::Generated),
    Some(CoverageStatus::Planned),
    Some(CoverageStatus::Asked),
    Some(CoverageStatus::Answered),
    None,
];

/// What the diagram needs, worked out once for both syntaxes.
struct Layout<'e> {
    model: &'e ComponentModel,
    /// Each subject's least advanced status; absent for what is out of scope.
    status: BTreeMap<&'e str, CoverageStatus>,
    /// Boundary index → the boundaries nested in it (a parent that exists, in no cycle).
    children: Vec<Vec<usize>>,
    roots: Vec<usize>,
    /// Element indices per boundary, and those outside every boundary.
    members: Vec<Vec<usize>>,
    loose: Vec<usize>,
    /// Flow index → (source index, target index, whether it crosses a boundary); `None` for a
    /// flow whose ends are missing.
    flows: Vec<Option<(usize, usize, bool)>>,
}

impl<'e> Layout<'e> {
    fn of(engagement: &'e Engagement, coverage: &Coverage) -> Self {
        let model = &engagement.model;
        let mut status: BTreeMap<&str, CoverageStatus> = BTreeMap::new();
        for item in &coverage.items {
            if let Some(id) = subject_id(model, &item.subject) {
                let entry = status.entry(id).or_insert(item.status);
                *entry = (*entry).min(item.status);
            }
        }
        let boundary_index: BTreeMap<&str, usize> = model
            .boundaries
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.as_str(), i))
            .collect();
        let element_index: BTreeMap<&str, usize> = model
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        // Parents, cut where a chain comes back on itself.
        let n = model.boundaries.len();
        let mut parent: Vec<Option<usize>> = model
            .boundaries
            .iter()
            .map(|b| {
                b.parent
                    .as_deref()
                    .and_then(|p| boundary_index.get(p).copied())
            })
            .collect();
        let mut settled = vec![false; n];
        let mut on_chain = vec![false; n];
        for start in 0..n {
            let mut chain = Vec::new();
            let mut at = Some(start);
            while let Some(b) = at {
                if settled[b] {
                    break;
                }
                if on_chain[b] {
                    // A cycle: the boundary that closes it is drawn at the top level.
                    parent[b] = None;
                    break;
                }
                chain.push(b);
                on_chain[b] = true;
                at = parent[b];
            }
            for b in chain {
                settled[b] = true;
                on_chain[b] = false;
            }
        }
        let mut children = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (b, p) in parent.iter().enumerate() {
            match p {
                Some(p) => children[*p].push(b),
                None => roots.push(b),
            }
        }
        let element_boundary: Vec<Option<usize>> = model
            .elements
            .iter()
            .map(|e| {
                e.boundary
                    .as_deref()
                    .and_then(|b| boundary_index.get(b).copied())
            })
            .collect();
        let mut members = vec![Vec::new(); n];
        let mut loose = Vec::new();
        for (e, b) in element_boundary.iter().enumerate() {
            match b {
                Some(b) => members[*b].push(e),
                None => loose.push(e),
            }
        }
        let flows = model
            .flows
            .iter()
            .map(|f| {
                let s = *element_index.get(f.source.as_str())?;
                let t = *element_index.get(f.target.as_str())?;
                let crosses = element_boundary[s] != element_boundary[t] || !f.crosses.is_empty();
                Some((s, t, crosses))
            })
            .collect();
        Layout {
            model,
            status,
            children,
            roots,
            members,
            loose,
            flows,
        }
    }

    fn element_status(&self, e: usize) -> Option<CoverageStatus> {
        let element = &self.model.elements[e];
        (!element.out_of_scope)
            .then(|| self.status.get(element.id.as_str()).copied())
            .flatten()
    }

    fn flow_status(&self, f: usize) -> Option<CoverageStatus> {
        let flow = &self.model.flows[f];
        (!flow.out_of_scope)
            .then(|| self.status.get(flow.id.as_str()).copied())
            .flatten()
    }

    /// The boundaries in drawing order: `Open(b)` before its members and children, `Close`
    /// after; iterative, so nesting depth costs no stack.
    fn nesting(&self) -> Vec<Step> {
        let mut steps = Vec::new();
        let mut stack: Vec<Step> = self.roots.iter().rev().map(|b| Step::Open(*b)).collect();
        while let Some(step) = stack.pop() {
            steps.push(step);
            if let Step::Open(b) = step {
                stack.push(Step::Close);
                stack.extend(self.children[b].iter().rev().map(|c| Step::Open(*c)));
            }
        }
        steps
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    Open(usize),
    Close,
}

/// Two spaces a level, no deeper than 16 levels: a deep nesting would otherwise make the
/// output grow with the square of its depth.
fn indent(depth: usize) -> String {
    "  ".repeat(depth.min(16))
}

/// The id as the model holds it, borrowed from the model (coverage items own theirs).
fn subject_id<'m>(model: &'m ComponentModel, id: &str) -> Option<&'m str> {
    model
        .element(id)
        .map(|e| e.id.as_str())
        .or_else(|| model.flow(id).map(|f| f.id.as_str()))
}

fn status_words(status: Option<CoverageStatus>) -> &'static str {
    match status {
        Some(CoverageStatus::NotSurfaced) => "gap: not surfaced",
        Some(CoverageStatus::Skipped) => "gap: skipped",
        Some(CoverageStatus::Generated) => "generated",
        Some(CoverageStatus::Planned) => "planned",
        Some(CoverageStatus::Asked) => "asked",
        Some(CoverageStatus::Answered) => "answered",
        None => "out of scope",
    }
}

/// A Mermaid label: every character that could end or change it as an entity code.
fn mermaid_text(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_alphanumeric() || matches!(c, ' ' | '.' | ',' | '-' | '_' | ':' | '/' | '\'') {
            out.push(c);
        } else if c.is_control() {
            out.push(' ');
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
}

/// The component graph as a Mermaid flowchart.
pub fn to_mermaid(engagement: &Engagement) -> String {
    let coverage = Coverage::of(engagement);
    let layout = Layout::of(engagement, &coverage);
    let model = layout.model;
    let mut out = String::from("flowchart LR\n");
    let node = |out: &mut String, e: usize, level: usize| {
        let element = &model.elements[e];
        let status = layout.element_status(e);
        let _ = write!(out, "{}n{e}[\"", indent(level));
        mermaid_text(&element.name, out);
        out.push_str("<br/>");
        mermaid_text(
            &format!("{}, {}", element.kind.words(), status_words(status)),
            out,
        );
        let _ = writeln!(out, "\"]:::{}", shade(status).0);
    };
    let mut depth = 1;
    for step in layout.nesting() {
        match step {
            Step::Open(b) => {
                let _ = write!(out, "{}subgraph b{b}[\"", indent(depth));
                mermaid_text(&model.boundaries[b].name, &mut out);
                out.push_str("\"]\n");
                depth += 1;
                for e in &layout.members[b] {
                    node(&mut out, *e, depth);
                }
            }
            Step::Close => {
                depth -= 1;
                let _ = writeln!(out, "{}end", indent(depth));
            }
        }
    }
    for e in &layout.loose {
        node(&mut out, *e, 1);
    }
    let mut link = 0;
    let mut link_styles = String::new();
    for (f, ends) in layout.flows.iter().enumerate() {
        let Some((s, t, crosses)) = ends else {
            continue;
        };
        let flow = &model.flows[f];
        let arrow = match (crosses, flow.bidirectional) {
            (true, true) => "<==>",
            (true, false) => "==>",
            (false, true) => "<-->",
            (false, false) => "-->",
        };
        let status = layout.flow_status(f);
        let _ = write!(out, "  n{s} {arrow}|\"");
        mermaid_text(&flow.name, &mut out);
        if *crosses {
            mermaid_text(" (crosses a boundary)", &mut out);
        }
        mermaid_text(&format!(", {}", status_words(status)), &mut out);
        let _ = writeln!(out, "\"| n{t}");
        let (_, _, stroke) = shade(status);
        let width = if *crosses { 3 } else { 1 };
        let _ = writeln!(
            link_styles,
            "  linkStyle {link} stroke:{stroke},stroke-width:{width}px"
        );
        link += 1;
    }
    out.push_str(&link_styles);
    for status in LEGEND {
        let (class, fill, stroke) = shade(status);
        let dash = if status.is_none() {
            ",stroke-dasharray:4 3"
        } else {
            ""
        };
        let _ = writeln!(out, "  classDef {class} fill:{fill},stroke:{stroke}{dash}");
    }
    out
}

/// A DOT quoted string's content: `"` and `\` escaped, line breaks as `\n`.
fn dot_text(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// The component graph as a Graphviz DOT digraph.
pub fn to_dot(engagement: &Engagement) -> String {
    let coverage = Coverage::of(engagement);
    let layout = Layout::of(engagement, &coverage);
    let model = layout.model;
    let mut out = String::from("digraph \"");
    dot_text(&engagement.name, &mut out);
    out.push_str("\" {\n  rankdir=LR;\n  node [style=filled, fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    let node = |out: &mut String, e: usize, level: usize| {
        let element = &model.elements[e];
        let status = layout.element_status(e);
        let (_, fill, stroke) = shade(status);
        let shape = match element.kind {
            crate::model::ElementKind::ExternalInteractor => "box",
            crate::model::ElementKind::Process => "ellipse",
            crate::model::ElementKind::DataStore => "cylinder",
        };
        let style = if status.is_none() {
            "filled,dashed"
        } else {
            "filled"
        };
        let _ = write!(out, "{}\"", indent(level));
        dot_text(&element.id, out);
        out.push_str("\" [label=\"");
        dot_text(&element.name, out);
        out.push_str("\\n");
        dot_text(status_words(status), out);
        let _ = writeln!(
            out,
            "\", shape={shape}, style=\"{style}\", fillcolor=\"{fill}\", color=\"{stroke}\"];"
        );
    };
    let mut depth = 1;
    for step in layout.nesting() {
        match step {
            Step::Open(b) => {
                let boundary = &model.boundaries[b];
                let _ = write!(
                    out,
                    "{}subgraph cluster_{b} {{\n{}label=\"",
                    indent(depth),
                    indent(depth + 1)
                );
                dot_text(&boundary.name, &mut out);
                out.push_str("\";\n");
                depth += 1;
                let _ = writeln!(out, "{}style=dashed; color=\"#555555\";", indent(depth));
                for e in &layout.members[b] {
                    node(&mut out, *e, depth);
                }
            }
            Step::Close => {
                depth -= 1;
                let _ = writeln!(out, "{}}}", indent(depth));
            }
        }
    }
    for e in &layout.loose {
        node(&mut out, *e, 1);
    }
    for (f, ends) in layout.flows.iter().enumerate() {
        let Some((s, t, crosses)) = ends else {
            continue;
        };
        let flow = &model.flows[f];
        let status = layout.flow_status(f);
        let (_, _, stroke) = shade(status);
        out.push_str("  \"");
        dot_text(&model.elements[*s].id, &mut out);
        out.push_str("\" -> \"");
        dot_text(&model.elements[*t].id, &mut out);
        out.push_str("\" [label=\"");
        dot_text(&flow.name, &mut out);
        if *crosses {
            out.push_str("\\n(crosses a boundary)");
        }
        out.push_str("\\n");
        dot_text(status_words(status), &mut out);
        let _ = write!(out, "\", color=\"{stroke}\"");
        if *crosses {
            out.push_str(", penwidth=3");
        }
        if flow.bidirectional {
            out.push_str(", dir=both");
        }
        if status.is_none() {
            out.push_str(", style=dashed");
        }
        out.push_str("];\n");
    }
    out.push_str("}\n");
    out
}
