// Generated WebAssembly modules kept between processes, so that a net compiled once before skips
// code generation: for RMNet that is most of the simd backend's compile time (~250 ms of ~300).
//
// An entry is keyed by a SHA-256 of everything the generator reads: the generator's own source
// files, and the inputs the backend hands it (each kernel node with its parameters and weights,
// and where every value, constant and scratch lies). A changed model, shape or generator gives
// another key, never a stale module. An entry is the module's bytes followed by their SHA-256,
// checked on every read (a damaged entry is ignored and written again). It is written to a
// temporary file and renamed into place, so processes writing the same entry at once leave one
// whole copy; the folder may be deleted at any time. Past MAX_ENTRIES the oldest are removed.
//
// Where: $FACEREID_CACHE (a folder, or `off`), else $XDG_CACHE_HOME/facereid, else
// ~/.cache/facereid. Node only: elsewhere (a browser) modules are generated every time.

import { createHash, type Hash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HASH_BYTES = 32;
/** Entries kept (RMNet's module is ~290 KB; MTCNN's are 10-40 KB each). */
export const MAX_ENTRIES = 256;
const ENTRY = /^[0-9a-f]{64}\.wasm$/;

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The cache folder in use, or undefined when caching is off or impossible here. */
export function cacheFolder(): string | undefined {
  if (!inNode) return undefined;
  const setting = process.env.FACEREID_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'facereid');
}

/** Set in the command line's bundle (cli/build.mjs): generatorHash() of the files it was built from, which it no longer sits beside. */
declare const FACEREID_GENERATOR_HASH: string | undefined;

let generator: string | undefined | null;

/** A hash of the generator's source: this folder (the binary writer), the SIMD kernels and the backend
 *  that places them; null when they cannot be read (then nothing is cached). */
export function generatorHash(): string | null {
  if (generator !== undefined) return generator;
  if (typeof FACEREID_GENERATOR_HASH === 'string') return (generator = FACEREID_GENERATOR_HASH);
  try {
    const hash = createHash('sha256');
    const folders = [new URL('./', import.meta.url), new URL('../kernels/simd/', import.meta.url), new URL('../backends/', import.meta.url)];
    for (const folder of folders.map((url) => fileURLToPath(url))) {
      for (const file of readdirSync(folder).filter((f) => /\.[jt]s$/.test(f)).sort()) {
        hash.update(`${file}\0`).update(readFileSync(join(folder, file)));
      }
    }
    generator = hash.digest('hex');
  } catch {
    generator = null;
  }
  return generator;
}

/** Each typed array's SHA-256, computed once: a net compiled for several shapes holds the same
 *  weight arrays each time, and they are never changed in place (see compile.ts). */
const digests = new WeakMap<ArrayBufferView, string>();

function digestOf(v: ArrayBufferView): string {
  let digest = digests.get(v);
  if (digest === undefined) digests.set(v, digest = createHash('sha256').update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).digest('hex'));
  return digest;
}

/** Feeds a value to the hash: its JSON, with every typed array's SHA-256 in place of its elements. */
function hashValue(hash: Hash, value: unknown): void {
  hash.update(JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v)) return { bytes: v.byteLength, sha256: digestOf(v) };
    return v instanceof Map ? [...v] : v;
  }));
}

/**
 * The module for `inputs` (everything `generate` reads, as plain data, Maps and typed arrays):
 * from the cache folder when it holds it, else generated and stored there. Any failure of the
 * cache (unwritable folder, full disk) only means the module is generated.
 */
export function cachedModule(inputs: unknown, generate: () => Uint8Array<ArrayBuffer>, folder = cacheFolder()): Uint8Array<ArrayBuffer> {
  const source = folder === undefined ? null : generatorHash();
  if (folder === undefined || source === null) return generate();
  const hash = createHash('sha256').update(source);
  hashValue(hash, inputs);
  const path = join(folder, `${hash.digest('hex')}.wasm`);
  const cached = read(path);
  if (cached) return cached;
  const bytes = generate();
  write(folder, path, bytes);
  return bytes;
}

/** The module stored at `path` if it is there and whole. */
function read(path: string): Uint8Array<ArrayBuffer> | undefined {
  let entry: Buffer;
  try {
    entry = readFileSync(path);
  } catch {
    return undefined;
  }
  const bytes = entry.subarray(0, entry.length - HASH_BYTES);
  if (entry.length <= HASH_BYTES || !createHash('sha256').update(bytes).digest().equals(entry.subarray(bytes.length))) return undefined;
  try {
    const now = new Date();
    utimesSync(path, now, now); // recently used: kept longest
  } catch { /* read-only cache: still usable */ }
  return new Uint8Array(bytes);
}

function write(folder: string, path: string, bytes: Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(temporary, Buffer.concat([bytes, createHash('sha256').update(bytes).digest()]));
    renameSync(temporary, path);
    prune(folder);
  } catch {
    try { rmSync(temporary, { force: true }); } catch { /* never made */ }
  }
}

/** Removes the least recently used entries past MAX_ENTRIES (and temporary files older than a minute). */
function prune(folder: string): void {
  const now = Date.now();
  const entries: { path: string; used: number }[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    try {
      const used = statSync(path).mtimeMs;
      if (ENTRY.test(name)) entries.push({ path, used });
      else if (name.endsWith('.tmp') && now - used > 60_000) rmSync(path, { force: true });
    } catch { /* removed meanwhile by another process */ }
  }
  entries.sort((a, b) => b.used - a.used).slice(MAX_ENTRIES).forEach(({ path }) => rmSync(path, { force: true }));
}
