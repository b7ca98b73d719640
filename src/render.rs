//! Renders the guide into pages: tera templates from the theme, Markdown through
//! pulldown-cmark, every page through minify-html. Output is a map from relative path to bytes,
//! sorted, so the same input always gives the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera};

use crate::content::{Guide, Question, Tool};
use crate::error::{Diagnostic, Error, Result};
use crate::markdown;
use crate::output::{hashed_name, Files};
use crate::theme::{strings_for, Strings, Theme};
use crate::Lang;
use policybook_engine::rules::Date;

mod changes;
pub mod poster;

/// A link to an item, for lists, related items and previous/next.
#[derive(Serialize)]
struct Link {
    number: Option<u32>,
    title: String,
    href: String,
}

#[derive(Serialize)]
struct TopicCtx {
    id: String,
    title: String,
    questions: Vec<Link>,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

#[derive(Serialize)]
struct DocCtx<'a> {
    number: &'a str,
    date: String,
    issuer: &'a str,
    title: &'a str,
    short_title: &'a str,
    summary: &'a str,
}

#[derive(Serialize)]
struct PrintItem {
    number: Option<u32>,
    title: String,
    html: String,
    anchor: String,
    /// The notice's official-document layout, when it has one.
    layout: Option<NoticeLayout>,
}

/// The issuing notice set out as a Chinese official document (GB/T 9704—2012): the document
/// number centred above the addressee (主送机关) set flush left, the body, and the issuer and the
/// date as the signature block, right-aligned. The parts are found in the text itself — the
/// paragraphs before the first one ending in a colon, and the last two paragraphs when they are
/// the document's issuer and date from `site.yaml` — so nothing is dropped, added or reworded.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct NoticeLayout {
    /// The paragraphs before the addressee (the document number), HTML.
    pub header: String,
    /// The addressee, HTML.
    pub addressee: String,
    /// The body, HTML.
    pub body: String,
    /// The signature block, when the notice ends with the issuer and the date.
    pub signature: Option<Signature>,
}

/// The issuer and date that close an official document.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The issuing body, as the text writes it.
    pub issuer: String,
    /// The date, as the text writes it.
    pub date: String,
    /// The same date as `YYYY-MM-DD`, for `<time datetime>`.
    pub iso: String,
}

/// Splits a notice into its official-document parts; `None` when it has neither an addressee
/// nor a closing issuer and date (it is then rendered as a plain page).
pub fn notice_layout(markdown: &str, issuer: &str, iso_date: &str, lang: Lang) -> Option<NoticeLayout> {
    let mut paragraphs: Vec<&str> = markdown
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let date = display_date(iso_date, lang);
    let signature = match paragraphs.as_slice() {
        [.., who, when] if *who == issuer && *when == date => {
            paragraphs.truncate(paragraphs.len() - 2);
            Some(Signature {
                issuer: issuer.to_string(),
                date,
                iso: iso_date.to_string(),
            })
        }
        _ => None,
    };
    let addressee = paragraphs
        .iter()
        .take(3)
        .position(|p| !p.contains('\n') && (p.ends_with('：') || p.ends_with(':')));
    if signature.is_none() && addressee.is_none() {
        return None;
    }
    let html = |ps: &[&str]| markdown::to_html(&ps.join("\n\n"));
    let (header, addressee, body) = match addressee {
        Some(i) => (
            html(&paragraphs[..i]),
            html(&paragraphs[i..=i]),
            html(&paragraphs[i + 1..]),
        ),
        None => (String::new(), String::new(), html(&paragraphs)),
    };
    Some(NoticeLayout {
        header,
        addressee,
        body,
        signature,
    })
}

/// The depths below the site root that pages are at: the root `index.html` (0), a language's home
/// page (1), `zh/glossary/` (2), `zh/q/3/` (3).
const BASE_DEPTHS: [usize; 4] = [0, 1, 2, 3];

