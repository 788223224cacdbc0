// Greedy non-maximum suppression, as MTCNN uses it between and after its stages.

import { Boxes, SCORE, X1, X2, Y1, Y2 } from './boxes.js';

/**
 * How two boxes' overlap is measured: intersection over union, or intersection over the smaller
 * box ('min': a box lying inside a kept one counts as fully overlapping it).
 */
export type Overlap = 'union' | 'min';

/** Runs NMS over Boxes; keeps its index buffers from call to call. */
export class Suppressor {
  private order = new Int32Array(0);
  private merged = new Int32Array(0);
  private kept = new Int32Array(0);

  /**
   * Appends to `to` the boxes `from` … `until` - 1 of `boxes` that survive, highest score first
   * (equal scores in their order): each box in that order is kept unless it overlaps a box already
   * kept by more than `threshold`.
   */
  run(boxes: Boxes, from: number, until: number, threshold: number, overlap: Overlap, to: Boxes): void {
    const n = until - from;
    if (this.order.length < n) {
      this.order = new Int32Array(n);
      this.merged = new Int32Array(n);
      this.kept = new Int32Array(n);
    }
    for (let i = 0; i < n; i++) this.order[i] = from + i;
    const order = this.sortByScore(boxes, n);
    const r = boxes.records;
    let kept = 0;
    for (let o = 0; o < n; o++) {
      const b = boxes.at(order[o]);
      let keep = true;
      for (let k = 0; k < kept && keep; k++) keep = overlapOf(r, boxes.at(this.kept[k]), b, overlap) <= threshold;
      if (keep) this.kept[kept++] = order[o];
    }
    for (let k = 0; k < kept; k++) to.copy(boxes, this.kept[k]);
  }

  /** The first n entries of `order` sorted by descending score, stably (a bottom-up merge sort). */
  private sortByScore(boxes: Boxes, n: number): Int32Array {
    let source = this.order, target = this.merged;
    const score = (i: number) => boxes.records[boxes.at(i) + SCORE];
    for (let width = 1; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        const mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
        let a = lo, b = mid, t = lo;
        while (a < mid && b < hi) target[t++] = score(source[b]) > score(source[a]) ? source[b++] : source[a++];
        while (a < mid) target[t++] = source[a++];
        while (b < hi) target[t++] = source[b++];
      }
      const done = target;
      target = source;
      source = done;
    }
    return source;
  }
}

function overlapOf(r: Float64Array, a: number, b: number, overlap: Overlap): number {
  const width = Math.max(0, Math.min(r[a + X2], r[b + X2]) - Math.max(r[a + X1], r[b + X1]));
  const height = Math.max(0, Math.min(r[a + Y2], r[b + Y2]) - Math.max(r[a + Y1], r[b + Y1]));
  const intersection = width * height;
  const areaA = (r[a + X2] - r[a + X1]) * (r[a + Y2] - r[a + Y1]);
  const areaB = (r[b + X2] - r[b + X1]) * (r[b + Y2] - r[b + Y1]);
  const base = overlap === 'min' ? Math.min(areaA, areaB) : areaA + areaB - intersection;
  return base > 0 ? intersection / base : 0;
}
