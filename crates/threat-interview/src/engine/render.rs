//! Filling a template's placeholders for one subject: names, never ids.

use std::fmt::Write as _;

use crate::bank::{Placeholder, Segment};
use crate::graph::{ComponentGraph, ElementIx};

use super::eval::Target;

/// The most names a list placeholder spells out before `and N others`.
const MAX_NAMES: usize = 5;

/// A placeholder value computed on first use for a subject; its buffer is reused for the
/// next subject.
#[derive(Debug, Default)]
struct Slot {
    text: String,
    ready: bool,
}

impl Slot {
    fn get_or_fill(&mut self, fill: impl FnOnce(&mut String)) -> &str {
        if !self.ready {
            self.text.clear();
            fill(&mut self.text);
            self.ready = true;
        }
        &self.text
    }
}

/// The values of a subject's list placeholders, computed on first use and shared by every
/// question about the subject.
#[derive(Debug, Default)]
pub(crate) struct SubjectTexts {
    boundaries: Slot,
    data: Slot,
    callers: Slot,
    targets: Slot,
}

impl SubjectTexts {
    /// Forgets the values, for the next subject.
    pub(crate) fn clear(&mut self) {
        self.boundaries.ready = false;
        self.data.ready = false;
        self.callers.ready = false;
        self.targets.ready = false;
    }
}

pub(crate) struct Renderer<'g> {
    pub(crate) graph: &'g ComponentGraph,
    pub(crate) engagement_name: &'g str,
}

impl Renderer<'_> {
    /// Appends the text of a template for a subject (`None` for the engagement) to `out`.
    pub(crate) fn render(
        &self,
        segments: &[Segment],
        subject: Option<Target>,
        cache: &mut SubjectTexts,
        out: &mut String,
    ) {
        for segment in segments {
            match segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::Placeholder(p) => self.fill(*p, subject, cache, out),
            }
        }
    }

    fn fill(
        &self,
        p: Placeholder,
        subject: Option<Target>,
        cache: &mut SubjectTexts,
        out: &mut String,
    ) {
        let graph = self.graph;
        let Some(subject) = subject else {
            // Loading rejects every other placeholder on engagement-level templates.
            out.push_str(self.engagement_name);
            return;
        };
        match (p, subject) {
            (Placeholder::Engagement, _) => out.push_str(self.engagement_name),
            (Placeholder::Element, Target::Element(e)) => out.push_str(&graph.element(e).name),
            (Placeholder::Element, Target::Flow(f)) => out.push_str(&graph.flow(f).name),
            (Placeholder::Kind, Target::Element(e)) => out.push_str(graph.element(e).kind.words()),
            (Placeholder::Kind, Target::Flow(_)) => out.push_str("data flow"),
            (Placeholder::Source | Placeholder::Target, Target::Flow(f)) => {
                let flow = graph.flow(f);
                let id = if p == Placeholder::Source {
                    &flow.source
                } else {
                    &flow.target
                };
                match graph.element_ix(id) {
                    Some(e) => out.push_str(&graph.element(e).name),
                    None => out.push_str(id),
                }
            }
            (Placeholder::Protocol, Target::Flow(f)) => {
                out.push_str(
                    graph
                        .flow(f)
                        .protocol
                        .as_deref()
                        .unwrap_or("an unspecified protocol"),
                );
            }
            (Placeholder::Boundary, Target::Element(e)) => match graph.innermost_boundary(e) {
                Some(b) => out.push_str(&graph.boundary(b).name),
                None => out.push_str("no trust boundary"),
            },
            (Placeholder::Boundary, Target::Flow(f)) => {
                match graph
                    .leaves(f)
                    .next()
                    .or_else(|| graph.enters(f).first().copied())
                {
                    Some(b) => out.push_str(&graph.boundary(b).name),
                    None => out.push_str("no trust boundary"),
                }
            }
            (Placeholder::Boundaries, _) => {
                let text = cache.boundaries.get_or_fill(|text| {
                    let boundaries = match subject {
                        Target::Element(e) => graph.boundary_path(e),
                        Target::Flow(f) => graph.crossed(f),
                    };
                    let names: Vec<&str> = boundaries
                        .iter()
                        .map(|&b| graph.boundary(b).name.as_str())
                        .collect();
                    if names.is_empty() {
                        text.push_str("no trust boundary");
                    } else {
                        for (i, name) in names.iter().enumerate() {
                            if i > 0 {
                                text.push_str(", ");
                            }
                            text.push_str(name);
                        }
                    }
                });
                out.push_str(text);
            }
            (Placeholder::Data, _) => {
                let text = cache.data.get_or_fill(|text| {
                    let mut names: Vec<&str> = Vec::new();
                    let mut add = |f| {
                        for item in &graph.flow(f).data {
                            if !names.contains(&item.name.as_str()) {
                                names.push(&item.name);
                            }
                        }
                    };
                    match subject {
                        Target::Flow(f) => add(f),
                        Target::Element(e) => {
                            for &f in graph.outgoing(e).iter().chain(graph.incoming(e)) {
                                add(f);
                            }
                        }
                    }
                    if names.is_empty() {
                        text.push_str("unspecified data");
                    } else {
                        join_names(&names, text);
                    }
                });
                out.push_str(text);
            }
            (Placeholder::Callers, Target::Element(e)) => {
                let text = cache.callers.get_or_fill(|text| {
                    if !peers(graph, e, true, text) {
                        text.push_str("its callers");
                    }
                });
                out.push_str(text);
            }
            (Placeholder::Targets, Target::Element(e)) => {
                let text = cache.targets.get_or_fill(|text| {
                    if !peers(graph, e, false, text) {
                        text.push_str("the elements it calls");
                    }
                });
                out.push_str(text);
            }
            // Loading rejects placeholders on kinds they mean nothing for; a bank built in code
            // that skipped the checks gets the placeholder back as written.
            (p, _) => {
                let _ = write!(out, "{{{}}}", p.name());
            }
        }
    }
}

