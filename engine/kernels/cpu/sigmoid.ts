// Sigmoid: y = 1 / (1 + exp(-x)).

import type { CpuKernelFactory } from './kernel.js';

export const sigmoidKernel: CpuKernelFactory<'sigmoid'> = () => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
};
