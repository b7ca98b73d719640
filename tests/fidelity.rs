//! The Chinese content is the official text: every item must equal the seed (the text extracted
//! from the PDF of 鲁乡振发〔2023〕3号) once white space — the PDF's line-break artifacts — is removed.

mod common;

use policybook::markdown::to_plain_text;
use policybook::Lang;

struct Seed {
    notice: String,
    questions: Vec<(u32, String, String)>,
    annex: String,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Splits the seed text into the notice, the numbered questions (title, answer) and the annex.
fn parse_seed() -> Seed {
    let text =
        std::fs::read_to_string(common::repo().join("tests/fixtures/seed/shandong-guide-2023.txt")).expect("seed");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let starts_question = |line: &str, n: u32| {
        let t = line.trim_start();
        t.strip_prefix(&n.to_string()).is_some_and(|rest| rest.starts_with('.'))
    };
    let mut i = 0;
    let mut notice = String::new();
    while !starts_question(lines[i], 1) {
        notice.push_str(lines[i]);
        i += 1;
    }
    let mut questions: Vec<(u32, String, String)> = Vec::new();
    let mut annex = String::new();
    let mut next = 1;
    let mut in_annex = false;
    while i < lines.len() {
        let line = lines[i];
        if in_annex {
            annex.push_str(line);
        } else if starts_question(line, next) {
            let mut title = squash(
                line.trim_start()
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .trim_start_matches('.'),
            );
            while !title.ends_with('？') {
                i += 1;
                title.push_str(&squash(lines[i]));
            }
            questions.push((next, title, String::new()));
            next += 1;
        } else if squash(line) == "附则" {
            in_annex = true;
        } else {
            questions
                .last_mut()
                .expect("answer before first question")
                .2
                .push_str(line);
        }
        i += 1;
    }
    Seed {
        notice: squash(&notice),
        questions: questions.into_iter().map(|(n, t, a)| (n, t, squash(&a))).collect(),
        annex: squash(&annex),
    }
}

fn guide() -> policybook::content::Guide {
    policybook::content::load(&common::repo().join("content")).expect("content loads")
}

#[test]
fn the_seed_has_42_questions_and_both_ends() {
    let seed = parse_seed();
    assert_eq!(seed.questions.len(), 42);
    assert!(seed.notice.starts_with("鲁乡振发〔2023〕3号"));
    assert!(seed.annex.starts_with("本工作指南自印发之日起施行"));
    // Q19 has two question marks; the title parser must keep both.
    assert_eq!(
        seed.questions[18].1,
        "监测帮扶对象风险消除后，哪些政策可以延续？期限多长时间？"
    );
}

#[test]
fn every_chinese_question_is_word_for_word_the_official_text() {
    let seed = parse_seed();
    let guide = guide();
    assert_eq!(guide.questions.len(), seed.questions.len(), "number of questions");
    for (q, (n, title, answer)) in guide.questions.iter().zip(&seed.questions) {
        assert_eq!(q.number, *n);
        assert_eq!(
            squash(&q.zh.title),
            *title,
            "title of question {n} ({})",
            q.zh.source.display()
        );
        let ours = squash(&to_plain_text(&q.zh.markdown));
        assert_eq!(ours, *answer, "answer of question {n} ({})", q.zh.source.display());
    }
}

#[test]
fn the_notice_and_the_annex_are_word_for_word_the_official_text() {
    let seed = parse_seed();
    let guide = guide();
    let notice = guide.notice.expect("notice");
    assert_eq!(squash(&to_plain_text(&notice.zh.markdown)), seed.notice);
    let annex = guide.annex.expect("annex");
    assert_eq!(squash(&to_plain_text(&annex.zh.markdown)), seed.annex);
}

#[test]
fn every_item_exists_in_both_languages_with_text() {
    let guide = guide();
    assert_eq!(guide.questions.len(), 42);
    for q in &guide.questions {
        for lang in Lang::ALL {
            let t = q.text(lang);
            assert!(!t.title.trim().is_empty(), "question {} has a {lang:?} title", q.number);
            assert!(
                to_plain_text(&t.markdown).chars().count() > 10,
                "question {} has a {lang:?} answer",
                q.number
            );
        }
        // The translation keeps the paragraph structure of the official text.
        let paras = |md: &str| md.split("\n\n").filter(|p| !p.trim().is_empty()).count();
        assert_eq!(
            paras(&q.zh.markdown),
            paras(&q.en.markdown),
            "paragraphs of question {}",
            q.number
        );
        assert!(
            q.en.title.trim_end().ends_with('?'),
            "English title of question {} is a question",
            q.number
        );
        assert!(
            !q.en.markdown.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "question {}'s English text contains untranslated Chinese",
            q.number
        );
    }
}

#[test]
fn numbers_in_the_translation_match_the_official_text() {
    // Every figure (days, percentages, phone numbers, years) of the Chinese answer appears in the English one.
    let digits = |s: &str| -> Vec<String> {
        let mut v: Vec<String> = s
            .split(|c: char| !c.is_ascii_digit())
            .filter(|d| !d.is_empty())
            .map(str::to_string)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    for q in guide().questions {
        let zh = digits(&to_plain_text(&q.zh.markdown));
        let en = to_plain_text(&q.en.markdown);
        for d in zh {
            assert!(
                en.split(|c: char| !c.is_ascii_digit()).any(|x| x == d),
                "question {}: the figure {d} of the Chinese text is missing from the translation",
                q.number
            );
        }
    }
}
