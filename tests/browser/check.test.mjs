// The self-checker in a real browser, through its form: every golden case of tests/cases/ is
// typed into the form and the result card compared with `policybook check --json`, in both
// languages at phone size (a few at desktop size); bad input gives a message tied to its field;
// nothing is requested, stored or put into the address while checking; it works from file://.
// Screenshots go to target/screenshots/check-*.png for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { SITE, serve, launch, open, shot, PHONE, DESKTOP, assertClean, href, storage, assertNoSideways, validCases } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const CASES = path.join(REPO, 'tests/cases');
const POLICY = path.join(REPO, 'content/policy.yaml');
const BIN = path.resolve(HERE, process.env.POLICYBOOK_BIN ?? '../../target/debug/policybook');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-check-'));

// Valid cases the form cannot express, with the reason. Every other valid case is run.
const SKIP = {
  '21-explicit-year.yaml': 'sets `year` (a past year\'s line chosen explicitly); the form has no year question and always uses the line in force today',
  '25-rural-member-with-urban-support.yaml': 'answers urban_security for a rural household; the form asks that question only of converted (农转非) households (Q14)',
  '28-q15-urban-support-may.yaml': 'answers urban_security for a rural household (the Q15 warning); the form asks that question only of converted (农转非) households (Q14)',
};
// Cases also run at desktop size (all of them run at phone size).
const DESKTOP_CASES = ['01-marginal-housing.yaml', '05-severe-difficulty-illness.yaml', '12-tracked-high-income.yaml', '18-converted-urban-with-security.yaml', '23-user-entered-line.yaml'];

const valid = validCases(CASES);

/** `policybook check --json` on the case's own `case:` text, with the page's date. */
function cli(c, today) {
  const file = path.join(TMP, c.name);
  fs.writeFileSync(file, c.caseText);
  const out = execFileSync(BIN, ['check', file, '--json', '--today', today, '--policy', POLICY], { cwd: REPO, encoding: 'utf8' });
  return JSON.parse(out);
}

// ---------------------------------------------------------------------------------------------
// The page
// ---------------------------------------------------------------------------------------------

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); fs.rmSync(TMP, { recursive: true, force: true }); });

const id = (field) => '#f-' + field.replace('.', '-');

/** Opens the checker; `today` (YYYY-MM-DD) fixes the browser's clock first. */
async function openChecker(viewport, lang, { today, base = server.url } = {}) {
  const opened = await open(browser, viewport);
  opened.page.setDefaultTimeout(10_000);
  if (today) await opened.page.clock.setFixedTime(new Date(`${today}T12:00:00`));
  await opened.page.goto(base + `${lang}/check/index.html`);
  await opened.page.locator('#check-form .btn-primary:enabled').waitFor();
  return opened;
}

/** Types a case into the form as a person would: numbers, radios, checkboxes, the line. */
async function fillCase(page, c, line) {
  await page.fill('#f-members', String(c.members));
  await page.fill('#f-members_with_labor', String(c.members_with_labor));
  await page.check(`input[name=poverty_alleviated][value=${c.poverty_alleviated}]`);
  await page.check(`input[name=hukou][value=${c.hukou}]`);
  if (c.urban_security != null) await page.check(`input[name=urban_security][value=${c.urban_security}]`);
  for (const group of ['income', 'expenses']) {
    for (const [k, v] of Object.entries(c[group] ?? {})) await page.fill(id(`${group}.${k}`), String(v));
  }
  for (const p of c.problems ?? []) await page.check(`input[name=problems][value=${p}]`);
  if (c.can_resolve_alone != null) await page.check(`input[name=can_resolve_alone][value=${c.can_resolve_alone}]`);
  await page.check(`input[name=sudden_hardship][value=${c.sudden_hardship}]`);
  if (line != null) await page.fill('#f-line', String(line));
}

async function submit(page) {
  await page.locator('#check-form .btn-primary').click();
}

