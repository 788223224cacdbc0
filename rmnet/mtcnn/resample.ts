// Image regions → MTCNN network input. A region (any box, fractional, partly or wholly outside
// the image) is resampled to a fixed size the way the authors' MATLAB code does it (Piotr
// Dollár's imResample 'bilinear'), separately along each axis: when shrinking, each output pixel
// is the mean of the image over the span it covers (what OpenCV's INTER_AREA does too); when
// enlarging, bilinear interpolation between pixel centres. Outside the image the pixels are
// black, as the original pads boxes that leave the image.
//
// Values are normalised (v - 127.5) * 0.0078125, planes R, G, B, and written TRANSPOSED: each
// plane indexed [x][y] (the nets were trained through MATLAB, whose column-major arrays reach
// Caffe with rows and columns swapped), so a region resampled to width x height is a
// [3, width, height] tensor.
//
// Every output sample along an axis weighs a run of source samples first … last: the two ends by
// how much of them it covers, every sample between by the same 1/k (area) — or, enlarging, just
// two neighbours. So a sum needs only the ends and the sum of the run between them, read off
// prefix sums: the photo's rows get integer prefix sums once (load; kept mod 2^16, which their
// differences over short runs undo exactly: resample-passes.ts), and each pass along
// x (rows → columns) keeps float64 prefix sums down each column for the pass along y. The cost
// is per output sample, not per tap, so a whole pyramid costs little more than its levels' sizes.

import type { Pixels } from '../../io/image.js';
import { ARGS, ARGS_BYTES, resampleModule, RUN, SUM_BYTES } from './resample-passes.js';

export interface Region {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Output columns x … x + width - 1 and rows y … y + height - 1 (whole pixels; they may reach past the output). */
export interface Window {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * One axis: output sample d reads source samples first[d] … last[d] (none when last < first: the
 * sample lies wholly outside the image) as
 *   lead[d] · v[first] + inner[d] · (v[first + 1] + … + v[last - 1]) + tail[d] · v[last],
 * the middle run read off prefix sums as S[last] - S[first + 1]. A lone sample has inner and tail
 * 0, an empty one every weight 0, so the sum needs no branch (its indices stay in bounds).
 */
class AxisTaps {
  first = new Int32Array(0);
  last = new Int32Array(0);
  lead = new Float64Array(0);
  inner = new Float64Array(0);
  tail = new Float64Array(0);

  /**
   * The span [start, start + length) of an axis of `size` pixels, resampled to `samples` samples.
   * Shrinking (or keeping the size): output d averages [start + d*k, start + (d+1)*k), k = length / samples,
   * each pixel weighted by how much of it lies inside. Enlarging: output d reads the point
   * start + (d + 0.5)*k - 0.5 in pixel-centre coordinates, kept within the span's pixels, between its
   * two nearest pixels. Pixels outside 0 … size-1 are left out (black).
   */
  set(start: number, length: number, size: number, samples: number): void {
    if (this.first.length < samples) {
      this.first = new Int32Array(samples);
      this.last = new Int32Array(samples);
      this.lead = new Float64Array(samples);
      this.inner = new Float64Array(samples);
      this.tail = new Float64Array(samples);
    }
    const k = length / samples;
    const lo = Math.floor(start);
    const hi = Math.ceil(start + length) - 1;
    for (let d = 0; d < samples; d++) {
      let first: number, last: number, lead: number, inner: number, tail: number;
      if (k >= 1) {
        const a = start + d * k;
        const b = a + k;
        first = Math.max(Math.floor(a), 0);
        last = Math.min(Math.ceil(b) - 1, size - 1);
        lead = (Math.min(b, first + 1) - Math.max(a, first)) / k;
        inner = 1 / k;
        tail = (Math.min(b, last + 1) - Math.max(a, last)) / k;
      } else {
        const s = Math.min(Math.max(start + (d + 0.5) * k - 0.5, lo), hi);
        const near = Math.floor(s);
        const f = s - near; // the far pixel's weight (none at a pixel centre)
        first = Math.max(near, 0);
        last = Math.min(f > 0 ? near + 1 : near, size - 1);
        lead = first === near ? 1 - f : f;
        inner = 0;
        tail = last === near ? 1 - f : f;
      }
      if (last <= first) inner = tail = 0;
      if (last < first) { // wholly outside: (0, -1) keeps every index the passes read in bounds
        first = 0;
        last = -1;
        lead = 0;
      }
      this.first[d] = first;
      this.last[d] = last;
      this.lead[d] = lead;
      this.inner[d] = inner;
      this.tail[d] = tail;
    }
  }
}

/** Source rows resampled along x per band (more when one output row spans more): bounds the scratch. */
const BAND_ROWS = 64;

const PAGE = 65536;
const align8 = (bytes: number) => Math.ceil(bytes / 8) * 8;

interface Passes {
  rowSums: () => void;
  alongX: () => void;
  alongY: () => void;
}

/**
 * Resamples regions of one photo at a time. Its loops run as WebAssembly (resample-passes.ts) on a
 * memory of its own: [arguments | the photo's pixels | their row sums | each call's taps, output
 * block and column sums], grown as photos and outputs need.
 */
export class Resampler {
  private pixels?: Pixels;
  private readonly columns = new AxisTaps();
  private readonly rows = new AxisTaps();
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly passes = new WebAssembly.Instance(resampleModule(), { env: { memory: this.memory } }).exports as unknown as Passes;
  /** Byte addresses: the photo's row sums, and the first byte free for a call's scratch. */
  private sumsAt = 0;
  private freeAt = 0;

