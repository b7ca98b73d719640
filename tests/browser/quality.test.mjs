// The product's promises, checked in a real browser on every page type (issue 6): privacy and
// security (no request to another origin, none while searching or checking, nothing stored, a
// strict CSP with no violation, no console message, content markup shown as text), accessibility
// (axe-core: no serious or critical violation; labels and errors tied to fields; keyboard only;
// `lang` right; 200% zoom without horizontal scrolling), and offline use (a service worker over
// http; a copied folder opened from disk). Page types are found by walking the built site, so new
// pages are covered without editing this file. Screenshots go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pathToFileURL, fileURLToPath } from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SITE, serve, launch, shot, PHONE, DESKTOP, BLOCKED_SW, openSearch } from './harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const BIN = path.resolve(HERE, process.env.POLICYBOOK_BIN ?? '../../target/debug/policybook');
const AXE = path.join(HERE, 'node_modules/axe-core/axe.min.js');
const ZOOM = { width: 640, height: 400 }; // 1280×800 at 200%: deviceScaleFactor 2
const SIZES = [['phone', PHONE], ['desktop', DESKTOP]];
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-quality-'));

// ---------------------------------------------------------------------------------------------
// Page types: one page of each kind in each language, found by walking the site folder
// ---------------------------------------------------------------------------------------------

function htmlFiles(dir, base = dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return htmlFiles(full, base);
    return e.name.endsWith('.html') ? [path.relative(base, full).split(path.sep).join('/')] : [];
  });
}

/** [{ path, kind, name }]: `kind` is the path with its language and numbers taken out (`q/N/index.html`). */
function pageTypes(site) {
  const natural = (a, b) => a.localeCompare(b, 'en', { numeric: true });
  const types = new Map();
  for (const rel of htmlFiles(site).sort(natural)) {
    const parts = rel.split('/');
    const kind = parts.length === 1 ? `root:${rel}` : parts.slice(1).map((s) => (/^\d+$/.test(s) ? 'N' : s)).join('/');
    const key = `${parts.length === 1 ? '' : parts[0]}|${kind}`;
    if (!types.has(key)) types.set(key, { path: rel, kind, name: rel.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '-') });
  }
  return [...types.values()];
}

const PAGES = pageTypes(SITE);
const has = (lang, kind) => PAGES.some((p) => p.path.startsWith(`${lang}/`) && p.kind === kind);

// ---------------------------------------------------------------------------------------------
// A context that records everything: requests (the page's and the service worker's), failures,
// console messages, page errors, dialogs, CSP violations and service worker registrations.
// ---------------------------------------------------------------------------------------------

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); fs.rmSync(TMP, { recursive: true, force: true }); });

function recorder() {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
  }, true);
  window.__sw = [];
  if (self.ServiceWorkerContainer) {
    const register = ServiceWorkerContainer.prototype.register;
    ServiceWorkerContainer.prototype.register = function (...args) { window.__sw.push(String(args[0])); return register.apply(this, args); };
  }
}

async function session(viewport, { workers = 'allow', scale = 1 } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: scale, serviceWorkers: workers });
  await context.addInitScript(recorder);
  const log = { requests: [], failed: [], console: [], errors: [], dialogs: [] };
  context.on('request', (r) => log.requests.push(r.url()));
  context.on('requestfailed', (r) => log.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (m) => { if (m.text() !== BLOCKED_SW) log.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return { context, page, log };
}

/** No console message, page error, dialog or CSP violation so far. */
async function assertClean(page, log, what) {
  await page.evaluate(() => new Promise((r) => setTimeout(r, 30))); // violation events are queued
  assert.deepEqual(await page.evaluate(() => window.__csp), [], `${what}: CSP violations`);
  assert.deepEqual(log.errors, [], `${what}: page errors`);
  assert.deepEqual(log.console, [], `${what}: console messages`);
  assert.deepEqual(log.dialogs, [], `${what}: dialogs`);
}

const onlyFrom = (log, origin) => log.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));

