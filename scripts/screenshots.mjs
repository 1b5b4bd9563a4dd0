#!/usr/bin/env node
// Follows the README walk-through ("Try it: place a call") in the demo as ./scripts/demo serves it
// (DEMO_OPTIONS, on free ports), checks at each step that the screen shows what the README says,
// and retakes its pictures: docs/simulator.png (Jane Doe popped, the call answered, notes typed)
// and docs/pick-list.png (two records match (415) 555-0199: the pick list in Salesforce Actions).
// A step that does not show what the README says stops the script with the step's name.
// Needs the builds ./scripts/demo makes (www/widget/dist, www/pkg) and Debian's chromium; run it
// through ./scripts/screenshots, which makes them. Usage: node scripts/screenshots.mjs [OUT_DIR]
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DEMO_OPTIONS, startSimServers } from '../www/sim/server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(repo, 'docs'));

const sim = await startSimServers({ ...DEMO_OPTIONS, consolePort: 0, desktopPort: 0 });
// A profile that allows third-party site data (as the agents' browsers must for the desktop frame).
const profile = mkdtempSync(join(tmpdir(), 'wxcc-shot-'));
mkdirSync(join(profile, 'Default'));
writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
});

let step = 'start';
const wait = (target, fn, arg) => target.waitForFunction(fn, arg, { timeout: 20000, polling: 50 });
const said = (what) => console.log(`  ✓ ${step}: ${what}`);
const shot = async (page, name, options = {}) => {
  const path = join(outDir, name);
  await page.mouse.move(0, 0);
  await page.screenshot({ path, ...options });
  console.log(`wrote ${path} (${Math.round(statSync(path).size / 1024)} KB)`);
};

