//! `policybook validate`: every check the build makes — content, policy data, theme, links —
//! without writing anything, plus lints a careful editor wants before publishing:
//!
//! - a translation older than its Chinese source (`source_hash`, see [`crate::freshness`]);
//! - a glossary term the translation renders differently ([`crate::lint::glossary_misses`]);
//! - policy data whose source is still a placeholder (an empty source is already an error);
//! - no monitoring line entered for the current year ("the 2027 line has not been entered; the
//!   2026 line is shown", from the engine's `LineChoice::stale`).
//!
//! Each finding points at file:line:column and is shown with the offending source line, rendered
//! by `annotate-snippets`; `--format json` gives the same findings to scripts. Errors would stop
//! the build (exit status 1); warnings alone do not (exit status 0).

use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use serde::Serialize;

use crate::content::Guide;
use crate::error::Diagnostic;
use crate::site::{self, BuildOptions};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build would fail.
    Error,
    /// The build would succeed, but something needs a look.
    Warning,
}

/// One problem, with where it is and what to do: a [`Diagnostic`] with how bad it is, which
/// check found it and the offending source line.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of check found it: `content`, `policy`, `theme`, `io`, `link`,
    /// `translation-outdated`, `translation-unrecorded`, `glossary`, `policy-source`,
    /// `line-not-entered`.
    pub kind: &'static str,
    /// Where (the file as given on the command line, joined with the content path), what is
    /// wrong and what to do.
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    /// The offending line of the file, when there is one.
    pub snippet: Option<String>,
    /// How many characters from `column` the problem spans (for the underline).
    #[serde(skip)]
    pub width: Option<usize>,
}

/// Everything `validate` found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `true` when there are no errors (warnings allowed).
    pub ok: bool,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Pages the build would write; `None` when the content did not render.
    pub pages: Option<usize>,
    /// The findings, errors first, each group in file order: at most
    /// [`crate::error::MAX_LISTED`] of them.
    pub findings: Vec<Finding>,
    /// How many more findings there are than listed.
    pub omitted: usize,
}

/// Output format of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Readable, with source snippets.
    Text,
    /// One JSON object (see [`Report`]).
    Json,
}

impl Finding {
    fn new(severity: Severity, kind: &'static str, file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Finding::wrap(
            severity,
            kind,
            Diagnostic {
                path: file.into(),
                line: None,
                column: None,
                message: message.into(),
                hint: None,
            },
        )
    }

    fn wrap(severity: Severity, kind: &'static str, diagnostic: Diagnostic) -> Self {
        let snippet = diagnostic.line.and_then(|l| source_line(&diagnostic.path, l));
        Finding {
            severity,
            kind,
            diagnostic,
            snippet,
            width: None,
        }
    }

    fn at(mut self, line: Option<usize>, column: Option<usize>, width: Option<usize>) -> Self {
        self.diagnostic.line = line;
        self.diagnostic.column = column;
        self.width = width;
        self.snippet = line.and_then(|l| source_line(&self.diagnostic.path, l));
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.diagnostic.hint = Some(hint.into());
        self
    }

    /// The same finding with its snippet taken from `text` (a file's text not yet written).
    pub(crate) fn with_snippet_from(mut self, text: &str) -> Self {
        self.snippet = self
            .diagnostic
            .line
            .and_then(|l| text.lines().nth(l.checked_sub(1)?))
            .map(str::to_string);
        self
    }

    /// A problem the build would stop at, as a finding of the kind of file it is in.
    pub(crate) fn from_diagnostic(d: &Diagnostic, theme_dir: Option<&Path>) -> Self {
        let kind = if d.path.file_name().is_some_and(|n| n == "policy.yaml") {
            "policy"
        } else if d.path.starts_with("(built-in theme)")
            || d.path.starts_with("templates")
            || theme_dir.is_some_and(|t| d.path.starts_with(t))
        {
            "theme"
        } else {
            "content"
        };
        Finding::wrap(Severity::Error, kind, d.clone())
    }
}

