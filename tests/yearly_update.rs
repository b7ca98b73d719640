//! The yearly update: a trainer adds ONE dated entry to content/policy.yaml and
//! rebuilds, and every place that shows the monitoring line shows the new one — the home page
//! box, the checker's prefill, the box on the questions that mention the line — while the old
//! figure is left only in the history on the changes page. The 2027 figure here (7,000 yuan) is
//! made up for this test; it is not an announced line.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{assert_contains, content_copy, copy_tree, read_tree, repo, TempDir};

/// The questions whose official text mentions 省定防止返贫监测线, read from the guide; their
/// front matter declares `line_note: true`, and their pages show the box.
fn line_questions() -> Vec<u32> {
    let guide = policybook::content::load(&repo().join("content")).expect("content");
    guide
        .questions
        .iter()
        .filter(|q| q.zh.markdown.contains("省定防止返贫监测线") || q.zh.title.contains("省定防止返贫监测线"))
        .map(|q| q.number)
        .collect()
}

/// The entry a trainer adds, as the comment in policy.yaml shows it.
const ENTRY_2027: &str = "  - year: 2027
    effective: 2027-03-15
    yuan: 7000
    provisional: false
    source: \"TEST ONLY, not an announced figure: 山东省乡村振兴局 测试〔2027〕1号, 2027-03-15\"";

/// Seconds since 1970 at 00:00 UTC of a date (for `SOURCE_DATE_EPOCH`).
fn epoch(y: i64, m: i64, d: i64) -> i64 {
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// Adds `entry` at the end of `monitoring_lines` (before the comment and the next section).
fn add_entry(policy: &Path, entry: &str) {
    let text = std::fs::read_to_string(policy).expect("policy.yaml");
    let mut lines: Vec<&str> = text.lines().collect();
    let next = lines
        .iter()
        .position(|l| *l == "rural_average:")
        .expect("rural_average section");
    let mut at = next;
    while at > 0 && (lines[at - 1].trim().is_empty() || lines[at - 1].starts_with('#')) {
        at -= 1;
    }
    lines.insert(at, entry);
    std::fs::write(policy, lines.join("\n") + "\n").expect("write policy.yaml");
}

/// Builds `root/content` with the binary, as a trainer would, on the given day.
fn build(root: &Path, date: (i64, i64, i64)) -> BTreeMap<String, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_policybook"))
        .current_dir(root)
        .args(["build", "--quiet"])
        .env("SOURCE_DATE_EPOCH", epoch(date.0, date.1, date.2).to_string())
        .output()
        .expect("run policybook build");
    assert!(
        out.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    read_tree(&root.join("site"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).expect("utf-8")))
        .collect()
}

/// A copy of the project's content and theme, with the 2027 entry added.
fn updated_copy(tag: &str) -> TempDir {
    let dir = TempDir::new(tag);
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    add_entry(&dir.path().join("content/policy.yaml"), ENTRY_2027);
    dir
}

/// The pages that show the line in force.
fn pages_showing_the_line(pages: &BTreeMap<String, String>) -> Vec<String> {
    let mut list = vec!["index.html".to_string()];
    for lang in ["zh", "en"] {
        list.push(format!("{lang}/index.html"));
        list.push(format!("{lang}/check/index.html"));
        list.extend(line_questions().iter().map(|n| format!("{lang}/q/{n}/index.html")));
        // The cadre tools' risk-elimination page compares incomes with the line (Q25).
        let tool = format!("{lang}/elimination/index.html");
        if pages.contains_key(&tool) {
            list.push(tool);
        }
    }
    list
}

/// The HTML between `<section ... class=line-box` and its `</section>`.
fn line_box(html: &str) -> &str {
    let start = html.find("class=line-box").expect("home page line box");
    let end = html[start..].find("</section>").expect("end of the box") + start;
    &html[start..end]
}

