// Shared set-up for the browser tests: where the server is, how to start
// Chromium, and an axe-core runner.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));

/** The running server (run.sh starts it and sets KB_TEST_URL). */
export const BASE = process.env.KB_TEST_URL ?? '';

/** Where Chromium lives. */
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots go to target/screenshots/ at the repository root. */
export const SCREENSHOTS = join(here, '..', '..', 'target', 'screenshots');

/** Path of the axe-core script injected into pages. */
export const AXE = join(here, 'node_modules', 'axe-core', 'axe.min.js');

const missing = !existsSync(CHROMIUM);
if (missing && process.env.CI === 'true') {
  // On CI a missing browser is a broken set-up, not a reason to skip.
  throw new Error(`Chromium not found at ${CHROMIUM}, and CI=true: install it (apt-get install -y chromium)`);
}
if (!BASE) {
  throw new Error('KB_TEST_URL is not set: run the browser tests through tests/browser/run.sh');
}

/** `false`, or why the browser tests cannot run on this machine. */
export const skip = missing ? `Chromium not found at ${CHROMIUM}; set CHROMIUM or install chromium` : false;
if (skip) console.log(`# skipping browser tests: ${skip}`);

/** Start headless Chromium. */
export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Save a full-page screenshot as target/screenshots/<name>.png. */
export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Run axe-core on the current page for WCAG 2.2 A and AA; returns violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
}

/** The JSON API's answer for the search in a page URL. */
export async function apiFor(url) {
  // A form without JavaScript sends empty boxes (`year_from=`); the pages
  // read those as "not set", the API as a mistake, so leave them out.
  const params = new URLSearchParams();
  for (const [k, v] of new URL(url).searchParams) if (v.trim() !== '') params.append(k, v);
  const query = params.size ? `?${params}` : '';
  const response = await fetch(`${BASE}/api/v1/search${query}`);
  if (!response.ok) throw new Error(`API ${response.status} for ${query}`);
  return response.json();
}

/** Count from a facet checkbox's label ("11 resources" -> 11). */
export async function facetCount(page, facet, value) {
  const text = await page
    .locator(`label[for="${await page.locator(`input[name="${facet}"][value="${value}"]`).getAttribute('id')}"] .count`)
    .textContent();
  return Number.parseInt(text, 10);
}
