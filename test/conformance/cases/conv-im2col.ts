// One-group convolutions of any kernel, stride, pad and dilation: asymmetric everything, taps
// that never reach inside the input, 1x1 with stride 2, RMNet's stem, rows wider than a band,
// images of many bands (edge bands in padding, a last short band), every activation.

import { ACTIVATIONS, type ConvCase } from '../case.js';

export const cases: ConvCase[] = ([
  { n: 2, c: 3, o: 5, h: 13, w: 15, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 4, o: 6, h: 13, w: 15, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 3, o: 4, h: 7, w: 9, k: [5, 3], stride: [2, 1], pad: [2, 1, 0, 3] },
  { c: 4, o: 4, h: 13, w: 13, k: [3, 3], dilation: [2, 2], pad: [2, 2, 2, 2] },
  { n: 3, c: 5, o: 3, h: 15, w: 13, k: [3, 3], dilation: [2, 2], stride: [2, 2], pad: [0, 1, 2, 3] },
  { c: 8, o: 6, h: 13, w: 15, k: [1, 1], stride: [2, 2] },
  { n: 3, c: 3, o: 4, h: 8, w: 8, k: [2, 2], stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 2, o: 3, h: 5, w: 5, k: [5, 5] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: true },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: false },
  { n: 2, c: 16, o: 13, h: 7, w: 9, k: [1, 1], bias: false },
  { c: 32, o: 64, h: 32, w: 32, k: [1, 1] },
  { c: 10, o: 16, h: 12, w: 12, k: [3, 3] },
  { c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], act: { kind: 'relu', negativeSlope: 0 } },
  { c: 2, o: 5, h: 3, w: 300, k: [1, 3], pad: [0, 1, 0, 1] },
  { n: 2, c: 3, o: 7, h: 9, w: 130, k: [3, 3], stride: [1, 2], pad: [1, 1, 1, 1], act: { kind: 'elu', alpha: 1 } },
  { c: 2, o: 3, h: 2, w: 2, k: [5, 5], pad: [3, 3, 0, 0] },
  { c: 1, o: 1, h: 6, w: 6, k: [3, 3] },
  { c: 3, o: 10, h: 40, w: 70, k: [3, 3], pad: [1, 1, 1, 1], act: { kind: 'prelu' } },
  { n: 2, c: 3, o: 10, h: 12, w: 301, k: [3, 3], act: { kind: 'prelu' } },
  { c: 2, o: 9, h: 37, w: 23, k: [5, 5], stride: [1, 1], dilation: [2, 1], pad: [5, 2, 4, 2] },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 4, o: 6, h: 9, w: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ...a })),
] as Omit<ConvCase, 'op'>[]).map((p): ConvCase => ({ op: 'Conv', ...p }));
