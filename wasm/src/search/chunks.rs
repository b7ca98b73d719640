//! The chunked index: prebuilt postings split by term, and the documents' texts in small groups,
//! each a payload that a page loads only when a query needs it.
//!
//! A whole index ([`Index::to_json`]) carries the texts and the page tokenizes them when it loads;
//! past a few hundred documents that is most of the first search (downloading every text, then
//! tokenizing it). [`Index::to_chunks`] writes instead:
//!
//! * a **head** `[3,"head",build,lang,per,lens,[bound,…],lex]`: the number of tokens of every
//!   document's title and body (`lens`, for BM25's length norm), the first term of every
//!   postings chunk but the first (`bound`: chunk `i` holds the terms from `bound[i-1]` up to
//!   `bound[i]`, in byte order), how many documents one text chunk holds (`per`) and the
//!   vocabulary;
//! * **postings chunks** `[3,"terms",build,i,[[term,rank,postings],…]]`: per term its number in
//!   the whole index (`rank`) and its postings, built at build time by the same tokenizer as
//!   queries ([`crate::text::tokenize`]);
//! * **text chunks** `[3,"docs",build,g,[[url,number,title,body,lang],…]]`: documents
//!   `g*per ..`, read for the hits a query shows (title, number, link, snippet).
//!
//! `build` names the index (a hash of its whole form): a chunk of another build is refused, never
//! mixed in. Postings are whole numbers written as [`varints`](push_varint), five bits per
//! character: per term the number of documents, then per document the gap from the previous
//! one, the term's count in the title and in the body, and its positions there (each a gap from
//! the previous position). [`Index::search`] answers, or names the chunks it lacks
//! ([`chunk_path`]); the page loads those scripts and hands each payload to
//! [`Index::add_chunk`]. Reading never panics: a truncated, foreign or inconsistent chunk is an
//! error, and the index is left as it was.

// The page's search engine without the `chunks` feature reads whole indexes only: its `Layout`
// has no value, so every chunked branch of the query is dropped from its code.
#![cfg_attr(
    all(target_arch = "wasm32", not(feature = "chunks")),
    allow(dead_code, unused_imports)
)]

use std::collections::HashMap;

use super::wire::{self, Parser, WireError};
use super::{sort_keyed, to_u32, wire_lexicon, Document, Index, IndexError, Postings};

/// Version of the chunked format (the whole index's is [`super::FORMAT_VERSION`]).
pub const VERSION: u32 = 3;

/// The characters of a varint: the first 32 end a number, the other 32 continue it.
const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Where a chunk of an index is, relative to the site's root: `search/zh-<build>/t3.js`.
pub fn chunk_path(lang: &str, build: &str, name: &str) -> String {
    format!("search/{lang}-{build}/{name}.js")
}

/// What a chunked index has and what of it is loaded: never, in a page engine built without the
/// `chunks` feature.
#[cfg(all(target_arch = "wasm32", not(feature = "chunks")))]
#[derive(Debug, Clone)]
pub(crate) enum Layout {}

#[cfg(all(target_arch = "wasm32", not(feature = "chunks")))]
impl Layout {
    pub(crate) fn missing_terms<'t>(&self, _: impl Iterator<Item = &'t str>) -> Vec<String> {
        match *self {}
    }

    pub(crate) fn missing_docs(&self, _: impl Iterator<Item = u32>) -> Vec<String> {
        match *self {}
    }
}

/// The error of a page engine without the chunk reader given a chunked index.
#[cfg(all(target_arch = "wasm32", not(feature = "chunks")))]
fn no_reader() -> IndexError {
    bad("this search engine reads whole indexes; a chunked one needs engine-search-chunked.js".to_string())
}

/// What a chunked index has and what of it is loaded.
#[cfg(any(not(target_arch = "wasm32"), feature = "chunks"))]
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    build: String,
    lang: String,
    /// The first term of each postings chunk but the first.
    bounds: Vec<String>,
    terms_loaded: Vec<bool>,
    /// Documents per text chunk.
    per: usize,
    docs_loaded: Vec<bool>,
}

#[cfg(any(not(target_arch = "wasm32"), feature = "chunks"))]
impl Layout {
    fn chunk_of(&self, term: &str) -> usize {
        self.bounds.partition_point(|b| b.as_str() <= term)
    }

    fn paths(&self, prefix: char, mut ids: Vec<usize>) -> Vec<String> {
        sort_keyed(&mut ids, |&c| (c as u64, 0));
        ids.dedup();
        ids.into_iter()
            .map(|c| chunk_path(&self.lang, &self.build, &format!("{prefix}{c}")))
            .collect()
    }