// What the page itself declares and contains (run in the page).
function inspect() {
  const csp = [...document.querySelectorAll('meta[http-equiv]')]
    .filter((m) => m.httpEquiv.toLowerCase() === 'content-security-policy').map((m) => m.content);
  const scripts = [...document.scripts].map((s) => ({ src: s.getAttribute('src'), type: s.type, inline: !s.src && s.textContent.trim().length > 0 }));
  const handlers = [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.nodeName}[${a.name}]`));
  // `lang`: Chinese text must sit in a zh element and English phrases (three words or more without
  // Chinese between them; a lone name or acronym is read fine by a Chinese voice) in an en
  // element, so that a screen reader switches voice. Attributes that are read out count too.
  const langOf = (el) => el?.closest('[lang]')?.getAttribute('lang') ?? '';
  const HAN = /\p{Script=Han}/u;
  const ZH = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
  const phrase = (text) => text.split(ZH).some((s) => (s.match(/[A-Za-z]+/g) ?? []).length >= 3);
  const wrong = [];
  const judge = (text, el, where) => {
    const l = langOf(el);
    if (l.startsWith('en') && HAN.test(text)) wrong.push(`Chinese in lang=${l}: ${where} "${text.trim().slice(0, 50)}"`);
    if (l.startsWith('zh') && phrase(text)) wrong.push(`English in lang=${l}: ${where} "${text.trim().slice(0, 50)}"`);
  };
  const skip = (el) => el.closest('script,style,noscript,template,[aria-hidden="true"]');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim() || skip(n.parentElement)) continue;
    judge(n.nodeValue, n.parentElement, `<${n.parentElement.nodeName.toLowerCase()}${n.parentElement.className ? '.' + n.parentElement.className : ''}>`);
  }
  for (const el of document.body.querySelectorAll('[title],[aria-label],[placeholder],[alt]')) {
    if (skip(el)) continue;
    for (const a of ['title', 'aria-label', 'placeholder', 'alt']) if (el.hasAttribute(a)) judge(el.getAttribute(a), el, `${el.nodeName.toLowerCase()}[${a}]`);
  }
  judge(document.title, document.documentElement, '<title>');
  return { csp, scripts, handlers, wrongLang: wrong, lang: document.documentElement.lang, images: document.images.length };
}

function assertPolicy(csp, what) {
  assert.equal(csp.length, 1, `${what}: one CSP meta`);
  const directives = Object.fromEntries(csp[0].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"], `${what}: default-src 'none'`);
  const scriptSrc = directives['script-src'] ?? directives['default-src'];
  for (const token of scriptSrc) {
    assert.ok(["'self'", "'wasm-unsafe-eval'"].includes(token) || /^'sha(256|384|512)-[A-Za-z0-9+/=]+'$/.test(token), `${what}: script-src ${token}`);
  }
  for (const [k, v] of Object.entries(directives)) {
    for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'http:', 'https:']) assert.ok(!v.includes(bad), `${what}: ${k} ${bad}`);
  }
  assert.deepEqual(directives['base-uri'], ["'none'"], `${what}: base-uri`);
  assert.deepEqual(directives['form-action'], ["'none'"], `${what}: form-action`);
}

function assertScripts(scripts, what) {
  for (const s of scripts) {
    if (s.src == null) assert.equal(s.type, 'application/json', `${what}: an inline script is data only`);
    else assert.match(s.src, /^(\.\.\/)*assets\/[\w-]+\.[0-9a-f]{8}\.js$/, `${what}: script from the site's assets`);
  }
}

/** Waits until the site's service worker is active and controls the page. */
async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated', null, { timeout: 15_000 });
}

async function storage(page, context) {
  const s = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    indexedDB: (await indexedDB.databases()).map((d) => d.name),
    caches: self.caches ? await Promise.all((await caches.keys()).map(async (k) => ({ name: k, urls: (await (await caches.open(k)).keys()).map((r) => r.url) }))) : [],
  }));
  return { ...s, cookies: (await context.cookies()).length };
}

/** The files the service worker keeps, from the built sw.js. */
/** The built file an address of the served site stands for (a folder is its index.html). */
function fileOf(href) {
  const p = decodeURIComponent(new URL(href).pathname).slice(1);
  return p === '' || p.endsWith('/') ? p + 'index.html' : p;
}

function precacheList(site) {
  const m = /var FILES = (\[.*?\]);/.exec(fs.readFileSync(path.join(site, 'sw.js'), 'utf8'));
  assert.ok(m, 'sw.js lists its files');
  return JSON.parse(m[1]);
}

/** Types a query into the search box and waits for the answer. */
async function search(page, q) {
  await page.locator('#search-input').fill(q);
  await page.waitForFunction((x) => document.getElementById('search-results')?.dataset.query === x, q);
  return page.locator('#search-results [role=option]').count();
}

