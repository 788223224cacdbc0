// InnerProduct from axis 1, 2 and 0: MTCNN's (R-Net's conv4 and heads at batch 64, O-Net's conv5
// and head at batch 16, L-Net's fc4), batches, outputs and inputs that are not multiples of the
// SIMD tile (2 rows by 4 outputs, k 4 at a time: K = 1, 13, 42 and 11 leave 1, 2 and 3 values of k),
// transposed weights, without a bias, one input, one output.

import type { InnerProductCase } from '../case.js';

export const cases: InnerProductCase[] = ([
  { shape: [64, 64, 3, 3], axis: 1, outputs: 128 },
  { shape: [64, 128], axis: 1, outputs: 2 },
  { shape: [64, 128], axis: 1, outputs: 4 },
  { shape: [16, 128, 3, 3], axis: 1, outputs: 256 },
  { shape: [16, 256], axis: 1, outputs: 10 },
  { shape: [5, 320, 3, 3], axis: 1, outputs: 256 },
  { shape: [2, 8, 3, 3], axis: 1, outputs: 10 },
  { shape: [3, 5, 3, 3], axis: 1, outputs: 7, transpose: true },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, bias: false },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, transpose: true, bias: false },
  { shape: [7, 13], axis: 1, outputs: 9, transpose: true, bias: false },
  { shape: [6, 7], axis: 0, outputs: 3 },
  { shape: [1, 13], axis: 1, outputs: 1, transpose: true },
  { shape: [3, 11], axis: 1, outputs: 5 },
  { shape: [9, 1], axis: 1, outputs: 17 },
  { shape: [2, 256, 1, 1], axis: 1, outputs: 128 },
  { shape: [3, 128, 3, 3], axis: 1, outputs: 256, transpose: true },
] as Omit<InnerProductCase, 'op'>[]).map((p): InnerProductCase => ({ op: 'InnerProduct', ...p }));
