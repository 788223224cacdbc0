// Sigmoid: y = 1 / (1 + exp(-x)).

import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const sigmoidKernel: CpuKernelFactory<NodeOf<'Sigmoid'>> = () => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
};
