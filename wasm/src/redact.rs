//! The privacy check for public notices (Q38): finds what a 公示 or 公告 must not publish and
//! offers a masked copy.
//!
//! > 公示公告中不得公开农户身份证件号码、手机号、银行账号、健康状况等敏感信息。（第38问）
//!
//! What is found ([`Kind`]):
//!
//! * **Resident ID numbers**: 18 characters — 17 digits and a check character (0–9 or X) that
//!   satisfies ISO 7064 MOD 11-2 — with a province code (11–15, 21–23, 31–37, 41–46, 50–54,
//!   61–65, 71, 81–83) and a calendar birth date in 1900–2099; also the old 15-digit form
//!   (province code and a calendar date YYMMDD read as 19YY). Written in one run or in groups
//!   (6-8-4, 4-4-4-4-2…);
//!   also **inside a longer run** of digits (a disability certificate number is the ID and two
//!   digits, `37292319490609104X42`; an ID glued to a mobile): the whole run is masked but the
//!   ID's last four characters.
//! * **Mobile numbers**: `1[3-9]` and 9 more digits, in one run or in two or three groups of at
//!   least three digits (3-4-4, 3-8, 7-4), optionally after `+86`, `86`, `0086` or the trunk `0`.
//! * **Landlines**: `0` + a 2–3 digit area code (not starting with 0), a separator (or the area
//!   code in brackets), then a 7–8 digit local number starting with 2–9 (in one or two groups);
//!   an extension after `-` or `转` (1–6 digits) is included. Right after 电话、座机、固话, also a
//!   7–8 digit local number alone or a landline written without separators (`05396212345`).
//! * **Bank cards and accounts**: 13–19 digits passing the Luhn check, or 16–19 digits starting
//!   with 62 (UnionPay), in one run or in groups of four (the last group 1–4 digits); and any
//!   number of at least [`MIN_ACCOUNT_DIGITS`] digits after a word that names an account
//!   (账号、卡号、存折、账户、开户行…, [`ACCOUNT_LABELS`]), whatever its check digit.
//! * **Health words** from the maintained list `content/sensitive-words.yaml` ([`WordList`]),
//!   longest first (智力残疾 wins over 残疾, 残疾人 over the 视残 of 忽视残疾人), except where
//!   a listed exception is the longest match (中风险 is a risk level, 县残疾人联合会 an office);
//!   words in Latin letters (HIV) match regardless of case and only as whole words.
//!
//! Digits are ASCII `0-9` and full-width `０-９`. A number is made of maximal runs of digits,
//! never part of one; the groups of one number are joined by one to three separators: spaces
//! (ASCII, no-break, ideographic, tab), dashes of any width, dots, brackets.
//!
//! **Kept on purpose**: telephone numbers of public channels, which notices are meant to
//! publish (Q42: 公布监督举报电话). A mobile or landline is not a finding when a public label
//! (监督电话、举报电话、咨询电话、热线、拨打、纪委、包村干部…, [`PUBLIC_LABELS`]) stands
//! before it in the same sentence with no household word (户主、本人…) in between, or right
//! after it (`（镇纪委）`); a
//! landline also when an office is named there (政府、村委、办公室、民政…, [`OFFICE_NAMES`]).
//! A number listed right after a kept one (`0535-6212345、0535-6212346`) is kept too. Service
//! numbers such as 12317 and 12345 have too few digits to be anything the check looks for.
//!
//! # Masking
//!
//! Masking is character for character, so the masked text has exactly as many characters as the
//! input, separators and everything outside a finding are kept byte for byte, and text in which
//! nothing is found comes back byte-identical. A masked character becomes `*`, or `＊` when the
//! original is a full-width or CJK character, so the layout of the notice does not shift.
//!
//! * ID numbers: everything but the last 4 characters (`**************123X`) — the region and
//!   birth date are never shown; the last four let the cadre tell entries apart.
//! * Mobile numbers: the middle four digits (`138****5678`); a `+86` prefix is kept.
//! * Landlines: the local number except its last 4 digits, and any extension; the area code is
//!   kept (`0531-****5678`).
//! * Bank cards and accounts: everything but the last 4 digits (`**** **** **** 1234`).
//! * Health words: every character (`＊＊`).
//!
//! Not found (say so to users): ID numbers of other documents (passports, permits), account
//! numbers that fail the card check with no account word before them, numbers written in
//! Chinese numerals, names and addresses. The list of health words errs on the side of
//! flagging; a cadre reads every finding.

use std::collections::BTreeMap;

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};
#[cfg(feature = "serde")]
use serde_json::Value;

use crate::input::typed::from_fields;
use crate::json::{json_name, json_object};

use crate::rules::{Date, FieldError, Lang};
use crate::vocab::cite_suffix;
use crate::vocab::Text;

// ---------------------------------------------------------------------------------------------
// The word list
// ---------------------------------------------------------------------------------------------

/// The maintained list of health-status words (`content/sensitive-words.yaml`, converted to JSON
/// by the build and the CLI, like the policy data).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct WordList {
    /// The categories, by key: how each is named in a finding's reason.
    pub categories: BTreeMap<String, Text>,
    /// The words.
    pub words: Vec<Word>,
    /// Phrases that contain a listed word but say nothing about a person's health (中风险, the
    /// 县残疾人联合会): where one is the longest match, nothing there is flagged. A list
    /// without exceptions is valid.
    #[cfg_attr(feature = "serde", serde(default))]
    pub exceptions: Vec<String>,
}

from_fields!(WordList {
    categories,
    words,
    exceptions: default,
});

from_fields!(Word { word, category });

/// One word of the list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Word {
    /// The word, as it appears in a notice.
    pub word: String,
    /// The key of its category in `categories`.
    pub category: String,
}

impl WordList {
    /// Reads and validates the list from JSON; errors name the field, starting with
    /// `sensitive_words`.
    pub fn from_json(text: &str) -> Result<WordList, Vec<FieldError>> {
        let list: WordList = crate::input::from_json_text(
            text,
            "sensitive_words",
            (
                "敏感词表（应为 categories 和 words 两项）",
                "the list of sensitive words (expected categories and words)",
            ),
        )
        .map_err(|e| vec![e])?;
        list.checked()
    }