/// Everything needed to render pages, prepared once.
struct Renderer<'a> {
    guide: &'a Guide,
    tera: Tera,
    strings: Strings,
    /// Static file name → hashed output path (`style.css` → `assets/style.1a2b3c4d.css`).
    assets: BTreeMap<String, String>,
    /// What every page shows of the monitoring line in force on `today`.
    line: changes::LineSummary<'a>,
    /// The shared part of every page's context, by language and depth (see
    /// [`Renderer::base_context`]).
    bases: BTreeMap<(Lang, usize), Context>,
    /// The policy data as JSON, for the checker in the page.
    policy_json: String,
    /// What a checker or tool page still downloads once it is shown, by engine script
    /// (`engine.js`, `engine-check.js`, …): the script gzipped, in KB (1,000 bytes, rounded up),
    /// for the loading note.
    engine_kb: BTreeMap<&'static str, usize>,
}

/// Which interface strings each kind of form page embeds for `form.js`, by key prefix: the
/// form's own (`form_`), its tool's, and the line and read-aloud strings its results use.
struct FormStrings;

impl FormStrings {
    const CHECK: &'static [&'static str] = &["form_", "check_", "line_", "read_"];
    /// The screening page shows each row's result as the self-check does.
    const SCREEN: &'static [&'static str] = &["form_", "screen_", "check_", "line_", "read_"];
    const TOOLS: &'static [&'static str] = &["form_", "tools_", "line_", "read_"];
}

/// `bytes` in KB (1,000 bytes), rounded up.
pub fn kb(bytes: usize) -> usize {
    bytes.div_ceil(1000)
}

