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
//!   (province code and a calendar date YYMMDD read as 19YY). Written in one run or as 6-8-4.
//! * **Mobile numbers**: `1[3-9]` and 9 more digits, in one run or as 3-4-4 separated by spaces or
//!   dashes, optionally after `+86`/`86` (joined or separated).
//! * **Landlines**: `0` + a 2–3 digit area code (not starting with 0), then `-` or a space (or the
//!   area code in brackets), then a 7–8 digit local number starting with 2–9; an extension after
//!   `-` or `转` (1–6 digits) is included.
//! * **Bank card numbers**: 13–19 digits passing the Luhn check, in one run or in groups of four
//!   (the last group 1–4 digits) separated by spaces.
//! * **Health words** from the maintained list `content/sensitive-words.yaml` ([`WordList`]),
//!   leftmost-longest (智力残疾 wins over 残疾); words in Latin letters (HIV) match regardless of
//!   case and only as whole words.
//!
//! Digits are ASCII `0-9` and full-width `０-９`. A number never matches inside a longer run of
//! digits: every match starts and ends at a run boundary (not preceded or followed by a digit).
//! Separators between groups are one space, no-break space, ideographic space, `-` or `－`.
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
//! * Bank cards: everything but the last 4 digits (`**** **** **** 1234`).
//! * Health words: every character (`＊＊`).
//!
//! Not found (say so to users): ID numbers of other documents (passports, permits), bank account
//! numbers that are not Luhn-valid card numbers, numbers written in Chinese numerals, names and
//! addresses. The list of health words errs on the side of flagging; a cadre reads every finding.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::rules::outcome::Text;
use crate::rules::{cites_en, cites_zh, Date, FieldError, Lang};

// ---------------------------------------------------------------------------------------------
// The word list
// ---------------------------------------------------------------------------------------------

/// The maintained list of health-status words (`content/sensitive-words.yaml`, converted to JSON
/// by the build and the CLI, like the policy data).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WordList {
    /// The categories, by key: how each is named in a finding's reason.
    pub categories: BTreeMap<String, Text>,
    /// The words.
    pub words: Vec<Word>,
}

