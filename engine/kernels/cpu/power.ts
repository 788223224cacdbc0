// Power: y = (shift + scale * x) ^ power.

import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const powerKernel: CpuKernelFactory<NodeOf<'Power'>> = (node) => {
  const { power, scale, shift } = node.attrs;
  return ([x], [y]) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.pow(shift + scale * x[i], power);
  };
};
