// The ROC curve of pair scores: true positive rate (same-person pairs called same) against false
// positive rate (different-person pairs called same) as the threshold falls through every score.

import type { Scored } from './cross-validation.js';

export interface RocPoint {
  /** Pairs scoring at least this are called same. */
  threshold: number;
  fpr: number;
  tpr: number;
}

export interface Roc {
  /** From (0, 0) (threshold above every score) to (1, 1), one point per distinct score. */
  points: RocPoint[];
  /** Area under the curve by the trapezoid rule: the chance a same pair outscores a different one, ties counting half. */
  auc: number;
}

export function roc(pairs: readonly Scored[]): Roc {
  const positives = pairs.filter((p) => p.same).length;
  const negatives = pairs.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new RangeError(`roc: needs both same and different pairs, got ${positives} same and ${negatives} different`);
  }
  const sorted = [...pairs].sort((p, q) => q.score - p.score);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0, fp = 0, auc = 0;
  for (let i = 0; i < sorted.length; ) {
    const score = sorted[i].score;
    for (; i < sorted.length && sorted[i].score === score; i++) sorted[i].same ? tp++ : fp++;
    const previous = points[points.length - 1];
    const point = { threshold: score, fpr: fp / negatives, tpr: tp / positives };
    auc += (point.fpr - previous.fpr) * (point.tpr + previous.tpr) / 2;
    points.push(point);
  }
  return { points, auc };
}
