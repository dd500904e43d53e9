// Search analytics in a real browser: a member of staff searches and opens
// the second result; an editor then sees that search and that click on the
// dashboard.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot, skip } from './helpers.mjs';

describe('search analytics', { skip }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /// The whole loop as its users meet it: searches from the search box are
  /// counted (three, so the query passes the reporting threshold), opening
  /// the second result goes through the click counter to that resource,
  /// and the editor's dashboard lists the query and a click at position 2.
  test('a search and its second result appear on the dashboard', async () => {
    const query = 'library memory cafes';
    const page = await (await browser.newContext()).newPage();
    for (let i = 0; i < 3; i += 1) {
      await page.goto(`${BASE}/`);
      await page.fill('input[name="q"]', query);
      await Promise.all([page.waitForURL(/[?&]q=/), page.locator('#search-form button[type="submit"]').first().click()]);
    }
    const second = page.locator('ol.hits li.hit h3 a').nth(1);
    const title = (await second.innerText()).trim();
    assert.match(await second.getAttribute('href'), /^\/r\/[0-9a-f]{32}\/2\?id=/);
    await Promise.all([page.waitForURL(/\/resources\//), second.click()]);
    assert.equal((await page.locator('h1').first().innerText()).trim(), title);
    await page.context().close();

    const editor = await (await browser.newContext()).newPage();
    await editor.goto(`${BASE}/admin/analytics`);
    assert.match(editor.url(), /\/login/, 'the dashboard is for editors');
    await editor.fill('#name', 'editor');
    await editor.fill('#password', process.env.KB_EDITOR_PASSWORD ?? '');
    await Promise.all([editor.waitForURL(/\/admin\/analytics/), editor.click('button[type="submit"]')]);
    const top = editor.locator('#top-queries tbody tr', { hasText: query });
    assert.equal(await top.count(), 1, await editor.locator('main').innerText());
    assert.ok(Number(await top.locator('td').first().innerText()) >= 3);
    const position2 = editor.locator('#positions tbody tr').nth(1);
    assert.equal((await position2.locator('th').innerText()).trim(), '2');
    assert.ok(Number(await position2.locator('td').first().innerText()) >= 1);
    assert.equal(await editor.locator('svg.chart rect').count() >= 1, true, 'the chart has a bar');
    await screenshot(editor, 'analytics-dashboard');
    await editor.context().close();
  });
});
