#!/usr/bin/env node
// The `facereid` executable: starts the command line (cli/main.ts, bundled by cli/build.mjs into
// one CommonJS file beside this one) through V8's code cache. Node 20 compiles every function
// of a module from source in each new process; V8 can instead read
// back the code it compiled in an earlier run. So the bundle is compiled as a vm.Script with the
// cached data of the last run of the same command (engine/disk-cache.ts, keyed by the bundle's
// bytes, the command, Node's version, flags and the machine), and when there was none, or V8
// refused it, the code compiled by the end of this run is stored for the next.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { cacheFolder, readEntry, writeEntry } from '../engine/disk-cache.js';
import { enableRelaxedSimd } from '../engine/relaxed-simd.js';
import { commandNamed, isCommand } from './command-named.js';

// V8 runs each WebAssembly function on its baseline compiler (Liftoff) first and recompiles it
// with TurboFan, on a background thread, once it has run about 1.8 MB of code (its tiering
// budget). A short command runs each generated layer function once or twice, so it would
// recompile nearly every function while both cores are busy, for code it hardly runs again
// (bench/NOTES.md §23). With a budget 55 times larger only the functions of long loops move to
// TurboFan: `compare a.jpg b.jpg` ~45 ms faster, two larger photos ~120 ms. The commands that run
// the nets for minutes (a video's frames, LFW's faces) keep V8's default. Set before anything is
// compiled: V8 reads it per module, and a code cache holds the flags it was made under.
const LONG_RUNNING = new Set(['track', 'eval']);
const named = commandNamed(process.argv.slice(2));
const command = isCommand(named) ? named : ''; // help, --version, a typo: one entry for them all
if (!LONG_RUNNING.has(command)) setFlagsFromString('--wasm-tiering-budget=100000000');
// Node 20 has relaxed SIMD behind a flag (engine/relaxed-simd.ts); this process is the command line's own.
enableRelaxedSimd();

const file = join(dirname(fileURLToPath(import.meta.url)), 'cli.cjs');
const bytes = readFileSync(file);
const folder = cacheFolder();
// V8 refuses a cache made under other flags: Node's own (and NODE_OPTIONS) are part of the key, so
// runs with different ones keep an entry each instead of replacing one another's.
const under = `${command}\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`;
const name = `${createHash('sha256').update(bytes).update(under).digest('hex')}.code`;
const cachedData = folder === undefined ? undefined : readEntry(folder, name);
// CommonJS's module wrapper, as Node's own loader puts around a file; the bundle is ASCII (cli/build.mjs).
const source = `(function (exports, require, module, __filename, __dirname) {${bytes.toString('latin1')}\n})`;
const script = new Script(source, { filename: file, cachedData });
if (folder !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
  process.once('exit', () => writeEntry(folder, name, script.createCachedData()));
}
const module = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
