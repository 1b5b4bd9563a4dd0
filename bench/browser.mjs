#!/usr/bin/env node
// The browser benchmarks of SPEC §7 (issue 8), in headless Chromium through the simulator, on the
// production path of tests/e2e/widget.test.mjs (console and desktop on two HTTPS origins, the
// shipped layout, www/widget/dist with the real @wxcc-desktop/sdk):
//
//   (a) cold start: widget script evaluated → listeners bound and notifyInitializationComplete
//       sent; in the same run the no-op adapter (bench/noop-adapter: JavaScript that does only
//       what any adapter must, up to notifyInitializationComplete) and an empty wasm-bindgen
//       module (bench/empty-wasm), each loaded the same way (a desktop layout script in the
//       softphone frame, esbuild iife): script evaluated → started. Runs rotate between the three, each in a new tab
//       with the origins' storage wiped; the simulator serves everything `no-store`, so every
//       run fetches and compiles the wasm again (no HTTP or wasm code cache).
//       Then three traced cold starts count the wasm code V8 compiles on the way (bench/lazy-compile.mjs).
//   (b) offered event → first Open CTI call, one sample per call of the soak.
//   (c) a 500-call soak in one page, its clock moved on 57.6 s a call (an 8-hour shift): the
//       widget frame's JS heap (after forced GC) and the wasm linear memory, every 25 calls; the
//       state records written to localStorage per call (characters, time). The
//       fake desktop host runs in that frame too; a control run drives the same calls with the
//       empty module instead of the widget, and its heap growth (the host's own) is taken out.
//
// Prints ONE JSON object on stdout (progress on stderr). Needs ./scripts/build-widget (and
// www/pkg) built; builds bench/empty-wasm when its output is missing.
// Usage: node bench/browser.mjs [--runs N] [--calls N] [--warmup N]
// No sleeps: every wait is for a condition.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { repoDir, softphone, startE2E, until, withPage } from '../tests/e2e/harness.mjs';
import { lazyCompile } from './lazy-compile.mjs';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '12' },
    calls: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '50' },
  },
});
const COLD_RUNS = Number(args.runs);
const SOAK_CALLS = Number(args.calls);
const WARMUP_CALLS = Number(args.warmup);
const CHECKPOINT_EVERY = 25;

// A real 8-hour shift spreads its 500 calls over 8 h. The shell's clock is Date.now() (src/web/
// ffi.rs now_ms) and the engine forgets a finished call 2 h after it ends (src/engine/call.rs
// KEEP_FINISHED_MS), so without moving the clock 500 calls in two minutes would all still be
// kept at the end: memory would grow for a reason a shift never meets. Each call moves the
// widget frame's Date.now() on by 8 h / 500 = 57.6 s.
const SHIFT_MS = 8 * 3_600_000;
const SIMULATED_MS_PER_CALL = SHIFT_MS / 500;
const KEEP_FINISHED_MS = 2 * 3_600_000; // src/engine/call.rs

const BUDGET = { coldStartMs: 100, coldStartRatioToNoop: 1.3, eventToOpenCtiMs: 1, soakGrowthBytes: 2 * 1024 * 1024, writtenPerCallRatio: 1.2 };
const EMPTY_DIR = join(repoDir, 'bench', 'empty-wasm');
const log = (...a) => console.error('[bench]', ...a);

const round3 = (x) => Math.round(x * 1000) / 1000;

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  return { n, median: round3(median), min: round3(s[0]), max: round3(s[n - 1]), mean: round3(s.reduce((a, b) => a + b, 0) / n) };
}

/**
 * The empty module, served at /bench-empty/ on the desktop origin: builds the crate when its
 * output is missing, bundles its loader as build.mjs bundles the widget's, and writes a desktop
 * layout that loads it like the shipped layout loads widget.js. Returns the folder to mount.
 */
