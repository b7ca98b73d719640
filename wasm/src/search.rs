//! The search index and the query engine, shared by the CLI (`policybook search`) and the pages.
//!
//! # Building and shipping an index
//!
//! The build tool adds one [`Document`] per page (question, notice, 附则, glossary entry…) to an
//! [`IndexBuilder`], one builder per language, and writes [`Index::to_json`] into a JS file as a
//! string. The page (through the wasm bindings) and the CLI read it back with
//! [`Index::from_json`] and call [`Index::query`].
//! To ship it in a JS file, write it as a JS string literal (e.g. `serde_json::to_string` of the
//! JSON text) and, if inlined in HTML, escape `</` so a `</script>` in the text cannot end the tag.
//!
//! The serialised form holds the documents only (`{"v":1,"docs":[[url,number,title,body,lang],…]}`):
//! the postings are rebuilt by the same [`crate::text::tokenize`] when the index is loaded.
//! The documents' text is needed for snippets anyway, so this is the smallest possible index
//! (about the size of the text itself), and the postings in the page can never come from a
//! different tokenizer than the query. Rebuilding takes about 2 ms for this corpus (native, release).
//!
//! # Ranking
//!
//! BM25F (k1 = 1.2, b = 0.75) over two fields, the title weighted [`TITLE_WEIGHT`] times the
//! body. A query is cut into *groups*: each Chinese run (needing all its overlapping bigrams, or
//! its single character), each word and each number. The engine tries, in order:
//!
//! 1. **all groups** present in a document (AND);
//! 2. if no document has them all, **any term** (OR), scaled by the share of each group found;
//! 3. if still nothing, the **single characters** of the Chinese runs (so `上学` still finds
//!    `就学`).
//!
//! A Chinese run found as an exact substring counts fully; its bigrams found apart count half,
//! and the score is scaled by the square of that quality, so documents containing the exact
//! phrase rank first. A query of several groups found next to each other, in order, gets a
//! further ×1.5. Scores in [`Hit`] are relative to the best hit (which scores 1.0).
//!
//! # Safety
//!
//! A query is text. Queries that are empty, longer than [`MAX_QUERY_BYTES`], or contain control
//! characters or U+FFFD (binary data) give no results; at most [`MAX_QUERY_TERMS`] terms are
//! used. Snippets escape everything except the `<mark>` elements they add.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::text::{is_cjk, tokenize, Token, TokenKind};

pub(crate) mod wire;

/// Version of the serialised index format written by [`Index::to_json`].
pub const FORMAT_VERSION: u32 = 1;
/// Queries longer than this (in UTF-8 bytes, after trimming) give no results.
pub const MAX_QUERY_BYTES: usize = 1024;
/// At most this many terms of a query are used; the rest is ignored.
pub const MAX_QUERY_TERMS: usize = 64;
/// Weight of a title match relative to a body match.
pub const TITLE_WEIGHT: f64 = 4.0;
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;
/// BM25 length normalisation.
const B: f64 = 0.75;
/// Bonus for a multi-group query found as one phrase.
const PHRASE_BONUS: f64 = 1.5;
/// Width of a snippet in display columns (a Chinese character counts two).
const SNIPPET_WIDTH: usize = 160;
/// Columns of context shown before the first match of a snippet.
const SNIPPET_LEAD: usize = 24;

/// One searchable page, as given by the build tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Collects documents and builds an [`Index`].
#[derive(Debug, Clone, Default)]
pub struct IndexBuilder {
    docs: Vec<Document>,
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
        let mut postings: Vec<Vec<Posting>> = Vec::new();
        let mut entries = Vec::with_capacity(self.docs.len());
        let mut title_total = 0usize;
        let mut body_total = 0usize;
        for (doc_id, doc) in self.docs.into_iter().enumerate() {
            let doc_id = to_u32(doc_id);
            let title = intern_all(&tokenize(&doc.title), &mut terms, &mut postings);
            let body = intern_all(&tokenize(&doc.body), &mut terms, &mut postings);
            title_total += title.len();
            body_total += body.len();
            let mut tf: HashMap<u32, (u32, u32)> = HashMap::new();
            for t in &title {
                tf.entry(t.term).or_default().0 += 1;
            }
            for t in &body {
                tf.entry(t.term).or_default().1 += 1;
            }
            for (term, (title_tf, body_tf)) in tf {
                if let Some(list) = postings.get_mut(term as usize) {
                    list.push(Posting {
                        doc: doc_id,
                        title_tf,
                        body_tf,
                    });
                }
            }
            entries.push(Entry { doc, title, body });
        }
        let n = entries.len().max(1) as f64;
        Index {
            avg_title: (title_total as f64 / n).max(1.0),
            avg_body: (body_total as f64 / n).max(1.0),
            entries,
            terms,
            postings,
        }
    }
}

