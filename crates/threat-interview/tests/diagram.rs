//! The component graph as Mermaid and DOT: any id or name gives valid syntax, boundaries nest
//! without recursion, coverage shades.

use threat_interview::diagram::{to_dot, to_mermaid};
use threat_interview::{AssuranceLevel, Boundary, Element, ElementKind, Engagement, Flow};

const NASTY: &str = "a\"b\\c]x[y{z}|w;#q`<script>\nend";

fn engagement() -> Engagement {
    let mut engagement = Engagement::new("e1", NASTY, AssuranceLevel::Fast);
    let mut outer = Boundary::new(NASTY, NASTY);
    outer.description = None;
    let mut inner = Boundary::new("inner\"", "subgraph end");
    inner.parent = Some(NASTY.to_owned());
    let mut user = Element::new("user -> x", NASTY, ElementKind::ExternalInteractor);
    user.boundary = None;
    let mut app = Element::new(NASTY, "end", ElementKind::Process);
    app.boundary = Some("inner\"".to_owned());
    engagement.model.boundaries = vec![outer, inner];
    engagement.model.elements = vec![user, app];
    engagement.model.flows = vec![Flow::new("f\"1", NASTY, "user -> x", NASTY)];
    engagement
}

#[test]
fn any_id_or_name_is_escaped() {
    let engagement = engagement();
    let mermaid = to_mermaid(&engagement);
    // No user text reaches the syntax: every quote, bracket, brace, pipe and hash is an entity.
    for line in mermaid.lines() {
        let quoted: Vec<&str> = line.split('"').collect();
        assert!(
            quoted.len() == 1 || quoted.len() == 3 || quoted.len() == 5,
            "{line}"
        );
        for (i, part) in quoted.iter().enumerate() {
            if i % 2 == 1 {
                assert!(
                    !part.contains(['[', ']', '{', '}', '|', '`', '<', '>', '\n'])
                        || part.contains("<br/>"),
                    "{part}"
                );
            }
        }
    }
    assert!(
        mermaid.contains(
            "subgraph b0[\"a#34;b#92;c#93;x#91;y#123;z#125;#124;w#59;#35;q#96;#60;script#62; end\"]"
        ),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("  n0 ==>|"),
        "the flow crosses into the boundaries: {mermaid}"
    );
    let dot = to_dot(&engagement);
    assert!(
        dot.contains("\"a\\\"b\\\\c]x[y{z}|w;#q`<script>\\nend\" [label="),
        "{dot}"
    );
    assert!(dot.contains("subgraph cluster_1 {"), "{dot}");
    // Every quote in the DOT text is escaped or paired.
    for line in dot.lines() {
        let unescaped = line
            .replace("\\\\", "")
            .replace("\\\"", "")
            .matches('"')
            .count();
        assert_eq!(unescaped % 2, 0, "{line}");
    }
}

#[test]
fn deep_and_cyclic_nesting_draws_without_recursion() {
    let mut engagement = Engagement::new("e1", "deep", AssuranceLevel::Fast);
    let depth = 20_000;
    engagement.model.boundaries = (0..depth)
        .map(|i| {
            let mut b = Boundary::new(format!("b{i}"), format!("B{i}"));
            b.parent = Some(format!("b{}", (i + 1) % depth));
            b
        })
        .collect();
    let mermaid = to_mermaid(&engagement);
    assert_eq!(mermaid.matches("subgraph").count(), depth);
    assert_eq!(mermaid.matches('\n').count(), 1 + 2 * depth + 6);
    assert!(mermaid.len() < 100 * depth, "indentation stops growing");
    let dot = to_dot(&engagement);
    assert_eq!(dot.matches("subgraph cluster_").count(), depth);
}
