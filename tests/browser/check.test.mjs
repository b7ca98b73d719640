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
import { SITE, serve, launch, open, shot, PHONE, DESKTOP, assertClean, href, storage, assertNoSideways, validCases, cardFacts, fieldError } from './harness.mjs';

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
const SMALL = { width: 360, height: 640 };

/** The browser's text size at `percent` of the usual 16 px. */
async function textSize({ context, page }, percent) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: Math.round(16 * percent / 100), fixed: Math.round(13 * percent / 100) } });
}

/** Opens the checker; `today` (YYYY-MM-DD) fixes the browser's clock first; `percent` sets the
 * browser's text size (as Android's font setting does). */
async function openChecker(viewport, lang, { today, base = server.url, percent } = {}) {
  const opened = await open(browser, viewport);
  opened.page.setDefaultTimeout(10_000);
  if (today) await opened.page.clock.setFixedTime(new Date(`${today}T12:00:00`));
  if (percent) await textSize(opened, percent);
  await opened.page.goto(base + `${lang}/check/index.html`);
  await opened.page.locator('#check-form .btn-primary:enabled').waitFor();
  return opened;
}

/** The step shown ({ n, total }, from 1), as the form says it. */
const stepNow = (page) => page.evaluate(() => {
  const f = document.getElementById('check-form');
  return { n: Number(f.dataset.step), total: Number(f.dataset.steps) };
});

/** The step (from 1) that holds `selector`. */
const stepOf = (page, selector) => page.evaluate((sel) => {
  const steps = [...document.querySelectorAll('#check-form .step')];
  return steps.indexOf(document.querySelector(sel).closest('.step')) + 1;
}, selector);

/** Goes to step `n` with Back and Next, as a person would (Next only from a step answered). */
async function gotoStep(page, n) {
  for (let i = 0; i < 20; i++) {
    const now = (await stepNow(page)).n;
    if (now === n) return;
    await page.locator(now > n ? '#check-form .step-back' : '#check-form .btn-primary').click();
    await page.waitForFunction((was) => document.getElementById('check-form').dataset.step !== String(was), now, { timeout: 2000 }).catch(() => {});
  }
  assert.fail(`could not reach step ${n} (at ${(await stepNow(page)).n})`);
}

/** Fills a field (text or number) on its step. */
async function setField(page, field, value) {
  await gotoStep(page, await stepOf(page, id(field)));
  await page.fill(id(field), String(value));
}

/** Ticks a radio or checkbox (`input[name=…][value=…]`) on its step. */
async function tick(page, name, value) {
  const sel = `input[name=${name}][value=${value}]`;
  await gotoStep(page, await stepOf(page, sel));
  await page.check(sel);
}

/** Types a case into the form as a person would, step by step: numbers, radios, checkboxes, the
 * line; ends on the last step. */
async function fillCase(page, c, line) {
  await gotoStep(page, 1);
  await setField(page, 'members', c.members);
  await setField(page, 'members_with_labor', c.members_with_labor);
  await tick(page, 'poverty_alleviated', c.poverty_alleviated);
  await tick(page, 'hukou', c.hukou);
  if (c.urban_security != null) await tick(page, 'urban_security', c.urban_security);
  for (const group of ['income', 'expenses']) {
    for (const [k, v] of Object.entries(c[group] ?? {})) await setField(page, `${group}.${k}`, v);
  }
  await tick(page, 'sudden_hardship', c.sudden_hardship);
  for (const p of c.problems ?? []) await tick(page, 'problems', p);
  if (c.can_resolve_alone != null) await tick(page, 'can_resolve_alone', c.can_resolve_alone);
  await gotoStep(page, (await stepNow(page)).total);
  if (line != null) await page.fill('#f-line', String(line));
}

/** Presses Next (or, on the last step, the button that runs the check) once. */
const next = (page) => page.locator('#check-form .btn-primary').click();

/** Presses the form's button (Next) until an answer is refused or, on the last step, the check runs. */
async function submit(page) {
  for (let i = 0; i < 20; i++) {
    const { n, total } = await stepNow(page);
    await page.locator('#check-form .btn-primary').click();
    if (n === total) return;
    if (await page.locator('#check-form [aria-invalid=true]').count()) return;
  }
}

