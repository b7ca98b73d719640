//! Builds the in-page engine and embeds it: `$OUT_DIR/engine-search.js`, `$OUT_DIR/engine-check.js`,
//! `$OUT_DIR/engine.js` and `$OUT_DIR/engine-screen.js`, read by `src/engine_assets.rs`.
//!
//! The engine is built six times, once per [`PARTS`] entry, with one cargo feature of
//! `policybook-engine` each: `search` (the index and queries, loaded by every page's search box),
//! `chunks` (the same with the reader of a chunked index, for a large site's search box),
//! `check` (the household self-check alone, loaded by the checker page; built once per language
//! with `only-zh` / `only-en`, so a page carries its own language's messages only), `tools` (the self-check
//! and the cadre tools, loaded by the tools' pages) and `screen` (the self-check's rules and the
//! sheet reader, loaded by the screening page). A reader who only searches does not download the
//! rules, and the checker page not the cadre tools (bench/RESULTS.md has the sizes). Each script
//! adds its functions to the one global, so a page that loads two sees one `policybookEngine`.
//!
//! 1. A nested `cargo build --release --target wasm32-unknown-unknown -p policybook-engine --lib
//!    --no-default-features --features <part>` compiles `wasm/` for the browser, tuned for size
//!    (the part's `opt-level`, fat LTO, one codegen unit, `panic = "abort"`) through
//!    `--config profile.release.*`, which takes precedence over the root manifest's
//!    `[profile.release]` (opt-level 3, meant for the CLI). The output of wasm-bindgen is used as it
//!    is: binaryen's `wasm-opt -Oz` (npm, version 132) makes the module 8% smaller but its gzip 7%
//!    larger, and a build must not depend on what happens to be installed.
//! 2. `wasm-bindgen` (the `wasm-bindgen-cli-support` build-dependency, same exact version as the
//!    `wasm-bindgen` crate in `Cargo.lock`) generates the `no-modules` glue: a classic script, so it
//!    can be loaded with `<script src>` from `file://` and under `script-src 'self'`.
//! 3. The script = that glue + the wasm bytes in a JavaScript string (one character per byte, see
//!    [`js_byte_string`]; it compresses a quarter better than base64; which character stands for
//!    which byte is chosen by frequency, [`byte_chars`]) + a synchronous `initSync`,
//!    all inside one function scope; the only global it defines is `policybookEngine` (see
//!    [`GLOBAL`]). No fetch, no module script, no inline script in the page; the CSP needs
//!    `'wasm-unsafe-eval'`. The script must be read as UTF-8, as the site's other scripts are.
//!
//! The nested build has its own target directory, `wasm-build/` next to the outer `debug/` and
//! `release/` (the directory that holds `CACHEDIR.TAG`, normally `target/`): sharing the outer one
//! deadlocks on cargo's lock, and one directory for every outer profile (dev, release, test,
//! clippy) means the engine is compiled once, not once per profile. Flags and wrappers meant for
//! the outer build (`RUSTFLAGS`, `RUSTC_WRAPPER`, clippy's `RUSTC_WORKSPACE_WRAPPER`, the
//! jobserver, every `CARGO_*` variable a build script inherits) are removed for the child.
//!
//! `POLICYBOOK_SKIP_WASM=1` writes a stub `engine.js` instead (no wasm32 target needed); so does
//! the nested build itself, through [`NESTED_VAR`], so that it can never recurse. The nested
//! builds of both parts share one target directory: cargo keeps the artifacts of each feature set,
//! so an unchanged part is not recompiled.

