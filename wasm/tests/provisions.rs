//! Every citation of the rules holds for the guide in `content/`: each provision's words occur in
//! its question's official text (`content/zh/q/NN.md`, line breaks removed), and so do the quotes
//! of the policy data's time limits and those in the rules' documentation. The question numbers
//! are the content's, read from each file's front matter.

use std::collections::BTreeMap;
use std::path::Path;

use policybook_engine::rules::policy::quoted_in;
use policybook_engine::rules::provisions::{not_in_guide, ALL};
use policybook_engine::rules::Policy;
use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Each question's number (its front matter's `number`) and its text after the front matter.
fn questions() -> BTreeMap<u8, String> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(repo().join("content/zh/q")).expect("content/zh/q") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let rest = text.strip_prefix("---\n").expect("front matter");
        let (front, body) = rest.split_once("\n---\n").expect("front matter ends");
        let number: u8 = front
            .lines()
            .find_map(|l| l.strip_prefix("number:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("{}: no number in the front matter", path.display()));
        assert!(
            out.insert(number, body.to_string()).is_none(),
            "question {number} twice"
        );
    }
    out
}

#[test]
fn every_provision_is_quoted_from_its_question() {
    let questions = questions();
    assert!(questions.len() > 10, "found {} questions", questions.len());
    let missing: Vec<String> = not_in_guide(&questions)
        .iter()
        .map(|p| format!("Q{}: {:?}", p.question, p.quote))
        .collect();
    assert!(missing.is_empty(), "not in the guide's text:\n{}", missing.join("\n"));
    // The check can fail: a word changed is found.
    let mut changed = questions.clone();
    let q25 = changed.get_mut(&25).expect("Q25");
    *q25 = q25.replace("持续巩固", "持续巩 固");
    assert_eq!(
        not_in_guide(&changed).iter().map(|p| p.question).collect::<Vec<_>>(),
        vec![25]
    );
    for p in ALL {
        assert!(
            p.quote.chars().count() >= 5,
            "Q{}: quote too short to identify",
            p.question
        );
    }
}

#[test]
fn the_policy_data_quotes_its_questions() {
    let text = std::fs::read_to_string(repo().join("content/policy.yaml")).expect("policy.yaml");
    let value: Value = serde_yaml::from_str(&text).expect("yaml");
    let policy: Policy = serde_json::from_value(value).expect("policy");
    assert_eq!(policy.check_citations(&questions()), vec![]);
    assert!(quoted_in("村内公示5天", &questions()[&34]));
}

/// The guide's words quoted in the rules' documentation (`/// > …（第N问）`): each run between
/// `……` occurs in question N's text, so the documentation cannot drift from the edition either.
#[test]
fn the_quotes_in_the_rules_documentation_are_the_guides_words() {
    let questions = questions();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for file in [
        "rules/identify.rs",
        "rules/elimination.rs",
        "rules/deadlines.rs",
        "rules/case.rs",
        "redact.rs",
    ] {
        let source = std::fs::read_to_string(repo().join("wasm/src").join(file)).expect("source");
        // Consecutive quote lines form one block.
        let mut blocks: Vec<String> = Vec::new();
        let mut open = false;
        for line in source.lines() {
            let quoted = line
                .trim_start()
                .strip_prefix("/// > ")
                .or_else(|| line.trim_start().strip_prefix("//! > "));
            match quoted {
                Some(text) if open => blocks.last_mut().expect("open block").push_str(text.trim()),
                Some(text) => {
                    blocks.push(text.trim().to_string());
                    open = true;
                }
                None => open = false,
            }
        }
        for block in blocks {
            let mut rest = block.as_str();
            while let Some(start) = rest.find("（第") {
                let Some(end) = rest[start..].find("问）") else { break };
                let number = &rest[start + "（第".len()..start + end];
                let Ok(number) = number.parse::<u8>() else {
                    rest = &rest[start + end..];
                    continue;
                };
                let text = questions
                    .get(&number)
                    .map(|t| t.replace(['\n', '\r'], ""))
                    .unwrap_or_default();
                for part in rest[..start].split("……") {
                    let part = part.trim_matches(|c: char| "。；，、".contains(c));
                    if part.chars().count() < 4 {
                        continue;
                    }
                    checked += 1;
                    if !text.contains(part) {
                        wrong.push(format!("{file}: Q{number}: {part}"));
                    }
                }
                rest = &rest[start + end + "问）".len()..];
            }
        }
    }
    assert!(checked >= 20, "only {checked} quotes found");
    assert!(wrong.is_empty(), "not the guide's words:\n{}", wrong.join("\n"));
}