/// Renders every page and asset of the site. `today` picks the monitoring line in force.
pub fn render(guide: &Guide, theme: &Theme, today: Date) -> Result<Files> {
    let mut files = Files::new();
    let mut assets = BTreeMap::new();
    let mut add_asset = |name: &str, bytes: Vec<u8>| {
        let out = hashed_name(name, &bytes);
        files.insert(out.clone(), bytes);
        assets.insert(name.to_string(), out);
    };
    for (name, file) in theme.statics() {
        let bytes = match name.rsplit_once('.').map(|(_, ext)| ext) {
            Some("js") => crate::minify::script(&file.bytes),
            Some("css") => crate::minify::style(&file.bytes),
            _ => file.bytes.clone(),
        };
        add_asset(name, bytes);
    }
    add_asset("engine.js", crate::engine_assets::ENGINE_JS.as_bytes().to_vec());
    for (lang, script) in crate::engine_assets::CHECK_ENGINE_JS {
        add_asset(
            &crate::engine_assets::check_engine_name(lang),
            script.as_bytes().to_vec(),
        );
    }
    add_asset(
        "engine-search.js",
        crate::engine_assets::SEARCH_ENGINE_JS.as_bytes().to_vec(),
    );
    add_asset(
        "engine-screen.js",
        crate::engine_assets::SCREEN_ENGINE_JS.as_bytes().to_vec(),
    );
    let strings = theme.strings()?;
    let vocabulary = crate::lexicon::load(guide)?;
    // A chunked index's chunks: named by their build (in the folder name), not hashed one by one.
    let mut chunks: Vec<(String, String)> = Vec::new();
    let mut chunked: Vec<Lang> = Vec::new();
    for lang in Lang::ALL {
        let glossary_title = strings
            .get("glossary")
            .map(|b| b.get(lang).to_string())
            .unwrap_or_default();
        let index = crate::search_index::build(guide, lang, &glossary_title, vocabulary.lexicon(lang));
        let scripts = crate::search_index::scripts(&index, lang, crate::search_index::CHUNKED_ABOVE).map_err(|e| {
            Error::from(Diagnostic::new(
                &guide.root,
                format!("cannot write the search index: {e}"),
            ))
        })?;
        add_asset(&format!("search-{}.js", lang.code()), scripts.head.into_bytes());
        if !scripts.chunks.is_empty() {
            chunked.push(lang);
        }
        chunks.extend(scripts.chunks);
    }
    if !chunked.is_empty() {
        add_asset(
            "engine-search-chunked.js",
            crate::engine_assets::SEARCH_CHUNKED_ENGINE_JS.as_bytes().to_vec(),
        );
    }
    for (path, script) in chunks {
        files.insert(path, script.into_bytes());
    }
    // The search box's engine per language: the one with the chunk reader where the index is
    // chunked (`search_engine` in the templates).
    for lang in Lang::ALL {
        let name = if chunked.contains(&lang) {
            "engine-search-chunked.js"
        } else {
            "engine-search.js"
        };
        if let Some(path) = assets.get(name).cloned() {
            assets.insert(format!("search-engine-{}", lang.code()), path);
        }
    }
    // Only the line in force and later ones: no page's script can show a superseded line.
    let pages_policy = changes::policy_for_pages(&guide.policy, today);
    let policy_json = serde_json::to_string(&pages_policy).unwrap_or_default();
    let line = changes::summary(&pages_policy, today).map_err(|e| {
        Error::from(
            Diagnostic::new(
                guide.root.join("policy.yaml"),
                format!("no monitoring line is in force on {today}: {}", e.en),
            )
            .hint("add an entry to monitoring_lines whose `effective` date is on or before today"),
        )
    })?;
    let mut r = Renderer {
        guide,
        tera: load_templates(theme)?,
        strings,
        assets,
        line,
        bases: BTreeMap::new(),
        policy_json,
        engine_kb: crate::engine_assets::ENGINE_GZIP_BYTES
            .iter()
            .map(|&(name, bytes)| (name, kb(bytes)))
            .collect(),
    };
    r.bases = Lang::ALL
        .iter()
        .flat_map(|&lang| BASE_DEPTHS.map(|depth| (lang, depth)))
        .map(|(lang, depth)| ((lang, depth), r.base_context(lang, depth)))
        .collect();
    let r = r;
    for lang in Lang::ALL {
        let home = r.home(lang, 1)?;
        if lang == Lang::Zh {
            // `/` shows the Chinese home page directly (no redirect on a slow connection).
            files.insert("index.html".into(), r.home(lang, 0)?);
        }
        files.insert(format!("{}/index.html", lang.code()), home);
        // The items' pages, on every core (the bulk of a large guide's build).
        let pages = crate::parallel::map(&guide.questions, |i, q| r.question(lang, i, q))?;
        for (q, page) in guide.questions.iter().zip(pages) {
            files.insert(format!("{}/q/{}/index.html", lang.code(), q.number), page);
        }
        for (key, page) in [("notice", &guide.notice), ("annex", &guide.annex)] {
            if let Some(page) = page {
                let text = page.text(lang);
                let mut ctx = r.context(lang, &format!("{key}/"))?;
                ctx.insert("kind", key);
                ctx.insert("title", &text.title);
                ctx.insert("html", &markdown::to_html(&text.markdown));
                ctx.insert("layout", &r.notice_layout(key, &text.markdown, lang));
                files.insert(format!("{}/{key}/index.html", lang.code()), r.page("page.html", &ctx)?);
            }
        }
        let mut ctx = r.context(lang, "glossary/")?;
        #[derive(Serialize)]
        struct TermCtx<'t> {
            zh: &'t str,
            en: &'t str,
            note: Option<&'t str>,
            reason: Option<&'t str>,
            in_context: Vec<ContextCtx<'t>>,
            /// Everyday words for the term (content/search-terms.yaml), in the page's language.
            words: Vec<String>,
        }
        #[derive(Serialize)]
        struct ContextCtx<'t> {
            en: &'t str,
            questions: String,
            reason: &'t str,
        }
        let terms: Vec<TermCtx> = guide
            .glossary
            .iter()
            .map(|t| TermCtx {
                zh: &t.zh,
                en: &t.en,
                note: t.note.as_deref(),
                reason: t.reason.as_deref(),
                in_context: t
                    .in_context
                    .iter()
                    .map(|c| ContextCtx {
                        en: &c.en,
                        questions: match lang {
                            Lang::Zh => format!(
                                "第{}问",
                                c.questions.iter().map(u32::to_string).collect::<Vec<_>>().join("、")
                            ),
                            Lang::En => c
                                .questions
                                .iter()
                                .map(|n| format!("Q{n}"))
                                .collect::<Vec<_>>()
                                .join(", "),
                        },
                        reason: &c.reason,
                    })
                    .collect(),
                words: vocabulary.words_for(lang, &t.zh),
            })
            .collect();
        ctx.insert("terms", &terms);
        files.insert(
            format!("{}/glossary/index.html", lang.code()),
            r.page("glossary.html", &ctx)?,
        );
        files.insert(format!("{}/print/index.html", lang.code()), r.print(lang)?);
        let mut ctx = r.context(lang, "check/")?;
        // JSON in a data block: `</` escaped so the text can never end the element.
        ctx.insert("policy_json", &r.policy_json.replace("</", "<\\/"));
        // The question numbers this guide has, so the page links only to questions that exist.
        let numbers: Vec<u32> = guide.questions.iter().map(|q| q.number).collect();
        ctx.insert("question_numbers", &numbers);
        ctx.insert("tool_questions", &r.tool_questions(Tool::Check));
        ctx.insert("script_strings", &r.script_strings(lang, FormStrings::CHECK));
        ctx.insert("check_engine", &crate::engine_assets::check_engine_name(lang));
        files.insert(format!("{}/check/index.html", lang.code()), r.page("check.html", &ctx)?);
        // Village screening: the same data, and the template as a `data:` link (it downloads
        // from file:// and without JavaScript).
        let mut ctx = r.context(lang, "screen/")?;
        ctx.insert("tool", "screen");
        ctx.insert("script_strings", &r.script_strings(lang, FormStrings::SCREEN));
        ctx.insert("policy_json", &r.policy_json.replace("</", "<\\/"));
        ctx.insert("question_numbers", &numbers);
        ctx.insert("tool_questions", &r.tool_questions(Tool::Check));
        ctx.insert(
            "template_href",
            &csv_data_url(&policybook_engine::screen::template(lang)),
        );
        files.insert(
            format!("{}/screen/index.html", lang.code()),
            r.page("screen.html", &ctx)?,
        );
        files.extend(r.tools(lang)?);
    }
    // The line's history and the edition's changes.
    changes::render(&r, today, &mut files)?;
    // Only with base_url: the QR code needs the address.
    poster::render(&r, &mut files)?;
    Ok(files)
}

