//! The search index, built from the same content model as the pages with the engine's one
//! tokenizer, and written as a small script per language so the pages can load it from `file://`.

use policybook_engine::search::{Document, Index, IndexBuilder, IndexError, Lexicon};

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

/// Above this many bytes of a language's whole index (its texts and vocabulary), the index is
/// written in chunks that a query loads as it needs them; below, as one script whose texts the
/// page tokenizes on load. Measured (bench/RESULTS.md, 2026-12-02): a chunked first search
/// downloads about 40 KB gzip besides the engine (the head, a few postings chunks, the results'
/// texts) at 1,000 and at 10,000 items; a whole index of about 130 KB of Chinese text weighs as
/// much gzipped. The handbook's is 51 KB (16 KB gzip), so it stays whole.
pub const CHUNKED_ABOVE: usize = 128 * 1024;
/// Target size of a postings chunk, in bytes (a term is never split).
pub const CHUNK_BYTES: usize = 16 * 1024;
/// Documents per text chunk.
pub const DOCS_PER_CHUNK: usize = 4;

/// The scripts of one language's index: the head (named by the pages) and, for a chunked index,
/// the chunks by path (`search/zh-<build>/t3.js`).
pub struct Scripts {
    pub head: String,
    pub chunks: Vec<(String, String)>,
}

/// The index's scripts: one whole-index script for a small index, the head and its chunks for a
/// large one (see [`CHUNKED_ABOVE`]).
pub fn scripts(index: &Index, lang: Lang, chunked_above: usize) -> Result<Scripts, IndexError> {
    let whole = index.to_json()?;
    if whole.len() <= chunked_above {
        return Ok(Scripts {
            head: to_script(&whole, lang),
            chunks: Vec::new(),
        });
    }
    let chunks = index.to_chunks(lang.code(), CHUNK_BYTES, DOCS_PER_CHUNK)?;
    Ok(Scripts {
        head: to_script(&chunks.head, lang),
        chunks: chunks
            .files
            .into_iter()
            .map(|(path, payload)| {
                let script = format!(
                    "policybookSearchChunk({}, {});\n",
                    js_string(lang.code()),
                    js_string(&payload)
                );
                (path, script)
            })
            .collect(),
    })
}

/// A JavaScript string literal of `text`, with `</` escaped so it can never close a script element.
fn js_string(text: &str) -> String {
    let literal = serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_string());
    literal
        .replace("</", "<\\/")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// The index as a classic script: `(self.policybookIndex ||= {}).zh = "…";` — a JSON string in
/// a JavaScript string literal.
pub fn to_script(index_json: &str, lang: Lang) -> String {
    format!(
        "(self.policybookIndex = self.policybookIndex || {{}}).{} = {};\n",
        lang.code(),
        js_string(index_json)
    )
}

/// Reads the index (whole, or a chunked index's head) back from the script written by
/// [`to_script`].
pub fn from_script(script: &str) -> Option<Index> {
    let marker = "|| {}).";
    let after = &script[script.find(marker)? + marker.len()..];
    let start = after.find(" = ")? + 3;
    let literal = after[start..].trim_end().strip_suffix(';')?;
    let json: String = serde_json::from_str(literal).ok()?;
    Index::from_json(&json).ok()
}

/// The payload of a chunk script (`policybookSearchChunk("zh", "…");`), if it is one.
pub fn chunk_payload(script: &str) -> Option<String> {
    let args = script
        .trim_end()
        .strip_prefix("policybookSearchChunk(")?
        .strip_suffix(");")?;
    let (_, literal) = args.split_once(", ")?;
    serde_json::from_str(literal).ok()
}

/// Reads the payload of the chunk at `path` (as the engine names it) of the site in `site`: what
/// [`Index::search_loading`] asks for, natively.
pub fn read_chunk(site: &std::path::Path, path: &str) -> Result<String, String> {
    std::fs::read_to_string(site.join(path))
        .ok()
        .and_then(|s| chunk_payload(&s))
        .ok_or_else(|| "not a readable search chunk".to_string())
}
