//! The engine's own value tree ([`Node`]) and a strict JSON parser for it.
//!
//! Every structured input — a household case, an elimination case, the dates of a timeline —
//! arrives as a `Node`, from the page's JSON ([`Node::parse_json`]) or from the CLI's YAML (via
//! [`Node::from_json_value`]). Unlike `serde_json::Value` a `Node`
//!
//! * keeps every key of a mapping in the order written, **including a key written twice**, so the
//!   reader can refuse the repetition instead of silently keeping the last value;
//! * keeps a number as the text written (`18446744073709551616`, `1.5`, `-0`), so a number beyond
//!   any machine integer is reported exactly as typed, and no floating point is involved.
//!
//! The typed structs are then filled from a checked `Node` by their [`super::FromNode`].

use crate::vocab::{clip, FieldError};

/// A value as written in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// `null` (YAML `~` or an empty value).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as the text written (always valid JSON number syntax).
    Number(String),
    /// A string.
    Text(String),
    /// A list.
    List(Vec<Node>),
    /// A mapping: its pairs in the order written, repeated keys kept.
    Map(Vec<(String, Node)>),
}

/// The deepest nesting of lists and mappings the JSON parser accepts (as the YAML reader).
pub const MAX_DEPTH: usize = 32;

impl Node {
    /// The value in a message: a short scalar as written (text quoted), a list or mapping by
    /// its kind. Chinese first.
    pub fn shown(&self) -> (String, String) {
        match self {
            Node::Null => ("空值".into(), "null".into()),
            Node::Bool(b) => (b.to_string(), b.to_string()),
            Node::Number(n) => (clip(n, 40), clip(n, 40)),
            Node::Text(t) => {
                let quoted = format!("\"{}\"", clip(t, 40));
                (format!("文字 {quoted}"), format!("text {quoted}"))
            }
            Node::List(_) => ("列表".into(), "a list".into()),
            Node::Map(_) => ("一组字段".into(), "a set of fields".into()),
        }
    }

    /// Converts a parsed `serde_json::Value` (the CLI reads YAML into one, refusing repeated
    /// keys there).
    #[cfg(feature = "serde")]
    pub fn from_json_value(value: &serde_json::Value) -> Node {
        use serde_json::Value;
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(n.to_string()),
            Value::String(s) => Node::Text(s.clone()),
            Value::Array(items) => Node::List(items.iter().map(Node::from_json_value).collect()),
            Value::Object(map) => Node::Map(map.iter().map(|(k, v)| (k.clone(), Node::from_json_value(v))).collect()),
        }
    }

    /// Parses JSON text (RFC 8259). Repeated keys are kept for the reader to refuse; nesting
    /// deeper than [`MAX_DEPTH`] is refused. A syntax error is named `root` (`case`, `input`)
    /// and says the line and column.
    pub fn parse_json(text: &str, root: &str) -> Result<Node, FieldError> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            text,
            pos: 0,
            depth: 0,
        };
        let result = parser.value().and_then(|node| {
            parser.space();
            if parser.pos < parser.bytes.len() {
                Err(parser.fail(zh!("后面还有多余的内容"), en!("unexpected text after the value")))
            } else {
                Ok(node)
            }
        });
        result.map_err(|(pos, zh, en)| {
            let before = &text[..pos.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            FieldError::new(
                root,
                zh!(format!("不是有效的 JSON（第 {line} 行第 {column} 列）：{zh}")),
                en!(format!("not valid JSON (line {line}, column {column}): {en}")),
            )
        })
    }
}

type Fail = (usize, &'static str, &'static str);

