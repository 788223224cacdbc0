// Slice by copying (more than one outer row): equal parts and given points, along axes 1, 2, 3;
// and a slice along axis 0 (which could be a view) copied.

import type { PlainCase } from '../case.js';

export const cases: PlainCase[] = [
  { shape: [2, 6, 4, 5], axis: 1, points: [], outputs: 3 }, { shape: [2, 7, 4, 5], axis: 1, points: [1, 4], outputs: 3 },
  { shape: [2, 3, 7, 5], axis: 2, points: [3], outputs: 2 }, { shape: [2, 3, 8, 5], axis: 2, points: [], outputs: 2 },
  { shape: [3, 4, 2, 9], axis: 3, points: [2, 3, 7], outputs: 4 }, { shape: [4, 3, 5], axis: 0, points: [3], outputs: 2 },
].map(({ shape, axis, points, outputs }): PlainCase => ({ op: 'Slice', attrs: { axis, points }, shape, outputs }));