async function emptyModule() {
  const glue = join(EMPTY_DIR, 'pkg', 'empty_wasm.js');
  const wasm = join(EMPTY_DIR, 'pkg', 'empty_wasm_bg.wasm');
  if (!existsSync(glue) || !existsSync(wasm)) {
    log('building bench/empty-wasm…');
    execFileSync(join(EMPTY_DIR, 'build'), { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'wxcc-bench-empty-'));
  await build({
    entryPoints: [join(EMPTY_DIR, 'loader.js')],
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    legalComments: 'none',
    outfile: join(dir, 'empty.js'),
    logLevel: 'warning',
    define: { 'import.meta.url': 'undefined' },
  });
  copyFileSync(wasm, join(dir, 'empty.wasm'));
  const layout = {
    agent: {
      version: '0.1.0',
      appTitle: 'bench: an empty wasm-bindgen module',
      area: {
        headless: {
          id: 'dw-headless',
          widgets: { comp1: { comp: 'bench-empty-module', script: '/bench-empty/empty.js', attributes: {} } },
          layout: { areas: [['comp1']], size: { cols: [1], rows: [1] } },
        },
      },
    },
  };
  writeFileSync(join(dir, 'layout.json'), JSON.stringify(layout));
  return { dir, wasmBytes: readFileSync(wasm).length };
}

/**
 * The no-op adapter (bench/noop-adapter), served at /bench-noop/ on the desktop origin: bundled
 * with the real Desktop SDK as build.mjs bundles the widget, the contact event names the adapter
 * listens to read from src/desktop/events.rs, and a desktop layout that loads it like the
 * shipped layout loads widget.js.
 */
const noopAdapter = () =>
  jsAdapter({ entry: 'bench/noop-adapter/index.js', element: 'bench-noop-adapter', mount: '/bench-noop/', file: 'noop.js', title: 'the no-op adapter' });

/**
 * An adapter written in JavaScript (`entry`, defining the custom element `element`), bundled into
 * a new folder as `file` with a desktop layout that loads it from `mount`. Returns the folder.
 */
export async function jsAdapter({ entry, element, mount, file, title }) {
  const events = readFileSync(join(repoDir, 'src', 'desktop', 'events.rs'), 'utf8');
  const table = events.slice(events.indexOf('contact_events! {'));
  const names = [...table.slice(0, table.indexOf('\n}')).matchAll(/= "(\w+)",/g)].map((m) => m[1]);
  if (names.length < 20) throw new Error(`found only ${names.length} contact event names in src/desktop/events.rs`);
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), `wxcc-${element}-`));
  await build({
    entryPoints: [join(repoDir, entry)],
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2020',
    legalComments: 'none',
    outfile: join(dir, file),
    logLevel: 'warning',
    nodePaths: [join(repoDir, 'node_modules')],
    define: { __CONTACT_EVENTS__: JSON.stringify(names) },
  });
  const layout = {
    agent: {
      version: '0.1.0',
      appTitle: `bench: ${title}`,
      area: {
        headless: {
          id: 'dw-headless',
          widgets: { comp1: { comp: element, script: `${mount}${file}`, attributes: {} } },
          layout: { areas: [['comp1']], size: { cols: [1], rows: [1] } },
        },
      },
    },
  };
  writeFileSync(join(dir, 'layout.json'), JSON.stringify(layout));
  return { dir, events: names.length };
}

// ---- (a) cold start -----------------------------------------------------------------------------

