//! The search index parser (the page reads `search-index.json` through it): any bytes give an
//! index or an error, and a parsed index answers any query.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policybook_engine::search::Index;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let (json, query) = input.split_once('\0').unwrap_or((&input, "低保"));
    if let Ok(index) = Index::from_json(json) {
        let _ = index.query(query, 10);
        let _ = index.to_json();
    }
});
