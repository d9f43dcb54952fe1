//! Writes a seeded synthetic engagement as JSON, for benchmarks across bindings.
//!
//! `cargo run --example synthetic -p threat-interview -- 10000 [SEED] > model.json`

fn main() {
    let mut args = std::env::args().skip(1);
    let elements = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let seed = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let engagement = threat_interview::synthetic::engagement(elements, seed);
    print!("{}", threat_interview::io::to_json_string(&engagement));
}
