//! Minification of what the site sends: every page, and the theme's own scripts and style
//! sheets, all through minify-html (which minifies a `<script>` element's text with oxc and a
//! `<style>` element's with lightningcss). A phone on a weak link downloads the scripts before a
//! form works, and their comments and long local names were a third of their gzip size.

/// Minifies a page; the result is still valid HTML that every browser reads the same way.
pub fn page(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}

/// Minifies a classic script (`.js`) with oxc: local names shortened, comments and spaces
/// dropped, globals kept. Returns the bytes unchanged when that would not help or not be safe:
/// text that is not UTF-8, or that oxc cannot parse.
///
/// oxc directly, not minify-html's `<script>` path: minify-html prints the program without the
/// minifier's renamed scopes and with every comment, which left the scripts 90% of their size.
pub fn script(js: &[u8]) -> Vec<u8> {
    use oxc_allocator::Allocator;
    use oxc_codegen::{Codegen, CodegenOptions, CommentOptions};
    use oxc_minifier::{CompressOptions, MangleOptions, Minifier, MinifierOptions};
    use oxc_parser::Parser;
    use oxc_span::SourceType;

    let Ok(source) = std::str::from_utf8(js) else {
        return js.to_vec();
    };
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::cjs()).parse();
    if parsed.panicked || !parsed.errors.is_empty() {
        return js.to_vec();
    }
    let mut program = parsed.program;
    let minified = Minifier::new(MinifierOptions {
        mangle: Some(MangleOptions::default()),
        // The safest set: no transform that assumes more about the code than the language says.
        compress: Some(CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    let code = Codegen::new()
        .with_options(CodegenOptions {
            minify: true,
            comments: CommentOptions::disabled(),
            ..CodegenOptions::default()
        })
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    if code.len() < js.len() {
        code.into_bytes()
    } else {
        js.to_vec()
    }
}

/// Minifies a style sheet (`.css`) with lightningcss, through minify-html's `<style>` path.
/// Returns the bytes unchanged when that would not help or not be safe: text that is not UTF-8
/// (minify-html would stop), that could end the wrapping element early, or that lightningcss
/// cannot read.
pub fn style(css: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        minify_css: true,
        ..minify_html::Cfg::default()
    };
    wrapped(css, b"style", &cfg)
}

/// Minifies `text` as the content of a `<tag>` element and takes it back out.
fn wrapped(text: &[u8], tag: &[u8], cfg: &minify_html::Cfg) -> Vec<u8> {
    let open = [b"<".as_slice(), tag, b">"].concat();
    let close = [b"</".as_slice(), tag, b">"].concat();
    let unsafe_to_wrap = std::str::from_utf8(text).is_err()
        || contains_ignore_case(text, &close[..close.len() - 1])
        || contains_ignore_case(text, b"<!--");
    if unsafe_to_wrap {
        return text.to_vec();
    }
    let doc = [open.as_slice(), text, close.as_slice()].concat();
    let out = minify_html::minify(&doc, cfg);
    match out
        .strip_prefix(open.as_slice())
        .and_then(|o| o.strip_suffix(close.as_slice()))
    {
        // minify-html keeps a sheet it could not minify as it was (trimmed); only a real gain is
        // taken, so a sheet lightningcss cannot read is sent exactly as written.
        Some(min) if min.len() < text.trim_ascii().len() => min.to_vec(),
        _ => text.to_vec(),
    }
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_loses_comments_and_long_local_names_and_keeps_its_globals() {
        let js = b"// a comment\nfunction outer() {\n  var longLocalName = 1;\n  return longLocalName + 1;\n}\nwindow.outer = outer;\n";
        let min = String::from_utf8(script(js)).unwrap();
        assert!(min.len() < js.len() / 2, "{min}");
        assert!(!min.contains("comment") && !min.contains("longLocalName"), "{min}");
        assert!(min.contains("window.outer"), "{min}");
    }

    #[test]
    fn a_style_sheet_is_minified() {
        let css = b"/* why */\nbody {\n  color: #ff0000;\n  margin: 0px 0px 0px 0px;\n}\n";
        let min = String::from_utf8(style(css)).unwrap();
        assert!(min.len() < css.len() / 2, "{min}");
        assert!(min.contains("body{") && !min.contains("why"), "{min}");
    }

    #[test]
    fn text_that_is_not_utf8_or_not_code_or_could_end_the_wrapper_is_sent_as_written() {
        let latin1 = b"var s = '\xe9';   \n";
        assert_eq!(script(latin1), latin1.to_vec());
        let broken = b"function (( {   \n";
        assert_eq!(script(broken), broken.to_vec());
        let style_close = b"a { content: '</STYLE >'; }   \n";
        assert_eq!(style(style_close), style_close.to_vec());
        let style_broken = b"a { color: red;;; }}}   {{ \n";
        assert_eq!(style(style_broken), style_broken.to_vec());
    }
}
