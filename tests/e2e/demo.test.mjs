// The demo configuration: plain HTTP on two loopback origins that open in any browser without
// flags. Only there does the served opencti_min.js accept the (non-Salesforce) loopback console,
// because the demo server says so (--demo); the HTTPS servers of the other tests never do.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimServers } from '../../www/sim/server.mjs';
import { repoDir, softphone, until, withPage } from './harness.mjs';

const mounts = { '/e2e/': join(repoDir, 'tests/e2e/pages') };
let demo;
let strict;
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
});
after(async () => {
  for (const env of [demo, strict]) {
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
});
