// The adapter widget end to end, on the production path: the console is
// https://acme.my.salesforce.com:PORT, the desktop a second HTTPS origin loading our shipped layout
// (layouts/wxcc-sfdc-desktop-layout.json, no trustedOrigins: the widget's default allow-list), the
// widget is www/widget/dist/widget.js with the real @wxcc-desktop/sdk bundled in it. Every test
// asserts what an agent sees (the console's page, modal, Omni-Channel widget, the desktop's state,
// the Salesforce Actions panel) and what Salesforce holds afterwards. No sleeps: wait for conditions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { requireWidgetBuild, softphone, startE2E, until, withPage, WIDGET_PATH } from './harness.mjs';
import { assertRealSdk, delivered, openWidgetConsole, panel, reloadSoftphone, tasksOf, untilEl } from './widget-console.mjs';

const JANE = '003000000000001AAA'; // (212) 555-0101
const SAM = '003000000000004AAA'; // +1 (720) 555-0188
const MARIA = '003000000000003AAA'; // Contact, (415) 555-0199
const MARIO_LEAD = '00Q000000000001AAA'; // Lead, (415) 555-0199 too

let env;
before(async () => {
  requireWidgetBuild();
  env = await startE2E();
});
after(async () => {
  await env?.close();
});
const openConsole = (page, options) => openWidgetConsole(env, page, options);

/** Types notes into the agent's "Call notes" box in the Salesforce Actions panel and leaves it. */
async function typeNotes(phone, text) {
  const box = panel(phone).getByLabel('Call notes');
  await box.click();
  await box.pressSequentially(text);
  await box.blur();
  await until(phone, async (t) => (await window.wxccSfdcAdapter).currentCall()?.notes === t, text, { message: 'notes handed to the adapter' });
}

