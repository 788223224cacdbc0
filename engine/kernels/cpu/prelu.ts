// PRelu: y = x > 0 ? x : slope[c] * x, c along axis 1.

import { leaky } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const preluKernel: CpuKernelFactory<'prelu'> = ({ channels: C, inner, slope }) => ([x], [y]) => {
  for (let i = 0, p = 0; i < x.length; p++) {
    const k = slope[p % C];
    for (const end = i + inner; i < end; i++) y[i] = leaky(x[i], k);
  }
};
