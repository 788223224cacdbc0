// Face alignment: the similarity fit against known transforms, and the warp against synthetic
// photos whose content and landmarks are placed by a known map.
import { describe, expect, it } from 'vitest';
import type { Pixels } from '../io/image.js';
import { alignedCropInto, alignInto, alignmentMap, mirrorMap, RMNET_TEMPLATE, warpInto } from '../rmnet/align.js';
import { applySimilarity, fitSimilarity, invertSimilarity, type Similarity } from '../rmnet/similarity.js';

const PLANE = 128 * 128;

/** A similarity of scale s, rotation θ (radians) and shift (tx, ty). */
const similarity = (s: number, theta: number, tx: number, ty: number): Similarity =>
  ({ a: s * Math.cos(theta), b: s * Math.sin(theta), tx, ty });

/** RGB pixels from a function giving [r, g, b] per pixel. */
function image(width: number, height: number, rgb: (x: number, y: number) => number[]): Pixels {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(rgb(x, y), (y * width + x) * 3);
  return { width, height, data, channels: 3 };
}

/** Deterministic pseudo-random bytes (a fixed linear congruential sequence). */
function noise(seed: number): (x: number, y: number) => number[] {
  return (x, y) => [0, 1, 2].map((c) => ((x * 73856093) ^ (y * 19349663) ^ ((c + seed) * 83492791)) >>> 0 & 255);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('fitSimilarity', () => {
  for (const [s, theta, tx, ty] of [[1, 0, 0, 0], [1.7, 0.4, 12.5, -3.25], [0.35, -2.9, 140, 77], [3.1, Math.PI / 2, -20, 5]]) {
    it(`recovers scale ${s}, rotation ${theta}, shift (${tx}, ${ty}) to 1e-6`, () => {
      const truth = similarity(s, theta, tx, ty);
      const fit = fitSimilarity(RMNET_TEMPLATE, RMNET_TEMPLATE.map((p) => applySimilarity(truth, p)));
      for (const k of ['a', 'b', 'tx', 'ty'] as const) expect(Math.abs(fit[k] - truth[k]), `${k}: ${fit[k]} vs ${truth[k]}`).toBeLessThan(1e-6);
    });
  }

  it('never reflects: a mirrored point set gets a proper rotation (determinant > 0) that cannot match it', () => {
    const mirrored = RMNET_TEMPLATE.map(({ x, y }) => ({ x: 128 - x, y }));
    const fit = fitSimilarity(RMNET_TEMPLATE, mirrored);
    expect(fit.a * fit.a + fit.b * fit.b).toBeGreaterThan(0);
    // A reflection would map the left eye onto the mirrored left eye exactly; the proper fit cannot.
    const leftEye = applySimilarity(fit, RMNET_TEMPLATE[0]);
    expect(Math.hypot(leftEye.x - mirrored[0].x, leftEye.y - mirrored[0].y)).toBeGreaterThan(10);
  });

  it('inverts: s⁻¹(s(p)) = p', () => {
    const s = similarity(1.3, 0.7, 4, -9);
    const back = RMNET_TEMPLATE.map((p) => applySimilarity(invertSimilarity(s), applySimilarity(s, p)));
    back.forEach((p, i) => expect(Math.hypot(p.x - RMNET_TEMPLATE[i].x, p.y - RMNET_TEMPLATE[i].y)).toBeLessThan(1e-9));
  });

  it('refuses coinciding points', () => {
    const same = Array.from({ length: 5 }, () => ({ x: 3, y: 4 }));
    expect(() => fitSimilarity(same, RMNET_TEMPLATE)).toThrow('the 5 source points all coincide');
  });
});

describe('alignInto', () => {
  it('identity: a photo whose landmarks are already the template comes back unchanged, as R, G, B planes', () => {
    const photo = image(128, 128, noise(1));
    const out = new Float32Array(3 * PLANE);
    alignedCropInto(photo, RMNET_TEMPLATE, out, 0);
    const expected = new Float32Array(3 * PLANE);
    for (let p = 0; p < PLANE; p++) for (let c = 0; c < 3; c++) expected[c * PLANE + p] = photo.data[p * 3 + c];
    expect(maxDiff(out, expected)).toBeLessThan(1e-6);
  });

  it('pixel centres sit on integer coordinates: landmarks at twice the template read photo pixel (2u, 2v) exactly', () => {
    const photo = image(256, 256, noise(2));
    const out = new Float32Array(2 * 3 * PLANE);
    alignInto(photo, RMNET_TEMPLATE.map(({ x, y }) => ({ x: 2 * x, y: 2 * y })), out, 3 * PLANE);
    let max = 0;
    for (let v = 0; v < 128; v++) {
      for (let u = 0; u < 128; u++) {
        for (let c = 0; c < 3; c++) max = Math.max(max, Math.abs(out[3 * PLANE + c * PLANE + v * 128 + u] - photo.data[(2 * v * 256 + 2 * u) * 3 + c]));
      }
    }
    expect(max).toBeLessThan(1e-6);
    expect(maxDiff(out.subarray(0, 3 * PLANE), new Float32Array(3 * PLANE))).toBe(0); // batch item 0 untouched
  });

  it('a bright square lands where the known map puts it (±1 px), under rotation, scaling and shift', () => {
    const cropToPhoto = similarity(1.45, 0.35, 60, 18);
    const target = { x: 40, y: 90 }; // crop pixel the square should land on
    const source = applySimilarity(cropToPhoto, target);
    const sx = Math.round(source.x), sy = Math.round(source.y);
    const photo = image(260, 240, (x, y) => (Math.abs(x - sx) <= 2 && Math.abs(y - sy) <= 2 ? [255, 255, 255] : [0, 0, 0]));
    const out = new Float32Array(3 * PLANE);
    alignInto(photo, RMNET_TEMPLATE.map((p) => applySimilarity(cropToPhoto, p)), out, 0);
    // The square's centre seen from the crop: the inverse map of the integer pixel it was drawn on.
    const expected = applySimilarity(invertSimilarity(cropToPhoto), { x: sx, y: sy });
    let sum = 0, cx = 0, cy = 0;
    for (let v = 0; v < 128; v++) {
      for (let u = 0; u < 128; u++) {
        const w = out[v * 128 + u];
        sum += w; cx += w * u; cy += w * v;
      }
    }
    expect(sum).toBeGreaterThan(255 * 5);
    expect(Math.abs(cx / sum - expected.x), `x ${cx / sum} vs ${expected.x}`).toBeLessThan(1);
    expect(Math.abs(cy / sum - expected.y), `y ${cy / sum} vs ${expected.y}`).toBeLessThan(1);
    expect(Math.hypot(expected.x - target.x, expected.y - target.y)).toBeLessThan(1);
  });

  it('outside the photo the warp reads zeros (OpenCV BORDER_CONSTANT)', () => {
    const photo = image(128, 128, () => [200, 100, 50]);
    const out = new Float32Array(3 * PLANE);
    alignInto(photo, RMNET_TEMPLATE.map(({ x, y }) => ({ x: x - 20, y })), out, 0); // crop column u reads photo column u - 20
    const at = (c: number, u: number, v: number) => out[c * PLANE + v * 128 + u];
    for (const value of [at(0, 5, 60), at(1, 19, 60), at(2, 0, 0)]) expect(value).toBeLessThan(0.01);
    expect(at(0, 20, 60)).toBeCloseTo(200, 4);
    expect(at(1, 100, 60)).toBeCloseTo(100, 4);
    expect(at(2, 127, 127)).toBeCloseTo(50, 4);
  });

  it('mirrorMap warps the left-right mirror image of the crop', () => {
    const photo = image(150, 150, noise(3));
    const landmarks = RMNET_TEMPLATE.map((p) => applySimilarity(similarity(0.9, -0.2, 20, 25), p));
    const map = alignmentMap(photo, landmarks);
    const [plain, mirrored] = [new Float32Array(3 * PLANE), new Float32Array(3 * PLANE)];
    warpInto(photo, map, plain, 0);
    warpInto(photo, mirrorMap(map), mirrored, 0);
    const reversed = plain.map((_, i) => plain[i - (i % 128) + 127 - (i % 128)]);
    expect(maxDiff(mirrored, reversed)).toBeLessThan(1e-3);
  });

  it('refuses landmarks outside the image, and a count other than five, naming which', () => {
    const photo = image(150, 150, () => [0, 0, 0]);
    const out = new Float32Array(3 * PLANE);
    const landmarks = RMNET_TEMPLATE.map((p, i) => (i === 2 ? { x: -40, y: 20 } : p));
    expect(() => alignInto(photo, landmarks, out, 0)).toThrow('landmark 3 (nose) at (-40, 20) is outside the 150x150 image');
    expect(() => alignInto(photo, RMNET_TEMPLATE.slice(0, 4), out, 0)).toThrow('alignment needs 5 landmarks');
    expect(() => alignInto(photo, RMNET_TEMPLATE, out, 1)).toThrow('overrun a tensor of 49152');
  });
});