describe('the adapter widget in the console softphone (production path)', () => {
  it('inbound call: the matched Contact page opens in the console', async () => {
    await withPage(env, 'widget inbound pop', async ({ page }) => {
      const { A } = await openConsole(page);
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+12125550101', dnis: '+18005550100', queue: 'Sales' }));
      await A.locator(`[data-interaction-id="${id}"] [data-action=answer]`).click();

      await until(page, () => simConsole.view('A').kind === 'record', undefined, { message: 'a record page' });
      const view = await page.evaluate(() => simConsole.view('A'));
      assert.equal(view.objectType, 'Contact');
      assert.equal(view.recordId, JANE);
      assert.equal(await page.locator('[data-testid=workspace-A] h1[data-testid=record-name]').textContent(), 'Jane Doe');
      assert.match(page.url(), /\/lightning\/r\/Contact\/003000000000001AAA\/view/);
      // Popped once, although the desktop re-sends the contact.
      // The agent reads the record's name, and the caller's whole number (it is their own view).
      await untilEl(panel(A), (el) => el.textContent.includes('Contact Jane Doe'));
      assert.match(await panel(A).locator('.wsa-call').textContent(), /Number\s*\+12125550101/);
      const resent = (await A.evaluate((x) => simDesktop.events('eAgentContact', x).filter((e) => e.listeners > 0).length, id)) + 1;
      await A.evaluate((x) => simDesktop.emit('eAgentContact', x), id);
      await delivered(A, 'eAgentContact', id, resent);
      assert.equal((await page.evaluate(() => simConsole.calls('searchAndScreenPop', 'A'))).length, 1);
      assert.deepEqual(
        (await page.evaluate(() => simConsole.pops())).map((p) => [p.type, p.recordId]),
        [['sobject', JANE]],
      );
      // The agent sees why: the panel's trace.
      assert.match(await panel(A).textContent(), /Opened 003000000000001AAA \(one match\)/);
    });
  });

  it('no match: the new-record form opens with the mapped fields prefilled', async () => {
    await withPage(env, 'widget no match', async ({ page }) => {
      const settings = {
        '/reqNoRecordMatchConfig/isNoRecordMatchScenarioEnabled': 'true',
        '/reqNoRecordMatchConfig/nameOfCrmRecordObject': 'Lead',
        // Split across two numbered items: they concatenate.
        '/reqNoRecordMatchConfig/sfdcObjetFieldCadVariableMappings1': JSON.stringify([
          { wxccFieldName: 'phoneNumber', sfdcFieldName: 'Phone', isDefaultValueEnabled: 'false', isConditionalEnabled: 'false' },
          { wxccFieldName: 'customerName', sfdcFieldName: 'LastName', isDefaultValueEnabled: 'false', isConditionalEnabled: 'false' },
        ]),
        '/reqNoRecordMatchConfig/sfdcObjetFieldCadVariableMappings2': JSON.stringify([
          { CadFieldName: '', SalesforceFieldName: 'LeadSource', isDefaultValueEnabled: true, defaultFieldValue: 'Phone Inquiry' },
        ]),
      };
      const { A } = await openConsole(page, { settings });
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+13035550123', cad: { customerName: 'Ana Lopez' } }));
      await A.evaluate((x) => simDesktop.answer(x), id);

      const modal = page.locator('[data-testid=modal-A]');
      await modal.waitFor({ state: 'visible' });
      assert.equal(await modal.locator('h2').textContent(), 'New Lead');
      const state = await page.evaluate(() => simConsole.modal('A'));
      assert.equal(state.entityName, 'Lead');
      assert.deepEqual(state.fields, { Phone: '3035550123', LastName: 'Ana Lopez', LeadSource: 'Phone Inquiry' });
      assert.equal(await modal.locator('input[name=LastName]').inputValue(), 'Ana Lopez');
      assert.equal((await page.evaluate(() => simConsole.view('A'))).kind, 'home');
      assert.match(await panel(A).textContent(), /No record matched: new record form opened/);
    });
  });

  it('click-to-dial from a Contact page dials the stripped number; the Task links to that Contact', async () => {
    await withPage(env, 'widget click to dial', async ({ page }) => {
      const { A } = await openConsole(page);
      // The agent opens the Contact from the list, then clicks its phone number.
      await page.locator('[data-testid=workspace-A]').waitFor();
      await page.locator('.pane[data-agent=A] nav.tabs a', { hasText: 'Contacts' }).click();
      await page.locator('[data-testid=workspace-A] a', { hasText: 'Sam Carter' }).click();
      await until(page, (id) => simConsole.view('A').recordId === id, SAM);
      const link = page.locator('[data-testid=workspace-A] dd[data-field=Phone] a.click-to-dial');
      await link.click();

      const dialed = await until(A, () => simDesktop.outdials()[0]);
      assert.equal(dialed.destination, '7205550188'); // "+1 (720) 555-0188" without the +1 prefix
      assert.equal(dialed.direction, 'OUTBOUND');
      assert.equal(dialed.outboundType, 'OUTDIAL');
      assert.equal(dialed.entryPointId, 'b2c8a7f0-1d2e-4f3a-9b8c-000000000e01'); // $STORE.agent.outDialEp
      const id = await until(A, () => simDesktop.current());
      await until(A, (x) => simDesktop.record(x)?.legs?.A?.state === 'connected', id, { message: 'outbound call answered' });
      // The agent sees the outbound call to that number in the desktop.
      assert.match(await A.locator(`#calls [data-interaction-id="${id}"] strong`).textContent(), /↗ 7205550188/);
      // The number the agent clicked was dialed once, and the console did not pop anything.
      assert.equal((await A.evaluate(() => simDesktop.outdials())).length, 1);
      assert.equal((await page.evaluate(() => simConsole.view('A'))).recordId, SAM);

      await A.evaluate((x) => simDesktop.end(x), id);
      await A.evaluate((x) => simDesktop.wrapup(x, 'Sale'), id);
      const task = await until(page, (x) => simConsole.tasks().find((t) => t.CallObject === x && t.Status === 'Completed'), id, { message: 'the Task' });
      assert.equal(task.WhoId, SAM);
      assert.equal(task.CallType, 'Outbound');
      // CallDisposition is not asserted yet: the engine writes the wrap-up code id (2001), not its
      // name (Sale), which the SDK's agentStateInfo.latestData.wrapupCodes has.
      assert.match(task.Subject, /^Outbound Call /);
      assert.equal((await tasksOf(page, id)).length, 1);
      // What the agent sees: the call in the Contact's activity history.
      const history = page.locator('[data-testid=workspace-A] [data-related="Activity History"]');
      await history.waitFor();
      assert.match(await history.textContent(), /Outbound Call .* · Completed/);
    });
  });

  it('blind transfer A→B with ownership change: one Task, owned by B, with both agents\' notes', async () => {
    await withPage(env, 'widget blind transfer ownership', async ({ page }) => {
      const settings = {
        '/reqActivityRecordConfig/isActivityRecordCreationAtConnected': 'true',
        '/reqActivityRecordConfig/isActivityRecordOwnershiptobeChangedForTransferredCalls': 'true',
        '/reqActivityRecordConfig/isCallNotesEnabled': 'true',
      };
      const { A, B } = await openConsole(page, { agents: ['A', 'B'], settings });
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+12125550101', cad: { ActivityId: '' } }));
      await A.evaluate((x) => simDesktop.answer(x), id);
      // Created at connect, its Id handed on with the call (CAD).
      const created = await until(page, (x) => simConsole.tasks().find((t) => t.CallObject === x), id, { message: 'Task created at connect' });
      assert.equal(created.OwnerId, await page.evaluate(() => simConsole.userId('A')));
      await until(A, ([x, t]) => simDesktop.interaction(x).callAssociatedData.ActivityId?.value === t, [id, created.Id], { message: 'ActivityId in CAD' });

      await typeNotes(A, 'Caller asks about invoice 42.');
      await A.evaluate((x) => simDesktop.blindTransfer(x, 'B'), id);
      await until(A, (x) => simDesktop.record(x).legs.A.state === 'wrapup', id);
      await A.evaluate((x) => simDesktop.wrapup(x, 'Transferred'), id);

      await until(B, (x) => simDesktop.record(x)?.legs?.B?.state === 'offered', id, { message: 'B is offered the call' });
      await B.evaluate((x) => simDesktop.answer(x), id);
      await until(page, ([x, owner]) => simConsole.tasks().find((t) => t.CallObject === x)?.OwnerId === owner, [id, await page.evaluate(() => simConsole.userId('B'))], {
        message: 'the Task moved to B',
      });
      await typeNotes(B, 'Refund approved by Bob.');
      await B.evaluate((x) => simDesktop.end(x), id);
      await B.evaluate((x) => simDesktop.wrapup(x, 'Support'), id);

      await until(page, (x) => simConsole.tasks().find((t) => t.CallObject === x)?.Status === 'Completed', id, { message: 'Task completed' });
      await until(A, async () => (await window.wxccSfdcAdapter).outboxLength() === 0);
      await until(B, async () => (await window.wxccSfdcAdapter).outboxLength() === 0);
      const tasks = await tasksOf(page, id);
      assert.equal(tasks.length, 1, JSON.stringify(tasks));
      const [task] = tasks;
      assert.equal(task.Id, created.Id);
      assert.equal(task.OwnerId, await page.evaluate(() => simConsole.userId('B')));
      assert.match(task.Description, /Caller asks about invoice 42\./);
      assert.match(task.Description, /Refund approved by Bob\./);
      assert.equal(task.WhoId, JANE);

      // B opens the call log from the panel (in edit mode) and sees both notes on the Task.
      await panel(B).getByRole('button', { name: 'Open call log' }).click();
      await until(page, (t) => simConsole.view('B').recordId === t, task.Id);
      assert.equal((await page.evaluate(() => simConsole.view('B'))).mode, 'edit');
      const description = page.locator('[data-testid=workspace-B] [data-testid=record-edit] input[name=Description]');
      assert.match(await description.inputValue(), /Caller asks about invoice 42\.[\s\S]*Refund approved by Bob\./);
    });
  });

  it('reload of the softphone during a call: the Task is still written exactly once', async () => {
    await withPage(env, 'widget reload mid-write', async ({ page }) => {
      const settings = {
        '/reqActivityRecordConfig/isActivityRecordCreationAtConnected': 'true',
        '/reqActivityRecordConfig/isCallNotesEnabled': 'true',
      };
      const { A } = await openConsole(page, { settings });
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+12125550101' }));
      // The create is sent and stays unanswered; the agent reloads the softphone meanwhile.
      await page.evaluate(() => simConsole.holdRequests(['saveLog', 'runApex']));
      await A.evaluate((x) => simDesktop.answer(x), id);
      await until(page, () => simConsole.heldRequests().some((r) => r.methodName === 'saveLog' && !r.args.value?.Id));
      await typeNotes(A, 'Before the reload.');
      const A2 = await reloadSoftphone(page, 'A');
      // The reloaded adapter resumes the call; its first Apex call is held too. Then the first
      // create reaches Salesforce (late: its answer is lost with the old page), and the resumed
      // adapter must find that Task by CallObject instead of creating another.
      await until(page, () => simConsole.heldRequests().some((r) => r.methodName === 'runApex'), undefined, { message: 'the resumed adapter calls our Apex' });
      assert.equal((await page.evaluate(() => simConsole.heldRequests()))[0].methodName, 'saveLog');
      await page.evaluate(() => simConsole.releaseRequests());
      await until(page, (x) => simConsole.calls('runApex', 'A').some((c) => c.args.methodName === 'findTaskByCallObject' && c.args.methodParams.includes(x)), id, {
        message: 'the resumed adapter looks the Task up',
      });
      await untilEl(panel(A2), (el) => /Call log\s*00T/.test(el.textContent), undefined, { message: 'the panel shows the call log after the reload' });
      assert.equal(await panel(A2).getByLabel('Call notes').inputValue(), 'Before the reload.');

      // Wrap-up: the first update fails and is retried.
      await page.evaluate(() => simConsole.failNext('saveLog', 1, 'SERVER_ERROR'));
      await A2.evaluate((x) => simDesktop.end(x), id);
      await A2.evaluate((x) => simDesktop.wrapup(x, 'Support'), id);
      await until(page, (x) => simConsole.tasks().find((t) => t.CallObject === x)?.Status === 'Completed', id, { message: 'Task completed', timeout: 20000 });
      await until(A2, async () => (await window.wxccSfdcAdapter).outboxLength() === 0);
      const tasks = await tasksOf(page, id);
      assert.equal(tasks.length, 1, JSON.stringify(tasks));
      // The create was sent once: the resumed adapter found it instead of sending it again.
      const creates = (await page.evaluate(() => simConsole.log().filter((m) => m.methodName === 'saveLog' && (m.dir === 'in' || m.dir === 'held'))))
        .filter((m) => m.args.object?.CallObject === id && !m.args.object.Id);
      assert.equal(creates.length, 2, 'held once, then reached Salesforce once'); // one 'held' entry + one 'in' on release
      assert.equal(creates.filter((m) => m.dir === 'in').length, 1);
      assert.equal(tasks[0].Description, 'Before the reload.');
      assert.equal(tasks[0].WhoId, JANE);
      assert.ok(tasks[0].CallDisposition); // the code id for now (see the click-to-dial test)
      assert.ok(Number(tasks[0].CallDurationInSeconds) >= 0);
    });
  });

  it('Omni-Channel sync both ways through the message channel', async () => {
    await withPage(env, 'widget omni sync', async ({ page }) => {
      const settings = {
        '/reqOmniStateSyncConfig/isOmniStateSyncEnabled': 'true',
        '/reqOmniStateSyncConfig/defaultOmniStateForCall': 'Busy',
        '/reqOmniStateSyncConfig/defaultOmniStateForOmniChannel': 'Meeting',
      };
      const { A } = await openConsole(page, { settings });
      await until(page, () => simConsole.listeners('A').channels.includes('WxccOmniSync__c'), undefined, { message: 'subscribed to the channel' });
      const omniLabel = page.locator('.pane[data-agent=A] .utility-bar .utility-item', { hasText: 'Omni-Channel' });
      assert.equal(await omniLabel.textContent(), '◉ Omni-Channel (Available)');

      // A voice call sets the Omni status; wrap-up restores it.
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+12125550102' }));
      await A.evaluate((x) => simDesktop.answer(x), id);
      await until(page, () => simConsole.omni.status('A').statusName === 'Busy', undefined, { message: 'Omni Busy during the call' });
      await untilEl(omniLabel, (el) => el.textContent.includes('(Busy)'));
      await A.evaluate((x) => simDesktop.end(x), id);
      await A.evaluate((x) => simDesktop.wrapup(x, 'Support'), id);
      await until(page, () => simConsole.omni.status('A').statusName === 'Available', undefined, { message: 'Omni restored after wrap-up' });
      await untilEl(omniLabel, (el) => el.textContent.includes('(Available)'));
      assert.deepEqual(await A.evaluate(() => simDesktop.agentState().subStatus), 'Available');

      // Omni work accepted sets WxCC idle with the configured code; closing it restores.
      await omniLabel.click();
      await page.locator('.pane[data-agent=A] .omni-panel button', { hasText: 'Accept a work item' }).click();
      await until(A, () => simDesktop.agentState().subStatus === 'Idle', undefined, { message: 'WxCC idle during Omni work' });
      assert.equal(await A.evaluate(() => simDesktop.agentState().idleCodeName), 'Meeting');
      await until(A, () => document.querySelector('#agent-state').selectedOptions[0]?.textContent.includes('Meeting'));
      await page.locator('.pane[data-agent=A] .omni-panel .omni-work button', { hasText: 'Close' }).click();
      await until(A, () => simDesktop.agentState().subStatus === 'Available', undefined, { message: 'WxCC restored after the work closed' });
      // Our own changes did not echo back: the Omni status stayed where the agent left it.
      assert.equal(await page.evaluate(() => simConsole.omni.status('A').statusName), 'Available');
      const fromAdapter = await page.evaluate(() => simConsole.omni.messages().filter((m) => m.dir === 'fromAdapter' && m.message.type === 'setStatus').length);
      assert.equal(fromAdapter, 2);
    });
  });

  it('a browser that refuses storage to the softphone: calls still pop and the panel says what is at risk', async () => {
    await withPage(
      env,
      'widget storage blocked',
      async ({ page }) => {
        const { A } = await openConsole(page);
        assert.match(await A.evaluate(() => { try { return String(localStorage.length); } catch (e) { return e.name; } }), /SecurityError/);
        const notices = panel(A).locator('.wsa-notices');
        assert.match(await notices.innerText(), /refuses storage to the softphone/);
        assert.match(await notices.innerText(), /refuses the softphone a writer lock/);
        const id = await A.evaluate(() => simDesktop.ring({ ani: '+12125550101' }));
        await A.evaluate((x) => simDesktop.answer(x), id);
        await until(page, (x) => simConsole.view('A').recordId === x, JANE, { message: 'the Contact popped' });
        await A.evaluate((x) => simDesktop.end(x), id);
        await A.evaluate((x) => simDesktop.wrapup(x, 'Sale'), id);
        await until(page, (x) => simConsole.tasks().filter((t) => t.CallObject === x && t.Status === 'Completed').length === 1, id, { message: 'the Task' });
      },
      { blockThirdPartyData: true },
    );
  });

  it('refuses to start when the desktop URL carries a non-Salesforce sfdcIframeOrigin', async () => {
    await withPage(env, 'widget refuses foreign origin', async ({ page, logs }) => {
      const evil = 'https://evil.example.com';
      await page.goto(env.consoleUrl({ sfdcIframeOrigin: evil }));
      await page.evaluate(() => window.simConsole.ready);
      const A = await softphone(page, 'A');
      assert.equal(new URL(A.url()).searchParams.get('sfdcIframeOrigin'), evil);
      await until(A, () => window.simDesktop && window.simDesktop.layout);
      await A.evaluate(() => window.simDesktop.ready);
      await until(A, () => document.querySelector('wxcc-sfdc-adapter')?.dataset.state === 'refused', undefined, { message: 'refused' });
      const text = await A.locator('wxcc-sfdc-adapter').textContent();
      assert.match(text, /Salesforce adapter not started: sfdcIframeOrigin "https:\/\/evil\.example\.com" is not a Salesforce origin/);
      // The agent sees it where they look: the Salesforce Actions tab.
      const actions = panel(A);
      await untilEl(actions, (el) => el.dataset.state === 'refused');
      assert.ok(await actions.isVisible());
      assert.match(await actions.innerText(), /Salesforce adapter not started: .*nothing was loaded from it/);
      // Nothing was loaded from that origin, Open CTI never started, no listener was bound.
      const loaded = await A.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
      assert.deepEqual(loaded.filter((u) => u.startsWith('https://evil.example.com')), []);
      assert.equal(await A.evaluate(() => document.querySelectorAll('script[src*="evil.example.com"]').length), 0);
      assert.equal(await A.evaluate(() => typeof window.sforce), 'undefined');
      assert.equal(await A.evaluate(() => simDesktop.listening('eAgentOfferContact')), 0);
      assert.deepEqual(await page.evaluate(() => simConsole.calls()), []);
      // The bundle is the real SDK (it found the host global when the script ran), but the widget
      // refused before initialising it.
      assert.ok(logs.some((l) => l.includes(`${WIDGET_PATH}widget.js`) && /Found global .{0,2}AGENTX_SERVICE/.test(l)), logs.join('\n'));
      assert.equal(await A.evaluate(() => simDesktop.log().some((l) => l.name === 'agentx-js-sdk-init')), false);
    });
  });
});

