//! The engine's vocabulary, shared by the rules, the input reader, the bindings and the build
//! tool: the two languages ([`Lang`]), a text in both ([`Text`]), an input problem named by its
//! field ([`FieldError`]), and the few formatting helpers every message uses.

/// The Chinese of a message: the expression as it is, except in a page engine built for English
/// alone (feature `only-en`), where the message is empty. The expression is still type-checked
/// there, but the branch is constant and compiled away, so neither its words nor the code that
/// formats them are in the module an English page downloads.
macro_rules! zh {
    ($e:expr) => {
        if cfg!(feature = "only-en") {
            ::core::default::Default::default()
        } else {
            $e
        }
    };
}

/// The English of a message; empty in a page engine built for Chinese alone (feature
/// `only-zh`). See [`zh!`].
macro_rules! en {
    ($e:expr) => {
        if cfg!(feature = "only-zh") {
            ::core::default::Default::default()
        } else {
            $e
        }
    };
}

#[cfg(all(feature = "only-zh", feature = "only-en"))]
compile_error!("the features `only-zh` and `only-en` exclude each other: build the engine once per language");

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// The two languages of the guide and of every message. Chinese is the official text and the
/// default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// Simplified Chinese, the official text.
    #[default]
    Zh,
    /// English translation.
    En,
}

impl Lang {
    /// Both languages, the default first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// Folder name and URL segment: `zh`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// BCP 47 tag for `lang` and `hreflang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's name in English, for messages.
    pub fn english_name(self) -> &'static str {
        match self {
            Lang::Zh => "Chinese",
            Lang::En => "English",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Parses `zh` or `en` exactly (folder names); see [`std::str::FromStr`] for the looser
    /// reading of a command-line flag.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
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

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Text {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// A text from its two languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh!(zh.into()),
            en: en!(en.into()),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// An input problem, named by the field it concerns, with a message in both languages.
///
/// `field` is a path into the input: `members`, `income.wages`, `problems[1]`, `year`,
/// `policy.monitoring_lines[0].yuan`, or `case` when the input as a whole is unreadable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
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
    pub fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        FieldError {
            field: clip(&field.into(), MAX_MESSAGE_CHARS),
            zh: zh!(clip(&zh.into(), MAX_MESSAGE_CHARS)),
            en: en!(clip(&en.into(), MAX_MESSAGE_CHARS)),
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
    /// The fields a list of problems names, sorted: the order problems are found in is not
    /// part of what a reader is told, so tests compare the set.
    pub fn sorted_fields(errors: &[FieldError]) -> Vec<String> {
        let mut fields: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        fields.sort();
        fields
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.en)
    }
}

impl std::error::Error for FieldError {}

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

/// A provision of the guide a rule rests on: the question's number and words quoted from its
/// official text (a test finds every quote in `content/zh/q/NN.md`). Results carry the question
/// numbers (`cites`); the quote ties the rule to the edition of the text it was written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Provision {
    /// The question's number.
    pub question: u8,
    /// Words of its official Chinese text, exactly as written there (line breaks removed).
    pub quote: &'static str,
}

/// The question numbers of `provisions`, in the order given, each once.
pub fn questions(provisions: &[Provision]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(provisions.len());
    for p in provisions {
        if !out.contains(&p.question) {
            out.push(p.question);
        }
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

/// The citation after a sentence in readable output: `（第3、7问）`, ` (Q3, Q7)`, or nothing
/// when there is none.
pub fn cite_suffix(cites: &[u8], lang: Lang) -> String {
    match (cites.is_empty(), lang) {
        (true, _) => String::new(),
        (false, Lang::Zh) => format!("（{}）", cites_zh(cites)),
        (false, Lang::En) => format!(" ({})", cites_en(cites)),
    }
}

crate::json::json_object!(Text { zh, en });

crate::json::json_object!(FieldError { field, zh, en });

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
        assert_eq!(cite_suffix(&[38], Lang::Zh), "（第38问）");
        assert_eq!(cite_suffix(&[3, 7], Lang::En), " (Q3, Q7)");
        assert_eq!(cite_suffix(&[], Lang::En), "");
    }

    #[test]
    fn lang_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.code()), Some(lang));
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
            assert_eq!(lang.other().other(), lang);
        }
        assert_eq!("zh-CN".parse::<Lang>(), Ok(Lang::Zh));
        assert_eq!(Lang::parse("fr"), None);
    }
}