// The widget's marks (www/widget/src/index.js, src/web/shell.rs). opencti-loaded and
// desktop-initialised come from work started at once, beside the wasm's compile, when the
// loader's early origin check trusts the console.
const WIDGET_MARKS = [
  'script-evaluated',
  'wasm-instantiated',
  'opencti-loaded',
  'desktop-initialised',
  'wasm-start',
  'lock-requested',
  'settings-received',
  'writer-lock',
  'listeners-bound',
  'initialization-complete-sent',
  'started',
];
const PHASES = [
  // Between the four marks the widget always had, end to end.
  ['script-evaluated', 'wasm-start', 'wasm fetched, compiled and instantiated; Open CTI loaded from the console and Desktop.config.init with the host (in parallel)'],
  ['wasm-start', 'listeners-bound', 'writer lock asked for, getCallCenterSettings round trip meanwhile, configuration, SDK listeners bound'],
  ['listeners-bound', 'started', 'session Open CTI calls up to notifyInitializationComplete'],
  // Finer: where the first phases' time goes.
  ['script-evaluated', 'wasm-instantiated', 'wasm fetch + compile + instantiate'],
  ['script-evaluated', 'opencti-loaded', 'opencti_min.js from the console origin (beside the wasm)'],
  ['script-evaluated', 'desktop-initialised', 'Desktop.config.init with the host (beside the wasm)'],
  ['lock-requested', 'settings-received', 'getCallCenterSettings round trip (the lock is being granted meanwhile)'],
  ['lock-requested', 'writer-lock', 'Web Lock granted by the browser (from the request)'],
  ['settings-received', 'writer-lock', 'settings read into the configuration, shell built, then any wait left for the lock'],
  // The SDK console.info's each listener it binds (0.2–0.4 ms a line measured here, with the
  // DevTools protocol attached by Playwright serialising every console call; likely less in an
  // agent's browser).
  ['writer-lock', 'listeners-bound', 'storage probed, engine restored, SDK listeners bound (the SDK logs each one)'],
  ['listeners-bound', 'initialization-complete-sent', 'enableClickToDial, onClickToDial, onNavigationChange, notifyInitializationComplete'],
];

/** One cold start of the widget in a new tab: its marks, in ms since the frame's time origin. */
async function widgetColdStart(env) {
  let marks;
  await withPage(env, 'bench cold start widget', async ({ page }) => {
    await page.goto(env.consoleUrl({ agents: 'A' }));
    const phone = await softphone(page, 'A');
    marks = await until(
      phone,
      () => {
        if (!performance.getEntriesByName('wxcc-sfdc:started').length) return false;
        const out = {};
        for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('wxcc-sfdc:')) out[m.name.slice('wxcc-sfdc:'.length)] = m.startTime;
        return out;
      },
      undefined,
      { message: 'the widget started' },
    );
    // The end point is real: the console received notifyInitializationComplete.
    await until(page, () => simConsole.calls('notifyInitializationComplete', 'A').length === 1, undefined, { message: 'notifyInitializationComplete at the console' });
  });
  for (const name of WIDGET_MARKS) if (typeof marks[name] !== 'number') throw new Error(`the widget set no mark wxcc-sfdc:${name} (rebuild it: ./scripts/build-widget)`);
  if (marks['initialization-complete-sent'] > marks.started) throw new Error('notifyInitializationComplete was sent after the started mark');
  return marks;
}

/**
 * One cold start of a module loaded by the desktop layout at `layoutPath` that marks
 * `<prefix>:script-evaluated` and `<prefix>:started`: the time between the two marks. `reached`
 * (run in the console page) must hold afterwards: what the module stands for was done.
 */
export async function markedColdStart(env, { what, layoutPath, prefix, reached, marks = [] }) {
  let ms;
  await withPage(env, `bench cold start ${what}`, async ({ page }) => {
    await page.goto(env.consoleUrl({ agents: 'A', desktopParams: `layout=${layoutPath}` }));
    const phone = await softphone(page, 'A');
    ms = await until(
      phone,
      (p) => {
        const [a] = performance.getEntriesByName(`${p.prefix}:script-evaluated`);
        const [b] = performance.getEntriesByName(`${p.prefix}:started`);
        const at = (m) => (performance.getEntriesByName(`${p.prefix}:${m}`)[0]?.startTime ?? NaN) - a.startTime;
        return a && b ? { value: b.startTime - a.startTime, marks: Object.fromEntries(p.marks.map((m) => [m, at(m)])) } : false;
      },
      { prefix, marks },
      { message: `the ${what} started` },
    );
    if (reached) await until(page, reached, undefined, { message: `the ${what} reached the console` });
  });
  return marks.length ? ms : ms.value;
}

/** The empty module: script evaluated → start() returned. */
const emptyColdStart = (env) => markedColdStart(env, { what: 'empty module', layoutPath: '/bench-empty/layout.json', prefix: 'empty' });

