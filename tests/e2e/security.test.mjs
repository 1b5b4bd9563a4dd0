// Security checks of the widget end to end (issue 8), on the production path of widget.test.mjs
// but with the desktop served under a strict Content-Security-Policy, as a locked-down WxCC
// desktop may be: scripts only from the desktop itself, the widget host and the Salesforce console
// (the policy docs/admin-guide.md gives), wasm compiled without `unsafe-eval`, no inline script. Also: messages from a foreign origin that imitate the
// console's Open CTI messages change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startE2E, until, withPage } from './harness.mjs';
import { delivered, openWidgetConsole, panel, tasksOf } from './widget-console.mjs';

const JANE = '003000000000001AAA'; // (212) 555-0101
const STRICT_CSP = "script-src 'self' {widgets} {console} 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'";

let env;
before(async () => {
  env = await startE2E({ desktopCsp: STRICT_CSP });
});
after(async () => {
  await env?.close();
});

/** Records every CSP violation of every frame of the tab, from the first script on. */
async function watchViolations(context) {
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });
}

describe('security of the widget in the console softphone', () => {
  it('works under a strict CSP: no unsafe-eval, no inline script, scripts from self, the widget host and the console only', async () => {
    await withPage(env, 'security strict csp', async ({ context, page }) => {
      await watchViolations(context);
      const { A } = await openWidgetConsole(env, page);
      const response = await A.evaluate(() => fetch(location.href).then((r) => r.headers.get('content-security-policy')));
      assert.equal(response, STRICT_CSP.replace('{widgets}', env.widgetOrigin).replace('{console}', env.consoleOrigin), 'the desktop is served with the strict policy');

      // A whole call: pop on answer, Task on wrap-up.
      const id = await A.evaluate(() => simDesktop.ring({ ani: '+12125550101', dnis: '+18005550100', queue: 'Sales' }));
      await A.locator(`[data-interaction-id="${id}"] [data-action=answer]`).click();
      await until(page, () => simConsole.view('A').recordId, undefined, { message: 'a record page' });
      assert.equal(await page.evaluate(() => simConsole.view('A').recordId), JANE);
      await A.evaluate((x) => simDesktop.end(x), id);
      await A.evaluate((x) => simDesktop.wrapup(x, 'Sale'), id);
      await delivered(A, 'eAgentContactWrappedUp', id, 1);
      await until(page, (x) => simConsole.tasks().some((t) => t.CallObject === x), id, { message: 'the call logged' });
      assert.equal((await tasksOf(page, id)).length, 1);
      assert.match(await panel(A).textContent(), /Active/);

      assert.deepEqual(await A.evaluate(() => window.cspViolations), [], 'nothing the widget does is refused by the policy');
      // The policy is in force (so the empty list above means something): an inline script is refused.
      await A.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'window.inlineRan = true';
        document.head.append(s);
      });
      await until(A, () => window.cspViolations.length > 0, undefined, { message: 'the inline script refused' });
      assert.equal(await A.evaluate(() => window.inlineRan ?? false), false);
      assert.equal(await A.evaluate(() => window.cspViolations[0].directive), 'script-src-elem');
    });
  });

  it('ignores Open CTI messages from a foreign origin: a forged click-to-dial dials nothing', async () => {
    await withPage(env, 'security foreign origin', async ({ page }) => {
      const { A } = await openWidgetConsole(env, page);
      await until(page, () => simConsole.listeners('A').onClickToDial, undefined, { message: 'click-to-dial listened' });
      const click = {
        apiVersion: 57,
        apiType: 'opencti',
        methodName: 'onClickToDial',
        shouldExecuteListener: true,
        response: { success: true, returnValue: { number: '+1 (212) 555-0101', recordId: JANE, objectType: 'Contact' }, errors: null },
      };
      // Another Salesforce org's page in the same tab, and the desktop's own origin: not the console.
      const evilOrigin = env.consoleOrigin.replace('acme.', 'evil.');
      await page.evaluate((src) => {
        const f = document.createElement('iframe');
        f.name = 'evil';
        f.src = src;
        document.body.append(f);
        return new Promise((resolve) => f.addEventListener('load', resolve));
      }, `${evilOrigin}/sim/org.json`);
      const evil = page.frame({ name: 'evil' });
      assert.equal(await evil.evaluate(() => location.origin), evilOrigin);
      await evil.evaluate((m) => window.top.frames['softphone-A'].postMessage(m, '*'), click);
      await A.evaluate((m) => window.postMessage(m, '*'), click);
      // The same message from the console itself dials once: the forged ones were well-formed.
      await page.evaluate((m) => simConsole.postToSoftphone('A', m), click);
      await until(A, () => simDesktop.outdials().length > 0, undefined, { message: 'the console click dialed' });
      // A round trip after the three messages: each was handled (or dropped) before it returns.
      await A.evaluate(() => new Promise((resolve) => sforce.opencti.getAppViewInfo({ callback: resolve })));
      assert.equal((await A.evaluate(() => simDesktop.outdials())).length, 1, 'only the console origin dials');
    });
  });
});
