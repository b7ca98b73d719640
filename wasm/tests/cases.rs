//! The case files of every checker, through the JSON boundary the page's wasm calls, with
//! `content/policy.yaml`, each compared with its `expect:`:
//!
//! * `tests/cases/` — household cases through `api::check_json_opts` (format:
//!   `tests/cases/README.md`);
//! * `tests/cases/elimination/` — elimination cases through `api::elimination_json`;
//! * `tests/cases/deadlines/` — timeline inputs through `api::deadlines_json`.
//!
//! One file format and one runner for the three: `today`, `options`, `case` (or `case_json` for
//! raw text), and `expect` — exact values of the result's top-level fields, substrings of its
//! texts, or the field of the first error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use policybook_engine::api;
use serde::Deserialize;
use serde_json::Value;

mod common;
use common::{policy_value, repo_root};

/// One case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    /// Today's date, `YYYY-MM-DD`; default 2023-06-01.
    #[serde(default)]
    today: Option<String>,
    /// Check options, e.g. `{line_yuan: 6500}` (household cases only).
    #[serde(default)]
    options: Option<Value>,
    /// The input, as YAML (converted to JSON).
    #[serde(default)]
    case: Option<Value>,
    /// The input as raw JSON text, for malformed input.
    #[serde(default)]
    case_json: Option<String>,
    /// What the result must show.
    expect: Expect,
}

/// The expectations. Every key is optional; a key not listed here is an exact value the result
/// must have, so a misspelt key fails rather than being ignored.
#[derive(Debug, Default, Deserialize)]
struct Expect {
    /// Exact values of the result's top-level fields (`category`, `verdict`,
    /// `per_capita_net_income`, …); a field the result lacks fails.
    #[serde(flatten)]
    fields: BTreeMap<String, Value>,
    /// Each must be cited by at least one reason.
    #[serde(default)]
    cites: Vec<u64>,
    /// Each must be cited by at least one next step.
    #[serde(default)]
    next_steps_cites: Vec<u64>,
    /// Exactly the keys of the reasons with `met: false` (elimination).
    unmet: Option<Vec<String>>,
    /// The due date of each named step of a timeline (`null`: not datable from the input).
    #[serde(default)]
    due: BTreeMap<String, Option<String>>,
    #[serde(default)]
    reasons_zh: Vec<String>,
    #[serde(default)]
    reasons_en: Vec<String>,
    #[serde(default)]
    next_steps_zh: Vec<String>,
    #[serde(default)]
    next_steps_en: Vec<String>,
    #[serde(default)]
    items_zh: Vec<String>,
    #[serde(default)]
    items_en: Vec<String>,
    #[serde(default)]
    warnings_zh: Vec<String>,
    #[serde(default)]
    warnings_en: Vec<String>,
    warnings_count: Option<usize>,
    /// Substrings no reason, next step, item or warning may contain.
    #[serde(default)]
    absent_zh: Vec<String>,
    #[serde(default)]
    absent_en: Vec<String>,
    /// For invalid input: the field of the first error.
    error: Option<String>,
}

/// The three inputs, their folders and what each result must always show.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Checker {
    Household,
    Elimination,
    Deadlines,
}