use std::env;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// Set to `1` to build without the engine; the site then has no search and no self-checker.
const SKIP_VAR: &str = "POLICYBOOK_SKIP_WASM";
/// Set by this script for the nested cargo: a build script that sees it writes the stub.
const NESTED_VAR: &str = "POLICYBOOK_WASM_NESTED";
/// The JavaScript global that `engine.js` defines.
const GLOBAL: &str = "policybookEngine";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
const ENGINE_PACKAGE: &str = "policybook-engine";
/// The engine's wasm file name in the nested target directory.
const ENGINE_WASM: &str = "policybook_engine.wasm";
/// The builds of the engine the pages load: (script written to `OUT_DIR`, cargo feature, what it
/// is called in messages, `opt-level`, file of `OUT_DIR` that gets its wasm's size). All are
/// built for size ("z"): every reader's first search
/// downloads the search engine, and the budget for it and the handbook's index is 80 KB gzip;
/// "s" is 4 KB larger for queries 40% faster on a 10,000-item index, but on the handbook a query
/// takes under a millisecond either way (bench/RESULTS.md). The tools' work takes well under a
/// millisecond too.
/// Cargo keeps the artifacts of both settings side by side, so neither rebuilds the other's.
const PARTS: [(&str, &str, &str, &str, &str); 6] = [
    (
        "engine-search.js",
        "search",
        "search engine",
        "z",
        "search_wasm_bytes.rs",
    ),
    // A large site's search engine: the same with the reader of a chunked index, which the
    // handbook's readers need not download.
    (
        "engine-search-chunked.js",
        "chunks",
        "search engine (chunked index)",
        "z",
        "search_chunked_wasm_bytes.rs",
    ),
    // One build per language: a page downloads its own language's messages only (`zh!`/`en!`).
    (
        "engine-check-zh.js",
        "check,only-zh",
        "self-check engine",
        "z",
        "check_zh_wasm_bytes.rs",
    ),
    (
        "engine-check-en.js",
        "check,only-en",
        "self-check engine",
        "z",
        "check_en_wasm_bytes.rs",
    ),
    ("engine.js", "tools", "checker and tools engine", "z", "wasm_bytes.rs"),
    // Each row of a sheet is checked as a case, so this part has the rules too; only the
    // screening page loads it, so the checker's engine does not grow with the sheet reader.
    (
        "engine-screen.js",
        "screen",
        "screening engine",
        "z",
        "screen_wasm_bytes.rs",
    ),
];

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let manifest_dir = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out_dir = PathBuf::from(env_var("OUT_DIR")?);
    emit_rerun_lines(&manifest_dir)?;

    let skip = env::var_os(SKIP_VAR).is_some_and(|v| !v.is_empty() && v != "0");
    let nested = env::var_os(NESTED_VAR).is_some();
    let mut built = false;
    let mut sizes = String::from("[");
    for (file, feature, what, opt_level, bytes_file) in PARTS {
        let mut wasm_len = 0;
        let js = if skip || nested {
            let reason = if nested {
                "this is the engine's own nested wasm build"
            } else {
                "the site was built with POLICYBOOK_SKIP_WASM=1 (build without it to get search and the self-checker)"
            };
            stub_js(reason)
        } else {
            let wasm = build_wasm(&manifest_dir, &out_dir, feature, opt_level)?;
            let (glue, wasm) = bindgen(wasm)?;
            wasm_len = wasm.len();
            built = true;
            engine_js(&glue, &wasm, what)
        };
        write(&out_dir.join(file), &js)?;
        write(&out_dir.join(bytes_file), &wasm_len.to_string())?;
        sizes.push_str(&format!("({file:?}, {}), ", gzip_len(js.as_bytes())?));
    }
    sizes.push(']');
    write(&out_dir.join("engine_gzip_bytes.rs"), &sizes)?;
    write(&out_dir.join("engine_built.rs"), if built { "true" } else { "false" })?;
    Ok(())
}

/// The size of `bytes` gzipped at the default level, as a web server sends it.
fn gzip_len(bytes: &[u8]) -> Result<usize, String> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).map_err(|e| format!("gzip: {e}"))?;
    encoder.finish().map(|out| out.len()).map_err(|e| format!("gzip: {e}"))
}

