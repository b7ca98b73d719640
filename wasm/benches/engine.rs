//! Criterion benchmarks of the engine's hot paths, on the guide itself: the tokenizer, building
//! the search index, a query (ranking, snippets and the JSON the page receives), reading an index
//! back (what the page does once per language), and the self-check's rule evaluation.
//!
//! `cargo bench -p policybook-engine --bench engine` (compile only: `cargo bench --no-run`).
//! Not part of tests/run.sh; bench/run.sh compares the whole tool with its peers.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policybook_engine::api;
use policybook_engine::rules::{self, Case, CheckOptions, Date, Policy};
use policybook_engine::search::{Document, Index, IndexBuilder};
use policybook_engine::text::tokenize;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The guide's questions in one language as documents (Markdown bodies: close enough to the
/// plain text the build indexes for timing).
fn documents(lang: &str) -> Vec<Document> {
    let dir = repo().join("content").join(lang).join("q");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    names.sort();
    names
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let mut parts = text.splitn(3, "---\n");
            let (_, front, body) = (parts.next(), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let title = front
                .lines()
                .find_map(|l| l.strip_prefix("title: "))
                .unwrap_or("")
                .to_string();
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            Document {
                url: format!("/{lang}/q/{number}/"),
                number: Some(number),
                title,
                body: body.trim().to_string(),
                lang: lang.to_string(),
            }
        })
        .collect()
}

fn index(lang: &str) -> Index {
    let mut builder = IndexBuilder::new();
    for doc in documents(lang) {
        builder.add(doc);
    }
    builder.build()
}

const QUERIES_ZH: [&str; 6] = ["低保", "风险消除", "上学", "15天", "整户无劳动能力", "2%"];
const QUERIES_EN: [&str; 6] = [
    "minimum living allowance",
    "green channel",
    "hukou",
    "15 days",
    "school",
    "risk",
];

fn bench_text(c: &mut Criterion) {
    let mut group = c.benchmark_group("tokenize");
    for lang in ["zh", "en"] {
        let text: String = documents(lang)
            .iter()
            .map(|d| format!("{}\n{}\n\n", d.title, d.body))
            .collect();
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("guide_{lang}"), |b| b.iter(|| tokenize(black_box(&text))));
    }
    group.finish();
}

fn bench_index(c: &mut Criterion) {
    let mut group = c.benchmark_group("index");
    for lang in ["zh", "en"] {
        let docs = documents(lang);
        group.bench_function(format!("build_{lang}"), |b| {
            b.iter(|| {
                let mut builder = IndexBuilder::new();
                for doc in docs.iter().cloned() {
                    builder.add(doc);
                }
                builder.build()
            })
        });
        let json = index(lang).to_json().expect("the index serialises");
        group.bench_function(format!("load_{lang}"), |b| {
            b.iter(|| Index::from_json(black_box(&json)).expect("the index reads back"))
        });
    }
    group.finish();
}

fn bench_query(c: &mut Criterion) {
    let mut group = c.benchmark_group("query");
    for (lang, queries) in [("zh", QUERIES_ZH), ("en", QUERIES_EN)] {
        let index = index(lang);
        group.bench_function(format!("search_json_{lang}"), |b| {
            b.iter(|| {
                for q in queries {
                    black_box(api::search_json(&index, black_box(q), 10));
                }
            })
        });
    }
    group.finish();
}

fn bench_rules(c: &mut Criterion) {
    let path = repo().join("content/policy.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let policy: Policy = serde_yaml::from_str(&text).expect("content/policy.yaml matches the model");
    let policy_value: serde_json::Value = serde_yaml::from_str(&text).expect("content/policy.yaml is YAML");
    let policy_json = policy_value.to_string();
    let case_json = r#"{"members":4,"members_with_labor":2,"poverty_alleviated":false,"hukou":"rural",
        "income":{"wages":48000},"expenses":{"medical":60000},"problems":[],"sudden_hardship":true}"#;
    let case = Case::from_json(case_json).expect("the sample case is valid");
    let today = Date::parse("2025-06-01").expect("a valid date");
    let options = CheckOptions::default();

    let mut group = c.benchmark_group("rules");
    group.bench_function("check_with", |b| {
        b.iter(|| rules::check_with(black_box(&case), &policy, today, &options).expect("the case checks"))
    });
    group.bench_function("check_json_opts", |b| {
        b.iter(|| api::check_json_opts(black_box(case_json), &policy_json, "2025-06-01", ""))
    });
    group.finish();
}

criterion_group!(benches, bench_text, bench_index, bench_query, bench_rules);
criterion_main!(benches);
