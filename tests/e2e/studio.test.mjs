// The admin studio (www/studio/, served on the console origin at /studio/): an admin drops a call
// center definition and a desktop layout, reads the diagnostics with their lines and the
// configuration in plain words, previews one call on the replay engine (wasm), and downloads a
// corrected definition.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoDir, startE2E, until, withPage } from './harness.mjs';

const REFERENCE_XML = join(repoDir, 'tests/fixtures/reference/cisco-legacy-callcenter-definition.xml');
const BROKEN_XML = join(repoDir, 'tests/e2e/fixtures/studio-broken-definition.xml');
const BROKEN_LAYOUT = join(repoDir, 'tests/fixtures/layout/broken.json');
const REFERENCE_LAYOUT = join(repoDir, 'tests/fixtures/reference/cisco-legacy-salesforce-desktop-layout.json');

let env;
before(async () => {
  env = await startE2E();
});
after(async () => {
  await env?.close();
});

async function openStudio(page) {
  await page.goto(`${env.consoleOrigin}/studio/`);
  await until(page, () => document.body.dataset.ready === 'true', undefined, { message: 'studio ready' });
}

/** Uploads a definition through the file picker and waits for its results. */
async function uploadXml(page, file) {
  const before = await page.locator('#xml-name').textContent();
  await page.setInputFiles('#xml-file', file);
  await until(page, (b) => document.getElementById('xml-name').textContent !== b, before, { message: 'definition loaded' });
}

/** What the page shows for the definition: the summary counts and every diagnostic. */
function shownDiagnostics(page, list = '#xml-diagnostics') {
  return page.$$eval(`${list} > li`, (items) =>
    items.map((li) => ({
      severity: li.dataset.severity,
      code: li.dataset.code,
      line: li.dataset.line ? Number(li.dataset.line) : null,
      text: li.textContent,
    })),
  );
}

const summaryCounts = (page, id = '#xml-summary') =>
  page.$eval(id, (s) => ({ errors: Number(s.dataset.errors), warnings: Number(s.dataset.warnings), text: s.textContent }));

