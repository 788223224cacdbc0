// Eltwise sum of two inputs with coefficients 1 (RMNet's residual joins): y = act(x0 + x1), the
// activation applied as each sum is stored, channel by channel along axis 1 — one pass over
// memory where the general Eltwise kernel makes two (sum, then activation). Each plane's loop
// is a small function of its own, picked at plan time: V8 compiles it better that way.

import { sizeOf } from '../../graph/graph.js';
import { elu, leaky, perChannel } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

function sumElu(a: Float32Array, b: Float32Array, y: Float32Array, start: number, end: number, alpha: number): void {
  for (let i = start; i < end; i++) y[i] = elu(a[i] + b[i], alpha);
}

function sumLeaky(a: Float32Array, b: Float32Array, y: Float32Array, start: number, end: number, slope: number): void {
  for (let i = start; i < end; i++) y[i] = leaky(a[i] + b[i], slope);
}

export const eltwiseSum2Kernel: CpuKernelFactory<'eltwise-sum2'> = (k) => {
  const { channels: C, inner } = k;
  const planes = sizeOf(k.inShapes[0]) / inner;
  const act = perChannel(k.activation, C);
  const plane = act.kind === 'elu' ? sumElu : sumLeaky;
  // 'none' is leaky with slope 1, exactly.
  const param = act.kind === 'none' ? act.param.fill(1) : act.param;

  return ([a, b], [y]) => {
    for (let p = 0, i = 0; p < planes; p++, i += inner) plane(a, b, y, i, i + inner, param[p % C]);
  };
};
