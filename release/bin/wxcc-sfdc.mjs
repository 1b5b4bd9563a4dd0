#!/usr/bin/env node
// `wxcc-sfdc` for admins without Rust: the same Rust program as the native CLI, compiled to
// WebAssembly (WASI) and run by Node's built-in `node:wasi`, so its output and exit codes are the
// native ones. It needs no other package and no network.
//
// The program sees the host's file system at `/` and starts in this process's working directory
// (passed as PWD), so relative paths are read and printed as typed.
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const FLAG = '--experimental-wasi-unstable-preview1';

// node:wasi prints an "experimental" warning that the native CLI would not: leave it out.
const emitWarning = process.emitWarning;
process.emitWarning = (warning, ...rest) => {
  const text = typeof warning === 'string' ? warning : warning?.message ?? '';
  if (/WASI/.test(text)) return;
  emitWarning.call(process, warning, ...rest);
};

let WASI;
try {
  ({ WASI } = await import('node:wasi'));
} catch {
  // Node releases before 20 may keep WASI behind a flag: run again with it.
  if (!process.execArgv.includes(FLAG)) {
    const again = spawnSync(process.execPath, [FLAG, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
    });
    process.exit(again.status ?? 2);
  }
  console.error('wxcc-sfdc: this Node has no WebAssembly System Interface (node:wasi); use Node 18 or later');
  process.exit(2);
}

// On Windows the program's `/` is the drive of the working directory (untested here: CI is Linux).
const root = path.parse(process.cwd()).root;
const pwd = process.platform === 'win32' ? `/${process.cwd().slice(root.length).replaceAll('\\', '/')}` : process.cwd();
const wasi = new WASI({
  version: 'preview1',
  args: ['wxcc-sfdc', ...process.argv.slice(2)],
  env: { PWD: pwd },
  preopens: { '/': root },
  returnOnExit: true,
});
const bytes = await readFile(new URL('../cli/wxcc-sfdc.wasm', import.meta.url));
const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), {
  wasi_snapshot_preview1: wasi.wasiImport,
});
process.exitCode = wasi.start(instance);
