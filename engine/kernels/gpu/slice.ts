// Slice (copying), the inverse of Concat: output t, on its grid [rows_t, 1, outer], reads the
// run [starts_t, starts_t + rows_t) of each input row (inRow floats). One kernel per output.

import { kernelSource, type GpuKernel, type GpuKernelFactory } from './kernel.js';

/** One kernel per output t, taking rows[t] floats from starts[t] of each of `outer` input rows. */
export function sliceRows(outer: number, inRow: number, rows: number[], starts: number[]): GpuKernel[] {
  return rows.map((row, t) => ({
    source: kernelSource(1, `  return x0[this.thread.z * ${inRow} + ${starts[t]} + this.thread.x];`),
    output: [row, 1, outer],
    constants: {},
  }));
}

export const sliceKernel: GpuKernelFactory<'slice'> = ({ outer, inRow, rows, starts }) => sliceRows(outer, inRow, rows, starts);
