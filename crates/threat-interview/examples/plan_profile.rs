//! Generation, grouping and planning of a seeded synthetic engagement, repeated: a driver for
//! instruction counts (`valgrind --tool=callgrind`) of what `benches/generate.rs` times as `plan`.
//!
//! `cargo run --release -p threat-interview --example plan_profile -- 10000 3` (size, runs;
//! a third argument, `generate`, leaves planning out).

use std::hint::black_box;

use threat_interview::engine::Engine;
use threat_interview::plan::plan_generated;
use threat_interview::synthetic;

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let plan = args.next().as_deref() != Some("generate");
    let mut engagement = synthetic::engagement(size, 42);
    engagement.interviews = synthetic::example_interviews();
    let engine = Engine::builtin();
    let checked = engagement.check().expect("a synthetic engagement is valid");
    for _ in 0..runs {
        let questions = engine.generate(checked);
        if plan {
            black_box(plan_generated(&checked, &questions).interviews.len());
        }
        black_box(questions.len());
    }
}