// Case 01 of tests/cases (a marginal household): what the form is filled with below.
// In the order of the form's steps.
const CASE = { members: 4, members_with_labor: 2, poverty_alleviated: 'false', hukou: 'rural', 'income.wages': 16000, 'income.business': 6000, 'income.business_costs': 1200, sudden_hardship: 'false', problems: ['housing'], can_resolve_alone: 'false' };
const CASE_YAML = 'members: 4\nmembers_with_labor: 2\npoverty_alleviated: false\nhukou: rural\nincome: {wages: 16000, business: 6000, business_costs: 1200}\nproblems: [housing]\ncan_resolve_alone: false\nsudden_hardship: false\n';

/** Fills the checker step by step (Next until a field is shown) and asks for the result. */
async function fillCheck(page) {
  const next = page.locator('#check-form .btn-primary');
  const reach = async (sel) => {
    for (let i = 0; i < 10 && !(await page.locator(sel).first().isVisible()); i++) await next.click();
  };
  for (const [k, v] of Object.entries(CASE)) {
    for (const x of Array.isArray(v) ? v : [v]) {
      const sel = typeof x === 'number' ? `#f-${k.replace('.', '-')}` : `input[name="${k}"][value="${x}"]`;
      await reach(sel);
      if (typeof x === 'number') await page.fill(sel, String(x));
      else await page.check(sel);
    }
  }
  await reach('#f-line');
  await next.click();
  return page.locator('.result-card').first().waitFor();
}

// ---------------------------------------------------------------------------------------------
// The site has every page type
// ---------------------------------------------------------------------------------------------

test('the page types are found in the built site', () => {
  for (const lang of ['zh', 'en']) {
    for (const kind of ['index.html', 'q/N/index.html', 'notice/index.html', 'annex/index.html', 'glossary/index.html', 'print/index.html', 'check/index.html']) {
      assert.ok(has(lang, kind), `${lang}/${kind} exists in ${SITE}`);
    }
  }
  assert.ok(PAGES.some((p) => p.kind === 'root:index.html'), 'the root index.html');
  assert.ok(fs.existsSync(path.join(SITE, 'sw.js')), 'the service worker at the site root');
});

// ---------------------------------------------------------------------------------------------
// Privacy and security
// ---------------------------------------------------------------------------------------------

for (const [size, viewport] of SIZES) {
  test(`privacy and security on every page type at ${size} size (service worker on)`, async () => {
    const { context, page, log } = await session(viewport);
    const wrongLang = [];
    for (const p of PAGES) {
      const what = `${p.path} (${size})`;
      const res = await page.goto(server.url + p.path);
      assert.equal(res.status(), 200, what);
      await page.waitForLoadState('load');
      const info = await page.evaluate(inspect);
      assertPolicy(info.csp, what);
      assertScripts(info.scripts, what);
      assert.deepEqual(info.handlers, [], `${what}: no inline event handlers`);
      assert.equal(info.images, 0, `${what}: no images`);
      assert.ok(['zh-CN', 'en'].includes(info.lang), `${what}: html lang ${info.lang}`);
      assert.equal(info.lang, p.path.startsWith('en/') ? 'en' : 'zh-CN', `${what}: html lang matches the folder`);
      wrongLang.push(...info.wrongLang.map((w) => `${p.path}: ${w}`));
      const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
      assert.ok(m.scroll <= m.width, `${what}: no horizontal scrolling (${m.scroll} > ${m.width})`);
      await page.screenshot({ path: shot(`${size}-${p.name}`) });
      await assertClean(page, log, what);
    }
    assert.deepEqual(wrongLang, [], 'text in the other language is marked with its lang');
    assert.equal((await page.evaluate(() => window.__sw)).length, 1, 'app.js registers the service worker once a page');
    await controlled(page);

    // Searching and checking, once the engine is in: no request at all.
    for (const lang of ['zh', 'en']) {
      await page.goto(`${server.url}${lang}/index.html`);
      await openSearch(page);
      assert.ok(await search(page, lang === 'zh' ? '低保' : 'green channel') > 0, `${lang}: results`);
      const settled = log.requests.length;
      for (const q of lang === 'zh' ? ['绿色通道', '12317', '监测对象', '鳄鱼'] : ['subsistence allowance', 'hotline', 'monitoring', 'xylophone']) await search(page, q);
      assert.deepEqual(log.requests.slice(settled), [], `${lang}: no request while searching`);
      await page.goto(`${server.url}${lang}/check/index.html`);
      await page.locator('#check-form .btn-primary:enabled').waitFor();
      const loaded = log.requests.length;
      await fillCheck(page);
      assert.deepEqual((await page.evaluate(inspect)).wrongLang, [], `${lang}: lang attributes in the result`);
      await page.locator('#share-button').click();
      assert.deepEqual(log.requests.slice(loaded), [], `${lang}: no request while checking`);
      await assertClean(page, log, `${lang} search and check`);
    }

    assert.deepEqual(onlyFrom(log, server.url), [], 'no request to another origin (pages and service worker)');
    assert.deepEqual(log.failed, [], 'no failed request');
    const s = await storage(page, context);
    assert.deepEqual({ ...s, caches: undefined }, { local: 0, session: 0, cookie: '', indexedDB: [], cookies: 0, caches: undefined }, 'no cookie, Web Storage or IndexedDB');
    // The one thing kept is the service worker's copy of the site's own files that this visit
    // opened: nothing downloaded in the background, nothing else stored.
    const files = precacheList(SITE);
    assert.equal(s.caches.length, 1, `one cache: ${s.caches.map((c) => c.name)}`);
    assert.match(s.caches[0].name, /^policybook /);
    const cached = s.caches[0].urls.map((u) => u.slice(server.url.length));
    const opened = new Set(log.requests.filter((u) => u.startsWith(server.url)).map(fileOf));
    assert.ok(cached.length > PAGES.length, `the pages opened and their assets are kept (${cached.length})`);
    assert.deepEqual(cached.filter((f) => !files.includes(f)), [], 'only files of the build');
    assert.deepEqual(cached.filter((f) => !opened.has(f)), [], 'only files this visit opened');
    assert.ok(cached.length < files.length, `not the whole site (${cached.length} of ${files.length} files)`);
    await context.close();
  });
}

