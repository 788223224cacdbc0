// InnerProduct: x viewed as [M, K] (K = the dims from axis on);
// y[m, n] = bias[n] + sum_k x[m, k] * W[n, k]. A transposed weight ([K, outputs]) is
// repacked to [outputs, K] at plan time, so each output is one contiguous dot product.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const innerProductKernel: CpuKernelFactory<NodeOf<'InnerProduct'>> = (node, inShapes) => {
  const { axis, outputs: NO, transpose } = node.attrs;
  const M = sizeOf(inShapes[0].slice(0, axis));
  const K = sizeOf(inShapes[0].slice(axis));
  const bias = node.weights.bias?.data;
  let w = node.weights.weight.data;
  if (transpose) {
    const t = new Float32Array(NO * K);
    for (let k = 0; k < K; k++) for (let n = 0; n < NO; n++) t[n * K + k] = w[k * NO + n];
    w = t;
  }
  return ([x], [y]) => {
    for (let m = 0; m < M; m++) {
      const xRow = m * K;
      for (let n = 0; n < NO; n++) {
        const wRow = n * K;
        let s = bias ? bias[n] : 0;
        for (let k = 0; k < K; k++) s += x[xRow + k] * w[wRow + k];
        y[m * NO + n] = s;
      }
    }
  };
};
