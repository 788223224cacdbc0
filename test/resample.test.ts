// MTCNN's resampling (rmnet/mtcnn/resample.ts) against a plain float64 implementation of the rule
// it follows (the authors' MATLAB imResample): per axis, area averaging when shrinking, bilinear
// between pixel centres when enlarging, black outside the image; written transposed and normalised.
import { describe, expect, it } from 'vitest';
import type { Pixels } from '../io/image.js';
import { Resampler, type Region } from '../rmnet/mtcnn/resample.js';

/** The weight source pixel i gets in output sample d along an axis (span [start, start + length) → samples). */
function weight(start: number, length: number, size: number, samples: number, d: number, i: number): number {
  if (i < 0 || i >= size) return 0; // black outside
  const k = length / samples;
  if (k >= 1) {
    // The share of [start + d*k, start + (d+1)*k) that pixel [i, i+1) covers, over k.
    const a = start + d * k, b = a + k;
    return Math.max(0, Math.min(b, i + 1) - Math.max(a, i)) / k;
  }
  // Bilinear at the sample's centre, clamped to the span's first and last pixels.
  const s = Math.min(Math.max(start + (d + 0.5) * k - 0.5, Math.floor(start)), Math.ceil(start + length) - 1);
  return Math.max(0, 1 - Math.abs(s - i));
}

/** The region resampled to width x height: [3, width, height], normalised, all in float64. */
function reference(pixels: Pixels, region: Region, width: number, height: number): Float64Array {
  const out = new Float64Array(3 * width * height);
  for (let x = 0; x < width; x++) {
    for (let y = 0; y < height; y++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < pixels.height; j++) {
          const wy = weight(region.y1, region.y2 - region.y1, pixels.height, height, y, j);
          if (wy === 0) continue;
          for (let i = 0; i < pixels.width; i++) {
            const wx = weight(region.x1, region.x2 - region.x1, pixels.width, width, x, i);
            if (wx !== 0) sum += wx * wy * pixels.data[(j * pixels.width + i) * pixels.channels + c];
          }
        }
        out[(c * width + x) * height + y] = (sum - 127.5) * 0.0078125;
      }
    }
  }
  return out;
}

