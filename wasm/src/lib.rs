//! The policybook engine: everything that runs in the page and is reused natively.
//!
//! * [`text`] — the one normaliser and tokenizer, for the search index and for queries;
//! * [`search`] — the index format (built natively, read in the page) and the BM25 query;
//! * [`rules`] — the household case, the dated and sourced policy data, and the guide's rules,
//!   each citing the questions it implements;
//! * [`vocab`] — the shared words: [`vocab::Lang`], [`vocab::Text`], [`vocab::FieldError`];
//! * [`input`] — the one reader of structured input: a value tree, a strict JSON parser, the
//!   table-driven schema of every checker's input, and money as people type it;
//! * [`json`] — the one JSON writer of every result (the page engines are built without serde);
//! * [`screen`] — village screening: a sheet of households (CSV), each row checked as a case;
//! * [`api`] — the thin JSON-in, JSON-out boundary that the wasm exports wrap, testable natively.
//!
//! This crate has no file-system, template or CLI dependency: the build tool (the `policybook`
//! crate) depends on it, never the other way round.

// First: its `zh!` and `en!` macros are used by every module below.
#[macro_use]
pub mod vocab;

pub mod api;
pub mod input;
pub mod json;
pub mod redact;
pub mod rules;
pub mod screen;
pub mod search;
pub mod text;

#[cfg(target_arch = "wasm32")]
mod bindings;
