#!/usr/bin/env bash
# Builds the release archives for trainers who have no Rust toolchain, into dist/:
#
#   policybook-VERSION-x86_64-unknown-linux-musl.tar.gz   policybook (statically linked), content/, README.txt
#   policybook-VERSION-x86_64-pc-windows-gnu.zip          policybook.exe, content/, README.txt
#
# README.txt (Chinese and English) says how to enter the line, build and publish; the trainer
# guides (docs/trainer-guide.*.md) go beside it.
#
# Both binaries embed the default theme and the WebAssembly engine, so they need nothing else.
# Installs what it needs first, like tests/install.sh: the rustup targets, Debian's mingw-w64
# (the Windows linker, named in .cargo/config.toml) and musl-tools.
#
# PROFILE=NAME builds with another cargo profile (tests/release.sh uses the lean `cross-test`
# profile to keep CI short); the archives are the same apart from the binaries.
set -euo pipefail
cd "$(dirname "$0")"

profile="${PROFILE:-release}"
targets=(x86_64-unknown-linux-musl x86_64-pc-windows-gnu)
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "error: Cargo.toml: no version line" >&2; exit 1; }

installed=$(rustup target list --installed)
for t in wasm32-unknown-unknown "${targets[@]}"; do
  grep -qx "$t" <<<"$installed" || rustup target add "$t"
done
need_apt=()
command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1 || need_apt+=(gcc-mingw-w64-x86-64)
command -v musl-gcc >/dev/null 2>&1 || need_apt+=(musl-tools)
command -v zip >/dev/null 2>&1 || need_apt+=(zip)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]} from Debian's packages" >&2
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

echo "== cargo build --profile $profile for ${targets[*]}" >&2
target_args=()
for t in "${targets[@]}"; do target_args+=(--target "$t"); done
cargo build --quiet --locked --profile "$profile" --bin policybook "${target_args[@]}"

out_dir() { # cargo's folder for a profile: `dev` builds go to debug/
  if [ "$profile" = dev ]; then echo debug; else echo "$profile"; fi
}
target_dir="${CARGO_TARGET_DIR:-target}"
linux_bin="$target_dir/x86_64-unknown-linux-musl/$(out_dir)/policybook"
windows_bin="$target_dir/x86_64-pc-windows-gnu/$(out_dir)/policybook.exe"
if ldd "$linux_bin" >/dev/null 2>&1 && ! ldd "$linux_bin" 2>&1 | grep -q "statically linked"; then
  echo "error: $linux_bin is linked dynamically:" >&2
  ldd "$linux_bin" >&2
  exit 1
fi

mkdir -p dist
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
# Archive entries get one fixed time and owner, so the same sources give the same archives.
stamp="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"

readme() {
  cat <<EOF
policybook $version — 防止返贫监测帮扶工作指南 网站生成程序 / the handbook site builder
==========================================================================================

【中文】

本文件夹包含：policybook 程序（Windows 为 policybook.exe）、content/（指南全文和政策数据）。
程序已内置网页模板和自测引擎，不需要安装任何其他软件，也不需要联网。
在本文件夹中打开终端（Windows：在文件夹空白处按住 Shift 点右键，选“在此处打开 PowerShell 窗口”）。
下面的命令在 Windows 上写作 .\\policybook.exe，在 Linux 上写作 ./policybook。

1. 录入新一年的监测线（省里公布后）：
     ./policybook line add --year 2027 --effective 2027-03-15 --yuan 7000 --source "山东省乡村振兴局 鲁乡振字〔2027〕5号, 2027-03-15"
   程序把这一条加到 content/policy.yaml 的 monitoring_lines 末尾，文件里的注释和格式保持不变；
   如果有错（日期不在该年、早于上一条、年份重复、金额不是正整数、没有来源……），
   程序说明错在哪里，文件不作任何改动。暂定值加 --provisional --derivation "…" --derivation-zh "…"。
   查看已录入的监测线：./policybook line list
2. 检查：./policybook validate
3. 生成网站：./policybook build      （写入 site/ 文件夹；出错时原来的 site/ 保持不变）
4. 发布：把 site/ 文件夹里的全部内容上传到网站服务器。site/index.html 也可以直接在电脑上打开。
   在 content/site.yaml 中填写 base_url（网站地址）后，还会生成可打印的村务公开栏海报
   （site/zh/poster/，带网站二维码）。

详细说明（每条错误信息的含义、上传和手机上的检查）见本文件夹中的 trainer-guide.zh.md。

【English】

This folder holds the policybook program (policybook.exe on Windows) and content/ (the guide and
its policy data). The program has the page templates and the self-check engine built in: nothing
else to install, no internet needed. Open a terminal in this folder (Windows: Shift + right-click
in the folder, "Open PowerShell window here"). On Windows type .\\policybook.exe where the steps
below write ./policybook.

1. Enter the new year's monitoring line (once the province has announced it):
     ./policybook line add --year 2027 --effective 2027-03-15 --yuan 7000 --source "山东省乡村振兴局 鲁乡振字〔2027〕5号, 2027-03-15"
   It appends the entry to monitoring_lines in content/policy.yaml, keeping every comment and the
   layout. When something is wrong (a date outside the year or before the previous entry, a year
   entered twice, a figure that is not a positive whole number, no source…) it says what and
   where, and leaves the file unchanged. For an estimate add
   --provisional --derivation "…" --derivation-zh "…". See the lines entered: ./policybook line list
2. Check: ./policybook validate
3. Build the site: ./policybook build    (writes site/; when anything fails the old site/ stays as it was)
4. Publish: upload everything inside site/ to the web server. site/index.html also opens from disk.
   With base_url (the site's address) set in content/site.yaml, the build also writes a printable
   poster for the village notice board with the site's QR code (site/en/poster/, site/zh/poster/).

The full guide (what each message means, uploading, checking on a phone) is trainer-guide.en.md
in this folder.
EOF
}

package() { # target, binary, archive kind
  local target=$1 bin=$2 kind=$3
  local name="policybook-$version-$target"
  local dir="$stage/$name"
  mkdir -p "$dir"
  cp "$bin" "$dir/"
  cp -R content "$dir/content"
  readme >"$dir/README.txt"
  cp docs/trainer-guide.zh.md docs/trainer-guide.en.md "$dir/"
  find "$dir" -exec touch -h -d "@$stamp" {} +
  rm -f "dist/$name.tar.gz" "dist/$name.zip"
  case "$kind" in
    tar) tar -C "$stage" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$stamp" -czf "dist/$name.tar.gz" "$name"
         echo "dist/$name.tar.gz" ;;
    zip) (cd "$stage" && find "$name" | LC_ALL=C sort | TZ=UTC zip -q -X -@ "$OLDPWD/dist/$name.zip")
         echo "dist/$name.zip" ;;
  esac
}

package x86_64-unknown-linux-musl "$linux_bin" tar
package x86_64-pc-windows-gnu "$windows_bin" zip
ls -l dist/ >&2
