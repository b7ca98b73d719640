//! The one normaliser and tokenizer, used to build the search index and to parse queries.
//!
//! Index and query go through exactly the same function ([`tokenize`]), so they can never
//! disagree about how a piece of text is cut (the failure of tools that segment Chinese one way
//! at build time and another way in the browser).
//!
//! # Normalisation ([`fold_char`], [`normalize`])
//!
//! A small, hand-written subset of NFKC plus lower-casing, applied character by character so
//! that every token keeps the byte range of the *original* text it came from:
//!
//! * full-width ASCII `U+FF01..=U+FF5E` → ASCII (`２％` → `2%`, `（）` → `()`, `ＡＢＣ` → `abc`);
//! * the ideographic space `U+3000`, no-break spaces and other Unicode spaces → `' '`;
//! * `〔〕` → `[]`, `【】` → `[]`, curly apostrophes `’‘` → `'`, full-width currency signs
//!   `￥￠￡` → `¥¢£`, superscript digits `¹²³` → `123`;
//! * the Latin, Greek and Cyrillic letters lower-cased ([`lower`]: one character to one).
//!
//! # Tokens ([`tokenize`])
//!
//! After folding, the text is cut into runs:
//!
//! * **Chinese** (Han ideographs, plus kana and hangul): every character gives a one-character
//!   token, and every pair of neighbouring characters in the same run gives an overlapping
//!   two-character token (`绿色通道` → `绿 色 通 道` and `绿色 色通 通道`). Any substring of two
//!   or more characters of a text therefore consists of bigrams of that text, and a
//!   one-character query still finds something. The bigram starting at a character shares that
//!   character's position.
//! * **Numbers**: a run of ASCII digits, with an inner `.` between digits kept (`1.5`), is one
//!   token (`12317`, `2023`, `15`). A number directly followed by `%` gives a second token at the
//!   same position with the sign kept (`2%` → `2` and `2%`), so `2%`, `２％` and `2` all find it.
//! * **Words**: a run of other letters (and digits glued to letters are split off:
//!   `q32` → `q`, `32`), lower-cased, an inner apostrophe allowed, a trailing `'s` dropped,
//!   then stemmed by [`stem`]. A short list of English function words ([`is_stop_word`]) gives
//!   no token but still takes a position, so phrase adjacency stays honest.
//! * Everything else (punctuation, symbols, spaces, control characters) separates tokens.
//! * **Quantities**: an amount of time or a percentage, in digits or in Chinese numerals, also
//!   gives one [`TokenKind::Quantity`] token of its normalised value (`五天` and `5天` → `5天`,
//!   `十五天` and `半个月` → `15天`, `半年` and `六个月` → `6个月`, `百分之二` → `2%`), so every way of
//!   writing one amount meets in the index and in queries alike.
//! * Stemming also removes one derivational suffix (`elimination`, `eliminated` → `elimin`).
//!
//! Positions count characters in Chinese runs and words/numbers elsewhere; they are used for the
//! phrase matching and for choosing the snippet window. `start..end` is the byte range in the
//! original (unfolded) string, used to highlight matches.

/// What kind of run a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// One Chinese (CJK) character.
    HanUnigram,
    /// Two neighbouring Chinese characters of the same run.
    HanBigram,
    /// A number, possibly with a decimal point, or a number with `%` kept.
    Number,
    /// A stemmed word.
    Word,
    /// An amount written in words or digits, normalised (`五天` → `5天`, `半年` → `6个月`,
    /// `百分之二` → `2%`); an extra token beside the characters' own.
    Quantity,
}

/// One token of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalised term, as stored in the index and compared with queries.
    pub term: String,
    /// What kind of run the token came from.
    pub kind: TokenKind,
    /// Position in the token stream (characters in Chinese runs, words elsewhere).
    pub pos: u32,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
    /// Byte offset just after the token's last character in the original text.
    pub end: usize,
}

impl Token {
    fn new(term: String, kind: TokenKind, pos: u32, start: usize, end: usize) -> Token {
        Token {
            term,
            kind,
            pos,
            start,
            end,
        }
    }
}

