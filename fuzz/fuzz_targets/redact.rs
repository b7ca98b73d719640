//! The privacy check of notices with the shipped word list: any text. Masking is character for
//! character and every finding's offsets name its text.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use policybook_engine::redact::{redact, WordList};

fn words() -> &'static WordList {
    static WORDS: OnceLock<WordList> = OnceLock::new();
    WORDS.get_or_init(|| {
        let value: serde_json::Value =
            serde_yaml::from_str(include_str!("../../content/sensitive-words.yaml")).expect("the shipped list is YAML");
        WordList::from_value(&value).expect("the shipped list is valid")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let r = redact(&text, words());
    assert_eq!(r.masked.chars().count(), text.chars().count());
    for f in &r.findings {
        assert_eq!(&text[f.byte_start..f.byte_end], f.text);
    }
});
