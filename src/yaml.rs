//! Strict YAML reading for everything a person writes: the content's YAML files and front matter,
//! and the cases and dates given to `check` and `deadlines` (JSON is YAML too).
//!
//! Before the parser sees a document, one linear scan checks what would make it slow or make a
//! figure silently wrong:
//!
//! - flow collections (`[…]`, `{…}`) nested more than [`MAX_DEPTH`] deep are refused: the parser
//!   takes time quadratic in their depth (a 200 KB nest took 17 s to be rejected);
//! - numbers are decimal: `0x10`, `0o20` and `0b1` are refused by name rather than read as 16;
//! - `.nan` and `.inf` are refused by name rather than read as "null".
//!
//! [`to_value`] also refuses a key written twice in one mapping (the second would silently win).

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// The deepest nesting of flow collections (`[[…]]`, `{a: {…}}`) accepted; the guide's files use 2.
pub const MAX_DEPTH: usize = 32;

/// A problem with a YAML document, at its 1-based line and column where known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line in the document.
    pub line: Option<usize>,
    /// 1-based column (in characters).
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<serde_yaml::Error> for YamlError {
    fn from(e: serde_yaml::Error) -> Self {
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C"; the location is reported in front instead.
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        YamlError {
            line: e.location().map(|l| l.line()),
            column: e.location().map(|l| l.column()),
            message: crate::error::clip(&message),
        }
    }
}

/// Parses `text` into `T` after [`precheck`].
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    precheck(text)?;
    Ok(serde_yaml::from_str(text)?)
}

/// Parses `text` into a JSON value after [`precheck`], refusing a key written twice.
pub fn to_value(text: &str) -> Result<Value, YamlError> {
    precheck(text)?;
    let Strict(value) = serde_yaml::from_str(text)?;
    Ok(value)
}

/// The linear scan described in the module documentation.
pub fn precheck(text: &str) -> Result<(), YamlError> {
    let mut scan = Scan::default();
    for (index, line) in text.lines().enumerate() {
        scan.line(index + 1, line)?;
    }
    Ok(())
}

/// The scanner's state between lines.
#[derive(Default)]
struct Scan {
    /// Open flow collections.
    depth: usize,
    /// Inside a quoted scalar that continues on the next line.
    quote: Option<char>,
    /// Inside a block scalar (`|`, `>`): lines indented more than this are its text.
    block_indent: Option<usize>,
}

impl Scan {
    fn line(&mut self, number: usize, line: &str) -> Result<(), YamlError> {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(parent) = self.block_indent {
            if line.trim().is_empty() || indent > parent {
                return Ok(());
            }
            self.block_indent = None;
        }
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        let mut node_start = self.quote.is_none();
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = self.quote {
                match c {
                    '\\' if q == '"' => i += 1,
                    '\'' if q == '\'' && chars.get(i + 1) == Some(&'\'') => i += 1,
                    _ if c == q => self.quote = None,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let after_space = i == 0 || chars[i - 1].is_whitespace();
            match c {
                ' ' | '\t' => {}
                '#' if after_space => break,
                '"' | '\'' if node_start => {
                    self.quote = Some(c);
                    node_start = false;
                }
                '[' | '{' if node_start || self.depth > 0 => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(YamlError {
                            line: Some(number),
                            column: Some(i + 1),
                            message: format!(
                                "lists and mappings in brackets are nested more than {MAX_DEPTH} levels deep"
                            ),
                        });
                    }
                    node_start = true;
                }
                ']' | '}' if self.depth > 0 => {
                    self.depth -= 1;
                    node_start = false;
                }
                ',' if self.depth > 0 => node_start = true,
                ':' if self.depth > 0 || chars.get(i + 1).is_none_or(|n| n.is_whitespace()) => node_start = true,
                '-' | '?' if node_start && chars.get(i + 1).is_none_or(|n| n.is_whitespace()) => {}
                '|' | '>' if node_start && self.depth == 0 => {
                    self.block_indent = Some(indent);
                    return Ok(());
                }
                _ if node_start => {
                    // A plain scalar: up to `: `, ` #`, the end of the line, or in brackets `,[]{}`.
                    let start = i;
                    let property = matches!(c, '!' | '&');
                    while i < chars.len() {
                        let d = chars[i];
                        if property && d.is_whitespace() {
                            break;
                        }
                        let next_blank = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
                        if (d == ':' && (next_blank || self.depth > 0))
                            || (d == '#' && i > 0 && chars[i - 1].is_whitespace())
                            || (self.depth > 0 && matches!(d, ',' | '[' | ']' | '{' | '}'))
                        {
                            break;
                        }
                        i += 1;
                    }
                    if i == start {
                        i += 1;
                    }
                    let token: String = chars[start..i].iter().collect();
                    if let Some(message) = not_decimal(token.trim()) {
                        return Err(YamlError {
                            line: Some(number),
                            column: Some(start + 1),
                            message,
                        });
                    }
                    // A tag or an anchor (`!x`, `&a`) comes before the node it names.
                    node_start = token.starts_with(['!', '&']);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        Ok(())
    }
}

/// Why a plain scalar that YAML reads as a number other than a decimal one is refused.
fn not_decimal(token: &str) -> Option<String> {
    let unsigned = token.trim_start_matches(['+', '-']);
    let lower = unsigned.to_ascii_lowercase();
    if lower == ".nan" || lower == ".inf" {
        return Some(format!(
            "`{token}` is not a number (YAML reads it as {}); write a whole number such as 1200",
            if lower == ".nan" {
                "“not a number”"
            } else {
                "infinity"
            }
        ));
    }
    let radix = match lower.get(..2) {
        Some("0x") => ("a hexadecimal", 16),
        Some("0o") => ("an octal", 8),
        Some("0b") => ("a binary", 2),
        _ => return None,
    };
    let digits = &unsigned[2..];
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix.1)) {
        return None;
    }
    Some(format!(
        "`{}` is {} number; write numbers in decimal digits only (0–9)",
        crate::error::clip_to(token, 40),
        radix.0
    ))
}