async function card(page) {
  const el = page.locator('.result-card');
  await el.waitFor();
  return el.evaluate((n) => ({
    category: n.dataset.category,
    review: n.dataset.review === 'true',
    income: Number(n.dataset.income),
    line: Number(n.dataset.line),
    year: Number(n.dataset.year),
    userLine: n.dataset.userLine === 'true',
    provisional: n.dataset.provisional === 'true',
    today: n.dataset.today,
    cites: JSON.parse(n.dataset.cites),
    links: [...n.querySelectorAll('.reasons .cites a')].map((a) => a.getAttribute('href')),
    // The outcome in plain words, the hotline and "a self-check, not a decision" come before the
    // reasons, which are folded.
    headFirst: ['.plain', '.official .category', '.disclaimer'].every((sel) => n.querySelector(sel) && (n.querySelector(sel).compareDocumentPosition(n.querySelector('.reasons-box')) & Node.DOCUMENT_POSITION_FOLLOWING)),
    folded: !n.querySelector('.reasons-box').open,
    hotlineEarly: n.querySelector('.disclaimer').textContent.includes('12317'),
    text: n.textContent,
  }));
}

/** Runs one golden case through the form and compares with the CLI. */
async function golden(c, viewport, lang) {
  const line = c.options?.line_yuan;
  const { context, page, log } = await openChecker(viewport, lang, { today: c.today });
  const url = page.url();
  const loaded = log.requests.length;
  await fillCase(page, c.case, line);
  await submit(page);
  const got = await card(page);
  const what = `${c.name} (${lang}, ${viewport.width}px)`;
  if (c.today) assert.equal(got.today, c.today, `${what}: the page uses the fixed date`);
  if (line != null) {
    // The CLI has no option for a user-entered line: compare with the case file's expectations.
    const e = c.expect;
    assert.equal(got.category, e.category, `${what}: category`);
    assert.equal(got.line, e.monitoring_line, `${what}: line`);
    assert.equal(got.income, e.per_capita_net_income, `${what}: income`);
    assert.equal(got.userLine, e.line_user_entered, `${what}: user-entered line`);
    assert.equal(got.provisional, e.line_provisional, `${what}: provisional`);
  } else {
    const want = cli(c, got.today);
    assert.equal(got.category, want.category, `${what}: category`);
    assert.equal(got.review, want.review_needed, `${what}: review_needed`);
    assert.equal(got.income, want.per_capita_net_income, `${what}: per_capita_net_income`);
    assert.equal(got.line, want.monitoring_line, `${what}: monitoring_line`);
    assert.equal(got.year, want.year, `${what}: year`);
    assert.deepEqual(got.cites, want.reasons.map((r) => r.cites), `${what}: cites of the reasons`);
    assert.ok(got.text.includes(want.label[lang]), `${what}: the category in plain words`);
    for (const r of want.reasons) assert.ok(got.text.includes(r[lang]), `${what}: reason shown: ${r[lang]}`);
  }
  const root = lang === 'zh' ? '第' : 'Q';
  assert.ok(got.links.length > 0 && got.links.every((h) => /^\.\.\/\.\.\/(zh|en)\/q\/\d+\/index\.html$/.test(h) && h.includes(`/${lang}/`)), `${what}: reason links ${got.links}`);
  assert.ok(got.text.includes(root), `${what}: question labels`);
  assert.ok(got.text.includes('12317'), `${what}: hotline`);
  assert.ok(got.headFirst && got.hotlineEarly, `${what}: the outcome in plain words and whom to ask come first`);
  assert.ok(got.folded, `${what}: the reasons are folded`);
  // Privacy: nothing requested while filling and checking; nothing stored; the address unchanged.
  assert.deepEqual(log.requests.slice(loaded), [], `${what}: no request while filling and checking`);
  assert.deepEqual(await storage(page, context), { local: 0, session: 0, cookie: '', cookies: 0 }, `${what}: no storage`);
  assert.equal(await href(page), url, `${what}: URL unchanged`);
  assertClean(log, what);
  await context.close();
  return got;
}

const run = valid.filter((c) => !SKIP[c.name]);

