// Open the benchmark dashboard in real headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) and print, as JSON, what a reader meets in each chart: the boxes of the commit
// labels, ticks and notes, the points and marks drawn, console errors and requests leaving the
// file. Usage: node browser.cjs PAGE PNG
'use strict';
const path = require('path');
const fs = require('fs');
const os = require('os');
const { chromium } = require(path.join(__dirname, '..', 'node', 'node_modules', 'playwright-core'));

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

(async () => {
  const [page, png] = process.argv.slice(2);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shipyard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: FLAGS, viewport: { width: 1366, height: 768 },
  });
  const found = { console: [], requests: [] };
  try {
    const tab = await context.newPage();
    tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') found.console.push(m.text()); });
    tab.on('pageerror', (e) => found.console.push(String(e)));
    tab.on('request', (r) => { if (!r.url().startsWith('file:')) found.requests.push(r.url()); });
    await tab.goto('file://' + path.resolve(page), { waitUntil: 'load' });
    found.charts = await tab.$$eval('section', (sections) => sections.map((s) => {
      const svg = s.querySelector('svg');
      const box = (e) => { const b = e.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom]; };
      const texts = (sel) => Array.from(svg.querySelectorAll(sel)).map((t) => ({ text: t.textContent, box: box(t) }));
      const count = (sel) => svg.querySelectorAll(sel).length;
      return {
        title: s.querySelector('h2').textContent, svg: box(svg),
        legend: (s.querySelector('p.legend') || { textContent: '' }).textContent,
        commits: texts('text.xt'), ticks: texts('text.yt'), notes: texts('text.n'), changes: texts('text.ct'),
        samples: count('circle.s'), outliers: Array.from(svg.querySelectorAll('circle.o')).map(box),
        lines: count('polyline.m'), change_lines: count('line.c'),
        marks: Array.from(svg.querySelectorAll('circle[class^="v-"]')).map((c) => c.querySelector('title').textContent),
      };
    }));
    await tab.screenshot({ path: png, fullPage: true });
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(found));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
