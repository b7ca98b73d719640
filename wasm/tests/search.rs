//! The index and the query engine on a small inline corpus: ranking, fallbacks, snippets,
//! escaping, safety, serialisation and the JSON boundary.

use std::time::{Duration, Instant};

use policybook_engine::api::search_json;
use policybook_engine::search::{
    highlight_html, match_ranges, Concept, Document, Hit, Index, IndexBuilder, Lexicon, MAX_QUERY_BYTES,
};
use proptest::prelude::*;

fn doc(number: u32, title: &str, body: &str, lang: &str) -> Document {
    Document {
        url: format!("/{lang}/q/{number}/"),
        number: Some(number),
        title: title.to_string(),
        body: body.to_string(),
        lang: lang.to_string(),
    }
}

const ZH: &[(u32, &str, &str)] = &[
    (
        6,
        "监测帮扶对象与农村低保对象的区别是什么？",
        "监测帮扶对象和农村低保对象都属于农村低收入人口，分别由乡村振兴部门和民政部门认定。",
    ),
    (
        15,
        "家庭成员中个别人口为城镇户籍或集体户籍，能否识别为监测帮扶对象？",
        "监测帮扶对象以家庭为单位开展识别，原则上识别的是农村户籍人口。",
    ),
    (
        24,
        "对突发返贫致贫风险的农户如何通过“绿色通道”先实施帮扶后补充完善识别程序？",
        "对因灾因意外事故等导致出现突发返贫致贫风险的，由县级乡村振兴部门先录入信息系统中的“绿色通道”进行管理。“绿色通道”是临时的救急措施。",
    ),
    (
        27,
        "风险消除时，多长时间算收入持续稳定？",
        "过渡期内，除风险自然消除外，收入持续稳定原则上不少于半年。",
    ),
    (
        32,
        "如何理解个别镇、村未消除风险监测帮扶对象占当地农村户籍人口的比例超过2％的现象？",
        "贫困发生率（建档立卡贫困人口占当地农村户籍人口的比例）低于2％。",
    ),
    (
        34,
        "认定监测帮扶对象是否有时间要求？",
        "一般不超过15天，其中镇村入户核实需在3天内完成，村内公示5天。",
    ),
    (
        36,
        "监测帮扶对象系统录入的识别时间以什么时间为准？",
        "批准后10天内完成系统录入。通过绿色的通道录入的，以录入时间为准。",
    ),
    (
        42,
        "在实施防止返贫动态监测和帮扶机制中如何用好“12317平台”？",
        "农户可通过拨打12317电话（与12345政务热线归并整合运行）咨询防止返贫监测帮扶政策。",
    ),
];

const EN: &[(u32, &str, &str)] = &[
    (
        6,
        "What is the difference between monitored households and rural minimum living allowance recipients?",
        "Both belong to the rural low-income population. They are identified by different departments.",
    ),
    (
        24,
        "How can assistance be given first through the Green Channel?",
        "The county enters the household in the Green Channel of the information system. The channel is a temporary emergency measure.",
    ),
    (
        27,
        "How long must income be stable before risk elimination?",
        "In the transition period, income must be stable for no less than six months.",
    ),
    (
        38,
        "How is the privacy of households protected in public postings?",
        "Postings must not disclose ID card numbers, mobile phone numbers, bank account numbers or health conditions.",
    ),
    (
        42,
        "How should the 12317 platform be used?",
        "Households can call 12317 (merged with the 12345 government service hotline).",
    ),
];

fn index(docs: &[(u32, &str, &str)], lang: &str) -> Index {
    let mut b = IndexBuilder::new();
    for &(n, t, body) in docs {
        b.add(doc(n, t, body, lang));
    }
    b.build()
}

fn zh() -> Index {
    index(ZH, "zh")
}

fn en() -> Index {
    index(EN, "en")
}

fn numbers(hits: &[Hit]) -> Vec<u32> {
    hits.iter().filter_map(|h| h.number).collect()
}

fn top(index: &Index, q: &str) -> Option<u32> {
    index.query(q, 3).first().and_then(|h| h.number)
}

/// Each query's first hit is the question given.
fn assert_tops(index: &Index, cases: &[(&str, u32)]) {
    for &(q, want) in cases {
        assert_eq!(top(index, q), Some(want), "{q:?}");
    }
}

