//! Query understanding: from what was typed to groups of alternatives.
//!
//! A query is cut into *units* (Chinese characters, stemmed words, numbers) by the one
//! tokenizer, then segmented left to right:
//!
//! 1. **Quantities** (`五天`, `半个月`, `6个月`, `百分之二`: see [`crate::text`]) become one group
//!    each, their normalised term (`5天`, `15天`, `6个月`, `2%`) being what is matched.
//! 2. **Lexicon keys**, longest first: a guide term or an everyday word of the vocabulary
//!    ([`super::lexicon`]) becomes a group whose alternatives are the text as typed (weight 1)
//!    and the concept's guide terms ([`EXPANSION_WEIGHT`]).
//! 3. **Question words** are dropped: Chinese phrases such as 怎么, 能不能, 有没有, 是不是, 算不算,
//!    多久 and particles such as 吗, 呢 anywhere ([`STOP_ZH`]); auxiliaries such as 要, 能, 还 only at
//!    the edge of a run ([`EDGE_ZH`]), since they are also parts of words (需要, 能力); English
//!    question words ([`STOP_EN`]).
//! 4. What is left forms runs: each Chinese run is one group (all its bigrams, or its one
//!    character), each word and number one group.
//!
//! A Chinese group of four characters also matches with its halves swapped (`消除风险` finds
//! `风险消除`), and any Chinese or multi-word group whose parts occur apart scores a little
//! ([`LOOSE_CREDIT`]). When nothing is left after dropping question words, the query is taken
//! as typed.

use super::lexicon::{self, Lexicon};
use crate::text::{tokenize, Token, TokenKind};

/// Weight of a lexicon expansion relative to the words as typed.
pub const EXPANSION_WEIGHT: f64 = 0.6;
/// Weight of another guide term of the concept a typed guide term belongs to (风险消除 for
/// 消除风险).
pub const OTHER_TERM_WEIGHT: f64 = 0.9;
/// Weight of a run without the auxiliaries at its edges (公示 for 公示要).
pub const TRIMMED_WEIGHT: f64 = 0.9;
/// Weight of a four-character group with its halves swapped.
pub const SWAP_WEIGHT: f64 = 0.8;
/// Share of the score for a group whose parts occur but not together.
pub const LOOSE_CREDIT: f64 = 0.4;
/// Weight of a one-character Chinese group (left over between words).
const SINGLE_WEIGHT: f64 = 0.3;

/// Chinese question words and particles dropped anywhere in a query (longest first is not
/// needed: the segmenter tries every entry at a position and takes the longest).
pub const STOP_ZH: &[&str] = &[
    "怎么办",
    "怎么样",
    "怎么",
    "怎样",
    "如何",
    "咋办",
    "咋样",
    "咋",
    "能不能",
    "能否",
    "可不可以",
    "可以吗",
    "可以",
    "有没有",
    "是不是",
    "算不算",
    "要不要",
    "会不会",
    "用不用",
    "需不需要",
    "需要",
    "够不够",
    "行不行",
    "对不对",
    "好不好",
    "还是",
    "一定",
    "必须",
    "什么",
    "啥",
    "哪些",
    "哪个",
    "哪里",
    "哪儿",
    "哪",
    "多久",
    "多少",
    "几",
    "什么样",
    "什么时候",
    "为什么",
    "为啥",
    "请问",
    "我家",
    "我们",
    "我",
    "俺家",
    "俺",
    "你们",
    "咱们",
    "咱",
    "吗",
    "呢",
    "吧",
    "啊",
    "呀",
    "嘛",
    "了",
    "的",
    "么",
    "谁",
    "是否",
    "应该",
    "意思",
    "指的是",
    "是指",
    "一下",
    "具体",
];

/// Chinese auxiliaries dropped only at the start or end of a run left over by the segmenter.
pub const EDGE_ZH: &[char] = &[
    '要', '能', '会', '还', '就', '都', '也', '该', '想', '在', '是', '有', '被', '给', '把', '让', '去', '来', '算',
    '可', '才', '又', '再', '过', '着', '和', '与', '跟', '或', '及', '对', '得', '后', '时', '里', '上', '下', '吃',
];

