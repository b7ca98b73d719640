//! The in-page engine, built by `build.rs` and embedded in the binary.
//!
//! [`ENGINE_JS`] and [`SEARCH_ENGINE_JS`] are classic scripts (load them with
//! `<script src="…/engine.js">`, no `type`): the wasm-bindgen glue, the engine's wasm in a
//! JavaScript string (one character per byte; the file must be read as UTF-8) and a synchronous
//! start. They work from `file://` and under `script-src 'self' 'wasm-unsafe-eval'`, and define
//! one global, `policybookEngine`, with the functions of `policybook-engine`'s `bindings` module
//! that the scripts loaded on the page hold (`version()`, `load_index(lang, index_json)`,
//! `search(lang, query, limit)`, `check_json(…)`, …), all strings in and strings out, plus `built`
//! (`true`).
//!
//! Built with `POLICYBOOK_SKIP_WASM=1`, the script is a stub: `policybookEngine.built` is `false`
//! and every function throws an error saying why.

use crate::Lang;

/// The checker and tools engine, written into the site as `engine.js`: `version()` and the
/// functions of the self-checker and the cadre tools (`check_json`, `elimination_json`, …).
pub const ENGINE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/engine.js"));

/// The self-check engine, one script per language, written into the site as
/// `engine-check-zh.js` and `engine-check-en.js` and loaded by the checker page of that language:
/// `version()` and the self-check's functions of [`ENGINE_JS`] (`check_json`, `check_json_opts`,
/// `validate_case_json`, `parse_money_json`, `policy_summary_json`), without the cadre tools, and
/// with the messages of its language only (the other language's texts are empty).
pub const CHECK_ENGINE_JS: [(Lang, &str); 2] = [
    (Lang::Zh, include_str!(concat!(env!("OUT_DIR"), "/engine-check-zh.js"))),
    (Lang::En, include_str!(concat!(env!("OUT_DIR"), "/engine-check-en.js"))),
];

/// The search engine, written into the site as `engine-search.js` and loaded by the search box of
/// every page: `version()`, `load_index`, `search` and `match_ranges`. Loaded on the same page as
/// [`ENGINE_JS`], both add their functions to the one `policybookEngine`.
pub const SEARCH_ENGINE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/engine-search.js"));
/// The search engine of a site whose index is chunked (`search::chunks`): [`SEARCH_ENGINE_JS`]
/// plus `add_chunk`; written into such a site only, as `engine-search-chunked.js`.
pub const SEARCH_CHUNKED_ENGINE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/engine-search-chunked.js"));

/// Whether [`ENGINE_JS`] holds the real engine (`false` for the `POLICYBOOK_SKIP_WASM=1` stub).
pub const ENGINE_BUILT: bool = include!(concat!(env!("OUT_DIR"), "/engine_built.rs"));

/// Size in bytes of the engine's wasm module as embedded (before base64), for reports; 0 for the
/// stub.
pub const WASM_BYTES: usize = include!(concat!(env!("OUT_DIR"), "/wasm_bytes.rs"));

/// Size in bytes of the search engine's wasm module (in [`SEARCH_ENGINE_JS`]); 0 for the stub.
pub const SEARCH_WASM_BYTES: usize = include!(concat!(env!("OUT_DIR"), "/search_wasm_bytes.rs"));

/// The screening engine, written into the site as `engine-screen.js` and loaded only by the
/// screening page: `version()`, `sniff_encoding`, `screen_json` and `screen_results_csv`.
pub const SCREEN_ENGINE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/engine-screen.js"));

/// Size in bytes of the screening engine's wasm module (in [`SCREEN_ENGINE_JS`]); 0 for the stub.
pub const SCREEN_WASM_BYTES: usize = include!(concat!(env!("OUT_DIR"), "/screen_wasm_bytes.rs"));

/// Size in bytes of the self-check engines' wasm modules (in [`CHECK_ENGINE_JS`], same order); 0
/// for the stub.
pub const CHECK_WASM_BYTES: [usize; 2] = [
    include!(concat!(env!("OUT_DIR"), "/check_zh_wasm_bytes.rs")),
    include!(concat!(env!("OUT_DIR"), "/check_en_wasm_bytes.rs")),
];

/// The name in the site of the self-check engine for `lang`'s pages.
pub fn check_engine_name(lang: Lang) -> String {
    format!("engine-check-{}.js", lang.code())
}

/// Each engine script's size gzipped at the default level, as a web server sends it: (the
/// script's name in the site, bytes). Measured when this binary was built.
pub const ENGINE_GZIP_BYTES: &[(&str, usize)] = &include!(concat!(env!("OUT_DIR"), "/engine_gzip_bytes.rs"));