    /// The postings chunks of these terms that are not loaded yet.
    pub(crate) fn missing_terms<'t>(&self, terms: impl Iterator<Item = &'t str>) -> Vec<String> {
        let ids = terms
            .map(|t| self.chunk_of(t))
            .filter(|&c| !self.terms_loaded.get(c).copied().unwrap_or(true))
            .collect();
        self.paths('t', ids)
    }

    /// The text chunks of these documents that are not loaded yet.
    pub(crate) fn missing_docs(&self, docs: impl Iterator<Item = u32>) -> Vec<String> {
        let ids = docs
            .map(|d| d as usize / self.per)
            .filter(|&g| !self.docs_loaded.get(g).copied().unwrap_or(true))
            .collect();
        self.paths('d', ids)
    }
}

/// Appends `n` as a varint: five bits per character, lowest first.
pub(crate) fn push_varint(out: &mut String, mut n: u32) {
    loop {
        let d = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(char::from(DIGITS[d]));
            return;
        }
        out.push(char::from(DIGITS[32 + d]));
    }
}

/// Reads varints from a string.
struct Varints<'a> {
    s: &'a [u8],
    i: usize,
}

impl Varints<'_> {
    fn next(&mut self) -> Result<u32, &'static str> {
        let mut n: u64 = 0;
        let mut shift = 0u32;
        loop {
            let &b = self.s.get(self.i).ok_or("postings cut short")?;
            self.i += 1;
            let v = match b {
                b'A'..=b'Z' => b - b'A',
                b'a'..=b'z' => b - b'a' + 26,
                b'0'..=b'9' => b - b'0' + 52,
                b'-' => 62,
                b'_' => 63,
                _ => return Err("a character that is not part of a number"),
            };
            if shift > 30 {
                return Err("number too large");
            }
            n |= u64::from(v & 31) << shift;
            if v < 32 {
                return u32::try_from(n).map_err(|_| "number too large");
            }
            shift += 5;
        }
    }

    /// A non-decreasing list of `count` numbers written as gaps.
    fn gaps(&mut self, count: u32, out: &mut Vec<u32>) -> Result<(), &'static str> {
        let mut last = 0u32;
        for _ in 0..count {
            last = last.checked_add(self.next()?).ok_or("number too large")?;
            out.push(last);
        }
        Ok(())
    }

    fn done(&self) -> bool {
        self.i == self.s.len()
    }
}

fn push_gaps(out: &mut String, list: &[u32]) {
    let mut last = 0;
    for &x in list {
        push_varint(out, x - last);
        last = x;
    }
}

/// Reads one term's postings for an index of `n` documents.
fn read_postings(s: &str, n: usize) -> Result<Postings, &'static str> {
    let mut r = Varints { s: s.as_bytes(), i: 0 };
    let count = r.next()?;
    let mut out = Postings::default();
    let mut next_doc = 0u32;
    let (mut title, mut body) = (Vec::new(), Vec::new());
    for _ in 0..count {
        let doc = next_doc.checked_add(r.next()?).ok_or("number too large")?;
        if doc as usize >= n {
            return Err("a document beyond the index");
        }
        next_doc = doc.checked_add(1).ok_or("number too large")?;
        let (title_tf, body_tf) = (r.next()?, r.next()?);
        title.clear();
        body.clear();
        r.gaps(title_tf, &mut title)?;
        r.gaps(body_tf, &mut body)?;
        out.push(doc, &title, &body);
    }
    if !r.done() {
        return Err("trailing characters in postings");
    }
    Ok(out)
}

/// FNV-1a, 64 bits: a name for an index's content, the same natively and in the page.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn plain_name(s: &str, allowed: impl Fn(u8) -> bool) -> bool {
    (1..=16).contains(&s.len()) && s.bytes().all(allowed)
}

fn bad(message: String) -> IndexError {
    IndexError { message }
}

fn at(e: WireError) -> IndexError {
    bad(format!("not a policybook search chunk ({e})"))
}

/// True if `json` is a payload of the chunked format (a whole index is an object).
pub(crate) fn is_chunked(json: &str) -> bool {
    json.trim_start().starts_with('[')
}

