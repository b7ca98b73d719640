// Shared by the browser tests: a static server on 127.0.0.1 for the built site, and Debian's
// Chromium started headless through playwright-core. No network beyond loopback.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
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
export function serve(root = SITE) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file = path.normalize(path.join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    // The offline test moves the folder away while the worker may still be fetching: a file
    // that vanishes between the check and the read is a 404, as on a real server.
    const stream = fs.createReadStream(file);
    stream.on('error', () => { if (res.headersSent) res.destroy(); else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); });
    stream.on('open', () => {
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      stream.pipe(res);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((r) => server.close(r)) });
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
