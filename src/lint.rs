//! Checks that do not stop a build but that a careful editor wants to see.

use crate::config::Term;
use crate::content::{Guide, Text};
use crate::error::Diagnostic;

/// A glossary term used in a Chinese item whose translation lacks the term's rendering.
#[derive(Debug, Clone)]
pub struct GlossaryMiss<'a> {
    /// The Chinese item.
    pub zh: &'a Text,
    /// Its translation.
    pub en: &'a Text,
    /// The term.
    pub term: &'a Term,
}

/// Every glossary term in a Chinese item must appear in its translation with its one English
/// rendering (or a grammatical form of it). A short term that occurs only inside a longer
/// glossary term (兜底保障 inside 整户无劳动能力兜底保障户) is covered by the longer one.
pub fn glossary(guide: &Guide) -> Vec<Diagnostic> {
    glossary_misses(guide)
        .into_iter()
        .map(|m| {
            Diagnostic::new(
                &m.en.source,
                format!(
                    "the Chinese text uses {} but the translation lacks its rendering “{}”",
                    m.term.zh, m.term.en
                ),
            )
            .hint("use the glossary's rendering (content/glossary.yaml), or add a grammatical form of it to `forms`")
        })
        .collect()
}

/// The glossary check's findings, item by item, for callers that point at the term.
pub fn glossary_misses(guide: &Guide) -> Vec<GlossaryMiss<'_>> {
    let mut out = Vec::new();
    let mut pairs: Vec<(&Text, &Text)> = guide.questions.iter().map(|q| (&q.zh, &q.en)).collect();
    for page in [&guide.notice, &guide.annex].into_iter().flatten() {
        pairs.push((&page.zh, &page.en));
    }
    for (zh, en) in pairs {
        let zh_text = format!("{}\n{}", zh.title, crate::markdown::to_plain_text(&zh.markdown));
        let en_text = format!("{}\n{}", en.title, crate::markdown::to_plain_text(&en.markdown)).to_lowercase();
        for term in terms_in(&guide.glossary, &zh_text) {
            let found = std::iter::once(&term.en)
                .chain(term.forms.iter())
                .any(|r| en_text.contains(&r.to_lowercase()));
            if !found {
                out.push(GlossaryMiss { zh, en, term });
            }
        }
    }
    out
}

/// The glossary terms that occur in `zh`, not counting occurrences inside longer terms.
fn terms_in<'a>(glossary: &'a [Term], zh: &str) -> Vec<&'a Term> {
    let mut by_len: Vec<&Term> = glossary.iter().collect();
    by_len.sort_by_key(|t| std::cmp::Reverse(t.zh.chars().count()));
    let mut masked = zh.to_string();
    let mut found = Vec::new();
    for term in by_len {
        if masked.contains(&term.zh) {
            found.push(term);
            masked = masked.replace(&term.zh, "\u{0}");
        }
    }
    found
}
