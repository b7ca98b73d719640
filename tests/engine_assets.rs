//! The embedded engine script (`src/engine_assets.rs`, built by `build.rs`): its shape, and that
//! it starts and answers in Node the way a page uses it (a classic script defining the global
//! `policybookEngine`, strings in and JSON strings out).
//!
//! Without `node` on the `PATH` the Node check fails under CI and is reported on stderr elsewhere.

use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;

use policybook::engine_assets::{ENGINE_BUILT, ENGINE_JS, WASM_BYTES};

#[test]
fn engine_js_embeds_the_wasm_or_is_the_stub() {
    let wasm_bytes = WASM_BYTES; // a value, so that the size checks are not constant assertions
    assert!(
        ENGINE_JS.contains("policybookEngine"),
        "engine.js must define the global"
    );
    if ENGINE_BUILT {
        // "\0asm" in base64: the module is inlined, never fetched.
        assert!(
            ENGINE_JS.contains("\"AGFzbQ"),
            "engine.js must inline the wasm in base64"
        );
        assert!(wasm_bytes > 1000, "suspiciously small wasm: {wasm_bytes} bytes");
        assert!(
            ENGINE_JS.len() > wasm_bytes * 4 / 3,
            "engine.js is smaller than its wasm in base64"
        );
        assert!(ENGINE_JS.contains("initSync"), "engine.js must start synchronously");
    } else {
        assert_eq!(wasm_bytes, 0);
        assert!(
            ENGINE_JS.contains("POLICYBOOK_SKIP_WASM"),
            "the stub must say why it is a stub"
        );
    }
    // A classic script: no ES module syntax, no dynamic import. (The glue's unused async `init`
    // mentions `fetch`; the global exposes only the synchronous, already started engine.)
    for forbidden in ["import.meta", "import(", "\nexport ", "\nimport "] {
        assert!(!ENGINE_JS.contains(forbidden), "engine.js contains `{forbidden}`");
    }
}

/// Node: loads engine.js as a script in the global scope (as `<script src>` does) and runs `js`
/// with `engine` bound to `globalThis.policybookEngine`; returns its stdout, or `None` without
/// Node.
fn run_in_node(name: &str, js: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("engine-{name}.js"));
    std::fs::write(&path, ENGINE_JS).expect("write engine.js to the test folder");
    let script = format!(
        "const fs = require('fs'); const vm = require('vm');\n\
         vm.runInThisContext(fs.readFileSync(process.argv[1], 'utf8'), {{ filename: 'engine.js' }});\n\
         const engine = globalThis.policybookEngine;\n{js}"
    );
    let output = match Command::new("node").arg("-e").arg(&script).arg(&path).output() {
        Ok(output) => output,
        // Node is part of the test toolchain (tests/install.sh, the browser suite): outside CI a
        // developer without it is told; under CI its absence is a failure, never a silent skip.
        Err(e) if e.kind() == ErrorKind::NotFound && std::env::var_os("CI").is_none() => {
            eprintln!("note: `node` is not installed; the Node check of engine.js did not run");
            return None;
        }
        Err(e) => panic!("cannot run node: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "node failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    Some(stdout)
}

/// Parses the one JSON line that the Node script prints under `label`.
fn json_line(stdout: &str, label: &str) -> serde_json::Value {
    let prefix = format!("{label} ");
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no `{label}` line in node's output:\n{stdout}"));
    serde_json::from_str(line).unwrap_or_else(|e| panic!("`{label}` is not JSON ({e}): {line}"))
}

#[test]
fn engine_js_starts_and_answers_in_node() {
    if !ENGINE_BUILT {
        let Some(stdout) = run_in_node(
            "stub",
            "console.log('built', JSON.stringify(engine.built));\n\
             try { engine.search('zh', 'x', 1); console.log('threw false'); }\n\
             catch (e) { console.log('threw', JSON.stringify(String(e.message))); }",
        ) else {
            return;
        };
        assert_eq!(json_line(&stdout, "built"), false);
        let message = json_line(&stdout, "threw");
        assert!(
            message.as_str().is_some_and(|m| m.contains("POLICYBOOK_SKIP_WASM")),
            "{message}"
        );
        return;
    }

    let index = serde_json::json!({
        "v": 1,
        "docs": [
            ["/zh/q/24/", 24, "家庭收入如何计算", "家庭纯收入包括工资性收入和经营净收入。", "zh"],
            ["/zh/about/", null, "关于本书", "本书是政策问答。", "zh"],
        ],
    });
    let js = format!(
        "const out = (label, value) => console.log(label, typeof value === 'string' ? value : JSON.stringify(value));\n\
         out('built', engine.built);\n\
         out('version', JSON.stringify(engine.version()));\n\
         out('load', engine.load_index('zh', {index}));\n\
         out('bad_load', engine.load_index('en', 'not an index'));\n\
         out('search', engine.search('zh', '收入', 10));\n\
         out('no_index', engine.search('en', 'income', 10));\n\
         out('check', engine.check_json('{{', '{{}}', '2025-06-01'));\n\
         out('frozen', Object.isFrozen(engine));\n\
         out('no_init', !('initSync' in engine) && typeof globalThis.wasm_bindgen === 'undefined');",
        index = serde_json::Value::String(index.to_string()),
    );
    let Some(stdout) = run_in_node("built", &js) else {
        return;
    };

    assert_eq!(json_line(&stdout, "built"), true);
    assert_eq!(json_line(&stdout, "frozen"), true);
    assert_eq!(
        json_line(&stdout, "no_init"),
        true,
        "only the engine's functions are global"
    );
    assert!(json_line(&stdout, "version").is_string());
    assert_eq!(json_line(&stdout, "load"), serde_json::json!({"ok": true, "docs": 2}));
    let bad = json_line(&stdout, "bad_load");
    assert_eq!(bad["ok"], false, "{bad}");
    assert!(
        bad["error"].as_str().is_some_and(|e| e.contains("search index")),
        "{bad}"
    );

    let search = json_line(&stdout, "search");
    let results = search["results"].as_array().expect("`results` is an array");
    assert_eq!(
        results.first().map(|r| &r["url"]),
        Some(&serde_json::json!("/zh/q/24/")),
        "{search}"
    );
    assert_eq!(results[0]["number"], 24, "{search}");
    assert!(
        results[0]["snippet"].as_str().is_some_and(|s| s.contains("<mark>")),
        "{search}"
    );
    assert_eq!(json_line(&stdout, "no_index"), serde_json::json!({"results": []}));

    // Bad input comes back as data, never as a thrown error.
    let check = json_line(&stdout, "check");
    assert!(check["error"]["field"].is_string(), "{check}");
    assert!(check["errors"].as_array().is_some_and(|e| !e.is_empty()), "{check}");
}