const card = (page) => cardFacts(page, '.result-card', '.reasons', (n) => ({
  category: n.dataset.category,
  review: n.dataset.review === 'true',
  userLine: n.dataset.userLine === 'true',
  // The outcome in plain words, the hotline and "a self-check, not a decision" come before the
  // reasons, which are folded.
  headFirst: ['.plain', '.official .category', '.disclaimer'].every((sel) => n.querySelector(sel) && (n.querySelector(sel).compareDocumentPosition(n.querySelector('.reasons-box')) & Node.DOCUMENT_POSITION_FOLLOWING)),
  folded: !n.querySelector('.reasons-box').open,
  hotlineEarly: n.querySelector('.disclaimer').textContent.includes('12317'),
  text: n.textContent,
}));

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

/** The field's error, as the page shows it (see `fieldError`). */
const expectFieldError = (page, field, what) => fieldError(page, page.locator(id(field)), what);

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
      for (const [f, v] of Object.entries(bad.set ?? {})) await setField(page, f, v);
      for (const [f, v] of Object.entries(bad.type ?? {})) { await setField(page, f, ''); await page.locator(id(f)).pressSequentially(v); }
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
    await fillCase(page, BASE);
    await gotoStep(page, await stepOf(page, '#f-income-wages'));
    for (const [typed, shown] of [['9000', '9,000'], ['9,000', '9,000'], ['９０００', '9,000'], ['9千', '9,000'], ['0.9万', '9,000'], ['9 千元', '9,000'], ['1.2万元', '12,000']]) {
      await page.fill('#f-income-wages', typed);
      await page.keyboard.press('Tab');
      assert.equal((await page.textContent('output[data-echo="income.wages"]')).trim(), `= ${shown}${unit}`, `${typed} (${lang})`);
      assert.equal(await page.locator('#f-income-wages').getAttribute('aria-invalid'), null, `${typed}: no error`);
    }
    // The checker computes with the amount as read: case 01 with its 16,000 of wages typed as
    // 1.6万 gives its 5,200 a head.
    await page.fill('#f-income-wages', '1.6万');
    await submit(page);
    assert.match(await page.textContent('.result-card'), /5,200/, `per-capita figure from 1.6万 (${lang})`);
    assertClean(log, `money (${lang})`);
    await context.close();
  }
});

/** A bad value in `field` is named on leaving it, and the message goes once it is fixed. */
async function leaveBadThenGood(page, field, bad, good) {
  await page.fill(id(field), bad);
  await page.keyboard.press('Tab');
  await expectFieldError(page, field, `${field} on blur`);
  await page.fill(id(field), good);
  await page.keyboard.press('Tab');
  assert.equal(await page.locator(id(field)).getAttribute('aria-invalid'), null, `${field}: error cleared once fixed`);
}

