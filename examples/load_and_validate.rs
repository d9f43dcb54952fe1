//! Loads the bundled online shop engagement, validates it and prints a summary.
//!
//! Run it from the repository root with `cargo run --example load_and_validate`, or pass
//! another engagement file: `cargo run --example load_and_validate -- my-engagement.yaml`.

use std::process::ExitCode;

use threat_interview::ElementKind;
use threat_interview::io::LoadOptions;
use threat_interview::validate::validate_path;

fn main() -> ExitCode {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/engagements/online-shop.json"
        )
        .to_owned()
    });
    let validation = match validate_path(&path, &LoadOptions::default()) {
        Ok(validation) => validation,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    for diagnostic in validation.report.iter() {
        println!("{}", diagnostic.to_line(&path));
    }
    let Some(engagement) = validation
        .engagement
        .filter(|_| validation.report.is_valid())
    else {
        println!("{path} is not a valid engagement");
        return ExitCode::from(1);
    };
    let kinds = [
        ElementKind::ExternalInteractor,
        ElementKind::Process,
        ElementKind::DataStore,
    ];
    println!(
        "{} ({})",
        engagement.name,
        engagement.assurance_level.as_str()
    );
    for kind in kinds {
        let n = engagement
            .model
            .elements
            .iter()
            .filter(|e| e.kind == kind)
            .count();
        println!("  {}: {n}", kind.as_str());
    }
    println!("  flows: {}", engagement.model.flows.len());
    println!("  boundaries: {}", engagement.model.boundaries.len());
    println!("  participants: {}", engagement.participants.len());
    println!("  questions: {}", engagement.questions.len());
    println!(
        "valid, with {} warning(s)",
        validation.report.warnings.len()
    );
    ExitCode::SUCCESS
}
