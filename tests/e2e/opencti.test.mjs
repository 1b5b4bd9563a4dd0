// The Open CTI path across origins: a softphone page on the desktop origin, inside the fake
// console's softphone panel, loads our opencti_min.js from the console and drives the console,
// which answers through the Rust FakeOrg (SimOrg, wasm) and shows what Lightning would show.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import { repoDir, softphone, startE2E, until, withPage } from './harness.mjs';

const INIT_ERROR = 'Failed to initialize Open CTI. Ensure that it is loaded from the right frame with correct URL parameters';
const JANE = '003000000000001AAA';
const JOHN = '003000000000002AAA';
const PETER_LEAD = '00Q000000000002AAA';
const USER_A = '005000000000001AAA';

let env;
before(async () => {
  env = await startE2E({ mounts: { '/e2e/': join(repoDir, 'tests/e2e/pages') } });
});
after(async () => {
  await env?.close();
});

/** Opens the console with the test softphone page as the adapter URL; returns {page, phone}. */
async function openConsole(page, query = {}) {
  await page.goto(env.consoleUrl({ adapterUrl: `${env.desktopOrigin}/e2e/opencti-page.html`, ...query }));
  await page.evaluate(() => window.simConsole.ready);
  const phone = await softphone(page, 'A');
  await until(phone, () => window.ctiState !== 'loading', undefined, { message: 'opencti load' });
  assert.equal(await phone.evaluate(() => window.ctiState), 'ready', await phone.evaluate(() => window.ctiInitError));
  return phone;
}