test('fields are checked when leaving them, and a step\'s answers before going on', async () => {
  const { context, page, log } = await openChecker(PHONE, 'en');
  await page.fill('#f-members', '3');
  await leaveBadThenGood(page, 'members_with_labor', '5', '1');
  // Next with nothing chosen: the radio group says so, tied to its inputs, and the step stays.
  for (const [name, step] of [['poverty_alleviated', 1], ['hukou', 2]]) {
    await next(page);
    assert.equal((await stepNow(page)).n, step);
    const radio = page.locator(`input[name=${name}]`).first();
    assert.equal(await radio.getAttribute('aria-invalid'), 'true', `${name} marked`);
    assert.match(await page.textContent(`#e-${name}`), /choose one/, `${name} message`);
    if (name === 'poverty_alleviated') {
      await page.check('input[name=poverty_alleviated][value=false]');
      await next(page);
    }
  }
  // The conditional question is a step of its own, asked only once its answer is needed, and
  // required then.
  await page.check('input[name=hukou][value=rural]');
  await next(page);
  assert.equal(await page.locator('#f-income-wages').isVisible(), true, 'no urban-security question for a rural household');
  await page.locator('#check-form .step-back').click();
  await page.check('input[name=hukou][value=converted_urban]');
  await next(page);
  assert.equal(await page.locator('input[name=urban_security]').first().isVisible(), true);
  await next(page);
  assert.match(await page.textContent('#e-urban_security'), /choose one/);
  await page.check('input[name=urban_security][value=false]');
  await next(page);
  assert.equal(await page.locator('#f-income-wages').isVisible(), true, 'on once the step is answered');
  await leaveBadThenGood(page, 'income.wages', '-5', '5000');
  await tick(page, 'sudden_hardship', 'false');
  await tick(page, 'problems', 'water');
  assert.equal(await page.locator('input[name=can_resolve_alone]').first().isVisible(), true);
  await submit(page);
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
  await setField(page, 'income.wages', '17000');
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
  const engine = files.find((p) => /\/assets\/engine-check-zh\.[0-9a-f]+\.js$/.test(p));
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
  await slow.page.route(/engine-check-(zh|en)\.[0-9a-f]+\.js$/, async (route) => { await held; await route.continue(); });
  await slow.page.goto(server.url + 'zh/check/index.html', { waitUntil: 'domcontentloaded' });
  await slow.page.locator('#check-status').filter({ hasText: '正在加载' }).waitFor();
  // The note states what is still to download: the engine script, gzipped, in KB (rounded up).
  const engineFile = fs.readdirSync(path.join(SITE, 'assets')).find((f) => /^engine-check-zh\.[0-9a-f]+\.js$/.test(f));
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
  await page.route(/engine-check-(zh|en)\.[0-9a-f]+\.js$/, (route) => (fail ? route.abort('internetdisconnected') : route.continue()));
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
  await broken.page.route(/engine-check-(zh|en)\.[0-9a-f]+\.js$/, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: '' }));
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
  assert.deepEqual(links, [2, 3, 7, 11, 12, 13, 14, 15].map((n) => `../../en/q/${n}/index.html`));
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
      await setField(page, 'income.wages', '-16000');
      await setField(page, 'members_with_labor', '7');
      await submit(page);
      await page.screenshot({ path: shot(`check-${size}-${lang}-error`) });
      await setField(page, 'members_with_labor', '2');
      await setField(page, 'income.wages', '16000');
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

// ---------------------------------------------------------------------------------------------
// One step at a time
// ---------------------------------------------------------------------------------------------

const STEP_WORDS = { zh: /^第 (\d+) 步，共 (\d+) 步$/, en: /^Step (\d+) of (\d+)$/ };

/** The shown step: its number, the progress line, where the focus is, and its height from the
 * progress line to the bottom of its buttons. */
const stepView = (page) => page.evaluate(() => {
  const f = document.getElementById('check-form');
  const shown = [...f.querySelectorAll('.step')].filter((s) => s.checkVisibility());
  const progress = document.getElementById('check-progress');
  const a = document.activeElement;
  return {
    n: Number(f.dataset.step),
    shown: shown.length,
    heading: shown[0]?.querySelector('h2').textContent,
    progress: progress.textContent.trim(),
    live: progress.getAttribute('aria-live'),
    focus: a && a.nodeName === 'H2' && shown[0]?.contains(a),
    back: f.querySelector('.step-back').checkVisibility(),
    button: f.querySelector('.btn-primary').textContent.trim(),
    height: f.querySelector('.form-actions').getBoundingClientRect().bottom - progress.getBoundingClientRect().top,
  };
});

