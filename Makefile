# `make test` runs every check; CI runs it through .ci/run.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CARGO ?= cargo

.PHONY: test fmt-check clippy cargo-test run

test: fmt-check clippy cargo-test
	@echo "make test: every check passed"

fmt-check:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

cargo-test:
	$(CARGO) test --workspace

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