#[test]
fn chinese_words_find_their_question() {
    let ix = zh();
    assert_tops(
        &ix,
        &[
            ("低保", 6),
            ("绿色通道", 24),
            ("12317", 42),
            ("半年", 27),
            ("15天", 34),
            ("城镇户籍", 15),
            ("热线", 42),
        ],
    );
}

#[test]
fn percent_in_any_width_finds_q32() {
    let ix = zh();
    for q in ["2%", "２％", "2％", "２%", " 2 % "] {
        assert_eq!(top(&ix, q), Some(32), "{q:?}");
    }
}

#[test]
fn a_single_character_query_works() {
    let ix = zh();
    let hits = ix.query("籍", 10);
    let mut n = numbers(&hits);
    n.sort_unstable();
    assert_eq!(n, [15, 32]);
}

#[test]
fn a_chinese_run_as_written_ranks_first_and_looser_matches_fill_the_list() {
    // Q36 has 绿色 and 通道 but not 色通: not the phrase, so below the page that has it, and
    // well below, but still listed (a search never ends on one result when more are related).
    let ix = zh();
    let hits = ix.query("绿色通道", 10);
    assert_eq!(numbers(&hits).first(), Some(&24));
    assert_eq!(hits[0].score, 1.0);
    assert!(hits.iter().skip(1).all(|h| h.score < 0.5), "{hits:?}");
}

#[test]
fn exact_substring_ranks_above_scattered_bigrams() {
    let mut b = IndexBuilder::new();
    // All three bigrams, never together, and more of them.
    b.add(doc(1, "通道", "绿色，色通，通道，绿色，色通，通道。", "zh"));
    b.add(doc(2, "其他", "临时的绿色通道。", "zh"));
    let ix = b.build();
    let hits = ix.query("绿色通道", 10);
    assert_eq!(numbers(&hits), [2, 1]);
    assert!(hits[1].score < 0.5, "{hits:?}");
    assert!(hits[0].snippet.contains("<mark>绿色通道</mark>"));
    assert!(hits[1].snippet.contains("<mark>通道</mark>"), "{}", hits[1].snippet);
}

#[test]
fn title_matches_rank_above_body_matches() {
    let ix = zh();
    // 时间 is in the titles of 34 and 36 (twice) and in the body of 36.
    let n = numbers(&ix.query("时间", 10));
    assert_eq!(n.first(), Some(&36));
}

#[test]
fn chinese_falls_back_to_parts_then_characters() {
    let ix = zh();
    // No document has 低保户籍; both parts exist.
    let n = numbers(&ix.query("低保户籍", 10));
    assert!(n.contains(&6) && n.contains(&15), "{n:?}");
    // 上学 is nowhere, its characters are.
    let hits = ix.query("怎么上网", 10);
    assert!(hits.is_empty() || hits.iter().all(|h| h.score <= 1.0));
    assert!(!ix.query("补充完善", 10).is_empty());
}

#[test]
fn english_is_and_first_then_or() {
    let ix = en();
    assert_tops(
        &ix,
        &[
            ("green channel", 24),
            ("Green Channel", 24),
            ("minimum living allowance", 6),
            ("six months", 27),
            ("privacy", 38),
            ("ID number", 38),
            ("hotline", 42),
            ("12317", 42),
        ],
    );
    // AND finds nothing (no document has both), OR still answers.
    let n = numbers(&ix.query("privacy hotline", 10));
    assert!(n.contains(&38) && n.contains(&42), "{n:?}");
    // Stemming: forms meet.
    assert_tops(&ix, &[("postings", 38), ("posting", 38), ("protecting privacy", 38)]);
}

#[test]
fn snippets_mark_the_match_and_escape_the_rest() {
    let ix = zh();
    let hits = ix.query("绿色通道", 1);
    let s = &hits[0].snippet;
    assert!(s.contains("<mark>绿色通道</mark>"), "{s}");
    let ix = en();
    let hits = ix.query("green channel", 1);
    assert!(
        hits[0].snippet.contains("<mark>Green Channel</mark>"),
        "{}",
        hits[0].snippet
    );
    // The number with its percent sign is one mark.
    let hits = zh().query("２％", 1);
    assert!(hits[0].snippet.contains("<mark>2％</mark>"), "{}", hits[0].snippet);
}

