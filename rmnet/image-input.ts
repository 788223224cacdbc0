// The ways a caller can hand over an image: a file path, encoded JPEG/PNG bytes, or raw pixels.

import { decodeImage, readImage, type Pixels } from '../io/image.js';
import { ModelError } from '../engine/graph/graph.js';

/** Raw interleaved pixels, rows top to bottom: RGB (3 bytes per pixel) or RGBA (4). */
export interface RawPixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

export type ImageInput = string | Uint8Array | RawPixels;

/** How messages name an image: its path, or what it is. */
export const imageName = (input: ImageInput): string =>
  (typeof input === 'string' ? input : input instanceof Uint8Array ? 'the encoded image' : 'the raw pixels');

export async function toPixels(input: ImageInput): Promise<Pixels> {
  if (typeof input === 'string') return readImage(input);
  if (input instanceof Uint8Array) return decodeImage(input);
  const { data, width, height } = input;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new ModelError(`raw pixels: size ${width}x${height}; at least 2x2 is needed`);
  }
  const channels = data.length / (width * height);
  if (channels !== 3 && channels !== 4) {
    throw new ModelError(`raw pixels: ${data.length} bytes for ${width}x${height} is neither RGB (${width * height * 3}) nor RGBA (${width * height * 4})`);
  }
  return { data, width, height, channels };
}
