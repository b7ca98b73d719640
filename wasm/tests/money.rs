//! Money as people type it: every form in `money.yaml` (judged by hand) through the engine's
//! parser, the page's boundary (`api::parse_money_json`) and a household case read from YAML as
//! the CLI reads it.

use policybook_engine::api;
use policybook_engine::input::{echo, parse_money};
use policybook_engine::rules::Case;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Forms {
    accept: Vec<(String, u64)>,
    refuse: Vec<(String, String)>,
}

fn forms() -> Forms {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/money.yaml")).expect("money.yaml");
    serde_yaml::from_str(&text).expect("money.yaml has accept and refuse lists")
}

#[test]
fn every_form_is_read_as_judged() {
    let forms = forms();
    assert!(forms.accept.len() >= 30 && forms.refuse.len() >= 30);
    let mut failures = Vec::new();
    for (text, yuan) in &forms.accept {
        match parse_money(text) {
            Ok(got) if got == *yuan => {}
            other => failures.push(format!("{text:?}: expected {yuan}, got {other:?}")),
        }
    }
    for (text, word) in &forms.refuse {
        match parse_money(text) {
            Err(message) if message.en.contains(word.as_str()) && !message.zh.is_empty() => {}
            other => failures.push(format!("{text:?}: expected a refusal saying {word:?}, got {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_page_gets_the_amount_and_its_standard_form() {
    let out: Value = serde_json::from_str(&api::parse_money_json("0.9万")).expect("json");
    assert_eq!(
        out,
        serde_json::json!({"yuan": 9000, "zh": "9,000 元", "en": "9,000 yuan"})
    );
    let out: Value = serde_json::from_str(&api::parse_money_json("9,00")).expect("json");
    assert_eq!(out["error"]["field"], "amount");
    assert_eq!(out["error"]["zh"], "“9,00”：逗号应每三位一组，例如 9,000 或 900");
    assert_eq!(echo(1_234_567).en, "1,234,567 yuan");
    // Whatever the text, the boundary answers JSON and never panics.
    for text in [
        "\u{0}",
        "万万万万",
        &"9".repeat(100_000),
        "9\u{FF10}\u{3000}千",
        "¥",
        "-",
    ] {
        let out: Value = serde_json::from_str(&api::parse_money_json(text)).expect("json");
        assert!(out.get("yuan").is_some() != out.get("error").is_some(), "{out}");
    }
}

#[test]
fn a_case_in_yaml_takes_the_same_forms_as_plain_numbers() {
    let yaml = "members: 4\nmembers_with_labor: 1\npoverty_alleviated: false\nhukou: rural\nincome:\n  wages: 9,000\n  business: 0.9万\n  transfers: ９０００\n  property: 9 千元\n  claims: 1200\nexpenses:\n  medical: 1.2万元\nproblems: []\nsudden_hardship: false\n";
    let value: Value = serde_yaml::from_str(yaml).expect("yaml");
    let case = Case::from_value(&value).expect("valid");
    let i = case.income;
    assert_eq!(
        (i.wages, i.business, i.transfers, i.property, i.claims),
        (9000, 9000, 9000, 9000, 1200)
    );
    assert_eq!(case.expenses.medical, 12000);

    let bad = yaml.replace("wages: 9,000", "wages: 9,00");
    let value: Value = serde_yaml::from_str(&bad).expect("yaml");
    let errors = Case::from_value(&value).expect_err("refused");
    assert_eq!(errors[0].field, "income.wages");
    assert!(errors[0].en.contains("groups of three"), "{}", errors[0].en);
}
