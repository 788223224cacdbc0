// Scale (and BatchNorm, lowered to one): x walked as outer x channels x inner,
// y = x * scale[c] + bias[c].

import type { CpuKernelFactory } from './kernel.js';

export const scaleKernel: CpuKernelFactory<'scale'> = ({ outer, channels, inner, scale, bias }) => ([x], [y]) => {
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const a = scale[c], b = bias[c];
      for (const end = i + inner; i < end; i++) y[i] = x[i] * a + b;
    }
  }
};
