//! Generation on seeded synthetic models of 1k, 10k and 100k elements (about three flows per
//! element, nested boundaries): graph build alone, generation (which builds the graph), and
//! generation with every question rendered, and generation, grouping and planning of the five
//! interviews of the bundled example (30, 180, 120, 45 and 45 minutes) with
//! [`threat_interview::plan::plan_generated`].
//!
//! `cargo bench -p threat-interview --bench generate -- --warm-up-time 1 --measurement-time 3`
//!
//! Timed with mimalloc, the allocator the command line and the Python module ship with.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use threat_interview::engine::Engine;
use threat_interview::plan::plan_generated;
use threat_interview::{ComponentGraph, synthetic};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];
const SEED: u64 = 42;

fn benches(c: &mut Criterion) {
    let engine = Engine::builtin();
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    for size in SIZES {
        let mut engagement = synthetic::engagement(size, SEED);
        engagement.interviews = synthetic::example_interviews();
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(BenchmarkId::new("graph", size), &engagement, |b, e| {
            b.iter(|| black_box(ComponentGraph::new(&e.model)));
        });
        let checked = engagement.check().expect("a synthetic engagement is valid");
        group.bench_with_input(BenchmarkId::new("total", size), &checked, |b, e| {
            b.iter(|| black_box(engine.generate(*e).len()));
        });
        group.bench_with_input(BenchmarkId::new("plan", size), &checked, |b, e| {
            b.iter(|| {
                let questions = engine.generate(*e);
                black_box(plan_generated(e, &questions).interviews.len())
            });
        });
        group.bench_with_input(BenchmarkId::new("questions", size), &checked, |b, e| {
            b.iter(|| black_box(engine.generate(*e).to_questions().len()));
        });
    }
    group.finish();
}

criterion_group!(generate_benches, benches);
criterion_main!(generate_benches);
