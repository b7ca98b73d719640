//! Runs every case file in `tests/cases/` through `api::check_json` (the same boundary the wasm
//! page uses) with `content/policy.yaml`, and compares the result with the file's `expect:`.
//! The format is described in `tests/cases/README.md`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use policybook_engine::api;
use serde::Deserialize;
use serde_json::Value;

/// One case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// Today's date, `YYYY-MM-DD`; default 2023-06-01.
    #[serde(default)]
    today: Option<String>,
    /// Check options, e.g. `{line_yuan: 6500}`.
    #[serde(default)]
    options: Option<Value>,
    /// The case, as YAML (converted to JSON).
    #[serde(default)]
    case: Option<Value>,
    /// The case as raw JSON text, for malformed input.
    #[serde(default)]
    case_json: Option<String>,
    /// What the result must show.
    expect: Expect,
}

/// The expectations: exact values for the named outcome fields, substrings for texts.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    category: Option<String>,
    monitored: Option<bool>,
    review_needed: Option<bool>,
    year: Option<i64>,
    monitoring_line: Option<i64>,
    line_provisional: Option<bool>,
    line_user_entered: Option<bool>,
    per_capita_net_income: Option<i64>,
    per_capita_income_after_expenditure: Option<i64>,
    /// Each must be cited by at least one reason.
    #[serde(default)]
    cites: Vec<u64>,
    #[serde(default)]
    reasons_zh: Vec<String>,
    #[serde(default)]
    reasons_en: Vec<String>,
    #[serde(default)]
    next_steps_zh: Vec<String>,
    #[serde(default)]
    next_steps_en: Vec<String>,
    #[serde(default)]
    warnings_zh: Vec<String>,
    #[serde(default)]
    warnings_en: Vec<String>,
    warnings_count: Option<usize>,
    /// Substrings no reason, next step or warning may contain.
    #[serde(default)]
    absent_zh: Vec<String>,
    #[serde(default)]
    absent_en: Vec<String>,
    /// For an invalid case: the field of the first error.
    error: Option<String>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the engine crate lives in wasm/ under the repository")
        .to_path_buf()
}

fn policy_json() -> String {
    let text =
        std::fs::read_to_string(repo_root().join("content/policy.yaml")).expect("content/policy.yaml is readable");
    let value: Value = serde_yaml::from_str(&text).expect("content/policy.yaml is YAML");
    value.to_string()
}

