// Search on a large site, whose index the build writes in chunks (search/<lang>-<build>/): the page
// loads the head with the engine, then only the chunks the engine names for a query, and gives
// the same results as `policybook search --json` reading the same files; from file:// too.
// The site is a generated corpus (bench/gen.py, 600 items) built by the CLI under test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, open, DESKTOP, PHONE, openSearch } from './harness.mjs';

const BIN = path.resolve(process.env.POLICYBOOK_BIN ?? new URL('../../target/debug/policybook', import.meta.url).pathname);
const GEN = new URL('../../bench/gen.py', import.meta.url).pathname;
const ITEMS = 600;
const QUERIES = {
  zh: ['低保', '绿色通道', '公示要几天', '12317', '２％', '监测户录错了怎么删除', '收入 支出', '鳄鱼'],
  en: ['green channel', 'hotline', 'how long is the public notice', 'income threshold', 'xylophone'],
};

let work, site, server, browser;
before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-chunked-'));
  execFileSync('python3', [GEN, 'corpus', '--items', String(ITEMS), '--out', work], { stdio: ['ignore', 'ignore', 'inherit'] });
  site = path.join(work, 'site');
  execFileSync(BIN, ['build', '--content', path.join(work, 'content'), '--out', site, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] }); // the generated translation's glossary warnings are expected
  server = await serve(site);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const chunkFiles = (lang) => fs.readdirSync(path.join(site, 'search')).filter((d) => d.startsWith(`${lang}-`))
  .flatMap((d) => fs.readdirSync(path.join(site, 'search', d)));
const isChunk = (u) => /\/search\/(zh|en)-[0-9a-f]+\/[td]\d+\.js$/.test(u);

/** Types `query` and waits until the page has answered it (the list says which query it shows). */
async function search(page, query) {
  const box = page.locator('#search-input');
  await box.fill(query);
  const value = await box.inputValue();
  await page.waitForFunction((q) => document.getElementById('search-results')?.dataset.query === q, value, { timeout: 10000 });
  return page.$$eval('#search-results [role=option]', (os) => os.map((o) => ({
    url: o.dataset.url, title: o.querySelector('.search-title').textContent,
    snippet: o.querySelector('.search-snippet').innerHTML,
  })));
}

function cli(q, lang, dir = site) {
  return JSON.parse(execFileSync(BIN, ['search', q, '--lang', lang, '--json', '--site', dir], { encoding: 'utf8' })).results;
}

for (const lang of ['zh', 'en']) {
  test(`${lang}: the page loads only the chunks a query needs and answers as the CLI does`, async () => {
    const files = chunkFiles(lang);
    assert.ok(files.filter((f) => f.startsWith('t')).length > 10, `postings chunks: ${files.length} files`);
    const { context, page, log } = await open(browser, DESKTOP);
    await page.goto(`${server.url}${lang}/index.html`);
    assert.match(await page.getAttribute('#search', 'data-engine'), /engine-search-chunked\.[0-9a-f]+\.js$/, 'the engine with the chunk reader');
    await openSearch(page);
    let compared = 0;
    let first = null;
    for (const q of QUERIES[lang]) {
      const got = await search(page, q);
      first ??= new Set(log.requests.filter(isChunk)).size;
      const want = cli(q, lang);
      assert.deepEqual(got.map((r) => r.url), want.map((r) => r.url), `${lang} "${q}": the page and the CLI`);
      assert.deepEqual(got.map((r) => r.title), want.map((r) => r.title));
      compared += want.length;
    }
    assert.ok(compared > 20, `compared ${compared} results`);
    assert.ok(first > 0, 'chunks were loaded');
    assert.ok(first * 5 < files.length, `the first query loaded ${first} of ${files.length} chunks`);
    assert.deepEqual(log.errors, [], 'page errors');
    assert.deepEqual(log.console, [], 'console messages');
    await context.close();
  });
}

test('a chunked index works from file://', async () => {
  const { context, page, log } = await open(browser, PHONE);
  await page.goto(pathToFileURL(path.join(site, 'zh', 'index.html')).href);
  await openSearch(page);
  const rows = await search(page, '绿色通道');
  assert.deepEqual(rows.map((r) => r.url), cli('绿色通道', 'zh').map((r) => r.url));
  assert.ok(rows.length > 0 && rows[0].snippet.includes('<mark>'), 'results with marked snippets');
  assert.ok(log.requests.some(isChunk), 'chunks loaded from disk');
  assert.ok(log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), 'only local files');
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the CLI refuses a chunk cut short with its path and exit status 2', () => {
  const copy = path.join(work, 'broken');
  fs.cpSync(site, copy, { recursive: true });
  const dir = fs.readdirSync(path.join(copy, 'search')).find((d) => d.startsWith('zh-'));
  for (const f of fs.readdirSync(path.join(copy, 'search', dir))) {
    const p = path.join(copy, 'search', dir, f);
    const text = fs.readFileSync(p, 'utf8');
    fs.writeFileSync(p, text.slice(0, Math.floor(text.length / 2)));
  }
  let failed = null;
  try {
    cli('低保', 'zh', copy);
  } catch (e) {
    failed = e;
  }
  assert.ok(failed, 'the search failed');
  assert.equal(failed.status, 2);
  assert.match(String(failed.stderr), /search\/zh-[0-9a-f]+\/t\d+\.js/);
});
