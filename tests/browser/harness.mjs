// Shared by the browser tests: a static server on 127.0.0.1 for the built site, and Debian's
// Chromium started headless through playwright-core. No network beyond loopback.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const SITE = path.resolve(process.env.POLICYBOOK_SITE ?? new URL('../../site', import.meta.url).pathname);
export const SHOTS = path.resolve(new URL('../../target/screenshots', import.meta.url).pathname);
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** Serves SITE on an ephemeral loopback port; resolves to { url, close }. */
/**
 * Serves `root` over HTTP. With `gzip: true` every file is sent gzipped (node's zlib, default
 * level, as a web server sends it) to a browser that accepts it, and `sent` counts the bytes of
 * each response body by path, so a test can measure what a page really downloads.
 */
export function serve(root = SITE, { gzip = false } = {}) {
  const sent = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    // The offline test moves the folder away while the worker may still be fetching: a file
    // that vanishes between the check and the read is a 404, as on a real server.
    if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      let body;
      try { body = zlib.gzipSync(fs.readFileSync(file)); } catch { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
      sent.set(url.pathname, (sent.get(url.pathname) ?? 0) + body.length);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-encoding': 'gzip', 'content-length': body.length });
      res.end(body);
      return;
    }
    const stream = fs.createReadStream(file);
    stream.on('error', () => { if (res.headersSent) res.destroy(); else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); });
    stream.on('open', () => {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      stream.pipe(res);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, sent, close: () => new Promise((r) => server.close(r)) });
  }));
}

/** Debian's chromium; fails loudly when it is missing (the README's test command installs it). */
export function chromiumPath() {
  const candidates = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('Chromium not found: run `bash tests/install.sh` (installs Debian\'s chromium), or set CHROMIUM');
  return found;
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export const BLOCKED_SW = 'Service Worker registration blocked by Playwright';

/** Opens a page that records console messages, page errors and every request. */
export async function open(browser, viewport, { media } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, serviceWorkers: 'block' });
  const page = await context.newPage();
  const log = { console: [], errors: [], requests: [] };
  page.on('console', (m) => {
    // With serviceWorkers: 'block', Playwright replaces register() by a stub that warns; the
    // service worker is tested with workers allowed (quality.test.mjs), so that warning is not ours.
    if (m.text() === BLOCKED_SW) return;
    log.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('request', (r) => log.requests.push(r.url()));
  if (media) await page.emulateMedia({ media });
  return { context, page, log };
}

export function shot(name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  return path.join(SHOTS, `${name}.png`);
}

/** No page error and no console message since the page opened. */
export function assertClean(log, what) {
  assert.deepEqual(log.errors, [], `${what}: page errors`);
  assert.deepEqual(log.console, [], `${what}: console messages`);
}

/** The address as the page sees it (page.url() follows same-document changes only later). */
export const href = (page) => page.evaluate(() => location.href);

/** What the page keeps: web storage and cookies. */
export async function storage(page, context) {
  const s = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
  return { ...s, cookies: (await context.cookies()).length };
}

/** The page is no wider than the window: nothing to scroll sideways. */
export async function assertNoSideways(page, what) {
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(m.scroll <= m.width, `${what}: no horizontal scrolling (${m.scroll} > ${m.width})`);
}

// ---------------------------------------------------------------------------------------------
// Case files (tests/cases/): a small reader for the YAML they use (block mappings of scalars,
// flow mappings and flow lists, comments). The CLI reads the `case:` text itself, so a mistake
// here shows up as a mismatch rather than passing unnoticed.
// ---------------------------------------------------------------------------------------------

function stripComment(line) {
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) { if (ch === quote) quote = null; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

function scalar(text) {
  const s = text.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'null' || s === '~' || s === '') return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (/^(["']).*\1$/.test(s)) return s.slice(1, -1);
  return s;
}

function flow(text) {
  const s = text.trim();
  const split = (inner) => {
    const parts = []; let depth = 0; let cur = '';
    for (const ch of inner) {
      if ('[{'.includes(ch)) depth++;
      if (']}'.includes(ch)) depth--;
      if (ch === ',' && depth === 0) { parts.push(cur); cur = ''; } else cur += ch;
    }
    if (cur.trim()) parts.push(cur);
    return parts;
  };
  if (s.startsWith('[')) return split(s.slice(1, -1)).map(flow);
  if (s.startsWith('{')) {
    return Object.fromEntries(split(s.slice(1, -1)).map((p) => {
      const i = p.indexOf(':');
      return [p.slice(0, i).trim(), flow(p.slice(i + 1))];
    }));
  }
  return scalar(s);
}

/** Reads a case file: { today, options, case, caseText, expect }. */
export function readCaseFile(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const out = {};
  for (let i = 0; i < lines.length; i++) {
    const line = stripComment(lines[i]);
    const m = /^(\w+):(.*)$/.exec(line);
    if (!m) continue;
    const [, key, rest] = m;
    if (rest.trim()) { out[key] = flow(rest); continue; }
    const block = [];
    while (i + 1 < lines.length && (/^\s/.test(lines[i + 1]) || lines[i + 1].trim() === '')) block.push(lines[++i]);
    if (key === 'case') out.caseText = block.map((l) => l.replace(/^ {2}/, '')).join('\n');
    out[key] = Object.fromEntries(block.map(stripComment).filter((l) => l.trim()).map((l) => {
      const j = l.indexOf(':');
      return [l.slice(0, j).trim(), flow(l.slice(j + 1))];
    }));
  }
  return out;
}

/** The valid cases of a folder of case files (those without an expected error), by name. */
export function validCases(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .map((f) => ({ name: f, ...readCaseFile(path.join(dir, f)) }))
    .filter((c) => c.case && typeof c.case === 'object' && !('error' in (c.expect ?? {})));
}

/** Opens the header's search box (the button is enabled once app.js runs) and focuses it. */
export async function openSearch(page) {
  if (await page.locator('#search').isHidden()) await page.locator('#search-toggle:enabled').click();
  await page.locator('#search-input').focus();
}

/**
 * A result card's facts, once it is shown: the line and income facts in its data attributes (the
 * checker's card and the elimination check's card write the same ones), where the citations of
 * its reasons (`reasons`, a selector inside the card) link, and what `own` (run on the card's
 * element in the page) reads of the rest.
 */
export async function cardFacts(page, selector, reasons, own) {
  const card = page.locator(selector);
  await card.waitFor();
  const line = await card.evaluate((n, sel) => ({
    income: Number(n.dataset.income),
    line: Number(n.dataset.line),
    year: Number(n.dataset.year),
    provisional: n.dataset.provisional === 'true',
    today: n.dataset.today,
    cites: JSON.parse(n.dataset.cites),
    links: [...n.querySelectorAll(`${sel} .cites a`)].map((a) => a.getAttribute('href')),
  }), reasons);
  return { ...line, ...await card.evaluate(own) };
}

/**
 * A refused field: marked invalid, its message (returned) in the element its aria-describedby
 * names, and no result card shown.
 */
export async function fieldError(page, input, what) {
  assert.equal(await input.getAttribute('aria-invalid'), 'true', `${what}: aria-invalid`);
  const errId = (await input.getAttribute('aria-describedby')).split(/\s+/).find((x) => x.startsWith('e-'));
  assert.ok(errId, `${what}: aria-describedby names an error element`);
  const text = (await page.locator('#' + errId).textContent()).trim();
  assert.ok(text.length > 4, `${what}: error text "${text}"`);
  assert.equal(await page.locator('.result-card').count(), 0, `${what}: no result`);
  return text;
}
