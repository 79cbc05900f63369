// The public page in Debian's Chromium, driven by puppeteer-core: for each URL and each width,
// loads the page (its Content-Security-Policy enforced: the stylesheet must be allowed by its
// hash), runs axe-core, measures horizontal overflow, the feed-URL field against its column and
// the labels of table cells, takes a full-page screenshot, and prints one JSON object per
// (URL, width) as a JSON array on stdout. The python system test judges the results
// (tests/system/test_page_browser.py).
//
// usage: node page-check.mjs OUT_DIR WIDTH[,WIDTH...] NAME=URL [NAME=URL...]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const here = dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(join(here, 'node_modules/axe-core/axe.min.js'), 'utf8');
const [outDir, widthList, ...targets] = process.argv.slice(2);
if (!outDir || !widthList || !targets.length) {
  console.error('usage: node page-check.mjs OUT_DIR WIDTH[,WIDTH...] NAME=URL...');
  process.exit(2);
}
const widths = widthList.split(',').map(Number);

// Runs in the page: what the test asserts about layout and labels.
function measure() {
  const vw = window.innerWidth;
  const overflowing = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 0.5 || r.left < -0.5)) {
      overflowing.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
        `${el.className ? '.' + el.className : ''} [${Math.round(r.left)}, ${Math.round(r.right)}]`);
    }
  }
  const feeds = [...document.querySelectorAll('input[id^="feed-"]')].map((input) => {
    const r = input.getBoundingClientRect();
    const col = input.closest('section') || document.querySelector('main');
    const c = col.getBoundingClientRect();
    const cs = getComputedStyle(col);
    const inner = { left: c.left + parseFloat(cs.paddingLeft), right: c.right - parseFloat(cs.paddingRight) };
    return { id: input.id, left: r.left, right: r.right, colLeft: inner.left, colRight: inner.right,
             inside: r.left >= inner.left - 0.5 && r.right <= inner.right + 0.5 };
  });
  const cells = [...document.querySelectorAll('td')].map((td) => {
    const label = td.getAttribute('data-label') || '';
    const before = getComputedStyle(td, '::before').content;
    return { label, shown: before === JSON.stringify(label) };
  });
  const headers = [...document.querySelectorAll('thead tr')].map((tr) => tr.getBoundingClientRect().width);
  const th = document.querySelector('th');
  return {
    innerWidth: vw,
    scrollWidth: document.documentElement.scrollWidth,
    overflowing,
    feeds,
    cells: cells.length,
    unlabelled: cells.filter((c) => !c.label).length,
    labelsShown: cells.filter((c) => c.shown).length,
    headerWidths: headers,
    // The stylesheet applied (a CSP that did not match its hash would leave defaults).
    styleApplied: getComputedStyle(document.body).maxWidth !== 'none' &&
      (!th || getComputedStyle(th).backgroundColor === 'rgb(242, 242, 242)'),
    text: document.body.innerText,
    html: document.documentElement.outerHTML,
  };
}

const browser = await puppeteer.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const results = [];
try {
  for (const target of targets) {
    const eq = target.indexOf('=');
    const name = target.slice(0, eq), url = target.slice(eq + 1);
    for (const width of widths) {
      const page = await browser.newPage();
      const console_ = [];
      page.on('console', (m) => console_.push(`${m.type()}: ${m.text()}`));
      await page.setViewport({ width, height: 900 });
      const resp = await page.goto(url, { waitUntil: 'load' });
      const m = await page.evaluate(measure);
      // axe through the DevTools protocol: the page's CSP (no script) stays in force.
      await page.evaluate(axeSource);
      const axe = await page.evaluate(async () => {
        const r = await window.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                                         nodes: v.nodes.map((n) => n.target.join(' ')) }));
      });
      const screenshot = join(outDir, `${name}-${width}px.png`);
      await page.screenshot({ path: screenshot, fullPage: true });
      results.push({ name, url, width, status: resp.status(), violations: axe, screenshot,
                     console: console_, ...m });
      await page.close();
    }
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
