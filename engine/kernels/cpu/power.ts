// Power: y = (shift + scale * x) ^ power.

import type { CpuKernelFactory } from './kernel.js';

export const powerKernel: CpuKernelFactory<'power'> = ({ power, scale, shift }) => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = Math.pow(shift + scale * x[i], power);
};
