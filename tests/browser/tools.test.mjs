// The cadre tools in a real browser, through their forms (issue 8): the risk-elimination check,
// procedure deadlines and the privacy check of notices, in both languages at phone size (a few at
// desktop size). Every result is compared with the CLI on the same input (`policybook check
// --elimination --json`, `policybook deadlines --json`, `policybook redact --json`); bad input is
// named at its field; nothing is requested, stored or put into the address while using a tool;
// they work from file:// and without JavaScript say where to read instead. Screenshots go to
// target/screenshots/tools-*.png for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SITE, serve, launch, open, shot, PHONE, DESKTOP, assertClean, href, storage, validCases, cardFacts, fieldError } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const CASES = path.join(REPO, 'tests/cases/elimination');
const POLICY = path.join(REPO, 'content/policy.yaml');
const WORDS = path.join(REPO, 'content/sensitive-words.yaml');
const BIN = path.resolve(HERE, process.env.POLICYBOOK_BIN ?? '../../target/debug/policybook');
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-tools-'));
// The date case files mean when they give none (tests/cases/elimination/README.md).
const CASE_TODAY = '2023-06-01';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); fs.rmSync(TMP, { recursive: true, force: true }); });

/**
 * Opens `tool` and uses it as a person would: `fill` types the input, the form's button is
 * pressed and `read` reads the result. Returns the page (`opened`), the result (`got`), and the
 * address and the number of requests before the input (what `assertPrivate` compares with).
 */
async function runTool(tool, viewport, lang, fill, read, options) {
  const opened = await openTool(tool, viewport, lang, options);
  const url = opened.page.url();
  const loaded = opened.log.requests.length;
  await fill(opened.page);
  await submit(opened.page);
  return { opened, url, loaded, got: await read(opened.page) };
}

/** Opens a tool page; `today` (YYYY-MM-DD) fixes the browser's clock first. */
async function openTool(tool, viewport, lang, { today, base = server.url, permissions } = {}) {
  const opened = await open(browser, viewport);
  opened.page.setDefaultTimeout(10_000);
  if (permissions) await opened.context.grantPermissions(permissions, { origin: base.replace(/\/$/, '') });
  if (today) await opened.page.clock.setFixedTime(new Date(`${today}T12:00:00`));
  await opened.page.goto(base + `${lang}/${tool}/index.html`);
  await opened.page.locator('#tool-form .btn-primary:enabled').waitFor();
  return opened;
}

const submit = (page) => page.locator('#tool-form .btn-primary').click();
/** Nothing requested since `loaded`, nothing stored, the address as it was. */
async function assertPrivate({ context, page, log }, loaded, url, what) {
  assert.deepEqual(log.requests.slice(loaded), [], `${what}: no request while using the tool`);
  assert.deepEqual(await storage(page, context), { local: 0, session: 0, cookie: '', cookies: 0 }, `${what}: no storage`);
  assert.equal(await href(page), url, `${what}: URL unchanged`);
}

