// The worker probe (bench/worker-probe.mjs): the no-op adapter (bench/noop-adapter) plus the
// engine's start in a dedicated Worker, as the Worker design of bench/notes.md would run it. The
// page starts the worker and a streaming compile of the widget's wasm (built with the `probe`
// export) at once and hands the compiled module over (faster than the worker fetching it itself,
// bench/notes.md); it loads Open CTI and initialises the SDK meanwhile, hands the worker the call
// center settings, binds the SDK listeners while the engine starts, and sends
// notifyInitializationComplete once the engine's start effects are back. What it leaves out of a
// real adapter (storage, the writer lock, the panel, executing the effects themselves) makes it a
// lower bound: if it is not under 1.3x the no-op adapter, the design is not either.
import { Desktop } from '@wxcc-desktop/sdk';
import { loadScript, opencti, OPENCTI_PATH } from '../noop-adapter/console.js';

/* global __CONTACT_EVENTS__ */
performance.mark('probe:script-evaluated');

const SCRIPT_URL = document.currentScript?.src ?? location.href;
const worker = new Worker(new URL('worker.js', SCRIPT_URL), { type: 'module' });
// The page compiles (streaming, off the main thread) and hands the worker the module.
WebAssembly.compileStreaming(fetch(new URL('probe_bg.wasm', SCRIPT_URL))).then((module) => worker.postMessage({ module }));
// The worker says when its wasm is instantiated (marked here, on the page's clock).
worker.addEventListener('message', (e) => e.data.ready && performance.mark('probe:worker-ready'));
async function boot() {
  const origin = new URLSearchParams(location.search).get('sfdcIframeOrigin');
  await Promise.all([
    loadScript(origin + OPENCTI_PATH),
    Desktop.config.init({ widgetName: 'bench-worker-probe', widgetProvider: 'bench' }),
  ]);
  const settings = await opencti('getCallCenterSettings');
  performance.mark('probe:settings-received');
  const started = new Promise((resolve, reject) => {
    worker.addEventListener('message', (e) => {
      if (e.data.error) reject(new Error(e.data.error));
      else if (e.data.effects !== undefined) resolve(e.data.effects);
    });
  });
  worker.postMessage({ settings, now: Date.now() });
  // The relay: the page binds the listeners while the engine starts in the worker.
  const ignore = () => {};
  for (const name of __CONTACT_EVENTS__) Desktop.agentContact.addEventListener(name, ignore);
  Desktop.agentStateInfo.addEventListener('updated', ignore);
  performance.mark('probe:listeners-bound');
  const effects = await started;
  performance.mark('probe:engine-started');
  if (!(effects > 0)) throw new Error(`the engine asked for no effects (${effects})`);
  const api = window.sforce.opencti;
  api.enableClickToDial({ callback: ignore });
  api.onClickToDial({ listener: ignore });
  api.onNavigationChange({ listener: ignore });
  api.notifyInitializationComplete();
  performance.mark('probe:started');
}

class WorkerProbe extends HTMLElement {
  connectedCallback() {
    boot().catch((err) => console.error('[bench-worker-probe]', err));
  }
}
if (!customElements.get('bench-worker-probe')) customElements.define('bench-worker-probe', WorkerProbe);
