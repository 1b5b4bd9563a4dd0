// The fake WxCC desktop host against the REAL @wxcc-desktop/sdk: a probe widget (bundled by
// esbuild) is loaded through a test layout; calls rung in the host reach it as SDK events, and its
// SDK requests (CAD, agent state, idle codes) reach the host. Two agents share calls through the
// desktop origin's BroadcastChannel, which is how a transfer reaches agent B.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { buildProbe, softphone, startE2E, until, withPage } from './harness.mjs';

let env;
let buildDir;
before(async () => {
  buildDir = await buildProbe();
  env = await startE2E({ mounts: { '/e2e-build/': buildDir } });
});
after(async () => {
  await env?.close();
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

const LAYOUT = '/e2e-build/sdk-layout.json';

async function probeReady(frame) {
  await until(frame, () => window.simDesktop && window.simDesktop.ready, undefined, { message: 'desktop page' });
  await frame.evaluate(() => window.simDesktop.ready);
  await until(frame, () => window.sdkProbe && (window.sdkProbe.inited || window.sdkProbe.errors.length), undefined, { message: 'Desktop.config.init' });
  assert.deepEqual(await frame.evaluate(() => sdkProbe.errors), []);
  // Listeners are bound only after init: wait until the host sees them.
  await until(frame, () => simDesktop.listening('eAgentOfferContact') > 0);
}

describe('fake desktop host with the real Desktop SDK', () => {
  it('loads the layout: scripts, headless comps with $STORE bindings, panel tabs', async () => {
    await withPage(env, 'desktop layout', async ({ page }) => {
      await page.goto(`${env.desktopOrigin}/desktop/?layout=${encodeURIComponent(LAYOUT)}`);
      await probeReady(page);
      const attributes = await page.evaluate(() => sdkProbe.attributes);
      assert.deepEqual(attributes, {
        agentname: 'Alice Agent',
        teamname: 'Sales Team',
        outdialentrypointid: 'b2c8a7f0-1d2e-4f3a-9b8c-000000000e01',
        missing: '',
        literal: 'kept as is',
        flag: 'true',
      });
      assert.equal(await page.locator('#area-headless > e2e-sdk-probe').count(), 1);
      assert.deepEqual(await page.locator('#area-panel [role=tab]').allTextContents(), ['Probe Panel', 'Contact History']);
      assert.equal(await page.locator('#area-panel #probe-panel').textContent(), 'panel content');
      const layout = await page.evaluate(() => simDesktop.layout);
      assert.equal(layout.fallback, false);
      assert.deepEqual(layout.scripts.map((s) => [new URL(s.src).pathname, s.status]), [['/e2e-build/sdk-probe.js', 'loaded']]);
      assert.ok((await page.evaluate(() => sdkProbe.initMs)) < 5000);
    });
  });

  it('falls back to a tiny inline layout when the layout file is missing', async () => {
    await withPage(env, 'desktop fallback layout', async ({ page }) => {
      await page.goto(env.desktopUrl({ layout: '/layouts/no-such-layout.json' }));
      await until(page, () => window.simDesktop && window.simDesktop.layout && window.simDesktop.layout.comps.length > 0);
      const layout = await page.evaluate(() => simDesktop.layout);
      assert.equal(layout.fallback, true);
      assert.deepEqual(layout.comps.map((c) => c.comp), ['wxcc-sfdc-adapter', 'wxcc-sfdc-actions']);
      assert.equal(layout.comps[0].attributes.agentName, 'Alice Agent');
      assert.equal(await page.locator('#area-headless > wxcc-sfdc-adapter').count(), 1);
    });
  });

  it('delivers contact events to SDK listeners and takes CAD, state and idle-code requests', async () => {
    await withPage(env, 'desktop sdk events', async ({ page }) => {
      await page.goto(`${env.desktopOrigin}/desktop/?layout=${encodeURIComponent(LAYOUT)}`);
      await probeReady(page);

      const id = await page.evaluate(() => simDesktop.ring({ ani: '+12125550101', dnis: '+18005550100', queue: 'Sales', cad: { accountNumber: 'ACME-001', ActivityId: '' } }));
      const offer = await until(page, () => sdkProbe.names('eAgentOfferContact')[0]);
      assert.equal(offer.type, 'AgentOfferContact');
      assert.equal(offer.data.interactionId, id);
      const i = offer.data.interaction;
      assert.equal(i.contactDirection.type, 'INBOUND');
      assert.equal(i.mediaType, 'telephony');
      assert.equal(i.callProcessingDetails.ani, '+12125550101');
      assert.equal(i.callProcessingDetails.dnis, '+18005550100');
      assert.equal(i.callProcessingDetails.virtualTeamName, 'Sales');
      assert.equal(i.callAssociatedData.accountNumber.value, 'ACME-001');
      assert.equal(i.callAssociatedData.accountNumber.name, 'accountNumber');
      assert.equal(offer.data.agentId, 'a0a0a0a0-0000-4000-8000-00000000000a');

      // Answer, hold, resume, end, wrap-up through the host's controls (the UI buttons call these).
      await page.locator(`[data-interaction-id="${id}"] [data-action=answer]`).click();
      await until(page, () => sdkProbe.names('eAgentContactAssigned').length === 1);
      await page.evaluate((x) => simDesktop.hold(x), id);
      const held = await until(page, () => sdkProbe.names('eAgentContactHeld')[0]);
      assert.equal(Object.values(held.data.interaction.media)[0].isHold, true);
      await page.evaluate((x) => simDesktop.resume(x), id);
      await until(page, () => sdkProbe.names('eAgentContactUnHeld').length === 1);

      // The SDK's CAD write reaches the host and is merged into the interaction.
      await page.evaluate((x) => sdkProbe.Desktop.dialer.updateCadVariables({ interactionId: x, data: { attributes: { ActivityId: '00T000000000001AAA' } } }), id);
      assert.equal((await page.evaluate((x) => simDesktop.interaction(x), id)).callAssociatedData.ActivityId.value, '00T000000000001AAA');
      assert.equal((await page.evaluate(() => simDesktop.requests('dialer.updateCadVariables'))).length, 1);
      // …and an unknown interaction is rejected, as the real desktop does.
      const rejected = await page.evaluate(() => sdkProbe.Desktop.dialer.updateCadVariables({ interactionId: '00000000-0000-4000-8000-000000000000', data: { attributes: { a: 'b' } } }).then(() => 'resolved', (e) => String(e.message)));
      assert.match(rejected, /unknown interaction/);

      await page.evaluate((x) => simDesktop.end(x), id);
      await until(page, () => sdkProbe.names('eAgentWrapup').length === 1);
      await page.evaluate((x) => simDesktop.wrapup(x, 'Support'), id);
      const wrapped = await until(page, () => sdkProbe.names('eAgentContactWrappedUp')[0]);
      assert.equal(wrapped.data.wrapUpAuxCodeId, '2002');
      // Later events carry the CAD written before.
      assert.equal(wrapped.data.interaction.callAssociatedData.ActivityId.value, '00T000000000001AAA');

      // Idle codes through the actions channel; state change through the SDK.
      const codes = await page.evaluate(() => sdkProbe.Desktop.actions.getIdleCodes());
      assert.deepEqual(codes.map((c) => c.name), ['Not Ready', 'Lunch', 'Meeting', 'RONA']);
      const wrapUps = await page.evaluate(() => sdkProbe.Desktop.actions.getWrapUpCodes());
      assert.ok(wrapUps.some((c) => c.id === '2002' && c.name === 'Support'));
      await until(page, () => sdkProbe.Desktop.agentStateInfo.latestData.subStatus === 'Available');
      await page.evaluate(() => sdkProbe.Desktop.agentStateInfo.stateChange({ state: 'Idle', auxCodeIdArray: '1002' }));
      assert.deepEqual(await page.evaluate(() => simDesktop.agentState()), { status: 'LoggedIn', subStatus: 'Idle', auxCodeId: '1002', idleCodeName: 'Lunch' });
      const latest = await until(page, () => sdkProbe.Desktop.agentStateInfo.latestData.subStatus === 'Idle' && sdkProbe.Desktop.agentStateInfo.latestData);
      assert.deepEqual(latest.idleCode, { id: '1002', name: 'Lunch' });
      assert.ok((await page.evaluate(() => sdkProbe.stateUpdates.flat().map((u) => u.name))).includes('subStatus'));
      // The host rejects what the SDK only logs about.
      const bad = await page.evaluate(() => sdkProbe.Desktop.agentStateInfo.stateChange({ state: 'Idle', auxCodeIdArray: '9999' }).then(() => 'resolved', (e) => String(e.message)));
      assert.match(bad, /unknown idle code/);
      // The host's own state select drives the SDK too.
      await page.selectOption('#agent-state', 'Available');
      await until(page, () => sdkProbe.Desktop.agentStateInfo.latestData.subStatus === 'Available');
    });
  });

  it('outdial from the SDK dials through the host and connects', async () => {
    await withPage(env, 'desktop outdial', async ({ page }) => {
      await page.goto(`${env.desktopOrigin}/desktop/?layout=${encodeURIComponent(LAYOUT)}`);
      await probeReady(page);
      await page.evaluate(() => sdkProbe.Desktop.dialer.startOutdial({
        data: { entryPointId: 'b2c8a7f0-1d2e-4f3a-9b8c-000000000e01', destination: '2125550101', direction: 'OUTBOUND', origin: '+18005550100', attributes: {}, mediaType: 'telephony', outboundType: 'OUTDIAL' },
      }));
      assert.equal((await page.evaluate(() => simDesktop.outdials()))[0].destination, '2125550101');
      const assigned = await until(page, () => sdkProbe.names('eAgentContactAssigned')[0]);
      const i = assigned.data.interaction;
      assert.equal(i.contactDirection.type, 'OUTBOUND');
      assert.equal(i.outboundType, 'OUTDIAL');
      assert.equal(i.callProcessingDetails.dnis, '2125550101');
      assert.equal(i.callProcessingDetails.ani, '+18005550100');
      assert.deepEqual((await page.evaluate(() => sdkProbe.names().map((e) => e.name))), ['eAgentOfferContact', 'eAgentContactAssigned']);
    });
  });
});

describe('two agents in one console share calls through the desktop origin', () => {
  it('blind transfer A→B reaches B with the CAD; B survives a softphone reload', async () => {
    await withPage(env, 'two agents blind transfer', async ({ page }) => {
      await page.goto(env.consoleUrl({ agents: 'A,B', desktopParams: `layout=${LAYOUT}` }));
      await page.evaluate(() => window.simConsole.ready);
      const a = await softphone(page, 'A');
      const b = await softphone(page, 'B');
      await probeReady(a);
      await probeReady(b);
      assert.equal(await b.evaluate(() => sdkProbe.attributes.agentname), 'Bob Agent');

      const id = await a.evaluate(() => simDesktop.ring({ ani: '+12125550102', cad: { ActivityId: '' } }));
      await until(a, () => sdkProbe.names('eAgentOfferContact').length === 1);
      await a.evaluate((x) => simDesktop.answer(x), id);
      await a.evaluate((x) => sdkProbe.Desktop.dialer.updateCadVariables({ interactionId: x, data: { attributes: { ActivityId: '00T000000000007AAA' } } }), id);
      await a.evaluate((x) => simDesktop.blindTransfer(x, 'B'), id);

      const transferred = await until(a, () => sdkProbe.names('eAgentblindTransferred')[0]);
      assert.equal(transferred.data.destAgentId, 'b0b0b0b0-0000-4000-8000-00000000000b');
      await until(a, () => sdkProbe.names('eAgentWrapup').length === 1);
      const offered = await until(b, () => sdkProbe.names('eAgentOfferContact')[0]);
      assert.equal(offered.data.interactionId, id);
      assert.equal(offered.data.agentId, 'b0b0b0b0-0000-4000-8000-00000000000b');
      assert.equal(offered.data.interaction.callAssociatedData.ActivityId.value, '00T000000000007AAA');
      assert.equal(offered.data.interaction.owner, 'b0b0b0b0-0000-4000-8000-00000000000b');
      assert.equal(await b.evaluate(() => sdkProbe.names('eAgentOfferContact').length), 1);

      await b.evaluate((x) => sdkProbe.Desktop.agentContact.accept({ interactionId: x }), id);
      await until(b, () => sdkProbe.names('eAgentContactAssigned').length === 1);
      assert.equal((await a.evaluate((x) => simDesktop.record(x), id)).legs.B.state, 'connected');

      // Reload B's softphone mid-call: the new page sees the call again.
      await page.evaluate(() => simConsole.reloadSoftphone('B'));
      const b2 = await softphone(page, 'B');
      await until(b2, () => window.sdkProbe && sdkProbe.inited);
      const replay = await until(b2, (x) => sdkProbe.names('eAgentContact').find((e) => e.data.interactionId === x), id);
      assert.equal(replay.data.interaction.callAssociatedData.ActivityId.value, '00T000000000007AAA');
      const tasks = await b2.evaluate(() => sdkProbe.Desktop.actions.getTaskMap().then((m) => [...m.keys()]));
      assert.deepEqual(tasks, [id]);

      // A wraps up; B ends and wraps up: the interaction is over for both.
      await a.evaluate((x) => simDesktop.wrapup(x, 'Transferred'), id);
      await b2.evaluate((x) => simDesktop.end(x), id);
      await b2.evaluate((x) => simDesktop.wrapup(x), id);
      await until(b2, () => sdkProbe.names('eAgentContactWrappedUp').length === 1);
      const rec = await a.evaluate((x) => simDesktop.record(x), id);
      assert.deepEqual([rec.legs.A.state, rec.legs.B.state, rec.interaction.state], ['done', 'done', 'wrappedUp']);
    });
  });

  it('queue transfer A→Support→B; a call ended before it is answered', async () => {
    await withPage(env, 'two agents queue transfer', async ({ page }) => {
      await page.goto(env.consoleUrl({ agents: 'A,B', desktopParams: `layout=${LAYOUT}` }));
      await page.evaluate(() => window.simConsole.ready);
      const a = await softphone(page, 'A');
      const b = await softphone(page, 'B');
      await probeReady(a);
      await probeReady(b);
      // Rung from A's desktop straight to B, and abandoned before B answers.
      const abandoned = await a.evaluate(() => simDesktop.ring({ ani: '+13125550142', agent: 'B' }));
      await until(b, (x) => sdkProbe.names('eAgentOfferContact').some((e) => e.data.interactionId === x), abandoned);
      await b.evaluate((x) => simDesktop.end(x), abandoned);
      await until(b, (x) => sdkProbe.names('eAgentContactEnded').some((e) => e.data.interactionId === x), abandoned);

      const id = await a.evaluate(() => simDesktop.ring({ ani: '+12125550101', queue: 'Sales' }));
      await a.evaluate((x) => simDesktop.answer(x), id);
      await a.evaluate((x) => simDesktop.queueTransfer(x, 'Support', 'B'), id);
      await until(a, () => sdkProbe.names('eAgentvteamTransfer').length === 1 && sdkProbe.names('eAgentWrapup').length === 1);
      const offered = await until(b, (x) => sdkProbe.names('eAgentOfferContact').find((e) => e.data.interactionId === x), id);
      assert.equal(offered.data.interaction.callProcessingDetails.virtualTeamName, 'Support');
      assert.deepEqual(offered.data.interaction.previousVTeams, ['q-sales']);
    });
  });

  it('consult and consult transfer A→B', async () => {
    await withPage(env, 'two agents consult transfer', async ({ page }) => {
      await page.goto(env.consoleUrl({ agents: 'A,B', desktopParams: `layout=${LAYOUT}` }));
      await page.evaluate(() => window.simConsole.ready);
      const a = await softphone(page, 'A');
      const b = await softphone(page, 'B');
      await probeReady(a);
      await probeReady(b);
      const id = await a.evaluate(() => simDesktop.ring({ ani: '+16465550177' }));
      await a.evaluate((x) => simDesktop.answer(x), id);
      await a.evaluate((x) => simDesktop.consult(x, 'B'), id);
      await until(a, () => sdkProbe.names('eAgentConsultCreated').length === 1);
      const consultOffer = await until(b, () => sdkProbe.names('eAgentOfferConsult')[0]);
      assert.equal(consultOffer.data.isConsulted, true);
      await b.evaluate((x) => simDesktop.answer(x), id); // accepts the consult
      await until(a, () => sdkProbe.names('eAgentConsulting').length === 1);
      await until(b, () => sdkProbe.names('eAgentConsulting').length === 1);
      await a.evaluate((x) => simDesktop.consultTransfer(x), id);
      await until(a, () => sdkProbe.names('eConsultTransfer').length === 1 && sdkProbe.names('eAgentWrapup').length === 1);
      const bTransfer = await until(b, () => sdkProbe.names('eConsultTransfer')[0]);
      assert.equal(bTransfer.data.interaction.owner, 'b0b0b0b0-0000-4000-8000-00000000000b');
      await until(b, () => sdkProbe.names('eAgentContact').some((e) => e.data.interactionId !== undefined));
      assert.equal((await b.evaluate((x) => simDesktop.record(x), id)).legs.B.state, 'connected');
    });
  });
});
