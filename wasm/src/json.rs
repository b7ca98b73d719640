//! The engine's one JSON writer: [`ToJson`], written by hand for every result the checkers return,
//! byte for byte as serde_json writes the same value (keys in the structs' field order, strings
//! escaped as serde_json escapes them), and [`pretty`], serde_json's two-space layout of it.
//!
//! The page engines are built without serde (see the `serde` feature): its generic serializers
//! and deserializers were half of the tools engine's wasm. The CLI's `--json` output and the
//! page's results are written by this same code, so they cannot differ.

use std::collections::BTreeMap;

/// A value that writes itself as compact JSON.
pub trait ToJson {
    /// Appends the value's JSON to `out`.
    fn write_json(&self, out: &mut String);
}

/// The compact JSON of `value`.
pub fn to_string(value: &dyn ToJson) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Writes a JSON object field by field: `{"a":1,"b":"x"}`. Values are `&dyn ToJson`, so the
/// object code is not repeated for every field type.
pub struct Object<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> Object<'a> {
    /// Starts an object in `out`.
    pub fn new(out: &'a mut String) -> Object<'a> {
        out.push('{');
        Object { out, empty: true }
    }

    /// Adds `"name":value`.
    pub fn field(&mut self, name: &str, value: &dyn ToJson) -> &mut Self {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        push_str(self.out, name);
        self.out.push(':');
        value.write_json(self.out);
        self
    }

    /// Adds `"name":value` when `value` is `Some` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn some<T: ToJson>(&mut self, name: &str, value: &Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.field(name, value);
        }
        self
    }

    /// Adds the fields of `value`, itself written as an object, after those written so far: a
    /// record that extends another (serde's `flatten`).
    pub fn flatten(&mut self, value: &dyn ToJson) -> &mut Self {
        let mut inner = String::new();
        value.write_json(&mut inner);
        let fields = inner
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .unwrap_or_default();
        if !fields.is_empty() {
            if !self.empty {
                self.out.push(',');
            }
            self.empty = false;
            self.out.push_str(fields);
        }
        self
    }

    /// Closes the object.
    pub fn end(&mut self) {
        self.out.push('}');
    }
}

/// Implements [`ToJson`] for a struct, its fields in order: `json_object!(Note { cites, zh, en })`;
/// `?name` leaves out an `Option` field that is `None` (serde's `skip_serializing_if`).
macro_rules! json_object {
    ($ty:ty { $($rest:tt)* }) => {
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                let mut object = $crate::json::Object::new(out);
                $crate::json::json_object!(@fields self object $($rest)*);
                object.end();
            }
        }
    };
    (@fields $s:ident $o:ident $(,)?) => {};
    (@fields $s:ident $o:ident ? $field:ident $(, $($rest:tt)*)?) => {
        $o.some(stringify!($field), &$s.$field);
        $crate::json::json_object!(@fields $s $o $($($rest)*)?);
    };
    (@fields $s:ident $o:ident $field:ident $(, $($rest:tt)*)?) => {
        $o.field(stringify!($field), &$s.$field);
        $crate::json::json_object!(@fields $s $o $($($rest)*)?);
    };
}
pub(crate) use json_object;

/// Implements [`ToJson`] for an enum with a `name()`, written as that name.
macro_rules! json_name {
    ($($ty:ty),*) => {$(
        impl $crate::json::ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                $crate::json::push_str(out, self.name());
            }
        }
    )*};
}
pub(crate) use json_name;

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        push_str(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        push_str(out, self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

macro_rules! whole {
    ($push:ident, $wide:ty: $($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                $push(out, <$wide>::from(*self));
            }
        }
    )*};
}
whole!(push_uint, u64: u8, u32, u64);
whole!(push_int, i64: i32, i64);

impl ToJson for usize {
    fn write_json(&self, out: &mut String) {
        // usize is at most 64 bits on every target the engine is built for.
        push_uint(out, *self as u64);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, out: &mut String) {
        let mut object = Object::new(out);
        for (key, value) in self {
            object.field(key, value);
        }
        object.end();
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it: `"`, `\`, and the control
/// characters (`\b \t \n \f \r` by name, the others as `\u00XX`); everything else as it is.
pub fn push_str(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// Appends a whole number, without `core::fmt` (whose machinery the page engines avoid).
pub fn push_uint(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut n = n;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits[..len].iter().rev() {
        out.push(char::from(d));
    }
}

/// Appends a signed whole number.
pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs());
}

/// Lays out compact JSON (as [`ToJson`] writes it) as serde_json's `to_string_pretty` does: two
/// spaces per level, `"key": value`, empty lists and objects as `[]` and `{}`.
pub fn pretty(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                out.push(escaped);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                if chars.peek() == Some(&close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_like_serde_json() {
        let mut counts = BTreeMap::new();
        counts.insert("b".to_string(), 2usize);
        counts.insert("a\"".to_string(), 0usize);
        let mut out = String::new();
        Object::new(&mut out)
            .field("n", &-12i64)
            .field("u", &u64::MAX)
            .field("s", &"x\u{1}\n\"\\é")
            .field("none", &None::<u32>)
            .some("skipped", &None::<u32>)
            .some("kept", &Some(true))
            .field("list", &vec![1u8, 2])
            .field("empty", &Vec::<u8>::new())
            .field("counts", &counts)
            .field("nothing", &BTreeMap::<String, u8>::new())
            .end();
        let expected = serde_json::json!({
            "n": -12, "u": u64::MAX, "s": "x\u{1}\n\"\\é", "none": null, "kept": true,
            "list": [1, 2], "empty": [], "counts": {"a\"": 0, "b": 2}, "nothing": {}
        });
        let parsed: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert_eq!(parsed, expected);
        let mut s = String::new();
        push_str(&mut s, "x\u{1}\u{1f}\n\"\\é\u{7f}");
        assert_eq!(s, serde_json::to_string("x\u{1}\u{1f}\n\"\\é\u{7f}").expect("a string"));
        let reparsed = serde_json::to_string(&parsed).expect("writes");
        assert_eq!(
            pretty(&reparsed),
            serde_json::to_string_pretty(&parsed).expect("writes")
        );
        assert_eq!(
            pretty(r#"{"a":[],"b":{},"c":[{"d":"{,:}"}]}"#),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    {\n      \"d\": \"{,:}\"\n    }\n  ]\n}"
        );
    }
}