/// Appends the names of the sources of an element's incoming flows (`callers`), or of the
/// targets of its outgoing ones, bidirectional flows counting both ways; false when there are
/// none.
fn peers(graph: &ComponentGraph, e: ElementIx, callers: bool, out: &mut String) -> bool {
    let mut seen: Vec<ElementIx> = Vec::new();
    let mut push = |other: ElementIx| {
        if other != e && !seen.contains(&other) {
            seen.push(other);
        }
    };
    let (direct, reverse) = if callers {
        (graph.incoming(e), graph.outgoing(e))
    } else {
        (graph.outgoing(e), graph.incoming(e))
    };
    for &f in direct {
        if let Some((s, t)) = graph.flow_endpoints(f) {
            push(if callers { s } else { t });
        }
    }
    for &f in reverse {
        if graph.flow(f).bidirectional
            && let Some((s, t)) = graph.flow_endpoints(f)
        {
            push(if callers { t } else { s });
        }
    }
    let mut names: Vec<&str> = Vec::with_capacity(seen.len());
    for &x in &seen {
        let name = graph.element(x).name.as_str();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    join_names(&names, out);
    !names.is_empty()
}

/// Appends `A`, `A and B`, `A, B and C`; past [`MAX_NAMES`], `A, B, C, D, E and 3 others`.
pub(crate) fn join_names(names: &[&str], out: &mut String) {
    let shown = names.len().min(MAX_NAMES);
    for (i, name) in names[..shown].iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == shown && names.len() <= MAX_NAMES {
                " and "
            } else {
                ", "
            });
        }
        out.push_str(name);
    }
    if names.len() > MAX_NAMES {
        let _ = write!(out, " and {} others", names.len() - MAX_NAMES);
    }
}

#[cfg(test)]
mod tests {
    use super::join_names;

    fn joined(names: &[&str]) -> String {
        let mut out = String::new();
        join_names(names, &mut out);
        out
    }

    #[test]
    fn names_are_joined_in_english() {
        assert_eq!(joined(&["A"]), "A");
        assert_eq!(joined(&["A", "B"]), "A and B");
        assert_eq!(joined(&["A", "B", "C"]), "A, B and C");
        assert_eq!(joined(&["A", "B", "C", "D", "E"]), "A, B, C, D and E");
        assert_eq!(
            joined(&["A", "B", "C", "D", "E", "F", "G"]),
            "A, B, C, D, E and 2 others"
        );
    }
}
