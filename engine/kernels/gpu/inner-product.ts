// InnerProduct: x viewed as [M, K] (K = the dims from axis on);
// y[m, n] = bias[n] + sum_k x[m, k] * W[n, k], on the grid [outputs, 1, M]. The weight is packed
// at plan time as [K, outputs], so the four outputs of a SIMD vector read neighbouring weights.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { kernelSource, type GpuKernelFactory } from './kernel.js';

export const innerProductKernel: GpuKernelFactory<NodeOf<'InnerProduct'>> = (node, [shape]) => {
  const { axis, outputs: NO, transpose } = node.attrs;
  const M = sizeOf(shape.slice(0, axis));
  const K = sizeOf(shape.slice(axis));
  const w = node.weights.weight.data;
  const weight = transpose ? w : new Float32Array(NO * K);
  if (!transpose) for (let n = 0; n < NO; n++) for (let k = 0; k < K; k++) weight[k * NO + n] = w[n * K + k];
  return [{
    source: kernelSource(1, `
  let v = this.constants.bias[this.thread.x];
  let wi = this.thread.x;
  let xi = this.thread.z * ${K};
  for (let k = 0; k < ${K}; k++) {
    v += this.constants.weight[wi] * x0[xi];
    wi += ${NO};
    xi += 1;
  }
  return v;`),
    output: [NO, 1, M],
    constants: { weight, bias: node.weights.bias?.data ?? new Float32Array(NO) },
  }];
};
