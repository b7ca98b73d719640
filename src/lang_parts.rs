//! Language of parts: text in the other language is marked with its own `lang`, so that a screen
//! reader switches voice (WCAG 3.1.2). The template filter `lang_parts` escapes a text and marks,
//! on an English page, every run of Chinese (`<span lang="zh-CN">`), and on a Chinese page, every
//! English phrase of three words or more (`<span lang="en">`; a lone name or acronym such as
//! `PDF` is read fine by a Chinese voice). Use it where data mixes the languages, e.g. a source
//! that cites a Chinese newspaper in English: `{{ line.source | lang_parts(lang=lang) | safe }}`.
//! `form.js` applies the same rule to the text it writes (`langFill`).

use std::collections::HashMap;

use tera::{Tera, Value};

use crate::Lang;

/// Registers the `lang_parts` filter.
pub fn register(tera: &mut Tera) {
    tera.register_filter("lang_parts", filter);
}

fn filter(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let page = args
        .get("lang")
        .and_then(Value::as_str)
        .and_then(|l| Lang::parse(l.split('-').next().unwrap_or(l)))
        .ok_or_else(|| tera::Error::msg("lang_parts needs the page's language: `lang_parts(lang=lang)`"))?;
    Ok(Value::String(mark(&text, page)))
}

/// Chinese characters and the CJK and full-width punctuation that goes with them.
pub fn is_zh(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FFFF)
}

/// `text`, HTML-escaped, with the parts in the other language than `page` marked.
pub fn mark(text: &str, page: Lang) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (parts, tag) = match page {
        Lang::En => (zh_runs(&chars), Lang::Zh.tag()),
        Lang::Zh => (en_phrases(&chars), Lang::En.tag()),
    };
    let mut out = String::with_capacity(text.len() + parts.len() * 24);
    let mut at = 0;
    for (start, end) in parts {
        escape_into(&mut out, &chars[at..start]);
        out.push_str(&format!("<span lang=\"{tag}\">"));
        escape_into(&mut out, &chars[start..end]);
        out.push_str("</span>");
        at = end;
    }
    escape_into(&mut out, &chars[at..]);
    out
}

/// Runs of Chinese: from a Chinese character to the last one before a space or a letter of another
/// script (digits and punctuation between Chinese characters belong to the run: `鲁乡振发〔2023〕3号`).
fn zh_runs(chars: &[char]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_zh(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        for (j, &c) in chars.iter().enumerate().skip(i + 1) {
            if is_zh(c) {
                end = j + 1;
            } else if c.is_alphabetic() || c.is_whitespace() {
                break;
            }
        }
        runs.push((start, end));
        i = end;
    }
    runs
}

/// English phrases: stretches without Chinese that hold three words or more, trimmed.
fn en_phrases(chars: &[char]) -> Vec<(usize, usize)> {
    let mut phrases = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if is_zh(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !is_zh(chars[i]) {
            i += 1;
        }
        let segment = &chars[start..i];
        let words = segment
            .split(|c| !c.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .count();
        if words >= 3 {
            let first = segment.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
            let last = segment.iter().rposition(|c| !c.is_whitespace()).map_or(0, |p| p + 1);
            phrases.push((start + first, start + last));
        }
    }
    phrases
}

fn escape_into(out: &mut String, chars: &[char]) {
    for &c in chars {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_the_other_languages_phrases() {
        let cases = [
            // Chinese on English pages.
            (
                "Derived from 经济日报, 2020-06-19: \"关于监测范围，1.5倍\"",
                Lang::En,
                "Derived from <span lang=\"zh-CN\">经济日报</span>, 2020-06-19: &quot;<span lang=\"zh-CN\">关于监测范围，1.5倍</span>&quot;",
            ),
            (
                "鲁乡振发〔2023〕3号 · x",
                Lang::En,
                "<span lang=\"zh-CN\">鲁乡振发〔2023〕3号</span> · x",
            ),
            ("plain <b>", Lang::En, "plain &lt;b&gt;"),
            // English phrases on Chinese pages; a word or a name in brackets is not a phrase.
            ("存为PDF。", Lang::Zh, "存为PDF。"),
            ("（China Daily 2020-12-02）的", Lang::Zh, "（China Daily 2020-12-02）的"),
            (
                " Not an announced figure. 经济日报",
                Lang::Zh,
                " <span lang=\"en\">Not an announced figure.</span> 经济日报",
            ),
        ];
        for (text, lang, expected) in cases {
            assert_eq!(mark(text, lang), expected, "{text}");
        }
    }
}
