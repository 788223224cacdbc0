// Max pooling, any window: MTCNN's 3x3/2 and 2x2/2 (ceil), RMNet's 2x2/2 and its 8x8 window over
// an 8x8 plane, Caffe's ceil rounding at its edges (the last window one column or row past the
// input, or just fitting), floor rounding, pads on any side, asymmetric windows, strides 1 to 4,
// one-row and one-column planes and outputs, global pooling, batches.

import type { PoolCase } from '../case.js';

const TWO_BY_TWO = [[1, 32, 64, 64], [2, 3, 13, 15], [1, 2, 7, 8], [1, 3, 8, 9], [2, 2, 2, 3], [1, 4, 3, 2], [1, 2, 5, 19], [1, 2, 16, 16],
  [3, 2, 13, 15], [2, 64, 8, 8], [1, 10, 45, 77], [1, 10, 46, 78]];

export const cases: PoolCase[] = ([
  { shape: [3, 28, 22, 22] },
  { shape: [2, 48, 9, 9] },
  { shape: [2, 32, 46, 46] },
  { shape: [2, 64, 21, 21] },
  ...TWO_BY_TWO.flatMap((shape) => (['ceil', 'floor'] as const).map((rounding) => ({ shape, kernel: [2, 2], stride: [2, 2], rounding }))),
  { shape: [2, 256, 8, 8], kernel: [8, 8], stride: [1, 1] },
  { shape: [2, 3, 13, 15] },
  { shape: [1, 3, 7, 7] },
  { shape: [1, 3, 8, 8] },
  { shape: [1, 3, 5, 6], kernel: [3, 3], stride: [3, 3] },
  { shape: [1, 2, 4, 4], pad: [1, 1, 1, 1] },
  { shape: [1, 4, 13, 13], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 9, 10], pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [1, 2, 1, 9], kernel: [1, 3], stride: [1, 2] },
  { shape: [1, 2, 9, 1], kernel: [3, 1], stride: [2, 1] },
  { shape: [2, 2, 7, 9], kernel: [2, 3], stride: [1, 2], pad: [1, 0, 0, 2] },
  { shape: [1, 2, 5, 5], kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], kernel: [3, 2], stride: [1, 1], pad: [2, 1, 2, 1] },
  { shape: [2, 3, 13, 30], kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [1, 4, 17, 41], kernel: [5, 4], stride: [3, 4], pad: [1, 3, 2, 0] },
  { shape: [3, 4, 7, 9], global: true },
  { shape: [1, 32, 64, 64] },
] as Omit<PoolCase, 'op' | 'method'>[]).map((p): PoolCase => ({ op: 'Pool', method: 'max', ...p }));
