//! Markdown to HTML, then the minifier every page goes through; and the same bytes as a theme
//! script and style sheet through theirs: any text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policybook::{markdown, minify};

fuzz_target!(|data: &[u8]| {
    let _ = minify::script(data);
    let _ = minify::style(data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let html = markdown::to_html(text);
    let _ = minify::page(html.as_bytes());
    let _ = markdown::to_plain_text(text);
});
