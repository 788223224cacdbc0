// Imported graphs kept between processes (engine/disk-cache.ts): a model read once before is not
// parsed again (MTCNN's four caffemodels through protobufjs and RMNet's IR took ~125 ms of a
// ~730 ms `facereid compare`; reading an entry back takes ~25). An entry is keyed by a SHA-256
// of the importer's own source, the files' paths and contents (each file's SHA-256, which the
// manifest check has computed already: manifest.ts) and the import options, so a changed file,
// limit or importer never meets a stale graph; an import that fails stores nothing.
//
// An entry: the byte length of the JSON (u32, little-endian), the graph as JSON with each
// Float32Array replaced by {"$f32": byte offset, "n": length} and each number JSON cannot hold
// (±Infinity, NaN, -0) by {"$num": its name}, zeros up to a multiple of 4, then the floats in
// this machine's byte order (which the key includes). The graph read back holds views of them.

import { createHash } from 'node:crypto';
import { cacheFolder, readEntry, sourceHash, writeEntry } from '../engine/disk-cache.js';
import type { Graph } from '../engine/graph/graph.js';
import { fileSha256 } from './manifest.js';

/** Set in the command line's bundle (cli/build.mjs): importerHash() of the files it was built from. */
declare const FACEREID_IMPORTER_HASH: string | undefined;

let importer: string | undefined | null;

/** A hash of the source a graph comes out of: the importers, the graph and its checks, the limits, the file readers. */
export function importerHash(): string | null {
  if (importer !== undefined) return importer;
  if (typeof FACEREID_IMPORTER_HASH === 'string') return (importer = FACEREID_IMPORTER_HASH);
  return (importer = sourceHash(['./', './caffe/', './openvino/', '../engine/', '../engine/graph/', '../io/']
    .map((folder) => new URL(folder, import.meta.url))));
}

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/**
 * The graph `load` imports from `files` with `options`: read back from the cache folder when it
 * holds it, else imported and stored there. When a file cannot be hashed (missing, unreadable)
 * `load` runs and reports it.
 */
export async function cachedImport(files: string[], options: unknown, load: () => Promise<Graph>, folder = cacheFolder()): Promise<Graph> {
  const source = folder === undefined ? null : importerHash();
  if (folder === undefined || source === null) return load();
  let name: string;
  try {
    const hash = createHash('sha256').update(`graph 1\0${source}\0${littleEndian ? 'le' : 'be'}\0${JSON.stringify(options ?? {}, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v))}`);
    for (const path of files) hash.update(`\0${path}\0${fileSha256(path)}`);
    name = `${hash.digest('hex')}.graph`;
  } catch {
    return load();
  }
  const cached = readEntry(folder, name);
  if (cached) {
    const graph = decodeGraph(cached);
    if (graph) return graph;
  }
  const graph = await load();
  const bytes = encodeGraph(graph);
  if (bytes) writeEntry(folder, name, bytes);
  return graph;
}

const NUMBERS: Record<string, number> = { Infinity, '-Infinity': -Infinity, NaN, '-0': -0 };

/** The entry's bytes for `graph`; undefined when it holds something JSON and Float32Arrays cannot (then it is not kept). */
export function encodeGraph(graph: Graph): Uint8Array | undefined {
  const arrays: Float32Array[] = [];
  let floatBytes = 0;
  let unsupported = false;
  const json = JSON.stringify(graph, (_key, v: unknown) => {
    if (v instanceof Float32Array) {
      arrays.push(v);
      floatBytes += v.byteLength;
      return { $f32: floatBytes - v.byteLength, n: v.length };
    }
    if (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) return { $num: Object.is(v, -0) ? '-0' : String(v) };
    if (ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set || typeof v === 'function' || typeof v === 'bigint') unsupported = true;
    return v;
  });
  if (unsupported) return undefined;
  const text = new TextEncoder().encode(json);
  const floatsAt = Math.ceil((4 + text.length) / 4) * 4;
  const bytes = new Uint8Array(floatsAt + floatBytes);
  new DataView(bytes.buffer).setUint32(0, text.length, true);
  bytes.set(text, 4);
  let at = floatsAt;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return bytes;
}

/** The graph in an entry's bytes (its floats views of them where aligned); undefined when they are not one. */
export function decodeGraph(bytes: Uint8Array): Graph | undefined {
  try {
    const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
    const floatsAt = Math.ceil((4 + length) / 4) * 4;
    if (floatsAt > bytes.length) return undefined;
    // Views need the floats on a multiple of 4 in their buffer; else one aligned copy of them all.
    const floats = (bytes.byteOffset + floatsAt) % 4 === 0
      ? { buffer: bytes.buffer, at: bytes.byteOffset + floatsAt }
      : { buffer: bytes.slice(floatsAt).buffer, at: 0 };
    const end = floats.at + bytes.length - floatsAt;
    const text = new TextDecoder().decode(bytes.subarray(4, 4 + length));
    return JSON.parse(text, (_key, v: unknown) => {
      if (v === null || typeof v !== 'object') return v;
      if ('$num' in v) return NUMBERS[String(v.$num)];
      if (!('$f32' in v && 'n' in v)) return v;
      const at = floats.at + Number(v.$f32), n = Number(v.n);
      if (!(Number.isInteger(at) && Number.isInteger(n) && n >= 0 && at + 4 * n <= end)) throw new RangeError('a float run past the entry');
      return new Float32Array(floats.buffer, at, n);
    }) as Graph;
  } catch {
    return undefined;
  }
}
