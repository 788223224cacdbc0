// Scale: y = x * scale[s] + bias[s], s running over the dims [axis, axis + scale.ndim) of x,
// walked as outer x S x inner.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const scaleKernel: CpuKernelFactory<NodeOf<'Scale'>> = (node, inShapes) => {
  const shape = inShapes[0];
  const { axis } = node.attrs;
  const scale = node.weights.scale.data;
  const bias = node.weights.bias?.data;
  const outer = sizeOf(shape.slice(0, axis));
  const S = scale.length;
  const inner = sizeOf(shape.slice(axis + node.weights.scale.shape.length));
  return ([x], [y]) => {
    let i = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < S; s++) {
        const a = scale[s];
        const b = bias ? bias[s] : 0;
        for (const end = i + inner; i < end; i++) y[i] = x[i] * a + b;
      }
    }
  };
};
