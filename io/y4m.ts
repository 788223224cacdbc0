// YUV4MPEG2 (Y4M): raw video as a text header and raw planes, what `ffmpeg -f yuv4mpegpipe`
// writes. The stream starts with one line
//   YUV4MPEG2 W<width> H<height> [F<num>:<den>] [I<p|t|b|m>] [A<num>:<den>] [C<colour space>] [X<anything>]…
// and each frame is a line `FRAME[ params]` followed by the Y plane (width x height bytes) and
// the Cb and Cr planes: (width/2 rounded up) x (height/2 rounded up) bytes each for 4:2:0,
// width x height for 4:4:4. Parameters the reader does not use (F, I, A, X…) are accepted and
// ignored, except the ffmpeg extension XCOLORRANGE=FULL|LIMITED.
//
// Colour: BT.601 YCbCr (Kr = 0.299, Kb = 0.114). Range: limited ("studio", Y 16–235, Cb/Cr
// 16–240) unless the header says XCOLORRANGE=FULL (then Y, Cb, Cr span 0–255, as in JPEG).
// Chroma siting of 4:2:0, in luma pixel units from the top-left luma sample of its 2x2 block:
//   420jpeg (and plain 420, the same thing): centred, (0.5, 0.5);
//   420mpeg2: co-sited horizontally, centred vertically, (0, 0.5);
//   420paldv: co-sited with the top-left sample, (0, 0) (as ffmpeg maps it, for Cb and Cr alike).
// Reading upsamples chroma bilinearly from those positions (for 420jpeg the same weights,
// 3/4 and 1/4, as libjpeg's "fancy" upsampling). Writing 4:2:0 averages each 2x2 block (its
// centre is the 420jpeg chroma position); the writer writes 420jpeg or 444, limited range.
//
// The reader streams: it takes the bytes as an iterable of chunks (a file stream, stdin, a fetch
// body) and holds one frame at a time. Every error names the stream, the frame and the
// byte offset. No Node APIs here: the caller opens the file or stdin.

import type { Pixels } from './image.js';

export class Y4mError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Y4mError';
  }
}

export type Y4mColourSpace = '420jpeg' | '420mpeg2' | '420paldv' | '420' | '444';
export type Y4mRange = 'limited' | 'full';

export interface Y4mHeader {
  width: number;
  height: number;
  colourSpace: Y4mColourSpace;
  range: Y4mRange;
  /** Frames per second as a fraction (F), when the header gives one. */
  frameRate?: [number, number];
}

const SIGNATURE = 'YUV4MPEG2';
const FRAME = 'FRAME';
/** Longest header or FRAME line accepted (real ones are well under 100 bytes). */
const MAX_LINE = 4096;
/** Largest frame accepted: 16384 pixels a side, 40 megapixels (8K UHD is 33). */
const MAX_SIDE = 16384;
const MAX_PIXELS = 40_000_000;
/** Default when the header has no C parameter (the format's own default). */
const DEFAULT_COLOUR_SPACE: Y4mColourSpace = '420jpeg';

/** Chroma sample positions of each 4:2:0 variant, in luma pixels from its block's top-left sample. */
const SITING: Record<Exclude<Y4mColourSpace, '444'>, [number, number]> = {
  '420jpeg': [0.5, 0.5],
  '420': [0.5, 0.5],
  '420mpeg2': [0, 0.5],
  '420paldv': [0, 0],
};
const COLOUR_SPACES: Y4mColourSpace[] = ['420jpeg', '420mpeg2', '420paldv', '420', '444'];

// ---- BT.601 ------------------------------------------------------------------------------

const KR = 0.299;
const KB = 0.114;
const KG = 1 - KR - KB;

/** How 8-bit codes map to Y' in 0..1 and Pb, Pr in -0.5..0.5: value = (code - offset) / scale. */
function rangeOf(range: Y4mRange) {
  return range === 'full' ? { yOffset: 0, yScale: 255, cScale: 255 } : { yOffset: 16, yScale: 219, cScale: 224 };
}

// ---- reading -----------------------------------------------------------------------------