/// `text` as a `data:text/csv` address, every byte outside the unreserved ASCII characters
/// percent-encoded.
fn csv_data_url(text: &str) -> String {
    let mut out = String::from("data:text/csv;charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Adds `robots.txt` and `sitemap.xml` when the site has a `base_url`. They are for crawlers
/// only, so they are added after the service worker: nobody needs them offline.
pub fn add_crawler_files(files: &mut Files, base_url: Option<&str>) {
    if let Some(base) = base_url {
        files.insert("robots.txt".into(), robots_txt(base).into_bytes());
        files.insert("sitemap.xml".into(), sitemap_xml(base, files).into_bytes());
    }
}

/// `robots.txt` for a site published at `base` (an absolute address ending in `/`).
fn robots_txt(base: &str) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n")
}

/// A sitemap of every page (each folder's `index.html`, named by its folder as links are).
fn sitemap_xml(base: &str, files: &Files) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in files.keys().filter(|p| p.ends_with("index.html")) {
        let folder = &path[..path.len() - "index.html".len()];
        let loc = format!("{base}{folder}")
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        xml.push_str(&format!("<url><loc>{loc}</loc></url>\n"));
    }
    xml.push_str("</urlset>\n");
    xml
}

impl Renderer<'_> {
    /// Variables every page has. `dir` is the page's folder inside its language (`q/3/`, or `` for the home page).
    fn context(&self, lang: Lang, dir: &str) -> Result<Context> {
        self.context_at(lang, dir, dir.matches('/').count() + 1)
    }

    fn context_at(&self, lang: Lang, dir: &str, depth: usize) -> Result<Context> {
        let mut ctx = match self.bases.get(&(lang, depth)) {
            Some(base) => base.clone(),
            None => self.base_context(lang, depth),
        };
        let root = "../".repeat(depth);
        ctx.insert("other_href", &format!("{root}{}/{dir}index.html", lang.other().code()));
        // Search engines accept only absolute canonical and hreflang addresses, so without a
        // `base_url` the page has none (a relative one is an error to them, not a hint).
        let mut alternates: Vec<Alternate> = Vec::new();
        if let Some(base) = &self.guide.site.base_url {
            let url = |l: Lang| format!("{base}{}/{dir}", l.code());
            ctx.insert("canonical", &url(lang));
            alternates.extend(Lang::ALL.iter().map(|&l| Alternate {
                hreflang: l.tag(),
                href: url(l),
            }));
            alternates.push(Alternate {
                hreflang: "x-default",
                href: url(Lang::Zh),
            });
        }
        ctx.insert("alternates", &alternates);
        ctx.insert("page_dir", dir);
        Ok(ctx)
    }

    /// The variables that every page of `lang` at `depth` folders below the site root shares:
    /// built once per language and depth ([`BASE_DEPTHS`]) and cloned for each page, since
    /// turning the interface strings, the document and the line summary into template values is
    /// most of the cost of a page's context.
    fn base_context(&self, lang: Lang, depth: usize) -> Context {
        let root = "../".repeat(depth);
        let doc = &self.guide.site.document;
        let mut ctx = Context::new();
        ctx.insert("lang", lang.code());
        ctx.insert("lang_tag", lang.tag());
        ctx.insert("other_lang", lang.other().code());
        ctx.insert("other_lang_tag", lang.other().tag());
        ctx.insert("root", &root);
        ctx.insert("home", &format!("{root}{}/index.html", lang.code()));
        ctx.insert("t", &strings_for(&self.strings, lang));
        // The search box's strings alone: base.html loops over these (not over all of `t`) on
        // every page.
        let search_t: BTreeMap<&str, &str> = self
            .strings
            .iter()
            .filter(|(k, _)| k.starts_with("search_"))
            .map(|(k, v)| (k.as_str(), v.get(lang)))
            .collect();
        ctx.insert("search_t", &search_t);
        ctx.insert(
            "doc",
            &DocCtx {
                number: &doc.number,
                date: display_date(&doc.date, lang),
                issuer: doc.issuer.get(lang),
                title: doc.title.get(lang),
                short_title: doc.short_title.get(lang),
                summary: doc.summary.get(lang),
            },
        );
        let assets: BTreeMap<&str, String> = self
            .assets
            .iter()
            .map(|(k, v)| (k.as_str(), format!("{root}{v}")))
            .collect();
        ctx.insert("assets", &assets);
        ctx.insert("engine_kb", &self.engine_kb);
        ctx.insert(
            "index_script",
            &assets.get(format!("search-{}.js", lang.code()).as_str()),
        );
        ctx.insert(
            "search_engine",
            &assets.get(format!("search-engine-{}", lang.code()).as_str()),
        );
        ctx.insert("line", &self.line);
        let l = lang.code();
        ctx.insert(
            "links",
            &BTreeMap::from([
                (
                    "notice",
                    self.guide
                        .notice
                        .as_ref()
                        .map(|_| format!("{root}{l}/notice/index.html")),
                ),
                (
                    "annex",
                    self.guide.annex.as_ref().map(|_| format!("{root}{l}/annex/index.html")),
                ),
                ("glossary", Some(format!("{root}{l}/glossary/index.html"))),
                ("print", Some(format!("{root}{l}/print/index.html"))),
                ("contents", Some(format!("{root}{l}/index.html#contents"))),
                ("check", Some(format!("{root}{l}/check/index.html"))),
                (
                    "poster",
                    self.guide
                        .site
                        .base_url
                        .as_ref()
                        .map(|_| format!("{root}{l}/poster/index.html")),
                ),
            ]),
        );
        ctx
    }

    fn q_link(&self, lang: Lang, root: &str, q: &Question) -> Link {
        Link {
            number: Some(q.number),
            title: q.text(lang).title.clone(),
            href: format!("{root}{}/q/{}/index.html", lang.code(), q.number),
        }
    }

    fn topics(&self, lang: Lang, root: &str) -> Vec<TopicCtx> {
        self.guide
            .topics
            .iter()
            .map(|t| TopicCtx {
                id: t.id.clone(),
                title: if lang == Lang::Zh { t.zh.clone() } else { t.en.clone() },
                questions: self
                    .guide
                    .questions
                    .iter()
                    .filter(|q| q.topic == t.id)
                    .map(|q| self.q_link(lang, root, q))
                    .collect(),
            })
            .collect()
    }

    /// The home page of `lang`; `depth` 0 renders it at the site root.
    fn home(&self, lang: Lang, depth: usize) -> Result<Vec<u8>> {
        let mut ctx = self.context_at(lang, "", depth)?;
        let root = "../".repeat(depth);
        ctx.insert("root", &root);
        ctx.insert("topics", &self.topics(lang, &root));
        ctx.insert("question_count", &self.guide.questions.len());
        self.page("home.html", &ctx)
    }

    fn question(&self, lang: Lang, i: usize, q: &Question) -> Result<Vec<u8>> {
        let dir = format!("q/{}/", q.number);
        let mut ctx = self.context(lang, &dir)?;
        let root = "../../../";
        let text = q.text(lang);
        ctx.insert("number", &q.number);
        ctx.insert("title", &text.title);
        ctx.insert("tool", &q.tool);
        ctx.insert("line_note", &q.line_note);
        ctx.insert("html", &markdown::to_html(&text.markdown));
        let topic = self.guide.topics.iter().find(|t| t.id == q.topic);
        ctx.insert("topic", &topic.map(|t| if lang == Lang::Zh { &t.zh } else { &t.en }));
        ctx.insert(
            "topic_href",
            &format!("{root}{}/index.html#topic-{}", lang.code(), q.topic),
        );
        // The questions are in number order (content::load): a binary search, not a scan per link.
        let by_number = |n: u32| {
            let found = self.guide.questions.binary_search_by_key(&n, |x| x.number);
            found.ok().and_then(|j| self.guide.questions.get(j))
        };
        let related: Vec<Link> = q
            .related
            .iter()
            .filter_map(|&n| by_number(n))
            .map(|x| self.q_link(lang, root, x))
            .collect();
        ctx.insert("related", &related);
        let prev = i
            .checked_sub(1)
            .and_then(|j| self.guide.questions.get(j))
            .map(|x| self.q_link(lang, root, x));
        let next = self.guide.questions.get(i + 1).map(|x| self.q_link(lang, root, x));
        ctx.insert("prev", &prev);
        ctx.insert("next", &next);
        // The English page names the official Chinese question it translates.
        ctx.insert("original_title", &q.zh.title);
        self.page("question.html", &ctx)
    }

    /// The cadre tools of `lang`: `elimination/`, `deadlines/` and `redact/`, each a
    /// form run by `form.js` with the engine, with its data in `<script type="application/json">`
    /// blocks (`</` escaped so the text can never end the element).
    fn tools(&self, lang: Lang) -> Result<Vec<(String, Vec<u8>)>> {
        fn json<T: Serialize>(value: &T, root: &std::path::Path) -> Result<String> {
            serde_json::to_string(value)
                .map(|s| s.replace("</", "<\\/"))
                .map_err(|e| Diagnostic::new(root, format!("cannot write the data of the tool pages: {e}")).into())
        }
        let root = &self.guide.root;
        let strings = self.script_strings(lang, FormStrings::TOOLS);
        let words = json(&self.guide.words, root)?;
        let numbers: Vec<u32> = self.guide.questions.iter().map(|q| q.number).collect();
        let counting = policybook_engine::rules::deadlines::counting_text();
        let mut pages = Vec::new();
        for (tool, which) in [
            ("elimination", Tool::Elimination),
            ("deadlines", Tool::Deadlines),
            ("redact", Tool::Redact),
        ] {
            let mut ctx = self.context(lang, &format!("{tool}/"))?;
            ctx.insert("tool", tool);
            ctx.insert("script_strings", &strings);
            ctx.insert("question_numbers", &numbers);
            ctx.insert("tool_questions", &self.tool_questions(which));
            match tool {
                "redact" => ctx.insert("words_json", &words),
                _ => ctx.insert("policy_json", &self.policy_json.replace("</", "<\\/")),
            }
            ctx.insert("stable_months", &self.guide.policy.time_limits.stable_income.amount);
            ctx.insert("counting", if lang == Lang::Zh { &counting.zh } else { &counting.en });
            let html = self.page(&format!("{tool}.html"), &ctx)?;
            pages.push((format!("{}/{tool}/index.html", lang.code()), html));
        }
        Ok(pages)
    }

    /// The interface strings of `lang` whose keys start with one of `prefixes`, as JSON for a
    /// data block (`</` escaped so the text can never end the element): what `form.js` reads on
    /// the page, and nothing more, since a phone downloads them before the form works.
    fn script_strings(&self, lang: Lang, prefixes: &[&str]) -> String {
        let strings: BTreeMap<String, &str> = strings_for(&self.strings, lang)
            .into_iter()
            .filter(|(key, _)| prefixes.iter().any(|p| key.starts_with(p)))
            .map(|(key, text)| (key.to_string(), text))
            .collect();
        policybook_engine::json::to_string(&strings).replace("</", "<\\/")
    }

    /// The questions that declare `tool` in their front matter: its page links to them.
    fn tool_questions(&self, tool: Tool) -> Vec<u32> {
        self.guide
            .questions
            .iter()
            .filter(|q| q.tool == Some(tool))
            .map(|q| q.number)
            .collect()
    }

    fn print(&self, lang: Lang) -> Result<Vec<u8>> {
        let mut ctx = self.context(lang, "print/")?;
        let page_item = |key: &str, p: &crate::content::Page| PrintItem {
            number: None,
            title: p.text(lang).title.clone(),
            html: markdown::to_html(&p.text(lang).markdown),
            anchor: key.to_string(),
            layout: self.notice_layout(key, &p.text(lang).markdown, lang),
        };
        ctx.insert("notice", &self.guide.notice.as_ref().map(|p| page_item("notice", p)));
        ctx.insert("annex", &self.guide.annex.as_ref().map(|p| page_item("annex", p)));
        let questions: Vec<PrintItem> = self
            .guide
            .questions
            .iter()
            .map(|q| PrintItem {
                number: Some(q.number),
                title: q.text(lang).title.clone(),
                html: markdown::to_html(&q.text(lang).markdown),
                anchor: format!("q{}", q.number),
                layout: None,
            })
            .collect();
        ctx.insert("questions", &questions);
        self.page("print.html", &ctx)
    }

    /// The official-document layout of the page `key`, for the notice only.
    fn notice_layout(&self, key: &str, markdown: &str, lang: Lang) -> Option<NoticeLayout> {
        let doc = &self.guide.site.document;
        let issuer = match lang {
            Lang::Zh => &doc.issuer.zh,
            Lang::En => &doc.issuer.en,
        };
        if key == "notice" {
            notice_layout(markdown, issuer, &doc.date, lang)
        } else {
            None
        }
    }

    /// Renders a template and minifies the result.
    fn page(&self, template: &str, ctx: &Context) -> Result<Vec<u8>> {
        let html = self
            .tera
            .render(template, ctx)
            .map_err(|e| template_error(template, &e))?;
        Ok(crate::minify::page(html.as_bytes()))
    }
}

