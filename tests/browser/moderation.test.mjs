// Contributors and editors in a real browser: the submission form keeps the
// input and shows each error beside its field; an editor logs in, approves,
// and the resource is searchable at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, screenshot, skip } from './helpers.mjs';

describe('contributors and editors', { skip }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /// A form with no title and no offer ticked shows the GOV.UK error
  /// summary linking to each bad field, the message again beside each field,
  /// and keeps what was typed and chosen; the honeypot stays out of sight.
  /// The same with JavaScript off: the form needs none.
  for (const javaScriptEnabled of [true, false]) {
    test(`submission form summarises errors (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
      await page.goto(`${BASE}/submit`);
      // Out of sight for people: placed off-screen by the site stylesheet
      // (an inline style would be refused by the CSP).
      const box = await page.locator('.hp').boundingBox();
      assert.ok(!box || box.x + box.width <= 0, `honeypot is on screen at ${JSON.stringify(box)}`);
      await page.fill('#summary', 'Weekly chess club for teenagers in the central library.');
      await page.selectOption('#region', { label: 'England › North West' });
      await page.fill('#body', 'We ran a chess club on Saturday mornings.');
      await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Submit for review' }).click()]);
      const summary = page.locator('.error-summary');
      assert.match(await summary.innerText(), /There is a problem/);
      assert.equal(await summary.locator('a[href="#title"]').count(), 1);
      assert.equal(await summary.locator('a[href="#offers-reading"]').count(), 1);
      assert.match(await page.locator('#title-error').innerText(), /title/i);
      assert.match(await page.locator('#offers-error').innerText(), /offer/i);
      // Each summary link points at its field.
      assert.equal(await page.locator('input#title').count(), 1);
      assert.equal(await page.locator('input#offers-reading[type="checkbox"]').count(), 1);
      assert.equal(await page.inputValue('#summary'), 'Weekly chess club for teenagers in the central library.');
      assert.equal(await page.inputValue('#region'), 'north-west');
      assert.equal(await page.inputValue('#body'), 'We ran a chess club on Saturday mornings.');
      await screenshot(page, `submit-errors-js-${javaScriptEnabled ? 'on' : 'off'}`);
      await page.context().close();
    });
  }

  /// A valid submission is queued; an editor logs in, approves it from the
  /// queue, and the new resource is in search results right away.
  test('an editor approves a submission and it is searchable', async () => {
    const unique = `Zanzibar chess club ${Date.now()}`;
    const contributor = await (await browser.newContext()).newPage();
    await contributor.goto(`${BASE}/submit`);
    await contributor.fill('#title', unique);
    await contributor.fill('#summary', 'Weekly chess club for teenagers in the central library.');
    await contributor.getByLabel('Culture and Creativity').check();
    await contributor.selectOption('#type', { label: 'Case study' });
    await contributor.fill('#published', '2024-05-01');
    await contributor.selectOption('#region', { label: 'England › London' });
    await contributor.fill('#organisation', 'A London borough library service');
    await contributor.fill('#tags', 'teenagers, chess');
    await contributor.selectOption('#language', { label: 'English' });
    await contributor.fill('#body', 'We ran a chess club for teenagers on Saturday mornings; 40 came.');
    await Promise.all([contributor.waitForLoadState('load'), contributor.getByRole('button', { name: 'Submit for review' }).click()]);
    assert.match(await contributor.content(), /pending|thank/i);
    await contributor.context().close();

    const editor = await (await browser.newContext()).newPage();
    await editor.goto(`${BASE}/moderation`);
    assert.match(editor.url(), /\/login/, 'anonymous visitors are sent to log in');
    await editor.fill('#name', 'editor');
    await editor.fill('#password', process.env.KB_EDITOR_PASSWORD ?? '');
    await Promise.all([editor.waitForURL(/\/moderation/), editor.click('button[type="submit"]')]);
    await Promise.all([editor.waitForLoadState('load'), editor.getByRole('link', { name: unique }).click()]);
    assert.match(await editor.content(), /chess club for teenagers/);
    await screenshot(editor, 'moderation-preview');
    await Promise.all([editor.waitForLoadState('load'), editor.getByRole('button', { name: 'Approve and publish' }).click()]);

    const found = await (await fetch(`${BASE}/api/v1/search?q=${encodeURIComponent('zanzibar chess')}`)).json();
    assert.ok(found.hits.some((h) => h.title === unique), JSON.stringify(found.hits.map((h) => h.title)));
    await editor.context().close();
  });
  /// Logging in with a hostile `next` (tab, CR, LF or backslashes that a
  /// browser reads as `//other-host`) ends on this site, never elsewhere:
  /// both when it comes in the login page's address and when the hidden
  /// field is changed before the form is sent.
  test('login never redirects to another site', async () => {
    const origin = new URL(BASE).origin;
    const hostile = ['/\t/evil.example/', '/\r\n/evil.example/', '/\\evil.example/', '\\\\evil.example/'];
    for (const next of hostile) {
      for (const via of ['address', 'field']) {
        const context = await browser.newContext();
        // Answer for the other host ourselves, so a wrong redirect is seen
        // as a page there rather than as a network error.
        let reachedEvil = false;
        await context.route((url) => url.hostname.endsWith('evil.example'), (route) => {
          reachedEvil = true;
          return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>evil</title>' });
        });
        const page = await context.newPage();
        const query = via === 'address' ? `?next=${encodeURIComponent(next)}` : '';
        await page.goto(`${BASE}/login${query}`);
        if (via === 'field') {
          await page.locator('input[name="next"]').evaluate((input, value) => {
            input.value = value;
          }, next);
        }
        await page.fill('#name', 'editor');
        await page.fill('#password', process.env.KB_EDITOR_PASSWORD ?? '');
        await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
        await page.waitForLoadState('load');
        assert.equal(new URL(page.url()).origin, origin, `${JSON.stringify(next)} via ${via} ended on ${page.url()}`);
        assert.ok(!reachedEvil, `${JSON.stringify(next)} via ${via} reached the other host`);
        await context.close();
      }
    }
  });
});
