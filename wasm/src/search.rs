//! The search index and the query engine, shared by the CLI (`policybook search`) and the pages.
//!
//! # Building and shipping an index
//!
//! The build tool adds one [`Document`] per page (question, notice, 附则, glossary entry…) to an
//! [`IndexBuilder`], one builder per language, with the language's search vocabulary
//! ([`Lexicon`], from `content/search-terms.yaml`), and writes [`Index::to_json`] into a JS file
//! as a string. The page (through the wasm bindings) and the CLI read it back with
//! [`Index::from_json`] and call [`Index::query`].
//! To ship it in a JS file, write it as a JS string literal (e.g. `serde_json::to_string` of the
//! JSON text) and, if inlined in HTML, escape `</` so a `</script>` in the text cannot end the tag.
//!
//! The whole serialised form holds the documents and the vocabulary only
//! (`{"v":2,"docs":[[url,number,title,body,lang],…],"lex":[[[term,…],[word,…]],…]}`): the postings
//! are rebuilt by the same [`crate::text::tokenize`] when the index is loaded, so the postings in
//! the page can never come from a different tokenizer than the query. A large site writes
//! [`Index::to_chunks`] instead ([`chunks`], format 3): postings prebuilt by that tokenizer at
//! build time, split by term, and the texts in small groups; [`Index::search`] names the chunks a
//! query needs ([`Answer::Need`]) and gives, once they are added, the hits the whole index gives.
//!
//! # Ranking
//!
//! A query is parsed into *groups* ([`query`]): quantities, vocabulary keys (the words as typed,
//! plus the guide's terms they stand for at a lower weight), and the runs left once question
//! words are dropped. Each alternative of a group is scored per document by BM25F (k1 = 1.2,
//! b = 0.75) on its phrase occurrences (title and body), times the alternative's weight and
//! idf; an alternative found only as pieces apart scores a share of that. The title weighs up to
//! [`TITLE_WEIGHT`] times the body for a distinctive term and no more than the body for a term
//! of a third of the documents ([`title_weight`]). A document's score is the sum of its best
//! alternative per group, times the square of its *coverage*: the idf-weighted share of the
//! query's groups it matches (groups found nowhere are left out). So rare words weigh more than
//! common ones, a document matching every part beats one matching a stray part many times, and
//! the words as typed beat an expansion of the same strength. When fewer documents match than
//! were asked for, documents sharing single characters with the query fill the list below them.
//! Scores in [`Hit`] are relative to the best hit (which scores 1.0).
//!
//! # Safety
//!
//! A query is text. Queries that are empty, longer than [`MAX_QUERY_BYTES`], or contain control
//! characters or U+FFFD (binary data) give no results; at most [`MAX_QUERY_TERMS`] terms are
//! used. Snippets escape everything except the `<mark>` elements they add.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::text::{is_cjk, tokenize, Token};

pub mod chunks;
pub mod lexicon;
pub(crate) mod query;
pub(crate) mod wire;

pub use lexicon::{Concept, Lexicon};
use query::{Alt, Plan};

/// Version of the serialised index format written by [`Index::to_json`].
pub const FORMAT_VERSION: u32 = 2;
/// Queries longer than this (in UTF-8 bytes, after trimming) give no results.
pub const MAX_QUERY_BYTES: usize = 1024;
/// At most this many terms of a query are used; the rest is ignored.
pub const MAX_QUERY_TERMS: usize = 64;
/// Weight of a title match relative to a body match, for a distinctive term (see
/// [`title_weight`]).
pub const TITLE_WEIGHT: f64 = 4.0;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Width of a snippet in display columns (a Chinese character counts two).
const SNIPPET_WIDTH: usize = 160;
/// Columns of context shown before the first match of a snippet.
const SNIPPET_LEAD: usize = 24;

/// One searchable page, as given by the build tool.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Document {
    /// Site-relative URL of the page, also its identity (`/zh/q/24/`).
    pub url: String,
    /// The guide's item number (1–42), or `None` for other pages.
    pub number: Option<u32>,
    /// Plain-text title (the question).
    pub title: String,
    /// Plain-text body (the answer), paragraphs separated by blank lines.
    pub body: String,
    /// Language code of the page (`zh`, `en`).
    pub lang: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Hit {
    /// Index of the document in [`Index::docs`].
    pub doc: usize,
    /// The guide's item number, or `None`.
    pub number: Option<u32>,
    /// Plain-text title (not escaped: insert it as text).
    pub title: String,
    /// Site-relative URL.
    pub url: String,
    /// Score relative to the best hit of the query, in (0, 1].
    pub score: f64,
    /// HTML: a window of the body, escaped, with the matches wrapped in `<mark>…</mark>`.
    pub snippet: String,
    /// The words that matched in this document, as a query for [`match_ranges`] on the page the
    /// result leads to (`#hl=`): the guide's word where an everyday word found it.
    pub hl: String,
}

/// An index that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexError {
    message: String,
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "search index: {}", self.message)
    }
}

impl std::error::Error for IndexError {}

impl IndexError {
    /// An error with this message.
    pub fn new(message: &str) -> Self {
        IndexError {
            message: message.to_string(),
        }
    }
}

/// Collects documents and builds an [`Index`].
#[derive(Debug, Clone, Default)]
pub struct IndexBuilder {
    docs: Vec<Document>,
    lexicon: Lexicon,
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document; results are returned in relevance order, ties in the order added.
    pub fn add(&mut self, doc: Document) -> &mut Self {
        self.docs.push(doc);
        self
    }