fn load_templates(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    crate::lang_parts::register(&mut tera);
    let mut problems = Vec::new();
    let mut sources = Vec::new();
    for (name, file) in theme.templates() {
        match std::str::from_utf8(&file.bytes) {
            Ok(s) => sources.push((name.to_string(), s.to_string(), file.origin.clone())),
            Err(_) => problems.push(Diagnostic::new(&file.origin, "the template is not valid UTF-8 text")),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // Parsing is a tenth of the handbook's build: parse once, and only when that fails parse one
    // by one, so that a syntax error names its own file.
    if let Err(all) = tera.add_raw_templates(sources.iter().map(|(n, s, _)| (n.as_str(), s.as_str()))) {
        for (name, src, origin) in &sources {
            if let Err(e) = tera::Template::new(name, None, src) {
                problems.push(tera_diagnostic(origin, &e));
            }
        }
        if problems.is_empty() {
            problems.push(tera_diagnostic(std::path::Path::new("themes"), &all));
        }
        return Err(Error::Invalid(problems));
    }
    Ok(tera)
}

fn tera_diagnostic(origin: &std::path::Path, e: &tera::Error) -> Diagnostic {
    let chain = error_chain(e);
    // Tera reports positions as ` --> LINE:COL`.
    let pos = chain.find(" --> ").and_then(|i| {
        let rest = &chain[i + 5..];
        let mut it = rest.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty());
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()))
    });
    let d = Diagnostic::new(
        origin,
        format!(
            "template error: {}",
            chain
                .replace('\n', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    )
    .hint(
        "fix the template syntax (see https://keats.github.io/tera/docs/), or delete the file to use the built-in one",
    );
    match pos {
        Some((line, col)) => d.at(line, col),
        None => d,
    }
}

fn template_error(template: &str, e: &tera::Error) -> Error {
    Diagnostic::new(format!("templates/{template}"), format!("cannot render: {}", error_chain(e)))
        .hint("a variable or filter the template uses is wrong; fix the theme's template or delete it to use the built-in one")
        .into()
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

/// `2023-04-28` → `2023年4月28日` or `April 28, 2023` (American usage, like the translation).
pub fn display_date(iso: &str, lang: Lang) -> String {
    let parts: Vec<u32> = iso.split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else {
        return iso.to_string();
    };
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日"),
        Lang::En => match MONTHS.get((m as usize).wrapping_sub(1)) {
            Some(month) => format!("{month} {d}, {y}"),
            None => iso.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::FormStrings;
    use crate::theme::Theme;

    /// The keys `form.js` names literally (`S.form_loading`): each must be a string of the theme
    /// and embedded on some form page, or the page would show "undefined".
    #[test]
    fn every_string_the_form_script_reads_is_in_the_theme_and_embedded_on_a_form_page() {
        let theme = Theme::load(None).unwrap();
        let strings = theme.strings().unwrap();
        let script = String::from_utf8(theme.files["static/form.js"].bytes.clone()).unwrap();
        let mut keys: Vec<&str> = script
            .match_indices("S.")
            .filter(|(at, _)| !script[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
            .map(|(at, _)| {
                let rest = &script[at + 2..];
                &rest[..rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len())]
            })
            .filter(|key| key.contains('_'))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        assert!(keys.len() > 50, "{keys:?}");
        let embedded = [FormStrings::CHECK, FormStrings::SCREEN, FormStrings::TOOLS].concat();
        for key in keys {
            assert!(
                strings.contains_key(key),
                "form.js reads `{key}`, which strings.yaml lacks"
            );
            assert!(
                embedded.iter().any(|p| key.starts_with(p)),
                "form.js reads `{key}`, which no form page embeds"
            );
        }
    }
}
