// The activation an op applies to its own result (Conv, Eltwise: fused by `fuseActivations`),
// in place on one channel's run of outputs. The Relu, PRelu and Elu kernels reuse it.

import { ModelError } from '../../graph/graph.js';
import type { Activation } from '../../graph/ops.js';

/** Applies `act` in place to y[start, end), outputs of channel c; prelu reads slope[c], or slope[0] when shared. */
export function applyActivation(act: Activation, slope: Float32Array | undefined, c: number,
  y: Float32Array, start: number, end: number): void {
  let k: number;
  switch (act.kind) {
    case 'none':
      return;
    case 'elu': {
      const alpha = act.alpha;
      for (let i = start; i < end; i++) {
        const v = y[i];
        y[i] = v > 0 ? v : alpha * Math.expm1(v);
      }
      return;
    }
    case 'relu':
      k = act.negativeSlope;
      break;
    case 'prelu':
      if (slope === undefined) throw new ModelError('a prelu activation needs slope weights');
      k = slope[slope.length === 1 ? 0 : c];
      break;
  }
  for (let i = start; i < end; i++) {
    const v = y[i];
    y[i] = v > 0 ? v : k * v;
  }
}