test('content with <script> and onerror= renders as text (tests/fixtures/mini)', async () => {
  const mini = path.join(TMP, 'mini');
  execFileSync(BIN, ['build', '--quiet', '--content', path.join(REPO, 'tests/fixtures/mini/content'), '--out', mini], { cwd: REPO });
  const miniServer = await serve(mini);
  try {
    const { context, page, log } = await session(PHONE, { workers: 'block' });
    for (const p of ['zh/q/3/index.html', 'en/q/3/index.html', 'zh/index.html', 'en/index.html', 'zh/print/index.html', 'en/print/index.html', 'en/q/2/index.html']) {
      await page.goto(miniServer.url + p);
      const got = await page.evaluate(() => ({
        images: document.querySelectorAll('img').length,
        scripts: [...document.scripts].map((s) => s.getAttribute('src') ?? s.type),
        handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
        text: document.body.textContent,
        title: document.title,
      }));
      assert.equal(got.images, 0, `${p}: no <img> from content`);
      assert.equal(got.handlers, 0, `${p}: no event handler attribute`);
      assert.ok(got.scripts.every((s) => s === 'application/json' || /assets\//.test(s)), `${p}: only the site's scripts: ${got.scripts}`);
      if (p.includes('q/3') || p.includes('print')) {
        assert.ok(got.text.includes('<script>alert(1)</script>'), `${p}: the <script> markup is shown as text`);
        assert.ok(got.text.includes('onerror=alert(1)'), `${p}: the onerror= markup is shown as text`);
      }
      if (p === 'en/q/3/index.html') assert.match(got.title, /<\/title><script>alert\(1\)<\/script>/, 'the title is text');
      await assertClean(page, log, p);
    }
    // Search results show the same markup as text.
    await page.goto(miniServer.url + 'en/index.html');
    await openSearch(page);
    assert.ok(await search(page, 'script') > 0, 'a result for "script"');
    await page.waitForTimeout(100);
    assert.equal(await page.locator('img, #search script').count(), 0, 'no element from a result');
    await assertClean(page, log, 'search in the mini site');
    await context.close();
  } finally {
    await miniServer.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------------------------

/** axe-core, served as a same-origin file through page.route so that the pages' CSP stays on. */
async function axe(page, what) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) {
    await page.addScriptTag({ url: new URL('/__axe__/axe.min.js', page.url()).href });
  }
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${what}: axe serious/critical violations`);
  return violations;
}

async function axeSession(viewport) {
  const s = await session(viewport, { workers: 'block' });
  await s.page.route('**/__axe__/axe.min.js', (r) => r.fulfill({ path: AXE, contentType: 'text/javascript; charset=utf-8' }));
  return s;
}

for (const [size, viewport] of SIZES) {
  test(`axe-core: no serious or critical violation on any page type at ${size} size`, async () => {
    assert.ok(fs.existsSync(AXE), 'axe-core installed (npm ci in tests/browser)');
    const { context, page, log } = await axeSession(viewport);
    const minor = new Set();
    for (const p of PAGES) {
      await page.goto(server.url + p.path);
      for (const v of await axe(page, `${p.path} (${size})`)) minor.add(`${v.impact} ${v.id}`);
      await assertClean(page, log, p.path);
    }
    // States that only exist after use: the search panel open, the checker's errors and result.
    for (const lang of ['zh', 'en']) {
      await page.goto(`${server.url}${lang}/index.html`);
      await openSearch(page);
      await search(page, lang === 'zh' ? '低保' : 'green channel');
      await axe(page, `${lang} search results (${size})`);
      await page.goto(`${server.url}${lang}/check/index.html`);
      await page.locator('#check-form .btn-primary:enabled').waitFor();
      await page.locator('#check-form .btn-primary').click();
      await page.locator('[aria-invalid=true]').first().waitFor();
      await axe(page, `${lang} checker with errors (${size})`);
      await page.locator('#check-form button[type=reset]').click();
      await page.locator('#check-form .clear-yes').click();
      await fillCheck(page);
      await axe(page, `${lang} checker result (${size})`);
      await assertClean(page, log, `${lang} states`);
    }
    if (minor.size) console.log(`# axe, ${size}: minor/moderate findings (not failing): ${[...minor].join(', ')}`);
    await context.close();
  });
}

test('every form field has a label; every checker field has its error tied by aria-describedby', async () => {
  const { context, page } = await session(DESKTOP, { workers: 'block' });
  for (const p of PAGES) {
    await page.goto(server.url + p.path);
    await page.waitForLoadState('load');
    const fields = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
      .filter((i) => i.type !== 'hidden')
      .map((i) => {
        const ids = (i.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
        return {
          id: i.id || i.name,
          labelled: i.labels.length > 0 || Boolean(i.getAttribute('aria-label')) || Boolean(i.getAttribute('aria-labelledby')),
          inForm: Boolean(i.closest('form')),
          described: ids.every((x) => document.getElementById(x)),
          error: ids.some((x) => document.getElementById(x)?.matches('.field-error, [id^="e-"]')),
        };
      }));
    for (const f of fields) {
      assert.ok(f.labelled, `${p.path}: ${f.id} has a label`);
      assert.ok(f.described, `${p.path}: ${f.id}: aria-describedby names elements that exist`);
      if (f.inForm) assert.ok(f.error, `${p.path}: ${f.id}: an error element tied by aria-describedby`);
    }
  }
  await context.close();
});

/** Presses Tab until focus comes back round; returns what got focus, in order. */
async function tabThrough(page, limit = 400) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0); });
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      // The focus ring is on the element, or on the option label around a radio or checkbox.
      const ring = (x) => { const cs = x && getComputedStyle(x); return Boolean(cs) && cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0; };
      const cs = getComputedStyle(e);
      return {
        key: e.type === 'radio' ? `radio:${e.name}` : (e.id || `${e.nodeName}:${e.getAttribute('href') ?? e.name ?? ''}:${[...e.parentNode.children].indexOf(e)}`),
        outline: ring(e) || ring(e.closest('label')),
        shadow: cs.boxShadow !== 'none',
      };
    });
    if (!f || (seen.length && f.key === seen[0].key)) break;
    seen.push(f);
  }
  return seen;
}