    /// Reads and validates the list from a parsed value (the build converts the YAML first).
    #[cfg(feature = "serde")]
    pub fn from_value(value: &Value) -> Result<WordList, Vec<FieldError>> {
        let list: WordList = serde_json::from_value(value.clone()).map_err(|err| {
            vec![FieldError::new(
                "sensitive_words",
                zh!(format!("敏感词表（应为 categories 和 words 两项）无法读取：{err}")),
                en!(format!(
                    "the list of sensitive words (expected categories and words) cannot be read: {err}"
                )),
            )]
        })?;
        list.checked()
    }

    fn checked(self) -> Result<WordList, Vec<FieldError>> {
        let errors = self.validate();
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// Every problem in the list: no words; a category without its names; a word that is empty,
    /// padded with spaces, contains a digit or a line break, is listed twice, or has an unknown
    /// category; an exception that is empty or padded, listed twice, also a word, or contains
    /// no word (it would do nothing).
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.words.is_empty() {
            errors.push(FieldError::new(
                "sensitive_words.words",
                zh!("敏感词表至少需要一个词"),
                en!("the list needs at least one word"),
            ));
        }
        for (key, names) in &self.categories {
            for (lang, name) in [("zh", &names.zh), ("en", &names.en)] {
                if name.trim().is_empty() {
                    errors.push(FieldError::new(
                        format!("sensitive_words.categories.{key}.{lang}"),
                        zh!("类别需要中英文名称"),
                        en!("a category needs its name in both languages"),
                    ));
                }
            }
        }
        let keys: Vec<&str> = self.categories.keys().map(String::as_str).collect();
        for (index, entry) in self.words.iter().enumerate() {
            let field = |part: &str| format!("sensitive_words.words[{index}].{part}");
            let word = &entry.word;
            if word.trim().is_empty() || word.trim() != word || word.chars().any(|c| c.is_control()) {
                errors.push(FieldError::new(
                    field("word"),
                    zh!(format!("第 {} 个词“{word}”为空或含有多余的空白", index + 1)),
                    en!(format!(
                        "word {} '{word}' is empty or has surrounding white space",
                        index + 1
                    )),
                ));
            } else if word.chars().any(|c| digit_value(c).is_some()) {
                errors.push(FieldError::new(
                    field("word"),
                    zh!(format!("第 {} 个词“{word}”含有数字；号码由专门的规则查找", index + 1)),
                    en!(format!(
                        "word {} '{word}' contains a digit; numbers are found by their own rules",
                        index + 1
                    )),
                ));
            }
            if let Some(first) = self.words[..index].iter().position(|w| fold(&w.word) == fold(word)) {
                errors.push(FieldError::new(
                    field("word"),
                    zh!(format!("“{word}”重复（第 {} 个词已列出）", first + 1)),
                    en!(format!("'{word}' is listed twice (already word {})", first + 1)),
                ));
            }
            if !self.categories.contains_key(&entry.category) {
                errors.push(FieldError::new(
                    field("category"),
                    zh!(format!("未知类别“{}”；可用类别：{}", entry.category, keys.join("、"))),
                    en!(format!(
                        "unknown category '{}'; expected one of: {}",
                        entry.category,
                        keys.join(", ")
                    )),
                ));
            }
        }
        for (index, phrase) in self.exceptions.iter().enumerate() {
            let field = format!("sensitive_words.exceptions[{index}]");
            let problem = if phrase.trim().is_empty() || phrase.trim() != phrase || phrase.chars().any(char::is_control)
            {
                Some((
                    format!("例外“{phrase}”为空或含有多余的空白"),
                    format!("exception '{phrase}' is empty or has surrounding white space"),
                ))
            } else if self.words.iter().any(|w| fold(&w.word) == fold(phrase)) {
                Some((
                    format!("“{phrase}”既是敏感词又是例外；请只保留一处"),
                    format!("'{phrase}' is both a word and an exception; keep one"),
                ))
            } else if self.exceptions[..index].iter().any(|e| fold(e) == fold(phrase)) {
                Some((
                    format!("例外“{phrase}”重复"),
                    format!("exception '{phrase}' is listed twice"),
                ))
            } else if !self.words.iter().any(|w| fold(phrase).contains(&fold(&w.word))) {
                Some((
                    format!("例外“{phrase}”不含任何敏感词，不起作用；例外应是含有敏感词、但与个人健康无关的较长说法"),
                    format!(
                        "exception '{phrase}' contains no listed word and would do nothing; an exception is a longer phrase around a word that says nothing about a person's health"
                    ),
                ))
            } else {
                None
            };
            if let Some((zh, en)) = problem {
                errors.push(FieldError::new(field, zh, en));
            }
        }
        errors
    }
}

fn fold(word: &str) -> String {
    word.to_ascii_lowercase()
}

// ---------------------------------------------------------------------------------------------
// Findings
// ---------------------------------------------------------------------------------------------

/// What a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Kind {
    /// A resident ID number (18 or 15 digits).
    ResidentId,
    /// A mobile number.
    Mobile,
    /// A landline number.
    Landline,
    /// A bank card or account number.
    BankCard,
    /// A word about health status.
    Health,
}

impl Kind {
    /// The name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ResidentId => "resident_id",
            Kind::Mobile => "mobile",
            Kind::Landline => "landline",
            Kind::BankCard => "bank_card",
            Kind::Health => "health",
        }
    }

    /// The kind in plain words.
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            Kind::ResidentId => ("居民身份证号码", "resident ID number"),
            Kind::Mobile => ("手机号码", "mobile number"),
            Kind::Landline => ("固定电话号码", "landline number"),
            Kind::BankCard => ("银行卡号或账号", "bank card or account number"),
            Kind::Health => ("健康状况", "health status"),
        };
        Text {
            zh: zh!(zh.into()),
            en: en!(en.into()),
        }
    }
}