#[test]
fn one_new_entry_updates_every_page_and_the_old_figure_stays_only_in_the_history() {
    let dir = updated_copy("yearly");
    let pages = build(dir.path(), (2027, 4, 1));

    for page in pages_showing_the_line(&pages) {
        let html = &pages[&page];
        assert!(html.contains("7,000"), "{page} does not show the 2027 line");
    }
    for (path, html) in &pages {
        if path.ends_with("changes/index.html") {
            continue;
        }
        for old in ["6,000", "6000"] {
            assert!(!html.contains(old), "{path} still shows the old figure {old}");
        }
    }
    // The checker's prefill: the input and the script data hold the 2027 line only.
    let check = &pages["zh/check/index.html"];
    assert!(check.contains("value=7000"), "checker prefill");
    assert!(check.contains("\"year\":2027"), "checker data");
    assert!(!check.contains("\"year\":2023"), "superseded line in the checker data");
    // The home page box: year, figure, not provisional, not stale, a link to the history.
    let zh_box = line_box(&pages["zh/index.html"]);
    assert!(
        zh_box.contains("2027") && zh_box.contains("<strong>7,000</strong>"),
        "{zh_box}"
    );
    assert!(!zh_box.contains("暂定值") && !zh_box.contains("还没有录入"), "{zh_box}");
    assert_contains(zh_box, &["href=../zh/changes/index.html"]);
    let en_box = line_box(&pages["en/index.html"]);
    assert!(
        en_box.contains("<strong>7,000</strong>") && !en_box.contains("rovisional"),
        "{en_box}"
    );
    // The question pages' box, in both languages.
    assert!(pages["zh/q/10/index.html"].contains("2027 年：7,000 元/人·年"));
    assert!(pages["en/q/25/index.html"].contains("2027: 7,000 yuan per person per year"));
    assert!(pages["en/q/25/index.html"].contains("href=../../../en/changes/index.html"));

    // The changes page: both lines, newest first, each with its source and state.
    for lang in ["zh", "en"] {
        let changes = &pages[&format!("{lang}/changes/index.html")];
        let new = changes.find("7,000").expect("2027 line in the history");
        let old = changes.find("6,000").expect("2023 line in the history");
        assert!(new < old, "{lang}: newest first");
        assert!(changes.contains("测试〔2027〕1号"), "{lang}: the 2027 source");
        assert!(
            changes.contains("china-cer.com.cn/zhengcefagui"),
            "{lang}: the 2023 source"
        );
        assert!(
            changes.contains("line-entry in_force"),
            "{lang}: the line in force is marked"
        );
        assert!(
            changes.contains("line-entry superseded"),
            "{lang}: the old line is marked"
        );
        // What the notice and the 附则 say about the 2022 trial version, and nothing invented.
        assert!(changes.contains("edition-changes"), "{lang}: the edition's changes");
    }
    let zh_changes = &pages["zh/changes/index.html"];
    for said in [
        "2022年4月印发的试行版同时废止",
        "以本指南为准",
        "各市可根据本指南",
        "没有逐条列出",
    ] {
        assert!(zh_changes.contains(said), "changes page lacks {said}");
    }
}

#[test]
fn before_the_new_line_takes_effect_the_old_one_is_shown_with_the_date_of_the_next() {
    let dir = updated_copy("yearly-early");
    let pages = build(dir.path(), (2027, 2, 1));
    let zh_box = line_box(&pages["zh/index.html"]);
    assert_contains(zh_box, &["<strong>6,000</strong>", "2027年3月15日起为 7,000 元/人·年"]);
    let en_date = policybook::render::display_date("2027-03-15", policybook::Lang::En);
    assert!(pages["en/q/10/index.html"].contains(&format!(
        "From {en_date}: 7,000 yuan per person per year (the 2027 line)"
    )));
    // The checker's data has both lines, so that a phone switches by itself on 15 March.
    let check = &pages["en/check/index.html"];
    assert!(check.contains("\"year\":2023") && check.contains("\"year\":2027"));
    assert!(pages["en/changes/index.html"].contains("line-entry upcoming"));
}

#[test]
fn a_year_without_an_entry_says_which_line_is_shown() {
    let dir = content_copy("yearly-stale");
    let pages = build(dir.path(), (2026, 6, 1));
    let zh_box = line_box(&pages["zh/index.html"]);
    assert_contains(zh_box, &["还没有录入 2026 年的监测线，这里显示的是 2023 年的。"]);
    assert!(pages["en/q/11/index.html"].contains("The 2026 line has not been entered yet; the 2023 line is shown."));
}

#[test]
fn the_line_box_is_on_exactly_the_questions_that_mention_the_line() {
    let guide = policybook::content::load(&repo().join("content")).expect("content");
    let mentioning = line_questions();
    assert!(!mentioning.is_empty(), "the guide mentions the line");
    let declared: Vec<u32> = guide
        .questions
        .iter()
        .filter(|q| q.line_note)
        .map(|q| q.number)
        .collect();
    assert_eq!(
        declared, mentioning,
        "line_note: true in the front matter of exactly these questions"
    );
    let dir = content_copy("yearly-boxes");
    let pages = build(dir.path(), (2023, 6, 1));
    for lang in ["zh", "en"] {
        let with_box: Vec<u32> = guide
            .questions
            .iter()
            .map(|q| q.number)
            .filter(|n| pages[&format!("{lang}/q/{n}/index.html")].contains("class=line-note"))
            .collect();
        assert_eq!(with_box, mentioning, "{lang}");
    }
}