test('keyboard only: Tab reaches every control on every page type, with a visible focus', async () => {
  const { context, page, log } = await session(DESKTOP, { workers: 'block' });
  for (const p of PAGES) {
    await page.goto(server.url + p.path);
    await page.waitForLoadState('load');
    const expected = await page.evaluate(() => [...new Set([...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
      .filter((e) => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({ visibilityProperty: true }) && e.getClientRects().length)
      .map((e) => (e.type === 'radio' ? `radio:${e.name}` : (e.id || `${e.nodeName}:${e.getAttribute('href') ?? e.name ?? ''}:${[...e.parentNode.children].indexOf(e)}`))))]);
    const seen = await tabThrough(page);
    const reached = new Set(seen.map((s) => s.key));
    assert.deepEqual(expected.filter((k) => !reached.has(k)), [], `${p.path}: controls Tab never reaches`);
    assert.ok(seen[0].key.startsWith('A:#main'), `${p.path}: the skip link comes first (${seen[0].key})`);
    assert.deepEqual(seen.filter((s) => !s.outline && !s.shadow).map((s) => s.key), [], `${p.path}: focus is visible`);
    await assertClean(page, log, p.path);
  }
  await context.close();
});

test('keyboard only: search by Tab, arrows and Enter', async () => {
  const { context, page, log } = await session(PHONE, { workers: 'block' });
  for (const [lang, q, n] of [['zh', '绿色通道', 24], ['en', 'green channel', 24]]) {
    await page.goto(`${server.url}${lang}/notice/index.html`);
    let steps = 0;
    // Tab to the header's search button; Enter opens the box with the focus in it.
    for (let id; (id = await page.evaluate(() => document.activeElement?.id)) !== 'search-input';) {
      await page.keyboard.press(id === 'search-toggle' ? 'Enter' : 'Tab');
      assert.ok(++steps < 30, `${lang}: Tab reaches the search box`);
    }
    await page.keyboard.type(q);
    await page.waitForFunction((x) => document.getElementById('search-results')?.dataset.query === x, q);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'search-clear', `${lang}: Tab goes on to the clear button`);
    assert.ok(await page.locator('.search-panel').isVisible(), `${lang}: the results stay open`);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await Promise.all([page.waitForURL(new RegExp(`/${lang}/q/${n}/index\\.html#hl=`)), page.keyboard.press('Enter')]);
    await page.waitForSelector('#main mark.search-hl');
    await assertClean(page, log, `${lang} keyboard search`);
  }
  await context.close();
});

