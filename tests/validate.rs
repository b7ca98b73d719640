//! `policybook validate`: the shipped guide is clean; every broken fixture of
//! `tests/fixtures/invalid/` is reported with the build's messages and exit status 1; every lint
//! fixture of `tests/fixtures/lint/` gives its finding at file:line:column with the offending
//! line; nothing is ever written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{
    assert_contains, content_copy, copy_tree, each_fixture, lacks_expected, prepare_fixture, read_tree, replace_in,
    repo, TempDir,
};

/// Seconds since 1970 at 00:00 UTC of `YYYY-MM-DD` (for `SOURCE_DATE_EPOCH`).
fn epoch(date: &str) -> i64 {
    let p: Vec<i64> = date.trim().split('-').map(|x| x.parse().expect("date")).collect();
    let (y, m, d) = (p[0] - i64::from(p[1] <= 2), p[1], p[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// Runs `policybook validate --content content [args]` in `dir` on `date`.
fn validate(dir: &Path, date: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(dir)
        .args(["validate", "--content", "content"])
        .args(args)
        .env("SOURCE_DATE_EPOCH", epoch(date).to_string())
        .env_remove("NO_COLOR")
        .output()
        .expect("run policybook validate")
}

/// `policybook validate` in `dir` on `date` with `args`: its standard output, once the exit status
/// is checked to be `code`.
#[track_caller]
fn validate_text(dir: &Path, date: &str, args: &[&str], code: i32) -> String {
    let out = validate(dir, date, args);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(code), "{text}");
    text
}

/// The findings of a JSON report, one per line group: `FILE:LINE:COL: MESSAGE`, hint, snippet.
fn findings_text(report: &serde_json::Value) -> String {
    let mut out = String::new();
    for f in report["findings"].as_array().expect("findings") {
        let mut loc = f["file"].as_str().unwrap_or_default().to_string();
        if let Some(l) = f["line"].as_u64() {
            loc.push_str(&format!(":{l}"));
            if let Some(c) = f["column"].as_u64() {
                loc.push_str(&format!(":{c}"));
            }
        }
        out.push_str(&format!("{loc}: {}\n", f["message"].as_str().unwrap_or_default()));
        if let Some(h) = f["hint"].as_str() {
            out.push_str(&format!("  hint: {h}\n"));
        }
        if let Some(s) = f["snippet"].as_str() {
            out.push_str(&format!("{s}\n"));
        }
    }
    out
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn the_shipped_guide_is_clean_and_nothing_is_written() {
    let dir = TempDir::new("validate-guide");
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    let before = read_tree(dir.path());
    // A day when the shipped line is the current year's: no lint may fire.
    let text = validate_text(dir.path(), "2023-06-01", &[], 0);
    assert_contains(&text, &["pages would be built; no problems found"]);
    let out = validate(dir.path(), "2023-06-01", &["--format", "json"]);
    let report = json(&out);
    assert_eq!(report["ok"], true);
    assert_eq!(report["errors"], 0);
    assert_eq!(report["warnings"], 0, "{}", findings_text(&report));
    assert!(report["pages"].as_u64().is_some_and(|n| n > 90), "{report}");
    assert_eq!(read_tree(dir.path()), before, "validate wrote or changed a file");
}

#[test]
fn an_edited_question_that_no_longer_holds_a_cited_sentence_is_an_error() {
    let dir = content_copy("validate-citation");
    // "within 10 days of approval", retyped as 12: the policy's time limit quotes the original.
    replace_in(&dir.path().join("content/zh/q/36.md"), "批准后10天内", "批准后12天内");
    let out = validate(dir.path(), "2023-06-01", &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let findings = findings_text(&json(&out));
    assert_contains(
        &findings,
        &[
            "content/policy.yaml:",
            "time_limits.system_entry.quote: the text of the questions cited (Q36) does not contain these words",
        ],
    );
    // A rule's provision: the hotline sentence of Q42, reworded (农户 → 群众).
    let q42 = dir.path().join("content/zh/q/42.md");
    let text = std::fs::read_to_string(&q42).expect("read Q42");
    assert!(text.contains("农户可通过拨打12317电话"), "Q42's wording");
    std::fs::write(&q42, text.replace("农户可通过拨打12317电话", "群众可通过拨打12317电话")).expect("write Q42");
    let findings = findings_text(&json(&validate(dir.path(), "2023-06-01", &["--format", "json"])));
    assert_contains(
        &findings,
        &["the self-check's rules cite question 42 for the words “农户可通过拨打12317电话”"],
    );
}

#[test]
fn a_missing_line_for_this_year_is_a_warning_with_exit_status_0() {
    let dir = content_copy("validate-stale");
    let text = validate_text(dir.path(), "2027-05-01", &[], 0);
    assert_contains(
        &text,
        &[
            "warning[line-not-entered]: the 2027 line has not been entered; the 2023 line is shown",
            "--> content/policy.yaml:",
            "1 warning to look at",
        ],
    );
}

#[test]
fn every_invalid_fixture_is_an_error_with_the_builds_message() {
    each_fixture("tests/fixtures/invalid", 20, |case, dir| {
        prepare_fixture(case, dir.path());
        let before = read_tree(dir.path());
        let out = validate(dir.path(), "2023-06-01", &["--format", "json"]);
        let mut failures = Vec::new();
        if out.status.code() != Some(1) {
            failures.push(format!("exit status {:?}, not 1", out.status.code()));
        }
        let report = json(&out);
        if report["ok"] != false || report["errors"].as_u64().unwrap_or(0) == 0 {
            failures.push(format!("not reported as an error: {report}"));
        }
        failures.extend(lacks_expected(case, &findings_text(&report), "findings"));
        if read_tree(dir.path()) != before {
            failures.push("validate wrote or changed a file".into());
        }
        failures
    });
}

#[test]
fn every_lint_fixture_gives_its_finding_at_file_line_column() {
    each_fixture("tests/fixtures/lint", 6, |case, dir| {
        prepare_fixture(case, dir.path());
        let date = std::fs::read_to_string(case.join("DATE")).unwrap_or_else(|_| "2023-06-01".into());
        let exit: i32 = std::fs::read_to_string(case.join("EXIT"))
            .map(|s| s.trim().parse().expect("EXIT is a number"))
            .unwrap_or(0);
        let out = validate(dir.path(), &date, &["--format", "json"]);
        let mut failures = Vec::new();
        if out.status.code() != Some(exit) {
            failures.push(format!("exit status {:?}, not {exit}", out.status.code()));
        }
        let report = json(&out);
        let findings = report["findings"].as_array().map_or(0, Vec::len);
        if findings != 1 {
            failures.push(format!("{findings} findings, not 1:\n{}", findings_text(&report)));
        }
        failures.extend(lacks_expected(case, &findings_text(&report), "findings"));
        failures
    });
}

#[test]
fn the_text_format_shows_the_offending_line_and_points_at_the_column() {
    let dir = TempDir::new("validate-text");
    prepare_fixture(&repo().join("tests/fixtures/invalid/unknown-field"), dir.path());
    let out = validate(dir.path(), "2023-06-01", &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    // annotate-snippets: the title, the location, the source line with its number, the underline, the hint.
    assert_contains(
        &text,
        &[
            "error[content]: unknown field `tpoic`, expected one of `number`, `title`, `topic`, `related`",
            "--> content/zh/q/02.md:4:1",
            "4 | tpoic: first",
            "  | ^^^^^^",
            "= help: remove the field or correct its spelling",
            "1 error, 0 warnings: the build would fail",
        ],
    );
    assert!(!text.contains('\u{1b}'), "no colours when the output is not a terminal");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn a_missing_content_folder_is_one_clear_error() {
    let dir = TempDir::new("validate-missing");
    let text = validate_text(dir.path(), "2023-06-01", &[], 1);
    assert_contains(
        &text,
        &[
            "error[content]: the content folder does not exist",
            "pass --content DIR",
        ],
    );
}
