// MTCNN's first stage reads the image at many scales: P-Net, fully convolutional, judges every
// 12x12 window of each scaled image (its output map steps 2 pixels a cell), so a face of side s
// is seen at the scale 12 / s.

import { OFFSETS, type Boxes } from './boxes.js';

/** P-Net's window and the step between its output cells, in pixels of the scaled image. */
export const WINDOW = 12;
export const STRIDE = 2;

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
 * Appends to `boxes` the windows P-Net scores above `threshold`, in image pixels, each with the
 * regression P-Net proposes for it. `scores` is the face probability [mapWidth, mapHeight] and
 * `offsets` the regression [4, mapWidth, mapHeight], both TRANSPOSED like P-Net's input: cell
 * (i, j) at [i * mapHeight + j] is the window at x = 2i, y = 2j of the scaled image. `scaleX`,
 * `scaleY`: scaled size / image size.
 */
export function proposals(scores: Float32Array, offsets: Float32Array, mapWidth: number, mapHeight: number,
  scaleX: number, scaleY: number, threshold: number, boxes: Boxes): void {
  const cells = mapWidth * mapHeight;
  if (scores.length < cells || offsets.length < 4 * cells) {
    throw new RangeError(`proposals: a ${mapWidth}x${mapHeight} map needs ${cells} probabilities and ${4 * cells} offsets, ` +
      `got ${scores.length} and ${offsets.length}`);
  }
  for (let i = 0; i < mapWidth; i++) {
    for (let j = 0; j < mapHeight; j++) {
      const cell = i * mapHeight + j;
      const score = scores[cell];
      if (!(score > threshold)) continue;
      const at = boxes.push((STRIDE * i) / scaleX, (STRIDE * j) / scaleY, (STRIDE * i + WINDOW) / scaleX, (STRIDE * j + WINDOW) / scaleY, score);
      for (let k = 0; k < 4; k++) boxes.records[at + OFFSETS + k] = offsets[k * cells + cell];
    }
  }
}