/// One thing a notice must not publish.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Finding {
    /// What it is.
    pub kind: Kind,
    /// Start, in characters (Unicode scalar values) from the beginning of the text.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// Start, in bytes of UTF-8 (for the CLI and Rust string slicing).
    pub byte_start: usize,
    /// End (exclusive), in bytes.
    pub byte_end: usize,
    /// Start, in UTF-16 code units (JavaScript string indices, for the page).
    pub utf16_start: usize,
    /// End (exclusive), in UTF-16 code units.
    pub utf16_end: usize,
    /// The line (1-based) where it starts.
    pub line: usize,
    /// The column (1-based, in characters) where it starts.
    pub column: usize,
    /// The text found, as written.
    pub text: String,
    /// The same text masked, as it appears in the masked copy.
    pub masked: String,
    /// For a health word: the key of its category in the word list.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub category: Option<String>,
    /// Why it must not be published.
    pub reason: Text,
    /// The questions of the guide: `[38]`.
    pub cites: Vec<u8>,
}

/// The result of a privacy check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Redaction {
    /// Whether anything was found (the CLI exits 1 when it was, 0 when not).
    pub found: bool,
    /// How many findings of each kind, by [`Kind::name`]; kinds not found are absent.
    pub counts: BTreeMap<String, usize>,
    /// The findings, in order of position.
    pub findings: Vec<Finding>,
    /// The text with every finding masked; byte-identical to the input when nothing was found.
    pub masked: String,
    /// A one-line summary.
    pub summary: Text,
}

json_name!(Kind);

json_object!(Finding {
    kind,
    start,
    end,
    byte_start,
    byte_end,
    utf16_start,
    utf16_end,
    line,
    column,
    text,
    masked,
    ?category,
    reason,
    cites,
});

json_object!(Redaction {
    found,
    counts,
    findings,
    masked,
    summary,
});

const CITES: [u8; 1] = [crate::rules::provisions::Q38.question];

/// Finds what `text` must not publish and masks it.
pub fn redact(text: &str, words: &WordList) -> Redaction {
    let chars: Vec<char> = text.chars().collect();
    let mut spans = find_numbers(&chars);
    let taken = {
        let mut taken = vec![false; chars.len()];
        for span in &spans {
            taken[span.start..span.end].iter_mut().for_each(|t| *t = true);
        }
        taken
    };
    spans.extend(find_words(&chars, &taken, words));
    spans.sort_by_key(|s| s.start);

    let mut masked_chars = chars.clone();
    for span in &spans {
        for (offset, keep) in span.keep.iter().enumerate() {
            if !keep {
                let index = span.start + offset;
                masked_chars[index] = mask_char(chars[index]);
            }
        }
    }

    // Offsets: characters → bytes, UTF-16 units, line and column.
    let mut byte_at = Vec::with_capacity(chars.len() + 1);
    let mut utf16_at = Vec::with_capacity(chars.len() + 1);
    let mut line_col = Vec::with_capacity(chars.len() + 1);
    let (mut bytes, mut units, mut line, mut column) = (0, 0, 1, 1);
    for &c in &chars {
        byte_at.push(bytes);
        utf16_at.push(units);
        line_col.push((line, column));
        bytes += c.len_utf8();
        units += c.len_utf16();
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    byte_at.push(bytes);
    utf16_at.push(units);

    let findings: Vec<Finding> = spans
        .into_iter()
        .map(|span| {
            let (line, column) = line_col[span.start];
            let category = span.category.map(|index| words.words[index].category.clone());
            let reason = reason(span.kind, span.note, category.as_deref(), words);
            Finding {
                kind: span.kind,
                start: span.start,
                end: span.end,
                byte_start: byte_at[span.start],
                byte_end: byte_at[span.end],
                utf16_start: utf16_at[span.start],
                utf16_end: utf16_at[span.end],
                line,
                column,
                text: chars[span.start..span.end].iter().collect(),
                masked: masked_chars[span.start..span.end].iter().collect(),
                category,
                reason,
                cites: CITES.to_vec(),
            }
        })
        .collect();

    let masked = if findings.is_empty() {
        text.to_string()
    } else {
        masked_chars.into_iter().collect()
    };
    let mut counts = BTreeMap::new();
    for finding in &findings {
        *counts.entry(finding.kind.name().to_string()).or_insert(0) += 1;
    }
    let summary = summary(&findings);
    Redaction {
        found: !findings.is_empty(),
        counts,
        findings,
        masked,
        summary,
    }
}

fn summary(findings: &[Finding]) -> Text {
    if findings.is_empty() {
        return Text {
            zh: zh!("没有发现身份证号码、手机号、固定电话、银行卡号或健康状况用词。仍请人工通读：姓名、住址、其他证件号码等本工具不检查。".into()),
            en: en!("No ID, mobile, landline or bank card number and no health word was found. Still read it through: names, addresses and other document numbers are not checked.".into()),
        };
    }
    let mut by_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for finding in findings {
        *by_kind.entry(finding.kind).or_insert(0) += 1;
    }
    let zh: Vec<String> = by_kind
        .iter()
        .map(|(k, n)| format!("{} {n} 处", k.label().zh))
        .collect();
    let en: Vec<String> = by_kind.iter().map(|(k, n)| format!("{} × {n}", k.label().en)).collect();
    Text {
        zh: zh!(format!(
            "发现 {} 处不得公开的敏感信息：{}（第38问）。请删除或使用遮盖后的文本。",
            findings.len(),
            zh.join("，")
        )),
        en: en!(format!(
            "Found {} item{} that must not be published: {} (Q38). Remove them or use the masked text.",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            en.join(", ")
        )),
    }
}

fn reason(kind: Kind, note: Note, category: Option<&str>, words: &WordList) -> Text {
    match kind {
        Kind::ResidentId => {
            let (zh, en) = match note {
                Note::OldId => ("（15 位旧号码）", " (old 15-digit form)"),
                Note::EmbeddedId => (
                    "（含在更长的号码中，如残疾证号）",
                    " (inside a longer number, such as a disability certificate number)",
                ),
                Note::Plain | Note::Account => ("", ""),
            };
            Text {
                zh: zh!(format!("居民身份证号码{zh}：公示公告中不得公开农户身份证件号码。")),
                en: en!(format!("Resident ID number{en}: notices must not show a household's ID numbers.")),
            }
        }
        Kind::Mobile => Text {
            zh: zh!("手机号码：公示公告中不得公开农户手机号。".into()),
            en: en!("Mobile number: notices must not show a household's mobile numbers.".into()),
        },
        Kind::Landline => Text {
            zh: zh!("固定电话号码：第38问禁止公开手机号“等敏感信息”，家庭固定电话同属个人联系方式。".into()),
            en: en!("Landline number: Q38 forbids mobile numbers \"and other sensitive information\"; a household's landline is personal contact information too.".into()),
        },
        Kind::BankCard if note == Note::Account => Text {
            zh: zh!("银行账号（按“账号”“存折”等字样识别）：公示公告中不得公开农户银行账号。".into()),
            en: en!("Bank account number (labelled as an account or passbook): notices must not show a household's bank account numbers.".into()),
        },
        Kind::BankCard => Text {
            zh: zh!("银行卡号：公示公告中不得公开农户银行账号。".into()),
            en: en!("Bank card number: notices must not show a household's bank account numbers.".into()),
        },
        Kind::Health => {
            let names = category.and_then(|c| words.categories.get(c));
            let (zh, en) = names.map_or((String::new(), String::new()), |t| {
                (format!("（{}）", t.zh), format!(" ({})", t.en))
            });
            Text {
                zh: zh!(format!("健康状况{zh}：公示公告中不得公开农户健康状况。")),
                en: en!(format!("Health status{en}: notices must not show a household's health conditions.")),
            }
        }
    }
}

/// A readable list of the findings for the CLI's standard error, one per line:
/// `3:12  居民身份证号码  **************123X  —  reason`. The found text itself is never
/// printed, only its masked form, so logs do not leak what the tool hides.
pub fn render_findings(redaction: &Redaction, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    for finding in &redaction.findings {
        let label = finding.kind.label();
        let (label, reason) = if zh {
            (label.zh, &finding.reason.zh)
        } else {
            (label.en, &finding.reason.en)
        };
        let cites = cite_suffix(&finding.cites, lang);
        out.push_str(&format!(
            "{}:{}  {label}  {}  —  {reason}{cites}\n",
            finding.line, finding.column, finding.masked
        ));
    }
    let summary = if zh {
        &redaction.summary.zh
    } else {
        &redaction.summary.en
    };
    out.push_str(&format!("{summary}\n"));
    out
}

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/// What a finding's reason adds to its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Note {
    /// Nothing to add.
    Plain,
    /// A 15-digit ID number.
    OldId,
    /// An ID number inside a longer number, such as a disability certificate number.
    EmbeddedId,
    /// An account number found by the words before it (账号, 存折…), not by the card check.
    Account,
}

