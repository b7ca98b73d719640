#!/usr/bin/env bash
# The release archives, tried the way a trainer uses them (`bash tests/release.sh`; run
# `bash tests/install.sh` first for Chromium):
#
# 1. release.sh builds both archives (with the lean `cross-test` profile: CI time).
# 2. Linux: unpack the .tar.gz in an empty folder; with no cargo or rustup on PATH, run
#    `./policybook line add …`, `./policybook validate`, `./policybook build`; the new line must
#    show on every page that shows the line in force.
# 3. Windows: unpack the .zip and do the same with policybook.exe under wine; policy.yaml and
#    the whole site/ must be byte-identical to the Linux results.
# 4. The poster: set base_url, build, screenshot the poster in headless Chromium and decode its
#    QR code with zbarimg: it must give the site's address.
#
# Wine 8 lacks ProcessPrng (bcryptprimitives.dll), which Rust's std imports and every Windows
# 10+ has; a two-line shim DLL beside the exe stands in for it here. It is never shipped.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

# What this needs besides what release.sh installs: wine for the Windows binary, zbarimg for
# the QR code, unzip (Chromium comes from tests/install.sh).
need_apt=()
command -v wine >/dev/null 2>&1 || need_apt+=(wine wine64)
command -v zbarimg >/dev/null 2>&1 || need_apt+=(zbar-tools)
command -v unzip >/dev/null 2>&1 || need_apt+=(unzip)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  # Debian's wine packages expect the i386 architecture to be known.
  dpkg --print-foreign-architectures | grep -qx i386 || $sudo_cmd dpkg --add-architecture i386
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

PROFILE=cross-test bash release.sh
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
linux_archive="$repo/dist/policybook-$version-x86_64-unknown-linux-musl.tar.gz"
windows_archive="$repo/dist/policybook-$version-x86_64-pc-windows-gnu.zip"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
passed=0
ok() { echo "ok: $*" >&2; passed=$((passed + 1)); }

# A trainer's PC: no Rust toolchain. Only the system's folders stay on PATH.
bare_path=/usr/local/bin:/usr/bin:/bin
if env PATH=$bare_path sh -c 'command -v cargo || command -v rustc' >/dev/null 2>&1; then
  fail "a Rust toolchain is on the bare PATH ($bare_path)"
fi
# 2027-04-01, so the made-up 2027 line below is in force when the site is built.
export SOURCE_DATE_EPOCH=1806537600
add_args=(line add --year 2027 --effective 2027-03-15 --yuan 7000
  --source "TEST ONLY, not an announced figure: 山东省乡村振兴局 测试〔2027〕1号, 2027-03-15")

# -- 2. Linux archive ------------------------------------------------------------------------
mkdir "$work/linux"
tar -xzf "$linux_archive" -C "$work/linux"
linux="$work/linux/policybook-$version-x86_64-unknown-linux-musl"
for f in policybook README.txt content/policy.yaml content/site.yaml trainer-guide.zh.md trainer-guide.en.md; do
  [ -e "$linux/$f" ] || fail "the Linux archive has no $f"
done
[ ! -e "$linux/themes" ] || fail "the archive should need no themes/ folder (the theme is built in)"
ldd_out=$(ldd "$linux/policybook" 2>&1 || true)
grep -Eq "not a dynamic executable|statically linked" <<<"$ldd_out" || fail "policybook is linked dynamically: $ldd_out"
ok "the Linux binary is statically linked ($ldd_out)"
(
  cd "$linux"
  export PATH=$bare_path
  ./policybook "${add_args[@]}" >"$work/add.out"
  grep -q "next: policybook build" "$work/add.out" || fail "line add did not say what to run next"
  ./policybook line list | grep -q "2027  from 2027-03-15    7,000 yuan  in force" || fail "line list"
  ./policybook validate >/dev/null
  ./policybook build --quiet
)
ok "line add, line list, validate and build from the unpacked Linux archive with no cargo on PATH"
pages=(index.html)
for lang in zh en; do
  pages+=("$lang/index.html" "$lang/check/index.html" "$lang/elimination/index.html")
  for q in 3 7 10 11 13 25; do pages+=("$lang/q/$q/index.html"); done
done
for p in "${pages[@]}"; do
  grep -q "7,000" "$linux/site/$p" || fail "$p does not show the new line"
done
grep -q "2027 年：7,000 元/人·年" "$linux/site/zh/q/10/index.html" || fail "zh/q/10: the line box"
ok "the 2027 line shows on all ${#pages[@]} pages that show the line in force"

# -- 3. Windows archive under wine ------------------------------------------------------------
mkdir "$work/windows"
unzip -q "$windows_archive" -d "$work/windows"
windows="$work/windows/policybook-$version-x86_64-pc-windows-gnu"
[ -f "$windows/policybook.exe" ] || fail "the Windows archive has no policybook.exe"
cat >"$work/bcp.c" <<'EOF'
#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) { return RtlGenRandom(data, (ULONG)len); }
EOF
printf 'LIBRARY bcryptprimitives\nEXPORTS\n    ProcessPrng\n' >"$work/bcp.def"
x86_64-w64-mingw32-gcc -shared -O2 -o "$windows/bcryptprimitives.dll" "$work/bcp.c" "$work/bcp.def" -ladvapi32
# A UTF-8 locale, so that wine hands the Chinese source text to the exe unchanged; no Mono or
# Gecko in the fresh prefix (not needed, and their installers would be offered).
export WINEDEBUG=-all WINEPREFIX="$work/wineprefix" WINEDLLOVERRIDES="mscoree,mshtml=" LC_ALL=C.UTF-8
(
  cd "$windows"
  wine policybook.exe "${add_args[@]}" >"$work/add-windows.out"
  wine policybook.exe validate >/dev/null
  wine policybook.exe build --quiet
)
rm "$windows/bcryptprimitives.dll"
cmp "$linux/content/policy.yaml" "$windows/content/policy.yaml" || fail "line add wrote different policy.yaml under wine"
diff -r "$linux/site" "$windows/site" >"$work/site.diff" || { head -40 "$work/site.diff" >&2; fail "the Windows site differs from the Linux site"; }
files=$(find "$linux/site" -type f | wc -l)
ok "under wine, policybook.exe wrote the same policy.yaml and a byte-identical site/ ($files files)"

# -- 4. The poster's QR code --------------------------------------------------------------------
base="https://fanpin.example.gov.cn/guide/"
sed -i "s|^# base_url: .*|base_url: $base|" "$linux/content/site.yaml"
grep -q "^base_url: $base" "$linux/content/site.yaml" || fail "could not set base_url"
(cd "$linux" && PATH=$bare_path ./policybook build --quiet)
for lang in zh en; do
  want=$base
  [ "$lang" = zh ] || want="${base}en/"
  shot="$work/poster-$lang.png"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=800,1400 \
    --screenshot="$shot" "file://$linux/site/$lang/poster/index.html" >/dev/null 2>&1
  got=$(zbarimg --raw -q "$shot" || true)
  [ "$got" = "$want" ] || fail "$lang poster: the QR code reads '$got', not '$want'"
  mkdir -p "$repo/target/screenshots"
  cp "$shot" "$repo/target/screenshots/poster-$lang.png"
done
ok "both posters' QR codes, decoded from Chromium screenshots, give the site's address"
echo "$passed passed, 0 failed"