/** Reloads an agent's softphone frame; returns it once the new adapter is active again. */

describe('the Salesforce Actions panel: what the agent sees and does', () => {
  it('several matches with pick: the panel lists them, a pick by keyboard opens the record and relates the call log, and survives a reload', async () => {
    await withPage(env, 'panel pick list', async ({ page }) => {
      const settings = {
        '/reqAdvanceScreenpopConfig/multipleMatchAction': 'pick',
        '/reqActivityRecordConfig/isCallNotesEnabled': 'true',
      };
      const { A } = await openConsole(page, { settings });
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+14155550199', queue: 'Support' }));
      const picks = panel(A).locator('.wsa-pick');
      await untilEl(panel(A), (el) => el.querySelectorAll('.wsa-pick').length === 2, undefined, { message: 'two records to pick from' });
      const labels = await picks.allTextContents();
      assert.deepEqual(labels, ['Maria Garcia · Contact · (415) 555-0199', 'Mario Garcia · Lead · (415) 555-0199']);
      assert.match(await panel(A).textContent(), /2 records match this caller: pick the right one/);
      // Nothing opened by itself: no search page, no guess.
      assert.deepEqual(await page.evaluate(() => simConsole.pops()), []);
      await A.evaluate((x) => simDesktop.answer(x), id);

      // The agent picks the Lead with the keyboard: Tab to it, Enter.
      await picks.first().focus();
      await A.locator('body').press('Tab');
      assert.equal(await A.evaluate(() => document.activeElement?.dataset.recordId), MARIO_LEAD);
      await A.locator('body').press('Enter');
      await until(page, (r) => simConsole.view('A').recordId === r, MARIO_LEAD, { message: 'the Lead picked opens' });
      await untilEl(panel(A), (el) => el.querySelector('.wsa-pick[aria-pressed=true]')?.dataset.recordId === '00Q000000000001AAA');
      assert.match(await panel(A).locator('.wsa-call').textContent(), /Record\s*Lead Mario Garcia/);
      // The panel fits a 400 px softphone: nothing sticks out sideways.
      const overflow = await A.evaluate(() => {
        const el = document.querySelector('wxcc-sfdc-actions');
        el.style.width = '400px';
        return el.scrollWidth - el.clientWidth;
      });
      assert.ok(overflow <= 0, `the panel is ${overflow} px wider than 400 px`);

      // The agent edits the call log's subject (Enter keeps it).
      const subject = panel(A).getByLabel('Call log subject');
      await subject.fill('Import licence question');
      await subject.press('Enter');
      await until(A, async () => (await window.wxccSfdcAdapter).currentCall()?.subject === 'Import licence question');

      const A2 = await reloadSoftphone(page, 'A');
      await untilEl(panel(A2), (el) => el.querySelector('.wsa-pick[aria-pressed=true]')?.dataset.recordId === '00Q000000000001AAA', undefined, {
        message: 'the pick is still shown after the reload',
      });
      assert.equal(await panel(A2).getByLabel('Call log subject').inputValue(), 'Import licence question');
      await A2.evaluate((x) => simDesktop.end(x), id);
      await A2.evaluate((x) => simDesktop.wrapup(x, 'Support'), id);
      const task = await until(page, (x) => simConsole.tasks().find((t) => t.CallObject === x && t.Status === 'Completed'), id, { message: 'the Task' });
      assert.equal(task.WhoId, MARIO_LEAD);
      assert.equal(task.Subject, 'Import licence question');
      assert.equal((await tasksOf(page, id)).length, 1);
      assert.equal((await page.evaluate(() => simConsole.pops())).filter((p) => p.recordId === MARIA).length, 0, 'the Contact was never opened');
    });
  });

  it('a dial the desktop refuses is shown at the top of the panel, in words', async () => {
    await withPage(env, 'panel dial refused', async ({ page }) => {
      const { A } = await openConsole(page);
      await A.evaluate(() => simDesktop.refuseNext('dialer.startOutdial', 'Agent is not available to make an outdial call'));
      await page.locator('[data-testid=workspace-A]').waitFor();
      await page.locator('.pane[data-agent=A] nav.tabs a', { hasText: 'Contacts' }).click();
      await page.locator('[data-testid=workspace-A] a', { hasText: 'Sam Carter' }).click();
      await until(page, (id) => simConsole.view('A').recordId === id, SAM);
      await page.locator('[data-testid=workspace-A] dd[data-field=Phone] a.click-to-dial').click();

      const alert = panel(A).locator('[role=alert] li').first();
      await untilEl(panel(A), (el) => /Your call was not placed/.test(el.querySelector('[role=alert]')?.textContent ?? ''), undefined, { message: 'the refusal on top' });
      assert.equal(
        await alert.textContent(),
        'Your call was not placed: the desktop refused to dial (Agent is not available to make an outdial call). Dial again.',
      );
      // On top: the alert comes before the call and everything else in the panel.
      const order = await A.evaluate(() => {
        const root = document.querySelector('wxcc-sfdc-actions');
        const alertBox = root.querySelector('[role=alert]');
        const call = root.querySelector('.wsa-call');
        return alertBox.compareDocumentPosition(call) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
      assert.ok(order, 'the alert is above the call');
      assert.equal((await A.evaluate(() => simDesktop.outdials())).length, 0, 'nothing was dialed');

      // Dialing again works, and the old refusal goes away.
      await page.locator('[data-testid=workspace-A] dd[data-field=Phone] a.click-to-dial').click();
      await until(A, () => simDesktop.outdials().length === 1, undefined, { message: 'the second dial goes out' });
      await untilEl(panel(A), (el) => !/Your call was not placed/.test(el.textContent), undefined, { message: 'the refusal is cleared' });
    });
  });
});