/// English question words dropped from a query (the tokenizer's stop words are dropped
/// everywhere already).
pub const STOP_EN: &[&str] = &[
    "can",
    "could",
    "should",
    "must",
    "may",
    "might",
    "will",
    "would",
    "shall",
    "i",
    "we",
    "you",
    "my",
    "our",
    "your",
    "me",
    "us",
    "they",
    "their",
    "them",
    "there",
    "when",
    "who",
    "whom",
    "where",
    "why",
    "if",
    "please",
    "get",
    "got",
    "did",
    "done",
    "so",
    "just",
    "really",
    "also",
    "someone",
    "somebody",
    "anyone",
    "something",
    "thing",
    "still",
    "ever",
    "am",
    "was",
    "were",
    "been",
    "has",
    "have",
    "had",
    "tell",
    "know",
];

/// One way a group can match: terms at offsets (a phrase), and the pieces that give partial
/// credit when they occur apart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Alt<T> {
    pub terms: Vec<(T, u32)>,
    pub pieces: Vec<T>,
    pub weight: f64,
    /// True for the text as typed (or its normalised quantity).
    pub literal: bool,
    /// The text the alternative stands for (what a page marks when it matched).
    pub text: String,
}

/// A part of the query: any of its alternatives satisfies it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Group<T> {
    pub alts: Vec<Alt<T>>,
    /// Single characters of a Chinese group, for the last fallback.
    pub chars: Vec<T>,
    pub weight: f64,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan<T> {
    pub groups: Vec<Group<T>>,
}

/// A unit of the query with its byte range.
#[derive(Debug, Clone)]
struct Unit {
    key: String,
    han: bool,
    start: usize,
    end: usize,
    pos: u32,
}

fn query_units(tokens: &[Token]) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    for t in tokens {
        let han = t.kind == TokenKind::HanUnigram;
        let keep = match t.kind {
            TokenKind::HanUnigram | TokenKind::Word => true,
            TokenKind::Number => out.last().is_none_or(|u| u.pos != t.pos || u.han),
            TokenKind::HanBigram | TokenKind::Quantity => false,
        };
        if keep {
            out.push(Unit {
                key: t.term.clone(),
                han,
                start: t.start,
                end: t.end,
                pos: t.pos,
            });
        }
    }
    out
}

/// The alternative matching `text` as a phrase: its bigrams (or single character), words
/// and numbers at their relative positions; pieces for the loose match.
pub(crate) fn phrase(text: &str, weight: f64, literal: bool) -> Option<Alt<String>> {
    let tokens = tokenize(text);
    let bigram_at: Vec<u32> = tokens
        .iter()
        .filter(|t| t.kind == TokenKind::HanBigram)
        .map(|t| t.pos)
        .collect();
    let mut terms: Vec<(String, u32)> = Vec::new();
    let mut han_chars: Vec<String> = Vec::new();
    let mut last_number: Option<u32> = None;
    for t in &tokens {
        match t.kind {
            TokenKind::HanBigram | TokenKind::Word => terms.push((t.term.clone(), t.pos)),
            TokenKind::HanUnigram => {
                han_chars.push(t.term.clone());
                let alone = !bigram_at.contains(&t.pos) && (t.pos == 0 || !bigram_at.contains(&(t.pos - 1)));
                if alone {
                    terms.push((t.term.clone(), t.pos));
                }
            }
            TokenKind::Number if last_number != Some(t.pos) => {
                last_number = Some(t.pos);
                terms.push((t.term.clone(), t.pos));
            }
            TokenKind::Number | TokenKind::Quantity => {}
        }
    }
    let base = terms.iter().map(|t| t.1).min()?;
    for t in &mut terms {
        t.1 -= base;
    }
    // Pieces: for Chinese, consecutive two-character words (the last one overlapping when the
    // length is odd); otherwise the terms themselves.
    let pieces = if han_chars.len() >= 3
        && han_chars.len() == tokens.iter().filter(|t| t.kind == TokenKind::HanUnigram).count()
        && terms.iter().all(|t| t.0.chars().count() == 2)
    {
        let n = han_chars.len();
        let mut p = Vec::new();
        let mut i = 0;
        while i + 1 < n {
            p.push(format!("{}{}", han_chars[i], han_chars[i + 1]));
            i += 2;
        }
        if n % 2 == 1 {
            p.push(format!("{}{}", han_chars[n - 2], han_chars[n - 1]));
        }
        p
    } else if terms.len() >= 2 {
        terms.iter().map(|t| t.0.clone()).collect()
    } else {
        Vec::new()
    };
    Some(Alt {
        terms,
        pieces,
        weight,
        literal,
        text: text.to_string(),
    })
}

