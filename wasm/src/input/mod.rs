//! The one reader of structured input: every checker's input (the household case, the
//! elimination case, the dates of a timeline) is described by a table of [`Field`]s — name, kind,
//! whether it is required, bounds, allowed values — and read by [`Schema::read`].
//!
//! Reading is in two steps. The schema checks the value tree ([`Node`]) and collects **every**
//! problem, each naming its field path (`members`, `income.wages`, `problems[1]`) with one message
//! style in both languages: unknown fields, keys written twice, missing required fields, wrong
//! types, negative numbers, decimals, numbers below or above their bounds (however many digits
//! they have), unknown values, values listed twice, malformed dates and amounts. Amounts of money
//! may be written as people type them (`9,000`, `9千`, `0.9万`, see [`money`]). Only a value with
//! no problem reaches the second step: the struct's [`FromNode`] fills it from the checked tree
//! (one line per field, see [`typed`]), so a new field is one struct field, one table row and one
//! reading line.
//!
//! Checks that relate fields to one another (more workers than members, a field required only
//! when another has some value) stay with each struct's `validate`.

pub mod money;
pub mod node;
pub mod typed;

use std::collections::BTreeSet;

pub use money::{echo, parse_money, MAX_YUAN};
pub use node::Node;
pub use typed::{choice, Fields, FromNode};

use crate::rules::Date;
use crate::vocab::{group_digits, FieldError};

/// One field of an input.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// Its name, as written in the input.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether it must be given. `null` counts as not given.
    pub need: Need,
}

/// Whether a field must be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// May be omitted (the struct gives the default).
    Optional,
    /// Must be given.
    Required,
    /// Must be given; the message when it is missing adds this hint (Chinese, English).
    RequiredHint(&'static str, &'static str),
}

/// What a field holds.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// `true` or `false`.
    Bool,
    /// A whole number from `min` to `max`; `unit` is the Chinese counter shown after `min` in
    /// the message for a value below it (`人`), or empty.
    Whole {
        /// Smallest accepted.
        min: u64,
        /// Largest accepted.
        max: u64,
        /// Chinese counter word.
        unit: &'static str,
    },
    /// Whole yuan from 0 to [`MAX_YUAN`]: a number, or text as people type it (`9千`).
    Money,
    /// One of these names.
    Choice(&'static [&'static str]),
    /// A list of these names, each at most once (`[]` allowed).
    Choices(&'static [&'static str]),
    /// A calendar date written `YYYY-MM-DD`.
    Date,
    /// A set of fields of its own (`income: {wages: …}`).
    Group(&'static [Field]),
}

impl Field {
    /// A required field.
    pub const fn required(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            need: Need::Required,
        }
    }

    /// A field that may be omitted.
    pub const fn optional(name: &'static str, kind: Kind) -> Field {
        Field {
            name,
            kind,
            need: Need::Optional,
        }
    }

    /// A required field whose "missing" message adds `zh` / `en`.
    pub const fn required_hint(name: &'static str, kind: Kind, zh: &'static str, en: &'static str) -> Field {
        Field {
            name,
            kind,
            need: Need::RequiredHint(zh, en),
        }
    }
}

/// An input's table of fields, and the name its problems carry when it is not a set of fields at
/// all (`case`, `input`).
#[derive(Clone, Copy, Debug)]
pub struct Schema {
    /// The name of the whole input in messages.
    pub root: &'static str,
    /// Its fields, in the order they are documented.
    pub fields: &'static [Field],
}

impl Schema {
    /// The names of the top-level fields, in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }

    /// Reads JSON text (the page's input): syntax errors are named [`Schema::root`]. `validate`
    /// is the struct's own check of its fields together, run once the table finds nothing.
    pub fn read_json<T: FromNode>(&self, text: &str, validate: Validate<T>) -> Result<T, Vec<FieldError>> {
        let node = Node::parse_json(text, self.root).map_err(|e| vec![e])?;
        self.read(&node, validate)
    }

