// The handbook in a real browser: both languages, phone and desktop sizes, served on 127.0.0.1
// and opened from file://. Screenshots of every page type go to target/screenshots/ for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { SITE, serve, launch, open, shot, PHONE, DESKTOP, assertClean, assertNoSideways } from './harness.mjs';

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const PAGES = ['index.html', 'zh/index.html', 'en/index.html', 'zh/q/24/index.html', 'en/q/24/index.html',
  'zh/notice/index.html', 'en/annex/index.html', 'en/glossary/index.html', 'zh/print/index.html', 'en/print/index.html'];

function sameOrigin(log, origin) {
  const foreign = log.requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'));
  assert.deepEqual(foreign, [], 'requests to another origin');
}

for (const [name, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test(`every page type renders cleanly at ${name} size`, async () => {
    for (const p of PAGES) {
      const { context, page, log } = await open(browser, viewport);
      const res = await page.goto(server.url + p);
      assert.equal(res.status(), 200, p);
      const m = await page.evaluate(() => ({
        header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
        h1: document.querySelector('h1')?.textContent ?? '',
        lang: document.documentElement.lang,
      }));
      await assertNoSideways(page, p);
      assert.equal(m.header, 'rgb(158, 27, 31)', `${p}: stylesheet applied`);
      assert.ok(m.h1.length > 1, `${p}: has a heading`);
      assert.ok(['zh-CN', 'en'].includes(m.lang), `${p}: lang`);
      assertClean(log, p);
      sameOrigin(log, server.url);
      await page.screenshot({ path: shot(`${name}-${p.replace(/\/index\.html$|\.html$/, '').replace(/\//g, '-') || 'root'}`), fullPage: false });
      await context.close();
    }
  });
}

test('a cadre goes from the contents to an answer, to English and back', async () => {
  const { context, page, log } = await open(browser, PHONE);
  await page.goto(server.url);
  await page.getByRole('link', { name: /绿色通道/ }).first().click();
  assert.match(page.url(), /\/zh\/q\/24\/index\.html$/);
  assert.match(await page.locator('h1').textContent(), /绿色通道/);
  await page.getByRole('link', { name: 'English' }).click();
  assert.match(page.url(), /\/en\/q\/24\/index\.html$/);
  assert.match(await page.locator('h1').textContent(), /Green Channel/);
  await page.getByRole('link', { name: /Next/ }).click();
  assert.match(page.url(), /\/en\/q\/25\/index\.html$/);
  await page.goBack();
  assert.match(page.url(), /\/en\/q\/24\/index\.html$/);
  await page.getByRole('link', { name: '中文' }).click();
  assert.match(page.url(), /\/zh\/q\/24\/index\.html$/);
  sameOrigin(log, server.url);
  await context.close();
});

test('the print edition prints the text only', async () => {
  const { context, page } = await open(browser, DESKTOP, { media: 'print' });
  await page.goto(server.url + 'zh/print/index.html');
  const hidden = await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).display);
  assert.equal(hidden, 'none', 'header hidden in print');
  assert.equal(await page.locator('.print-item').count(), 44, 'notice, 42 questions and the annex');
  await page.screenshot({ path: shot('print-media-zh-print') });
  const pdf = await page.pdf({ format: 'A4' });
  assert.ok(pdf.length > 10_000, 'a PDF of the print edition');
  await context.close();
});

test('the site works opened from disk (file://)', async () => {
  const { context, page, log } = await open(browser, PHONE);
  const url = pathToFileURL(path.join(SITE, 'index.html')).href;
  await page.goto(url);
  assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')).backgroundColor), 'rgb(158, 27, 31)');
  await page.getByRole('link', { name: /绿色通道/ }).first().click();
  assert.match(page.url(), /zh\/q\/24\/index\.html$/);
  await page.getByRole('link', { name: 'English' }).click();
  assert.match(page.url(), /en\/q\/24\/index\.html$/);
  assert.deepEqual(log.errors, []);
  assert.ok(log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), 'only local files');
  await context.close();
});
