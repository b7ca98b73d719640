//! The JSON of the search path without serde: reading the index (`{"v":2,"docs":[[url,number,
//! title,body,lang],…],"lex":[[[term,…],[word,…]],…]}`) and writing the results the page receives.
//!
//! The search engine is the part of the page engine that every reader downloads; serde_json's
//! generic code (and the float formatting its error messages pull in) was a third of its wasm.
//! This reader accepts any JSON text of that shape (whitespace, every string escape, surrogate
//! pairs) and rejects everything else with the byte offset; it never panics. The writer escapes
//! exactly as serde_json does, so the output is byte for byte the same (tests/search.rs).

use std::fmt;

pub(crate) use crate::json::{push_str, push_uint};

/// A document of the wire format: url, item number, title, body, lang.
pub(crate) type WireDoc = (String, Option<u32>, String, String, String);

/// Why the text is not an index.
#[derive(Debug)]
pub(crate) struct WireError {
    what: &'static str,
    at: usize,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.what, self.at)
    }
}

/// A concept of the vocabulary on the wire: its terms and its words.
pub(crate) type WireConcept = (Vec<String>, Vec<String>);

/// The parts of an index file.
pub(crate) struct WireIndex {
    pub v: u32,
    pub docs: Vec<WireDoc>,
    /// The vocabulary: per concept, its terms and its words.
    pub lex: Vec<WireConcept>,
}

/// Reads `{"v": …, "docs": [[…], …], "lex": [[[…], […]], …]}` (keys in any order, `v` and
/// `docs` required, `lex` optional, no other key).
pub(crate) fn parse_index(json: &str) -> Result<WireIndex, WireError> {
    let mut p = Parser::new(json);
    let (mut version, mut docs, mut lex) = (None, None, None);
    p.expect(b'{', "expected `{`")?;
    if !p.eat(b'}') {
        loop {
            let key = p.string()?;
            p.expect(b':', "expected `:`")?;
            match key.as_str() {
                "v" if version.is_none() => version = Some(p.u32()?),
                "docs" if docs.is_none() => docs = Some(p.docs()?),
                "lex" if lex.is_none() => lex = Some(p.lex()?),
                _ => return Err(p.err("unexpected or repeated key")),
            }
            if p.eat(b'}') {
                break;
            }
            p.expect(b',', "expected `,` or `}`")?;
        }
    }
    p.end()?;
    match (version, docs) {
        (Some(v), Some(docs)) => Ok(WireIndex {
            v,
            docs,
            lex: lex.unwrap_or_default(),
        }),
        (None, _) => Err(p.err("missing field `v`")),
        (_, None) => Err(p.err("missing field `docs`")),
    }
}

