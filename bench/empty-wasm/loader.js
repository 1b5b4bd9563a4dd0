// The empty module's loader, shaped like the widget's (www/widget/src/index.js): bundled the same
// way (esbuild, one iife with the wasm-bindgen glue), injected by the simulator desktop's layout
// loader like widget.js, the wasm fetched beside the script. Marks the same two moments the
// cold-start benchmark reads on the widget: script evaluated → start() returned.
import init, { start } from './pkg/empty_wasm.js';

performance.mark('empty:script-evaluated');

const SCRIPT_URL =
  document.currentScript?.src ||
  [...document.querySelectorAll('script[src]')].map((s) => s.src).find((s) => /empty\.js/.test(s)) ||
  location.href;

init({ module_or_path: new URL('empty.wasm', SCRIPT_URL) }).then(() => {
  start();
  performance.mark('empty:started');
});
