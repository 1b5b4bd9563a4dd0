// Shared set-up for the end-to-end tests: the simulator's servers on HTTPS (console as
// https://acme.my.salesforce.com:PORT, desktop as https://desktop.wxcc-us1.cisco.com:PORT2), the
// widget on a third origin (https://widgets.acme-cdn.test:PORT3, as a customer hosts it, with the
// headers of docs/hosting/_headers), all names mapped to 127.0.0.1 by --host-resolver-rules;
// headless Debian Chromium through playwright-core, and a screenshot (plus the pages' console
// output) in test-results/ when a test fails. No sleeps: wait for conditions.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { selfSignedCertificate, startSimServers } from '../../www/sim/server.mjs';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const resultsDir = join(repoDir, 'test-results');
export const CONSOLE_HOST = 'acme.my.salesforce.com';
/** The customer's static host of widget.js and widget.wasm: neither the desktop's origin nor Salesforce's. */
export const WIDGET_HOST = 'widgets.acme-cdn.test';
/** What the widget host serves: $WIDGET_DIR (e.g. an unpacked npm release's package/widget/), else the build. */
export const WIDGET_DIR = process.env.WIDGET_DIR ? resolve(process.env.WIDGET_DIR) : join(repoDir, 'www/widget/dist');
export const HEADERS_FILE = join(repoDir, 'docs/hosting/_headers');
/** The versioned folder the shipped layout loads widget.js from (/wxcc-sfdc-adapter/0.1.0/). */
export const WIDGET_PATH = new URL('.', firstScript(JSON.parse(readFileSync(join(repoDir, 'layouts/wxcc-sfdc-desktop-layout.json'), 'utf8')))).pathname;
/** The same files on the same host without any rule of _headers, as a host without that file serves them. */
export const UNCONFIGURED_PREFIX = '/unconfigured';

function firstScript(node) {
  if (!node || typeof node !== 'object') return null;
  if (typeof node.script === 'string' && /\/widget\.js$/.test(node.script)) return node.script;
  for (const v of Object.values(node)) {
    const found = firstScript(v);
    if (found) return found;
  }
  return null;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--ignore-certificate-errors',
];

// ---- docs/hosting/_headers ----------------------------------------------------------------------

/**
 * Parses a `_headers` file (Netlify / Cloudflare Pages): a path pattern on an unindented line, then
 * its indented `Name: value` lines; `#` comments. In a pattern `:name` is one path segment and `*`
 * anything (one per pattern, Cloudflare's limit). Throws on anything else, so the example stays in
 * the part of the format both hosts read alike. Returns [{path, line, pattern: RegExp, headers: [[name, value]]}].
 */
export function parseHeadersFile(text, file = '_headers') {
  const rules = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const where = `${file}:${i + 1}`;
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (!/^\s/.test(raw)) {
      if (!line.startsWith('/')) throw new Error(`${where}: a rule starts with a path "/…" (absolute URLs are not used here): ${line}`);
      if (line.split('*').length > 2) throw new Error(`${where}: one * per path (Cloudflare drops such a rule): ${line}`);
      const source = line
        .split('*')
        .map((part) => part.replace(/[.+?^${}()|[\]\\/-]/g, '\\$&').replace(/:\w+/g, '[^/]+'))
        .join('.*');
      rules.push({ path: line, line: i + 1, pattern: new RegExp(`^${source}$`), headers: [] });
      return;
    }
    const rule = rules.at(-1);
    if (!rule) throw new Error(`${where}: a header before any path: ${line}`);
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    const value = line.slice(colon + 1).trim();
    if (!/^[\w!#$%&'*+.^`|~-]+$/.test(name) || !value) throw new Error(`${where}: expected "Name: value": ${line}`);
    rule.headers.push([name, value]);
  });
  return rules;
}

/** The headers of every rule matching `path`, in order; a header set by two rules gets both values, comma-joined (as both hosts do). */
export function headersFor(rules, path) {
  const out = new Map();
  for (const rule of rules) {
    if (!rule.pattern.test(path)) continue;
    for (const [name, value] of rule.headers) {
      const key = name.toLowerCase();
      out.set(key, out.has(key) ? [out.get(key)[0], `${out.get(key)[1]}, ${value}`] : [name, value]);
    }
  }
  return [...out.values()];
}

/**
 * The WxCC desktop origin the rules allow: exactly one https://desktop.wxcc-<dc>.cisco.com, or the
 * file is wrong (a list, `*`, a path or port would not do in production).
 */
function allowedDesktopOrigin(rules) {
  const values = new Set(rules.flatMap((r) => r.headers.filter(([n]) => n.toLowerCase() === 'access-control-allow-origin').map(([, v]) => v)));
  const [origin] = values;
  if (values.size !== 1 || !/^https:\/\/desktop\.wxcc-[a-z]+\d+\.cisco\.com$/.test(origin)) {
    throw new Error(`${HEADERS_FILE}: Access-Control-Allow-Origin must name one WxCC desktop origin (https://desktop.wxcc-<dc>.cisco.com), not ${[...values].join(' | ') || 'nothing'}`);
  }
  return origin;
}

