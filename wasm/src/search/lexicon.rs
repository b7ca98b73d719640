//! The search vocabulary: everyday words that stand for the guide's own terms.
//!
//! The data is content (`content/search-terms.yaml`, validated by the build tool); the engine
//! only receives, per language, a list of [`Concept`]s and ships them inside the index, so the
//! page and the CLI expand a query through the same words. A concept's `terms` are words of
//! the guide (they must occur in it); its `words` are what people type instead
//! (`退出监测` for `风险消除`, `delete` for `remove`). Both are keys of the query segmenter:
//! a key is cut into the same units as a query (Chinese characters, stemmed words, numbers),
//! so `Deleted` meets the key `delete` and `监测户` meets `监测户` whatever the width or case.

use std::collections::HashMap;

#[cfg(feature = "serde")]
use serde::Deserialize;

use crate::text::{tokenize, TokenKind};

/// One concept of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Concept {
    /// The guide's own words for the concept, as written in the text.
    pub terms: Vec<String>,
    /// Everyday words, misspellings and synonyms people type instead.
    #[cfg_attr(feature = "serde", serde(default))]
    pub words: Vec<String>,
    /// Which questions the concept serves and why (for the people who maintain the file).
    #[cfg_attr(feature = "serde", serde(default))]
    pub serves: Option<String>,
    /// The glossary term (its Chinese form) the everyday words are shown beside, if any.
    #[cfg_attr(feature = "serde", serde(default))]
    pub glossary: Option<String>,
}

/// What a key of the segmenter stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeyOf {
    /// Index of the concept.
    pub concept: u32,
    /// True if the key is one of the concept's terms (a word of the guide).
    pub is_term: bool,
}

/// The vocabulary of one language, ready for the query segmenter.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    concepts: Vec<Concept>,
    /// Key → index into `meanings` (a map of the same type as the index's terms, so the page's
    /// engine carries one map's code).
    keys: HashMap<String, u32>,
    meanings: Vec<Vec<KeyOf>>,
    longest: usize,
}

/// The units of a text, joined into a segmenter key: Chinese characters, stemmed words and
/// numbers, in order (`Deleted households` → `delet household`).
pub(crate) fn units(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut last_number: Option<u32> = None;
    for t in tokenize(text) {
        match t.kind {
            TokenKind::HanUnigram | TokenKind::Word => out.push(t.term),
            TokenKind::Number if last_number != Some(t.pos) => {
                last_number = Some(t.pos);
                out.push(t.term);
            }
            TokenKind::Number | TokenKind::HanBigram | TokenKind::Quantity => {}
        }
    }
    out
}

impl Lexicon {
    /// The vocabulary of these concepts (in order; their index is their identity).
    pub fn new(concepts: Vec<Concept>) -> Self {
        let mut lex = Lexicon {
            concepts: Vec::new(),
            keys: HashMap::new(),
            meanings: Vec::new(),
            longest: 0,
        };
        for concept in concepts {
            lex.add(concept);
        }
        lex
    }

    /// Adds one concept.
    pub fn add(&mut self, concept: Concept) {
        let id = u32::try_from(self.concepts.len()).unwrap_or(u32::MAX);
        let keys = concept
            .terms
            .iter()
            .map(|t| (t, true))
            .chain(concept.words.iter().map(|w| (w, false)));
        for (key, is_term) in keys {
            let units = units(key);
            if units.is_empty() {
                continue;
            }
            self.longest = self.longest.max(units.len());
            let key = units.join(" ");
            let slot = match self.keys.get(&key) {
                Some(&slot) => slot,
                None => {
                    let slot = u32::try_from(self.meanings.len()).unwrap_or(u32::MAX);
                    self.meanings.push(Vec::new());
                    self.keys.insert(key, slot);
                    slot
                }
            };
            let of = KeyOf { concept: id, is_term };
            if let Some(list) = self.meanings.get_mut(slot as usize) {
                if !list.contains(&of) {
                    list.push(of);
                }
            }
        }
        self.concepts.push(concept);
    }

    /// The concepts, in order.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// True if there is no concept.
    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    /// The most units in one key.
    pub(crate) fn longest(&self) -> usize {
        self.longest
    }

    /// What the key made of these units stands for.
    pub(crate) fn lookup(&self, key: &str) -> Option<&[KeyOf]> {
        self.keys
            .get(key)
            .and_then(|&slot| self.meanings.get(slot as usize))
            .map(Vec::as_slice)
    }

    /// The concept with this index.
    pub(crate) fn concept(&self, id: u32) -> Option<&Concept> {
        self.concepts.get(id as usize)
    }
}
