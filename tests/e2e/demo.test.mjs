// The demo configuration: plain HTTP on two loopback origins that open in any browser without
// flags. Only there does the served opencti_min.js accept the (non-Salesforce) loopback console,
// because the demo server says so (--demo); the HTTPS servers of the other tests never do. What the
// README walk-through promises a first-time user of ./scripts/demo: both agents, Omni-Channel sync,
// the pick list, an org that survives a reload until --reset, and a console opened at the wrong
// address that says where to go.
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_CONSOLE_ORIGIN, DEMO_OPTIONS, startSimServers } from '../../www/sim/server.mjs';
import { repoDir, softphone, until, withPage } from './harness.mjs';
import { activeSoftphone } from './widget-console.mjs';

const panelOf = (phone) => phone.locator('wxcc-sfdc-actions');

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
      // Ring from the desktop's form: Jane Doe's page opens while the call is offered (the README
      // walk-through says so), then the agent answers with its button.
      await phone.locator('#ring').click();
      await until(page, () => simConsole.view('A').recordName === 'Jane Doe', undefined, { message: 'Jane Doe popped at Ring' });
      assert.match(await phone.locator('#calls .badge').textContent(), /offered/);
      await phone.locator('#calls [data-action=answer]').click();
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

const JANE = '003000000000001AAA'; // (212) 555-0101
const MARIO_LEAD = '00Q000000000001AAA'; // Lead, (415) 555-0199, as Maria Garcia (Contact)

/** Opens the demo console at `path` and waits until the adapter of every agent it shows is active. */
async function openDemo(env, page, path = '/') {
  await page.goto(new URL(path, env.consoleOrigin).href);
  await page.evaluate(() => window.simConsole.ready);
  const phones = {};
  for (const agent of await page.evaluate(() => simConsole.agents())) {
    phones[agent] = await activeSoftphone(page, agent);
  }
  return phones;
}

/** Rings the agent from its desktop's form with this caller number, as the README's reader does; the interaction Id. */
async function ringFromForm(phone, ani) {
  const before = await phone.evaluate(() => simDesktop.current());
  await phone.locator('#ring-ani').fill(ani);
  await phone.locator('#ring').click();
  return until(phone, (old) => simDesktop.current() !== old && simDesktop.current(), before, { message: `the call from ${ani}` });
}

/** Answers, ends and wraps up the call with the desktop's buttons; resolves when its Task is completed. */
async function finishCall(page, phone, id, { answer = true } = {}) {
  const call = phone.locator(`#calls [data-interaction-id="${id}"]`);
  if (answer) await call.locator('[data-action=answer]').click();
  await call.locator('[data-action=end]').click();
  await call.locator('.wrapup-reason').selectOption({ label: 'Sale' });
  await call.locator('button', { hasText: 'Wrap up' }).click();
  return until(page, (x) => simConsole.tasks().find((t) => t.CallObject === x && t.Status === 'Completed'), id, { message: 'the Task' });
}

