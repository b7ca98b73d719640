// The site on a cheap phone with large text and a slow link: at 360×640 with the browser's text
// size at 100, 130, 150 and 200 % (Chromium's default font size, as Android's font setting sets
// it), the header of every page type stays compact, shows all of itself and never scrolls
// sideways; under a throttled link nothing moves while a page loads (cumulative layout shift from
// PerformanceObserver). Screenshots of every size go to target/screenshots/phone-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serve, launch, open, shot, DESKTOP, assertClean, assertNoSideways } from './harness.mjs';

const SMALL = { width: 360, height: 640 };
const PAGES = {
  home: 'index.html', question: 'q/24/index.html', notice: 'notice/index.html', glossary: 'glossary/index.html',
  print: 'print/index.html', changes: 'changes/index.html', check: 'check/index.html',
  elimination: 'elimination/index.html', deadlines: 'deadlines/index.html', redact: 'redact/index.html',
};
const FORMS = ['check', 'elimination', 'deadlines', 'redact'];
// The header's height budget on a 360×640 screen, by text size.
const BUDGET = { 100: 140, 130: 170, 150: 200, 200: 260 };

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A page whose browser text size is `percent` of the usual 16 px. */
async function openAt(viewport, percent) {
  const opened = await open(browser, viewport);
  const cdp = await opened.context.newCDPSession(opened.page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: Math.round(16 * percent / 100), fixed: Math.round(13 * percent / 100) } });
  return { ...opened, cdp };
}

/** The page is ready: its form's engine started, or app.js has enabled the search button. */
async function settled(page, type) {
  await page.locator(FORMS.includes(type) ? 'form .btn-primary:enabled' : '#search-toggle:enabled').waitFor({ timeout: 30_000 });
}

/** The header: its height, and any part of it outside the screen or clipped. */
function measureHeader() {
  const header = document.querySelector('.site-header');
  const out = [];
  for (const e of header.querySelectorAll('a, summary, button, strong')) {
    if (!e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden') continue;
    const r = e.getBoundingClientRect();
    if (r.left < -0.5 || r.right > window.innerWidth + 0.5) out.push(`${e.nodeName}.${e.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
    if (e.scrollWidth > e.clientWidth + 1 && s.overflow !== 'visible') out.push(`${e.nodeName}.${e.className} clipped`);
  }
  const title = header.querySelector('.brand-text strong');
  const line = parseFloat(getComputedStyle(title).lineHeight);
  return { height: header.getBoundingClientRect().height, outside: out, titleLines: Math.round(title.getBoundingClientRect().height / line) };
}

for (const percent of [100, 130, 150, 200]) {
  test(`the header at ${percent} % text on a 360×640 screen: compact, whole, no sideways scrolling`, async () => {
    const { context, page, log } = await openAt(SMALL, percent);
    for (const lang of ['zh', 'en']) {
      for (const [type, p] of Object.entries(PAGES)) {
        const what = `${lang} ${type} at ${percent} %`;
        await page.goto(`${server.url}${lang}/${p}`);
        await settled(page, type);
        if (type === 'home' || type === 'check') await page.screenshot({ path: shot(`phone-${lang}-${type}-${percent}`) });
        const m = await page.evaluate(measureHeader);
        assert.ok(m.height <= BUDGET[percent], `${what}: header ${Math.round(m.height)} px > ${BUDGET[percent]} px`);
        assert.deepEqual(m.outside, [], `${what}: every part of the header on the screen`);
        assert.ok(m.titleLines <= 2, `${what}: the title takes ${m.titleLines} lines`);
        await assertNoSideways(page, what);
      }
      // The menu and the search box open below the header, over the page, still on the screen.
      await page.goto(`${server.url}${lang}/q/24/index.html`);
      await settled(page, 'question');
      await page.locator('.menu-button').click();
      const menu = await page.locator('.menu-nav a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect()).map((r) => [r.left, r.right]));
      assert.ok(menu.length >= 5 && menu.every(([l, r]) => l >= 0 && r <= 360.5), `${lang} ${percent} %: the menu's links on the screen`);
      await page.screenshot({ path: shot(`phone-${lang}-menu-${percent}`) });
      await page.locator('.menu-button').click();
      await page.locator('#search-toggle').click();
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', 'the search button focuses the box');
      const box = await page.locator('#search-input').boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= 360.5 && box.width >= 300 * 0.8, `${lang} ${percent} %: the search box is full width (${Math.round(box.width)} px)`);
      await assertNoSideways(page, `${lang} search open at ${percent} %`);
      await page.screenshot({ path: shot(`phone-${lang}-search-${percent}`) });
    }
    assertClean(log, `header at ${percent} %`);
    await context.close();
  });
}

test('the header on a desktop screen at 100 and 200 % text', async () => {
  for (const percent of [100, 200]) {
    const { context, page, log } = await openAt(DESKTOP, percent);
    for (const lang of ['zh', 'en']) {
      await page.goto(`${server.url}${lang}/check/index.html`);
      await settled(page, 'check');
      const m = await page.evaluate(measureHeader);
      assert.deepEqual(m.outside, [], `${lang} desktop ${percent} %: every part of the header on the screen`);
      await assertNoSideways(page, `${lang} desktop ${percent} %`);
      await page.screenshot({ path: shot(`desktop-${lang}-check-${percent}`) });
    }
    assertClean(log, `desktop ${percent} %`);
    await context.close();
  }
});

/** Cumulative layout shift of a page loaded over a slow link, up to when it is ready. */
async function loadShift(type, lang, percent) {
  const { context, page, cdp } = await openAt(SMALL, percent);
  await cdp.send('Network.enable');
  // About a fast 3G link: 1.6 Mbit/s down, 150 ms latency.
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200 * 1024, uploadThroughput: 96 * 1024 });
  await page.addInitScript(() => {
    window.__shift = 0;
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.hadRecentInput) continue;
        window.__shift += e.value;
        window.__shifts.push(e.sources?.map((s) => s.node?.nodeName + '.' + (s.node?.className ?? '')).join(' ') ?? '');
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto(`${server.url}${lang}/${PAGES[type]}`);
  await settled(page, type);
  await page.waitForTimeout(400);
  const r = await page.evaluate(() => ({ shift: window.__shift, shifts: window.__shifts }));
  await context.close();
  return r;
}

test('nothing moves while a page loads over a slow link (CLS ≤ 0.05 on every page type)', async () => {
  for (const percent of [100, 200]) {
    for (const type of Object.keys(PAGES)) {
      const r = await loadShift(type, 'zh', percent);
      assert.ok(r.shift <= 0.05, `${type} at ${percent} %: CLS ${r.shift.toFixed(3)} (${r.shifts.join(' | ')})`);
    }
  }
});
