//! The eligibility self-check: the household case, the dated and sourced policy data, and the
//! guide's rules (鲁乡振发〔2023〕3号), each citing the questions it implements.
//!
//! * [`case`] — what the household answers ([`Case`]), validated with errors naming the field;
//! * [`policy`] — the data a trainer maintains ([`Policy`]): monitoring lines by year, the local
//!   rural average income of Q13, the guide's time limits; validated with errors naming the entry;
//! * [`identify`] — the rules: scope (Q14–Q16), income (Q12), the categories (Q2, Q3, Q7, Q11,
//!   Q13), and [`check`], which applies them and returns an [`Outcome`];
//! * [`outcome`] — the result, its JSON shape and [`render_text`] for the CLI.
//!
//! Money is integer yuan throughout; no floating point is used anywhere in this module. Nothing here
//! reads files or the clock: the caller passes the policy data and today's date.

pub mod case;
pub mod date;
pub mod deadlines;
pub mod elimination;
pub mod identify;
pub mod outcome;
pub mod policy;

use serde::{Deserialize, Serialize};

pub use case::{Case, Expenses, Hukou, Income, Problem};
pub use date::Date;
pub use identify::{check, check_with, CheckOptions};
pub use outcome::{render_text, Category, Note, Outcome};
pub use policy::{LineChoice, LineEntry, Policy, PolicyError, RuralAverage, TimeLimit, TimeLimits};

/// An input problem, named by the field it concerns, with a message in both languages.
///
/// `field` is a path into the input: `members`, `income.wages`, `problems[1]`, `year`,
/// `policy.monitoring_lines[0].yuan`, or `case` when the input as a whole is unreadable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Path of the offending field.
    pub field: String,
    /// Message in Chinese.
    pub zh: String,
    /// Message in English.
    pub en: String,
}

impl FieldError {
    /// Messages quote the value given, which may be a whole file: each part is cut to
    /// [`MAX_MESSAGE_CHARS`] characters.
    pub(crate) fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: clip(&field.into(), MAX_MESSAGE_CHARS),
            zh: clip(&zh.into(), MAX_MESSAGE_CHARS),
            en: clip(&en.into(), MAX_MESSAGE_CHARS),
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.en)
    }
}

impl std::error::Error for FieldError {}

/// The language of readable output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Chinese (the default, as the guide is Chinese).
    #[default]
    Zh,
    /// English.
    En,
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh" | "zh-CN" | "zh-Hans" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(format!("unknown language '{other}': use zh or en")),
        }
    }
}

/// The longest message (or field path) an input problem keeps, in characters.
pub const MAX_MESSAGE_CHARS: usize = 400;

/// `text` cut to `max` characters, saying how much was left out: a message never echoes a whole
/// value.
pub fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => {
            let rest = text[end..].chars().count();
            format!(
                "{}… ({} more characters not shown)",
                &text[..end],
                group_digits(i64::try_from(rest).unwrap_or(i64::MAX))
            )
        }
    }
}

/// An amount of yuan with thousands separators: `5200` → `5,200`.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Citation list in Chinese: `[3, 7]` → `第3、7问`.
pub fn cites_zh(cites: &[u8]) -> String {
    let list: Vec<String> = cites.iter().map(u8::to_string).collect();
    format!("第{}问", list.join("、"))
}

/// Citation list in English: `[3, 7]` → `Q3, Q7`.
pub fn cites_en(cites: &[u8]) -> String {
    let list: Vec<String> = cites.iter().map(|c| format!("Q{c}")).collect();
    list.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_digits() {
        assert_eq!(group_digits(0), "0");
        assert_eq!(group_digits(999), "999");
        assert_eq!(group_digits(1000), "1,000");
        assert_eq!(group_digits(18753), "18,753");
        assert_eq!(group_digits(-1234567), "-1,234,567");
        assert_eq!(group_digits(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn clips_long_values() {
        assert_eq!(clip("省定监测线", 2), "省定… (3 more characters not shown)");
        assert_eq!(clip("abc", 3), "abc");
        let e = FieldError::new("hukou", "x".repeat(10_000_000), "y".repeat(10_000_000));
        assert!(
            e.en.len() < 500 && e.en.ends_with("(9,999,600 more characters not shown)"),
            "{}",
            &e.en[390..]
        );
    }

    #[test]
    fn formats_cites() {
        assert_eq!(cites_zh(&[3, 7]), "第3、7问");
        assert_eq!(cites_en(&[3, 7]), "Q3, Q7");
    }
}
