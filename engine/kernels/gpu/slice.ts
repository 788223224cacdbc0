// Slice along axis, the inverse of Concat: output t, on its grid [inner, 1, outer*size_t] (a row
// per (o, a)), reads its run [start_t, start_t + size_t) of the input's axis (the sizes come from
// the inferred output shapes). One kernel per output.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { kernelSource, splitZ, type GpuKernel, type GpuKernelFactory } from './kernel.js';

export const sliceKernel: GpuKernelFactory<NodeOf<'Slice'>> = (node, [shape], outShapes) => {
  const { axis } = node.attrs;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  let start = 0;
  return outShapes.map((out): GpuKernel => {
    const size = out[axis];
    const kernel: GpuKernel = {
      source: kernelSource(1, `  ${splitZ(size, 'o', 'a')}\n  return x0[(o * ${shape[axis]} + ${start} + a) * ${inner} + this.thread.x];`),
      output: [inner, 1, outer * size],
      constants: {},
    };
    start += size;
    return kernel;
  });
};
