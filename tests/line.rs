//! `policybook line add` and `line list`, run as a trainer runs them: the binary, in a copy of
//! the project's content. `add` must keep every byte of policy.yaml other than the new entry,
//! refuse what `validate` refuses with the same messages (leaving the file as it was), and give
//! the same site as the entry typed by hand the way the trainer guide shows. The 2027 figures are
//! made up for these tests; they are not announced lines.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{assert_contains, content_copy, read_tree, TempDir};

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(dir)
        .args(args)
        .env("SOURCE_DATE_EPOCH", "1806537600") // 2027-04-01
        .env("NO_COLOR", "1")
        .output()
        .expect("run policybook")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ADD_2027: [&str; 10] = [
    "line",
    "add",
    "--year",
    "2027",
    "--effective",
    "2027-03-15",
    "--yuan",
    "7000",
    "--source",
    "TEST ONLY, not an announced figure: 山东省乡村振兴局 测试〔2027〕1号, 2027-03-15",
];

/// The entry as the trainer guide tells a trainer to type it, at the end of `monitoring_lines`.
fn add_by_hand(policy: &Path, entry: &str) {
    let text = std::fs::read_to_string(policy).expect("policy.yaml");
    let anchor = "\n\n# Q13:";
    let at = text.find(anchor).expect("the comment after monitoring_lines");
    std::fs::write(policy, format!("{}\n{entry}{}", &text[..at], &text[at..])).expect("write");
}

#[test]
fn add_keeps_every_comment_and_gives_the_site_of_the_hand_typed_entry() {
    let dir = content_copy("line-add");
    let policy = dir.path().join("content/policy.yaml");
    let before = std::fs::read_to_string(&policy).expect("read");
    let out = run(dir.path(), &ADD_2027);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(&policy).expect("read");

    // Exactly the new entry was inserted; every other line, comments included, is as it was.
    let entry = "  - year: 2027\n    effective: 2027-03-15\n    yuan: 7000\n    provisional: false\n    source: \"TEST ONLY, not an announced figure: 山东省乡村振兴局 测试〔2027〕1号, 2027-03-15\"\n";
    assert_eq!(after.replacen(entry, "", 1), before, "only the entry may change");
    let at = after.find(entry).expect("the entry");
    assert!(
        after[..at].ends_with("全国基准，不是山东省公布的数字\n"),
        "right after the last entry"
    );
    assert!(!dir.path().join("content/.policy.yaml.policybook-new").exists());

    // It says what changed and what to run next.
    let stdout = text(&out.stdout);
    let first = before[..before.find("\n\n# Q13:").expect("anchor")].lines().count() + 1;
    assert!(
        stdout.contains(&format!("content/policy.yaml (lines {first}–{})", first + 4)),
        "{stdout}"
    );
    assert_contains(
        &stdout,
        &[
            "+   - year: 2027\n",
            "7,000 yuan per person per year from 2027-03-15",
            "next: policybook build",
        ],
    );

    // `validate` accepts the result, and the site equals the one built from the hand-typed entry.
    let valid = run(dir.path(), &["validate"]);
    assert!(valid.status.success(), "{}", text(&valid.stdout));
    let by_hand = content_copy("line-by-hand");
    add_by_hand(&by_hand.path().join("content/policy.yaml"), entry);
    for d in [dir.path(), by_hand.path()] {
        let built = run(d, &["build", "--quiet"]);
        assert!(built.status.success(), "{}", text(&built.stderr));
    }
    let (a, b) = (
        read_tree(&dir.path().join("site")),
        read_tree(&by_hand.path().join("site")),
    );
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(bytes == &b[path], "{path} differs from the hand-typed entry's site");
    }
    assert!(text(&a["zh/q/10/index.html"]).contains("2027 年：7,000 元/人·年"));

    // `line list` shows both lines with their dates, state and sources.
    let list = run(dir.path(), &["line", "list"]);
    assert!(list.status.success(), "{}", text(&list.stderr));
    let list = text(&list.stdout);
    assert_contains(
        &list,
        &[
            "2 monitoring lines",
            "2023  from 2023-01-01    6,000 yuan  superseded, provisional",
            "2027  from 2027-03-15    7,000 yuan  in force\n",
            "source: TEST ONLY, not an announced figure: 山东省乡村振兴局",
        ],
    );
}

