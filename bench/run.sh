#!/usr/bin/env bash
# policybook against the tools a trainer could use instead, in one run:
#
#   bash bench/run.sh [--corpora handbook,1000,10000] [--reps handbook=7,1000=5,10000=3]
#
# Installs the peers itself (Debian's hugo; mdBook with `cargo install` into target/bench-tools;
# Pagefind from npm into bench/node_modules, pinned by bench/package-lock.json), plus what the
# browser measurements need (tests/install.sh: wasm32 target, Chromium, playwright-core), builds
# policybook in release mode, then runs bench/bench.py: the same content built by each tool, the
# sizes, query times (native and in headless Chromium), the checker in the browser, and the
# relevance set against Pagefind. Prints one table; bench/RESULTS.md records it.
# Work files: target/bench/ (generated corpora, outputs, results.json, table.md).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "== $*" >&2; }
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"

bash tests/install.sh

if ! command -v hugo >/dev/null 2>&1; then
  say "installing hugo (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends hugo >/dev/null
fi

tools="target/bench-tools"
if [ ! -x "$tools/bin/mdbook" ]; then
  say "installing mdbook into $tools (cargo install, about 2-3 minutes)"
  cargo install mdbook --locked --root "$tools" --quiet \
    || cargo install mdbook --root "$tools" --quiet
fi

if [ ! -d bench/node_modules/pagefind ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  say "installing pagefind (npm) into bench/node_modules"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error)
fi
pagefind=$(ls bench/node_modules/@pagefind/*/bin/pagefind_extended 2>/dev/null | head -n 1 || true)
if [ -z "$pagefind" ]; then
  echo "error: pagefind's binary was not found under bench/node_modules/@pagefind/*/bin/ (is this platform supported by the npm package?)" >&2
  exit 2
fi

say "building policybook (release)"
cargo build --release --quiet -p policybook
say "compiling the native query bench"
cargo bench --quiet --bench native_query --no-run

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)" >&2
echo "versions: $(hugo version | cut -d' ' -f1-2), $("$tools/bin/mdbook" --version), $("$pagefind" --version)" >&2

python3 bench/bench.py --policybook target/release/policybook --hugo "$(command -v hugo)" \
  --mdbook "$tools/bin/mdbook" --pagefind "$pagefind" "$@"
