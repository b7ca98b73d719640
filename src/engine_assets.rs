//! The in-page engine, built by `build.rs` and embedded in the binary.
//!
//! [`ENGINE_JS`] is one classic script (load it with `<script src="…/engine.js">`, no `type`):
//! the wasm-bindgen glue, the engine's wasm in base64 and a synchronous start. It works from
//! `file://` and under `script-src 'self' 'wasm-unsafe-eval'`, and defines one global,
//! `policybookEngine`, with the functions of `policybook-engine`'s `bindings` module
//! (`version()`, `load_index(lang, index_json)`, `search(lang, query, limit)`, …), all strings in
//! and strings out, plus `built` (`true`).
//!
//! Built with `POLICYBOOK_SKIP_WASM=1`, the script is a stub: `policybookEngine.built` is `false`
//! and every function throws an error saying why.

/// The script to write into the site, e.g. as `engine.js`.
pub const ENGINE_JS: &str = include_str!(concat!(env!("OUT_DIR"), "/engine.js"));

/// Whether [`ENGINE_JS`] holds the real engine (`false` for the `POLICYBOOK_SKIP_WASM=1` stub).
pub const ENGINE_BUILT: bool = include!(concat!(env!("OUT_DIR"), "/engine_built.rs"));

/// Size in bytes of the engine's wasm module as embedded (before base64), for reports; 0 for the
/// stub.
pub const WASM_BYTES: usize = include!(concat!(env!("OUT_DIR"), "/wasm_bytes.rs"));
