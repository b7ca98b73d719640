//! The normaliser and tokenizer: folding, Chinese n-grams, numbers, English stemming, offsets.

use policybook_engine::text::{fold_char, lower, normalize, stem, tokenize, TokenKind};

fn terms(s: &str) -> Vec<String> {
    tokenize(s).into_iter().map(|t| t.term).collect()
}

#[test]
fn full_width_forms_fold_to_ascii() {
    for (text, want) in [
        ("２％", "2%"),
        ("（１２３１７）", "(12317)"),
        ("ＡＢＣ　ｄｅｆ", "abc def"),
        ("鲁乡振发〔2022〕11号", "鲁乡振发[2022]11号"),
        ("Household’s", "household's"),
    ] {
        assert_eq!(normalize(text), want);
    }
    for (c, want) in [('！', '!'), ('～', '~'), ('\u{3000}', ' '), ('中', '中')] {
        assert_eq!(fold_char(c), want);
    }
}

#[test]
fn full_width_and_half_width_give_the_same_tokens() {
    assert_eq!(terms("２％"), terms("2%"));
    assert_eq!(terms("１２３１７平台"), terms("12317平台"));
    assert_eq!(terms("ＧＲＥＥＮ　Ｃｈａｎｎｅｌ"), terms("green channel"));
}

#[test]
fn chinese_runs_give_unigrams_and_overlapping_bigrams() {
    let toks = tokenize("绿色通道");
    let uni: Vec<&str> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::HanUnigram)
        .map(|t| t.term.as_str())
        .collect();
    let bi: Vec<&str> = toks
        .iter()
        .filter(|t| t.kind == TokenKind::HanBigram)
        .map(|t| t.term.as_str())
        .collect();
    assert_eq!(uni, ["绿", "色", "通", "道"]);
    assert_eq!(bi, ["绿色", "色通", "通道"]);
    // The bigram starting at a character shares its position.
    let pos: Vec<u32> = toks.iter().map(|t| t.pos).collect();
    assert_eq!(pos, [0, 0, 1, 1, 2, 2, 3]);
}

#[test]
fn punctuation_breaks_chinese_runs() {
    let t = terms("低保，户籍");
    assert!(t.contains(&"低保".to_string()));
    assert!(t.contains(&"户籍".to_string()));
    assert!(!t.contains(&"保户".to_string()));
    assert!(!t.iter().any(|t| t.contains('，') || t.contains(',')));
}

#[test]
fn numbers_are_whole_tokens() {
    assert_eq!(
        terms("拨打12317电话"),
        ["拨", "拨打", "打", "12317", "电", "电话", "话"]
    );
    assert_eq!(terms("2023年"), ["2023", "年"]);
    assert_eq!(terms("15天"), ["15", "15天", "天"]);
    assert_eq!(terms("1.5 times"), ["1.5", "tim"]);
    assert_eq!(terms("in 2023. Next"), ["2023", "next"]);
    assert_eq!(terms("Q32"), ["q", "32"]);
}

#[test]
fn quantities_in_words_meet_digits_in_index_and_query_alike() {
    let quantity = |s: &str| -> Vec<String> {
        tokenize(s)
            .into_iter()
            .filter(|t| t.kind == TokenKind::Quantity)
            .map(|t| t.term)
            .collect()
    };
    for (words, want) in [
        ("公示五天", "5天"),
        ("5天", "5天"),
        ("十五天", "15天"),
        ("半个月", "15天"),
        ("半年", "6个月"),
        ("六个月", "6个月"),
        ("一个月内", "1个月"),
        ("二十天", "20天"),
        ("百分之二", "2%"),
        ("一周", "7天"),
    ] {
        assert_eq!(quantity(words), [want], "{words}");
    }
    // Dates, years and counted things are not durations; the characters keep their tokens.
    assert!(quantity("2023年4月28日").is_empty());
    assert!(quantity("三保障").is_empty());
    assert!(quantity("一般").is_empty());
    let t = tokenize("五天");
    assert!(t.iter().any(|t| t.term == "五天" && t.kind == TokenKind::HanBigram));
    let q = t.iter().find(|t| t.kind == TokenKind::Quantity).expect("a quantity");
    assert_eq!(&"五天"[q.start..q.end], "五天");
}

#[test]
fn percent_keeps_the_number_and_the_percentage() {
    assert_eq!(terms("低于2％。"), ["低", "低于", "于", "2", "2%"]);
    assert_eq!(terms("2%"), ["2", "2%"]);
    let toks = tokenize("2％");
    assert_eq!(toks[0].pos, toks[1].pos);
    assert_eq!(&"2％"[toks[1].start..toks[1].end], "2％");
}