    /// Reads a parsed `serde_json::Value` (the CLI's YAML, which already refuses repeated keys).
    #[cfg(feature = "serde")]
    pub fn read_value<T: FromNode>(
        &self,
        value: &serde_json::Value,
        validate: Validate<T>,
    ) -> Result<T, Vec<FieldError>> {
        self.read(&Node::from_json_value(value), validate)
    }

    /// Checks `node` against the table, fills `T` from it and runs `validate`; or returns every
    /// problem found.
    pub fn read<T: FromNode>(&self, node: &Node, validate: Validate<T>) -> Result<T, Vec<FieldError>> {
        let mut errors = Vec::new();
        let checked = group(self.fields, node, "", self.root, &mut errors);
        let value: T = match checked {
            Some(checked) if errors.is_empty() => T::from_node(checked).map_err(|err| {
                // The table mirrors the struct (a test checks each schema), so this is not
                // expected.
                vec![FieldError::new(
                    self.root,
                    zh!(format!("无法读取：{err}")),
                    en!(format!("cannot be read: {err}")),
                )]
            })?,
            _ => return Err(errors),
        };
        let errors = validate(&value);
        if errors.is_empty() {
            Ok(value)
        } else {
            Err(errors)
        }
    }
}

/// Gives a checker's input struct its two readers through its table and its `validate`:
/// `from_json` (the page's JSON text; a syntax error is named by the table's root) and
/// `from_value` (a parsed value, as the CLI reads YAML). Every problem names its field: the
/// table's first (shape, type, bounds, repeated and unknown keys), then `validate`'s.
macro_rules! readers {
    ($input:ty, $schema:expr) => {
        impl $input {
            /// Reads the input from JSON text (the page's); every problem names its field.
            pub fn from_json(text: &str) -> Result<$input, Vec<$crate::vocab::FieldError>> {
                $schema.read_json(text, <$input>::validate)
            }

            /// Reads the input from a parsed value (the CLI converts YAML first); every problem
            /// names its field.
            #[cfg(feature = "serde")]
            pub fn from_value(value: &serde_json::Value) -> Result<$input, Vec<$crate::vocab::FieldError>> {
                $schema.read_value(value, <$input>::validate)
            }
        }
    };
}
pub(crate) use readers;

/// A struct's check of its fields together (`members_with_labor` ≤ `members`, …).
pub type Validate<T> = fn(&T) -> Vec<FieldError>;