/// Folds one character: full-width/half-width and compatibility forms to their plain form.
///
/// Returns the character unchanged if no folding applies. Does not lower-case.
pub fn fold_char(c: char) -> char {
    let u = c as u32;
    match u {
        // Full-width ASCII variants (！ to ～).
        0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        // Ideographic space, no-break space, the Unicode space family.
        0x3000 | 0x00A0 | 0x1680 | 0x2000..=0x200A | 0x202F | 0x205F => ' ',
        // Full-width currency and signs.
        0xFFE0 => '¢',
        0xFFE1 => '£',
        0xFFE2 => '¬',
        0xFFE3 => '¯',
        0xFFE4 => '¦',
        0xFFE5 => '¥',
        0xFFE6 => '₩',
        // Tortoise-shell and lenticular brackets used in document numbers (〔2022〕).
        0x3014 | 0x3010 | 0x3016 => '[',
        0x3015 | 0x3011 | 0x3017 => ']',
        // Curly apostrophes, so "household’s" and "household's" agree.
        0x2018 | 0x2019 => '\'',
        // Superscript digits.
        0x00B9 => '1',
        0x00B2 => '2',
        0x00B3 => '3',
        0x2070 => '0',
        0x2074..=0x2079 => char::from_u32(u - 0x2074 + u32::from(b'4')).unwrap_or(c),
        _ => c,
    }
}

/// Folds and lower-cases a whole string (see the module documentation).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(lower(fold_char(c)));
    }
    out
}

/// True for characters indexed as overlapping n-grams: Han ideographs (all CJK unified blocks,
/// compatibility ideographs, `〇`), kana and hangul.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3007
        | 0x3040..=0x309F // hiragana
        | 0x30A0..=0x30FF // katakana
        | 0x3400..=0x4DBF // extension A
        | 0x4E00..=0x9FFF // unified ideographs
        | 0xAC00..=0xD7AF // hangul syllables
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0x20000..=0x2FFFF // extensions B to F, compatibility supplement
        | 0x30000..=0x3134F // extension G
    )
}

/// English function words that give no token (they still take a position).
///
/// Kept short on purpose: only words that carry no meaning in a question about the guide.
pub fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "a" | "an"
            | "the"
            | "of"
            | "to"
            | "in"
            | "on"
            | "for"
            | "and"
            | "or"
            | "is"
            | "are"
            | "be"
            | "by"
            | "with"
            | "as"
            | "at"
            | "it"
            | "its"
            | "this"
            | "that"
            | "from"
            | "what"
            | "how"
            | "which"
            | "do"
            | "does"
    )
}

