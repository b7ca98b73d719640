//! Property tests of the rules, and tests of the shipped policy data and the JSON boundary.

use policybook_engine::api;
use policybook_engine::rules::{
    check, render_text, Case, Category, Date, Expenses, Hukou, Income, Lang, Policy, Problem,
};
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{policy, policy_value, repo_root};

fn today() -> Date {
    Date::parse("2023-06-01").expect("date")
}

// ---- the shipped data -------------------------------------------------------------------------

#[test]
fn shipped_policy_is_valid_and_marks_its_line_provisional() {
    let policy = policy();
    assert_eq!(policy.validate(), vec![]);
    assert_eq!(policy.monitoring_lines.len(), 1);
    let line = &policy.monitoring_lines[0];
    assert_eq!((line.year, line.yuan, line.provisional), (2023, 6000, true));
    let derivation = line.derivation.as_deref().expect("derivation");
    assert!(derivation.contains("1.5 × about 4,000 yuan"));
    assert!(derivation.contains("not an announced Shandong figure"));
    assert!(line.source.contains("经济日报") && line.source.contains("China Daily"));
    assert_eq!((policy.rural_average.year, policy.rural_average.yuan), (2020, 18753));
    let t = &policy.time_limits;
    let limits: Vec<(i64, Vec<u8>)> = [
        &t.home_verification,
        &t.village_publicity,
        &t.assistance_plan,
        &t.system_entry,
        &t.identification,
        &t.green_channel_verification,
        &t.stable_income,
    ]
    .iter()
    .map(|l| (l.amount, l.cites.clone()))
    .collect();
    assert_eq!(
        limits,
        vec![
            (3, vec![34]),
            (5, vec![34]),
            (10, vec![23]),
            (10, vec![36]),
            (15, vec![34]),
            (1, vec![24]),
            (6, vec![27]),
        ]
    );
}

#[test]
fn time_limit_quotes_are_in_the_guide() {
    let root = repo_root().join("content/zh/q");
    for (name, limit) in policy().time_limits.named() {
        let q = limit.cites[0];
        let text = std::fs::read_to_string(root.join(format!("{q:02}.md"))).expect("question");
        assert!(text.contains(&limit.quote), "{name}: quote not found in Q{q}");
        assert!(limit.quote.contains(&limit.amount.to_string()) || limit.quote.contains("半年"));
    }
}

#[test]
fn policy_with_unknown_field_or_bad_date_is_rejected() {
    let mut value = policy_value();
    value["monitoring_lines"][0]["amount"] = Value::from(6000);
    let err = serde_json::from_value::<Policy>(value).expect_err("unknown field");
    assert!(err.to_string().contains("amount"), "{err}");

    let mut value = policy_value();
    value["monitoring_lines"][0]["effective"] = Value::from("2023-02-30");
    let out: Value = serde_json::from_str(&api::check_json("{}", &value.to_string(), "2023-06-01")).expect("json");
    assert_eq!(out["error"]["field"], "policy");
    assert!(out["error"]["en"].as_str().expect("message").contains("2023-02-30"));
}

#[test]
fn api_reports_policy_errors_with_their_path() {
    let mut value = policy_value();
    value["monitoring_lines"][0]["yuan"] = Value::from(0);
    let out: Value = serde_json::from_str(&api::check_json("{}", &value.to_string(), "2023-06-01")).expect("json");
    assert_eq!(out["error"]["field"], "policy.monitoring_lines[0].yuan", "{out}");
    assert!(out["error"]["zh"].as_str().expect("zh").contains("第 1 条（2023 年）"));
}

// ---- the JSON boundary ------------------------------------------------------------------------

/// The form asks a conditional question exactly when the engine requires its answer: for every
/// registration and with or without a problem ticked, `case_draft_json` says "ask" where
/// `validate_case_json` would refuse the case without that answer.
#[test]
fn case_draft_asks_what_validation_requires() {
    for hukou in Hukou::NAMES {
        for problems in [json!([]), json!(["water"])] {
            let case = json!({"members": 2, "members_with_labor": 1, "poverty_alleviated": false,
                "hukou": hukou, "income": {}, "problems": problems, "sudden_hardship": false});
            let draft: Value = serde_json::from_str(&api::case_draft_json(&case.to_string())).expect("json");
            let checked: Value = serde_json::from_str(&api::validate_case_json(&case.to_string())).expect("json");
            let missing: Vec<&str> = checked["errors"]
                .as_array()
                .map_or(Vec::new(), |e| e.iter().filter_map(|e| e["field"].as_str()).collect());
            for question in ["urban_security", "can_resolve_alone"] {
                assert_eq!(
                    draft["asks"][question].as_bool(),
                    Some(missing.contains(&question)),
                    "{hukou} {problems}: {question} in {draft} against {checked}"
                );
            }
        }
    }
}

