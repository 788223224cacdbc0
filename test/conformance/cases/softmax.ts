// Softmax along axis 1, the last axis and axis 0: MTCNN's (P-Net's prob1 over a plane, R-Net's and
// O-Net's over a batch), inner sizes from 1 to many (not multiples of 4), one channel, a thousand
// channels, inputs large enough to overflow exp.

import type { PlainCase } from '../case.js';

export const cases: PlainCase[] = [
  { shape: [1, 2, 67, 91], axis: 1, range: 20 }, { shape: [64, 2], axis: 1, range: 20 },
  { shape: [2, 5, 3, 4], axis: 1, range: 3 }, { shape: [2, 3, 7], axis: 2, range: 3 }, { shape: [3, 13], axis: 1, range: 3 },
  { shape: [4, 3, 5], axis: 0, range: 3 }, { shape: [2, 2, 7, 9], axis: 1, range: 3 }, { shape: [2, 6, 5], axis: 1, range: 200 },
  { shape: [2, 3, 9], axis: 2, range: 200 }, { shape: [1, 1, 4], axis: 1, range: 3 }, { shape: [2, 1000], axis: 1, range: 30 },
  { shape: [1, 3, 37, 1], axis: 1, range: 100 },
].map(({ shape, axis, range }): PlainCase => ({ op: 'Softmax', attrs: { axis }, shape, range }));
