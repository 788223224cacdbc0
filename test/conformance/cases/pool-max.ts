// Max pooling, any window: Caffe's 3x3/2 ceil, pads, asymmetric windows, strides and pads,
// floor rounding, a stride as wide as the window, global pooling; and a 2x2/2 window.

import type { PoolCase } from '../case.js';

export const cases: PoolCase[] = ([
  { shape: [2, 3, 13, 15] },
  { shape: [1, 4, 13, 13], pad: [1, 1, 1, 1] },
  { shape: [2, 2, 7, 9], kernel: [2, 3], stride: [1, 2], pad: [1, 0, 0, 2] },
  { shape: [1, 2, 9, 10], kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [1, 2, 5, 5], kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], kernel: [3, 2], stride: [1, 1], pad: [2, 1, 2, 1] },
  { shape: [3, 4, 7, 9], global: true },
  { shape: [1, 32, 64, 64] },
  { shape: [2, 3, 13, 15], kernel: [2, 2] },
] as Omit<PoolCase, 'op' | 'method'>[]).map((p): PoolCase => ({ op: 'Pool', method: 'max', ...p }));
