// InnerProduct: axis, transposed weights, optional bias.

import { describe, it } from 'vitest';
import { sizeOf } from '../../engine/graph/graph.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, makeNode, prng, tensor } from './reference.js';

const rand = prng(17);

const CASES = [
  { shape: [2, 8, 3, 3], axis: 1, outputs: 10 },
  { shape: [3, 5, 3, 3], axis: 1, outputs: 7, transpose: true },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, bias: false },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, transpose: true, bias: false },
  { shape: [6, 7], axis: 0, outputs: 3 },
  { shape: [1, 13], axis: 1, outputs: 1, transpose: true },
  { shape: [2, 256, 1, 1], axis: 1, outputs: 128 },
  { shape: [3, 128, 3, 3], axis: 1, outputs: 256, transpose: true },
];

describe('InnerProduct', () => {
  for (const { shape, axis, outputs, transpose = false, bias = true } of CASES) {
    it(`[${shape}] axis ${axis} -> ${outputs}${transpose ? ' transposed' : ''}${bias ? '' : ' no bias'}`, () => {
      const K = sizeOf(shape.slice(axis));
      const bound = 1 / Math.sqrt(K);
      const node = makeNode('InnerProduct', { axis, outputs, transpose }, {
        weight: tensor(rand, transpose ? [K, outputs] : [outputs, K], -bound, bound),
        ...(bias ? { bias: tensor(rand, [outputs]) } : {}),
      });
      check(cpuKernel, node, [tensor(rand, shape)]);
    });
  }
});
