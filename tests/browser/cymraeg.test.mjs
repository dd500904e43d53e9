// The Welsh interface: every page in Welsh passes axe at phone and desktop
// widths, shows no English interface text, and the language switch keeps
// the query and filters.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BASE, axe, launch, screenshot, skip } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const LOCALES = join(here, '..', '..', 'server', 'locales');

/** Messages of a Fluent file: key -> text (multi-line messages joined). */
function catalogue(lang) {
  const text = readFileSync(join(LOCALES, lang, 'main.ftl'), 'utf8');
  const messages = new Map();
  let key = null;
  for (const line of text.split('\n')) {
    const start = /^([a-z][a-z0-9-]*)\s*=\s?(.*)$/.exec(line);
    if (start) {
      key = start[1];
      messages.set(key, start[2]);
    } else if (key && /^\s+\S/.test(line)) {
      messages.set(key, `${messages.get(key)}\n${line.trim()}`);
    } else {
      key = null;
    }
  }
  return messages;
}

const EN = catalogue('en');
const CY = catalogue('cy');

/** English interface strings that must not appear on a Welsh page: whole
 *  messages without placeables or plural selectors, the Welsh differing,
 *  long enough not to be a syllable of a Welsh word. */
const ENGLISH = [...EN]
  .filter(([key, text]) => !text.includes('{') && text !== CY.get(key) && text.length >= 4)
  .map(([key, text]) => [key, text]);

const PAGES = [
  ['search', '/?lang=cy'],
  ['results', '/?q=llyfrgell&offer=reading&year_from=2018&lang=cy'],
  ['zero-results', '/?q=dementa&type=video&year_from=2015&year_to=2015&lang=cy'],
  ['resource-cy', '/resources/2024/clybiau-codio-caerdydd?lang=cy'],
  ['resource-en', '/resources/2019/reading-friends-dementia?lang=cy'],
  ['browse', '/browse?lang=cy'],
  ['accessibility', '/accessibility?lang=cy'],
  ['privacy', '/privacy?lang=cy'],
  ['submit', '/submit?lang=cy'],
  ['login', '/login?lang=cy'],
  ['not-found', '/resources/no/such/thing?lang=cy'],
  ['bad-request', '/?page=0&lang=cy'],
];

const WIDTHS = [
  ['360', { width: 360, height: 800 }],
  ['1280', { width: 1280, height: 900 }],
];

/** Open `path` in `context` and check it as a Welsh page. */
async function checkWelsh(context, name, path, width) {
  const page = await context.newPage();
  await page.goto(`${BASE}${path}`);
  await checkWelshPage(page, name, width);
  await page.close();
}

/** The page is Welsh: `<html lang="cy-GB">`, no axe violations, no sideways
 *  scrolling, and no English interface string in its text outside elements
 *  marked as another language. */
async function checkWelshPage(page, name, width) {
  assert.equal(await page.getAttribute('html', 'lang'), 'cy-GB', `${name}`);
  const violations = await axe(page);
  assert.deepEqual(violations, [], `${name} at ${width}px: ${JSON.stringify(violations, null, 2)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} at ${width}px scrolls sideways by ${overflow}px`);
  // Visible text and the attributes people hear, outside anything
  // marked as another language (resource text, the switch, details).
  const texts = await page.evaluate(() => {
    const out = [];
    // Text marked as another language, and addresses or code the
    // visitor typed (shown as code), are not interface text.
    const foreign = (el) => {
      if (el.closest('code')) return true;
      const marked = el.closest('[lang]');
      return marked && !marked.getAttribute('lang').startsWith('cy');
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement && !foreign(node.parentElement) && node.textContent.trim()) {
        out.push(node.textContent.trim());
      }
    }
    for (const el of document.querySelectorAll('[aria-label], [title], [data-help], [data-one]')) {
      if (foreign(el)) continue;
      for (const attr of ['aria-label', 'title', 'data-help', 'data-one', 'data-many', 'data-kind-resource']) {
        const v = el.getAttribute(attr);
        if (v) out.push(v.trim());
      }
    }
    out.push(document.title);
    return out;
  });
  const joined = `\n${texts.join('\n')}\n`;
  const found = ENGLISH.filter(([, text]) => {
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return new RegExp(`(^|[^\\p{L}])${escaped}($|[^\\p{L}])`, 'u').test(joined);
  });
  assert.deepEqual(found, [], `${name} at ${width}px shows English interface text`);
  await screenshot(page, `cy-${name}-${width}`);
}

