#!/usr/bin/env bash
# Installs what building and testing policybook need on a fresh machine, and nothing twice:
# the wasm32 target (RUSTUP_AUTO_INSTALL=0 here, so rust-toolchain files install nothing),
# clippy and rustfmt, Debian's Chromium with CJK fonts for the browser tests, the release
# targets with mingw-w64, musl-tools, wine and zbar-tools for tests/release.sh, and the npm
# packages pinned in tests/browser/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

installed_targets=$(rustup target list --installed)
# wasm32 for the pages; the two release targets for tests/release.sh (release.sh's archives).
for target in wasm32-unknown-unknown x86_64-unknown-linux-musl x86_64-pc-windows-gnu; do
  grep -qx "$target" <<<"$installed_targets" || rustup target add "$target"
done
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need_apt+=(fonts-noto-cjk)
# tests/release.sh: the Windows linker, musl, wine to run the Windows binary, zbarimg to read the
# poster's QR code, zip for the Windows archive.
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_apt+=(gcc-mingw-w64-x86-64)
command -v musl-gcc >/dev/null 2>&1 || need_apt+=(musl-tools)
command -v wine >/dev/null 2>&1 || need_apt+=(wine wine64)
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  # Debian's wine packages expect the i386 architecture to be known.
  if [[ " ${need_apt[*]} " == *" wine "* ]] && ! dpkg --print-foreign-architectures | grep -qx i386; then
    $sudo_cmd dpkg --add-architecture i386
  fi
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ] || [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
