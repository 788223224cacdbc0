// Eltwise over 2+ inputs of one shape: sum (y = sum_i coeffs[i] * x_i; no coeffs = all 1),
// prod or max; then the fused activation, channel by channel along axis 1.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { applyActivation } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

export const eltwiseKernel: CpuKernelFactory<NodeOf<'Eltwise'>> = (node, inShapes) => {
  const { operation, activation } = node.attrs;
  const coeffs = node.attrs.coeffs.length > 0 ? node.attrs.coeffs : inShapes.map(() => 1);
  const slope = node.weights.slope?.data;
  const shape = inShapes[0];
  const planes = (shape[0] ?? 1) * (shape[1] ?? 1);
  const C = shape[1] ?? 1;
  const inner = sizeOf(shape.slice(2));

  return (xs, [y]) => {
    const n = y.length;
    if (operation === 'sum') {
      const x0 = xs[0], k0 = coeffs[0];
      for (let i = 0; i < n; i++) y[i] = k0 * x0[i];
      for (let t = 1; t < xs.length; t++) {
        const x = xs[t], k = coeffs[t];
        for (let i = 0; i < n; i++) y[i] += k * x[i];
      }
    } else if (operation === 'prod') {
      y.set(xs[0]);
      for (let t = 1; t < xs.length; t++) {
        const x = xs[t];
        for (let i = 0; i < n; i++) y[i] *= x[i];
      }
    } else {
      y.set(xs[0]);
      for (let t = 1; t < xs.length; t++) {
        const x = xs[t];
        for (let i = 0; i < n; i++) if (x[i] > y[i]) y[i] = x[i];
      }
    }
    for (let p = 0; p < planes; p++) applyActivation(activation, slope, p % C, y, p * inner, (p + 1) * inner);
  };
};