/// A match: a range of characters and which of them stay visible.
#[derive(Clone, Debug)]
struct Span {
    kind: Kind,
    start: usize,
    end: usize,
    /// For each character of the range: kept (`true`) or masked.
    keep: Vec<bool>,
    /// For a health word: its index in the word list.
    category: Option<usize>,
    note: Note,
}

/// The value of an ASCII or full-width digit.
pub fn digit_value(c: char) -> Option<u8> {
    match c {
        '0'..='9' => u8::try_from(u32::from(c) - u32::from('0')).ok(),
        '０'..='９' => u8::try_from(u32::from(c) - u32::from('０')).ok(),
        _ => None,
    }
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

/// What may stand between the digit groups of one number: spaces (ASCII, no-break,
/// ideographic, tab), dashes of every width, dots and brackets (`+86(138)0531-1234`).
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{a0}'
            | '\u{3000}'
            | '\t'
            | '-'
            | '－'
            | '‐'
            | '‑'
            | '‒'
            | '–'
            | '—'
            | '―'
            | '−'
            | '﹣'
            | '.'
            | '．'
            | '('
            | ')'
            | '（'
            | '）'
    )
}

/// At most this many separators join two groups (`) `, a double space, ` - `).
const MAX_GAP: usize = 3;

/// An account number found by the words before it has at least this many digits (bank and
/// credit-cooperative accounts and passbooks have 12 to 25; fewer is an amount or a date).
pub const MIN_ACCOUNT_DIGITS: usize = 9;

/// How far before a number (in characters) the words that label it are looked for.
const LABEL_WINDOW: usize = 20;

/// Words before a number that make it a bank or passbook account (Q38: 银行账号), whatever its
/// check digit.
pub const ACCOUNT_LABELS: [&str; 16] = [
    "账号",
    "帐号",
    "卡号",
    "存折",
    "折号",
    "账户",
    "帐户",
    "开户行",
    "开户银行",
    "银行卡",
    "社保卡",
    "一卡通",
    "惠农卡",
    "惠民卡",
    "收款账",
    "折子",
];

/// Words before a 7–8 digit number without area code that make it a telephone number.
const PHONE_LABELS: [&str; 6] = ["电话", "座机", "固话", "联系方式", "手机", "Tel"];

/// Words around a telephone number that make it a public channel (a complaint or advice line,
/// an office's duty line, a cadre's work number given for questions), which notices are meant
/// to publish (Q42): kept, not masked. Channel words are compounds (举报电话, not 举报: a
/// household can 反映 or 咨询 something too).
pub const PUBLIC_LABELS: [&str; 34] = [
    "监督电话",
    "举报电话",
    "投诉电话",
    "咨询电话",
    "受理电话",
    "信访电话",
    "值班电话",
    "服务电话",
    "办公电话",
    "办公室电话",
    "热线",
    "监督举报",
    "举报方式",
    "投诉方式",
    "咨询方式",
    "监督方式",
    "举报号码",
    "社会监督",
    "群众监督",
    "拨打",
    "致电",
    "纪委",
    "监委",
    "纪检",
    "包村",
    "驻村",
    "第一书记",
    "帮扶责任人",
    "网格员",
    "书记",
    "村主任",
    "干部",
    "工作人员",
    "工作队",
];

/// Names of offices, and 联系人 (the contact a notice gives at its foot): a landline next to one
/// is the office's (a household's landline is not written next to an office's name, and
/// households are listed as 户主, not 联系人). Mobiles are not kept by these: an office's name
/// and a household's mobile can share a sentence.
pub const OFFICE_NAMES: [&str; 25] = [
    "联系人",
    "政府",
    "办事处",
    "村委",
    "村民委员会",
    "居委",
    "党委",
    "党支部",
    "党总支",
    "支部",
    "办公室",
    "工作站",
    "服务中心",
    "服务站",
    "便民",
    "管理区",
    "民政",
    "乡村振兴",
    "农业农村",
    "农经",
    "残联",
    "残疾人联合会",
    "医保",
    "人社",
    "振兴办",
];

