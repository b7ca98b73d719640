//! Reads `content/`: the questions, the notice and the annex in each language, the topics, the
//! glossary and the site settings. Front matter is strict; every problem is reported with its
//! file and line, and all problems are collected before the build stops.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::config::{is_iso_date, SiteConfig, Term, Topic};
use crate::error::{Diagnostic, Error, Result};
use crate::Lang;

/// Largest content file accepted; the whole guide is about 60 KB.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024;

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
        match r {
            Ok(v) => Some(v),
            Err(d) => {
                self.0.push(d);
                None
            }
        }
    }
}

/// What a file that is not a regular file is, for messages: `a folder`, `a named pipe (FIFO)`, …
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

/// The error for a content path that is not a regular file.
fn not_a_file(path: &Path, file_type: std::fs::FileType) -> Diagnostic {
    let kind = kind_of(file_type);
    if file_type.is_symlink() {
        Diagnostic::new(path, "this is a symbolic link; content files must be regular files").hint(
            "replace the link with a copy of the file it points to (links are refused so that the content never reads a file outside content/)",
        )
    } else {
        Diagnostic::new(path, format!("this is {kind}, not a regular file"))
            .hint("content files must be ordinary text files; remove this or replace it with the file")
    }
}

/// Reads a file of `content/`: a regular file, never a symbolic link, as [`read_text`].
pub fn read_content(path: &Path) -> std::result::Result<String, Diagnostic> {
    let meta =
        std::fs::symlink_metadata(path).map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(not_a_file(path, meta.file_type()));
    }
    read_text(path)
}

