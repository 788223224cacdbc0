// InnerProduct: x viewed as [M, K]; y[m, n] = bias[n] + sum_k x[m, k] * W[n, k], each output one
// contiguous dot product (the lowering gives W as [N, K]).

import type { CpuKernelFactory } from './kernel.js';

export const innerProductKernel: CpuKernelFactory<'inner-product'> = ({ M, K, N, weight: w, bias }) => ([x], [y]) => {
  for (let m = 0; m < M; m++) {
    const xRow = m * K;
    for (let n = 0; n < N; n++) {
      const wRow = n * K;
      let s = bias[n];
      for (let k = 0; k < K; k++) s += x[xRow + k] * w[wRow + k];
      y[m * N + n] = s;
    }
  }
};
