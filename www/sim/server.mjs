// The simulator's servers (Node, no dependencies): the fake Lightning console and the fake WxCC
// desktop, each on its own origin, so every message between them crosses origins as in production.
//
//   node www/sim/server.mjs                 HTTPS, self-signed certificate made by openssl at start
//   node www/sim/server.mjs --demo          the demo: plain HTTP, console http://127.0.0.1:8080, desktop
//                                           http://localhost:8081 (any browser, no flags); the console's
//                                           opencti_min.js trusts its own loopback origin, its softphone
//                                           loads layouts/wxcc-sfdc-demo-layout.json (the shipped layout
//                                           plus trustedOrigins for the loopback console), the console
//                                           shows agents A and B and keeps its org across reloads, and the
//                                           definition turns on call notes, Omni-Channel sync and the pick
//                                           list (DEMO_OPTIONS)
// Options: --http --console-port N (8080) --desktop-port N (8081) --console-host NAME (127.0.0.1)
//          --desktop-host NAME (localhost) --opencti-trust ORIGIN|self (repeatable: origins the served
//          opencti_min.js accepts besides Salesforce domains; default none) --mount /prefix/=DIR
//          --desktop-layout PATH (the layout the console's softphone asks for; default the desktop's own)
//          --keep-org (the console keeps its org in its origin's localStorage across reloads)
//          --reset-org (a console that kept an org starts from the sample org again, once per browser)
//
// Console origin:  /  and /lightning/*  → the console page (a single-page app; Lightning-like URLs)
//                  /console/*           → www/sim/console
//                  /support/api/NN.0/lightning/opencti_min.js → www/sim/opencti/opencti_min.js (or the file at $OPENCTI_JS)
//                  /sim/org.json, /sim/callcenter-settings.json → sample data; /sim/config.json → the
//                  desktop URL, the console's own origin, default agents, settings overrides and whether
//                  to keep the org; /pkg/* → www/pkg (SimOrg wasm); /validator/ → the call center
//                  definition checker (www/index.html); /studio/ → the admin studio (www/studio);
//                  /samples/* → www/samples. A console on a loopback host reached by another loopback
//                  name on its port (http://localhost:8080 for http://127.0.0.1:8080) is redirected to
//                  its own origin: the demo layout trusts that one only.
// Desktop origin:  /desktop/* → www/sim/desktop; /layouts/* → layouts/ (the demo layout's loopback
//                  trusted origin is the console's actual origin); /widget/* → www/widget/dist;
//                  /pkg/* → www/pkg; /sim/* → www/sim (org/settings for tools); plus --mount folders
//
// Also importable: `startSimServers(options)` resolves to {consoleOrigin, desktopOrigin, close()};
// with `widgetBase` (the e2e suite's widget host, another origin) the desktop URL of /sim/config.json
// carries `widgetBase=` and the desktop origin serves no /widget/.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const simDir = dirname(fileURLToPath(import.meta.url));
const wwwDir = resolve(simDir, '..');
const repoDir = resolve(wwwDir, '..');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** A self-signed certificate for the given names, made by openssl in a fresh temp dir. */
export function selfSignedCertificate(names) {
  const dir = mkdtempSync(join(tmpdir(), 'wxcc-sim-cert-'));
  const san = names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? `IP:${n}` : `DNS:${n}`)).join(',');
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
        '-subj', '/CN=wxcc-sfdc-adapter simulator', '-addext', `subjectAltName=${san}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file under `root` for a URL path remainder, or null when it would escape `root`. */
function inside(root, rest) {
  const file = resolve(root, '.' + sep + rest);
  return file === root || file.startsWith(root + sep) ? file : null;
}

async function sendFile(res, file, method) {
  try {
    let path = file;
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const body = await readFile(path);
    res.writeHead(200, {
      'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    res.end(method === 'HEAD' ? undefined : body);
    return true;
  } catch {
    return false;
  }
}

function notFound(res, what) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`not found: ${what}\n`);
}

function sendJson(res, value) {
  const body = Buffer.from(JSON.stringify(value));
  res.writeHead(200, { 'content-type': TYPES['.json'], 'content-length': body.length, 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * A request handler over an ordered list of routes: [prefix, dir] serves files, [prefix, fn] calls
 * fn(req, res, url) (returning false falls through to 404).
 */
function router(routes) {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    for (const [prefix, target] of routes) {
      const matches = prefix instanceof RegExp ? prefix.test(path) : path === prefix || path.startsWith(prefix);
      if (!matches) continue;
      if (typeof target === 'function') {
        if ((await target(req, res, url, path)) !== false) return;
        continue;
      }
      const rest = prefix instanceof RegExp ? '' : path.slice(prefix.length);
      const file = prefix instanceof RegExp ? target : inside(target, rest);
      if (file && (await sendFile(res, file, req.method))) return;
      notFound(res, path);
      return;
    }
    notFound(res, path);
  };
}

/** Listens on `host`; resolves to the port (the actual one when `port` is 0). */
function listen(server, port, host) {
  return new Promise((done, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      done(server.address().port);
    });
  });
}

/** The console origin the demo layout trusts (layouts/wxcc-sfdc-demo-layout.json). */
export const DEMO_CONSOLE_ORIGIN = 'http://127.0.0.1:8080';

/**
 * What `--demo` means, for tests that start the demo on other ports: both agents side by side, an
 * org that survives a reload of the console, and a definition that shows what the adapter does
 * (call notes, Omni-Channel sync with statuses of the sample org, the pick list for Maria and Mario
 * Garcia, who share (415) 555-0199).
 */
export const DEMO_OPTIONS = Object.freeze({
  http: true,
  consolePort: 8080,
  desktopPort: 8081,
  consoleHost: '127.0.0.1',
  desktopHost: 'localhost',
  openctiTrust: ['self'],
  desktopLayout: '/layouts/wxcc-sfdc-demo-layout.json',
  agents: 'A,B',
  keepOrg: true,
  settings: Object.freeze({
    '/reqActivityRecordConfig/isCallNotesEnabled': 'true',
    '/reqAdvanceScreenpopConfig/multipleMatchAction': 'pick',
    '/reqOmniStateSyncConfig/isOmniStateSyncEnabled': 'true',
    // An Omni-Channel status of www/sim/org.json, and a WxCC idle code of the simulated desktop.
    '/reqOmniStateSyncConfig/defaultOmniStateForCall': 'Busy',
    '/reqOmniStateSyncConfig/defaultOmniStateForOmniChannel': 'Not Ready',
  }),
});

const LOOPBACK_NAMES = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Starts the console and desktop servers.
 * @param {object} o
 * @param {boolean} [o.http] plain HTTP instead of HTTPS
 * @param {number} [o.consolePort] 0 for any free port
 * @param {number} [o.desktopPort]
 * @param {string} [o.consoleHost] the host name the console is reached by (e.g. acme.my.salesforce.com)
 * @param {string} [o.desktopHost] the host name the desktop is reached by
 * @param {Record<string,string>} [o.mounts] extra folders on the desktop origin: {"/e2e/": "/abs/dir"}
 * @param {Record<string,string>} [o.consoleMounts] extra folders on the console origin
 * @param {string[]} [o.openctiTrust] extra origins the served opencti_min.js accepts ("self" = the console)
 * @param {string} [o.desktopLayout] the layout the console's softphone asks for (`layout=` of the desktop URL)
 * @param {Record<string,string>} [o.settings] call center settings overrides the console starts with
 * @param {string} [o.widgetBase] where the softphone's desktop loads widget.js from (`widgetBase=` of the
 *   desktop URL, e.g. a widget host on another origin); the desktop origin then serves no /widget/
 * @param {string} [o.agents] the console's agents when its URL has no `agents=` (e.g. "A,B"; default A)
 * @param {boolean} [o.keepOrg] the console keeps its org (records, Omni presence) in its origin's
 *   localStorage, so a reload of the console page keeps the Tasks and Cases written
 * @param {boolean} [o.resetOrg] with keepOrg: each browser's console drops the org it kept, once, and
 *   starts from the sample org (what `./scripts/demo --reset` asks for)
 */
export async function startSimServers(o = {}) {
  const http = !!o.http;
  const consoleHost = o.consoleHost ?? '127.0.0.1';
  const desktopHost = o.desktopHost ?? 'localhost';
  const scheme = http ? 'http' : 'https';
  const tls = http
    ? null
    : selfSignedCertificate([...new Set([consoleHost, desktopHost, 'localhost', '127.0.0.1', '*.my.salesforce.com', '*.force.com'])]);
  const make = (handler) => (http ? createHttpServer(handler) : createHttpsServer(tls, handler));

  let desktopOrigin = '';
  let consoleOrigin = '';
  let consolePort = 0;
  // Told to every console this server starts with resetOrg; a console drops a kept org once per token.
  const orgReset = o.resetOrg ? `reset-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` : null;
  const consolePage = join(simDir, 'console', 'index.html');
  // OPENCTI_JS=PATH serves that file (e.g. Salesforce's own library, kept out of git) instead of ours.
  const opencti = process.env.OPENCTI_JS ? resolve(process.env.OPENCTI_JS) : join(simDir, 'opencti', 'opencti_min.js');
  const consoleRoutes = [
    ...Object.entries(o.consoleMounts ?? {}).map(([p, d]) => [p, resolve(d)]),
    [
      /^\/support\/api\/\d+\.0\/lightning\/opencti_min\.js$/,
      async (req, res) => {
        // "self": the console origin as this request reached it (the Host the softphone used).
        const self = req.headers.host ? `${scheme}://${req.headers.host}` : consoleOrigin;
        const trusted = (o.openctiTrust ?? []).map((t) => (t === 'self' ? self : t));
        const source = (await readFile(opencti, 'utf8')).replace('var EXTRA_ORIGINS = [];', `var EXTRA_ORIGINS = ${JSON.stringify(trusted)};`);
        const body = Buffer.from(source);
        res.writeHead(200, { 'content-type': TYPES['.js'], 'content-length': body.length, 'cache-control': 'no-store', 'access-control-allow-origin': '*' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
    ],
    [
      '/sim/config.json',
      (req, res) => {
        const desktopUrl = new URL('/desktop/', desktopOrigin);
        if (o.desktopLayout) desktopUrl.searchParams.set('layout', o.desktopLayout);
        if (o.widgetBase) desktopUrl.searchParams.set('widgetBase', o.widgetBase);
        sendJson(res, {
          desktopUrl: desktopUrl.href,
          desktopOrigin,
          consoleOrigin,
          // Only the demo layout trusts one console origin (the rest trust Salesforce's): a console
          // page elsewhere says where to go instead of a softphone that refuses to start.
          trustedConsoleOrigin: o.desktopLayout === '/layouts/wxcc-sfdc-demo-layout.json' ? consoleOrigin : null,
          agents: o.agents ?? null,
          keepOrg: !!o.keepOrg,
          orgReset,
          settings: o.settings ?? {},
        });
      },
    ],
    // The definition checker (www/index.html and what it loads), linked from the console.
    [
      /^\/validator\/(index\.html|validate\.js|validate\.css|samples\/[\w.-]+\.xml|pkg\/wxcc_sfdc_adapter(_bg\.wasm|\.js))?$/,
      async (req, res, url, path) => {
        const rest = path.slice('/validator/'.length) || 'index.html';
        const file = inside(wwwDir, rest);
        if (!file || !(await sendFile(res, file, req.method))) notFound(res, path);
      },
    ],
    [/^\/studio$/, (req, res) => res.writeHead(302, { location: '/studio/' }).end()],
    ['/studio/', join(wwwDir, 'studio')],
    ['/samples/', join(wwwDir, 'samples')],
    ['/sim/', simDir],
    ['/console/', join(simDir, 'console')],
    ['/pkg/', join(wwwDir, 'pkg')],
    ['/favicon.ico', (req, res) => res.writeHead(204).end()],
    [/^\/(lightning(\/.*)?)?$/, consolePage],
  ];
  const desktopRoutes = [
    ...Object.entries(o.mounts ?? {}).map(([p, d]) => [p, resolve(d)]),
    ['/desktop/', join(simDir, 'desktop')],
    [
      '/layouts/wxcc-sfdc-demo-layout.json',
      async (req, res) => {
        // The demo layout trusts the demo console, http://127.0.0.1:8080; on other ports, the
        // console this server actually runs.
        const text = (await readFile(join(repoDir, 'layouts', 'wxcc-sfdc-demo-layout.json'), 'utf8')).replaceAll(DEMO_CONSOLE_ORIGIN, consoleOrigin);
        const body = Buffer.from(text);
        res.writeHead(200, { 'content-type': TYPES['.json'], 'content-length': body.length, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
    ],
    ['/layouts/', join(repoDir, 'layouts')],
    // With a widget host elsewhere, no copy here that a wrong URL could silently fall back to.
    ...(o.widgetBase ? [] : [['/widget/', join(wwwDir, 'widget', 'dist')]]),
    ['/pkg/', join(wwwDir, 'pkg')],
    ['/sim/', simDir],
    ['/favicon.ico', (req, res) => res.writeHead(204).end()],
    [
      /^\/$/,
      (req, res, url) => {
        res.writeHead(302, { location: `/desktop/${url.search}` }).end();
      },
    ],
  ];

  const servers = [];
  // `localhost` may resolve to ::1 first: listen on both loopback addresses for it (::1 is
  // optional, e.g. on a machine without IPv6), and for a 127.0.0.1 console too, so that
  // http://localhost:PORT reaches the redirect below. Never on other interfaces.
  const start = async (handler, port, host) => {
    const first = make(handler);
    servers.push(first);
    const actual = await listen(first, port, '127.0.0.1');
    if (host === 'localhost' || host === '127.0.0.1') {
      const twin = make(handler);
      try {
        await listen(twin, actual, '::1');
        servers.push(twin);
      } catch {
        // no IPv6 loopback: 127.0.0.1 is enough
      }
    }
    return actual;
  };
  // `desktopCsp`: a Content-Security-Policy for every desktop response, as a locked-down WxCC
  // desktop would send; `{console}` stands for the console origin (known once it listens).
  const desktopRouter = router(desktopRoutes);
  const desktopHandler = o.desktopCsp
    ? (req, res) => {
        res.setHeader('content-security-policy', o.desktopCsp.replaceAll('{console}', consoleOrigin));
        return desktopRouter(req, res);
      }
    : desktopRouter;
  // The console reached by another loopback name on its own port (http://localhost:8080 for
  // http://127.0.0.1:8080) goes to its own origin: the softphone trusts that one only (the demo
  // layout's trustedOrigins), and would otherwise refuse to start. Another port (a forwarded one)
  // is left alone; the console page then says where to go.
  const consoleRouter = router(consoleRoutes);
  const consoleHandler = (req, res) => {
    const reached = hostOf(req.headers.host);
    if (reached && reached.port === consolePort && reached.name !== consoleHost.toLowerCase() && LOOPBACK_NAMES.test(reached.name) && LOOPBACK_NAMES.test(consoleHost)) {
      res.writeHead(302, { location: consoleOrigin + (req.url ?? '/'), 'cache-control': 'no-store' }).end();
      return;
    }
    return consoleRouter(req, res);
  };
  consolePort = await start(consoleHandler, o.consolePort ?? 8080, consoleHost);
  const desktopPort = await start(desktopHandler, o.desktopPort ?? 8081, desktopHost);
  consoleOrigin = `${scheme}://${consoleHost}:${consolePort}`;
  desktopOrigin = `${scheme}://${desktopHost}:${desktopPort}`;

  return {
    consoleOrigin,
    desktopOrigin,
    consolePort,
    desktopPort,
    close: () =>
      Promise.all(
        servers.map(
          (s) =>
            new Promise((done) => {
              s.close(() => done());
              s.closeAllConnections?.();
            }),
        ),
      ),
  };
}

/** The host name (lower case, IPv6 in brackets) and port of a Host header, or null. */
function hostOf(header) {
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header ?? '');
  return m ? { name: m[1].toLowerCase(), port: m[2] ? Number(m[2]) : null } : null;
}

function parseArgs(argv) {
  const o = { mounts: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--http') o.http = true;
    else if (a === '--console-port') o.consolePort = Number(value());
    else if (a === '--desktop-port') o.desktopPort = Number(value());
    else if (a === '--console-host') o.consoleHost = value();
    else if (a === '--desktop-host') o.desktopHost = value();
    else if (a === '--opencti-trust') (o.openctiTrust ??= []).push(value());
    else if (a === '--desktop-layout') o.desktopLayout = value();
    else if (a === '--keep-org') o.keepOrg = true;
    else if (a === '--reset-org') o.resetOrg = true;
    else if (a === '--demo') {
      // Later options (e.g. --console-port) still apply.
      const { openctiTrust, ...rest } = DEMO_OPTIONS;
      Object.assign(o, rest, { settings: { ...DEMO_OPTIONS.settings } });
      (o.openctiTrust ??= []).push(...openctiTrust);
    } else if (a === '--mount') {
      const spec = value();
      const eq = spec.indexOf('=');
      if (eq < 1) throw new Error('--mount needs /prefix/=DIR');
      o.mounts[spec.slice(0, eq)] = spec.slice(eq + 1);
    } else if (a === '-h' || a === '--help') {
      console.log('usage: node www/sim/server.mjs [--demo] [--http] [--console-port N] [--desktop-port N] [--console-host NAME] [--desktop-host NAME] [--opencti-trust ORIGIN|self] [--desktop-layout PATH] [--keep-org] [--reset-org] [--mount /prefix/=DIR]');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  return o;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const o = parseArgs(process.argv.slice(2));
  const sim = await startSimServers(o);
  console.log(`console: ${sim.consoleOrigin}/   ← open this one`);
  console.log(`desktop: ${sim.desktopOrigin}/desktop/   (inside the console's softphone)`);
  const stop = () => sim.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
