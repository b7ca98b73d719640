// The trainer's workflow in a real browser (issue 5): the line box on the questions that mention
// the line and the changes page in the built site, and `policybook serve` — live reload after an
// edit and the build-error overlay — under the pages' own strict Content-Security-Policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, open, shot, PHONE, DESKTOP, assertClean, assertNoSideways } from './harness.mjs';

const BIN = path.resolve(process.env.POLICYBOOK_BIN ?? new URL('../../target/debug/policybook', import.meta.url).pathname);
const MINI = new URL('../fixtures/mini/content', import.meta.url).pathname;

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`the line box and the changes page render cleanly at ${name} size`, async () => {
    for (const [p, shotName] of [['zh/q/10/index.html', 'line-note-zh'], ['en/q/25/index.html', 'line-note-en'],
      ['zh/changes/index.html', 'changes-zh'], ['en/changes/index.html', 'changes-en']]) {
      const { context, page, log } = await open(browser, viewport);
      const res = await page.goto(server.url + p);
      assert.equal(res.status(), 200, p);
      const m = await page.evaluate(() => ({
        note: document.querySelector('.line-note .line-figure')?.textContent ?? '',
        history: document.querySelectorAll('.line-history .line-entry').length,
        inForce: document.querySelectorAll('.line-history .line-entry.in_force').length,
      }));
      await assertNoSideways(page, p);
      if (p.includes('/q/')) assert.match(m.note, /\d{4}.*\d,\d{3}/, `${p}: the box shows the year and the line`);
      else assert.ok(m.history >= 1 && m.inForce === 1, `${p}: the history lists the line in force`);
      assertClean(log, p);
      if (p.includes('/q/')) await page.locator('.line-note').scrollIntoViewIfNeeded();
      await page.screenshot({ path: shot(`${shotName}-${name}`), fullPage: !p.includes('/q/') });
      await context.close();
    }
  });
}

/** Starts `policybook serve --port 0` on a copy of the mini fixture; resolves when it listens. */
async function startServe(dir) {
  const child = spawn(BIN, ['serve', '--port', '0', '--content', path.join(dir, 'content')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`serve did not start: ${out}`)); }, 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${out}`)); });
  });
  child.stdout.resume();
  child.stderr.resume();
  return { child, url };
}

test('serve reloads an open page after an edit and shows a build error over the last good page', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-serve-browser-'));
  fs.cpSync(MINI, path.join(dir, 'content'), { recursive: true });
  const q1 = path.join(dir, 'content/zh/q/01.md');
  const q2 = path.join(dir, 'content/zh/q/02.md');
  const { child, url } = await startServe(dir);
  try {
    for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
      const original = fs.readFileSync(q1, 'utf8');
      const good2 = fs.readFileSync(q2, 'utf8');
      const { context, page, log } = await open(browser, viewport);
      await page.goto(url + 'zh/q/1/');
      await page.waitForFunction(() => typeof window.__policybookStatus === 'function');

      const marker = `LIVE-EDIT-${name}`;
      fs.writeFileSync(q1, original + `\n${marker}\n`);
      await page.waitForFunction((m) => document.body.textContent.includes(m), marker, { timeout: 15000 });

      fs.writeFileSync(q2, good2.replace(/^topic:/m, 'tpoic:'));
      const overlay = page.locator('.pb-live-overlay');
      await overlay.waitFor({ state: 'visible', timeout: 15000 });
      const text = await overlay.textContent();
      assert.match(text, /02\.md:4:1: unknown field `tpoic`/);
      assert.match(text, /构建失败/, 'the overlay speaks the page\'s language');
      assert.ok((await page.textContent('main')).includes(marker), 'the last good page stays');
      await page.screenshot({ path: shot(`serve-error-overlay-${name}`) });

      fs.writeFileSync(q2, good2);
      fs.writeFileSync(q1, original);
      await overlay.waitFor({ state: 'detached', timeout: 15000 });
      await page.waitForFunction((m) => !document.body.textContent.includes(m), marker, { timeout: 15000 });
      assert.deepEqual(log.errors, [], 'page errors');
      assert.deepEqual(log.console.filter((c) => !c.startsWith('log:')), [], 'console messages (a CSP violation would show here)');
      await context.close();
    }
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
