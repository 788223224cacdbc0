// Convolutions of any kernel, stride, pad, dilation and groups (every convolution runs as
// conv-im2col or conv-direct: this file's cases run as both). MTCNN's shapes with their PReLU;
// RMNet's stem; asymmetric everything, taps that never reach inside the input, 1x1 with stride 2
// or pad, channel counts that are not multiples of 4, rows wider than a band, images of many
// bands (edge bands in padding, a last band overlapping the one before, one-row bands); groups
// (two, three, depthwise ones the 3x3 kernels do not take: 5x5, dilated, horizontal stride 3, pads
// past 3); batches; every fused activation.

import { ACTIVATIONS, type ConvCase } from '../case.js';

export const cases: ConvCase[] = ([
  // MTCNN: P-Net (3, 10 and 16 channels in), R-Net, O-Net.
  { c: 3, o: 10, h: 40, w: 67, k: [3, 3], act: { kind: 'prelu' } },
  { c: 10, o: 16, h: 19, w: 33, k: [3, 3], act: { kind: 'prelu' } },
  { c: 16, o: 32, h: 17, w: 31, k: [3, 3], act: { kind: 'prelu' } },
  { n: 3, c: 3, o: 28, h: 24, w: 24, k: [3, 3], act: { kind: 'prelu' } },
  { n: 2, c: 28, o: 48, h: 11, w: 11, k: [3, 3], act: { kind: 'prelu' } },
  { n: 2, c: 48, o: 64, h: 4, w: 4, k: [2, 2], act: { kind: 'prelu' } },
  { n: 2, c: 64, o: 128, h: 4, w: 4, k: [2, 2], act: { kind: 'prelu' }, sharedSlope: true },
  // RMNet's stem.
  { c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], act: { kind: 'relu', negativeSlope: 0 } },
  // Odd sizes, strides, pads and dilations.
  { n: 2, c: 3, o: 5, h: 13, w: 15, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 4, o: 6, h: 13, w: 15, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 3, o: 4, h: 7, w: 9, k: [5, 3], stride: [2, 1], pad: [2, 1, 0, 3] },
  { c: 5, o: 7, h: 11, w: 40, k: [3, 4], stride: [1, 3], pad: [1, 2, 1, 0] },
  { c: 2, o: 3, h: 9, w: 37, k: [2, 5], stride: [3, 4], pad: [0, 3, 1, 4] },
  { c: 4, o: 4, h: 13, w: 13, k: [3, 3], dilation: [2, 2], pad: [2, 2, 2, 2] },
  { n: 3, c: 5, o: 3, h: 15, w: 13, k: [3, 3], dilation: [2, 2], stride: [2, 2], pad: [0, 1, 2, 3] },
  { c: 3, o: 6, h: 12, w: 50, k: [3, 3], dilation: [1, 3], pad: [1, 3, 1, 3] },
  { c: 2, o: 9, h: 37, w: 23, k: [5, 5], dilation: [2, 1], pad: [5, 2, 4, 2] },
  { c: 8, o: 6, h: 13, w: 15, k: [1, 1], stride: [2, 2] },
  { c: 7, o: 9, h: 9, w: 35, k: [1, 1], pad: [1, 2, 0, 1] },
  { n: 2, c: 16, o: 13, h: 7, w: 9, k: [1, 1], bias: false },
  { c: 32, o: 64, h: 32, w: 32, k: [1, 1] },
  { n: 3, c: 3, o: 4, h: 8, w: 8, k: [2, 2], stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 2, o: 3, h: 5, w: 5, k: [5, 5] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: false },
  { c: 2, o: 3, h: 2, w: 2, k: [5, 5], pad: [3, 3, 0, 0] },
  { c: 1, o: 1, h: 6, w: 6, k: [3, 3] },
  { c: 1, o: 1, h: 1, w: 1, k: [1, 1] },
  { c: 10, o: 16, h: 12, w: 12, k: [3, 3] },
  // Rows wider than a band; many bands, the last overlapping the one before; one-row bands.
  { c: 2, o: 5, h: 3, w: 300, k: [1, 3], pad: [0, 1, 0, 1] },
  { n: 2, c: 3, o: 7, h: 9, w: 130, k: [3, 3], stride: [1, 2], pad: [1, 1, 1, 1], act: { kind: 'elu', alpha: 1 } },
  { c: 3, o: 10, h: 40, w: 70, k: [3, 3], pad: [1, 1, 1, 1], act: { kind: 'prelu' } },
  { n: 2, c: 3, o: 10, h: 12, w: 301, k: [3, 3], act: { kind: 'prelu' } },
  { c: 13, o: 9, h: 70, w: 45, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 8, o: 6, h: 40, w: 100, k: [3, 3] },
  { c: 16, o: 5, h: 60, w: 200, k: [3, 3], act: { kind: 'prelu' } },
  // Groups.
  { c: 6, o: 4, h: 9, w: 7, k: [3, 3], group: 2, pad: [1, 1, 1, 1] },
  { n: 2, c: 6, o: 9, h: 11, w: 34, k: [3, 2], dilation: [2, 1], group: 3, pad: [1, 0, 2, 1], act: { kind: 'prelu' } },
  { c: 6, o: 6, h: 7, w: 9, k: [3, 3], group: 6, pad: [0, 1, 1, 0] },
  { c: 4, o: 8, h: 9, w: 9, k: [3, 3], group: 4, act: { kind: 'prelu' } },
  { n: 2, c: 4, o: 4, h: 9, w: 9, k: [1, 1], group: 2, act: { kind: 'prelu' }, sharedSlope: true },
  { c: 8, o: 8, h: 13, w: 15, k: [5, 5], group: 8, pad: [2, 2, 2, 2] },
  { c: 6, o: 12, h: 9, w: 33, k: [3, 3], group: 6, dilation: [2, 2], pad: [2, 2, 2, 2], act: { kind: 'elu', alpha: 1 } },
  { c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, dilation: [2, 2], pad: [2, 2, 2, 2], act: { kind: 'elu', alpha: 1.7 } },
  { c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 3] },
  { n: 2, c: 5, o: 5, h: 11, w: 40, k: [3, 3], group: 5, stride: [2, 3], pad: [1, 1, 1, 1] },
  { c: 3, o: 3, h: 5, w: 6, k: [3, 3], group: 3, pad: [4, 4, 4, 4] },
  // Every fused activation, on short rows and on long ones.
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 4, o: 6, h: 9, w: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ...a })),
  ...ACTIVATIONS.map((a) => ({ c: 5, o: 9, h: 7, w: 37, k: [3, 3], pad: [0, 1, 2, 1], ...a })),
] as Omit<ConvCase, 'op'>[]).map((p): ConvCase => ({ op: 'Conv', ...p }));