describe('Open CTI through the fake console', () => {
  it('getCallCenterSettings answers the flat settings map (with overrides) and the softphone URL', async () => {
    await withPage(env, 'opencti settings', async ({ page }) => {
      const phone = await openConsole(page, { settingsJson: { '/reqOutDialConfig/reqPrefixStringTobeRemoved': '+44' } });
      const response = await phone.evaluate(() => cti('getCallCenterSettings'));
      assert.equal(response.returnValue['/reqOutDialConfig/reqPrefixStringTobeRemoved'], '+44');
      await page.evaluate(() => simConsole.setSettings({ '/reqOmniStateSyncConfig/isOmniStateSyncEnabled': 'true' }));
      const again = await phone.evaluate(() => cti('getCallCenterSettings'));
      assert.equal(again.returnValue['/reqOmniStateSyncConfig/isOmniStateSyncEnabled'], 'true');
      assert.equal(again.returnValue['/reqOutDialConfig/reqPrefixStringTobeRemoved'], '+44');
      assert.equal(response.success, true);
      assert.equal(response.returnValue['/reqGeneralInfo/reqAdapterUrl'], `${env.desktopOrigin}/e2e/opencti-page.html`);
      assert.equal(response.returnValue['/reqActivityRecordConfig/SubjectDateFormat'], 'MM-dd-yyyy hh:mm a');
      assert.equal(response.returnValue['/reqAdvanceScreenpopConfig/prefixStringTobeRemoved'], '+1,+91');
      // The softphone URL carries the console origin and the mode, as Lightning adds them.
      const url = new URL(phone.url());
      assert.equal(url.searchParams.get('sfdcIframeOrigin'), env.consoleOrigin);
      assert.equal(url.searchParams.get('mode'), 'Lightning');
    });
  });

  it('screenPop and searchAndScreenPop navigate the console like Lightning', async () => {
    await withPage(env, 'opencti screen pops', async ({ page }) => {
      const phone = await openConsole(page);
      await phone.evaluate(() => listen('onNavigationChange'));
      await until(page, () => simConsole.listeners('A').onNavigationChange, undefined, { message: 'listener registered' });

      // sobject → the record page, and the softphone hears about the navigation.
      let response = await phone.evaluate((id) => cti('screenPop', { type: sforce.opencti.SCREENPOP_TYPE.SOBJECT, params: { recordId: id } }), JANE);
      assert.equal(response.success, true);
      let view = await until(page, () => simConsole.view('A').kind === 'record' && simConsole.view('A'));
      assert.equal(view.recordId, JANE);
      assert.equal(view.recordName, 'Jane Doe');
      assert.equal(await page.locator('[data-testid=workspace-A] h1[data-testid=record-name]').textContent(), 'Jane Doe');
      const nav = await until(phone, (id) => received.find((r) => r.method === 'onNavigationChange' && r.payload.recordId === id)?.payload, JANE);
      assert.equal(nav.objectType, 'Contact');
      assert.match(nav.url, /\/lightning\/r\/Contact\/003000000000001AAA\/view$/);

      // deferred search: the matches (and what Lightning would pop), no navigation.
      response = await phone.evaluate(() => cti('searchAndScreenPop', { searchParams: '2125550102', callType: 'inbound', deferred: true }));
      assert.equal(response.success, true);
      assert.deepEqual(Object.keys(response.returnValue).sort(), [JOHN, 'SCREEN_POP_DATA'].sort());
      assert.equal(response.returnValue[JOHN].Name, 'John Smith');
      assert.deepEqual(response.returnValue.SCREEN_POP_DATA, { type: 'sobject', params: { recordId: JOHN } });
      assert.equal((await page.evaluate(() => simConsole.view('A'))).recordId, JANE);

      // non-deferred, two matches (a Contact and a Lead share the number) → search page.
      response = await phone.evaluate(() => cti('searchAndScreenPop', { searchParams: '(415) 555-0199', callType: 'inbound' }));
      assert.equal(Object.keys(response.returnValue).length, 2);
      view = await until(page, () => simConsole.view('A').kind === 'search' && simConsole.view('A'));
      assert.equal(view.searchString, '(415) 555-0199');
      assert.equal(await page.locator('[data-testid=workspace-A] .search-results li').count(), 2);

      // non-deferred, one match → that record.
      await phone.evaluate(() => cti('searchAndScreenPop', { searchParams: '+1 646 555 0177', callType: 'inbound' }));
      view = await until(page, (id) => simConsole.view('A').recordId === id && simConsole.view('A'), PETER_LEAD);
      assert.equal(view.objectType, 'Lead');

      // newRecord → the modal with the prefilled fields.
      await phone.evaluate(() => cti('screenPop', { type: 'newRecord', params: { entityName: 'Lead', defaultFieldValues: { Phone: '+12125559999', LastName: 'Caller', Company: 'Unknown' } } }));
      const modal = await until(page, () => simConsole.modal('A'));
      assert.deepEqual(modal, { entityName: 'Lead', fields: { LastName: 'Caller', Company: 'Unknown', Phone: '+12125559999' } });
      assert.equal(await page.locator('[data-testid=modal-A] input[name=Phone]').inputValue(), '+12125559999');

      // url → a Lightning URL opens the record in edit mode.
      await page.evaluate(() => simConsole.closeModal('A'));
      await phone.evaluate((id) => cti('screenPop', { type: 'url', params: { url: `/lightning/r/Contact/${id}/edit` } }), JOHN);
      view = await until(page, (id) => simConsole.view('A').recordId === id && simConsole.view('A'), JOHN);
      assert.equal(view.mode, 'edit');
      assert.equal(await page.locator('[data-testid=record-edit]').count(), 1);

      const pops = await page.evaluate(() => simConsole.pops().map((p) => p.type));
      assert.deepEqual(pops, ['sobject', 'searchAndScreenPop', 'searchAndScreenPop', 'newRecord', 'url']);
    });
  });

  it('saveLog creates and updates a Task owned by the agent; runApex answers our Apex', async () => {
    await withPage(env, 'opencti saveLog runApex', async ({ page }) => {
      const phone = await openConsole(page);
      const created = await phone.evaluate((who) => cti('saveLog', {
        value: { entityApiName: 'Task', Subject: 'Inbound Call 11-22-2026 10:04 AM', WhoId: who, CallObject: 'e2e-interaction-1', TaskSubtype: 'Call', CallType: 'Inbound' },
      }), JANE);
      assert.equal(created.success, true, JSON.stringify(created));
      const taskId = created.returnValue;
      assert.match(taskId, /^00T/);
      let task = (await page.evaluate(() => simConsole.records().Task)).find((t) => t.Id === taskId);
      assert.equal(task.OwnerId, USER_A);
      assert.equal(task.CallObject, 'e2e-interaction-1');

      const updated = await phone.evaluate((id) => cti('saveLog', { value: { Id: id, Status: 'Completed', CallDurationInSeconds: 93 } }), taskId);
      assert.equal(updated.success, true);
      task = await page.evaluate((id) => simConsole.record(id), taskId);
      assert.equal(task.Status, 'Completed');
      assert.equal(task.CallDurationInSeconds, 93);

      // The Task shows in the Contact's activity history once the console shows the Contact.
      await page.evaluate((id) => simConsole.openRecord('A', id), JANE);
      await page.locator('[data-related="Activity History"]').getByText('Inbound Call 11-22-2026 10:04 AM').waitFor();

      let apex = await phone.evaluate(() => cti('runApex', { apexClass: 'WxccCtiService', methodName: 'currentUserId', methodParams: '' }));
      assert.deepEqual(apex.returnValue, { runApex: USER_A });
      apex = await phone.evaluate(() => cti('runApex', { apexClass: 'WxccCtiService', methodName: 'findTaskByCallObject', methodParams: 'callObject=e2e-interaction-1' }));
      assert.equal(JSON.parse(apex.returnValue.runApex).Id, taskId);
      apex = await phone.evaluate(() => cti('runApex', { apexClass: 'sfdcOmniChannel', methodName: 'fetchOmniPresenceStatusCodes', methodParams: '' }));
      assert.deepEqual(JSON.parse(apex.returnValue.runApex).map((s) => s.MasterLabel), ['Available', 'Busy', 'Not Ready']);

      // An injected failure comes back as Salesforce reports errors.
      await page.evaluate(() => simConsole.failNext('saveLog', 1, 'SERVER_ERROR'));
      const failed = await phone.evaluate(() => cti('saveLog', { value: { entityApiName: 'Task', Subject: 'x' } }));
      assert.equal(failed.success, false);
      assert.equal(failed.errors[0].code, 'SERVER_ERROR');
    });
  });

  it('click-to-dial on a phone field reaches the softphone once enabled', async () => {
    await withPage(env, 'opencti click to dial', async ({ page }) => {
      const phone = await openConsole(page);
      await page.evaluate((id) => simConsole.openRecord('A', id), JANE);
      assert.equal(await page.locator('a.click-to-dial').count(), 0, 'not clickable before enableClickToDial');
      await phone.evaluate(() => listen('onClickToDial'));
      const enabled = await phone.evaluate(() => cti('enableClickToDial'));
      assert.equal(enabled.success, true);
      await page.locator('[data-testid=workspace-A] dd[data-field=Phone] a.click-to-dial').click();
      const payload = await until(phone, () => received.find((r) => r.method === 'onClickToDial')?.payload);
      assert.deepEqual(payload, { number: '(212) 555-0101', recordId: JANE, recordName: 'Jane Doe', objectType: 'Contact', accountId: '001000000000001AAA' });
      const info = await phone.evaluate(() => cti('getAppViewInfo'));
      assert.equal(info.returnValue.recordId, JANE);
      await phone.evaluate(() => cti('disableClickToDial'));
      await until(page, () => !simConsole.clickToDialEnabled('A'));
      assert.equal(await page.evaluate((id) => simConsole.clickToDial('A', id, 'MobilePhone'), JANE), false);
    });
  });
});

