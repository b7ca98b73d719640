//! The risk-elimination check (Q25–Q29, Q31, Q37): the case files in `tests/cases/elimination/`
//! (format in its README), run through `api::elimination_json` with `content/policy.yaml`, and
//! property tests of the rules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use policybook_engine::api;
use policybook_engine::rules::elimination::{check_elimination, render_text, EliminationCase, Verdict};
use policybook_engine::rules::{Date, Income, Lang, Policy, Problem};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    #[serde(default)]
    today: Option<String>,
    #[serde(default)]
    case: Option<Value>,
    #[serde(default)]
    case_json: Option<String>,
    expect: Expect,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    verdict: Option<String>,
    eligible: Option<bool>,
    per_capita_net_income: Option<i64>,
    unmet: Option<Vec<String>>,
    #[serde(default)]
    cites: Vec<u64>,
    #[serde(default)]
    next_steps_cites: Vec<u64>,
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
    error: Option<String>,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the engine crate lives in wasm/ under the repository")
        .to_path_buf()
}

fn policy_value() -> Value {
    let text =
        std::fs::read_to_string(repo_root().join("content/policy.yaml")).expect("content/policy.yaml is readable");
    serde_yaml::from_str(&text).expect("content/policy.yaml is YAML")
}

fn policy() -> Policy {
    serde_json::from_value(policy_value()).expect("content/policy.yaml matches the model")
}

fn today() -> Date {
    Date::parse("2023-06-01").expect("date")
}

