//! `content/site.yaml` and `content/topics.yaml`: strict, documented settings.

use serde::Deserialize;

/// A text in both languages of the site.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Bilingual {
    /// Chinese (the official language).
    pub zh: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    /// The text in `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Zh => &self.zh,
            crate::Lang::En => &self.en,
        }
    }
}

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// Absolute address where the site is published, ending in `/`; gives the pages absolute
    /// canonical and hreflang links and the site a `robots.txt` and `sitemap.xml`. Without it
    /// pages have none of these (search engines reject relative ones) and work from any folder.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Theme folder under `themes/` beside `content/`; its files override the built-in theme.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The official document the site publishes.
    pub document: Document,
}

fn default_theme() -> String {
    "default".to_string()
}

/// The official document: number, issuer, date and titles.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Document number as printed, e.g. 鲁乡振发〔2023〕3号.
    pub number: String,
    /// Date of issue, `YYYY-MM-DD`.
    pub date: String,
    /// Issuing body.
    pub issuer: Bilingual,
    /// Full title of the guide.
    pub title: Bilingual,
    /// Short title for the page header.
    pub short_title: Bilingual,
    /// One paragraph saying what the guide is, for the home page.
    pub summary: Bilingual,
}

/// One entry of `content/topics.yaml`: a group of questions in the contents.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    /// Identifier used in the questions' `topic` field.
    pub id: String,
    /// Chinese heading.
    pub zh: String,
    /// English heading.
    pub en: String,
}

/// One entry of `content/glossary.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The term as the official Chinese text writes it.
    pub zh: String,
    /// Its one English rendering.
    pub en: String,
    /// Grammatical variants of `en` (plural, verb forms), never synonyms.
    #[serde(default)]
    pub forms: Vec<String>,
    /// Explanation shown on the glossary page.
    #[serde(default)]
    pub note: Option<String>,
    /// Why `en` departs from the obvious rendering, where it does (shown on the glossary page).
    #[serde(default)]
    pub reason: Option<String>,
    /// Renderings that stand for the term only in the listed questions, where the Chinese means
    /// something `en` does not say (people counted, not households).
    #[serde(default)]
    pub in_context: Vec<ContextRendering>,
}

/// A rendering of a glossary term allowed in some questions only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRendering {
    /// The rendering used there.
    pub en: String,
    /// Grammatical variants of this `en`.
    #[serde(default)]
    pub forms: Vec<String>,
    /// The numbers of the questions where it stands for the term.
    pub questions: Vec<u32>,
    /// Why those questions need it.
    pub reason: String,
}

/// Checks a date written as `YYYY-MM-DD`.
pub fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(_), Some(m), Some(d)) => (1..=12).contains(&m) && (1..=31).contains(&d),
        _ => false,
    }
}