    /// Sets the search vocabulary of the index's language (shipped inside the index).
    pub fn lexicon(&mut self, lexicon: Lexicon) -> &mut Self {
        self.lexicon = lexicon;
        self
    }

    /// Number of documents added so far.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True if no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Tokenizes every document and builds the postings.
    pub fn build(self) -> Index {
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Postings> = Vec::new();
        let mut lens = Vec::with_capacity(self.docs.len());
        let mut texts = Vec::with_capacity(self.docs.len());
        // Per term, its entry in this document's `at` (u32::MAX: none yet); reset after each.
        let mut slot_of: Vec<u32> = Vec::new();
        for (doc_id, doc) in self.docs.into_iter().enumerate() {
            let doc_id = to_u32(doc_id);
            let title = intern_all(&tokenize(&doc.title), &mut terms, &mut postings);
            let body = intern_all(&tokenize(&doc.body), &mut terms, &mut postings);
            lens.push((to_u32(title.len()), to_u32(body.len())));
            // Per term of this document, its positions in the title and in the body, in the
            // order the terms first occur (the postings of each term stay in document order).
            let mut at: Vec<(u32, Vec<u32>, Vec<u32>)> = Vec::new();
            for (field, toks) in [(0, &title), (1, &body)] {
                for t in toks {
                    if slot_of.len() <= t.term as usize {
                        slot_of.resize(t.term as usize + 1, u32::MAX);
                    }
                    let Some(slot) = slot_of.get_mut(t.term as usize) else {
                        continue;
                    };
                    if *slot == u32::MAX {
                        *slot = to_u32(at.len());
                        at.push((t.term, Vec::new(), Vec::new()));
                    }
                    if let Some(entry) = at.get_mut(*slot as usize) {
                        if field == 0 {
                            entry.1.push(t.pos);
                        } else {
                            entry.2.push(t.pos);
                        }
                    }
                }
            }
            for (term, _, _) in &at {
                if let Some(slot) = slot_of.get_mut(*term as usize) {
                    *slot = u32::MAX;
                }
            }
            for (term, mut title_pos, mut body_pos) in at {
                sort_positions(&mut title_pos);
                sort_positions(&mut body_pos);
                if let Some(list) = postings.get_mut(term as usize) {
                    list.push(doc_id, &title_pos, &body_pos);
                }
            }
            texts.push(Some(doc));
        }
        let ranks = (0..to_u32(postings.len())).collect();
        Index::assemble(lens, texts, terms, postings, ranks, self.lexicon, None)
    }
}

/// Sorts a field's positions of one term: they come in order but for the quantities, which the
/// tokenizer adds after the other tokens. An insertion sort by hand, as every sort instantiation
/// adds to the page's engine (see [`sort_keyed`]) and these lists are nearly sorted and short.
fn sort_positions(v: &mut [u32]) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// The vocabulary read from an index.
fn wire_lexicon(lex: Vec<wire::WireConcept>) -> Lexicon {
    Lexicon::new(
        lex.into_iter()
            .map(|(terms, words)| Concept {
                terms,
                words,
                serves: None,
                glossary: None,
            })
            .collect(),
    )
}

/// A token with its term interned; byte offsets into the document field.
#[derive(Debug, Clone, Copy)]
struct Tok {
    term: u32,
    pos: u32,
    start: u32,
    end: u32,
}

/// The tokens of one field and, sorted by term then position, the indices of its tokens (one
/// sort per field at load: cheaper than a map per field, for the page's first search).
#[derive(Debug, Clone, Default)]
struct Field {
    toks: Vec<Tok>,
    order: Vec<u32>,
}

impl Field {
    fn new(toks: Vec<Tok>) -> Self {
        let mut order: Vec<u32> = (0..to_u32(toks.len())).collect();
        sort_keyed(&mut order, |&i| {
            toks.get(i as usize).map_or((0, 0), |t| (pair(t.term, t.pos), 0))
        });
        Field { toks, order }
    }

    fn tok(&self, i: u32) -> Option<&Tok> {
        self.toks.get(i as usize)
    }

    fn key(&self, i: u32) -> (u32, u32) {
        self.tok(i).map_or((u32::MAX, u32::MAX), |t| (t.term, t.pos))
    }

    /// The tokens of `term`, by position.
    fn of(&self, term: u32) -> impl Iterator<Item = &Tok> {
        let a = self.order.partition_point(|&i| self.key(i).0 < term);
        let b = self.order.partition_point(|&i| self.key(i).0 <= term);
        self.order.get(a..b).unwrap_or(&[]).iter().filter_map(|&i| self.tok(i))
    }

    /// The token of `term` at `pos`, if any.
    fn find(&self, term: u32, pos: u32) -> Option<&Tok> {
        let k = self.order.partition_point(|&i| self.key(i) < (term, pos));
        self.order
            .get(k)
            .and_then(|&i| self.tok(i))
            .filter(|t| t.term == term && t.pos == pos)
    }

    fn count(&self, term: u32) -> usize {
        self.of(term).count()
    }

    /// Byte ranges where the phrase `terms` (term, offset) occurs.
    fn phrase(&self, terms: &[(Option<u32>, u32)]) -> Vec<Range<usize>> {
        let Some(&(Some(first), first_off)) = terms.first() else {
            return Vec::new();
        };
        if terms.iter().any(|t| t.0.is_none()) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for t in self.of(first) {
            let Some(base) = t.pos.checked_sub(first_off) else {
                continue;
            };
            let mut range = t.start as usize..t.end as usize;
            let all = terms[1..]
                .iter()
                .all(|&(term, off)| match term.and_then(|term| self.find(term, base + off)) {
                    Some(o) => {
                        range.start = range.start.min(o.start as usize);
                        range.end = range.end.max(o.end as usize);
                        true
                    }
                    None => false,
                });
            if all {
                out.push(range);
            }
        }
        out
    }