for (const lang of ['zh', 'en']) {
  test(`keyboard only: the checker from first field to result (${lang}), same as the CLI`, async () => {
    const { context, page, log } = await session(PHONE, { workers: 'block' });
    await page.goto(`${server.url}${lang}/check/index.html`);
    await page.locator('#check-form .btn-primary:enabled').waitFor();
    // Enter on an empty form: errors, focus on the first field in error, its message tied to it.
    await page.locator('#f-members').focus();
    await page.keyboard.press('Enter');
    await page.locator('[aria-invalid=true]').first().waitFor();
    const err = await page.evaluate(() => {
      const e = document.activeElement;
      const ids = (e.getAttribute('aria-describedby') ?? '').split(/\s+/);
      return { id: e.id, invalid: e.getAttribute('aria-invalid'), message: ids.map((x) => document.getElementById(x)?.textContent ?? '').join(' ').trim() };
    });
    assert.equal(err.invalid, 'true', `focus on a field in error (${err.id})`);
    assert.ok(err.message.length > 4, `its message is tied to it: "${err.message}"`);
    await page.evaluate(() => { document.activeElement.blur(); window.scrollTo(0, 0); });

    // Now fill it in with Tab, typing, Space and arrow keys only, Enter on Next at each step.
    const done = new Set();
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const e = document.activeElement;
        return { tag: e.nodeName, type: e.type, name: e.name, value: e.value, checked: e.checked, form: Boolean(e.closest('#check-form')) };
      });
      if (!f.form) continue;
      const want = CASE[f.name];
      if (f.type === 'submit') {
        await page.keyboard.press('Enter');
        if (await page.locator('.result-card').count()) break;
        continue;
      }
      const key = f.type === 'checkbox' ? `${f.name}=${f.value}` : f.name;
      if (want == null || done.has(key)) continue;
      if (f.type === 'number' || f.type === 'text') {
        await page.keyboard.press('Control+A');
        await page.keyboard.type(String(want));
        done.add(key);
      } else if (f.type === 'radio') {
        // Space picks the focused option; ArrowDown moves to the next one and picks it.
        await page.keyboard.press('Space');
        for (let k = 0; k < 6 && await page.evaluate(() => document.activeElement.value) !== want; k++) await page.keyboard.press('ArrowDown');
        done.add(key);
      } else if (f.type === 'checkbox') {
        if (want.includes(f.value) !== f.checked) await page.keyboard.press('Space');
        done.add(key);
      }
    }
    const card = page.locator('.result-card');
    await card.waitFor();
    const got = await card.evaluate((n) => ({ category: n.dataset.category, income: Number(n.dataset.income), today: n.dataset.today }));
    const file = path.join(TMP, `keyboard-${lang}.yaml`);
    fs.writeFileSync(file, CASE_YAML);
    const cli = JSON.parse(execFileSync(BIN, ['check', file, '--json', '--today', got.today, '--policy', path.join(REPO, 'content/policy.yaml')], { encoding: 'utf8' }));
    assert.equal(got.category, cli.category, 'category as the CLI');
    assert.equal(got.income, cli.per_capita_net_income, 'income as the CLI');
    await page.screenshot({ path: shot(`keyboard-phone-${lang}-check-result`) });
    await assertClean(page, log, `${lang} keyboard checker`);
    await context.close();
  });
}

