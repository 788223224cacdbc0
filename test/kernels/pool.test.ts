// Pool: max and average with Caffe's window and border rules, global pooling, both roundings.

import { describe, expect, it } from 'vitest';
import { inferShapes, type NodeOf } from '../../engine/graph/ops.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, makeNode, prng, tensor } from './reference.js';

type Attrs = NodeOf<'Pool'>['attrs'];
/** The input shape, the attributes that differ from a 3x3 stride-2 ceil max pool, and maybe the output shape. */
type Case = { shape: number[]; expect?: number[] } & Partial<Attrs>;

const rand = prng(11);
const DEFAULTS: Attrs = {
  kernel: [3, 3], stride: [2, 2], pad: [0, 0, 0, 0], method: 'max', global: false, rounding: 'ceil', excludePad: false,
};

const CASES: Case[] = [
  { shape: [2, 3, 13, 15], method: 'max' },
  { shape: [1, 4, 13, 13], method: 'max', pad: [1, 1, 1, 1] },
  { shape: [2, 3, 13, 15], method: 'ave', pad: [1, 1, 1, 1] },
  { shape: [1, 3, 14, 12], method: 'ave', pad: [1, 1, 1, 1] },
  { shape: [1, 3, 13, 15], method: 'ave', pad: [1, 1, 1, 1], excludePad: true },
  { shape: [2, 2, 7, 9], method: 'ave', kernel: [2, 2], pad: [0, 0, 1, 1] },
  { shape: [2, 2, 7, 9], method: 'max', kernel: [2, 3], stride: [1, 2], pad: [1, 0, 0, 2] },
  { shape: [1, 3, 7, 9], method: 'ave', kernel: [3, 2], stride: [2, 3], pad: [2, 1, 0, 1], excludePad: true },
  { shape: [1, 3, 13, 15], method: 'ave', pad: [1, 1, 1, 1], rounding: 'floor' },
  { shape: [3, 2, 13, 15], method: 'max', kernel: [2, 2], rounding: 'floor' },
  { shape: [1, 2, 9, 10], method: 'max', kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], rounding: 'floor' },
  // Caffe's last-window rule: ceil gives 3 rows, the third would start at H + padTop, so 2.
  { shape: [1, 2, 5, 5], method: 'ave', kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1], expect: [1, 2, 2, 2] },
  { shape: [1, 2, 5, 5], method: 'max', kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] },
  // The widest padding allowed (pad = kernel - 1): corner windows hold one real pixel.
  { shape: [1, 2, 5, 6], method: 'ave', kernel: [2, 2], stride: [1, 1], pad: [1, 1, 1, 1] },
  { shape: [1, 2, 5, 6], method: 'ave', kernel: [3, 3], stride: [2, 2], pad: [2, 2, 2, 2], excludePad: true },
  { shape: [1, 2, 5, 6], method: 'max', kernel: [3, 2], stride: [1, 1], pad: [2, 1, 2, 1] },
  { shape: [3, 4, 7, 9], method: 'ave', global: true, expect: [3, 4, 1, 1] },
  { shape: [3, 4, 7, 9], method: 'max', global: true },
  { shape: [2, 5, 1, 1], method: 'ave', global: true },
  { shape: [1, 32, 64, 64], method: 'max' },
  { shape: [1, 64, 8, 8], method: 'ave', global: true, kernel: [1, 1], pad: [1, 1, 1, 1] },
];

describe('Pool', () => {
  for (const p of CASES) {
    const { shape, expect: want, ...attrs } = p;
    it(`[${shape}] ${JSON.stringify(attrs)}`, () => {
      const [out] = check(cpuKernel, makeNode('Pool', { ...DEFAULTS, ...attrs }, {}), [tensor(rand, shape)]);
      if (want) expect(out).toEqual(want);
    });
  }

  it('refuses padding as wide as the window (Caffe: pad < kernel)', () => {
    const node = makeNode('Pool', { ...DEFAULTS, kernel: [2, 2], stride: [1, 1], pad: [2, 2, 2, 2] }, {});
    expect(() => inferShapes(node, [[1, 2, 5, 6]])).toThrow(/padding 2,2,2,2 must be smaller than the 2x2 window/);
  });
});
