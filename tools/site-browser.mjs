// Drives headless Chromium (Debian's /usr/bin/chromium, through playwright-core, which never
// downloads a browser) over the docs site built in out/site/.
//
//   node tools/site-browser.mjs check SITE_DIR
//     Loads every page from file://, with JavaScript and without: no console error, no
//     page error, no failed request, every image drawn (naturalWidth > 0), axe-core with
//     0 serious or critical violation; on the tickets page, the copy buttons show and copy
//     with JavaScript, stay hidden without it; axe again in dark mode; in print, no
//     navigation; at 390 px, no heading or table title cut, and an inline icon. Prints a
//     JSON report; exits 1 on a fault.
//
//   node tools/site-browser.mjs toc SITE_DIR
//     The home page's table of contents, 1280 px and 390 px wide: every entry's number
//     (a CSS counter, so that it can be measured) whole, inside its column, and clear of the
//     entry's text. Prints a JSON report; exits 1 on a fault.
//
//   node tools/site-browser.mjs screenshots SITE_DIR OUT_DIR
//     The home page (its top, and its first table of state cells) and the first annexe
//     page, narrow (390 px) and wide (1280 px), in the light scheme.
//
// Environment: CHROMIUM (default /usr/bin/chromium). Needs `npm install playwright-core
// axe-core` (.ci/run does it).

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readdirSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

// Chromium's own connections are refused on a closed network: these flags stop them.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ARGS,
    headless: true,
  });
}

function pages(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort();
}

// One page with JavaScript: what the console, the network, the images and axe say.
async function checkPage(context, dir, name) {
  const page = await context.newPage();
  const faults = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') faults.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => faults.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => faults.push(`failed request: ${r.url()} (${r.failure()?.errorText})`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file://')) faults.push(`request outside the site: ${r.url()}`);
  });
  await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
  const broken = await page.evaluate(() =>
    Array.from(document.images)
      .filter((i) => !i.complete || i.naturalWidth === 0)
      .map((i) => i.getAttribute('src')),
  );
  for (const src of broken) faults.push(`image not drawn: ${src}`);
  faults.push(...(await axeFaults(page, 'light')));
  if (name === 'tickets.html') faults.push(...(await copyButtons(page)));
  await page.close();
  return { page: name, faults };
}

// The copy buttons show, and one copies its text to the clipboard.
async function copyButtons(page) {
  const faults = [];
  const buttons = page.locator('button.copy');
  const count = await buttons.count();
  if (count === 0) return ['tickets page: no copy button'];
  for (let i = 0; i < count; i++) {
    if (!(await buttons.nth(i).isVisible())) faults.push(`copy button ${i} hidden with JavaScript on`);
  }
  const first = buttons.first();
  const target = await first.getAttribute('data-copy');
  await first.click();
  await page.waitForFunction(
    (b) => b.parentNode.querySelector('.copy-status').textContent !== '',
    await first.elementHandle(),
    { timeout: 5000 },
  );
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const expected = await page.evaluate((id) => document.getElementById(id).textContent, target);
  if (copied !== expected) faults.push(`copy button copied ${JSON.stringify(copied)}, not the text of #${target}`);
  return faults;
}

