// Village screening in a real browser: the template downloads (without JavaScript too) and is
// what `policybook check --template` prints; a UTF-8 and a GBK sheet (tests/cases/screen/) give,
// row for row, what `policybook check --batch --json` gives; a bad row is named by row and
// column while the others are checked; the table filters, sorts and saves its results; nothing
// is requested or stored once the page has loaded; it works from file://. Screenshots at 360×640
// and 1280×800, and 200% text, in both languages, go to target/screenshots/screen-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { SITE, serve, launch, open, shot, DESKTOP, assertClean, storage, assertNoSideways, BLOCKED_SW } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const SHEETS = path.join(REPO, 'tests/cases/screen');
const POLICY = path.join(REPO, 'content/policy.yaml');
const BIN = path.resolve(HERE, process.env.POLICYBOOK_BIN ?? '../../target/debug/policybook');
const SMALL = { width: 360, height: 640 };
const ZOOM = { width: 640, height: 400 }; // 1280×800 at 200%: deviceScaleFactor 2

/** `policybook check --batch FILE --json`: { status, rows (parsed lines), stderr }. */
function batch(file, today) {
  const r = spawnSync(BIN, ['check', '--batch', file, '--json', '--today', today, '--policy', POLICY], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, rows: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)), stderr: r.stderr };
}

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

async function openScreen(viewport, lang, { base = server.url, scale } = {}) {
  const opened = scale ? await openScaled(viewport, scale) : await open(browser, viewport);
  opened.page.setDefaultTimeout(10_000);
  await opened.page.goto(base + `${lang}/screen/index.html`);
  await opened.page.locator('#tool-form .btn-primary:enabled').waitFor();
  return opened;
}

