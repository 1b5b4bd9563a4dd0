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

let adapter = null; // one adapter per page, whichever element asks first

async function boot(asking) {
  // The adapter's attributes (trustedOrigins, …) are set on the headless element; the panel
  // element may connect first and start it, so read them from the adapter element when there is one.
  const el = document.querySelector('wxcc-sfdc-adapter') ?? asking;
  const params = new URLSearchParams(location.search);
  const origin = params.get('sfdcIframeOrigin');
  const extra = attr(el, 'trustedOrigins');
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
  }, connected.settings);
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