impl Checker {
    fn folder(self) -> &'static str {
        match self {
            Checker::Household => "tests/cases",
            Checker::Elimination => "tests/cases/elimination",
            Checker::Deadlines => "tests/cases/deadlines",
        }
    }

    fn run(self, input: &str, policy: &str, today: &str, options: &str) -> Value {
        let out = match self {
            Checker::Household => api::check_json_opts(input, policy, today, options),
            Checker::Elimination => api::elimination_json(input, policy, today),
            Checker::Deadlines => api::deadlines_json(input, policy),
        };
        serde_json::from_str(&out).expect("the boundary returns JSON")
    }

    /// What every valid result of this checker shows, whatever the case.
    fn invariants(self, outcome: &Value) -> Vec<String> {
        let mut problems = Vec::new();
        let list = |name: &str| outcome[name].as_array().cloned().unwrap_or_default();
        let says_self_check = texts(outcome, "next_steps", "en")
            .iter()
            .any(|t| t.contains("self-check, not a determination"));
        match self {
            Checker::Household => {
                if list("reasons")
                    .iter()
                    .all(|r| r["cites"].as_array().is_none_or(Vec::is_empty))
                {
                    problems.push("no reason cites the guide".into());
                }
            }
            Checker::Elimination => {
                let reasons = list("reasons");
                if reasons.is_empty() || reasons.iter().any(|r| r["cites"].as_array().is_none_or(Vec::is_empty)) {
                    problems.push("a reason does not cite the guide".into());
                }
                if outcome["eligible"] != Value::Bool(outcome["verdict"] == "can_propose") {
                    problems.push("eligible disagrees with verdict".into());
                }
            }
            Checker::Deadlines => {
                let items = list("items");
                if items.is_empty()
                    || items.iter().any(|i| {
                        i["cites"].as_array().is_none_or(Vec::is_empty) || i["quote"].as_str().is_none_or(str::is_empty)
                    })
                {
                    problems.push("an item does not cite and quote the guide".into());
                }
                if outcome["counting"]["zh"].as_str().is_none_or(str::is_empty) {
                    problems.push("the counting convention is not stated".into());
                }
            }
        }
        if self != Checker::Deadlines && !says_self_check {
            problems.push("next steps do not say this is a self-check".into());
        }
        problems
    }
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

fn cited(outcome: &Value, list: &str) -> BTreeSet<u64> {
    outcome[list]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["cites"].as_array().into_iter().flatten())
        .filter_map(Value::as_u64)
        .collect()
}

