// The no-op adapter (issue 15): the least any Open CTI adapter in the WxCC desktop must do
// before it can take a call, in JavaScript and nothing else, so the cold-start benchmark has a
// floor that is not an empty module. Like the widget (www/widget/src/index.js) it loads
// opencti_min.js from the console origin while Desktop.config.init runs with the host, asks
// Salesforce for the call center settings, binds the same Desktop SDK listeners (every contact
// event the adapter listens to and the agent state), then makes the same session calls up to
// notifyInitializationComplete. It handles nothing. Bundled by bench/browser.mjs with the real
// @wxcc-desktop/sdk; the contact event names come from src/desktop/events.rs at bundle time.
// It shares no code with the widget on purpose: it stands for any adapter, not for ours.
import { Desktop } from '@wxcc-desktop/sdk';
import { loadScript, opencti, OPENCTI_PATH } from './console.js';

/* global __CONTACT_EVENTS__ */
performance.mark('noop:script-evaluated');

async function boot() {
  const origin = new URLSearchParams(location.search).get('sfdcIframeOrigin');
  await Promise.all([
    loadScript(origin + OPENCTI_PATH),
    Desktop.config.init({ widgetName: 'bench-noop-adapter', widgetProvider: 'bench' }),
  ]);
  await opencti('getCallCenterSettings');
  const ignore = () => {};
  for (const name of __CONTACT_EVENTS__) Desktop.agentContact.addEventListener(name, ignore);
  Desktop.agentStateInfo.addEventListener('updated', ignore);
  const api = window.sforce.opencti;
  api.enableClickToDial({ callback: ignore });
  api.onClickToDial({ listener: ignore });
  api.onNavigationChange({ listener: ignore });
  api.notifyInitializationComplete();
  performance.mark('noop:started');
}

class NoopAdapter extends HTMLElement {
  connectedCallback() {
    boot().catch((err) => console.error('[bench-noop-adapter]', err));
  }
}
if (!customElements.get('bench-noop-adapter')) customElements.define('bench-noop-adapter', NoopAdapter);
