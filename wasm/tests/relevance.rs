//! The relevance set: `tests/relevance/queries.yaml` run against indexes built straight from
//! `content/{zh,en}/q/*.md` (and the notice and 附则 where present, as non-question pages).
//!
//! Prints every miss with the top three results it got instead, the hit rate per language, and
//! the serialised index size, load time and query time per language (run with
//! `cargo test -p policybook-engine --test relevance -- --nocapture` to see them).
//! Fails if any of the 42 items is missing in a language or the hit rate is below 95%.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use policybook_engine::search::{Document, Index, IndexBuilder};
use serde::Deserialize;

const ITEMS: u32 = 42;
const REQUIRED_HIT_RATE: f64 = 0.95;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    q: String,
    lang: String,
    expect: Vec<u32>,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the engine crate lives in a subdirectory of the repository")
        .to_path_buf()
}

/// Splits `---\nfront matter\n---\nbody`; returns (front matter, body).
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---")?.trim_start_matches(['\r', ' ']);
    let rest = rest.strip_prefix('\n')?;
    let end = rest.find("\n---")?;
    let front = &rest[..end];
    let after = &rest[end + 4..];
    let body = after.find('\n').map_or("", |i| &after[i + 1..]);
    Some((front, body))
}

fn field(front: &str, key: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
            .unwrap_or(value);
        Some(value.to_string())
    })
}

/// Markdown to plain text, enough for this content: emphasis, headings, links, list and quote
/// markers, inline code and HTML tags go; paragraphs stay separated by blank lines.
fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let mut l = line.trim_start();
        l = l.trim_start_matches('#').trim_start();
        l = l.strip_prefix("> ").unwrap_or(l);
        for marker in ["- ", "* ", "+ "] {
            l = l.strip_prefix(marker).unwrap_or(l);
        }
        let mut chars = l.chars().peekable();
        let mut in_tag = false;
        while let Some(c) = chars.next() {
            match c {
                '<' if chars.peek().is_some_and(|n| n.is_ascii_alphabetic() || *n == '/') => {
                    in_tag = true;
                }
                '>' if in_tag => in_tag = false,
                _ if in_tag => {}
                '*' | '_' | '`' => {}
                '[' => {}
                ']' if chars.peek() == Some(&'(') => {
                    for n in chars.by_ref() {
                        if n == ')' {
                            break;
                        }
                    }
                }
                ']' => {}
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    out.trim().to_string()
}

fn read_page(path: &Path, lang: &str, number: Option<u32>) -> Document {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (front, body) = split_front_matter(&text)
        .unwrap_or_else(|| panic!("{}: no front matter (did you forget the `---` lines?)", path.display()));
    let title = field(front, "title").unwrap_or_else(|| panic!("{}: no `title:` in the front matter", path.display()));
    if let Some(n) = number {
        let declared = field(front, "number").and_then(|v| v.parse::<u32>().ok());
        assert_eq!(
            declared,
            Some(n),
            "{}: `number:` does not match the file name",
            path.display()
        );
    }
    let url = match number {
        Some(n) => format!("/{lang}/q/{n}/"),
        None => format!(
            "/{lang}/{}/",
            path.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
        ),
    };
    Document {
        url,
        number,
        title,
        body: plain_text(body),
        lang: lang.to_string(),
    }
}

fn build(lang: &str) -> (Index, usize) {
    let dir = repo().join("content").join(lang);
    let missing: Vec<String> = (1..=ITEMS)
        .map(|n| dir.join("q").join(format!("{n:02}.md")))
        .filter(|p| !p.is_file())
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "the relevance set needs every item in `{lang}`; missing:\n  {}",
        missing.join("\n  ")
    );
    let mut builder = IndexBuilder::new();
    let mut text_bytes = 0;
    for n in 1..=ITEMS {
        let doc = read_page(&dir.join("q").join(format!("{n:02}.md")), lang, Some(n));
        text_bytes += doc.title.len() + doc.body.len();
        builder.add(doc);
    }
    for page in ["notice", "annex"] {
        let path = dir.join(format!("{page}.md"));
        if path.is_file() {
            let doc = read_page(&path, lang, None);
            text_bytes += doc.title.len() + doc.body.len();
            builder.add(doc);
        }
    }
    (builder.build(), text_bytes)
}

#[test]
fn relevance_set_passes() {
    let path = repo().join("tests").join("relevance").join("queries.yaml");
    let yaml = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let cases: Vec<Case> = serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(cases.len() >= 40, "the relevance set needs at least 40 queries");

    let mut total_hits = 0;
    let mut total = 0;
    for lang in ["zh", "en"] {
        let (built, text_bytes) = build(lang);
        let json = built.to_json().expect("serialise the index");
        let started = Instant::now();
        let index = Index::from_json(&json).expect("read the index back");
        let load = started.elapsed();
        eprintln!(
            "search index [{lang}]: {} documents, {} bytes of text, serialised index {} bytes ({:.1} KiB), {} terms after load, load {:.2} ms",
            index.len(),
            text_bytes,
            json.len(),
            json.len() as f64 / 1024.0,
            index.term_count(),
            load.as_secs_f64() * 1000.0
        );

        let cases: Vec<&Case> = cases.iter().filter(|c| c.lang == lang).collect();
        let mut hits = 0;
        let started = Instant::now();
        for case in &cases {
            let results = index.query(&case.q, 3);
            let found = results
                .iter()
                .any(|h| h.number.is_some_and(|n| case.expect.contains(&n)));
            if found {
                hits += 1;
            } else {
                let got: Vec<String> = results
                    .iter()
                    .map(|h| match h.number {
                        Some(n) => format!("{n} ({:.2})", h.score),
                        None => format!("{} ({:.2})", h.url, h.score),
                    })
                    .collect();
                eprintln!(
                    "MISS [{lang}] {:?}: expected one of {:?} in the top 3, got [{}]",
                    case.q,
                    case.expect,
                    got.join(", ")
                );
            }
        }
        let per_query = started.elapsed().as_secs_f64() * 1000.0 / cases.len().max(1) as f64;
        eprintln!(
            "relevance [{lang}]: {hits}/{} in the top 3 ({:.1}%), {per_query:.3} ms per query",
            cases.len(),
            100.0 * hits as f64 / cases.len().max(1) as f64
        );
        total_hits += hits;
        total += cases.len();
    }
    let rate = total_hits as f64 / total.max(1) as f64;
    eprintln!("relevance: {total_hits}/{total} ({:.1}%)", 100.0 * rate);
    assert!(
        rate >= REQUIRED_HIT_RATE,
        "relevance {:.1}% is below {:.0}%; see the MISS lines above",
        100.0 * rate,
        100.0 * REQUIRED_HIT_RATE
    );
}
