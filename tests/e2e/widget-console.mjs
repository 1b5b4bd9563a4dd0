// The agent widget in the simulator's console, shared by the end-to-end files that drive calls
// through it (widget, security): open the console and wait until every agent's adapter is active
// on the real SDK from the shipped layout; wait for events and elements.
import assert from 'node:assert/strict';
import { softphone, until, WIDGET_HOST, WIDGET_PATH } from './harness.mjs';

export const SHIPPED_LAYOUT = '/layouts/wxcc-sfdc-desktop-layout.json';

/**
 * Opens the console with these agents and call center settings overrides, waits until each
 * agent's adapter is active (listeners bound after the SDK's init, Open CTI initialised) and checks
 * that it runs on the real SDK, from the shipped layout. Returns {A: frame, B: frame}.
 */
/** Agent `agent`'s softphone frame once its desktop is loaded and its adapter active and listening. */
export async function activeSoftphone(page, agent) {
  const phone = await softphone(page, agent);
  await until(phone, () => window.simDesktop && window.simDesktop.layout, undefined, { message: `desktop of ${agent}` });
  await phone.evaluate(() => window.simDesktop.ready);
  await until(phone, () => document.querySelector('wxcc-sfdc-actions [role=status]')?.textContent.startsWith('Active'), undefined, {
    message: `the adapter of ${agent} active`,
  });
  await until(phone, () => simDesktop.listening('eAgentOfferContact') > 0 && simDesktop.listening('eAgentContactWrappedUp') > 0);
  return phone;
}

export async function openWidgetConsole(env, page, { agents = ['A'], settings = {} } = {}) {
  await page.goto(env.consoleUrl({ agents: agents.join(','), settingsJson: settings }));
  await page.evaluate(() => window.simConsole.ready);
  const frames = {};
  for (const agent of agents) {
    const phone = await activeSoftphone(page, agent);
    await until(page, (a) => simConsole.calls('notifyInitializationComplete', a).length === 1, agent, { message: `notifyInitializationComplete from ${agent}` });
    await assertRealSdk(phone);
    frames[agent] = phone;
  }
  return frames;
}

/**
 * The widget is the production bundle from the shipped layout, loaded from the widget host (its
 * own origin, as in production), with the real SDK: only the SDK's
 * Desktop.config.init publishes `agentx-js-sdk-init` (through AGENTX_SERVICE.webexMetrics, which
 * the host records), and its AgentContact API is what bound the listeners on the host.
 */
export async function assertRealSdk(phone) {
  const layout = await phone.evaluate(() => window.simDesktop.layout);
  assert.equal(new URL(layout.url, phone.url()).pathname, SHIPPED_LAYOUT);
  assert.equal(layout.fallback, false);
  assert.deepEqual(
    layout.scripts.map((s) => [new URL(s.src).hostname, new URL(s.src).pathname, s.status]),
    [[WIDGET_HOST, `${WIDGET_PATH}widget.js`, 'loaded']],
  );
  const ours = layout.comps.filter((c) => c.comp.startsWith('wxcc-sfdc-'));
  assert.deepEqual(ours.map((c) => c.comp), ['wxcc-sfdc-adapter', 'wxcc-sfdc-actions']);
  for (const c of ours) assert.equal(c.attributes.trustedOrigins ?? c.attributes.trustedorigins, undefined, 'the shipped layout adds no trusted origin');
  const init = await until(phone, () => simDesktop.log().find((l) => l.dir === 'metric' && l.name === 'agentx-js-sdk-init'));
  assert.deepEqual(init.payload, { widgetName: 'wxcc-sfdc-adapter', widgetProvider: 'wxcc-sfdc-adapter' });
}

export const panel = (phone) => phone.locator('wxcc-sfdc-actions');

/** Waits until `fn(element, arg)` is truthy for the element of a locator (in its own frame). */
export async function untilEl(locator, fn, arg, options) {
  const handle = await locator.elementHandle();
  const frame = await handle.ownerFrame();
  return until(frame, ([el, src, a]) => new Function('el', 'arg', `return (${src})(el, arg)`)(el, a), [handle, fn.toString(), arg], options);
}
export const tasksOf = (page, interactionId) => page.evaluate((id) => simConsole.tasks().filter((t) => t.CallObject === id), interactionId);

/**
 * Waits until the desktop delivered `name` for this interaction `count` times, then until every
 * Open CTI request the adapter made in reaction reached the console (messages from one window
 * arrive in order, so a round trip sent after them comes back after them).
 */
export async function delivered(phone, name, id, count) {
  await until(phone, ([n, x, c]) => simDesktop.events(n, x).filter((e) => e.listeners > 0).length >= c, [name, id, count], { message: `${name} delivered` });
  await phone.evaluate(() => new Promise((resolve) => sforce.opencti.getAppViewInfo({ callback: resolve })));
}

/** Reloads agent `agent`'s softphone frame and waits until its adapter is active again; the new frame. */
export async function reloadSoftphone(page, agent) {
  const name = `softphone-${agent}`;
  await page.frame({ name }).evaluate(() => {
    window.beforeReload = true;
  });
  await page.evaluate((a) => simConsole.reloadSoftphone(a), agent);
  const started = Date.now();
  for (;;) {
    try {
      await page.frame({ name }).waitForFunction(() => !window.beforeReload && window.simDesktop && window.simDesktop.layout, undefined, { timeout: 15000, polling: 50 });
      break;
    } catch (error) {
      // The old document went away while waiting: wait in the new one.
      if (Date.now() - started > 15000 || !/context was destroyed|navigat|detached/i.test(error.message)) throw error;
    }
  }
  const frame = page.frame({ name });
  await frame.evaluate(() => window.simDesktop.ready);
  await until(frame, () => document.querySelector('wxcc-sfdc-actions [role=status]')?.textContent.startsWith('Active'), undefined, { message: 'adapter active after reload' });
  await until(frame, () => simDesktop.listening('eAgentContactWrappedUp') > 0);
  await assertRealSdk(frame);
  return frame;
}
