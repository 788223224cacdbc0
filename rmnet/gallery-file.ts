// Gallery files: reading, and changing them so that nothing the user owns is lost.
//   - A write is atomic: a temporary file beside the gallery, fsync, rename over it, fsync of
//     the folder; a crash at any point leaves the old gallery or the new one, and the next
//     writer removes the temporary file a crash left behind.
//   - Writers take turns under the gallery's lock (gallery-lock.ts) and apply their change to
//     the gallery as it is on disk then, so concurrent updates are all kept.
//   - A file that is not a valid gallery of the same embedding space is refused, never
//     overwritten; a symbolic link is followed (the file it points to is replaced), and the
//     file's permissions are kept.
//   - `readGallery(…, { writable: true })` finds out, before a command's slow work, whether the
//     gallery could be written at all. Messages name the user's file, never a temporary one.

import {
  accessSync, closeSync, constants, fchmodSync, fstatSync, fsyncSync, lstatSync, openSync, readdirSync, readFileSync,
  realpathSync, renameSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  emptyGallery, GalleryError, matchSpace, parseGallery, serializeGallery, type EmbeddingSpace, type Gallery,
} from './gallery.js';
import { withLock, type HeldLock, type LockOptions } from './gallery-lock.js';
import { DEFAULT_LIMITS } from '../engine/limits.js';

/** The points of a write, in order (see GalleryFileOptions.onStep). */
export type WriteStep = 'locked' | 'written' | 'synced' | 'renamed' | 'committed';

export interface GalleryFileOptions extends LockOptions {
  /** Largest gallery file read or written (default: the galleryBytes limit, engine/limits.ts). */
  maxBytes?: number;
  /**
   * Called at each point of a write: 'locked' (lock held, nothing read yet), 'written' (the
   * temporary file holds the new gallery), 'synced' (…and is on disk), 'renamed' (it replaced
   * the gallery), 'committed' (the folder is synced; the lock is released next). The one test
   * hook: test/gallery-crash.test.ts kills the process at each point.
   */
  onStep?: (step: WriteStep) => void;
}

/**
 * Reads the gallery `file` for embeddings of `space` (see matchSpace); a missing file is an
 * empty gallery. With `writable`, also refuses now a gallery that could not be written later:
 * a missing or read-only folder, a directory or a read-only file in its place.
 */
export function readGallery(file: string, space: EmbeddingSpace, options: { writable?: boolean; maxBytes?: number } = {}): Gallery {
  const target = targetOf(file);
  if (options.writable) checkWritable(file, target);
  return readAt(file, target, space, options.maxBytes ?? DEFAULT_LIMITS.galleryBytes);
}

/**
 * Changes the gallery `file` safely: under its lock, reads it as it is now (an empty gallery
 * when missing), applies `change` and, when `change` returns true, writes the result atomically.
 * Returns the gallery as written (or as read, when `change` returned false).
 */
export async function updateGallery(file: string, space: EmbeddingSpace, change: (gallery: Gallery) => boolean,
  options: GalleryFileOptions = {}): Promise<Gallery> {
  const target = targetOf(file);
  checkWritable(file, target);
  const maxBytes = options.maxBytes ?? DEFAULT_LIMITS.galleryBytes;
  return withLock(`${target}.lock`, file, options, (lock) => {
    options.onStep?.('locked');
    removeTemporaries(target);
    const gallery = readAt(file, target, space, maxBytes);
    if (!change(gallery)) return gallery;
    const text = serializeGallery(gallery);
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) {
      throw new GalleryError(`${file}: the gallery would grow to ${bytes} bytes, over the limit of ${maxBytes}` +
        ' (option maxBytes); the file is unchanged');
    }
    writeAtomically(file, target, text, lock, options.onStep);
    return gallery;
  });
}

/** The file a write replaces: `file`, or the file its symbolic link points to. */
function targetOf(file: string): string {
  try {
    return realpathSync(file);
  } catch (error) {
    if (!isMissing(error)) throw cannot('read', file, error);
  }
  let link = false;
  try {
    link = lstatSync(file).isSymbolicLink();
  } catch { /* no such file: a new gallery */ }
  if (link) throw new GalleryError(`${file}: a symbolic link to a missing file; point it at a gallery, or remove it`);
  return resolve(file);
}

