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

import type { Pixels } from '../../io/image.js';

export interface Region {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Source samples and weights for each output sample along one axis. */
interface Taps {
  index: number[][];
  weight: number[][];
}

/**
 * Writes `region` of the image, resampled to width x height and normalised, as the transposed
 * [3, width, height] block at `target[offset ..]`.
 */
export function cropInto(pixels: Pixels, region: Region, width: number, height: number, target: Float32Array, offset: number): void {
  const { data, channels } = pixels;
  if (offset < 0 || offset + 3 * width * height > target.length) {
    throw new RangeError(`cropInto: a 3x${width}x${height} crop from offset ${offset} overruns a tensor of ${target.length}`);
  }
  const columns = taps(region.x1, region.x2 - region.x1, pixels.width, width);
  const rows = taps(region.y1, region.y2 - region.y1, pixels.height, height);
  const used = rows.index.filter((index) => index.length > 0);
  const first = used.length > 0 ? used[0][0] : 0; // taps run in increasing order
  const rowCount = used.length > 0 ? used[used.length - 1].at(-1)! - first + 1 : 0;

  // Along x first, for every image row the output reads: rowCount x width x 3.
  const across = new Float32Array(rowCount * width * 3);
  for (let r = 0; r < rowCount; r++) {
    const row = (first + r) * pixels.width;
    for (let x = 0; x < width; x++) {
      const index = columns.index[x];
      const weight = columns.weight[x];
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let t = 0; t < index.length; t++) sum += weight[t] * data[(row + index[t]) * channels + c];
        across[(r * width + x) * 3 + c] = sum;
      }
    }
  }
  // Then along y, into the transposed planes.
  const plane = width * height;
  for (let y = 0; y < height; y++) {
    const index = rows.index[y];
    const weight = rows.weight[y];
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let t = 0; t < index.length; t++) sum += weight[t] * across[((index[t] - first) * width + x) * 3 + c];
        target[offset + c * plane + x * height + y] = (sum - 127.5) * 0.0078125;
      }
    }
  }
}

/**
 * The span [start, start + length) of an axis of `size` pixels, resampled to `count` samples.
 * Shrinking (or keeping the size): output d averages [start + d*k, start + (d+1)*k), k = length / count,
 * each pixel weighted by how much of it lies inside. Enlarging: output d reads the point
 * start + (d + 0.5)*k - 0.5 in pixel-centre coordinates, kept within the span's pixels, between its
 * two nearest pixels. Pixels outside 0 .. size-1 are left out, i.e. count as black.
 */
function taps(start: number, length: number, size: number, count: number): Taps {
  const k = length / count;
  const result: Taps = { index: [], weight: [] };
  const add = (d: number, i: number, w: number) => {
    if (i >= 0 && i < size && w > 0) {
      result.index[d].push(i);
      result.weight[d].push(w);
    }
  };
  const lo = Math.floor(start);
  const hi = Math.ceil(start + length) - 1;
  for (let d = 0; d < count; d++) {
    result.index.push([]);
    result.weight.push([]);
    if (k >= 1) {
      const a = start + d * k;
      const b = a + k;
      for (let i = Math.floor(a); i < b; i++) add(d, i, (Math.min(b, i + 1) - Math.max(a, i)) / k);
    } else {
      const s = Math.min(Math.max(start + (d + 0.5) * k - 0.5, lo), hi);
      const near = Math.floor(s);
      const far = Math.min(near + 1, hi);
      add(d, near, 1 - (s - near));
      if (far !== near) add(d, far, s - near);
    }
  }
  return result;
}
