//! Checks that do not stop a build but that a careful editor wants to see.

use crate::config::{ContextRendering, Term};
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
    /// Set when the translation uses a rendering the glossary allows only in other questions
    /// (`in_context`), rather than lacking the rendering.
    pub misplaced: Option<&'a ContextRendering>,
}

impl GlossaryMiss<'_> {
    /// What is wrong, in one sentence.
    pub fn message(&self) -> String {
        match self.misplaced {
            None => format!(
                "the Chinese text uses {} but the translation lacks its rendering “{}”",
                self.term.zh, self.term.en
            ),
            Some(c) => format!(
                "the translation renders {} as “{}”, which the glossary allows only in {} ({})",
                self.term.zh,
                c.en,
                questions_list(&c.questions),
                c.reason
            ),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> String {
        match self.misplaced {
            None => "use the glossary's rendering (content/glossary.yaml), or add a grammatical form of it to `forms`"
                .to_string(),
            Some(_) => format!(
                "use “{}” here, or add this question to the term's `in_context` `questions` if the Chinese counts the same way",
                self.term.en
            ),
        }
    }
}

fn questions_list(numbers: &[u32]) -> String {
    let q: Vec<String> = numbers.iter().map(|n| format!("Q{n}")).collect();
    q.join(", ")
}

/// Every glossary term in a Chinese item must appear in its translation with its one English
/// rendering (or a grammatical form of it, or a rendering the glossary allows in that question
/// only), and a rendering allowed only in some questions must not appear in others. A short term that occurs only inside a longer
/// glossary term (兜底保障 inside 整户无劳动能力兜底保障户) is covered by the longer one.
pub fn glossary(guide: &Guide) -> Vec<Diagnostic> {
    glossary_misses(guide)
        .into_iter()
        .map(|m| Diagnostic::new(&m.en.source, m.message()).hint(m.hint()))
        .collect()
}

/// The glossary check's findings, item by item, for callers that point at the term.
pub fn glossary_misses(guide: &Guide) -> Vec<GlossaryMiss<'_>> {
    let mut out = Vec::new();
    let mut pairs: Vec<(Option<u32>, &Text, &Text)> =
        guide.questions.iter().map(|q| (Some(q.number), &q.zh, &q.en)).collect();
    for page in [&guide.notice, &guide.annex].into_iter().flatten() {
        pairs.push((None, &page.zh, &page.en));
    }
    for (number, zh, en) in pairs {
        let zh_text = format!("{}\n{}", zh.title, crate::markdown::to_plain_text(&zh.markdown));
        let en_text = format!("{}\n{}", en.title, crate::markdown::to_plain_text(&en.markdown)).to_lowercase();
        for term in terms_in(&guide.glossary, &zh_text) {
            let found = renderings(term, number).any(|r| en_text.contains(&r.to_lowercase()));
            if !found {
                out.push(GlossaryMiss {
                    zh,
                    en,
                    term,
                    misplaced: None,
                });
            }
            let misplaced = term.in_context.iter().find(|c| {
                !number.is_some_and(|n| c.questions.contains(&n))
                    && std::iter::once(&c.en)
                        .chain(c.forms.iter())
                        .any(|r| en_text.contains(&r.to_lowercase()))
            });
            if let Some(c) = misplaced {
                out.push(GlossaryMiss {
                    zh,
                    en,
                    term,
                    misplaced: Some(c),
                });
            }
        }
    }
    out
}

/// The renderings that count for `term` in question `number` (`None`: the notice or the annex):
/// `en`, its forms, and the renderings the glossary allows in that question only.
pub fn renderings(term: &Term, number: Option<u32>) -> impl Iterator<Item = &String> {
    let in_context = term
        .in_context
        .iter()
        .filter(move |c| number.is_some_and(|n| c.questions.contains(&n)))
        .flat_map(|c| std::iter::once(&c.en).chain(c.forms.iter()));
    std::iter::once(&term.en).chain(term.forms.iter()).chain(in_context)
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
