// Bundles the widget loader with the real Desktop SDK and the wasm-bindgen glue into one
// script (www/widget/dist/widget.js), with widget.wasm beside it. Also writes a metafile so
// the size of our own JS can be told apart from the SDK's.
import { build } from 'esbuild';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';

const out = 'www/widget/dist';
await mkdir(out, { recursive: true });
const result = await build({
  entryPoints: ['www/widget/src/index.js'],
  bundle: true,
  format: 'iife',
  minify: true,
  target: 'es2020',
  legalComments: 'none',
  outfile: `${out}/widget.js`,
  metafile: true,
  logLevel: 'warning',
  // The wasm URL is always passed explicitly; the glue's import.meta default is never used.
  define: { 'import.meta.url': 'undefined' },
});
await writeFile(`${out}/meta.json`, JSON.stringify(result.metafile));
await copyFile('www/widget/pkg/widget_bg.wasm', `${out}/widget.wasm`);
