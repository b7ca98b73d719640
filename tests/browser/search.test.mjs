// Search in a real browser (issue 4 "Pages", issue 6): the box in the header, results as you type,
// keyboard use, highlighting on the page a result opens, safety, privacy, file://, and the same
// top results as `policybook search --json`. Screenshots of the open panel go to target/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { SITE, serve, launch, open, shot, PHONE, DESKTOP, openSearch } from './harness.mjs';

const BIN = path.resolve(process.env.POLICYBOOK_BIN ?? new URL('../../target/debug/policybook', import.meta.url).pathname);
const QUERIES = new URL('../relevance/queries.yaml', import.meta.url).pathname;
const EVERYDAY = new URL('../relevance/everyday.yaml', import.meta.url).pathname;

let server, browser;
before(async () => { server = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SIZES = [['phone', PHONE], ['desktop', DESKTOP]];
const CASES = {
  zh: [['低保', [6, 8]], ['绿色通道', [24]], ['12317', [42]], ['２％', [32]]],
  en: [['green channel', [24]], ['hotline', [42]], ['12317', [42]]],
};
// The search box's assets: the search engine (engine-search.js, not the checker's engine.js) and an index.
const isAsset = (u) => /\/assets\/(engine(-search)?|search-(zh|en))\.[0-9a-f]+\.js$/.test(u);

function clean(log, what) {
  assert.deepEqual(log.errors, [], `${what}: page errors`);
  assert.deepEqual(log.console, [], `${what}: console messages`);
}

/** Types `query` into the box (which must be focused) and waits until the page has answered it. */
async function search(page, query) {
  const box = page.locator('#search-input');
  await box.fill(query);
  const value = await box.inputValue(); // the browser drops line breaks from a one-line field
  await page.waitForFunction((q) => document.getElementById('search-results')?.dataset.query === q, value, { timeout: 5000 });
  return page.$$eval('#search-results [role=option]', (os) => os.map((o) => ({
    url: o.dataset.url, href: o.getAttribute('href'), id: o.id,
    number: Number(o.querySelector('.qnum')?.textContent ?? NaN),
    title: o.querySelector('.search-title').textContent,
  })));
}

for (const [size, viewport] of SIZES) {
  for (const lang of ['zh', 'en']) {
    test(`${lang} search at ${size} size: expected items in the top 3, lazy loading, no request while typing`, async () => {
      const { context, page, log } = await open(browser, viewport);
      await page.goto(`${server.url}${lang}/q/24/index.html`);
      const box = page.locator('#search-input');
      await box.waitFor({ state: 'attached' });
      assert.equal(await page.locator('label[for="search-input"]').count(), 1, 'the box has a label');
      assert.ok((await box.getAttribute('placeholder')).length > 3, 'placeholder from the strings');
      assert.equal(await box.getAttribute('role'), 'combobox');
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      await page.waitForTimeout(300);
      assert.deepEqual(log.requests.filter(isAsset), [], 'nothing extra downloaded before the box is used');

      await openSearch(page);
      await page.waitForFunction(() => window.policybookEngine && typeof window.policybookEngine.search === 'function');
      assert.equal(log.requests.filter(isAsset).length, 2, 'engine and index loaded on focus');
      const settled = log.requests.length;

      for (const [q, expect] of CASES[lang]) {
        const rows = await search(page, q);
        const top = rows.slice(0, 3).map((r) => r.number);
        assert.ok(expect.some((n) => top.includes(n)), `${lang} "${q}": expected one of ${expect} in top 3, got ${top}`);
        assert.equal(await box.getAttribute('aria-expanded'), 'true');
        assert.match(await page.locator('#search [role=status]').textContent(), /\d/, 'the live region announces the count');
        for (const r of rows) assert.ok(r.href.startsWith('../../../') && /index\.html#hl=/.test(r.href), `relative link ${r.href}`);
      }
      assert.deepEqual(log.requests.slice(settled), [], 'no request at all while typing');

      // Layout with the panel open: no horizontal scrolling, touch targets, visible focus.
      await search(page, lang === 'zh' ? '低保' : 'green channel');
      const m = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        width: window.innerWidth,
        options: [...document.querySelectorAll('#search-results [role=option]')].map((o) => o.getBoundingClientRect().height),
        input: document.getElementById('search-input').getBoundingClientRect(),
        clear: document.querySelector('.search-clear').getBoundingClientRect(),
        panel: document.querySelector('.search-panel').getBoundingClientRect(),
        outline: getComputedStyle(document.getElementById('search-input')).outlineStyle,
      }));
      assert.ok(m.scroll <= m.width, `no horizontal scrolling (${m.scroll} > ${m.width})`);
      assert.ok(m.options.every((h) => h >= 44), `options at least 44 px tall: ${m.options}`);
      assert.ok(m.input.height >= 44 && m.clear.height >= 44 && m.clear.width >= 44, 'box and clear button at least 44 px');
      assert.notEqual(m.outline, 'none', 'visible focus on the box');
      assert.ok(m.panel.left >= 0 && m.panel.right <= m.width, 'the panel fits the screen');
      if (size === 'phone') assert.ok(m.input.width >= viewport.width - 40, 'the box is full width on a phone');
      await page.screenshot({ path: shot(`search-${size}-${lang}-results`) });

      const none = await search(page, lang === 'zh' ? '鳄鱼' : 'xylophone');
      assert.equal(none.length, 0);
      assert.ok(await page.locator('.search-message').isVisible(), 'the no-result state is shown');
      assert.equal(await box.getAttribute('aria-expanded'), 'false');
      assert.ok((await page.locator('.search-message a').getAttribute('href')).endsWith(`${lang}/index.html#contents`));
      if (size === 'phone') await page.screenshot({ path: shot(`search-${size}-${lang}-none`) });

      assert.deepEqual(await context.cookies(), [], 'no cookie');
      assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0, 'no storage');
      assert.ok(log.requests.every((u) => u.startsWith(server.url)), 'same-origin requests only');
      clean(log, `${lang} ${size}`);
      await context.close();
    });
  }

  test(`keyboard only at ${size} size: / → type → ArrowDown → Enter → the words are marked on the page`, async () => {
    for (const [lang, q, n, word] of [['zh', '绿色通道', 24, '绿色通道'], ['en', 'green channel', 24, /green channel/i]]) {
      const { context, page, log } = await open(browser, viewport);
      await page.goto(`${server.url}${lang}/index.html`);
      await page.locator('#search-toggle:enabled').waitFor();
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-input', '/ focuses the box');
      await page.keyboard.type(q);
      await page.waitForFunction((x) => document.getElementById('search-results')?.dataset.query === x, q);
      await page.keyboard.press('ArrowDown');
      const first = await page.locator('#search-results [role=option]').first();
      assert.equal(await page.locator('#search-input').getAttribute('aria-activedescendant'), await first.getAttribute('id'));
      assert.equal(await first.getAttribute('aria-selected'), 'true');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowUp');
      assert.equal(await first.getAttribute('aria-selected'), 'true', 'ArrowUp comes back');
      if (size === 'desktop' && lang === 'zh') await page.screenshot({ path: shot(`search-${size}-${lang}-active`) });
      const before = log.requests.length;
      await Promise.all([page.waitForURL(new RegExp(`/${lang}/q/${n}/index\\.html#hl=`)), page.keyboard.press('Enter')]);
      await page.waitForSelector('#main mark.search-hl');
      const marks = await page.$$eval('#main mark.search-hl', (ms) => ms.map((m) => m.textContent));
      assert.ok(marks.some((t) => (typeof word === 'string' ? t === word : word.test(t))), `marked: ${marks}`);
      assert.ok(await page.locator('mark.search-hl-first').isVisible());
      const inView = await page.$eval('mark.search-hl-first', (m) => {
        const r = m.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      });
      assert.ok(inView, 'scrolled to the first match');
      assert.deepEqual(log.requests.slice(before).filter((u) => /search-(zh|en)\./.test(u)), [], 'the landing page loads no index');
      if (lang === 'zh') await page.screenshot({ path: shot(`search-${size}-${lang}-landing`) });

      // Escape closes, a second Escape clears; `/` typed in the box is just text.
      await page.keyboard.press('/');
      await page.keyboard.type('12/3');
      assert.equal(await page.locator('#search-input').inputValue(), '12/3');
      await page.waitForFunction(() => document.getElementById('search-results')?.dataset.query === '12/3');
      await page.keyboard.press('Escape');
      assert.ok(await page.locator('.search-panel').isHidden(), 'Escape closes the results');
      assert.equal(await page.locator('#search-input').getAttribute('aria-expanded'), 'false');
      await page.keyboard.press('Escape');
      assert.equal(await page.locator('#search-input').inputValue(), '', 'a second Escape clears the box');
      clean(log, `keyboard ${lang} ${size}`);
      await context.close();
    }
  });
}

