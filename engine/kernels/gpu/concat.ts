// Concat along axis, on the grid [inner, 1, outer*A] (A = the output's size on axis; a row per
// (o, a)): the row at a reads input t, the one whose run of axis [start_t, end_t) holds a.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { kernelSource, splitZ, type GpuKernelFactory } from './kernel.js';

export const concatKernel: GpuKernelFactory<NodeOf<'Concat'>> = (node, inShapes, [out]) => {
  const { axis } = node.attrs;
  const inner = sizeOf(out.slice(axis + 1));
  let start = 0;
  const reads = inShapes.map((shape, t) => {
    const size = shape[axis];
    const read = `return x${t}[(o * ${size} + a - ${start}) * ${inner} + this.thread.x];`;
    start += size;
    return t === inShapes.length - 1 ? `  ${read}` : `  if (a < ${start}) {\n    ${read}\n  }`;
  });
  return [{
    source: kernelSource(inShapes.length, `  ${splitZ(out[axis], 'o', 'a')}\n${reads.join('\n')}`),
    output: [inner, 1, sizeOf(out.slice(0, axis)) * out[axis]],
    constants: {},
  }];
};