try {
  const page = await context.newPage();
  const frame = async (agent) => {
    await wait(page, (a) => document.querySelector(`iframe[name="softphone-${a}"]`)?.src, agent);
    let f;
    while (!(f = page.frame({ name: `softphone-${agent}` })) || f.url() === 'about:blank') await page.waitForEvent('framenavigated');
    return f;
  };
  const panel = (phone) => phone.locator('wxcc-sfdc-actions');
  const omni = (agent) => page.locator(`.pane[data-agent=${agent}] .utility-bar .utility-item`, { hasText: 'Omni-Channel' });
  /** Opens (or reloads) the console; waits until both agents' adapters are active. */
  const openConsole = async () => {
    await page.evaluate(() => window.simConsole.ready);
    const phones = { A: await frame('A'), B: await frame('B') };
    for (const phone of Object.values(phones)) {
      await wait(phone, () => document.querySelector('wxcc-sfdc-actions [role=status]')?.textContent.startsWith('Active'));
      await wait(phone, () => window.simDesktop.listening('eAgentContactWrappedUp') > 0);
    }
    return phones;
  };
  const call = (phone) => phone.locator('#calls li.call').last();
  const wrapUp = async (phone, reason) => {
    await call(phone).locator('.wrapup-reason').selectOption({ label: reason });
    await call(phone).locator('button', { hasText: 'Wrap up' }).click();
  };
  const finish = async (phone, reason = 'Sale') => {
    await call(phone).locator('[data-action=end]').click();
    await wrapUp(phone, reason);
  };

  step = '1. The console';
  await page.goto(`${sim.consoleOrigin}/`);
  let { A, B } = await openConsole();
  if ((await page.locator('.pane').count()) !== 2) throw new Error('two panes');
  if (!/Alice Agent/.test(await A.locator('#agent-name').textContent()) || !/Bob Agent/.test(await B.locator('#agent-name').textContent())) throw new Error('Alice left, Bob right');
  said('Alice (left) and Bob (right), each with a Phone panel; Salesforce Actions says "Active: handling calls."');
  if (!/adapter URL must use https/.test(await panel(A).innerText())) throw new Error('the definition list flags the http desktop');
  said('the Call center definition list flags the plain-http desktop address');
  if ((await omni('A').textContent()) !== '◉ Omni-Channel (Available)') throw new Error('Omni-Channel (Available)');
  said('the bottom bar shows ◉ Omni-Channel (Available)');

  step = '2. Ring';
  if ((await A.locator('#ring-ani').inputValue()) !== '+12125550101') throw new Error('ANI +12125550101');
  await A.locator('#ring').click();
  await wait(A, () => document.querySelector('#calls .badge')?.textContent === 'offered');
  await wait(page, () => window.simConsole.view('A').recordName === 'Jane Doe');
  said("the call is offered and Jane Doe's Contact page opens (the pop, before Answer)");
  await wait(A, () => /Record\s*Contact Jane Doe/.test(document.querySelector('wxcc-sfdc-actions .wsa-call')?.textContent ?? ''));
  const callText = await panel(A).locator('.wsa-call').innerText();
  if (!/Inbound/.test(callText) || !/\+12125550101/.test(callText) || !/Sales/.test(callText)) throw new Error(`the call in the panel: ${callText}`);
  if (!/Opened 003000000000001AAA \(one match\)/.test(await panel(A).innerText())) throw new Error('Why this record');
  said('Salesforce Actions shows Inbound, +12125550101, Sales, Contact Jane Doe, and Why this record');

  step = '3. Answer';
  await call(A).locator('[data-action=answer]').click();
  await wait(A, () => document.querySelector('#calls .badge')?.textContent === 'connected');
  await wait(page, () => window.simConsole.omni.status('A').statusName === 'Busy');
  if ((await omni('A').textContent()) !== '◉ Omni-Channel (Busy)') throw new Error('Omni-Channel (Busy)');
  said('connected; Omni-Channel (Busy) in the bottom bar');

  step = '4. Notes';
  const notes = panel(A).getByLabel('Call notes');
  await notes.click();
  await notes.pressSequentially('Asked about invoice 42; sending a corrected copy.');
  await notes.blur();
  const subject = await panel(A).getByLabel('Call log subject').inputValue();
  if (!/^Inbound Call \d\d-\d\d-\d{4} \d\d:\d\d [AP]M$/.test(subject)) throw new Error(`Call log subject: ${subject}`);
  said(`notes typed; Call log subject is "${subject}"`);
  await A.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'simulator.png');

  step = '5. Wrap up';
  await finish(A);
  const task = await wait(page, () => window.simConsole.tasks().find((t) => t.Status === 'Completed')).then((h) => h.jsonValue());
  await wait(page, () => window.simConsole.omni.status('A').statusName === 'Available');
  await wait(A, (id) => new RegExp(`Call log\\s*${id}`).test(document.querySelector('wxcc-sfdc-actions .wsa-call')?.textContent ?? ''), task.Id);
  said(`the Task is written (the panel's Call log: ${task.Id}); Omni-Channel (Available) again`);

  step = '6. The Task';
  const history = page.locator('[data-testid=workspace-A] [data-related="Activity History"]');
  await wait(page, () => /Inbound Call .* · Completed/.test(document.querySelector('[data-testid=workspace-A] [data-related="Activity History"]')?.textContent ?? ''));
  said(`Activity History lists "${(await history.locator('li').first().innerText()).trim()}"`);
  await history.locator('a').first().click();
  await wait(page, (id) => window.simConsole.view('A').recordId === id, task.Id);
  const details = await page.locator('[data-testid=workspace-A] .details').innerText();
  for (const field of ['Subject', 'CallDurationInSeconds', 'CallDisposition', 'Description']) if (!details.includes(field)) throw new Error(`the Task shows ${field}`);
  if (!details.includes('Asked about invoice 42')) throw new Error('the notes in Description');
  if (!/CallDisposition\s*Sale/.test(details)) throw new Error('CallDisposition Sale');
  said('the Task shows Subject, CallDurationInSeconds, CallDisposition (Sale) and the notes in Description');
  await page.reload();
  ({ A, B } = await openConsole());
  if (!(await page.evaluate((id) => window.simConsole.record(id), task.Id))) throw new Error('the Task after a reload');
  said('after a reload of the page the Task is still there');

  step = '7. Several matches';
  const popsBefore = (await page.evaluate(() => window.simConsole.pops())).length;
  await A.locator('#ring-ani').fill('+14155550199');
  await A.locator('#ring').click();
  await wait(A, () => document.querySelectorAll('wxcc-sfdc-actions .wsa-pick').length === 2);
  const picks = await panel(A).locator('.wsa-pick').allTextContents();
  if (picks.join('|') !== 'Maria Garcia · Contact · (415) 555-0199|Mario Garcia · Lead · (415) 555-0199') throw new Error(`picks: ${picks}`);
  if (!/2 records match this caller: pick the right one/.test(await panel(A).innerText())) throw new Error('the pick list heading');
  if ((await page.evaluate(() => window.simConsole.pops())).length !== popsBefore) throw new Error('nothing opens by itself');
  said(`nothing opens; the panel lists ${picks.join(' / ')}`);
  await A.evaluate(() => window.scrollTo(0, 0));
  // The Phone panel from the offered call down to the pick list.
  const frameBox = await page.locator('iframe[name="softphone-A"]').boundingBox();
  const top = await call(A).boundingBox();
  const bottom = await panel(A).locator('.wsa-pick').last().boundingBox();
  await shot(page, 'pick-list.png', { clip: { x: frameBox.x, y: top.y - 3, width: frameBox.width, height: bottom.y + bottom.height + 5 - (top.y - 3) } });
  await panel(A).locator('.wsa-pick', { hasText: 'Mario Garcia' }).click();
  await wait(page, () => window.simConsole.view('A').recordName === 'Mario Garcia');
  said("a press on Mario Garcia opens the Lead's page");
  await call(A).locator('[data-action=answer]').click();
  await finish(A);
  await wait(page, () => window.simConsole.tasks().some((t) => t.WhoId === '00Q000000000001AAA' && t.Status === 'Completed'));
  said('the call log is related to the Lead');

  step = '8. Agent B';
  await A.locator('#ring-ani').fill('+12125550101');
  await A.locator('#ring').click();
  await call(A).locator('[data-action=answer]').click();
  const transferred = await A.evaluate(() => window.simDesktop.current());
  await call(A).locator('button', { hasText: 'Transfer to B' }).click();
  await wait(B, () => document.querySelector('#calls .badge')?.textContent === 'offered');
  await wait(page, () => window.simConsole.view('B').recordName === 'Jane Doe');
  said("Bob is offered the call and his console pops Jane Doe's page");
  await wrapUp(A, 'Transferred');
  await call(B).locator('[data-action=answer]').click();
  await finish(B, 'Support');
  const logs = await wait(page, (x) => {
    const t = window.simConsole.tasks().filter((t) => t.CallObject === x);
    return t.length && t.every((t) => t.Status === 'Completed') && t;
  }, transferred).then((h) => h.jsonValue());
  const owners = logs.map((t) => t.OwnerId).sort();
  const users = await page.evaluate(() => [window.simConsole.userId('A'), window.simConsole.userId('B')].sort());
  if (owners.join() !== users.join()) throw new Error(`one Task per agent (the demo's definition), not ${JSON.stringify(logs)}`);
  said("Alice's and Bob's own Task for the transferred call (ownership change is off in the demo)");

  step = 'More to try';
  await A.locator('#ring-ani').fill('+13035550123');
  const viewBefore = await page.evaluate(() => window.simConsole.view('A').url);
  await A.locator('#ring').click();
  await wait(A, () => /No record matched/.test(document.querySelector('wxcc-sfdc-actions')?.textContent ?? ''));
  if ((await page.evaluate(() => window.simConsole.view('A').url)) !== viewBefore) throw new Error('nothing pops for +13035550123');
  said('+13035550123: nothing pops, Why this record says no record matched');
  await call(A).locator('[data-action=decline]').click();
  await page.locator('.pane[data-agent=A] nav.tabs a', { hasText: 'Contacts' }).click();
  await page.locator('[data-testid=workspace-A] a', { hasText: 'Sam Carter' }).click();
  const dial = page.locator('[data-testid=workspace-A] dd[data-field=Phone] a.click-to-dial');
  if ((await dial.innerText()) !== '☎ +1 (720) 555-0188') throw new Error(`Sam's number: ${await dial.innerText()}`);
  await dial.click();
  const dialed = await wait(A, () => window.simDesktop.outdials()[0]?.destination).then((h) => h.jsonValue());
  if (dialed !== '7205550188') throw new Error(`dialed ${dialed}`);
  await wait(A, () => /Record\s*Contact Sam Carter/.test(document.querySelector('wxcc-sfdc-actions .wsa-call')?.textContent ?? ''));
  said('click-to-dial on Sam Carter dials 7205550188, related to Sam');
  await finish(A);
  await omni('A').click();
  await page.locator('.pane[data-agent=A] .omni-panel button', { hasText: 'Accept a work item' }).click();
  await wait(A, () => document.querySelector('#agent-state').selectedOptions[0]?.textContent === 'Idle · Not Ready');
  await page.locator('.pane[data-agent=A] .omni-panel .omni-work button', { hasText: 'Close' }).click();
  await wait(A, () => window.simDesktop.agentState().subStatus === 'Available');
  said('an Omni-Channel work item sets WxCC Idle · Not Ready until it is closed');
  await page.goto(`${sim.consoleOrigin}/?agents=A`);
  await page.evaluate(() => window.simConsole.ready);
  if ((await page.locator('.pane').count()) !== 1) throw new Error('?agents=A shows Alice alone');
  said('?agents=A shows Alice alone');
  console.log('The walk-through shows what the README says.');
} catch (error) {
  error.message = `${step}: ${error.message}`;
  throw error;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await sim.close();
}