  /** Takes the photo later calls resample from, and sums its rows. */
  load(pixels: Pixels): void {
    const { width, height, channels, data } = pixels;
    if (data.length !== width * height * channels) {
      throw new RangeError(`resample: ${width}x${height}x${channels} pixels need ${width * height * channels} samples, got ${data.length}`);
    }
    this.sumsAt = align8(ARGS_BYTES + data.length);
    this.freeAt = align8(this.sumsAt + SUM_BYTES * height * (width + 1));
    this.reserve(this.freeAt);
    new Uint8Array(this.memory.buffer, ARGS_BYTES, data.length).set(data);
    this.call(this.passes.rowSums, [width, height, channels, ARGS_BYTES, this.sumsAt]);
    this.pixels = pixels;
  }

  /**
   * Writes `region` of the loaded photo, resampled to width x height and normalised, as the
   * transposed [3, width, height] block at `target[offset ..]` — or only the `window` of that
   * output, as a [3, window.width, window.height] block, zeros where the window reaches past the
   * output (the same values as the whole output holds there: the taps and bands are the whole's).
   */
  into(region: Region, width: number, height: number, target: Float32Array, offset: number,
    window: Window = { x: 0, y: 0, width, height }): void {
    const pixels = this.pixels;
    if (!pixels) throw new Error('resample: no photo loaded (call load(pixels) first)');
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new RangeError(`resample: the output must be whole positive pixels, got ${width}x${height}`);
    }
    const { x: wx, y: wy, width: ww, height: wh } = window;
    if (!([wx, wy, ww, wh].every(Number.isInteger) && ww > 0 && wh > 0)) {
      throw new RangeError(`resample: the window must be whole pixels with area, got ${ww}x${wh} at (${wx}, ${wy})`);
    }
    if (!(Number.isInteger(offset) && offset >= 0 && offset + 3 * ww * wh <= target.length)) {
      throw new RangeError(`resample: a 3x${ww}x${wh} block from offset ${offset} overruns a tensor of ${target.length}`);
    }
    if (![region.x1, region.y1, region.x2, region.y2].every(Number.isFinite) || !(region.x2 > region.x1 && region.y2 > region.y1)) {
      throw new RangeError(`resample: region (${region.x1}, ${region.y1})–(${region.x2}, ${region.y2}) is not a box with area`);
    }
    this.columns.set(region.x1, region.x2 - region.x1, pixels.width, width);
    this.rows.set(region.y1, region.y2 - region.y1, pixels.height, height);
    // The part of the window inside the output; the rest is zeros.
    const x0 = Math.max(wx, 0), x1 = Math.min(wx + ww, width), from = Math.max(wy, 0), to = Math.min(wy + wh, height);
    const count = x1 - x0;
    // This call's scratch: column taps, row taps (indexed by output row), the output block, then column sums.
    const offsets = this.freeAt, weights = offsets + 16 * Math.max(count, 0);
    const rowTaps = align8(weights + 24 * Math.max(count, 0)), rowWeights = rowTaps + 8 * height;
    const block = rowWeights + 24 * height, sums = align8(block + 12 * ww * wh);
    this.reserve(sums);
    const stage = new Float32Array(this.memory.buffer, block, 3 * ww * wh);
    if (x0 > wx || x1 < wx + ww || from > wy || to < wy + wh) stage.fill(0);
    if (count > 0 && to > from) {
      const long = this.writeTaps(x0, x1, from, to, { offsets, weights, rowTaps, rowWeights }) ? 1 : 0;
      // Output rows in bands, each from the source rows it reads (taps run in increasing order).
      const { first, last } = this.rows;
      const at = block + 4 * ((x0 - wx) * wh - wy); // output (0, x0, 0) of the window's block
      for (let y0 = 0; y0 < to;) {
        let top = 0, bottom = -1;
        let y1 = y0;
        for (; y1 < height; y1++) {
          if (last[y1] < first[y1]) continue; // wholly outside the image: reads nothing
          if (bottom < top) top = first[y1];
          else if (last[y1] - top >= BAND_ROWS) break;
          bottom = last[y1];
        }
        if (y1 > from) {
          const plane = 8 * count * (Math.max(0, bottom - top + 1) + 1);
          this.reserve(sums + 3 * plane);
          const { width: w, channels } = pixels;
          this.call(this.passes.alongX, [count, top, bottom, w * channels, SUM_BYTES * (w + 1), offsets, weights, ARGS_BYTES, this.sumsAt, sums, plane, long]);
          this.call(this.passes.alongY, [count, Math.max(y0, from), Math.min(y1, to), rowTaps, rowWeights, sums, plane, top, at, wh, ww * wh]);
        }
        y0 = y1;
      }
    }
    target.set(new Float32Array(this.memory.buffer, block, 3 * ww * wh), offset); // a new view: a band may have grown the memory
  }