/** Runs the CLI; returns its parsed JSON output and exit status. */
function cli(args, input) {
  const r = spawnSync(BIN, args, { cwd: REPO, encoding: 'utf8', input });
  assert.ok(r.status === 0 || r.status === 1, `policybook ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return { json: JSON.parse(r.stdout), status: r.status };
}

/** The link checks every cited question shares: relative, in the page's language, existing. */
function assertQuestionLinks(links, lang, what) {
  assert.ok(links.length > 0, `${what}: question links`);
  for (const h of links) {
    assert.match(h, new RegExp(`^\\.\\./\\.\\./${lang}/q/\\d+/index\\.html$`), `${what}: link ${h}`);
    assert.ok(fs.existsSync(path.join(SITE, h.replace(/^\.\.\/\.\.\//, ''))), `${what}: ${h} exists`);
  }
}

// ---------------------------------------------------------------------------------------------
// Risk-elimination check
// ---------------------------------------------------------------------------------------------

const PROBLEMS = ['education', 'medical', 'housing', 'water']; // the form's order
const elimCases = validCases(CASES);
// Valid cases the form cannot express, with the reason. Every other valid case is run.
const ELIM_SKIP = {};
const ELIM_DESKTOP = ['01-all-conditions-met.yaml', '06-safety-net-household.yaml', '13-several-unmet.yaml'];

/** Types an elimination case into the form as a person would. */
async function fillElimination(page, c) {
  await page.fill('#f-members', String(c.members));
  await page.fill('#f-members_with_labor', String(c.members_with_labor));
  await page.check(`input[name=safety_net_support][value=${c.safety_net_support}]`);
  for (const [k, v] of Object.entries(c.income ?? {})) await page.fill(`#f-income-${k}`, String(v));
  await page.check(`input[name=natural_elimination][value=${c.natural_elimination}]`);
  if (c.months_above_line != null) await page.fill('#f-months_above_line', String(c.months_above_line));
  for (const p of c.problems ?? []) await page.check(`input[name=problems][value=${p}]`);
  await page.check(`input[name=new_risk][value=${c.new_risk}]`);
}

const elimCard = (page) => cardFacts(page, '.elim-card', '.elim-reasons', (n) => ({
  verdict: n.dataset.verdict,
  eligible: n.dataset.eligible === 'true',
  unmet: JSON.parse(n.dataset.unmet),
  because: n.querySelector('.elim-because')?.textContent ?? null,
  category: n.querySelector('.category').textContent,
  text: n.textContent,
}));

async function eliminationGolden(c, viewport, lang) {
  const today = c.today ?? CASE_TODAY;
  const what = `${c.name} (${lang}, ${viewport.width}px)`;
  const { opened, url, loaded, got } = await runTool('elimination', viewport, lang, (page) => fillElimination(page, c.case), elimCard, { today });
  const { context, log } = opened;
  assert.equal(got.today, today, `${what}: the page uses the fixed date`);

  // The CLI on the case file's own text …
  const file = path.join(TMP, c.name);
  fs.writeFileSync(file, c.caseText);
  const want = cli(['check', '--elimination', file, '--json', '--today', today, '--policy', POLICY]).json;
  assert.equal(got.verdict, want.verdict, `${what}: verdict`);
  assert.equal(got.eligible, want.eligible, `${what}: eligible`);
  assert.equal(got.income, want.per_capita_net_income, `${what}: per-capita net income`);
  assert.equal(got.line, want.monitoring_line, `${what}: line`);
  assert.equal(got.year, want.year, `${what}: year`);
  assert.equal(got.provisional, want.line_provisional, `${what}: provisional`);
  assert.deepEqual(got.unmet, want.reasons.filter((r) => !r.met).map((r) => r.key), `${what}: unmet conditions`);
  assert.deepEqual(got.cites, want.reasons.map((r) => r.cites), `${what}: cites of the reasons`);
  // … and, for the words, on the case with its problems in the form's order (they are listed in
  // the order given).
  const canonical = { ...c.case, problems: PROBLEMS.filter((p) => (c.case.problems ?? []).includes(p)) };
  const jsonFile = path.join(TMP, c.name.replace(/\.yaml$/, '.json'));
  fs.writeFileSync(jsonFile, JSON.stringify(canonical));
  const words = cli(['check', '--elimination', jsonFile, '--json', '--today', today, '--policy', POLICY]).json;
  assert.equal(got.category, words.label[lang], `${what}: the verdict in plain words`);
  for (const r of [...words.reasons, ...words.next_steps, ...words.warnings]) {
    assert.ok(got.text.includes(r[lang]), `${what}: shown: ${r[lang]}`);
  }
  assert.equal(got.because != null, !want.eligible, `${what}: "because" only when not eligible`);
  assert.ok(got.text.includes(want.line_source[lang]), `${what}: the line's source`);
  if (want.eligible) assert.ok(got.text.includes(lang === 'zh' ? '第37问' : 'Q37'), `${what}: Q37 procedure`);
  assertQuestionLinks(got.links, lang, what);
  await assertPrivate(opened, loaded, url, what);
  assertClean(log, what);
  await context.close();
}

test('the elimination golden cases are all accounted for', () => {
  assert.ok(elimCases.length >= 12, `cases: ${elimCases.length}`);
  for (const c of elimCases) assert.equal(c.case.year, undefined, `${c.name}: sets year, which the form cannot express`);
  assert.deepEqual(Object.keys(ELIM_SKIP), []);
  assert.ok(elimCases.some((c) => c.expect.verdict === 'can_propose') && elimCases.some((c) => c.expect.verdict === 'not_applicable'));
});

for (const lang of ['zh', 'en']) {
  test(`elimination: golden cases through the form agree with the CLI (${lang}, phone)`, async () => {
    for (const c of elimCases) await eliminationGolden(c, PHONE, lang);
  });
  test(`elimination: golden cases through the form agree with the CLI (${lang}, desktop)`, async () => {
    for (const c of elimCases.filter((x) => ELIM_DESKTOP.includes(x.name))) await eliminationGolden(c, DESKTOP, lang);
  });
}

// ---------------------------------------------------------------------------------------------
// Procedure deadlines
// ---------------------------------------------------------------------------------------------

const DEADLINES = [
  { what: 'Green Channel on 31 January of a leap year', input: { green_channel_entry: '2024-01-31' }, due: { green_channel_verification: '2024-02-29' } },
  { what: 'a risk found just before the year end', input: { risk_found: '2023-12-25' }, due: { home_verification: '2023-12-28', identification: '2024-01-09' } },
  { what: 'across the leap day, with publicity and approval', input: { risk_found: '2024-02-27', publicity_start: '2024-03-01', county_approval: '2024-03-10' }, due: { home_verification: '2024-03-01', village_publicity: '2024-03-06', identification: '2024-03-13', system_entry: '2024-03-20', assistance_plan: '2024-03-20' } },
  { what: 'both tracks in a common year', input: { risk_found: '2023-02-27', green_channel_entry: '2023-01-31' }, due: { home_verification: '2023-03-02', green_channel_verification: '2023-02-28' } },
  { what: 'approval late, across the year end', input: { risk_found: '2024-12-20', county_approval: '2025-01-06' }, due: { identification: '2025-01-04', system_entry: '2025-01-16' } },
];

async function fillDates(page, input) {
  for (const [k, v] of Object.entries(input)) await page.fill(`#f-${k}`, v);
}

async function dlCard(page) {
  const card = page.locator('.dl-card');
  await card.waitFor();
  return card.evaluate((n) => ({
    items: JSON.parse(n.dataset.items),
    shown: [...n.querySelectorAll('.dl-item')].map((li) => ({ key: li.dataset.key, due: li.dataset.due, date: li.querySelector('.dl-due').textContent })),
    links: [...n.querySelectorAll('.dl-item .cites a')].map((a) => a.getAttribute('href')),
    quotes: [...n.querySelectorAll('.dl-quote q')].map((q) => q.textContent),
    text: n.textContent,
  }));
}

async function deadlinesGolden(d, viewport, lang) {
  const what = `${d.what} (${lang}, ${viewport.width}px)`;
  const { opened, url, loaded, got } = await runTool('deadlines', viewport, lang, (page) => fillDates(page, d.input), dlCard);
  const { context, log } = opened;
  const file = path.join(TMP, 'deadlines.json');
  fs.writeFileSync(file, JSON.stringify(d.input));
  const want = cli(['deadlines', file, '--json', '--policy', POLICY]).json;
  assert.deepEqual(got.items, want.items.map((i) => ({ key: i.key, track: i.track, due: i.due, due_if_on_time: i.due_if_on_time })), `${what}: the items and their dates`);
  for (const [key, due] of Object.entries(d.due)) {
    assert.equal(got.items.find((i) => i.key === key)?.due, due, `${what}: ${key} due`);
    assert.equal(got.shown.find((i) => i.key === key)?.date, due, `${what}: ${key} shown`);
  }
  assert.deepEqual(got.shown.map((i) => i.key), want.items.map((i) => i.key), `${what}: procedure order`);
  for (const i of want.items) assert.ok(got.text.includes(i[lang]), `${what}: ${i.key} text`);
  assert.deepEqual(got.quotes, want.items.map((i) => i.quote), `${what}: the guide's words`);
  for (const w of want.warnings) assert.ok(got.text.includes(w[lang]), `${what}: warning ${w[lang]}`);
  assert.ok(got.text.includes(want.counting[lang]), `${what}: how days are counted`);
  assertQuestionLinks(got.links, lang, what);
  await assertPrivate(opened, loaded, url, what);
  assertClean(log, what);
  await context.close();
  return want;
}

for (const lang of ['zh', 'en']) {
  test(`deadlines: month ends, leap days and year ends agree with the CLI (${lang}, phone)`, async () => {
    let warned = false;
    for (const d of DEADLINES) warned = (await deadlinesGolden(d, PHONE, lang)).warnings.length > 0 || warned;
    assert.ok(warned, 'a case with a warning (late approval) is among them');
  });
  test(`deadlines: one run at desktop size (${lang})`, async () => {
    await deadlinesGolden(DEADLINES[2], DESKTOP, lang);
  });
}

test('deadlines: the timeline prints without the form, with the counting rule', async () => {
  const { context, page, log } = await openTool('deadlines', PHONE, 'zh');
  await fillDates(page, DEADLINES[2].input);
  await submit(page);
  await dlCard(page);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#tool-form').isVisible(), false, 'no form on paper');
  assert.equal(await page.locator('#dl-print').isVisible(), false, 'no button on paper');
  assert.equal(await page.locator('.site-header').isVisible(), false, 'no header on paper');
  assert.equal(await page.locator('.dl-timeline').first().isVisible(), true, 'the timeline');
  assert.equal(await page.locator('.dl-counting-note').isVisible(), true, 'the counting rule');
  assert.equal(await page.locator('.print-doc').isVisible(), true, 'the document named');
  await page.screenshot({ path: shot('tools-print-zh-deadlines'), fullPage: true });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 1000, 'prints to PDF');
  assertClean(log, 'print');
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Privacy check
// ---------------------------------------------------------------------------------------------

/** A synthetic 18-digit resident ID number: region, birth date, sequence and its check digit. */
function residentId(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Completes a number with its Luhn check digit. */
function luhn(prefix) {
  const digits = [...prefix, '0'].map(Number).reverse();
  const sum = digits.reduce((s, d, i) => s + (i % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
  return prefix + String((10 - (sum % 10)) % 10);
}

const ID = residentId('37010219900307123');
const CARD = luhn('622202100112345678');
const NOTICE = [
  '关于拟纳入防止返贫监测对象的公示',
  `户主：张某某，身份证号码 ${ID}，联系电话 13812345678。`,
  '档案编号 2013812345678901 登记在册。',
  `补助资金打入银行卡 ${CARD}，因患有糖尿病长期服药。`,
  '<img src=x onerror="window.__pwned=1">公示期5天。',
].join('\n');
const CLEAN = '关于拟纳入防止返贫监测对象的公示\n经村民代表大会评议，拟将以下农户纳入监测，公示期5天。\n联系人：村委会。';

async function rdCard(page) {
  const card = page.locator('.rd-card');
  await card.waitFor();
  return card.evaluate((n) => ({
    found: n.dataset.found === 'true',
    counts: JSON.parse(n.dataset.counts),
    findings: JSON.parse(n.dataset.findings),
    marks: [...n.querySelectorAll('.rd-preview mark')].map((m) => ({ kind: m.dataset.kind, text: m.textContent })),
    preview: n.querySelector('.rd-preview') ? [...n.querySelector('.rd-preview').childNodes].filter((c) => !(c.nodeType === 1 && c.tagName === 'SUP')).map((c) => c.textContent).join('') : null,
    images: n.querySelectorAll('img').length,
    masked: n.querySelector('#rd-masked').value,
    links: [...n.querySelectorAll('.rd-reason .cites a')].map((a) => a.getAttribute('href')),
    text: n.textContent,
  }));
}

async function paste(page, text) {
  await page.fill('#f-text', text);
}

async function redactGolden(text, viewport, lang) {
  const what = `privacy check (${lang}, ${viewport.width}px)`;
  const { opened, url, loaded, got } = await runTool('redact', viewport, lang, (page) => paste(page, text), rdCard);
  const { page, log } = opened;
  const { json: want, status } = cli(['redact', '-', '--json', '--words', WORDS], text);
  assert.equal(status, want.found ? 1 : 0, `${what}: CLI exit status`);
  assert.equal(got.found, want.found, `${what}: found`);
  assert.deepEqual(got.counts, want.counts, `${what}: counts`);
  assert.deepEqual(got.findings, want.findings.map((f) => ({ kind: f.kind, text: f.text, masked: f.masked, start: f.start, end: f.end })), `${what}: findings`);
  assert.equal(got.masked, want.masked, `${what}: masked text`);
  if (want.found) {
    assert.deepEqual(got.marks, want.findings.map((f) => ({ kind: f.kind, text: f.text })), `${what}: highlighted in the text`);
    assert.equal(got.preview, text, `${what}: the highlighted copy is the text itself`);
    for (const f of want.findings) assert.ok(got.text.includes(f.reason[lang]), `${what}: reason ${f.reason[lang]}`);
    assertQuestionLinks(got.links, lang, what);
  }
  assert.ok(got.text.includes(want.summary[lang]), `${what}: summary`);
  assert.equal(got.images, 0, `${what}: markup in the text stays text`);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null, `${what}: nothing in the text runs`);
  // The text is in no request: there is none at all.
  assert.ok(!log.requests.some((u) => u.includes('13812345678') || u.includes(ID)), `${what}: text in a request`);
  await assertPrivate(opened, loaded, url, what);
  assertClean(log, what);
  return { ...opened, got, want };
}

for (const lang of ['zh', 'en']) {
  test(`redact: findings and masked text agree with the CLI (${lang}, phone)`, async () => {
    const { context, got, want } = await redactGolden(NOTICE, PHONE, lang);
    assert.deepEqual(want.counts, { resident_id: 1, mobile: 1, bank_card: 1, health: 3 }, 'the notice\'s findings (the 16-digit file number is not a mobile)');
    assert.deepEqual(got.findings.filter((f) => f.kind === 'health').map((f) => f.text), ['患有', '糖尿病', '长期服药'], 'the health words');
    assert.ok(got.masked.includes('2013812345678901'), 'a mobile inside a longer digit run is left alone');
    assert.ok(got.masked.includes(`**************${ID.slice(-4)}`), 'the ID masked but its last four');
    assert.ok(got.masked.includes('138****5678'), 'the mobile masked in the middle');
    await context.close();
  });
  test(`redact: text with nothing to find stays unchanged (${lang})`, async () => {
    const { context, got } = await redactGolden(CLEAN, PHONE, lang);
    assert.equal(got.found, false);
    assert.equal(got.masked, CLEAN, 'byte for byte');
    await context.close();
  });
}

test('redact: one run at desktop size, and the result follows edits', async () => {
  const { context, page, log } = await redactGolden(NOTICE, DESKTOP, 'zh');
  const loaded = log.requests.length;
  await page.fill('#f-text', NOTICE.replace('13812345678', '13912345678'));
  await page.waitForFunction(() => document.querySelector('#rd-masked')?.value.includes('139****5678'));
  assert.deepEqual(log.requests.slice(loaded), [], 'no request while editing');
  await context.close();
});

test('redact: Copy uses the clipboard when allowed, and selects the text otherwise', async () => {
  const allowed = await openTool('redact', PHONE, 'zh', { permissions: ['clipboard-read', 'clipboard-write'] });
  await paste(allowed.page, NOTICE);
  await submit(allowed.page);
  const { masked } = await rdCard(allowed.page);
  await allowed.page.locator('#rd-copy').click();
  await allowed.page.waitForFunction(() => document.querySelector('.rd-status').textContent === '已复制。');
  assert.equal(await allowed.page.evaluate(() => navigator.clipboard.readText()), masked, 'the masked text is on the clipboard');
  assertClean(allowed.log, 'copy');
  await allowed.context.close();

  // No clipboard API (as over plain http on a phone): the text is selected for copying by hand.
  const plain = await open(browser, PHONE);
  await plain.page.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }); });
  await plain.page.goto(server.url + 'en/redact/index.html');
  await paste(plain.page, NOTICE);
  await submit(plain.page);
  await rdCard(plain.page);
  await plain.page.locator('#rd-copy').click();
  const sel = await plain.page.evaluate(() => {
    const a = document.activeElement;
    return { id: a.id, start: a.selectionStart, end: a.selectionEnd, length: a.value.length, status: document.querySelector('.rd-status').textContent };
  });
  assert.deepEqual({ id: sel.id, start: sel.start, end: sel.end }, { id: 'rd-masked', start: 0, end: sel.length }, 'all of it selected');
  assert.match(sel.status, /Ctrl\+C/);
  assertClean(plain.log, 'copy fallback');
  await plain.context.close();
});

