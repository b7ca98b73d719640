//! Filling the typed structs from a [`Node`]: [`FromNode`], written out per struct with
//! [`Fields`] (one line per field), without serde, whose generic deserializers were most of the
//! page engine's size.
//!
//! A schema-checked input ([`super::Schema::read`]) reaches this step only without problems, so
//! for it these errors cannot happen; the policy data and the word list, which the build writes
//! for the pages, are read by it alone, and a mistake in them is named here (field path and what
//! was expected). Unknown fields are refused, as serde's `deny_unknown_fields` does.

use std::collections::BTreeMap;

use super::node::Node;
use crate::rules::Date;
use crate::vocab::Text;

/// A value read from a [`Node`].
pub trait FromNode: Sized {
    /// Reads the value; the error says what was expected and what was found.
    fn from_node(node: Node) -> Result<Self, String>;

    /// The value of an absent (or `null`) field; `None` when the field is required.
    fn absent() -> Option<Self> {
        None
    }
}

/// Implements [`FromNode`] for a struct from a mapping of exactly its fields:
/// `from_fields!(Income { wages: default, business: default })`; `: default` gives
/// `Default::default()` when the field is missing (serde's `#[serde(default)]`), an `Option` is
/// `None` when missing, any other missing field is an error.
macro_rules! from_fields {
    ($ty:ident { $($field:ident $(: $default:ident)?),* $(,)? }) => {
        impl $crate::input::FromNode for $ty {
            fn from_node(node: $crate::input::Node) -> Result<Self, String> {
                let mut fields = $crate::input::Fields::new(node, &[$(stringify!($field)),*])?;
                Ok($ty { $($field: $crate::input::typed::from_fields!(@take fields $field $($default)?)),* })
            }
        }
    };
    (@take $f:ident $field:ident) => { $f.take(stringify!($field))? };
    (@take $f:ident $field:ident default) => { $f.or_default(stringify!($field))? };
}
pub(crate) use from_fields;

