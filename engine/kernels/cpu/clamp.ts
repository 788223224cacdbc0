// Clamp: y = min(max(x, min), max).

import type { CpuKernelFactory } from './kernel.js';

export const clampKernel: CpuKernelFactory<'clamp'> = ({ min, max }) => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = Math.min(Math.max(x[i], min), max);
};
