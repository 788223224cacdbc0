// Clamp: y = min(max(x, min), max).

import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const clampKernel: CpuKernelFactory<NodeOf<'Clamp'>> = (node) => {
  const { min, max } = node.attrs;
  return ([x], [y]) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.min(Math.max(x[i], min), max);
  };
};
