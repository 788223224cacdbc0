// Views, which alias memory: Reshape, Flatten, Dropout, Split into 3; a Slice and a Concat along
// axis 0, and along axis 1 of a batch of one.

import type { ConcatCase, PlainCase } from '../case.js';

const SHAPE = [2, 3, 5, 7];

export const cases: (PlainCase | ConcatCase)[] = [
  { op: 'Reshape', attrs: { shape: [0, -1], axis: 0, numAxes: -1 }, shape: SHAPE },
  { op: 'Flatten', attrs: { axis: 1, endAxis: 3 }, shape: SHAPE },
  { op: 'Dropout', attrs: {}, shape: SHAPE },
  { op: 'Split', attrs: {}, shape: SHAPE, outputs: 3 },
  { op: 'Slice', attrs: { axis: 0, points: [3] }, shape: [4, 3, 5], outputs: 2 },
  { op: 'Slice', attrs: { axis: 1, points: [1, 4] }, shape: [1, 7, 4, 5], outputs: 3 },
  { op: 'Concat', axis: 0, shapes: [[1, 3, 2], [2, 3, 2]] },
  { op: 'Concat', axis: 1, shapes: [[1, 3, 4, 5], [1, 1, 4, 5], [1, 5, 4, 5]] },
];
