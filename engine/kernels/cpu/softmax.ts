// Softmax along the middle of x viewed as outer x C x inner: y = exp(x - max) / sum exp(x - max),
// the max taken over C so exp never overflows. The running max and sum of the inner positions
// live in scratch (max[i] at i, sum[i] at inner + i), so every pass reads x contiguously.

import type { CpuKernelFactory } from './kernel.js';

export const softmaxKernel: CpuKernelFactory<'softmax'> = ({ outer, channels: C, inner }) => ([x], [y], s) => {
  for (let o = 0; o < outer; o++) {
    const base = o * C * inner;
    for (let i = 0; i < inner; i++) {
      s[i] = x[base + i];
      s[inner + i] = 0;
    }
    for (let c = 1; c < C; c++) {
      for (let i = 0, j = base + c * inner; i < inner; i++, j++) if (x[j] > s[i]) s[i] = x[j];
    }
    for (let c = 0; c < C; c++) {
      for (let i = 0, j = base + c * inner; i < inner; i++, j++) {
        const e = Math.exp(x[j] - s[i]);
        y[j] = e;
        s[inner + i] += e;
      }
    }
    for (let c = 0; c < C; c++) {
      for (let i = 0, j = base + c * inner; i < inner; i++, j++) y[j] /= s[inner + i];
    }
  }
};
