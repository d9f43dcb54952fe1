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
