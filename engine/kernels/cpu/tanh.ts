// TanH: y = tanh(x).

import type { CpuKernelFactory } from './kernel.js';

export const tanhKernel: CpuKernelFactory<'tanh'> = () => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
};