test('a query is text: HTML is escaped, no dialog, huge and binary queries give no results quickly', async () => {
  const { context, page, log } = await open(browser, PHONE);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.goto(`${server.url}zh/index.html`);
  await openSearch(page);
  for (const q of ['<img src=x onerror=alert(1)>', '"><script>alert(1)</script>', 'green <b>channel</b>']) {
    await search(page, q);
    await page.waitForTimeout(100);
    assert.equal(await page.locator('#search img, #search script, #search b').count(), 0, `no element from ${q}`);
  }
  // Snippets hold text and <mark> only.
  await search(page, '低保');
  const tags = await page.$$eval('.search-snippet *', (es) => [...new Set(es.map((e) => e.nodeName))]);
  assert.deepEqual(tags, ['MARK']);
  assert.equal(await page.locator('img').count(), 0);

  const garbage = Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 0xd7ff)).join('');
  for (const [name, q] of [['100 KB', '低保'.repeat(17_000).slice(0, 51_200)], ['binary', garbage], ['controls', '\u0000\u0001\u0002低保\u0007']]) {
    const t0 = Date.now();
    const rows = await search(page, q);
    const ms = Date.now() - t0;
    assert.equal(rows.length, 0, `${name}: no results`);
    assert.ok(ms < 2000, `${name}: answered in ${ms} ms`);
    assert.ok(await page.locator('.search-message').isVisible(), `${name}: the no-result state`);
  }
  assert.equal(dialogs, 0, 'no dialog');
  clean(log, 'safety');
  await context.close();
});

