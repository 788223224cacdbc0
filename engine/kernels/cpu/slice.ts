// Slice along axis, the inverse of Concat: output t takes its run of each row of the input
// (the runs' sizes come from the inferred output shapes).

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const sliceKernel: CpuKernelFactory<NodeOf<'Slice'>> = (node, inShapes, outShapes) => {
  const { axis } = node.attrs;
  const shape = inShapes[0];
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const inRow = shape[axis] * inner;
  const rows = outShapes.map((s) => s[axis] * inner);
  return ([x], ys) => {
    let offset = 0;
    for (let t = 0; t < ys.length; t++) {
      const y = ys[t], row = rows[t];
      for (let o = 0; o < outer; o++) {
        for (let i = 0, xi = o * inRow + offset, yi = o * row; i < row; i++) y[yi + i] = x[xi + i];
      }
      offset += row;
    }
  };
};