const PLAIN_TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * The customer's widget host: WIDGET_DIR under WIDGET_PATH with exactly the headers of `rules`
 * (plus Content-Length; no default type, so what the browser gets is the file's doing), the same
 * files under UNCONFIGURED_PREFIX with only a type by extension. `headersOf(path)` gives the
 * rules' headers of a path; `requests` what was asked ({path, origin, status}).
 */
async function startWidgetHost(rules, headersOf) {
  const requests = [];
  const server = createServer(selfSignedCertificate([WIDGET_HOST]), async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'https://host.invalid').pathname);
    const entry = { path, origin: req.headers.origin ?? null, status: 404 };
    requests.push(entry);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      entry.status = 405;
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const configured = path.startsWith(WIDGET_PATH);
    const rest = configured ? path.slice(WIDGET_PATH.length) : path.startsWith(UNCONFIGURED_PREFIX + WIDGET_PATH) ? path.slice(UNCONFIGURED_PREFIX.length + WIDGET_PATH.length) : null;
    const file = rest === null ? null : resolve(WIDGET_DIR, '.' + sep + rest);
    let body = null;
    if (file && file.startsWith(WIDGET_DIR + sep)) {
      try {
        if ((await stat(file)).isFile()) body = await readFile(file);
      } catch {
        // not there: 404
      }
    }
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${path}\n`);
      return;
    }
    const headers = configured ? Object.fromEntries(headersOf(path)) : { 'Content-Type': PLAIN_TYPES[extname(file)] ?? 'application/octet-stream' };
    entry.status = 200;
    res.writeHead(200, { ...headers, 'Content-Length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', done);
  });
  return {
    origin: `https://${WIDGET_HOST}:${server.address().port}`,
    requests,
    close: () =>
      new Promise((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** Throws with what to do when the widget files the suites serve are missing. */
export function requireWidgetBuild() {
  for (const f of ['widget.js', 'widget.wasm']) {
    if (!existsSync(join(WIDGET_DIR, f))) throw new Error(`${join(WIDGET_DIR, f)} is missing: run ./scripts/build-widget first (or set WIDGET_DIR)`);
  }
}

/**
 * Starts the simulator's servers and the widget host once per test file. The rules of
 * docs/hosting/_headers name the production desktop origin (no port): the fake desktop runs under
 * that host name, and the port it listens on is the one thing added to the allowed origin.
 * @param {{mounts?: Record<string,string>, desktopCsp?: string}} [options] extra folders on the desktop
 * origin; a Content-Security-Policy for the desktop origin (`{console}`: the console origin,
 * `{widgets}`: the widget host)
 */
export async function startE2E(options = {}) {
  const rules = parseHeadersFile(readFileSync(HEADERS_FILE, 'utf8'), 'docs/hosting/_headers');
  const allowedOrigin = allowedDesktopOrigin(rules);
  let desktopOrigin = '';
  const headersOf = (path) => headersFor(rules, path).map(([n, v]) => [n, n.toLowerCase() === 'access-control-allow-origin' && v === allowedOrigin ? desktopOrigin : v]);
  const widgets = await startWidgetHost(rules, headersOf);
  let sim;
  try {
    sim = await startSimServers({
      consolePort: 0,
      desktopPort: 0,
      consoleHost: CONSOLE_HOST,
      desktopHost: new URL(allowedOrigin).hostname,
      mounts: options.mounts,
      desktopCsp: options.desktopCsp?.replaceAll('{widgets}', widgets.origin),
      widgetBase: widgets.origin + WIDGET_PATH,
    });
  } catch (error) {
    await widgets.close();
    throw error;
  }
  desktopOrigin = sim.desktopOrigin;
  return {
    sim,
    consoleOrigin: sim.consoleOrigin,
    desktopOrigin: sim.desktopOrigin,
    desktopHost: new URL(allowedOrigin).hostname,
    widgetOrigin: widgets.origin,
    /** The folder widget.js is loaded from (https://widgets.acme-cdn.test:PORT/wxcc-sfdc-adapter/0.1.0/). */
    widgetBase: widgets.origin + WIDGET_PATH,
    /** What the widget host was asked: [{path, origin, status}]. */
    widgetRequests: widgets.requests,
    /** The headers the widget host sends for a path: the rules of docs/hosting/_headers, the desktop's port added. */
    widgetHeaders: headersOf,
    /** The console URL with query parameters (non-string values are JSON-encoded). */
    consoleUrl(query = {}) {
      const url = new URL('/', sim.consoleOrigin);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      return url.href;
    },
    /** The desktop page alone (no console), loading widget.js from the widget host. */
    desktopUrl(query = {}) {
      const url = new URL('/desktop/', sim.desktopOrigin);
      url.searchParams.set('widgetBase', this.widgetBase);
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
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
      await widgets.close();
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
        args: [...CHROMIUM_ARGS, `--host-resolver-rules=${['*.my.salesforce.com', '*.force.com', env.desktopHost, WIDGET_HOST].map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`],
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
 * Runs `body({context, page, logs})` in a new tab (storage of both simulator origins and the HTTP
 * cache wiped first: the widget host lets browsers keep the widget for a year);
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
    await cdp.send('Network.clearBrowserCache');
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