test('the golden cases are all accounted for', () => {
  assert.ok(run.length >= 20, `cases run: ${run.length}`);
  for (const name of Object.keys(SKIP)) assert.ok(valid.some((c) => c.name === name), `skipped case exists: ${name}`);
  // Cases with `today` are run with the browser's clock set to it; only SKIP is left out.
  assert.deepEqual(valid.filter((c) => SKIP[c.name]).map((c) => c.name).sort(), Object.keys(SKIP).sort());
});

for (const lang of ['zh', 'en']) {
  test(`golden cases through the form agree with the CLI (${lang}, phone)`, async () => {
    for (const c of run) await golden(c, PHONE, lang);
  });
  test(`golden cases through the form agree with the CLI (${lang}, desktop)`, async () => {
    for (const c of run.filter((x) => DESKTOP_CASES.includes(x.name))) await golden(c, DESKTOP, lang);
  });
}

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

const BASE = valid.find((c) => c.name.startsWith('01-')).case;

async function expectFieldError(page, field, what) {
  const input = page.locator(id(field));
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `${what}: aria-invalid`);
  const errId = (await input.getAttribute('aria-describedby')).split(/\s+/).find((x) => x.startsWith('e-'));
  assert.ok(errId, `${what}: aria-describedby names an error element`);
  const text = (await page.locator('#' + errId).textContent()).trim();
  assert.ok(text.length > 4, `${what}: error text "${text}"`);
  assert.equal(await page.locator('.result-card').count(), 0, `${what}: no result`);
  return text;
}

const BAD = [
  { what: 'no members', field: 'members', set: { members: '0', members_with_labor: '0' }, zh: /至少为 1 人/, en: /at least 1/ },
  { what: 'more workers than members', field: 'members_with_labor', set: { members: '2', members_with_labor: '3' }, zh: /不能多于/, en: /cannot be more/ },
  { what: 'a negative amount', field: 'income.wages', set: { 'income.wages': '-9000' }, zh: /负数/, en: /negative/ },
  { what: 'a non-numeric amount', field: 'income.business', type: { 'income.business': '1e' }, zh: /无法识别为金额/, en: /is not an amount/ },
  { what: 'an absurd amount', field: 'income.transfers', set: { 'income.transfers': '99999999999999999999' }, zh: /过大/, en: /too large/ },
  { what: 'a decimal amount', field: 'expenses.medical', set: { 'expenses.medical': '100.5' }, zh: /整数元/, en: /whole yuan/ },
  { what: 'an ambiguous amount', field: 'income.wages', set: { 'income.wages': '9千5' }, zh: /歧义/, en: /ambiguous/ },
  { what: 'an empty line', field: 'line', set: { line: '' }, zh: /填写/, en: /fill/ },
];

for (const lang of ['zh', 'en']) {
  test(`bad input in the form is named at its field (${lang})`, async () => {
    for (const bad of BAD) {
      const { context, page, log } = await openChecker(PHONE, lang);
      await fillCase(page, BASE);
      for (const [f, v] of Object.entries(bad.set ?? {})) await page.fill(id(f), v);
      for (const [f, v] of Object.entries(bad.type ?? {})) { await page.fill(id(f), ''); await page.locator(id(f)).pressSequentially(v); }
      await submit(page);
      const text = await expectFieldError(page, bad.field, `${bad.what} (${lang})`);
      assert.match(text, bad[lang], `${bad.what} (${lang}): message in the page language`);
      assert.match(text, lang === 'zh' ? /^错误：/ : /^Error: /, `${bad.what}: text prefix`);
      // Focus moves to the field in error; a summary is shown above the form.
      assert.equal(await page.evaluate(() => document.activeElement?.id), id(bad.field).slice(1), `${bad.what}: focus`);
      assert.ok((await page.textContent('#check-form-error')).length > 3, `${bad.what}: summary`);
      assertClean(log, bad.what);
      await context.close();
    }
  });
}