/// Compares one result with its expectations; returns the mismatches.
fn compare(checker: Checker, outcome: &Value, expect: &Expect) -> Vec<String> {
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
    for (key, want) in &expect.fields {
        if outcome.get(key) != Some(want) {
            problems.push(format!("{key}: expected {want}, got {}", outcome[key]));
        }
    }
    for (list, wanted) in [("reasons", &expect.cites), ("next_steps", &expect.next_steps_cites)] {
        let have = cited(outcome, list);
        for cite in wanted {
            if !have.contains(cite) {
                problems.push(format!("no {list} item cites Q{cite} (cited: {have:?})"));
            }
        }
    }
    if let Some(unmet) = &expect.unmet {
        let want: BTreeSet<&str> = unmet.iter().map(String::as_str).collect();
        let got: BTreeSet<&str> = outcome["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|r| r["met"] == Value::Bool(false))
            .filter_map(|r| r["key"].as_str())
            .collect();
        if want != got {
            problems.push(format!("unmet: expected {want:?}, got {got:?}"));
        }
    }
    for (key, want) in &expect.due {
        let item = outcome["items"]
            .as_array()
            .and_then(|items| items.iter().find(|i| i["key"] == key.as_str()));
        match item {
            None => problems.push(format!("no item {key}")),
            Some(item) if item["due"].as_str() != want.as_deref() => {
                problems.push(format!("{key}: due expected {want:?}, got {}", item["due"]));
            }
            Some(_) => {}
        }
    }
    let checks = [
        ("reasons", "zh", &expect.reasons_zh),
        ("reasons", "en", &expect.reasons_en),
        ("next_steps", "zh", &expect.next_steps_zh),
        ("next_steps", "en", &expect.next_steps_en),
        ("items", "zh", &expect.items_zh),
        ("items", "en", &expect.items_en),
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
        for list in ["reasons", "next_steps", "items", "warnings"] {
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
    problems.extend(checker.invariants(outcome));
    problems
}

/// Runs every case file of `checker`; returns the failures and each file's parsed input and
/// result (for the coverage checks).
fn run_folder(checker: Checker) -> (Vec<String>, Vec<(Option<Value>, Value)>) {
    let policy = policy_value().to_string();
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join(checker.folder()))
        .unwrap_or_else(|e| panic!("{} exists: {e}", checker.folder()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut results = Vec::new();
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
        let input = match (&file.case, &file.case_json) {
            (Some(case), None) => case.to_string(),
            (None, Some(raw)) => raw.clone(),
            _ => {
                failures.push(format!("{name}: give exactly one of `case` and `case_json`"));
                continue;
            }
        };
        if file.options.is_some() && checker != Checker::Household {
            failures.push(format!("{name}: `options` are for household cases only"));
        }
        let today = file.today.as_deref().unwrap_or("2023-06-01");
        let options = file.options.as_ref().map(Value::to_string).unwrap_or_default();
        let outcome = checker.run(&input, &policy, today, &options);
        failures.extend(
            compare(checker, &outcome, &file.expect)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
        let valid = file.expect.error.is_none();
        results.push((file.case.filter(|_| valid), outcome));
    }
    (failures, results)
}

fn strings(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Runs a checker's folder: at least `at_least` files, none failing; returns the results.
fn run_clean(checker: Checker, at_least: usize) -> Vec<(Option<Value>, Value)> {
    let (failures, results) = run_folder(checker);
    assert!(
        results.len() >= at_least,
        "{checker:?}: expected at least {at_least} case files, found {}",
        results.len()
    );
    assert!(
        failures.is_empty(),
        "{checker:?}: {} case file problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    results
}

/// The distinct string values that `pick` finds in the results (what the folder covers).
fn covered<'a>(
    results: &'a [(Option<Value>, Value)],
    pick: impl Fn(&'a (Option<Value>, Value)) -> Vec<&'a Value>,
) -> BTreeSet<String> {
    results
        .iter()
        .flat_map(pick)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[test]
fn household_case_files_give_the_expected_result() {
    let results = run_clean(Checker::Household, 20);
    assert_eq!(
        covered(&results, |(_, out)| vec![&out["category"]]),
        strings(&[
            "marginal",
            "not_identified",
            "out_of_scope",
            "severe_difficulty",
            "tracked",
            "unstable_alleviated"
        ])
    );
    assert_eq!(
        covered(&results, |(case, _)| case.iter().map(|c| &c["hukou"]).collect()),
        strings(&["converted_urban", "relocated_urban", "rural", "urban"])
    );
}

#[test]
fn elimination_case_files_give_the_expected_result() {
    let results = run_clean(Checker::Elimination, 20);
    assert_eq!(
        covered(&results, |(_, out)| vec![&out["verdict"]]),
        strings(&["can_propose", "not_applicable", "not_yet"])
    );
}

#[test]
fn deadline_case_files_give_the_expected_result() {
    let results = run_clean(Checker::Deadlines, 10);
    assert_eq!(
        covered(&results, |(_, out)| out["items"]
            .as_array()
            .map(|items| items.iter().map(|item| &item["track"]).collect())
            .unwrap_or_default()),
        strings(&["green_channel", "regular"])
    );
}

#[test]
fn check_json_without_options_matches_check_json_opts() {
    let policy = policy_value().to_string();
    let case = r#"{"members": 2, "members_with_labor": 1, "poverty_alleviated": false,
        "hukou": "rural", "income": {"wages": 8000}, "problems": ["water"],
        "can_resolve_alone": false, "sudden_hardship": false}"#;
    assert_eq!(
        api::check_json(case, &policy, "2023-06-01"),
        api::check_json_opts(case, &policy, "2023-06-01", "")
    );
}

// =============================================================================================
// Village screening sheets (tests/cases/screen/README.md)
// =============================================================================================

/// One sheet's expectations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetFile {
    /// The CSV file, in the same folder.
    sheet: String,
    /// The encoding it must be sniffed as.
    encoding: String,
    /// Today's date; default 2023-06-01.
    #[serde(default)]
    today: Option<String>,
    /// Every household row, in order.
    #[serde(default)]
    rows: Option<Vec<SheetRow>>,
    /// Another sheet file whose results these must equal.
    #[serde(default)]
    same_as: Option<String>,
    /// The sheet is refused: substrings of its errors.
    #[serde(default)]
    sheet_errors_en: Vec<String>,
}

/// One household row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SheetRow {
    row: u64,
    #[serde(default)]
    line: Option<u64>,
    label: String,
    /// The household case file of tests/cases/ whose outcome the row must give.
    #[serde(default)]
    case_file: Option<String>,
    #[serde(default)]
    expect: Option<Expect>,
    /// The columns of the row's errors, in order.
    #[serde(default)]
    errors: Option<Vec<Option<String>>>,
    #[serde(default)]
    errors_zh: Vec<String>,
    #[serde(default)]
    errors_en: Vec<String>,
}

const SCREEN_FOLDER: &str = "tests/cases/screen";

/// The results of a sheet file's sheet: (sniffed encoding, the boundary's JSON).
fn screen_sheet(file: &SheetFile, policy: &str) -> (String, Value) {
    let bytes = std::fs::read(repo_root().join(SCREEN_FOLDER).join(&file.sheet)).expect("the sheet is readable");
    let (text, encoding) = policybook_engine::screen::encoding::decode(&bytes);
    let today = file.today.as_deref().unwrap_or("2023-06-01");
    let out = api::screen_json(&text, policy, today);
    (
        encoding.label().to_string(),
        serde_json::from_str(&out).expect("the boundary returns JSON"),
    )
}

fn read_sheet_file(name: &str) -> Result<SheetFile, String> {
    let text = std::fs::read_to_string(repo_root().join(SCREEN_FOLDER).join(name)).map_err(|e| e.to_string())?;
    serde_yaml::from_str(&text).map_err(|e| format!("not a valid sheet file: {e}"))
}

/// The mismatches of one row.
fn compare_row(row: &Value, want: &SheetRow, policy: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (key, value) in [("row", Some(want.row)), ("line", want.line)] {
        if let Some(value) = value {
            if row[key] != value {
                problems.push(format!("{key} is {}, expected {value}", row[key]));
            }
        }
    }
    if row["row_label"].as_str() != Some(want.label.as_str()) {
        problems.push(format!("row_label is {}, expected {:?}", row["row_label"], want.label));
    }
    if let Some(name) = &want.case_file {
        let text = std::fs::read_to_string(repo_root().join("tests/cases").join(name)).expect("case file");
        let case: CaseFile = serde_yaml::from_str(&text).expect("a valid case file");
        let input = case.case.expect("a case file with `case`").to_string();
        let single = Checker::Household.run(&input, policy, case.today.as_deref().unwrap_or("2023-06-01"), "");
        let mut outcome = row.clone();
        if let Some(map) = outcome.as_object_mut() {
            for key in ["row", "line", "row_label"] {
                map.remove(key);
            }
        }
        if outcome != single {
            problems.push(format!(
                "the outcome differs from {name}'s:\n  row:  {outcome}\n  case: {single}"
            ));
        }
        problems.extend(compare(Checker::Household, &single, &case.expect));
    }
    if let Some(expect) = &want.expect {
        problems.extend(compare(Checker::Household, row, expect));
    }
    let errors = row["errors"].as_array().cloned().unwrap_or_default();
    match &want.errors {
        Some(columns) => {
            let got: Vec<Option<String>> = errors
                .iter()
                .map(|e| e["column"].as_str().map(str::to_string))
                .collect();
            if &got != columns {
                problems.push(format!("errors in columns {got:?}, expected {columns:?}: {errors:?}"));
            }
        }
        None if !errors.is_empty() => problems.push(format!("unexpected errors: {errors:?}")),
        None => {}
    }
    for (lang, wanted) in [("zh", &want.errors_zh), ("en", &want.errors_en)] {
        for s in wanted.iter() {
            if !errors
                .iter()
                .any(|e| e[lang].as_str().is_some_and(|t| t.contains(s.as_str())))
            {
                problems.push(format!("no {lang} error contains {s:?}: {errors:?}"));
            }
        }
    }
    problems
}

#[test]
fn screening_sheets_give_the_rows_of_their_case_files() {
    let policy = policy_value().to_string();
    let mut names: Vec<String> = std::fs::read_dir(repo_root().join(SCREEN_FOLDER))
        .expect("tests/cases/screen exists")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| name.ends_with(".yaml"))
        .collect();
    names.sort();
    let mut failures = Vec::new();
    let mut rows_checked = 0;
    for name in &names {
        let file = match read_sheet_file(name) {
            Ok(file) => file,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        let (encoding, result) = screen_sheet(&file, &policy);
        let mut fail = |p: String| failures.push(format!("{name}: {p}"));
        if encoding != file.encoding {
            fail(format!("sniffed as {encoding}, expected {}", file.encoding));
        }
        match (&file.rows, &file.same_as, file.sheet_errors_en.is_empty()) {
            (Some(rows), None, true) => {
                let got = result["rows"].as_array().cloned().unwrap_or_default();
                if got.len() != rows.len() {
                    fail(format!("{} rows, expected {}: {result}", got.len(), rows.len()));
                }
                for (row, want) in got.iter().zip(rows) {
                    rows_checked += 1;
                    for p in compare_row(row, want, &policy) {
                        fail(format!("row {}: {p}", want.row));
                    }
                }
            }
            (None, Some(other), true) => match read_sheet_file(other) {
                Ok(other_file) => {
                    if screen_sheet(&other_file, &policy).1 != result {
                        fail(format!("the results differ from {other}'s"));
                    }
                }
                Err(e) => fail(format!("{other}: {e}")),
            },
            (None, None, false) => {
                let errors = result["errors"].as_array().cloned().unwrap_or_default();
                if result["error"]["field"] != "sheet" {
                    fail(format!("expected the sheet to be refused, got {result}"));
                }
                for s in &file.sheet_errors_en {
                    if !errors
                        .iter()
                        .any(|e| e["en"].as_str().is_some_and(|t| t.contains(s.as_str())))
                    {
                        fail(format!("no error contains {s:?}: {errors:?}"));
                    }
                }
            }
            _ => fail("give exactly one of `rows`, `same_as` and `sheet_errors_en`".into()),
        }
    }
    assert!(
        names.len() >= 4 && rows_checked >= 10,
        "too few sheets or rows: {names:?}"
    );
    assert!(
        failures.is_empty(),
        "{} sheet problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The GBK sheet is the UTF-8 village sheet as a Chinese spreadsheet saves it by default.
/// `POLICYBOOK_WRITE_FIXTURES=1` (re)writes it from the UTF-8 one.
#[test]
fn the_gbk_sheet_is_the_village_sheet_encoded_in_gbk() {
    let folder = repo_root().join(SCREEN_FOLDER);
    let utf8 = std::fs::read_to_string(folder.join("01-village.csv")).expect("01-village.csv");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(utf8.trim_start_matches('\u{feff}'));
    assert!(!unmappable, "01-village.csv has a character GBK cannot hold");
    let path = folder.join("02-village-gbk.csv");
    if std::env::var_os("POLICYBOOK_WRITE_FIXTURES").is_some() {
        std::fs::write(&path, &gbk).expect("write the GBK sheet");
    }
    let committed = std::fs::read(&path).expect("02-village-gbk.csv (write it with POLICYBOOK_WRITE_FIXTURES=1)");
    assert!(
        committed == gbk.as_ref(),
        "02-village-gbk.csv is not 01-village.csv in GBK; rewrite it with POLICYBOOK_WRITE_FIXTURES=1"
    );
    assert!(
        std::str::from_utf8(&committed).is_err(),
        "the GBK sheet must not also be valid UTF-8"
    );
}
