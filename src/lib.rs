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

/// The two languages of the site. Chinese is the official text and the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lang {
    /// Simplified Chinese, the official text.
    Zh,
    /// English translation.
    En,
}

impl Lang {
    /// Both languages, the default first.
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    /// Folder name and URL segment: `zh`, `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// BCP 47 tag for `lang` and `hreflang` attributes.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's name in English, for messages.
    pub fn english_name(self) -> &'static str {
        match self {
            Lang::Zh => "Chinese",
            Lang::En => "English",
        }
    }

    /// The other language.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// Parses `zh` or `en`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}
