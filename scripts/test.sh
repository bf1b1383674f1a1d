#!/usr/bin/env bash
# The whole test suite, runnable on a fresh clone: installs what the tests need,
# checks formatting and lints, then runs every test (unit, integration, oracle).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
# The C library (a cdylib) and every binary are used by tests as built files;
# `cargo test` alone does not produce the cdylib.
cargo build --workspace
cargo test --workspace --no-fail-fast