/// Words that, after a public label in the same stretch of text, say the number that follows
/// is a household's after all (`监督电话：…；户主王某电话 …` is cut at `；` anyway, but `举报
/// 请联系村委，户主王某电话 …` is not).
const HOUSEHOLD_MARKERS: [&str; 10] = [
    "户主",
    "本人",
    "家庭成员",
    "配偶",
    "妻子",
    "丈夫",
    "之子",
    "之女",
    "农户",
    "申请人",
];

/// Where a stretch of context ends: a sentence or line break.
fn is_stop(c: char) -> bool {
    matches!(c, '。' | '；' | ';' | '\n' | '\r' | '！' | '？' | '!' | '?')
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{3000}' | '\t')
}

/// `*`, or `＊` for a wide character (full-width forms, CJK).
fn mask_char(c: char) -> char {
    if u32::from(c) >= 0x1100 {
        '＊'
    } else {
        '*'
    }
}

/// A maximal run of digits, possibly followed by an X (kept apart: only ID numbers use it).
#[derive(Clone, Debug)]
struct Group {
    start: usize,
    /// End of the digits (exclusive).
    end: usize,
    digits: Vec<u8>,
    /// An X/x follows the digits directly and no digit follows the X.
    x: bool,
}

impl Group {
    fn len(&self) -> usize {
        self.digits.len()
    }
}

fn groups(chars: &[char]) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit_value(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = Vec::new();
        while let Some(d) = chars.get(i).and_then(|&c| digit_value(c)) {
            digits.push(d);
            i += 1;
        }
        let x = chars.get(i).is_some_and(|&c| is_x(c)) && chars.get(i + 1).and_then(|&c| digit_value(c)).is_none();
        groups.push(Group {
            start,
            end: i,
            digits,
            x,
        });
    }
    groups
}

struct Scanner<'a> {
    chars: &'a [char],
    groups: Vec<Group>,
}

/// Which group a match ends with, its end (exclusive, in characters), and the visible characters.
struct Match {
    start: usize,
    end: usize,
    next: usize,
    kind: Kind,
    keep: Vec<bool>,
    note: Note,
    /// A telephone number of a public channel: not a finding, but its digits are not read again.
    public: bool,
}

