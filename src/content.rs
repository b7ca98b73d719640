//! Reads `content/`: the questions, the notice and the annex in each language, the topics, the
//! glossary and the site settings. Front matter is strict; every problem is reported with its
//! file and line, and all problems are collected before the build stops.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::config::{is_iso_date, SiteConfig, Term, Topic};
use crate::error::{Diagnostic, Error, Result};
use crate::source::{not_a_file, parse_yaml, read_content, read_text, split_front_matter, SourceFile};
use crate::Lang;

/// The whole guide, loaded and checked.
#[derive(Debug, Clone)]
pub struct Guide {
    /// The folder it was read from.
    pub root: PathBuf,
    /// `site.yaml`.
    pub site: SiteConfig,
    /// `topics.yaml`, in display order.
    pub topics: Vec<Topic>,
    /// `glossary.yaml`, in file order.
    pub glossary: Vec<Term>,
    /// The questions, by number.
    pub questions: Vec<Question>,
    /// The issuing notice, when there is one.
    pub notice: Option<Page>,
    /// The supplementary provisions (附则), when there are any.
    pub annex: Option<Page>,
    /// `policy.yaml`: the self-checker's dated, sourced figures, validated.
    pub policy: policybook_engine::rules::Policy,
    /// `sensitive-words.yaml`: the health-status words the privacy check of notices flags (Q38).
    pub words: policybook_engine::redact::WordList,
}

/// One numbered question and its answer, in both languages.
#[derive(Debug, Clone)]
pub struct Question {
    /// The question's number in the guide.
    pub number: u32,
    /// Topic id from `topics.yaml`.
    pub topic: String,
    /// Numbers of related questions.
    pub related: Vec<u32>,
    /// The page built on the engine that this question's answer is checked with, if any.
    pub tool: Option<Tool>,
    /// Whether the answer mentions the provincial monitoring line, so its page shows the line box.
    pub line_note: bool,
    /// Chinese text (official).
    pub zh: Text,
    /// English translation.
    pub en: Text,
}

/// A page that is not a question (the notice, the annex), in both languages.
#[derive(Debug, Clone)]
pub struct Page {
    /// Chinese text (official).
    pub zh: Text,
    /// English translation.
    pub en: Text,
}

/// The title and Markdown body of one item in one language.
#[derive(Debug, Clone)]
pub struct Text {
    /// Title (for a question: the question itself).
    pub title: String,
    /// Markdown body.
    pub markdown: String,
    /// The file it came from.
    pub source: PathBuf,
    /// English text only: `source_hash` from the front matter, the hash of the Chinese text it
    /// was translated from (see `crate::freshness`).
    pub source_hash: Option<String>,
}

impl Question {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl Page {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// Front matter of a Chinese question: the official language carries the structure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZhQuestionMeta {
    /// The question's number in the guide.
    number: u32,
    /// The question.
    title: String,
    /// Topic id from `topics.yaml`.
    topic: String,
    /// Numbers of related questions.
    #[serde(default)]
    related: Vec<u32>,
    /// The page built on the engine that applies this question (`check`, `elimination`,
    /// `deadlines`, `redact`): the question links to it and it links back.
    #[serde(default)]
    tool: Option<Tool>,
    /// `true` when the answer mentions the provincial monitoring line: its page shows the line
    /// in force (`line-note.html`).
    #[serde(default)]
    line_note: bool,
}

/// A page of the site that runs the engine on a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tool {
    /// The household self-check (`check/`).
    Check,
    /// The risk-elimination check (`elimination/`).
    Elimination,
    /// The procedure deadlines (`deadlines/`).
    Deadlines,
    /// The privacy check of notices (`redact/`).
    Redact,
}

/// Front matter of a translated question: number and title; topic and related items come
/// from the Chinese file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnQuestionMeta {
    /// The question's number, the same as in the Chinese file.
    number: u32,
    /// The translated question.
    title: String,
    /// The hash of the Chinese text this translation was made from (`policybook validate`).
    #[serde(default)]
    source_hash: Option<String>,
}

