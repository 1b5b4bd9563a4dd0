// Measures the widget's payload: the wasm, our own JS (loader + wasm-bindgen glue, bundled with
// the Desktop SDK left out) and the whole script with the SDK, raw and gzip (level 9).
// Prints one JSON object; scripts/bench turns it into BENCHMARKS.md rows.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const size = (buf) => ({ raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length });
const ours = await build({
  entryPoints: ['www/widget/src/index.js'],
  bundle: true, format: 'iife', minify: true, target: 'es2020', legalComments: 'none', write: false,
  external: ['@wxcc-desktop/sdk'], define: { 'import.meta.url': 'undefined' }, logLevel: 'silent',
});
const result = {
  wasm: size(await readFile('www/widget/dist/widget.wasm')),
  ourJs: size(Buffer.from(ours.outputFiles[0].contents)),
  jsWithSdk: size(await readFile('www/widget/dist/widget.js')),
};
result.total = { raw: result.wasm.raw + result.jsWithSdk.raw, gzip: result.wasm.gzip + result.jsWithSdk.gzip };
console.log(JSON.stringify(result));
