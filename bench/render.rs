//! Criterion benchmarks of the build tool's hot paths on the guide: Markdown to HTML (every
//! question in both languages) and the whole render in memory (load, templates, search index,
//! link check; no writing), which is what the handbook build time is made of.
//!
//! `cargo bench --bench render` (compile only: `cargo bench --no-run`). Not part of tests/run.sh.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policybook::site::{render_site, BuildOptions};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench_markdown(c: &mut Criterion) {
    // The bodies as the build reads them (front matter removed): every question, Chinese first.
    let guide = policybook::content::load(&repo().join("content")).expect("the guide loads");
    let zh = guide.questions.iter().map(|q| &q.zh.markdown);
    let texts: Vec<&String> = zh.chain(guide.questions.iter().map(|q| &q.en.markdown)).collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut group = c.benchmark_group("markdown");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("to_html_guide", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(policybook::markdown::to_html(black_box(t)));
            }
        })
    });
    group.bench_function("to_plain_text_guide", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(policybook::markdown::to_plain_text(black_box(t)));
            }
        })
    });
    group.finish();
}

fn bench_render(c: &mut Criterion) {
    let opts = BuildOptions {
        content: repo().join("content"),
        out: repo().join("target/bench/unused-out"),
        themes: None,
    };
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function("render_site_guide", |b| {
        b.iter(|| render_site(black_box(&opts)).expect("the guide renders"))
    });
    // Parts of it: minify-html over every page as rendered (the pages come out minified; running
    // it again costs about what the first pass costs), and parsing the theme's templates.
    let (_, files) = render_site(&opts).expect("the guide renders");
    let pages: Vec<&Vec<u8>> = files
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| v)
        .collect();
    group.bench_function("minify_pages_guide", |b| {
        b.iter(|| {
            for page in &pages {
                black_box(policybook::minify::page(black_box(page)));
            }
        })
    });
    let templates: Vec<(String, String)> = std::fs::read_dir(repo().join("themes/default/templates"))
        .expect("the theme's templates")
        .flatten()
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(e.path()).expect("a template is text"))
        })
        .collect();
    group.bench_function("parse_templates", |b| {
        b.iter(|| {
            for (name, text) in &templates {
                black_box(tera::Template::new(name, None, text).expect("the template parses"));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_markdown, bench_render);
criterion_main!(benches);
