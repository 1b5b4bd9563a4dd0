// Bundles the widget loader with the real Desktop SDK and the wasm-bindgen glue into one
// script (www/widget/dist/widget.js), with widget.wasm beside it. Also writes a metafile so
// the size of our own JS can be told apart from the SDK's.
import { build } from 'esbuild';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { sections } from './wasm-sections.mjs';

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

// The wasm without the custom sections no browser reads: `name` (wasm-bindgen names its shims
// there, 5 KB; the Rust names are stripped already) and `producers`. 0.7 KB of the gzipped wasm
// (issue 15). Done here rather than with binaryen: a few lines against a build dependency.
const DROPPED_SECTIONS = new Set(['name', 'producers']);

const wasm = await readFile('www/widget/pkg/widget_bg.wasm');
const kept = [wasm.subarray(0, 8)]; // magic and version
for (const section of sections(wasm)) {
  if (!DROPPED_SECTIONS.has(section.name)) kept.push(wasm.subarray(section.start, section.end));
}
const stripped = Buffer.concat(kept);
if (!WebAssembly.validate(stripped)) throw new Error('the widget wasm is not valid once its custom sections are dropped');
await writeFile(`${out}/widget.wasm`, stripped);
