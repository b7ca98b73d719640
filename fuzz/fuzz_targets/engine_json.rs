//! The engine's JSON entry points (what the pages call through wasm-bindgen): any input gives
//! JSON back, never a panic. The input is split at NUL bytes into the arguments; the first byte
//! picks the entry point and whether the policy is the shipped one (so the rules themselves are
//! reached, not only the policy validation).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use policybook_engine::api;

fn yaml_to_json(text: &str) -> String {
    serde_yaml::from_str::<serde_json::Value>(text)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

fn shipped_policy() -> &'static str {
    static POLICY: OnceLock<String> = OnceLock::new();
    POLICY.get_or_init(|| yaml_to_json(include_str!("../../content/policy.yaml")))
}

fn shipped_words() -> &'static str {
    static WORDS: OnceLock<String> = OnceLock::new();
    WORDS.get_or_init(|| yaml_to_json(include_str!("../../content/sensitive-words.yaml")))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let mut next = || parts.next().unwrap_or("");
    let (a, b, c, d) = (next(), next(), next(), next());
    let shipped = selector & 0x80 != 0;
    let policy = if shipped { shipped_policy() } else { b };
    let words = if shipped { shipped_words() } else { b };
    let out = match selector % 9 {
        0 => api::check_json(a, policy, c),
        1 => api::check_json_opts(a, policy, c, d),
        2 => api::validate_case_json(a),
        3 => api::policy_summary_json(policy, c),
        4 => api::elimination_json(a, policy, c),
        5 => api::validate_elimination_json(a),
        6 => api::deadlines_json(a, policy),
        7 => api::redact_json(a, words),
        _ => api::case_draft_json(a),
    };
    assert!(
        serde_json::from_str::<serde_json::Value>(&out).is_ok(),
        "not JSON: {out}"
    );
});
