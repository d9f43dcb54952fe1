//! What the command-line tests share: the repository root, the bundled example, running the
//! built binary from the root.

#![allow(dead_code)] // each test file uses its own part of this module

use std::path::PathBuf;
use std::process::{Command, Output};

/// The bundled example engagement, relative to the repository root.
pub(crate) const EXAMPLE: &str = "examples/engagements/online-shop.json";

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `threat-interview ARGS` from the repository root.
pub(crate) fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_threat-interview"))
        .args(args)
        .current_dir(repo())
        .output()
        .expect("the binary runs")
}

/// What the command printed on standard output.
pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// What the command printed on standard error.
pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}
