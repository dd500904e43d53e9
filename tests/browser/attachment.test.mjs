// A contributor attaches a PDF on the form, an editor approves it, and the
// resource is found by a word that occurs only inside the PDF.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { BASE, launch, screenshot, skip } from './helpers.mjs';

/** Whether poppler-utils is installed for the server; required on CI. */
function popplerMissing() {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return false;
  } catch {
    if (process.env.CI === 'true') throw new Error('pdftotext not found and CI=true: apt-get install -y poppler-utils');
    return 'pdftotext not found; apt-get install -y poppler-utils';
  }
}

/** A one-page PDF showing `text`, written byte by byte with its xref table. */
function pdfOf(text) {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [4 0 R] /Count 1 >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>',
  ];
  const ops = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  objects.push(`<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`);
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const noPoppler = skip || popplerMissing();

describe('PDF attachments', { skip: noPoppler }, () => {
  let browser;
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });

  /// The form takes a PDF with the submission; once an editor approves it,
  /// a search for a word printed only in the PDF finds the resource, with a
  /// snippet saying where the word is, and the page links the file.
  test('a PDF is attached, approved and searched', async () => {
    const stamp = Date.now();
    const word = `quillwort${stamp}`;
    const title = `Herbarium loans ${stamp}`;
    const contributor = await (await browser.newContext()).newPage();
    await contributor.goto(`${BASE}/submit`);
    await contributor.fill('#title', title);
    await contributor.fill('#summary', 'Lending pressed plants from the local studies collection.');
    await contributor.getByLabel('Culture and Creativity').check();
    await contributor.selectOption('#type', { label: 'Report' });
    await contributor.fill('#published', '2024-06-01');
    await contributor.selectOption('#region', { label: 'Wales' });
    await contributor.fill('#organisation', 'A Welsh county library service');
    await contributor.fill('#body', 'The full report is attached.');
    await contributor.setInputFiles('#attachment', { name: 'herbarium.pdf', mimeType: 'application/pdf', buffer: pdfOf(`The ${word} sheets were lent out.`) });
    await Promise.all([contributor.waitForLoadState('load'), contributor.getByRole('button', { name: 'Submit for review' }).click()]);
    assert.match(await contributor.content(), /pending/i);
    await contributor.context().close();

    const editor = await (await browser.newContext()).newPage();
    await editor.goto(`${BASE}/moderation`);
    await editor.fill('#name', 'editor');
    await editor.fill('#password', process.env.KB_EDITOR_PASSWORD ?? '');
    await Promise.all([editor.waitForURL(/\/moderation/), editor.click('button[type="submit"]')]);
    assert.match(await editor.content(), /\(PDF, 1 pages?\)/);
    await Promise.all([editor.waitForLoadState('load'), editor.getByRole('link', { name: title }).click()]);
    await Promise.all([editor.waitForLoadState('load'), editor.getByRole('button', { name: 'Approve and publish' }).click()]);
    await editor.context().close();

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${BASE}/?q=${word}`);
    const hit = page.locator('.hit', { hasText: title });
    assert.equal(await hit.count(), 1, 'found by a word only in the PDF');
    assert.match(await hit.locator('.from-attachment').innerText(), new RegExp(`From the attached PDF: .*${word}`, 'i'));
    await screenshot(page, 'attachment-hit');
    await Promise.all([page.waitForLoadState('load'), hit.getByRole('link', { name: title }).click()]);
    const link = page.getByRole('link', { name: 'Download the full document' });
    assert.equal(await link.count(), 1);
    assert.match(await page.locator('.attachment').innerText(), /PDF, \d+ KB, 1 page/);
    const file = await fetch(new URL(await link.getAttribute('href'), BASE));
    assert.equal(file.headers.get('content-type'), 'application/pdf');
    await page.context().close();
  });
});
