// Softmax along axis 1, the last axis and axis 0, with inputs large enough to overflow exp.

import type { PlainCase } from '../case.js';

export const cases: PlainCase[] = [
  { shape: [2, 5, 3, 4], axis: 1, range: 3 }, { shape: [2, 3, 7], axis: 2, range: 3 }, { shape: [3, 13], axis: 1, range: 3 },
  { shape: [4, 3, 5], axis: 0, range: 3 }, { shape: [2, 2, 7, 9], axis: 1, range: 3 }, { shape: [2, 6, 5], axis: 1, range: 200 },
  { shape: [2, 3, 9], axis: 2, range: 200 }, { shape: [1, 1, 4], axis: 1, range: 3 },
].map(({ shape, axis, range }): PlainCase => ({ op: 'Softmax', attrs: { axis }, shape, range }));
