//! Validates one engagement file and prints how long it took: for profiling the validation
//! pipeline (`perf record cargo run --release --example validate_file -- FILE`).

use std::time::Instant;

use threat_interview::io::{Format, LoadOptions};
use threat_interview::source::Limits;

fn main() {
    let path = std::env::args().nth(1).expect("a file");
    let bytes = std::fs::read(&path).expect("readable");
    let limits = Limits::default()
        .with_max_bytes(u64::MAX)
        .with_max_values(usize::MAX);
    let options = LoadOptions::default().with_limits(limits);
    let start = Instant::now();
    let validation = threat_interview::validate::validate_slice(
        &bytes,
        Format::from_path(path.as_ref()),
        &options,
    );
    println!(
        "{} errors, {} warnings in {:.2} s",
        validation.report.errors.len(),
        validation.report.warnings.len(),
        start.elapsed().as_secs_f64()
    );
}