// axe-core's serious and critical violations on the page as it is now.
async function axeFaults(page, label) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    // No preload: axe would fetch the stylesheets again with XHR, which file:// refuses.
    const r = await window.axe.run(document, { resultTypes: ['violations'], preload: false });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe (${label}) ${v.impact} ${v.id}: ${v.help} (${v.nodes.join(', ')})`);
}

// Dark mode (contrast again) and print (no navigation, nothing wider than the page).
async function checkSchemes(browser, dir, name) {
  const context = await browser.newContext({ colorScheme: 'dark' });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
  const faults = await axeFaults(page, 'dark');
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  const shown = await page.evaluate(() =>
    Array.from(document.querySelectorAll('.pages, .toc, .downloads, button'))
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => e.className || e.tagName),
  );
  for (const s of shown) faults.push(`print: ${s} is printed`);
  await context.close();
  return faults;
}

// On a phone (390 px): every heading and table title is read whole, without scrolling
// sideways (tables scroll in their own box); and the page names its icon, so that no
// server logs a 404 for /favicon.ico, under any sub-path.
async function checkNarrow(browser, dir, name) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
  const cut = await page.evaluate(() =>
    Array.from(document.querySelectorAll('h1, h2, h3, caption, .table-title, figcaption'))
      .filter((e) => !e.closest('.table-scroll') || e.tagName === 'CAPTION')
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .map((e) => `${e.tagName.toLowerCase()} « ${e.textContent.trim().slice(0, 40)} »`),
  );
  const faults = cut.map((c) => `narrow: ${c} is cut at 390 px`);
  const icon = await page.evaluate(() => document.querySelector('link[rel~="icon"]')?.getAttribute('href') || '');
  if (!icon.startsWith('data:')) faults.push('no inline icon: browsers ask the server for /favicon.ico');
  await context.close();
  return faults;
}

// Without JavaScript: the page loads, the copy buttons stay hidden, the texts are there.
async function checkWithoutScript(browser, dir, name) {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
  const faults = [];
  const visible = await page.locator('button.copy:visible').count();
  if (visible > 0) faults.push(`${visible} copy button(s) shown without JavaScript`);
  const texts = await page.locator('.copy-text').count();
  if (name === 'tickets.html' && texts === 0) faults.push('no ticket text without JavaScript');
  await context.close();
  return faults;
}

async function check(dir) {
  const browser = await launch();
  const report = [];
  try {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    for (const name of pages(dir)) {
      const r = await checkPage(context, dir, name);
      r.faults.push(...(await checkWithoutScript(browser, dir, name)));
      r.faults.push(...(await checkSchemes(browser, dir, name)));
      r.faults.push(...(await checkNarrow(browser, dir, name)));
      report.push(r);
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(report, null, 2));
  return report.every((r) => r.faults.length === 0) && report.length > 0;
}

// The home page's table of contents, wide (a side column) and narrow: every entry's number
// drawn whole, inside the column, and clear of the entry's text, however many entries.
async function toc(dir) {
  const browser = await launch();
  const faults = [];
  let entries = 0;
  try {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      await page.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'load' });
      const found = await page.evaluate(() => {
        const nav = document.querySelector('nav.toc');
        const navLeft = nav.getBoundingClientRect().left + parseFloat(getComputedStyle(nav).paddingLeft);
        const canvas = document.createElement('canvas').getContext('2d');
        const out = [];
        for (const li of nav.querySelectorAll('li')) {
          const marker = getComputedStyle(li, '::before');
          const link = li.querySelector(':scope > a');
          const box = li.getBoundingClientRect();
          canvas.font = `${marker.fontWeight} ${marker.fontSize} ${marker.fontFamily}`;
          const ol = li.parentElement;
          const number = [...ol.children].indexOf(li) + 1;
          const width = canvas.measureText(`${number}.`).width;
          out.push({
            text: link.textContent,
            number,
            content: marker.content,
            inside: box.left >= navLeft - 0.5,
            room: link.getBoundingClientRect().left - box.left,
            width,
          });
        }
        return out;
      });
      entries = Math.max(entries, found.length);
      for (const e of found) {
        const where = `${viewport.width} px, ${e.number}. ${e.text}`;
        if (!e.content.includes('counter')) faults.push(`${where}: the number is not drawn by the page (${e.content})`);
        if (!e.inside) faults.push(`${where}: the entry starts left of its column`);
        if (e.room < e.width) faults.push(`${where}: ${e.room.toFixed(1)} px for a number ${e.width.toFixed(1)} px wide`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify({ entries, faults }, null, 2));
  return faults.length === 0 && entries > 0;
}

async function screenshots(dir, out) {
  mkdirSync(out, { recursive: true });
  const annexe = pages(dir).find((p) => p.startsWith('annexe-'));
  // [page, file stem, CSS selector of what to scroll to (none: the top)]
  const shots = [
    ['index.html', 'site-home', null],
    ['index.html', 'site-home-states', 'td.state'],
    [annexe, 'site-annexe', null],
  ];
  const sizes = [
    ['narrow', { width: 390, height: 844 }],
    ['wide', { width: 1280, height: 900 }],
  ];
  const browser = await launch();
  try {
    for (const [label, viewport] of sizes) {
      const context = await browser.newContext({ viewport, colorScheme: 'light' });
      const page = await context.newPage();
      for (const [name, stem, target] of shots) {
        await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
        if (target) {
          await page.evaluate((sel) => document.querySelector(sel).closest('table').scrollIntoView(), target);
        }
        const path = join(out, `${stem}-${label}.png`);
        await page.screenshot({ path });
        console.log(path);
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return true;
}

const [mode, dir, out] = process.argv.slice(2);
const site = dir && resolve(dir);
let ok = false;
if (mode === 'check' && site) ok = await check(site);
else if (mode === 'toc' && site) ok = await toc(site);
else if (mode === 'screenshots' && site && out) ok = await screenshots(site, resolve(out));
else console.error('usage: site-browser.mjs check SITE_DIR | toc SITE_DIR | screenshots SITE_DIR OUT_DIR');
process.exit(ok ? 0 : 1);
