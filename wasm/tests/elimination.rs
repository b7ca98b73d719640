//! The risk-elimination check (Q25–Q29, Q31, Q37): property tests of the rules. The case files in
//! `tests/cases/elimination/` are run by `cases.rs`, the runner of every checker's case files.

use policybook_engine::api;
use policybook_engine::rules::elimination::{check_elimination, render_text, EliminationCase, Verdict};
use policybook_engine::rules::{Date, Income, Lang, Problem};
use proptest::prelude::*;
use serde_json::{json, Value};

mod common;
use common::{policy, policy_value};

fn today() -> Date {
    Date::parse("2023-06-01").expect("date")
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
