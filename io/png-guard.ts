// What a PNG may cost before fast-png decodes it. The chunks are walked (each length checked
// against the bytes left), and only those the decoder needs are kept: IHDR, PLTE, tRNS, IDAT, IEND
// (ancillary chunks such as iCCP, zTXt or APNG frames carry compressed data a decoder inflates
// whole). Then the image data is inflated a slice at a time and the count of inflated bytes
// stopped the moment it passes what the header's width x height needs, so a decompression bomb
// (a 2x2 header over 1 GiB of zeros) costs those few bytes, not the gigabyte.

import { Unzlib } from 'fflate';
import { concat } from './bytes.js';
import { ImageError } from './image-error.js';

const SIGNATURE_BYTES = 8;
const KEEP = new Set(['IHDR', 'PLTE', 'tRNS', 'IDAT', 'IEND']);
/** Samples per pixel by colour type (PNG spec 11.2.2): grey, -, RGB, palette index, grey+alpha, -, RGBA. */
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7's passes: first column, first row, column step, row step. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
/** Compressed bytes inflated per step: deflate expands at most 1032:1, so a step yields at most ~4 MiB. */
const STEP = 4096;
/** Image data allowed after the image is complete (the stream's end-of-block code and checksum need a few bytes). */
const TAIL = 1024;
/** Steps in a row that may inflate nothing (deflate's block headers and empty stored blocks produce no output). */
const IDLE_STEPS = 16;

/** The PNG reduced to the chunks the decoder needs, once its image data is known to inflate to exactly the size its header implies. */
export function guardPng(bytes: Uint8Array, name: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, SIGNATURE_BYTES)];
  const data: Uint8Array[] = [];
  let expected = -1;
  for (let pos = SIGNATURE_BYTES; pos < bytes.length;) {
    if (pos + 8 > bytes.length) throw corrupt(name, `a chunk header is cut off at byte offset ${pos}`);
    const length = view.getUint32(pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    const end = pos + 12 + length;
    if (end > bytes.length) {
      throw corrupt(name, `chunk '${printable(type)}' at byte offset ${pos} declares ${length} bytes, ${Math.max(0, bytes.length - pos - 12)} remain`);
    }
    if (pos === SIGNATURE_BYTES) {
      if (type !== 'IHDR' || length < 13) throw corrupt(name, `the first chunk is '${printable(type)}', not an IHDR`);
      expected = imageDataBytes(view, pos + 8, name);
    }
    if (KEEP.has(type)) kept.push(bytes.subarray(pos, end));
    if (type === 'IDAT') data.push(bytes.subarray(pos + 8, pos + 8 + length));
    pos = end;
    if (type === 'IEND') break;
  }
  if (data.length === 0) throw corrupt(name, 'no image data (IDAT chunk)');
  checkInflatedSize(data, expected, name);
  return concat(kept);
}

/**
 * The bytes the filtered image data must inflate to: per row of each (Adam7) pass, a filter byte
 * plus the row's samples packed at the bit depth.
 */
function imageDataBytes(view: DataView, at: number, name: string): number {
  const width = view.getUint32(at);
  const height = view.getUint32(at + 4);
  const depth = view.getUint8(at + 8);
  const samples = SAMPLES[view.getUint8(at + 9)];
  const interlace = view.getUint8(at + 12);
  if (samples === undefined || ![1, 2, 4, 8, 16].includes(depth) || interlace > 1) {
    throw corrupt(name, `IHDR has colour type ${view.getUint8(at + 9)}, bit depth ${depth}, interlace ${interlace}`);
  }
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * samples * depth) / 8)) : 0);
  if (interlace === 0) return rows(width, height);
  let total = 0;
  for (const [x0, y0, dx, dy] of ADAM7) total += rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy));
  return total;
}

/**
 * Inflates the image data STEP bytes at a time, counting and dropping the output. Besides the
 * bomb, two other shapes of junk are cut short: data that goes on after the image is complete
 * (more than TAIL bytes), and data that stops producing output (a stream that ended early, then
 * megabytes more): fed on, the inflater would copy its growing unconsumed input again and again.
 */
function checkInflatedSize(data: Uint8Array[], expected: number, name: string): void {
  let inflated = 0;
  const over = corrupt(name, `its image data inflates past the ${expected} bytes its header's size needs: inflating stopped there`);
  const inflater = new Unzlib((chunk) => {
    inflated += chunk.length;
    if (inflated > expected) throw over;
  });
  const all = data.length === 1 ? data[0] : concat(data);
  let idle = 0;
  try {
    for (let at = 0; at < all.length; at += STEP) {
      const before = inflated;
      inflater.push(all.subarray(at, at + STEP), false);
      idle = inflated === before ? idle + 1 : 0;
      const left = all.length - at - STEP;
      if (inflated === expected && left > TAIL) throw corrupt(name, `${left} bytes of image data go on after the image is complete`);
      if (idle > IDLE_STEPS) throw corrupt(name, `its image data stops inflating at ${inflated} of the ${expected} bytes its header's size needs`);
    }
    inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof ImageError) throw error;
    throw corrupt(name, `image data: ${(error as Error).message}`);
  }
  if (inflated < expected) throw corrupt(name, `its image data inflates to ${inflated} of the ${expected} bytes its header's size needs`);
}

function corrupt(name: string, reason: string): ImageError {
  return new ImageError(`${name}: corrupt or truncated PNG (${reason})`);
}

/** A chunk type as it can be shown in a message. */
function printable(type: string): string {
  return type.replace(/[^\x20-\x7e]/g, '?');
}