/// One word of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
        let value: Value = serde_json::from_str(text).map_err(|err| {
            vec![FieldError::new(
                "sensitive_words",
                format!("敏感词表不是有效的 JSON：{err}"),
                format!("the list of sensitive words is not valid JSON: {err}"),
            )]
        })?;
        WordList::from_value(&value)
    }

    /// Reads and validates the list from a parsed value (the build converts the YAML first).
    pub fn from_value(value: &Value) -> Result<WordList, Vec<FieldError>> {
        let list: WordList = serde_json::from_value(value.clone()).map_err(|err| {
            vec![FieldError::new(
                "sensitive_words",
                format!("敏感词表无法读取（应为 categories 和 words 两项）：{err}"),
                format!("the list of sensitive words cannot be read (expected categories and words): {err}"),
            )]
        })?;
        let errors = list.validate();
        if errors.is_empty() {
            Ok(list)
        } else {
            Err(errors)
        }
    }

    /// Every problem in the list: no words; a category without its names; a word that is empty,
    /// padded with spaces, contains a digit or a line break, is listed twice, or has an unknown
    /// category.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.words.is_empty() {
            errors.push(FieldError::new(
                "sensitive_words.words",
                "敏感词表至少需要一个词",
                "the list needs at least one word",
            ));
        }
        for (key, names) in &self.categories {
            for (lang, name) in [("zh", &names.zh), ("en", &names.en)] {
                if name.trim().is_empty() {
                    errors.push(FieldError::new(
                        format!("sensitive_words.categories.{key}.{lang}"),
                        "类别需要中英文名称",
                        "a category needs its name in both languages",
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
                    format!("第 {} 个词“{word}”为空或含有多余的空白", index + 1),
                    format!("word {} '{word}' is empty or has surrounding white space", index + 1),
                ));
            } else if word.chars().any(|c| digit_value(c).is_some()) {
                errors.push(FieldError::new(
                    field("word"),
                    format!("第 {} 个词“{word}”含有数字；号码由专门的规则查找", index + 1),
                    format!(
                        "word {} '{word}' contains a digit; numbers are found by their own rules",
                        index + 1
                    ),
                ));
            }
            if let Some(first) = self.words[..index].iter().position(|w| fold(&w.word) == fold(word)) {
                errors.push(FieldError::new(
                    field("word"),
                    format!("“{word}”重复（第 {} 个词已列出）", first + 1),
                    format!("'{word}' is listed twice (already word {})", first + 1),
                ));
            }
            if !self.categories.contains_key(&entry.category) {
                errors.push(FieldError::new(
                    field("category"),
                    format!("未知类别“{}”；可用类别：{}", entry.category, keys.join("、")),
                    format!(
                        "unknown category '{}'; expected one of: {}",
                        entry.category,
                        keys.join(", ")
                    ),
                ));
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A resident ID number (18 or 15 digits).
    ResidentId,
    /// A mobile number.
    Mobile,
    /// A landline number.
    Landline,
    /// A bank card number.
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
            Kind::BankCard => ("银行卡号", "bank card number"),
            Kind::Health => ("健康状况", "health status"),
        };
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// One thing a notice must not publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Why it must not be published.
    pub reason: Text,
    /// The questions of the guide: `[38]`.
    pub cites: Vec<u8>,
}

/// The result of a privacy check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

const CITES: [u8; 1] = [38];

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
            let reason = reason(span.kind, span.old_id, category.as_deref(), words);
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
            zh: "没有发现身份证号码、手机号、固定电话、银行卡号或健康状况用词。仍请人工通读：姓名、住址、其他证件号码等本工具不检查。".into(),
            en: "No ID, mobile, landline or bank card number and no health word was found. Still read it through: names, addresses and other document numbers are not checked.".into(),
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
        zh: format!(
            "发现 {} 处不得公开的敏感信息：{}（第38问）。请删除或使用遮盖后的文本。",
            findings.len(),
            zh.join("，")
        ),
        en: format!(
            "Found {} item{} that must not be published: {} (Q38). Remove them or use the masked text.",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            en.join(", ")
        ),
    }
}