/// A light, predictable English stemmer ("Porter-lite"). Input must be lower-case.
///
/// The result is a matching key, not always a word. Words of three letters or fewer are kept
/// as they are. Otherwise, in order:
///
/// 1. plural: `-sses` → `-ss`; `-ies` → `-y`; `-es` after `x`, `z`, `ch`, `sh` → drop `-es`;
///    a final `-s` is dropped unless the word ends in `-ss`, `-us` or `-is`;
/// 2. `-ied` → `-y`; else `-ing` or `-ed` is dropped if at least three letters including a vowel
///    remain (`monitoring` → `monitor`, `lived` → `liv`; `need`, `string` unchanged);
/// 3. a final `-e` is dropped (`live`, `living`, `lives`, `lived` → `liv`);
/// 4. a final `-y` after a consonant becomes `-i` (`policy`, `policies` → `polici`);
/// 5. a final doubled consonant other than `l`, `s`, `z` is undoubled (`planned`, `plan` →
///    `plan`).
///
/// Every step only looks at the end of the word and keeps at least three letters.
pub fn stem(word: &str) -> String {
    // Only ASCII lower-case words are stemmed, so bytes are characters here: no allocation per
    // suffix test (this was most of the English tokenizer's time).
    if word.len() <= 3 || !word.bytes().all(|c| c.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w: Vec<u8> = word.as_bytes().to_vec();
    let ends = |w: &[u8], suffix: &str| -> bool { w.ends_with(suffix.as_bytes()) };
    let has_vowel = |w: &[u8]| w.iter().any(|c| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u' | b'y'));

    // 1. Plurals.
    if ends(&w, "sses") {
        w.truncate(w.len() - 2);
    } else if ends(&w, "ies") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push(b'y');
    } else if (ends(&w, "xes") || ends(&w, "zes") || ends(&w, "ches") || ends(&w, "shes")) && w.len() > 4 {
        w.truncate(w.len() - 2);
    } else if ends(&w, "s") && !ends(&w, "ss") && !ends(&w, "us") && !ends(&w, "is") {
        w.truncate(w.len() - 1);
    }

    // Nouns whose suffix hides the verb they come from.
    for (noun, verb) in IRREGULAR {
        if w == noun.as_bytes() {
            w = verb.as_bytes().to_vec();
            break;
        }
    }

    // 2. Past tense and gerund.
    let mut removed_inflection = false;
    if ends(&w, "ied") && w.len() > 4 {
        w.truncate(w.len() - 3);
        w.push(b'y');
    } else if ends(&w, "ing") && w.len() >= 6 && has_vowel(&w[..w.len() - 3]) {
        w.truncate(w.len() - 3);
        removed_inflection = true;
    } else if ends(&w, "ed") && w.len() >= 5 && has_vowel(&w[..w.len() - 2]) {
        w.truncate(w.len() - 2);
        removed_inflection = true;
    }

    // 2b. Derivational suffixes, one per word, so that the noun, verb and adjective of one
    // root meet (`elimination`, `eliminated` → `elimin`; `identification`, `identified` →
    // `identifi`; `registration`, `registered` → `regist`; `assistance` → `assist`).
    derive(&mut w, removed_inflection);

    // 3. Final e.
    if w.len() > 3 && ends(&w, "e") {
        w.truncate(w.len() - 1);
    }

    // 4. Final y after a consonant.
    if w.len() > 3 && ends(&w, "y") {
        let before = w[w.len() - 2];
        if !matches!(before, b'a' | b'e' | b'i' | b'o' | b'u') {
            let last = w.len() - 1;
            w[last] = b'i';
        }
    }

    // 5. Final doubled consonant.
    if w.len() > 3 {
        let a = w[w.len() - 1];
        let b = w[w.len() - 2];
        if a == b && !matches!(a, b'a' | b'e' | b'i' | b'o' | b'u' | b'l' | b's' | b'z') {
            w.truncate(w.len() - 1);
        }
    }
    w.into_iter().map(char::from).collect()
}

/// Nouns whose derivational suffix does not simply come off (`registration` is not
/// `registr` + `ation` of `register`).
const IRREGULAR: [(&str, &str); 4] = [
    ("registration", "register"),
    ("application", "apply"),
    ("applicant", "apply"),
    ("administration", "administer"),
];

/// Words the derivational step leaves alone: the suffix is part of the root.
const UNDERIVED: [&str; 9] = [
    "allowance",
    "implement",
    "supplement",
    "document",
    "element",
    "comment",
    "experiment",
    "general",
    "several",
];

/// Step 2b of [`stem`]: removes one derivational suffix, keeping at least four letters.
/// `inflected` tells that `-ed`/`-ing` came off, so a bare `-at` is the verb's `-ate`.
fn derive(w: &mut Vec<u8>, inflected: bool) {
    if UNDERIVED.iter().any(|u| w.as_slice() == u.as_bytes()) {
        return;
    }
    // (suffix, replacement)
    const RULES: [(&str, &str); 13] = [
        ("ification", "ify"),
        ("ization", "ize"),
        ("isation", "ize"),
        ("bility", "ble"),
        ("ation", ""),
        ("ment", ""),
        ("ness", ""),
        ("ance", ""),
        ("ence", ""),
        ("ity", ""),
        ("ate", ""),
        ("al", ""),
        ("er", ""),
    ];
    for (suffix, with) in RULES {
        if w.ends_with(suffix.as_bytes()) {
            let keep = w.len() - suffix.len();
            if keep + with.len() >= 4 {
                w.truncate(keep);
                w.extend_from_slice(with.as_bytes());
            }
            return;
        }
    }
    if inflected && w.ends_with(b"at") && w.len() >= 6 {
        w.truncate(w.len() - 2);
    }
}

/// Lower-cases the letters of the Latin, Greek and Cyrillic alphabets (one character to one, so
/// every token keeps its source range); other characters are returned as they are. The standard
/// library's full Unicode case tables would add about 12 KB to the page's engine for scripts the
/// guide and its readers do not write in, and text is matched as it is folded on both sides.
pub fn lower(c: char) -> char {
    let u = u32::from(c);
    let l = match u {
        0x41..=0x5A | 0xC0..=0xD6 | 0xD8..=0xDE => u + 32,
        0x100..=0x137 | 0x14A..=0x177 | 0x1E00..=0x1E95 | 0x1EA0..=0x1EFF if u % 2 == 0 => u + 1,
        0x139..=0x148 | 0x179..=0x17E if u % 2 == 1 => u + 1,
        0x178 => 0xFF,
        0x391..=0x3A1 | 0x3A3..=0x3AB | 0x410..=0x42F => u + 32,
        0x400..=0x40F => u + 80,
        _ => u,
    };
    char::from_u32(l).unwrap_or(c)
}

/// Letters and digits of words: ASCII, the Latin, Greek and Cyrillic letters, and any other
/// alphabetic block's characters that are not punctuation, symbols or spaces (see [`lower`] for
/// why not the standard library's tables).
fn is_letter(c: char) -> bool {
    let u = u32::from(c);
    c.is_ascii_alphanumeric()
        || matches!(u, 0xAA | 0xB5 | 0xBA | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0x2AF | 0x370..=0x373 | 0x376..=0x377 | 0x37B..=0x37D | 0x386 | 0x388..=0x3FF | 0x400..=0x481 | 0x48A..=0x52F | 0x1E00..=0x1FFF)
}

/// Character classes after folding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Cjk,
    Digit,
    Letter,
    Apostrophe,
    Dot,
    Percent,
    Other,
}

