// Encoded image (JPEG or PNG) → 8-bit pixels. The header is read first, so that anything that is
// not a JPEG or PNG, or is smaller than 2x2 or absurdly large, is refused before decoding.

import { readImageHeader, type ImageHeader } from './image-header.js';
import { ImageError } from './image-error.js';
import { decodeJpeg } from './jpeg.js';
import { decodePng } from './png.js';
import { readFileBytes } from './read-file.js';

export interface Pixels {
  width: number;
  height: number;
  /** Samples 0..255, interleaved R,G,B (channels 3) or R,G,B,A (channels 4), rows top to bottom. */
  data: Uint8Array | Uint8ClampedArray;
  channels: 3 | 4;
}

/** Largest side and area accepted (RGBA at the limit is 400 MB). */
const MAX_SIDE = 16384;
const MAX_PIXELS = 100_000_000;

/**
 * Decodes a JPEG (to RGBA, upright by its EXIF orientation) or a PNG (to RGB, or RGBA if it has
 * alpha), told apart by their magic bytes. `name` (a path, say) starts every error message.
 * Throws ImageError for anything unusable.
 */
export async function decodeImage(bytes: Uint8Array, name = 'image'): Promise<Pixels> {
  const header = readImageHeader(bytes, name);
  checkImageSize(header, name);
  return header.format === 'jpeg' ? decodeJpeg(bytes, name) : decodePng(bytes, name);
}

/** Reads and decodes the image file at `path` (Node only). */
export async function readImage(path: string): Promise<Pixels> {
  return decodeImage(readFileBytes(path, 'image'), path);
}

function checkImageSize({ width, height }: ImageHeader, name: string): void {
  const size = `${width}x${height}`;
  if (width < 2 || height < 2) throw new ImageError(`${name}: image is ${size}; at least 2x2 is needed`);
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new ImageError(
      `${name}: image is ${size}, over the limit of ${MAX_SIDE} pixels a side and ${MAX_PIXELS / 1e6} megapixels`,
    );
  }
}
