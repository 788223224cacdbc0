// The per-channel affine ops: BatchNorm and Scale.

import { describe, it } from 'vitest';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, makeNode, prng, tensor } from './reference.js';

const rand = prng(5);

describe('BatchNorm', () => {
  for (const [shape, eps] of [[[2, 5, 7, 9], 1e-5], [[3, 13], 1e-3], [[1, 4, 15], 0.1]] as const) {
    it(`[${shape}] eps ${eps}`, () => {
      const C = shape[1];
      const node = makeNode('BatchNorm', { eps }, { mean: tensor(rand, [C], -2, 2), variance: tensor(rand, [C], 0.05, 3) });
      check(cpuKernel, node, [tensor(rand, [...shape], -3, 3)]);
    });
  }
});

describe('Scale', () => {
  const CASES: { shape: number[]; axis: number; scale: number[]; bias: boolean }[] = [
    { shape: [2, 5, 7, 9], axis: 1, scale: [5], bias: true },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5], bias: false },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5, 7], bias: true },
    { shape: [3, 4, 7, 9], axis: 0, scale: [3], bias: true },
    { shape: [3, 4, 7, 9], axis: 2, scale: [7, 9], bias: true },
    { shape: [3, 4, 7, 9], axis: 3, scale: [9], bias: false },
    { shape: [3, 13], axis: 1, scale: [13], bias: true },
  ];
  for (const { shape, axis, scale, bias } of CASES) {
    it(`[${shape}] axis ${axis} scale [${scale}]${bias ? ' with bias' : ''}`, () => {
      const node = makeNode('Scale', { axis }, {
        scale: tensor(rand, scale, -2, 2), ...(bias ? { bias: tensor(rand, scale) } : {}),
      });
      check(cpuKernel, node, [tensor(rand, shape, -3, 3)]);
    });
  }
});
