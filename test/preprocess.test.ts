import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readImage, type Pixels } from '../io/image.js';
import { resizeInto, resizeToTensor } from '../rmnet/preprocess.js';

const reference = (path: string) =>
  fileURLToPath(new URL(`../../shared/models/face-reidentification-retail-0001/reference/${path}`, import.meta.url));

describe('resizeToTensor against the reference network inputs', () => {
  // inputs/a_b.rgb is OpenCV's INTER_LINEAR resize of faces/a/a_b.jpg, in fixed point rounded to
  // uint8; our float resize must land within that rounding: measured max 0.745..0.752, mean 0.257..0.261.
  for (const person of [0, 1, 2]) {
    for (const shot of [0, 1, 2]) {
      const name = `${person}_${shot}`;
      it(`faces/${person}/${name}.jpg matches inputs/${name}.rgb`, async () => {
        const tensor = resizeToTensor(await readImage(reference(`faces/${person}/${name}.jpg`)));
        const rgb = readFileSync(reference(`inputs/${name}.rgb`));
        expect(tensor.length).toBe(rgb.length);
        let max = 0;
        let sum = 0;
        for (let c = 0; c < 3; c++) {
          for (let p = 0; p < 128 * 128; p++) {
            const diff = Math.abs(tensor[c * 128 * 128 + p] - rgb[p * 3 + c]);
            max = Math.max(max, diff);
            sum += diff;
          }
        }
        const mean = sum / rgb.length;
        expect(max, `${name}: max |diff| ${max} (tolerance 1.0)`).toBeLessThanOrEqual(1.0);
        expect(mean, `${name}: mean |diff| ${mean} (tolerance 0.3)`).toBeLessThanOrEqual(0.3);
      });
    }
  }
});

/** RGB pixels from per-pixel [r, g, b] values, rows top to bottom. */
function rgbPixels(width: number, height: number, value: (x: number, y: number) => number[]): Pixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(value(x, y), (y * width + x) * 3);
  return { width, height, data, channels: 3 };
}

/**
 * OpenCV's INTER_LINEAR coordinate rule as resize.cpp writes it, in float: fx = (dx + 0.5) * scale - 0.5,
 * sx = floor(fx), fx -= sx; sx < 0 → fx = 0, sx = 0; sx >= size - 1 → fx = 0, sx = size - 1.
 */
function opencvTap(d: number, srcSize: number, dstSize: number): [number, number, number] {
  let f = (d + 0.5) * (srcSize / dstSize) - 0.5;
  let s = Math.floor(f);
  f -= s;
  if (s < 0) [f, s] = [0, 0];
  if (s >= srcSize - 1) [f, s] = [0, srcSize - 1];
  return [s, Math.min(s + 1, srcSize - 1), f];
}

function opencvResize(pixels: Pixels, width: number, height: number): number[][] {
  const at = (x: number, y: number, c: number) => pixels.data[(y * pixels.width + x) * pixels.channels + c];
  const planes: number[][] = [[], [], []];
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < height; y++) {
      const [y0, y1, fy] = opencvTap(y, pixels.height, height);
      for (let x = 0; x < width; x++) {
        const [x0, x1, fx] = opencvTap(x, pixels.width, width);
        const top = at(x0, y0, c) * (1 - fx) + at(x1, y0, c) * fx;
        const bottom = at(x0, y1, c) * (1 - fx) + at(x1, y1, c) * fx;
        planes[c].push(top * (1 - fy) + bottom * fy);
      }
    }
  }
  return planes;
}

describe('resizeToTensor on small images', () => {
  it('2x2 → 4x4 by hand: each axis samples at 0, 1/4, 3/4, 1 of the way', () => {
    // Value 4x + 8y in R, 255 - that in G, 7 in B.
    const pixels = rgbPixels(2, 2, (x, y) => [4 * x + 8 * y, 255 - 4 * x - 8 * y, 7]);
    const along = [0, 0.25, 0.75, 1];
    const red = along.flatMap((v) => along.map((u) => 4 * u + 8 * v));
    const tensor = Array.from(resizeToTensor(pixels, 4));
    expect(tensor.slice(0, 16)).toEqual(red);
    expect(tensor.slice(16, 32)).toEqual(red.map((r) => 255 - r));
    expect(tensor.slice(32)).toEqual(new Array(16).fill(7));
  });

  it('6x6 → 3x3 by hand: a downscale by 2 samples between pixels 0|1, 2|3, 4|5', () => {
    const pixels = rgbPixels(6, 6, (x, y) => [10 * x, 10 * y, 10 * x + 10 * y]);
    const tensor = Array.from(resizeToTensor(pixels, 3));
    const at = [5, 25, 45];
    expect(tensor.slice(0, 9)).toEqual(at.flatMap(() => at));
    expect(tensor.slice(9, 18)).toEqual(at.flatMap((v) => [v, v, v]));
    expect(tensor.slice(18)).toEqual(at.flatMap((v) => at.map((u) => u + v)));
  });

  it('3x2 → 5x5, 7x3 → 4x4 and 2x9 → 6x6 match OpenCV’s formulation on random values', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (const [width, height, size] of [[3, 2, 5], [7, 3, 4], [2, 9, 6]]) {
      const pixels = rgbPixels(width, height, () => [random(), random(), random()]);
      const tensor = resizeToTensor(pixels, size);
      const expected = opencvResize(pixels, size, size).flat();
      expected.forEach((value, i) => expect(tensor[i], `${width}x${height} → ${size}, element ${i}`).toBeCloseTo(value, 4));
    }
  });

  it('ignores alpha: RGBA gives the RGB result', () => {
    const value = (x: number, y: number) => [x * 40, y * 50, 200 - x * y * 9];
    const rgb = rgbPixels(4, 3, value);
    const rgba: Pixels = { ...rgb, channels: 4, data: new Uint8Array(4 * 3 * 4) };
    for (let p = 0; p < 12; p++) rgba.data.set([...rgb.data.subarray(3 * p, 3 * p + 3), p * 20], 4 * p);
    expect(resizeToTensor(rgba, 5)).toEqual(resizeToTensor(rgb, 5));
  });

  it('resizeInto writes one batch item at its offset and nothing else', () => {
    const pixels = rgbPixels(3, 3, (x, y) => [x, y, x + y]);
    const item = 3 * 4 * 4;
    const batch = new Float32Array(3 * item).fill(-1);
    resizeInto(pixels, batch, item, 4);
    expect(batch.subarray(item, 2 * item)).toEqual(resizeToTensor(pixels, 4));
    expect(batch.subarray(0, item).every((v) => v === -1)).toBe(true);
    expect(batch.subarray(2 * item).every((v) => v === -1)).toBe(true);
  });

  it('refuses a target too small and pixels whose data does not match their size', () => {
    const pixels = rgbPixels(3, 3, () => [0, 0, 0]);
    expect(() => resizeInto(pixels, new Float32Array(100), 60, 4)).toThrow(
      'resizeInto: 3x4x4 values from offset 60 overrun a tensor of 100',
    );
    expect(() => resizeToTensor({ ...pixels, channels: 4 })).toThrow('resizeInto: 3x3x4 pixels need 36 samples, got 27');
  });
});