/// Reads JSON text into a type that has no table of its own (the policy data, the word list),
/// through the engine's own parser, so the page's engine needs no JSON parser but this one.
/// Every problem is named `root`, `what` saying what was being read (Chinese, English).
pub fn from_json_text<T: FromNode>(text: &str, root: &str, what: (&str, &str)) -> Result<T, FieldError> {
    let node = Node::parse_json(text, root)?;
    T::from_node(node).map_err(|err| {
        FieldError::new(
            root,
            zh!(format!("{}无法读取：{err}", what.0)),
            en!(format!("{} cannot be read: {err}", what.1)),
        )
    })
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn list(names: &[&str], sep: &str) -> String {
    names.join(sep)
}

/// Checks a set of fields; returns it with only the table's fields, amounts as plain numbers.
fn group(fields: &[Field], node: &Node, path: &str, root: &str, errors: &mut Vec<FieldError>) -> Option<Node> {
    let Node::Map(pairs) = node else {
        let (zh, en) = node.shown();
        errors.push(if path.is_empty() {
            FieldError::new(
                root,
                zh!(format!("应为一个对象（字段: 值）（实际为{zh}）")),
                en!(format!("must be an object of fields and values (got {en})")),
            )
        } else {
            let first = fields.first().map_or("", |f| f.name);
            FieldError::new(
                path,
                zh!(format!("应为一组字段，例如 {{{first}: 0}}（实际为{zh}）")),
                en!(format!("must be a set of fields such as {{{first}: 0}} (got {en})")),
            )
        });
        return None;
    };
    let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
    let mut seen = BTreeSet::new();
    for (key, _) in pairs {
        let at = join(path, key);
        if !seen.insert(key.as_str()) {
            errors.push(FieldError::new(
                at,
                zh!(format!("字段“{key}”写了两次（只能写一次）")),
                en!(format!("the field '{key}' is written twice (write it once)")),
            ));
        } else if !names.contains(&key.as_str()) {
            errors.push(FieldError::new(
                at,
                zh!(format!("未知字段“{key}”；可用字段：{}", list(&names, "、"))),
                en!(format!(
                    "unknown field '{key}'; expected one of: {}",
                    list(&names, ", ")
                )),
            ));
        }
    }
    let mut out = Vec::new();
    for field in fields {
        let at = join(path, field.name);
        match pairs.iter().find(|(k, _)| k == field.name).map(|(_, v)| v) {
            None | Some(Node::Null) => {
                let hint = match field.need {
                    Need::Optional => continue,
                    Need::Required => ("", ""),
                    Need::RequiredHint(zh, en) => (zh, en),
                };
                errors.push(FieldError::new(
                    &at,
                    zh!(format!("缺少必填字段 {at}{}", hint.0)),
                    en!(format!("the field {at} is required{}", hint.1)),
                ));
            }
            Some(value) => {
                if let Some(checked) = one(&field.kind, value, &at, root, errors) {
                    out.push((field.name.to_string(), checked));
                }
            }
        }
    }
    Some(Node::Map(out))
}

/// Checks one value of `kind` at `path`.
fn one(kind: &Kind, value: &Node, path: &str, root: &str, errors: &mut Vec<FieldError>) -> Option<Node> {
    let (got_zh, got_en) = value.shown();
    let mut fail = |zh: String, en: String| {
        errors.push(FieldError::new(path, zh, en));
        None
    };
    match (kind, value) {
        (Kind::Bool, Node::Bool(_)) => Some(value.clone()),
        (Kind::Bool, _) => fail(
            zh!(format!("应为 true 或 false（实际为{got_zh}）")),
            en!(format!("must be true or false (got {got_en})")),
        ),
        (Kind::Whole { min, max, unit }, Node::Number(n)) => match whole(n, *max, "") {
            Ok(v) if v < *min => fail(
                zh!(format!(
                    "至少为 {min}{}（实际为 {n}）",
                    if unit.is_empty() {
                        String::new()
                    } else {
                        format!(" {unit}")
                    }
                )),
                en!(format!("must be at least {min} (got {n})")),
            ),
            Ok(v) => Some(Node::Number(v.to_string())),
            Err((zh, en)) => fail(zh, en),
        },
        (Kind::Whole { .. }, _) => fail(
            zh!(format!("应为整数（实际为{got_zh}）")),
            en!(format!("must be a whole number (got {got_en})")),
        ),
        (Kind::Money, Node::Number(n)) => match whole(n, MAX_YUAN, " of yuan") {
            Ok(v) => Some(Node::Number(v.to_string())),
            Err((zh, en)) => fail(zh, en),
        },
        (Kind::Money, Node::Text(text)) => match parse_money(text) {
            Ok(v) => Some(Node::Number(v.to_string())),
            Err(message) => fail(message.zh, message.en),
        },
        (Kind::Money, _) => fail(
            zh!(format!("应为金额（元），例如 9000 或 9千（实际为{got_zh}）")),
            en!(format!("must be an amount of yuan, such as 9000 or 9千 (got {got_en})")),
        ),
        (Kind::Choice(names), Node::Text(text)) if names.contains(&text.as_str()) => Some(value.clone()),
        (Kind::Choice(names), Node::Text(_)) => fail(
            zh!(format!("未知取值{got_zh}；可选值：{}", list(names, "、"))),
            en!(format!(
                "unknown value {got_en}; expected one of: {}",
                list(names, ", ")
            )),
        ),
        (Kind::Choice(names), _) => fail(
            zh!(format!("应为以下之一：{}（实际为{got_zh}）", list(names, "、"))),
            en!(format!("must be one of: {} (got {got_en})", list(names, ", "))),
        ),
        (Kind::Choices(names), Node::List(items)) => {
            let before = errors.len();
            let mut seen = BTreeSet::new();
            let mut out = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let at = format!("{path}[{index}]");
                if let Some(checked) = one(&Kind::Choice(names), item, &at, root, errors) {
                    if let Node::Text(name) = item {
                        if !seen.insert(name.as_str()) {
                            errors.push(FieldError::new(
                                at,
                                zh!(format!("“{name}”重复填写")),
                                en!(format!("'{name}' is listed twice")),
                            ));
                        }
                    }
                    out.push(checked);
                }
            }
            (errors.len() == before).then_some(Node::List(out))
        }
        (Kind::Choices(names), _) => {
            let first = names.first().copied().unwrap_or_default();
            fail(
                zh!(format!(
                    "应为列表，例如 [] 或 [{first}]（可选值：{}；实际为{got_zh}）",
                    list(names, "、")
                )),
                en!(format!(
                    "must be a list such as [] or [{first}] (values: {}; got {got_en})",
                    list(names, ", ")
                )),
            )
        }
        (Kind::Date, Node::Text(text)) => match Date::parse(text) {
            Ok(_) => Some(value.clone()),
            Err(err) => fail(
                zh!(format!("日期应为 YYYY-MM-DD 格式的日历日期：{err}")),
                en!(format!("must be a calendar date written YYYY-MM-DD: {err}")),
            ),
        },
        (Kind::Date, _) => fail(
            zh!(format!("日期应写成 \"YYYY-MM-DD\" 文字（实际为{got_zh}）")),
            en!(format!("must be a date written as text \"YYYY-MM-DD\" (got {got_en})")),
        ),
        (Kind::Group(fields), _) => group(fields, value, path, root, errors),
    }
}

