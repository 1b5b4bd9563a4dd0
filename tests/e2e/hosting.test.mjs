// The widget as a customer hosts it: widget.js and widget.wasm on their own HTTPS origin (neither
// the desktop's nor Salesforce's), served with exactly the rules of docs/hosting/_headers, which
// tests/e2e/harness.mjs parses. Every e2e file loads the widget that way; this one shows that the
// rules are what makes it work: the wasm is a cross-origin fetch from the desktop.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requireWidgetBuild, softphone, startE2E, until, withPage, UNCONFIGURED_PREFIX, WIDGET_PATH } from './harness.mjs';
import { openWidgetConsole } from './widget-console.mjs';

// Headers Node or the connection adds to every response; the rest must be the file's.
const TRANSPORT = new Set(['content-length', 'date', 'connection', 'keep-alive']);

let env;
before(async () => {
  requireWidgetBuild();
  env = await startE2E();
});
after(async () => {
  await env?.close();
});

/** The response headers, without the transport ones, as sorted [name, value] pairs. */
async function served(response) {
  const all = await response.allHeaders();
  return Object.entries(all)
    .filter(([n]) => !TRANSPORT.has(n))
    .sort(([a], [b]) => a.localeCompare(b));
}
const expected = (path) => env.widgetHeaders(path).map(([n, v]) => [n.toLowerCase(), v]).sort(([a], [b]) => a.localeCompare(b));

describe('the widget on its own host (docs/hosting/_headers)', () => {
  it('starts from a third origin served with the rules of docs/hosting/_headers, and not without them', async () => {
    await withPage(env, 'hosting headers', async ({ page, logs }) => {
      const responses = [];
      page.on('response', (r) => responses.push(r));
      const { A } = await openWidgetConsole(env, page);
      const origins = new Set([env.consoleOrigin, env.desktopOrigin, env.widgetOrigin]);
      assert.equal(origins.size, 3, 'console, desktop and widget host are three origins');
      assert.equal(new URL(A.url()).origin, env.desktopOrigin);

      // widget.wasm: fetched by the desktop frame as a CORS request, answered with the file's
      // headers (the desktop origin allowed, application/wasm) and nothing else.
      const wasmUrl = `${env.widgetBase}widget.wasm`;
      const wasm = responses.find((r) => r.url() === wasmUrl);
      assert.ok(wasm, `no response for ${wasmUrl}: ${responses.map((r) => r.url()).join(' ')}`);
      assert.equal(wasm.status(), 200);
      assert.equal(wasm.frame(), A, 'the softphone frame fetched the wasm');
      assert.equal(await wasm.request().headerValue('origin'), env.desktopOrigin, 'a CORS request from the desktop');
      const wasmHeaders = Object.fromEntries(await served(wasm));
      assert.equal(wasmHeaders['access-control-allow-origin'], env.desktopOrigin);
      assert.equal(wasmHeaders['content-type'], 'application/wasm');
      assert.equal(wasmHeaders['x-content-type-options'], 'nosniff');
      assert.match(wasmHeaders['cache-control'], /\bimmutable\b/);
      assert.deepEqual(await served(wasm), expected(`${WIDGET_PATH}widget.wasm`));
      // widget.js: a classic script (no CORS request), with the file's headers too.
      const script = responses.find((r) => r.url() === `${env.widgetBase}widget.js`);
      assert.ok(script, 'widget.js from the widget host');
      assert.equal(await script.request().headerValue('origin'), null);
      assert.deepEqual(await served(script), expected(`${WIDGET_PATH}widget.js`));
      assert.match(Object.fromEntries(await served(script))['content-type'], /^application\/javascript\b/);
      // Compiled while streaming: no fallback for a wrong MIME type.
      assert.equal(logs.filter((l) => /instantiateStreaming/.test(l)).join('\n'), '');

      // Another origin may not read it: the host allows the desktop only (no `*`, no echo).
      const foreign = await page.evaluate((u) => fetch(u).then((r) => `read ${r.status}`, (e) => e.name), wasmUrl);
      assert.equal(await page.evaluate(() => location.origin), env.consoleOrigin);
      assert.equal(foreign, 'TypeError', 'the console origin cannot read the wasm');

      // The same files from the same host without the rules (a host with no _headers, which still
      // gives the right types): the browser refuses the wasm to the desktop, the adapter never starts.
      const unconfigured = `${env.widgetOrigin}${UNCONFIGURED_PREFIX}${WIDGET_PATH}`;
      await page.goto(env.consoleUrl({ desktopParams: `widgetBase=${unconfigured}` }));
      await page.evaluate(() => window.simConsole.ready);
      const phone = await softphone(page, 'A');
      await until(phone, () => window.simDesktop && window.simDesktop.layout);
      await phone.evaluate(() => window.simDesktop.ready);
      const scripts = await phone.evaluate(() => simDesktop.layout.scripts.map((s) => [s.src, s.status]));
      assert.deepEqual(scripts, [[`${unconfigured}widget.js`, 'loaded']], 'widget.js itself loads (a classic script needs no CORS)');
      await until(phone, () => document.querySelector('wxcc-sfdc-adapter')?.dataset.state === 'refused', undefined, { message: 'the adapter refused' });
      assert.match(await phone.locator('wxcc-sfdc-adapter').textContent(), /Salesforce adapter not started: Failed to fetch/);
      assert.ok(
        env.widgetRequests.some((r) => r.path === `${UNCONFIGURED_PREFIX}${WIDGET_PATH}widget.wasm` && r.origin === env.desktopOrigin && r.status === 200),
        'the host answered the wasm (200, application/wasm), only without Access-Control-Allow-Origin',
      );
      assert.equal(await phone.evaluate(() => simDesktop.listening('eAgentOfferContact')), 0);
      assert.deepEqual(await page.evaluate(() => simConsole.calls('notifyInitializationComplete', 'A')), []);
    });
  });
});
