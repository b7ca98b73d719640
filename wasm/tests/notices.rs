//! The privacy check against a corpus of realistic public notices (`tests/notices/*.yaml`, see
//! its README): in each, everything listed under `hide` is masked, everything under `keep`
//! comes back unchanged, and nothing else is flagged. The lists were written by reading each
//! notice as a privacy officer would (Q38; Q42 for complaint channels), not by running the tool.

use std::path::{Path, PathBuf};

use policybook_engine::redact::{redact, Redaction, WordList};
use serde::Deserialize;

/// One notice of the corpus.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Notice {
    /// Text that must not be published: every occurrence (outside a `keep` phrase) is masked.
    hide: Vec<String>,
    /// Text that must stay as written: no finding touches any occurrence.
    keep: Vec<String>,
    /// The notice.
    text: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn words() -> WordList {
    let text = std::fs::read_to_string(root().join("content/sensitive-words.yaml")).expect("the word list is readable");
    let value: serde_json::Value = serde_yaml::from_str(&text).expect("the word list is YAML");
    WordList::from_value(&value).expect("the shipped list is valid")
}

fn notices() -> Vec<(String, Notice)> {
    let dir = root().join("tests/notices");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/notices exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&p).expect("a notice is readable");
            let notice: Notice = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, notice)
        })
        .collect()
}

/// Every occurrence of `needle` in `chars`, as character ranges.
fn occurrences(chars: &[char], needle: &str) -> Vec<(usize, usize)> {
    let needle: Vec<char> = needle.chars().collect();
    if needle.is_empty() || needle.len() > chars.len() {
        return Vec::new();
    }
    (0..=chars.len() - needle.len())
        .filter(|&i| chars[i..i + needle.len()] == needle[..])
        .map(|i| (i, i + needle.len()))
        .collect()
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// What is wrong with the check of one notice; empty when it passes.
fn problems(notice: &Notice, r: &Redaction) -> Vec<String> {
    let chars: Vec<char> = notice.text.chars().collect();
    let masked: Vec<char> = r.masked.chars().collect();
    let findings: Vec<(usize, usize)> = r.findings.iter().map(|f| (f.start, f.end)).collect();
    let mut problems = Vec::new();
    let kept: Vec<(usize, usize)> = notice.keep.iter().flat_map(|k| occurrences(&chars, k)).collect();
    for item in &notice.keep {
        let found = occurrences(&chars, item);
        if found.is_empty() {
            problems.push(format!("keep '{item}' is not in the text (fix the notice)"));
        }
        for range in found {
            if let Some(f) = r.findings.iter().find(|f| overlaps(range, (f.start, f.end))) {
                problems.push(format!("over-masked: '{item}' must stay, but '{}' was flagged", f.text));
            }
        }
    }
    let mut hidden: Vec<(usize, usize)> = Vec::new();
    for item in &notice.hide {
        let found: Vec<(usize, usize)> = occurrences(&chars, item)
            .into_iter()
            .filter(|&(s, e)| !kept.iter().any(|&(ks, ke)| ks <= s && e <= ke))
            .collect();
        if found.is_empty() {
            problems.push(format!(
                "hide '{item}' is not in the text outside a keep phrase (fix the notice)"
            ));
        }
        for (s, e) in found {
            hidden.push((s, e));
            let digits = chars[s..e]
                .iter()
                .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(c));
            let digit_count = digits.count();
            let masked_count = (s..e).filter(|&i| masked[i] != chars[i]).count();
            let leaked = if digit_count > 0 {
                // A number: its identifying middle is masked (ID and cards keep 4 digits, mobiles
                // 3 and 4, landlines the area code and 4).
                masked_count < 3
            } else {
                (s..e).any(|i| chars[i].is_alphanumeric() && masked[i] == chars[i])
            };
            if leaked {
                let shown: String = masked[s..e].iter().collect();
                problems.push(format!("leaked: '{item}' is shown as '{shown}'"));
            }
        }
    }
    for (f, &range) in r.findings.iter().zip(&findings) {
        if !hidden.iter().any(|&h| overlaps(h, range)) {
            problems.push(format!(
                "over-masked: '{}' ({}) is not listed under hide",
                f.text,
                f.kind.name()
            ));
        }
    }
    problems
}

#[test]
fn the_corpus_has_at_least_forty_notices() {
    let notices = notices();
    assert!(notices.len() >= 40, "{} notices", notices.len());
    for (name, notice) in &notices {
        assert!(!notice.text.trim().is_empty(), "{name}: empty text");
    }
}

#[test]
fn every_notice_hides_what_it_must_and_keeps_the_rest() {
    let words = words();
    let mut failures = Vec::new();
    let notices = notices();
    for (name, notice) in &notices {
        let r = redact(&notice.text, &words);
        for problem in problems(notice, &r) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} problem(s) in {} notices:\n{}",
        failures.len(),
        notices.len(),
        failures.join("\n")
    );
}
