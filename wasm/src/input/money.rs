//! Money the way people type it: `9000`, `9,000`, `９０００`, `9千`, `0.9万`, `9 千元`, `1.2万元`,
//! `¥9000`, `9000块` all mean 9,000 yuan. Anything that could mean two amounts, or none, is
//! refused with a message saying what to write — never read as a different amount:
//!
//! * `9,00` (a comma not between groups of three digits), `9.000` (a thousands point or three
//!   decimals?), `9千5` (9,500 or 9,005?), `1万2千` (one number, one unit please), `1..2`;
//! * a negative amount, jiao and fen (`9000.5`), Chinese numerals (`九千`), an empty field, and
//!   anything above [`MAX_YUAN`].
//!
//! [`parse_money`] returns whole yuan; [`echo`] the standard form shown back ("9,000 元").

use crate::vocab::{clip, group_digits, Text};

/// The largest amount accepted for one income or expenditure component, in yuan: one billion, far
/// beyond any household's, so that sums and per-capita figures stay exact (a larger amount is a
/// typing error, and is refused by name).
pub const MAX_YUAN: u64 = 1_000_000_000;

/// The standard form of an amount, for echoing what was understood: `9,000 元`, `9,000 yuan`.
pub fn echo(yuan: u64) -> Text {
    let digits = group_digits(i64::try_from(yuan).unwrap_or(i64::MAX));
    Text::new(zh!(format!("{digits} 元")), en!(format!("{digits} yuan")))
}

/// Reads an amount of whole yuan as people type it (see the module documentation). The error
/// says, in both languages, what is wrong and what to write instead; it quotes the text.
pub fn parse_money(input: &str) -> Result<u64, Text> {
    let text = normalize(input);
    let shown = clip(input.trim(), 40);
    let fail = |zh: &str, en: &str| {
        Err(Text::new(
            zh!(format!("“{shown}”：{zh}")),
            en!(format!("'{shown}': {en}")),
        ))
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(Text::new(
            zh!("请填写金额，例如 9000 或 9千"),
            en!("enter an amount, such as 9000 or 9千"),
        ));
    }
    if let Some(r) = rest.strip_prefix('¥') {
        rest = r.trim_start();
    }
    if rest.starts_with('-') || rest.starts_with('负') {
        return fail(zh!("金额不能为负数"), en!("an amount cannot be negative"));
    }
    for currency in ["块钱", "元", "块", "yuan", "rmb"] {
        if let Some(r) = strip_suffix_ignore_case(rest, currency) {
            rest = r.trim_end();
            break;
        }
    }
    let (number, multiplier) = split_multiplier(rest);
    let number = number.trim_end();
    let Some(multiplier) = multiplier else {
        return fail(
            zh!("单位只能是一个，如 1.2万、9千、12000（不要写成 1万2千）"),
            en!("write one number with at most one unit, such as 1.2万, 9千 or 12000 (not 1万2千)"),
        );
    };
    if number.is_empty() {
        return fail(zh!("缺少数字，例如 9千"), en!("there is no number, as in 9千"));
    }
    if let Some(bad) = number.chars().find(|c| !(c.is_ascii_digit() || *c == ',' || *c == '.')) {
        return if "百千万亿".contains(bad) && multiplier > 1 {
            fail(
                zh!("单位只能是一个，如 1.2万、9千、12000（不要写成 1万2千）"),
                en!("write one number with at most one unit, such as 1.2万, 9千 or 12000 (not 1万2千)"),
            )
        } else if "百千万亿".contains(bad) {
            fail(
                zh!("有歧义（例如 9千5 可能是 9,500 也可能是 9,005），请写成一个数，如 9500"),
                en!("is ambiguous (9千5 may mean 9,500 or 9,005): write one number, such as 9500"),
            )
        } else if "零〇一二两三四五六七八九十".contains(bad) {
            fail(
                zh!("请用阿拉伯数字填写，例如 9000 或 9千"),
                en!("write the amount in digits, such as 9000 or 9千"),
            )
        } else {
            fail(
                zh!("无法识别为金额，请只写数字和单位，例如 9000、9,000、9千、0.9万"),
                en!("is not an amount: write digits and at most a unit, such as 9000, 9,000, 9千 or 0.9万"),
            )
        };
    }
    let mut parts = number.split('.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    if parts.next().is_some() {
        return fail(zh!("小数点只能有一个"), en!("has more than one decimal point"));
    }
    if whole.is_empty() || fraction.is_some_and(str::is_empty) {
        return fail(
            zh!("小数点前后都应有数字，例如 0.9万"),
            en!("needs digits on both sides of the point, as in 0.9万"),
        );
    }
    let grouped = whole.contains(',');
    if grouped && !well_grouped(whole) {
        return fail(
            zh!("逗号应每三位一组，例如 9,000 或 900"),
            en!("a comma must separate groups of three digits, as in 9,000 or 900"),
        );
    }
    let fraction = fraction.unwrap_or_default();
    if fraction.contains(',') {
        return fail(zh!("小数部分不能有逗号"), en!("has a comma after the decimal point"));
    }
    if multiplier == 1 && !fraction.is_empty() {
        if fraction.len() == 3 && !grouped {
            return fail(
                zh!("有歧义（可能是千位分隔，也可能是小数），请写成 9000 或 9"),
                en!("is ambiguous (a thousands separator or three decimals?): write 9000 or 9"),
            );
        }
        if fraction.bytes().any(|b| b != b'0') {
            return fail(
                zh!("请填写整数元，不要写角和分（四舍五入到元）"),
                en!("write whole yuan, without jiao or fen (round to the yuan)"),
            );
        }
    }
    let too_large = || {
        fail(
            &zh!(format!("金额过大，最大为 {}", group_digits(MAX_YUAN as i64))),
            &en!(format!(
                "is too large; the largest accepted is {}",
                group_digits(MAX_YUAN as i64)
            )),
        )
    };
    let digits: String = whole.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    if digits.len() + fraction.len() > 30 {
        return too_large();
    }
    // Exact: (whole.fraction) × multiplier, in integers.
    let scale = 10u128.pow(u32::try_from(fraction.len()).unwrap_or(30));
    let mantissa: u128 = format!("{digits}{fraction}").parse().unwrap_or(0);
    let scaled = mantissa * multiplier;
    if scaled % scale != 0 {
        return fail(
            zh!("换算后不是整数元，请写到元，例如 1.2345万 写成 12345"),
            en!("is not a whole number of yuan: write it to the yuan, e.g. 12345 for 1.2345万"),
        );
    }
    match u64::try_from(scaled / scale) {
        Ok(yuan) if yuan <= MAX_YUAN => Ok(yuan),
        _ => too_large(),
    }
}

