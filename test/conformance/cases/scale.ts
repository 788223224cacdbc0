// Scale over one or more axes from any axis, with and without a bias, planes shorter than a
// vector; and BatchNorm, which lowers to a Scale.

import type { BatchNormCase, ScaleCase } from '../case.js';

export const cases: (ScaleCase | BatchNormCase)[] = [
  ...([
    { shape: [2, 5, 7, 9], axis: 1, scale: [5] },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5], bias: false },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5, 7] },
    { shape: [3, 4, 7, 9], axis: 0, scale: [3] },
    { shape: [3, 4, 7, 9], axis: 2, scale: [7, 9] },
    { shape: [3, 4, 7, 9], axis: 3, scale: [9], bias: false },
    { shape: [3, 13], axis: 1, scale: [13] },
    { shape: [1, 3, 128, 128], axis: 1, scale: [3] },
    { shape: [3, 4, 6], axis: 0, scale: [3] },
    { shape: [2, 5, 3], axis: 1, scale: [5] },
  ] as Omit<ScaleCase, 'op'>[]).map((p): ScaleCase => ({ op: 'Scale', ...p })),
  { op: 'BatchNorm', shape: [2, 5, 7, 9], eps: 1e-5 },
  { op: 'BatchNorm', shape: [3, 13], eps: 1e-3 },
  { op: 'BatchNorm', shape: [1, 4, 15], eps: 0.1 },
];
