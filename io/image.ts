// Encoded image (JPEG or PNG) → 8-bit pixels. The header is read first, so that anything that is
// not a JPEG or PNG, or is smaller than 2x2 or absurdly large, is refused before decoding.

import { checkLimit, limitsWith, type Limits } from '../engine/limits.js';
import { readImageHeader, type ImageHeader } from './image-header.js';
import { ImageError } from './image-error.js';
import { decodeJpeg } from './jpeg.js';
import { readFileBytes } from './read-file.js';

export interface Pixels {
  width: number;
  height: number;
  /** Samples 0..255, interleaved R,G,B (channels 3) or R,G,B,A (channels 4), rows top to bottom. */
  data: Uint8Array | Uint8ClampedArray;
  channels: 3 | 4;
}

/**
 * Decodes a JPEG (to RGBA, upright by its EXIF orientation) or a PNG (to RGB, or RGBA if it has
 * alpha), told apart by their magic bytes. `name` (a path, say) starts every error message.
 * Throws ImageError for anything unusable; sizes over `limits` (imageSide, imagePixels) are
 * refused from the header, before anything is decoded.
 */
export async function decodeImage(bytes: Uint8Array, name = 'image', limits: Partial<Limits> = {}): Promise<Pixels> {
  const header = readImageHeader(bytes, name);
  checkImageSize(header, name, limitsWith(limits));
  // PNG's decoder (fast-png and its modules) is loaded only when a PNG comes.
  return header.format === 'jpeg' ? decodeJpeg(bytes, name) : (await import('./png.js')).decodePng(bytes, name);
}

/** Reads and decodes the image file at `path` (Node only). */
export async function readImage(path: string, limits: Partial<Limits> = {}): Promise<Pixels> {
  return decodeImage(readFileBytes(path, 'image'), path, limits);
}

function checkImageSize({ width, height }: ImageHeader, name: string, limits: Limits): void {
  const size = `${width}x${height}`;
  if (width < 2 || height < 2) throw new ImageError(`${name}: image is ${size}; at least 2x2 is needed`);
  const error = (message: string) => new ImageError(message);
  checkLimit(limits, 'imageSide', Math.max(width, height), `${name}: image is ${size}`, error);
  checkLimit(limits, 'imagePixels', width * height, `${name}: image is ${size}`, error);
}