/// Gives an enum that an input writes by name its `NAMES` (as written there), `ALL` (its values,
/// in the order of `NAMES`) and its [`FromNode`], which reads one of the names:
/// `named!(Problem { Education: "education", Water: "water" })`.
macro_rules! named {
    ($ty:ident { $($variant:ident: $name:literal),* $(,)? }) => {
        impl $ty {
            /// The values accepted in an input, as written there.
            pub const NAMES: [&'static str; [$($name),*].len()] = [$($name),*];
            /// Every value, in the order of `NAMES`.
            pub const ALL: [$ty; [$($name),*].len()] = [$($ty::$variant),*];
        }

        impl $crate::input::FromNode for $ty {
            fn from_node(node: $crate::input::Node) -> Result<Self, String> {
                $crate::input::typed::choice(node, &<$ty>::NAMES, &<$ty>::ALL)
            }
        }
    };
}
pub(crate) use named;

/// Gives a struct of amounts (every field whole yuan, a `u64`, 0 when not written) the group of
/// its fields as an input writes them, the constant `$kind` (each an optional [`Kind::Money`],
/// typed as people type money), and its [`FromNode`]:
/// `amounts!(EXPENSES, Expenses { medical, education, disaster })`.
///
/// [`Kind::Money`]: super::Kind::Money
macro_rules! amounts {
    ($(#[$doc:meta])* $kind:ident, $ty:ident { $($field:ident),* $(,)? }) => {
        $(#[$doc])*
        pub const $kind: $crate::input::Kind = $crate::input::Kind::Group(&[
            $($crate::input::Field::optional(stringify!($field), $crate::input::Kind::Money)),*
        ]);

        $crate::input::typed::from_fields!($ty { $($field: default),* });
    };
}
pub(crate) use amounts;

/// The fields of one mapping, taken one by one by name.
pub struct Fields {
    pairs: Vec<(String, Node)>,
}

impl Fields {
    /// The fields of `node`, which must be a mapping of keys among `names`, each at most once.
    pub fn new(node: Node, names: &[&str]) -> Result<Fields, String> {
        let Node::Map(pairs) = node else {
            return Err(expected("a set of fields", &node));
        };
        for (i, (key, _)) in pairs.iter().enumerate() {
            if !names.contains(&key.as_str()) {
                return Err(format!("unknown field `{key}`, expected one of: {}", names.join(", ")));
            }
            if pairs[..i].iter().any(|(k, _)| k == key) {
                return Err(format!("the field `{key}` is written twice"));
            }
        }
        Ok(Fields { pairs })
    }

    /// The field `name`: its value, or [`FromNode::absent`] when it is missing or `null`.
    ///
    /// Instantiated for every field type, so it only dispatches: the search and the messages
    /// are in functions written once ([`Fields::remove`], [`in_field`], [`missing`]).
    pub fn take<T: FromNode>(&mut self, name: &str) -> Result<T, String> {
        match (self.remove(name), T::absent()) {
            (Some(Node::Null) | None, Some(value)) => Ok(value),
            (Some(node), _) => T::from_node(node).map_err(|e| in_field(name, e)),
            (None, None) => Err(missing(name)),
        }
    }

    /// Takes the field `name` out of the mapping, if it is there.
    fn remove(&mut self, name: &str) -> Option<Node> {
        let i = self.pairs.iter().position(|(key, _)| key == name)?;
        Some(self.pairs.swap_remove(i).1)
    }

    /// The field `name`, or `T::default()` when it is missing (serde's `#[serde(default)]`).
    pub fn or_default<T: FromNode + Default>(&mut self, name: &str) -> Result<T, String> {
        if self.pairs.iter().any(|(key, _)| key == name) {
            self.take(name)
        } else {
            Ok(T::default())
        }
    }
}

/// "name: what is wrong", for a problem inside the field `name`.
#[inline(never)]
fn in_field(name: &str, problem: String) -> String {
    format!("{name}: {problem}")
}

/// "missing field `name`".
#[inline(never)]
fn missing(name: &str) -> String {
    format!("missing field `{name}`")
}

/// "expected X, got Y".
fn expected(what: &str, got: &Node) -> String {
    format!("expected {what}, got {}", got.shown().1)
}

/// One of `values`, written as the matching entry of `names` (an enum's snake_case name).
pub fn choice<T: Copy>(node: Node, names: &[&str], values: &[T]) -> Result<T, String> {
    if let Node::Text(text) = &node {
        if let Some(i) = names.iter().position(|n| n == text) {
            if let Some(value) = values.get(i) {
                return Ok(*value);
            }
        }
    }
    Err(expected(&format!("one of: {}", names.join(", ")), &node))
}

impl<T: FromNode> FromNode for Option<T> {
    fn from_node(node: Node) -> Result<Self, String> {
        match node {
            Node::Null => Ok(None),
            other => T::from_node(other).map(Some),
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

impl FromNode for bool {
    fn from_node(node: Node) -> Result<Self, String> {
        match node {
            Node::Bool(b) => Ok(b),
            other => Err(expected("true or false", &other)),
        }
    }
}

impl FromNode for String {
    fn from_node(node: Node) -> Result<Self, String> {
        match node {
            Node::Text(text) => Ok(text),
            other => Err(expected("text", &other)),
        }
    }
}

impl FromNode for Date {
    fn from_node(node: Node) -> Result<Self, String> {
        match node {
            Node::Text(text) => Date::parse(&text),
            other => Err(expected("a date YYYY-MM-DD", &other)),
        }
    }
}

from_fields!(Text { zh, en });

macro_rules! whole {
    ($($t:ty),*) => {$(
        impl FromNode for $t {
            fn from_node(node: Node) -> Result<Self, String> {
                match &node {
                    Node::Number(n) => n.parse::<$t>().map_err(|_| expected(concat!("a whole number (", stringify!($t), ")"), &node)),
                    _ => Err(expected("a whole number", &node)),
                }
            }
        }
    )*};
}
whole!(u8, u32, u64, i32, i64);

impl<T: FromNode> FromNode for Vec<T> {
    fn from_node(node: Node) -> Result<Self, String> {
        match node {
            Node::List(items) => items
                .into_iter()
                .enumerate()
                .map(|(i, item)| T::from_node(item).map_err(|e| format!("[{i}]: {e}")))
                .collect(),
            other => Err(expected("a list", &other)),
        }
    }
}

impl<T: FromNode> FromNode for BTreeMap<String, T> {
    fn from_node(node: Node) -> Result<Self, String> {
        match node {
            Node::Map(pairs) => {
                let mut map = BTreeMap::new();
                for (key, value) in pairs {
                    let value = T::from_node(value).map_err(|e| format!("{key}: {e}"))?;
                    if map.insert(key.clone(), value).is_some() {
                        return Err(format!("the key `{key}` is written twice"));
                    }
                }
                Ok(map)
            }
            other => Err(expected("a set of fields", &other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Eq)]
    struct Sample {
        n: u32,
        day: Option<Date>,
        tags: Vec<String>,
        flag: bool,
    }

    from_fields!(Sample {
        n,
        day,
        tags: default,
        flag
    });

    fn read(json: &str) -> Result<Sample, String> {
        Sample::from_node(Node::parse_json(json, "x").map_err(|e| e.en)?)
    }

    #[test]
    fn reads_fields_defaults_and_refuses_the_rest() {
        assert_eq!(
            read(r#"{"flag": true, "n": 3, "day": null}"#),
            Ok(Sample {
                n: 3,
                day: None,
                tags: vec![],
                flag: true
            })
        );
        assert_eq!(
            read(r#"{"flag": false, "n": 1, "day": "2024-02-29", "tags": ["a"]}"#).map(|s| (s.day, s.tags)),
            Ok((Date::new(2024, 2, 29), vec!["a".to_string()]))
        );
        for (json, error) in [
            (r#"{"flag": true}"#, "missing field `n`"),
            (
                r#"{"flag": true, "n": 1, "x": 2}"#,
                "unknown field `x`, expected one of: n, day, tags, flag",
            ),
            (r#"{"flag": true, "n": 1, "n": 2}"#, "the field `n` is written twice"),
            (r#"{"flag": true, "n": -1}"#, "n: expected a whole number (u32), got -1"),
            (r#"{"flag": true, "n": 1, "day": "2023-02-29"}"#, "day: "),
            (
                r#"{"flag": true, "n": 1, "tags": [1]}"#,
                "tags: [0]: expected text, got 1",
            ),
            (r#"[]"#, "expected a set of fields, got a list"),
        ] {
            let got = read(json).expect_err(json);
            assert!(got.starts_with(error), "{json}: {got}");
        }
        assert_eq!(choice(Node::Text("b".into()), &["a", "b"], &[1, 2]), Ok(2));
        assert!(choice(Node::Text("c".into()), &["a", "b"], &[1, 2]).is_err());
    }
}
