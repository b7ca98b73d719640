//! `content/search-terms.yaml`: the search vocabulary (everyday words → the guide's terms),
//! read and checked against the guide, then handed to the engine per language.
//!
//! Checked, each with its file and line: the YAML and its fields (unknown fields are errors);
//! a concept without terms or without `serves`; a term the guide's text of that language does
//! not contain; a `glossary` reference to a term the glossary does not have; a word listed
//! twice (in one concept or two) or listed both as a word and as a term. The file is optional:
//! a guide without it simply searches the words as typed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use policybook_engine::search::{Concept, Lexicon};
use policybook_engine::text::normalize;
use serde::Deserialize;

use crate::content::Guide;
use crate::markdown::to_plain_text;
use crate::source::parse_yaml;
use crate::{Diagnostic, Error, Lang, Result};

/// The file's name in the content folder.
pub const FILE: &str = "search-terms.yaml";

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VocabularyFile {
    /// The Chinese concepts.
    #[serde(default)]
    zh: Vec<Concept>,
    /// The English concepts.
    #[serde(default)]
    en: Vec<Concept>,
}

/// The checked vocabulary of both languages.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    zh: Vec<Concept>,
    en: Vec<Concept>,
}

impl Vocabulary {
    /// The concepts of one language.
    pub fn concepts(&self, lang: Lang) -> &[Concept] {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The engine's lexicon for one language.
    pub fn lexicon(&self, lang: Lang) -> Lexicon {
        Lexicon::new(self.concepts(lang).to_vec())
    }

    /// The everyday words shown beside a glossary term (its Chinese form) on the glossary page
    /// of `lang`, in file order, without repeats.
    pub fn words_for(&self, lang: Lang, glossary_zh: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.concepts(lang) {
            if c.glossary.as_deref() == Some(glossary_zh) {
                for w in &c.words {
                    if !out.contains(w) {
                        out.push(w.clone());
                    }
                }
            }
        }
        out
    }
}

/// Reads and checks `content/search-terms.yaml` (an empty vocabulary if there is none).
pub fn load(guide: &Guide) -> Result<Vocabulary> {
    let path = guide.root.join(FILE);
    if !path.is_file() {
        return Ok(Vocabulary::default());
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, "read", e))?;
    let file: VocabularyFile = parse_yaml(&path, &text, 0).map_err(Error::from)?;
    let problems = check(guide, &path, &text, &file);
    if problems.is_empty() {
        Ok(Vocabulary {
            zh: file.zh,
            en: file.en,
        })
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The guide's text of one language, normalised, for the "term not in the guide" check.
fn guide_text(guide: &Guide, lang: Lang) -> String {
    let mut text = String::new();
    for q in &guide.questions {
        let t = q.text(lang);
        text.push_str(&t.title);
        text.push('\n');
        text.push_str(&to_plain_text(&t.markdown));
        text.push('\n');
    }
    for page in [&guide.notice, &guide.annex].into_iter().flatten() {
        let t = page.text(lang);
        text.push_str(&t.title);
        text.push('\n');
        text.push_str(&to_plain_text(&t.markdown));
        text.push('\n');
    }
    normalize(&text)
}

/// The first line of each concept (`- ` items) under the `zh:` and `en:` sections.
fn concept_lines(text: &str) -> HashMap<&'static str, Vec<usize>> {
    let mut out: HashMap<&'static str, Vec<usize>> = HashMap::new();
    let mut section: Option<&'static str> = None;
    let mut indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("zh:") {
            section = Some("zh");
            indent = None;
            continue;
        }
        if line.starts_with("en:") {
            section = Some("en");
            indent = None;
            continue;
        }
        let trimmed = line.trim_start();
        if let (Some(s), true) = (section, trimmed.starts_with("- ")) {
            let n = line.len() - trimmed.len();
            if indent.is_none_or(|k| k == n) {
                indent = Some(n);
                out.entry(s).or_default().push(i + 1);
            }
        }
    }
    out
}

