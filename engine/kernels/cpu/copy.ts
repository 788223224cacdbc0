// Reshape, Flatten, Dropout (inference) and Split: each output is a copy of input 0.

import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const copyKernel: CpuKernelFactory<NodeOf<'Reshape' | 'Flatten' | 'Dropout' | 'Split'>> = () => ([x], ys) => {
  for (let t = 0; t < ys.length; t++) ys[t].set(x);
};