test('200% zoom: no horizontal scrolling on any page type, open search or checker result', async () => {
  const { context, page, log } = await session(ZOOM, { workers: 'block', scale: 2 });
  for (const p of PAGES) {
    await page.goto(server.url + p.path);
    const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth, dpr: devicePixelRatio }));
    assert.equal(m.dpr, 2);
    assert.ok(m.scroll <= m.width, `${p.path}: no horizontal scrolling at 200% (${m.scroll} > ${m.width})`);
    await page.screenshot({ path: shot(`zoom200-${p.name}`) });
    await assertClean(page, log, p.path);
  }
  for (const lang of ['zh', 'en']) {
    await page.goto(`${server.url}${lang}/q/24/index.html`);
    await openSearch(page);
    await search(page, lang === 'zh' ? '低保' : 'subsistence allowance');
    let m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(m.scroll <= m.width, `${lang} search open at 200% (${m.scroll} > ${m.width})`);
    await page.screenshot({ path: shot(`zoom200-${lang}-search`) });
    await page.goto(`${server.url}${lang}/check/index.html`);
    await page.locator('#check-form .btn-primary:enabled').waitFor();
    await fillCheck(page);
    m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
    assert.ok(m.scroll <= m.width, `${lang} checker result at 200% (${m.scroll} > ${m.width})`);
    await page.locator('.result-card').screenshot({ path: shot(`zoom200-${lang}-check-result`) });
    await assertClean(page, log, `${lang} zoom states`);
  }
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Offline
// ---------------------------------------------------------------------------------------------

