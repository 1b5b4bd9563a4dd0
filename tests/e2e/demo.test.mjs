// The demo configuration: plain HTTP on two loopback origins that open in any browser without
// flags. Only there does the served opencti_min.js accept the (non-Salesforce) loopback console,
// because the demo server says so (--demo); the HTTPS servers of the other tests never do.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_CONSOLE_ORIGIN, DEMO_OPTIONS, startSimServers } from '../../www/sim/server.mjs';
import { repoDir, softphone, until, withPage } from './harness.mjs';

const mounts = { '/e2e/': join(repoDir, 'tests/e2e/pages') };
let demo;
let strict;
let real; // what ./scripts/demo serves (DEMO_OPTIONS), on free ports
const envOf = (sim) => ({
  sim,
  consoleOrigin: sim.consoleOrigin,
  desktopOrigin: sim.desktopOrigin,
  closers: [],
  onClose(fn) {
    this.closers.push(fn);
  },
});
before(async () => {
  const options = { http: true, consolePort: 0, desktopPort: 0, consoleHost: '127.0.0.1', desktopHost: 'localhost', mounts };
  demo = envOf(await startSimServers({ ...options, openctiTrust: ['self'] }));
  strict = envOf(await startSimServers(options));
  real = envOf(await startSimServers({ ...DEMO_OPTIONS, consolePort: 0, desktopPort: 0 }));
});
after(async () => {
  for (const env of [demo, strict, real]) {
    if (!env) continue;
    for (const fn of env.closers) await fn();
    await env.sim.close();
  }
});

async function openConsole(env, page) {
  await page.goto(`${env.consoleOrigin}/?adapterUrl=${encodeURIComponent(`${env.desktopOrigin}/e2e/opencti-page.html`)}`);
  await page.evaluate(() => window.simConsole.ready);
  const phone = await softphone(page, 'A');
  await until(phone, () => window.ctiState !== 'loading');
  return phone;
}

describe('demo servers (plain HTTP, loopback)', () => {
  it('opencti accepts the loopback console only when the demo server trusts it', async () => {
    await withPage(demo, 'demo trusted loopback console', async ({ page }) => {
      const phone = await openConsole(demo, page);
      assert.equal(await phone.evaluate(() => window.ctiState), 'ready');
      const settings = await phone.evaluate(() => cti('getCallCenterSettings'));
      assert.equal(settings.success, true);
      assert.match(demo.consoleOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(demo.desktopOrigin, /^http:\/\/localhost:\d+$/);
    });
    await withPage(strict, 'demo untrusted loopback console', async ({ page }) => {
      const phone = await openConsole(strict, page);
      assert.equal(await phone.evaluate(() => typeof window.sforce), 'undefined');
      assert.match(await phone.evaluate(() => window.ctiInitError), /Failed to initialize Open CTI/);
    });
  });

  it('serves wasm as application/wasm and the desktop with its host script first', async () => {
    const wasm = await fetch(`${demo.consoleOrigin}/pkg/wxcc_sfdc_adapter_bg.wasm`, { method: 'HEAD' });
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    const html = await (await fetch(`${demo.desktopOrigin}/desktop/`)).text();
    assert.ok(html.indexOf('agentx-service.js') < html.indexOf('desktop.js'));
    assert.equal((await fetch(`${demo.desktopOrigin}/desktop/../../../etc/passwd`)).status, 404);
    assert.equal((await fetch(`${demo.desktopOrigin}/desktop/%2e%2e/server.mjs`)).status, 404);
    const deep = await fetch(`${demo.consoleOrigin}/lightning/r/Contact/003000000000001AAA/view`);
    assert.match(await deep.text(), /console\.js/);
  });

  it('the demo: the softphone runs the widget from the demo layout, which trusts the loopback console; a call pops its Contact', async () => {
    await withPage(real, 'demo call', async ({ page }) => {
      await page.goto(`${real.consoleOrigin}/`);
      await page.evaluate(() => window.simConsole.ready);
      const phone = await softphone(page, 'A');
      assert.equal(new URL(phone.url()).searchParams.get('layout'), '/layouts/wxcc-sfdc-demo-layout.json');
      await until(phone, () => window.simDesktop && window.simDesktop.layout);
      await phone.evaluate(() => window.simDesktop.ready);
      // The layout file trusts http://127.0.0.1:8080; the server serves the console it runs.
      const layout = await (await fetch(`${real.desktopOrigin}/layouts/wxcc-sfdc-demo-layout.json`)).json();
      assert.equal(layout.agent.area.headless.widgets.comp1.attributes.trustedOrigins, real.consoleOrigin);
      assert.equal(await phone.locator('wxcc-sfdc-adapter').getAttribute('trustedOrigins'), real.consoleOrigin);
      await until(phone, () => document.querySelector('wxcc-sfdc-actions [role=status]')?.textContent.startsWith('Active'), undefined, { message: 'adapter active' });
      await until(phone, () => simDesktop.listening('eAgentOfferContact') > 0);
      // Ring from the desktop's form, answer with its button: Jane Doe's page opens.
      await phone.locator('#ring').click();
      await phone.locator('#calls [data-action=answer]').click();
      await until(page, () => simConsole.view('A').recordName === 'Jane Doe', undefined, { message: 'Jane Doe popped' });
      // Call notes are on in the demo.
      assert.equal(await phone.locator('wxcc-sfdc-actions').getByLabel('Call notes').isVisible(), true);
      // The definition checker is one click away.
      const href = await page.locator('a.header-link').first().getAttribute('href');
      const checker = await fetch(new URL(href, real.consoleOrigin));
      assert.equal(checker.status, 200);
      assert.match(await checker.text(), /Call center definition check/);
      assert.equal((await fetch(`${real.consoleOrigin}/validator/pkg/wxcc_sfdc_adapter_bg.wasm`, { method: 'HEAD' })).headers.get('content-type'), 'application/wasm');
    });
  });

  it('the demo layout is the shipped layout plus trustedOrigins for the demo console, nothing else', async () => {
    const { readFileSync } = await import('node:fs');
    const shipped = JSON.parse(readFileSync(join(repoDir, 'layouts/wxcc-sfdc-desktop-layout.json'), 'utf8'));
    const demoLayout = JSON.parse(readFileSync(join(repoDir, 'layouts/wxcc-sfdc-demo-layout.json'), 'utf8'));
    let added = 0;
    const strip = (x) => {
      if (Array.isArray(x)) return x.map(strip);
      if (!x || typeof x !== 'object') return x;
      const out = {};
      for (const [k, v] of Object.entries(x)) {
        if (k === 'trustedOrigins' && v === DEMO_CONSOLE_ORIGIN) {
          added += 1;
          continue;
        }
        out[k] = strip(v);
      }
      return out;
    };
    assert.deepEqual(strip(demoLayout), shipped);
    assert.equal(added, 2); // the adapter element of the agent and the supervisor-agent roles
  });
});