/// Front matter of the notice and the annex.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// The page's heading.
    title: String,
    /// English files only: the hash of the Chinese text this translation was made from.
    #[serde(default)]
    source_hash: Option<String>,
}

/// What a content file is, by its place under `content/<lang>/`.
#[derive(Clone, Copy)]
enum Slot {
    Question,
    Notice,
    Annex,
}

/// Collects problems so that one build reports all of them.
#[derive(Default)]
struct Problems(Vec<Diagnostic>);

impl Problems {
    fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    fn take<T>(&mut self, r: std::result::Result<T, Diagnostic>) -> Option<T> {
        r.map_err(|d| self.0.push(d)).ok()
    }
    fn take_all<T>(&mut self, r: std::result::Result<T, Vec<Diagnostic>>) -> Option<T> {
        r.map_err(|ds| self.0.extend(ds)).ok()
    }
}

/// Loads and checks the whole guide from `root` (the `content/` folder): the settings files,
/// then the items of each language, then what ties them together (translations, related items,
/// topics, the glossary's question numbers). Every problem found is reported at once.
pub fn load(root: &Path) -> Result<Guide> {
    if !root.is_dir() {
        return Err(Diagnostic::new(root, "the content folder does not exist")
            .hint("run policybook from the project folder, or pass --content DIR")
            .into());
    }
    let mut p = Problems::default();
    let settings = load_settings(root, &mut p);
    let mut items = Items::default();
    for lang in Lang::ALL {
        read_language(root, lang, &mut items, &mut p);
    }
    let questions = pair_questions(&items, settings.topics.as_deref(), &mut p);
    if let Some(glossary) = &settings.glossary {
        check_glossary_questions(glossary, &items, &mut p);
    }
    if items.zh.is_empty() && !items.unreadable_questions && root.join("zh").is_dir() {
        p.push(
            Diagnostic::new(root.join("zh/q"), "no questions found").hint("add the questions as content/zh/q/NN.md"),
        );
    }
    let notice = pair_page(&mut items.pages, "notice", &mut p);
    let annex = pair_page(&mut items.pages, "annex", &mut p);
    let Settings {
        site,
        topics,
        glossary,
        policy,
        words,
    } = settings;
    match (site, topics, glossary, policy, words) {
        (Some(site), Some(topics), Some(glossary), Some(policy), Some(words)) if p.0.is_empty() => Ok(Guide {
            root: root.to_path_buf(),
            site,
            topics,
            glossary: glossary.value,
            questions,
            notice,
            annex,
            policy,
            words,
        }),
        _ => Err(Error::Invalid(p.0)),
    }
}

/// The settings files, each `None` when it has problems (they are in `p`).
struct Settings {
    site: Option<SiteConfig>,
    topics: Option<Vec<Topic>>,
    glossary: Option<Parsed<Vec<Term>>>,
    policy: Option<policybook_engine::rules::Policy>,
    words: Option<policybook_engine::redact::WordList>,
}

/// A settings file parsed, with its text for pointing at lines.
struct Parsed<T> {
    value: T,
    file: SourceFile,
}

fn load_settings(root: &Path, p: &mut Problems) -> Settings {
    let site = p.take(load_yaml::<SiteConfig>(&root.join("site.yaml"))).map(|site| {
        check_site(&site, p);
        site.value
    });
    let topics = p
        .take(load_yaml::<Vec<Topic>>(&root.join("topics.yaml")))
        .map(|t| t.value);
    let glossary = p.take(load_yaml::<Vec<Term>>(&root.join("glossary.yaml")));
    let words = p.take_all(crate::policy::load_words(&root.join("sensitive-words.yaml")));
    let policy = p.take_all(crate::policy::load(&root.join("policy.yaml")));
    if let Some(g) = &glossary {
        check_glossary(g, p);
    }
    Settings {
        site,
        topics,
        glossary,
        policy,
        words,
    }
}

/// One item file read: its front matter, its body and the file.
struct ItemFile<M> {
    meta: M,
    body: String,
    file: SourceFile,
}

