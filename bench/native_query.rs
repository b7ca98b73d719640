//! Native query timing and relevance for `bench/run.sh` (a `harness = false` bench target):
//!
//! ```sh
//! cargo bench --bench native_query -- --site DIR [--queries tests/relevance/queries.yaml] [--reps N]
//! ```
//!
//! Reads the built site's index scripts (`DIR/assets/search-{zh,en}.*.js`, and the chunks a query
//! needs on a large site) as `policybook search` does, then, for every query of the relevance set, runs `api::search_json` (what the page and the
//! CLI call: ranking, snippets, JSON) `--reps` times and keeps the median. Prints one JSON object:
//! the load time of each index (parse and rebuild of the postings), the median and 95th percentile
//! of the per-query medians, and each query with its top-3 item numbers and whether one of them is
//! expected. With no `--site`, as under `cargo bench` without arguments, it prints a note and
//! exits 0 (`cargo bench` runs every bench target).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use policybook_engine::api::search_json;
use policybook_engine::search::Index;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
struct Case {
    lang: String,
    q: String,
    expect: Vec<u32>,
}

#[derive(Serialize)]
struct Row {
    lang: String,
    q: String,
    expect: Vec<u32>,
    top3: Vec<Option<u32>>,
    hit: bool,
    median_us: f64,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut site: Option<PathBuf> = None;
    let mut queries = PathBuf::from("tests/relevance/queries.yaml");
    let mut reps = 200usize;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--site" => site = Some(PathBuf::from(value("--site")?)),
            "--queries" => queries = PathBuf::from(value("--queries")?),
            "--reps" => {
                reps = value("--reps")?
                    .parse()
                    .map_err(|e| format!("--reps: {e}"))
                    .and_then(|n: usize| {
                        if n == 0 {
                            Err("--reps must be at least 1".into())
                        } else {
                            Ok(n)
                        }
                    })?
            }
            "--bench" => {} // passed by `cargo bench`
            other => {
                return Err(format!(
                    "unknown argument `{other}` (expected --site, --queries, --reps)"
                ))
            }
        }
    }
    let Some(site) = site else {
        eprintln!("native_query: no --site given; run it through bench/run.sh (nothing to measure)");
        return Ok(());
    };
    let text = std::fs::read_to_string(&queries).map_err(|e| format!("{}: {e}", queries.display()))?;
    let cases: Vec<Case> = serde_yaml::from_str(&text).map_err(|e| format!("{}: {e}", queries.display()))?;

    let mut indexes = BTreeMap::new();
    let mut load_ms = BTreeMap::new();
    for lang in ["zh", "en"] {
        let script = index_script(&site, lang)?;
        let start = Instant::now();
        let index = policybook::search_index::from_script(&script)
            .ok_or_else(|| format!("{}: the {lang} index cannot be read", site.display()))?;
        load_ms.insert(lang, start.elapsed().as_secs_f64() * 1e3);
        indexes.insert(lang, index);
    }

    let mut rows = Vec::new();
    for case in &cases {
        let index: &mut Index = indexes
            .get_mut(case.lang.as_str())
            .ok_or_else(|| format!("{}: unknown lang `{}`", queries.display(), case.lang))?;
        // A chunked index (a large site) first loads the chunks the query needs, as the page does
        // once; the timed runs below find them loaded.
        for limit in [3, 10] {
            index
                .search_loading(&case.q, limit, |path| policybook::search_index::read_chunk(&site, path))
                .map_err(|(path, e)| format!("{}: {path}: {e}", site.display()))?;
        }
        let index: &Index = index;
        let top3: Vec<Option<u32>> = index.query(&case.q, 3).into_iter().map(|h| h.number).collect();
        let hit = top3.iter().flatten().any(|n| case.expect.contains(n));
        let mut times = Vec::with_capacity(reps);
        for _ in 0..reps {
            let start = Instant::now();
            let out = search_json(index, std::hint::black_box(&case.q), 10);
            times.push(start.elapsed().as_secs_f64() * 1e6);
            std::hint::black_box(out);
        }
        rows.push(Row {
            lang: case.lang.clone(),
            q: case.q.clone(),
            expect: case.expect.clone(),
            top3,
            hit,
            median_us: median(&mut times),
        });
    }
    let mut medians: Vec<f64> = rows.iter().map(|r| r.median_us).collect();
    medians.sort_by(f64::total_cmp);
    let p95 = medians
        .get((medians.len() * 95).div_ceil(100).saturating_sub(1))
        .copied()
        .unwrap_or(0.0);
    let hits = rows.iter().filter(|r| r.hit).count();
    let out = serde_json::json!({
        "reps": reps,
        "docs": indexes.iter().map(|(k, v)| (k.to_string(), v.len())).collect::<BTreeMap<_, _>>(),
        "index_load_ms": load_ms,
        "query_median_us": median(&mut medians.clone()),
        "query_p95_us": p95,
        "hits": hits,
        "queries": rows.len(),
        "rows": rows,
    });
    println!("{out}");
    Ok(())
}

fn index_script(site: &Path, lang: &str) -> Result<String, String> {
    let assets = site.join("assets");
    let prefix = format!("search-{lang}.");
    let entries =
        std::fs::read_dir(&assets).map_err(|e| format!("{}: {e} (build the site first)", assets.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".js") {
            return std::fs::read_to_string(entry.path()).map_err(|e| format!("{name}: {e}"));
        }
    }
    Err(format!("{}: no {prefix}*.js", assets.display()))
}

fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}
