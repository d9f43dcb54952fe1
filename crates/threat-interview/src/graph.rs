//! The component graph: the component model as a petgraph graph, with derived facts.

/// The component model as a graph.
pub struct ComponentGraph;