/** Refuses, naming the reason, a gallery `target` (the user's `file`) that cannot be written. */
function checkWritable(file: string, target: string): void {
  const folder = dirname(target);
  let stat;
  try {
    stat = statSync(folder);
  } catch (error) {
    throw cannot('write', file, error, `folder ${folder}`);
  }
  if (!stat.isDirectory()) throw new GalleryError(`${file}: cannot write the gallery: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch (error) {
    throw cannot('write', file, error, `folder ${folder}`);
  }
  let existing;
  try {
    existing = statSync(target);
  } catch {
    return; // a new gallery
  }
  if (!existing.isFile()) throw new GalleryError(`${file}: cannot write the gallery: ${existing.isDirectory() ? 'a directory' : 'not a regular file'} is in its place`);
  try {
    accessSync(target, constants.W_OK);
  } catch (error) {
    throw cannot('write', file, error);
  }
}

/** Reads and checks the gallery at `target`; an empty gallery when there is no file. */
function readAt(file: string, target: string, space: EmbeddingSpace, maxBytes: number): Gallery {
  let fd: number;
  try {
    fd = openSync(target, 'r');
  } catch (error) {
    if (isMissing(error)) return emptyGallery(space);
    throw cannot('read', file, error);
  }
  let text: string;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new GalleryError(`${file}: not a gallery file: ${stat.isDirectory() ? 'a directory' : 'not a regular file'}`);
    if (stat.size > maxBytes) throw new GalleryError(`${file}: ${stat.size} bytes, over the gallery limit of ${maxBytes} (option maxBytes)`);
    text = readFileSync(fd, 'utf8');
  } catch (error) {
    throw error instanceof GalleryError ? error : cannot('read', file, error);
  } finally {
    closeSync(fd);
  }
  const gallery = parseGallery(text, file, maxBytes);
  matchSpace(gallery, space, file);
  return gallery;
}

/** The temporary file this process writes the gallery `target` through: `.<name>.<pid>.tmp`. */
const temporaryOf = (target: string) => join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);

/** Removes the temporary files of `target` (named as temporaryOf names them) that crashed writers
 *  left: only the lock holder writes one, so under the lock any other is a leftover. */
function removeTemporaries(target: string): void {
  const prefix = `.${basename(target)}.`;
  for (const name of readdirSync(dirname(target))) {
    if (name.startsWith(prefix) && /^\d+\.tmp$/.test(name.slice(prefix.length))) rmSync(join(dirname(target), name), { force: true });
  }
}

/** Temporary file, fsync, rename over `target`, fsync of the folder; on failure, no temporary file remains. */
function writeAtomically(file: string, target: string, text: string, lock: HeldLock, onStep?: (step: WriteStep) => void): void {
  const temporary = temporaryOf(target);
  let mode: number | undefined;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch { /* a new gallery: the default mode */ }
  try {
    const fd = openSync(temporary, 'wx', mode);
    try {
      if (mode !== undefined) fchmodSync(fd, mode); // the umask does not narrow the user's own permissions
      writeFileSync(fd, text);
      onStep?.('written');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    onStep?.('synced');
    lock.verify();
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error instanceof GalleryError ? error : cannot('write', file, error, `folder ${dirname(target)}`);
  }
  onStep?.('renamed');
  // Make the rename itself durable: fsync the folder (not possible on every platform).
  try {
    const dir = openSync(dirname(target), 'r');
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* folders cannot be opened for fsync on Windows */ }
  onStep?.('committed');
}

/** The file does not exist (or a folder on its path is a file). */
const isMissing = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

/** A file-system failure as one line naming the user's file (and `what`, when it is another path). */
function cannot(action: 'read' | 'write', file: string, error: unknown, what?: string): GalleryError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reasons: Record<string, string> = {
    ENOENT: 'does not exist',
    EACCES: 'is not writable (permission denied)',
    EPERM: 'is not writable (operation not permitted)',
    EROFS: 'is on a read-only file system',
    ENOTDIR: 'is not a folder',
    ENOSPC: 'has no space left',
    EDQUOT: 'is over its disk quota',
    EISDIR: 'is a directory',
  };
  const reason = action === 'read' && code === 'EACCES' ? 'is not readable (permission denied)' : reasons[code];
  const detail = reason ? `${what ?? 'the file'} ${reason}` : `${code || (error as Error).message}`;
  return new GalleryError(`${file}: cannot ${action} the gallery: ${detail}`);
}