test('money is read as people type it, by the engine, and echoed in standard form', async () => {
  for (const lang of ['zh', 'en']) {
    const { context, page, log } = await openChecker(PHONE, lang);
    const unit = lang === 'zh' ? ' 元' : ' yuan';
    for (const [typed, shown] of [['9000', '9,000'], ['9,000', '9,000'], ['９０００', '9,000'], ['9千', '9,000'], ['0.9万', '9,000'], ['9 千元', '9,000'], ['1.2万元', '12,000']]) {
      await page.fill('#f-income-wages', typed);
      await page.keyboard.press('Tab');
      assert.equal((await page.textContent('output[data-echo="income.wages"]')).trim(), `= ${shown}${unit}`, `${typed} (${lang})`);
      assert.equal(await page.locator('#f-income-wages').getAttribute('aria-invalid'), null, `${typed}: no error`);
    }
    // The checker computes with the amount as read: case 01 with its 16,000 of wages typed as
    // 1.6万 gives its 5,200 a head.
    await fillCase(page, BASE);
    await page.fill('#f-income-wages', '1.6万');
    await submit(page);
    assert.match(await page.textContent('.result-card'), /5,200/, `per-capita figure from 1.6万 (${lang})`);
    assertClean(log, `money (${lang})`);
    await context.close();
  }
});

