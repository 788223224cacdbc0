// Any convolution, computed directly: the cases of conv-im2col.ts (every convolution runs as
// either), and a depthwise 3x3 of each stride, which the depthwise variants take otherwise.

import type { ConvCase } from '../case.js';
import { cases as im2col } from './conv-im2col.js';

export const cases: ConvCase[] = [
  ...im2col,
  ...([[1, 1], [2, 2], [1, 2]] as [number, number][]).map((stride): ConvCase =>
    ({ op: 'Conv', n: 2, c: 6, o: 6, h: 11, w: 19, k: [3, 3], group: 6, stride, pad: [1, 1, 1, 1], act: { kind: 'prelu' } })),
];