describe('Welsh interface', { skip }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /// The two catalogues have exactly the same keys, so nothing on a Welsh
  /// page can fall back to English for want of a translation.
  test('catalogues have the same keys', () => {
    const onlyEn = [...EN.keys()].filter((k) => !CY.has(k));
    const onlyCy = [...CY.keys()].filter((k) => !EN.has(k));
    assert.deepEqual([onlyEn, onlyCy], [[], []]);
    assert.ok(EN.size > 150, `${EN.size} messages`);
  });

  for (const [name, path] of PAGES) {
    /// Each Welsh page: `<html lang="cy-GB">`, no axe violations and no
    /// sideways scrolling at 360 and 1280 px, and no English interface
    /// string in its text outside elements marked as another language.
    test(`${name} in Welsh: axe, reflow and no English interface text`, async () => {
      for (const [width, viewport] of WIDTHS) {
        const context = await browser.newContext({ viewport, bypassCSP: true });
        await checkWelsh(context, name, path, width);
        await context.close();
      }
    });
  }

  /// The editors' pages in Welsh, signed in as an admin (who sees the
  /// audit log too): the queue, a decision page for a Welsh submission, a
  /// decision refused for want of a reason, and the audit log; each with
  /// the same checks as the public pages. The login page is among PAGES.
  test('editor pages in Welsh: axe, reflow and no English interface text', async () => {
    const sent = await fetch(`${BASE}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: `Clwb darllen dwyieithog ${Date.now()}`,
        summary: "Clwb darllen misol i deuluoedd sy'n dysgu Cymraeg gyda'u plant.",
        offers: ['reading'],
        type: 'case-study',
        published: '2024-03-01',
        region: 'wales',
        organisation: 'Llyfrgelloedd Enghraifft',
        tags: ['darllen', 'teuluoedd'],
        language: 'cy',
        body: "## Beth wnaethon ni\n\nRoedd y clwb yn cwrdd bob mis yn y llyfrgell ganolog, gyda llyfrau yn y ddwy iaith.",
      }),
    });
    const answer = await sent.text();
    assert.equal(sent.status, 201, answer);
    const { id } = JSON.parse(answer);

    const login = await browser.newContext();
    const page = await login.newPage();
    await page.goto(`${BASE}/login?lang=cy`);
    await page.fill('#name', 'gweinyddwr');
    await page.fill('#password', process.env.KB_ADMIN_PASSWORD ?? '');
    await Promise.all([page.waitForURL(/\/moderation/), page.click('button[type="submit"]')]);
    const signedIn = await login.storageState();
    await login.close();

    const editorPages = [
      ['moderation-queue', '/moderation?lang=cy'],
      ['moderation-decision', `/moderation/${id}?lang=cy`],
      ['audit-log', '/admin/audit?lang=cy'],
    ];
    for (const [width, viewport] of WIDTHS) {
      const context = await browser.newContext({ viewport, bypassCSP: true, storageState: signedIn });
      for (const [name, path] of editorPages) {
        await checkWelsh(context, name, path, width);
      }
      // A rejection sent without a reason comes back with the problem in Welsh.
      const decision = await context.newPage();
      await decision.goto(`${BASE}/moderation/${id}?lang=cy`);
      await Promise.all([decision.waitForLoadState('load'), decision.getByRole('button', { name: 'Gwrthod' }).click()]);
      assert.match(await decision.locator('#reject-reason-error').innerText(), /Ysgrifennwch reswm/);
      await checkWelshPage(decision, 'moderation-reason-missing', width);
      await context.close();
    }
  });

  /// The switch on a search leads to the same search in the other
  /// language, query and filters kept, and the choice sticks on the next page.
  test('the language switch keeps the query and filters', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${BASE}/?q=dementia&offer=health-and-wellbeing&lang=en`);
    assert.equal(await page.getAttribute('html', 'lang'), 'en-GB');
    await page.click('.lang-switch a');
    await page.waitForLoadState('load');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), 'dementia');
    assert.equal(url.searchParams.get('offer'), 'health-and-wellbeing');
    assert.equal(url.searchParams.get('lang'), 'cy');
    assert.equal(await page.getAttribute('html', 'lang'), 'cy-GB');
    assert.equal(await page.inputValue('#q'), 'dementia');
    assert.ok(await page.isChecked('input[name="offer"][value="health-and-wellbeing"]'));
    // The choice is kept without `lang` in the address.
    await page.click('nav[aria-label="Prif"] a[href="/browse"]');
    await page.waitForLoadState('load');
    assert.equal(await page.getAttribute('html', 'lang'), 'cy-GB');
    // And back to English from there.
    await page.click('.lang-switch a');
    await page.waitForLoadState('load');
    assert.equal(await page.getAttribute('html', 'lang'), 'en-GB');
    assert.equal(new URL(page.url()).pathname, '/browse');
    await context.close();
  });
});
