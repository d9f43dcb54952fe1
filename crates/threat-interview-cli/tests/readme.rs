//! The README's command-line examples run, and the output it quotes is what the command prints.

mod common;

use common::{repo, run};

fn readme() -> String {
    std::fs::read_to_string(repo().join("README.md")).expect("README.md is readable")
}

/// The contents of the README's fenced blocks of a language.
fn blocks(text: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}");
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_end() == fence => current = Some(String::new()),
            Some(block) if line.trim_end() == "```" => {
                found.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    found
}

/// A command line split into words as a shell would, for the quoting the README uses: single
/// quotes hold spaces.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current: Option<String> = None;
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                current.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => words.extend(current.take()),
            c => current.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(current);
    words
}

#[test]
fn every_threat_interview_command_in_the_readme_succeeds() {
    // `cp SOURCE DEST` lines copy into a temporary directory, and later commands use the copy.
    let dir = tempfile::tempdir().unwrap();
    let mut copies: Vec<(String, String)> = Vec::new();
    let mut commands: Vec<String> = Vec::new();
    for line in blocks(&readme(), "sh")
        .iter()
        .flat_map(|b| b.lines().map(str::to_owned).collect::<Vec<_>>())
    {
        if let Some(rest) = line.strip_prefix("cp ") {
            let (source, dest) = rest.split_once(' ').expect("cp SOURCE DEST");
            let name = std::path::Path::new(dest).file_name().unwrap();
            let copy = dir.path().join(name);
            std::fs::copy(repo().join(source), &copy).unwrap();
            copies.push((dest.to_owned(), copy.to_str().unwrap().to_owned()));
            continue;
        }
        let command = line
            .strip_prefix("threat-interview ")
            .or_else(|| line.strip_prefix("cargo run -q -p threat-interview-cli -- "));
        if let Some(command) = command {
            let mut command = command.to_owned();
            for (dest, copy) in &copies {
                command = command.replace(dest.as_str(), copy);
            }
            commands.push(command);
        }
    }
    assert!(
        commands.len() >= 5,
        "the README shows the command line: {commands:?}"
    );
    for command in commands {
        let args = words(&command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = run(&args);
        assert_eq!(
            output.status.code(),
            Some(0),
            "`threat-interview {command}` failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!output.stdout.is_empty(), "`{command}` printed nothing");
    }
}

#[test]
fn the_validate_output_quoted_in_the_readme_is_what_validate_prints() {
    let quoted = blocks(&readme(), "text");
    let line = quoted
        .iter()
        .flat_map(|b| b.lines())
        .find(|l| l.contains("error["))
        .expect("the README quotes a diagnostic");
    let file = line.split(':').next().unwrap();
    let output = run(&["validate", file]);
    assert_eq!(output.status.code(), Some(1));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(
        printed.lines().any(|l| l == line),
        "`validate {file}` no longer prints the README's line `{line}`:\n{printed}"
    );
}
