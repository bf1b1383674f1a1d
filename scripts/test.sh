#!/usr/bin/env bash
# The whole test suite, runnable on a fresh clone: installs what the tests need,
# checks formatting and lints, then runs every test (unit, integration, oracle).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace --no-fail-fast
