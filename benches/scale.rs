//! The whole path at scale: the seeded synthetic engagement of N elements (about three flows
//! per element) written as JSON, then read and validated, generated and planned, timed stage
//! by stage, with the peak memory of the process. Each size runs in a process of its own, so
//! that the peak is that size's.
//!
//! `cargo bench -p threat-interview --bench scale` runs 10k, 100k and 1M elements;
//! `cargo bench -p threat-interview --bench scale -- 10000 100000` picks sizes. The limits are
//! raised for the largest model (its file is over the default 128 MiB and holds more than the
//! default ten million values): embedders set their own.
//!
//! Planning is `plan::plan_generated`: the interviews planned from the compact questions,
//! without materializing every question's text (the target is load, validate, generate and
//! plan, without writing every question). Timed with mimalloc, the allocator the command line
//! and the Python module ship with.

use std::process::Command;
use std::time::Instant;

use threat_interview::engine::Engine;
use threat_interview::io::{self, Format, LoadOptions};
use threat_interview::source::Limits;
use threat_interview::validate::validate_slice;
use threat_interview::{plan, synthetic};

const SEED: u64 = 42;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if let [flag, size] = args.as_slice()
        && flag == "--one"
    {
        run_one(size.parse().expect("a size"));
        return;
    }
    let sizes: Vec<usize> = if args.is_empty() {
        vec![10_000, 100_000, 1_000_000]
    } else {
        args.iter().map(|a| a.parse().expect("a size")).collect()
    };
    println!(
        "| elements | subjects | file | parse + validate | load (validated) | generate | questions | plan | load + generate + plan | peak RSS |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let me = std::env::current_exe().expect("the bench binary");
    for size in sizes {
        let output = Command::new(&me)
            .args(["--one", &size.to_string()])
            .output()
            .expect("the bench runs");
        print!("{}", String::from_utf8_lossy(&output.stdout));
        if !output.status.success() {
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        }
    }
}

fn run_one(size: usize) {
    let engagement = synthetic::engagement(size, SEED);
    let subjects = engagement.model.elements.len() + engagement.model.flows.len();
    let text = io::to_json_string(&engagement);
    drop(engagement);
    #[allow(clippy::cast_precision_loss)] // a file size in megabytes, for people
    let size_mb = text.len() as f64 / 1e6;
    let limits = Limits::default()
        .with_max_bytes(4 * 1024 * 1024 * 1024)
        .with_max_values(usize::MAX);
    let options = LoadOptions::default().with_limits(limits);

    let start = Instant::now();
    let validation = validate_slice(text.as_bytes(), Format::Json, &options);
    let validate = start.elapsed();
    assert!(
        validation.report.is_valid(),
        "{:?}",
        validation.report.errors.first()
    );
    drop(validation);

    let start = Instant::now();
    let loaded = io::load_slice_with(text.as_bytes(), Format::Json, &options).expect("valid");
    let load = start.elapsed();
    drop(text);

    let engine = Engine::builtin();
    let start = Instant::now();
    let questions = engine.generate(loaded.checked());
    let generate = start.elapsed();
    let count = questions.len();

    let start = Instant::now();
    std::hint::black_box(plan::plan_generated(&loaded.engagement, &questions));
    let planned = start.elapsed();

    println!(
        "| {size} | {subjects} | {:.0} MB | {:.2} s | {:.2} s | {:.2} s | {count} | {:.2} s | {:.2} s | {} |",
        size_mb,
        validate.as_secs_f64(),
        load.as_secs_f64(),
        generate.as_secs_f64(),
        planned.as_secs_f64(),
        (load + generate + planned).as_secs_f64(),
        peak_rss()
    );
    // The process exits here: freeing the model and the questions is not timed.
    std::process::exit(0);
}

/// The peak resident memory of this process, from Linux's `/proc/self/status`.
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(|| "n/a".to_owned(), |kb| format!("{:.0} MB", kb / 1024.0))
}
