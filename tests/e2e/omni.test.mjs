// The console's Omni-Channel widget plays the Aura bridge of docs/contracts.md on the Lightning
// message channel WxccOmniSync__c: a softphone publishes setStatus/getStatus through Open CTI and
// hears statusChanged (with its requestId), workAccepted, workClosed and loggedOut.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoDir, softphone, startE2E, until, withPage } from './harness.mjs';

const CHANNEL = 'WxccOmniSync__c';
const BUSY = '0N5000000000002AAA';
const NOT_READY = '0N5000000000003AAA';
const USER_A = '005000000000001AAA';

let env;
before(async () => {
  env = await startE2E({ mounts: { '/e2e/': join(repoDir, 'tests/e2e/pages') } });
});
after(async () => {
  await env?.close();
});

async function subscribed(page) {
  await page.goto(env.consoleUrl({ adapterUrl: `${env.desktopOrigin}/e2e/opencti-page.html` }));
  await page.evaluate(() => window.simConsole.ready);
  const phone = await softphone(page, 'A');
  await until(phone, () => window.ctiState === 'ready', undefined, { message: 'opencti ready' });
  const response = await phone.evaluate((c) => subscribe(c), CHANNEL);
  assert.equal(response.success, true);
  // As Salesforce's library: the subscription is an opaque frozen object the library keeps and
  // sets on the answer (it crosses into the test as {}).
  assert.deepEqual(response.subscription, {});
  return phone;
}

const bridgeMessages = (phone) =>
  phone.evaluate((c) => received.filter((r) => r.channel === c && r.payload.source === 'bridge').map((r) => r.payload), CHANNEL);

describe('Omni-Channel bridge on the message channel', () => {
  it('answers setStatus and getStatus with statusChanged carrying the requestId', async () => {
    await withPage(env, 'omni setStatus', async ({ page }) => {
      const phone = await subscribed(page);
      const published = await phone.evaluate((c) => cti('publish', { channelName: c, message: { source: 'adapter', type: 'setStatus', statusId: '0N5000000000002AAA', requestId: 'req-1' } }), CHANNEL);
      assert.equal(published.success, true);
      const answer = await until(phone, (c) => received.find((r) => r.channel === c && r.payload.type === 'statusChanged')?.payload, CHANNEL);
      assert.deepEqual(answer, { source: 'bridge', type: 'statusChanged', statusId: BUSY, statusName: 'Busy', requestId: 'req-1' });
      assert.deepEqual(await page.evaluate(() => simConsole.omni.status('A')), { statusId: BUSY, statusName: 'Busy' });
      assert.equal(await page.evaluate((u) => simConsole.org.omniStatus(u), USER_A), BUSY);
      assert.equal(await page.locator('[data-testid=omni-status-A]').inputValue(), BUSY);
      // Lightning message service delivers a published message to every subscriber, the publisher too.
      assert.ok(await phone.evaluate((c) => received.some((r) => r.channel === c && r.payload.source === 'adapter' && r.payload.requestId === 'req-1'), CHANNEL));

      await phone.evaluate((c) => cti('publish', { channelName: c, message: { source: 'adapter', type: 'getStatus', requestId: 'req-2' } }), CHANNEL);
      const status = await until(phone, (c) => received.find((r) => r.channel === c && r.payload.requestId === 'req-2' && r.payload.source === 'bridge')?.payload, CHANNEL);
      assert.deepEqual(status, { source: 'bridge', type: 'statusChanged', statusId: BUSY, statusName: 'Busy', requestId: 'req-2' });
    });
  });

  it('reports the agent\'s own changes and work items without a requestId', async () => {
    await withPage(env, 'omni agent changes', async ({ page }) => {
      const phone = await subscribed(page);
      // The agent picks a status in the Omni-Channel widget.
      await page.locator('.utility-item', { hasText: 'Omni-Channel' }).click();
      await page.selectOption('[data-testid=omni-status-A]', NOT_READY);
      const changed = await until(phone, (c) => received.find((r) => r.channel === c && r.payload.type === 'statusChanged')?.payload, CHANNEL);
      assert.deepEqual(changed, { source: 'bridge', type: 'statusChanged', statusId: NOT_READY, statusName: 'Not Ready' });

      const work = await page.evaluate(() => simConsole.omni.acceptWork('A'));
      await page.evaluate((w) => simConsole.omni.closeWork('A', w.workId), work);
      await page.evaluate(() => simConsole.omni.logout('A'));
      await until(phone, (c) => received.filter((r) => r.channel === c && r.payload.source === 'bridge').length === 4, CHANNEL);
      const messages = await bridgeMessages(phone);
      assert.deepEqual(messages.slice(1), [
        { source: 'bridge', type: 'workAccepted', workId: work.workId, workItemId: work.workItemId },
        { source: 'bridge', type: 'workClosed', workId: work.workId, workItemId: work.workItemId },
        { source: 'bridge', type: 'loggedOut' },
      ]);
      assert.deepEqual(await page.evaluate(() => simConsole.omni.status('A')), { statusId: null, statusName: 'Offline' });
      // Every message of the channel is on record for tests.
      const log = await page.evaluate(() => simConsole.omni.messages().map((m) => `${m.dir}:${m.message.type}`));
      assert.deepEqual(log, ['fromBridge:statusChanged', 'fromBridge:workAccepted', 'fromBridge:workClosed', 'fromBridge:loggedOut']);
    });
  });

  it('stops delivering after unsubscribe; ignores an unknown status id', async () => {
    await withPage(env, 'omni unsubscribe', async ({ page }) => {
      const phone = await subscribed(page);
      await phone.evaluate((c) => cti('publish', { channelName: c, message: { source: 'adapter', type: 'setStatus', statusId: 'no-such-status', requestId: 'req-x' } }), CHANNEL);
      await phone.evaluate((c) => cti('publish', { channelName: c, message: { source: 'adapter', type: 'getStatus', requestId: 'req-y' } }), CHANNEL);
      await until(phone, (c) => received.some((r) => r.channel === c && r.payload.requestId === 'req-y' && r.payload.source === 'bridge'), CHANNEL);
      assert.equal(await phone.evaluate(() => received.some((r) => r.payload.requestId === 'req-x' && r.payload.source === 'bridge')), false);

      // Unsubscribe: the client sends unsubscribe when its last listener goes.
      await phone.evaluate(() => new Promise((resolve) => sforce.opencti.subscribe({ channelName: 'Other__c', listener() {}, callback: (r) => { window.otherSubscription = r.subscription; resolve(r); } })));
      await phone.evaluate(() => new Promise((resolve) => sforce.opencti.unsubscribe({ subscription: window.otherSubscription, callback: resolve })));
      await until(page, () => simConsole.calls('unsubscribe', 'A').length === 1);
      assert.deepEqual((await page.evaluate(() => simConsole.calls('unsubscribe', 'A')))[0].args, { eventName: 'Other__c' });
      assert.deepEqual(await page.evaluate(() => simConsole.listeners('A').channels), [CHANNEL]);
    });
  });
});
