// What the benchmarks' JavaScript adapters (the no-op adapter, bench/worker-probe) do with the
// Salesforce console: load Open CTI from its origin and call it. Written apart from the widget's
// loader on purpose: these stand for any adapter, not for ours.
export const OPENCTI_PATH = '/support/api/57.0/lightning/opencti_min.js';

export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(s);
  });
}

/** An Open CTI call, resolved with its response (the callback's argument). */
export const opencti = (method, args = {}) =>
  new Promise((resolve) => window.sforce.opencti[method]({ ...args, callback: resolve }));
