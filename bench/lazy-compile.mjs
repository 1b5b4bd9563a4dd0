// What the widget's cold start makes V8 compile (issue 15). Chromium compiles wasm lazily: each
// function is compiled on the main thread the first time it is called, so the code the adapter
// runs before `notifyInitializationComplete` is compiled during the cold start, on the critical
// path. This counts it from a Chrome trace (category v8.wasm: one `wasm.CompileLazy` event per
// function, with its index) of a cold start, between the widget's marks `script-evaluated` and
// `started`; each index is sized from the shipped widget.wasm's code section. Unlike the times,
// the counts do not move with the machine's load: a change to the start path shows in them.
import { readFileSync } from 'node:fs';
import { softphone, until, withPage } from '../tests/e2e/harness.mjs';
import { sections, uleb } from '../www/widget/wasm-sections.mjs';

/** Body size of every defined function of a wasm module, by function index (imports first). */
export function functionSizes(bytes) {
  const sizes = new Map();
  let imported = 0;
  for (const { id, body } of sections(bytes)) {
    if (id === 2) {
      // Imports: module and field names, then the kind and its description.
      let [count, p] = uleb(bytes, body);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = uleb(bytes, p);
        p += len;
        [len, p] = uleb(bytes, p);
        p += len;
        const kind = bytes[p++];
        if (kind === 0) {
          [, p] = uleb(bytes, p);
          imported += 1;
        } else if (kind === 1 || kind === 2) {
          if (kind === 1) p += 1; // a table's reference type
          let flags;
          [flags, p] = uleb(bytes, p);
          [, p] = uleb(bytes, p);
          if (flags & 1) [, p] = uleb(bytes, p);
        } else if (kind === 3) {
          p += 2; // value type, mutability
        } else {
          [, p] = uleb(bytes, p); // tag
        }
      }
    } else if (id === 10) {
      let [count, p] = uleb(bytes, body);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = uleb(bytes, p);
        sizes.set(imported + i, len);
        p += len;
      }
    }
  }
  return sizes;
}

/** One traced cold start: the functions compiled lazily on the widget's main thread before it started. */
async function tracedColdStart(env, sizes) {
  let result;
  await withPage(env, 'bench lazy compile', async ({ context, page }) => {
    const cdp = await context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.start', {
      transferMode: 'ReportEvents',
      traceConfig: { includedCategories: ['v8.wasm', 'blink.user_timing'], excludedCategories: ['*'] },
    });
    await page.goto(env.consoleUrl({ agents: 'A' }));
    const phone = await softphone(page, 'A');
    await until(phone, () => performance.getEntriesByName('wxcc-sfdc:started').length > 0, undefined, { message: 'the widget started' });
    await cdp.send('Tracing.end');
    await complete;
    const mark = (name) => events.find((e) => e.name === `wxcc-sfdc:${name}`);
    const [from, to] = [mark('script-evaluated'), mark('started')];
    if (!from || !to) throw new Error('the trace has no wxcc-sfdc:script-evaluated / started marks');
    const compiled = events.filter((e) => e.name === 'wasm.CompileLazy' && e.pid === from.pid && e.tid === from.tid && e.ts >= from.ts && e.ts <= to.ts);
    const indices = new Set(compiled.map((e) => e.args?.func_index));
    let bytes = 0;
    for (const i of indices) bytes += sizes.get(i) ?? 0;
    result = { functions: indices.size, bytes, tracedMs: compiled.reduce((s, e) => s + (e.dur ?? 0), 0) / 1000 };
  });
  return result;
}

/** `runs` traced cold starts of the widget at `wasmPath`: the median of each count. */
export async function lazyCompile(env, wasmPath, runs = 3) {
  const sizes = functionSizes(readFileSync(wasmPath));
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await tracedColdStart(env, sizes));
  const median = (k) => [...all].map((r) => r[k]).sort((a, b) => a - b)[Math.floor(all.length / 2)];
  let total = 0;
  for (const s of sizes.values()) total += s;
  return { runs, functions: median('functions'), bytes: median('bytes'), tracedMs: median('tracedMs'), definedFunctions: sizes.size, codeBytes: total, samples: all };
}