/// Runs every check on `opts.content` (and its theme) without writing anything.
pub fn validate(opts: &BuildOptions) -> Report {
    let mut findings = Vec::new();
    let mut pages = None;
    match site::render_unchecked(opts) {
        Err(e) if !e.diagnostics().is_empty() => {
            let theme_dir = opts.content.parent().unwrap_or(Path::new(".")).join("themes");
            findings.extend(
                e.diagnostics()
                    .iter()
                    .map(|d| Finding::from_diagnostic(d, Some(&theme_dir))),
            );
        }
        Err(e) => findings.extend(
            e.problems()
                .into_iter()
                .map(|d| Finding::wrap(Severity::Error, "io", d)),
        ),
        Ok(rendered) => {
            pages = Some(rendered.files.keys().filter(|k| k.ends_with(".html")).count());
            findings.extend(link_findings(
                &rendered.guide,
                &rendered.theme_dir,
                crate::links::check(&rendered.files, rendered.guide.site.base_url.as_deref()),
            ));
            findings.extend(lints(&rendered.guide, crate::clock::today()));
        }
    }
    findings.sort_by_key(|f| f.severity != Severity::Error);
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    let omitted = findings.len().saturating_sub(crate::error::MAX_LISTED);
    findings.truncate(crate::error::MAX_LISTED);
    Report {
        ok: errors == 0,
        errors,
        warnings,
        pages,
        findings,
        omitted,
    }
}

/// The lints on a guide that loads and renders: translations, glossary, policy sources, the
/// line for `today`'s year.
pub fn lints(guide: &Guide, today: policybook_engine::rules::Date) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in crate::freshness::check(guide) {
        let zh = s.zh.display();
        let f = match &s.recorded {
            Some(recorded) => {
                let (line, col, width) = field_position(&s.en, "source_hash:", recorded);
                Finding::new(
                    Severity::Warning,
                    "translation-outdated",
                    &s.en,
                    format!("the Chinese text {zh} changed after this translation was last brought up to date"),
                )
                .at(line, col, width)
                .hint(format!(
                    "update the English to match {zh}, then set `source_hash: {}` (the hash of the Chinese text now)",
                    s.current
                ))
            }
            None => {
                let (line, col, width) = field_position(&s.en, "title:", "");
                Finding::new(
                    Severity::Warning,
                    "translation-unrecorded",
                    &s.en,
                    format!("the translation does not record which version of {zh} it translates"),
                )
                .at(line, col, width)
                .hint(format!(
                    "check the English against {zh}, then add the line `source_hash: {}` to its front matter",
                    s.current
                ))
            }
        };
        out.push(f);
    }
    for m in crate::lint::glossary_misses(guide) {
        let (line, col) = crate::links::find_in_file(&m.zh.source, &m.term.zh).unzip();
        out.push(
            Finding::new(
                Severity::Warning,
                "glossary",
                &m.zh.source,
                format!(
                    "{} is rendered inconsistently: the translation {} lacks “{}”, its rendering in the glossary",
                    m.term.zh,
                    m.en.source.display(),
                    m.term.en
                ),
            )
            .at(line, col, Some(m.term.zh.chars().count()))
            .hint(format!(
                "use “{}” in {} (content/glossary.yaml), or add the grammatical form used there to the term's `forms`",
                m.term.en,
                m.en.source.display()
            )),
        );
    }
    // Both read policy.yaml's text for line numbers: once.
    let policy_path = guide.root.join("policy.yaml");
    let policy_text = crate::source::read_text(&policy_path).unwrap_or_default();
    out.extend(policy_lints(guide, today, &policy_path, &policy_text));
    out.extend(citation_lints(guide, &policy_path, &policy_text));
    out
}

/// The guide's words that the rules and the policy's time limits cite, checked against this
/// content's questions when the content is the document the rules were written for
/// ([`provisions::EDITION`](policybook_engine::rules::provisions::EDITION)): a cited question
/// that is missing, or whose text no longer has the words (an edited question), would send a
/// reader to the wrong place, so each is an error. Content of another document (a test fixture,
/// a draft of another guide) cannot hold these quotes, and is not checked.
fn citation_lints(guide: &Guide, path: &Path, text: &str) -> Vec<Finding> {
    if guide.site.document.number != policybook_engine::rules::provisions::EDITION {
        return Vec::new();
    }
    let texts: std::collections::BTreeMap<u8, String> = guide
        .questions
        .iter()
        .filter_map(|q| Some((u8::try_from(q.number).ok()?, q.zh.markdown.clone())))
        .collect();
    let mut out: Vec<Finding> = guide
        .policy
        .check_citations(&texts)
        .iter()
        .map(|e| {
            let f = Finding::new(Severity::Error, "citation", path, format!("{}: {}", e.field, e.en))
                .hint("cite the question whose answer holds these words, and quote them as the guide has them");
            match crate::source::locate(text, &e.field) {
                Some(line) => f.at(Some(line), None, None),
                None => f,
            }
        })
        .collect();
    for p in policybook_engine::rules::provisions::not_in_guide(&texts) {
        let at = guide
            .questions
            .iter()
            .find(|q| u32::from(p.question) == q.number)
            .map_or_else(|| guide.root.join("zh/q"), |q| q.zh.source.clone());
        out.push(
            Finding::new(
                Severity::Error,
                "citation",
                at,
                format!(
                    "the self-check's rules cite question {} for the words “{}”, which this content does not have",
                    p.question, p.quote
                ),
            )
            .hint(
                "restore the official wording of the question (the Chinese text is the official text, word for word)",
            ),
        );
    }
    out
}

