//! `content/policy.yaml`: the dated, sourced figures of the self-checker (monitoring lines, the
//! local rural average, the guide's time limits). Parsed strictly, then validated by the engine;
//! every problem is reported at its file and line.

use std::path::Path;

use policybook_engine::rules::Policy;

use crate::error::Diagnostic;
use crate::source::{locate, parse_yaml, parse_yaml_value, read_content};

/// Reads and validates the policy data.
pub fn load(path: &Path) -> Result<Policy, Vec<Diagnostic>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(vec![Diagnostic::new(path, "the policy data file is missing").hint(
            "the self-checker needs policy.yaml with the monitoring line; copy it from the policybook repository",
        )]);
    }
    let text = read_content(path).map_err(|d| vec![d])?;
    check_text(path, &text)
}

/// Parses and validates the text of a policy file named `path` (in messages): the one check of
/// the build, `validate`, `check` and `line add`, so all of them refuse the same things with the
/// same messages.
pub fn check_text(path: &Path, text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let policy: Policy = parse_yaml(path, text, 0).map_err(|d| vec![d])?;
    let problems = policy.validate();
    if problems.is_empty() {
        return Ok(policy);
    }
    Err(problems
        .iter()
        .map(|p| {
            let line = locate(text, &p.field);
            let d = Diagnostic::new(path, format!("{}: {}", p.field, p.en)).hint(
                "correct the entry: whole positive yuan, dates YYYY-MM-DD in ascending order, a source for every figure, a derivation for a provisional one",
            );
            match line.or_else(|| {
                text.lines()
                    .position(|l| l.trim_start().starts_with("monitoring_lines:"))
                    .map(|i| i + 1)
            }) {
                Some(l) => d.at(l, None),
                None => d,
            }
        })
        .collect())
}

/// Reads and validates `sensitive-words.yaml`, the health-status words of the privacy check (Q38).
pub fn load_words(path: &Path) -> Result<policybook_engine::redact::WordList, Vec<Diagnostic>> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(vec![Diagnostic::new(path, "the list of sensitive words is missing")
            .hint(
            "the privacy check of public notices needs sensitive-words.yaml; copy it from the policybook repository",
        )]);
    }
    let text = read_content(path).map_err(|d| vec![d])?;
    let value = parse_yaml_value(path, &text).map_err(|d| vec![d])?;
    policybook_engine::redact::WordList::from_value(&value).map_err(|errors| {
        errors
            .iter()
            .map(|e| {
                let field = e.field.strip_prefix("sensitive_words.").unwrap_or(&e.field);
                let d = Diagnostic::new(path, format!("{field}: {}", e.en))
                    .hint("each entry is `- {word: 词, category: KEY}` with a category listed under `categories`");
                match locate(&text, field) {
                    Some(line) => d.at(line, None),
                    None => d,
                }
            })
            .collect()
    })
}
