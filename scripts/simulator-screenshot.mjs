#!/usr/bin/env node
// Takes docs/simulator.png for the README: the demo simulator (as ./scripts/demo serves it, on free
// ports) with a call answered, the caller's Contact popped in the console and notes typed in the
// softphone's Salesforce Actions panel. Needs the builds ./scripts/demo makes (www/widget/dist,
// www/pkg) and Debian's chromium. Usage: node scripts/simulator-screenshot.mjs [OUT.png]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { DEMO_OPTIONS, startSimServers } from '../www/sim/server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(repo, 'docs', 'simulator.png'));
const sim = await startSimServers({ ...DEMO_OPTIONS, consolePort: 0, desktopPort: 0 });
// A profile that allows third-party site data (as the agents' browsers must for the desktop frame).
const profile = mkdtempSync(join(tmpdir(), 'wxcc-shot-'));
mkdirSync(join(profile, 'Default'));
writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu'],
  viewport: { width: 1280, height: 900 },
  deviceScaleFactor: 1,
});
const wait = (target, fn, arg) => target.waitForFunction(fn, arg, { timeout: 20000, polling: 50 });
try {
  const page = await context.newPage();
  await page.goto(`${sim.consoleOrigin}/`);
  await page.evaluate(() => window.simConsole.ready);
  await wait(page, () => document.querySelector('iframe[name="softphone-A"]')?.src);
  let phone;
  while (!(phone = page.frame({ name: 'softphone-A' })) || phone.url() === 'about:blank') await page.waitForEvent('framenavigated');
  await wait(phone, () => document.querySelector('wxcc-sfdc-actions [role=status]')?.textContent.startsWith('Active'));
  await wait(phone, () => window.simDesktop.listening('eAgentOfferContact') > 0);
  // What the README tells a newcomer to do: ring, answer, type notes.
  await phone.locator('#ring').click();
  await phone.locator('#calls [data-action=answer]').click();
  await wait(page, () => window.simConsole.view('A').recordName === 'Jane Doe');
  const notes = phone.locator('wxcc-sfdc-actions').getByLabel('Call notes');
  await notes.pressSequentially('Asked about invoice 42; sending a corrected copy.');
  await notes.blur();
  await phone.evaluate(() => window.scrollTo(0, 0));
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  await sim.close();
}
