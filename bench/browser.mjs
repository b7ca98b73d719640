// Browser measurements for bench/run.sh, in Debian's headless Chromium through the browser tests'
// harness (playwright-core from tests/browser/node_modules):
//
//   node bench/browser.mjs CONFIG.json   → one JSON object on stdout
//
// CONFIG: { "ours": "<built policybook site>", "pagefind": "<plain HTML site indexed by Pagefind>" | null,
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

async function measureOurs(browser, root) {
  const server = await serve(root);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const out = { rows: [], engine_start_ms: {}, index_load_ms: {} };
  try {
    for (const lang of ['zh', 'en']) {
      const queries = config.queries.filter((q) => q.lang === lang);
      if (!queries.length) continue;
      await page.goto(`${server.url}${lang}/index.html`);
      const r = await page.evaluate(async ({ lang, queries, batch, rounds }) => {
        const el = document.getElementById('search');
        const load = (src) => new Promise((resolve, reject) => {
          const s = document.createElement('script');
          s.src = new URL(src, location.href).href;
          s.onload = resolve;
          s.onerror = () => reject(new Error('cannot load ' + src));
          document.head.appendChild(s);
        });
        let t = performance.now();
        await load(el.dataset.engine);
        const engineMs = performance.now() - t;
        const engine = window.policybookEngine;
        if (!engine || engine.built === false || typeof engine.search !== 'function') throw new Error('no search engine');
        await load(el.dataset.index);
        t = performance.now();
        const loaded = JSON.parse(engine.load_index(lang, window.policybookIndex[lang]));
        const indexMs = performance.now() - t;
        if (!loaded.ok) throw new Error(loaded.error);
        const rows = [];
        for (const { q, expect } of queries) {
          const results = JSON.parse(engine.search(lang, q, 10)).results;
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
        return { engineMs, indexMs, rows };
      }, { lang, queries, batch, rounds });
      out.engine_start_ms[lang] = r.engineMs;
      out.index_load_ms[lang] = r.indexMs;
      out.rows.push(...r.rows);
    }
    if (config.check) {
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
    }
  } finally {
    await context.close();
    await server.close();
  }
  if (errors.length) out.page_errors = errors;
  return { ...out, ...summary(out.rows) };
}

async function measurePagefind(browser, root) {
  const server = await serve(root);
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  const out = { rows: [], first_query_ms: {} };
  try {
    for (const lang of ['zh', 'en']) {
      const queries = config.queries.filter((q) => q.lang === lang);
      if (!queries.length) continue;
      const first = fs.readdirSync(`${root}/${lang}/q`).sort()[0];
      await page.goto(`${server.url}${lang}/q/${first}/index.html`);
      const r = await page.evaluate(async ({ queries, batch, rounds }) => {
        const pf = await import('/pagefind/pagefind.js');
        await pf.init();
        const run = async (q) => {
          const res = await pf.search(q);
          return Promise.all(res.results.slice(0, 10).map((x) => x.data()));
        };
        let t = performance.now();
        await run(queries[0].q);
        const firstMs = performance.now() - t;
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
        return { firstMs, rows };
      }, { queries, batch, rounds });
      out.first_query_ms[lang] = r.firstMs;
      out.rows.push(...r.rows.map((row) => ({ lang, ...row })));
    }
  } finally {
    await context.close();
    await server.close();
  }
  return { ...out, ...summary(out.rows) };
}

const browser = await launch();
try {
  const result = { ours: await measureOurs(browser, config.ours) };
  if (config.pagefind) result.pagefind = await measurePagefind(browser, config.pagefind);
  process.stdout.write(JSON.stringify(result) + '\n');
} finally {
  await browser.close();
}