/** The no-op adapter: script evaluated → notifyInitializationComplete sent; the console got its
 * settings request and notifyInitializationComplete. */
export const noopColdStart = (env) =>
  markedColdStart(env, {
    what: 'no-op adapter',
    layoutPath: '/bench-noop/layout.json',
    prefix: 'noop',
    reached: () => simConsole.calls('notifyInitializationComplete', 'A').length === 1 && simConsole.calls('getCallCenterSettings', 'A').length === 1,
  });

async function coldStart(env) {
  const runners = { widget: widgetColdStart, noop: noopColdStart, empty: emptyColdStart };
  // One round first, not counted: the browser's first tab pays for starting processes and
  // connections once, as an agent's browser has long done before the desktop loads.
  log('cold start: warm-up round');
  const first = await widgetColdStart(env);
  const warmup = { widgetMs: round3(first.started - first['script-evaluated']), noopMs: round3(await noopColdStart(env)), emptyMs: round3(await emptyColdStart(env)) };
  const runs = { widget: [], noop: [], empty: [] };
  const kinds = Object.keys(runners);
  for (let i = 0; i < COLD_RUNS; i++) {
    // Rotate which goes first, so none always runs right after the same other.
    const order = kinds.map((_, k) => kinds[(k + i) % kinds.length]);
    for (const which of order) runs[which].push(await runners[which](env));
    log(`cold start: run ${i + 1}/${COLD_RUNS}`);
  }
  const widget = runs.widget;
  const widgetMs = widget.map((m) => m.started - m['script-evaluated']);
  const w = stats(widgetMs);
  const n = stats(runs.noop);
  const e = stats(runs.empty);
  const phases = {};
  for (const [from, to, what] of PHASES) {
    phases[`${from}→${to}`] = { what, ...stats(widget.map((m) => m[to] - m[from])) };
  }
  return {
    runs: COLD_RUNS,
    budgetMs: BUDGET.coldStartMs,
    met: w.median <= BUDGET.coldStartMs,
    widget: { ...w, samplesMs: widgetMs.map(round3), endMark: 'wxcc-sfdc:started (after wxcc-sfdc:initialization-complete-sent)' },
    noop: { ...n, samplesMs: runs.noop.map(round3), endMark: 'noop:started (after notifyInitializationComplete is sent)' },
    empty: { ...e, samplesMs: runs.empty.map(round3) },
    ratio: round3(w.median / e.median),
    ratioToNoop: round3(w.median / n.median),
    budgetRatioToNoop: BUDGET.coldStartRatioToNoop,
    metRatioToNoop: w.median / n.median <= BUDGET.coldStartRatioToNoop,
    phases,
    // Every run's marks, in ms after wxcc-sfdc:script-evaluated.
    marks: widget.map((m) => Object.fromEntries(WIDGET_MARKS.map((k) => [k, round3(m[k] - m['script-evaluated'])]))),
    warmup,
  };
}

// ---- (b) + (c) the soak -----------------------------------------------------------------------

/**
 * In the desktop frame before any script: Date.now() moved on by the bench between calls (see
 * SIMULATED_MS_PER_CALL). Only the desktop frame (widget, SDK and fake host share its clock); the
 * console frame keeps real time.
 */
function clockInitScript() {
  if (!location.pathname.startsWith('/desktop/')) return;
  const realNow = Date.now.bind(Date);
  let offset = 0;
  Date.now = () => realNow() + offset;
  Object.defineProperty(window, '__benchClock', { value: { advance: (ms) => (offset += ms), offset: () => offset } });
}

/**
 * Instruments the widget frame for the soak (after the adapter is active). Measured from here
 * rather than with marks inside src/web, so that the widget runs its production code and the
 * bench adds only a clock read at each end:
 * - t0, the offer reaching the widget: the fake host hands a desktop event to its listeners (the
 *   SDK's, which calls the adapter) in EventEntity.prototype.emit; wrapping it records the
 *   moment the host starts the hand-over, before any listener runs.
 * - t1, the first Open CTI call: the shell looks each sforce.opencti method up when it calls
 *   it, so wrapping the methods records when the widget calls one. The wrappers also count
 *   callbacks not yet answered (the soak waits for none before the next step).
 * - Between the two, the engine's changed records are written to localStorage (they go before
 *   the calls they protect): the time spent in setItem is recorded, to show where t1 − t0 goes;
 *   and over each whole call, the characters written and the time, for the persistence figures.
 */
