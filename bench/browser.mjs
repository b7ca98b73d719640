// Browser measurements for bench/run.sh, in Debian's headless Chromium through the browser tests'
// harness (playwright-core from tests/browser/node_modules):
//
//   node bench/browser.mjs CONFIG.json   → one JSON object on stdout
//
// CONFIG: { "ours": "<built policybook site>" | null, "pagefind": "<plain HTML site indexed by Pagefind>" | null,
//           "queries": [{ "lang", "q", "expect": [numbers] }], "batch": 10, "rounds": 5,
//           "check": true|false, "case": { …a household case… } }
//
// ours:     on a page of each language, loads the engine and the index the way the search box does
//           (the scripts named by #search's data-engine and data-index), then times
//           policybookEngine.search(lang, q, 10) per query; on the checker page, times
//           validate_case_json + check_json_opts for the case (the work of one "Check" click).
// pagefind: on a page of each language, imports /pagefind/pagefind.js and times search(q) plus
//           data() of the first 10 results (what a results list shows), after one cold run.
// Each query runs `rounds` batches of `batch` calls; its time is the median of the batch means
// (performance.now() is coarsened in the page, so single calls are not timed alone). The top 3
// results give the item numbers for the relevance comparison.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch } from '../tests/browser/harness.mjs';

const config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const batch = config.batch ?? 10;
const rounds = config.rounds ?? 5;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return null;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function summary(rows) {
  const ms = rows.map((r) => r.ms);
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    query_median_ms: median(ms),
    query_p95_ms: sorted.length ? sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)] : null,
    hits: rows.filter((r) => r.hit).length,
    queries: rows.length,
  };
}

// gzip -9 bytes of the site's files behind these same-origin URLs (what a reader downloads from
// a server that compresses; Pagefind's files are compressed already, so the smaller of the two).
function gzipBytes(root, urls, origin) {
  let total = 0;
  for (const u of new Set(urls)) {
    if (!u.startsWith(origin)) continue;
    const file = path.join(root, decodeURIComponent(new URL(u).pathname));
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) continue;
    const raw = fs.readFileSync(file);
    total += Math.min(raw.length, zlib.gzipSync(raw, { level: 9 }).length);
  }
  return total;
}

// The page's loading, as app.js does it: the engine and the head (named by #search), then for a
// query the chunk scripts the engine names, until it answers.
async function firstSearch(page, lang, q) {
  return page.evaluate(async ({ lang, q }) => {
    const el = document.getElementById('search');
    const load = (src) => new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = new URL(src, location.href).href;
      s.onload = resolve;
      s.onerror = () => reject(new Error('cannot load ' + src));
      document.head.appendChild(s);
    });
    const t0 = performance.now();
    await load(el.dataset.engine);
    const engineMs = performance.now() - t0;
    const engine = window.policybookEngine;
    if (!engine || engine.built === false || typeof engine.search !== 'function') throw new Error('no search engine');
    await load(el.dataset.index);
    const t1 = performance.now();
    const loaded = JSON.parse(engine.load_index(lang, window.policybookIndex[lang]));
    const indexMs = performance.now() - t1;
    if (!loaded.ok) throw new Error(loaded.error);
    window.policybookSearchChunk = (l, payload) => {
      const added = JSON.parse(engine.add_chunk(l, payload));
      if (!added.ok) throw new Error(added.error);
    };
    const root = el.dataset.root || '';
    window.policybookAsk = async (query) => {
      for (let round = 0; round < 5; round++) {
        const answer = JSON.parse(engine.search(lang, query, 10));
        if (!answer.need) return answer.results;
        await Promise.all(answer.need.map((p) => load(root + p)));
      }
      throw new Error('the chunks do not answer ' + query);
    };
    const results = await window.policybookAsk(q);
    return { engineMs, indexMs, firstMs: performance.now() - t0, results: results.length };
  }, { lang, q });
}