/// The item files of both languages, as read.
#[derive(Default)]
struct Items {
    zh: BTreeMap<u32, ItemFile<ZhQuestionMeta>>,
    en: BTreeMap<u32, ItemFile<EnQuestionMeta>>,
    pages: BTreeMap<(&'static str, Lang), Text>,
    /// When a question file cannot be read, its number is unknown: checks across files
    /// (translations, related items) would then report errors that are only echoes of it.
    unreadable_questions: bool,
}

/// Walks `content/<lang>/` and reads every item file into `items`.
fn read_language(root: &Path, lang: Lang, items: &mut Items, p: &mut Problems) {
    let dir = root.join(lang.code());
    if !dir.is_dir() {
        p.push(
            Diagnostic::new(&dir, format!("the {} content folder is missing", lang.english_name())).hint(format!(
                "create {} with notice.md, annex.md and q/NN.md for each question",
                dir.display()
            )),
        );
        return;
    }
    for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                p.push(Diagnostic::new(e.path().unwrap_or(&dir), format!("cannot read: {e}")));
                continue;
            }
        };
        let path = entry.path();
        let rel = path.strip_prefix(&dir).unwrap_or(path);
        let slot = classify(rel);
        let is_question = matches!(slot, Some(Slot::Question));
        if !entry.file_type().is_file() {
            // Folders are walked into; one named like a content file is reported by its path,
            // as is anything else that is not a regular file.
            let reported = if entry.file_type().is_dir() {
                slot.is_some()
            } else {
                true
            };
            if reported && !is_ignorable(rel) {
                p.push(not_a_file(path, entry.file_type()));
                items.unreadable_questions |= is_question;
            }
            continue;
        }
        let slot = match slot {
            Some(s) => s,
            None if is_ignorable(rel) => continue,
            None => {
                p.push(
                    Diagnostic::new(path, "this file is not part of the guide's layout").hint(format!(
                        "content/{}/ holds notice.md, annex.md and q/*.md; move or remove this file",
                        lang.code()
                    )),
                );
                continue;
            }
        };
        if read_item(path, slot, lang, items, p).is_none() {
            items.unreadable_questions |= is_question;
        }
    }
}

/// Reads one item file into `items`; `None` when it could not be read (the problem is in `p`).
fn read_item(path: &Path, slot: Slot, lang: Lang, items: &mut Items, p: &mut Problems) -> Option<()> {
    let file = SourceFile {
        path: path.to_path_buf(),
        text: p.take(read_text(path))?,
    };
    let (fm, body) = p.take(split_front_matter(path, &file.text))?;
    if body.trim().is_empty() {
        p.push(
            Diagnostic::new(path, "the text after the front matter is empty")
                .hint("write the item's text below the closing `---`"),
        );
        return None;
    }
    if let Some(offset) = crate::markdown::too_deep(body) {
        let before = &file.text[..file.text.len() - body.len() + offset];
        p.push(
            Diagnostic::new(
                path,
                format!(
                    "the text nests quotes, lists or emphasis more than {} levels deep",
                    crate::markdown::MAX_NESTING
                ),
            )
            .at(before.matches('\n').count() + 1, None)
            .hint("remove the extra `>` or list markers: the guide's answers nest at most a few levels"),
        );
        return None;
    }
    let body = body.to_string();
    match (slot, lang) {
        (Slot::Question, Lang::Zh) => {
            let meta = p.take(parse_yaml::<ZhQuestionMeta>(path, fm, 1))?;
            insert_unique(&mut items.zh, meta.number, ItemFile { meta, body, file }, p);
        }
        (Slot::Question, Lang::En) => {
            let meta = p.take(parse_yaml::<EnQuestionMeta>(path, fm, 1))?;
            insert_unique(&mut items.en, meta.number, ItemFile { meta, body, file }, p);
        }
        (Slot::Notice | Slot::Annex, _) => {
            let meta = p.take(parse_yaml::<PageMeta>(path, fm, 1))?;
            let key = if matches!(slot, Slot::Notice) {
                "notice"
            } else {
                "annex"
            };
            if lang == Lang::Zh && meta.source_hash.is_some() {
                p.push(
                    file.at(
                        "source_hash:",
                        "`source_hash` belongs in the English file, not the Chinese one",
                    )
                    .hint(format!("move the line to content/en/{key}.md")),
                );
            }
            items.pages.insert(
                (key, lang),
                Text {
                    title: meta.title,
                    markdown: body,
                    source: file.path,
                    source_hash: meta.source_hash,
                },
            );
        }
    }
    Some(())
}

