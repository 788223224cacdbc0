// Where `facereid track` gets its frames: a folder of numbered JPEG/PNG frames (natural order:
// frame2 before frame10), a Y4M file, or Y4M on stdin ("-"). Frames are read one at a time.

import { createReadStream, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { readImage, type Pixels } from '../io/image.js';
import { Y4mReader, type Y4mHeader } from '../io/y4m.js';
import { UsageError } from './usage.js';

export interface Frame {
  pixels: Pixels;
  /** The frame's file, for a folder. */
  file?: string;
}

export interface FrameSource {
  frames: AsyncIterable<Frame>;
  /** The Y4M header, for Y4M input. */
  y4m?: Y4mHeader;
}

const IMAGE = /^\.(jpe?g|png)$/i;
const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

/** Opens the input: a folder's listing and a Y4M stream's header are checked before any frame is read. */
export async function openFrames(input: string): Promise<FrameSource> {
  if (input === '-') return y4mSource(await Y4mReader.open(process.stdin, 'stdin'));
  let isFolder: boolean;
  try {
    isFolder = statSync(input).isDirectory();
  } catch (error) {
    throw new UsageError(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
  }
  if (isFolder) return { frames: folderFrames(input, frameFiles(input)) };
  return y4mSource(await Y4mReader.open(createReadStream(input, { highWaterMark: 1 << 20 }), input));
}

function y4mSource(reader: Y4mReader): FrameSource {
  return { y4m: reader.header, frames: (async function* () { for await (const pixels of reader) yield { pixels }; })() };
}

/** The folder's frames in natural order; anything but JPEG/PNG files (hidden files aside) is refused. */
function frameFiles(folder: string): string[] {
  const names = readdirSync(folder).filter((name) => !name.startsWith('.'));
  const stray = names.find((name) => !IMAGE.test(extname(name)) || !statSync(join(folder, name)).isFile());
  if (stray !== undefined) throw new UsageError(`${join(folder, stray)}: not a JPEG or PNG frame (a frame folder holds only .jpg, .jpeg or .png files)`);
  if (names.length === 0) throw new UsageError(`${folder}: no frames (.jpg, .jpeg or .png files) in the folder`);
  return names.sort(naturalOrder).map((name) => join(folder, name));
}

async function* folderFrames(folder: string, files: string[]): AsyncGenerator<Frame> {
  let size: string | undefined;
  for (const [i, file] of files.entries()) {
    const pixels = await readImage(file);
    const own = `${pixels.width}x${pixels.height}`;
    size ??= own;
    if (own !== size) throw new UsageError(`${file}: frame ${i + 1} of ${folder} is ${own}; the frames before it are ${size}`);
    yield { pixels, file };
  }
}
