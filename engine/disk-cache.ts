// Things worth keeping between processes (generated WebAssembly, imported graphs), each an entry
// of bytes in one folder, named by a key its user derives from everything the bytes depend on —
// so a changed input gives another name, never a stale entry. An entry is the bytes followed by
// their CRC-32 (little-endian), checked on every read (a damaged entry is ignored and written
// again): a check against damage, not against someone who may write the folder (they could change
// the package itself), and ~10x faster than a SHA-256 over the megabytes a command reads. It is
// written to a temporary file and renamed into place, so processes writing the same entry at once
// leave one whole copy; the folder may be deleted at any time. Past MAX_ENTRIES the least
// recently used are removed.
//
// Where: $FACEREID_CACHE (a folder, or `off`), else $XDG_CACHE_HOME/facereid, else
// ~/.cache/facereid. Node only: elsewhere (a browser) nothing is kept.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHECK_BYTES = 4;
/** Entries kept (RMNet's module is ~290 KB, MTCNN's 10-40 KB each; an imported graph is its weights, 0.03-4 MB). */
export const MAX_ENTRIES = 256;
const ENTRY = /^[0-9a-f]{64}\.[a-z]+$/;

const inNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The cache folder in use, or undefined when caching is off or impossible here. */
export function cacheFolder(): string | undefined {
  if (!inNode) return undefined;
  const setting = process.env.FACEREID_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'facereid');
}

/** A SHA-256 of the .js/.ts files directly in `folders` (names and contents, in order); null when one cannot be read. */
export function sourceHash(folders: URL[]): string | null {
  try {
    const hash = createHash('sha256');
    for (const folder of folders.map((url) => fileURLToPath(url))) {
      for (const file of readdirSync(folder).filter((f) => /\.[jt]s$/.test(f)).sort()) {
        hash.update(`${file}\0`).update(readFileSync(join(folder, file)));
      }
    }
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/** The entry `name` (a 64-digit hex key and an extension) if it is there and whole. */
export function readEntry(folder: string, name: string): Uint8Array<ArrayBuffer> | undefined {
  const path = join(folder, name);
  let entry: Buffer;
  try {
    entry = readFileSync(path);
  } catch {
    return undefined;
  }
  if (entry.length <= CHECK_BYTES) return undefined;
  const bytes = entry.subarray(0, entry.length - CHECK_BYTES);
  if (crc32(bytes) !== entry.readUInt32LE(bytes.length)) return undefined;
  try {
    const now = new Date();
    utimesSync(path, now, now); // recently used: kept longest
  } catch { /* read-only cache: still usable */ }
  return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length);
}

/** Stores `bytes` as the entry `name`; any failure (unwritable folder, full disk) only means nothing is kept. */
export function writeEntry(folder: string, name: string, bytes: Uint8Array): void {
  if (!ENTRY.test(name)) throw new RangeError(`disk cache: '${name}' is not a key and an extension`);
  const path = join(folder, name);
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(folder, { recursive: true });
    const check = Buffer.alloc(CHECK_BYTES);
    check.writeUInt32LE(crc32(bytes));
    writeFileSync(temporary, Buffer.concat([bytes, check]));
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
