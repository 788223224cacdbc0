// 1x1 convolutions, stride 1, no pad, one group: RMNet's shapes (power-of-two planes: the panel),
// odd sizes, channel counts that are not multiples of 4, 1x1 images, batches, every activation.

import { ACTIVATIONS, type ConvCase } from '../case.js';

export const cases: ConvCase[] = ([
  { c: 32, o: 64, h: 64, w: 64 },
  { c: 64, o: 128, h: 32, w: 32 },
  { c: 64, o: 128, h: 32, w: 32, act: { kind: 'elu', alpha: 1 } },
  { c: 128, o: 256, h: 16, w: 16 },
  { c: 256, o: 128, h: 8, w: 8 },
  { c: 256, o: 64, h: 8, w: 8, act: { kind: 'elu', alpha: 1 } },
  { n: 2, c: 256, o: 64, h: 8, w: 8, bias: false },
  { n: 2, c: 16, o: 13, h: 13, w: 15 },
  { n: 3, c: 16, o: 13, h: 13, w: 15 },
  { c: 1, o: 5, h: 7, w: 9 },
  { c: 7, o: 3, h: 17, w: 19 },
  { n: 3, c: 5, o: 2, h: 1, w: 1 },
  { c: 9, o: 1, h: 3, w: 5 },
  { c: 256, o: 128, h: 1, w: 1 },
  { c: 8, o: 6, h: 2, w: 3 },
  { c: 17, o: 7, h: 3, w: 4 },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 12, o: 10, h: 9, w: 7, ...a })),
] as Omit<ConvCase, 'op' | 'k'>[]).map((p): ConvCase => ({ op: 'Conv', ...p, k: [1, 1] }));
