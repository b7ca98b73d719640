//! Markdown to HTML with pulldown-cmark. Raw HTML in content is shown as text, never executed:
//! a `<script>` typed into an answer renders as the characters `<script>`.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// The deepest nesting of Markdown accepted: block quotes, lists, emphasis and links inside one
/// another. The guide nests at most 4 deep; the pages are minified by a recursive walk, so a
/// 2 KB answer of 2,000 nested `>` would otherwise exhaust the stack and abort the build.
pub const MAX_NESTING: usize = 32;

/// The byte offset where `markdown` first nests deeper than [`MAX_NESTING`], if it does.
pub fn too_deep(markdown: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(_) => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(range.start);
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to HTML; raw HTML becomes escaped text.
pub fn to_html(markdown: &str) -> String {
    let parser = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// The text of a Markdown document without markup, paragraphs separated by blank lines.
/// Used for search and for comparing the content with the official text.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => out.push_str(&s),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow) => {
                out.push_str("\n\n")
            }
            Event::Start(Tag::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_bounded() {
        assert_eq!(too_deep("> quote\n\n- a\n  - b\n    - **c [d](e)**\n"), None);
        let quotes = format!("text\n\n{} deep\n", ">".repeat(2_240));
        assert_eq!(too_deep(&quotes), Some(6 + MAX_NESTING));
        let lists = format!("{}x\n", "- ".repeat(5_000));
        assert!(too_deep(&lists).is_some());
        let ok = format!("{}x\n", "> ".repeat(MAX_NESTING - 1));
        assert_eq!(too_deep(&ok), None);
    }
}
