// The site as a phone on a weak connection gets it, behind a gzip server like a real static host:
//
//   node bench/phone.mjs SITE [--rounds N] [--lighthouse]   → one JSON object on stdout
//
// Timings (median and spread of N fresh page loads, alternating the three measurements so that a
// noisy neighbour hits them alike): Chromium's "Slow 3G" network preset (2,000 ms latency,
// 50,000 bytes/s each way) and 4× CPU slowdown, through the DevTools protocol; no cache, no
// service worker (a first visit):
//   first_text_ms       first contentful paint of /zh/q/24/ (an answer, the page people land on)
//   first_search_ms     on /zh/index.html after load: open the search box, type 公示要几天, until the
//                       results list answers it (engine and index download included)
//   checker_ready_ms    navigation start of /zh/check/ until the form's submit button is enabled
//                       (HTML, CSS, script and the tools engine downloaded and started)
// and the bytes each took on the wire.
//
// With --lighthouse, Lighthouse (npm `lighthouse`, bench/node_modules; its default mobile
// configuration: simulated slow 4G and 4× CPU) scores one page of every type in both languages.
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, chromiumPath } from '../tests/browser/harness.mjs';

const args = process.argv.slice(2);
const site = path.resolve(args[0] ?? 'site');
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 5;
const withLighthouse = args.includes('--lighthouse');
if (!fs.existsSync(path.join(site, 'zh/index.html'))) {
  console.error(`error: ${site} is not a built site (run: cargo run --release -- build --out ${site})`);
  process.exit(2);
}

const SLOW_3G = { offline: false, latency: 2000, downloadThroughput: 50000, uploadThroughput: 50000 };
const CPU_SLOWDOWN = 4;
const QUERY = '公示要几天';

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2, min: s[0], max: s[s.length - 1], n: s.length };
}

/** A fresh context and page on the slow network and CPU; counts the bytes received. */
async function slowPage(browser) {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  return { context, page, bytes: () => bytes };
}

const measures = {
  async first_text_ms(browser, url) {
    const p = await slowPage(browser);
    await p.page.goto(`${url}zh/q/24/index.html`, { waitUntil: 'load', timeout: 120000 });
    const ms = await p.page.evaluate(() => new Promise((resolve) => {
      new PerformanceObserver((list) => {
        const e = list.getEntries().find((x) => x.name === 'first-contentful-paint');
        if (e) resolve(e.startTime);
      }).observe({ type: 'paint', buffered: true });
    }));
    const bytes = p.bytes();
    await p.context.close();
    return { ms, bytes };
  },
  async first_search_ms(browser, url) {
    const p = await slowPage(browser);
    await p.page.goto(`${url}zh/index.html`, { waitUntil: 'load', timeout: 120000 });
    const before = p.bytes();
    const start = Date.now();
    const toggle = p.page.locator('#search-toggle');
    if (await toggle.isVisible()) await toggle.click();
    await p.page.locator('#search-input').fill(QUERY);
    await p.page.waitForFunction((q) => document.getElementById('search-results')?.dataset.query === q
      && document.querySelectorAll('#search-results [role=option]').length > 0, QUERY, { timeout: 120000 });
    const ms = Date.now() - start;
    const bytes = p.bytes() - before;
    await p.context.close();
    return { ms, bytes };
  },
  async checker_ready_ms(browser, url) {
    const p = await slowPage(browser);
    await p.page.goto(`${url}zh/check/index.html`, { waitUntil: 'commit', timeout: 120000 });
    await p.page.waitForFunction(() => {
      const b = document.querySelector('form[data-engine] .btn-primary');
      return b && !b.disabled && window.policybookEngine && window.policybookEngine.built;
    }, null, { timeout: 120000, polling: 50 });
    const ms = await p.page.evaluate(() => performance.now());
    const bytes = p.bytes();
    await p.context.close();
    return { ms, bytes };
  },
};

/** One page of each type, both languages. */
function pageTypes() {
  const out = [];
  for (const lang of ['zh', 'en']) {
    for (const [type, rel] of [['home', 'index.html'], ['question', 'q/24/index.html'], ['check', 'check/index.html'],
      ['elimination', 'elimination/index.html'], ['deadlines', 'deadlines/index.html'], ['redact', 'redact/index.html'],
      ['screen', 'screen/index.html'], ['glossary', 'glossary/index.html'], ['notice', 'notice/index.html'],
      ['changes', 'changes/index.html'], ['print', 'print/index.html']]) {
      if (fs.existsSync(path.join(site, lang, rel))) out.push({ type, lang, rel: `${lang}/${rel}` });
    }
  }
  return out;
}

async function lighthouseScores(url) {
  const lighthouse = (await import('lighthouse')).default;
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({
    chromePath: chromiumPath(),
    chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const rows = [];
  try {
    for (const p of pageTypes()) {
      const result = await lighthouse(`${url}${p.rel}`, {
        port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      const { categories: c, audits: a } = result.lhr;
      rows.push({
        ...p,
        performance: c.performance.score, accessibility: c.accessibility.score,
        best_practices: c['best-practices'].score, seo: c.seo.score,
        fcp_ms: Math.round(a['first-contentful-paint'].numericValue),
        lcp_ms: Math.round(a['largest-contentful-paint'].numericValue),
        tbt_ms: Math.round(a['total-blocking-time'].numericValue),
        cls: Number(a['cumulative-layout-shift'].numericValue.toFixed(3)),
        bytes: a['total-byte-weight'].numericValue,
        failing: Object.values(a).filter((x) => x.score !== null && x.score < 0.9
          && ['binary', 'numeric'].includes(x.scoreDisplayMode)).map((x) => x.id),
      });
    }
  } finally {
    await chrome.kill();
  }
  return rows;
}

const server = await serve(site, { gzip: true });
const out = { site, rounds, network: SLOW_3G, cpu_slowdown: CPU_SLOWDOWN, load: fs.readFileSync('/proc/loadavg', 'utf8').trim() };
try {
  const browser = await launch();
  try {
    const samples = Object.fromEntries(Object.keys(measures).map((k) => [k, []]));
    for (let r = 0; r < rounds; r++) {
      for (const [name, measure] of Object.entries(measures)) samples[name].push(await measure(browser, server.url));
    }
    for (const [name, xs] of Object.entries(samples)) {
      out[name] = { ...stats(xs.map((x) => x.ms)), bytes: stats(xs.map((x) => x.bytes)).median };
    }
  } finally {
    await browser.close();
  }
  if (withLighthouse) out.lighthouse = await lighthouseScores(server.url);
  out.load_after = fs.readFileSync('/proc/loadavg', 'utf8').trim();
} finally {
  await server.close();
}
console.log(JSON.stringify(out, null, 1));