/// Pairs each Chinese question with its translation and checks its related items and topic.
fn pair_questions(items: &Items, topics: Option<&[Topic]>, p: &mut Problems) -> Vec<Question> {
    let (zh_q, en_q, unreadable) = (&items.zh, &items.en, items.unreadable_questions);
    let mut questions = Vec::new();
    for (n, zh) in zh_q {
        let (meta, path) = (&zh.meta, &zh.file.path);
        let Some(en) = en_q.get(n) else {
            if unreadable {
                continue;
            }
            p.push(
                Diagnostic::new(path, format!("question {n} has no English translation")).hint(format!(
                    "add content/en/q/{n:02}.md with `number: {n}` and `title:` in its front matter"
                )),
            );
            continue;
        };
        for r in &meta.related {
            if !zh_q.contains_key(r) && !unreadable {
                p.push(
                    zh.file
                        .at("related:", format!("related item {r} does not exist"))
                        .hint(format!(
                            "`related` lists question numbers; the guide has {} questions",
                            zh_q.len()
                        )),
                );
            } else if r == n {
                p.push(
                    zh.file
                        .at("related:", format!("question {n} lists itself as related"))
                        .hint("remove its own number from `related`"),
                );
            }
        }
        if let Some(topics) = topics {
            if !topics.iter().any(|t| t.id == meta.topic) {
                let ids: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
                p.push(
                    zh.file
                        .at("topic:", format!("unknown topic `{}`", meta.topic))
                        .hint(format!("use one of the ids in content/topics.yaml: {}", ids.join(", "))),
                );
            }
        }
        questions.push(Question {
            number: *n,
            topic: meta.topic.clone(),
            related: meta.related.clone(),
            tool: meta.tool,
            line_note: meta.line_note,
            zh: Text {
                title: meta.title.clone(),
                markdown: zh.body.clone(),
                source: path.clone(),
                source_hash: None,
            },
            en: Text {
                title: en.meta.title.clone(),
                markdown: en.body.clone(),
                source: en.file.path.clone(),
                source_hash: en.meta.source_hash.clone(),
            },
        });
    }
    for (n, en) in en_q {
        if !zh_q.contains_key(n) && !unreadable {
            p.push(
                Diagnostic::new(
                    &en.file.path,
                    format!("translation of question {n}, which has no Chinese original"),
                )
                .hint(format!("add content/zh/q/{n:02}.md, or correct `number` in this file")),
            );
        }
    }
    questions
}

/// Every question number the glossary's `in_context` lists exists.
fn check_glossary_questions(glossary: &Parsed<Vec<Term>>, items: &Items, p: &mut Problems) {
    let zh_q = &items.zh;
    if items.unreadable_questions || zh_q.is_empty() {
        return;
    }
    for t in &glossary.value {
        for n in t.in_context.iter().flat_map(|c| &c.questions) {
            if !zh_q.contains_key(n) {
                p.push(
                    glossary
                        .file
                        .at(
                            &format!("zh: {}", t.zh),
                            format!(
                                "the term {} lists question {n} in `in_context`, which does not exist",
                                t.zh
                            ),
                        )
                        .hint(format!(
                            "`questions` lists question numbers; the guide has {} questions",
                            zh_q.len()
                        )),
                );
            }
        }
    }
}