/// A reader of the JSON of the search path, shared by the whole index and its chunks.
pub(crate) struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(json: &'a str) -> Self {
        Parser {
            s: json.as_bytes(),
            i: 0,
        }
    }

    /// Succeeds when nothing but whitespace is left.
    pub(crate) fn end(&mut self) -> Result<(), WireError> {
        self.ws();
        if self.i == self.s.len() {
            Ok(())
        } else {
            Err(self.err("trailing characters"))
        }
    }

    pub(crate) fn err(&self, what: &'static str) -> WireError {
        WireError { what, at: self.i }
    }

    pub(crate) fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    /// Skips whitespace; consumes `b` if it comes next.
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        self.ws();
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, b: u8, what: &'static str) -> Result<(), WireError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.err(what))
        }
    }

    pub(crate) fn docs(&mut self) -> Result<Vec<WireDoc>, WireError> {
        let mut docs = Vec::new();
        self.expect(b'[', "expected `[`")?;
        if self.eat(b']') {
            return Ok(docs);
        }
        loop {
            self.expect(b'[', "expected `[` (a document)")?;
            let url = self.string()?;
            self.expect(b',', "expected `,`")?;
            let number = if self.literal(b"null") { None } else { Some(self.u32()?) };
            self.expect(b',', "expected `,`")?;
            let title = self.string()?;
            self.expect(b',', "expected `,`")?;
            let body = self.string()?;
            self.expect(b',', "expected `,`")?;
            let lang = self.string()?;
            self.expect(b']', "expected `]` after a document's five fields")?;
            docs.push((url, number, title, body, lang));
            if self.eat(b']') {
                return Ok(docs);
            }
            self.expect(b',', "expected `,` or `]`")?;
        }
    }

    pub(crate) fn strings(&mut self) -> Result<Vec<String>, WireError> {
        let mut out = Vec::new();
        self.expect(b'[', "expected `[` (a list of strings)")?;
        if self.eat(b']') {
            return Ok(out);
        }
        loop {
            out.push(self.string()?);
            if self.eat(b']') {
                return Ok(out);
            }
            self.expect(b',', "expected `,` or `]`")?;
        }
    }

    pub(crate) fn lex(&mut self) -> Result<Vec<WireConcept>, WireError> {
        let mut out = Vec::new();
        self.expect(b'[', "expected `[`")?;
        if self.eat(b']') {
            return Ok(out);
        }
        loop {
            self.expect(b'[', "expected `[` (a concept)")?;
            let terms = self.strings()?;
            self.expect(b',', "expected `,`")?;
            let words = self.strings()?;
            self.expect(b']', "expected `]` after a concept's terms and words")?;
            out.push((terms, words));
            if self.eat(b']') {
                return Ok(out);
            }
            self.expect(b',', "expected `,` or `]`")?;
        }
    }

    pub(crate) fn literal(&mut self, word: &[u8]) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn u32(&mut self) -> Result<u32, WireError> {
        self.ws();
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        let digits = &self.s[start..self.i];
        if digits.is_empty() || (digits.len() > 1 && digits[0] == b'0') {
            self.i = start;
            return Err(self.err("expected a whole number"));
        }
        digits.iter().try_fold(0u32, |n, &d| {
            n.checked_mul(10)
                .and_then(|n| n.checked_add(u32::from(d - b'0')))
                .ok_or(WireError {
                    what: "number too large",
                    at: start,
                })
        })
    }

    pub(crate) fn string(&mut self) -> Result<String, WireError> {
        self.expect(b'"', "expected a string")?;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let start = self.i;
            while let Some(&b) = self.s.get(self.i) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // The input is a &str and the run stops only at ASCII bytes: a char boundary.
            out.push_str(std::str::from_utf8(&self.s[start..self.i]).map_err(|_| self.err("invalid UTF-8"))?);
            match self.s.get(self.i) {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        return Err(self.err("unterminated string"));
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => {
                            self.i -= 1;
                            return Err(self.err("invalid escape"));
                        }
                    }
                }
                Some(_) => return Err(self.err("control character in a string")),
            }
        }
    }

    /// After `\u`: four hex digits, and a low surrogate's `\uXXXX` after a high one.
    fn unicode_escape(&mut self) -> Result<char, WireError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.s[self.i..].starts_with(b"\\u") {
                    return Err(self.err("lone surrogate in \\u escape"));
                }
                self.i += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(self.err("lone surrogate in \\u escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.err("lone surrogate in \\u escape")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.err("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, WireError> {
        let mut n = 0u32;
        for _ in 0..4 {
            let d = self
                .s
                .get(self.i)
                .and_then(|&b| char::from(b).to_digit(16))
                .ok_or_else(|| self.err("expected four hex digits after \\u"))?;
            n = n * 16 + d;
            self.i += 1;
        }
        Ok(n)
    }
}

/// Appends a document as the index writes it: `[url,number,title,body,lang]`.
pub(crate) fn push_doc(out: &mut String, d: &crate::search::Document) {
    out.push('[');
    push_str(out, &d.url);
    out.push(',');
    match d.number {
        Some(n) => push_uint(out, u64::from(n)),
        None => out.push_str("null"),
    }
    for s in [&d.title, &d.body, &d.lang] {
        out.push(',');
        push_str(out, s);
    }
    out.push(']');
}

/// Appends a list of strings: `["a","b"]`.
pub(crate) fn push_strs(out: &mut String, list: &[String]) {
    out.push('[');
    for (j, s) in list.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        push_str(out, s);
    }
    out.push(']');
}

/// Appends the vocabulary: `[[[term,…],[word,…]],…]`.
pub(crate) fn push_lex(out: &mut String, lexicon: &crate::search::Lexicon) {
    out.push('[');
    for (i, c) in lexicon.concepts().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('[');
        push_strs(out, &c.terms);
        out.push(',');
        push_strs(out, &c.words);
        out.push(']');
    }
    out.push(']');
}

