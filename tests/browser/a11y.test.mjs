// Accessibility (axe-core, WCAG 2.2 A and AA rules) on every kind of page,
// in light and dark colour schemes, with screenshots at phone and desktop
// widths saved to target/screenshots/ for people to look at.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, axe, launch, screenshot, skip } from './helpers.mjs';

const PAGES = [
  ['search', '/'],
  ['results', '/?q=reading&offer=reading&offer=health-and-wellbeing&year_from=2018&year_to=2024'],
  ['zero-results', '/?q=dementa&type=video&year_from=2015&year_to=2015'],
  ['resource', '/resources/2019/reading-friends-dementia'],
  ['browse', '/browse'],
  ['submit', '/submit'],
  ['not-found', '/resources/no/such/thing'],
  ['bad-request', '/?page=0'],
];

const WIDTHS = [
  ['360', { width: 360, height: 800 }],
  ['desktop', { width: 1280, height: 900 }],
];

describe('accessibility', { skip }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  for (const colorScheme of ['light', 'dark']) {
    for (const [name, path] of PAGES) {
      /// No WCAG 2.2 A/AA violations axe can detect, at phone and desktop widths.
      test(`${name} page has no axe violations (${colorScheme})`, async () => {
        for (const [width, viewport] of WIDTHS) {
          // axe is injected as an inline script, which the page's strict CSP
          // rightly blocks; this context lets the test tool in. The CSP itself
          // is checked below, with nothing bypassed.
          const context = await browser.newContext({ viewport, colorScheme, bypassCSP: true });
          const page = await context.newPage();
          await page.goto(`${BASE}${path}`);
          const violations = await axe(page);
          assert.deepEqual(violations, [], `${name} at ${width}px: ${JSON.stringify(violations, null, 2)}`);
          // No horizontal scrolling at 360px (WCAG 1.4.10 reflow).
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
          await screenshot(page, `${name}-${width}${colorScheme === 'dark' ? '-dark' : ''}`);
          await context.close();
        }
      });
    }
  }

  /// Under the server's strict Content-Security-Policy, no page breaks a rule
  /// (every script, style and image comes from the site itself), the API
  /// reference included, which is styled by the site stylesheet. Each
  /// `securitypolicyviolation` event is recorded by a listener installed
  /// before any page script runs, and read once the page has loaded.
  test('pages run under the strict CSP without violations', async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const page = await context.newPage();
    const seen = async (name) => {
      const violations = await page.evaluate(() => window.__cspViolations);
      assert.deepEqual(violations, [], `${name}: ${JSON.stringify(violations)}`);
    };
    for (const [name, path] of [...PAGES, ['api-docs', '/api/docs']]) {
      const response = await page.goto(`${BASE}${path}`);
      assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self'/, `${name} lacks the CSP`);
      await page.waitForLoadState('networkidle');
      await seen(name);
    }
    // The API reference is laid out by the site stylesheet, not left unstyled.
    await page.goto(`${BASE}/api/docs`);
    const width = await page.evaluate(() => getComputedStyle(document.body).maxWidth);
    assert.notEqual(width, 'none', 'the /api/docs rules of the site stylesheet apply');
    await page.goto(`${BASE}/`);
    // The suggestion box fetches from the API as you type.
    await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/suggest')), page.fill('#q', 'demen')]);
    await seen('search with suggestions');
    await context.close();
  });

  /// The skip link is the first thing focused and moves focus to main.
  test('skip link reaches main content', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${BASE}/`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to main content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
    await page.context().close();
  });
});