  /**
   * The taps of output columns x0 … x1-1 and rows from … to-1, as resample-passes.ts reads them;
   * true when a column's run between its ends is longer than RUN pixels.
   */
  private writeTaps(x0: number, x1: number, from: number, to: number,
    at: { offsets: number; weights: number; rowTaps: number; rowWeights: number }): boolean {
    const { channels } = this.pixels!;
    let long = false;
    const ints = new Int32Array(this.memory.buffer), floats = new Float64Array(this.memory.buffer);
    const c = this.columns;
    for (let x = x0, i = at.offsets / 4, f = at.weights / 8; x < x1; x++, i += 4, f += 3) {
      const a = c.first[x], b = Math.max(c.last[x], a); // an empty sample (0, -1) reads sample 0 with weight 0
      ints[i] = a * channels;
      ints[i + 1] = b * channels;
      ints[i + 2] = SUM_BYTES * Math.min(a + 1, b);
      ints[i + 3] = SUM_BYTES * b;
      if (b - a - 1 > RUN) long = true;
      floats[f] = c.lead[x];
      floats[f + 1] = c.inner[x];
      floats[f + 2] = c.tail[x];
    }
    const r = this.rows;
    for (let y = from, i = at.rowTaps / 4 + 2 * from, f = at.rowWeights / 8 + 3 * from; y < to; y++, i += 2, f += 3) {
      ints[i] = r.first[y];
      ints[i + 1] = r.last[y];
      floats[f] = r.lead[y];
      floats[f + 1] = r.inner[y];
      floats[f + 2] = r.tail[y];
    }
    return long;
  }

  /** Grows the memory to hold `bytes`. */
  private reserve(bytes: number): void {
    const missing = bytes - this.memory.buffer.byteLength;
    if (missing > 0) this.memory.grow(Math.ceil(missing / PAGE));
  }

  private call(pass: () => void, args: number[]): void {
    new Int32Array(this.memory.buffer, ARGS, args.length).set(args);
    pass();
  }
}
