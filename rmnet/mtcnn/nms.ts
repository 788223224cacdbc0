// Greedy non-maximum suppression, as MTCNN uses it between and after its stages.

import type { Box } from './boxes.js';

/**
 * How two boxes' overlap is measured: intersection over union, or intersection over the smaller
 * box ('min': a box lying inside a kept one counts as fully overlapping it).
 */
export type Overlap = 'union' | 'min';

/**
 * The boxes kept, highest score first: each box in order of descending score is kept unless it
 * overlaps a box already kept by more than `threshold`.
 */
export function nms<T extends Box>(boxes: readonly T[], threshold: number, overlap: Overlap): T[] {
  const kept: T[] = [];
  for (const box of [...boxes].sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => overlapOf(k, box, overlap) <= threshold)) kept.push(box);
  }
  return kept;
}

function overlapOf(a: Box, b: Box, overlap: Overlap): number {
  const width = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const height = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const intersection = width * height;
  const areaA = (a.x2 - a.x1) * (a.y2 - a.y1);
  const areaB = (b.x2 - b.x1) * (b.y2 - b.y1);
  const base = overlap === 'min' ? Math.min(areaA, areaB) : areaA + areaB - intersection;
  return base > 0 ? intersection / base : 0;
}
