//! Procedure deadlines (Q23, Q24, Q33, Q34, Q36) through `api::deadlines_json` with
//! `content/policy.yaml`: month ends, leap days, year ends, the optional dates, warnings and bad
//! input.

use policybook_engine::api;
use policybook_engine::rules::deadlines::{render_text, timeline, DeadlineInput};
use policybook_engine::rules::{Date, Lang};
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{policy, policy_value};

fn run_with(input: Value, policy: &Value) -> Value {
    serde_json::from_str(&api::deadlines_json(&input.to_string(), &policy.to_string())).expect("JSON out")
}

fn run(input: Value) -> Value {
    run_with(input, &policy_value())
}

fn item<'a>(result: &'a Value, key: &str) -> &'a Value {
    result["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i["key"] == key))
        .unwrap_or_else(|| panic!("no item {key} in {result}"))
}

fn due(result: &Value, key: &str) -> Value {
    item(result, key)["due"].clone()
}

fn d(text: &str) -> Date {
    Date::parse(text).expect("date")
}

/// The regular track from the day a risk was found: (found, home verification due,
/// identification due).
fn assert_regular_track(cases: &[(&str, &str, &str)]) {
    for &(found, home, identification) in cases {
        let r = run(json!({ "risk_found": found }));
        assert_eq!(due(&r, "home_verification"), home, "found {found}");
        assert_eq!(due(&r, "identification"), identification, "found {found}");
    }
}

#[test]
fn regular_track_across_a_leap_day() {
    assert_regular_track(&[
        ("2024-02-27", "2024-03-01", "2024-03-13"), // 28, 29, 1 March
        ("2023-02-27", "2023-03-02", "2023-03-14"),
        ("2024-02-29", "2024-03-03", "2024-03-15"),
    ]);
}

#[test]
fn regular_track_across_a_year_end() {
    assert_regular_track(&[
        ("2023-12-25", "2023-12-28", "2024-01-09"),
        ("2023-12-30", "2024-01-02", "2024-01-14"),
    ]);
    let r = run(json!({"risk_found": "2023-12-31", "county_approval": "2023-12-31"}));
    assert_eq!(due(&r, "system_entry"), "2024-01-10");
}

#[test]
fn green_channel_month_clamps_to_the_month_end() {
    for (entry, verified) in [
        ("2024-01-31", "2024-02-29"),
        ("2023-01-31", "2023-02-28"),
        ("2023-01-28", "2023-02-28"),
        ("2024-02-29", "2024-03-29"),
        ("2023-03-31", "2023-04-30"),
        ("2023-12-31", "2024-01-31"),
        ("2023-12-15", "2024-01-15"),
    ] {
        let r = run(json!({"green_channel_entry": entry}));
        assert_eq!(due(&r, "green_channel_verification"), verified, "{entry}");
        assert_eq!(due(&r, "green_channel_assistance"), entry);
        assert_eq!(item(&r, "green_channel_verification")["track"], "green_channel");
        assert!(item(&r, "green_channel_verification")["cites"]
            .as_array()
            .expect("cites")
            .contains(&json!(24)));
    }
}

#[test]
fn approval_dates_system_entry_and_the_plan() {
    let r = run(json!({"risk_found": "2024-02-10", "county_approval": "2024-02-20"}));
    assert_eq!(due(&r, "system_entry"), "2024-03-01");
    assert_eq!(due(&r, "assistance_plan"), "2024-03-01");
    let plan = item(&r, "assistance_plan");
    assert_eq!(plan["from_field"], "county_approval");
    assert!(plan["zh"].as_str().expect("zh").contains("没有写明起算日"), "{plan}");
    assert_eq!(plan["cites"], json!([23]));
    assert!(plan["quote"]
        .as_str()
        .expect("quote")
        .contains("10天内完成帮扶计划制定"));
    assert!(r["warnings"].as_array().expect("warnings").is_empty(), "{r}");
}

#[test]
fn without_approval_the_dates_after_it_are_not_invented() {
    let r = run(json!({"risk_found": "2023-12-25"}));
    for key in ["system_entry", "assistance_plan", "village_publicity"] {
        assert!(due(&r, key).is_null(), "{key}: {r}");
    }
    // If approved on the last day allowed (2024-01-09), entry and plan would be due 2024-01-19.
    assert_eq!(item(&r, "system_entry")["due_if_on_time"], "2024-01-19");
    assert_eq!(item(&r, "assistance_plan")["due_if_on_time"], "2024-01-19");
    let publicity = item(&r, "village_publicity");
    assert_eq!(publicity["amount"], 5);
    assert!(publicity["zh"]
        .as_str()
        .expect("zh")
        .contains("为期 5 天，是识别认定期限（最迟 2024-01-09，含当日）中的一段"));
    assert!(publicity["en"]
        .as_str()
        .expect("en")
        .contains("posted by 2024-01-04 at the latest"));
}

