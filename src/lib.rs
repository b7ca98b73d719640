//! policybook: turns a government policy guide into a static, bilingual, searchable handbook.
//!
//! The build tool stands on the engine (`policybook-engine`, in `wasm/`); the engine never knows
//! the build tool. Data flows one way: `content/` → [`content::Guide`] → rendered pages → `site/`.

pub mod cli;
pub mod clock;
pub mod config;
pub mod content;
pub mod engine_assets;
pub mod error;
pub mod freshness;
pub mod lang_parts;
pub mod lexicon;
pub mod line;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod minify;
pub mod offline;
pub mod output;
pub mod parallel;
pub mod policy;
pub mod render;
pub mod search_index;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod validate;
pub mod yaml;

pub use error::{Diagnostic, Error, Result};

/// The two languages of the site (Chinese, the official text, first): the engine's one `Lang`.
pub use policybook_engine::vocab::Lang;
