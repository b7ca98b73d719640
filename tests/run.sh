#!/usr/bin/env bash
# Runs every test of policybook: formatting, lints, the Rust tests (unit, fixtures, snapshots,
# fidelity, relevance, cases), then builds the site and runs the browser suite in headless
# Chromium against it. Installs what it needs first (tests/install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install.sh

echo "== rustfmt" >&2
cargo fmt --all -- --check
echo "== clippy" >&2
cargo clippy --workspace --all-targets --quiet -- -D warnings
echo "== cargo test" >&2
cargo test --workspace
echo "== fuzz targets compile (stable; fuzzing itself needs nightly, see fuzz/README.md)" >&2
POLICYBOOK_SKIP_WASM=1 cargo check --manifest-path fuzz/Cargo.toml
echo "== build the site for the browser tests" >&2
site="target/test-site"
cargo run --quiet -- build --out "$site"
echo "== browser tests (headless Chromium)" >&2
(cd tests/browser && POLICYBOOK_SITE="../../$site" POLICYBOOK_BIN="../../target/debug/policybook" npm test --silent)
