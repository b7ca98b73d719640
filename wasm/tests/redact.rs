//! The privacy check for public notices (Q38): resident ID, mobile, landline and bank card
//! numbers, health words from `content/sensitive-words.yaml`, masking, offsets, and the JSON
//! boundary. Every ID and card number here is synthetic, built with a computed check digit.

use std::path::Path;

use policybook_engine::api;
use policybook_engine::redact::{id_check_value, luhn, redact, render_findings, Kind, Redaction, WordList};
use policybook_engine::rules::Lang;
use proptest::prelude::*;
use serde_json::Value;

fn words_value() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content/sensitive-words.yaml");
    let text = std::fs::read_to_string(path).expect("content/sensitive-words.yaml is readable");
    serde_yaml::from_str(&text).expect("content/sensitive-words.yaml is YAML")
}

fn words() -> WordList {
    WordList::from_value(&words_value()).expect("the shipped list is valid")
}

fn check(text: &str) -> Redaction {
    redact(text, &words())
}

fn kinds(r: &Redaction) -> Vec<Kind> {
    r.findings.iter().map(|f| f.kind).collect()
}

fn digits(text: &str) -> Vec<u8> {
    text.bytes().map(|b| b - b'0').collect()
}

/// An 18-character ID number: the 17 digits given and the computed check character.
fn id(first17: &str) -> String {
    let check = id_check_value(&digits(first17)).expect("17 digits");
    format!("{first17}{}", if check == 10 { 'X' } else { char::from(b'0' + check) })
}

/// The same ID number with a wrong check character (a digit, never X).
fn bad_id(first17: &str) -> String {
    let check = id_check_value(&digits(first17)).expect("17 digits");
    let wrong = if check >= 9 { 0 } else { check + 1 };
    format!("{first17}{wrong}")
}

/// A Luhn-valid card number: the digits given and the computed check digit.
fn card(prefix: &str) -> String {
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|s| luhn(&digits(s)))
        .expect("one check digit fits")
}

/// Each text, inside `before … after`, is found as one `kind` and masked as given.
fn assert_masked(kind: Kind, (before, after): (&str, &str), cases: &[(&str, &str)]) {
    for &(text, masked) in cases {
        let r = check(&format!("{before}{text}{after}"));
        assert_eq!(kinds(&r), vec![kind], "{text}");
        assert_eq!(r.findings[0].text, text);
        assert_eq!(r.findings[0].masked, masked);
    }
}

/// The digits in groups of four, as copied from a table (`3701 0219 …`).
fn in_fours(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let groups: Vec<String> = chars.chunks(4).map(|g| g.iter().collect()).collect();
    groups.join(" ")
}

fn to_full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).expect("full width"),
            other => other,
        })
        .collect()
}

// ---- the word list ------------------------------------------------------------------------------

#[test]
fn the_shipped_word_list_is_valid_and_covers_the_brief() {
    let list = words();
    for word in [
        "残疾",
        "重病",
        "癌症",
        "大病",
        "精神病",
        "精神障碍",
        "艾滋病",
        "慢性病",
        "尿毒症",
        "白血病",
        "瘫痪",
        "智力残疾",
        "肢体残疾",
        "患病",
        "住院",
    ] {
        assert!(list.words.iter().any(|w| w.word == word), "{word} is missing");
    }
}

