// The SIMD Eltwise, Scale and 2x2 max pooling (pool.ts) against the float64 reference: element counts
// that are not multiples of 4, odd planes, batches, every fused activation.

import { describe, expect, it } from 'vitest';
import type { Activation, NodeOf } from '../../engine/graph/ops.js';
import { simdKernel } from '../../engine/kernels/simd/index.js';
import { check, makeNode, prng, tensor } from '../kernels/reference.js';
import { ACTIVATIONS, viaSimd } from './harness.js';

const rand = prng(5);
const same = <T>(n: number, f: () => T) => Array.from({ length: n }, f);

describe('SIMD Eltwise', () => {
  const cases: { shape: number[]; inputs?: number; operation?: 'sum' | 'prod' | 'max'; coeffs?: number[]; act?: Activation; sharedSlope?: boolean }[] = [
    { shape: [1, 32, 64, 64], act: { kind: 'elu', alpha: 1 } },
    { shape: [2, 13, 15, 7] },
    { shape: [3, 5, 3, 3], inputs: 3, coeffs: [0.5, -1, 2] },
    { shape: [1, 7, 5, 1], operation: 'prod', inputs: 3 },
    { shape: [2, 3, 9, 11], operation: 'max' },
    { shape: [5, 3] },
    { shape: [1, 1, 1, 3] },
    ...ACTIVATIONS.map((a) => ({ shape: [2, 6, 5, 7], ...a })),
    ...ACTIVATIONS.map((a) => ({ shape: [1, 8, 4, 4], ...a })),
  ];
  for (const p of cases) {
    const act = p.act ?? { kind: 'none' };
    it(`${p.operation ?? 'sum'} of ${p.inputs ?? 2} [${p.shape}] coeffs [${p.coeffs ?? []}] ${JSON.stringify(act)}${p.sharedSlope ? ' shared' : ''}`, () => {
      const node: NodeOf<'Eltwise'> = makeNode('Eltwise', { operation: p.operation ?? 'sum', coeffs: p.coeffs ?? [], activation: act },
        act.kind === 'prelu' ? { slope: tensor(rand, [p.sharedSlope ? 1 : p.shape[1]], 0, 0.5) } : {}, p.inputs ?? 2);
      check(viaSimd, node, same(p.inputs ?? 2, () => tensor(rand, p.shape, -3, 3)));
    });
  }
});

describe('SIMD Scale', () => {
  const cases: { shape: number[]; axis: number; scale: number[]; bias?: boolean }[] = [
    { shape: [1, 3, 128, 128], axis: 1, scale: [3] },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5], bias: false },
    { shape: [2, 5, 7, 9], axis: 1, scale: [5, 7] },
    { shape: [3, 4, 6], axis: 0, scale: [3] },
  ];
  for (const p of cases) {
    it(`[${p.shape}] axis ${p.axis} scale [${p.scale}]${p.bias === false ? ' nobias' : ''}`, () => {
      const node: NodeOf<'Scale'> = makeNode('Scale', { axis: p.axis }, {
        scale: tensor(rand, p.scale, -2, 2), ...(p.bias === false ? {} : { bias: tensor(rand, p.scale, -1, 1) }),
      });
      check(viaSimd, node, [tensor(rand, p.shape, -3, 3)]);
    });
  }
  it('leaves planes shorter than a vector to the CPU', () => {
    const node: NodeOf<'Scale'> = makeNode('Scale', { axis: 1 }, { scale: tensor(rand, [5]) });
    expect(simdKernel(node, [[2, 5, 3]], [[2, 5, 3]])).toBeUndefined();
  });
});

describe('SIMD max pool 2x2 stride 2', () => {
  const shapes = [[1, 32, 64, 64], [2, 3, 13, 15], [1, 2, 7, 8], [1, 3, 8, 9], [2, 2, 2, 3], [1, 4, 3, 2], [1, 2, 5, 19], [1, 2, 16, 16]];
  for (const shape of shapes) {
    for (const rounding of ['ceil', 'floor'] as const) {
      it(`[${shape}] ${rounding}`, () => {
        const node: NodeOf<'Pool'> = makeNode('Pool', {
          kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], method: 'max', global: false, rounding, excludePad: false,
        }, {});
        check(viaSimd, node, [tensor(rand, shape, -3, 3)]);
      });
    }
  }
});