fn env_var(name: &str) -> Result<String, String> {
    env::var(name).map_err(|_| format!("{name} is not set; build.rs must be run by cargo"))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Every input of the nested build: the engine's sources (each file, and the folder so that a new
/// file counts), its manifest, the workspace manifest (profiles, lints) and lock file, this script.
fn emit_rerun_lines(manifest_dir: &Path) -> Result<(), String> {
    let src = manifest_dir.join("wasm").join("src");
    let mut files = Vec::new();
    walk(&src, &mut files)?;
    files.sort();
    println!("cargo:rerun-if-changed={}", src.display());
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    for file in ["wasm/Cargo.toml", "Cargo.toml", "Cargo.lock", "build.rs"] {
        println!("cargo:rerun-if-changed={}", manifest_dir.join(file).display());
    }
    println!("cargo:rerun-if-env-changed={SKIP_VAR}");
    println!("cargo:rerun-if-env-changed={NESTED_VAR}");
    Ok(())
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

/// The nested target directory: `wasm-build/` in the outer build directory (found as the nearest
/// ancestor of `OUT_DIR` holding cargo's `CACHEDIR.TAG`, so `--target-dir`, `CARGO_TARGET_DIR` and
/// `build-dir` are honoured), or `<workspace>/target/wasm-build`.
fn wasm_target_dir(manifest_dir: &Path, out_dir: &Path) -> PathBuf {
    out_dir
        .ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .map_or_else(|| manifest_dir.join("target"), Path::to_path_buf)
        .join("wasm-build")
}

/// Runs the nested cargo for one part (`feature` of the engine crate, built with `opt_level`);
/// returns the wasm module's bytes.
fn build_wasm(manifest_dir: &Path, out_dir: &Path, feature: &str, opt_level: &str) -> Result<Vec<u8>, String> {
    check_target_installed()?;
    let target_dir = wasm_target_dir(manifest_dir, out_dir);
    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut cmd = Command::new(cargo);
    cmd.current_dir(manifest_dir)
        .args([
            "build",
            "--release",
            "--lib",
            "--target",
            WASM_TARGET,
            "-p",
            ENGINE_PACKAGE,
            "--no-default-features",
            "--features",
            feature,
        ])
        .arg("--manifest-path")
        .arg(manifest_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir)
        .args(["--color", "never"]);
    let opt_level = format!("profile.release.opt-level=\"{opt_level}\"");
    for setting in [
        opt_level.as_str(),
        "profile.release.lto=true",
        "profile.release.codegen-units=1",
        "profile.release.panic=\"abort\"",
        "profile.release.debug=false",
        "profile.release.incremental=false",
    ] {
        cmd.args(["--config", setting]);
    }
    clean_env(&mut cmd);
    cmd.env(NESTED_VAR, "1");

    let output = cmd
        .output()
        .map_err(|e| format!("cannot run cargo for the nested wasm build: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // Kept for reference; the output is shown only when the build fails.
    let _ = fs::write(out_dir.join(format!("wasm-build-{feature}.log")), &log);
    if !output.status.success() {
        return Err(format!(
            "the nested wasm build of the engine (feature `{feature}`) failed ({}); its output:\n\n{log}\n\
             (set {SKIP_VAR}=1 to build without the search and checker engine)",
            output.status
        ));
    }
    let wasm_path = target_dir.join(WASM_TARGET).join("release").join(ENGINE_WASM);
    fs::read(&wasm_path).map_err(|e| format!("cannot read the engine's wasm {}: {e}", wasm_path.display()))
}

/// Removes what the outer build passes to build scripts and could leak into the nested one.
fn clean_env(cmd: &mut Command) {
    /// `CARGO_*` variables that are the user's cargo configuration (home, network, registries),
    /// not the outer build's state; everything else with that prefix is removed.
    const KEEP: [&str; 5] = [
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
    ];
    const REMOVE: [&str; 14] = [
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_LINKER",
        "RUSTDOC",
        "TARGET",
        "HOST",
        "OUT_DIR",
        "NUM_JOBS",
        "OPT_LEVEL",
        "PROFILE",
        "DEBUG",
        "MAKEFLAGS",
    ];
    for (name, _) in env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let cargo_state = (name.starts_with("CARGO_") && !KEEP.iter().any(|k| name.starts_with(k)))
            || name.starts_with("__CARGO")
            || name == "CARGO";
        if cargo_state || REMOVE.contains(&name) {
            cmd.env_remove(name);
        }
    }
}

/// Fails early, with the fix, when the standard library for wasm32 is missing.
fn check_target_installed() -> Result<(), String> {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| OsString::from("rustc"));
    let Ok(output) = Command::new(&rustc).args(["--print", "sysroot"]).output() else {
        return Ok(()); // let the nested build report it
    };
    let sysroot = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if !output.status.success() || sysroot.join("lib/rustlib").join(WASM_TARGET).join("lib").is_dir() {
        return Ok(());
    }
    Err(format!(
        "the {WASM_TARGET} target is not installed: run `rustup target add {WASM_TARGET}` \
         (RUSTUP_AUTO_INSTALL=0 on these machines), or set {SKIP_VAR}=1 to build without the search \
         and checker engine"
    ))
}

/// Runs wasm-bindgen in `no-modules` mode; returns the glue and the final wasm.
fn bindgen(wasm: Vec<u8>) -> Result<(String, Vec<u8>), String> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_bytes("policybook_engine", wasm)
        .no_modules(true)
        .map_err(fail)?
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    let mut output = bindgen.generate_output().map_err(fail)?;
    if output.snippets().values().any(|list| !list.is_empty()) || !output.local_modules().is_empty() {
        return Err(String::from(
            "the engine uses `#[wasm_bindgen(inline_js)]` or `module = …` snippets, which engine.js \
             cannot embed; keep the engine free of JavaScript imports",
        ));
    }
    let glue = output.js().to_owned();
    let wasm = output.wasm_mut().emit_wasm();
    Ok((glue, wasm))
}

/// An error of wasm-bindgen (an `anyhow::Error`) with its causes.
fn fail(e: impl std::fmt::Display) -> String {
    format!("wasm-bindgen failed on the engine: {e:#}")
}

/// One part's script: glue, bytes and a synchronous start, in one function scope, then its
/// functions merged into the global (see [`MERGE`]). `what` names the part in the error message.
fn engine_js(glue: &str, wasm: &[u8], what: &str) -> String {
    let mut js = String::with_capacity(glue.len() + wasm.len() * 3 / 2 + 4096);
    let _ = writeln!(
        js,
        "/* policybook {what} ({} bytes of wasm), generated by build.rs; do not edit. */",
        wasm.len()
    );
    js.push_str("(function () {\n\"use strict\";\n");
    js.push_str(&compact_glue(glue));
    let chars = byte_chars(wasm);
    js.push_str("\nvar CHARS = \"");
    js_byte_string(&chars, &mut js);
    js.push_str("\";\nvar WASM = \"");
    let coded: Vec<u8> = wasm.iter().map(|&b| chars[usize::from(b)]).collect();
    js_byte_string(&coded, &mut js);
    js.push_str("\";\n");
    let _ = write!(
        js,
        r#"var engine = {{ built: true }};
try {{
  var byteOf = new Uint8Array(256), bytes = new Uint8Array(WASM.length), i;
  for (i = 0; i < 256; i++) byteOf[CHARS.charCodeAt(i)] = i;
  for (i = 0; i < WASM.length; i++) bytes[i] = byteOf[WASM.charCodeAt(i)];
  wasm_bindgen.initSync({{ module: bytes }});
  Object.keys(wasm_bindgen).forEach(function (name) {{
    if (name !== "initSync") engine[name] = wasm_bindgen[name];
  }});
}} catch (e) {{
  var message = "policybook: the {what} could not start (" + e + ")";
  if (typeof console !== "undefined") console.error(message);
  engine = unavailable(message);
}}
{UNAVAILABLE}
{MERGE}
globalThis.{GLOBAL} = merge(globalThis.{GLOBAL}, engine);
}})();
"#
    );
    js
}