/// The line, at or after `from` and before `to`, that contains `needle` (else `from`).
fn line_with(text: &str, from: usize, to: usize, needle: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .take(to.saturating_sub(from).max(1))
        .find(|(_, l)| l.contains(needle))
        .map_or(from, |(i, _)| i + 1)
}

fn check(guide: &Guide, path: &Path, text: &str, file: &VocabularyFile) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let lines = concept_lines(text);
    let total_lines = text.lines().count() + 1;
    let glossary: Vec<&str> = guide.glossary.iter().map(|t| t.zh.as_str()).collect();
    for (lang, concepts) in [(Lang::Zh, &file.zh), (Lang::En, &file.en)] {
        let code = lang.code();
        let guide_text = guide_text(guide, lang);
        let starts = lines.get(code).cloned().unwrap_or_default();
        // Where each key (normalised) was first listed: (line, as a term?).
        let mut seen: HashMap<String, (usize, bool)> = HashMap::new();
        // Terms first, so a word that repeats a term anywhere is caught whatever the order.
        for (i, c) in concepts.iter().enumerate() {
            let from = starts.get(i).copied().unwrap_or(1);
            let to = starts.get(i + 1).copied().unwrap_or(total_lines);
            for t in &c.terms {
                let key = normalize(t.trim());
                seen.entry(key).or_insert_with(|| (line_with(text, from, to, t), true));
            }
        }
        for (i, c) in concepts.iter().enumerate() {
            let from = starts.get(i).copied().unwrap_or(1);
            let to = starts.get(i + 1).copied().unwrap_or(total_lines);
            let at = |needle: &str| line_with(text, from, to, needle);
            let err = |line: usize, msg: String, hint: &str| Diagnostic::new(path, msg).at(line, None).hint(hint);
            if c.terms.is_empty() {
                problems.push(err(
                    from,
                    format!("{code} concept {} has no `terms`", i + 1),
                    "list the guide's own words for the concept, as written in the text",
                ));
            }
            if c.serves.as_deref().is_none_or(|s| s.trim().is_empty()) {
                problems.push(err(
                    from,
                    format!("{code} concept {} does not say which questions it `serves`", i + 1),
                    "add `serves:` with the question numbers and why the words belong here",
                ));
            }
            for t in &c.terms {
                let key = normalize(t.trim());
                if key.is_empty() || !guide_text.contains(&key) {
                    problems.push(err(
                        at(t),
                        format!("the {code} guide does not contain the term `{t}`"),
                        "a term must be written exactly as in the guide's text of that language; put everyday words under `words`",
                    ));
                }
            }
            if let Some(g) = &c.glossary {
                if !glossary.contains(&g.as_str()) {
                    problems.push(err(
                        at(g),
                        format!("`glossary: {g}` is not a term of glossary.yaml"),
                        "write the glossary term's Chinese form exactly as in content/glossary.yaml, or remove the field",
                    ));
                }
            }
            for w in &c.words {
                let key = normalize(w.trim());
                let line = at(w);
                if key.is_empty() {
                    problems.push(err(
                        line,
                        format!("an empty word in {code} concept {}", i + 1),
                        "remove it",
                    ));
                    continue;
                }
                match seen.get(&key) {
                    Some(&(first, true)) => problems.push(err(
                        line,
                        format!("`{w}` is listed as a word but is a term (line {first})"),
                        "a guide term is found as written; remove it from `words`",
                    )),
                    Some(&(first, false)) => problems.push(err(
                        line,
                        format!("`{w}` is listed twice (first at line {first})"),
                        "keep one entry; a word that means two things can name both terms in one concept",
                    )),
                    None => {
                        seen.insert(key, (line, false));
                    }
                }
            }
        }
    }
    problems
}

/// The file's path in a content folder.
pub fn path(content: &Path) -> PathBuf {
    content.join(FILE)
}
