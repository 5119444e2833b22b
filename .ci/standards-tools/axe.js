// Runs axe-core in headless Chromium on the pages named on the command line, at
// a desktop and a mobile width, and fails on any WCAG 2.1 A/AA violation.
//
// usage: node axe.js BASE_URL PATH...   (NODE_PATH must hold axe-core and playwright-core)
'use strict';

const fs = require('fs');
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'mobile', width: 375, height: 812 },
];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function main() {
  const [base, ...paths] = process.argv.slice(2);
  if (!base || paths.length === 0) {
    console.error('usage: node axe.js BASE_URL PATH...');
    process.exit(2);
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let checks = 0;
  let violations = 0;
  try {
    for (const size of WIDTHS) {
      const context = await browser.newContext({ viewport: { width: size.width, height: size.height } });
      const page = await context.newPage();
      for (const path of paths) {
        const url = base + path;
        const response = await page.goto(url, { waitUntil: 'load' });
        // The 404 page is served with status 404 by real hosts; anything else must load.
        if (!response || (response.status() >= 400 && !path.endsWith('404.html'))) {
          console.error(`axe: ${url} did not load (${response ? response.status() : 'no response'})`);
          violations += 1;
          continue;
        }
        await page.addScriptTag({ content: axeSource });
        const result = await page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return r.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
            count: v.nodes.length,
          }));
        }, TAGS);
        checks += 1;
        for (const v of result) {
          violations += 1;
          console.error(`axe: ${path} @${size.width}px: ${v.id} (${v.impact}): ${v.help} — ${v.count} element(s)`);
          for (const n of v.nodes) {
            console.error(`    ${n.target}\n      ${String(n.summary).replace(/\n/g, '\n      ')}`);
          }
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  console.log(`axe: ${checks} page×width checks, ${violations} violation(s)`);
  process.exit(violations === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`axe: ${e.stack || e}`);
  process.exit(1);
});