/// Words that mark a source as not filled in yet (the example in policy.yaml uses `〔2024〕N号`).
const PLACEHOLDERS: [&str; 7] = ["〕N号", "TODO", "TBD", "XXX", "待补充", "待定", "待填"];

fn policy_lints(guide: &Guide, today: policybook_engine::rules::Date, path: &Path, text: &str) -> Vec<Finding> {
    let policy = &guide.policy;
    let mut out = Vec::new();
    let mut sources: Vec<(String, &str)> = policy
        .monitoring_lines
        .iter()
        .enumerate()
        .flat_map(|(i, l)| {
            let zh = l
                .source_zh
                .as_deref()
                .map(|s| (format!("monitoring_lines[{i}].source_zh"), s));
            std::iter::once((format!("monitoring_lines[{i}].source"), l.source.as_str())).chain(zh)
        })
        .collect();
    sources.push(("rural_average.source".into(), policy.rural_average.source.as_str()));
    for (field, source) in sources {
        let Some(word) = PLACEHOLDERS.iter().find(|w| source.contains(**w)) else {
            continue;
        };
        let from = crate::source::locate(text, &field).unwrap_or(1);
        let (line, col) = crate::links::find_from(text, from, word).unzip();
        out.push(
            Finding::new(
                Severity::Warning,
                "policy-source",
                path,
                format!("{field}: the source still contains the placeholder `{word}`"),
            )
            .at(line.or(Some(from)), col, Some(word.chars().count()))
            .hint("write the announcing document's number and date, e.g. 鲁乡振字〔2027〕5号, 2027-03-15, so that anyone can look the figure up"),
        );
    }
    if let Ok(choice) = policy.line_for(None, today) {
        if choice.stale {
            let last = policy.monitoring_lines.len().saturating_sub(1);
            let line = crate::source::locate(text, &format!("monitoring_lines[{last}]"));
            let source = line.and_then(|l| text.lines().nth(l - 1)).unwrap_or_default();
            let indent = source.chars().count() - source.trim_start().chars().count();
            let width = source.trim().chars().count();
            out.push(
                Finding::new(
                    Severity::Warning,
                    "line-not-entered",
                    path,
                    format!(
                        "the {} line has not been entered; the {} line is shown",
                        choice.today_year, choice.entry.year
                    ),
                )
                .at(line, line.map(|_| indent + 1), Some(width))
                .hint(format!(
                    "when the province announces the {} line (normally in the first quarter, Q10), add one entry at the end of monitoring_lines — see the comment at the top of policy.yaml — then run `policybook validate` and `policybook build`",
                    choice.today_year
                )),
            );
        }
    }
    out
}

/// One error per broken link target, naming every page that has it (a link written once in the
/// content appears on the item's page and in the print edition), at the file and line it was
/// written in.
fn link_findings(guide: &Guide, theme_dir: &Path, broken: Vec<crate::links::BrokenLink>) -> Vec<Finding> {
    crate::links::group(broken)
        .into_iter()
        .map(
            |group| match crate::links::locate(&guide.root, theme_dir, &group.target) {
                Some(at) => Finding::new(Severity::Error, "link", at.file, group.message())
                    .at(Some(at.line), Some(at.column), Some(at.width))
                    .hint(crate::links::HINT_WRITTEN),
                None => {
                    Finding::new(Severity::Error, "link", theme_dir, group.message()).hint(crate::links::HINT_TEMPLATE)
                }
            },
        )
        .collect()
}