/** Pulls bytes from an async iterable of chunks, counting the offset of the next byte. */
class ByteReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private at = 0;
  /** Offset in the stream of the next byte to be read. */
  offset = 0;

  constructor(private readonly source: AsyncIterator<Uint8Array> | Iterator<Uint8Array>) {}

  /** Makes the current chunk non-empty; false at the end of the stream. */
  private async more(): Promise<boolean> {
    while (this.at >= this.chunk.length) {
      const next = await this.source.next();
      if (next.done) return false;
      this.chunk = next.value;
      this.at = 0;
    }
    return true;
  }

  /**
   * Bytes up to a '\n' (consumed, not returned), at most `max` of them, as Latin-1 text.
   * `ended`: the stream ended before the newline; `long`: `max` bytes came without one.
   */
  async line(max: number): Promise<{ text: string; ended: boolean; long: boolean }> {
    let text = '';
    while (text.length < max) {
      if (!(await this.more())) return { text, ended: true, long: false };
      const newline = this.chunk.indexOf(0x0a, this.at);
      const end = Math.min(newline < 0 ? this.chunk.length : newline, this.at + max - text.length);
      text += String.fromCharCode(...this.chunk.subarray(this.at, end));
      this.offset += end - this.at;
      this.at = end;
      if (end === newline) {
        this.at++;
        this.offset++;
        return { text, ended: false, long: false };
      }
    }
    return { text, ended: false, long: true };
  }

  /** Fills `target` from the stream; returns how many bytes it got (fewer only at the end). */
  async fill(target: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < target.length && (await this.more())) {
      const n = Math.min(target.length - filled, this.chunk.length - this.at);
      target.set(this.chunk.subarray(this.at, this.at + n), filled);
      this.at += n;
      this.offset += n;
      filled += n;
    }
    return filled;
  }
}

/**
 * A Y4M stream read frame by frame: `await Y4mReader.open(chunks, name)`, then
 * `for await (const pixels of reader)`. `chunks`: the bytes, as an async or plain iterable of
 * pieces of any size (a file stream, stdin, [wholeFile]). `name` (a path, or "stdin") starts
 * every error message.
 */
export class Y4mReader implements AsyncIterable<Pixels> {
  /** Frames read so far. */
  frames = 0;
  private readonly raw: Uint8Array;

  private constructor(private readonly bytes: ByteReader, readonly header: Y4mHeader, private readonly name: string) {
    this.raw = new Uint8Array(frameBytes(header));
  }

  static async open(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, name: string): Promise<Y4mReader> {
    const bytes = new ByteReader(Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]());
    const { text, ended, long } = await bytes.line(MAX_LINE);
    if (!text.startsWith(`${SIGNATURE} `) && text !== SIGNATURE) {
      const start = Array.from(text.slice(0, 10), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(' ');
      throw new Y4mError(`${name}: not a Y4M stream: it does not start with '${SIGNATURE} ' (${start ? `starts with bytes ${start}` : 'it is empty'})`);
    }
    if (long || ended) {
      throw new Y4mError(`${name}: Y4M header ${long ? `longer than ${MAX_LINE} bytes` : 'cut short'}: no end of line after byte ${bytes.offset}`);
    }
    return new Y4mReader(bytes, parseHeader(text, name), name);
  }

