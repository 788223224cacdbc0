// Depthwise 3x3 convolutions (group = in = out channels), horizontal stride 1 or 2, any vertical
// stride: odd planes, one row or column, pads as wide as the window, asymmetric pads and strides,
// RMNet's shapes, batches, every activation.

import { ACTIVATIONS, type ConvCase } from '../case.js';

export const cases: ConvCase[] = ([
  { n: 2, c: 8, h: 13, w: 15 },
  { c: 8, h: 13, w: 15, stride: [2, 2] },
  { n: 2, c: 5, h: 14, w: 16, stride: [2, 2] },
  { c: 5, h: 7, w: 9, stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 4, h: 9, w: 7, pad: [0, 0, 0, 0] },
  { c: 3, h: 8, w: 10, stride: [1, 2], pad: [2, 1, 0, 2] },
  { c: 3, h: 8, w: 10, stride: [2, 1], pad: [1, 2, 2, 0] },
  { c: 4, h: 9, w: 9, stride: [3, 1] },
  { c: 4, h: 3, w: 3 },
  { c: 2, h: 2, w: 2 },
  { c: 3, h: 1, w: 5, bias: false },
  { c: 2, h: 6, w: 6, pad: [3, 3, 3, 3] },
  { c: 3, h: 5, w: 21, stride: [2, 2] },
  { c: 3, h: 5, w: 1 },
  { c: 2, h: 4, w: 1, pad: [0, 2, 0, 0] },
  { c: 32, h: 32, w: 32 },
  { c: 8, h: 64, w: 64 },
  { n: 2, c: 64, h: 16, w: 16, stride: [2, 2] },
  { c: 16, h: 64, w: 64, stride: [2, 2] },
  { c: 64, h: 8, w: 8 },
  { n: 3, c: 64, h: 8, w: 8, act: { kind: 'elu', alpha: 1 } },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 6, h: 11, w: 9, ...a })),
  ...ACTIVATIONS.map((a) => ({ c: 6, h: 11, w: 13, stride: [2, 2], ...a })),
] as Omit<ConvCase, 'op' | 'o' | 'k'>[]).map((p): ConvCase => ({ op: 'Conv', pad: [1, 1, 1, 1], ...p, o: p.c, k: [3, 3], group: p.c }));