/** A fixed-seed generator (numbers in [0, 1)). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('Resampler against a float64 reference', () => {
  const rnd = random(9);
  const image = (width: number, height: number, channels: 3 | 4): Pixels =>
    ({ width, height, channels, data: Uint8Array.from({ length: width * height * channels }, () => Math.floor(256 * rnd())) });
  const resampler = new Resampler();
  const check = (pixels: Pixels, region: Region, width: number, height: number) => {
    const offset = 7;
    const out = new Float32Array(offset + 3 * width * height + 5).fill(42);
    resampler.load(pixels);
    resampler.into(region, width, height, out, offset);
    const want = reference(pixels, region, width, height);
    let max = 0;
    for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(out[offset + i] - want[i]));
    const where = `${pixels.width}x${pixels.height}x${pixels.channels}, (${region.x1}, ${region.y1})–(${region.x2}, ${region.y2}) → ${width}x${height}`;
    expect(max, `max abs error, ${where}`).toBeLessThanOrEqual(1e-6);
    expect([...out.subarray(0, offset), ...out.subarray(offset + want.length)], `around the block, ${where}`).toEqual(new Array(offset + 5).fill(42));
  };

  const cases: [string, Region, number, number][] = [
    ['the whole image, shrunk by a fraction', { x1: 0, y1: 0, x2: 37, y2: 29 }, 22, 17],
    ['a fractional box inside, shrunk a lot', { x1: 3.3, y1: 2.71, x2: 33.9, y2: 27.05 }, 5, 7],
    ['a fractional box enlarged', { x1: 10.4, y1: 7.9, x2: 16.15, y2: 12.3 }, 24, 24],
    ['enlarged along x, shrunk along y', { x1: 5.5, y1: 0.25, x2: 9.5, y2: 28.75 }, 13, 6],
    ['partly outside on every side', { x1: -6.6, y1: -3.2, x2: 41.7, y2: 31.9 }, 24, 24],
    ['partly outside, enlarged', { x1: -2.5, y1: 25.5, x2: 4.5, y2: 32.5 }, 48, 48],
    ['wholly outside (right of the image)', { x1: 40, y1: 3, x2: 52, y2: 15 }, 12, 12],
    ['wholly outside (above the image)', { x1: 3, y1: -30.5, x2: 20, y2: -2 }, 9, 11],
    ['exactly one pixel per output (integer box, same size)', { x1: 4, y1: 5, x2: 16, y2: 17 }, 12, 12],
    ['a box thinner than a pixel', { x1: 7.2, y1: 3.1, x2: 7.7, y2: 20.9 }, 3, 4],
  ];
  for (const channels of [3, 4] as const) {
    for (const [name, region, width, height] of cases) {
      it(`${name} (${channels} channels)`, () => check(image(37, 29, channels), region, width, height));
    }
  }

  it('random boxes on images of odd sizes, one resampler reused across them', () => {
    for (let trial = 0; trial < 40; trial++) {
      const pixels = image(1 + Math.floor(25 * rnd()), 1 + Math.floor(90 * rnd()), rnd() < 0.5 ? 3 : 4);
      const x1 = (1.6 * rnd() - 0.4) * pixels.width, y1 = (1.6 * rnd() - 0.4) * pixels.height;
      const region = { x1, y1, x2: x1 + 0.2 + 1.5 * pixels.width * rnd(), y2: y1 + 0.2 + 1.5 * pixels.height * rnd() };
      check(pixels, region, 1 + Math.floor(30 * rnd()), 1 + Math.floor(30 * rnd()));
    }
  });

  it('a tall region shrunk into few rows: many source rows per output row, in several bands', () => {
    check(image(9, 700, 3), { x1: 0.5, y1: -10.25, x2: 8.5, y2: 690.5 }, 4, 3);
    check(image(9, 700, 3), { x1: 0, y1: 0, x2: 9, y2: 700 }, 5, 333);
  });

  it('a wide region shrunk into few columns: row sums past 2^16, runs of more than RUN pixels summed in steps', () => {
    // Bright pixels, so the row sums wrap around 2^16 many times; 1300 / 5 and 1290 / 5 columns
    // leave runs longer than RUN (257) between a column's two ends, 1300 / 6 runs shorter.
    const bright = (width: number, height: number): Pixels =>
      ({ width, height, channels: 3, data: Uint8Array.from({ length: width * height * 3 }, () => 255 - Math.floor(8 * rnd())) });
    for (const columns of [2, 5, 6]) check(bright(1300, 7), { x1: 0, y1: 0, x2: 1300, y2: 7 }, columns, 3);
    check(bright(1301, 5), { x1: 0.5, y1: 0, x2: 1290.5, y2: 5 }, 5, 2);
    check(bright(1301, 5), { x1: -20.25, y1: 0.5, x2: 1311.5, y2: 4.5 }, 3, 2);
  });

  it('a window of the output is that part of the whole output, bit for bit, zeros past its edges', () => {
    const pixels = image(61, 700, 3);
    resampler.load(pixels);
    for (const [region, width, height] of [[{ x1: 0, y1: 0, x2: 61, y2: 700 }, 23, 211], [{ x1: -3.5, y1: 10.2, x2: 50.1, y2: 650.7 }, 41, 37]] as const) {
      const whole = new Float32Array(3 * width * height);
      resampler.into(region, width, height, whole, 0);
      // Inside; across band edges; reaching past every side; larger than the output; wholly outside.
      const windows = [[3, 5, 10, 7], [0, 40, width, 120], [-4, -6, 12, 20], [width - 5, height - 9, 14, 30], [-2, -3, width + 7, height + 5], [width, 0, 4, 4]];
      for (const [x, y, w, h] of windows) {
        const out = new Float32Array(2 + 3 * w * h + 2).fill(42);
        resampler.into(region, width, height, out, 2, { x, y, width: w, height: h });
        const want = Array.from({ length: 3 * w * h }, (_, i) => {
          const [c, u, v] = [Math.floor(i / (w * h)), x + Math.floor((i % (w * h)) / h), y + (i % h)];
          return u >= 0 && u < width && v >= 0 && v < height ? whole[(c * width + u) * height + v] : 0;
        });
        const where = `window ${w}x${h} at (${x}, ${y}) of ${width}x${height}`;
        expect(Array.from(out.subarray(2, 2 + 3 * w * h)), where).toEqual(want);
        expect([...out.subarray(0, 2), ...out.subarray(2 + 3 * w * h)], `around the block, ${where}`).toEqual([42, 42, 42, 42]);
      }
    }
    expect(() => resampler.into({ x1: 0, y1: 0, x2: 4, y2: 4 }, 4, 4, new Float32Array(48), 0, { x: 0, y: 0, width: 0, height: 4 }))
      .toThrow(/the window must be whole pixels with area, got 0x4 at \(0, 0\)/);
  });
});
