//! Markdown to HTML, then the minifier every page goes through: any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policybook::{markdown, render};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = markdown::to_html(text);
    let _ = render::minify(html.as_bytes());
    let _ = markdown::to_plain_text(text);
});