#[test]
fn publicity_dated_from_its_start_with_warnings() {
    let r = run(json!({"risk_found": "2024-02-25", "publicity_start": "2024-02-27"}));
    assert_eq!(due(&r, "village_publicity"), "2024-03-03");
    assert!(r["warnings"].as_array().expect("warnings").is_empty());
    // Publicity ending after the 15 days, approval before the publicity ends, approval late.
    let r = run(json!({"risk_found": "2024-02-01", "publicity_start": "2024-02-14", "county_approval": "2024-02-18"}));
    assert_eq!(due(&r, "village_publicity"), "2024-02-19");
    let warnings = r["warnings"].to_string();
    assert!(warnings.contains("晚于识别认定期限 2024-02-16"), "{warnings}");
    assert!(warnings.contains("早于公示结束日期 2024-02-19"), "{warnings}");
    assert!(
        warnings.contains("县级批准日期 2024-02-18 晚于识别认定期限 2024-02-16"),
        "{warnings}"
    );
}

#[test]
fn both_tracks_together() {
    let r = run(json!({"risk_found": "2024-01-31", "green_channel_entry": "2024-01-31"}));
    let keys: Vec<&str> = r["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["key"].as_str())
        .collect();
    assert_eq!(
        keys,
        vec![
            "home_verification",
            "village_publicity",
            "identification",
            "system_entry",
            "assistance_plan",
            "green_channel_assistance",
            "green_channel_verification"
        ]
    );
}

#[test]
fn amounts_come_from_the_policy_data() {
    let mut policy = policy_value();
    policy["time_limits"]["home_verification"]["amount"] = json!(4);
    policy["time_limits"]["green_channel_verification"]["amount"] = json!(2);
    let r = run_with(
        json!({"risk_found": "2024-02-27", "green_channel_entry": "2023-12-31"}),
        &policy,
    );
    assert_eq!(due(&r, "home_verification"), "2024-03-02");
    assert_eq!(due(&r, "green_channel_verification"), "2024-02-29");
}

#[test]
fn every_item_cites_quotes_and_the_convention_is_stated() {
    let r = run(
        json!({"risk_found": "2024-02-27", "green_channel_entry": "2024-02-27", "county_approval": "2024-03-05", "publicity_start": "2024-03-01"}),
    );
    for item in r["items"].as_array().expect("items") {
        assert!(!item["cites"].as_array().expect("cites").is_empty(), "{item}");
        assert!(!item["quote"].as_str().expect("quote").is_empty(), "{item}");
        assert!(!item["zh"].as_str().expect("zh").is_empty() && !item["en"].as_str().expect("en").is_empty());
        assert!(item["due"].is_string(), "{item}");
    }
    assert!(r["counting"]["zh"].as_str().expect("zh").contains("开始的当日不计入"));
    assert!(r["counting"]["en"].as_str().expect("en").contains("due on D + N"));
    let input = DeadlineInput::from_json(r#"{"risk_found": "2024-02-27", "green_channel_entry": "2024-02-27"}"#)
        .expect("valid");
    let policy = policy();
    let text = render_text(&timeline(&input, &policy).expect("timeline"), Lang::Zh);
    assert!(
        text.contains("2024-03-01  镇村入户核实：最迟 2024-03-01（含当日"),
        "{text}"
    );
    assert!(text.contains("“绿色通道”\n"), "{text}");
    let text = render_text(&timeline(&input, &policy).expect("timeline"), Lang::En);
    assert!(text.contains("2024-03-27  Verification"), "{text}");
}

#[test]
fn bad_input_names_the_field() {
    let cases = [
        (json!({}), "risk_found"),
        (json!({"risk_found": null}), "risk_found"),
        (json!({"risk_found": "2023-02-29"}), "risk_found"),
        (json!({"risk_found": "2024/02/01"}), "risk_found"),
        (json!({"risk_found": 20240201}), "risk_found"),
        (json!({"green_channel_entry": "2024-13-01"}), "green_channel_entry"),
        (
            json!({"risk_found": "2024-02-01", "approval": "2024-02-10"}),
            "approval",
        ),
        (
            json!({"green_channel_entry": "2024-02-01", "county_approval": "2024-02-10"}),
            "county_approval",
        ),
        (
            json!({"risk_found": "2024-02-10", "county_approval": "2024-02-01"}),
            "county_approval",
        ),
        (
            json!({"risk_found": "2024-02-10", "publicity_start": "2024-02-09"}),
            "publicity_start",
        ),
        (json!({"risk_found": "9999-12-25"}), "risk_found"),
        (json!({"green_channel_entry": "9999-12-15"}), "green_channel_entry"),
        (
            json!({"risk_found": "9999-12-01", "county_approval": "9999-12-30"}),
            "county_approval",
        ),
        (json!([1]), "input"),
        (json!("2024-02-01"), "input"),
    ];
    for (input, field) in cases {
        let r = run(input.clone());
        assert_eq!(r["error"]["field"], field, "{input} → {r}");
        assert!(r["errors"].as_array().is_some_and(|e| !e.is_empty()));
        assert!(r["error"]["zh"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let r: Value =
        serde_json::from_str(&api::deadlines_json("{\"risk_found\":", &policy_value().to_string())).expect("json");
    assert_eq!(r["error"]["field"], "input");
    let r: Value =
        serde_json::from_str(&api::deadlines_json("{\"risk_found\": \"2024-01-01\"}", "not json")).expect("json");
    assert_eq!(r["error"]["field"], "policy");
    let mut policy = policy_value();
    policy["time_limits"]["identification"]["amount"] = json!(0);
    let r = run_with(json!({"risk_found": "2024-01-01"}), &policy);
    assert_eq!(r["error"]["field"], "policy.time_limits.identification.amount");
}

proptest! {
    /// Due dates are never before the date they count from, and days add up exactly.
    #[test]
    fn days_and_months_are_consistent(serial in 0i64..(365 * 200), n in 0i64..400, m in 0i64..36) {
        let start = d("1950-01-01").add_days(serial).expect("in range");
        let later = start.add_days(n).expect("in range");
        prop_assert_eq!(start.days_until(later), n);
        prop_assert_eq!(later.add_days(-n), Some(start));
        let month_later = start.add_months(m).expect("in range");
        prop_assert!(month_later >= start);
        prop_assert!(month_later.day() <= start.day());
        let months_between = (i64::from(month_later.year()) - i64::from(start.year())) * 12
            + i64::from(month_later.month()) - i64::from(start.month());
        prop_assert_eq!(months_between, m);
    }

    /// The API never panics on arbitrary input text.
    #[test]
    fn never_panics(text in ".{0,60}") {
        let out: Value = serde_json::from_str(&api::deadlines_json(&text, &policy_value().to_string())).expect("JSON out");
        prop_assert!(out.get("items").is_some() || out.get("error").is_some());
    }
}

#[test]
fn a_due_date_says_the_day_itself_is_included() {
    // "2024-02-23 前" can be read as "before the 23rd"; the due day itself is allowed, as the
    // English "by" says, so both languages say so.
    let r = run(json!({"green_channel_entry": "2024-01-23", "risk_found": "2024-02-08"}));
    let verification = item(&r, "green_channel_verification");
    assert_eq!(verification["due"], "2024-02-23");
    let zh = verification["zh"].as_str().expect("zh");
    assert!(zh.contains("最迟 2024-02-23（含当日"), "{zh}");
    assert!(!zh.contains("2024-02-23 前"), "{zh}");
    let en = verification["en"].as_str().expect("en");
    assert!(en.contains("by 2024-02-23, that day included"), "{en}");
    for key in ["home_verification", "identification"] {
        let zh = item(&r, key)["zh"].as_str().expect("zh").to_string();
        assert!(zh.contains("最迟 ") && zh.contains("（含当日"), "{key}: {zh}");
        assert!(!zh.contains(" 前（"), "{key}: {zh}");
    }
    let publicity = item(&r, "village_publicity")["zh"].as_str().expect("zh").to_string();
    assert!(publicity.contains("最迟 2024-02-23，含当日"), "{publicity}");
    assert!(!publicity.contains("2024-02-23 前"), "{publicity}");
    // The printable text says the same.
    let input = DeadlineInput::from_json(r#"{"green_channel_entry": "2024-01-23"}"#).expect("valid");
    let policy = policy();
    let text = render_text(&timeline(&input, &policy).expect("timeline"), Lang::Zh);
    assert!(text.contains("最迟 2024-02-23（含当日"), "{text}");
}
