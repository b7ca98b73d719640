// Village screening in the page, in Debian's headless Chromium (the browser tests' harness):
//
//   node bench/screen.mjs SITE [ROWS] [RUNS]   → one JSON object on stdout
//
// Builds a sheet of ROWS households (default 2,000) from the rows of
// tests/cases/screen/01-village.csv (each copy with its own label), saves it in UTF-8 and in GBK
// (cut from tests/cases/screen/02-village-gbk.csv, so no encoder is needed), and times, RUNS times each (default 7), on the screening page:
//   engine   policybookEngine.screen_json(text, policy, today) and JSON.parse of its answer;
//   page     from choosing the file (its change event) to the table's first rows painted, and to
//            its last row drawn (FileReader, sniffing, TextDecoder, the engine, the table; the rows
//            after the first 100 are drawn in slices between frames), the file in UTF-8 and GBK;
//   results  screen_results_csv (what "Save the results" runs).
// Reports the median, minimum and maximum of each, in milliseconds, and the machine's load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch } from '../tests/browser/harness.mjs';

const site = path.resolve(process.argv[2] ?? 'target/test-site');
const ROWS = Number(process.argv[3] ?? 2000);
const RUNS = Number(process.argv[4] ?? 7);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const sheets = path.join(repo, 'tests/cases/screen');

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  const r = (x) => Math.round(x * 10) / 10;
  return { median_ms: r(s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2), min_ms: r(s[0]), max_ms: r(s[s.length - 1]), runs: s.length };
};

// The UTF-8 sheet: the label row and the header, then ROWS rows cycling through the village's.
const utf8 = fs.readFileSync(path.join(sheets, '01-village.csv'), 'utf8').replace(/^\ufeff/, '');
const gbk = fs.readFileSync(path.join(sheets, '02-village-gbk.csv'));
const lines = utf8.split('\r\n').filter(Boolean);
// The data rows (row 9's label holds a line break, written LF inside its quotes).
const records = lines.slice(2);
const body = [];
for (let i = 0; i < ROWS; i++) body.push(records[i % records.length].replace(/^("?)\d{3} /, (m, q) => `${q}${String(i + 1).padStart(5, '0')} `));
const sheet = [lines[0], lines[1], ...body].join('\r\n') + '\r\n';
// The same sheet in GBK, cut from the GBK fixture (01-village.csv in GBK) record by record: the
// records end with CRLF, which GBK writes as in ASCII.
const gbkRecords = gbk.toString('latin1').split('\r\n').filter(Boolean);
const gbkData = gbkRecords.slice(2);
const gbkBody = [];
for (let i = 0; i < ROWS; i++) gbkBody.push(gbkData[i % gbkData.length].replace(/^("?)\d{3} /, (m, q) => `${q}${String(i + 1).padStart(5, '0')} `));
const gbkSheet = Buffer.from([gbkRecords[0], gbkRecords[1], ...gbkBody].join('\r\n') + '\r\n', 'latin1');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-screen-bench-'));
const files = { 'utf-8': path.join(tmp, 'sheet-utf8.csv'), gb18030: path.join(tmp, 'sheet-gbk.csv') };
fs.writeFileSync(files['utf-8'], '\ufeff' + sheet);
fs.writeFileSync(files.gb18030, gbkSheet);

const server = await serve(site);
const browser = await launch();
const out = { rows: ROWS, load_before: os.loadavg().map((x) => Math.round(x * 100) / 100), cpus: os.cpus().length };
try {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}zh/screen/index.html`);
  await page.locator('#tool-form .btn-primary:enabled').waitFor();
  // The engine's two calls, each timed RUNS times in the page: the table's data (parsed, as the
  // page parses it) and the results sheet.
  const times = await page.evaluate(({ sheet, runs }) => {
    const e = window.policybookEngine;
    const policy = document.getElementById('policy-data').textContent;
    const calls = {
      engine: () => {
        const r = JSON.parse(e.screen_json(sheet, policy, '2026-12-02'));
        if (!r.rows || r.rows.some((x) => x.errors)) throw new Error('the sheet did not screen cleanly');
      },
      results: () => e.screen_results_csv(sheet, policy, '2026-12-02', 'zh'),
    };
    const out = {};
    for (const [name, call] of Object.entries(calls)) {
      out[name] = [];
      for (let i = 0; i < runs; i++) {
        const t = performance.now();
        call();
        out[name].push(performance.now() - t);
      }
    }
    return out;
  }, { sheet, runs: RUNS });
  out.engine = stats(times.engine);
  out.results = stats(times.results);
  for (const [encoding, file] of Object.entries(files)) {
    const first = [];
    const all = [];
    for (let i = 0; i < RUNS; i++) {
      // Cleared as the page's "Clear" does, so that each run draws the table anew.
      await page.evaluate(() => document.getElementById('tool-form').reset());
      await page.waitForFunction(() => !document.querySelector('.screen-card'));
      // The page's own clock: when the file is chosen, when the table is first painted (its
      // first rows), when its last row is drawn.
      await page.evaluate(() => {
        window.__bench = {};
        const input = document.getElementById('f-file');
        input.addEventListener('change', () => { window.__bench.chosen = performance.now(); }, { once: true, capture: true });
        new MutationObserver((list, obs) => {
          if (document.querySelector('.screen-card') && !window.__bench.shown) {
            requestAnimationFrame(() => setTimeout(() => { window.__bench.shown = performance.now(); }, 0));
          }
          if (document.querySelector('.screen-table tbody[data-complete]')) {
            window.__bench.complete = performance.now();
            obs.disconnect();
          }
        }).observe(document.getElementById('tool-result'), { subtree: true, childList: true, attributes: true });
      });
      await page.setInputFiles('#f-file', file);
      await page.waitForFunction(() => window.__bench.complete && window.__bench.shown);
      const b = await page.evaluate(() => window.__bench);
      const rows = await page.locator('tr.screen-row').count();
      if (rows !== ROWS) throw new Error(`${rows} rows drawn, expected ${ROWS}`);
      const got = await page.getAttribute('.screen-card', 'data-encoding');
      if (got !== encoding) throw new Error(`sniffed ${got}, expected ${encoding}`);
      first.push(b.shown - b.chosen);
      all.push(b.complete - b.chosen);
    }
    out[`page_first_rows_${encoding}`] = stats(first);
    out[`page_all_rows_${encoding}`] = stats(all);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
out.load_after = os.loadavg().map((x) => Math.round(x * 100) / 100);
console.log(JSON.stringify(out, null, 2));
