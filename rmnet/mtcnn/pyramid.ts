// MTCNN's first stage reads the image at many scales: P-Net, fully convolutional, judges every
// 12x12 window of each scaled image (its output map steps 2 pixels a cell), so a face of side s
// is seen at the scale 12 / s.

import type { Box } from './boxes.js';

/** A candidate from P-Net: its window in image pixels, and the regression P-Net proposes for it. */
export interface Proposal extends Box {
  offsets: ArrayLike<number>;
}

/** P-Net's window and the step between its output cells, in pixels of the scaled image. */
const WINDOW = 12;
const STRIDE = 2;

/**
 * The scales 12 / minFaceSize * factor^k, k = 0, 1, … while the shorter side, so scaled, still
 * holds one window (>= 12 pixels).
 */
export function pyramidScales(width: number, height: number, minFaceSize: number, factor: number): number[] {
  const scales: number[] = [];
  for (let scale = WINDOW / minFaceSize; Math.min(width, height) * scale >= WINDOW; scale *= factor) scales.push(scale);
  return scales;
}

/** The size of the image at a scale: each side rounded up. */
export function scaledSize(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: Math.ceil(width * scale), height: Math.ceil(height * scale) };
}

/**
 * The windows P-Net scores above `threshold`, in image pixels. `prob` is P-Net's softmax,
 * [2, mapWidth, mapHeight] with the face probability in channel 1, and `offsets` its regression
 * [4, mapWidth, mapHeight]: both TRANSPOSED like its input, cell (i, j) at [i * mapHeight + j] is
 * the window at x = 2i, y = 2j of the scaled image. `scaleX`, `scaleY`: scaled size / image size.
 */
export function proposals(prob: Float32Array, offsets: Float32Array, mapWidth: number, mapHeight: number,
  scaleX: number, scaleY: number, threshold: number): Proposal[] {
  const cells = mapWidth * mapHeight;
  if (prob.length !== 2 * cells || offsets.length !== 4 * cells) {
    throw new RangeError(`proposals: a ${mapWidth}x${mapHeight} map needs ${2 * cells} probabilities and ${4 * cells} offsets, ` +
      `got ${prob.length} and ${offsets.length}`);
  }
  const found: Proposal[] = [];
  for (let i = 0; i < mapWidth; i++) {
    for (let j = 0; j < mapHeight; j++) {
      const cell = i * mapHeight + j;
      const score = prob[cells + cell];
      if (!(score > threshold)) continue;
      found.push({
        x1: (STRIDE * i) / scaleX,
        y1: (STRIDE * j) / scaleY,
        x2: (STRIDE * i + WINDOW) / scaleX,
        y2: (STRIDE * j + WINDOW) / scaleY,
        score,
        offsets: [0, 1, 2, 3].map((k) => offsets[k * cells + cell]),
      });
    }
  }
  return found;
}