describe('admin studio', () => {
  it('shows the vendor reference definition with zero errors and in plain words', async () => {
    await withPage(env, 'studio reference definition', async ({ page }) => {
      await openStudio(page);
      await uploadXml(page, REFERENCE_XML);
      const summary = await summaryCounts(page);
      assert.equal(summary.errors, 0, summary.text);
      const shown = await shownDiagnostics(page);
      assert.deepEqual(shown.filter((d) => d.severity === 'error'), []);
      const plain = await page.locator('#plain').innerText();
      assert.match(plain, /Caller's number: \+1 and \+91 are removed before searching\./);
      assert.match(plain, /Call log: created at wrap-up; notes: off\./);
      assert.match(plain, /Omni-Channel sync: off\./);
      assert.match(await page.locator('#xml-name').textContent(), /cisco-legacy-callcenter-definition\.xml/);
      // Our own layout file and the vendor's are checked the same way.
      await page.setInputFiles('#layout-file', REFERENCE_LAYOUT);
      await until(page, () => !document.getElementById('layout-results').hidden);
      assert.equal((await summaryCounts(page, '#layout-summary')).errors, 0);
    });
  });

  it('shows every problem of a broken definition and layout with its line', async () => {
    await withPage(env, 'studio broken files', async ({ page }) => {
      await openStudio(page);
      await uploadXml(page, BROKEN_XML);
      const summary = await summaryCounts(page);
      assert.equal(summary.errors, 3, summary.text);
      assert.equal(summary.warnings, 1, summary.text);
      const shown = await shownDiagnostics(page);
      assert.deepEqual(
        shown.map((d) => [d.severity, d.code, d.line]),
        [
          ['warning', 'unknown-item', 6],
          ['error', 'not-boolean', 7],
          ['error', 'out-of-range', 8],
          ['error', 'invalid-json', 12],
        ],
      );
      const misspelled = shown.at(0);
      assert.match(misspelled.text, /line 6, column 5/);
      assert.match(misspelled.text, /\/reqGeneralInfo\/reqAdaptorUrl/);
      assert.match(misspelled.text, /Hint: did you mean `reqAdapterUrl`\?/);

      // A layout dropped on its zone (a real drop event with a file in it).
      const layout = readFileSync(BROKEN_LAYOUT, 'utf8');
      await page.evaluate((text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], 'broken.json', { type: 'application/json' }));
        const zone = document.getElementById('layout-drop');
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
      }, layout);
      await until(page, () => !document.getElementById('layout-results').hidden, undefined, { message: 'layout checked' });
      const issues = await shownDiagnostics(page, '#layout-diagnostics');
      assert.ok(issues.length >= 5, JSON.stringify(issues));
      assert.ok(issues.every((d) => Number.isInteger(d.line) && d.line > 0), JSON.stringify(issues));
      const duplicate = issues.find((d) => d.code === 'duplicate-id');
      assert.equal(duplicate?.line, 13);
      assert.equal((await summaryCounts(page, '#layout-summary')).errors, 9);
    });
  });

  it('previews an inbound call that pops the sample Contact and shows the Task', async () => {
    await withPage(env, 'studio preview', async ({ page }) => {
      await openStudio(page);
      await uploadXml(page, REFERENCE_XML);
      await page.fill('#ani', '+1 212 555 0101');
      await page.selectOption('#direction', 'inbound');
      await page.fill('#queue', 'Gold');
      await page.fill('#cad', 'accountNumber = AE-1842');
      const records = [
        { type: 'Contact', Id: '003000000000001AAA', FirstName: 'Ada', LastName: 'Lovelace', Phone: '(212) 555-0101' },
        { type: 'Contact', Id: '003000000000002AAA', FirstName: 'Charles', LastName: 'Babbage', Phone: '(212) 555-0199' },
      ];
      await page.fill('#records', JSON.stringify(records, null, 2));
      await page.getByRole('button', { name: 'Preview the call' }).click();
      await until(page, () => !document.getElementById('preview-result').hidden, undefined, { message: 'preview shown' });

      const pop = page.locator('#pop');
      assert.equal(await pop.getAttribute('data-type'), 'sobject');
      assert.equal(await pop.getAttribute('data-record-id'), '003000000000001AAA');
      assert.match(await pop.textContent(), /Contact “Ada Lovelace” \(003000000000001AAA\) opens\./);
      const why = await page.locator('#trace').innerText();
      assert.match(why, /Searched with the caller’s number\./);
      assert.match(why, /Search 1: “ 212 555 0101” → 1 match\.|Search 1: “212 555 0101” → 1 match\./);
      assert.match(why, /one Contact matched/);

      const task = await page.$$eval('#task tr', (rows) => Object.fromEntries(rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])));
      assert.equal(task.WhoId, '003000000000001AAA');
      assert.equal(task.CallType, 'Inbound');
      assert.equal(task.CallObject, 'preview-0001');
      assert.equal(task.CallDurationInSeconds, '95');
      assert.equal(task.Status, 'Completed');
      assert.match(task.Subject, /^Inbound Call \d\d-\d\d-\d{4} \d\d:\d\d [AP]M$/);
      assert.match(await page.locator('#case').textContent(), /No Case is created\./);
      assert.match(await page.locator('#calls').textContent(), /3 Salesforce round trips for this call: searchAndScreenPop, screenPop, saveLog\./);

      // Bad sample records are a message on the page, not an exception.
      await page.fill('#records', '[{"type": "Contact",');
      await page.getByRole('button', { name: 'Preview the call' }).click();
      await until(page, () => !document.getElementById('preview-error').hidden);
      assert.match(await page.locator('#preview-error').textContent(), /Sample records: not valid JSON/);
    });
  });

  it('downloads a corrected definition that validates with fewer errors', async () => {
    await withPage(env, 'studio corrected download', async ({ page }) => {
      await openStudio(page);
      await uploadXml(page, BROKEN_XML);
      const before = await summaryCounts(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download corrected XML' }).click(),
      ]);
      assert.equal(download.suggestedFilename(), 'studio-broken-definition-corrected.xml');
      const corrected = readFileSync(await download.path(), 'utf8');
      assert.match(corrected, /<item sortOrder="2" name="reqAdapterUrl" label="reqAdapterUrl">/);
      assert.match(corrected, /<item sortOrder="3" name="reqUseApi" label="Use CTI API">true<\/item>/);
      assert.match(corrected, /<!-- wxcc-sfdc error \[invalid-json\]: invalid JSON at line 1 column 25/);
      assert.match(corrected, /<!-- wxcc-sfdc error \[out-of-range\]/);
      assert.match(await page.locator('#download-report').textContent(), /2 corrections made, 2 problems noted as comments\./);

      // The downloaded file, loaded back into the studio, is checked by the same wasm validator.
      await page.setInputFiles('#xml-file', { name: 'corrected.xml', mimeType: 'application/xml', buffer: Buffer.from(corrected) });
      await until(page, () => /corrected\.xml/.test(document.getElementById('xml-name').textContent));
      const after = await summaryCounts(page);
      assert.ok(after.errors < before.errors, `${after.text} (before: ${before.text})`);
      assert.equal(after.errors, 2);
      assert.equal(after.warnings, 0);
      const codes = (await shownDiagnostics(page)).map((d) => d.code);
      assert.deepEqual(codes, ['out-of-range', 'invalid-json']);
    });
  });

  it('inserts what a file says as text, never as HTML', async () => {
    await withPage(env, 'studio text only', async ({ page }) => {
      await openStudio(page);
      const hostile =
        '<callCenter><section name="reqGeneralInfo">' +
        '<item name="reqDisplayName">&lt;img src=x onerror="window.pwned=1"&gt;</item>' +
        '<item name="&lt;b&gt;bold&lt;/b&gt;">1</item>' +
        '</section></callCenter>';
      await page.setInputFiles('#xml-file', { name: 'x<i>y.xml', mimeType: 'application/xml', buffer: Buffer.from(hostile) });
      await until(page, () => !document.getElementById('xml-results').hidden);
      assert.match(await page.locator('#plain').innerText(), /Softphone: “<img src=x onerror="window\.pwned=1">”/);
      assert.match(await page.locator('#xml-diagnostics').innerText(), /<b>bold<\/b>/);
      assert.equal(await page.locator('main img, main b, main i').count(), 0);
      assert.equal(await page.evaluate(() => window.pwned), undefined);
    });
  });
});