    /// Byte ranges of every occurrence of these terms.
    fn ranges_of(&self, terms: &[Option<u32>]) -> Vec<Range<usize>> {
        terms
            .iter()
            .flatten()
            .flat_map(|&t| self.of(t))
            .map(|t| t.start as usize..t.end as usize)
            .collect()
    }
}

/// One document of a term's postings: how often the term occurs in the title and the body, and
/// where its positions start in [`Postings::positions`] (the title's, then the body's).
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    title_tf: u32,
    body_tf: u32,
    at: u32,
}

/// The postings of one term: its documents in document order, with their positions (prebuilt
/// by the build tool, or built here from the texts: the same tokenizer either way).
#[derive(Debug, Clone, Default)]
struct Postings {
    docs: Vec<Posting>,
    positions: Vec<u32>,
}

impl Postings {
    fn push(&mut self, doc: u32, title: &[u32], body: &[u32]) {
        self.docs.push(Posting {
            doc,
            title_tf: to_u32(title.len()),
            body_tf: to_u32(body.len()),
            at: to_u32(self.positions.len()),
        });
        self.positions.extend_from_slice(title);
        self.positions.extend_from_slice(body);
    }

    /// The positions of the term in one field (title or body) of the document of `p`.
    fn field(&self, p: &Posting, title: bool) -> &[u32] {
        let start = p.at as usize + if title { 0 } else { p.title_tf as usize };
        let len = if title { p.title_tf } else { p.body_tf } as usize;
        self.positions.get(start..start + len).unwrap_or(&[])
    }
}

/// A searchable index of one language's pages: whole (built or read from one file), or read
/// piece by piece from the chunks a query needs ([`chunks`]).
#[derive(Debug, Clone)]
pub struct Index {
    /// Per document, the number of tokens of its title and of its body.
    lens: Vec<(u32, u32)>,
    /// Per document, its text, once loaded.
    texts: Vec<Option<Document>>,
    /// The terms loaded so far, each with its slot in `postings`.
    terms: HashMap<String, u32>,
    /// Per slot, the documents containing the term, in document order.
    postings: Vec<Postings>,
    /// Per slot, the term's number in the whole index (the order in which terms first occur in
    /// the documents): sums over terms run in this order, so that a chunked index adds in the
    /// same order as a whole one and gives the same scores to the last bit.
    ranks: Vec<u32>,
    avg_title: f64,
    avg_body: f64,
    lexicon: Lexicon,
    /// For an index read in chunks: which chunks exist and which are loaded.
    layout: Option<chunks::Layout>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn intern_all(tokens: &[Token], terms: &mut HashMap<String, u32>, postings: &mut Vec<Postings>) -> Vec<Tok> {
    tokens
        .iter()
        .map(|t| {
            let id = match terms.get(&t.term) {
                Some(&id) => id,
                None => {
                    let id = to_u32(postings.len());
                    postings.push(Postings::default());
                    terms.insert(t.term.clone(), id);
                    id
                }
            };
            Tok {
                term: id,
                pos: t.pos,
                start: to_u32(t.start),
                end: to_u32(t.end),
            }
        })
        .collect()
}

/// How one alternative occurs in one document.
#[derive(Debug, Clone, Copy, Default)]
struct Occ {
    title: f64,
    body: f64,
    /// Found only as pieces apart (partial credit).
    loose: bool,
    /// For a loose match, the share of the pieces found.
    share: f64,
}

/// Per document, how an alternative occurs (a vector by document: the corpus is small, and a
/// map per value type would add its code to the page's engine).
#[derive(Debug, Clone, Default)]
struct Occs {
    by_doc: Vec<Option<Occ>>,
    count: usize,
}

impl Occs {
    fn new(docs: usize) -> Self {
        Occs {
            by_doc: vec![None; docs],
            count: 0,
        }
    }

    fn get(&self, doc: &u32) -> Option<&Occ> {
        self.by_doc.get(*doc as usize).and_then(Option::as_ref)
    }

    fn contains_key(&self, doc: &u32) -> bool {
        self.get(doc).is_some()
    }

    fn insert(&mut self, doc: u32, occ: Occ) {
        if let Some(slot) = self.by_doc.get_mut(doc as usize) {
            if slot.is_none() {
                self.count += 1;
            }
            *slot = Some(occ);
        }
    }

    fn len(&self) -> usize {
        self.count
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_doc
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_some())
            .map(|(d, _)| to_u32(d))
    }
}

/// One alternative, resolved, with the documents where it occurs.
struct Scored<'p> {
    alt: &'p Alt<Option<u32>>,
    occ: Occs,
    idf: f64,
    title_weight: f64,
}

type ResolvedPlan = Plan<Option<u32>>;