async function measureOurs(browser, root) {
  const server = await serve(root);
  const out = { rows: [], engine_start_ms: {}, index_load_ms: {}, first_search_ms: {}, first_search_bytes: {} };
  const errors = [];
  try {
    for (const lang of ['zh', 'en']) {
      const queries = config.queries.filter((q) => q.lang === lang);
      if (!queries.length) continue;
      // A context of its own per language: nothing of the other language's search is cached.
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${server.url}${lang}/index.html`);
      const requests = [];
      page.on('request', (r) => requests.push(r.url()));
      const first = await firstSearch(page, lang, queries[0].q);
      out.first_search_bytes[lang] = gzipBytes(root, requests, server.url);
      out.first_search_ms[lang] = first.firstMs;
      out.engine_start_ms[lang] = first.engineMs;
      out.index_load_ms[lang] = first.indexMs;
      const r = await page.evaluate(async ({ lang, queries, batch, rounds }) => {
        const engine = window.policybookEngine;
        const rows = [];
        for (const { q, expect } of queries) {
          const results = await window.policybookAsk(q); // cold for this query: loads its chunks
          const means = [];
          for (let r = 0; r < rounds; r++) {
            const t0 = performance.now();
            for (let i = 0; i < batch; i++) engine.search(lang, q, 10);
            means.push((performance.now() - t0) / batch);
          }
          means.sort((a, b) => a - b);
          const top3 = results.slice(0, 3).map((x) => x.number);
          rows.push({ lang, q, top3, hit: top3.some((n) => expect.includes(n)), ms: means[Math.floor(means.length / 2)] });
        }
        return { rows };
      }, { lang, queries, batch, rounds });
      out.rows.push(...r.rows);
      await context.close();
    }
    if (config.check) {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      await page.goto(`${server.url}zh/check/index.html`);
      await page.waitForFunction(() => window.policybookEngine && typeof window.policybookEngine.check_json_opts === 'function');
      out.check = await page.evaluate(({ c, batch, rounds }) => {
        const engine = window.policybookEngine;
        const policy = document.getElementById('policy-data').textContent;
        const today = '2025-06-01';
        const caseJson = JSON.stringify(c);
        const once = () => {
          const v = JSON.parse(engine.validate_case_json(caseJson));
          if (!v.ok) throw new Error('the bench case is invalid: ' + JSON.stringify(v));
          const r = JSON.parse(engine.check_json_opts(caseJson, policy, today, ''));
          if (r.error) throw new Error('the check failed: ' + JSON.stringify(r.error));
          return r;
        };
        const result = once();
        const means = [];
        for (let r = 0; r < rounds; r++) {
          const t0 = performance.now();
          for (let i = 0; i < batch; i++) once();
          means.push((performance.now() - t0) / batch);
        }
        means.sort((a, b) => a - b);
        return { ms: means[Math.floor(means.length / 2)], category: result.category };
      }, { c: config.case, batch: batch * 5, rounds });
      await context.close();
    }
  } finally {
    await server.close();
  }
  if (errors.length) out.page_errors = errors;
  return { ...out, ...summary(out.rows) };
}

async function measurePagefind(browser, root) {
  const server = await serve(root);
  const out = { rows: [], first_query_ms: {}, first_search_ms: {}, first_query_bytes: {} };
  try {
    for (const lang of ['zh', 'en']) {
      const queries = config.queries.filter((q) => q.lang === lang);
      if (!queries.length) continue;
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      const requests = [];
      const item = fs.readdirSync(`${root}/${lang}/q`).sort()[0];
      await page.goto(`${server.url}${lang}/q/${item}/index.html`);
      page.on('request', (r) => requests.push(r.url()));
      // The first query from nothing (import, init, search, data() of 10), as ours is timed from
      // loading the engine; also the first query alone after init, as this bench timed it before.
      const first = await page.evaluate(async (q) => {
        const t0 = performance.now();
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const t1 = performance.now();
        const res = await pf.search(q);
        await Promise.all(res.results.slice(0, 10).map((x) => x.data()));
        window.pagefindModule = pf;
        return { fullMs: performance.now() - t0, afterInitMs: performance.now() - t1 };
      }, queries[0].q);
      out.first_query_bytes[lang] = gzipBytes(root, requests, server.url);
      out.first_search_ms[lang] = first.fullMs;
      const r = await page.evaluate(async ({ queries, batch, rounds }) => {
        const pf = window.pagefindModule;
        const run = async (q) => {
          const res = await pf.search(q);
          return Promise.all(res.results.slice(0, 10).map((x) => x.data()));
        };
        const rows = [];
        for (const { q, expect } of queries) {
          const data = await run(q); // cold for this query: loads its index chunks and fragments
          const means = [];
          for (let r = 0; r < rounds; r++) {
            const t0 = performance.now();
            for (let i = 0; i < batch; i++) await run(q);
            means.push((performance.now() - t0) / batch);
          }
          means.sort((a, b) => a - b);
          const top3 = data.slice(0, 3).map((d) => {
            const m = /\/q\/(\d+)\//.exec(d.url);
            return m ? Number(m[1]) : null;
          });
          rows.push({ q, top3, hit: top3.some((n) => expect.includes(n)), ms: means[Math.floor(means.length / 2)] });
        }
        return { rows };
      }, { queries, batch, rounds });
      out.first_query_ms[lang] = first.afterInitMs;
      out.rows.push(...r.rows.map((row) => ({ lang, ...row })));
      await context.close();
    }
  } finally {
    await server.close();
  }
  return { ...out, ...summary(out.rows) };
}

const browser = await launch();
try {
  const result = {};
  if (config.ours) result.ours = await measureOurs(browser, config.ours);
  if (config.pagefind) result.pagefind = await measurePagefind(browser, config.pagefind);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await browser.close();
}
