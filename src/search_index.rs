//! The search index, built from the same content model as the pages with the engine's one
//! tokenizer, and written as a small script per language so the pages can load it from `file://`.

use policybook_engine::search::{Document, Index, IndexBuilder, Lexicon};

use crate::content::Guide;
use crate::markdown::to_plain_text;
use crate::Lang;

/// The documents of one language: the 42 questions, the notice, the annex and the glossary
/// (one document, so that a term's definition does not crowd out the questions that use it).
pub fn documents(guide: &Guide, lang: Lang, glossary_title: &str) -> Vec<Document> {
    let l = lang.code();
    let mut docs: Vec<Document> = guide
        .questions
        .iter()
        .map(|q| Document {
            url: format!("/{l}/q/{}/", q.number),
            number: Some(q.number),
            title: q.text(lang).title.clone(),
            body: to_plain_text(&q.text(lang).markdown),
            lang: l.to_string(),
        })
        .collect();
    for (key, page) in [("notice", &guide.notice), ("annex", &guide.annex)] {
        if let Some(page) = page {
            docs.push(Document {
                url: format!("/{l}/{key}/"),
                number: None,
                title: page.text(lang).title.clone(),
                body: to_plain_text(&page.text(lang).markdown),
                lang: l.to_string(),
            });
        }
    }
    let glossary: Vec<String> = guide
        .glossary
        .iter()
        .map(|t| match (&t.note, lang) {
            (Some(note), Lang::En) => format!("{} — {}: {}", t.zh, t.en, note),
            _ => format!("{} — {}", t.zh, t.en),
        })
        .collect();
    docs.push(Document {
        url: format!("/{l}/glossary/"),
        number: None,
        title: glossary_title.to_string(),
        body: glossary.join("\n\n"),
        lang: l.to_string(),
    });
    docs
}

/// Builds the index of one language, with its search vocabulary.
pub fn build(guide: &Guide, lang: Lang, glossary_title: &str, lexicon: Lexicon) -> Index {
    let mut builder = IndexBuilder::new();
    builder.lexicon(lexicon);
    for doc in documents(guide, lang, glossary_title) {
        builder.add(doc);
    }
    builder.build()
}

/// The index as a classic script: `(self.policybookIndex ||= {}).zh = "…";` — a JSON string in
/// a JavaScript string literal, with `</` escaped so it can never close a script element.
pub fn to_script(index_json: &str, lang: Lang) -> String {
    let literal = serde_json::to_string(index_json).unwrap_or_else(|_| "\"\"".to_string());
    let literal = literal
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    format!(
        "(self.policybookIndex = self.policybookIndex || {{}}).{} = {literal};\n",
        lang.code()
    )
}

/// Reads an index back from the script written by [`to_script`].
pub fn from_script(script: &str) -> Option<Index> {
    let marker = "|| {}).";
    let after = &script[script.find(marker)? + marker.len()..];
    let start = after.find(" = ")? + 3;
    let script = after;
    let literal = script[start..].trim_end().strip_suffix(';')?;
    let json: String = serde_json::from_str(literal).ok()?;
    Index::from_json(&json).ok()
}
