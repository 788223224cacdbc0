// Elu: y = x > 0 ? x : alpha * (exp(x) - 1).

import type { NodeOf } from '../../graph/ops.js';
import { elu } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const eluKernel: CpuKernelFactory<NodeOf<'Elu'>> = (node) => {
  const alpha = node.attrs.alpha;
  return ([x], [y]) => {
    for (let i = 0; i < x.length; i++) y[i] = elu(x[i], alpha);
  };
};
