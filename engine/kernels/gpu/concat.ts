// Concat (copying), on the grid [outRow, 1, outer]: element x of output row o is input t's
// element x - start_t of its row o, t the input whose run [start_t, start_t + rows_t) holds x.

import { kernelSource, type GpuKernel, type GpuKernelFactory } from './kernel.js';

/** The kernel laying `outer` rows of each input (rows[t] floats) side by side. */
export function concatRows(outer: number, rows: number[]): GpuKernel {
  let start = 0;
  const reads = rows.map((row, t) => {
    const read = `return x${t}[this.thread.z * ${row} + this.thread.x - ${start}];`;
    start += row;
    return t === rows.length - 1 ? `  ${read}` : `  if (this.thread.x < ${start}) {\n    ${read}\n  }`;
  });
  return { source: kernelSource(rows.length, reads.join('\n')), output: [start, 1, outer], constants: {} };
}

export const concatKernel: GpuKernelFactory<'concat'> = ({ outer, rows }) => [concatRows(outer, rows)];
