// Softmax along axis 1, the last axis and axis 0, including inputs large enough to overflow exp.

import { describe, it } from 'vitest';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, makeNode, prng, tensor } from './reference.js';

const rand = prng(19);

const CASES = [
  { shape: [2, 5, 3, 4], axis: 1, range: 3 },
  { shape: [2, 3, 7], axis: 2, range: 3 },
  { shape: [3, 13], axis: 1, range: 3 },
  { shape: [4, 3, 5], axis: 0, range: 3 },
  { shape: [2, 2, 7, 9], axis: 1, range: 3 },
  { shape: [2, 6, 5], axis: 1, range: 200 },
  { shape: [2, 3, 9], axis: 2, range: 200 },
  { shape: [1, 1, 4], axis: 1, range: 3 },
];

describe('Softmax', () => {
  for (const { shape, axis, range } of CASES) {
    it(`[${shape}] axis ${axis} inputs in ±${range}`, () => {
      check(cpuKernel, makeNode('Softmax', { axis }, {}), [tensor(rand, shape, -range, range)]);
    });
  }
});
