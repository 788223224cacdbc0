// 3x3 stride-1 convolutions of 8+ channels each way, the ones conv-winograd takes: MTCNN's
// (P-Net's 10→16 and 16→32, R-Net's 28→48, O-Net's 32→64 and 64→64, with their PReLU), odd and
// even output sizes (a last tile half outside), the smallest output (2x2), pads on any side
// (symmetric, asymmetric, wider than the kernel), channel counts that are not multiples of 4,
// no bias, batches; rows of V and M padded apart; images of several bands (the last
// overlapping the one before) and one band ending a row past an odd height; every fused activation.

import { ACTIVATIONS, type ConvCase } from '../case.js';

export const cases: ConvCase[] = ([
  { c: 10, o: 16, h: 19, w: 33, k: [3, 3], act: { kind: 'prelu' } },
  { c: 16, o: 32, h: 17, w: 31, k: [3, 3], act: { kind: 'prelu' } },
  { n: 2, c: 28, o: 48, h: 11, w: 11, k: [3, 3], act: { kind: 'prelu' } },
  { n: 2, c: 32, o: 64, h: 23, w: 23, k: [3, 3], act: { kind: 'prelu' } },
  { n: 3, c: 64, o: 64, h: 10, w: 10, k: [3, 3], act: { kind: 'prelu' }, sharedSlope: true },
  { c: 8, o: 8, h: 4, w: 4, k: [3, 3] },
  { c: 9, o: 13, h: 5, w: 4, k: [3, 3], bias: false },
  { n: 2, c: 11, o: 9, h: 12, w: 7, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 8, o: 10, h: 9, w: 14, k: [3, 3], pad: [0, 2, 1, 0] },
  { c: 12, o: 8, h: 6, w: 6, k: [3, 3], pad: [3, 3, 3, 3] },
  { c: 8, o: 12, h: 3, w: 3, k: [3, 3], pad: [1, 0, 0, 1] },
  // 256 tiles a band: rows of V and M padded by 16 floats (1 KB apart they would share an L1 set).
  { c: 8, o: 8, h: 34, w: 34, k: [3, 3], act: { kind: 'relu', negativeSlope: 0 } },
  // A row of 15 outputs: a last group of four tiles with 7 pixels.
  { c: 8, o: 8, h: 6, w: 17, k: [3, 3] },
  // Several bands (more than 768 KB of transformed tiles): even and odd heights and widths.
  { c: 8, o: 8, h: 80, w: 70, k: [3, 3], act: { kind: 'elu', alpha: 1 } },
  { n: 2, c: 16, o: 12, h: 61, w: 67, k: [3, 3], pad: [1, 1, 1, 1], act: { kind: 'prelu' } },
  // Every fused activation.
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 8, o: 9, h: 9, w: 11, k: [3, 3], pad: [1, 1, 1, 1], ...a })),
] as Omit<ConvCase, 'op'>[]).map((p): ConvCase => ({ op: 'Conv', ...p }));