/// Reads a text file as UTF-8 text with Unix line endings; anything but a regular file (a FIFO
/// would block, a device never end) is refused.
pub fn read_text(path: &Path) -> std::result::Result<String, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(not_a_file(path, meta.file_type()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            path,
            format!(
                "the file is {} ({} bytes); content files may be at most {} MB",
                human_size(meta.len()),
                meta.len(),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .hint("check that the right file was saved here (the whole guide is about 60 KB); split a text that is really this long"));
    }
    let bytes = std::fs::read(path).map_err(|e| Diagnostic::new(path, format!("cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        Diagnostic::new(path, "the file is not valid UTF-8 text")
            .at(line, None)
            .hint("save the file as UTF-8 (in most editors: Save As → Encoding → UTF-8)")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(path, "the file is empty").hint(
            "an editor or a copy may have cut it short: restore the file from the previous version of the content, or delete it if it should not be there",
        ));
    }
    Ok(text.replace("\r\n", "\n"))
}

/// `10485760` → `10.0 MB`, for messages.
fn human_size(bytes: u64) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 0.1 {
        format!("{mb:.1} MB")
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// Parses a YAML document into `T`, reporting errors at `path`, shifted by `line_offset` lines.
pub fn parse_yaml<T: DeserializeOwned>(
    path: &Path,
    yaml: &str,
    line_offset: usize,
) -> std::result::Result<T, Diagnostic> {
    crate::yaml::from_str(yaml).map_err(|e| yaml_diagnostic(path, &e, line_offset))
}

/// Parses a YAML document into a JSON value (numbers decimal, no key twice), reporting errors at
/// `path`.
pub fn parse_yaml_value(path: &Path, yaml: &str) -> std::result::Result<serde_json::Value, Diagnostic> {
    crate::yaml::to_value(yaml).map_err(|e| yaml_diagnostic(path, &e, 0))
}

fn yaml_diagnostic(path: &Path, e: &crate::yaml::YamlError, line_offset: usize) -> Diagnostic {
    let msg = &e.message;
    let hint = if msg.contains("unknown field") {
        "remove the field or correct its spelling; the fields allowed here are listed above"
    } else if msg.contains("missing field") {
        "add the field (in a content file: to its front matter), or check its spelling and its indentation"
    } else if msg.contains("invalid type") {
        "check the value's type: numbers without quotes, lists in [brackets]"
    } else if msg.contains("nested more than") {
        "write the value with less nesting; no file of the guide needs more than two levels"
    } else if msg.contains("number") || msg.contains("written twice") {
        "correct the value as the message says"
    } else {
        "check the YAML syntax: `key: value` pairs, one per line, values with `: ` or `#` in quotes"
    };
    let d = Diagnostic::new(path, msg.as_str()).hint(hint);
    match e.line {
        Some(line) => d.at(line + line_offset, e.column),
        None => d,
    }
}

/// Splits `---\nYAML\n---\nbody` into the YAML, the body and the body's first line number.
pub fn split_front_matter<'a>(path: &Path, text: &'a str) -> std::result::Result<(&'a str, &'a str), Diagnostic> {
    let rest = text.strip_prefix("---\n").ok_or_else(|| {
        Diagnostic::new(path, "the file does not start with front matter")
            .at(1, None)
            .hint("begin the file with a line `---`, the fields (e.g. `title: …`), and another line `---`")
    })?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err(Diagnostic::new(path, "the front matter is not closed")
        .at(1, None)
        .hint("add a line `---` after the last front-matter field"))
}

/// Loads and checks the whole guide from `root` (the `content/` folder).
pub fn load(root: &Path) -> Result<Guide> {
    if !root.is_dir() {
        return Err(Diagnostic::new(root, "the content folder does not exist")
            .hint("run policybook from the project folder, or pass --content DIR")
            .into());
    }
    let mut p = Problems::default();
    let site: Option<SiteConfig> = p.take(load_yaml(&root.join("site.yaml")));
    if let Some(s) = &site {
        check_site(&root.join("site.yaml"), s, &mut p);
    }
    let topics: Option<Vec<Topic>> = p.take(load_yaml(&root.join("topics.yaml")));
    let glossary: Option<Vec<Term>> = p.take(load_yaml(&root.join("glossary.yaml")));
    let words = match crate::policy::load_words(&root.join("sensitive-words.yaml")) {
        Ok(words) => Some(words),
        Err(problems) => {
            problems.into_iter().for_each(|d| p.push(d));
            None
        }
    };
    let policy = match crate::policy::load(&root.join("policy.yaml")) {
        Ok(policy) => Some(policy),
        Err(problems) => {
            problems.into_iter().for_each(|d| p.push(d));
            None
        }
    };
    if let Some(g) = &glossary {
        check_glossary(&root.join("glossary.yaml"), g, &mut p);
    }

    let mut zh_q: BTreeMap<u32, (ZhQuestionMeta, String, PathBuf)> = BTreeMap::new();
    let mut en_q: BTreeMap<u32, (EnQuestionMeta, String, PathBuf)> = BTreeMap::new();
    let mut pages: BTreeMap<(&'static str, Lang), Text> = BTreeMap::new();
    // When a question file cannot be read, its number is unknown: checks across files
    // (translations, related items) would then report errors that are only echoes of it.
    let mut unreadable_questions = false;
    for lang in Lang::ALL {
        let dir = root.join(lang.code());
        if !dir.is_dir() {
            p.push(
                Diagnostic::new(&dir, format!("the {} content folder is missing", lang.english_name())).hint(format!(
                    "create {} with notice.md, annex.md and q/NN.md for each question",
                    dir.display()
                )),
            );
            continue;
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
            if entry.file_type().is_dir() {
                // Folders are walked into; one named like a content file is reported by its path.
                if classify(rel).is_some() && !is_ignorable(rel) {
                    p.push(not_a_file(path, entry.file_type()));
                    unreadable_questions |= matches!(classify(rel), Some(Slot::Question));
                }
                continue;
            }
            if !entry.file_type().is_file() {
                if !is_ignorable(rel) {
                    p.push(not_a_file(path, entry.file_type()));
                    unreadable_questions |= matches!(classify(rel), Some(Slot::Question));
                }
                continue;
            }
            let slot = match classify(rel) {
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
            let is_question = matches!(slot, Slot::Question);
            let Some(text) = p.take(read_text(path)) else {
                unreadable_questions |= is_question;
                continue;
            };
            let Some((fm, body)) = p.take(split_front_matter(path, &text)) else {
                unreadable_questions |= is_question;
                continue;
            };
            if body.trim().is_empty() {
                p.push(
                    Diagnostic::new(path, "the text after the front matter is empty")
                        .hint("write the item's text below the closing `---`"),
                );
                unreadable_questions |= is_question;
                continue;
            }
            if let Some(offset) = crate::markdown::too_deep(body) {
                let before = &text[..text.len() - body.len() + offset];
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
                unreadable_questions |= is_question;
                continue;
            }
            match slot {
                Slot::Question => match lang {
                    Lang::Zh => match p.take(parse_yaml::<ZhQuestionMeta>(path, fm, 1)) {
                        Some(meta) => insert_unique(
                            &mut zh_q,
                            meta.number,
                            (meta, body.to_string(), path.to_path_buf()),
                            &mut p,
                        ),
                        None => unreadable_questions = true,
                    },
                    Lang::En => match p.take(parse_yaml::<EnQuestionMeta>(path, fm, 1)) {
                        Some(meta) => insert_unique(
                            &mut en_q,
                            meta.number,
                            (meta, body.to_string(), path.to_path_buf()),
                            &mut p,
                        ),
                        None => unreadable_questions = true,
                    },
                },
                Slot::Notice | Slot::Annex => {
                    if let Some(meta) = p.take(parse_yaml::<PageMeta>(path, fm, 1)) {
                        let key = if matches!(slot, Slot::Notice) {
                            "notice"
                        } else {
                            "annex"
                        };
                        if lang == Lang::Zh && meta.source_hash.is_some() {
                            p.push(
                                Diagnostic::new(path, "`source_hash` belongs in the English file, not the Chinese one")
                                    .at(line_of(path, "source_hash:").unwrap_or(1), None)
                                    .hint(format!("move the line to content/en/{key}.md")),
                            );
                        }
                        pages.insert(
                            (key, lang),
                            Text {
                                title: meta.title,
                                markdown: body.to_string(),
                                source: path.to_path_buf(),
                                source_hash: meta.source_hash,
                            },
                        );
                    }
                }
            }
        }
    }

    // Pair the languages.
    let mut questions = Vec::new();
    for (n, (meta, body, path)) in &zh_q {
        let Some((en_meta, en_body, en_path)) = en_q.get(n) else {
            if unreadable_questions {
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
            if !zh_q.contains_key(r) && !unreadable_questions {
                p.push(
                    Diagnostic::new(path, format!("related item {r} does not exist"))
                        .at(line_of(path, "related:").unwrap_or(1), None)
                        .hint(format!(
                            "`related` lists question numbers; the guide has {} questions",
                            zh_q.len()
                        )),
                );
            } else if r == n {
                p.push(
                    Diagnostic::new(path, format!("question {n} lists itself as related"))
                        .at(line_of(path, "related:").unwrap_or(1), None)
                        .hint("remove its own number from `related`"),
                );
            }
        }
        if let Some(topics) = &topics {
            if !topics.iter().any(|t| t.id == meta.topic) {
                let ids: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
                p.push(
                    Diagnostic::new(path, format!("unknown topic `{}`", meta.topic))
                        .at(line_of(path, "topic:").unwrap_or(1), None)
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
                markdown: body.clone(),
                source: path.clone(),
                source_hash: None,
            },
            en: Text {
                title: en_meta.title.clone(),
                markdown: en_body.clone(),
                source: en_path.clone(),
                source_hash: en_meta.source_hash.clone(),
            },
        });
    }
    for (n, (_, _, path)) in &en_q {
        if !zh_q.contains_key(n) && !unreadable_questions {
            p.push(
                Diagnostic::new(
                    path,
                    format!("translation of question {n}, which has no Chinese original"),
                )
                .hint(format!("add content/zh/q/{n:02}.md, or correct `number` in this file")),
            );
        }
    }
    if let (Some(g), false) = (&glossary, unreadable_questions || zh_q.is_empty()) {
        let path = root.join("glossary.yaml");
        for t in g {
            for n in t.in_context.iter().flat_map(|c| &c.questions) {
                if !zh_q.contains_key(n) {
                    p.push(
                        Diagnostic::new(
                            &path,
                            format!(
                                "the term {} lists question {n} in `in_context`, which does not exist",
                                t.zh
                            ),
                        )
                        .at(line_of(&path, &format!("zh: {}", t.zh)).unwrap_or(1), None)
                        .hint(format!(
                            "`questions` lists question numbers; the guide has {} questions",
                            zh_q.len()
                        )),
                    );
                }
            }
        }
    }
    if zh_q.is_empty() && !unreadable_questions && root.join("zh").is_dir() {
        p.push(
            Diagnostic::new(root.join("zh/q"), "no questions found").hint("add the questions as content/zh/q/NN.md"),
        );
    }
    let mut pair = |key: &'static str| -> Option<Page> {
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
    };
    let notice = pair("notice");
    let annex = pair("annex");

    match (site, topics, glossary, policy, words) {
        (Some(site), Some(topics), Some(glossary), Some(policy), Some(words)) if p.0.is_empty() => Ok(Guide {
            root: root.to_path_buf(),
            site,
            topics,
            glossary,
            questions,
            notice,
            annex,
            policy,
            words,
        }),
        _ => Err(Error::Invalid(p.0)),
    }
}

fn load_yaml<T: DeserializeOwned>(path: &Path) -> std::result::Result<T, Diagnostic> {
    if std::fs::symlink_metadata(path).is_err() {
        return Err(Diagnostic::new(path, "the file is missing")
            .hint("every content folder needs site.yaml, topics.yaml, glossary.yaml, policy.yaml and sensitive-words.yaml; copy them from the policybook repository"));
    }
    let text = read_content(path)?;
    parse_yaml(path, &text, 0)
}

fn check_site(path: &Path, site: &SiteConfig, p: &mut Problems) {
    if !is_iso_date(&site.document.date) {
        p.push(
            Diagnostic::new(path, format!("document.date `{}` is not a date", site.document.date))
                .at(line_of(path, "date:").unwrap_or(1), None)
                .hint("write the date as YYYY-MM-DD"),
        );
    }
    if let Some(url) = &site.base_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) || !url.ends_with('/') {
            p.push(
                Diagnostic::new(
                    path,
                    format!("base_url `{url}` is not an absolute address ending in `/`"),
                )
                .at(line_of(path, "base_url:").unwrap_or(1), None)
                .hint("write it like https://example.gov.cn/guide/ or remove the line"),
            );
        }
    }
    if site.theme.is_empty() || site.theme.contains(['/', '\\']) || site.theme.starts_with('.') {
        p.push(
            Diagnostic::new(path, format!("theme `{}` is not a folder name", site.theme))
                .at(line_of(path, "theme:").unwrap_or(1), None)
                .hint("name a folder under themes/, e.g. `theme: default`"),
        );
    }
}

fn check_glossary(path: &Path, terms: &[Term], p: &mut Problems) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, t) in terms.iter().enumerate() {
        if t.zh.trim().is_empty() || t.en.trim().is_empty() {
            p.push(
                Diagnostic::new(path, format!("glossary entry {} has an empty term", i + 1))
                    .hint("every entry needs both `zh` and `en`"),
            );
        }
        if let Some(first) = seen.insert(t.zh.as_str(), i) {
            p.push(
                Diagnostic::new(
                    path,
                    format!(
                        "the term {} is listed twice (entries {} and {})",
                        t.zh,
                        first + 1,
                        i + 1
                    ),
                )
                .at(line_of(path, &format!("zh: {}", t.zh)).unwrap_or(1), None)
                .hint("keep one entry per Chinese term: one English rendering each"),
            );
        }
    }
}

fn insert_unique<M>(map: &mut BTreeMap<u32, (M, String, PathBuf)>, n: u32, v: (M, String, PathBuf), p: &mut Problems) {
    if let Some((_, _, first)) = map.get(&n) {
        p.push(
            Diagnostic::new(
                &v.2,
                format!("question number {n} is already used by {}", first.display()),
            )
            .at(line_of(&v.2, "number:").unwrap_or(1), None)
            .hint("give each question its own number"),
        );
        return;
    }
    map.insert(n, v);
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

/// The 1-based line of the first line starting with `prefix` in a file (for pointing at a field).
pub fn line_of(path: &Path, prefix: &str) -> Option<usize> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .map(|i| i + 1)
}
