# `make test` runs every check; CI runs it through .ci/run.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test doc

test: fmt-check clippy cargo-test doc fuzz-check python-build stubtest pytest
	@echo "make test: every check passed"

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --workspace

# The fuzz targets still compile against the library's API (they are run by `make fuzz`).
.PHONY: fuzz-check
fuzz-check:
	$(CARGO) check --locked --manifest-path fuzz/Cargo.toml --target-dir target/fuzz-check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml --check

# The rustdoc of every crate builds without a warning (broken links included).
doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --workspace

# Engagement files and schemas.
.PHONY: schemas validate-examples example

# Rewrite schemas/*.schema.json from the Rust types (the schema_drift test checks them).
schemas:
	UPDATE_SCHEMAS=1 $(CARGO) test -q -p threat-interview --test schema_drift

# Validate every bundled example engagement with the command line.
validate-examples:
	$(CARGO) run -q -p threat-interview-cli -- validate examples/engagements/*.json

# Load, validate and summarize the online shop example from Rust.
example:
	$(CARGO) run -q -p threat-interview --example load_and_validate

# The Python package: a virtual environment with the pinned tools, the extension built into it,
# its tests and the stub check. Nothing is skipped: a missing tool or build fails the target.
.PHONY: .venv python-build pytest stubtest

VENV ?= .venv
PYTHON := $(VENV)/bin/python

.venv: $(VENV)/.requirements-installed

$(VENV)/.requirements-installed: requirements-dev.txt
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

# Builds the extension (the dev profile: the tests do not need a release build, and it shares
# the dependencies `cargo test` built) and installs the package into the venv, editable:
# python/ is used in place. `make python-release` builds it optimized, for the benchmarks.
python-build: .venv
	VIRTUAL_ENV=$(abspath $(VENV)) $(PYTHON) -m maturin develop --locked

.PHONY: python-release
python-release: .venv
	VIRTUAL_ENV=$(abspath $(VENV)) $(PYTHON) -m maturin develop --release --locked

pytest: python-build system-packages
	$(PYTHON) -m pytest tests/python

# The HTML interview guide is rendered by a real headless browser in pytest, and the DOT graph
# read by Graphviz: Chromium and Graphviz from the system's packages, installed with apt-get
# only when missing (as root, or through sudo).
.PHONY: system-packages
system-packages:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	if [ -n "$$missing" ]; then \
		sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		echo "installing$$missing with apt-get"; \
		$$sudo apt-get update -q && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -q $$missing; \
	fi

# Checks the package and its native module (`threat_interview._native`) against their stubs,
# then type-checks the code that uses them (the package, the examples and the tests).
stubtest: python-build
	$(PYTHON) -m mypy.stubtest threat_interview --allowlist tests/python/stubtest-allowlist.txt
	$(PYTHON) -m mypy --strict python/threat_interview examples/notebook.py tests/python/typed_usage.py
	$(PYTHON) -m mypy tests/python benches/python_vs_rust.py

# Coverage-guided fuzzing with libFuzzer, on the stable toolchain (see fuzz/README.md). Not part
# of `make test`. `make fuzz` runs every target for FUZZ_SECONDS seconds and fails if any finds
# a crash, a hang or runaway memory; the corpus it grows stays in fuzz/.work (not committed).
.PHONY: fuzz fuzz-build

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := engagement_json engagement_yaml bank condition import foreign
# An explicit --target keeps RUSTFLAGS off build scripts and proc macros (as cargo-fuzz does):
# instrumented, they would not link or load.
FUZZ_TRIPLE := $(shell rustc -vV | sed -n 's/^host: //p')
# SanitizerCoverage as cargo-fuzz adds it (without a sanitizer): every flag is stable rustc.
FUZZ_RUSTFLAGS := --cfg fuzzing -Cpasses=sancov-module \
	-Cllvm-args=-sanitizer-coverage-level=4 \
	-Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
	-Cllvm-args=-sanitizer-coverage-pc-table \
	-Cllvm-args=-sanitizer-coverage-trace-compares \
	-Cdebug-assertions -Coverflow-checks
FUZZ_BIN := fuzz/target/$(FUZZ_TRIPLE)/release
FUZZ_FLAGS := -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1

fuzz-build:
	RUSTFLAGS="$(FUZZ_RUSTFLAGS)" $(CARGO) build --release --locked \
		--manifest-path fuzz/Cargo.toml --target $(FUZZ_TRIPLE) --target-dir fuzz/target

# Each target grows its corpus in fuzz/.work/<target> from the committed seeds in
# fuzz/corpus/<target> (read only); a crash is written to fuzz/artifacts/<target>/. The whole
# libFuzzer log is in fuzz/.work/<target>.log; the last status line and the final stats are shown.
fuzz: fuzz-build
	@failed=""; \
	for target in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/.work/$$target fuzz/artifacts/$$target; \
		log=fuzz/.work/$$target.log; \
		echo "fuzz: $$target for $(FUZZ_SECONDS) s (log: $$log)"; \
		if $(FUZZ_BIN)/$$target fuzz/.work/$$target fuzz/corpus/$$target $(FUZZ_FLAGS) \
			-artifact_prefix=fuzz/artifacts/$$target/ >"$$log" 2>&1; then \
			grep -E '^#[0-9]+' "$$log" | tail -n 1; \
			grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$$log"; \
		else \
			tail -n 60 "$$log"; \
			failed="$$failed $$target"; \
		fi; \
	done; \
	if [ -n "$$failed" ]; then \
		echo "fuzz: FAILED:$$failed (inputs in fuzz/artifacts/, see fuzz/README.md)"; exit 1; \
	fi; \
	echo "fuzz: every target ran $(FUZZ_SECONDS) s without a crash"