impl Scanner<'_> {
    /// The separators between group `a` and the next, if they join them into one number.
    fn gap(&self, a: usize) -> Option<&[char]> {
        let g = self.groups.get(a)?;
        let h = self.groups.get(a + 1)?;
        if g.x || h.start <= g.end || h.start - g.end > MAX_GAP {
            return None;
        }
        let gap = &self.chars[g.end..h.start];
        gap.iter().all(|&c| is_separator(c)).then_some(gap)
    }

    fn link(&self, a: usize) -> bool {
        self.gap(a).is_some()
    }

    /// Visibility for the range `start..end`: non-digit characters kept, and the digits (and X)
    /// kept or masked by `keep_digit(position among the digits, count of digits)`.
    fn visibility(&self, start: usize, end: usize, keep_digit: impl Fn(usize, usize) -> bool) -> Vec<bool> {
        let is_d = |c: char| digit_value(c).is_some() || is_x(c);
        let total = self.chars[start..end].iter().filter(|&&c| is_d(c)).count();
        let mut seen = 0;
        self.chars[start..end]
            .iter()
            .map(|&c| {
                if is_d(c) {
                    seen += 1;
                    keep_digit(seen - 1, total)
                } else {
                    true
                }
            })
            .collect()
    }

    /// The text before `start` that can label it: at most [`LABEL_WINDOW`] characters, cut after
    /// the last sentence break or digit (the label of an earlier number is not this one's).
    fn before(&self, start: usize) -> String {
        let from = start.saturating_sub(LABEL_WINDOW);
        let window = &self.chars[from..start];
        let cut = window
            .iter()
            .rposition(|&c| is_stop(c) || digit_value(c).is_some())
            .map_or(0, |p| p + 1);
        window[cut..].iter().collect()
    }

    /// The text right after `end` that can name a number's owner, such as `（镇纪委）`: up to
    /// 12 characters, cut at the first punctuation other than brackets, or a digit.
    fn after(&self, end: usize) -> String {
        self.chars[end.min(self.chars.len())..]
            .iter()
            .take(12)
            .take_while(|&&c| digit_value(c).is_none() && !is_stop(c) && !matches!(c, '，' | ',' | '、' | '：' | ':'))
            .collect()
    }

    /// Whether a telephone number at `start..end` is a public channel (Q42): a public label
    /// before it (with no household named in between) or after it; for a landline, also an
    /// office's name.
    fn is_public(&self, start: usize, end: usize, landline: bool) -> bool {
        let before = self.before(start);
        let after = self.after(end);
        let last = |text: &str, words: &[&str]| words.iter().filter_map(|w| text.rfind(w)).max();
        let household = last(&before, &HOUSEHOLD_MARKERS);
        let labelled = |words: &[&str]| {
            last(&before, words).is_some_and(|p| household.is_none_or(|h| p > h))
                || words.iter().any(|w| after.contains(w))
        };
        labelled(&PUBLIC_LABELS) || (landline && labelled(&OFFICE_NAMES))
    }

    fn labelled(&self, start: usize, labels: &[&str]) -> bool {
        let before = self.before(start);
        labels.iter().any(|l| before.contains(l))
    }

    fn at(&self, i: usize) -> Option<Match> {
        self.resident_id(i)
            .or_else(|| self.embedded_id(i))
            .or_else(|| self.mobile(i))
            .or_else(|| self.landline(i))
            .or_else(|| self.bank_card(i))
            .or_else(|| self.account(i))
            .or_else(|| self.labelled_landline(i))
    }

    fn found(&self, kind: Kind, start: usize, end: usize, end_group: usize, note: Note, keep: Vec<bool>) -> Match {
        Match {
            start,
            end,
            next: end_group + 1,
            kind,
            keep,
            note,
            public: false,
        }
    }

    fn resident_id(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let last4 = |p: usize, n: usize| p + 4 >= n;
        let found = |end_group: usize, end: usize, note: Note| {
            Some(self.found(
                Kind::ResidentId,
                g.start,
                end,
                end_group,
                note,
                self.visibility(g.start, end, last4),
            ))
        };
        if g.len() == 18 && id18_shape(&g.digits, false) {
            return found(i, g.end, Note::Plain);
        }
        if g.len() == 17 && g.x && id18_shape(&g.digits, true) {
            return found(i, g.end + 1, Note::Plain);
        }
        if g.len() == 15 && valid_id15(&g.digits) {
            return found(i, g.end, Note::OldId);
        }
        // In groups (6-8-4 as printed on forms, 4-4-4-4-2, 3-3-4-4-4…), the last one possibly
        // ending in X: the 18 characters of the groups from here, joined by separators.
        let mut digits: Vec<u8> = g.digits.clone();
        let mut k = i;
        while digits.len() < 18 && !(digits.len() == 17 && self.groups[k].x) && self.link(k) {
            k += 1;
            digits.extend(&self.groups[k].digits);
        }
        let last = &self.groups[k];
        if k > i && digits.len() == 18 && id18_shape(&digits, false) {
            return found(k, last.end, Note::Plain);
        }
        if k > i && digits.len() == 17 && last.x && id18_shape(&digits, true) {
            return found(k, last.end + 1, Note::Plain);
        }
        None
    }

    /// An ID number inside a longer run of digits (and X), such as a disability certificate
    /// number (the ID and two digits, `37292319490609104X42`) or an ID glued to another number.
    /// The whole run is masked but the ID's last four characters.
    fn embedded_id(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        // Only from the start of a run: not after `…4X`.
        if g.start >= 2 && is_x(self.chars[g.start - 1]) && digit_value(self.chars[g.start - 2]).is_some() {
            return None;
        }
        let mut end = g.start;
        while end < self.chars.len() && (digit_value(self.chars[end]).is_some() || is_x(self.chars[end])) {
            end += 1;
        }
        let run = &self.chars[g.start..end];
        // Exact IDs are found by `resident_id`; a run of 18 that is not one holds none.
        if run.len() <= 18 || is_x(run[0]) {
            return None;
        }
        let values: Vec<Option<u8>> = run.iter().map(|&c| digit_value(c)).collect();
        let at = (0..=run.len() - 18).find(|&w| {
            let body: Option<Vec<u8>> = values[w..w + 17].iter().copied().collect();
            let Some(mut body) = body else { return false };
            match values[w + 17] {
                Some(d) => {
                    body.push(d);
                    valid_id18(&body, false)
                }
                None => valid_id18(&body, true),
            }
        })?;
        let end_group = (i..self.groups.len())
            .take_while(|&k| self.groups[k].start < end)
            .last()
            .unwrap_or(i);
        let keep = (0..run.len()).map(|p| p >= at + 14 && p < at + 18).collect();
        Some(self.found(Kind::ResidentId, g.start, end, end_group, Note::EmbeddedId, keep))
    }

    fn mobile(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let plus = g.start > 0 && matches!(self.chars[g.start - 1], '+' | '＋');
        let prefixed_start = if plus { g.start - 1 } else { g.start };
        for prefix in [&[8u8, 6][..], &[0, 0, 8, 6][..]] {
            let n = prefix.len();
            // 8613812345678, +8613812345678, 008613812345678.
            if g.len() == n + 11 && g.digits[..n] == *prefix && is_mobile(&g.digits[n..]) {
                return self.phone(self.mobile_match(prefixed_start, i, g.end, n));
            }
            // 86 138 1234 5678, +86-13812345678, +86(138)0531-1234.
            if g.digits == prefix && self.link(i) {
                if let Some(m) = self.mobile_core(i + 1, prefixed_start, n) {
                    return self.phone(m);
                }
            }
        }
        // With the trunk prefix: 013812345678.
        if g.len() == 12 && g.digits[0] == 0 && is_mobile(&g.digits[1..]) && !plus {
            return self.phone(self.mobile_match(g.start, i, g.end, 1));
        }
        self.mobile_core(i, g.start, 0).and_then(|m| self.phone(m))
    }

    /// Marks a telephone match public when its context says so.
    fn phone(&self, mut m: Match) -> Option<Match> {
        m.public = self.is_public(m.start, m.end, m.kind == Kind::Landline);
        Some(m)
    }

    /// A mobile number whose 11 digits start at group `i`, in one to three groups of at least
    /// three digits (`13812345678`, `138-05311234`, `1595310-6789`, `138 0531 1234`); the
    /// match starts at `start` (before a prefix of `prefix_digits` digits, if any).
    fn mobile_core(&self, i: usize, start: usize, prefix_digits: usize) -> Option<Match> {
        let mut digits = Vec::new();
        let mut k = i;
        loop {
            let g = self.groups.get(k)?;
            if g.len() < 3 {
                return None;
            }
            digits.extend(&g.digits);
            if digits.len() == 11 {
                return is_mobile(&digits).then(|| self.mobile_match(start, k, g.end, prefix_digits));
            }
            if digits.len() > 11 || k - i == 2 || !self.link(k) {
                return None;
            }
            k += 1;
        }
    }

    /// Keeps the prefix, the first 3 and the last 4 of the 11 digits: `138****5678`.
    fn mobile_match(&self, start: usize, end_group: usize, end: usize, prefix_digits: usize) -> Match {
        let keep = self.visibility(start, end, |p, n| p < prefix_digits + 3 || p + 4 >= n);
        self.found(Kind::Mobile, start, end, end_group, Note::Plain, keep)
    }

    fn landline(&self, i: usize) -> Option<Match> {
        let area = &self.groups[i];
        if !(3..=4).contains(&area.len()) || area.digits[0] != 0 || area.digits[1] == 0 || area.x || !self.link(i) {
            return None;
        }
        // (0531) 87654321, （0531）87654321, 0531-87654321, 0531 87654321, 0531-621 2345.
        let bracketed = area.start > 0 && matches!(self.chars[area.start - 1], '(' | '（');
        let local = self.groups.get(i + 1)?;
        let (last_local, local_len) = if (7..=8).contains(&local.len()) {
            (i + 1, local.len())
        } else {
            let next = self.groups.get(i + 2)?;
            let total = local.len() + next.len();
            if !(3..=4).contains(&local.len()) || !(3..=5).contains(&next.len()) || !self.link(i + 1) {
                return None;
            }
            if !(7..=8).contains(&total) {
                return None;
            }
            (i + 2, total)
        };
        if local.digits[0] < 2 || self.groups[last_local].x {
            return None;
        }
        let start = if bracketed { area.start - 1 } else { area.start };
        let local_end = self.groups[last_local].end;
        let mut end = local_end;
        let mut last_group = last_local;
        // Extension: -123 or 转123.
        if let Some(ext) = self.groups.get(last_local + 1) {
            let after_dash = self
                .gap(last_local)
                .is_some_and(|g| g.len() == 1 && matches!(g[0], '-' | '－'));
            let after_zhuan = ext.start == local_end + 1 && self.chars[local_end] == '转';
            if (after_dash || after_zhuan) && (1..=6).contains(&ext.len()) && !ext.x {
                end = ext.end;
                last_group = last_local + 1;
            }
        }
        // Keep the area code and the local number's last 4 digits; mask the rest, extension
        // included.
        let area_len = area.len();
        let keep = self.visibility(start, end, |p, _| {
            p < area_len || (p >= area_len + local_len - 4 && p < area_len + local_len)
        });
        self.phone(self.found(Kind::Landline, start, end, last_group, Note::Plain, keep))
    }

    /// A landline right after a telephone label, written without separators: a local number
    /// without area code (7–8 digits from 2–9, `电话：6212345`) or with it (10–12 digits from
    /// `0` and not `00`, `电话：05396212345`). Everything but the last 4 digits is masked.
    fn labelled_landline(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let local = (7..=8).contains(&g.len()) && g.digits[0] >= 2;
        let long = (10..=12).contains(&g.len()) && g.digits[0] == 0 && g.digits[1] != 0;
        if !(local || long) || g.x || self.link(i) || (i > 0 && self.link(i - 1)) {
            return None;
        }
        let before = self.before(g.start);
        let label = PHONE_LABELS.iter().any(|l| {
            before
                .trim_end_matches(|c: char| is_space(c) || matches!(c, '：' | ':'))
                .ends_with(l)
        });
        if !label {
            return None;
        }
        let keep = self.visibility(g.start, g.end, |p, n| p + 4 >= n);
        self.phone(self.found(Kind::Landline, g.start, g.end, i, Note::Plain, keep))
    }

    fn bank_card(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let finish = |end_group: usize, end: usize| {
            let keep = self.visibility(g.start, end, |p, n| p + 4 >= n);
            Some(self.found(Kind::BankCard, g.start, end, end_group, Note::Plain, keep))
        };
        let card = |digits: &[u8]| {
            (13..=19).contains(&digits.len()) && (luhn(digits) || (digits.len() >= 16 && digits[..2] == [6, 2]))
        };
        if card(&g.digits) {
            return finish(i, g.end);
        }
        if g.len() != 4 {
            return None;
        }
        // Groups of four joined by separators, the last of 1–4 digits: the longest valid prefix.
        let mut chain = vec![i];
        while let Some(&last) = chain.last() {
            if self.groups[last].len() != 4 || !self.link(last) || chain.len() == 5 {
                break;
            }
            chain.push(last + 1);
        }
        while chain.len() >= 2 {
            let last = *chain.last()?;
            let digits: Vec<u8> = chain
                .iter()
                .flat_map(|&k| self.groups[k].digits.iter().copied())
                .collect();
            if (1..=4).contains(&self.groups[last].len()) && card(&digits) {
                return finish(last, self.groups[last].end);
            }
            chain.pop();
        }
        None
    }

    /// A bank, credit-cooperative or passbook account after a word that says so (账号, 存折,
    /// 开户行…), whatever its check digit: at least [`MIN_ACCOUNT_DIGITS`] digits, in one run
    /// or in groups.
    fn account(&self, i: usize) -> Option<Match> {
        if i > 0 && self.link(i - 1) {
            return None;
        }
        let g = &self.groups[i];
        if !self.labelled(g.start, &ACCOUNT_LABELS) {
            return None;
        }
        let mut last = i;
        let mut total = g.len();
        while self.link(last) {
            last += 1;
            total += self.groups[last].len();
        }
        if total < MIN_ACCOUNT_DIGITS {
            return None;
        }
        let end = self.groups[last].end;
        let keep = self.visibility(g.start, end, |p, n| p + 4 >= n);
        Some(self.found(Kind::BankCard, g.start, end, last, Note::Account, keep))
    }
}

