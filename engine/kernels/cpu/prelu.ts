// PRelu: y = x > 0 ? x : slope[c] * x, c along axis 1 (one shared slope when it has length 1).

import { sizeOf } from '../../graph/graph.js';
import type { Activation, NodeOf } from '../../graph/ops.js';
import { applyActivation } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

const PRELU: Activation = { kind: 'prelu' };

export const preluKernel: CpuKernelFactory<NodeOf<'PRelu'>> = (node, inShapes) => {
  const [N, C] = inShapes[0];
  const inner = sizeOf(inShapes[0].slice(2));
  const slope = node.weights.slope.data;
  return ([x], [y]) => {
    y.set(x);
    for (let p = 0; p < N * C; p++) applyActivation(PRELU, slope, p % C, y, p * inner, (p + 1) * inner);
  };
};
