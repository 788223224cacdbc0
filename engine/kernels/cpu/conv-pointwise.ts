// 1x1 convolution, stride 1, no pad, one group: per image the matrix product
// y[o, p] = activate(bias[o] + sum_c W[o, c] * x[c, p]) over the P = H*W pixels, the image
// itself being B (gemm.ts; W packed at plan time). Its column chunks stay in cache without a panel.

import { perChannel } from './activation.js';
import { gemm, packRows } from './gemm.js';
import type { CpuKernelFactory } from './kernel.js';

export const convPointwiseKernel: CpuKernelFactory<'conv-pointwise'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const O = k.outShapes[0][1];
  const P = H * W;
  const { weight, bias, activation } = k.conv;
  const a = packRows(weight, bias, perChannel(activation, O), O, C);
  return ([x], [y]) => {
    for (let n = 0; n < N; n++) gemm(a, x, n * C * P, P, P, y, n * O * P, P);
  };
};