/// Full-width digits and signs as ASCII, the ideographic space as a space, ￥ as ¥.
fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '￥' => '¥',
            '−' => '-',
            _ => c,
        })
        .collect()
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    (text.is_char_boundary(cut) && text[cut..].eq_ignore_ascii_case(suffix)).then(|| &text[..cut])
}

/// Splits off the unit: `9千` → (`9`, 1000), `3千万` → (`3`, 10⁷). `None` for units that do not
/// make one multiplier (`1万千`).
fn split_multiplier(text: &str) -> (&str, Option<u128>) {
    let value = |c: char| match c {
        '百' => Some(100u128),
        '千' => Some(1_000),
        '万' => Some(10_000),
        '亿' => Some(100_000_000),
        _ => None,
    };
    let mut chars = text.char_indices().rev();
    let Some((last_at, last)) = chars.next() else {
        return (text, Some(1));
    };
    let Some(last_value) = value(last) else {
        return (text, Some(1));
    };
    let before = &text[..last_at];
    match before.chars().next_back().and_then(value) {
        // 百万, 千万, 百亿, 千亿, 万亿: a smaller unit before a larger one multiplies it.
        Some(prev) if prev < last_value && last_value >= 10_000 => {
            let at = before.len() - before.chars().next_back().map_or(0, char::len_utf8);
            let further = &text[..at];
            if further.chars().next_back().and_then(value).is_some() {
                (further, None)
            } else {
                (further, Some(prev * last_value))
            }
        }
        Some(_) => (before, None),
        None => (before.trim_end(), Some(last_value)),
    }
}

/// `9,000`, `12,345,678`: a first group of one to three digits, then groups of exactly three.
fn well_grouped(whole: &str) -> bool {
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoes_the_standard_form() {
        assert_eq!(echo(9000), Text::new("9,000 元", "9,000 yuan"));
        assert_eq!(echo(0), Text::new("0 元", "0 yuan"));
    }

    #[test]
    fn reads_compound_units() {
        assert_eq!(parse_money("3千万"), Ok(30_000_000));
        assert_eq!(parse_money("1百万元"), Ok(1_000_000));
        assert!(parse_money("1万千").is_err());
        assert!(parse_money("1千千").is_err());
        assert!(parse_money("1千百万").is_err());
    }
}