/// Reads `[3,"kind",build,` and returns the kind and the build.
fn header(p: &mut Parser) -> Result<(String, String), IndexError> {
    p.expect(b'[', "expected `[`").map_err(at)?;
    let v = p.u32().map_err(at)?;
    if v != VERSION {
        return Err(bad(format!(
            "format version {v} is not supported (expected {VERSION}); rebuild the site"
        )));
    }
    p.expect(b',', "expected `,`").map_err(at)?;
    let kind = p.string().map_err(at)?;
    p.expect(b',', "expected `,`").map_err(at)?;
    let build = p.string().map_err(at)?;
    if !plain_name(&build, |b| b.is_ascii_hexdigit()) {
        return Err(bad("a chunk's build must be 1 to 16 hex digits".to_string()));
    }
    p.expect(b',', "expected `,`").map_err(at)?;
    Ok((kind, build))
}

fn close(p: &mut Parser) -> Result<(), IndexError> {
    p.expect(b']', "expected `]`").map_err(at)?;
    p.end().map_err(at)
}

/// Reads the head of a chunked index (not in a page engine without the chunk reader).
#[cfg(all(target_arch = "wasm32", not(feature = "chunks")))]
pub(crate) fn read_head(_: &str) -> Result<Index, IndexError> {
    Err(no_reader())
}

/// Reads the head of a chunked index: an index with no postings and no texts loaded yet.
#[cfg(any(not(target_arch = "wasm32"), feature = "chunks"))]
pub(crate) fn read_head(json: &str) -> Result<Index, IndexError> {
    let mut p = Parser::new(json);
    let (kind, build) = header(&mut p)?;
    if kind != "head" {
        return Err(bad(format!("expected the head of an index, found a `{kind}` chunk")));
    }
    let lang = p.string().map_err(at)?;
    if !plain_name(&lang, |b| b.is_ascii_lowercase()) {
        return Err(bad("a language code must be 1 to 16 letters a-z".to_string()));
    }
    p.expect(b',', "expected `,`").map_err(at)?;
    let per = p.u32().map_err(at)? as usize;
    if per == 0 {
        return Err(bad("a text chunk must hold at least one document".to_string()));
    }
    p.expect(b',', "expected `,`").map_err(at)?;
    let lens_text = p.string().map_err(at)?;
    p.expect(b',', "expected `,`").map_err(at)?;
    let bounds = p.strings().map_err(at)?;
    p.expect(b',', "expected `,`").map_err(at)?;
    let lex = p.lex().map_err(at)?;
    close(&mut p)?;
    if bounds.windows(2).any(|w| w[0] >= w[1]) {
        return Err(bad("the chunks' first terms are not in order".to_string()));
    }
    let mut r = Varints {
        s: lens_text.as_bytes(),
        i: 0,
    };
    let mut lens = Vec::new();
    while !r.done() {
        let title = r.next().map_err(|e| bad(format!("document lengths: {e}")))?;
        let body = r.next().map_err(|e| bad(format!("document lengths: {e}")))?;
        lens.push((title, body));
    }
    let n = lens.len();
    let layout = Layout {
        build,
        lang,
        terms_loaded: vec![false; bounds.len() + 1],
        bounds,
        per,
        docs_loaded: vec![false; n.div_ceil(per)],
    };
    Ok(Index::assemble(
        lens,
        vec![None; n],
        HashMap::new(),
        Vec::new(),
        Vec::new(),
        wire_lexicon(lex),
        Some(layout),
    ))
}

/// A chunked index as the build tool writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunks {
    /// The head, which the page loads first.
    pub head: String,
    /// The other chunks: path relative to the site's root ([`chunk_path`]) and payload.
    pub files: Vec<(String, String)>,
}

