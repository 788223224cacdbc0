// Mutations that know the image containers: PNG chunks (IHDR sizes, chunk lengths, chunks
// duplicated, dropped or swapped, image data replaced by a decompression bomb, CRCs made right
// again so the mutation reaches past the checksum) and JPEG marker segments (frame sizes, segment
// lengths, segments duplicated or dropped).

import { concat, type Mutant } from './bytes.js';
import type { Random } from './random.js';
import { INTERESTING_COUNTS } from './values.js';

interface Span {
  type: string;
  start: number;
  end: number;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309) as PNG computes it over a chunk's type and data. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG chunk with a right CRC. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function pngChunks(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 8; pos + 12 <= bytes.length;) {
    const end = pos + 12 + view.getUint32(pos);
    if (end > bytes.length) break;
    spans.push({ type: String.fromCharCode(...bytes.subarray(pos + 4, pos + 8)), start: pos, end });
    pos = end;
  }
  return spans;
}

/** Every chunk's CRC recomputed (so that a byte mutation is judged on more than its checksum). */
export function fixPngCrcs(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  for (const { start, end } of pngChunks(out)) view.setUint32(end - 4, crc32(out.subarray(start + 4, end - 4)));
  return out;
}

const bombs = new Map<number, Uint8Array>();
/**
 * zlib data inflating to about `size` zeros (256 MiB: 1.7 MB), written directly rather than
 * compressed: one fixed-Huffman block holding a literal 0, then (length 258, distance 1) again
 * and again, 13 bits per 258 bytes.
 */
export function zlibBomb(size = 256 * 2 ** 20): Uint8Array {
  const made = bombs.get(size);
  if (made) return made;
  const repeats = Math.floor((size - 1) / 258);
  const out = new Uint8Array(2 + Math.ceil((3 + 8 + 13 * repeats + 7) / 8) + 4);
  let bit = 16;
  const put = (value: number, length: number, huffman: boolean) => {
    for (let i = 0; i < length; i++) {
      const b = huffman ? (value >> (length - 1 - i)) & 1 : (value >> i) & 1; // Huffman codes go most significant bit first
      out[bit >> 3] |= b << (bit & 7);
      bit++;
    }
  };
  out[0] = 0x78;
  out[1] = 0x01;
  put(1, 1, false); // BFINAL
  put(1, 2, false); // BTYPE 01: fixed Huffman codes
  put(0x30, 8, true); // literal 0
  for (let i = 0; i < repeats; i++) {
    put(0xc5, 8, true); // length code 285: 258
    put(0, 5, true); // distance code 0: 1
  }
  put(0, 7, true); // end of block
  const length = 1 + 258 * repeats;
  const adler = ((length % 65521) * 65536 + 1) >>> 0; // Adler-32 of zeros: a = 1, b = length
  new DataView(out.buffer).setUint32(out.length - 4, adler);
  bombs.set(size, out);
  return out;
}