/// True if the query must be refused outright.
fn refused(query: &str) -> bool {
    query.len() > MAX_QUERY_BYTES
        || query
            .chars()
            .any(|c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
}

fn parse(query: &str, lexicon: &Lexicon) -> Option<Plan<String>> {
    let query = query.trim();
    if query.is_empty() || refused(query) {
        return None;
    }
    Plan::parse(query, lexicon, MAX_QUERY_TERMS)
}

/// The title's weight for a term found in `df` of `n` documents: [`TITLE_WEIGHT`] for a term
/// of a few documents, falling to 1 (no boost) for a term in a third of them or more, so that
/// a generic word in a title (申请, 条件) does not win every query that contains it.
fn title_weight(df: usize, n: usize) -> f64 {
    let rare = (n as f64 / 10.0).max(2.0);
    let common = (n as f64 / 3.0).max(rare + 1.0);
    let d = ((common - df as f64) / (common - rare)).clamp(0.0, 1.0);
    1.0 + (TITLE_WEIGHT - 1.0) * d
}

/// A query's answer, or what must be loaded first.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The hits, best first.
    Hits(Vec<Hit>),
    /// The chunks to load before asking again: paths of scripts relative to the site's root
    /// (`search/zh-…/t3.js`), each read into the index with [`Index::add_chunk`].
    Need(Vec<String>),
}

impl Index {
    fn assemble(
        lens: Vec<(u32, u32)>,
        texts: Vec<Option<Document>>,
        terms: HashMap<String, u32>,
        postings: Vec<Postings>,
        ranks: Vec<u32>,
        lexicon: Lexicon,
        layout: Option<chunks::Layout>,
    ) -> Index {
        let n = lens.len().max(1) as f64;
        let title_total: usize = lens.iter().map(|l| l.0 as usize).sum();
        let body_total: usize = lens.iter().map(|l| l.1 as usize).sum();
        Index {
            avg_title: (title_total as f64 / n).max(1.0),
            avg_body: (body_total as f64 / n).max(1.0),
            lens,
            texts,
            terms,
            postings,
            ranks,
            lexicon,
            layout,
        }
    }

    /// Reads an index: a whole index written by [`Index::to_json`] (its postings are built here
    /// from the texts), or the head of a chunked one written by [`Index::to_chunks`] (the rest
    /// comes through [`Index::add_chunk`] as queries need it).
    pub fn from_json(json: &str) -> Result<Index, IndexError> {
        if chunks::is_chunked(json) {
            return chunks::read_head(json);
        }
        // Read without serde (see `wire`): this runs in the page's search engine.
        let wire = wire::parse_index(json).map_err(|e| IndexError {
            message: format!("not a policybook search index ({e})"),
        })?;
        if wire.v != FORMAT_VERSION {
            return Err(IndexError {
                message: format!(
                    "format version {} is not supported (expected {FORMAT_VERSION} or {}); rebuild the site",
                    wire.v,
                    chunks::VERSION
                ),
            });
        }
        let mut builder = IndexBuilder::new();
        for (url, number, title, body, lang) in wire.docs {
            builder.add(Document {
                url,
                number,
                title,
                body,
                lang,
            });
        }
        builder.lexicon(wire_lexicon(wire.lex));
        Ok(builder.build())
    }

    /// The compact serialised form:
    /// `{"v":2,"docs":[[url,number,title,body,lang],…],"lex":[[[term,…],[word,…]],…]}`.
    /// An error for a chunked index whose documents are not all loaded.
    pub fn to_json(&self) -> Result<String, IndexError> {
        let mut out = String::with_capacity(self.docs().map(|d| d.body.len() + 64).sum());
        out.push_str("{\"v\":");
        wire::push_uint(&mut out, u64::from(FORMAT_VERSION));
        out.push_str(",\"docs\":[");
        for (i, d) in self.texts.iter().enumerate() {
            let Some(d) = d else {
                return Err(IndexError {
                    message: "not every document is loaded".to_string(),
                });
            };
            if i > 0 {
                out.push(',');
            }
            wire::push_doc(&mut out, d);
        }
        out.push_str("],\"lex\":");
        wire::push_lex(&mut out, &self.lexicon);
        out.push('}');
        Ok(out)
    }