describe('the demo as ./scripts/demo serves it', () => {
  it('shows both agents; its definition turns Omni-Channel sync on with statuses that exist, and the pick list', async () => {
    await withPage(real, 'demo both agents omni pick', async ({ page }) => {
      const { A, B } = await openDemo(real, page);
      assert.deepEqual(await page.evaluate(() => simConsole.agents()), ['A', 'B']);
      assert.equal(await page.locator('.pane').count(), 2);
      assert.match(await B.locator('#agent-name').textContent(), /Bob Agent/);

      const settings = await page.evaluate(() => simConsole.settings());
      assert.equal(settings['/reqOmniStateSyncConfig/isOmniStateSyncEnabled'], 'true');
      assert.equal(settings['/reqAdvanceScreenpopConfig/multipleMatchAction'], 'pick');
      const omniLabels = (await page.evaluate(() => simConsole.omni.statuses())).map((s) => s.MasterLabel);
      assert.ok(omniLabels.includes(settings['/reqOmniStateSyncConfig/defaultOmniStateForCall']), omniLabels.join(', '));
      const idleCodes = (await A.evaluate(() => simDesktop.idleCodes)).map((c) => c.name);
      assert.ok(idleCodes.includes(settings['/reqOmniStateSyncConfig/defaultOmniStateForOmniChannel']), idleCodes.join(', '));
      for (const agent of ['A', 'B']) {
        await until(page, (a) => simConsole.listeners(a).channels.includes('WxccOmniSync__c'), agent, { message: `${agent} listens to the Omni channel` });
      }
      // The panel's definition list names only the http desktop address, nothing about Omni.
      assert.doesNotMatch(await panelOf(A).innerText(), /omni/i);

      // Maria Garcia (Contact) and Mario Garcia (Lead) share (415) 555-0199: the panel lists both.
      const id = await ringFromForm(A, '+14155550199');
      await until(A, () => document.querySelectorAll('wxcc-sfdc-actions .wsa-pick').length === 2, undefined, { message: 'the pick list' });
      assert.deepEqual(await panelOf(A).locator('.wsa-pick').allTextContents(), [
        'Maria Garcia · Contact · (415) 555-0199',
        'Mario Garcia · Lead · (415) 555-0199',
      ]);
      assert.match(await panelOf(A).innerText(), /2 records match this caller: pick the right one/);
      // Answering sets Alice busy in Omni-Channel; Bob stays available.
      await A.locator(`#calls [data-interaction-id="${id}"] [data-action=answer]`).click();
      await until(page, () => simConsole.omni.status('A').statusName === 'Busy', undefined, { message: 'Omni Busy during the call' });
      await until(page, () => document.querySelector('.pane[data-agent=A] .utility-bar').textContent.includes('◉ Omni-Channel (Busy)'), undefined, { message: 'Busy in the utility bar' });
      assert.equal((await page.evaluate(() => simConsole.omni.status('B'))).statusName, 'Available');
      await panelOf(A).locator('.wsa-pick', { hasText: 'Mario Garcia' }).click();
      await until(page, (r) => simConsole.view('A').recordId === r, MARIO_LEAD, { message: 'the picked Lead opens' });
      const task = await finishCall(page, A, id, { answer: false });
      assert.equal(task.WhoId, MARIO_LEAD);
      await until(page, () => simConsole.omni.status('A').statusName === 'Available', undefined, { message: 'Omni restored after wrap-up' });

      // ?agents=A still shows Alice alone.
      await openDemo(real, page, '/?agents=A');
      assert.deepEqual(await page.evaluate(() => simConsole.agents()), ['A']);
      assert.equal(await page.locator('.pane').count(), 1);
    });
  });

  it('keeps the org across a reload of the console (mid-call too) and a restart, until --reset', async () => {
    const kept = envOf(await startSimServers({ ...DEMO_OPTIONS, consolePort: 0, desktopPort: 0 }));
    const ports = { consolePort: kept.sim.consolePort, desktopPort: kept.sim.desktopPort };
    const restart = async (extra = {}) => {
      await kept.sim.close();
      kept.sim = await startSimServers({ ...DEMO_OPTIONS, ...ports, ...extra });
      assert.equal(kept.sim.consoleOrigin, kept.consoleOrigin);
    };
    try {
      await withPage(kept, 'demo org kept', async ({ page }) => {
        let { A } = await openDemo(kept, page);
        assert.ok(await page.evaluate(() => simConsole.keptOrg()));
        // A first call, finished: its Task.
        const first = await finishCall(page, A, await ringFromForm(A, '+12125550101'));
        // A second call, answered, then the agent reloads the console mid-call.
        const second = await ringFromForm(A, '+12125550101');
        await A.locator(`#calls [data-interaction-id="${second}"] [data-action=answer]`).click();
        await page.reload();
        ({ A } = await openDemo(kept, page, new URL(page.url()).pathname));
        assert.deepEqual((await page.evaluate(() => simConsole.tasks())).map((t) => t.Id), [first.Id], 'the first Task is still there');
        // …where the agent looks: the Tasks tab and Jane Doe's activity history.
        await page.locator('.pane[data-agent=A] nav.tabs a', { hasText: 'Tasks' }).click();
        assert.ok((await page.locator('[data-testid=workspace-A]').innerText()).includes(first.Subject), 'the Task in the Tasks list');
        await page.evaluate((id) => simConsole.openRecord('A', id), JANE);
        assert.match(await page.locator('[data-testid=workspace-A] [data-related="Activity History"]').innerText(), /Activity History \(1\)/);
        // The call goes on after the reload and gets a Task of its own, once.
        const secondTask = await finishCall(page, A, second, { answer: false });
        assert.notEqual(secondTask.Id, first.Id);
        assert.equal((await page.evaluate(() => simConsole.tasks())).length, 2);

        // An edit made in the console is kept too, and a restart of the demo keeps it all.
        await page.evaluate((id) => simConsole.openRecord('A', id), JANE);
        await page.locator('[data-testid=workspace-A] .record-actions button', { hasText: 'Edit' }).click();
        await page.locator('[data-testid=workspace-A] [data-testid=record-edit] input[name=Title]').fill('Head of Purchasing');
        await page.locator('[data-testid=workspace-A] [data-testid=record-edit] button[type=submit]').click();
        await restart();
        await page.reload();
        await openDemo(kept, page);
        assert.equal((await page.evaluate(() => simConsole.tasks())).length, 2);
        assert.equal((await page.evaluate((id) => simConsole.record(id), JANE)).Title, 'Head of Purchasing');

        // ./scripts/demo --reset: the sample org again, once; what is written afterwards is kept.
        await restart({ resetOrg: true });
        await page.reload();
        await openDemo(kept, page);
        assert.deepEqual(await page.evaluate(() => simConsole.tasks()), []);
        assert.equal((await page.evaluate((id) => simConsole.record(id), JANE)).Title, 'Purchasing Manager');
        await page.evaluate((id) => simConsole.openRecord('A', id), JANE);
        await page.locator('[data-testid=workspace-A] .record-actions button', { hasText: 'Edit' }).click();
        await page.locator('[data-testid=workspace-A] [data-testid=record-edit] input[name=Title]').fill('CPO');
        await page.locator('[data-testid=workspace-A] [data-testid=record-edit] button[type=submit]').click();
        await page.reload();
        await page.evaluate(() => window.simConsole.ready);
        assert.equal((await page.evaluate((id) => simConsole.record(id), JANE)).Title, 'CPO');
      });
    } finally {
      for (const fn of kept.closers) await fn();
      await kept.sim.close();
    }
  });

  it('a console opened at another address: localhost goes to 127.0.0.1; a forwarded port says where to go', async () => {
    // A forwarded port (as `ssh -L 9000:127.0.0.1:8080` makes): another origin for the browser.
    const proxy = createServer((client) => {
      const upstream = connect(real.sim.consolePort, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise((done) => proxy.listen(0, '127.0.0.1', done));
    try {
      await withPage(real, 'demo wrong host', async ({ page }) => {
        const path = `/lightning/r/Contact/${JANE}/view`;
        const { A } = await openDemo(real, page, `http://localhost:${real.sim.consolePort}${path}`);
        assert.equal(page.url(), `${real.consoleOrigin}${path}`);
        assert.equal(await page.locator('[data-testid=origin-hint]').count(), 0);
        assert.equal((await page.evaluate(() => simConsole.view('A'))).recordId, JANE);
        assert.match(await panelOf(A).locator('[role=status]').textContent(), /^Active/);

        const forwarded = `http://127.0.0.1:${proxy.address().port}`;
        await page.goto(`${forwarded}/`);
        await page.evaluate(() => window.simConsole.ready);
        const hint = page.locator('[data-testid=origin-hint]');
        await hint.waitFor({ state: 'visible' });
        const text = await hint.innerText();
        assert.ok(text.startsWith(`Open the demo at ${real.consoleOrigin}.`), text);
        assert.ok(text.includes(`This page is ${forwarded}`), text);
        assert.ok(text.includes(`Forward ports ${real.sim.consolePort} (console) and ${real.sim.desktopPort} (desktop)`), text);
        assert.equal(await hint.locator('a').getAttribute('href'), `${real.consoleOrigin}/`);
        // What the hint explains: the softphone refuses that console.
        const phone = await softphone(page, 'A');
        await until(phone, () => document.querySelector('wxcc-sfdc-adapter')?.dataset.state === 'refused', undefined, { message: 'refused' });
      });
    } finally {
      proxy.close();
    }
  });
});
