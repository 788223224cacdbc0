// Concat and Slice along several axes, and the copying ops (Reshape, Flatten, Dropout, Split).

import { describe, expect, it } from 'vitest';
import type { Node } from '../../engine/graph/graph.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, makeNode, prng, tensor } from './reference.js';

const rand = prng(23);

describe('Concat', () => {
  const CASES = [
    { axis: 1, shapes: [[2, 3, 4, 5], [2, 1, 4, 5], [2, 5, 4, 5]] },
    { axis: 2, shapes: [[2, 3, 4, 5], [2, 3, 2, 5]] },
    { axis: 0, shapes: [[1, 3, 2], [2, 3, 2]] },
    { axis: 3, shapes: [[2, 2, 3, 1], [2, 2, 3, 4], [2, 2, 3, 2]] },
    { axis: 1, shapes: [[3, 7], [3, 2]] },
    { axis: 1, shapes: [[2, 4, 3, 3]] },
  ];
  for (const { axis, shapes } of CASES) {
    it(`axis ${axis} of ${shapes.map((s) => `[${s}]`).join(' ')}`, () => {
      check(cpuKernel, makeNode('Concat', { axis }, {}, shapes.length), shapes.map((s) => tensor(rand, s)));
    });
  }
});

describe('Slice', () => {
  const CASES = [
    { shape: [2, 6, 4, 5], axis: 1, points: [], outputs: 3, expect: [2, 2, 4, 5] },
    { shape: [2, 7, 4, 5], axis: 1, points: [1, 4], outputs: 3, expect: [2, 1, 4, 5] },
    { shape: [2, 3, 7, 5], axis: 2, points: [3], outputs: 2, expect: [2, 3, 3, 5] },
    { shape: [2, 3, 8, 5], axis: 2, points: [], outputs: 2, expect: [2, 3, 4, 5] },
    { shape: [3, 4, 2, 9], axis: 3, points: [2, 3, 7], outputs: 4, expect: [3, 4, 2, 2] },
    { shape: [4, 3, 5], axis: 0, points: [3], outputs: 2, expect: [3, 3, 5] },
  ];
  for (const { shape, axis, points, outputs, expect: first } of CASES) {
    it(`[${shape}] axis ${axis} points [${points}] into ${outputs}`, () => {
      const outShapes = check(cpuKernel, makeNode('Slice', { axis, points }, {}, 1, outputs), [tensor(rand, shape)]);
      expect(outShapes[0]).toEqual(first);
    });
  }
});

describe('copies', () => {
  const NODES: Node[] = [
    makeNode('Reshape', { shape: [0, -1], axis: 0, numAxes: -1 }, {}),
    makeNode('Flatten', { axis: 1, endAxis: 3 }, {}),
    makeNode('Dropout', {}, {}),
    makeNode('Split', {}, {}, 1, 3),
  ];
  for (const node of NODES) {
    it(`${node.op} ${JSON.stringify(node.attrs)} into ${node.outputs.length}`, () => {
      check(cpuKernel, node, [tensor(rand, [2, 3, 5, 7])]);
    });
  }
});