    /// The documents loaded, in the order they were added (all of them but for a chunked index).
    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.texts.iter().flatten()
    }

    /// The search vocabulary shipped with the index.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.lens.len()
    }

    /// True if the index has no document.
    pub fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// Number of distinct terms loaded (for size reports).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    fn docs_with(&self, term: u32) -> &[Posting] {
        self.postings.get(term as usize).map_or(&[], |p| p.docs.as_slice())
    }

    fn posting(&self, term: u32, doc: u32) -> Option<(&Postings, Posting)> {
        let list = self.postings.get(term as usize)?;
        let i = list.docs.binary_search_by_key(&doc, |p| p.doc).ok()?;
        list.docs.get(i).map(|&p| (list, p))
    }

    fn rank(&self, term: u32) -> u32 {
        self.ranks.get(term as usize).copied().unwrap_or(u32::MAX)
    }

    fn idf(&self, df: usize) -> f64 {
        let n = self.lens.len() as f64;
        let df = df as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// How often the phrase `terms` (term, offset) occurs in the title or the body of `doc`.
    fn phrase_count(&self, doc: u32, terms: &[(Option<u32>, u32)], title: bool) -> usize {
        let mut fields: Vec<(&[u32], u32)> = Vec::with_capacity(terms.len());
        for &(term, off) in terms {
            let Some((list, p)) = term.and_then(|t| self.posting(t, doc)) else {
                return 0;
            };
            fields.push((list.field(&p, title), off));
        }
        let Some((&(first, first_off), rest)) = fields.split_first() else {
            return 0;
        };
        first
            .iter()
            .filter(|&&pos| {
                pos.checked_sub(first_off).is_some_and(|base| {
                    rest.iter().all(|&(at, off)| {
                        base.checked_add(off)
                            .is_some_and(|want| at.binary_search(&want).is_ok())
                    })
                })
            })
            .count()
    }

    /// The body of a loaded document as a field of the terms this index knows (for snippets:
    /// the query's terms are all among them).
    fn body_field(&self, body: &str) -> Field {
        let toks = tokenize(body)
            .into_iter()
            .filter_map(|t| {
                self.terms.get(&t.term).map(|&term| Tok {
                    term,
                    pos: t.pos,
                    start: to_u32(t.start),
                    end: to_u32(t.end),
                })
            })
            .collect();
        Field::new(toks)
    }

    /// Where an alternative occurs: as a phrase, else (for several terms) as pieces apart.
    fn occurrences(&self, alt: &Alt<Option<u32>>) -> Occs {
        let mut occ = Occs::new(self.lens.len());
        let known: Option<Vec<u32>> = alt.terms.iter().map(|t| t.0).collect();
        if let Some(known) = known {
            if let Some(&rarest) = known.iter().min_by_key(|&&t| self.docs_with(t).len()) {
                for p in self.docs_with(rarest) {
                    if !known.iter().all(|&t| self.posting(t, p.doc).is_some()) {
                        continue;
                    }
                    let (title, body) = if alt.terms.len() == 1 {
                        (f64::from(p.title_tf), f64::from(p.body_tf))
                    } else {
                        (
                            self.phrase_count(p.doc, &alt.terms, true) as f64,
                            self.phrase_count(p.doc, &alt.terms, false) as f64,
                        )
                    };
                    if title + body > 0.0 {
                        occ.insert(
                            p.doc,
                            Occ {
                                title,
                                body,
                                loose: false,
                                share: 1.0,
                            },
                        );
                    }
                }
            }
        }
        // Pieces apart: at least half of them, for a share of the credit.
        if alt.pieces.len() >= 2 {
            let mut found: Vec<(u32, u32, usize)> = vec![(u32::MAX, u32::MAX, 0); self.lens.len()];
            for &piece in alt.pieces.iter().flatten() {
                for p in self.docs_with(piece) {
                    let Some(f) = found.get_mut(p.doc as usize) else {
                        continue;
                    };
                    f.0 = f.0.min(p.title_tf);
                    f.1 = f.1.min(p.body_tf);
                    f.2 += 1;
                }
            }
            let n = alt.pieces.len();
            for (doc, (title, body, count)) in found.into_iter().enumerate() {
                let doc = to_u32(doc);
                if count == 0 || count * 2 < n || occ.contains_key(&doc) {
                    continue;
                }
                let (title, body) = if count < n {
                    (0, 1)
                } else {
                    (title, body.max(u32::from(title == 0)))
                };
                occ.insert(
                    doc,
                    Occ {
                        title: f64::from(title),
                        body: f64::from(body),
                        loose: true,
                        share: count as f64 / n as f64,
                    },
                );
            }
        }
        occ
    }

    /// Runs a query; at most `limit` hits, best first. Never panics; a query that is empty,
    /// too long or binary gives no hits. A chunked index whose chunks this query needs are not
    /// loaded yet gives no hits either: see [`Index::search`].
    pub fn query(&self, query: &str, limit: usize) -> Vec<Hit> {
        match self.search(query, limit) {
            Answer::Hits(hits) => hits,
            Answer::Need(_) => Vec::new(),
        }
    }

    /// Runs a query as [`Index::query`] does, or names the chunks it needs first: the postings of
    /// its terms, then (when few documents match) of its single characters, then the texts of
    /// the hits it shows.
    pub fn search(&self, query: &str, limit: usize) -> Answer {
        if limit == 0 || self.lens.is_empty() {
            return Answer::Hits(Vec::new());
        }
        let Some(words) = parse(query, &self.lexicon) else {
            return Answer::Hits(Vec::new());
        };
        if let Some(layout) = &self.layout {
            let need = layout.missing_terms(words.groups.iter().flat_map(|g| {
                g.alts.iter().flat_map(|a| {
                    a.terms
                        .iter()
                        .map(|t| t.0.as_str())
                        .chain(a.pieces.iter().map(String::as_str))
                })
            }));
            if !need.is_empty() {
                return Answer::Need(need);
            }
        }
        let plan = words.resolve(|t| self.terms.get(t).copied());
        let n = self.lens.len();
        let scored: Vec<Vec<Scored>> = plan
            .groups
            .iter()
            .map(|g| {
                g.alts
                    .iter()
                    .map(|alt| {
                        let occ = self.occurrences(alt);
                        let df = occ.len();
                        Scored {
                            alt,
                            idf: self.idf(df),
                            title_weight: title_weight(df, n),
                            occ,
                        }
                    })
                    .collect()
            })
            .collect();
        // A group's importance: the idf of its best-known alternative; groups found nowhere
        // tell no document from another and are left out of the coverage.
        let importance: Vec<f64> = scored
            .iter()
            .zip(&plan.groups)
            .map(|(alts, g)| {
                alts.iter()
                    .filter(|s| !s.occ.is_empty())
                    .map(|s| s.idf * s.alt.weight.max(0.75))
                    .fold(0.0, f64::max)
                    * g.weight
            })
            .collect();
        let total: f64 = importance.iter().sum();
        let mut docs: Vec<u32> = scored.iter().flatten().flat_map(|s| s.occ.keys()).collect();
        sort_keyed(&mut docs, |&d| (u64::from(d), 0));
        docs.dedup();
        let mut results: Vec<(f64, u32)> = docs
            .iter()
            .map(|&d| (self.score(d, &plan, &scored, &importance, total), d))
            .filter(|(s, _)| *s > 0.0 && s.is_finite())
            .collect();
        sort(&mut results);
        // The looser ranking fills the list: single characters of the Chinese groups, below
        // every match above.
        if results.len() < limit {
            if let Some(layout) = &self.layout {
                let need = layout.missing_terms(words.groups.iter().flat_map(|g| g.chars.iter().map(String::as_str)));
                if !need.is_empty() {
                    return Answer::Need(need);
                }
            }
            let plan = words.resolve(|t| self.terms.get(t).copied());
            let floor = results.last().map_or(1.0, |r| r.0);
            let mut extra = self.by_characters(&plan, &results);
            sort(&mut extra);
            let top = extra.first().map_or(1.0, |r| r.0);
            results.extend(extra.into_iter().map(|(s, d)| (floor * 0.5 * s / top, d)));
        }
        results.truncate(limit);
        if let Some(layout) = &self.layout {
            let need = layout.missing_docs(results.iter().map(|r| r.1));
            if !need.is_empty() {
                return Answer::Need(need);
            }
        }
        let best = results.first().map_or(1.0, |s| s.0);
        Answer::Hits(
            results
                .into_iter()
                .filter_map(|(score, doc)| {
                    let text = self.texts.get(doc as usize)?.as_ref()?;
                    let found = |g: usize| -> Option<Vec<Option<Occ>>> {
                        scored
                            .get(g)
                            .map(|alts| alts.iter().map(|s| s.occ.get(&doc).copied()).collect())
                    };
                    let spans = spans_in(&self.body_field(&text.body), &plan, found);
                    let mut words: Vec<&str> = Vec::new();
                    for (g, group) in plan.groups.iter().enumerate() {
                        for a in best_alts(group, &found(g).unwrap_or_default()) {
                            if !words.contains(&a.text.as_str()) {
                                words.push(&a.text);
                            }
                        }
                    }
                    let hl = if words.is_empty() {
                        query.trim().to_string()
                    } else {
                        words.join(" ")
                    };
                    Some(Hit {
                        doc: doc as usize,
                        number: text.number,
                        title: text.title.clone(),
                        url: text.url.clone(),
                        score: score / best,
                        snippet: snippet(&text.body, &spans),
                        hl,
                    })
                })
                .collect(),
        )
    }

    fn score(&self, doc: u32, plan: &ResolvedPlan, scored: &[Vec<Scored>], importance: &[f64], total: f64) -> f64 {
        let Some(&(title_len, body_len)) = self.lens.get(doc as usize) else {
            return 0.0;
        };
        let title_norm = 1.0 - B + B * title_len as f64 / self.avg_title;
        let body_norm = 1.0 - B + B * body_len as f64 / self.avg_body;
        let mut sum = 0.0;
        let mut covered = 0.0;
        for ((alts, g), imp) in scored.iter().zip(&plan.groups).zip(importance) {
            let mut best: f64 = 0.0;
            let mut loose_only = true;
            for s in alts {
                let Some(o) = s.occ.get(&doc) else { continue };
                let tf = s.title_weight * o.title / title_norm + o.body / body_norm;
                let sat = tf * (K1 + 1.0) / (tf + K1);
                let credit = if o.loose { query::LOOSE_CREDIT * o.share } else { 1.0 };
                best = best.max(s.alt.weight * credit * s.idf * sat);
                loose_only &= o.loose;
            }
            if best > 0.0 {
                sum += g.weight * best;
                covered += imp * if loose_only { 0.5 } else { 1.0 };
            }
        }
        let coverage = if total > 0.0 { covered / total } else { 0.0 };
        sum * coverage * coverage
    }

    fn by_characters(&self, plan: &ResolvedPlan, have: &[(f64, u32)]) -> Vec<(f64, u32)> {
        let mut chars: Vec<u32> = plan
            .groups
            .iter()
            .flat_map(|g| g.chars.iter().flatten().copied())
            .collect();
        sort_keyed(&mut chars, |&c| (u64::from(self.rank(c)), c));
        chars.dedup();
        let mut score: Vec<f64> = vec![0.0; self.lens.len()];
        for &c in &chars {
            let idf = self.idf(self.docs_with(c).len());
            for p in self.docs_with(c) {
                if have.iter().any(|h| h.1 == p.doc) {
                    continue;
                }
                let tf = f64::from(p.title_tf + p.body_tf);
                if let Some(s) = score.get_mut(p.doc as usize) {
                    *s += idf * tf / (tf + K1);
                }
            }
        }
        score
            .into_iter()
            .enumerate()
            .filter(|(_, s)| *s > 0.0)
            .map(|(d, s)| (s, to_u32(d)))
            .collect()
    }

    /// Byte ranges (sorted, merged) of the matches of `query` in any `text`, with this index's
    /// vocabulary, so that a page highlights the guide's word an everyday word stood for.
    pub fn match_ranges(&self, text: &str, query: &str) -> Vec<Range<usize>> {
        ranges_with(text, query, &self.lexicon)
    }
}