fn texts(outcome: &Value, list: &str, lang: &str) -> Vec<String> {
    outcome[list]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i[lang].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn compare(outcome: &Value, expect: &Expect) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(field) = &expect.error {
        if outcome["error"]["field"].as_str() != Some(field.as_str()) {
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
        return vec![format!("unexpected error: {error}")];
    }
    let exact = [
        ("verdict", expect.verdict.clone().map(Value::from)),
        ("eligible", expect.eligible.map(Value::from)),
        ("per_capita_net_income", expect.per_capita_net_income.map(Value::from)),
    ];
    for (key, want) in exact {
        if let Some(want) = want {
            if outcome[key] != want {
                problems.push(format!("{key}: expected {want}, got {}", outcome[key]));
            }
        }
    }
    let reasons = outcome["reasons"].as_array().cloned().unwrap_or_default();
    if let Some(unmet) = &expect.unmet {
        let want: BTreeSet<&str> = unmet.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = reasons
            .iter()
            .filter(|r| r["met"] == Value::Bool(false))
            .filter_map(|r| r["key"].as_str())
            .collect();
        if want != got {
            problems.push(format!("unmet: expected {want:?}, got {got:?}"));
        }
    }
    let cited: BTreeSet<u64> = reasons
        .iter()
        .flat_map(|r| r["cites"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c.as_u64())
        .collect();
    for cite in &expect.cites {
        if !cited.contains(cite) {
            problems.push(format!("no reason cites Q{cite} (cited: {cited:?})"));
        }
    }
    let next_cited: BTreeSet<u64> = outcome["next_steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|n| n["cites"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c.as_u64())
        .collect();
    for cite in &expect.next_steps_cites {
        if !next_cited.contains(cite) {
            problems.push(format!("no next step cites Q{cite} (cited: {next_cited:?})"));
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
    // Every result cites the guide in every reason and says it is a self-check.
    if reasons.is_empty() || reasons.iter().any(|r| r["cites"].as_array().is_none_or(Vec::is_empty)) {
        problems.push("a reason does not cite the guide".into());
    }
    if outcome["eligible"] != Value::Bool(outcome["verdict"] == "can_propose") {
        problems.push("eligible disagrees with verdict".into());
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
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join("tests/cases/elimination"))
        .expect("tests/cases/elimination exists")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    files
}

#[test]
fn all_case_files_give_the_expected_result() {
    let policy = policy_value().to_string();
    let files = case_files();
    assert!(
        files.len() >= 20,
        "expected at least 20 case files, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut verdicts = BTreeSet::new();
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
        let today = file.today.as_deref().unwrap_or("2023-06-01");
        let result = api::elimination_json(&case_json, &policy, today);
        let outcome: Value = serde_json::from_str(&result).expect("elimination_json returns JSON");
        if let Some(verdict) = outcome["verdict"].as_str() {
            verdicts.insert(verdict.to_string());
        }
        failures.extend(
            compare(&outcome, &file.expect)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    let all: BTreeSet<String> = ["can_propose", "not_applicable", "not_yet"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(verdicts, all);
}

fn case(months: Option<u32>, natural: bool) -> EliminationCase {
    EliminationCase {
        year: None,
        members: 3,
        members_with_labor: 2,
        safety_net_support: false,
        income: Income {
            wages: 24000,
            ..Income::default()
        },
        months_above_line: months,
        problems: vec![],
        new_risk: false,
        natural_elimination: natural,
    }
}

#[test]
fn five_months_is_not_yet_six_is_enough() {
    let p = policy();
    let five = check_elimination(&case(Some(5), false), &p, today()).expect("outcome");
    assert_eq!(five.verdict, Verdict::NotYet);
    let reason = five
        .reasons
        .iter()
        .find(|r| r.key == "stable_months")
        .expect("months reason");
    assert_eq!(reason.zh, "收入稳定超过监测线 5 个月，未满 6 个月。");
    assert_eq!(reason.cites, vec![27]);
    let six = check_elimination(&case(Some(6), false), &p, today()).expect("outcome");
    assert_eq!(six.verdict, Verdict::CanPropose);
    assert!(six.eligible);
}

#[test]
fn natural_elimination_is_the_exception_of_q27() {
    let p = policy();
    for months in [None, Some(0), Some(1), Some(5)] {
        let outcome = check_elimination(&case(months, true), &p, today()).expect("outcome");
        assert_eq!(outcome.verdict, Verdict::CanPropose, "{months:?}");
    }
}

#[test]
fn six_months_are_read_from_the_policy_data() {
    let mut value = policy_value();
    value["time_limits"]["stable_income"]["amount"] = json!(9);
    let result: Value = serde_json::from_str(&api::elimination_json(
        &serde_json::to_string(&case(Some(8), false)).expect("json"),
        &value.to_string(),
        "2023-06-01",
    ))
    .expect("json");
    assert_eq!(result["verdict"], "not_yet");
    assert_eq!(result["months_required"], 9);
    assert!(
        result["reasons"].to_string().contains("8 个月，未满 9 个月"),
        "{result}"
    );
}

#[test]
fn procedure_of_q37_in_next_steps_and_render() {
    let outcome = check_elimination(&case(Some(6), false), &policy(), today()).expect("outcome");
    assert!(outcome.next_steps.iter().any(|n| n.cites.contains(&37)));
    let zh = render_text(&outcome, Lang::Zh);
    assert!(zh.contains("可以提出风险消除"), "{zh}");
    assert!(zh.contains("[x] 收入稳定超过监测线 6 个月"), "{zh}");
    let en = render_text(&outcome, Lang::En);
    assert!(en.contains("(Q33, Q37)"), "{en}");
}

#[test]
fn bad_policy_and_bad_input_never_panic() {
    let case = serde_json::to_string(&case(Some(6), false)).expect("json");
    for (policy, today) in [("", "2023-06-01"), ("{}", "2023-06-01"), ("[1]", "x")] {
        let result: Value = serde_json::from_str(&api::elimination_json(&case, policy, today)).expect("json");
        assert_eq!(result["error"]["field"], "policy", "{result}");
    }
    let policy = policy_value().to_string();
    for text in ["", "null", "\"x\"", "{}", "{\"members\": 1e999}", "\u{0}"] {
        let result: Value = serde_json::from_str(&api::elimination_json(text, &policy, "2023-06-01")).expect("json");
        assert!(result["error"]["field"].is_string(), "{text}: {result}");
        assert!(result["errors"].is_array());
    }
    let ok: Value = serde_json::from_str(&api::validate_elimination_json(&case)).expect("json");
    assert_eq!(ok, json!({"ok": true}));
}

fn problem() -> impl Strategy<Value = Problem> {
    prop_oneof![
        Just(Problem::Education),
        Just(Problem::Medical),
        Just(Problem::Housing),
        Just(Problem::Water)
    ]
}

proptest! {
    /// A whole-household safety-net household is never eligible, whatever else holds (Q28, Q29).
    #[test]
    fn never_for_a_safety_net_household(
        members in 1u32..8,
        wages in 0u64..200_000,
        transfers in 0u64..200_000,
        months in proptest::option::of(0u32..120),
        problems in proptest::collection::btree_set(problem(), 0..3),
        new_risk: bool,
        natural: bool,
    ) {
        let case = EliminationCase {
            year: None,
            members,
            members_with_labor: 0,
            safety_net_support: true,
            income: Income { wages, transfers, ..Income::default() },
            months_above_line: months.or(Some(0)),
            problems: problems.into_iter().collect(),
            new_risk,
            natural_elimination: natural,
        };
        let outcome = check_elimination(&case, &policy(), today()).expect("valid");
        prop_assert_eq!(outcome.verdict, Verdict::NotApplicable);
        prop_assert!(!outcome.eligible);
        prop_assert!(outcome.reasons.iter().all(|r| r.cites.contains(&28) || r.cites.contains(&29)));
    }

    /// Eligible exactly when every condition holds.
    #[test]
    fn eligible_iff_every_condition_holds(
        labor in 0u32..3,
        support: bool,
        wages in 0u64..60_000,
        months in 0u32..12,
        water: bool,
        new_risk: bool,
        natural: bool,
    ) {
        let case = EliminationCase {
            year: None,
            members: 3,
            members_with_labor: labor,
            safety_net_support: support,
            income: Income { wages, ..Income::default() },
            months_above_line: Some(months),
            problems: if water { vec![Problem::Water] } else { vec![] },
            new_risk,
            natural_elimination: natural,
        };
        let outcome = check_elimination(&case, &policy(), today()).expect("valid");
        let expected = !(labor == 0 && support)
            && wages > 18_000
            && (natural || months >= 6)
            && !water
            && !new_risk;
        prop_assert_eq!(outcome.eligible, expected);
        prop_assert_eq!(outcome.reasons.iter().all(|r| r.met), expected);
    }
}