/// The running total of a half-filled form: the components given, business costs deducted,
/// claims kept out (Q12), per person once the members are known.
#[test]
fn case_draft_totals_the_income_given() {
    let draft = |text: &str| -> Value { serde_json::from_str(&api::case_draft_json(text)).expect("json") };
    let d = draft(r#"{"income": {"wages": 9000, "business": 6000, "business_costs": 1200, "claims": 5000}}"#);
    assert_eq!(d["net_income"], 13_800, "{d}");
    assert_eq!(d["per_capita_net_income"], Value::Null, "{d}");
    assert_eq!(d["asks"]["urban_security"], false);
    let d = draft(r#"{"members": 4, "income": {"wages": 9000, "business": 6000, "business_costs": 1200}}"#);
    assert_eq!(d["per_capita_net_income"], 3_450, "{d}");
    let d = draft(r#"{"members": 3, "income": {"business_costs": 1000}}"#);
    assert_eq!(
        (d["net_income"].as_i64(), d["per_capita_net_income"].as_i64()),
        (Some(-1000), Some(-334)),
        "{d}"
    );
    assert_eq!(draft("{}")["net_income"], 0);
    // Not a case at all, or a value the form never sends: an error naming the part, not a total.
    assert_eq!(draft("[")["error"]["field"], "case");
    assert_eq!(draft(r#"{"hukou": "city"}"#)["error"]["field"], "hukou");
    assert_eq!(draft(r#"{"income": {"wages": "9千"}}"#)["error"]["field"], "income");
}

#[test]
fn validate_case_json_lists_every_error() {
    let out: Value = serde_json::from_str(&api::validate_case_json(
        r#"{"members": 0, "members_with_labor": 1, "poverty_alleviated": "no",
            "hukou": "rural", "income": {"wages": -1}, "problems": []}"#,
    ))
    .expect("json");
    let mut fields: Vec<&str> = out["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    fields.sort_unstable();
    // `members: 0` is below its bound in the table, so it is listed with the other reading problems.
    assert_eq!(
        fields,
        vec!["income.wages", "members", "poverty_alleviated", "sudden_hardship"]
    );
    let ok = api::validate_case_json(
        r#"{"members": 1, "members_with_labor": 1, "poverty_alleviated": false,
            "hukou": "rural", "income": {}, "problems": [], "sudden_hardship": false}"#,
    );
    assert_eq!(ok, r#"{"ok":true}"#);
}

#[test]
fn policy_summary_prefills_the_form() {
    let out: Value =
        serde_json::from_str(&api::policy_summary_json(&policy_value().to_string(), "2024-02-01")).expect("json");
    assert_eq!(out["year"], 2023);
    assert_eq!(out["monitoring_line"], 6000);
    assert_eq!(out["provisional"], true);
    assert_eq!(out["stale"], true);
    assert_eq!(out["effective"], "2023-01-01");
    assert_eq!(out["rural_average"]["yuan"], 18753);
    assert_eq!(out["time_limits"]["village_publicity"]["amount"], 5);
    assert!(out["derivation"]["zh"].as_str().expect("zh").contains("1.5倍"));
}

#[test]
fn bad_today_and_options_name_their_field() {
    let policy = policy_value().to_string();
    let out: Value = serde_json::from_str(&api::check_json("{}", &policy, "yesterday")).expect("json");
    assert_eq!(out["error"]["field"], "today");
    let out: Value =
        serde_json::from_str(&api::check_json_opts("{}", &policy, "2023-06-01", r#"{"line": 5}"#)).expect("json");
    // An unknown option is named by its key, as any unknown field.
    assert_eq!(out["error"]["field"], "line");
    let out: Value =
        serde_json::from_str(&api::check_json_opts("{}", &policy, "2023-06-01", r#"{"line_yuan": 5"#)).expect("json");
    assert_eq!(out["error"]["field"], "options");
    let case = r#"{"members": 1, "members_with_labor": 1, "poverty_alleviated": false, "hukou": "rural",
        "income": {"wages": 6500}, "problems": [], "sudden_hardship": false}"#;
    let out: Value = serde_json::from_str(&api::check_json_opts(
        case,
        &policy,
        "2023-06-01",
        r#"{"line_yuan": "0.7万"}"#,
    ))
    .expect("json");
    assert_eq!(out["monitoring_line"], 7000, "{out}");
    assert_eq!(out["line_user_entered"], true);
}

#[test]
fn render_text_reads_well() {
    let case = Case::from_json(
        r#"{"members": 4, "members_with_labor": 2, "poverty_alleviated": false,
            "hukou": "rural", "income": {"wages": 16000, "business": 6000, "business_costs": 1200},
            "problems": ["housing"], "can_resolve_alone": false, "sudden_hardship": false}"#,
    )
    .expect("valid");
    let outcome = check(&case, &policy(), today()).expect("outcome");
    let zh = render_text(&outcome, Lang::Zh);
    assert!(zh.contains("自我检测结果：边缘易致贫户"));
    assert!(zh.contains("需要村里研判评议：否"));
    assert!(zh.contains("人均纯收入：5,200 元/人·年"));
    assert!(zh.contains("低于 2023 年省定防止返贫监测线 6,000 元（暂定值）"));
    assert!(zh.contains("提示\n"));
    let en = render_text(&outcome, Lang::En);
    assert!(en.contains("Line used: the 2023 provincial monitoring line, 6,000 yuan per person per year (provisional)"));
    assert!(en.contains("This is a self-check, not a determination"));
}

// ---- properties -------------------------------------------------------------------------------

fn hukou() -> impl Strategy<Value = Hukou> {
    proptest::sample::select(Hukou::ALL.to_vec())
}

fn problem() -> impl Strategy<Value = Problem> {
    proptest::sample::select(Problem::ALL.to_vec())
}

prop_compose! {
    fn valid_case()(
        members in 1u32..9,
        labor_share in 0u32..=100,
        poverty_alleviated in any::<bool>(),
        hukou in hukou(),
        urban_security in any::<bool>(),
        wages in 0u64..150_000,
        business in 0u64..80_000,
        transfers in 0u64..30_000,
        property in 0u64..10_000,
        business_costs in 0u64..60_000,
        claims in 0u64..40_000,
        medical in 0u64..80_000,
        education in 0u64..20_000,
        disaster in 0u64..20_000,
        problems in proptest::collection::btree_set(problem(), 0..3),
        can_resolve_alone in any::<bool>(),
        sudden_hardship in any::<bool>(),
    ) -> Case {
        let problems: Vec<Problem> = problems.into_iter().collect();
        Case {
            year: None,
            members,
            members_with_labor: members * labor_share / 100,
            poverty_alleviated,
            hukou,
            urban_security: (hukou == Hukou::ConvertedUrban).then_some(urban_security),
            income: Income { wages, business, transfers, property, business_costs, claims },
            expenses: Expenses { medical, education, disaster },
            can_resolve_alone: (!problems.is_empty()).then_some(can_resolve_alone),
            problems,
            sudden_hardship,
        }
    }
}

fn category(case: &Case, policy: &Policy) -> Category {
    check(case, policy, today())
        .expect("generated cases are valid")
        .category
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// All else equal, a lower income never takes a household out of monitoring.
    #[test]
    fn lower_income_never_leaves_monitoring(case in valid_case(), cut in 0u64..200_000, extra_costs in 0u64..50_000) {
        let policy = policy();
        let before = category(&case, &policy);
        let mut poorer = case.clone();
        poorer.income.wages = poorer.income.wages.saturating_sub(cut);
        poorer.income.business_costs += extra_costs;
        let after = category(&poorer, &policy);
        if before.is_monitored() {
            prop_assert!(after.is_monitored(), "{before:?} became {after:?} for {poorer:?}");
        }
    }

    /// All else equal, an added problem the household cannot resolve alone never takes a
    /// household out of monitoring, and puts every in-scope household into it.
    #[test]
    fn added_unresolved_problem_never_leaves_monitoring(case in valid_case(), added in problem()) {
        let policy = policy();
        let before = category(&case, &policy);
        let mut worse = case.clone();
        if !worse.problems.contains(&added) {
            worse.problems.push(added);
        }
        worse.can_resolve_alone = Some(false);
        let after = category(&worse, &policy);
        if before.is_monitored() {
            prop_assert!(after.is_monitored(), "{before:?} became {after:?}");
        }
        prop_assert!(after.is_monitored() || after == Category::OutOfScope);
    }

    /// A sudden hardship likewise puts every in-scope household into monitoring.
    #[test]
    fn sudden_hardship_means_monitoring_in_scope(case in valid_case()) {
        let mut case = case;
        case.sudden_hardship = true;
        let outcome = check(&case, &policy(), today()).expect("valid");
        prop_assert!(outcome.monitored || outcome.category == Category::OutOfScope);
    }

    /// Scope depends on registration alone.
    #[test]
    fn out_of_scope_exactly_for_urban_registrations(case in valid_case()) {
        let out = category(&case, &policy()) == Category::OutOfScope;
        let expected = case.hukou == Hukou::Urban
            || (case.hukou == Hukou::ConvertedUrban && case.urban_security == Some(true));
        prop_assert_eq!(out, expected);
    }

    /// The per-capita figure is the household total rounded down, and every result is explained.
    #[test]
    fn figures_and_reasons_are_consistent(case in valid_case()) {
        let outcome = check(&case, &policy(), today()).expect("valid");
        let i = &case.income;
        let net = i128::from(i.wages) + i128::from(i.business) + i128::from(i.transfers)
            + i128::from(i.property) - i128::from(i.business_costs);
        let pc = i128::from(outcome.per_capita_net_income);
        let m = i128::from(case.members);
        prop_assert!(pc * m <= net && net < (pc + 1) * m);
        prop_assert!(outcome.reasons.len() >= 2);
        prop_assert!(outcome.reasons.iter().all(|r| !r.cites.is_empty() && !r.zh.is_empty() && !r.en.is_empty()));
        prop_assert!(outcome.next_steps.iter().any(|s| s.en.contains("self-check, not a determination")));
        // The line comparison shown agrees with the category.
        let below = net < i128::from(outcome.monitoring_line) * m;
        if outcome.category == Category::UnstableAlleviated || outcome.category == Category::Marginal {
            prop_assert!(below);
        }
        if outcome.category == Category::SevereDifficulty {
            prop_assert!(!below);
        }
        prop_assert_eq!(outcome.category == Category::UnstableAlleviated, outcome.monitored && below && case.poverty_alleviated);
    }

    /// The JSON boundary never panics and always answers with a result or a named error.
    #[test]
    fn check_json_never_panics(case_json in ".{0,200}", today in "[0-9-]{0,12}") {
        let policy = policy_value().to_string();
        let out: Value = serde_json::from_str(&api::check_json(&case_json, &policy, &today)).expect("always JSON");
        prop_assert!(out.get("error").is_some() || out.get("category").is_some());
    }

    /// Mangled but JSON-shaped cases name a field.
    #[test]
    fn mangled_cases_name_a_field(key in "[a-z_]{1,20}", value in prop_oneof![
        Just(Value::Null), Just(Value::from(-3)), Just(Value::from(2.5)), Just(Value::from("x")),
        Just(Value::from(vec![1])), Just(Value::from(true)),
    ]) {
        let mut case = serde_json::json!({"members": 2, "members_with_labor": 1, "poverty_alleviated": false,
            "hukou": "rural", "income": {"wages": 1000}, "problems": [], "sudden_hardship": false});
        case[key.as_str()] = value;
        let out: Value = serde_json::from_str(&api::check_json(&case.to_string(), &policy_value().to_string(), "2023-06-01")).expect("json");
        if let Some(error) = out.get("error") {
            let field = error["field"].as_str().unwrap_or_default();
            prop_assert!(!field.is_empty() && field != "case", "{out}");
        }
    }
}

#[test]
fn chinese_texts_in_the_data_have_no_stray_spaces() {
    let policy = policy();
    let zh = policy.monitoring_lines[0]
        .derivation_zh
        .as_deref()
        .expect("derivation_zh");
    assert!(!zh.contains("， ") && !zh.contains("。 "), "{zh}");
}
