// Where `facereid track --out` puts the annotated frames, never half written: a .y4m file is
// written to a temporary file beside it and renamed over it at the end; a folder of PNGs is
// filled under a temporary name beside it and renamed into place at the end (it must not hold
// anything yet). On failure the temporary file or folder is removed.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { y4mFrame, y4mHeader, type Y4mOutputColourSpace } from '../io/y4m.js';
import type { Canvas } from '../viz/canvas.js';
import { UsageError } from './usage.js';

export interface FrameSink {
  /** Adds frame `index` (0-based), an annotated picture. */
  write(frame: Canvas, index: number): void;
  /** Puts the output in place. */
  commit(): void;
  /** Removes what was written. */
  abort(): void;
}

/** `--out clip.y4m` or `--out DIR`; `colourSpace` and `frameRate` apply to Y4M. */
export function openSink(target: string, colourSpace: Y4mOutputColourSpace, frameRate?: [number, number]): FrameSink {
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  if (extname(target).toLowerCase() === '.y4m') return y4mSink(target, temporary, colourSpace, frameRate);
  if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0)) {
    throw new UsageError(`--out ${target}: ${statSync(target).isDirectory() ? 'the folder is not empty' : 'is a file, not a folder'}; give a new or empty folder, or a .y4m file`);
  }
  return pngSink(target, temporary);
}

function y4mSink(target: string, temporary: string, colourSpace: Y4mOutputColourSpace, frameRate?: [number, number]): FrameSink {
  const fd = openFile(temporary);
  let closed = false;
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  return {
    write(frame, index) {
      if (index === 0) writeSync(fd, y4mHeader(frame.width, frame.height, colourSpace, frameRate));
      writeSync(fd, y4mFrame({ data: frame.data, width: frame.width, height: frame.height, channels: 3 }, colourSpace));
    },
    commit() {
      fsyncSync(fd);
      close();
      renameSync(temporary, target);
      syncFolder(dirname(target));
    },
    abort() {
      close();
      rmSync(temporary, { force: true });
    },
  };
}

function pngSink(target: string, temporary: string): FrameSink {
  makeFolder(temporary);
  return {
    write(frame, index) {
      writeFileSync(join(temporary, `frame-${String(index + 1).padStart(6, '0')}.png`), frame.toPng());
    },
    commit() {
      syncFolder(temporary);
      if (existsSync(target)) rmdirSync(target); // empty, as checked when opened
      renameSync(temporary, target);
      syncFolder(dirname(target));
    },
    abort() {
      rmSync(temporary, { recursive: true, force: true });
    },
  };
}

function openFile(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

function makeFolder(path: string): void {
  try {
    mkdirSync(path);
  } catch (error) {
    throw new UsageError(`cannot create ${path}: ${(error as Error).message}`);
  }
}

/** Makes a rename durable: fsync the folder (not possible on every platform). */
function syncFolder(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try { fsyncSync(fd); } finally { closeSync(fd); }
  } catch { /* folders cannot be opened for fsync on Windows */ }
}
