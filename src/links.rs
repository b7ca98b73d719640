//! Link checking over the rendered site: every internal `href` and `src` must resolve to a file
//! of the site (a folder resolves to its `index.html`), every `#fragment` to an `id` in that
//! file, and no page may refer to another origin. Runs on every build, before anything is written.
//! An absolute address under the site's own `base_url` (canonical and hreflang links) is the
//! site itself: it is checked like a link from the root, so it must name a page that exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What to do about a broken link found in a content file or template.
pub const HINT_WRITTEN: &str = "correct the link: every internal link must lead to a page of the site (ending in index.html) and nothing may refer to another origin";
/// What to do about a broken link whose source was not found.
pub const HINT_TEMPLATE: &str = "a template builds this link; correct it in the theme (or the content it comes from)";

/// One broken reference: the page it is on, the attribute value and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page, relative to the site root.
    pub page: String,
    /// The `href` or `src` value as written.
    pub target: String,
    /// What is wrong with it.
    pub problem: &'static str,
}

/// Checks every HTML page in `files` (relative path → bytes) of a site published at `base_url`.
pub fn check(files: &BTreeMap<String, Vec<u8>>, base_url: Option<&str>) -> Vec<BrokenLink> {
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in files {
        if path.ends_with(".html") {
            ids.insert(
                path,
                attribute_values(&String::from_utf8_lossy(bytes), "id")
                    .into_iter()
                    .collect(),
            );
        }
    }
    let mut broken = Vec::new();
    for (page, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for target in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            let own = base_url
                .and_then(|base| target.strip_prefix(base))
                .map(|rest| format!("/{rest}"));
            if let Some(problem) = check_one(files, &ids, page, own.as_deref().unwrap_or(&target)) {
                broken.push(BrokenLink {
                    page: page.clone(),
                    target,
                    problem,
                });
            }
        }
    }
    broken
}

/// The broken links to one target: every page that has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The `href` or `src` value as written.
    pub target: String,
    /// What is wrong with it.
    pub problem: &'static str,
    /// The pages it is on, in site order.
    pub pages: Vec<String>,
}

impl Group {
    /// `page zh/q/3/index.html links to `x`: no such file in the site (also …)`.
    pub fn message(&self) -> String {
        let mut message = format!("page {} links to `{}`: {}", self.pages[0], self.target, self.problem);
        if self.pages.len() > 1 {
            message.push_str(&format!(" (also {})", self.pages[1..].join(", ")));
        }
        message
    }
}

/// One group per broken target (a link written once in the content appears on the item's page
/// and in the print edition).
pub fn group(broken: Vec<BrokenLink>) -> Vec<Group> {
    let mut grouped: BTreeMap<(String, &'static str), Vec<String>> = BTreeMap::new();
    for b in broken {
        grouped.entry((b.target, b.problem)).or_default().push(b.page);
    }
    grouped
        .into_iter()
        .map(|((target, problem), pages)| Group { target, problem, pages })
        .collect()
}

/// Where a link was written: a content file or a template, 1-based line and column, and the
/// width of the text found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The Markdown file or template.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Characters of the link found there.
    pub width: usize,
}

fn check_one(
    files: &BTreeMap<String, Vec<u8>>,
    ids: &BTreeMap<&str, BTreeSet<String>>,
    page: &str,
    target: &str,
) -> Option<&'static str> {
    if target.starts_with("data:") {
        return None;
    }
    let lower = target.to_ascii_lowercase();
    if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//") {
        return Some("refers to another origin; the site must be self-contained");
    }
    if lower.starts_with("javascript:") {
        return Some("javascript: links are not allowed");
    }
    if lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return None;
    }
    let (path_part, fragment) = match target.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (target, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let resolved = if path_part.is_empty() {
        Some(page.to_string())
    } else {
        resolve(page, path_part).and_then(|p| {
            if files.contains_key(&p) {
                Some(p)
            } else {
                let index = if p.is_empty() {
                    "index.html".to_string()
                } else {
                    format!("{}/index.html", p.trim_end_matches('/'))
                };
                files.contains_key(&index).then_some(index)
            }
        })
    };
    let Some(resolved) = resolved else {
        return Some("no such file in the site");
    };
    match fragment {
        Some(f) if !f.is_empty() => {
            let known = ids.get(resolved.as_str()).is_some_and(|set| set.contains(f));
            (!known).then_some("no element with this id on the target page")
        }
        _ => None,
    }
}