fn class_of(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if is_cjk(c) {
        Class::Cjk
    } else if is_letter(c) {
        // Other Unicode digits (e.g. Arabic-Indic) are treated as letters of a word.
        Class::Letter
    } else {
        match c {
            '\'' => Class::Apostrophe,
            '.' => Class::Dot,
            '%' => Class::Percent,
            _ => Class::Other,
        }
    }
}

/// One folded character with the byte range of its original.
#[derive(Debug, Clone, Copy)]
struct Folded {
    c: char,
    class: Class,
    start: usize,
    end: usize,
}

fn fold_all(s: &str) -> Vec<Folded> {
    let mut out = Vec::with_capacity(s.len());
    for (start, orig) in s.char_indices() {
        let end = start + orig.len_utf8();
        let c = lower(fold_char(orig));
        out.push(Folded {
            c,
            class: class_of(c),
            start,
            end,
        });
    }
    out
}

/// Cuts a text into tokens (see the module documentation). Never panics.
pub fn tokenize(s: &str) -> Vec<Token> {
    let chars = fold_all(s);
    let mut tokens = Vec::new();
    let mut pos: u32 = 0;
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        match ch.class {
            Class::Cjk => {
                let mut j = i;
                while j < chars.len() && chars[j].class == Class::Cjk {
                    j += 1;
                }
                for k in i..j {
                    let a = chars[k];
                    tokens.push(Token::new(a.c.to_string(), TokenKind::HanUnigram, pos, a.start, a.end));
                    if k + 1 < j {
                        let b = chars[k + 1];
                        let mut term = String::with_capacity(8);
                        term.push(a.c);
                        term.push(b.c);
                        tokens.push(Token::new(term, TokenKind::HanBigram, pos, a.start, b.end));
                    }
                    pos = pos.saturating_add(1);
                }
                i = j;
            }
            Class::Digit => {
                // One decimal point at most: "1.2.3" is 1.2, then 3.
                let (mut term, mut j, end) = run(&chars, i, Class::Dot, true);
                let start = ch.start;
                let percent = j < chars.len() && chars[j].class == Class::Percent;
                tokens.push(Token::new(term.clone(), TokenKind::Number, pos, start, end));
                if percent {
                    term.push('%');
                    tokens.push(Token::new(term, TokenKind::Number, pos, start, chars[j].end));
                    j += 1;
                }
                pos = pos.saturating_add(1);
                i = j;
            }
            Class::Letter => {
                let (mut word, j, end) = run(&chars, i, Class::Apostrophe, false);
                let start = ch.start;
                if let Some(stripped) = word.strip_suffix("'s") {
                    word = stripped.to_string();
                }
                word.retain(|c| c != '\'');
                if !word.is_empty() && !is_stop_word(&word) {
                    tokens.push(Token::new(stem(&word), TokenKind::Word, pos, start, end));
                }
                pos = pos.saturating_add(1);
                i = j;
            }
            Class::Apostrophe | Class::Dot | Class::Percent | Class::Other => {
                i += 1;
            }
        }
    }
    let extra = quantities(&chars, &tokens);
    if extra.is_empty() {
        return tokens;
    }
    // Both lists are in text order: merge them, a quantity after the tokens starting with it.
    let mut out = Vec::with_capacity(tokens.len() + extra.len());
    let mut extra = extra.into_iter().peekable();
    for t in tokens {
        while let Some(q) = extra.next_if(|q| q.start < t.start) {
            out.push(q);
        }
        out.push(t);
    }
    out.extend(extra);
    out
}