/// Sorts best first; ties in document order. Scores are quantised so that last-bit differences
/// between native and wasm maths cannot reorder.
fn sort(results: &mut Vec<(f64, u32)>) {
    sort_keyed(results, |r| (!ordered_bits(quantise(r.0)), r.1));
}

/// `x`'s bits, mapped so that unsigned order is `f64::total_cmp`'s order.
fn ordered_bits(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// Two 32-bit keys as one (the first more significant).
fn pair(hi: u32, lo: u32) -> u64 {
    u64::from(hi) << 32 | u64::from(lo)
}

/// A byte offset as a sort key (offsets beyond 4 GiB, which the input limits rule out, tie).
fn offset_key(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

/// Sorts `v` stably by `key`. Every sort of the search engine goes through here, so the page's
/// wasm carries one instantiation of the standard sort (on `(u64, u32, u32)`) instead of one per
/// element type and closure: each costs about 3 KB of code.
fn sort_keyed<T>(v: &mut Vec<T>, key: impl Fn(&T) -> (u64, u32)) {
    let mut keys: Vec<(u64, u32, u32)> = v
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (a, b) = key(t);
            (a, b, to_u32(i))
        })
        .collect();
    // The index makes every key distinct, so the unstable sort is stable here.
    keys.sort_unstable();
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        keys.iter()
            .filter_map(|k| slots.get_mut(k.2 as usize).and_then(Option::take)),
    );
}