#[test]
fn a_chinese_source_is_written_listed_and_shown_on_the_chinese_pages_only() {
    let dir = content_copy("line-add-zh");
    let en = "TEST ONLY, not an announced figure: Shandong rural revitalisation bureau notice 1 (2027)";
    let zh = "仅供测试，并非公布的数字：山东省乡村振兴局 测试〔2027〕1号";
    let mut args = ADD_2027.to_vec();
    *args.last_mut().expect("source") = en;
    // An empty Chinese source is refused, naming the field, and the file is left as it was.
    let policy_file = dir.path().join("content/policy.yaml");
    let before = std::fs::read_to_string(&policy_file).expect("read");
    let mut empty = args.clone();
    empty.extend(["--source-zh", " "]);
    let refused = run(dir.path(), &empty);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused.stderr));
    assert!(
        text(&refused.stderr)
            .contains("monitoring_lines[1].source_zh: entry 2 (year 2027): the Chinese source is empty"),
        "{}",
        text(&refused.stderr)
    );
    assert_eq!(std::fs::read_to_string(&policy_file).expect("read"), before);
    args.extend(["--source-zh", zh]);
    let out = run(dir.path(), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let policy = std::fs::read_to_string(dir.path().join("content/policy.yaml")).expect("read");
    assert!(policy.contains(&format!("    source_zh: \"{zh}\"\n")), "{policy}");
    let list = text(&run(dir.path(), &["line", "list"]).stdout);
    assert_contains(&list, &[&format!("source: {en}"), &format!("source_zh: {zh}")]);
    let built = run(dir.path(), &["build", "--quiet"]);
    assert!(built.status.success(), "{}", text(&built.stderr));
    let site = read_tree(&dir.path().join("site"));
    // The line box's source (the page also embeds the policy data, with both).
    let shown = |page: &str| {
        let html = text(&site[page]);
        let tag = ["id=line-source>", "id=\"line-source\">"]
            .into_iter()
            .find(|t| html.contains(t));
        let tag = tag.expect("the line box's source");
        let start = html.find(tag).unwrap_or_default() + tag.len();
        html[start..start + html[start..].find("</dd>").expect("its end")].to_string()
    };
    let (zh_shown, en_shown) = (shown("zh/check/index.html"), shown("en/check/index.html"));
    assert!(
        zh_shown.contains(zh) && !zh_shown.contains("TEST ONLY"),
        "zh page: {zh_shown}"
    );
    assert!(
        en_shown.contains("TEST ONLY") && !en_shown.contains("仅供测试"),
        "en page: {en_shown}"
    );
    let (zh_changes, en_changes) = (
        text(&site["zh/changes/index.html"]),
        text(&site["en/changes/index.html"]),
    );
    assert!(zh_changes.contains(zh) && en_changes.contains(en), "the history too");
}

/// The error lines (`error[policy]: …` and its `--> file:line:column`) of a report.
fn error_lines(report: &str) -> Vec<String> {
    let lines: Vec<&str> = report.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("error[") {
            out.push(l.to_string());
            if let Some(next) = lines.get(i + 1) {
                out.push(next.trim().to_string());
            }
        }
    }
    out
}

#[test]
fn add_refuses_what_validate_refuses_with_the_same_messages_and_changes_nothing() {
    // (year, effective, yuan, source, provisional): each given to `line add` and typed by hand.
    let entries = [
        ("2027", "2026-12-01", "7000", "S", false),
        ("2023", "2023-06-01", "7000", "S", false),
        ("2027", "2027-03-15", "0", "S", false),
        ("2027", "2027-03-15", "7000", " ", false),
        ("2027", "2027-03-15", "7000", "S", true),
        ("2027", "2027-02-30", "7000", "S", false),
    ];
    let cases = entries.map(|(year, effective, yuan, source, provisional)| {
        let mut args = vec!["--year", year, "--effective", effective, "--yuan", yuan, "--source", source];
        if provisional {
            args.push("--provisional");
        }
        let by_hand = format!(
            "  - year: {year}\n    effective: {effective}\n    yuan: {yuan}\n    provisional: {provisional}\n    source: \"{source}\"\n"
        );
        (args, by_hand)
    });
    for (args, by_hand) in cases {
        let dir = content_copy("line-refused");
        let policy = dir.path().join("content/policy.yaml");
        let before = std::fs::read(&policy).expect("read");
        let mut full = vec!["line", "add"];
        full.extend_from_slice(&args);
        let out = run(dir.path(), &full);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", text(&out.stderr));
        assert_eq!(
            std::fs::read(&policy).expect("read"),
            before,
            "{args:?}: the file changed"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path().join("content"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(
            names.iter().all(|n| !n.to_string_lossy().contains("policybook-new")),
            "{names:?}"
        );
        let stderr = text(&out.stderr);
        assert_contains(&stderr, &["content/policy.yaml was not changed"]);

        let hand = content_copy("line-refused-hand");
        add_by_hand(&hand.path().join("content/policy.yaml"), &by_hand);
        let validate = run(hand.path(), &["validate"]);
        assert_eq!(validate.status.code(), Some(1), "{args:?}");
        let expected = error_lines(&text(&validate.stdout));
        assert!(!expected.is_empty(), "{args:?}: validate found no error");
        assert_eq!(error_lines(&stderr), expected, "{args:?}");
    }
}

#[test]
fn add_keeps_a_windows_file_as_windows_wrote_it() {
    let dir = content_copy("line-crlf");
    let policy = dir.path().join("content/policy.yaml");
    let lf = std::fs::read_to_string(&policy).expect("read");
    let crlf = lf.replace('\n', "\r\n");
    std::fs::write(&policy, &crlf).expect("write");
    let out = run(dir.path(), &ADD_2027);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let after = std::fs::read_to_string(&policy).expect("read");
    assert_eq!(after.matches('\n').count(), after.matches("\r\n").count(), "a bare LF");
    assert_eq!(after.lines().count(), lf.lines().count() + 5);
    assert!(after.contains("\r\n  - year: 2027\r\n    effective: 2027-03-15\r\n"));
}

#[test]
fn list_and_add_report_a_missing_file() {
    let dir = TempDir::new("line-missing");
    for args in [&["line", "list"][..], &ADD_2027[..]] {
        let out = run(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("content/policy.yaml") && stderr.contains("hint:"),
            "{stderr}"
        );
    }
}
