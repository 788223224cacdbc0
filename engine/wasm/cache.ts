// Generated WebAssembly modules kept between processes (engine/disk-cache.ts), so that a net
// compiled once before skips code generation: for RMNet that is most of the simd backend's
// compile time (~250 ms of ~300). An entry is keyed by a SHA-256 of everything the generator
// reads: the generator's own source files, and the inputs the backend hands it (each kernel node
// with its parameters and weights, and where every value, constant and scratch lies).

import { createHash, type Hash } from 'node:crypto';
import { cacheFolder, readEntry, sourceHash, writeEntry } from '../disk-cache.js';

/** Set in the command line's bundle (cli/build.mjs): generatorHash() of the files it was built from, which it no longer sits beside. */
declare const FACEREID_GENERATOR_HASH: string | undefined;

let generator: string | undefined | null;

/** A hash of the generator's source: this folder (the binary writer), the SIMD kernels and the backend
 *  that places them; null when they cannot be read (then nothing is cached). */
export function generatorHash(): string | null {
  if (generator !== undefined) return generator;
  if (typeof FACEREID_GENERATOR_HASH === 'string') return (generator = FACEREID_GENERATOR_HASH);
  generator = sourceHash([new URL('./', import.meta.url), new URL('../kernels/simd/', import.meta.url), new URL('../backends/', import.meta.url)]);
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
  const name = `${hash.digest('hex')}.wasm`;
  const cached = readEntry(folder, name);
  if (cached) return cached;
  const bytes = generate();
  writeEntry(folder, name, bytes);
  return bytes;
}