#[test]
fn snippets_are_a_window_around_the_match() {
    let filler = "这是一段很长的与查询无关的说明文字。".repeat(30);
    let body = format!("{filler}关键句：雨露计划应持续到完成当前学段。{filler}");
    let mut b = IndexBuilder::new();
    b.add(doc(19, "标题", &body, "zh"));
    let ix = b.build();
    let hits = ix.query("雨露计划", 5);
    let s = &hits[0].snippet;
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.contains("<mark>雨露计划</mark>"), "{s}");
    assert!(s.chars().count() < 120, "{s}");
    // A title-only match shows the start of the body, unmarked.
    let hits = ix.query("标题", 5);
    assert!(!hits[0].snippet.contains("<mark>"));
    assert!(hits[0].snippet.starts_with("这是"));
}

#[test]
fn queries_are_text_never_html() {
    let mut b = IndexBuilder::new();
    b.add(doc(
        1,
        "A <b>bold</b> title",
        "Watch out: <img src=x onerror=alert(1)> & \"quotes\" 'single' <script>alert(2)</script>",
        "en",
    ));
    let ix = b.build();
    for q in ["<script>", "onerror", "img", "script alert", "\"quotes\"", "&"] {
        for hit in ix.query(q, 5) {
            let s = &hit.snippet;
            let without_marks = s.replace("<mark>", "").replace("</mark>", "");
            assert!(!without_marks.contains('<'), "{q:?}: {s}");
            assert!(!without_marks.contains('>'), "{q:?}: {s}");
            assert!(!without_marks.contains('"'), "{q:?}: {s}");
            assert!(s.contains("&lt;"), "{q:?}: {s}");
        }
    }
    let hits = ix.query("onerror", 1);
    assert!(
        hits[0]
            .snippet
            .contains("&lt;img src=x <mark>onerror</mark>=alert(1)&gt;"),
        "{}",
        hits[0].snippet
    );
    let json = search_json(&ix, "<script>", 5);
    assert!(!json.contains("<script>"), "{json}");
    assert_eq!(
        highlight_html("<b>x</b> & y", "x"),
        "&lt;b&gt;<mark>x</mark>&lt;/b&gt; &amp; y"
    );
}

fn quickly(ix: &Index, q: &str) -> Vec<Hit> {
    let t = Instant::now();
    let hits = ix.query(q, 10);
    assert!(t.elapsed() < Duration::from_secs(1), "slow: {:?}", t.elapsed());
    hits
}