/// The run of characters of `chars[i]`'s class from `i`, with a `joiner` (a decimal point, an
/// apostrophe) kept where it stands between two of them (`once`: only the first): its text, the
/// index after it and the byte where it ends.
fn run(chars: &[Folded], i: usize, joiner: Class, once: bool) -> (String, usize, usize) {
    let class = chars[i].class;
    let mut j = i;
    let mut term = String::new();
    let mut joined = false;
    while let Some(c) = chars.get(j) {
        let joins = c.class == joiner && !(once && joined) && chars.get(j + 1).is_some_and(|next| next.class == class);
        if c.class != class && !joins {
            break;
        }
        joined |= joins;
        term.push(c.c);
        j += 1;
    }
    (term, j, chars[j - 1].end)
}

/// The value of a Chinese numeral character, or the multiplier of 十/百/千 (as `10`, `100`,
/// `1000` with `true`).
fn han_digit(c: char) -> Option<(u32, bool)> {
    Some(match c {
        '零' | '〇' => (0, false),
        '一' => (1, false),
        '二' | '两' => (2, false),
        '三' => (3, false),
        '四' => (4, false),
        '五' => (5, false),
        '六' => (6, false),
        '七' => (7, false),
        '八' => (8, false),
        '九' => (9, false),
        '十' => (10, true),
        '百' => (100, true),
        '千' => (1000, true),
        _ => return None,
    })
}

/// Reads a Chinese numeral at `chars[i..]` (`五`, `十五`, `二十`, `两`): value and length.
fn han_number(chars: &[Folded], i: usize) -> Option<(u32, usize)> {
    let (mut total, mut digit, mut j) = (0u32, 0u32, i);
    while let Some((v, unit)) = chars.get(j).and_then(|c| han_digit(c.c)) {
        if unit {
            total = total.saturating_add(if digit == 0 { 1 } else { digit }.saturating_mul(v));
            digit = 0;
        } else {
            digit = v;
        }
        j += 1;
    }
    (j > i).then_some((total.saturating_add(digit), j - i))
}

/// True if `chars[i..]` starts with `word`.
fn starts(chars: &[Folded], i: usize, word: &str) -> bool {
    word.chars()
        .enumerate()
        .all(|(k, w)| chars.get(i + k).map(|c| c.c) == Some(w))
}