#[test]
fn english_words_are_lower_cased_and_stemmed() {
    assert_eq!(terms("Monitored Households"), ["monitor", "household"]);
    assert_eq!(terms("the minimum living allowance"), ["minimum", "liv", "allowanc"]);
    assert_eq!(terms("a household's income"), ["household", "incom"]);
}

#[test]
fn stemming_rules() {
    // Inflections meet their base form; derivational suffixes meet the verb.
    for (a, b) in [
        ("policies", "policy"),
        ("families", "family"),
        ("identified", "identify"),
        ("identifies", "identify"),
        ("monitoring", "monitor"),
        ("monitored", "monitors"),
        ("living", "live"),
        ("lived", "lives"),
        ("planned", "plan"),
        ("planning", "plans"),
        ("taxes", "tax"),
        ("approaches", "approach"),
        ("classes", "class"),
        ("cases", "case"),
        ("months", "month"),
        ("needed", "need"),
        ("eliminated", "eliminate"),
        ("elimination", "eliminated"),
        ("identification", "identified"),
        ("registration", "registered"),
        ("assistance", "assisted"),
        ("removal", "removed"),
        ("relocation", "relocated"),
        ("confirmation", "confirming"),
        ("workers", "working"),
    ] {
        assert_eq!(stem(a), stem(b), "{a} vs {b}");
    }
    for (a, b) in [("allowance", "allowed"), ("implement", "imply")] {
        assert_ne!(stem(a), stem(b), "{a} vs {b}");
    }
    for word in ["need", "status", "basis", "string", "bus", "id", "straße"] {
        assert_eq!(stem(word), word, "left alone");
    }
}

#[test]
fn stop_words_give_no_token_but_keep_positions() {
    let toks = tokenize("return to poverty");
    assert_eq!(toks.len(), 2);
    assert_eq!(toks[0].pos, 0);
    assert_eq!(toks[1].pos, 2);
}

#[test]
fn offsets_point_into_the_original_text() {
    let s = "Ｈｏｔｌｉｎｅ：１２３１７，绿色通道";
    for t in tokenize(s) {
        let orig = &s[t.start..t.end];
        assert!(terms(orig).contains(&t.term), "{orig:?} {t:?}");
    }
    let t = tokenize("ＡＢＣ");
    assert_eq!((t[0].start, t[0].end), (0, "ＡＢＣ".len()));
}

#[test]
fn punctuation_symbols_and_controls_give_nothing() {
    assert!(tokenize("").is_empty());
    assert!(tokenize("  \t\n ").is_empty());
    assert!(tokenize("，。、；：？！“”‘’（）《》〔〕—…").is_empty());
    assert!(tokenize("\u{0}\u{1}\u{7f}<>&\"'").is_empty());
}

#[test]
fn odd_input_does_not_panic() {
    let s: String = (0u32..0x3_0000).step_by(7).filter_map(char::from_u32).collect();
    let toks = tokenize(&s);
    for t in &toks {
        assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end) && t.start < t.end);
    }
    // Lower-casing that expands (İ → i̇) keeps offsets valid.
    for t in tokenize("İSTANBUL ǅ ﬁ") {
        assert!(t.start < t.end);
    }
}

#[test]
fn latin_greek_and_cyrillic_letters_lower_case_one_to_one() {
    for (upper, lowered) in [
        ('A', 'a'),
        ('Z', 'z'),
        ('É', 'é'),
        ('Þ', 'þ'),
        ('Ā', 'ā'),
        ('Ł', 'ł'),
        ('Ž', 'ž'),
        ('Ÿ', 'ÿ'),
        ('Ω', 'ω'),
        ('Ж', 'ж'),
        ('Ё', 'ё'),
    ] {
        assert_eq!(lower(upper), lowered, "{upper}");
        assert_eq!(lower(lowered), lowered, "{lowered} stays");
    }
    // Not letters, or letters without case: as they are.
    for c in ['×', '÷', '1', '监', 'ß', '%'] {
        assert_eq!(lower(c), c);
    }
    assert_eq!(normalize("ÉLIMINATION Ωmega"), "élimination ωmega");
    // Accented words are words: one token each, matched whatever their case.
    assert_eq!(terms("Café CAFÉ"), terms("café café"));
    assert_eq!(terms("Москва"), terms("МОСКВА"));
}
