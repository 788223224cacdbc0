// Face boxes as the tracker uses them: image pixels, [x, x + width) x [y, y + height).

import type { Face } from '../mtcnn/index.js';

export type Rect = Face['box'];

/** Intersection over union of two boxes (0 when either is empty). */
export function iou(a: Rect, b: Rect): number {
  const width = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const height = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const intersection = width * height;
  const union = a.width * a.height + b.width * b.height - intersection;
  return union > 0 ? intersection / union : 0;
}

/** Two detections overlapping by more than this (IoU) are one face. */
export const DUPLICATE = 0.5;

/** The faces left when, of any two duplicates, the lower-scoring one goes. */
export function dedupe(faces: Face[]): Face[] {
  const kept: Face[] = [];
  for (const face of [...faces].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k.box, face.box) <= DUPLICATE)) kept.push(face);
  }
  return kept;
}

/** The five landmarks lie on the image, so the face can be aligned (see rmnet/align.ts). */
export function alignable(face: Face, width: number, height: number): boolean {
  return face.landmarks.every(([x, y]) => x >= 0 && x <= width && y >= 0 && y <= height);
}

/** The box lies on the image, give or take `margin` of its side: the whole face is in view. */
export function inView(box: Rect, width: number, height: number, margin = 0.1): boolean {
  const mx = margin * box.width, my = margin * box.height;
  return box.x >= -mx && box.y >= -my && box.x + box.width <= width + mx && box.y + box.height <= height + my;
}
