#!/usr/bin/env bash
# Runs every test of policybook: formatting, lints, the Rust tests (unit, fixtures, snapshots,
# fidelity, relevance, cases), then builds the site and runs the browser suite in headless
# Chromium against it, and last tries the release archives as a trainer would (tests/release.sh:
# the static Linux binary, the Windows one under wine, the poster's QR code). Installs what it
# needs first (tests/install.sh; tests/release.sh installs wine and zbar itself).
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
echo "== release archives (tests/release.sh: musl binary, Windows exe under wine, poster QR)" >&2
bash tests/release.sh