/// The glue without its whole-line doc comments (wasm-bindgen copies the Rust documentation of
/// every export) and without indentation: a third of its size, and 1 KB of every reader's first
/// download. Indentation is kept if the glue has a template literal (the only place where
/// leading white space is content in JavaScript).
fn compact_glue(glue: &str) -> String {
    let mut code: Vec<&str> = Vec::new();
    let mut in_doc = false;
    for line in glue.lines() {
        let t = line.trim();
        if !in_doc && t.starts_with("/**") {
            in_doc = !t.ends_with("*/");
            continue;
        }
        if in_doc {
            in_doc = !t.ends_with("*/");
            continue;
        }
        if !t.is_empty() {
            code.push(line);
        }
    }
    let keep_indent = code.iter().any(|l| l.contains('`'));
    let mut out = String::with_capacity(glue.len());
    for line in code {
        out.push_str(if keep_indent { line } else { line.trim() });
        out.push('\n');
    }
    out
}

/// `unavailable(message, keep)`: an engine whose every function throws `message` (except those
/// of `keep`, an engine that works, if given); `built` is false and `error` is `message`.
const UNAVAILABLE: &str = r#"function unavailable(message, keep) {
  var target = { built: false, error: message };
  if (keep) Object.keys(keep).forEach(function (name) { if (name !== "built") target[name] = keep[name]; });
  return new Proxy(target, {
    get: function (target, name) {
      if (name in target || typeof name !== "string" || name === "then") return target[name];
      return function () { throw new Error(message); };
    },
  });
}"#;

