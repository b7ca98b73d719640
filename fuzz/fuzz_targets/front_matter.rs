//! Front matter of content files: split, then parsed as each kind of page would be.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use policybook::content::{EnQuestionMeta, PageMeta, ZhQuestionMeta};
use policybook::source::{parse_yaml, split_front_matter};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("content/zh/q/1.md");
    if let Ok((fm, _body)) = split_front_matter(path, text) {
        let _ = parse_yaml::<ZhQuestionMeta>(path, fm, 1);
        let _ = parse_yaml::<EnQuestionMeta>(path, fm, 1);
        let _ = parse_yaml::<PageMeta>(path, fm, 1);
    }
});
