//! The wasm exports: thin `#[wasm_bindgen]` wrappers over [`crate::api`], strings in and strings
//! out (JSON where the value is structured).
//!
//! Compiled only for `wasm32`. The root crate's `build.rs` runs `wasm-bindgen` on the module and
//! wraps the glue into `engine.js`, which exposes these functions as `window.policybookEngine`.
//! None of them panics on bad input: every failure is reported in the returned JSON.

use std::cell::RefCell;
use std::collections::BTreeMap;

use wasm_bindgen::prelude::wasm_bindgen;

use crate::search::Index;

thread_local! {
    /// The search indexes loaded by [`load_index`], by language code; parsed once, then kept.
    static INDEXES: RefCell<BTreeMap<String, Index>> = const { RefCell::new(BTreeMap::new()) };
}

/// The engine's crate version, e.g. `"0.1.0"`; lets a page check which engine it embeds.
#[wasm_bindgen]
pub fn version() -> String {
    String::from(env!("CARGO_PKG_VERSION"))
}

/// Parses a search index (the text of the site's index file, as written by
/// [`Index::to_json`]) and keeps it for [`search`] under `lang` (`"zh"`, `"en"`), replacing any
/// index loaded before for that language.
///
/// Returns `{"ok":true,"docs":42}` or `{"ok":false,"error":"search index: …"}`; on error the
/// previous index for `lang`, if any, is kept.
#[wasm_bindgen]
pub fn load_index(lang: &str, index_json: &str) -> String {
    match Index::from_json(index_json) {
        Ok(index) => {
            let docs = index.len();
            INDEXES.with(|indexes| {
                indexes.borrow_mut().insert(lang.to_owned(), index);
            });
            serde_json::json!({ "ok": true, "docs": docs }).to_string()
        }
        Err(e) => serde_json::json!({ "ok": false, "error": e.to_string() }).to_string(),
    }
}

/// Runs `query` on the index loaded for `lang` and returns at most `limit` results, best first:
/// `{"results":[{"number":24,"title":"…","snippet":"…","url":"/zh/q/24/","score":1.0}]}`; see
/// [`crate::api::search_json`]. Without a loaded index for `lang`, `{"results":[]}`.
#[wasm_bindgen]
pub fn search(lang: &str, query: &str, limit: u32) -> String {
    INDEXES.with(|indexes| match indexes.borrow().get(lang) {
        Some(index) => crate::api::search_json(index, query, usize::try_from(limit).unwrap_or(usize::MAX)),
        None => String::from(r#"{"results":[]}"#),
    })
}

/// Where `query` matches in `text`, as the search matches it (same tokenizer, same folding), for
/// marking the words on the page a result leads to: `[[start,end],…]`, sorted and merged, in
/// UTF-16 code units (JavaScript string indices); see [`crate::search::match_ranges`]. An empty,
/// huge or binary query gives `[]`.
#[wasm_bindgen]
pub fn match_ranges(text: &str, query: &str) -> String {
    let ranges = crate::search::match_ranges(text, query);
    let mut out = Vec::with_capacity(ranges.len());
    // One pass over the text: byte offsets (char boundaries) to UTF-16 offsets.
    let (mut bytes, mut units) = (0usize, 0usize);
    let mut chars = text.chars();
    let mut to_units = |target: usize| {
        while bytes < target {
            let Some(c) = chars.next() else { break };
            bytes += c.len_utf8();
            units += c.len_utf16();
        }
        units
    };
    for r in ranges {
        let start = to_units(r.start);
        let end = to_units(r.end);
        out.push([start, end]);
    }
    serde_json::to_string(&out).unwrap_or_else(|_| String::from("[]"))
}

/// Checks a household case: `case_json` (the case), `policy_json` (the site's policy data),
/// `today` (`YYYY-MM-DD`). Returns the outcome as JSON, or `{"error":{…},"errors":[…]}`;
/// see [`crate::api::check_json`].
#[wasm_bindgen]
pub fn check_json(case_json: &str, policy_json: &str, today: &str) -> String {
    crate::api::check_json(case_json, policy_json, today)
}

/// As [`check_json`], with `options_json` (`{"line_yuan":6500}`, or `""` for none); see
/// [`crate::api::check_json_opts`].
#[wasm_bindgen]
pub fn check_json_opts(case_json: &str, policy_json: &str, today: &str, options_json: &str) -> String {
    crate::api::check_json_opts(case_json, policy_json, today, options_json)
}

/// Validates a case alone, for inline validation in the form: `{"ok":true}` or the errors; see
/// [`crate::api::validate_case_json`].
#[wasm_bindgen]
pub fn validate_case_json(case_json: &str) -> String {
    crate::api::validate_case_json(case_json)
}

/// What the form shows before a check (the line in force on `today`, the local rural average, the
/// time limits), or the errors; see [`crate::api::policy_summary_json`].
#[wasm_bindgen]
pub fn policy_summary_json(policy_json: &str, today: &str) -> String {
    crate::api::policy_summary_json(policy_json, today)
}

/// Whether a monitored household can be proposed for risk elimination: `case_json` (an
/// elimination case), `policy_json`, `today` (`YYYY-MM-DD`). The verdict with its reasons, or the
/// errors; see [`crate::api::elimination_json`].
#[wasm_bindgen]
pub fn elimination_json(case_json: &str, policy_json: &str, today: &str) -> String {
    crate::api::elimination_json(case_json, policy_json, today)
}

/// Validates an elimination case alone: `{"ok":true}` or the errors; see
/// [`crate::api::validate_elimination_json`].
#[wasm_bindgen]
pub fn validate_elimination_json(case_json: &str) -> String {
    crate::api::validate_elimination_json(case_json)
}

/// The procedure timeline: `input_json` (`{"risk_found":"YYYY-MM-DD"}` and/or
/// `{"green_channel_entry":"YYYY-MM-DD"}`, …), `policy_json`. The dated steps, or the errors; see
/// [`crate::api::deadlines_json`].
#[wasm_bindgen]
pub fn deadlines_json(input_json: &str, policy_json: &str) -> String {
    crate::api::deadlines_json(input_json, policy_json)
}

/// The privacy check of a notice: `text` (the notice), `words_json` (the site's sensitive-word
/// list). The findings and the masked text (offsets also in UTF-16 units, i.e. JavaScript
/// indices), or the errors of the word list; see [`crate::api::redact_json`].
#[wasm_bindgen]
pub fn redact_json(text: &str, words_json: &str) -> String {
    crate::api::redact_json(text, words_json)
}