  /** The next frame as RGB pixels, or undefined at the end of the stream. */
  async next(): Promise<Pixels | undefined> {
    const start = this.bytes.offset;
    const frame = this.frames + 1;
    const { text, ended, long } = await this.bytes.line(MAX_LINE);
    if (ended && text === '') return undefined;
    if (ended && `${FRAME} `.startsWith(text.slice(0, FRAME.length + 1))) {
      throw new Y4mError(`${this.name}: truncated Y4M: frame ${frame} (byte offset ${start}) ends inside its '${FRAME}' line`);
    }
    if (text !== FRAME && !text.startsWith(`${FRAME} `)) {
      const found = JSON.stringify(text.slice(0, 16));
      throw new Y4mError(`${this.name}: frame ${frame} at byte offset ${start}: expected a '${FRAME}' line, found ${found}${ended ? ' and the end of the stream' : ''}`);
    }
    if (long) throw new Y4mError(`${this.name}: frame ${frame} at byte offset ${start}: its '${FRAME}' line runs past ${MAX_LINE} bytes`);
    const got = await this.bytes.fill(this.raw);
    if (got < this.raw.length) {
      throw new Y4mError(`${this.name}: truncated Y4M: frame ${frame} (byte offset ${start}) has ${got} of its ${this.raw.length} bytes`);
    }
    this.frames = frame;
    return yuvToRgb(this.raw, this.header);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Pixels> {
    for (let pixels = await this.next(); pixels; pixels = await this.next()) yield pixels;
  }
}

/** The header's parameters after the signature, checked; sizes refused before anything is allocated. */
function parseHeader(line: string, name: string): Y4mHeader {
  const fail = (what: string): never => {
    throw new Y4mError(`${name}: Y4M header ${JSON.stringify(line)}: ${what}`);
  };
  let width: number | undefined, height: number | undefined, frameRate: [number, number] | undefined;
  let colourSpace = DEFAULT_COLOUR_SPACE;
  let range: Y4mRange = 'limited';
  for (const token of line.slice(SIGNATURE.length).split(' ').filter((t) => t !== '')) {
    const [tag, value] = [token[0], token.slice(1)];
    if (tag === 'W' || tag === 'H') {
      if (!/^\d{1,9}$/.test(value)) fail(`${tag} must be a whole number, got '${value}'`);
      if (tag === 'W') width = Number(value);
      else height = Number(value);
    } else if (tag === 'F') {
      const match = /^(\d+):(\d+)$/.exec(value);
      if (!match || Number(match[1]) === 0 || Number(match[2]) === 0) fail(`F must be a frame rate num:den, got '${value}'`);
      frameRate = [Number(match![1]), Number(match![2])];
    } else if (tag === 'C') {
      if (!(COLOUR_SPACES as string[]).includes(value)) {
        fail(`colour space '${value}' is not supported (supported: ${COLOUR_SPACES.map((c) => `C${c}`).join(', ')})`);
      }
      colourSpace = value as Y4mColourSpace;
    } else if (tag === 'X' && value.startsWith('COLORRANGE=')) {
      const given = value.slice('COLORRANGE='.length).toLowerCase();
      if (given !== 'full' && given !== 'limited') fail(`XCOLORRANGE must be FULL or LIMITED, got '${given}'`);
      range = given as Y4mRange;
    }
  }
  if (width === undefined || height === undefined) fail('no frame size (W and H)');
  const [w, h] = [width!, height!];
  if (w < 1 || h < 1) fail(`frame size ${w}x${h} is empty`);
  if (w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS) {
    fail(`frame size ${w}x${h} is over the limit of ${MAX_SIDE} pixels a side and ${MAX_PIXELS / 1e6} megapixels`);
  }
  return { width: w, height: h, colourSpace, range, frameRate };
}

/** Chroma plane size: halved (rounded up) for 4:2:0. */
function chromaSize({ width, height, colourSpace }: Pick<Y4mHeader, 'width' | 'height' | 'colourSpace'>) {
  return colourSpace === '444' ? { width, height } : { width: Math.ceil(width / 2), height: Math.ceil(height / 2) };
}

function frameBytes(header: Pick<Y4mHeader, 'width' | 'height' | 'colourSpace'>): number {
  const chroma = chromaSize(header);
  return header.width * header.height + 2 * chroma.width * chroma.height;
}

/**
 * For each luma coordinate along one axis, the two chroma samples around its position and the
 * far one's weight: chroma sample i sits at luma coordinate `factor * i + siting`.
 */
function chromaTaps(size: number, chromaSize: number, factor: number, siting: number) {
  const near = new Int32Array(size);
  const far = new Int32Array(size);
  const weight = new Float32Array(size);
  for (let x = 0; x < size; x++) {
    const c = Math.min(Math.max((x - siting) / factor, 0), chromaSize - 1);
    near[x] = Math.floor(c);
    far[x] = Math.min(near[x] + 1, chromaSize - 1);
    weight[x] = c - near[x];
  }
  return { near, far, weight };
}

/** One frame's planes (Y, Cb, Cr back to back) as interleaved RGB. */
export function yuvToRgb(raw: Uint8Array, header: Y4mHeader): Pixels {
  const { width, height, colourSpace } = header;
  const chroma = chromaSize(header);
  const [factor, [sx, sy]] = colourSpace === '444' ? [1, [0, 0]] : [2, SITING[colourSpace]];
  const columns = chromaTaps(width, chroma.width, factor, sx);
  const rows = chromaTaps(height, chroma.height, factor, sy);
  // Y' = (Y - offset) / yScale, Pb = (Cb - 128) / cScale, Pr likewise, then the inverse of BT.601's
  // Y' = Kr R + Kg G + Kb B, Pb = (B - Y') / (2 (1 - Kb)), Pr = (R - Y') / (2 (1 - Kr)), times 255:
  //   R = Y' + 2 (1 - Kr) Pr,  B = Y' + 2 (1 - Kb) Pb,  G = Y' - (2 Kb (1 - Kb) Pb + 2 Kr (1 - Kr) Pr) / Kg.
  const { yOffset, yScale, cScale } = rangeOf(header.range);
  const lumaGain = 255 / yScale;
  const [crToR, cbToB] = [(255 * 2 * (1 - KR)) / cScale, (255 * 2 * (1 - KB)) / cScale];
  const [cbToG, crToG] = [(-KB * cbToB) / KG, (-KR * crToR) / KG];
  const cbPlane = width * height;
  const crPlane = cbPlane + chroma.width * chroma.height;
  const cbRow = new Float32Array(chroma.width), crRow = new Float32Array(chroma.width);
  const data = new Uint8ClampedArray(width * height * 3);
  for (let y = 0, o = 0; y < height; y++) {
    // The chroma rows around this luma row, blended vertically, centred on 0.
    const top = rows.near[y] * chroma.width, bottom = rows.far[y] * chroma.width, wy = rows.weight[y];
    for (let c = 0; c < chroma.width; c++) {
      cbRow[c] = raw[cbPlane + top + c] + wy * (raw[cbPlane + bottom + c] - raw[cbPlane + top + c]) - 128;
      crRow[c] = raw[crPlane + top + c] + wy * (raw[crPlane + bottom + c] - raw[crPlane + top + c]) - 128;
    }
    for (let x = 0; x < width; x++, o += 3) {
      const l = columns.near[x], r = columns.far[x], wx = columns.weight[x];
      const cb = cbRow[l] + wx * (cbRow[r] - cbRow[l]);
      const cr = crRow[l] + wx * (crRow[r] - crRow[l]);
      const luma = (raw[y * width + x] - yOffset) * lumaGain;
      data[o] = luma + crToR * cr;
      data[o + 1] = luma + cbToG * cb + crToG * cr;
      data[o + 2] = luma + cbToB * cb;
    }
  }
  return { width, height, data, channels: 3 };
}

// ---- writing -----------------------------------------------------------------------------

/** What the writer writes: 4:2:0 with centred chroma, or 4:4:4; limited range. */
export type Y4mOutputColourSpace = '420jpeg' | '444';

/** The stream header for frames of this size (`frameRate` defaults to 25:1). */
export function y4mHeader(width: number, height: number, colourSpace: Y4mOutputColourSpace, frameRate: [number, number] = [25, 1]): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Y4mError(`y4mHeader: frame size ${width}x${height} must be positive whole numbers`);
  }
  const line = `${SIGNATURE} W${width} H${height} F${frameRate[0]}:${frameRate[1]} Ip A1:1 C${colourSpace} XCOLORRANGE=LIMITED\n`;
  return Uint8Array.from(line, (c) => c.charCodeAt(0));
}

