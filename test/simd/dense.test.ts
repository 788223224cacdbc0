// The SIMD InnerProduct, Softmax and standalone activation kernels against the float64
// reference: batches that are not multiples of the 4-row tile, outputs that are not multiples
// of 8, transposed weights, no bias; Softmax over any axis with inner sizes 1 to many and
// large ranges; Relu, PRelu (shared and per-channel, on 4-D and 2-D tensors), Elu with alpha
// below, at and above 1, Sigmoid and TanH over values far into their saturation. The cases
// are plain data.

import { describe, it } from 'vitest';
import { check, ELEMENTWISE_NODES, innerProductProblem, makeNode, prng, tensor, type InnerProductCase } from '../kernels/reference.js';
import { viaSimd } from './harness.js';

const rand = prng(41);

export const SIMD_INNER_PRODUCT_CASES: InnerProductCase[] = [
  { shape: [64, 64, 3, 3], axis: 1, outputs: 128 }, // R-Net conv4
  { shape: [64, 128], axis: 1, outputs: 2 },
  { shape: [64, 128], axis: 1, outputs: 4 },
  { shape: [16, 128, 3, 3], axis: 1, outputs: 256 }, // O-Net conv5
  { shape: [16, 256], axis: 1, outputs: 10 },
  { shape: [5, 320, 3, 3], axis: 1, outputs: 256 }, // L-Net fc4
  { shape: [2, 8, 3, 3], axis: 1, outputs: 10 },
  { shape: [3, 5, 3, 3], axis: 1, outputs: 7, transpose: true },
  { shape: [2, 3, 5, 4], axis: 2, outputs: 6, bias: false },
  { shape: [7, 13], axis: 1, outputs: 9, transpose: true, bias: false },
  { shape: [6, 7], axis: 0, outputs: 3 },
  { shape: [1, 13], axis: 1, outputs: 1 },
  { shape: [9, 1], axis: 1, outputs: 17 },
];

export const SIMD_SOFTMAX_CASES: { shape: number[]; axis: number; range: number }[] = [
  { shape: [1, 2, 67, 91], axis: 1, range: 20 }, // P-Net prob1
  { shape: [64, 2], axis: 1, range: 20 }, // R-Net, O-Net prob1
  { shape: [2, 5, 3, 4], axis: 1, range: 3 },
  { shape: [2, 3, 7], axis: 2, range: 3 },
  { shape: [3, 13], axis: 1, range: 3 },
  { shape: [4, 3, 5], axis: 0, range: 3 },
  { shape: [2, 6, 5], axis: 1, range: 200 },
  { shape: [2, 3, 9], axis: 2, range: 200 },
  { shape: [1, 1, 4], axis: 1, range: 3 },
  { shape: [2, 1000], axis: 1, range: 30 },
  { shape: [1, 3, 37, 1], axis: 1, range: 100 },
];

export const SIMD_ACTIVATION_SHAPES: number[][] = [[2, 5, 7, 9], [3, 13], [1, 4, 15], [64, 128], [1, 8, 4, 4], [7]];

/** The shared elementwise nodes SIMD has kernels for (not Power, Clamp), and ELU with alpha above 1. */
const ACTIVATION_NODES = [
  ...ELEMENTWISE_NODES.filter((node) => ['Relu', 'Elu', 'Sigmoid', 'TanH'].includes(node.op)),
  makeNode('Elu', { alpha: 1.7 }, {}),
];

describe('SIMD InnerProduct', () => {
  for (const c of SIMD_INNER_PRODUCT_CASES) {
    const { label, node, inputs } = innerProductProblem(rand, c);
    it(label, () => check(viaSimd, node, inputs));
  }
});

describe('SIMD Softmax', () => {
  for (const { shape, axis, range } of SIMD_SOFTMAX_CASES) {
    it(`[${shape}] axis ${axis}, values in ±${range}`, () => check(viaSimd, makeNode('Softmax', { axis }, {}), [tensor(rand, shape, -range, range)]));
  }
});

describe('SIMD standalone activations', () => {
  for (const node of ACTIVATION_NODES) {
    for (const shape of SIMD_ACTIVATION_SHAPES) {
      it(`${node.op} ${JSON.stringify(node.attrs)} [${shape}]`, () => check(viaSimd, node, [tensor(rand, shape, -12, 12)]));
    }
  }
  for (const shape of SIMD_ACTIVATION_SHAPES.filter((s) => s.length > 1)) { // PRelu's channels are axis 1
    for (const shared of [false, true]) {
      it(`PRelu [${shape}] ${shared ? 'shared slope' : 'per-channel slopes'}`, () => {
        const node = makeNode('PRelu', {}, { slope: tensor(rand, [shared ? 1 : shape[1]], -0.5, 0.5) });
        check(viaSimd, node, [tensor(rand, shape, -3, 3)]);
      });
    }
  }
});
