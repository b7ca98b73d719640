//! The command line as a user runs it: `check` and `search`, their exit codes and messages.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use common::{assert_contains, repo, TempDir};

fn policybook(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run policybook");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

const CASE: &str = "members: 4\nmembers_with_labor: 2\npoverty_alleviated: false\nhukou: rural\n\
income: {wages: 16000, business: 6000, business_costs: 1200}\nproblems: [housing]\n\
can_resolve_alone: false\nsudden_hardship: false\n";

#[test]
fn check_reads_a_case_from_stdin_and_prints_json_and_text() {
    let out = policybook(&["check", "-", "--json", "--today", "2023-06-01"], Some(CASE));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["category"], "marginal");
    assert_eq!(v["per_capita_net_income"], 5200);
    assert_eq!(v["monitoring_line"], 6000);
    assert_eq!(v["line_provisional"], true);
    assert!(v["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .all(|r| r["cites"].as_array().is_some_and(|c| !c.is_empty())));

    let zh = policybook(&["check", "-", "--today", "2023-06-01"], Some(CASE));
    let text = String::from_utf8_lossy(&zh.stdout);
    assert_contains(&text, &["边缘易致贫户"]);
    assert!(text.contains("暂定值"), "the provisional line is said so: {text}");
    let en = policybook(&["check", "-", "--lang", "en", "--today", "2023-06-01"], Some(CASE));
    let text = String::from_utf8_lossy(&en.stdout);
    assert_contains(&text, &["marginal household at risk of poverty", "provisional"]);
}

#[test]
fn check_names_the_bad_field_and_exits_2_without_panicking() {
    for (case, field) in [
        (CASE.replace("members: 4", "members: 0"), "members"),
        (CASE.replace("wages: 16000", "wages: -5"), "income.wages"),
        (CASE.replace("hukou: rural", "hukou: city"), "hukou"),
        (format!("{CASE}name: 张三\n"), "name"),
        (
            CASE.replace("members_with_labor: 2", "members_with_labor: 9"),
            "members_with_labor",
        ),
        (CASE.replace("wages: 16000", "wages: lots"), "income.wages"),
        ("members: [".to_string(), "not valid YAML"),
    ] {
        let out = policybook(&["check", "-", "--lang", "en"], Some(&case));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{field}: {err}");
        assert!(err.contains(field), "{field} named in: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(out.stdout.is_empty());
    }
    let out = policybook(&["check", "no/such/case.yaml"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/case.yaml"));
}

#[test]
fn check_refuses_bad_policy_data_with_its_file_and_line() {
    let dir = TempDir::new("policy");
    let policy = std::fs::read_to_string(repo().join("content/policy.yaml")).expect("policy");
    let bad = policy.replacen("yuan: 6000", "yuan: 0", 1);
    let path = dir.path().join("policy.yaml");
    std::fs::write(&path, bad).expect("write");
    let out = policybook(&["check", "-", "--policy", path.to_str().expect("utf-8")], Some(CASE));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let line = policy.lines().position(|l| l.trim() == "yuan: 6000").expect("line") + 1;
    assert!(err.contains(&format!("policy.yaml:{line}")), "file:line in {err}");
    assert_contains(&err, &["monitoring_lines[0].yuan"]);
}

#[test]
fn search_uses_the_built_index_and_answers_json() {
    let dir = TempDir::new("search");
    let site = dir.path().join("site");
    common::build(&repo().join("content"), &site).expect("build");
    let site_arg = site.to_str().expect("utf-8");
    let out = policybook(&["search", "绿色通道", "--json", "--site", site_arg], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let results = v["results"].as_array().expect("results");
    assert_eq!(results[0]["number"], 24, "{v}");
    assert_eq!(results[0]["url"], "/zh/q/24/");
    assert!(results[0]["snippet"].as_str().expect("snippet").contains("<mark>"));

    let out = policybook(
        &["search", "hotline", "--lang", "en", "--json", "--site", site_arg],
        None,
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["results"][0]["number"], 42, "{v}");

    for query in ["", "   ", &"很".repeat(40_000), "\u{1}\u{2}\u{fffd}\u{7f}"] {
        let out = policybook(&["search", query, "--json", "--site", site_arg], None);
        assert!(out.status.success());
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(
            v["results"].as_array().map(Vec::len),
            Some(0),
            "query of {} chars",
            query.len()
        );
    }
    let out = policybook(&["search", "x", "--site", dir.path().to_str().expect("utf-8")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("build the site first"));
}