describe('Open CTI client rules', () => {
  it('refuses to initialise with a non-Salesforce origin, another protocol, or no mode', async () => {
    await withPage(env, 'opencti refuses', async ({ page }) => {
      const cti = `${env.consoleOrigin}/support/api/57.0/lightning/opencti_min.js`;
      const cases = [
        ['https://evil.example.com', 'Lightning'],
        ['https://acme.my.salesforce.com.evil.example.com', 'Lightning'],
        ['http://acme.my.salesforce.com', 'Lightning'], // the page is https
        [env.consoleOrigin, null],
      ];
      for (const [origin, mode] of cases) {
        const url = new URL(`${env.desktopOrigin}/e2e/opencti-page.html`);
        url.searchParams.set('sfdcIframeOrigin', origin);
        if (mode) url.searchParams.set('mode', mode);
        url.searchParams.set('ctiSrc', cti);
        await page.goto(url.href);
        await until(page, () => window.ctiState !== 'loading');
        const state = await page.evaluate(() => ({ sforce: typeof window.sforce, error: window.ctiInitError }));
        assert.equal(state.sforce, 'undefined', `${origin} ${mode}`);
        assert.ok(state.error && state.error.includes(INIT_ERROR), `${origin} ${mode}: ${state.error}`);
      }
      // The same page with the console's Salesforce origin initialises.
      const ok = new URL(`${env.desktopOrigin}/e2e/opencti-page.html`);
      ok.searchParams.set('sfdcIframeOrigin', env.consoleOrigin);
      ok.searchParams.set('mode', 'Lightning');
      await page.goto(ok.href);
      await until(page, () => window.ctiState !== 'loading');
      assert.equal(await page.evaluate(() => window.ctiState), 'ready');
      assert.deepEqual(await page.evaluate(() => [sforce.opencti.SCREENPOP_TYPE, sforce.opencti.CALL_TYPE]), [
        { URL: 'url', SOBJECT: 'sobject', OBJECTHOME: 'objecthome', LIST: 'list', SEARCH: 'search', NEW_RECORD_MODAL: 'newRecord', FLOW: 'flow' },
        { INBOUND: 'inbound', OUTBOUND: 'outbound', INTERNAL: 'internal' },
      ]);
      // Missing callback or listener throws; saveLog needs a value object.
      const thrown = await page.evaluate(() => [
        throws(() => sforce.opencti.runApex({ apexClass: 'A', methodName: 'b' })),
        throws(() => sforce.opencti.getCallCenterSettings({})),
        throws(() => sforce.opencti.onClickToDial({})),
        throws(() => sforce.opencti.subscribe({ channelName: 'X__c' })),
        throws(() => sforce.opencti.saveLog({ callback() {} })),
        throws(() => sforce.opencti.screenPop({ type: 'sobject', params: { recordId: 'x' } })),
      ]);
      assert.ok(thrown.slice(0, 5).every((m) => typeof m === 'string'), JSON.stringify(thrown));
      assert.equal(thrown[5], null, 'screenPop takes an optional callback');
    });
  });

  it('ignores replies from a foreign origin or another API version, and calls a callback once', async () => {
    await withPage(env, 'opencti foreign replies', async ({ page }) => {
      const phone = await openConsole(page);
      await page.evaluate(() => simConsole.holdRequests(['runApex']));
      await phone.evaluate(() => {
        window.apexAnswers = [];
        sforce.opencti.runApex({ apexClass: 'WxccCtiService', methodName: 'currentUserId', methodParams: '', callback: (r) => apexAnswers.push(r) });
      });
      const { callId } = await until(page, () => simConsole.heldRequests()[0]);
      const forged = (extra = {}) => ({ apiVersion: 57, apiType: 'opencti', methodName: 'runApex', callId, response: { success: true, returnValue: { runApex: 'FORGED' }, errors: null }, shouldExecuteCallback: true, ...extra });
      // From the softphone's own (desktop) origin: not the console.
      await phone.evaluate((m) => window.postMessage(m, '*'), forged());
      // From the console origin, but with another apiVersion / apiType.
      await page.evaluate((m) => simConsole.postToSoftphone('A', m), forged({ apiVersion: 56 }));
      await page.evaluate((m) => simConsole.postToSoftphone('A', m), forged({ apiType: 'interaction' }));
      // A marker message after them proves they were delivered (and ignored) before we look.
      await phone.evaluate(() => listen('onNavigationChange'));
      await until(page, () => simConsole.listeners('A').onNavigationChange);
      await page.evaluate(() => simConsole.openRecord('A', '001000000000001AAA'));
      await until(phone, () => received.some((r) => r.method === 'onNavigationChange'));
      assert.deepEqual(await phone.evaluate(() => apexAnswers), []);

      assert.equal(await page.evaluate(() => simConsole.releaseRequests()), 1);
      await until(phone, () => apexAnswers.length === 1);
      assert.deepEqual(await phone.evaluate(() => apexAnswers[0].returnValue), { runApex: USER_A });
      // A duplicate of the real reply, from the right origin: the callback is already forgotten.
      await page.evaluate((m) => simConsole.postToSoftphone('A', m), { ...forged(), response: { success: true, returnValue: { runApex: 'again' }, errors: null } });
      await page.evaluate(() => simConsole.openRecord('A', '001000000000002AAA'));
      await until(phone, () => received.filter((r) => r.method === 'onNavigationChange').length === 2);
      assert.equal(await phone.evaluate(() => apexAnswers.length), 1);

      // The console itself ignores Open CTI requests from a window that is not its softphone.
      await page.evaluate(() => window.postMessage({ methodName: 'saveLog', callId: 1, apiVersion: 57, apiType: 'opencti', args: { object: { entityApiName: 'Task', Subject: 'spoof' } } }, '*'));
      await until(page, () => simConsole.log().some((m) => m.dir === 'rejected'));
      assert.equal((await page.evaluate(() => simConsole.records().Task ?? [])).length, 0);
    });
  });
});
