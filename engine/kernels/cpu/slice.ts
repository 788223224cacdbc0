// Slice (copying), the inverse of Concat: output t takes the run of rows[t] floats at starts[t]
// of each of the input's `outer` rows.

import type { CpuKernelFactory } from './kernel.js';

export const sliceKernel: CpuKernelFactory<'slice'> = ({ outer, inRow, rows, starts }) => ([x], ys) => {
  for (let t = 0; t < ys.length; t++) {
    const y = ys[t], row = rows[t];
    for (let o = 0; o < outer; o++) {
      for (let i = 0, xi = o * inRow + starts[t], yi = o * row; i < row; i++) y[yi + i] = x[xi + i];
    }
  }
};