test('offline on request: a first visit keeps what it opened, Save keeps the site, which then works with the network off; a copy works from disk', async () => {
  // A copy of the site, served; once the worker has it, the copy is moved away (the server then
  // answers 404 to everything) and the browser is put offline.
  const served = path.join(TMP, 'served');
  const moved = path.join(TMP, 'elsewhere', 'site');
  fs.cpSync(SITE, served, { recursive: true });
  const copy = await serve(served);
  const { context, page, log } = await session(PHONE);
  try {
    await page.goto(copy.url + 'zh/index.html');
    await controlled(page);
    assert.deepEqual(await page.evaluate(() => window.__sw), [copy.url + 'sw.js'], 'registered from the site root');
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).scope);
    assert.equal(scope, copy.url, 'its scope is the whole site');
    const files = precacheList(served);
    const pages = files.filter((f) => f.endsWith('.html'));
    assert.equal(pages.length, htmlFiles(served).length, 'every page is in the list');
    assert.ok(files.some((f) => /^assets\/engine\.[0-9a-f]{8}\.js$/.test(f)) && files.some((f) => /^assets\/search-en\.[0-9a-f]{8}\.js$/.test(f)), 'the hashed assets are in the list');

    // A first visit keeps what it opened, not the site; the footer offers the rest, with its size.
    const offline = page.locator('#offline-save');
    await offline.waitFor();
    const kept = async () => page.evaluate(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat());
    await page.waitForFunction(async (home) => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat().includes(home), copy.url + 'zh/index.html');
    const first = await kept();
    assert.ok(first.length < files.length / 4, `a first visit keeps only what it used (${first.length} of ${files.length})`);
    const bytes = Number(/var BYTES = (\d+);/.exec(fs.readFileSync(path.join(served, 'sw.js'), 'utf8'))[1]);
    const total = files.reduce((n, f) => n + fs.statSync(path.join(served, f)).size, 0);
    assert.equal(bytes, total, 'sw.js says the size of what saving keeps');
    const label = (await offline.textContent()).replace(/\s+/g, '');
    assert.ok(label.includes(`约${Math.ceil(bytes / 1000).toLocaleString('zh-CN')}KB`), `the button says the size: ${label}`);
    await page.screenshot({ path: shot('offline-phone-zh-save') });
    await offline.click();
    await page.locator('#offline-status', { hasText: '已保存到本机' }).waitFor({ timeout: 30_000 });
    assert.equal(await offline.isVisible(), false, 'saved: the button is gone');
    const all = new Set((await kept()).map((u) => u.slice(copy.url.length)));
    assert.deepEqual(files.filter((f) => !all.has(f)), [], 'saving keeps every file of the build');

    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.renameSync(served, moved);
    await context.setOffline(true);
    const before = log.requests.length;
    const responses = [];
    page.on('response', (r) => responses.push({ url: r.url(), sw: r.fromServiceWorker(), status: r.status() }));

    await page.goto(copy.url + 'en/q/24/index.html');
    assert.match(await page.locator('h1').textContent(), /Green Channel/);
    await page.getByRole('link', { name: '中文' }).click();
    await page.waitForURL(/\/zh\/q\/24\/index\.html$/);
    await page.goto(copy.url + 'zh/glossary/'); // a folder address: its index.html
    assert.ok((await page.locator('.terms .term').count()) > 5, 'the glossary from the cache');
    await openSearch(page);
    assert.ok(await search(page, '绿色通道') > 0, 'search works offline');
    await Promise.all([page.waitForURL(/\/zh\/q\/24\/index\.html#hl=/), page.keyboard.press('Enter')]);
    await page.waitForSelector('#main mark.search-hl');
    await page.goto(copy.url + 'en/check/index.html');
    await page.locator('#check-form .btn-primary:enabled').waitFor();
    await fillCheck(page);
    assert.equal(await page.locator('.result-card').getAttribute('data-category'), 'marginal', 'the checker works offline');
    await page.screenshot({ path: shot('offline-phone-en-check-result') });
    assert.ok(responses.length > 5, 'pages and assets were loaded');
    assert.deepEqual(responses.filter((r) => !r.sw || r.status !== 200), [], 'every response came from the service worker');
    assert.deepEqual(log.requests.slice(before).filter((u) => !u.startsWith(copy.url)), [], 'same origin only');
    assert.deepEqual(log.failed, [], 'nothing failed');
    await assertClean(page, log, 'offline');

    // A new build replaces the cache: the worker changes, takes over and deletes the old cache.
    await context.setOffline(false);
    fs.renameSync(moved, served);
    const old = (await storage(page, context)).caches.map((c) => c.name);
    assert.equal(old.length, 1);
    const sw = fs.readFileSync(path.join(served, 'sw.js'), 'utf8');
    fs.writeFileSync(path.join(served, 'sw.js'), sw.replace(/var BUILD = '([0-9a-f]+)'/, "var BUILD = 'feedfacefeedface'"));
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration()).update(); });
    await page.waitForFunction(async () => (await caches.keys()).length === 1 && (await caches.keys())[0].endsWith(' feedfacefeedface'));
    // The reader had saved the site: the new build is saved whole too.
    const renewed = new Set((await kept()).map((u) => u.slice(copy.url.length)));
    assert.deepEqual(files.filter((f) => !renewed.has(f)), [], 'the new build is kept whole');
    fs.renameSync(served, moved);
  } finally {
    await context.close();
    await copy.close();
  }

  // The copied folder, opened from disk: search and checker work, no worker is registered.
  const disk = await session(PHONE);
  const base = pathToFileURL(moved).href + '/';
  await disk.page.goto(base + 'en/index.html');
  await openSearch(disk.page);
  assert.ok(await search(disk.page, 'green channel') > 0, 'search from file://');
  await Promise.all([disk.page.waitForURL(/en\/q\/24\/index\.html#hl=/), disk.page.keyboard.press('Enter')]);
  await disk.page.waitForSelector('#main mark.search-hl');
  await disk.page.goto(base + 'zh/check/index.html');
  await disk.page.locator('#check-form .btn-primary:enabled').waitFor();
  await fillCheck(disk.page);
  assert.equal(await disk.page.locator('.result-card').getAttribute('data-category'), 'marginal', 'the checker from file://');
  assert.deepEqual(await disk.page.evaluate(() => window.__sw), [], 'no service worker from file://');
  assert.ok(disk.log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), 'only local files');
  await assertClean(disk.page, disk.log, 'file://');
  await disk.context.close();
});