/**
 * One frame: the FRAME line and the planes of `pixels` (RGB or RGBA; alpha ignored), converted
 * to limited-range BT.601; for 4:2:0 each chroma sample is the mean of its block's (up to 2x2) pixels.
 */
export function y4mFrame(pixels: Pixels, colourSpace: Y4mOutputColourSpace): Uint8Array {
  const { width, height, channels, data } = pixels;
  const chroma = chromaSize({ width, height, colourSpace });
  const factor = colourSpace === '444' ? 1 : 2;
  const out = new Uint8Array(FRAME.length + 1 + frameBytes({ width, height, colourSpace }));
  out.set(Uint8Array.from(`${FRAME}\n`, (c) => c.charCodeAt(0)));
  const lumaAt = FRAME.length + 1;
  const cbAt = lumaAt + width * height;
  const crAt = cbAt + chroma.width * chroma.height;
  const { yOffset, yScale, cScale } = rangeOf('limited');
  const code = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  for (let cy = 0; cy < chroma.height; cy++) {
    for (let cx = 0; cx < chroma.width; cx++) {
      let pb = 0, pr = 0, count = 0;
      for (let y = cy * factor; y < Math.min((cy + 1) * factor, height); y++) {
        for (let x = cx * factor; x < Math.min((cx + 1) * factor, width); x++) {
          const i = (y * width + x) * channels;
          const [r, g, b] = [data[i] / 255, data[i + 1] / 255, data[i + 2] / 255];
          const luma = KR * r + KG * g + KB * b;
          out[lumaAt + y * width + x] = code(yOffset + yScale * luma);
          pb += (b - luma) / (2 * (1 - KB));
          pr += (r - luma) / (2 * (1 - KR));
          count++;
        }
      }
      out[cbAt + cy * chroma.width + cx] = code(128 + (cScale * pb) / count);
      out[crAt + cy * chroma.width + cx] = code(128 + (cScale * pr) / count);
    }
  }
  return out;
}