function instrument() {
  const bench = { inflight: 0, current: null };
  window.__bench = bench;
  const inOfferWindow = () => bench.current && bench.current.offeredAt !== undefined && bench.current.firstCallAt === undefined;
  const proto = Object.getPrototypeOf(window.AGENTX_SERVICE.aqm.contact.eAgentOfferContact);
  const emit = proto.emit;
  proto.emit = function (msg, onlyFn) {
    if (this.name === 'eAgentOfferContact' && !onlyFn && bench.current && bench.current.offeredAt === undefined) bench.current.offeredAt = performance.now();
    return emit.call(this, msg, onlyFn);
  };
  // Every write of the adapter's state records (keys `…:state:…`) while a call is driven: the
  // characters written (key and value, what the origin's quota counts) and the time in setItem,
  // per call; and separately the time spent in them between the offer and the first Open CTI call.
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    const s = bench.current;
    if (!s || !String(key).includes(':state:')) return setItem.call(this, key, value);
    const at = performance.now();
    try {
      return setItem.call(this, key, value);
    } finally {
      const spent = performance.now() - at;
      s.writes = (s.writes ?? 0) + 1;
      s.writtenChars = (s.writtenChars ?? 0) + String(key).length + String(value).length;
      s.writeMs = (s.writeMs ?? 0) + spent;
      if (inOfferWindow()) s.persistMs = (s.persistMs ?? 0) + spent;
    }
  };
  const opencti = window.sforce.opencti;
  for (const [name, fn] of Object.entries(opencti)) {
    if (typeof fn !== 'function') continue;
    opencti[name] = function (arg) {
      const at = performance.now();
      if (inOfferWindow()) {
        bench.current.firstCallAt = at;
        bench.current.firstMethod = name;
      }
      if (arg && typeof arg.callback === 'function') {
        const callback = arg.callback;
        bench.inflight += 1;
        arg.callback = (response) => {
          bench.inflight -= 1;
          callback(response);
        };
      }
      return arguments.length ? fn.call(this, arg) : fn.call(this);
    };
  }
  // The clock's resolution here (Chromium coarsens performance.now() outside cross-origin
  // isolation): the smallest step seen.
  let step = Infinity;
  let prev = performance.now();
  for (let i = 0; i < 100000; i++) {
    const now = performance.now();
    if (now > prev) step = Math.min(step, now - prev);
    prev = now;
  }
  return { timerResolutionMs: step };
}

/**
 * Drives `count` full calls (offer → answer → end → wrap-up) in the desktop frame. With the
 * widget, each step waits until the adapter is done with it: the event delivered to the SDK's
 * listener, every Open CTI call answered, and after the wrap-up the outbox empty. Without it
 * (the host-only control run), until the host delivered the event. Then the fake host forgets
 * the call (simDesktop.reset): a real desktop does not keep a shift of interactions in the
 * widget's page. Returns one latency sample per call with the widget.
 */