// ---------------------------------------------------------------------------------------------
// Bad input
// ---------------------------------------------------------------------------------------------

/** The field's error (see `fieldError`), with the summary above the form. */
async function refused(page, selector, what) {
  const text = await fieldError(page, page.locator(selector).first(), what);
  assert.ok((await page.textContent('#tool-form-error')).length > 3, `${what}: summary above the form`);
  return text;
}

/** Types `values` (selector: value, in order), presses the button and returns the error at `field`. */
async function refusedWith(page, values, field, what) {
  for (const [selector, value] of Object.entries(values)) await page.fill(selector, value);
  await submit(page);
  return refused(page, field, what);
}

const BASE_CASE = elimCases.find((c) => c.name.startsWith('01-')).case;

for (const lang of ['zh', 'en']) {
  test(`bad input is named at its field (${lang})`, async () => {
    const prefix = lang === 'zh' ? /^错误：/ : /^Error: /;
    // Elimination: no members; months missing; more workers than members; a choice not made.
    const e = await openTool('elimination', PHONE, lang);
    await fillElimination(e.page, BASE_CASE);
    let text = await refusedWith(e.page, { '#f-members': '0' }, '#f-members', 'members 0');
    assert.match(text, lang === 'zh' ? /至少为 1 人/ : /at least 1/);
    assert.match(text, prefix);
    assert.equal(await e.page.evaluate(() => document.activeElement.id), 'f-members', 'focus on the field');
    text = await refusedWith(e.page, { '#f-members': '3', '#f-months_above_line': '' }, '#f-months_above_line', 'months missing');
    assert.match(text, lang === 'zh' ? /月数/ : /months/);
    // Natural elimination makes the months optional.
    await e.page.check('input[name=natural_elimination][value=true]');
    await submit(e.page);
    assert.equal((await elimCard(e.page)).verdict, 'can_propose');
    await refusedWith(e.page, { '#f-members_with_labor': '5' }, '#f-members_with_labor', 'more workers');
    await refusedWith(e.page, { '#f-income-wages': '12.5', '#f-members_with_labor': '2' }, '#f-income-wages', 'decimal amount');
    assertClean(e.log, `elimination bad input ${lang}`);
    await e.context.close();

    const empty = await openTool('elimination', PHONE, lang);
    await submit(empty.page);
    for (const name of ['safety_net_support', 'natural_elimination', 'new_risk']) {
      await refused(empty.page, `input[name=${name}]`, `${name} not chosen`);
    }
    await empty.context.close();

    // Deadlines: an invalid date (31 February typed in), nothing given, a date before the risk.
    const d = await openTool('deadlines', PHONE, lang);
    await d.page.click('#f-risk_found');
    await d.page.keyboard.type('02302024');
    assert.equal(await d.page.inputValue('#f-risk_found'), '', 'the browser holds no value for 30 February');
    await submit(d.page);
    text = await refused(d.page, '#f-risk_found', 'invalid date');
    assert.match(text, lang === 'zh' ? /完整、有效的日期/ : /complete, valid date/);
    assert.match(text, prefix);
    text = await refusedWith(d.page, { '#f-risk_found': '' }, '#f-risk_found', 'no date');
    assert.match(text, lang === 'zh' ? /绿色通道/ : /Green Channel/);
    text = await refusedWith(d.page, { '#f-risk_found': '2024-03-10', '#f-publicity_start': '2024-03-01' }, '#f-publicity_start', 'publicity before the risk (the engine)');
    assert.match(text, /2024-03-01/);
    await refusedWith(d.page, { '#f-risk_found': '', '#f-green_channel_entry': '2024-03-10' }, '#f-publicity_start', 'publicity without the risk date (the engine)');
    assertClean(d.log, `deadlines bad input ${lang}`);
    await d.context.close();

    // Privacy check: nothing pasted.
    const r = await openTool('redact', PHONE, lang);
    text = await refusedWith(r.page, { '#f-text': '   \n ' }, '#f-text', 'empty text');
    assert.match(text, prefix);
    assertClean(r.log, `redact bad input ${lang}`);
    await r.context.close();
  });
}