for (const lang of ['zh', 'en']) {
  test(`one group of questions a step, each within 1.5 screens at 360×640; Back keeps the answers (${lang})`, async () => {
    for (const percent of [100, 150]) {
      const what = `${lang} ${percent} %`;
      const { context, page, log } = await openChecker(SMALL, lang, { percent });
      const views = [];
      const look = async () => {
        const v = await stepView(page);
        views.push(v);
        await page.screenshot({ path: shot(`check-step-${lang}-${percent}-${v.n}`) });
        return v;
      };
      let v = await look();
      assert.equal(v.n, 1, `${what}: the first step first`);
      assert.equal(v.shown, 1, `${what}: one step shown`);
      assert.equal(v.back, false, `${what}: no Back on the first step`);
      assert.equal(v.live, 'polite', `${what}: the progress is read out`);
      const [, n1, total] = STEP_WORDS[lang].exec(v.progress) ?? [];
      assert.equal(Number(n1), 1, `${what}: progress "${v.progress}"`);
      assert.ok(Number(total) >= 5, `${what}: ${total} steps`);
      assert.equal(v.button, lang === 'zh' ? '下一步 →' : 'Next →');
      // Case 01, wages typed as 1.6万: the running total under the income questions is the
      // engine's (16,000 + 6,000 − 1,200 = 20,800 for 4 people, 5,200 each).
      await page.fill('#f-members', '4');
      await page.check('input[name=poverty_alleviated][value=false]');
      await page.fill('#f-members_with_labor', '2');
      await page.keyboard.press('Enter'); // Enter in a field goes on, as a button press would
      v = await look();
      assert.equal(v.n, 2, `${what}: Enter goes on`);
      assert.ok(v.focus, `${what}: the focus is on the new step's heading`);
      assert.equal(STEP_WORDS[lang].exec(v.progress)?.[1], '2', `${what}: progress "${v.progress}"`);
      assert.ok(v.back, `${what}: Back from the second step`);
      // A converted household has one step more, the urban-security question; a rural one goes
      // straight on to its income.
      await page.check('input[name=hukou][value=converted_urban]');
      assert.equal(STEP_WORDS[lang].exec((await stepView(page)).progress)?.[2], String(Number(total) + 1), `${what}: one step more`);
      await next(page);
      v = await look();
      assert.ok(await page.locator('input[name=urban_security]').first().isVisible(), `${what}: the urban-security step`);
      assert.equal(STEP_WORDS[lang].exec(v.progress)?.[1], '3');
      await page.locator('#check-form .step-back').click();
      await page.check('input[name=hukou][value=rural]');
      assert.equal(STEP_WORDS[lang].exec((await stepView(page)).progress)?.[2], total, `${what}: back to ${total} steps`);
      await next(page);
      v = await look();
      assert.equal(STEP_WORDS[lang].exec(v.progress)?.[1], '3', `${what}: the income is step 3 now`);
      assert.ok(await page.locator('#f-income-wages').isVisible());
      await page.fill('#f-income-wages', '1.6万');
      await page.fill('#f-income-business', '6000');
      await page.fill('#f-income-business_costs', '1200');
      const total3 = await page.textContent('.step:not([hidden]) [data-income-total]');
      assert.match(total3, /20,800/, `${what}: running total "${total3}"`);
      assert.match(total3, /5,200/, `${what}: per person "${total3}"`);
      await look();
      await next(page);
      v = await look();
      assert.equal(STEP_WORDS[lang].exec(v.progress)?.[1], '4');
      assert.match(await page.textContent('.step:not([hidden]) [data-income-total]'), /20,800/, `${what}: the total follows to the next income step`);
      await page.fill('#f-income-claims', '3000');
      assert.match(await page.textContent('.step:not([hidden]) [data-income-total]'), /20,800/, `${what}: claims are not in the net income`);
      await next(page);
      await look();
      await next(page);
      await page.check('input[name=sudden_hardship][value=false]');
      await look();
      await next(page);
      await page.check('input[name=problems][value=housing]');
      await page.check('input[name=can_resolve_alone][value=false]');
      await look();
      await next(page);
      v = await look();
      assert.equal(STEP_WORDS[lang].exec(v.progress)?.[1], total, `${what}: the last step`);
      assert.equal(v.button, lang === 'zh' ? '查看测评结果' : 'See the result');
      // Back to the first step: every answer is still there.
      await gotoStep(page, 1);
      assert.equal(await page.inputValue('#f-members'), '4');
      assert.equal(await page.inputValue('#f-income-wages'), '1.6万');
      assert.ok(await page.isChecked('input[name=problems][value=housing]'));
      assert.ok(await page.isChecked('input[name=can_resolve_alone][value=false]'));
      await gotoStep(page, (await stepNow(page)).total);
      await next(page);
      const got = await card(page);
      assert.equal(got.category, 'marginal', `${what}: case 01's result`);
      assert.equal(got.income, 5200);
      await page.screenshot({ path: shot(`check-step-${lang}-${percent}-result`) });
      console.log(`# ${what}: step heights ${views.map((s) => `${s.n}:${Math.round(s.height)}`).join(' ')}`);
      if (percent === 100) {
        for (const s of views) assert.ok(s.height <= 1.5 * 640, `${what}: step ${s.n} is ${Math.round(s.height)} px high (> 1.5 screens)`);
      }
      await assertNoSideways(page, what);
      assertClean(log, what);
      await context.close();
    }
  });
}