async function driveCalls({ from, count, msPerCall, widget }) {
  const bench = window.__bench;
  const adapter = widget ? await window.wxccSfdcAdapter : null;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
  const handled = (name, id) =>
    widget ? simDesktop.events(name, id).some((e) => e.listeners > 0) && bench.inflight === 0 : simDesktop.events(name, id).length > 0;
  async function waitFor(call, what, condition) {
    const deadline = performance.now() + 15000;
    while (!condition()) {
      if (performance.now() > deadline) throw new Error(`call ${call}: timed out waiting for ${what}`);
      await tick();
    }
  }
  const samples = [];
  for (let n = from; n < from + count; n++) {
    window.__benchClock.advance(msPerCall);
    const sample = widget ? (bench.current = { call: n }) : null;
    const id = simDesktop.ring({ ani: '+12125550101', dnis: '+18005550100', queue: 'Sales' });
    await waitFor(n, 'the offer handled', () => handled('eAgentOfferContact', id) && (!widget || sample.firstCallAt !== undefined));
    simDesktop.answer(id);
    await waitFor(n, 'the answer handled', () => handled('eAgentContactAssigned', id));
    simDesktop.end(id);
    await waitFor(n, 'the end handled', () => handled('eAgentWrapup', id));
    simDesktop.wrapup(id, 'Sale');
    await waitFor(n, 'the wrap-up logged', () => handled('eAgentContactWrappedUp', id) && (!widget || adapter.outboxLength() === 0));
    simDesktop.reset();
    if (widget) {
      bench.current = null;
      samples.push({
        ms: sample.firstCallAt - sample.offeredAt,
        method: sample.firstMethod,
        persistMs: sample.persistMs ?? 0,
        writes: sample.writes ?? 0,
        writtenChars: sample.writtenChars ?? 0,
        writeMs: sample.writeMs ?? 0,
      });
    }
  }
  return samples;
}

/** What the desktop frame holds after a forced GC (and what the widget keeps, when it runs). */
async function memoryAt(cdp, frame, call) {
  // Twice: the first collection can leave objects a finaliser frees to the second.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  const held = await frame.evaluate(async () => {
    const out = { simLogEntries: simDesktop.log().length };
    if (!window.wxccSfdcAdapter) return out;
    const adapter = await window.wxccSfdcAdapter;
    const keys = Object.keys(localStorage).filter((k) => k.startsWith('wxcc-sfdc-adapter:') && k.includes(':state:'));
    const storedChars = keys.reduce((n, k) => n + k.length + localStorage.getItem(k).length, 0);
    Object.assign(out, {
      wasmMemoryBytes: adapter.wasmMemoryBytes(),
      storedChars,
      callsKept: keys.filter((k) => k.includes(':state:call:')).length,
      forgotten: keys.filter((k) => k.includes(':state:gone:')).length,
    });
    return out;
  });
  return { call, heapUsedBytes: heap.usedSize, domNodes: dom.nodes, jsEventListeners: dom.jsEventListeners, ...held };
}

/**
 * One page, `SOAK_CALLS` calls, memory after every CHECKPOINT_EVERY. `widget`: the production
 * layout; else the empty module's layout, so that only the fake host runs in the frame (the
 * control run: what the simulator itself adds to the frame's heap over the same calls).
 */
async function soakRun(env, { widget }) {
  let result;
  await withPage(env, widget ? 'bench soak' : 'bench soak host only', async ({ context, page }) => {
    await page.addInitScript(clockInitScript);
    await page.goto(env.consoleUrl(widget ? { agents: 'A' } : { agents: 'A', desktopParams: 'layout=/bench-empty/layout.json' }));
    await page.evaluate(() => window.simConsole.ready);
    const phone = await softphone(page, 'A');
    await until(phone, () => window.simDesktop && window.simDesktop.layout, undefined, { message: 'the desktop' });
    await phone.evaluate(() => window.simDesktop.ready);
    if (!(await phone.evaluate(() => typeof window.__benchClock?.advance === 'function'))) throw new Error('the clock init script did not run in the softphone frame');
    let timerResolutionMs = null;
    if (widget) {
      await until(phone, async () => (await window.wxccSfdcAdapter)?.status()?.state === 'active', undefined, { message: 'the adapter active' });
      await until(phone, () => simDesktop.listening('eAgentOfferContact') > 0 && simDesktop.listening('eAgentContactWrappedUp') > 0);
      await until(page, () => simConsole.calls('notifyInitializationComplete', 'A').length === 1, undefined, { message: 'notifyInitializationComplete' });
      ({ timerResolutionMs } = await phone.evaluate(instrument));
    } else {
      await until(phone, () => performance.getEntriesByName('empty:started').length > 0, undefined, { message: 'the empty module' });
    }
    // The softphone is a cross-site frame: its own renderer process and V8 isolate, which the
    // console (the fake org, another site) does not share.
    const cdp = await context.newCDPSession(phone);
    const started = Date.now();
    const checkpoints = [await memoryAt(cdp, phone, 0)];
    const samples = [];
    for (let done = 0; done < SOAK_CALLS; ) {
      const count = Math.min(CHECKPOINT_EVERY, SOAK_CALLS - done);
      samples.push(...(await phone.evaluate(driveCalls, { from: done + 1, count, msPerCall: SIMULATED_MS_PER_CALL, widget })));
      done += count;
      const c = await memoryAt(cdp, phone, done);
      checkpoints.push(c);
      log(`soak${widget ? '' : ' (host only)'}: ${done}/${SOAK_CALLS} calls, heap ${(c.heapUsedBytes / 2 ** 20).toFixed(2)} MB` + (widget ? `, wasm ${(c.wasmMemoryBytes / 2 ** 20).toFixed(2)} MB` : ''));
    }
    const realMs = Date.now() - started;
    await cdp.detach();
    let salesforce = null;
    if (widget) {
      // Every call reached Salesforce: one pop and one completed Task each.
      salesforce = await page.evaluate(() => ({
        searchAndScreenPop: simConsole.calls('searchAndScreenPop', 'A').length,
        tasksCompleted: simConsole.tasks().filter((t) => t.Status === 'Completed').length,
      }));
      if (salesforce.searchAndScreenPop !== SOAK_CALLS || salesforce.tasksCompleted !== SOAK_CALLS) throw new Error(`the soak's calls did not all reach Salesforce: ${JSON.stringify(salesforce)}`);
    }
    result = { checkpoints, samples, timerResolutionMs, realMs, salesforce };
  });
  return result;
}