fn reason(kind: Kind, old_id: bool, category: Option<&str>, words: &WordList) -> Text {
    match kind {
        Kind::ResidentId => Text {
            zh: format!(
                "居民身份证号码{}：公示公告中不得公开农户身份证件号码。",
                if old_id { "（15 位旧号码）" } else { "" }
            ),
            en: format!(
                "Resident ID number{}: notices must not show a household's ID numbers.",
                if old_id { " (old 15-digit form)" } else { "" }
            ),
        },
        Kind::Mobile => Text {
            zh: "手机号码：公示公告中不得公开农户手机号。".into(),
            en: "Mobile number: notices must not show a household's mobile numbers.".into(),
        },
        Kind::Landline => Text {
            zh: "固定电话号码：第38问禁止公开手机号“等敏感信息”，家庭固定电话同属个人联系方式。".into(),
            en: "Landline number: Q38 forbids mobile numbers \"and other sensitive information\"; a household's landline is personal contact information too.".into(),
        },
        Kind::BankCard => Text {
            zh: "银行卡号：公示公告中不得公开农户银行账号。".into(),
            en: "Bank card number: notices must not show a household's bank account numbers.".into(),
        },
        Kind::Health => {
            let names = category.and_then(|c| words.categories.get(c));
            let (zh, en) = names.map_or((String::new(), String::new()), |t| {
                (format!("（{}）", t.zh), format!(" ({})", t.en))
            });
            Text {
                zh: format!("健康状况{zh}：公示公告中不得公开农户健康状况。"),
                en: format!("Health status{en}: notices must not show a household's health conditions."),
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
        let cites = if zh {
            format!("（{}）", cites_zh(&finding.cites))
        } else {
            format!(" ({})", cites_en(&finding.cites))
        };
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
    /// A 15-digit ID number.
    old_id: bool,
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

fn is_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{3000}' | '-' | '－')
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{3000}')
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
    old_id: bool,
}

impl Scanner<'_> {
    /// The separator between group `a` and the next, if they are joined by exactly one.
    fn link(&self, a: usize) -> Option<char> {
        let g = self.groups.get(a)?;
        let h = self.groups.get(a + 1)?;
        if g.x || h.start != g.end + 1 {
            return None;
        }
        let c = self.chars[g.end];
        is_separator(c).then_some(c)
    }

    fn is_digit_at(&self, index: usize) -> bool {
        self.chars.get(index).and_then(|&c| digit_value(c)).is_some()
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

    fn at(&self, i: usize) -> Option<Match> {
        self.resident_id(i)
            .or_else(|| self.mobile(i))
            .or_else(|| self.landline(i))
            .or_else(|| self.bank_card(i))
    }

    fn resident_id(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let last4 = |p: usize, n: usize| p + 4 >= n;
        let found = |end_group: usize, end: usize, old_id: bool| {
            Some(Match {
                start: g.start,
                end,
                next: end_group + 1,
                kind: Kind::ResidentId,
                keep: self.visibility(g.start, end, last4),
                old_id,
            })
        };
        if g.len() == 18 && valid_id18(&g.digits, false) {
            return found(i, g.end, false);
        }
        if g.len() == 17 && g.x && valid_id18(&g.digits, true) {
            return found(i, g.end + 1, false);
        }
        if g.len() == 15 && valid_id15(&g.digits) {
            return found(i, g.end, true);
        }
        // 6-8-4, the last group possibly 3 digits and an X.
        if g.len() == 6
            && self.link(i).is_some()
            && self.groups.get(i + 1).is_some_and(|h| h.len() == 8)
            && self.link(i + 1).is_some()
        {
            let last = self.groups.get(i + 2)?;
            let mut digits: Vec<u8> = g.digits.clone();
            digits.extend(&self.groups[i + 1].digits);
            digits.extend(&last.digits);
            if last.len() == 4 && valid_id18(&digits, false) {
                return found(i + 2, last.end, false);
            }
            if last.len() == 3 && last.x && valid_id18(&digits, true) {
                return found(i + 2, last.end + 1, false);
            }
        }
        None
    }

    fn mobile(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let plus = g.start > 0 && matches!(self.chars[g.start - 1], '+' | '＋');
        let prefixed_start = if plus { g.start - 1 } else { g.start };
        // 8613812345678, +8613812345678.
        if g.len() == 13 && g.digits[..2] == [8, 6] && is_mobile(&g.digits[2..]) {
            return Some(self.mobile_match(prefixed_start, i, g.end, 2));
        }
        // 86 138 1234 5678, +86-13812345678.
        if g.digits == [8, 6] && self.link(i).is_some() {
            if let Some(m) = self.mobile_core(i + 1, prefixed_start, 2) {
                return Some(m);
            }
        }
        self.mobile_core(i, g.start, 0)
    }

    /// A mobile number whose 11 digits start at group `i` (one run, or 3-4-4); the match starts
    /// at `start` (before a prefix of `prefix_digits` digits, if any).
    fn mobile_core(&self, i: usize, start: usize, prefix_digits: usize) -> Option<Match> {
        let g = self.groups.get(i)?;
        if g.len() == 11 && is_mobile(&g.digits) {
            return Some(self.mobile_match(start, i, g.end, prefix_digits));
        }
        if g.len() == 3 && self.link(i).is_some() && self.link(i + 1).is_some() {
            let (b, c) = (self.groups.get(i + 1)?, self.groups.get(i + 2)?);
            if b.len() == 4 && c.len() == 4 {
                let digits: Vec<u8> = [&g.digits[..], &b.digits[..], &c.digits[..]].concat();
                if is_mobile(&digits) {
                    return Some(self.mobile_match(start, i + 2, c.end, prefix_digits));
                }
            }
        }
        None
    }

    /// Keeps the prefix, the first 3 and the last 4 of the 11 digits: `138****5678`.
    fn mobile_match(&self, start: usize, end_group: usize, end: usize, prefix_digits: usize) -> Match {
        Match {
            start,
            end,
            next: end_group + 1,
            kind: Kind::Mobile,
            keep: self.visibility(start, end, |p, n| p < prefix_digits + 3 || p + 4 >= n),
            old_id: false,
        }
    }

    fn landline(&self, i: usize) -> Option<Match> {
        let area = &self.groups[i];
        if !(3..=4).contains(&area.len()) || area.digits[0] != 0 || area.digits[1] == 0 || area.x {
            return None;
        }
        // (0531) 87654321, （0531）87654321, 0531-87654321, 0531 87654321.
        let bracketed = area.start > 0
            && matches!(self.chars[area.start - 1], '(' | '（')
            && self.chars.get(area.end).is_some_and(|&c| matches!(c, ')' | '）'));
        let local_index = i + 1;
        let local = self.groups.get(local_index)?;
        let joined = if bracketed {
            local.start == area.end + 1 || (local.start == area.end + 2 && is_space(self.chars[area.end + 1]))
        } else {
            self.link(i).is_some()
        };
        if !joined || !(7..=8).contains(&local.len()) || local.digits[0] < 2 || local.x {
            return None;
        }
        let start = if bracketed { area.start - 1 } else { area.start };
        let mut end = local.end;
        let mut last_group = local_index;
        // Extension: -123 or 转123.
        if let Some(ext) = self.groups.get(local_index + 1) {
            let after_dash = self.link(local_index).is_some_and(|c| c == '-' || c == '－');
            let after_zhuan = ext.start == local.end + 1 && self.chars[local.end] == '转';
            if (after_dash || after_zhuan) && (1..=6).contains(&ext.len()) && !ext.x {
                end = ext.end;
                last_group = local_index + 1;
            }
        }
        // Keep the area code and the local number's last 4 digits; mask the rest, extension
        // included.
        let area_len = area.len();
        let local_len = local.len();
        let keep = self.visibility(start, end, |p, _| {
            p < area_len || (p >= area_len + local_len - 4 && p < area_len + local_len)
        });
        Some(Match {
            start,
            end,
            next: last_group + 1,
            kind: Kind::Landline,
            keep,
            old_id: false,
        })
    }

    fn bank_card(&self, i: usize) -> Option<Match> {
        let g = &self.groups[i];
        let finish = |end_group: usize, end: usize| {
            Some(Match {
                start: g.start,
                end,
                next: end_group + 1,
                kind: Kind::BankCard,
                keep: self.visibility(g.start, end, |p, n| p + 4 >= n),
                old_id: false,
            })
        };
        if (13..=19).contains(&g.len()) && luhn(&g.digits) {
            return finish(i, g.end);
        }
        if g.len() != 4 {
            return None;
        }
        // Groups of four joined by spaces, the last of 1–4 digits: the longest valid prefix.
        let mut chain = vec![i];
        while let Some(&last) = chain.last() {
            if self.groups[last].len() != 4 || !self.link(last).is_some_and(is_space) {
                break;
            }
            chain.push(last + 1);
        }
        while chain.len() >= 2 {
            let last = *chain.last()?;
            let total: usize = chain.iter().map(|&k| self.groups[k].len()).sum();
            let digits: Vec<u8> = chain
                .iter()
                .flat_map(|&k| self.groups[k].digits.iter().copied())
                .collect();
            if (1..=4).contains(&self.groups[last].len()) && (13..=19).contains(&total) && luhn(&digits) {
                return finish(last, self.groups[last].end);
            }
            chain.pop();
        }
        None
    }
}

fn find_numbers(chars: &[char]) -> Vec<Span> {
    let scanner = Scanner {
        chars,
        groups: groups(chars),
    };
    let mut spans = Vec::new();
    let mut i = 0;
    while i < scanner.groups.len() {
        match scanner.at(i) {
            Some(m) => {
                debug_assert!(m.start == 0 || !scanner.is_digit_at(m.start - 1));
                debug_assert!(!scanner.is_digit_at(m.end));
                spans.push(Span {
                    kind: m.kind,
                    start: m.start,
                    end: m.end,
                    keep: m.keep,
                    category: None,
                    old_id: m.old_id,
                });
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
    let body_len = if x { 17 } else { 18 };
    if digits.len() != body_len {
        return false;
    }
    let province = u8::try_from(number(&digits[..2])).unwrap_or(0);
    let year = number(&digits[6..10]);
    if !PROVINCES.contains(&province) || !(1900..=2099).contains(&year) {
        return false;
    }
    if !plausible_date(year, number(&digits[10..12]), number(&digits[12..14])) {
        return false;
    }
    let expected = id_check_value(&digits[..17]);
    if x {
        expected == Some(10)
    } else {
        expected == Some(digits[17])
    }
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

fn find_words(chars: &[char], taken: &[bool], words: &WordList) -> Vec<Span> {
    let list: Vec<(Vec<char>, bool)> = words
        .words
        .iter()
        .map(|w| {
            let ascii = w.word.chars().all(|c| c.is_ascii_alphanumeric());
            (w.word.chars().map(|c| c.to_ascii_lowercase()).collect(), ascii)
        })
        .collect();
    let is_letter = |index: Option<usize>| {
        index
            .and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_ascii_alphanumeric())
    };
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let mut best: Option<(usize, usize)> = None; // (length, word index)
        for (index, (word, ascii)) in list.iter().enumerate() {
            let n = word.len();
            if n == 0 || i + n > chars.len() || best.is_some_and(|(len, _)| len >= n) {
                continue;
            }
            if taken[i..i + n].iter().any(|&t| t) {
                continue;
            }
            if !chars[i..i + n]
                .iter()
                .zip(word)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
            {
                continue;
            }
            if *ascii && (is_letter(i.checked_sub(1)) || is_letter(Some(i + n))) {
                continue;
            }
            best = Some((n, index));
        }
        match best {
            Some((n, index)) => {
                spans.push(Span {
                    kind: Kind::Health,
                    start: i,
                    end: i + n,
                    keep: vec![false; n],
                    category: Some(index),
                    old_id: false,
                });
                i += n;
            }
            None => i += 1,
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

    /// An 18-digit ID from its first 17 digits, with the computed check character.
    fn id(first17: &str) -> String {
        let digits: Vec<u8> = first17.bytes().map(|b| b - b'0').collect();
        let check = id_check_value(&digits).expect("17 digits");
        let last = if check == 10 { 'X' } else { char::from(b'0' + check) };
        format!("{first17}{last}")
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
    fn id_in_groups_and_with_x() {
        let with_x = (0..1000)
            .map(|n| id(&format!("11010119900307{n:03}")))
            .find(|s| s.ends_with('X'))
            .expect("some sequence number gives X");
        let spaced = format!("{} {} {}", &with_x[..6], &with_x[6..14], &with_x[14..]);
        let r = redact(&format!("号码{spaced}。"), &list());
        assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
        assert_eq!(r.findings[0].kind, Kind::ResidentId);
        assert_eq!(r.findings[0].masked, format!("****** ******** {}", &with_x[14..]));
    }

    #[test]
    fn validates_the_list() {
        let json = serde_json::json!({
            "categories": {"a": {"zh": "", "en": "A"}},
            "words": [{"word": "病", "category": "a"}, {"word": "病", "category": "b"}, {"word": " 1号", "category": "a"}]
        });
        let mut fields: Vec<String> = WordList::from_value(&json)
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        fields.sort();
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
