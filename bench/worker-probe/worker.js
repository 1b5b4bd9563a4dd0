// The worker of the probe (index.js): instantiates the widget's wasm module the page compiled and
// handed over, then starts the engine when the settings come.
import init, { probeEngineStart } from './probe.js';

let given;
const ready = new Promise((resolve) => (given = resolve)).then((module) => init({ module_or_path: module })).then(() => self.postMessage({ ready: true }));
self.onmessage = async (e) => {
  if (e.data.module) return given(e.data.module);
  try {
    await ready;
    self.postMessage({ effects: probeEngineStart(e.data.settings, e.data.now) });
  } catch (err) {
    self.postMessage({ error: String(err) });
  }
};