fn texts(outcome: &Value, list: &str, lang: &str) -> Vec<String> {
    outcome[list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item[lang].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares one result with its expectations; returns the mismatches.
fn compare(outcome: &Value, expect: &Expect) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(field) = &expect.error {
        let got = outcome["error"]["field"].as_str();
        if got != Some(field.as_str()) {
            problems.push(format!("expected an error on '{field}', got {outcome}"));
        }
        for key in ["zh", "en"] {
            if outcome["error"][key].as_str().is_none_or(str::is_empty) {
                problems.push(format!("error has no {key} message: {outcome}"));
            }
        }
        return problems;
    }
    if let Some(error) = outcome.get("error") {
        problems.push(format!("unexpected error: {error}"));
        return problems;
    }
    let exact: [(&str, Option<Value>); 9] = [
        ("category", expect.category.clone().map(Value::from)),
        ("monitored", expect.monitored.map(Value::from)),
        ("review_needed", expect.review_needed.map(Value::from)),
        ("year", expect.year.map(Value::from)),
        ("monitoring_line", expect.monitoring_line.map(Value::from)),
        ("line_provisional", expect.line_provisional.map(Value::from)),
        ("line_user_entered", expect.line_user_entered.map(Value::from)),
        ("per_capita_net_income", expect.per_capita_net_income.map(Value::from)),
        (
            "per_capita_income_after_expenditure",
            expect.per_capita_income_after_expenditure.map(Value::from),
        ),
    ];
    for (key, want) in exact {
        if let Some(want) = want {
            if outcome[key] != want {
                problems.push(format!("{key}: expected {want}, got {}", outcome[key]));
            }
        }
    }
    let cited: BTreeSet<u64> = outcome["reasons"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["cites"].as_array().into_iter().flatten())
        .filter_map(Value::as_u64)
        .collect();
    for cite in &expect.cites {
        if !cited.contains(cite) {
            problems.push(format!("no reason cites Q{cite} (cited: {cited:?})"));
        }
    }
    let checks = [
        ("reasons", "zh", &expect.reasons_zh),
        ("reasons", "en", &expect.reasons_en),
        ("next_steps", "zh", &expect.next_steps_zh),
        ("next_steps", "en", &expect.next_steps_en),
        ("warnings", "zh", &expect.warnings_zh),
        ("warnings", "en", &expect.warnings_en),
    ];
    for (list, lang, wanted) in checks {
        let have = texts(outcome, list, lang);
        for want in wanted {
            if !have.iter().any(|t| t.contains(want.as_str())) {
                problems.push(format!("no {list}.{lang} contains {want:?}; have {have:#?}"));
            }
        }
    }
    for (lang, unwanted) in [("zh", &expect.absent_zh), ("en", &expect.absent_en)] {
        for list in ["reasons", "next_steps", "warnings"] {
            for text in texts(outcome, list, lang) {
                for bad in unwanted {
                    if text.contains(bad.as_str()) {
                        problems.push(format!("{list}.{lang} contains {bad:?}, which it must not: {text}"));
                    }
                }
            }
        }
    }
    if let Some(count) = expect.warnings_count {
        let got = outcome["warnings"].as_array().map_or(0, Vec::len);
        if got != count {
            problems.push(format!("warnings: expected {count}, got {got}"));
        }
    }
    // Every result, whatever its category, cites something, gives next steps and says it is a
    // self-check.
    if cited.is_empty() {
        problems.push("no reason cites the guide".into());
    }
    if !texts(outcome, "next_steps", "en")
        .iter()
        .any(|t| t.contains("self-check, not a determination"))
    {
        problems.push("next steps do not say this is a self-check".into());
    }
    problems
}

fn case_files() -> Vec<PathBuf> {
    let dir = repo_root().join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/cases exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn all_case_files_give_the_expected_result() {
    let policy = policy_json();
    let files = case_files();
    assert!(
        files.len() >= 20,
        "expected at least 20 case files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut categories = BTreeSet::new();
    let mut hukou_values = BTreeSet::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(path).expect("case file is readable");
        let file: CaseFile = match serde_yaml::from_str(&text) {
            Ok(file) => file,
            Err(err) => {
                failures.push(format!("{name}: not a valid case file: {err}"));
                continue;
            }
        };
        let case_json = match (&file.case, &file.case_json) {
            (Some(case), None) => case.to_string(),
            (None, Some(raw)) => raw.clone(),
            _ => {
                failures.push(format!("{name}: give exactly one of `case` and `case_json`"));
                continue;
            }
        };
        if file.expect.error.is_none() {
            if let Some(hukou) = file.case.as_ref().and_then(|c| c["hukou"].as_str()) {
                hukou_values.insert(hukou.to_string());
            }
        }
        let today = file.today.as_deref().unwrap_or("2023-06-01");
        let options = file.options.as_ref().map(Value::to_string).unwrap_or_default();
        let result = api::check_json_opts(&case_json, &policy, today, &options);
        let outcome: Value = serde_json::from_str(&result).expect("check_json returns JSON");
        if let Some(category) = outcome["category"].as_str() {
            categories.insert(category.to_string());
        }
        for problem in compare(&outcome, &file.expect) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case file problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    let all_categories = [
        "marginal",
        "not_identified",
        "out_of_scope",
        "severe_difficulty",
        "tracked",
        "unstable_alleviated",
    ];
    assert_eq!(categories, all_categories.iter().map(|c| c.to_string()).collect());
    let all_hukou = ["converted_urban", "relocated_urban", "rural", "urban"];
    assert_eq!(hukou_values, all_hukou.iter().map(|c| c.to_string()).collect());
}

#[test]
fn check_json_without_options_matches_check_json_opts() {
    let policy = policy_json();
    let case = r#"{"members": 2, "members_with_labor": 1, "poverty_alleviated": false,
        "hukou": "rural", "income": {"wages": 8000}, "problems": ["water"],
        "can_resolve_alone": false, "sudden_hardship": false}"#;
    assert_eq!(
        api::check_json(case, &policy, "2023-06-01"),
        api::check_json_opts(case, &policy, "2023-06-01", "")
    );
}
