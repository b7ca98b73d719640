//! Is each translation current? Every English file records in its front matter the hash of the
//! Chinese text it was translated from:
//!
//! ```yaml
//! ---
//! number: 10
//! title: How is the monitoring line set?
//! source_hash: 3f0c9a1e7b2d4c55
//! ---
//! ```
//!
//! `policybook validate` hashes the Chinese file again (its title and its text; white space at
//! line ends and blank lines around the text do not count) and warns when the two differ: the
//! Chinese changed after the English was last brought up to date. This works from a plain folder
//! — no git history, no file dates (which copying resets) — and the message gives the new hash
//! to record once the translation has been updated.

use std::path::PathBuf;

use crate::content::{Guide, Text};
use crate::output::fnv1a64;

/// A translation whose recorded hash is missing or differs from its Chinese source's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The English file.
    pub en: PathBuf,
    /// The Chinese file it translates.
    pub zh: PathBuf,
    /// The `source_hash` recorded in the English file, if any.
    pub recorded: Option<String>,
    /// The hash of the Chinese text now.
    pub current: String,
}

/// The hash of a Chinese text, as recorded in `source_hash`: 16 hexadecimal digits.
pub fn source_hash(zh: &Text) -> String {
    let mut normal = String::new();
    normal.push_str(zh.title.trim());
    normal.push('\n');
    let lines: Vec<&str> = zh.markdown.lines().map(str::trim_end).collect();
    normal.push_str(lines.join("\n").trim());
    format!("{:016x}", fnv1a64(normal.as_bytes()))
}

/// Every translation (questions, notice, annex) whose `source_hash` is missing or out of date.
pub fn check(guide: &Guide) -> Vec<Stale> {
    let mut pairs: Vec<(&Text, &Text)> = guide.questions.iter().map(|q| (&q.zh, &q.en)).collect();
    for page in [&guide.notice, &guide.annex].into_iter().flatten() {
        pairs.push((&page.zh, &page.en));
    }
    pairs
        .into_iter()
        .filter_map(|(zh, en)| {
            let current = source_hash(zh);
            let recorded = en.source_hash.as_deref().map(str::trim);
            (recorded != Some(current.as_str())).then(|| Stale {
                en: en.source.clone(),
                zh: zh.source.clone(),
                recorded: recorded.map(str::to_string),
                current,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(title: &str, markdown: &str) -> Text {
        Text {
            title: title.into(),
            markdown: markdown.into(),
            source: PathBuf::from("zh/q/01.md"),
            source_hash: None,
        }
    }

    #[test]
    fn the_hash_ignores_trailing_white_space_but_not_words() {
        let a = source_hash(&text("标题", "\n第一段。\n\n第二段。\n"));
        assert_eq!(a.len(), 16);
        assert_eq!(a, source_hash(&text(" 标题 ", "第一段。  \n\n第二段。\n\n\n")));
        assert_ne!(a, source_hash(&text("标题", "第一段。\n\n第二段有改动。\n")));
        assert_ne!(a, source_hash(&text("新标题", "第一段。\n\n第二段。\n")));
    }
}
