// A models folder's manifest.json (the package's models/ has one): for each model folder in it,
// where the model comes from, its licence, and the SHA-256 of every file. When a model is found
// in a folder with a manifest, each of its files is checked before it is imported, so a corrupt
// or altered file is refused by name rather than read as weights.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheFolder, readEntry, writeEntry } from '../engine/disk-cache.js';
import { ModelError } from '../engine/graph/graph.js';

export const MANIFEST = 'manifest.json';

export interface ManifestEntry {
  /** What the model is and in which form it is here. */
  what: string;
  /** Where it was published. */
  source: string;
  copyright: string;
  /** SPDX identifier. */
  license: string;
  /** The licence text, relative to the model folder. */
  licenseFile: string;
  /** Path relative to the model folder → SHA-256, hex. */
  files: Record<string, string>;
}

/** Model folder name → its entry. */
export type Manifest = Record<string, ManifestEntry>;

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let chunk: Buffer | undefined;

/** Each file's SHA-256 by where it lies, its size, inode and times: the manifest's check and the
 *  graph cache's key (graph-cache.ts) read a model once between them. */
const digests = new Map<string, string>();

/**
 * A file's SHA-256, read a megabyte at a time into one reused buffer: checking a model costs no
 * fresh copy of it in memory (on a VM each fresh page costs a fault; the importer reads it next).
 * Kept in the disk cache (engine/disk-cache.ts) under the file's path, size, inode, modification
 * and change times, as git's index keeps a file's hash, so later processes skip reading the
 * models (~10 ms of `facereid compare`): any write to the file changes its change time, which
 * no program can set back. So a file is checked once per version of it, not once per process.
 */
export function fileSha256(path: string): string {
  const { size, mtimeMs, ctimeMs, ino } = statSync(path);
  const key = `${path}\0${size}\0${mtimeMs}\0${ctimeMs}\0${ino}`;
  let digest = digests.get(key);
  if (digest !== undefined) return digest;
  const folder = cacheFolder();
  const name = `${sha256(new TextEncoder().encode(`file digest 1\0${key}`))}.digest`;
  const kept = folder === undefined ? undefined : readEntry(folder, name);
  if (kept?.length === 32) {
    digests.set(key, digest = Buffer.from(kept).toString('hex'));
    return digest;
  }
  chunk ??= Buffer.allocUnsafe(1 << 20);
  const hash = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    for (let n; (n = readSync(fd, chunk, 0, chunk.length, null)) > 0;) hash.update(chunk.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  const bytes = hash.digest();
  if (folder !== undefined) writeEntry(folder, name, bytes);
  digests.set(key, digest = bytes.toString('hex'));
  return digest;
}

/** The manifest in `dir`, or undefined when there is none; a malformed one is an error naming it. */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return undefined;
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ModelError(`${path}: not a readable manifest (${(error as Error).message})`);
  }
  const entries = typeof manifest === 'object' && manifest !== null ? Object.entries(manifest) : [];
  if (entries.length === 0) throw new ModelError(`${path}: expected an object of model folders, each with its "files"`);
  for (const [folder, entry] of entries) {
    const files = (entry as Partial<ManifestEntry> | null)?.files;
    const hashes = typeof files === 'object' && files !== null ? Object.values(files) : [];
    if (hashes.length === 0 || !hashes.every((h) => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h))) {
      throw new ModelError(`${path}: '${folder}' needs "files": { path: SHA-256 as 64 hex digits, … }`);
    }
  }
  return manifest as Manifest;
}

/**
 * Checks `files` (relative to `dir/folder/`) against the manifest in `dir`, if it has one and it
 * lists `folder`: each must be listed and hash to its SHA-256.
 */
export function verifyModelFiles(dir: string, folder: string, files: readonly string[]): void {
  const entry = readManifest(dir)?.[folder];
  if (!entry) return;
  const manifest = join(dir, MANIFEST);
  for (const file of files) {
    const path = join(dir, folder, file);
    const listed = entry.files[file];
    if (!listed) throw new ModelError(`${path}: not listed in ${manifest}, so it cannot be verified`);
    const actual = fileSha256(path);
    if (actual !== listed) {
      throw new ModelError(`${path}: SHA-256 is ${actual} but ${manifest} lists ${listed}: the file is corrupt or altered`);
    }
  }
}