/// Appends `thousandths / 1000` as serde_json writes that f64 (`1.0`, `0.5`, `0.125`, `0.0`):
/// the shortest decimal that reads back as the same double, which for a multiple of 0.001 is the
/// decimal itself.
pub(crate) fn push_thousandths(out: &mut String, thousandths: i64) {
    if thousandths < 0 {
        out.push('-');
    }
    let n = thousandths.unsigned_abs();
    push_uint(out, n / 1000);
    out.push('.');
    let frac = n % 1000;
    if frac == 0 {
        out.push('0');
        return;
    }
    let mut digits = [
        b'0' + (frac / 100) as u8,
        b'0' + (frac / 10 % 10) as u8,
        b'0' + (frac % 10) as u8,
    ];
    let mut len = 3;
    while digits[len - 1] == b'0' {
        len -= 1;
    }
    for d in &mut digits[..len] {
        out.push(char::from(*d));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_escape_and_rejects_bad_input() {
        let json = r#" { "docs" : [ ["/a/", 7, "t\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00", "b", "zh"], ["/b/", null, "", "", "en"] ], "v": 1 } "#;
        let WireIndex { v, docs, lex } = parse_index(json).expect("valid");
        assert_eq!(v, 1);
        assert!(lex.is_empty());
        let with_lex = parse_index(r#"{"v":2,"docs":[],"lex":[[["风险消除"],["退出监测","出列"]],[[],[]]]}"#)
            .expect("a vocabulary");
        assert_eq!(with_lex.lex[0].1, vec!["退出监测".to_string(), "出列".to_string()]);
        assert!(parse_index(r#"{"v":2,"docs":[],"lex":[[["a"]]]}"#).is_err());
        assert_eq!(docs[0].2, "t\"\\/\u{8}\u{c}\n\r\té😀");
        assert_eq!(docs[1].1, None);
        for bad in [
            "",
            "{}",
            r#"{"v":1}"#,
            r#"{"v":1,"docs":[],"x":2}"#,
            r#"{"v":1,"docs":[["a",1,"t","b"]]}"#,
            r#"{"v":1,"docs":[["a",01,"t","b","zh"]]}"#,
            r#"{"v":1,"docs":[["a",4294967296,"t","b","zh"]]}"#,
            r#"{"v":1,"docs":[["a\ud800",1,"t","b","zh"]]}"#,
            r#"{"v":1,"docs":[["a\q",1,"t","b","zh"]]}"#,
            "{\"v\":1,\"docs\":[[\"a\n\",1,\"t\",\"b\",\"zh\"]]}",
            r#"{"v":1,"docs":[]} x"#,
            r#"{"v":1,"docs":[["a",1,"t","b","zh"]"#,
            r#"{"v":1,"v":1,"docs":[]}"#,
        ] {
            assert!(parse_index(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn writes_like_serde_json() {
        for s in [
            "",
            "plain",
            "quote \" back \\ slash /",
            "\u{0}\u{1f}\u{7f}\n\t\u{8}\u{c}\r",
            "中文 😀 </script>",
        ] {
            let mut out = String::new();
            push_str(&mut out, s);
            assert_eq!(out, serde_json::to_string(s).expect("a string serialises"));
        }
        for k in [0i64, 1, 5, 10, 100, 120, 125, 999, 1000, 1500, -250, 123_456] {
            let mut out = String::new();
            push_thousandths(&mut out, k);
            let x = k as f64 / 1000.0;
            assert_eq!(out, serde_json::to_string(&x).expect("a float serialises"), "{k}");
        }
    }

    /// `api::search_json` (written by hand) gives the bytes serde_json gives for the same rows,
    /// and an index written by serde_json reads back through `parse_index`.
    #[test]
    fn search_results_match_serde_json() {
        use crate::search::{Document, Index, IndexBuilder};
        #[derive(serde::Serialize)]
        struct Row {
            number: Option<u32>,
            title: String,
            snippet: String,
            url: String,
            score: f64,
            hl: String,
        }
        #[derive(serde::Serialize)]
        struct Rows {
            results: Vec<Row>,
        }
        let mut builder = IndexBuilder::new();
        let texts = [
            (
                "家庭收入如何计算？",
                "家庭纯收入包括工资性收入和经营净收入。\n\n\"引号\" \\ 反斜杠\t<b>&",
            ),
            (
                "Income \"and\" <costs>",
                "Household income is wages plus net business income.\u{1}",
            ),
            ("低保和特困", "农村低保对象和特困人员，收入 2％ 以上。"),
        ];
        for (i, (title, body)) in texts.iter().enumerate() {
            builder.add(Document {
                url: format!("/zh/q/{i}/"),
                number: if i == 1 { None } else { Some(i as u32 + 1) },
                title: (*title).to_string(),
                body: (*body).to_string(),
                lang: "zh".to_string(),
            });
        }
        let json = builder.build().to_json().expect("the index serialises");
        let index = Index::from_json(&json).expect("parse_index reads serde_json's output");
        for q in [
            "收入",
            "income",
            "低保 特困",
            "2%",
            "\"",
            "<b>",
            "家庭 income",
            "nothing here",
            "",
        ] {
            let results = index
                .query(q, 10)
                .into_iter()
                .map(|hit| Row {
                    number: hit.number,
                    title: hit.title,
                    snippet: hit.snippet,
                    url: hit.url,
                    score: (hit.score * 1000.0).round() / 1000.0,
                    hl: hit.hl,
                })
                .collect();
            let expected = serde_json::to_string(&Rows { results }).expect("rows serialise");
            assert_eq!(crate::api::search_json(&index, q, 10), expected, "query {q:?}");
        }
    }
}
