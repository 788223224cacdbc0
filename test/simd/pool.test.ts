// The SIMD pooling kernel (pool.ts) against the float64 reference: max and average, any window,
// stride and pad, ceil and floor rounding (a last window that starts inside the padded input
// and sticks out of it), excludePad, global pooling, batches. The cases are plain data.

import { describe, it } from 'vitest';
import type { NodeOf } from '../../engine/graph/ops.js';
import type { SimdKernelFactory } from '../../engine/kernels/simd/kernel.js';
import { pool } from '../../engine/kernels/simd/pool.js';
import { check, makeNode, POOL_DEFAULTS, prng, tensor } from '../kernels/reference.js';
import { viaSimd, viaSimdKernel } from './harness.js';

/** The input shape and what differs from a 3x3 stride-2 ceil max pool. */
export const SIMD_POOL_CASES: ({ shape: number[] } & Partial<NodeOf<'Pool'>['attrs']>)[] = [
  // MTCNN: 3x3/2 and 2x2/2 max, ceil (R-Net 22 → 11, 9 → 4; O-Net 46 → 23, 21 → 10, 8 → 4; P-Net).
  { shape: [3, 28, 22, 22] },
  { shape: [2, 48, 9, 9] },
  { shape: [2, 32, 46, 46] },
  { shape: [2, 64, 21, 21] },
  { shape: [2, 64, 8, 8], kernel: [2, 2] },
  { shape: [1, 10, 45, 77], kernel: [2, 2] },
  { shape: [1, 10, 46, 78], kernel: [2, 2] },
  // Ceil rounding edge cases: the last window one column or row past the input, or just fitting.
  { shape: [1, 3, 7, 7] },
  { shape: [1, 3, 8, 8] },
  { shape: [1, 3, 5, 6], kernel: [3, 3], stride: [3, 3] },
  { shape: [1, 2, 4, 4], kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 9, 10], kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [1, 2, 2, 3], kernel: [2, 2] },
  { shape: [1, 2, 1, 9], kernel: [1, 3], stride: [1, 2] },
  { shape: [1, 2, 9, 1], kernel: [3, 1], stride: [2, 1] },
  // Strides 1 to 4, windows up to 5, pads on any side, averages with and without excludePad.
  { shape: [2, 3, 13, 30], kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [2, 3, 13, 30], method: 'ave', kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [1, 3, 13, 30], method: 'ave', kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1], excludePad: true },
  { shape: [1, 4, 17, 41], method: 'ave', kernel: [5, 5], stride: [3, 3], pad: [2, 2, 2, 2] },
  { shape: [1, 4, 17, 41], kernel: [5, 4], stride: [3, 4], pad: [1, 3, 2, 0] },
  { shape: [1, 4, 17, 41], method: 'ave', kernel: [2, 5], stride: [2, 4], pad: [1, 2, 0, 3], excludePad: true },
  { shape: [1, 3, 11, 35], method: 'ave', kernel: [3, 3], stride: [2, 2], pad: [0, 0, 0, 0] },
  { shape: [1, 3, 12, 36], method: 'ave', kernel: [4, 4], stride: [2, 2], pad: [1, 1, 1, 1], rounding: 'floor' },
  // RMNet's pools: 2x2/2 on 64x64 and the 8x8 window over an 8x8 plane.
  { shape: [1, 32, 64, 64], kernel: [2, 2] },
  { shape: [2, 256, 8, 8], kernel: [8, 8], stride: [1, 1] },
  { shape: [2, 16, 7, 7], method: 'ave', kernel: [7, 7], stride: [1, 1] },
];

const rand = prng(31);
const poolOnly: SimdKernelFactory = (node, inShapes, outShapes) => (node.op === 'Pool' ? pool(node, inShapes, outShapes) : undefined);

function label(attrs: NodeOf<'Pool'>['attrs'], shape: number[]): string {
  return `${attrs.method} [${shape}] k${attrs.kernel} s${attrs.stride} pad${attrs.pad} ${attrs.rounding}`
    + `${attrs.excludePad ? ' excludePad' : ''}${attrs.global ? ' global' : ''}`;
}

describe('SIMD pooling (any window)', () => {
  for (const { shape, ...rest } of SIMD_POOL_CASES) {
    const attrs = { ...POOL_DEFAULTS, ...rest };
    it(label(attrs, shape), () => check(viaSimdKernel(poolOnly), makeNode('Pool', attrs, {}), [tensor(rand, shape, -3, 3)]));
  }
});

describe('SIMD pooling on the shared kernel-test cases', async () => {
  const { POOL_CASES } = await import('../kernels/reference.js');
  for (const { shape, ...rest } of POOL_CASES) {
    const attrs = { ...POOL_DEFAULTS, ...rest };
    it(label(attrs, shape), () => check(viaSimd, makeNode('Pool', attrs, {}), [tensor(rand, shape, -3, 3)]));
  }
});