/// A token with its term interned; byte offsets into the document field.
#[derive(Debug, Clone, Copy)]
struct Tok {
    term: u32,
    pos: u32,
    start: u32,
    end: u32,
}

#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    title_tf: u32,
    body_tf: u32,
}

#[derive(Debug, Clone)]
struct Entry {
    doc: Document,
    title: Vec<Tok>,
    body: Vec<Tok>,
}

/// A searchable index of one language's pages.
#[derive(Debug, Clone)]
pub struct Index {
    entries: Vec<Entry>,
    terms: HashMap<String, u32>,
    /// Per term, the documents containing it, in document order.
    postings: Vec<Vec<Posting>>,
    avg_title: f64,
    avg_body: f64,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    v: u32,
    docs: Vec<(String, Option<u32>, String, String, String)>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn intern_all(tokens: &[Token], terms: &mut HashMap<String, u32>, postings: &mut Vec<Vec<Posting>>) -> Vec<Tok> {
    tokens
        .iter()
        .map(|t| {
            let id = match terms.get(&t.term) {
                Some(&id) => id,
                None => {
                    let id = to_u32(postings.len());
                    postings.push(Vec::new());
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

impl Index {
    /// Reads an index written by [`Index::to_json`] and rebuilds its postings.
    pub fn from_json(json: &str) -> Result<Index, IndexError> {
        // Read without serde (see `wire`): this runs in the page's search engine.
        let (v, docs) = wire::parse_index(json).map_err(|e| IndexError {
            message: format!("not a policybook search index ({e})"),
        })?;
        let wire = Wire { v, docs };
        if wire.v != FORMAT_VERSION {
            return Err(IndexError {
                message: format!(
                    "format version {} is not supported (expected {FORMAT_VERSION}); rebuild the site",
                    wire.v
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
        Ok(builder.build())
    }

    /// The compact serialised form: `{"v":1,"docs":[[url,number,title,body,lang],…]}`.
    pub fn to_json(&self) -> Result<String, IndexError> {
        let wire = Wire {
            v: FORMAT_VERSION,
            docs: self
                .entries
                .iter()
                .map(|e| {
                    let d = &e.doc;
                    (d.url.clone(), d.number, d.title.clone(), d.body.clone(), d.lang.clone())
                })
                .collect(),
        };
        serde_json::to_string(&wire).map_err(|e| IndexError {
            message: format!("cannot serialise ({e})"),
        })
    }

    /// The documents, in the order they were added.
    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.entries.iter().map(|e| &e.doc)
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the index has no document.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of distinct terms (for size reports).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Runs a query; at most `limit` hits, best first. Never panics; a query that is empty,
    /// too long or binary gives no hits.
    pub fn query(&self, query: &str, limit: usize) -> Vec<Hit> {
        if limit == 0 || self.entries.is_empty() {
            return Vec::new();
        }
        let Some(plan) = Plan::parse(query) else {
            return Vec::new();
        };
        let plan = plan.resolve(|t| self.terms.get(t).copied());
        let (level, candidates) = self.candidates(&plan);
        if candidates.is_empty() {
            return Vec::new();
        }
        let scoring_terms = plan.scoring_terms(level);
        let mut scored: Vec<(f64, u32)> = candidates
            .iter()
            .map(|&doc| (self.score(doc, &plan, level, &scoring_terms), doc))
            .filter(|(s, _)| *s > 0.0 && s.is_finite())
            .collect();
        // Quantise so that last-bit differences between native and wasm maths cannot reorder.
        scored.sort_by(|a, b| quantise(b.0).total_cmp(&quantise(a.0)).then_with(|| a.1.cmp(&b.1)));
        scored.truncate(limit);
        let best = scored.first().map_or(1.0, |s| s.0);
        scored
            .into_iter()
            .filter_map(|(score, doc)| {
                let entry = self.entries.get(doc as usize)?;
                let spans = spans_for(&entry.body, &plan, level);
                Some(Hit {
                    doc: doc as usize,
                    number: entry.doc.number,
                    title: entry.doc.title.clone(),
                    url: entry.doc.url.clone(),
                    score: score / best,
                    snippet: snippet(&entry.doc.body, &spans),
                })
            })
            .collect()
    }

    fn docs_with(&self, term: u32) -> &[Posting] {
        self.postings.get(term as usize).map_or(&[], Vec::as_slice)
    }

    fn posting(&self, term: u32, doc: u32) -> Option<Posting> {
        let list = self.docs_with(term);
        list.binary_search_by_key(&doc, |p| p.doc)
            .ok()
            .and_then(|i| list.get(i).copied())
    }

    fn candidates(&self, plan: &ResolvedPlan) -> (Level, Vec<u32>) {
        // 1. Every group, every term.
        let all: Option<Vec<u32>> = plan.groups.iter().flat_map(|g| g.terms.iter().map(|t| t.0)).collect();
        if let Some(mut required) = all {
            required.sort_unstable();
            required.dedup();
            required.sort_by_key(|&t| self.docs_with(t).len());
            if let Some((&first, rest)) = required.split_first() {
                let docs: Vec<u32> = self
                    .docs_with(first)
                    .iter()
                    .map(|p| p.doc)
                    .filter(|&d| rest.iter().all(|&t| self.posting(t, d).is_some()))
                    .collect();
                if !docs.is_empty() {
                    return (Level::All, docs);
                }
            }
        }
        // 2. Any term.
        let any = self.union(plan.groups.iter().flat_map(|g| g.terms.iter().map(|t| t.0)));
        if !any.is_empty() {
            return (Level::Any, any);
        }
        // 3. Single characters of the Chinese runs.
        let chars = self.union(plan.groups.iter().flat_map(|g| g.unigrams.iter().map(|t| t.0)));
        (Level::Chars, chars)
    }

    fn union(&self, terms: impl Iterator<Item = Option<u32>>) -> Vec<u32> {
        let mut docs: Vec<u32> = terms
            .flatten()
            .flat_map(|t| self.docs_with(t).iter().map(|p| p.doc))
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    fn idf(&self, term: u32) -> f64 {
        let n = self.entries.len() as f64;
        let df = self.docs_with(term).len() as f64;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    fn score(&self, doc: u32, plan: &ResolvedPlan, level: Level, terms: &[u32]) -> f64 {
        let Some(entry) = self.entries.get(doc as usize) else {
            return 0.0;
        };
        let title_norm = 1.0 - B + B * entry.title.len() as f64 / self.avg_title;
        let body_norm = 1.0 - B + B * entry.body.len() as f64 / self.avg_body;
        let mut bm25 = 0.0;
        for &t in terms {
            if let Some(p) = self.posting(t, doc) {
                let tf = TITLE_WEIGHT * f64::from(p.title_tf) / title_norm + f64::from(p.body_tf) / body_norm;
                bm25 += self.idf(t) * tf * (K1 + 1.0) / (tf + K1);
            }
        }
        if bm25 <= 0.0 {
            return 0.0;
        }
        let present = |t: Option<u32>| t.is_some_and(|t| self.posting(t, doc).is_some());
        let in_field = |seq: &[(Option<u32>, u32)]| {
            !phrase_occurrences(&entry.title, seq).is_empty() || !phrase_occurrences(&entry.body, seq).is_empty()
        };
        let quality = if level == Level::Chars {
            let all: Vec<Option<u32>> = plan
                .groups
                .iter()
                .flat_map(|g| g.unigrams.iter().map(|t| t.0))
                .collect();
            let found = all.iter().filter(|t| present(**t)).count();
            found as f64 / all.len().max(1) as f64
        } else {
            let sum: f64 = plan
                .groups
                .iter()
                .map(|g| {
                    let found = g.terms.iter().filter(|t| present(t.0)).count();
                    let share = found as f64 / g.terms.len().max(1) as f64;
                    if g.terms.len() > 1 && g.han {
                        if found == g.terms.len() && in_field(&g.terms) {
                            1.0
                        } else {
                            0.5 * share
                        }
                    } else {
                        share
                    }
                })
                .sum();
            sum / plan.groups.len().max(1) as f64
        };
        let mut score = bm25 * quality * quality;
        if level != Level::Chars && plan.groups.len() > 1 && in_field(&plan.sequence) {
            score *= PHRASE_BONUS;
        }
        score
    }
}

fn quantise(x: f64) -> f64 {
    (x * 1e9).round()
}

/// Which fallback produced the candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    All,
    Any,
    Chars,
}

/// A parsed query. Terms carry their offset, relative to the group (in `terms`, `unigrams`)
/// or to the query (in `sequence`), for phrase matching.
#[derive(Debug, Clone)]
struct Plan<T> {
    groups: Vec<Group<T>>,
    sequence: Vec<(T, u32)>,
}

#[derive(Debug, Clone)]
struct Group<T> {
    han: bool,
    terms: Vec<(T, u32)>,
    unigrams: Vec<(T, u32)>,
}

type ResolvedPlan = Plan<Option<u32>>;

/// True if the query must be refused outright.
fn refused(query: &str) -> bool {
    query.len() > MAX_QUERY_BYTES
        || query
            .chars()
            .any(|c| c == '\u{FFFD}' || (c.is_control() && !c.is_whitespace()))
}

impl Plan<String> {
    fn parse(query: &str) -> Option<Self> {
        let query = query.trim();
        if query.is_empty() || refused(query) {
            return None;
        }
        let tokens = tokenize(query);
        let mut groups: Vec<Group<String>> = Vec::new();
        let mut sequence: Vec<(String, u32)> = Vec::new();
        let mut han_base: Option<u32> = None;
        let mut total = 0usize;
        let mut i = 0;
        while i < tokens.len() && total < MAX_QUERY_TERMS {
            let t = &tokens[i];
            match t.kind {
                TokenKind::HanUnigram => {
                    let continues =
                        i > 0 && tokens[i - 1].kind == TokenKind::HanBigram && tokens[i - 1].pos + 1 == t.pos;
                    let current = groups.last_mut().filter(|g| g.han && continues);
                    match (current, han_base) {
                        (Some(g), Some(base)) => g.unigrams.push((t.term.clone(), t.pos - base)),
                        _ => {
                            han_base = Some(t.pos);
                            groups.push(Group {
                                han: true,
                                terms: Vec::new(),
                                unigrams: vec![(t.term.clone(), 0)],
                            });
                        }
                    }
                }
                TokenKind::HanBigram => {
                    if let (Some(g), Some(base)) = (groups.last_mut(), han_base) {
                        g.terms.push((t.term.clone(), t.pos - base));
                        sequence.push((t.term.clone(), t.pos));
                        total += 1;
                    }
                }
                TokenKind::Number | TokenKind::Word => {
                    let mut term = t.term.clone();
                    // `2%` gives `2` and `2%` at one position: the query wants the latter.
                    if let Some(next) = tokens.get(i + 1) {
                        if next.kind == TokenKind::Number && next.pos == t.pos {
                            term = next.term.clone();
                            i += 1;
                        }
                    }
                    sequence.push((term.clone(), t.pos));
                    groups.push(Group {
                        han: false,
                        terms: vec![(term, 0)],
                        unigrams: Vec::new(),
                    });
                    total += 1;
                }
            }
            i += 1;
        }
        for g in &mut groups {
            if g.han && g.terms.is_empty() {
                // A one-character run: the character itself is the term.
                g.terms = g.unigrams.clone();
                if let Some(u) = g.unigrams.first() {
                    sequence.push(u.clone());
                }
            }
        }
        sequence.sort_by_key(|s| s.1);
        if let Some(first) = sequence.first().map(|s| s.1) {
            for s in &mut sequence {
                s.1 -= first;
            }
        }
        // The same group twice adds nothing.
        let mut seen = HashSet::new();
        groups.retain(|g| seen.insert(g.terms.clone()));
        if groups.is_empty() {
            None
        } else {
            Some(Plan { groups, sequence })
        }
    }

    fn resolve<T: Copy>(&self, lookup: impl Fn(&str) -> T) -> Plan<T> {
        let map = |v: &[(String, u32)]| v.iter().map(|(t, o)| (lookup(t), *o)).collect();
        Plan {
            groups: self
                .groups
                .iter()
                .map(|g| Group {
                    han: g.han,
                    terms: map(&g.terms),
                    unigrams: map(&g.unigrams),
                })
                .collect(),
            sequence: map(&self.sequence),
        }
    }
}

impl ResolvedPlan {
    fn scoring_terms(&self, level: Level) -> Vec<u32> {
        let mut terms: Vec<u32> = self
            .groups
            .iter()
            .flat_map(|g| match level {
                Level::Chars => g.unigrams.iter(),
                Level::All | Level::Any => g.terms.iter(),
            })
            .filter_map(|t| t.0)
            .collect();
        terms.sort_unstable();
        terms.dedup();
        terms
    }
}

/// Byte ranges where `seq` (terms at relative offsets) occurs in `toks`.
fn phrase_occurrences(toks: &[Tok], seq: &[(Option<u32>, u32)]) -> Vec<Range<usize>> {
    let Some(&(Some(first), first_off)) = seq.first() else {
        return Vec::new();
    };
    if seq.iter().any(|s| s.0.is_none()) {
        return Vec::new();
    }
    let wanted: HashSet<u32> = seq.iter().filter_map(|s| s.0).collect();
    let mut at: HashMap<(u32, u32), (u32, u32)> = HashMap::new();
    for t in toks.iter().filter(|t| wanted.contains(&t.term)) {
        at.insert((t.term, t.pos), (t.start, t.end));
    }
    let mut out = Vec::new();
    for t in toks.iter().filter(|t| t.term == first) {
        let Some(base) = t.pos.checked_sub(first_off) else {
            continue;
        };
        let mut range = t.start as usize..t.end as usize;
        let all = seq.iter().all(|&(term, off)| {
            let Some(term) = term else { return false };
            match at.get(&(term, base + off)) {
                Some(&(s, e)) => {
                    range.start = range.start.min(s as usize);
                    range.end = range.end.max(e as usize);
                    true
                }
                None => false,
            }
        });
        if all {
            out.push(range);
        }
    }
    out
}

/// A highlighted range and the query group it belongs to.
#[derive(Debug, Clone)]
struct Span {
    range: Range<usize>,
    group: usize,
}

/// The matches of a query in a field: Chinese runs as whole phrases where they occur, else
/// their bigrams; words and numbers; at the `Chars` level, single characters.
fn spans_for(toks: &[Tok], plan: &ResolvedPlan, level: Level) -> Vec<Span> {
    let mut spans = Vec::new();
    let single = |spans: &mut Vec<Span>, terms: &[(Option<u32>, u32)], group: usize| {
        let ids: HashSet<u32> = terms.iter().filter_map(|t| t.0).collect();
        for t in toks.iter().filter(|t| ids.contains(&t.term)) {
            spans.push(Span {
                range: t.start as usize..t.end as usize,
                group,
            });
        }
    };
    for (group, g) in plan.groups.iter().enumerate() {
        if level == Level::Chars {
            single(&mut spans, &g.unigrams, group);
        } else if g.han && g.terms.len() > 1 {
            let whole = phrase_occurrences(toks, &g.terms);
            if whole.is_empty() {
                single(&mut spans, &g.terms, group);
            } else {
                spans.extend(whole.into_iter().map(|range| Span { range, group }));
            }
        } else {
            single(&mut spans, &g.terms, group);
        }
    }
    // A query of several words found as one phrase is marked as one.
    if level != Level::Chars && plan.groups.len() > 1 {
        let group = plan.groups.len();
        for range in phrase_occurrences(toks, &plan.sequence) {
            spans.push(Span { range, group });
        }
    }
    spans.sort_by_key(|s| (s.range.start, s.range.end));
    spans
}

/// Byte ranges (sorted, merged) of the matches of `query` in any `text`, e.g. to highlight the
/// words on the page a result leads to. Uses the same parsing and matching as [`Index::query`].
pub fn match_ranges(text: &str, query: &str) -> Vec<Range<usize>> {
    let Some(plan) = Plan::parse(query) else {
        return Vec::new();
    };
    let mut local: HashMap<String, u32> = HashMap::new();
    for g in &plan.groups {
        for (t, _) in g.terms.iter().chain(&g.unigrams) {
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
    let plan = plan.resolve(|t| local.get(t).copied());
    let mut spans = spans_for(&toks, &plan, Level::Any);
    if spans.is_empty() {
        spans = spans_for(&toks, &plan, Level::Chars);
    }
    merge(spans.into_iter().map(|s| s.range).collect())
}

/// Escapes a text and wraps the matches of `query` in `<mark>…</mark>`.
pub fn highlight_html(text: &str, query: &str) -> String {
    let mut w = HtmlWriter::default();
    w.render(text, 0..text.len(), &match_ranges(text, query));
    w.out
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
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
    let ranges = merge(spans.iter().map(|s| s.range.clone()).collect());
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
