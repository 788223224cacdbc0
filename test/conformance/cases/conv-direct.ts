// Any convolution, computed directly: groups (depthwise or not, with dilation and asymmetric pad),
// then every one-group, depthwise and pointwise case of the other convolution variants.

import type { ConvCase } from '../case.js';
import { cases as depthwise } from './conv-depthwise3x3.js';
import { cases as im2col } from './conv-im2col.js';
import { cases as pointwise } from './conv-pointwise.js';

export const cases: ConvCase[] = [
  ...([
    { c: 6, o: 4, h: 9, w: 7, k: [3, 3], group: 2, pad: [1, 1, 1, 1] },
    { c: 6, o: 9, h: 11, w: 10, k: [3, 2], dilation: [2, 1], group: 3, pad: [1, 0, 2, 1] },
    { n: 2, c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, stride: [2, 2], pad: [1, 1, 1, 1] },
    { c: 6, o: 6, h: 7, w: 9, k: [3, 3], group: 6, pad: [0, 1, 1, 0] },
    { c: 4, o: 8, h: 9, w: 9, k: [3, 3], group: 4, act: { kind: 'prelu' } },
    { c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, dilation: [2, 2], pad: [2, 2, 2, 2], act: { kind: 'elu', alpha: 1.7 } },
    { n: 2, c: 4, o: 4, h: 9, w: 9, k: [1, 1], group: 2, act: { kind: 'prelu' }, sharedSlope: true },
  ] as Omit<ConvCase, 'op'>[]).map((p): ConvCase => ({ op: 'Conv', ...p })),
  ...im2col,
  ...depthwise,
  ...pointwise,
];
