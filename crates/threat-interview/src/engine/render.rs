//! Filling a template's placeholders for one subject: names, never ids.

use std::fmt::Write as _;

use crate::bank::{Placeholder, Segment};
use crate::graph::{ComponentGraph, ElementIx};

use super::eval::Target;

/// The most names a list placeholder spells out before `and N others`.
const MAX_NAMES: usize = 5;

/// The values of a subject's placeholders, computed on first use and shared by every question
/// about the subject.
#[derive(Debug, Default)]
pub(crate) struct SubjectTexts {
    boundaries: Option<String>,
    data: Option<String>,
    callers: Option<String>,
    targets: Option<String>,
}

pub(crate) struct Renderer<'g, 'm> {
    pub(crate) graph: &'g ComponentGraph<'m>,
    pub(crate) engagement_name: &'m str,
}

impl Renderer<'_, '_> {
    /// Renders the text of a template for a subject (`None` for the engagement).
    pub(crate) fn render(
        &self,
        segments: &[Segment],
        subject: Option<Target>,
        cache: &mut SubjectTexts,
    ) -> String {
        let mut out = String::with_capacity(
            segments
                .iter()
                .map(|s| match s {
                    Segment::Literal(l) => l.len(),
                    Segment::Placeholder(_) => 16,
                })
                .sum(),
        );
        for segment in segments {
            match segment {
                Segment::Literal(text) => out.push_str(text),
                Segment::Placeholder(p) => self.fill(*p, subject, cache, &mut out),
            }
        }
        out
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
            (Placeholder::Kind, Target::Element(e)) => {
                out.push_str(&graph.element(e).kind.as_str().replace('_', " "));
            }
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
            (Placeholder::Boundary, Target::Element(e)) => match graph.boundary_path(e).last() {
                Some(&b) => out.push_str(&graph.boundary(b).name),
                None => out.push_str("no trust boundary"),
            },
            (Placeholder::Boundary, Target::Flow(f)) => match graph.crossing(f).all().next() {
                Some(b) => out.push_str(&graph.boundary(b).name),
                None => out.push_str("no trust boundary"),
            },
            (Placeholder::Boundaries, _) => {
                let text = cache.boundaries.get_or_insert_with(|| {
                    let names: Vec<&str> = match subject {
                        Target::Element(e) => graph
                            .boundary_path(e)
                            .iter()
                            .map(|&b| graph.boundary(b).name.as_str())
                            .collect(),
                        Target::Flow(f) => graph
                            .crossing(f)
                            .all()
                            .map(|b| graph.boundary(b).name.as_str())
                            .collect(),
                    };
                    if names.is_empty() {
                        "no trust boundary".to_owned()
                    } else {
                        names.join(", ")
                    }
                });
                out.push_str(text);
            }
            (Placeholder::Data, _) => {
                let text = cache.data.get_or_insert_with(|| {
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
                        "unspecified data".to_owned()
                    } else {
                        join_names(&names)
                    }
                });
                out.push_str(text);
            }
            (Placeholder::Callers, Target::Element(e)) => {
                let text = cache.callers.get_or_insert_with(|| {
                    peers(graph, e, true).unwrap_or_else(|| "its callers".to_owned())
                });
                out.push_str(text);
            }
            (Placeholder::Targets, Target::Element(e)) => {
                let text = cache.targets.get_or_insert_with(|| {
                    peers(graph, e, false).unwrap_or_else(|| "the elements it calls".to_owned())
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

/// The names of the sources of an element's incoming flows (`callers`), or of the targets of
/// its outgoing ones, bidirectional flows counting both ways; `None` when there are none.
fn peers(graph: &ComponentGraph<'_>, e: ElementIx, callers: bool) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    let mut push = |other: ElementIx| {
        let name = graph.element(other).name.as_str();
        if other != e && !names.contains(&name) {
            names.push(name);
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
    (!names.is_empty()).then(|| join_names(&names))
}

/// `A`, `A and B`, `A, B and C`; past [`MAX_NAMES`], `A, B, C, D, E and 3 others`.
pub(crate) fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        _ if names.len() > MAX_NAMES => format!(
            "{} and {} others",
            names[..MAX_NAMES].join(", "),
            names.len() - MAX_NAMES
        ),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::join_names;

    #[test]
    fn names_are_joined_in_english() {
        assert_eq!(join_names(&["A"]), "A");
        assert_eq!(join_names(&["A", "B"]), "A and B");
        assert_eq!(join_names(&["A", "B", "C"]), "A, B and C");
        assert_eq!(
            join_names(&["A", "B", "C", "D", "E", "F", "G"]),
            "A, B, C, D, E and 2 others"
        );
    }
}
