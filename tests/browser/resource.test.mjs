// Resource pages: metadata links lead to filtered searches, related
// resources lead to their own pages, and unknown ids get a 404 page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, apiFor, launch, skip } from './helpers.mjs';

describe('resource page', { skip }, () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    page = await (await browser.newContext()).newPage();
  });
  after(async () => {
    await browser?.close();
  });

  /// The organisation link finds this resource among that organisation's.
  test('organisation link filters the search', async () => {
    const id = '2019/reading-friends-dementia';
    const resource = await (await fetch(`${BASE}/api/v1/resources/${id}`)).json();
    await page.goto(`${BASE}/resources/${id}`);
    assert.equal(await page.locator('h1').textContent(), resource.title);
    await Promise.all([
      page.waitForURL(/organisation=/),
      page.locator('.metadata dd a', { hasText: resource.organisation }).click(),
    ]);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('organisation'), resource.organisation);
    const api = await apiFor(page.url());
    assert.ok(api.hits.some((h) => h.id === id), 'the resource is in its organisation search');
    const checked = await page.locator('input[name="organisation"]:checked').evaluateAll((els) => els.map((e) => e.value));
    assert.deepEqual(checked, [resource.organisation]);
  });

  /// Year and region links filter on the year and on the region's hierarchy.
  test('year and region links', async () => {
    await page.goto(`${BASE}/resources/2019/reading-friends-dementia`);
    await Promise.all([page.waitForURL(/year_from=2019&year_to=2019/), page.locator('.kicker a', { hasText: '2019' }).click()]);
    const api = await apiFor(page.url());
    assert.ok(api.total > 0 && api.hits.every((h) => h.year === 2019));
    await page.goBack();
    await Promise.all([page.waitForURL(/region=england$/), page.locator('.metadata a', { hasText: 'England' }).click()]);
    const england = await apiFor(page.url());
    assert.ok(england.hits.some((h) => h.region !== 'england'), 'England includes its regions');
  });

  /// A related resource opens its own page.
  test('related resource opens', async () => {
    await page.goto(`${BASE}/resources/2019/reading-friends-dementia`);
    const related = page.locator('.related-list a').first();
    const title = await related.textContent();
    const href = await related.getAttribute('href');
    assert.ok(title);
    await Promise.all([page.waitForURL(`${BASE}${href}`), related.click()]);
    assert.equal(await page.locator('h1').textContent(), title);
  });

  /// Unknown ids answer 404 with a page that helps.
  test('unknown id is a 404 page', async () => {
    const response = await page.goto(`${BASE}/resources/2019/no-such-resource`);
    assert.equal(response.status(), 404);
    assert.equal(await page.locator('h1').textContent(), 'Page not found');
  });
});
