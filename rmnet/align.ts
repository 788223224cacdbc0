// Face alignment: the similarity transform that brings five landmarks (left eye, right eye, nose
// tip, left mouth corner, right mouth corner) onto the model's reference points, then a bilinear
// warp of the photo into the network's NCHW input (planes R, G, B holding float 0..255).
//
// Coordinates follow OpenCV (cv2.warpAffine, and Open Model Zoo's accuracy checker, which aligns
// LFW for this model with lfw_landmark.txt): pixel (i, j) is centred on the point (i, j), so an
// image of width w spans x from -0.5 to w - 0.5. Landmarks, templates and the crop's pixels all
// use it: output pixel (u, v) takes the source value at M⁻¹(u, v), M the fitted landmarks →
// template map.
//
// Outside the photo the warp sees zeros, as cv2.warpAffine does by default (BORDER_CONSTANT,
// value 0) — the reference pipelines (InsightFace's norm_crop, Open Model Zoo) keep that default.

import type { Pixels } from '../io/image.js';
import { fitSimilarity, invertSimilarity, type Point, type Similarity } from './similarity.js';

/** The model card's reference points (normalised to the crop) scaled to its 128x128 input. */
export const RMNET_TEMPLATE: readonly Point[] = [
  [0.31556875, 0.4615741071428571],
  [0.6826229166666667, 0.4615741071428571],
  [0.5002624999999999, 0.6405053571428571],
  [0.34947187500000004, 0.8246919642857142],
  [0.6534364583333333, 0.8246919642857142],
].map(([x, y]) => ({ x: x * 128, y: y * 128 }));

/** InsightFace's ArcFace template: where its 112x112 aligned crops put the five points. */
export const ARCFACE_112: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

export const LANDMARK_NAMES = ['left eye', 'right eye', 'nose', 'left mouth corner', 'right mouth corner'] as const;

/** A general affine map: x' = xx·x + xy·y + x0, y' = yx·x + yy·y + y0. */
export interface Affine {
  xx: number;
  xy: number;
  x0: number;
  yx: number;
  yy: number;
  y0: number;
}

/**
 * Aligns the face whose five landmarks (image pixels, order of LANDMARK_NAMES) are given:
 * writes its 3 x size x size planes into `target` from element `offset` (batch item n of an
 * [N, 3, size, size] tensor starts at n * 3 * size * size). The template is RMNET_TEMPLATE
 * scaled by size / 128.
 */
export function alignInto(pixels: Pixels, landmarks: readonly Point[], target: Float32Array, offset: number, size = 128): void {
  warpInto(pixels, alignmentMap(pixels, landmarks, size), target, offset, size);
}

/** An already-aligned crop whose five points sit at `template` (e.g. ARCFACE_112), re-aligned to the model's template. */
export function alignedCropInto(pixels: Pixels, template: readonly Point[], target: Float32Array, offset: number, size = 128): void {
  alignInto(pixels, template, target, offset, size);
}

/**
 * The map from the size x size crop's pixels to the photo's: the least-squares similarity from
 * the landmarks onto the template, inverted. Refuses landmarks that are not five points inside
 * the image.
 */
export function alignmentMap(image: { width: number; height: number }, landmarks: readonly Point[], size = 128): Affine {
  checkLandmarks(landmarks, image.width, image.height);
  const template = RMNET_TEMPLATE.map(({ x, y }) => ({ x: (x * size) / 128, y: (y * size) / 128 }));
  return affineOf(invertSimilarity(fitSimilarity(landmarks, template)));
}

/** The same map for the crop's left-right mirror image: output column u reads column size - 1 - u. */
export function mirrorMap(map: Affine, size = 128): Affine {
  const last = size - 1;
  return { xx: -map.xx, xy: map.xy, x0: map.x0 + map.xx * last, yx: -map.yx, yy: map.yy, y0: map.y0 + map.yx * last };
}

/**
 * Fills the size x size crop: output pixel (u, v) is the photo sampled bilinearly at map(u, v),
 * each of the four taps that falls outside the photo counting as 0. Alpha is ignored.
 */
export function warpInto(pixels: Pixels, map: Affine, target: Float32Array, offset: number, size = 128): void {
  const { width, height, channels, data } = pixels;
  if (data.length !== width * height * channels) {
    throw new RangeError(`warpInto: ${width}x${height}x${channels} pixels need ${width * height * channels} samples, got ${data.length}`);
  }
  const plane = size * size;
  if (!Number.isInteger(offset) || offset < 0 || offset + 3 * plane > target.length) {
    throw new RangeError(`warpInto: 3x${size}x${size} values from offset ${offset} overrun a tensor of ${target.length}`);
  }
  // Each tap outside the photo is skipped; the taps are summed in the order (x, y), (x + 1, y),
  // (x, y + 1), (x + 1, y + 1). A sample whose four taps all lie inside (most of a face) takes
  // them without a test: the same sum, term for term.
  const { xx, xy, x0, yx, yy, y0 } = map;
  const row = width * channels;
  for (let v = 0; v < size; v++) {
    const byX = xy * v, byY = yy * v;
    for (let u = 0; u < size; u++) {
      const sx = xx * u + byX + x0;
      const sy = yx * u + byY + y0;
      const x = Math.floor(sx), y = Math.floor(sy);
      const fx = sx - x, fy = sy - y;
      const w0 = (1 - fx) * (1 - fy), w1 = fx * (1 - fy), w2 = (1 - fx) * fy, w3 = fx * fy;
      const p = y * row + x * channels;
      const out = offset + v * size + u;
      if (x >= 0 && x + 1 < width && y >= 0 && y + 1 < height) {
        const q = p + channels, r = p + row, s = r + channels;
        target[out] = w0 * data[p] + w1 * data[q] + w2 * data[r] + w3 * data[s];
        target[out + plane] = w0 * data[p + 1] + w1 * data[q + 1] + w2 * data[r + 1] + w3 * data[s + 1];
        target[out + 2 * plane] = w0 * data[p + 2] + w1 * data[q + 2] + w2 * data[r + 2] + w3 * data[s + 2];
        continue;
      }
      const left = x >= 0 && x < width, right = x + 1 >= 0 && x + 1 < width;
      const top = y >= 0 && y < height, bottom = y + 1 >= 0 && y + 1 < height;
      for (let c = 0; c < 3; c++) {
        let value = 0;
        if (top && left) value += w0 * data[p + c];
        if (top && right) value += w1 * data[p + channels + c];
        if (bottom && left) value += w2 * data[p + row + c];
        if (bottom && right) value += w3 * data[p + row + channels + c];
        target[out + c * plane] = value;
      }
    }
  }
}

function affineOf({ a, b, tx, ty }: Similarity): Affine {
  return { xx: a, xy: -b, x0: tx, yx: b, yy: a, y0: ty };
}

/** Five finite points, each within the image's area (x in [-0.5, width - 0.5], y likewise). */
function checkLandmarks(landmarks: readonly Point[], width: number, height: number): void {
  if (landmarks.length !== LANDMARK_NAMES.length) {
    throw new RangeError(`alignment needs ${LANDMARK_NAMES.length} landmarks (${LANDMARK_NAMES.join(', ')}), got ${landmarks.length}`);
  }
  landmarks.forEach(({ x, y }, i) => {
    const inside = x >= -0.5 && x <= width - 0.5 && y >= -0.5 && y <= height - 0.5;
    if (!inside) {
      throw new RangeError(`landmark ${i + 1} (${LANDMARK_NAMES[i]}) at (${x}, ${y}) is outside the ${width}x${height} image`);
    }
  });
}