/// A number written `n` as a whole number up to `max`, or the message (Chinese, English) saying
/// why not. `of` is added after "a whole number" in English (" of yuan").
fn whole(n: &str, max: u64, of: &str) -> Result<u64, (String, String)> {
    let zh_of = if of.is_empty() { "" } else { "（元）" };
    let negative = n.starts_with('-') && n.bytes().any(|b| (b'1'..=b'9').contains(&b));
    if negative {
        return Err((
            format!("不能为负数（实际为 {n}）"),
            format!("must not be negative (got {n})"),
        ));
    }
    if n.contains(['.', 'e', 'E']) {
        return Err((
            format!("应为整数{zh_of}，不带小数（实际为 {n}）"),
            format!("must be a whole number{of}, without decimals (got {n})"),
        ));
    }
    match n.trim_start_matches('-').parse::<u64>() {
        Ok(v) if v <= max => Ok(v),
        _ => {
            let most = group_digits(i64::try_from(max).unwrap_or(i64::MAX));
            Err((
                format!("数值过大（实际为 {n}，最大为 {most}）"),
                format!("is too large (got {n}; the largest accepted is {most})"),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::typed::from_fields;

    const INNER: &[Field] = &[Field::optional("a", Kind::Money), Field::optional("b", Kind::Money)];
    const FIELDS: &[Field] = &[
        Field::required(
            "n",
            Kind::Whole {
                min: 1,
                max: 10,
                unit: "人",
            },
        ),
        Field::optional("flag", Kind::Bool),
        Field::required_hint("money", Kind::Group(INNER), "（没有请写 {}）", " (write {} if none)"),
        Field::required("picks", Kind::Choices(&["x", "y"])),
        Field::optional("day", Kind::Date),
        Field::optional("one", Kind::Choice(&["p", "q"])),
    ];
    const SCHEMA: Schema = Schema {
        root: "case",
        fields: FIELDS,
    };

    #[derive(Debug, Default, PartialEq, Eq)]
    struct Inner {
        a: u64,
        b: u64,
    }

    from_fields!(Inner { a: default, b: default });

    #[derive(Debug, PartialEq, Eq)]
    struct Sample {
        n: u32,
        flag: Option<bool>,
        money: Inner,
        picks: Vec<String>,
        day: Option<Date>,
        one: Option<String>,
    }

    from_fields!(Sample {
        n,
        flag,
        money,
        picks,
        day,
        one
    });

    fn errors(json: &str) -> Vec<(String, String)> {
        SCHEMA
            .read_json::<Sample>(json, |_| Vec::new())
            .expect_err("invalid")
            .into_iter()
            .map(|e| (e.field, e.en))
            .collect()
    }

    #[test]
    fn reads_a_valid_input_with_amounts_as_typed() {
        let s: Sample = SCHEMA
            .read_json(
                r#"{"n": 3, "money": {"a": "9千", "b": 12}, "picks": ["y"], "day": "2024-02-29", "flag": null}"#,
                |_: &Sample| Vec::new(),
            )
            .expect("valid");
        assert_eq!(s.n, 3);
        assert_eq!(s.money, Inner { a: 9000, b: 12 });
        assert_eq!(s.picks, vec!["y"]);
        assert_eq!(s.day, Date::new(2024, 2, 29));
        assert_eq!(s.flag, None);
    }

    #[test]
    fn names_every_problem_in_one_style() {
        let got = errors(
            r#"{"n": 0, "n": 2, "extra": 1, "money": {"a": -1, "b": 1.5, "c": 0}, "picks": ["x", "z", "x"],
                "day": "2023-02-29", "one": 3, "flag": "yes"}"#,
        );
        let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            vec!["n", "extra", "n", "flag", "money.c", "money.a", "money.b", "picks[1]", "picks[2]", "day", "one"]
        );
        let en: Vec<&str> = got.iter().map(|(_, e)| e.as_str()).collect();
        assert_eq!(en[0], "the field 'n' is written twice (write it once)");
        assert_eq!(
            en[1],
            "unknown field 'extra'; expected one of: n, flag, money, picks, day, one"
        );
        assert_eq!(en[2], "must be at least 1 (got 0)");
        assert_eq!(en[3], "must be true or false (got text \"yes\")");
        assert_eq!(en[5], "must not be negative (got -1)");
        assert_eq!(en[6], "must be a whole number of yuan, without decimals (got 1.5)");
        assert_eq!(en[7], "unknown value text \"z\"; expected one of: x, y");
        assert_eq!(en[8], "'x' is listed twice");
        assert!(en[9].starts_with("must be a calendar date"), "{}", en[9]);
        assert_eq!(en[10], "must be one of: p, q (got 3)");
    }

    #[test]
    fn numbers_beyond_any_integer_are_too_large_as_written() {
        let got = errors(r#"{"n": 123456789012345678901234567890, "money": {"a": 18446744073709551616}, "picks": []}"#);
        assert_eq!(
            got,
            vec![
                (
                    "n".to_string(),
                    "is too large (got 123456789012345678901234567890; the largest accepted is 10)".to_string()
                ),
                (
                    "money.a".to_string(),
                    "is too large (got 18446744073709551616; the largest accepted is 1,000,000,000)".to_string()
                ),
            ]
        );
    }

    #[test]
    fn missing_wrong_shape_and_not_an_object() {
        let got = errors(r#"{"money": [], "picks": "x"}"#);
        assert_eq!(got[0], ("n".into(), "the field n is required".into()));
        assert_eq!(
            got[1],
            (
                "money".into(),
                "must be a set of fields such as {a: 0} (got a list)".into()
            )
        );
        assert!(got[2].1.starts_with("must be a list such as [] or [x]"), "{}", got[2].1);
        let got = errors(r#"{"n": 1, "picks": []}"#);
        assert_eq!(
            got,
            vec![("money".into(), "the field money is required (write {} if none)".into())]
        );
        let got = errors("[1]");
        assert_eq!(
            got,
            vec![(
                "case".into(),
                "must be an object of fields and values (got a list)".into()
            )]
        );
        let got = errors("{\"n\": 1,");
        assert_eq!(got[0].0, "case");
    }

    #[test]
    fn zh_messages_match_the_en_ones() {
        let zh: Vec<String> = SCHEMA
            .read_json::<Sample>(r#"{"n": "三", "money": {"a": "9,00"}, "picks": [], "q": 1}"#, |_| {
                Vec::new()
            })
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.zh)
            .collect();
        assert_eq!(
            zh,
            vec![
                "未知字段“q”；可用字段：n、flag、money、picks、day、one",
                "应为整数（实际为文字 \"三\"）",
                "“9,00”：逗号应每三位一组，例如 9,000 或 900",
            ]
        );
    }
}