fn quantise(x: f64) -> f64 {
    (x * 1e9).round()
}

/// A highlighted range and the query group it belongs to.
#[derive(Debug, Clone)]
struct Span {
    range: Range<usize>,
    group: usize,
}

/// The matches of a plan in a field: per group, the alternatives found in the document
/// (`found(group)` gives, per alternative, how it occurs), as phrases or pieces.
fn spans_in(field: &Field, plan: &ResolvedPlan, found: impl Fn(usize) -> Option<Vec<Option<Occ>>>) -> Vec<Span> {
    let mut spans = Vec::new();
    for (group, g) in plan.groups.iter().enumerate() {
        let Some(occ) = found(group) else { continue };
        let best: Vec<&Alt<Option<u32>>> = best_alts(g, &occ);
        for (a, o) in g.alts.iter().zip(&occ) {
            let Some(o) = o else { continue };
            if !best.iter().any(|b| std::ptr::eq(*b, a)) {
                continue;
            }
            let ranges = if o.loose {
                field.ranges_of(&a.pieces)
            } else if a.terms.len() == 1 {
                field.ranges_of(&[a.terms[0].0])
            } else {
                field.phrase(&a.terms)
            };
            spans.extend(ranges.into_iter().map(|range| Span { range, group }));
        }
    }
    sort_keyed(&mut spans, |s| {
        (pair(offset_key(s.range.start), offset_key(s.range.end)), 0)
    });
    spans
}

/// The strongest alternatives of a group found in a document (`occ`, per alternative): exact
/// before loose, the words as typed before an expansion.
fn best_alts<'g>(g: &'g query::Group<Option<u32>>, occ: &[Option<Occ>]) -> Vec<&'g Alt<Option<u32>>> {
    let rank = |a: &Alt<Option<u32>>, o: &Occ| (u8::from(!o.loose), u8::from(a.literal));
    let best = g.alts.iter().zip(occ).filter_map(|(a, o)| o.map(|o| rank(a, &o))).max();
    let Some(best) = best else { return Vec::new() };
    g.alts
        .iter()
        .zip(occ)
        .filter(|(a, o)| o.is_some_and(|o| rank(a, &o) == best))
        .map(|(a, _)| a)
        .collect()
}

/// How each alternative of a plan occurs in one field (for highlighting a text alone).
fn occ_in_field(field: &Field, alt: &Alt<Option<u32>>) -> Option<Occ> {
    let exact = if alt.terms.len() == 1 {
        alt.terms[0].0.map_or(0, |t| field.count(t))
    } else {
        field.phrase(&alt.terms).len()
    };
    if exact > 0 {
        return Some(Occ {
            title: 0.0,
            body: exact as f64,
            loose: false,
            share: 1.0,
        });
    }
    let n = alt.pieces.len();
    let count = alt.pieces.iter().flatten().filter(|&&p| field.count(p) > 0).count();
    (n >= 2 && count * 2 >= n).then_some(Occ {
        title: 0.0,
        body: 1.0,
        loose: true,
        share: count as f64 / n as f64,
    })
}

fn ranges_with(text: &str, query: &str, lexicon: &Lexicon) -> Vec<Range<usize>> {
    let Some(plan) = parse(query, lexicon) else {
        return Vec::new();
    };
    let mut local: HashMap<String, u32> = HashMap::new();
    for g in &plan.groups {
        for t in g
            .alts
            .iter()
            .flat_map(|a| a.terms.iter().map(|t| &t.0).chain(&a.pieces))
            .chain(&g.chars)
        {
            let id = to_u32(local.len());
            local.entry(t.clone()).or_insert(id);
        }
    }
    let toks: Vec<Tok> = tokenize(text)
        .into_iter()
        .filter_map(|t| {
            local.get(&t.term).map(|&term| Tok {
                term,
                pos: t.pos,
                start: to_u32(t.start),
                end: to_u32(t.end),
            })
        })
        .collect();
    let field = Field::new(toks);
    let plan = plan.resolve(|t| local.get(t).copied());
    let spans = spans_in(&field, &plan, |g| {
        plan.groups
            .get(g)
            .map(|g| g.alts.iter().map(|a| occ_in_field(&field, a)).collect())
    });
    let mut ranges: Vec<Range<usize>> = spans.into_iter().map(|s| s.range).collect();
    if ranges.is_empty() {
        let chars: Vec<Option<u32>> = plan.groups.iter().flat_map(|g| g.chars.iter().copied()).collect();
        ranges = field.ranges_of(&chars);
    }
    merge_in(text, ranges)
}

/// Byte ranges (sorted, merged) of the matches of `query` in any `text`, e.g. to highlight the
/// words on the page a result leads to, without a vocabulary (see [`Index::match_ranges`]).
/// Uses the same parsing and matching as [`Index::query`].
pub fn match_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    ranges_with(text, query, &Lexicon::default())
}