fn quantity_alt(term: &str) -> Alt<String> {
    Alt {
        terms: vec![(term.to_string(), 0)],
        pieces: Vec::new(),
        weight: 1.0,
        literal: true,
        text: term.to_string(),
    }
}

/// The group of a run of text typed by the user (not a lexicon key).
fn literal_group(text: &str, han_chars: &[String]) -> Option<Group<String>> {
    let mut alts = vec![phrase(text, 1.0, true)?];
    if han_chars.len() == 4 {
        let swapped: String = han_chars[2..]
            .iter()
            .chain(&han_chars[..2])
            .map(String::as_str)
            .collect();
        if let Some(a) = phrase(&swapped, SWAP_WEIGHT, false) {
            alts.push(a);
        }
    }
    let weight = if han_chars.len() == 1 && alts[0].terms.len() == 1 {
        SINGLE_WEIGHT
    } else {
        1.0
    };
    Some(Group {
        alts,
        chars: han_chars.to_vec(),
        weight,
    })
}

fn stop_len(units: &[Unit], i: usize) -> usize {
    let mut best = 0;
    for stop in STOP_ZH {
        let n = stop.chars().count();
        if n > best
            && i + n <= units.len()
            && units[i..i + n].iter().all(|u| u.han)
            && units[i..i + n].iter().map(|u| u.key.as_str()).eq(stop
                .chars()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .iter()
                .map(String::as_str))
        {
            best = n;
        }
    }
    if best == 0 && !units[i].han && STOP_EN.contains(&units[i].key.as_str()) {
        best = 1;
    }
    best
}

/// True if `b` follows `a` in one run: Chinese characters with nothing between them, words
/// in order (stop words between them allowed).
fn adjacent(a: &Unit, b: &Unit) -> bool {
    a.han == b.han && (if a.han { b.start == a.end } else { b.pos > a.pos })
}

impl Plan<String> {
    /// Parses `query` (already checked to be non-empty text) with the vocabulary `lex`.
    pub(crate) fn parse(query: &str, lex: &Lexicon, max_terms: usize) -> Option<Self> {
        let tokens = tokenize(query);
        let units = query_units(&tokens);
        let mut groups = segment(query, &tokens, &units, lex, true);
        if groups.is_empty() {
            groups = segment(query, &tokens, &units, lex, false);
        }
        // A query of Chinese characters only is also searched as written: where the text has it
        // whole, that is the best match whatever the question words in it.
        let one_run =
            units.len() >= 2 && units.iter().all(|u| u.han) && units.windows(2).all(|w| adjacent(&w[0], &w[1]));
        if one_run && !groups.iter().any(|g| g.alts.first().is_some_and(|a| a.text == query)) {
            let chars: Vec<String> = units.iter().map(|u| u.key.clone()).collect();
            if let Some(mut whole) = literal_group(query, &chars) {
                whole.alts.iter_mut().for_each(|a| a.pieces.clear());
                whole.alts.truncate(1);
                if !groups
                    .iter()
                    .any(|g| g.alts.first().map(|a| &a.terms) == whole.alts.first().map(|a| &a.terms))
                {
                    groups.insert(0, whole);
                }
            }
        }
        // Bound the work: at most `max_terms` terms in all.
        let mut total = 0usize;
        groups.retain(|g| {
            total += g.alts.first().map_or(0, |a| a.terms.len());
            total <= max_terms
        });
        let mut seen: Vec<Vec<(String, u32)>> = Vec::new();
        groups.retain(|g| {
            let key = g.alts.first().map(|a| a.terms.clone()).unwrap_or_default();
            if seen.contains(&key) {
                false
            } else {
                seen.push(key);
                true
            }
        });
        (!groups.is_empty()).then_some(Plan { groups })
    }

    /// The plan with every term replaced by `lookup(term)`.
    pub(crate) fn resolve<T: Copy>(&self, lookup: impl Fn(&str) -> T) -> Plan<T> {
        Plan {
            groups: self
                .groups
                .iter()
                .map(|g| Group {
                    alts: g
                        .alts
                        .iter()
                        .map(|a| Alt {
                            terms: a.terms.iter().map(|(t, o)| (lookup(t), *o)).collect(),
                            pieces: a.pieces.iter().map(|t| lookup(t)).collect(),
                            weight: a.weight,
                            literal: a.literal,
                            text: a.text.clone(),
                        })
                        .collect(),
                    chars: g.chars.iter().map(|t| lookup(t)).collect(),
                    weight: g.weight,
                })
                .collect(),
        }
    }
}

