// The widget loader: the only JavaScript of the adapter. It defines the two custom elements,
// refuses any sfdcIframeOrigin that is not Salesforce (or explicitly trusted) BEFORE loading
// a script from it, loads Open CTI from that origin, initialises the real Desktop SDK, and
// hands `Desktop` and `sforce.opencti` to the adapter (Rust, compiled to wasm). Behaviour
// lives in Rust; this file only wires.
import { Desktop } from '@wxcc-desktop/sdk';
import init, { isTrustedConsoleOrigin, startAdapter } from '../pkg/widget.js';
import { earlyTrusted } from './origin.js';

performance.mark('wxcc-sfdc:script-evaluated');

// Captured while the script is evaluated: the .wasm sits beside it.
const SCRIPT_URL =
  document.currentScript?.src ||
  [...document.querySelectorAll('script[src]')].map((s) => s.src).find((s) => /widget(\.min)?\.js/.test(s)) ||
  location.href;

const OPENCTI_PATH = '/support/api/57.0/lightning/opencti_min.js';

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

const attr = (el, name) => (el.getAttribute(name) ?? '').trim();

/**
 * The writer lock (one tab of an agent handles its calls), asked for at once so that the browser
 * grants it while the wasm compiles. Its name is the adapter's (src/web/storage.rs, `writer`):
 * the adapter takes the request over, or lets it go and asks again when the names differ.
 * `answer` resolves with the function that releases the lock.
 */
function askWriterLock(agentId) {
  if (!agentId || !navigator.locks) return undefined;
  const name = `wxcc-sfdc-adapter:${agentId}:writer`;
  let granted;
  let refused;
  const answer = new Promise((resolve, reject) => {
    granted = resolve;
    refused = reject;
  });
  try {
    navigator.locks.request(name, () => new Promise((release) => granted(release))).catch(refused);
  } catch (err) {
    refused(err); // a frame the browser refuses locks to: the adapter writes alone and says so
  }
  answer.catch(() => {}); // the adapter listens
  return { name, answer };
}

let adapter = null; // one adapter per page, whichever element asks first

async function boot(asking) {
  // The adapter's attributes (trustedOrigins, …) are set on the headless element; the panel
  // element may connect first and start it, so read them from the adapter element when there is one.
  const el = document.querySelector('wxcc-sfdc-adapter') ?? asking;
  const params = new URLSearchParams(location.search);
  const origin = params.get('sfdcIframeOrigin');
  const extra = attr(el, 'trustedOrigins');
  const writerLock = askWriterLock(attr(el, 'agentId'));
  // The wasm comes from our own origin. Open CTI (a script from the console's origin) and the SDK's
  // handshake with the host start at once when the loader's copy of the origin rule trusts the
  // origin, so they overlap the wasm's compile; Rust's check (src/origin.rs) still decides below.
  // Listeners added before init completes are dropped by the SDK: the adapter binds after. A
  // refused widget loads nothing from the origin and registers nothing with the host. The marks
  // tell the start-up benchmark which of the three kept it waiting.
  const connect = () => {
    const opencti = loadScript(origin + OPENCTI_PATH).then(() => performance.mark('wxcc-sfdc:opencti-loaded'));
    const desktop = Desktop.config
      .init({ widgetName: 'wxcc-sfdc-adapter', widgetProvider: 'wxcc-sfdc-adapter' })
      .then(() => performance.mark('wxcc-sfdc:desktop-initialised'));
    // The adapter's first need: the call center settings, asked for as soon as Open CTI is there.
    const settings = opencti.then(() => new Promise((resolve) => window.sforce.opencti.getCallCenterSettings({ callback: resolve })));
    settings.catch(() => {}); // the adapter awaits it
    return { ready: Promise.all([opencti, desktop]), settings };
  };
  const early = origin && earlyTrusted(origin, extra, location.protocol) ? connect() : null;
  early?.ready.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
  await init({ module_or_path: new URL('widget.wasm', SCRIPT_URL) });
  performance.mark('wxcc-sfdc:wasm-instantiated');
  if (!origin || !isTrustedConsoleOrigin(origin, extra, location.protocol)) {
    throw new Error(`sfdcIframeOrigin ${JSON.stringify(origin)} is not a Salesforce origin on ${location.protocol}; nothing was loaded from it`);
  }
  const connected = early ?? connect();
  await connected.ready;
  return startAdapter(Desktop, window.sforce.opencti, {
    agentId: attr(el, 'agentId'),
    agentName: attr(el, 'agentName'),
    outDialAni: attr(el, 'outDialAni'),
    outdialEntryPointId: attr(el, 'outdialEntryPointId'),
    debug: attr(el, 'debug') === 'true',
  }, connected.settings, writerLock);
}

function start(el) {
  if (!adapter) {
    adapter = boot(el);
    window.wxccSfdcAdapter = adapter;
  }
  return adapter;
}

function showRefusal(el, err) {
  el.dataset.state = 'refused';
  el.setAttribute('role', 'alert');
  el.textContent = `Salesforce adapter not started: ${err.message}`;
  console.error('[wxcc-sfdc-adapter]', err);
}

class AdapterElement extends HTMLElement {
  connectedCallback() {
    start(this).then(
      () => { this.dataset.state = 'started'; },
      (err) => showRefusal(this, err),
    );
  }
}

class ActionsElement extends HTMLElement {
  connectedCallback() {
    // The panel needs the adapter; when the layout has no headless element it starts it.
    const pending = adapter ?? new Promise((resolve) => queueMicrotask(() => resolve(start(this))));
    Promise.resolve(pending).then(
      (handle) => handle.attachPanel(this),
      (err) => showRefusal(this, err),
    );
  }
}

if (!customElements.get('wxcc-sfdc-adapter')) customElements.define('wxcc-sfdc-adapter', AdapterElement);
if (!customElements.get('wxcc-sfdc-actions')) customElements.define('wxcc-sfdc-actions', ActionsElement);