#[test]
fn empty_huge_and_binary_queries_give_nothing_quickly() {
    for ix in [zh(), en()] {
        assert!(quickly(&ix, "").is_empty());
        assert!(quickly(&ix, "   \t\n\u{3000}").is_empty());
        assert!(quickly(&ix, "，。！？").is_empty());
        assert!(quickly(&ix, &"低保".repeat(50_000)).is_empty());
        assert!(quickly(&ix, &"a".repeat(100 * 1024)).is_empty());
        assert!(quickly(&ix, "低保\u{0}").is_empty());
        assert!(quickly(&ix, "\u{FFFD}\u{FFFD}PNG\r\n\u{1a}\n").is_empty());
        let binary: Vec<u8> = (0..100 * 1024).map(|i| (i * 7919 % 256) as u8).collect();
        assert!(quickly(&ix, &String::from_utf8_lossy(&binary)).is_empty());
        assert!(ix.query("低保", 0).is_empty());
        assert_eq!(search_json(&ix, "", 10), r#"{"results":[]}"#);
    }
    // Just under the limit still works, using at most the first terms.
    let long = format!("低保 {}", "x ".repeat((MAX_QUERY_BYTES - 8) / 2));
    assert!(long.len() <= MAX_QUERY_BYTES);
    assert_eq!(top(&zh(), &long), Some(6));
}

#[test]
fn an_empty_index_answers_nothing() {
    let ix = IndexBuilder::new().build();
    assert!(ix.is_empty());
    assert!(ix.query("低保", 10).is_empty());
}

#[test]
fn serialised_index_round_trips() {
    let ix = zh();
    let json = ix.to_json().expect("serialise");
    assert!(json.starts_with(r#"{"v":2,"docs":[["/zh/q/6/",6,"#), "{json:.40}");
    let back = Index::from_json(&json).expect("read back");
    assert_eq!(back.len(), ix.len());
    assert!(back.docs().eq(ix.docs()));
    for q in ["低保", "绿色通道", "2%", "12317", "籍"] {
        assert_eq!(back.query(q, 10), ix.query(q, 10), "{q}");
    }
    assert!(Index::from_json("").is_err());
    assert!(Index::from_json("{\"v\":99,\"docs\":[]}")
        .expect_err("future format")
        .to_string()
        .contains("rebuild"));
}

#[test]
fn json_boundary_has_the_documented_shape() {
    let mut b = IndexBuilder::new();
    b.add(doc(24, "“绿色通道”", "录入“绿色通道”。", "zh"));
    b.add(Document {
        url: "/zh/notice/".into(),
        number: None,
        title: "印发通知".into(),
        body: "绿色通道".into(),
        lang: "zh".into(),
    });
    let ix = b.build();
    let json = search_json(&ix, "绿色通道", 10);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let results = v["results"].as_array().expect("results array");
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["number"], 24);
    assert_eq!(results[0]["url"], "/zh/q/24/");
    assert_eq!(results[0]["title"], "“绿色通道”");
    assert_eq!(results[0]["score"], 1.0);
    assert_eq!(results[0]["snippet"], "录入“<mark>绿色通道</mark>”。");
    assert!(results[1]["number"].is_null());
    assert!(json.starts_with(r#"{"results":[{"number":24,"title":"#), "{json}");
}

#[test]
fn match_ranges_for_page_highlighting_and_the_words_a_result_hands_on() {
    let text = "录入“绿色通道”后，从“绿色通道”中退出。";
    let r = match_ranges(text, "绿色通道");
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|r| &text[r.clone()] == "绿色通道"));
    assert!(match_ranges(text, "").is_empty());
    // A result carries the words that matched there: the guide's word for an everyday one.
    let mut b = IndexBuilder::new();
    b.add(doc(
        40,
        "清退、回退操作权限能否下放？",
        "确需开展清退、回退等操作的，统一操作。",
        "zh",
    ));
    b.add(doc(24, "绿色通道", "录入绿色通道。", "zh"));
    b.lexicon(Lexicon::new(vec![Concept {
        terms: vec!["清退".into(), "回退".into()],
        words: vec!["删除".into(), "录错".into()],
        ..Concept::default()
    }]));
    let ix = b.build();
    let hits = ix.query("监测户录错了怎么删除", 10);
    assert_eq!(hits.first().and_then(|h| h.number), Some(40), "{hits:?}");
    assert!(
        hits[0].hl.contains("清退") && hits[0].hl.contains("回退"),
        "{}",
        hits[0].hl
    );
    assert!(hits[0].snippet.contains("<mark>清退</mark>"), "{}", hits[0].snippet);
    let marked: Vec<&str> = match_ranges(&ix.docs().next().expect("a doc").body, &hits[0].hl)
        .into_iter()
        .map(|r| &ix.docs().next().expect("a doc").body[r])
        .collect();
    assert!(marked.contains(&"清退"), "{marked:?}");
    // With the index's vocabulary, the everyday word itself marks the guide's word.
    let body = "确需开展清退、回退等操作的";
    let ranges = ix.match_ranges(body, "删除");
    assert_eq!(
        ranges.iter().map(|r| &body[r.clone()]).collect::<Vec<_>>(),
        ["清退", "回退"]
    );
}

#[test]
fn question_words_are_dropped_and_everyday_words_expand_below_literal_ones() {
    let mut b = IndexBuilder::new();
    b.add(doc(
        25,
        "风险消除的条件是什么？",
        "收入稳定，按程序标注风险消除。",
        "zh",
    ));
    b.add(doc(24, "绿色通道", "从绿色通道中退出。", "zh"));
    b.add(doc(9, "是否有规模限制？", "不得设置规模限制。", "zh"));
    b.lexicon(Lexicon::new(vec![
        Concept {
            terms: vec!["风险消除".into()],
            words: vec!["退出监测".into()],
            ..Concept::default()
        },
        Concept {
            terms: vec!["规模限制".into()],
            words: vec!["名额".into()],
            ..Concept::default()
        },
    ]));
    let ix = b.build();
    assert_eq!(top(&ix, "能不能退出监测"), Some(25));
    assert_eq!(top(&ix, "监测户有名额吗"), Some(9));
    // Order of a compound does not matter.
    assert_eq!(top(&ix, "消除风险"), Some(25));
    // The literal word (退出 is in 24) outranks nothing it does not contain; the expansion
    // scores below a literal match of the same strength.
    let hits = ix.query("退出监测", 10);
    assert!(numbers(&hits).contains(&25), "{hits:?}");
    // A query of question words only is searched as typed.
    assert!(ix.query("怎么办", 10).iter().all(|h| h.score <= 1.0));
}

#[test]
fn numbers_in_words_meet_numbers_in_digits() {
    let mut b = IndexBuilder::new();
    b.add(doc(34, "时间要求", "一般不超过15天，村内公示5天。", "zh"));
    b.add(doc(27, "收入稳定", "收入持续稳定原则上不少于半年。", "zh"));
    b.add(doc(24, "绿色通道", "录入后1个月内完成核实。", "zh"));
    b.add(doc(32, "比例", "比例低于2％。", "zh"));
    let ix = b.build();
    for (q, n) in [
        ("公示五天", 34),
        ("十五天", 34),
        ("半个月", 34),
        ("六个月", 27),
        ("6个月", 27),
        ("一个月", 24),
        ("百分之二", 32),
    ] {
        assert_eq!(top(&ix, q), Some(n), "{q}");
    }
}

/// Every chunk of a chunked index of `ix`, by path.
fn chunk_files(ix: &Index, chunk_bytes: usize) -> (String, std::collections::HashMap<String, String>) {
    let chunks = ix.to_chunks("zh", chunk_bytes, 2).expect("write the chunks");
    (chunks.head, chunks.files.into_iter().collect())
}

#[test]
fn a_chunked_index_loads_what_a_query_needs_and_answers_as_the_whole_one() {
    let ix = zh();
    let (head, files) = chunk_files(&ix, 200);
    assert!(head.starts_with("[3,\"head\","), "{head:.40}");
    let mut read = Index::from_json(&head).expect("read the head");
    assert_eq!(read.len(), ix.len());
    assert_eq!(read.docs().count(), 0, "no text before a query needs it");
    // The engine names what it needs: postings chunks first, as paths under search/zh-<build>/.
    let json = search_json(&read, "低保", 10);
    assert!(json.starts_with(r#"{"need":["search/zh-"#), "{json}");
    let one = read
        .search_loading("绿色通道", 1, |p| {
            files.get(p).cloned().ok_or_else(|| p.to_string())
        })
        .expect("answered");
    assert_eq!(one, ix.query("绿色通道", 1));
    assert_eq!(
        read.docs().count(),
        2,
        "only the text chunk of the hit shown (two documents a chunk)"
    );
    assert!(
        read.to_json().is_err(),
        "a partly loaded index is not written as a whole one"
    );
    for q in ["低保", "绿色通道", "2%", "12317", "籍", "收入 低保", "nothing here"] {
        let hits = read
            .search_loading(q, 10, |p| files.get(p).cloned().ok_or_else(|| p.to_string()))
            .expect("answered");
        assert_eq!(hits, ix.query(q, 10), "{q}");
        assert_eq!(search_json(&read, q, 10), search_json(&ix, q, 10), "{q}");
    }
}

#[test]
fn a_truncated_foreign_or_inconsistent_chunk_is_an_error_never_a_panic() {
    let ix = zh();
    let (head, files) = chunk_files(&ix, 200);
    let mut other = IndexBuilder::new();
    other.add(doc(1, "别的", "别的索引", "zh"));
    let (_, foreign) = chunk_files(&other.build(), 200);
    let mut read = Index::from_json(&head).expect("read the head");
    let before = read.clone();
    let mut refused = 0;
    for (path, payload) in files.iter().take(6) {
        for cut in (0..payload.len()).filter(|&i| payload.is_char_boundary(i)) {
            assert!(
                read.add_chunk(&payload[..cut]).is_err(),
                "{path} cut at {cut} was accepted"
            );
            refused += 1;
        }
    }
    for payload in foreign.values() {
        let e = read.add_chunk(payload).expect_err("a chunk of another index");
        assert!(e.to_string().contains("another build"), "{e}");
    }
    // A term moved to a chunk where it does not belong, and postings that name a document
    // beyond the index.
    let t0 = files
        .iter()
        .find(|(p, _)| p.ends_with("/t0.js"))
        .map(|(_, s)| s.clone())
        .expect("t0");
    let moved = t0.replacen(",0,[", ",1,[", 1);
    assert!(read.add_chunk(&moved).is_err(), "a chunk under another number");
    // The first term's postings replaced by: one document, 1,000,000 (`gywe`), no positions.
    let start = t0.find("[[").expect("entries") + 1;
    let end = start + t0[start..].find("\"]").expect("an entry's end");
    let p = start + t0[start..end].rfind(",\"").expect("postings") + 2;
    let beyond = format!("{}BgyweAA{}", &t0[..p], &t0[end..]);
    let e = read.add_chunk(&beyond).expect_err("a document beyond the index");
    assert!(e.to_string().contains("beyond"), "{e}");
    assert!(read
        .add_chunk("[2,\"terms\"]")
        .expect_err("old version")
        .to_string()
        .contains("rebuild"));
    // Nothing of it was taken in: the index answers as it did.
    for q in ["低保", "收入"] {
        assert_eq!(search_json(&read, q, 10), search_json(&before, q, 10));
    }
    for cut in (0..head.len()).filter(|&i| head.is_char_boundary(i)) {
        assert!(
            Index::from_json(&head[..cut]).is_err(),
            "the head cut at {cut} was accepted"
        );
    }
    assert!(refused > 100);
    assert!(
        zh().add_chunk(files.values().next().expect("a chunk")).is_err(),
        "a whole index takes no chunks"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Any substring of two or more Chinese characters of a body finds that document.
    #[test]
    fn any_han_substring_finds_its_document(doc_i in 0usize..ZH.len(), a in 0usize..200, len in 2usize..12) {
        let ix = zh();
        let body: Vec<char> = ZH[doc_i].2.chars().collect();
        // Pick a run of Han characters inside the body.
        let runs: Vec<&[char]> = body
            .split(|c| !policybook_engine::text::is_cjk(*c))
            .filter(|r| r.len() >= 2)
            .collect();
        let run = runs[a % runs.len()];
        let len = len.min(run.len());
        let start = a % (run.len() - len + 1);
        let q: String = run[start..start + len].iter().collect();
        let hits = ix.query(&q, ZH.len());
        prop_assert!(hits.iter().any(|h| h.number == Some(ZH[doc_i].0)), "{} not found by {:?}", ZH[doc_i].0, q);
        // And its snippet marks it (within one mark: a neighbouring match may extend it).
        let hit = hits.iter().find(|h| h.number == Some(ZH[doc_i].0));
        let marked = |s: &str| s.split("<mark>").skip(1).any(|m| m.split("</mark>").next().is_some_and(|m| m.contains(&q)));
        prop_assert!(hit.is_some_and(|h| marked(&h.snippet)), "{:?}", hit);
    }

    /// No query panics, and results are well-formed.
    #[test]
    fn arbitrary_queries_are_safe(q in "\\PC{0,40}") {
        let ix = zh();
        let hits = ix.query(&q, 5);
        prop_assert!(hits.len() <= 5);
        for h in hits {
            prop_assert!(h.score > 0.0 && h.score <= 1.0);
            let bare = h.snippet.replace("<mark>", "").replace("</mark>", "");
            prop_assert!(!bare.contains('<') && !bare.contains('>'));
        }
    }

    /// Any text, any query: highlighting never panics and ranges are char boundaries.
    #[test]
    fn match_ranges_are_valid(text in "\\PC{0,60}", q in "\\PC{0,10}") {
        for r in match_ranges(&text, &q) {
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end) && r.start < r.end);
        }
    }
}