test('fields are checked when leaving them, and required answers on submit', async () => {
  const { context, page, log } = await openChecker(PHONE, 'en');
  await page.fill('#f-income-wages', '-5');
  await page.keyboard.press('Tab');
  await expectFieldError(page, 'income.wages', 'blur');
  await page.fill('#f-income-wages', '5000');
  await page.keyboard.press('Tab');
  assert.equal(await page.locator('#f-income-wages').getAttribute('aria-invalid'), null, 'error cleared once fixed');
  await page.fill('#f-members', '3');
  await page.fill('#f-members_with_labor', '5');
  await page.keyboard.press('Tab');
  await expectFieldError(page, 'members_with_labor', 'workers on blur');
  // Nothing chosen yet: the radio groups say so, tied to their inputs.
  await submit(page);
  for (const name of ['poverty_alleviated', 'hukou', 'sudden_hardship']) {
    const radio = page.locator(`input[name=${name}]`).first();
    assert.equal(await radio.getAttribute('aria-invalid'), 'true', `${name} marked`);
    assert.match(await page.textContent(`#e-${name}`), /choose one/, `${name} message`);
  }
  // The conditional questions appear with their answers and are required then.
  assert.equal(await page.locator('input[name=urban_security]').first().isVisible(), false);
  await page.check('input[name=hukou][value=converted_urban]');
  assert.equal(await page.locator('input[name=urban_security]').first().isVisible(), true);
  await page.check('input[name=problems][value=water]');
  assert.equal(await page.locator('input[name=can_resolve_alone]').first().isVisible(), true);
  await submit(page);
  assert.match(await page.textContent('#e-urban_security'), /choose one/);
  assert.match(await page.textContent('#e-can_resolve_alone'), /choose one/);
  await page.screenshot({ path: shot('check-phone-en-errors'), fullPage: false });
  assert.equal(await page.locator('.result-card').count(), 0);
  assertClean(log, 'blur');
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Privacy, sharing, file://, no JavaScript
// ---------------------------------------------------------------------------------------------

test('the address carries the case only after Share, and a shared link reproduces the check', async () => {
  const { context, page, log } = await openChecker(PHONE, 'zh');
  const url = page.url();
  await fillCase(page, BASE);
  await submit(page);
  const first = await card(page);
  assert.equal(await href(page), url, 'no fragment before Share');
  const loaded = log.requests.length;
  await page.locator('#share-button').click();
  const shared = await href(page);
  assert.match(shared, /#case=[A-Za-z0-9_-]+$/, 'fragment after Share');
  assert.equal(await page.inputValue('#share-link'), shared, 'the link is shown');
  const payload = JSON.parse(Buffer.from(shared.split('#case=')[1], 'base64url').toString('utf8'));
  assert.deepEqual(Object.keys(payload).sort(), ['expenses', 'hukou', 'income', 'members', 'members_with_labor', 'poverty_alleviated', 'problems', 'can_resolve_alone', 'sudden_hardship'].sort(), 'only the case fields');
  assert.deepEqual(log.requests.slice(loaded), [], 'sharing requests nothing');
  // Editing an answer takes the case out of the address again.
  await page.fill('#f-income-wages', '17000');
  assert.equal(await href(page), url, 'fragment dropped on edit');
  assert.ok(await page.locator('.result-card.is-stale').count(), 'result marked out of date');
  // Clear all answers: asked first, and Keep keeps them.
  await page.locator('#check-form .btn-clear').click();
  assert.match(await page.textContent('#check-form .clear-ask'), /清空全部答案/);
  assert.equal(await page.inputValue('#f-members'), String(BASE.members), 'nothing cleared before the answer');
  await page.locator('#check-form .clear-no').click();
  assert.equal(await page.inputValue('#f-members'), String(BASE.members), 'Keep keeps the answers');
  assert.ok(await page.locator('.result-card').count(), 'and the result');
  // Clear: the form is empty again, the line back to the data's figure.
  await page.locator('#check-form .btn-clear').click();
  await page.locator('#check-form .clear-yes').click();
  await page.locator('#check-result').waitFor({ state: 'hidden' });
  assert.equal(await page.inputValue('#f-members'), '');
  assert.equal(await page.inputValue('#f-line'), String(first.line));
  assertClean(log, 'share');
  await context.close();

  const other = await open(browser, PHONE);
  await other.page.goto(shared);
  const again = await card(other.page);
  assert.equal(again.category, first.category);
  assert.deepEqual(again.cites, first.cites);
  assert.equal(await other.page.inputValue('#f-income-wages'), '16000', 'form prefilled');
  assertClean(other.log, 'shared link');
  await other.context.close();

  // A user-entered line travels with the shared case.
  const c23 = valid.find((c) => c.name.startsWith('23-'));
  const third = await openChecker(PHONE, 'en');
  await fillCase(third.page, c23.case, c23.options.line_yuan);
  await submit(third.page);
  await third.page.locator('#share-button').click();
  const link = await href(third.page);
  await third.context.close();
  const fourth = await open(browser, PHONE);
  await fourth.page.goto(link);
  const got = await card(fourth.page);
  assert.equal(got.line, 6500);
  assert.equal(got.userLine, true);
  await fourth.context.close();

  // A broken fragment is reported, not thrown.
  const fifth = await open(browser, PHONE);
  await fifth.page.goto(url + '#case=@@@');
  await fifth.page.locator('#check-form .btn-primary:enabled').waitFor();
  assert.equal(await fifth.page.locator('.result-card').count(), 0);
  const bad = await open(browser, PHONE);
  await bad.page.goto(url + '#case=bm90IGpzb24');
  await bad.page.locator('#check-form .btn-primary:enabled').waitFor();
  assert.match(await bad.page.textContent('#check-form-error'), /分享链接无法读取/);
  assertClean(bad.log, 'broken fragment');
  await fifth.context.close();
  await bad.context.close();
});

test('the checker works opened from disk (file://)', async () => {
  const base = pathToFileURL(SITE).href + '/';
  for (const lang of ['zh', 'en']) {
    const { context, page, log } = await openChecker(PHONE, lang, { base });
    await fillCase(page, BASE);
    await submit(page);
    const got = await card(page);
    assert.equal(got.category, 'marginal');
    assert.ok(log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), 'only local files');
    await page.locator('.reasons-box summary').click();
    await page.locator('.reasons .cites a').first().click();
    await page.waitForURL(new RegExp(`/${lang}/q/\\d+/index\\.html$`));
    assertClean(log, `file:// ${lang}`);
    await context.close();
  }
});

test('over a gzip server the checker page downloads what its loading note says', async () => {
  const gz = await serve(SITE, { gzip: true });
  const { context, page, log } = await open(browser, PHONE);
  await page.goto(gz.url + 'zh/check/index.html');
  await page.locator('#check-form .btn-primary:enabled').waitFor();
  const files = [...gz.sent.keys()];
  const engine = files.find((p) => /\/assets\/engine-check\.[0-9a-f]+\.js$/.test(p));
  assert.ok(engine, `the engine came over the gzip server: ${files.join(' ')}`);
  const kb = Number(await page.getAttribute('#check-form', 'data-engine-kb'));
  // The build gzips with miniz (flate2), this server with zlib: the same level, a few hundred
  // bytes apart.
  assert.ok(Math.abs(kb - gz.sent.get(engine) / 1000) <= 1, `the note's ${kb} KB is the engine as transferred, ${gz.sent.get(engine)} B`);
  for (const kind of [/\/zh\/check\/index\.html$/, /\/style\.[0-9a-f]+\.css$/, /\/form\.[0-9a-f]+\.js$/]) {
    assert.ok(files.some((p) => kind.test(p)), `${kind} was downloaded gzipped`);
  }
  const total = [...gz.sent.values()].reduce((a, b) => a + b, 0);
  // The figure bench/RESULTS.md records; the budget of 100 KB is not met yet (see there).
  console.log(`checker page over gzip: ${total} B in ${files.length} files: ${files.map((p) => `${path.basename(p)} ${gz.sent.get(p)}`).join(', ')}`);
  assertClean(log, 'gzip server');
  await context.close();
  await gz.close();
});

test('while the engine loads the page says so; when it cannot load it says why, and Retry recovers', async () => {
  // A slow engine: the form is there at once and can be filled in, the button waits for the engine.
  const slow = await open(browser, PHONE);
  let release;
  const held = new Promise((r) => { release = r; });
  await slow.page.route(/engine-check\.[0-9a-f]+\.js$/, async (route) => { await held; await route.continue(); });
  await slow.page.goto(server.url + 'zh/check/index.html', { waitUntil: 'domcontentloaded' });
  await slow.page.locator('#check-status').filter({ hasText: '正在加载' }).waitFor();
  // The note states what is still to download: the engine script, gzipped, in KB (rounded up).
  const engineFile = fs.readdirSync(path.join(SITE, 'assets')).find((f) => /^engine-check\.[0-9a-f]+\.js$/.test(f));
  const gzipped = zlib.gzipSync(fs.readFileSync(path.join(SITE, 'assets', engineFile))).length;
  const note = (await slow.page.textContent('#check-status')).match(/^正在加载测评工具（约 (\d+) KB）…可以先填写。$/);
  assert.ok(note, 'the loading note with its size');
  assert.ok(Math.abs(Number(note[1]) - gzipped / 1000) <= 1, `${note[1]} KB for ${gzipped} B gzipped`);
  assert.ok(await slow.page.locator('#check-form').isVisible(), 'the form is shown while the engine loads');
  assert.ok(await slow.page.locator('#check-form .btn-primary').isDisabled(), 'its button waits for the engine');
  await slow.page.fill('#f-members', '4');
  release();
  await slow.page.locator('#check-form .btn-primary:enabled').waitFor();
  assert.equal(await slow.page.textContent('#check-status'), '', 'the loading note goes once the engine runs');
  assert.equal(await slow.page.inputValue('#f-members'), '4', 'what was typed meanwhile stays');
  assertClean(slow.log, 'slow engine');
  await slow.context.close();

  // The network fails: say so (not "change your browser"), offer Retry, and Retry works.
  const { context, page } = await open(browser, PHONE);
  let fail = true;
  await page.route(/engine-check\.[0-9a-f]+\.js$/, (route) => (fail ? route.abort('internetdisconnected') : route.continue()));
  await page.goto(server.url + 'zh/check/index.html');
  const box = page.locator('#check-failed');
  await box.waitFor({ state: 'visible' });
  assert.match(await box.textContent(), /网络/, 'the network is named');
  assert.doesNotMatch(await box.textContent(), /浏览器/, 'the browser is not blamed');
  assert.ok(await page.locator('#check-form .btn-primary').isDisabled(), 'no dead button');
  fail = false;
  await box.locator('button').click();
  await page.locator('#check-form .btn-primary:enabled').waitFor();
  assert.equal(await box.isVisible(), false, 'the message goes once it works');
  await context.close();

  // The engine arrives but does not start: not the network, not the browser.
  const broken = await open(browser, PHONE);
  await broken.page.route(/engine-check\.[0-9a-f]+\.js$/, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
  await broken.page.goto(server.url + 'en/check/index.html');
  await broken.page.locator('#check-failed').waitFor({ state: 'visible' });
  assert.match(await broken.page.textContent('#check-failed'), /could not start/);
  assert.equal(await broken.page.locator('#check-failed button').count(), 0, 'no Retry where it would not help');
  await broken.context.close();
});

test('without JavaScript the form is a plain page that says the checker needs JavaScript, and links to the conditions', async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + 'en/check/index.html');
  assert.ok(await page.locator('#check-form').isVisible(), 'the questions can be read and answered');
  assert.ok(await page.locator('#check-form .btn-primary').isDisabled(), 'no button that does nothing');
  const links = await page.locator('.check-noscript a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, [3, 7, 11, 13, 14].map((n) => `../../en/q/${n}/index.html`));
  assert.match(await page.textContent('.check-noscript'), /needs JavaScript/);
  await page.screenshot({ path: shot('check-phone-en-nojs') });
  await context.close();
});

test('every field has a label, a description and an error element; no personal data is asked', async () => {
  const { context, page } = await openChecker(PHONE, 'zh');
  const report = await page.evaluate(() => [...document.querySelectorAll('#check-form input')].map((i) => ({
    name: i.name,
    type: i.type,
    labelled: i.labels.length > 0,
    described: (i.getAttribute('aria-describedby') ?? '').split(/\s+/).every((x) => x && document.getElementById(x)),
    error: (i.getAttribute('aria-describedby') ?? '').split(/\s+/).some((x) => x.startsWith('e-')),
    inputmode: i.inputMode,
    min: i.min,
    kind: i.dataset.kind,
  })));
  assert.ok(report.length >= 25, `inputs: ${report.length}`);
  for (const r of report) {
    assert.ok(r.labelled && r.described && r.error, `${r.name}: label, description, error`);
    if (r.type === 'number') assert.ok(r.inputmode === 'numeric' && r.min !== '', `${r.name}: numeric`);
    // Amounts are text, so that what a person types reaches the form's one money reader.
    if (r.kind === 'amount') assert.ok(r.type === 'text' && r.inputmode === 'decimal', `${r.name}: an amount is typed as text`);
  }
  const names = report.map((r) => r.name).join(' ');
  assert.doesNotMatch(names, /name|phone|id_?card|address|tel/i, 'no personal data fields');
  assert.equal(await page.getAttribute('#check-form', 'action'), null, 'the form has no action');
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Screenshots of the empty form, an error state and a result card, at both sizes
// ---------------------------------------------------------------------------------------------

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`screenshots at ${size} size`, async () => {
    for (const lang of ['zh', 'en']) {
      const { context, page, log } = await openChecker(viewport, lang);
      await assertNoSideways(page, `checker ${size} ${lang}`);
      await page.screenshot({ path: shot(`check-${size}-${lang}-form`), fullPage: true });
      await fillCase(page, BASE);
      await page.fill('#f-income-wages', '-16000');
      await page.fill('#f-members_with_labor', '7');
      await submit(page);
      await page.screenshot({ path: shot(`check-${size}-${lang}-error`) });
      await page.fill('#f-income-wages', '16000');
      await page.fill('#f-members_with_labor', '2');
      await submit(page);
      await card(page);
      const small = await page.evaluate(() => [...document.querySelectorAll('.result-card a, .result-card button, #check-form button, #check-form .option')]
        .filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect()).filter((r) => r.height < 44).length);
      assert.equal(small, 0, 'touch targets at least 44 px high');
      await page.locator('#check-result').screenshot({ path: shot(`check-${size}-${lang}-result`) });
      await page.screenshot({ path: shot(`check-${size}-${lang}-result-top`) });
      assertClean(log, `screenshots ${size} ${lang}`);
      await context.close();
    }
  });
}
