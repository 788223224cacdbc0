// InnerProduct from axis 1, 2 and 0, transposed weights, without a bias, one output, MTCNN-like widths.

import type { InnerProductCase } from '../case.js';

export const cases: InnerProductCase[] = ([
  { shape: [2, 8, 3, 3], axis: 1, outputs: 10 },
  { shape: [3, 5, 3, 3], axis: 1, outputs: 7, transpose: true },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, bias: false },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, transpose: true, bias: false },
  { shape: [6, 7], axis: 0, outputs: 3 },
  { shape: [1, 13], axis: 1, outputs: 1, transpose: true },
  { shape: [2, 256, 1, 1], axis: 1, outputs: 128 },
  { shape: [3, 128, 3, 3], axis: 1, outputs: 256, transpose: true },
] as Omit<InnerProductCase, 'op'>[]).map((p): InnerProductCase => ({ op: 'InnerProduct', ...p }));