/// Escapes a text and wraps the matches of `query` in `<mark>…</mark>`.
pub fn highlight_html(text: &str, query: &str) -> String {
    let mut w = HtmlWriter::default();
    w.render(text, 0..text.len(), &match_ranges(text, query));
    w.out
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    sort_keyed(&mut ranges, |r| (pair(offset_key(r.start), offset_key(r.end)), 0));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// As [`merge`], and words of one phrase separated by spaces become one range
/// (`<mark>Green Channel</mark>`).
fn merge_in(text: &str, ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in merge(ranges) {
        match out.last_mut() {
            Some(last)
                if text
                    .get(last.end..r.start)
                    .is_some_and(|gap| !gap.is_empty() && gap.bytes().all(|b| b == b' ')) =>
            {
                last.end = r.end;
            }
            _ => out.push(r),
        }
    }
    out
}

fn columns(c: char) -> usize {
    if is_cjk(c) || matches!(c as u32, 0x3000..=0x303F | 0xFF00..=0xFFEF) {
        2
    } else {
        1
    }
}

/// A window of `text` around the best cluster of `spans`, escaped, matches marked.
fn snippet(text: &str, spans: &[Span]) -> String {
    // Byte offset and starting column of every character, plus the end.
    let mut offs = Vec::with_capacity(text.len() + 1);
    let mut cols = Vec::with_capacity(text.len() + 1);
    let mut col = 0usize;
    for (i, c) in text.char_indices() {
        offs.push(i);
        cols.push(col);
        col += columns(c);
    }
    offs.push(text.len());
    cols.push(col);
    let total = col;
    let char_at = |byte: usize| offs.partition_point(|&o| o < byte);
    let col_of = |byte: usize| cols.get(char_at(byte)).copied().unwrap_or(total);
    let byte_at_col = |c: usize| {
        let i = cols.partition_point(|&x| x < c);
        offs.get(i).copied().unwrap_or(text.len())
    };

    // The anchor: the span whose window covers the most distinct groups (earliest on ties).
    let mut anchor: Option<usize> = None;
    let mut best = 0usize;
    for s in spans {
        let start = col_of(s.range.start);
        let groups: HashSet<usize> = spans
            .iter()
            .filter(|o| {
                let c = col_of(o.range.start);
                c >= start && c < start + SNIPPET_WIDTH - SNIPPET_LEAD
            })
            .map(|o| o.group)
            .collect();
        if groups.len() > best {
            best = groups.len();
            anchor = Some(s.range.start);
        }
    }
    let (start_col, end_col) = match anchor {
        None => (0, SNIPPET_WIDTH.min(total)),
        Some(a) => {
            let a_char = char_at(a);
            let a_col = col_of(a);
            // Back up for context, but not past the start of the sentence.
            let mut s = a_char;
            while s > 0 {
                let prev_col = cols.get(s - 1).copied().unwrap_or(0);
                if a_col - prev_col > SNIPPET_LEAD {
                    break;
                }
                let prev = text
                    .get(offs[s - 1]..offs[s])
                    .and_then(|p| p.chars().next())
                    .unwrap_or(' ');
                if matches!(prev, '。' | '！' | '？' | '；' | '.' | '!' | '?' | ';' | '\n') {
                    break;
                }
                s -= 1;
            }
            let mut start_col = cols.get(s).copied().unwrap_or(0);
            if start_col + SNIPPET_WIDTH > total {
                start_col = total.saturating_sub(SNIPPET_WIDTH).min(start_col);
            }
            (start_col, (start_col + SNIPPET_WIDTH).min(total))
        }
    };
    let start = byte_at_col(start_col);
    let end = byte_at_col(end_col);
    let ranges = merge_in(text, spans.iter().map(|s| s.range.clone()).collect());
    let mut w = HtmlWriter::default();
    let before = text.get(..start).unwrap_or("");
    if !before.trim().is_empty() {
        w.out.push('…');
    }
    w.render(text, start..end, &ranges);
    let mut out = w.out.trim().to_string();
    let after = text.get(end..).unwrap_or("");
    if !after.trim().is_empty() {
        out.push('…');
    }
    out
}

/// Writes escaped HTML, collapsing runs of white space to one space.
#[derive(Default)]
struct HtmlWriter {
    out: String,
    space: bool,
}

impl HtmlWriter {
    fn text(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_whitespace() {
                if !self.space && !self.out.is_empty() && !self.out.ends_with('…') {
                    self.out.push(' ');
                }
                self.space = true;
                continue;
            }
            self.space = false;
            match c {
                '&' => self.out.push_str("&amp;"),
                '<' => self.out.push_str("&lt;"),
                '>' => self.out.push_str("&gt;"),
                '"' => self.out.push_str("&quot;"),
                '\'' => self.out.push_str("&#39;"),
                c => self.out.push(c),
            }
        }
    }

    /// Renders `text[window]` with the parts in `ranges` (sorted, disjoint) marked.
    fn render(&mut self, text: &str, window: Range<usize>, ranges: &[Range<usize>]) {
        let mut at = window.start;
        for r in ranges {
            let s = r.start.max(window.start);
            let e = r.end.min(window.end);
            if s >= e || s < at {
                continue;
            }
            self.text(text.get(at..s).unwrap_or(""));
            self.out.push_str("<mark>");
            self.space = false;
            self.text(text.get(s..e).unwrap_or(""));
            self.out.push_str("</mark>");
            at = e;
        }
        self.text(text.get(at..window.end).unwrap_or(""));
    }
}