/// The line, column and width of a front-matter field's value (`source_hash: abc` → `abc`), or
/// of the field's name when `value` is empty.
fn field_position(path: &Path, key: &str, value: &str) -> (Option<usize>, Option<usize>, Option<usize>) {
    let Some(text) = std::fs::read(path)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).replace("\r\n", "\n"))
    else {
        return (None, None, None);
    };
    for (i, l) in text.lines().enumerate() {
        if l.trim_start().starts_with(key) {
            if !value.is_empty() {
                if let Some(byte) = l.find(value) {
                    return (
                        Some(i + 1),
                        Some(l[..byte].chars().count() + 1),
                        Some(value.chars().count()),
                    );
                }
            }
            let indent = l.chars().count() - l.trim_start().chars().count();
            return (
                Some(i + 1),
                Some(indent + 1),
                Some(key.trim_end_matches(':').chars().count()),
            );
        }
    }
    (None, None, None)
}

/// Line `line` (1-based) of a file, lossily decoded, without its line break.
fn source_line(path: &Path, line: usize) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes).replace("\r\n", "\n");
    text.lines().nth(line.checked_sub(1)?).map(str::to_string)
}

/// The byte range of the underline in `snippet`: from `column` over `width` characters, or to
/// the end of the word at `column`, or the whole line without its indentation.
fn span(snippet: &str, column: Option<usize>, width: Option<usize>) -> Range<usize> {
    let byte_at = |chars: usize| snippet.char_indices().nth(chars).map_or(snippet.len(), |(b, _)| b);
    match column {
        Some(c) if c >= 1 => {
            let start = byte_at(c - 1);
            let end = match width {
                Some(w) => byte_at(c - 1 + w),
                None => snippet[start..]
                    .find(char::is_whitespace)
                    .map_or(snippet.len(), |e| start + e),
            };
            start..end.max(start)
        }
        _ => {
            let start = snippet.len() - snippet.trim_start().len();
            start..snippet.trim_end().len().max(start)
        }
    }
}

/// The report as text: each finding with its source line, then a summary line.
pub fn render_text(report: &Report, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for f in &report.findings {
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let d = &f.diagnostic;
        let path = d.path.display().to_string();
        let title = level.primary_title(d.message.as_str()).id(f.kind);
        let mut group = match (&f.snippet, d.line) {
            (Some(snippet), Some(line)) => title.element(
                Snippet::source(snippet.as_str())
                    .line_start(line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span(snippet, d.column, f.width))),
            ),
            (_, line) => {
                let mut origin = Origin::path(path.as_str());
                if let Some(l) = line {
                    origin = origin.line(l);
                    if let Some(c) = d.column {
                        origin = origin.char_column(c);
                    }
                }
                title.element(origin)
            }
        };
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    if report.omitted > 0 {
        out.push_str(&format!(
            "… and {} more problems not shown\n\n",
            crate::error::group_digits(report.omitted)
        ));
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn summary(report: &Report) -> String {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (report.errors, report.warnings, report.pages) {
        (0, 0, Some(pages)) => format!("valid: {pages} pages would be built; no problems found"),
        (0, w, Some(pages)) => format!(
            "valid: {pages} pages would be built; {} to look at",
            count(w, "warning")
        ),
        (e, w, _) => format!(
            "{}, {}: the build would fail; fix the errors, then run policybook validate again",
            count(e, "error"),
            count(w, "warning")
        ),
    }
}

/// `policybook validate`: prints the report; exit status 0 without errors, 1 with errors.
pub fn run(content: PathBuf, format: Format) -> ExitCode {
    let report = validate(&BuildOptions {
        content,
        out: PathBuf::from("site"),
        themes: None,
    });
    let text = match format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report).unwrap_or_default()),
        Format::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render_text(&report, color)
        }
    };
    {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    }
    if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_follow_columns_in_characters() {
        let line = "title: 省定防止返贫监测线 here";
        assert_eq!(&line[span(line, Some(8), Some(10))], "省定防止返贫监测线 ");
        assert_eq!(&line[span(line, Some(8), None)], "省定防止返贫监测线");
        let item = "  - year: 2023";
        assert_eq!(&item[span(item, None, None)], "- year: 2023");
        assert_eq!(span("abc", Some(9), None), 3..3);
    }
}
