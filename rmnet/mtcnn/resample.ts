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
// prefix sums: the photo's rows get exact integer prefix sums once (load), and each pass along
// x (rows → columns) keeps float64 prefix sums down each column for the pass along y. The cost
// is per output sample, not per tap, so a whole pyramid costs little more than its levels' sizes.

import type { Pixels } from '../../io/image.js';

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

export class Resampler {
  private pixels?: Pixels;
  /** The loaded photo's rows as prefix sums, [row][i][channel]: samples 0 … i-1 of the row summed (exact integers). */
  private rowSums = new Int32Array(0);
  private readonly columns = new AxisTaps();
  private readonly rows = new AxisTaps();
  /** The pass along x, as float64 prefix sums down each column: [channel][row of the band + 1][x]. */
  private columnSums = new Float64Array(0);

  /** Takes the photo later calls resample from, and sums its rows. */
  load(pixels: Pixels): void {
    const { width, height, channels, data } = pixels;
    if (data.length !== width * height * channels) {
      throw new RangeError(`resample: ${width}x${height}x${channels} pixels need ${width * height * channels} samples, got ${data.length}`);
    }
    const size = 3 * height * (width + 1);
    if (this.rowSums.length < size) this.rowSums = new Int32Array(size);
    const sums = this.rowSums;
    for (let y = 0; y < height; y++) {
      let p = y * width * channels;
      let q = 3 * y * (width + 1);
      let s0 = 0, s1 = 0, s2 = 0;
      sums[q] = sums[q + 1] = sums[q + 2] = 0;
      for (let x = 0; x < width; x++, p += channels) {
        q += 3;
        sums[q] = s0 += data[p];
        sums[q + 1] = s1 += data[p + 1];
        sums[q + 2] = s2 += data[p + 2];
      }
    }
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
    if (x0 > wx || x1 < wx + ww || from > wy || to < wy + wh) target.fill(0, offset, offset + 3 * ww * wh);
    if (x1 <= x0 || to <= from) return;
    const out: Block = { target, at: offset + (x0 - wx) * wh - wy, column: wh, plane: ww * wh };
    // Output rows in bands, each from the source rows it reads (taps run in increasing order).
    const { first, last } = this.rows;
    for (let y0 = 0; y0 < to;) {
      let top = 0, bottom = -1;
      let y1 = y0;
      for (; y1 < height; y1++) {
        if (last[y1] < first[y1]) continue; // wholly outside the image: reads nothing
        if (bottom < top) top = first[y1];
        else if (last[y1] - top >= BAND_ROWS) break;
        bottom = last[y1];
      }
      if (y1 > from) this.band(Math.max(y0, from), Math.min(y1, to), top, bottom, x0, x1, out);
      y0 = y1;
    }
  }

  /** Output rows y0 … y1-1 and columns x0 … x1-1, which read source rows top … bottom (none when bottom < top). */
  private band(y0: number, y1: number, top: number, bottom: number, x0: number, x1: number, out: Block): void {
    const rows = Math.max(0, bottom - top + 1) + 1;
    if (this.columnSums.length < 3 * (x1 - x0) * rows) this.columnSums = new Float64Array(3 * (x1 - x0) * rows);
    alongX(this.pixels!, this.rowSums, this.columns, x0, x1, top, bottom, this.columnSums);
    alongY(this.columnSums, this.rows, x1 - x0, rows, top, y0, y1, out);
  }
}

/** Where pass 2 writes: output (c, x, y) of the columns a band covers (x from 0) at target[at + c * plane + x * column + y]. */
interface Block {
  target: Float32Array;
  at: number;
  column: number;
  plane: number;
}

/**
 * Pass 1: source rows top … bottom resampled along x to output columns x0 … x1-1, kept as prefix
 * sums down each of them: sums[(c * rows + j) * (x1 - x0) + x - x0] holds rows top … top + j - 1
 * summed (rows = bottom - top + 2).
 */
function alongX(pixels: Pixels, rowSums: Int32Array, taps: AxisTaps, x0: number, x1: number, top: number, bottom: number,
  sums: Float64Array): void {
  const { data, channels } = pixels;
  const { first, last, lead, inner, tail } = taps;
  const width = x1 - x0;
  const rowLength = 3 * (pixels.width + 1);
  const pixelRow = pixels.width * channels;
  const plane = width * (bottom - top + 2);
  sums.fill(0, 0, width);
  sums.fill(0, plane, plane + width);
  sums.fill(0, 2 * plane, 2 * plane + width);
  for (let y = top, at = width; y <= bottom; y++) {
    const p = y * pixelRow, q = y * rowLength;
    for (let x = x0; x < x1; x++, at++) {
      const a = first[x], b = Math.max(last[x], a); // an empty sample (0, -1) reads sample 0 with weight 0
      const head = p + a * channels, end = p + b * channels, from = q + 3 * Math.min(a + 1, b), to = q + 3 * b;
      const l = lead[x], n = inner[x], t = tail[x];
      sums[at] = sums[at - width] + (l * data[head] + n * (rowSums[to] - rowSums[from]) + t * data[end]);
      sums[plane + at] = sums[plane + at - width] + (l * data[head + 1] + n * (rowSums[to + 1] - rowSums[from + 1]) + t * data[end + 1]);
      sums[2 * plane + at] = sums[2 * plane + at - width] + (l * data[head + 2] + n * (rowSums[to + 2] - rowSums[from + 2]) + t * data[end + 2]);
    }
  }
}

/** Output columns written together by pass 2: its writes run down the transposed planes, this many at a time. */
const BLOCK = 16;

/** Pass 2: output rows y0 … y1-1 of the band's `width` columns from pass 1's column sums, normalised into the transposed planes. */
function alongY(sums: Float64Array, taps: AxisTaps, width: number, rows: number, top: number, y0: number, y1: number, out: Block): void {
  const { first, last, lead, inner, tail } = taps;
  const { target, column } = out;
  for (let c = 0; c < 3; c++) {
    const plane = (c * rows - top) * width;
    for (let x0 = 0; x0 < width; x0 += BLOCK) {
      const x1 = Math.min(x0 + BLOCK, width);
      for (let y = y0; y < y1; y++) {
        const dest = out.at + c * out.plane + y;
        const a = first[y], b = last[y];
        if (b < a) {
          for (let x = x0; x < x1; x++) target[dest + x * column] = -127.5 * 0.0078125;
          continue;
        }
        const l = lead[y], n = inner[y], t = tail[y];
        // Prefix rows a, a + 1, b, b + 1: v[a], the run a + 1 … b - 1 and v[b] are their differences.
        const r0 = plane + a * width, r1 = r0 + width, r2 = plane + b * width, r3 = r2 + width;
        for (let x = x0; x < x1; x++) {
          const s1 = sums[r1 + x], e = sums[r2 + x];
          const v = l * (s1 - sums[r0 + x]) + n * (e - s1) + t * (sums[r3 + x] - e);
          target[dest + x * column] = (v - 127.5) * 0.0078125;
        }
      }
    }
  }
}