/// `merge(previous, part)`: the global after a part has loaded. The functions of every part loaded
/// on the page, frozen; when a part failed, `built` is false, its functions throw its message and
/// those of the parts that work still work.
const MERGE: &str = r#"function merge(previous, part) {
  if (!previous || typeof previous !== "object") return part.built === true ? Object.freeze(part) : part;
  if (previous.built === true && part.built === true) {
    var all = {};
    [previous, part].forEach(function (e) { Object.keys(e).forEach(function (name) { all[name] = e[name]; }); });
    return Object.freeze(all);
  }
  var failed = previous.built === true ? part : previous;
  var works = previous.built === true ? previous : part.built === true ? part : null;
  return unavailable(failed.error, works);
}"#;

/// The stub script: `policybookEngine.built` is false and every call throws, saying why.
fn stub_js(reason: &str) -> String {
    format!(
        "/* policybook engine stub, generated by build.rs; do not edit. */\n(function () {{\n\"use strict\";\n\
         {UNAVAILABLE}\nglobalThis.{GLOBAL} = unavailable(\"policybook: the search and checker engine is not \
         included: {reason}\");\n}})();\n"
    )
}

/// Which character (U+0000–U+00FF) stands for each byte value in the script's string: the
/// module's most frequent bytes get the characters that take one byte in the UTF-8 file and need
/// no escape, the rarest the two-byte ones and the escapes. Most of a module's bytes are below
/// 0x80 but not the same ones as ASCII's printable range (NUL, LEB128's continuation bytes), so
/// mapping by frequency makes the script's gzip 6% smaller than one character per byte as is.
fn byte_chars(wasm: &[u8]) -> [u8; 256] {
    let mut count = [0usize; 256];
    for &b in wasm {
        count[usize::from(b)] += 1;
    }
    let mut by_frequency: Vec<u8> = (0..=255).collect();
    // Ties by byte value, so the same module always gives the same script.
    by_frequency.sort_by_key(|&b| (std::cmp::Reverse(count[usize::from(b)]), b));
    let escaped = [b'\\', b'"', b'\n', b'\r', 0];
    let cheap = (1..=0x7f).filter(|c| !escaped.contains(c));
    let dear = (0x80..=0xff).chain(escaped);
    let mut chars = [0u8; 256];
    for (&b, c) in by_frequency.iter().zip(cheap.chain(dear)) {
        chars[usize::from(b)] = c;
    }
    chars
}

/// `bytes` as the inside of a double-quoted JavaScript string with one UTF-16 unit per byte
/// (U+0000–U+00FF; read back with `charCodeAt`), appended to `out`. Only `\`, `"`, line feed,
/// carriage return and NUL are escaped. In the UTF-8 file a byte above 0x7F takes two bytes, so
/// the script is about as large as base64 (×1.45 against ×1.33), but gzip keeps the module's own
/// byte patterns: 198 KB instead of 257 KB for a 507 KB module.
fn js_byte_string(bytes: &[u8], out: &mut String) {
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            // `\0` followed by a digit would be a legacy octal escape (an error in strict mode).
            0 if bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => out.push_str("\\x00"),
            0 => out.push_str("\\0"),
            _ => out.push(char::from(b)),
        }
    }
}
