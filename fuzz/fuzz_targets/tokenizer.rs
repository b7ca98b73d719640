//! Text normalisation and the tokenizer, with the highlighter that uses them: any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policybook_engine::{search, text};

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (body, query) = input.split_once('\0').unwrap_or((&input, &input));
    let _ = text::normalize(body);
    for token in text::tokenize(body) {
        let _ = text::stem(&token.term);
        let _ = text::is_stop_word(&token.term);
    }
    for range in search::match_ranges(body, query) {
        assert!(
            body.get(range.clone()).is_some(),
            "range {range:?} is not on char boundaries"
        );
    }
    let _ = search::highlight_html(body, query);
});