impl Index {
    /// Writes this (whole) index in chunks: postings chunks of about `chunk_bytes` bytes each
    /// (a term is never split; a large one fills a chunk alone) and text chunks of `per`
    /// documents. `lang` (letters a-z) names the folder of the chunks.
    pub fn to_chunks(&self, lang: &str, chunk_bytes: usize, per: usize) -> Result<Chunks, IndexError> {
        if self.layout.is_some() {
            return Err(bad("a chunked index cannot be written again".to_string()));
        }
        if !plain_name(lang, |b| b.is_ascii_lowercase()) {
            return Err(bad(format!("`{lang}` is not a language code of letters a-z")));
        }
        let per = per.max(1);
        let whole = self.to_json()?;
        let build = format!("{:016x}", fnv(&whole));
        let start = |kind: &str, id: usize| {
            let mut s = String::from("[3,");
            wire::push_str(&mut s, kind);
            s.push(',');
            wire::push_str(&mut s, &build);
            s.push(',');
            wire::push_uint(&mut s, id as u64);
            s.push_str(",[");
            s
        };
        let mut terms: Vec<(&str, u32)> = self.terms.iter().map(|(t, &slot)| (t.as_str(), slot)).collect();
        terms.sort_unstable();
        let mut files = Vec::new();
        let mut bounds: Vec<String> = Vec::new();
        let mut body = String::new();
        let mut entry = String::new();
        let finish = |body: &mut String, files: &mut Vec<(String, String)>| {
            let id = files.len();
            let mut s = start("terms", id);
            s.push_str(body);
            s.push_str("]]");
            files.push((chunk_path(lang, &build, &format!("t{id}")), s));
            body.clear();
        };
        for (term, slot) in terms {
            let Some(list) = self.postings.get(slot as usize) else {
                continue;
            };
            entry.clear();
            entry.push('[');
            wire::push_str(&mut entry, term);
            entry.push(',');
            wire::push_uint(&mut entry, u64::from(self.rank(slot)));
            entry.push_str(",\"");
            push_varint(&mut entry, to_u32(list.docs.len()));
            let mut last = 0;
            for p in &list.docs {
                push_varint(&mut entry, p.doc - last);
                last = p.doc + 1;
                push_varint(&mut entry, p.title_tf);
                push_varint(&mut entry, p.body_tf);
                push_gaps(&mut entry, list.field(p, true));
                push_gaps(&mut entry, list.field(p, false));
            }
            entry.push_str("\"]");
            if !body.is_empty() && body.len() + entry.len() > chunk_bytes {
                finish(&mut body, &mut files);
                bounds.push(term.to_string());
            }
            if !body.is_empty() {
                body.push(',');
            }
            body.push_str(&entry);
        }
        finish(&mut body, &mut files);
        for (g, docs) in self.texts.chunks(per).enumerate() {
            let mut s = start("docs", g);
            for (i, d) in docs.iter().flatten().enumerate() {
                if i > 0 {
                    s.push(',');
                }
                wire::push_doc(&mut s, d);
            }
            s.push_str("]]");
            files.push((chunk_path(lang, &build, &format!("d{g}")), s));
        }
        let mut head = String::from("[3,\"head\",");
        wire::push_str(&mut head, &build);
        head.push(',');
        wire::push_str(&mut head, lang);
        head.push(',');
        wire::push_uint(&mut head, per as u64);
        head.push_str(",\"");
        for &(title, body) in &self.lens {
            push_varint(&mut head, title);
            push_varint(&mut head, body);
        }
        head.push_str("\",");
        wire::push_strs(&mut head, &bounds);
        head.push(',');
        wire::push_lex(&mut head, &self.lexicon);
        head.push(']');
        Ok(Chunks { head, files })
    }

    /// Reads one chunk of a chunked index (a payload written by [`Index::to_chunks`]) into it. A
    /// chunk loaded before is accepted again and changes nothing. On error the index is left as
    /// it was: a chunk that is cut short, of another index, or inconsistent with the head.
    #[cfg(any(not(target_arch = "wasm32"), feature = "chunks"))]
    pub fn add_chunk(&mut self, json: &str) -> Result<(), IndexError> {
        let Some(layout) = &self.layout else {
            return Err(bad("this index is whole: it takes no chunks".to_string()));
        };
        let mut p = Parser::new(json);
        let (kind, build) = header(&mut p)?;
        if build != layout.build {
            return Err(bad(format!(
                "a chunk of another build ({build}) than this index ({}); rebuild the site",
                layout.build
            )));
        }
        let id = p.u32().map_err(at)? as usize;
        p.expect(b',', "expected `,`").map_err(at)?;
        match kind.as_str() {
            "terms" => {
                if id >= layout.terms_loaded.len() {
                    return Err(bad(format!("postings chunk {id} is not part of this index")));
                }
                let entries = read_entries(&mut p)?;
                close(&mut p)?;
                if layout.terms_loaded[id] {
                    return Ok(());
                }
                let n = self.lens.len();
                let mut read: Vec<(String, u32, Postings)> = Vec::with_capacity(entries.len());
                for (k, (term, _, _)) in entries.iter().enumerate() {
                    if layout.chunk_of(term) != id {
                        return Err(bad(format!("the term “{term}” does not belong in postings chunk {id}")));
                    }
                    // Written in order: a term out of order or twice is not this build's chunk.
                    let after = k
                        .checked_sub(1)
                        .and_then(|j| entries.get(j))
                        .is_none_or(|e| e.0 < *term);
                    if !after || self.terms.contains_key(term) {
                        return Err(bad(format!("the term “{term}” comes twice or out of order")));
                    }
                }
                for (term, rank, postings) in &entries {
                    let list = read_postings(postings, n).map_err(|e| bad(format!("postings of “{term}”: {e}")))?;
                    read.push((term.clone(), *rank, list));
                }
                for (term, rank, list) in read {
                    self.terms.insert(term, to_u32(self.postings.len()));
                    self.postings.push(list);
                    self.ranks.push(rank);
                }
                if let Some(l) = &mut self.layout {
                    l.terms_loaded[id] = true;
                }
                Ok(())
            }
            "docs" => {
                if id >= layout.docs_loaded.len() {
                    return Err(bad(format!("text chunk {id} is not part of this index")));
                }
                let docs = p.docs().map_err(at)?;
                close(&mut p)?;
                let first = id * layout.per;
                let expected = layout.per.min(self.lens.len() - first);
                if docs.len() != expected {
                    return Err(bad(format!(
                        "text chunk {id} holds {} documents, not {expected}",
                        docs.len()
                    )));
                }
                for (k, (url, number, title, body, lang)) in docs.into_iter().enumerate() {
                    if let Some(slot) = self.texts.get_mut(first + k) {
                        *slot = Some(Document {
                            url,
                            number,
                            title,
                            body,
                            lang,
                        });
                    }
                }
                if let Some(l) = &mut self.layout {
                    l.docs_loaded[id] = true;
                }
                Ok(())
            }
            other => Err(bad(format!("a chunk of unknown kind `{other}`"))),
        }
    }
}

