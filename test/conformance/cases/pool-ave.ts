// Average pooling: Caffe's divisor (the window clipped to the padded input) and excludePad's (to
// the real one), even and odd sizes, asymmetric windows, strides and pads, windows up to 7, ceil
// and floor rounding, global pooling (also of 1x1 planes, and with kernel and pads that global
// pooling ignores), batches.

import type { PoolCase } from '../case.js';

export const cases: PoolCase[] = ([
  { shape: [2, 3, 13, 15], pad: [1, 1, 1, 1] },
  { shape: [1, 3, 14, 12], pad: [1, 1, 1, 1] },
  { shape: [1, 3, 13, 15], pad: [1, 1, 1, 1], excludePad: true },
  { shape: [2, 2, 7, 9], kernel: [2, 2], pad: [0, 0, 1, 1] },
  { shape: [1, 3, 7, 9], kernel: [3, 2], stride: [2, 3], pad: [2, 1, 0, 1], excludePad: true },
  { shape: [1, 3, 13, 15], pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [1, 2, 5, 5], kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], kernel: [2, 2], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], kernel: [3, 3], stride: [2, 2], pad: [2, 2, 2, 2], excludePad: true },
  { shape: [2, 3, 13, 30], kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [1, 3, 13, 30], kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1], excludePad: true },
  { shape: [1, 4, 17, 41], kernel: [5, 5], stride: [3, 3], pad: [2, 2, 2, 2] },
  { shape: [1, 4, 17, 41], kernel: [2, 5], stride: [2, 4], pad: [1, 2, 0, 3], excludePad: true },
  { shape: [1, 3, 11, 35], kernel: [3, 3], stride: [2, 2] },
  { shape: [1, 3, 12, 36], kernel: [4, 4], stride: [2, 2], pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [2, 16, 7, 7], kernel: [7, 7], stride: [1, 1] },
  { shape: [3, 4, 7, 9], global: true },
  { shape: [2, 5, 1, 1], global: true },
  { shape: [1, 64, 8, 8], global: true, kernel: [1, 1], pad: [1, 1, 1, 1] },
] as Omit<PoolCase, 'op' | 'method'>[]).map((p): PoolCase => ({ op: 'Pool', method: 'ave', ...p }));