/** Growth between the checkpoint at call `from` and the last, the host's share taken out. */
function growth(run, host, from) {
  const at = (cs) => cs.find((c) => c.call >= from);
  const [a, b, ha, hb] = [at(run.checkpoints), run.checkpoints.at(-1), at(host.checkpoints), host.checkpoints.at(-1)];
  if (!a || !ha) return null; // a shorter run (--calls) than `from`
  const heapBytes = b.heapUsedBytes - a.heapUsedBytes;
  const hostHeapBytes = hb.heapUsedBytes - ha.heapUsedBytes;
  const wasmBytes = b.wasmMemoryBytes - a.wasmMemoryBytes;
  return {
    fromCall: a.call,
    toCall: b.call,
    heapBytes,
    hostHeapBytes,
    widgetHeapBytes: heapBytes - hostHeapBytes,
    wasmBytes,
    widgetTotalBytes: heapBytes - hostHeapBytes + wasmBytes,
  };
}

async function soak(env) {
  const run = await soakRun(env, { widget: true });
  const host = await soakRun(env, { widget: false });
  const samplesMs = run.samples.map((s) => round3(s.ms));
  const persistMs = run.samples.map((s) => round3(s.persistMs));
  const latency = stats(samplesMs);
  // The engine forgets a finished call two (simulated) hours after it ends: from then on it
  // keeps about the same number of calls.
  const retentionCalls = Math.ceil(KEEP_FINISHED_MS / SIMULATED_MS_PER_CALL);
  const afterWarmup = growth(run, host, WARMUP_CALLS);
  return {
    eventToOpenCti: {
      budgetMs: BUDGET.eventToOpenCtiMs,
      ...latency,
      met: latency.median <= BUDGET.eventToOpenCtiMs,
      from: 'the fake host hands eAgentOfferContact to its listeners (EventEntity.emit)',
      to: 'the widget calls the first sforce.opencti method for that call',
      firstMethods: [...new Set(run.samples.map((s) => s.method))],
      timerResolutionMs: round3(run.timerResolutionMs),
      // Does it move as the engine's state fills up over the shift?
      firstCalls: stats(samplesMs.slice(0, WARMUP_CALLS)),
      lastCalls: stats(samplesMs.slice(-WARMUP_CALLS)),
      // Of t1 − t0: the state records written to localStorage before the call.
      persist: {
        ms: stats(persistMs),
        firstCalls: stats(persistMs.slice(0, WARMUP_CALLS)),
        lastCalls: stats(persistMs.slice(-WARMUP_CALLS)),
      },
      samplesMs,
      persistSamplesMs: persistMs,
    },
    soak: {
      calls: SOAK_CALLS,
      warmupCalls: WARMUP_CALLS,
      simulatedMsPerCall: SIMULATED_MS_PER_CALL,
      simulatedHours: (SOAK_CALLS * SIMULATED_MS_PER_CALL) / 3_600_000,
      realMs: run.realMs,
      budgetBytes: BUDGET.soakGrowthBytes,
      met: afterWarmup.widgetTotalBytes <= BUDGET.soakGrowthBytes,
      growthAfterWarmup: afterWarmup,
      retentionCalls,
      growthAfterRetentionWindow: growth(run, host, retentionCalls),
      checkpoints: run.checkpoints,
      hostOnlyCheckpoints: host.checkpoints,
      hostOnlyRealMs: host.realMs,
      salesforce: run.salesforce,
    },
    persistence: persistenceOf(run.samples),
  };
}