#[test]
fn a_bad_word_list_is_refused_naming_the_field() {
    let out: Value = serde_json::from_str(&api::redact_json("text", "not json")).expect("json");
    assert_eq!(out["error"]["field"], "sensitive_words");
    let out: Value =
        serde_json::from_str(&api::redact_json("text", r#"{"categories": {}, "words": []}"#)).expect("json");
    assert_eq!(out["error"]["field"], "sensitive_words.words");
    let out: Value = serde_json::from_str(&api::redact_json(
        "text",
        r#"{"categories": {}, "words": [{"word": "病", "category": "x"}]}"#,
    ))
    .expect("json");
    assert_eq!(out["error"]["field"], "sensitive_words.words[0].category");
    let out: Value = serde_json::from_str(&api::redact_json(
        "text",
        r#"{"categories": {}, "words": [], "extra": 1}"#,
    ))
    .expect("json");
    assert_eq!(out["error"]["field"], "sensitive_words");
}

// ---- resident ID numbers --------------------------------------------------------------------------

#[test]
fn valid_ids_are_found_and_masked_but_the_last_four() {
    for first17 in [
        "11010119900307123",
        "37010219851231004",
        "37030420000229567",
        "65010119000101888",
    ] {
        let number = id(first17);
        let r = check(&format!("身份证号：{number}，"));
        assert_eq!(kinds(&r), vec![Kind::ResidentId], "{number}");
        let f = &r.findings[0];
        assert_eq!(f.text, number);
        assert_eq!(f.masked, format!("{}{}", "*".repeat(14), &number[14..]));
        assert_eq!(r.masked, format!("身份证号：{}，", f.masked));
        assert!(!r.masked.contains(&number[6..14]), "birth date must be hidden");
    }
}

#[test]
fn an_id_with_a_wrong_check_digit_is_still_masked_when_it_stands_alone() {
    // A notice that mistypes one digit of an ID still shows the other seventeen (the birth
    // date among them), so an ID-shaped number on its own is masked whatever its check digit.
    for first17 in ["11010119900307123", "37010219851231004", "37030420000229567"] {
        let wrong = bad_id(first17);
        let r = check(&format!("户主身份证号{wrong}。"));
        assert!(kinds(&r).contains(&Kind::ResidentId), "{wrong}: {:?}", r.findings);
        assert!(!r.masked.contains(&wrong[..14]), "{wrong}: {}", r.masked);
    }
    // Inside a longer run the check digit is what places the ID, so there it is required.
    let wrong = bad_id("37010219851231004");
    let r = check(&format!("编号 {wrong}42 。"));
    assert!(!kinds(&r).contains(&Kind::ResidentId), "{wrong}42: {:?}", r.findings);
}

#[test]
fn ids_need_a_plausible_date_and_province() {
    // Valid check characters, impossible dates or province codes.
    for first17 in [
        "11010119900230123",
        "11010119901301123",
        "11010118991231123",
        "99010119900307123",
        "00010119900307123",
        "37030420230229567",
    ] {
        let number = id(first17);
        let r = check(&format!("号码 {number} 。"));
        assert!(!kinds(&r).contains(&Kind::ResidentId), "{number}");
    }
}

#[test]
fn ids_with_x_in_any_case_width_and_grouping() {
    let with_x = (0..1000)
        .map(|n| id(&format!("37010219850615{n:03}")))
        .find(|s| s.ends_with('X'))
        .expect("some sequence number gives X");
    let lower = with_x.replace('X', "x");
    let full = to_full_width(&with_x).replace('X', "Ｘ");
    let grouped = format!("{}-{}-{}", &with_x[..6], &with_x[6..14], &with_x[14..]);
    let spaced = grouped.replace('-', " ");
    for text in [with_x.clone(), lower, full.clone(), grouped, spaced.clone()] {
        let r = check(&format!("证件{text}号"));
        assert_eq!(kinds(&r), vec![Kind::ResidentId], "{text}");
        assert_eq!(r.findings[0].text, text);
        assert_eq!(r.masked.chars().count(), format!("证件{text}号").chars().count());
    }
    let r = check(&format!("号码{spaced}。"));
    assert_eq!(r.findings[0].masked, format!("****** ******** {}", &with_x[14..]));
    let r = check(&full);
    assert!(
        r.masked.starts_with("＊＊＊＊"),
        "full-width characters mask to ＊: {}",
        r.masked
    );
}

#[test]
fn old_fifteen_digit_ids() {
    let r = check("旧证 370102850615123 ");
    assert_eq!(kinds(&r), vec![Kind::ResidentId]);
    assert!(r.findings[0].reason.zh.contains("15 位旧号码"));
    assert_eq!(r.findings[0].masked, "***********5123");
    // Month 13, or no province: not an ID.
    assert!(!kinds(&check("编号 370102851315123 ")).contains(&Kind::ResidentId));
    assert!(!kinds(&check("编号 990102850615123 ")).contains(&Kind::ResidentId));
}

#[test]
fn an_id_inside_a_longer_digit_run_is_found() {
    let number = id("11010119900307123");
    for text in [
        format!("9{number}"),
        format!("{number}7"),
        format!("12{number}34"),
        format!("８{number}"),
    ] {
        let r = check(&format!("编号{text}。"));
        assert_eq!(kinds(&r), vec![Kind::ResidentId], "{text}: {:?}", r.findings);
        assert_eq!(r.findings[0].text, text);
        assert!(!r.masked.contains(&number[6..14]), "birth date shown: {}", r.masked);
        assert!(
            r.findings[0].reason.zh.contains("更长的号码"),
            "{}",
            r.findings[0].reason.zh
        );
    }
}

#[test]
fn an_id_inside_a_disability_certificate_number_is_found() {
    // The certificate number is the ID and two digits (category and grade).
    let r = check("残疾证号：37292319490609104X42，");
    let found = r
        .findings
        .iter()
        .find(|f| f.kind == Kind::ResidentId)
        .expect("the ID is found");
    assert_eq!(found.text, "37292319490609104X42");
    assert_eq!(found.masked, "**************104X**");
    assert!(!r.masked.contains("19490609"), "{}", r.masked);
    // An ID glued to a mobile: both are inside the masked run.
    let number = id("37010219851231004");
    let r = check(&format!("申领人 {number}13688889999 补贴"));
    assert_eq!(kinds(&r), vec![Kind::ResidentId]);
    assert!(!r.masked.contains("8888"), "{}", r.masked);
    // In groups of four, as copied from a table.
    let grouped = in_fours(&number);
    let r = check(&format!("身份证号：{grouped}，"));
    assert_eq!(kinds(&r), vec![Kind::ResidentId], "{grouped}");
    assert_eq!(r.findings[0].text, grouped);
    // Runs of digits holding no valid ID stay as they are.
    assert!(check("编号 2013812345678901234567 。").findings.is_empty());
}

// ---- telephone numbers ---------------------------------------------------------------------------

#[test]
fn mobile_numbers_in_their_usual_forms() {
    assert_masked(
        Kind::Mobile,
        ("联系电话：", "。"),
        &[
            ("13812345678", "138****5678"),
            ("138 1234 5678", "138 **** 5678"),
            ("138-1234-5678", "138-****-5678"),
            ("+86 138 1234 5678", "+86 138 **** 5678"),
            ("+8613812345678", "+86138****5678"),
            ("86-13812345678", "86-138****5678"),
            ("19912345678", "199****5678"),
        ],
    );
    let r = check("电话１３８１２３４５６７８");
    assert_eq!(kinds(&r), vec![Kind::Mobile]);
    assert_eq!(r.findings[0].masked, "１３８＊＊＊＊５６７８");
    // Letters next to it do not matter; only digits do.
    assert_eq!(kinds(&check("Tel13812345678号")), vec![Kind::Mobile]);
}

#[test]
fn a_phone_inside_a_longer_digit_run_is_not_matched() {
    // 13812345678 inside runs of 12–14 digits (those of 13 or more not Luhn-valid): nothing.
    for run in ["2138123456789", "513812345678", "13812345678900"] {
        assert!(!luhn(&digits(run)) || run.len() < 13, "{run} would be a card");
        let r = check(&format!("编号{run}"));
        assert!(r.findings.is_empty(), "{run}: {:?}", r.findings);
        assert_eq!(r.masked, format!("编号{run}"));
    }
    // Not mobile prefixes.
    assert!(check("号码 12812345678 ").findings.is_empty());
    assert!(check("号码 10012345678 ").findings.is_empty());
    // Grouped, but with a digit run glued on.
    assert!(!kinds(&check("138 1234 56789")).contains(&Kind::Mobile));
}

#[test]
fn landlines_with_area_code() {
    assert_masked(
        Kind::Landline,
        ("家庭电话 ", "，"),
        &[
            ("0531-87654321", "0531-****4321"),
            ("0531 8765432", "0531 ***5432"),
            ("010-62345678", "010-****5678"),
            ("(0531)87654321", "(0531)****4321"),
            ("（0531）87654321", "（0531）****4321"),
            ("0531-87654321-806", "0531-****4321-***"),
            ("0531-87654321转806", "0531-****4321转***"),
        ],
    );
    // Dates, local numbers starting with 1, or no separator: not landlines.
    for text in ["2023-05-01", "0531-12345678", "053187654321", "05-01", "00531-87654321"] {
        assert!(!kinds(&check(text)).contains(&Kind::Landline), "{text}");
    }
}

// ---- bank cards ------------------------------------------------------------------------------------

#[test]
fn luhn_valid_cards_are_found_invalid_are_not() {
    let valid = card("622202123456789");
    assert_eq!(valid.len(), 16);
    let r = check(&format!("卡号{valid}。"));
    assert_eq!(kinds(&r), vec![Kind::BankCard]);
    assert_eq!(r.findings[0].masked, format!("************{}", &valid[12..]));
    // Not Luhn-valid and not a UnionPay (62) number: a card only where a word says so.
    let other = card("436742123456789");
    let last = other.as_bytes()[15] - b'0';
    let invalid = format!("{}{}", &other[..15], (last + 1) % 10);
    assert!(check(&format!("编号{invalid}。")).findings.is_empty());
    assert_eq!(kinds(&check(&format!("卡号{invalid}。"))), vec![Kind::BankCard]);
    // 19 digits, and 13.
    let long = card("621700123456789012");
    assert_eq!(kinds(&check(&format!("账号 {long}"))), vec![Kind::BankCard]);
    let short = card("400000000000");
    assert_eq!(kinds(&check(&format!("账号 {short}"))), vec![Kind::BankCard]);
}

#[test]
fn grouped_cards_keep_their_spaces() {
    let valid = card("622202123456789");
    let grouped = in_fours(&valid);
    let r = check(&format!("卡号：{grouped}"));
    assert_eq!(kinds(&r), vec![Kind::BankCard]);
    assert_eq!(r.findings[0].masked, format!("**** **** **** {}", &valid[12..]));
    // 19 digits as 4-4-4-4-3.
    let long = card("621700123456789012");
    let grouped = in_fours(&long);
    let r = check(&format!("卡号：{grouped}，"));
    assert_eq!(kinds(&r), vec![Kind::BankCard], "{grouped}");
    assert_eq!(r.findings[0].text, grouped);
    // A card inside a longer run is not a card (a leading 7 adds 7 to the Luhn sum: never valid).
    assert!(check(&format!("7{valid}")).findings.is_empty());
    let other = card("436742123456789");
    let longer = (0..10)
        .map(|d| format!("{other}{d}"))
        .find(|s| !luhn(&digits(s)))
        .expect("most digits break the check");
    assert!(!luhn(&digits(&longer)));
    assert!(check(&longer).findings.is_empty());
}

// ---- health words ------------------------------------------------------------------------------------

#[test]
fn health_words_are_masked_character_for_character() {
    let r = check("户主张某，肢体残疾，妻子患有糖尿病，2023年住院两次。");
    let found: Vec<&str> = r.findings.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(found, vec!["肢体残疾", "患有", "糖尿病", "住院"]);
    assert_eq!(r.masked, "户主张某，＊＊＊＊，妻子＊＊＊＊＊，2023年＊＊两次。");
    assert!(r.findings.iter().all(|f| f.kind == Kind::Health && f.cites == vec![38]));
    assert_eq!(r.findings[0].category.as_deref(), Some("disability"));
    assert!(
        r.findings[0].reason.zh.contains("健康状况（残疾）"),
        "{}",
        r.findings[0].reason.zh
    );
    assert_eq!(kinds(&check("HIV阳性")), vec![Kind::Health]);
    assert!(check("archive").findings.is_empty());
}

// ---- whole notices, offsets, unchanged text -------------------------------------------------------------

#[test]
fn text_with_nothing_to_find_stays_byte_identical() {
    for text in [
        "",
        "关于拟识别王某某家庭为监测帮扶对象的公示\n\n经农户申报、入户核实、民主评议，现予公示，公示期 5 天。",
        "人均纯收入 5,200 元，低于 6,000 元；2023-06-01 至 2023-06-05；电话请咨询 12317。",
        "第 2023112 号；户编号 3701020001；金额 1234567890 元",
        "Full-width: ２０２３年６月１日；emoji 🎉 and \u{0} \r\n tabs\t",
    ] {
        let r = check(text);
        assert!(r.findings.is_empty(), "{text}: {:?}", r.findings);
        assert!(!r.found);
        assert_eq!(r.masked.as_bytes(), text.as_bytes());
    }
}

#[test]
fn a_notice_with_everything_and_consistent_offsets() {
    let number = id("37010219851231004");
    let valid = card("622202123456789");
    let text = format!(
        "🎉公示\n户主：王某，身份证 {number}，手机 138 1234 5678，\n银行卡 {valid}，因病致贫，家庭电话 0531-87654321。"
    );
    let r = check(&text);
    assert_eq!(
        kinds(&r),
        vec![
            Kind::ResidentId,
            Kind::Mobile,
            Kind::BankCard,
            Kind::Health,
            Kind::Landline
        ]
    );
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let chars: Vec<char> = text.chars().collect();
    for f in &r.findings {
        assert_eq!(&text[f.byte_start..f.byte_end], f.text);
        assert_eq!(chars[f.start..f.end].iter().collect::<String>(), f.text);
        assert_eq!(
            String::from_utf16(&utf16[f.utf16_start..f.utf16_end]).expect("utf16"),
            f.text
        );
        assert_eq!(f.utf16_start, f.start + 1, "the emoji is two UTF-16 units");
    }
    assert_eq!((r.findings[0].line, r.findings[0].column), (2, 11));
    assert_eq!((r.findings[2].line, r.findings[2].column), (3, 5));
    assert_eq!(r.counts.get("health"), Some(&1));
    assert!(r.summary.zh.contains("发现 5 处"), "{}", r.summary.zh);
    assert_eq!(r.masked.chars().count(), text.chars().count());
    assert!(!r.masked.contains(&number[..14]));
    assert!(!r.masked.contains(&valid[..12]));
    assert!(!r.masked.contains("1234 5678"));
    // The CLI listing shows positions and masked text, never the number itself.
    let listing = render_findings(&r, Lang::Zh);
    assert!(listing.contains("2:11  居民身份证号码  **************"), "{listing}");
    assert!(!listing.contains(&number), "{listing}");
    assert!(!listing.contains(&valid), "{listing}");
    assert!(render_findings(&r, Lang::En).contains("resident ID number"));
}

#[test]
fn redact_json_shape() {
    let words = words_value().to_string();
    let out: Value = serde_json::from_str(&api::redact_json("手机13812345678", &words)).expect("json");
    assert_eq!(out["found"], true);
    assert_eq!(out["masked"], "手机138****5678");
    let f = &out["findings"][0];
    assert_eq!(f["kind"], "mobile");
    assert_eq!((f["start"].as_u64(), f["end"].as_u64()), (Some(2), Some(13)));
    assert_eq!((f["byte_start"].as_u64(), f["byte_end"].as_u64()), (Some(6), Some(17)));
    assert_eq!(f["cites"], serde_json::json!([38]));
    assert!(f["reason"]["zh"]
        .as_str()
        .is_some_and(|s| s.contains("不得公开农户手机号")));
    let out: Value = serde_json::from_str(&api::redact_json("没有敏感信息。", &words)).expect("json");
    assert_eq!(out["found"], false);
    assert_eq!(out["findings"], serde_json::json!([]));
    assert_eq!(out["masked"], "没有敏感信息。");
}

// ---- what real notices contain (each of these was missed or over-masked before) --------------------

#[test]
fn accounts_are_found_by_the_words_before_them() {
    for text in [
        "存折账号90101234567890123",
        "账号：6000 1234 5678 9012 3456",
        "卡号 4367421234567891",
        "收款账户：37050161250009001234",
        "开户行：沂水农商银行，9010110002345678901",
        "存折号：9010-1100-0234-5678-9（农商行）",
        "社保卡号 37050161250009001234",
        "一本通账号：901012345678901234",
    ] {
        let r = check(text);
        assert_eq!(kinds(&r), vec![Kind::BankCard], "{text}: {:?}", r.findings);
        let f = &r.findings[0];
        let digits: String = f.text.chars().filter(char::is_ascii_digit).collect();
        let shown: String = f.masked.chars().filter(char::is_ascii_digit).collect();
        assert_eq!(shown, digits[digits.len() - 4..], "{}", f.masked);
        assert!(f.reason.zh.contains("账号"), "{}", f.reason.zh);
    }
    // Amounts, dates and short numbers after such words are not accounts.
    for text in [
        "账户余额 5000 元",
        "打入账户 2023-06-01",
        "村集体账户留存 86,500 元",
        "账号于2023年6月1日开立",
    ] {
        assert!(check(text).findings.is_empty(), "{text}: {:?}", check(text).findings);
    }
}

#[test]
fn cards_in_groups_with_any_separator() {
    for text in [
        "6225-8801-1234-5674",
        "6225－8801－1234－5674",
        "6225  8801  1234  5674",
        "6225.8801.1234.5674",
        "6225\u{3000}8801\u{3000}1234\u{3000}5674",
    ] {
        let r = check(&format!("补助打入 {text}。"));
        assert_eq!(kinds(&r), vec![Kind::BankCard], "{text}");
        assert_eq!(r.findings[0].text, text);
        assert!(r.findings[0].masked.ends_with("5674"), "{}", r.findings[0].masked);
        assert!(!r.masked.contains("8801"), "{}", r.masked);
    }
}

#[test]
fn mobiles_grouped_otherwise() {
    for (text, masked) in [
        ("138-05311234", "138-****1234"),
        ("1595310-6789", "159****-6789"),
        ("138 05311234", "138 ****1234"),
        ("+86(138)0531-1234", "+86(138)****-1234"),
        ("138.0531.1234", "138.****.1234"),
        ("150  6677  8899", "150  ****  8899"),
        ("013805311234", "0138****1234"),
    ] {
        let r = check(&format!("联系电话 {text}，"));
        assert_eq!(kinds(&r), vec![Kind::Mobile], "{text}: {:?}", r.findings);
        assert_eq!(r.findings[0].text, text);
        assert_eq!(r.findings[0].masked, masked);
    }
    // Dates and times in the same shapes are not numbers.
    for text in [
        "2023-06-01至2023-06-05",
        "2023.08.01—2023.08.07",
        "8:30—17:30",
        "第1-3项",
    ] {
        assert!(check(text).findings.is_empty(), "{text}");
    }
}

#[test]
fn health_words_of_real_notices_and_their_short_forms() {
    for word in [
        "脑溢血",
        "肢残",
        "视残",
        "智残",
        "听残",
        "言残",
        "精残",
        "肝硬化",
        "尘肺病",
        "股骨头坏死",
        "帕金森",
        "自闭症",
        "孤独症",
        "血友病",
        "失聪",
        "植物人",
        "肾病",
        "伤残",
        "致残",
        "截肢",
        "失智",
        "盲人",
        "聋人",
        "心梗",
        "智力低下",
        "肢体二级",
        "视力一级",
    ] {
        let r = check(&format!("户主王某，{word}。"));
        assert_eq!(kinds(&r), vec![Kind::Health], "{word}: {:?}", r.findings);
        assert_eq!(r.findings[0].text, word, "{word} is masked whole");
        assert!(r.findings[0].masked.chars().all(|c| c == '＊'));
    }
    // The longest overlapping word wins, wherever it starts.
    let r = check("不得忽视残疾人权益");
    assert_eq!(
        r.findings.iter().map(|f| f.text.as_str()).collect::<Vec<_>>(),
        vec!["残疾人"]
    );
}

#[test]
fn nothing_that_is_not_a_persons_health_or_number_is_masked() {
    for text in [
        "我县周边部分地区被列为中风险地区。",
        "县残疾人联合会复核。",
        "根据《中华人民共和国残疾人保障法》",
        "为防止因病因残致贫返贫，现将监测对象公示如下。",
        "投诉电话：0535-6212345",
        "监督电话：0535-6212345、0535-6212346或13805351234",
        "镇纪委举报电话：0535-6212345",
        "镇人民政府电话0535-4560001",
        "咨询电话：12317，12345",
        "服务热线95519",
        "监督电话：13905391234（镇纪委 聂书记）",
        "联系电话：0539-2227001（镇社会事务办公室）",
    ] {
        let r = check(text);
        assert!(r.findings.is_empty(), "{text}: {:?}", r.findings);
        assert_eq!(r.masked, text);
    }
    // Cadres' work numbers and the contact at the foot of a notice.
    for text in [
        "包村干部：镇农业农村办 房立新 13953901234",
        "驻村第一书记：孟晓东 15853905678",
        "联系人：庄红梅，联系电话：0539-2186001。",
    ] {
        assert!(check(text).findings.is_empty(), "{text}: {:?}", check(text).findings);
    }
    // A household's landline, also written without separators, is masked.
    for text in ["家中座机：05396281234。", "电话：6281234"] {
        let r = check(text);
        assert_eq!(kinds(&r), vec![Kind::Landline], "{text}");
        assert!(r.findings[0].masked.ends_with("1234"), "{}", r.findings[0].masked);
    }
    // A household's landline and mobile next to them are still masked.
    let r = check("监督电话：0535-6212345。户主王某家庭电话 0535-6398765，手机 13805311234。");
    assert_eq!(kinds(&r), vec![Kind::Landline, Kind::Mobile]);
    // A household can 反映 or 咨询 something too: only compound channel words keep a number.
    for text in [
        "王某反映住房漏雨，电话 13805311234",
        "该户咨询低保政策，手机13805311234",
    ] {
        assert_eq!(kinds(&check(text)), vec![Kind::Mobile], "{text}");
    }
    let r = check("如有异议请向村委会反映，户主王某电话 0535-6398765");
    assert_eq!(kinds(&r), vec![Kind::Landline]);
    // 中风 itself is a health word.
    assert_eq!(kinds(&check("户主中风后生活不能自理")), vec![Kind::Health]);
}

#[test]
fn the_word_list_refuses_dead_or_conflicting_exceptions() {
    let out: Value = serde_json::from_str(&api::redact_json(
        "text",
        r#"{"categories": {"a": {"zh": "甲", "en": "A"}}, "words": [{"word": "中风", "category": "a"}], "exceptions": ["中风险", "风险", "中风", " 中风险"]}"#,
    ))
    .expect("json");
    let fields: Vec<&str> = out["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_else(|| vec![out["error"]["field"].as_str().unwrap_or("")]);
    assert_eq!(
        fields,
        vec![
            "sensitive_words.exceptions[1]",
            "sensitive_words.exceptions[2]",
            "sensitive_words.exceptions[3]"
        ],
        "{out}"
    );
}

// ---- properties ------------------------------------------------------------------------------------------

/// Filler that cannot form a number by itself: CJK, letters, punctuation, short digit runs.
fn filler() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("，".to_string()),
            Just("公示".to_string()),
            Just(" ".to_string()),
            Just("-".to_string()),
            Just("abc".to_string()),
            Just("\n".to_string()),
            "[0-9]{1,5}",
            "[０-９]{1,3}",
            "[\\u{4e00}-\\u{4e80}]{1,4}",
        ],
        0..8,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    /// Char-for-char masking: the masked text has as many characters as the input, whatever the
    /// input; with nothing found it is the input itself.
    #[test]
    fn masking_keeps_the_character_count(text in "\\PC{0,80}") {
        let r = check(&text);
        prop_assert_eq!(r.masked.chars().count(), text.chars().count());
        if r.findings.is_empty() {
            prop_assert_eq!(&r.masked, &text);
        }
        for f in &r.findings {
            prop_assert_eq!(&text[f.byte_start..f.byte_end], f.text.as_str());
        }
    }

    /// A found ID's region, birth date and sequence never survive into the masked text.
    #[test]
    fn found_ids_never_leak_their_middle_digits(
        before in filler(),
        after in filler(),
        year in 1900u32..2024,
        month in 1u32..13,
        day in 1u32..29,
        region in prop::sample::select(vec!["110101", "370102", "370304", "440305", "650102"]),
        seq in 0u32..1000,
        full_width: bool,
    ) {
        let number = id(&format!("{region}{year:04}{month:02}{day:02}{seq:03}"));
        let shown = if full_width { to_full_width(&number).replace('X', "Ｘ") } else { number.clone() };
        let text = format!("{before}，{shown}。{after}");
        let r = check(&text);
        let found = r.findings.iter().find(|f| f.kind == Kind::ResidentId);
        prop_assert!(found.is_some(), "{} not found in {:?}", number, text);
        let masked_ascii: String = r.masked.chars().map(|c| match c {
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c),
            other => other,
        }).collect();
        prop_assert!(!masked_ascii.contains(&number[..14]), "{}", r.masked);
        prop_assert!(!masked_ascii.contains(&number[6..14]), "{}", r.masked);
        prop_assert_eq!(r.masked.chars().count(), text.chars().count());
    }
}
