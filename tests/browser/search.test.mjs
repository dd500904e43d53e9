// The search page driven like a librarian would: type, tick, set years,
// remove a chip, page and go back; once with JavaScript and once without.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, apiFor, facetCount, launch, skip } from './helpers.mjs';

/** Everything the page shows agrees with the JSON API for the same URL. */
async function assertMatchesApi(page) {
  const api = await apiFor(page.url());
  const count = await page.locator('#result-count').textContent();
  assert.match(count, new RegExp(`of ${api.total} resources?$`), `count line "${count}"`);
  const titles = await page.locator('.hits h3 a').allTextContents();
  assert.deepEqual(titles, api.hits.map((h) => h.title), 'result titles in order');
  for (const facet of ['offer', 'type', 'region', 'language']) {
    for (const value of api.facets[facet]) {
      assert.equal(await facetCount(page, facet, value.value), value.count, `${facet}=${value.value} count`);
      const checked = await page.locator(`input[name="${facet}"][value="${value.value}"]`).isChecked();
      assert.equal(checked, value.selected, `${facet}=${value.value} checked`);
    }
  }
  return api;
}

/** Run the same flow with and without JavaScript. */
function flow(javaScriptEnabled) {
  const label = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';
  describe(`search ${label}`, { skip }, () => {
    let browser;
    let context;
    let page;
    before(async () => {
      browser = await launch();
      context = await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
      page = await context.newPage();
    });
    after(async () => {
      await browser?.close();
    });

    /// Query, two offers (OR) and a year range give the API's results and counts.
    test('query, two offers and a year range match the API', async () => {
      await page.goto(`${BASE}/`);
      await page.fill('#q', 'reading');
      await Promise.all([page.waitForURL(/q=reading/), page.press('#q', 'Enter')]);
      if (javaScriptEnabled) {
        // Ticking a box submits at once.
        await Promise.all([
          page.waitForURL(/offer=reading/),
          page.locator('input[name="offer"][value="reading"]').check({ noWaitAfter: true }).catch(() => {}),
        ]);
        // Keyboard users keep their place: focus returns to the box they ticked.
        await page.waitForFunction(() => document.activeElement?.value === 'reading');
        await Promise.all([
          page.waitForURL(/offer=health-and-wellbeing/),
          page.locator('input[name="offer"][value="health-and-wellbeing"]').check({ noWaitAfter: true }).catch(() => {}),
        ]);
      } else {
        await page.locator('input[name="offer"][value="reading"]').check();
        await page.locator('input[name="offer"][value="health-and-wellbeing"]').check();
      }
      await page.fill('#year_from', '2018');
      await page.fill('#year_to', '2024');
      await Promise.all([
        page.waitForURL(/year_to=2024/),
        page.getByRole('button', { name: 'Apply year range' }).click(),
      ]);
      const url = new URL(page.url());
      assert.deepEqual(url.searchParams.getAll('offer').sort(), ['health-and-wellbeing', 'reading']);
      assert.equal(url.searchParams.get('q'), 'reading');
      assert.equal(url.searchParams.get('year_from'), '2018');
      if (javaScriptEnabled) {
        // The script leaves empty fields and defaults out of the URL.
        assert.equal(url.searchParams.has('sort'), false, page.url());
      }
      const api = await assertMatchesApi(page);
      assert.ok(api.total > 0);
      for (const hit of api.hits) {
        assert.ok(hit.year >= 2018 && hit.year <= 2024);
        assert.ok(hit.offers.includes('reading') || hit.offers.includes('health-and-wellbeing'));
      }
      const chips = await page.locator('.chips .chip').allTextContents();
      assert.equal(chips.length, 3, chips.join(' | '));
    });

    /// Removing a chip drops just that selection.
    test('removing a chip drops one filter', async () => {
      const before = await apiFor(page.url());
      await Promise.all([
        page.waitForURL((u) => !u.searchParams.getAll('offer').includes('reading')),
        page.locator('.chips .chip', { hasText: 'Offer: Reading' }).click(),
      ]);
      const url = new URL(page.url());
      assert.deepEqual(url.searchParams.getAll('offer'), ['health-and-wellbeing']);
      assert.equal(url.searchParams.get('year_from'), '2018');
      assert.equal(await page.locator('input[name="offer"][value="reading"]').isChecked(), false);
      const api = await assertMatchesApi(page);
      assert.ok(api.total <= before.total);
      await Promise.all([page.waitForURL((u) => !u.search.includes('offer')), page.locator('.clear-all').click()]);
      assert.equal(new URL(page.url()).searchParams.get('q'), 'reading', 'Clear all keeps the query');
    });

    /// Paging forward and back with the browser's back button restores each page.
    test('paging forward and back', async () => {
      await page.goto(`${BASE}/?per_page=10`);
      const first = await page.locator('.hits h3 a').first().textContent();
      await Promise.all([page.waitForURL(/page=2/), page.locator('a[rel="next"]').click()]);
      assert.match(await page.locator('#result-count').textContent(), /^Showing 11–20 of/);
      const second = await page.locator('.hits h3 a').first().textContent();
      assert.notEqual(second, first);
      await Promise.all([page.waitForURL(/page=3/), page.locator('a[rel="next"]').click()]);
      assert.match(await page.locator('#result-count').textContent(), /^Showing 21–30 of/);
      await page.goBack();
      assert.match(page.url(), /page=2/);
      assert.equal(await page.locator('.hits h3 a').first().textContent(), second);
      await page.goBack();
      assert.doesNotMatch(page.url(), /[?&]page=/);
      assert.equal(await page.locator('.hits h3 a').first().textContent(), first);
      await assertMatchesApi(page);
    });

    /// The sort order is a form field too.
    test('sorting by newest', async () => {
      await page.goto(`${BASE}/?q=library`);
      await page.selectOption('#sort', 'newest');
      if (!javaScriptEnabled) {
        await Promise.all([page.waitForURL(/sort=newest/), page.getByRole('button', { name: 'Sort' }).click()]);
      } else {
        await page.waitForURL(/sort=newest/);
      }
      const api = await assertMatchesApi(page);
      const years = api.hits.map((h) => h.year);
      assert.deepEqual(years, [...years].sort((a, b) => b - a));
    });
  });
}

flow(true);
flow(false);
