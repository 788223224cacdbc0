// TanH: y = tanh(x).

import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const tanhKernel: CpuKernelFactory<NodeOf<'TanH'>> = () => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
};
