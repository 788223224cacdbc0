// JPEG decoding with mozjpeg (libjpeg-turbo compiled to WebAssembly, packaged by jSquash). It
// decodes exactly like libjpeg, chroma upsampling included, which the reference embeddings need.
// We call jSquash's Emscripten module directly rather than its decode() wrapper so that libjpeg's
// messages can be caught and tied to the one synchronous decode that printed them.

import createMozjpegModule from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import type { Pixels } from './image.js';
import { ImageError } from './image-error.js';
import { loadMozjpegWasm } from './mozjpeg-wasm-node.js';

/** The function of jSquash's codec/dec module that we call. */
interface MozjpegModule {
  /** RGBA pixels in a fresh array; throws Emscripten's ExitStatus when libjpeg gives up. */
  decode(
    data: Uint8Array,
    applyExifOrientation: boolean,
  ): { width: number; height: number; data: Uint8ClampedArray } | null;
}

/** The Emscripten module options we set (the package's .d.ts declares only a few of them). */
interface MozjpegModuleOptions {
  noInitialRun: boolean;
  wasmBinary: Uint8Array;
  /** Where libjpeg's warnings and errors go (stderr by default). */
  printErr(line: string): void;
}

const createMozjpeg = createMozjpegModule as unknown as (options: MozjpegModuleOptions) => Promise<MozjpegModule>;

/** What libjpeg printed during the decode in progress. */
const libjpegMessages: string[] = [];
let mozjpeg: Promise<MozjpegModule> | undefined;

function getMozjpeg(): Promise<MozjpegModule> {
  mozjpeg ??= loadMozjpegWasm().then((wasmBinary) =>
    createMozjpeg({ noInitialRun: true, wasmBinary, printErr: (line) => libjpegMessages.push(line) }),
  );
  return mozjpeg;
}

/**
 * Decodes a JPEG to RGBA, rows top to bottom, turned upright by its EXIF orientation as OpenCV's
 * imread and browsers do. A truncated file is refused, where libjpeg would only warn
 * ("Premature end of JPEG file") and fill the missing rows with grey.
 */
export async function decodeJpeg(bytes: Uint8Array, name: string): Promise<Pixels> {
  const decoder = await getMozjpeg();
  libjpegMessages.length = 0;
  let image;
  try {
    image = decoder.decode(bytes, true);
  } catch (error) {
    // libjpeg gave up by unwinding out of the WebAssembly without freeing what it had allocated:
    // after a few hundred such files the module's heap is exhausted and no JPEG decodes any more.
    // A fresh module for the next decode.
    mozjpeg = undefined;
    throw new ImageError(`${name}: corrupt or truncated JPEG (libjpeg: ${libjpegSaid()})`, { cause: error });
  }
  if (!image) throw new ImageError(`${name}: corrupt JPEG (libjpeg: ${libjpegSaid()})`);
  if (libjpegMessages.includes('Premature end of JPEG file')) {
    throw new ImageError(`${name}: truncated JPEG (libjpeg: ${libjpegSaid()})`);
  }
  return { width: image.width, height: image.height, data: image.data, channels: 4 };
}

function libjpegSaid(): string {
  return libjpegMessages.length > 0 ? libjpegMessages.join('; ') : 'no message';
}