impl Index {
    /// A page engine without the chunk reader has no chunked index to add to.
    #[cfg(all(target_arch = "wasm32", not(feature = "chunks")))]
    pub fn add_chunk(&mut self, _: &str) -> Result<(), IndexError> {
        Err(no_reader())
    }

    /// Answers `query` as the page does, loading each chunk the index names through `load` (its
    /// path → its payload) until it can answer: postings, then single characters, then the hits'
    /// texts, so four rounds at most. An error names the chunk's path and what is wrong with it.
    pub fn search_loading(
        &mut self,
        query: &str,
        limit: usize,
        mut load: impl FnMut(&str) -> Result<String, String>,
    ) -> Result<Vec<super::Hit>, (String, String)> {
        for _ in 0..4 {
            let paths = match self.search(query, limit) {
                super::Answer::Hits(hits) => return Ok(hits),
                super::Answer::Need(paths) => paths,
            };
            for path in paths {
                let payload = load(&path).map_err(|e| (path.clone(), e))?;
                self.add_chunk(&payload).map_err(|e| (path.clone(), e.to_string()))?;
            }
        }
        match self.search(query, limit) {
            super::Answer::Hits(hits) => Ok(hits),
            super::Answer::Need(paths) => Err((
                paths.join(" "),
                "the index's chunks do not answer this query".to_string(),
            )),
        }
    }
}

/// `[[term,rank,postings],…]` of a postings chunk.
fn read_entries(p: &mut Parser) -> Result<Vec<(String, u32, String)>, IndexError> {
    let mut out = Vec::new();
    p.expect(b'[', "expected `[`").map_err(at)?;
    if p.eat(b']') {
        return Ok(out);
    }
    loop {
        p.expect(b'[', "expected `[` (a term)").map_err(at)?;
        let term = p.string().map_err(at)?;
        p.expect(b',', "expected `,`").map_err(at)?;
        let rank = p.u32().map_err(at)?;
        p.expect(b',', "expected `,`").map_err(at)?;
        let postings = p.string().map_err(at)?;
        p.expect(b']', "expected `]` after a term's rank and postings")
            .map_err(at)?;
        out.push((term, rank, postings));
        if p.eat(b']') {
            return Ok(out);
        }
        p.expect(b',', "expected `,` or `]`").map_err(at)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_refuse_bad_text() {
        let mut s = String::new();
        let numbers = [0, 1, 31, 32, 1023, 1024, 65_535, u32::MAX];
        for n in numbers {
            push_varint(&mut s, n);
        }
        let mut r = Varints { s: s.as_bytes(), i: 0 };
        for n in numbers {
            assert_eq!(r.next(), Ok(n));
        }
        assert!(r.done());
        for bad in ["", "g", "!", "_______A", "9999999D"] {
            let mut r = Varints {
                s: bad.as_bytes(),
                i: 0,
            };
            assert!(r.next().is_err(), "accepted {bad:?}");
        }
    }
}
