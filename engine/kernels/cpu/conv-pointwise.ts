// 1x1 convolution, stride 1, no pad, one group: per image the matrix product
// y[o, p] = activate(bias[o] + sum_c W[o, c] * x[c, p]) over the P = H*W pixels, the image
// itself being B (gemm.ts; W packed at plan time).

import type { NodeOf } from '../../graph/ops.js';
import { perChannel } from './activation.js';
import { gemm, packRows } from './gemm.js';
import type { CpuKernelFactory } from './kernel.js';

export const convPointwiseKernel: CpuKernelFactory<NodeOf<'Conv'>> = (node, inShapes, outShapes) => {
  const [N, C, H, W] = inShapes[0];
  const O = outShapes[0][1];
  const P = H * W;
  const { weight, bias, slope } = node.weights;
  const a = packRows(weight.data, bias?.data, perChannel(node.attrs.activation, slope?.data, O), O, C);
  return ([x], [y]) => {
    for (let n = 0; n < N; n++) gemm(a, x, n * C * P, P, P, y, n * O * P, P);
  };
};
