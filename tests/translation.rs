//! The English translation says exactly what the official text says: the renderings the
//! glossary fixes (checked by its lint), the passages where a rendering once changed or blurred
//! the meaning, and the issuing notice laid out as a Chinese official document.

mod common;

use common::{assert_contains, built_files, pretty, repo, TempDir};
use policybook::content::Guide;
use policybook::lint::{glossary_misses, renderings};
use policybook::render::notice_layout;
use policybook::Lang;

fn guide() -> Guide {
    policybook::content::load(&repo().join("content")).expect("content loads")
}

/// The English text of question `n`: title and answer, without markup.
fn english(guide: &Guide, n: u32) -> String {
    let q = guide.questions.iter().find(|q| q.number == n).expect("question exists");
    format!(
        "{}\n{}",
        q.en.title,
        policybook::markdown::to_plain_text(&q.en.markdown)
    )
}

fn term<'a>(guide: &'a Guide, zh: &str) -> &'a policybook::config::Term {
    guide
        .glossary
        .iter()
        .find(|t| t.zh == zh)
        .unwrap_or_else(|| panic!("{zh} is in the glossary"))
}

#[test]
fn the_glossary_fixes_each_rendering_the_review_named() {
    let guide = guide();
    for (zh, en) in [
        (
            "全国防止返贫监测和衔接推进乡村振兴信息系统",
            "National Information System for Monitoring to Prevent a Return to Poverty and for Linking with and Advancing Rural Revitalization",
        ),
        ("党委农业农村委员会", "Agriculture and Rural Affairs Commission of the Party committee"),
        ("脱贫户", "household lifted out of poverty"),
        ("脱贫不稳定户", "unstable household lifted out of poverty"),
        ("民主评议", "democratic appraisal"),
        ("审核", "examination"),
        ("镇村两级确认", "endorsement by the township and village levels"),
        ("主体责任", "primary responsibility"),
        ("脱贫攻坚", "fight against poverty"),
        ("贫困标准", "poverty line"),
        ("同步搬迁", "accompanying relocation"),
        ("一兜了之", "covered by the safety net and left at that"),
    ] {
        assert_eq!(term(&guide, zh).en, en, "{zh}");
    }
    // Each departure from the obvious rendering says why.
    for zh in [
        "监测帮扶对象",
        "全国防止返贫监测和衔接推进乡村振兴信息系统",
        "党委农业农村委员会",
        "脱贫户",
        "民主评议",
        "审核",
        "镇村两级确认",
        "贫困标准",
    ] {
        assert!(
            term(&guide, zh).reason.as_deref().is_some_and(|r| r.len() > 20),
            "{zh} has a reason"
        );
    }
    // 脱贫 one way: "poverty-alleviated" is gone from the translation and the glossary.
    for q in &guide.questions {
        let text = english(&guide, q.number).to_lowercase();
        assert!(!text.contains("poverty-alleviated"), "Q{}", q.number);
        assert!(!text.contains("rural work commission"), "Q{}", q.number);
        // 要 is "must", 应 "should": "shall" is neither.
        assert!(!text.contains("shall "), "Q{} uses “shall”", q.number);
    }
    // And the glossary lint finds nothing to report on the whole guide.
    let misses = glossary_misses(&guide);
    assert!(
        misses.is_empty(),
        "{}",
        misses
            .iter()
            .map(|m| format!("{}: {}", m.en.source.display(), m.message()))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn members_of_monitored_households_only_where_the_chinese_counts_people() {
    let mut guide = guide();
    let t = term(&guide, "监测帮扶对象").clone();
    assert_eq!(t.in_context.len(), 1);
    assert_eq!(t.in_context[0].en, "members of monitored households");
    assert_eq!(t.in_context[0].questions, vec![4, 5, 14, 20, 32]);
    // The rendering counts in those questions, and only there.
    assert!(renderings(&t, Some(32)).any(|r| r == "members of monitored households"));
    assert!(!renderings(&t, Some(2)).any(|r| r == "members of monitored households"));
    assert!(!renderings(&t, None).any(|r| r == "members of monitored households"));
    // Q32 counts people: 未消除风险监测帮扶对象占当地农村户籍人口的比例.
    let q32 = english(&guide, 32);
    assert_contains(&q32, &["members of monitored households whose risk has not been eliminated make up more than 2% of the local rural population"]);
    for n in [4, 5, 14, 20] {
        assert!(english(&guide, n).contains("members of monitored households"), "Q{n}");
    }
    // Used in a question where the Chinese counts households, the lint reports it.
    let q2 = guide.questions.iter_mut().find(|q| q.number == 2).expect("Q2");
    q2.en.markdown = q2.en.markdown.replace(
        "(hereinafter \"monitored households\")",
        "(hereinafter \"members of monitored households\")",
    );
    let misses = glossary_misses(&guide);
    assert_eq!(
        misses.len(),
        1,
        "{:?}",
        misses.iter().map(|m| m.message()).collect::<Vec<_>>()
    );
    assert!(misses[0].misplaced.is_some());
    assert!(misses[0].en.source.ends_with("en/q/02.md"));
    assert!(
        misses[0].message().contains("allows only in Q4, Q5, Q14, Q20, Q32"),
        "{}",
        misses[0].message()
    );
}

#[test]
fn a_context_rendering_for_a_question_that_does_not_exist_is_an_error() {
    let dir = TempDir::new("glossary-context");
    let content = dir.path().join("content");
    common::copy_tree(&repo().join("tests/fixtures/mini/content"), &content);
    common::edit(&content.join("glossary.yaml"), |text| {
        format!("{text}- zh: 测试术语\n  en: test term\n  in_context:\n    - en: tested term\n      questions: [99]\n      reason: a test\n")
    });
    let err = policybook::content::load(&content).expect_err("question 99 does not exist");
    let message = err.to_string();
    assert_contains(
        &message,
        &[
            "lists question 99 in `in_context`, which does not exist",
            "glossary.yaml",
        ],
    );
}

#[test]
fn the_meaning_and_the_misleading_passages_read_as_the_chinese() {
    let guide = guide();
    // Q3: 以下 includes the line; Q7, Q11, Q13: 低于 is strictly below.
    let q3 = english(&guide, 3);
    assert_eq!(
        q3.matches("is at or below the provincial monitoring line").count(),
        2,
        "{q3}"
    );
    for n in [7, 11, 13] {
        let text = english(&guide, n);
        assert!(text.contains("below the provincial monitoring line"), "Q{n}");
        assert!(!text.contains("at or below"), "Q{n}");
    }
    // Q7: 依靠自身力量难以解决 governs both branches, in both cases.
    let q7 = english(&guide, 7);
    assert_eq!(
        q7.matches("and in either case it has difficulty resolving this by its own efforts")
            .count(),
        2,
        "{q7}"
    );
    // Q13: 三保障和饮水安全未保障 — any one shortfall.
    let q13 = english(&guide, 13);
    assert_contains(
        &q13,
        &["where any of the \"Three Guarantees\" or safe drinking water is not ensured"],
    );
    assert!(
        !q13.contains("\"Three Guarantees\" and safe drinking water are not ensured"),
        "{q13}"
    );
    // Q24: the county removes the household from the Green Channel; the town and village endorse.
    let q24 = english(&guide, 24);
    assert_contains(
        &q24,
        &[
            "removes the household from the \"Green Channel\"",
            "once the township and village levels have endorsed it",
        ],
    );
    // Q41: 不以年度为界限; the poverty line of the period of the fight against poverty.
    let q41 = english(&guide, 41);
    assert_contains(
        &q41,
        &[
            "not tied to an annual cycle",
            "below the poverty line of the period of the fight against poverty",
        ],
    );
    // Q8: the practice of 一兜了之 is what must be prevented.
    let q8 = english(&guide, 8);
    assert_contains(
        &q8,
        &[
            "the practice of \"covered by the safety net and left at that\"",
            "must be resolutely prevented.",
        ],
    );
    // Q14: 同步搬迁 glossed.
    assert!(english(&guide, 14).contains("accompanying relocation, that is, households not registered as poor"));
}

#[test]
fn the_notice_is_split_into_its_official_document_parts() {
    let md = "鲁乡振发〔2023〕3号\n\n各市乡村振兴局：\n\n正文。\n\n附件：指南\n\n山东省乡村振兴局\n\n2023年4月28日\n";
    let layout = notice_layout(md, "山东省乡村振兴局", "2023-04-28", Lang::Zh).expect("layout");
    assert_eq!(layout.header, "<p>鲁乡振发〔2023〕3号</p>\n");
    assert_eq!(layout.addressee, "<p>各市乡村振兴局：</p>\n");
    assert_eq!(layout.body, "<p>正文。</p>\n<p>附件：指南</p>\n");
    let signature = layout.signature.expect("signature");
    assert_eq!(
        (signature.issuer.as_str(), signature.date.as_str()),
        ("山东省乡村振兴局", "2023年4月28日")
    );
    // The English date is the translation's own: April 28, 2023.
    let en = "No. 3\n\nTo the bureaus:\n\nText.\n\nThe Bureau\n\nApril 28, 2023";
    let layout = notice_layout(en, "The Bureau", "2023-04-28", Lang::En).expect("layout");
    assert_eq!(layout.signature.expect("signature").iso, "2023-04-28");
    // A different closing is left in the body, never dropped.
    let layout = notice_layout(
        "To all:\n\nText.\n\nSomeone else\n\nApril 28, 2023",
        "The Bureau",
        "2023-04-28",
        Lang::En,
    )
    .expect("layout");
    assert!(layout.signature.is_none());
    assert!(layout.body.contains("Someone else") && layout.body.contains("April 28, 2023"));
    // Neither an addressee nor a signature: a plain page.
    assert!(notice_layout("Text.", "The Bureau", "2023-04-28", Lang::En).is_none());
}

#[test]
fn snapshots_of_the_notice_as_an_official_document() {
    let files = built_files("content");
    for lang in ["zh", "en"] {
        let page = pretty(&files[&format!("{lang}/notice/index.html")]);
        let start = page.find("<article").expect("article");
        let end = page.find("</article>").expect("article end");
        insta::assert_snapshot!(format!("{lang}_notice"), &page[start..end]);
        // The print edition lays the notice out the same way.
        let print = pretty(&files[&format!("{lang}/print/index.html")]);
        let start = print
            .find("<section class=print-item id=notice>")
            .expect("notice section");
        let end = start + print[start..].find("</section>").expect("section end");
        insta::assert_snapshot!(format!("{lang}_print_notice"), &print[start..end]);
    }
}
