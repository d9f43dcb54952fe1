# `make test` runs every check; CI runs it through .ci/run.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test doc

test: fmt-check clippy cargo-test doc python-build stubtest pytest
	@echo "make test: every check passed"

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --workspace

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

pytest: python-build
	$(PYTHON) -m pytest tests/python

# Checks the package and its native module (`threat_interview._native`) against their stubs,
# then type-checks the code that uses them (the package, the examples and the tests).
stubtest: python-build
	$(PYTHON) -m mypy.stubtest threat_interview --allowlist tests/python/stubtest-allowlist.txt
	$(PYTHON) -m mypy --strict python/threat_interview examples/notebook.py tests/python/typed_usage.py
	$(PYTHON) -m mypy tests/python benches/python_vs_rust.py
