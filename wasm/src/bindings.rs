//! The wasm exports: thin `#[wasm_bindgen]` wrappers over [`crate::api`], strings in and strings
//! out (JSON where the value is structured).
//!
//! Compiled only for `wasm32`. The root crate's `build.rs` runs `wasm-bindgen` on the module and
//! wraps the glue into `engine.js`, which exposes these functions as `window.policybookEngine`.
//! None of them panics on bad input: every failure is reported in the returned JSON.
//!
//! The pages load five builds of this module: with the `search` feature (the index and queries:
//! `engine-search.js`), with `chunks` (the same and `add_chunk`, for a chunked index:
//! `engine-search-chunked.js`, only in a large site), with `check` (the household self-check alone: `engine-check.js`, for the
//! checker page), with `tools` (the self-check and the cadre tools: `engine.js`) and with
//! `screen` (village screening: `engine-screen.js`, loaded only by the screening page), so that a
//! reader who only searches does not download the rules, nor the checker page the cadre tools.
//! `version` is in all five.

#[cfg(feature = "search")]
use std::cell::RefCell;
#[cfg(feature = "search")]
use std::collections::BTreeMap;

use wasm_bindgen::prelude::wasm_bindgen;

#[cfg(feature = "search")]
use crate::search::Index;

#[cfg(feature = "search")]
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
#[cfg(feature = "search")]
#[wasm_bindgen]
pub fn load_index(lang: &str, index_json: &str) -> String {
    match Index::from_json(index_json) {
        // Written by hand: the search engine is built without serde_json (see `search::wire`).
        Ok(index) => {
            let docs = index.len();
            INDEXES.with(|indexes| {
                indexes.borrow_mut().insert(lang.to_owned(), index);
            });
            let mut out = String::from(r#"{"ok":true,"docs":"#);
            crate::json::push_uint(&mut out, docs as u64);
            out.push('}');
            out
        }
        Err(e) => {
            let mut out = String::from(r#"{"ok":false,"error":"#);
            crate::json::push_str(&mut out, &e.to_string());
            out.push('}');
            out
        }
    }
}

/// Reads one chunk of a chunked index (the payload a chunk script hands over) into the index
/// loaded for `lang`: `{"ok":true}` or `{"ok":false,"error":"search index: …"}` (a chunk cut short
/// or of another build; the index is left as it was).
#[cfg(feature = "chunks")]
#[wasm_bindgen]
pub fn add_chunk(lang: &str, chunk_json: &str) -> String {
    let done = INDEXES.with(|indexes| match indexes.borrow_mut().get_mut(lang) {
        Some(index) => index.add_chunk(chunk_json),
        None => Err(crate::search::IndexError::new("no index is loaded for this language")),
    });
    match done {
        Ok(()) => String::from(r#"{"ok":true}"#),
        Err(e) => {
            let mut out = String::from(r#"{"ok":false,"error":"#);
            crate::json::push_str(&mut out, &e.to_string());
            out.push('}');
            out
        }
    }
}

/// Runs `query` on the index loaded for `lang` and returns at most `limit` results, best first:
/// `{"results":[{"number":24,"title":"…","snippet":"…","url":"/zh/q/24/","score":1.0}]}`; see
/// [`crate::api::search_json`]. Without a loaded index for `lang`, `{"results":[]}`; a chunked
/// index answers `{"need":[…]}` until the chunks the query needs are added ([`add_chunk`]).
#[cfg(feature = "search")]
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
#[cfg(feature = "search")]
#[wasm_bindgen]
pub fn match_ranges(text: &str, query: &str) -> String {
    let ranges = crate::search::match_ranges(text, query);
    let mut out = String::from("[");
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
    for (i, r) in ranges.into_iter().enumerate() {
        let start = to_units(r.start);
        let end = to_units(r.end);
        out.push_str(if i == 0 { "[" } else { ",[" });
        crate::json::push_uint(&mut out, start as u64);
        out.push(',');
        crate::json::push_uint(&mut out, end as u64);
        out.push(']');
    }
    out.push(']');
    out
}

/// Checks a household case: `case_json` (the case), `policy_json` (the site's policy data),
/// `today` (`YYYY-MM-DD`). Returns the outcome as JSON, or `{"error":{…},"errors":[…]}`;
/// see [`crate::api::check_json`].
#[cfg(any(feature = "check", feature = "tools"))]
#[wasm_bindgen]
pub fn check_json(case_json: &str, policy_json: &str, today: &str) -> String {
    crate::api::check_json(case_json, policy_json, today)
}

/// As [`check_json`], with `options_json` (`{"line_yuan":6500}`, or `""` for none); see
/// [`crate::api::check_json_opts`].
#[cfg(any(feature = "check", feature = "tools"))]
#[wasm_bindgen]
pub fn check_json_opts(case_json: &str, policy_json: &str, today: &str, options_json: &str) -> String {
    crate::api::check_json_opts(case_json, policy_json, today, options_json)
}

/// Validates a case alone, for inline validation in the form: `{"ok":true}` or the errors; see
/// [`crate::api::validate_case_json`].
#[cfg(any(feature = "check", feature = "tools"))]
#[wasm_bindgen]
pub fn validate_case_json(case_json: &str) -> String {
    crate::api::validate_case_json(case_json)
}

/// Reads an amount as people type it (`9千`, `0.9万`, `9,000`, …): `{"yuan":9000,"zh":"9,000
/// 元","en":"9,000 yuan"}` to echo, or the errors (field `amount`); see
/// [`crate::api::parse_money_json`].
#[cfg(any(feature = "check", feature = "tools"))]
#[wasm_bindgen]
pub fn parse_money_json(text: &str) -> String {
    crate::api::parse_money_json(text)
}

/// What the engine says of a case being filled in (the conditional questions it asks, the income
/// so far); see [`crate::api::case_draft_json`].
#[cfg(any(feature = "check", feature = "tools"))]
#[wasm_bindgen]
pub fn case_draft_json(case_json: &str) -> String {
    crate::api::case_draft_json(case_json)
}

/// What the form shows before a check (the line in force on `today`, the local rural average, the
/// time limits), or the errors; see [`crate::api::policy_summary_json`].
#[cfg(any(feature = "check", feature = "tools"))]
#[wasm_bindgen]
pub fn policy_summary_json(policy_json: &str, today: &str) -> String {
    crate::api::policy_summary_json(policy_json, today)
}

/// Whether a monitored household can be proposed for risk elimination: `case_json` (an
/// elimination case), `policy_json`, `today` (`YYYY-MM-DD`). The verdict with its reasons, or the
/// errors; see [`crate::api::elimination_json`].
#[cfg(feature = "tools")]
#[wasm_bindgen]
pub fn elimination_json(case_json: &str, policy_json: &str, today: &str) -> String {
    crate::api::elimination_json(case_json, policy_json, today)
}

/// Validates an elimination case alone: `{"ok":true}` or the errors; see
/// [`crate::api::validate_elimination_json`].
#[cfg(feature = "tools")]
#[wasm_bindgen]
pub fn validate_elimination_json(case_json: &str) -> String {
    crate::api::validate_elimination_json(case_json)
}

/// The procedure timeline: `input_json` (`{"risk_found":"YYYY-MM-DD"}` and/or
/// `{"green_channel_entry":"YYYY-MM-DD"}`, …), `policy_json`. The dated steps, or the errors; see
/// [`crate::api::deadlines_json`].
#[cfg(feature = "tools")]
#[wasm_bindgen]
pub fn deadlines_json(input_json: &str, policy_json: &str) -> String {
    crate::api::deadlines_json(input_json, policy_json)
}

/// The privacy check of a notice: `text` (the notice), `words_json` (the site's sensitive-word
/// list). The findings and the masked text (offsets also in UTF-16 units, i.e. JavaScript
/// indices), or the errors of the word list; see [`crate::api::redact_json`].
#[cfg(feature = "tools")]
#[wasm_bindgen]
pub fn redact_json(text: &str, words_json: &str) -> String {
    crate::api::redact_json(text, words_json)
}

/// The encoding of a sheet's bytes, as the WHATWG label `TextDecoder` takes: `utf-8`,
/// `utf-16le`, `utf-16be` or `gb18030` (see [`crate::screen::encoding`]). The page decodes with
/// the browser's decoder, so the engine carries no GB18030 tables.
#[cfg(feature = "screen")]
#[wasm_bindgen]
pub fn sniff_encoding(bytes: &[u8]) -> String {
    String::from(crate::screen::encoding::sniff(bytes).label())
}

/// Screens a sheet (the decoded CSV text) against `policy_json` on `today`: `{"rows":[…]}`, one
/// result or the errors per household row, or the errors of the whole sheet; see
/// [`crate::api::screen_json`].
#[cfg(feature = "screen")]
#[wasm_bindgen]
pub fn screen_json(sheet_text: &str, policy_json: &str, today: &str) -> String {
    crate::api::screen_json(sheet_text, policy_json, today)
}

/// The screening results as a CSV sheet in `lang` (`zh`, `en`); see
/// [`crate::api::screen_results_csv`].
#[cfg(feature = "screen")]
#[wasm_bindgen]
pub fn screen_results_csv(sheet_text: &str, policy_json: &str, today: &str, lang: &str) -> String {
    crate::api::screen_results_csv(sheet_text, policy_json, today, lang)
}