/** What the shift wrote to localStorage per call: first and last WARMUP_CALLS calls. */
function persistenceOf(samples) {
  const part = (xs) => ({
    writtenChars: stats(xs.map((s) => s.writtenChars)),
    writes: stats(xs.map((s) => s.writes)),
    msPerWrite: stats(xs.filter((s) => s.writes > 0).map((s) => s.writeMs / s.writes)),
    msPerCall: stats(xs.map((s) => s.writeMs)),
  });
  const first = part(samples.slice(0, WARMUP_CALLS));
  const last = part(samples.slice(-WARMUP_CALLS));
  const ratio = round3(last.writtenChars.median / first.writtenChars.median);
  return {
    what: 'localStorage.setItem of the state records (key + value characters), per call of the shift',
    firstCalls: first,
    lastCalls: last,
    ratio,
    budgetRatio: BUDGET.writtenPerCallRatio,
    met: ratio <= BUDGET.writtenPerCallRatio,
    writtenCharsPerCall: samples.map((s) => s.writtenChars),
  };
}

// ---- main ---------------------------------------------------------------------------------------

function machine() {
  let chromium = '';
  try {
    chromium = execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // reported empty
  }
  return {
    cpu: cpus()[0]?.model?.trim() ?? '',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    // Other work on the machine skews the times: the 1, 5 and 15 min loads before the bench.
    loadAverageBefore: loadavg().map((x) => Math.round(x * 100) / 100),
    os: `${type()} ${release()}`,
    node: process.version,
    chromium,
  };
}

async function main() {
  for (const f of ['www/widget/dist/widget.js', 'www/widget/dist/widget.wasm', 'www/pkg/wxcc_sfdc_adapter.js']) {
    if (!existsSync(join(repoDir, f))) throw new Error(`${f} is missing: run ./scripts/build-widget (and wasm-pack … --out-dir www/pkg)`);
  }
  const host = machine();
  const date = new Date().toISOString();
  const empty = await emptyModule();
  const noop = await noopAdapter();
  const env = await startE2E({ mounts: { '/bench-empty/': empty.dir, '/bench-noop/': noop.dir } });
  const t0 = Date.now();
  try {
    const cold = await coldStart(env);
    log('cold start: the code compiled on the way (traced)');
    cold.lazyCompile = await lazyCompile(env, join(repoDir, 'www/widget/dist/widget.wasm'));
    const { eventToOpenCti, soak: shift, persistence } = await soak(env);
    const out = {
      date,
      machine: host,
      widgetWasmBytes: readFileSync(join(repoDir, 'www/widget/dist/widget.wasm')).length,
      emptyWasmBytes: empty.wasmBytes,
      coldStart: cold,
      eventToOpenCti,
      soak: shift,
      persistence,
      benchMs: Date.now() - t0,
    };
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  } finally {
    await env.close();
    rmSync(empty.dir, { recursive: true, force: true });
    rmSync(noop.dir, { recursive: true, force: true });
  }
}

// Run as a script (bench/worker-probe.mjs imports the helpers above).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
