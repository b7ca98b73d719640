//! Link checking over the rendered site: every internal `href` and `src` must resolve to a file
//! of the site (a folder resolves to its `index.html`), every `#fragment` to an `id` in that
//! file, and no page may refer to another origin. Runs on every build, before anything is written.

use std::collections::{BTreeMap, BTreeSet};

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

/// Checks every HTML page in `files` (relative path → bytes).
pub fn check(files: &BTreeMap<String, Vec<u8>>) -> Vec<BrokenLink> {
    check_site(files, None)
}

/// [`check`] for a site published at `base_url` (`site.yaml`): an absolute address under it is
/// the site itself (the canonical and hreflang links), checked as a path from the site's root.
pub fn check_site(files: &BTreeMap<String, Vec<u8>>, base_url: Option<&str>) -> Vec<BrokenLink> {
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
                .and_then(|b| target.strip_prefix(b))
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