// ---------------------------------------------------------------------------------------------
// file://, no JavaScript, the links to the tools
// ---------------------------------------------------------------------------------------------

test('the tools work opened from disk (file://)', async () => {
  const base = pathToFileURL(SITE).href + '/';
  const runs = [
    ['elimination', 'zh', async (page) => { await fillElimination(page, BASE_CASE); await submit(page); return (await elimCard(page)).verdict === 'can_propose'; }],
    ['deadlines', 'en', async (page) => { await fillDates(page, DEADLINES[0].input); await submit(page); return (await dlCard(page)).items.at(-1).due === '2024-02-29'; }],
    ['redact', 'zh', async (page) => { await paste(page, NOTICE); await submit(page); return (await rdCard(page)).masked.includes('138****5678'); }],
  ];
  for (const [tool, lang, run] of runs) {
    const { context, page, log } = await openTool(tool, PHONE, lang, { base, today: CASE_TODAY });
    const loaded = log.requests.length;
    assert.ok(await run(page), `${tool} from file://`);
    assert.deepEqual(log.requests.slice(loaded), [], `${tool}: no request`);
    assert.ok(log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), `${tool}: only local files`);
    await page.locator('.result-card .cites a').first().click();
    await page.waitForURL(new RegExp(`/${lang}/q/\\d+/index\\.html$`));
    assertClean(log, `file:// ${tool}`);
    await context.close();
  }
});