/// A quantity of the query: its byte range and normalised term.
struct Quantity {
    start: usize,
    end: usize,
    term: String,
}

fn quantities(tokens: &[Token]) -> Vec<Quantity> {
    let mut out: Vec<Quantity> = Vec::new();
    for t in tokens {
        // `2%` is a number token with the sign kept; the tokenizer's own quantities.
        let quantity = t.kind == TokenKind::Quantity || (t.kind == TokenKind::Number && t.term.ends_with('%'));
        if quantity && !out.iter().any(|q| q.start == t.start) {
            out.push(Quantity {
                start: t.start,
                end: t.end,
                term: t.term.clone(),
            });
        }
    }
    out
}

/// Characters that join two words (和, 与…) or put a modal between them (收入要稳定): a run of
/// the query is cut there, as the two sides are separate words.
const JOINERS: &[char] = &['和', '与', '及', '或', '跟'];

/// Runs longer than this (characters) left over by the segmenter are searched as their
/// two-character pieces, each a group: a long run of unknown words as one phrase finds nothing.
const LONGEST_RUN: usize = 4;

/// Segments the units (see the module documentation); `strip` drops question words.
fn segment(query: &str, tokens: &[Token], units: &[Unit], lex: &Lexicon, strip: bool) -> Vec<Group<String>> {
    let mut groups = Vec::new();
    let quantities = quantities(tokens);
    let mut run: Vec<usize> = Vec::new();
    let is_edge = |i: usize| units[i].han && units[i].key.chars().next().is_some_and(|c| EDGE_ZH.contains(&c));
    // The group of a run of characters: as typed, and (when `trim`) also without the
    // auxiliaries at its edges (公示要 → 公示), a little below.
    let run_group = |r: &[usize], trim: bool| -> Option<Group<String>> {
        let (&a, &b) = (r.first()?, r.last()?);
        let text = query.get(units[a].start..units[b].end).unwrap_or("");
        let chars: Vec<String> = r.iter().map(|&i| units[i].key.clone()).collect();
        let mut g = literal_group(text, &chars)?;
        if trim {
            let mut t: &[usize] = r;
            while t.first().is_some_and(|&i| is_edge(i)) {
                t = &t[1..];
            }
            while t.last().is_some_and(|&i| is_edge(i)) {
                t = &t[..t.len() - 1];
            }
            if t.is_empty() {
                // Nothing but auxiliaries: a weak group of its own.
                g.weight = g.weight.min(SINGLE_WEIGHT);
            } else if t.len() < r.len() {
                let (&x, &y) = (t.first()?, t.last()?);
                let trimmed = query.get(units[x].start..units[y].end).unwrap_or("");
                if let Some(alt) = phrase(trimmed, TRIMMED_WEIGHT, true) {
                    g.alts.push(alt);
                }
                if t.len() == 1 {
                    g.weight = g.weight.min(SINGLE_WEIGHT.max(0.5));
                }
            }
        }
        Some(g)
    };
    let flush = |run: &mut Vec<usize>, groups: &mut Vec<Group<String>>| {
        // Cut at joiners, then trim auxiliaries at both edges of each part.
        let mut parts: Vec<Vec<usize>> = vec![Vec::new()];
        for &i in run.iter() {
            let joiner = strip && units[i].han && units[i].key.chars().next().is_some_and(|c| JOINERS.contains(&c));
            if joiner {
                parts.push(Vec::new());
            } else if let Some(last) = parts.last_mut() {
                last.push(i);
            }
        }
        // A run cut in parts is also searched as written, where it occurs as a whole.
        let cut = parts.len() > 1 || parts.first().is_some_and(|p| p.len() > LONGEST_RUN);
        if cut && run.len() > 1 && run.iter().all(|&i| units[i].han) {
            if let Some(mut whole) = run_group(run, false) {
                whole.alts.iter_mut().for_each(|a| a.pieces.clear());
                groups.push(whole);
            }
        }
        for part in parts {
            let (Some(&a), Some(&b)) = (part.first(), part.last()) else {
                continue;
            };
            if !units[a].han {
                // Words: one group each.
                for &i in &part {
                    let text = query.get(units[i].start..units[i].end).unwrap_or("");
                    groups.extend(literal_group(text, &[]));
                }
                continue;
            }
            if part.len() > LONGEST_RUN {
                // A long run of unknown words: the run as written where it occurs, and its
                // parts cut at the auxiliaries, then two-character pieces, each a group.
                let mut sub: Vec<Vec<usize>> = vec![Vec::new()];
                for &i in &part {
                    if strip && is_edge(i) {
                        sub.push(Vec::new());
                    } else if let Some(last) = sub.last_mut() {
                        last.push(i);
                    }
                }
                for r in sub.into_iter().filter(|r| !r.is_empty()) {
                    if r.len() <= LONGEST_RUN {
                        groups.extend(run_group(&r, false));
                        continue;
                    }
                    let mut k = 0;
                    while k + 1 < r.len() {
                        groups.extend(run_group(&r[k..k + 2], false));
                        k += 2;
                    }
                    if k < r.len() {
                        groups.extend(run_group(&r[r.len() - 2..], false));
                    }
                }
                continue;
            }
            let _ = b;
            groups.extend(run_group(&part, strip));
        }
        run.clear();
    };
    let mut i = 0;
    while i < units.len() {
        // The longest lexicon key starting here.
        let mut matched = None;
        let longest = lex.longest().min(units.len() - i);
        for n in (1..=longest).rev() {
            if !units[i..i + n].windows(2).all(|w| adjacent(&w[0], &w[1])) {
                continue;
            }
            // A single character is never a key: it would take a character from its word.
            if n == 1 && units[i].han {
                continue;
            }
            if let Some(of) = lex.lookup(&key_of(&units[i..i + n])) {
                matched = Some((n, of));
                break;
            }
        }
        // A quantity starting here, unless a longer key covers it (一年一变 is a word).
        let quantity = quantities
            .iter()
            .find(|q| q.start == units[i].start)
            .filter(|q| matched.is_none_or(|(n, _)| units.get(i + n - 1).is_some_and(|u| u.end < q.end)));
        if let Some(q) = quantity {
            flush(&mut run, &mut groups);
            groups.push(Group {
                alts: vec![quantity_alt(&q.term)],
                chars: Vec::new(),
                weight: 1.0,
            });
            while i < units.len() && units[i].start < q.end {
                i += 1;
            }
            continue;
        }
        let stop = if strip { stop_len(units, i) } else { 0 };
        match matched {
            Some((n, of)) if n >= stop => {
                flush(&mut run, &mut groups);
                let key = key_of(&units[i..i + n]);
                let text = query.get(units[i].start..units[i + n - 1].end).unwrap_or("");
                let chars: Vec<String> = units[i..i + n]
                    .iter()
                    .filter(|u| u.han)
                    .map(|u| u.key.clone())
                    .collect();
                if let Some(mut g) = literal_group(text, &chars) {
                    for k in of {
                        let Some(concept) = lex.concept(k.concept) else {
                            continue;
                        };
                        // Another term of the same concept is the guide's word too; an everyday
                        // word's terms are an expansion.
                        let weight = if k.is_term { OTHER_TERM_WEIGHT } else { EXPANSION_WEIGHT };
                        for term in &concept.terms {
                            if lexicon::units(term).join(" ") == key {
                                continue;
                            }
                            if let Some(a) = phrase(term, weight, false) {
                                if !g.alts.iter().any(|b| b.terms == a.terms) {
                                    g.alts.push(a);
                                }
                            }
                        }
                    }
                    g.weight = 1.0;
                    groups.push(g);
                }
                i += n;
            }
            _ if stop > 0 => {
                flush(&mut run, &mut groups);
                i += stop;
            }
            _ => {
                if let Some(&last) = run.last() {
                    if !adjacent(&units[last], &units[i]) {
                        flush(&mut run, &mut groups);
                    }
                }
                run.push(i);
                i += 1;
            }
        }
    }
    flush(&mut run, &mut groups);
    groups
}

fn key_of(units: &[Unit]) -> String {
    units.iter().map(|u| u.key.as_str()).collect::<Vec<_>>().join(" ")
}