struct Parser<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn fail(&self, zh: &'static str, en: &'static str) -> Fail {
        (self.pos, zh, en)
    }

    fn space(&mut self) {
        while matches!(self.bytes.get(self.pos), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Node, Fail> {
        self.space();
        match self.bytes.get(self.pos) {
            None => Err(self.fail(zh!("内容不完整"), en!("the text ends too early"))),
            Some(b'{') => self.nested(Self::map),
            Some(b'[') => self.nested(Self::list),
            Some(b'"') => self.string().map(Node::Text),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => {
                for (word, node) in [
                    ("true", Node::Bool(true)),
                    ("false", Node::Bool(false)),
                    ("null", Node::Null),
                ] {
                    if self.text[self.pos..].starts_with(word) {
                        self.pos += word.len();
                        return Ok(node);
                    }
                }
                Err(self.fail(
                    zh!("此处应为值（数字、\"文字\"、true、false、null、[…] 或 {…}）"),
                    en!("expected a value (a number, \"text\", true, false, null, […] or {…})"),
                ))
            }
        }
    }

    fn nested(&mut self, inner: fn(&mut Self) -> Result<Node, Fail>) -> Result<Node, Fail> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(
                zh!("列表和对象嵌套超过 32 层"),
                en!("lists and objects are nested more than 32 levels deep"),
            ));
        }
        self.depth += 1;
        self.pos += 1;
        let node = inner(self);
        self.depth -= 1;
        node
    }

    /// After `[`.
    fn list(&mut self) -> Result<Node, Fail> {
        self.items(b']', Self::value).map(Node::List)
    }

    /// After `{`.
    fn map(&mut self) -> Result<Node, Fail> {
        self.items(b'}', Self::pair).map(Node::Map)
    }

    /// The items of a list (`close` is `]`) or an object (`}`) after its opening bracket, up to
    /// `close`: each read by `item`, separated by commas.
    fn items<T>(&mut self, close: u8, item: fn(&mut Self) -> Result<T, Fail>) -> Result<Vec<T>, Fail> {
        let mut items = Vec::new();
        self.space();
        if self.bytes.get(self.pos) == Some(&close) {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            items.push(item(self)?);
            self.space();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(&b) if b == close => {
                    self.pos += 1;
                    return Ok(items);
                }
                _ if close == b']' => {
                    return Err(self.fail(zh!("列表中此处应为“,”或“]”"), en!("expected ',' or ']' in the list")))
                }
                _ => return Err(self.fail(zh!("对象中此处应为“,”或“}”"), en!("expected ',' or '}' in the object"))),
            }
        }
    }

    /// One field of an object: `"key": value`.
    fn pair(&mut self) -> Result<(String, Node), Fail> {
        self.space();
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.fail(
                zh!("此处应为带引号的字段名"),
                en!("expected a field name in double quotes"),
            ));
        }
        let key = self.string()?;
        self.space();
        if self.bytes.get(self.pos) != Some(&b':') {
            return Err(self.fail(zh!("字段名后应为“:”"), en!("expected ':' after the field name")));
        }
        self.pos += 1;
        Ok((key, self.value()?))
    }

    /// At `"`.
    fn string(&mut self) -> Result<String, Fail> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // Stops only at ASCII bytes, so both ends are character boundaries.
            out.push_str(&self.text[start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let escaped = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.fail(zh!("无效的转义符"), en!("invalid escape sequence"))),
                    };
                    self.pos += 1;
                    out.push(escaped);
                }
                Some(_) => {
                    return Err(self.fail(
                        zh!("文字中不能有换行或控制字符"),
                        en!("a line break or control character inside text"),
                    ))
                }
                None => return Err(self.fail(zh!("文字缺少结尾的引号"), en!("text without its closing quote"))),
            }
        }
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes.
    fn unicode_escape(&mut self) -> Result<char, Fail> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err(self.fail(zh!("不成对的代理项转义"), en!("an unpaired surrogate escape")));
            }
            self.pos += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.fail(zh!("不成对的代理项转义"), en!("an unpaired surrogate escape")));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.fail(zh!("不成对的代理项转义"), en!("an unpaired surrogate escape")))
    }

    fn hex4(&mut self) -> Result<u32, Fail> {
        let digits = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| {
                self.fail(
                    zh!("\\u 后应为四位十六进制数"),
                    en!("\\u must be followed by four hex digits"),
                )
            })?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.fail(zh!("无效的转义符"), en!("invalid escape sequence")))
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, kept as written.
    fn number(&mut self) -> Result<Node, Fail> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.bytes.get(p.pos).is_some_and(u8::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let leading_zero = self.bytes.get(self.pos) == Some(&b'0');
        let whole = digits(self);
        if whole == 0 || (leading_zero && whole > 1) {
            self.pos = start;
            return Err(self.fail(
                zh!("数字格式不对（不能以 0 开头，“-”后应为数字）"),
                en!("malformed number (no leading zeros; a digit after '-')"),
            ));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.fail(zh!("小数点后应为数字"), en!("a digit must follow the decimal point")));
            }
        }
        if matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.fail(zh!("指数后应为数字"), en!("a digit must follow the exponent")));
            }
        }
        Ok(Node::Number(self.text[start..self.pos].to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Node, FieldError> {
        Node::parse_json(text, "case")
    }

    #[test]
    fn parses_values_keeping_order_repeats_and_number_text() {
        let node =
            parse(r#" {"b": [1, -0, 2.5e3, true, null], "a": "x\u00e9\ud83d\ude00\n", "b": {}} "#).expect("valid");
        assert_eq!(
            node,
            Node::Map(vec![
                (
                    "b".into(),
                    Node::List(vec![
                        Node::Number("1".into()),
                        Node::Number("-0".into()),
                        Node::Number("2.5e3".into()),
                        Node::Bool(true),
                        Node::Null,
                    ])
                ),
                ("a".into(), Node::Text("xé😀\n".into())),
                ("b".into(), Node::Map(vec![])),
            ])
        );
        assert_eq!(
            parse("18446744073709551616123").expect("valid"),
            Node::Number("18446744073709551616123".into())
        );
        assert_eq!(parse("\"九千\"").expect("valid"), Node::Text("九千".into()));
    }

    #[test]
    fn refuses_malformed_json_with_its_place() {
        for (text, place) in [
            ("{members: 4", "line 1, column 2"),
            ("{\"a\": 1,}", "line 1, column 9"),
            ("[1 2]", "line 1, column 4"),
            ("01", "line 1, column 1"),
            ("1.", "line 1, column 3"),
            ("-", "line 1, column 1"),
            ("\"abc", "line 1, column 5"),
            ("\"a\nb\"", "line 1, column 3"),
            ("\"\\x\"", "line 1, column 3"),
            ("\"\\ud800\"", "line 1, column 8"),
            ("{\"a\": 1}\n x", "line 2, column 2"),
            ("", "line 1, column 1"),
            ("nul", "line 1, column 1"),
            ("0x10", "line 1, column 2"),
            ("NaN", "line 1, column 1"),
        ] {
            let err = parse(text).expect_err(text);
            assert_eq!(err.field, "case");
            assert!(err.en.contains(place), "{text:?}: {}", err.en);
            assert!(err.zh.starts_with("不是有效的 JSON"), "{}", err.zh);
        }
    }

    #[test]
    fn refuses_deep_nesting_quickly() {
        assert!(parse(&format!("{}{}", "[".repeat(32), "]".repeat(32))).is_ok());
        let deep = "[".repeat(1_000_000);
        let err = parse(&deep).expect_err("too deep");
        assert!(err.en.contains("32 levels"), "{}", err.en);
    }
}
