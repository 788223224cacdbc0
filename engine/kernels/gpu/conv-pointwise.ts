// 1x1 convolution, stride 1, no pad, one group: y[n,o,p] = act(bias[o] + sum_c W[o,c] x[n,c,p])
// over the P = H*W pixels, on the grid [P, 1, N*O]. The weight index and the input index walk the
// channels by increments (a multiply per index costs as much as the product itself on the
// WebAssembly backend, which keeps indices in floats).

import { convKernelOf } from './conv.js';
import { splitZ, type GpuKernelFactory } from './kernel.js';

export const convPointwiseKernel: GpuKernelFactory<'conv-pointwise'> = ({ conv, inShapes: [[N, C, H, W]], outShapes: [[, O]] }) => {
  const P = H * W;
  return [convKernelOf(conv, [P, 1, N * O], `
  ${splitZ(O, 'n', 'o')}
  let v = this.constants.bias[o];
  let wi = o * ${C};
  let xi = n * ${C * P} + this.thread.x;
  for (let c = 0; c < ${C}; c++) {
    v += this.constants.weight[wi] * x0[xi];
    wi += 1;
    xi += ${P};
  }`)];
};