fn find_numbers(chars: &[char]) -> Vec<Span> {
    let scanner = Scanner {
        chars,
        groups: groups(chars),
    };
    let mut spans = Vec::new();
    // The end of the last public telephone number: one listed right after it
    // (`0535-6212345、13805311234`) is public too.
    let mut public_end: Option<usize> = None;
    let mut i = 0;
    while i < scanner.groups.len() {
        match scanner.at(i) {
            Some(m) => {
                let continues_public = public_end.is_some_and(|end| {
                    m.start >= end
                        && m.start - end <= 4
                        && chars[end..m.start]
                            .iter()
                            .all(|&c| is_space(c) || matches!(c, '、' | '，' | ',' | '/' | '或' | '和' | '及'))
                });
                let phone = matches!(m.kind, Kind::Mobile | Kind::Landline);
                if phone && (m.public || continues_public) {
                    public_end = Some(m.end);
                } else {
                    spans.push(Span {
                        kind: m.kind,
                        start: m.start,
                        end: m.end,
                        keep: m.keep,
                        category: None,
                        note: m.note,
                    });
                }
                i = m.next;
            }
            None => i += 1,
        }
    }
    spans
}

/// `1[3-9]` followed by 9 digits.
fn is_mobile(digits: &[u8]) -> bool {
    digits.len() == 11 && digits[0] == 1 && (3..=9).contains(&digits[1])
}

/// The Luhn check of a card number.
pub fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    !digits.is_empty() && sum % 10 == 0
}

/// The check character (ISO 7064 MOD 11-2) of the first 17 digits of an ID number: 0–9, or 10
/// for X.
pub fn id_check_value(first17: &[u8]) -> Option<u8> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const VALUES: [u8; 11] = [1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2];
    if first17.len() != 17 {
        return None;
    }
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(&d, w)| u32::from(d) * w).sum();
    usize::try_from(sum % 11).ok().map(|r| VALUES[r])
}