/// The unit of a duration at `chars[i..]`: (days or months, factor, length). `天` is days;
/// `个月` and `月` after a Chinese numeral are months (`4月` after digits is a date); `周`,
/// `星期` are 7 days; `年` after a Chinese numeral is 12 months (`2023年` is a year).
fn duration_unit(chars: &[Folded], i: usize, han: bool) -> Option<(&'static str, u32, usize)> {
    if starts(chars, i, "天") || (han && starts(chars, i, "日")) {
        Some(("天", 1, 1))
    } else if starts(chars, i, "个月") {
        Some(("个月", 1, 2))
    } else if han && starts(chars, i, "月") {
        Some(("个月", 1, 1))
    } else if starts(chars, i, "周") {
        Some(("天", 7, 1))
    } else if starts(chars, i, "星期") {
        Some(("天", 7, 2))
    } else if han && starts(chars, i, "年") {
        Some(("个月", 12, 1))
    } else {
        None
    }
}

/// Quantities, as extra [`TokenKind::Quantity`] tokens at the position of their first
/// character, so that every way of writing one amount meets in one term, in the index and in
/// queries alike: durations `5天` = `五天`, `15天` = `十五天` = `半个月`, `6个月` = `六个月` =
/// `半年`, `1个月` = `一个月`, `7天` = `一周`; percentages `2%` = `百分之二` = `百分之2`. The
/// characters keep their own tokens, so the literal text is still found as written.
fn quantities(chars: &[Folded], tokens: &[Token]) -> Vec<Token> {
    let pos_at = |start: usize| tokens.iter().find(|t| t.start == start).map(|t| t.pos);
    let mut out = Vec::new();
    let push = |term: String, from: usize, to: usize, out: &mut Vec<Token>| {
        if let (Some(a), Some(b)) = (chars.get(from), chars.get(to - 1)) {
            if let Some(pos) = pos_at(a.start) {
                out.push(Token::new(term, TokenKind::Quantity, pos, a.start, b.end));
            }
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Half a month, half a year.
        if c.c == '半' && (i == 0 || chars[i - 1].class != Class::Cjk || han_digit(chars[i - 1].c).is_none()) {
            if starts(chars, i, "半个月") || starts(chars, i, "半月") {
                let len = if starts(chars, i, "半个月") { 3 } else { 2 };
                push("15天".to_string(), i, i + len, &mut out);
                i += len;
                continue;
            }
            if starts(chars, i, "半年") {
                push("6个月".to_string(), i, i + 2, &mut out);
                i += 2;
                continue;
            }
        }
        // 百分之 + a number in words or digits.
        if starts(chars, i, "百分之") {
            let j = i + 3;
            let number = han_number(chars, j).or_else(|| digits(chars, j));
            if let Some((n, len)) = number {
                push(format!("{n}%"), i, j + len, &mut out);
                i = j + len;
                continue;
            }
        }
        let (number, han) = if c.class == Class::Digit {
            // Only at the start of a digit run.
            if i > 0 && chars[i - 1].class == Class::Digit {
                (None, false)
            } else {
                (digits(chars, i), false)
            }
        } else if c.class == Class::Cjk && (i == 0 || han_digit(chars[i - 1].c).is_none()) {
            (han_number(chars, i), true)
        } else {
            (None, false)
        };
        if let Some((n, len)) = number {
            if let Some((unit, factor, ulen)) = duration_unit(chars, i + len, han) {
                push(
                    format!("{}{unit}", n.saturating_mul(factor)),
                    i,
                    i + len + ulen,
                    &mut out,
                );
                i += len + ulen;
                continue;
            }
            i += len;
            continue;
        }
        i += 1;
    }
    out
}

/// A whole number of ASCII digits at `chars[i..]` (no decimal point): value and length.
fn digits(chars: &[Folded], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut n = 0u32;
    while let Some(c) = chars.get(j).filter(|c| c.class == Class::Digit) {
        n = n.saturating_mul(10).saturating_add(c.c.to_digit(10).unwrap_or(0));
        j += 1;
    }
    if j == i || chars.get(j).is_some_and(|c| c.class == Class::Dot) {
        return None;
    }
    Some((n, j - i))
}
