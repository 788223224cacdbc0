// Concat along axis: with outer = the dims before axis, output row o is input 0's row o,
// then input 1's row o, ... (a row being an input's run axis x inner).

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const concatKernel: CpuKernelFactory<NodeOf<'Concat'>> = (node, inShapes, outShapes) => {
  const { axis } = node.attrs;
  const out = outShapes[0];
  const outer = sizeOf(out.slice(0, axis));
  const inner = sizeOf(out.slice(axis + 1));
  const outRow = out[axis] * inner;
  const rows = inShapes.map((s) => s[axis] * inner);
  return (xs, [y]) => {
    let offset = 0;
    for (let t = 0; t < xs.length; t++) {
      const x = xs[t], row = rows[t];
      for (let o = 0; o < outer; o++) {
        for (let i = 0, xi = o * row, yi = o * outRow + offset; i < row; i++) y[yi + i] = x[xi + i];
      }
      offset += row;
    }
  };
};
