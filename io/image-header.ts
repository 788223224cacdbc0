// The format and size of an encoded image, read from its header before anything is decoded, so
// that junk, tiny and absurdly large images are refused before a decoder allocates for them.

import { ImageError } from './image-error.js';

export interface ImageHeader {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** SOI followed by the 0xFF that starts the next marker. */
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Sniffs JPEG or PNG by magic bytes and reads the image size; `name` is for messages. */
export function readImageHeader(bytes: Uint8Array, name: string): ImageHeader {
  if (startsWith(bytes, PNG_SIGNATURE)) return readPngHeader(bytes, name);
  if (startsWith(bytes, JPEG_SIGNATURE)) return readJpegHeader(bytes, name);
  const start = Array.from(bytes.subarray(0, 8), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  throw new ImageError(`${name}: not a JPEG or PNG image (${start ? `starts with bytes ${start}` : 'it is empty'})`);
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((byte, i) => bytes[i] === byte);
}

/** The IHDR chunk comes first: length (4), "IHDR", width (4), height (4), big-endian. */
function readPngHeader(bytes: Uint8Array, name: string): ImageHeader {
  const chunkType = new TextDecoder('latin1').decode(bytes.subarray(12, 16));
  if (bytes.length < 24 || chunkType !== 'IHDR') {
    throw new ImageError(`${name}: truncated or corrupt PNG: no IHDR chunk after the signature`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { format: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * Walks the marker segments after SOI up to the frame header (SOFn: length (2), precision (1),
 * height (2), width (2), big-endian). Each segment is 0xFF, a marker byte, a 2-byte length that
 * counts itself, then its payload; 0xFF fill bytes may precede a marker.
 */
function readJpegHeader(bytes: Uint8Array, name: string): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    if (marker === 0xff) {
      pos += 1;
      continue;
    }
    if (marker === SOS || marker === EOI) break;
    if (isStartOfFrame(marker)) {
      if (pos + 9 > bytes.length) break;
      return { format: 'jpeg', width: view.getUint16(pos + 7), height: view.getUint16(pos + 5) };
    }
    pos += 2 + view.getUint16(pos + 2);
  }
  const where = pos + 4 <= bytes.length ? `before byte ${pos}` : `in its ${bytes.length} bytes`;
  throw new ImageError(`${name}: truncated or corrupt JPEG: no frame header (SOF marker) ${where}`);
}

const SOS = 0xda;
const EOI = 0xd9;

/** SOF0..SOF15 are 0xC0..0xCF, except DHT (0xC4), JPG (0xC8) and DAC (0xCC). */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}