/** Whether the CLI refuses case 01 with `change` applied for want of `field`. */
function cliRequires(change, field) {
  const file = path.join(TMP, `requires-${field}.yaml`);
  fs.writeFileSync(file, Object.entries({ ...BASE, ...change }).filter(([, v]) => v != null).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n') + '\n');
  try {
    execFileSync(BIN, ['check', file, '--json', '--policy', POLICY], { cwd: REPO, encoding: 'utf8', stdio: 'pipe' });
    return false;
  } catch (e) {
    return String(e.stdout) .includes(field) || String(e.stderr).includes(field);
  }
}

test('a conditional question is asked exactly when the engine needs its answer', async () => {
  const { context, page, log } = await openChecker(PHONE, 'zh');
  await fillCase(page, BASE);
  await gotoStep(page, 2);
  for (const hukou of ['rural', 'relocated_urban', 'converted_urban', 'urban']) {
    await page.check(`input[name=hukou][value=${hukou}]`);
    const asked = await page.locator('[data-asked=urban_security]').evaluate((w) => !w.hidden);
    assert.equal(asked, cliRequires({ hukou, urban_security: null }, 'urban_security'), `${hukou}: urban_security asked`);
  }
  await page.check('input[name=hukou][value=rural]');
  await gotoStep(page, await stepOf(page, 'input[name=problems]'));
  for (const problems of [[], ['water'], ['education', 'medical']]) {
    for (const p of ['education', 'medical', 'housing', 'water']) await page.setChecked(`input[name=problems][value=${p}]`, problems.includes(p));
    const asked = await page.locator('input[name=can_resolve_alone]').first().isVisible();
    assert.equal(asked, cliRequires({ problems, can_resolve_alone: null }, 'can_resolve_alone'), `${problems}: can_resolve_alone asked`);
  }
  assertClean(log, 'conditional');
  await context.close();
});

test('without JavaScript every question is on the page, the conditional ones included, with no step controls', async () => {
  for (const lang of ['zh', 'en']) {
    const context = await browser.newContext({ viewport: SMALL, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(server.url + `${lang}/check/index.html`);
    const hidden = await page.locator('#check-form input').evaluateAll((is) => is.filter((i) => !i.checkVisibility()).map((i) => i.name));
    assert.deepEqual(hidden, [], `${lang}: every input visible`);
    for (const sel of ['#check-progress', '#check-form .step-back']) assert.equal(await page.locator(sel).isVisible(), false, `${lang}: ${sel} not shown`);
    assert.match(await page.textContent('#check-form [data-asked=urban_security]'), lang === 'zh' ? /农转非/ : /converted/, `${lang}: says whom the question is for`);
    assert.ok(await page.locator('#check-form .btn-primary').isDisabled());
    assert.equal((await page.textContent('#check-form .btn-primary')).trim(), lang === 'zh' ? '查看测评结果' : 'See the result');
    await page.screenshot({ path: shot(`check-nojs-${lang}`), fullPage: true });
    await context.close();
  }
});

test('when form.js never arrives, every question is shown again with the page\'s note for that case', async () => {
  for (const lang of ['zh', 'en']) {
    const context = await browser.newContext({ viewport: SMALL, serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.route(/\/form\.[0-9a-f]+\.js$/, (route) => route.abort('internetdisconnected'));
    await page.goto(server.url + `${lang}/check/index.html`);
    await page.waitForFunction(() => document.readyState === 'complete');
    const hidden = await page.locator('#check-form input').evaluateAll((is) => is.filter((i) => !i.checkVisibility()).map((i) => i.name));
    assert.deepEqual(hidden, [], `${lang}: every input visible`);
    assert.equal(await page.locator('#check-progress').isVisible(), false, `${lang}: no progress line without steps`);
    const note = page.locator('.check-noscript');
    assert.equal(await note.count(), 1, `${lang}: the no-JavaScript note is shown once`);
    assert.match(await note.textContent(), lang === 'zh' ? /JavaScript/ : /JavaScript/);
    assert.ok(await page.locator('#check-form .btn-primary').isDisabled(), `${lang}: nothing to submit to`);
    // The other tools' pages say so too.
    await page.goto(server.url + `${lang}/elimination/index.html`);
    await page.waitForFunction(() => document.readyState === 'complete');
    assert.equal(await page.locator('.check-noscript').count(), 1, `${lang}: elimination page's note`);
    await context.close();
  }
  // With form.js the note stays inside <noscript>.
  const { context, page } = await openChecker(SMALL, 'zh');
  assert.equal(await page.locator('.check-noscript').count(), 0, 'no note when the script runs');
  await context.close();
});

// Links shared before the form had steps, made with the Share button of the build of main at
// 1a5e628 (on the date they carry): they must open the same answers and result.
const OLD_LINKS = JSON.parse(fs.readFileSync(path.join(HERE, 'fixtures/share-links.json'), 'utf8'));

test('share links made before the steps open the same answers and result', async () => {
  assert.ok(OLD_LINKS.length >= 2);
  for (const old of OLD_LINKS) {
    const { context, page, log } = await open(browser, PHONE);
    await page.clock.setFixedTime(new Date(`${old.today}T12:00:00`));
    await page.goto(server.url + old.path + old.fragment);
    const got = await card(page);
    assert.equal(got.category, old.category, `${old.name}: category`);
    assert.equal(got.income, old.income, `${old.name}: income`);
    assert.equal(got.line, old.line, `${old.name}: line`);
    assert.deepEqual(got.cites, old.cites, `${old.name}: cites`);
    for (const [sel, value] of Object.entries(old.values)) assert.equal(await page.inputValue(sel), value, `${old.name}: ${sel}`);
    for (const sel of old.checked) assert.ok(await page.isChecked(sel), `${old.name}: ${sel}`);
    assertClean(log, old.name);
    await context.close();
  }
});

test('a mis-tap loses nothing: clearing asks first, and leaving the page keeps nothing', async () => {
  const { context, page, log } = await openChecker(PHONE, 'zh');
  await fillCase(page, BASE);
  const wages = await stepOf(page, '#f-income-wages');
  await gotoStep(page, wages);
  await page.locator('#check-form .btn-clear').click();
  assert.match(await page.textContent('#check-form .clear-ask'), /清空全部答案/);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'btn btn-secondary clear-no', 'the focus on Keep, not on Clear');
  await page.keyboard.press('Enter');
  assert.equal((await stepNow(page)).n, wages, 'Keep stays on the step');
  assert.equal(await page.inputValue('#f-income-wages'), '16000', 'and keeps the answers');
  assert.equal(await page.inputValue('#f-members'), '4');
  await page.locator('#check-form .btn-clear').click();
  await page.locator('#check-form .clear-yes').click();
  await page.waitForFunction(() => document.getElementById('check-form').dataset.step === '1');
  assert.equal(await page.inputValue('#f-members'), '');
  assert.equal(await page.inputValue('#f-income-wages'), '');
  assert.equal(await page.locator('input[name=hukou]:checked').count(), 0);
  assert.ok((await stepView(page)).focus, 'the focus on the first step\'s heading');
  // Answers typed, then the page left and opened again: nothing kept anywhere.
  await page.fill('#f-members', '3');
  await page.goto(server.url + 'zh/index.html');
  await page.goto(server.url + 'zh/check/index.html');
  await page.locator('#check-form .btn-primary:enabled').waitFor();
  assert.equal(await page.inputValue('#f-members'), '');
  assert.deepEqual(await storage(page, context), { local: 0, session: 0, cookie: '', cookies: 0 });
  assertClean(log, 'mis-tap');
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Read aloud, with a stand-in for the device's speech synthesis
// ---------------------------------------------------------------------------------------------

/** Replaces speechSynthesis by one with `voices` (a list of langs; `late`: announced after 300 ms)
 * that records what it is asked to say in window.__spoken. */
function fakeSpeech({ voices, late }) {
  const list = voices.map((lang, i) => ({ lang, name: `voice ${i}`, localService: true, default: i === 0 }));
  let ready = !late;
  const listeners = [];
  window.__spoken = [];
  window.__cancelled = 0;
  const synth = {
    getVoices: () => (ready ? list : []),
    speak: (u) => window.__spoken.push({ text: u.text, lang: u.lang, voice: u.voice?.lang }),
    cancel: () => { window.__cancelled++; },
    addEventListener: (type, fn) => { if (type === 'voiceschanged') listeners.push(fn); },
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
  if (late) setTimeout(() => { ready = true; listeners.forEach((fn) => fn()); }, 300);
}

test('read aloud: on a question and on the result, in the page\'s language, only with a voice for it', async () => {
  const cases = [
    { lang: 'zh', voices: ['en-US', 'zh-CN'], want: 'zh-CN', label: '朗读', stop: '停止朗读' },
    { lang: 'zh', voices: ['zh-CN'], late: true, want: 'zh-CN', label: '朗读', stop: '停止朗读' },
    { lang: 'en', voices: ['zh-CN', 'en-GB'], want: 'en-GB', label: 'Read aloud', stop: 'Stop reading' },
    { lang: 'zh', voices: ['en-US', 'zh-TW'], want: null },
    { lang: 'en', voices: ['zh-CN'], want: null },
    { lang: 'zh', voices: null, want: null }, // the browser's own: headless Chromium has no voice
  ];
  for (const c of cases) {
    const what = `${c.lang} page, voices ${c.voices}${c.late ? ' (late)' : ''}`;
    const { context, page, log } = await open(browser, PHONE);
    if (c.voices) await page.addInitScript(fakeSpeech, { voices: c.voices, late: c.late });
    await page.goto(server.url + `${c.lang}/q/3/index.html`);
    const button = page.locator('#main button.read-aloud');
    if (!c.want) {
      await page.waitForTimeout(500);
      assert.equal(await button.isVisible(), false, `${what}: no button`);
      assertClean(log, what);
      await context.close();
      continue;
    }
    await button.waitFor();
    assert.equal((await button.textContent()).trim(), c.label, what);
    assert.equal(await button.getAttribute('aria-pressed'), 'false');
    const loaded = log.requests.length;
    await button.click();
    const spoken = await page.evaluate(() => window.__spoken);
    assert.equal(spoken.length, 1, `${what}: one utterance`);
    assert.equal(spoken[0].voice, c.want, `${what}: the voice`);
    assert.equal(spoken[0].lang, c.want, `${what}: the language`);
    const answer = (await page.textContent('#answer')).trim();
    assert.ok(spoken[0].text.startsWith(answer.slice(0, 20)), `${what}: reads the answer: ${spoken[0].text.slice(0, 40)}`);
    assert.ok(!spoken[0].text.includes(c.label), `${what}: not its own label`);
    assert.equal((await button.textContent()).trim(), c.stop, `${what}: the button stops it now`);
    assert.equal(await button.getAttribute('aria-pressed'), 'true');
    await button.click();
    assert.equal((await page.evaluate(() => window.__spoken)).length, 1, `${what}: a second press stops`);
    assert.ok(await page.evaluate(() => window.__cancelled) > 0);
    assert.equal((await button.textContent()).trim(), c.label);
    await page.screenshot({ path: shot(`read-aloud-${c.lang}-question`) });

    // The result of the self-check has its own button, reading the outcome in plain words first.
    await page.goto(server.url + `${c.lang}/check/index.html`);
    await page.locator('#check-form .btn-primary:enabled').waitFor();
    await fillCase(page, BASE);
    await submit(page);
    await card(page);
    const onCard = page.locator('.result-card button.read-aloud');
    await onCard.waitFor();
    await onCard.click();
    const said = (await page.evaluate(() => window.__spoken)).at(-1);
    assert.equal(said.lang, c.want, `${what}: the result in the page's language`);
    const plain = (await page.textContent('.result-card .plain')).trim();
    assert.ok(said.text.includes(plain), `${what}: the result read: ${said.text.slice(0, 60)}`);
    assert.ok(said.text.indexOf(plain) < said.text.indexOf('12317'), `${what}: the outcome before whom to ask`);
    await page.screenshot({ path: shot(`read-aloud-${c.lang}-result`) });
    assert.deepEqual(log.requests.slice(loaded).filter((u) => !u.includes('/check/index.html') && !/\/assets\//.test(u)), [], `${what}: nothing requested to read`);
    assertClean(log, what);
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Each page in its language, every step and the result; the way in from the home page
// ---------------------------------------------------------------------------------------------

/** Text of the other language shown in `main`: on a Chinese page any English phrase (three words
 * or more), on an English page any Chinese outside an element marked zh-CN (a quote). */
const otherLanguage = (page) => page.evaluate(() => {
  const zhPage = document.documentElement.lang.startsWith('zh');
  const ZH = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!n.nodeValue.trim() || e.closest('script,style,noscript') || !e.checkVisibility()) continue;
    // A web address is a name, not prose.
    const text = n.nodeValue.replace(/[\w.-]+\.(com|cn|org|gov)(\.cn)?(\/\S*)?/g, '');
    if (zhPage && text.split(ZH).some((s) => (s.match(/[A-Za-z]+/g) ?? []).length >= 3)) out.push(n.nodeValue.trim().slice(0, 60));
    if (!zhPage && /\p{Script=Han}/u.test(n.nodeValue) && !e.closest('[lang^=zh]')) out.push(n.nodeValue.trim().slice(0, 60));
  }
  return out;
});

test('every step and the result speak the page\'s language only', async () => {
  for (const lang of ['zh', 'en']) {
    for (const c of run.filter((x) => ['01-', '05-', '18-', '23-'].some((p) => x.name.startsWith(p)))) {
      const { context, page, log } = await openChecker(PHONE, lang, { today: c.today });
      const seen = (await otherLanguage(page)).map((t) => `empty form: ${t}`);
      await fillCase(page, c.case, c.options?.line_yuan);
      await gotoStep(page, 1);
      for (let i = 0; i < 12; i++) {
        const { n, total } = await stepNow(page);
        seen.push(...(await otherLanguage(page)).map((t) => `step ${n}: ${t}`));
        if (n === total) break;
        await next(page);
      }
      await submit(page);
      await card(page);
      await page.evaluate(() => document.querySelectorAll('.result-card details').forEach((d) => { d.open = true; }));
      seen.push(...(await otherLanguage(page)).map((t) => `result: ${t}`));
      assert.deepEqual(seen, [], `${lang} ${c.name}`);
      assertClean(log, `${lang} ${c.name}`);
      await context.close();
    }
  }
});

test('the self-check is on the first screen of the home page and linked from every question it implements', async () => {
  const numbers = [];
  for (const lang of ['zh', 'en']) {
    const { context, page } = await open(browser, SMALL);
    await page.goto(server.url + `${lang}/index.html`);
    const box = await page.locator('main a[href$="check/index.html"]').first().boundingBox();
    assert.ok(box && box.y + box.height <= SMALL.height, `${lang}: the link is within the first 640 px (${box && Math.round(box.y + box.height)})`);
    await page.screenshot({ path: shot(`check-home-${lang}`) });
    await page.goto(server.url + `${lang}/check/index.html`);
    const listed = await page.evaluate(() => JSON.parse(document.getElementById('check-form').dataset.questions));
    const html = fs.readFileSync(path.join(SITE, lang, 'check/index.html'), 'utf8');
    const implemented = [.../<noscript>[\s\S]*?<\/noscript>/.exec(html)[0].matchAll(/q\/(\d+)\/index\.html/g)].map((m) => Number(m[1]));
    // The questions whose conditions the checker applies: 2 (the three kinds), 3, 7, 11, 12 (the
    // income), 13, 14, 15 (members of urban registration).
    assert.deepEqual(implemented, [2, 3, 7, 11, 12, 13, 14, 15], `${lang}: the questions the checker implements`);
    for (const n of implemented) {
      assert.ok(listed.includes(n));
      await page.goto(server.url + `${lang}/q/${n}/index.html`);
      assert.equal(await page.locator('.tool-link a[href$="/check/index.html"]').count(), 1, `${lang} Q${n}: links to the self-check`);
      numbers.push(n);
    }
    await context.close();
  }
  assert.equal(numbers.length, 16);
});
