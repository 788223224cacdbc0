// Pool's output sizes and its refusal of padding as wide as the window (the kernels themselves
// run in the conformance suite, test/conformance).

import { describe, expect, it } from 'vitest';
import { inferShapes, type NodeOf } from '../../engine/graph/ops.js';
import { POOL_DEFAULTS } from '../conformance/case.js';
import { makeNode } from './reference.js';

describe('Pool shapes', () => {
  it('output sizes: Caffe\'s last-window rule (ceil gives 3 rows, the third would start at H + padTop: 2), global', () => {
    const shape = (input: number[], attrs: Partial<NodeOf<'Pool'>['attrs']>) => inferShapes(makeNode('Pool', { ...POOL_DEFAULTS, ...attrs }, {}), [input])[0];
    expect(shape([1, 2, 5, 5], { method: 'ave', kernel: [3, 3], stride: [3, 3], pad: [1, 1, 1, 1] })).toEqual([1, 2, 2, 2]);
    expect(shape([3, 4, 7, 9], { method: 'ave', global: true })).toEqual([3, 4, 1, 1]);
  });

  it('refuses padding as wide as the window (Caffe: pad < kernel)', () => {
    const node = makeNode('Pool', { ...POOL_DEFAULTS, kernel: [2, 2], stride: [1, 1], pad: [2, 2, 2, 2] }, {});
    expect(() => inferShapes(node, [[1, 2, 5, 6]])).toThrow(/padding 2,2,2,2 must be smaller than the 2x2 window/);
  });
});
