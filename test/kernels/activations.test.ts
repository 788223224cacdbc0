// The elementwise ops: Relu, PRelu, Elu, Sigmoid, TanH, Power, Clamp.

import { describe, it } from 'vitest';
import type { Node } from '../../engine/graph/graph.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, makeNode, prng, tensor } from './reference.js';

const rand = prng(3);
const SHAPES = [[2, 5, 7, 9], [3, 13], [1, 4, 15]];

const NODES: Node[] = [
  makeNode('Relu', { negativeSlope: 0 }, {}),
  makeNode('Relu', { negativeSlope: 0.2 }, {}),
  makeNode('Elu', { alpha: 1 }, {}),
  makeNode('Elu', { alpha: 0.3 }, {}),
  makeNode('Sigmoid', {}, {}),
  makeNode('TanH', {}, {}),
  makeNode('Power', { power: 2, scale: 0.5, shift: 1 }, {}),
  makeNode('Power', { power: 0.5, scale: 0.5, shift: 3 }, {}),
  makeNode('Power', { power: -1.5, scale: -0.25, shift: 2 }, {}),
  makeNode('Power', { power: 1, scale: -2, shift: 0.3 }, {}),
  makeNode('Clamp', { min: -0.5, max: 1.5 }, {}),
];

describe('elementwise activations', () => {
  for (const node of NODES) {
    for (const shape of SHAPES) {
      it(`${node.op} ${JSON.stringify(node.attrs)} on [${shape}]`, () => {
        check(cpuKernel, node, [tensor(rand, shape, -3, 3)]);
      });
    }
  }
});

describe('PRelu', () => {
  for (const shape of SHAPES) {
    for (const shared of [false, true]) {
      it(`${shared ? 'shared slope' : 'per-channel slopes'} on [${shape}]`, () => {
        const node = makeNode('PRelu', {}, { slope: tensor(rand, [shared ? 1 : shape[1]], -0.5, 0.5) });
        check(cpuKernel, node, [tensor(rand, shape, -3, 3)]);
      });
    }
  }
});
