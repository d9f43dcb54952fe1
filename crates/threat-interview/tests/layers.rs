//! The architecture's invariants, checked: the core's modules depend on each other in one
//! direction only (no cycle), in the layers ARCHITECTURE.md draws, and the core depends on no
//! surface (pyo3, clap).
//!
//! The module graph is read from the sources: a module depends on another when its files name
//! `crate::other` (or `super::other` from a top-level file). `cargo test -p threat-interview
//! --test layers` prints the graph when it fails.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under a directory.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/bank/set.rs` is `bank`); `None` for lib.rs.
fn module_of(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src()).unwrap();
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "lib").then_some(name)
}

/// Which top-level modules each top-level module names, outside its tests.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        // Unit tests may reach anywhere, and documentation may point anywhere: neither is part
        // of the layering.
        let code: String = text
            .split("#[cfg(test)]")
            .next()
            .unwrap_or("")
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) && name != module {
                graph.get_mut(&module).unwrap().insert(name);
            }
        }
    }
    graph
}

fn visit<'g>(
    node: &'g str,
    graph: &'g BTreeMap<String, BTreeSet<String>>,
    state: &mut BTreeMap<&'g str, u8>,
    path: &mut Vec<&'g str>,
) -> Option<Vec<String>> {
    state.insert(node, 1);
    path.push(node);
    for next in &graph[node] {
        match state.get(next.as_str()).copied().unwrap_or(0) {
            1 => {
                let from = path.iter().position(|n| *n == next).unwrap();
                let mut found: Vec<String> = path[from..].iter().map(|s| (*s).to_owned()).collect();
                found.push(next.clone());
                return Some(found);
            }
            0 => {
                if let Some(found) = visit(next, graph, state, path) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    path.pop();
    state.insert(node, 2);
    None
}

/// A cycle in the graph, if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    // 0: not seen, 1: on the path, 2: done.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0 {
            let mut path = Vec::new();
            if let Some(found) = visit(node, graph, &mut state, &mut path) {
                return Some(found);
            }
        }
    }
    None
}

fn render(graph: &BTreeMap<String, BTreeSet<String>>) -> String {
    graph
        .iter()
        .map(|(m, deps)| {
            format!(
                "{m} -> {}",
                deps.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_module_graph_has_no_cycle() {
    let graph = graph();
    if let Some(found) = cycle(&graph) {
        panic!("a cycle: {}\n\n{}", found.join(" -> "), render(&graph));
    }
}

#[test]
fn the_layers_point_down() {
    // Lower layers first; a module may only name modules of its own layer or below.
    let layers: &[&[&str]] = &[
        &["diagnostic"],
        &["source"],
        &["model", "schema"],
        &["validate", "graph", "calendar"],
        &["bank", "io", "record", "readiness"],
        &["engine", "risk"],
        &["coverage", "plan"],
        &["import", "guide", "sheet", "diagram"],
        &["synthetic"],
    ];
    let layer_of = |m: &str| layers.iter().position(|l| l.contains(&m));
    let graph = graph();
    for (module, deps) in &graph {
        let Some(own) = layer_of(module) else {
            panic!("module `{module}` is in no layer of this test (and of ARCHITECTURE.md)");
        };
        for dep in deps {
            let theirs = layer_of(dep).unwrap_or(usize::MAX);
            assert!(
                theirs <= own,
                "`{module}` (layer {own}) names `{dep}` (layer {theirs}), above it\n\n{}",
                render(&graph)
            );
        }
    }
}

#[test]
fn the_core_depends_on_no_surface() {
    let manifest =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .unwrap();
    for forbidden in ["pyo3", "clap", "pythonize"] {
        assert!(
            !manifest
                .lines()
                .any(|l| l.trim_start().starts_with(forbidden)),
            "the core crate depends on `{forbidden}`"
        );
    }
}
