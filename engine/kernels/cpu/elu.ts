// Elu: y = x > 0 ? x : alpha * (exp(x) - 1).

import { elu } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const eluKernel: CpuKernelFactory<'elu'> = ({ alpha }) => ([x], [y]) => {
  for (let i = 0; i < x.length; i++) y[i] = elu(x[i], alpha);
};
