// Eltwise over 2+ inputs of one shape: sum (y = sum_i coeffs[i] * x_i), prod or max; then the
// fused activation, channel by channel along axis 1. Plane by plane (one channel of one image),
// so the plane is still in cache when it is activated: pass t combines x_0 (t = 1) or the running
// result in y with x_t, then the plane is activated.

import { sizeOf } from '../../graph/graph.js';
import { activateRange, perChannel } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const eltwiseKernel: CpuKernelFactory<'eltwise'> = (k) => {
  const { operation, coeffs, channels: C, inner } = k;
  const planes = sizeOf(k.inShapes[0]) / inner;
  const act = perChannel(k.activation, C);

  return (xs, [y]) => {
    for (let p = 0, start = 0; p < planes; p++, start += inner) {
      const end = start + inner;
      for (let t = 1; t < xs.length; t++) {
        const a = t === 1 ? xs[0] : y, b = xs[t];
        if (operation === 'sum') {
          // (+: numbers rather than tagged values, which the loop would convert at every element.)
          const ka = +(t === 1 ? coeffs[0] : 1), kb = +coeffs[t];
          for (let i = start; i < end; i++) y[i] = ka * a[i] + kb * b[i];
        } else if (operation === 'prod') {
          for (let i = start; i < end; i++) y[i] = a[i] * b[i];
        } else {
          for (let i = start; i < end; i++) y[i] = b[i] > a[i] ? b[i] : a[i];
        }
      }
      activateRange(y, start, end, act, p % C);
    }
  };
};