async function openScaled(viewport, deviceScaleFactor) {
  const context = await browser.newContext({ viewport, deviceScaleFactor, serviceWorkers: 'block' });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => { if (m.text() !== BLOCKED_SW) log.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  return { context, page, log };
}

/** Opens a sheet in the page and waits for the table. */
async function load(page, file) {
  await page.setInputFiles('#f-file', file);
  await page.locator('.screen-card').waitFor();
}

/** The table as the page shows it: one entry per household row, in the order shown. */
function table(page) {
  return page.$$eval('tr.screen-row', (trs) => trs.map((tr) => ({
    row: Number(tr.dataset.row),
    invalid: tr.dataset.invalid === 'true',
    category: tr.dataset.category ?? null,
    review: tr.dataset.review === 'true',
    income: tr.dataset.income == null ? null : Number(tr.dataset.income),
    line: tr.dataset.line == null ? null : Number(tr.dataset.line),
    label: tr.querySelector('.c-label').textContent,
    result: tr.querySelector('.c-result').textContent,
    cites: [...tr.querySelectorAll('.c-cites a')].map((a) => Number(a.href.match(/\/q\/(\d+)\//)[1])),
    errors: [...tr.querySelectorAll('.screen-errors li')].map((li) => li.textContent),
  })));
}

/** The questions a result's reasons cite, each once, in the guide's order. */
function citesOf(r) {
  return [...new Set(r.reasons.flatMap((n) => n.cites))].sort((a, b) => a - b);
}

/** The page's table agrees with the command line's rows, row for row. */
function assertAgrees(shown, cli, lang, what) {
  const valid = shown.filter((r) => !r.invalid);
  assert.equal(valid.length, cli.rows.length, `${what}: as many valid rows as the CLI prints`);
  for (const [got, want] of valid.map((r, i) => [r, cli.rows[i]])) {
    const at = `${what} row ${want.row}`;
    assert.equal(got.row, want.row, at);
    assert.equal(got.label, want.row_label, `${at}: the label, untouched`);
    assert.equal(got.category, want.category, at);
    assert.equal(got.review, want.review_needed, at);
    assert.equal(got.income, want.per_capita_net_income, at);
    assert.equal(got.line, want.monitoring_line, at);
    assert.equal(got.result, want.label[lang], `${at}: the result in words`);
    assert.deepEqual(got.cites, citesOf(want), `${at}: the questions cited`);
  }
}

async function today(page) {
  return page.getAttribute('.screen-card', 'data-today');
}

test('the template downloads as `policybook check --template` prints it, also without JavaScript', async () => {
  for (const lang of ['zh', 'en']) {
    const want = execFileSync(BIN, ['check', '--template', '--lang', lang], { cwd: REPO });
    const { context, page, log } = await openScreen(DESKTOP, lang);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#screen-template')]);
    const got = fs.readFileSync(await download.path());
    assert.deepEqual(got, want, `${lang}: the downloaded template`);
    assert.equal(download.suggestedFilename(), lang === 'zh' ? '村级筛查模板.csv' : 'village-screening-template.csv');
    assert.ok(got.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'it starts with a UTF-8 mark, for Excel');
    assertClean(log, `template ${lang}`);
    await context.close();
  }
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: SMALL });
  const page = await context.newPage();
  await page.goto(server.url + 'zh/screen/index.html');
  assert.match(await page.textContent('.check-noscript'), /需要开启 JavaScript/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#screen-template')]);
  assert.ok(fs.readFileSync(await download.path()).toString('utf8').includes('members_with_labor'), 'the template without JavaScript');
  await page.screenshot({ path: shot('screen-noscript-zh'), fullPage: true });
  await context.close();
});

test('a UTF-8 sheet and the GBK sheet Excel saves give what check --batch gives, row for row', async () => {
  for (const lang of ['zh', 'en']) {
    const { context, page, log } = await openScreen(DESKTOP, lang);
    const shown = {};
    for (const [name, encoding] of [['01-village.csv', 'utf-8'], ['02-village-gbk.csv', 'gb18030']]) {
      await load(page, path.join(SHEETS, name));
      assert.equal(await page.getAttribute('.screen-card', 'data-encoding'), encoding, `${name}: sniffed`);
      shown[name] = await table(page);
      const cli = batch(path.join(SHEETS, name), await today(page));
      assert.equal(cli.status, 0, `${name}: every row valid: ${cli.stderr}`);
      assert.equal(shown[name].length, 8, `${name}: one table row per household`);
      assertAgrees(shown[name], cli, lang, `${lang} ${name}`);
    }
    assert.deepEqual(shown['02-village-gbk.csv'], shown['01-village.csv'], 'the GBK sheet reads as the UTF-8 one');
    assert.equal(shown['01-village.csv'][6].label, '007 吴某\n（新增低保）', 'a label with a line break, untouched');
    // Each row opens its full reasons, as the self-check shows them.
    await page.locator('tr.screen-row[data-row="3"] .screen-toggle').click();
    const detail = page.locator('#screen-detail-3');
    assert.ok(await detail.isVisible());
    assert.ok(await detail.locator('.reasons li').count() >= 1);
    assert.ok(await detail.locator('.next-steps li').count() >= 1);
    assert.equal(await page.getAttribute('tr.screen-row[data-row="3"] .screen-toggle', 'aria-expanded'), 'true');
    assertClean(log, `sheets ${lang}`);
    await context.close();
  }
});

test('a bad row is named by row and column, the other rows are still checked; the CLI agrees', async () => {
  const file = path.join(SHEETS, '03-bad-rows.csv');
  const { context, page, log } = await openScreen(DESKTOP, 'zh');
  await load(page, file);
  const shown = await table(page);
  assert.deepEqual(shown.map((r) => [r.row, r.invalid]), [[2, false], [3, true], [4, true], [5, false]]);
  const bad = shown[1].errors.join('\n');
  assert.match(bad, /第 3 行 D 列（是否脱贫户）：应填“是”或“否”（实际为“也许”）/);
  assert.match(bad, /第 3 行 E 列（户籍）/);
  assert.match(shown[2].errors.join('\n'), /第 4 行 C 列/);
  assert.match(await page.textContent('.screen-summary'), /2 户有错误/);
  const cli = batch(file, await today(page));
  assert.equal(cli.status, 2, 'exit status 2 when a row is invalid');
  assert.match(cli.stderr, /03-bad-rows\.csv:3:4: 第 3 行 D 列/);
  assertAgrees(shown, cli, 'zh', 'bad rows');
  assertClean(log, 'bad rows');
  await context.close();
});

test('the table filters, sorts and saves its results; nothing is requested or stored', async () => {
  const { context, page, log } = await openScreen(DESKTOP, 'zh');
  const before = log.requests.length;
  const file = path.join(SHEETS, '01-village.csv');
  await load(page, file);
  const cli = batch(file, await today(page));
  const all = await table(page);

  await page.check('#screen-only-review');
  const review = await table(page);
  assert.deepEqual(review.map((r) => r.row), cli.rows.filter((r) => r.review_needed).map((r) => r.row), 'only those needing review');
  assert.ok(review.length >= 1 && review.length < all.length, `the filter keeps some rows (${review.length} of ${all.length})`);
  await page.uncheck('#screen-only-review');

  await page.click('th.c-income .sort');
  const up = (await table(page)).map((r) => r.income);
  assert.deepEqual(up, [...up].sort((a, b) => a - b), 'income ascending');
  assert.equal(await page.getAttribute('th.c-income', 'aria-sort'), 'ascending');
  await page.click('th.c-income .sort');
  const down = (await table(page)).map((r) => r.income);
  assert.deepEqual(down, [...up].sort((a, b) => b - a), 'income descending');
  await page.click('th.c-row .sort');
  assert.deepEqual((await table(page)).map((r) => r.row), all.map((r) => r.row), 'back in the file\'s order');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#screen-save')]);
  assert.equal(download.suggestedFilename(), '村级筛查结果.csv');
  const text = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeff行号,户主姓名或编号,可能的结果,需要村里研判评议,'), text.slice(0, 80));
  for (const r of cli.rows) {
    assert.ok(text.includes(`\r\n${r.row},`), `the results sheet has row ${r.row}`);
    assert.ok(text.includes(`,${r.label.zh},${r.review_needed ? '是' : '否'},${r.per_capita_net_income},${r.monitoring_line},`), `row ${r.row}'s result and figures`);
  }
  assert.match(await page.textContent('.screen-saved'), /已保存/);

  // Reading, checking, sorting and saving asked nothing of the network (the download is a blob).
  const after = log.requests.slice(before).filter((u) => !u.startsWith('blob:'));
  assert.deepEqual(after, [], 'no request after the page loaded');
  assert.ok(log.requests.every((u) => u.startsWith(server.url) || u.startsWith('blob:') || u.startsWith('data:')), 'only the site itself');
  assert.deepEqual(await storage(page, context), { local: 0, session: 0, cookie: '', cookies: 0 });
  assert.deepEqual(await page.evaluate(async () => (await indexedDB.databases()).length), 0, 'no IndexedDB');
  assertClean(log, 'filter, sort, save');
  await context.close();
});

test('screening works opened from disk (file://)', async () => {
  const base = pathToFileURL(SITE).href + '/';
  const { context, page, log } = await openScreen(SMALL, 'en', { base });
  await load(page, path.join(SHEETS, '02-village-gbk.csv'));
  assert.equal((await table(page)).length, 8);
  assert.ok(log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), 'only local files');
  assertClean(log, 'file://');
  await context.close();
});

test('the table at 360×640, 1280×800 and 200% text, in both languages', async () => {
  for (const lang of ['zh', 'en']) {
    for (const [name, viewport, scale] of [['small', SMALL], ['desktop', DESKTOP], ['zoom200', ZOOM, 2]]) {
      const { context, page, log } = await openScreen(viewport, lang, { scale });
      await load(page, path.join(SHEETS, '03-bad-rows.csv'));
      await page.locator('tr.screen-row[data-row="2"] .screen-toggle').click();
      await assertNoSideways(page, `${lang} ${name}`);
      await page.screenshot({ path: shot(`screen-${name}-${lang}`), fullPage: true });
      assertClean(log, `${lang} ${name}`);
      await context.close();
    }
  }
});
