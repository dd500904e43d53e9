// Search-as-you-type: the ARIA combobox pattern, driven by the keyboard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, launch, skip } from './helpers.mjs';

describe('suggestions', { skip }, () => {
  let browser;
  let page;
  before(async () => {
    browser = await launch();
    page = await (await browser.newContext()).newPage();
  });
  after(async () => {
    await browser?.close();
  });

  /// Typing opens a listbox; arrows move the active option; Escape closes.
  test('keyboard navigation follows the combobox pattern', async () => {
    await page.goto(`${BASE}/`);
    const input = page.locator('#q');
    assert.equal(await input.getAttribute('role'), 'combobox');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    await input.pressSequentially('demen', { delay: 30 });
    const options = page.locator('#q-suggestions [role="option"]');
    await options.first().waitFor();
    assert.equal(await input.getAttribute('aria-expanded'), 'true');
    assert.ok((await options.count()) >= 2);
    await input.press('ArrowDown');
    const firstId = await options.nth(0).getAttribute('id');
    assert.equal(await input.getAttribute('aria-activedescendant'), firstId);
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'true');
    await input.press('ArrowDown');
    assert.equal(await input.getAttribute('aria-activedescendant'), await options.nth(1).getAttribute('id'));
    assert.equal(await options.nth(0).getAttribute('aria-selected'), 'false');
    await input.press('ArrowUp');
    assert.equal(await input.getAttribute('aria-activedescendant'), firstId);
    await input.press('Escape');
    assert.equal(await input.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.locator('#q-suggestions').isHidden(), true);
    assert.equal(await input.inputValue(), 'demen', 'Escape keeps what was typed');
  });

  /// Enter on a suggestion goes where it points: a resource page or a search.
  test('choosing a suggestion navigates', async () => {
    await page.goto(`${BASE}/`);
    const input = page.locator('#q');
    await input.pressSequentially('demen', { delay: 30 });
    const options = page.locator('#q-suggestions [role="option"]');
    await options.first().waitFor();
    const suggestion = await (await fetch(`${BASE}/api/v1/suggest?q=demen`)).json();
    const first = suggestion.suggestions[0];
    await input.press('ArrowDown');
    await Promise.all([page.waitForURL((u) => u.pathname !== '/' || u.search !== ''), input.press('Enter')]);
    if (first.url) {
      assert.equal(new URL(page.url()).pathname, first.url);
    } else {
      assert.equal(new URL(page.url()).searchParams.get('q'), first.text);
    }
  });

  /// Facet filter box narrows a long organisation list as you type.
  test('organisation filter box narrows the list', async () => {
    await page.goto(`${BASE}/`);
    const box = page.locator('#filter-organisation');
    assert.equal(await box.isVisible(), true);
    await box.fill('Scottish');
    const visible = await page.locator('#facet-organisation-list li:visible').allTextContents();
    assert.ok(visible.length >= 1);
    assert.ok(visible.every((t) => t.toLowerCase().includes('scottish')), visible.join(' | '));
  });
});