const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
    64, 65, 71, 81, 82, 83,
];

fn number(digits: &[u8]) -> u32 {
    digits.iter().fold(0, |acc, &d| acc * 10 + u32::from(d))
}

fn plausible_date(year: u32, month: u32, day: u32) -> bool {
    let (Ok(year), Ok(month), Ok(day)) = (i32::try_from(year), u8::try_from(month), u8::try_from(day)) else {
        return false;
    };
    Date::new(year, month, day).is_some()
}

/// 17 digits (then a check digit, or X when `x`): province, birth date 1900–2099, check.
fn valid_id18(digits: &[u8], x: bool) -> bool {
    id18_shape(digits, x) && {
        let expected = id_check_value(&digits[..17]);
        if x {
            expected == Some(10)
        } else {
            expected == Some(digits[17])
        }
    }
}

/// An 18-character ID by its shape alone (province, a real birth date), whatever its check
/// digit: a notice that gets one digit of an ID wrong still shows the other seventeen, so a
/// run that stands alone with this shape is masked. Inside longer runs the check digit is what
/// tells where the ID starts, so [`valid_id18`] is used there.
fn id18_shape(digits: &[u8], x: bool) -> bool {
    let body_len = if x { 17 } else { 18 };
    if digits.len() != body_len {
        return false;
    }
    let province = u8::try_from(number(&digits[..2])).unwrap_or(0);
    let year = number(&digits[6..10]);
    if !PROVINCES.contains(&province) || !(1900..=2099).contains(&year) {
        return false;
    }
    plausible_date(year, number(&digits[10..12]), number(&digits[12..14]))
}

/// The old 15-digit form: province, birth date 19YYMMDD.
fn valid_id15(digits: &[u8]) -> bool {
    let province = u8::try_from(number(&digits[..2])).unwrap_or(0);
    PROVINCES.contains(&province)
        && plausible_date(
            1900 + number(&digits[6..8]),
            number(&digits[8..10]),
            number(&digits[10..12]),
        )
}

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

/// Health words and exceptions, longest first: every place a listed word or exception occurs is
/// a candidate; the longest candidates are taken first (ties: the leftmost), and a candidate
/// overlapping one already taken, or a number, is dropped. An exception (中风险, 残疾人联合会)
/// thus hides the shorter word inside it (中风, 残疾人) and is itself not a finding; 忽视残疾人
/// gives 残疾人, not 视残.
/// A word or exception to match: its characters (lower-cased), its index in the word list
/// (`None` for an exception), and whether it is all Latin letters and digits.
type Entry = (Vec<char>, Option<usize>, bool);

fn find_words(chars: &[char], taken: &[bool], words: &WordList) -> Vec<Span> {
    let lower = |c: char| c.to_ascii_lowercase();
    let mut by_first: BTreeMap<char, Vec<Entry>> = BTreeMap::new();
    let entries = words
        .words
        .iter()
        .enumerate()
        .map(|(index, w)| (w.word.as_str(), Some(index)))
        .chain(words.exceptions.iter().map(|e| (e.as_str(), None)));
    for (text, index) in entries {
        let lowered: Vec<char> = text.chars().map(lower).collect();
        let ascii = text.chars().all(|c| c.is_ascii_alphanumeric());
        if let Some(&first) = lowered.first() {
            by_first.entry(first).or_default().push((lowered, index, ascii));
        }
    }
    let is_letter = |index: Option<usize>| {
        index
            .and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_ascii_alphanumeric())
    };
    // (length, start, word index)
    let mut candidates: Vec<(usize, usize, Option<usize>)> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        let Some(list) = by_first.get(&lower(c)) else { continue };
        for (word, index, ascii) in list {
            let n = word.len();
            if i + n > chars.len() || !chars[i..i + n].iter().zip(word).all(|(&a, &b)| lower(a) == b) {
                continue;
            }
            if *ascii && (is_letter(i.checked_sub(1)) || is_letter(Some(i + n))) {
                continue;
            }
            candidates.push((n, i, *index));
        }
    }
    candidates.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.is_some().cmp(&b.2.is_some()))
    });
    let mut used = taken.to_vec();
    let mut spans = Vec::new();
    for (n, start, index) in candidates {
        if used[start..start + n].iter().any(|&t| t) {
            continue;
        }
        used[start..start + n].iter_mut().for_each(|t| *t = true);
        if let Some(index) = index {
            spans.push(Span {
                kind: Kind::Health,
                start,
                end: start + n,
                keep: vec![false; n],
                category: Some(index),
                note: Note::Plain,
            });
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> WordList {
        let json = serde_json::json!({
            "categories": {"disability": {"zh": "残疾", "en": "disability"}, "infectious": {"zh": "传染病", "en": "infectious disease"}},
            "words": [
                {"word": "残疾", "category": "disability"},
                {"word": "智力残疾", "category": "disability"},
                {"word": "HIV", "category": "infectious"}
            ]
        });
        WordList::from_value(&json).expect("valid list")
    }

    #[test]
    fn check_digits() {
        // 11010519491231002X is the standard's worked example (GB 11643).
        let digits: Vec<u8> = "11010519491231002".bytes().map(|b| b - b'0').collect();
        assert_eq!(id_check_value(&digits), Some(10));
        assert!(luhn(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 3]));
        assert!(!luhn(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1, 4]));
    }

    #[test]
    fn longest_word_wins_and_ascii_words_are_whole() {
        let r = redact("智力残疾；hiv 阳性；ARCHIVE", &list());
        let texts: Vec<&str> = r.findings.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, vec!["智力残疾", "hiv"]);
        assert_eq!(r.masked, "＊＊＊＊；*** 阳性；ARCHIVE");
    }

    #[test]
    fn validates_the_list() {
        let json = serde_json::json!({
            "categories": {"a": {"zh": "", "en": "A"}},
            "words": [{"word": "病", "category": "a"}, {"word": "病", "category": "b"}, {"word": " 1号", "category": "a"}]
        });
        let fields = FieldError::sorted_fields(&WordList::from_value(&json).expect_err("invalid"));
        assert_eq!(
            fields,
            vec![
                "sensitive_words.categories.a.zh",
                "sensitive_words.words[1].category",
                "sensitive_words.words[1].word",
                "sensitive_words.words[2].word",
            ]
        );
    }
}