/// Resolves `target` relative to the folder of `page`; `None` when it climbs above the root.
fn resolve(page: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').collect();
        p.pop();
        p
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Where a broken link comes from: the first content file or theme template that contains the
/// target, or its tail without the leading `../` (templates write `{{ root }}zh/…`).
pub fn locate(content: &Path, theme_dir: &Path, target: &str) -> Option<Source> {
    let mut candidates = vec![target.to_string()];
    let mut tail = target;
    while let Some(rest) = tail.strip_prefix("../").or_else(|| tail.strip_prefix("./")) {
        tail = rest;
    }
    let mut segments: Vec<&str> = tail.split('/').collect();
    while segments.len() >= 2 && segments.iter().any(|s| !s.is_empty() && *s != "index.html") {
        candidates.push(segments.join("/"));
        segments.remove(0);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for lang in crate::Lang::ALL {
        let dir = content.join(lang.code());
        files.extend(
            walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
                .map(|e| e.into_path()),
        );
    }
    files.extend(
        walkdir::WalkDir::new(theme_dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| e.into_path()),
    );
    for candidate in candidates.iter().filter(|c| !c.is_empty()) {
        for file in &files {
            if let Some((line, col)) = find_in_file(file, candidate) {
                return Some(Source {
                    file: file.clone(),
                    line,
                    column: col,
                    width: candidate.chars().count(),
                });
            }
        }
    }
    None
}

/// The 1-based line and column of the first `needle` in a file.
pub fn find_in_file(path: &Path, needle: &str) -> Option<(usize, usize)> {
    let text = std::fs::read(path).ok()?;
    find_from(&String::from_utf8_lossy(&text).replace("\r\n", "\n"), 1, needle)
}

/// The 1-based line and column of the first `needle` on or after line `from`.
pub fn find_from(text: &str, from: usize, needle: &str) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, l)| l.find(needle).map(|byte| (i + 1, l[..byte].chars().count() + 1)))
}

/// The values of every `name=` attribute of every tag in `html`, quoted or not, with `&amp;`
/// decoded. Text between tags is skipped, so escaped markup in content (`&lt;img src=x&gt;`) is
/// never mistaken for a link.
pub fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        if rest.starts_with("!--") {
            rest = rest.find("-->").map_or("", |e| &rest[e + 3..]);
            continue;
        }
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let tag_name_end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let tag_name = rest[..tag_name_end].to_ascii_lowercase();
        let mut attrs = &rest[tag_name_end..];
        // Attributes up to the closing `>`.
        loop {
            attrs = attrs.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
            if attrs.is_empty() || attrs.starts_with('>') {
                break;
            }
            let key_end = attrs
                .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '>')
                .unwrap_or(attrs.len());
            let key = &attrs[..key_end];
            attrs = &attrs[key_end..];
            let mut value = None;
            if let Some(after) = attrs.strip_prefix('=') {
                let (v, remaining) = match after.chars().next() {
                    Some(q @ ('"' | '\'')) => {
                        let body = &after[1..];
                        let end = body.find(q).unwrap_or(body.len());
                        (&body[..end], body.get(end + 1..).unwrap_or(""))
                    }
                    _ => {
                        let end = after
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .unwrap_or(after.len());
                        (&after[..end], &after[end..])
                    }
                };
                value = Some(v);
                attrs = remaining;
            }
            if key.eq_ignore_ascii_case(name) {
                if let Some(v) = value {
                    out.push(v.replace("&amp;", "&"));
                }
            }
        }
        rest = attrs.strip_prefix('>').unwrap_or(attrs);
        // The contents of script and style elements are not markup.
        if tag_name == "script" || tag_name == "style" {
            let close = format!("</{tag_name}");
            rest = rest.find(&close).map_or("", |e| &rest[e..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_text_from_a_line_on() {
        let text = "a: 1\nsource: x\n  鲁乡振字〔2024〕N号\n";
        assert_eq!(find_from(text, 2, "〕N号"), Some((3, 12)));
        assert_eq!(find_from(text, 4, "〕N号"), None);
    }
}
