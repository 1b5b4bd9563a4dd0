#!/usr/bin/env node
// The worker probe (issue 15, bench/notes.md): would the Worker design reach a cold start of
// 1.3x the no-op adapter? Measures bench/worker-probe (the no-op adapter plus the engine's start
// in a dedicated Worker, the widget's wasm fetched and instantiated there) against the no-op
// adapter, interleaved, each in a new tab, as bench/browser.mjs measures the widget. The probe
// leaves out what a real adapter does on the page beyond relaying (storage, the writer lock, the
// panel), so its ratio is a lower bound for the design on this machine.
// Usage: node bench/worker-probe.mjs [--runs N]   (builds the probe's wasm when it is missing)
// Prints one JSON object on stdout. Not part of ./scripts/bench: a measurement for a decision.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoDir, startE2E } from '../tests/e2e/harness.mjs';
import { jsAdapter, markedColdStart, noopColdStart, stats } from './browser.mjs';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 12;
const PROBE = join(repoDir, 'bench', 'worker-probe');
const log = (...a) => console.error('[worker-probe]', ...a);

if (!existsSync(join(PROBE, 'pkg', 'probe_bg.wasm'))) {
  log('building the probe wasm (feature probe)…');
  execFileSync(join(PROBE, 'build'), { stdio: ['ignore', 'ignore', 'inherit'] });
}
const probe = await jsAdapter({ entry: 'bench/worker-probe/index.js', element: 'bench-worker-probe', mount: '/bench-probe/', file: 'probe-main.js', title: 'the worker probe' });
for (const f of ['worker.js']) copyFileSync(join(PROBE, f), join(probe.dir, f));
for (const f of ['probe.js', 'probe_bg.wasm']) copyFileSync(join(PROBE, 'pkg', f), join(probe.dir, f));
const noop = await jsAdapter({ entry: 'bench/noop-adapter/index.js', element: 'bench-noop-adapter', mount: '/bench-noop/', file: 'noop.js', title: 'the no-op adapter' });
const env = await startE2E({ mounts: { '/bench-probe/': probe.dir, '/bench-noop/': noop.dir } });
const PHASES = ['worker-ready', 'settings-received', 'listeners-bound', 'engine-started'];
const phases = Object.fromEntries(PHASES.map((k) => [k, []]));
const probeColdStart = async () => {
  const ms = await markedColdStart(env, {
    what: 'worker probe',
    layoutPath: '/bench-probe/layout.json',
    prefix: 'probe',
    reached: () => simConsole.calls('notifyInitializationComplete', 'A').length === 1,
    marks: PHASES,
  });
  for (const k of PHASES) phases[k].push(ms.marks[k]);
  return ms.value;
};
try {
  const load = loadavg().map((x) => Math.round(x * 100) / 100);
  await probeColdStart();
  await noopColdStart(env); // warm-up round, not counted
  const runs = { probe: [], noop: [] };
  for (let i = 0; i < RUNS; i++) {
    if (i % 2) {
      runs.noop.push(await noopColdStart(env));
      runs.probe.push(await probeColdStart());
    } else {
      runs.probe.push(await probeColdStart());
      runs.noop.push(await noopColdStart(env));
    }
    log(`run ${i + 1}/${RUNS}`);
  }
  const p = stats(runs.probe);
  const n = stats(runs.noop);
  // Each phase mark in ms after probe:script-evaluated (the warm-up round left out).
  const at = Object.fromEntries(PHASES.map((k) => [k, stats(phases[k].slice(1)).median]));
  const out = { date: new Date().toISOString(), loadAverageBefore: load, runs: RUNS, probe: p, noop: n, ratioToNoop: Math.round((p.median / n.median) * 1000) / 1000, probeMarksMs: at };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} finally {
  await env.close();
  rmSync(probe.dir, { recursive: true, force: true });
  rmSync(noop.dir, { recursive: true, force: true });
}
process.exit(0);
