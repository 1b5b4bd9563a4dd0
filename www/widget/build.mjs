// Bundles the widget loader with the real Desktop SDK and the wasm-bindgen glue into one
// script (www/widget/dist/widget.js), with widget.wasm beside it. Also writes a metafile so
// the size of our own JS can be told apart from the SDK's.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';

// The Salesforce domains of src/origin.rs, for the loader's early origin check (src/origin.js):
// one list, Rust's.
const originRs = await readFile('src/origin.rs', 'utf8');
const list = originRs.slice(originRs.indexOf('const SALESFORCE_SUFFIXES'), originRs.indexOf('];', originRs.indexOf('const SALESFORCE_SUFFIXES')));
const suffixes = [...list.matchAll(/"(\.[a-z.-]+)"/g)].map((m) => m[1]);
if (suffixes.length < 5) throw new Error(`found only ${suffixes.length} Salesforce domains in src/origin.rs`);

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
  define: { 'import.meta.url': 'undefined', __SALESFORCE_SUFFIXES__: JSON.stringify(suffixes) },
});
await writeFile(`${out}/meta.json`, JSON.stringify(result.metafile));
await copyFile('www/widget/pkg/widget_bg.wasm', `${out}/widget.wasm`);
