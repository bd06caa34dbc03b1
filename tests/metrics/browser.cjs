// Open a page in real headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
// and print what a reader would meet, as JSON: the charts and their points, console errors,
// requests leaving the file, keyboard walking, dark mode. Usage: node browser.cjs PAGE PNG
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
    args: FLAGS, viewport: { width: 1366, height: 768 }, colorScheme: 'light',
  });
  const found = { console: [], requests: [] };
  try {
    const tab = await context.newPage();
    tab.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') found.console.push(m.text()); });
    tab.on('pageerror', (e) => found.console.push(String(e)));
    tab.on('request', (r) => { if (!r.url().startsWith('file:')) found.requests.push(r.url()); });
    await tab.goto('file://' + path.resolve(page), { waitUntil: 'load' });
    found.charts = await tab.$$eval('figure.chart', (figs) => figs.map((f) => {
      const box = f.querySelector('svg').getBoundingClientRect();
      return { id: f.id, points: f.querySelectorAll('circle.pt').length,
        declared: Number(f.dataset.points), lines: f.querySelectorAll('polyline').length,
        changes: f.querySelectorAll('line.change').length, width: box.width, height: box.height };
    }));
    found.kpis = await tab.$$eval('#kpis tr', (rows) => rows.slice(1).map((r) =>
      Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
    found.level = await tab.textContent('#dora-level');
    found.vulnerabilities = await tab.$$eval('#vulnerabilities tr', (rows) => rows.length - 1).catch(() => 0);
    // keyboard: Tab reaches the first point, ArrowRight the next, and the value is read out
    if (found.charts.length) {
      await tab.keyboard.press('Tab');
      const first = await tab.evaluate(() => document.activeElement.getAttribute('aria-label'));
      await tab.keyboard.press('ArrowRight');
      found.keyboard = await tab.evaluate(() => ({
        label: document.activeElement.getAttribute('aria-label'),
        readout: document.activeElement.closest('figure').querySelector('output').textContent,
      }));
      found.keyboard.first = first;
    }
    found.light = await tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await tab.screenshot({ path: png, fullPage: true });
    await tab.emulateMedia({ colorScheme: 'dark' });
    found.dark = await tab.evaluate(() => getComputedStyle(document.body).backgroundColor);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(found));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