/// The notice or the annex (`key`) in both languages; a page in one language only is a problem.
fn pair_page(pages: &mut BTreeMap<(&'static str, Lang), Text>, key: &'static str, p: &mut Problems) -> Option<Page> {
    match (pages.remove(&(key, Lang::Zh)), pages.remove(&(key, Lang::En))) {
        (Some(zh), Some(en)) => Some(Page { zh, en }),
        (None, None) => None,
        (Some(zh), None) => {
            p.push(
                Diagnostic::new(&zh.source, format!("{key}.md has no English translation"))
                    .hint(format!("add content/en/{key}.md")),
            );
            None
        }
        (None, Some(en)) => {
            p.push(
                Diagnostic::new(&en.source, format!("{key}.md has no Chinese original"))
                    .hint(format!("add content/zh/{key}.md or remove this file")),
            );
            None
        }
    }
}

fn load_yaml<T: DeserializeOwned>(path: &Path) -> std::result::Result<Parsed<T>, Diagnostic> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(Diagnostic::new(path, "the file is missing")
            .hint("every content folder needs site.yaml, topics.yaml, glossary.yaml, policy.yaml and sensitive-words.yaml; copy them from the policybook repository"));
    }
    let text = read_content(path)?;
    let value = parse_yaml(path, &text, 0)?;
    Ok(Parsed {
        value,
        file: SourceFile {
            path: path.to_path_buf(),
            text,
        },
    })
}

fn check_site(parsed: &Parsed<SiteConfig>, p: &mut Problems) {
    let (site, file) = (&parsed.value, &parsed.file);
    if !is_iso_date(&site.document.date) {
        p.push(
            file.at("date:", format!("document.date `{}` is not a date", site.document.date))
                .hint("write the date as YYYY-MM-DD"),
        );
    }
    if let Some(url) = &site.base_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) || !url.ends_with('/') {
            p.push(
                file.at(
                    "base_url:",
                    format!("base_url `{url}` is not an absolute address ending in `/`"),
                )
                .hint("write it like https://example.gov.cn/guide/ or remove the line"),
            );
        }
    }
    if site.theme.is_empty() || site.theme.contains(['/', '\\']) || site.theme.starts_with('.') {
        p.push(
            file.at("theme:", format!("theme `{}` is not a folder name", site.theme))
                .hint("name a folder under themes/, e.g. `theme: default`"),
        );
    }
}

fn check_glossary(parsed: &Parsed<Vec<Term>>, p: &mut Problems) {
    let path = &parsed.file.path;
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, t) in parsed.value.iter().enumerate() {
        if t.zh.trim().is_empty() || t.en.trim().is_empty() {
            p.push(
                Diagnostic::new(path, format!("glossary entry {} has an empty term", i + 1))
                    .hint("every entry needs both `zh` and `en`"),
            );
        }
        if let Some(first) = seen.insert(t.zh.as_str(), i) {
            p.push(
                parsed
                    .file
                    .at(
                        &format!("zh: {}", t.zh),
                        format!(
                            "the term {} is listed twice (entries {} and {})",
                            t.zh,
                            first + 1,
                            i + 1
                        ),
                    )
                    .hint("keep one entry per Chinese term: one English rendering each"),
            );
        }
    }
}

fn insert_unique<M>(map: &mut BTreeMap<u32, ItemFile<M>>, n: u32, item: ItemFile<M>, p: &mut Problems) {
    if let Some(first) = map.get(&n) {
        p.push(
            item.file
                .at(
                    "number:",
                    format!("question number {n} is already used by {}", first.file.path.display()),
                )
                .hint("give each question its own number"),
        );
        return;
    }
    map.insert(n, item);
}

fn classify(rel: &Path) -> Option<Slot> {
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [f] if f == "notice.md" => Some(Slot::Notice),
        [f] if f == "annex.md" => Some(Slot::Annex),
        [d, f] if d == "q" && f.ends_with(".md") => Some(Slot::Question),
        _ => None,
    }
}

/// Editor leftovers and dot files are not content.
fn is_ignorable(rel: &Path) -> bool {
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        || rel.extension().is_some_and(|e| e == "swp" || e == "bak")
        || rel.to_string_lossy().ends_with('~')
}
