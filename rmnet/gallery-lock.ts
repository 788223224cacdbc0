// A gallery's advisory lock, so that concurrent writers (two `facereid enroll` runs, say) take
// turns and none loses the other's update. The lock is the file `<gallery>.lock`, created
// exclusively (O_EXCL: exactly one process succeeds) and holding its holder's pid, host, start
// time and a random token. Every writer of the gallery takes it; readers do not need it (writes
// are atomic renames).
//
// A lock whose holder is gone is stale and is removed: at once when the holder ran on this host
// and its pid no longer exists (a killed process); after UNWRITTEN_LOCK_MS when it names no
// holder (its creator died between creating and writing it: a window of two system calls);
// otherwise once older than `staleLockMs` (a holder on another host). Two waiters could both
// judge one lock stale, and the slower would then delete the lock the faster had just created;
// so removing a stale lock is itself done under `<gallery>.lock.takeover` (taken the same way,
// held for a few system calls), after checking that the lock is still the very file judged stale.

import { closeSync, fstatSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GalleryError } from './gallery.js';

/** How long a writer waits for another's lock before giving up. */
export const LOCK_TIMEOUT_MS = 30_000;
/** Age after which a lock is stale even if its holder cannot be checked (it runs on another host). */
export const STALE_LOCK_MS = 60_000;

/** Age after which a lock file naming no holder is stale (writing it takes microseconds). */
const UNWRITTEN_LOCK_MS = 2000;

export interface LockOptions {
  /** How long to wait for the lock (default LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
  /** Age at which a lock counts as stale whoever holds it (default STALE_LOCK_MS). */
  staleLockMs?: number;
}

/** The lock as held: `verify` throws when it was taken over (the holder outlived `staleLockMs`). */
export interface HeldLock {
  verify(): void;
}

interface Holder {
  pid: number;
  host: string;
  since: string;
  token: string;
}

/** A lock file as found: its text, inode, age, and holder (when the text is a valid holder). */
interface Seen {
  text: string;
  ino: number;
  ageMs: number;
  holder?: Holder;
}

/**
 * Runs `body` holding the lock `lockFile` of the gallery `file` (named in every message), waiting
 * for other holders and removing stale locks; releases it afterwards, whatever `body` did.
 */
export async function withLock<T>(lockFile: string, file: string, options: LockOptions, body: (lock: HeldLock) => T): Promise<T> {
  const staleMs = options.staleLockMs ?? STALE_LOCK_MS;
  const timeoutMs = options.lockTimeoutMs ?? LOCK_TIMEOUT_MS;
  const token = randomUUID();
  const content = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), token } satisfies Holder);
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; !create(lockFile, content, file); attempt++) {
    const seen = look(lockFile, file);
    if (seen && isStale(seen, staleMs)) {
      if (removeStale(lockFile, seen, content, staleMs, file)) continue;
    } else if (seen && Date.now() >= deadline) {
      throw new GalleryError(`${file}: another process is writing the gallery: ${holderOf(seen)} holds its lock ${lockFile}` +
        ` (waited ${timeoutMs / 1000} s; if that process is gone, delete the lock file)`);
    }
    // Back off 2, 4, … 64 ms, jittered so that waiters do not retry in step.
    await new Promise((resolve) => setTimeout(resolve, 2 ** Math.min(attempt + 1, 6) * (0.5 + Math.random())));
  }
  const ours = () => look(lockFile, file)?.holder?.token === token;
  const verify = () => {
    if (!ours()) {
      throw new GalleryError(`${file}: the gallery's lock ${lockFile} was taken over while this process held it` +
        ` (for longer than ${staleMs / 1000} s); the gallery is unchanged`);
    }
  };
  try {
    return body({ verify });
  } finally {
    if (ours()) remove(lockFile, file);
  }
}

const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Creates `path` holding `content` if no such file exists; false when one does. */
function create(path: string, content: string, file: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new GalleryError(`${file}: cannot create the gallery's lock file ${path}: ${codeOf(error)}`);
  }
  try {
    writeFileSync(fd, content);
  } catch (error) {
    remove(path, file);
    throw new GalleryError(`${file}: cannot write the gallery's lock file ${path}: ${codeOf(error)}`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function remove(path: string, file: string): void {
  try {
    rmSync(path, { force: true });
  } catch (error) {
    throw new GalleryError(`${file}: cannot remove the gallery's lock file ${path}: ${codeOf(error)}`);
  }
}

/** The lock file as it is now, or undefined when there is none. */
function look(path: string, file: string): Seen | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GalleryError(`${file}: cannot read the gallery's lock file ${path}: ${codeOf(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new GalleryError(`${file}: ${path}, where the gallery's lock goes, is not a file; remove it`);
    const text = readFileSync(fd, 'utf8');
    return { text, ino: stat.ino, ageMs: Date.now() - stat.mtimeMs, holder: parseHolder(text) };
  } finally {
    closeSync(fd);
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const h = JSON.parse(text) as Holder;
    return Number.isSafeInteger(h.pid) && typeof h.host === 'string' && typeof h.since === 'string' && typeof h.token === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Stale: older than `staleMs`, held by a process of this host that no longer exists, or naming
 *  no holder for longer than it takes to write one. */
function isStale(seen: Seen, staleMs: number): boolean {
  if (seen.ageMs > staleMs) return true;
  if (!seen.holder) return seen.ageMs > UNWRITTEN_LOCK_MS;
  return seen.holder.host === hostname() && !isRunning(seen.holder.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/** Removes the stale lock `seen`, under the takeover lock; false when another waiter is doing it. */
function removeStale(lockFile: string, seen: Seen, content: string, staleMs: number, file: string): boolean {
  const guard = `${lockFile}.takeover`;
  if (!create(guard, content, file)) {
    const other = look(guard, file);
    if (other && isStale(other, staleMs)) remove(guard, file);
    return false;
  }
  try {
    const now = look(lockFile, file);
    if (now && now.ino === seen.ino && now.text === seen.text) remove(lockFile, file);
  } finally {
    remove(guard, file);
  }
  return true;
}

function holderOf(seen: Seen): string {
  const h = seen.holder;
  return h ? `process ${h.pid} on ${h.host} (since ${h.since})` : 'an unknown process';
}
