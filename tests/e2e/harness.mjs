// Shared set-up for the end-to-end tests: the simulator's servers on HTTPS (console as
// https://acme.my.salesforce.com:PORT through --host-resolver-rules, desktop on https://127.0.0.1:PORT2),
// headless Debian Chromium through playwright-core, and a screenshot (plus the pages' console
// output) in test-results/ when a test fails. No sleeps: wait for conditions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startSimServers } from '../../www/sim/server.mjs';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resultsDir = join(repoDir, 'test-results');
export const CONSOLE_HOST = 'acme.my.salesforce.com';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--ignore-certificate-errors',
  '--host-resolver-rules=MAP *.my.salesforce.com 127.0.0.1, MAP *.force.com 127.0.0.1',
];

/**
 * Starts the simulator's servers once per test file.
 * @param {{mounts?: Record<string,string>, desktopCsp?: string}} [options] extra folders on the desktop
 * origin; a Content-Security-Policy for the desktop origin (`{console}`: the console origin)
 */
export async function startE2E(options = {}) {
  const sim = await startSimServers({
    consolePort: 0,
    desktopPort: 0,
    consoleHost: CONSOLE_HOST,
    desktopHost: '127.0.0.1',
    mounts: options.mounts,
    desktopCsp: options.desktopCsp,
  });
  return {
    sim,
    consoleOrigin: sim.consoleOrigin,
    desktopOrigin: sim.desktopOrigin,
    /** The console URL with query parameters (non-string values are JSON-encoded). */
    consoleUrl(query = {}) {
      const url = new URL('/', sim.consoleOrigin);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      return url.href;
    },
    browser: null,
    closers: [],
    onClose(fn) {
      this.closers.push(fn);
    },
    async close() {
      for (const fn of this.closers.splice(0)) await fn();
      await sim.close();
    },
  };
}

/**
 * The browser of a test file: a new profile that allows third-party site data, as a WxCC agent's
 * browser must (the desktop is a third-party frame in Salesforce and keeps its state in storage).
 * Playwright turns ThirdPartyStoragePartitioning off, and without partitioning Chromium refuses
 * storage to a cross-site frame unless third-party cookies are allowed in the profile — which only
 * a persistent profile can say, so every test file gets one and each test a new tab with the
 * simulator's origins wiped first.
 */
async function browserOf(env, { blockThirdPartyData = false } = {}) {
  const slot = blockThirdPartyData ? 'blockingBrowser' : 'browser';
  if (!env[slot]) {
    env[slot] = (async () => {
      const profile = mkdtempSync(join(tmpdir(), 'wxcc-e2e-profile-'));
      mkdirSync(join(profile, 'Default'), { recursive: true });
      const cookies = blockThirdPartyData ? { cookie_controls_mode: 1, block_third_party_cookies: true } : { cookie_controls_mode: 0, block_third_party_cookies: false };
      writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: cookies }));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1600, height: 1000 },
        ignoreHTTPSErrors: true,
      });
      env.onClose(async () => {
        await context.close().catch(() => {});
        rmSync(profile, { recursive: true, force: true });
      });
      return context;
    })();
  }
  return env[slot];
}

function slug(text) {
  return text.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
}

/**
 * Runs `body({context, page, logs})` in a new tab (storage of both simulator origins wiped first);
 * on failure saves a full-page screenshot of every tab it opened and the collected console output
 * to test-results/, then rethrows. `blockThirdPartyData`: a browser that refuses storage (and Web
 * Locks) to cross-site frames, as a locked-down agent browser does.
 */
export async function withPage(env, name, body, { viewport, blockThirdPartyData = false } = {}) {
  const context = await browserOf(env, { blockThirdPartyData });
  const before = new Set(context.pages());
  const logs = [];
  const watch = (page) => {
    page.on('console', (m) => logs.push(`[${m.type()}] ${m.location()?.url || page.url()} ${m.text()}`));
    page.on('pageerror', (e) => logs.push(`[pageerror] ${page.url()} ${e.message}`));
  };
  context.on('page', watch);
  const page = await context.newPage();
  const mine = () => context.pages().filter((p) => !before.has(p));
  try {
    if (viewport) await page.setViewportSize(viewport);
    const cdp = await context.newCDPSession(page);
    for (const origin of [env.consoleOrigin, env.desktopOrigin]) {
      await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
    }
    await cdp.detach();
    await body({ context, page, logs });
  } catch (error) {
    mkdirSync(resultsDir, { recursive: true });
    const base = join(resultsDir, slug(name));
    let i = 0;
    for (const p of mine()) {
      await p.screenshot({ path: `${base}${i ? '-' + i : ''}.png`, fullPage: true }).catch(() => {});
      i += 1;
    }
    writeFileSync(`${base}.log`, logs.join('\n') + '\n');
    error.message += `\n(screenshot and browser log: ${base}.png / .log)`;
    throw error;
  } finally {
    context.off('page', watch);
    for (const p of mine()) await p.close().catch(() => {});
  }
}

/** Polls `fn` in a page or frame until it returns a truthy value (waitForFunction with a message). */
export async function until(target, fn, arg, { timeout = 15000, message } = {}) {
  try {
    const handle = await target.waitForFunction(fn, arg, { timeout, polling: 50 });
    return await handle.jsonValue();
  } catch (error) {
    if (message) error.message = `${message}: ${error.message}`;
    throw error;
  }
}

/** The softphone frame of an agent in the console page (the iframe is named softphone-<agent>). */
export async function softphone(page, agent = 'A') {
  await until(page, (a) => window.simConsole && document.querySelector(`iframe[name="softphone-${a}"]`)?.src, agent, {
    message: `softphone frame of ${agent}`,
  });
  for (;;) {
    const frame = page.frame({ name: `softphone-${agent}` });
    if (frame && frame.url() !== 'about:blank') return frame;
    await page.waitForEvent('framenavigated', { timeout: 15000 });
  }
}

/**
 * Bundles tests/e2e/fixtures/sdk-probe.js (with the real @wxcc-desktop/sdk) into a fresh temp dir
 * beside a copy of the test layout; mount the dir at /e2e-build/ on the desktop origin.
 */
export async function buildProbe() {
  const { build } = await import('esbuild');
  const { copyFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'wxcc-e2e-'));
  await build({
    entryPoints: [join(repoDir, 'tests/e2e/fixtures/sdk-probe.js')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    outfile: join(dir, 'sdk-probe.js'),
    logLevel: 'error',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
  });
  copyFileSync(join(repoDir, 'tests/e2e/fixtures/sdk-layout.json'), join(dir, 'sdk-layout.json'));
  return dir;
}
