// Softmax along the middle of x seen as outer x C x inner, on the grid [inner, 1, outer*C]:
// y = exp(x - max) / sum exp(x - max), the max taken over C so exp never overflows. Each thread
// computes its position's max and sum itself (C is small where softmax is used: classes).

import { kernelSource, splitZ, type GpuKernelFactory } from './kernel.js';

export const softmaxKernel: GpuKernelFactory<'softmax'> = ({ outer, channels: C, inner }) => [{
  source: kernelSource(1, `
  ${splitZ(C, 'o', 'c')}
  const base = o * ${C * inner} + this.thread.x;
  let m = x0[base];
  for (let k = 1; k < ${C}; k++) {
    m = Math.max(m, x0[base + k * ${inner}]);
  }
  let s = 0;
  for (let k = 0; k < ${C}; k++) {
    s += Math.exp(x0[base + k * ${inner}] - m);
  }
  return Math.exp(x0[base + c * ${inner}] - m) / s;`),
  output: [inner, 1, outer * C],
  constants: {},
}];
