// InnerProduct: x viewed as [M, K]; y[m, n] = bias[n] + sum_k x[m, k] * W[n, k], on the grid
// [N, 1, M]. The weight is repacked at plan time as [K, N], so the four outputs of a SIMD vector
// read neighbouring weights.

import { kernelSource, type GpuKernelFactory } from './kernel.js';

export const innerProductKernel: GpuKernelFactory<'inner-product'> = ({ M, K, N, weight: w, bias }) => {
  const weight = new Float32Array(N * K);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) weight[k * N + n] = w[n * K + k];
  return [{
    source: kernelSource(1, `
  let v = this.constants.bias[this.thread.x];
  let wi = this.thread.x;
  let xi = this.thread.z * ${K};
  for (let k = 0; k < ${K}; k++) {
    v += this.constants.weight[wi] * x0[xi];
    wi += ${N};
    xi += 1;
  }
  return v;`),
    output: [N, 1, M],
    constants: { weight, bias },
  }];
};