export function mutatePng(rng: Random, bytes: Uint8Array): Mutant | undefined {
  const spans = pngChunks(bytes);
  if (spans.length === 0) return undefined;
  const span = rng.pick(spans);
  const rebuild = (parts: Uint8Array[]) => concat([bytes.subarray(0, 8), ...parts]);
  const whole = spans.map((s) => bytes.subarray(s.start, s.end));
  switch (rng.int(6)) {
    case 0: {
      const ihdr = spans.find((s) => s.type === 'IHDR');
      if (!ihdr) return undefined;
      const data = bytes.slice(ihdr.start + 8, ihdr.end - 4);
      const [width, height] = [rng.pick(INTERESTING_COUNTS), rng.pick(INTERESTING_COUNTS)];
      const view = new DataView(data.buffer);
      if (data.length >= 8) {
        view.setUint32(0, width >>> 0);
        view.setUint32(4, height >>> 0);
      }
      return { bytes: rebuild(spans.map((s, i) => (s === ihdr ? chunk('IHDR', data) : whole[i]))), how: `IHDR size ${width >>> 0}x${height >>> 0}` };
    }
    case 1: {
      const out = bytes.slice();
      const length = rng.pick([0, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, span.end - span.start]);
      new DataView(out.buffer).setUint32(span.start, length >>> 0);
      return { bytes: out, how: `chunk ${span.type} at ${span.start}: length ${length >>> 0}` };
    }
    case 2: {
      const times = rng.pick([1, 2, 1000]);
      const i = spans.indexOf(span);
      return { bytes: rebuild([...whole.slice(0, i + 1), ...Array.from({ length: times }, () => whole[i]), ...whole.slice(i + 1)]), how: `chunk ${span.type} repeated ${times} time(s)` };
    }
    case 3: {
      const [i, j] = [rng.int(spans.length), rng.int(spans.length)];
      const order = whole.slice();
      [order[i], order[j]] = [order[j], order[i]];
      if (rng.chance(0.3)) order.splice(i, 1);
      return { bytes: rebuild(order), how: `chunks ${i} and ${j} swapped (or ${i} dropped)` };
    }
    case 4: {
      const data = zlibBomb();
      const kept = whole.filter((_, i) => spans[i].type !== 'IDAT');
      const at = Math.max(1, kept.length - 1);
      return { bytes: rebuild([...kept.slice(0, at), chunk('IDAT', data), ...kept.slice(at)]), how: 'image data replaced by a 256 MiB zlib bomb' };
    }
    default: {
      const type = rng.pick(['zTXt', 'iCCP', 'iTXt']);
      const keyword = new TextEncoder().encode('k\0');
      const data = concat([keyword, type === 'iTXt' ? Uint8Array.of(1, 0, 0, 0) : Uint8Array.of(0), zlibBomb()]);
      return { bytes: rebuild([whole[0], chunk(type, data), ...whole.slice(1)]), how: `${type} chunk holding a 256 MiB zlib bomb` };
    }
  }
}

function jpegSegments(bytes: Uint8Array): Span[] {
  const spans: Span[] = [];
  for (let pos = 2; pos + 4 <= bytes.length && bytes[pos] === 0xff;) {
    const marker = bytes[pos + 1];
    const end = pos + 2 + ((bytes[pos + 2] << 8) | bytes[pos + 3]);
    if (end > bytes.length) break;
    spans.push({ type: marker.toString(16), start: pos, end });
    if (marker === 0xda) break;
    pos = end;
  }
  return spans;
}

/** SOF0..SOF15 but DHT (c4), JPG (c8) and DAC (cc). */
const isFrame = (type: string) => /^c[0-35-79abd-f]$/.test(type);

export function mutateJpeg(rng: Random, bytes: Uint8Array): Mutant | undefined {
  const spans = jpegSegments(bytes);
  if (spans.length === 0) return undefined;
  const span = rng.pick(spans);
  const out = bytes.slice();
  switch (rng.int(4)) {
    case 0: {
      const frame = spans.find((s) => isFrame(s.type));
      if (!frame) return undefined;
      const [height, width] = [rng.pick(INTERESTING_COUNTS) & 0xffff, rng.pick(INTERESTING_COUNTS) & 0xffff];
      const view = new DataView(out.buffer);
      view.setUint16(frame.start + 5, height);
      view.setUint16(frame.start + 7, width);
      return { bytes: out, how: `frame size ${width}x${height}` };
    }
    case 1: {
      const length = rng.pick([0, 1, 2, 0xffff, span.end - span.start]);
      new DataView(out.buffer).setUint16(span.start + 2, length);
      return { bytes: out, how: `segment ff${span.type} at ${span.start}: length ${length}` };
    }
    case 2: {
      const times = rng.pick([1, 2, 500]);
      const copy = bytes.subarray(span.start, span.end);
      return { bytes: concat([bytes.subarray(0, span.end), ...Array.from({ length: times }, () => copy), bytes.subarray(span.end)]), how: `segment ff${span.type} repeated ${times} time(s)` };
    }
    default:
      return { bytes: concat([bytes.subarray(0, span.start), bytes.subarray(span.end)]), how: `segment ff${span.type} dropped` };
  }
}
