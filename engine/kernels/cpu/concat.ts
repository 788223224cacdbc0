// Concat (copying): output row o (of `outer`) is input 0's row o, then input 1's row o, ...
// (a row being an input's run of rows[t] floats).

import type { CpuKernelFactory } from './kernel.js';

export const concatKernel: CpuKernelFactory<'concat'> = ({ outer, rows }) => {
  const outRow = rows.reduce((s, r) => s + r, 0);
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
