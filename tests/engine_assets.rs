//! The embedded engine scripts (`src/engine_assets.rs`, built by `build.rs`): their shape, and
//! that they start and answer in Node the way a page uses them (classic scripts defining the
//! global `policybookEngine`, strings in and JSON strings out; the search part and the checker
//! part add their functions to the one global).
//!
//! Without `node` on the `PATH` the Node check fails under CI and is reported on stderr elsewhere.

use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::Command;

use policybook::engine_assets::{
    CHECK_ENGINE_JS, CHECK_WASM_BYTES, ENGINE_BUILT, ENGINE_JS, SEARCH_ENGINE_JS, SEARCH_WASM_BYTES, WASM_BYTES,
};
use policybook::Lang;

/// The module an engine script carries, decoded as its loader decodes it: `WASM`'s characters
/// mapped back to bytes through `CHARS` (the character that stands for each byte value).
fn inlined_module(script: &str) -> Option<Vec<u8>> {
    fn string_after(script: &str, start: &str) -> Option<Vec<u32>> {
        let body = &script[script.find(start)? + start.len()..];
        let mut units = Vec::new();
        let mut chars = body.chars();
        loop {
            match chars.next()? {
                '"' => return Some(units),
                '\\' => units.push(match chars.next()? {
                    'n' => 10,
                    'r' => 13,
                    '0' => 0,
                    'x' => u32::from_str_radix(&format!("{}{}", chars.next()?, chars.next()?), 16).ok()?,
                    c => u32::from(c),
                }),
                c => units.push(u32::from(c)),
            }
        }
    }
    let chars = string_after(script, "var CHARS = \"")?;
    let wasm = string_after(script, "var WASM = \"")?;
    let byte_of = |c: u32| chars.iter().position(|&x| x == c).and_then(|b| u8::try_from(b).ok());
    (chars.len() == 256).then(|| wasm.iter().map(|&c| byte_of(c)).collect::<Option<Vec<u8>>>())?
}

#[test]
fn engine_js_embeds_the_wasm_or_is_the_stub() {
    for (name, script, wasm_bytes) in [
        ("engine.js", ENGINE_JS, WASM_BYTES),
        ("engine-check-zh.js", CHECK_ENGINE_JS[0].1, CHECK_WASM_BYTES[0]),
        ("engine-check-en.js", CHECK_ENGINE_JS[1].1, CHECK_WASM_BYTES[1]),
        ("engine-search.js", SEARCH_ENGINE_JS, SEARCH_WASM_BYTES),
    ] {
        assert!(script.contains("policybookEngine"), "{name} must define the global");
        if ENGINE_BUILT {
            // Inlined, never fetched: decoded as the script decodes it, the string is the module.
            let module = inlined_module(script).unwrap_or_else(|| panic!("{name} must inline the wasm as a string"));
            assert!(
                module.starts_with(b"\0asm"),
                "{name}: the inlined bytes are not a wasm module"
            );
            assert_eq!(module.len(), wasm_bytes, "{name}: the inlined module's length");
            assert!(wasm_bytes > 1000, "{name}: suspiciously small wasm: {wasm_bytes} bytes");
            assert!(
                script.len() > wasm_bytes,
                "{name} is smaller than its wasm, so it cannot hold it"
            );
            assert!(script.contains("initSync"), "{name} must start synchronously");
        } else {
            assert_eq!(wasm_bytes, 0);
            assert!(
                script.contains("POLICYBOOK_SKIP_WASM"),
                "the stub must say why it is a stub"
            );
        }
        // A classic script: no ES module syntax, no dynamic import. (The glue's unused async
        // `init` mentions `fetch`; the global exposes only the synchronous, already started engine.)
        for forbidden in ["import.meta", "import(", "\nexport ", "\nimport "] {
            assert!(!script.contains(forbidden), "{name} contains `{forbidden}`");
        }
    }
}

/// Node: loads engine-search.js, then `second` (engine.js or engine-check.js), as scripts in the
/// global scope (as two `<script src>` do) and runs `js` with `engine` bound to
/// `globalThis.policybookEngine` and `first` to what the global was after the first script;
/// returns its stdout, or `None` without Node.
fn run_in_node(name: &str, second: &str, js: &str) -> Option<String> {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let search_path = dir.join(format!("engine-search-{name}.js"));
    let path = dir.join(format!("engine-{name}.js"));
    std::fs::write(&search_path, SEARCH_ENGINE_JS).expect("write engine-search.js to the test folder");
    std::fs::write(&path, second).expect("write the second engine script to the test folder");
    let script = format!(
        "const fs = require('fs'); const vm = require('vm');\n\
         vm.runInThisContext(fs.readFileSync(process.argv[1], 'utf8'), {{ filename: 'engine-search.js' }});\n\
         const first = globalThis.policybookEngine;\n\
         vm.runInThisContext(fs.readFileSync(process.argv[2], 'utf8'), {{ filename: 'engine.js' }});\n\
         const engine = globalThis.policybookEngine;\n{js}"
    );
    let output = match Command::new("node")
        .arg("-e")
        .arg(&script)
        .arg(&search_path)
        .arg(&path)
        .output()
    {
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
            ENGINE_JS,
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
        "v": policybook_engine::search::FORMAT_VERSION,
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
         out('first', [typeof first.search, typeof first.check_json, typeof first.version]);\n\
         out('no_init', !('initSync' in engine) && typeof globalThis.wasm_bindgen === 'undefined');",
        index = serde_json::Value::String(index.to_string()),
    );
    let Some(stdout) = run_in_node("built", ENGINE_JS, &js) else {
        return;
    };

    assert_eq!(json_line(&stdout, "built"), true);
    assert_eq!(json_line(&stdout, "frozen"), true);
    assert_eq!(
        json_line(&stdout, "first"),
        serde_json::json!(["function", "undefined", "function"]),
        "engine-search.js alone has the search, not the checker"
    );
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

/// The checker page's engine: the self-check's functions, none of the cadre tools'.
#[test]
fn engine_check_js_has_the_self_check_alone() {
    if !ENGINE_BUILT {
        return;
    }
    let js = "const out = (label, value) => console.log(label, typeof value === 'string' ? value : JSON.stringify(value));\n\
              out('kinds', ['check_json', 'check_json_opts', 'validate_case_json', 'parse_money_json', 'policy_summary_json', 'elimination_json', 'deadlines_json', 'redact_json', 'search'].map((f) => typeof engine[f]));\n\
              out('money', engine.parse_money_json('9千'));";
    for (lang, script) in CHECK_ENGINE_JS {
        let Some(stdout) = run_in_node(&format!("check-{}", lang.code()), script, js) else {
            return;
        };
        let function = serde_json::json!("function");
        let missing = serde_json::json!("undefined");
        assert_eq!(
            json_line(&stdout, "kinds"),
            serde_json::json!([function, function, function, function, function, missing, missing, missing, function])
        );
        // Its own language's words, and none of the other's.
        let money = json_line(&stdout, "money");
        assert_eq!(money["yuan"], 9000);
        let (own, other) = match lang {
            Lang::Zh => (("zh", "9,000 元"), "en"),
            Lang::En => (("en", "9,000 yuan"), "zh"),
        };
        assert_eq!(money[own.0], own.1, "{}: {money}", lang.code());
        assert_eq!(money[other], "", "{}: {money}", lang.code());
    }
}
