// Relu: y = x > 0 ? x : negativeSlope * x.

import { leaky } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const reluKernel: CpuKernelFactory<'relu'> = ({ negativeSlope: k }) => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = leaky(x[i], k);
};
