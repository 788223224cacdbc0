// Relu: y = x > 0 ? x : negativeSlope * x.

import type { NodeOf } from '../../graph/ops.js';
import { leaky } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const reluKernel: CpuKernelFactory<NodeOf<'Relu'>> = (node) => {
  const k = node.attrs.negativeSlope;
  return ([x], [y]) => {
    for (let i = 0; i < x.length; i++) y[i] = leaky(x[i], k);
  };
};
