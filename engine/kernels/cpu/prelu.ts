// PRelu: y = x > 0 ? x : slope[c] * x, c along axis 1 (one shared slope when it has length 1).

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { leaky, perChannel } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const preluKernel: CpuKernelFactory<NodeOf<'PRelu'>> = (node, inShapes) => {
  const [N, C] = inShapes[0];
  const inner = sizeOf(inShapes[0].slice(2));
  const { param } = perChannel({ kind: 'prelu' }, node.weights.slope.data, C);
  return ([x], [y]) => {
    for (let p = 0, i = 0; p < N * C; p++) {
      const k = param[p % C];
      for (const end = i + inner; i < end; i++) y[i] = leaky(x[i], k);
    }
  };
};
