//! The eligibility self-check: the household case, the dated and sourced policy data, and the
//! guide's rules (鲁乡振发〔2023〕3号), each citing the questions it implements.
//!
//! * [`case`] — what the household answers ([`Case`]), validated with errors naming the field;
//! * [`policy`] — the data a trainer maintains ([`Policy`]): monitoring lines by year, the local
//!   rural average income of Q13, the guide's time limits; validated with errors naming the entry;
//! * [`identify`] — the rules: scope (Q14–Q16), income (Q12), the categories (Q2, Q3, Q7, Q11,
//!   Q13), and [`check`], which applies them and returns an [`Outcome`];
//! * [`outcome`] — the result, its JSON shape and [`render_text`] for the CLI.
//!
//! Money is integer yuan throughout; no floating point is used anywhere in this module. Nothing here
//! reads files or the clock: the caller passes the policy data and today's date.

pub mod case;
pub mod date;
pub mod deadlines;
pub mod elimination;
pub mod identify;
pub mod outcome;
pub mod policy;
pub mod provisions;

pub use crate::vocab::{cites_en, cites_zh, clip, group_digits, FieldError, Lang, Text, MAX_MESSAGE_CHARS};
pub use case::{Case, Expenses, Hukou, Income, Problem};
pub use date::Date;
pub use identify::{check, check_with, CheckOptions};
pub use outcome::{render_text, Category, Note, Outcome};
pub use policy::{LineChoice, LineEntry, Policy, PolicyError, RuralAverage, TimeLimit, TimeLimits};