test('only what is used is downloaded: a page without #hl loads no engine; #hl loads the engine only', async () => {
  const { context, page, log } = await open(browser, PHONE);
  await page.goto(`${server.url}en/q/42/index.html`);
  await page.waitForTimeout(400);
  assert.deepEqual(log.requests.filter(isAsset), []);
  await page.goto(`${server.url}en/q/42/index.html#hl=${encodeURIComponent('12317')}`);
  await page.waitForSelector('#main mark.search-hl');
  assert.equal(await page.locator('#main mark.search-hl').first().textContent(), '12317');
  assert.deepEqual(log.requests.filter(isAsset).map((u) => u.replace(/.*\/assets\//, '').split('.')[0]), ['engine-search']);
  clean(log, 'lazy');
  await context.close();
});

test('search works from file:// and opens the result there', async () => {
  const { context, page, log } = await open(browser, PHONE);
  await page.goto(pathToFileURL(path.join(SITE, 'zh', 'index.html')).href);
  await openSearch(page);
  const rows = await search(page, '绿色通道');
  assert.equal(rows[0]?.number, 24);
  await Promise.all([page.waitForURL(/zh\/q\/24\/index\.html#hl=/), page.keyboard.press('Enter')]);
  await page.waitForSelector('#main mark.search-hl');
  assert.ok(page.url().startsWith('file://'));
  assert.ok(log.requests.every((u) => u.startsWith('file://') || u.startsWith('data:')), 'only local files');
  clean(log, 'file://');
  await context.close();
});

// The relevance sets' queries (flow-style YAML lists, one case a line): the exact terms and the
// everyday questions.
function relevanceCases() {
  return [QUERIES, EVERYDAY].flatMap((file) => fs.readFileSync(file, 'utf8').split('\n')).flatMap((line) => {
    const m = /^- \{lang: (zh|en), q: (.+?), expect: \[/.exec(line);
    if (!m) return [];
    let q = m[2].trim();
    if (/^".*"$/.test(q)) q = JSON.parse(q);
    return [{ lang: m[1], q }];
  });
}

test('the page and `policybook search --json` give the same top 3, in order', async () => {
  assert.ok(fs.existsSync(BIN), `the CLI ${BIN} (set POLICYBOOK_BIN)`);
  const cases = relevanceCases();
  assert.ok(cases.filter((c) => c.lang === 'zh').length >= 6 && cases.filter((c) => c.lang === 'en').length >= 6, 'queries in both languages');
  let compared = 0;
  for (const lang of ['zh', 'en']) {
    const { context, page, log } = await open(browser, DESKTOP);
    await page.goto(`${server.url}${lang}/index.html`);
    await openSearch(page);
    for (const { q } of cases.filter((c) => c.lang === lang)) {
      const cli = JSON.parse(execFileSync(BIN, ['search', q, '--lang', lang, '--json', '--site', SITE], { encoding: 'utf8' }));
      const want = cli.results.slice(0, 3).map((r) => r.url);
      const got = (await search(page, q)).slice(0, 3).map((r) => r.url);
      assert.deepEqual(got, want, `${lang} "${q}"`);
      compared += 1;
    }
    clean(log, `parity ${lang}`);
    await context.close();
  }
  assert.ok(compared >= 300, `compared ${compared} queries`);
});

test('an everyday word finds the guide\'s word, and the page it opens marks the guide\'s word', async () => {
  const { context, page, log } = await open(browser, PHONE);
  await page.goto(`${server.url}zh/index.html`);
  await openSearch(page);
  const rows = await search(page, '监测户录错了怎么删除');
  assert.equal(rows[0]?.number, 40, `got ${rows.map((r) => r.number)}`);
  assert.match(decodeURIComponent(rows[0].href), /#hl=.*清退/, 'the link carries the guide\'s word');
  await page.keyboard.press('ArrowDown');
  await Promise.all([page.waitForURL(/zh\/q\/40\/index\.html#hl=/), page.keyboard.press('Enter')]);
  await page.waitForSelector('#main mark.search-hl');
  const marks = await page.$$eval('#main mark.search-hl', (ms) => ms.map((m) => m.textContent));
  assert.ok(marks.includes('清退'), `marked: ${marks}`);
  clean(log, 'everyday');
  await context.close();
});
