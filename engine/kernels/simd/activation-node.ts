// Relu, PRelu, Elu, Sigmoid and TanH as nodes of their own (an activation the passes could not
// fuse, e.g. a PReLU after an InnerProduct): the elementwise loop of eltwise.ts over one input,
// applying the activation (activation.ts).

import type { Node } from '../../graph/graph.js';
import { elementwise } from './eltwise.js';
import type { SimdActivation } from './activation.js';
import type { SimdKernelFactory } from './kernel.js';

function asActivation(node: Node): { act: SimdActivation; slope?: Float32Array } | undefined {
  switch (node.op) {
    case 'Relu': return { act: { kind: 'relu', negativeSlope: node.attrs.negativeSlope } };
    case 'PRelu': return { act: { kind: 'prelu' }, slope: node.weights.slope.data };
    case 'Elu': return { act: { kind: 'elu', alpha: node.attrs.alpha } };
    case 'Sigmoid': return { act: { kind: 'sigmoid' } };
    case 'TanH': return { act: { kind: 'tanh' } };
    default: return undefined;
  }
}

export const activationNode: SimdKernelFactory = (node, inShapes) => {
  const a = asActivation(node);
  return a && elementwise(inShapes[0], 1, 'sum', [], a.act, a.slope);
};
