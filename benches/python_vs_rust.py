"""Question generation for a 10k-element model: from Python vs in Rust.

Builds the seeded synthetic engagement with the core's own generator (the `synthetic`
example of the threat-interview crate), loads it, then times, in one process on the same
model, the median of several rounds of:

- rust generate: the core's `generate(&engagement, &BankSet::builtin())`, timed inside Rust
  (`threat_interview._native._time_generate_in_rust`, no Python call in the loop); like the
  core, it renders question texts only when they are read;
- python generate: `Engagement.generate_questions()`, the call a notebook makes: the same
  generation, returned as a QuestionList that renders each question when it is read;
- rust render: `generate(...).questions()`, every question rendered as an owned `Question`;
- python dicts: `generate_questions().to_list()`, every question rendered and turned into a
  Python dict.

The target is python generate / rust generate <= 1.3. Not a timed test: run it by hand,

    .venv/bin/python benches/python_vs_rust.py [--elements 10000] [--seed 42] [--rounds 15]

and copy its table into benches/README.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import threat_interview as ti

ROOT = Path(__file__).resolve().parents[1]


def synthetic_engagement(elements: int, seed: int, directory: Path) -> Path:
    path = directory / f"synthetic-{elements}-{seed}.json"
    with path.open("w", encoding="utf-8") as out:
        subprocess.run(
            ["cargo", "run", "-q", "--release", "-p", "threat-interview", "--example", "synthetic",
             "--", str(elements), str(seed)],
            cwd=ROOT,
            stdout=out,
            check=True,
        )
    return path


def median_seconds(call, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as directory:
        path = synthetic_engagement(args.elements, args.seed, Path(directory))
        engagement = ti.load(path, strict=False)

    questions = engagement.generate_questions()
    count = len(questions)
    # Warm up both paths once (the built-in bank is parsed on first use).
    ti._native._time_generate_in_rust(engagement, 1)

    rust = statistics.median(ti._native._time_generate_in_rust(engagement, args.rounds))
    python = median_seconds(engagement.generate_questions, args.rounds)
    rust_render = statistics.median(
        ti._native._time_generate_in_rust(engagement, args.rounds, render=True)
    )
    python_dicts = median_seconds(lambda: engagement.generate_questions().to_list(), args.rounds)

    counts = engagement.counts
    print(f"model: {counts['elements']} elements, {counts['flows']} flows, "
          f"{counts['boundaries']} boundaries (seed {args.seed}); {count} questions")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"median of {args.rounds} rounds")
    print()
    print("| path | median | ratio to rust generate |")
    print("| --- | ---: | ---: |")
    for name, seconds in (("rust: `generate(..)`, timed in Rust", rust),
                          ("python: `Engagement.generate_questions()`", python),
                          ("rust: `generate(..).questions()` (every question rendered)", rust_render),
                          ("python: `generate_questions().to_list()` (every question a dict)",
                           python_dicts)):
        print(f"| {name} | {seconds * 1000:.1f} ms | {seconds / rust:.2f}x |")
    ratio = python / rust
    print()
    print(f"python / rust = {ratio:.2f} (target <= 1.3): {'ok' if ratio <= 1.3 else 'OVER TARGET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