test('without JavaScript each tool says so and links to its questions', async () => {
  const expected = { elimination: [25, 26, 27, 28, 29, 31, 37], deadlines: [23, 24, 33, 34, 36], redact: [38] };
  for (const lang of ['zh', 'en']) {
    for (const [tool, questions] of Object.entries(expected)) {
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(server.url + `${lang}/${tool}/index.html`);
      assert.ok(await page.locator('#tool-form .btn-primary').isDisabled(), `${tool}: no button that does nothing`);
      const links = await page.locator('.check-noscript a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, questions.map((n) => `../../${lang}/q/${n}/index.html`), `${tool} ${lang}`);
      assert.match(await page.textContent('.check-noscript'), lang === 'zh' ? /JavaScript/ : /needs JavaScript/);
      if (lang === 'en' && tool === 'deadlines') await page.screenshot({ path: shot('tools-phone-en-deadlines-nojs') });
      await context.close();
    }
  }
});

test('the question pages, the home page and the nav link to the tools', async () => {
  const expected = { 2: 'check', 3: 'check', 7: 'check', 11: 'check', 12: 'check', 13: 'check', 14: 'check', 15: 'check', 25: 'elimination', 26: 'elimination', 27: 'elimination', 28: 'elimination', 29: 'elimination', 31: 'elimination', 37: 'elimination', 23: 'deadlines', 24: 'deadlines', 33: 'deadlines', 34: 'deadlines', 36: 'deadlines', 38: 'redact' };
  const { context, page, log } = await open(browser, PHONE);
  for (const lang of ['zh', 'en']) {
    for (let n = 1; n <= 42; n++) {
      await page.goto(server.url + `${lang}/q/${n}/index.html`);
      const links = await page.locator('.tool-link a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, expected[n] ? [`../../../${lang}/${expected[n]}/index.html`] : [], `${lang} Q${n}`);
    }
    await page.goto(server.url + `${lang}/index.html`);
    const home = await page.locator('#tools .tool-list a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(home, ['screen', 'elimination', 'deadlines', 'redact'].map((t) => `../${lang}/${t}/index.html`));
    // On a phone the nav is behind the menu button; its Tools link leads to that list.
    await page.goto(server.url + `${lang}/q/38/index.html`);
    assert.equal(await page.locator('.menu-nav a').first().isVisible(), false, `${lang}: the menu starts closed`);
    await page.locator('.menu-button').click();
    await page.locator('.menu-nav a', { hasText: lang === 'zh' ? '工具' : 'Tools' }).click();
    await page.waitForURL(new RegExp(`/${lang}/index\\.html#tools$`));
  }
  await page.goto(server.url + 'zh/q/38/index.html');
  await page.locator('.tool-link a').click();
  await page.waitForURL(/\/zh\/redact\/index\.html$/);
  await page.locator('#tool-form .btn-primary:enabled').waitFor();
  assertClean(log, 'links');
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Screenshots: each tool empty and with a result, at both sizes, in both languages
// ---------------------------------------------------------------------------------------------

const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');

/** axe-core on the page with a result shown (served same-origin, so the CSP stays on). */
async function axeResult(page, what) {
  await page.route('**/__axe__/axe.min.js', (r) => r.fulfill({ path: AXE, contentType: 'text/javascript; charset=utf-8' }));
  await page.addScriptTag({ url: new URL('/__axe__/axe.min.js', page.url()).href });
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), [], `${what}: axe serious/critical violations`);
}

const SCENES = {
  elimination: async (page) => { await fillElimination(page, elimCases.find((c) => c.name.startsWith('13-')).case); await submit(page); await elimCard(page); },
  deadlines: async (page) => { await fillDates(page, DEADLINES[2].input); await submit(page); await dlCard(page); },
  redact: async (page) => { await paste(page, NOTICE); await submit(page); await rdCard(page); },
};

for (const [size, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`screenshots of the tools at ${size} size`, async () => {
    for (const lang of ['zh', 'en']) {
      for (const [tool, scene] of Object.entries(SCENES)) {
        const what = `${tool} ${size} ${lang}`;
        const { context, page, log } = await openTool(tool, viewport, lang, { today: CASE_TODAY });
        const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
        assert.ok(m.scroll <= m.width, `${what}: no horizontal scrolling (${m.scroll} > ${m.width})`);
        await page.screenshot({ path: shot(`tools-${size}-${lang}-${tool}-empty`), fullPage: true });
        await scene(page);
        const after = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
        assert.ok(after.scroll <= after.width, `${what}: no horizontal scrolling with the result (${after.scroll} > ${after.width})`);
        const small = await page.evaluate(() => [...document.querySelectorAll('.result-card a, .result-card button, #tool-form button, #tool-form .option')]
          .filter((e) => e.offsetParent).map((e) => e.getBoundingClientRect()).filter((r) => r.height < 44).length);
        assert.equal(small, 0, `${what}: touch targets at least 44 px high`);
        await page.locator('#tool-result').screenshot({ path: shot(`tools-${size}-${lang}-${tool}-result`) });
        await axeResult(page, what);
        assertClean(log, what);
        await context.close();
      }
    }
  });
}

test('the CLI exists where the tests look for it', () => {
  assert.ok(fs.existsSync(BIN), `${BIN}: build it with cargo build -p policybook, or set POLICYBOOK_BIN`);
  assert.match(execFileSync(BIN, ['--version'], { encoding: 'utf8' }), /policybook/);
});