/// A JSON value read from YAML, refusing a key written twice and numbers that are not finite.
struct Strict(Value);

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML or JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom(format!("`{v}` is not a number; write a whole number such as 1200")))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(Strict(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                other => other.to_string(),
            };
            let Strict(value) = map.next_value()?;
            if object.contains_key(&key) {
                return Err(de::Error::custom(format!(
                    "the field `{}` is written twice; keep one",
                    crate::error::clip_to(&key, 60)
                )));
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> String {
        match to_value(text) {
            Err(e) => format!("{}:{} {}", e.line.unwrap_or(0), e.column.unwrap_or(0), e.message),
            Ok(v) => panic!("{text:?} was accepted as {v}"),
        }
    }

    #[test]
    fn ordinary_documents_pass() {
        for text in [
            "members: 4\nincome: {wages: 12000, business: 0}\nproblems: [housing, water]\n",
            "title: 第[3]问 don't {x}\nnote: \"a [b\" # [[[[\n",
            "note: |\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\nnext: 1\n",
            "{\"members\": 4, \"income\": {\"wages\": 1}}",
            "hash: 0x\nhex_text: \"0x10\"\ncode: ab0x10\n",
        ] {
            precheck(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        }
        assert_eq!(
            to_value("a: [1, {b: 2}]").expect("parses"),
            serde_json::json!({"a": [1, {"b": 2}]})
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!("a: {}1{}", "[".repeat(200_000), "]".repeat(200_000));
        let start = std::time::Instant::now();
        assert!(refused(&deep).starts_with("1:36 lists and mappings in brackets are nested more than 32"));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert!(refused(&"{\"a\":".repeat(100_000)).contains("nested more than 32"));
        let tagged = format!("a: !x &y {}1{}", "[".repeat(40), "]".repeat(40));
        assert!(refused(&tagged).contains("nested more than 32"));
        let ok = format!("a: {}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(to_value(&ok).is_ok());
    }

    #[test]
    fn numbers_are_decimal_and_finite() {
        assert_eq!(
            refused("members: 0x10\n"),
            "1:10 `0x10` is a hexadecimal number; write numbers in decimal digits only (0–9)"
        );
        assert!(refused("a: [1, 0o17]").contains("`0o17` is an octal number"));
        assert!(refused("wages: .nan").contains("`.nan` is not a number"));
        assert!(refused("wages: -.inf").contains("`-.inf` is not a number"));
        assert!(refused("x:\n  - .NaN\n").starts_with("2:5 "));
    }

    #[test]
    fn a_key_written_twice_is_refused() {
        let message = refused("members: 4\nmembers: 5\n");
        assert!(message.contains("the field `members` is written twice"), "{message}");
        assert!(refused("{\"a\": 1, \"a\": 2}").contains("written twice"));
    }
}
