// PNG decoding with fast-png (after png-guard.ts has bounded what it inflates), converted to
// 8-bit RGB or RGBA.

import { convertIndexedToRgb, decode, type DecodedPng } from 'fast-png';
import type { Pixels } from './image.js';
import { ImageError } from './image-error.js';
import { guardPng } from './png-guard.js';

/**
 * Decodes a PNG to 8-bit RGB, or RGBA when it has an alpha channel or a palette with
 * transparency. Grey becomes R = G = B; 1-, 2- and 4-bit grey is scaled to 0..255 as libpng
 * expands it; 16-bit samples keep their high byte, as libpng's strip_16 (and so OpenCV's imread)
 * does. A colour-key tRNS chunk (grey or RGB) is ignored: the network ignores alpha anyway.
 */
export function decodePng(bytes: Uint8Array, name: string): Pixels {
  const guarded = guardPng(bytes, name);
  try {
    const png = decode(guarded, { checkCrc: true });
    if (png.palette) {
      const channels = png.palette[0].length as 3 | 4;
      return { width: png.width, height: png.height, data: convertIndexedToRgb(png), channels };
    }
    return toRgb8(png);
  } catch (error) {
    throw new ImageError(`${name}: corrupt or truncated PNG (${(error as Error).message})`, { cause: error });
  }
}

function toRgb8(png: DecodedPng): Pixels {
  const { width, height, channels } = png;
  const samples = png.depth < 8 ? expandLowBitGrey(png) : png.data;
  const shift = png.depth === 16 ? 8 : 0;
  const hasAlpha = channels === 2 || channels === 4;
  const outChannels = hasAlpha ? 4 : 3;
  const green = channels >= 3 ? 1 : 0;
  const blue = channels >= 3 ? 2 : 0;
  const data = new Uint8Array(width * height * outChannels);
  for (let i = 0, o = 0; o < data.length; i += channels, o += outChannels) {
    data[o] = samples[i] >> shift;
    data[o + 1] = samples[i + green] >> shift;
    data[o + 2] = samples[i + blue] >> shift;
    if (hasAlpha) data[o + 3] = samples[i + channels - 1] >> shift;
  }
  return { width, height, data, channels: outChannels };
}

/** 1-, 2- or 4-bit grey (each row packed from the high bit, padded to whole bytes) as one 0..255 byte per pixel. */
function expandLowBitGrey({ width, height, depth, data }: DecodedPng): Uint8Array {
  const max = (1 << depth) - 1;
  const rowBytes = Math.ceil((width * depth) / 8);
  const grey = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = data[y * rowBytes + (bit >> 3)];
      grey[y * width + x] = ((byte >> (8 - depth - (bit & 7))) & max) * (255 / max);
    }
  }
  return grey;
}
