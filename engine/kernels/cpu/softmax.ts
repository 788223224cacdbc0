// Softmax along axis (x walked as outer x C x inner): y = exp(x - max) / sum exp(x - max),
// the max taken over the axis so exp never overflows. The running max and sum of the inner
// positions live in buffers allocated at plan time, so every pass reads x contiguously.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import type { CpuKernelFactory } from './kernel.js';

export const softmaxKernel: CpuKernelFactory<NodeOf<'Softmax'>> = (node, inShapes) => {
  const shape = inShapes[0];
  const { axis } = node.attrs;
  const outer = sizeOf(shape.slice(0, axis));
  const C = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const max = new Float64Array(inner);
  const sum = new Float64Array(inner);
  return ([x], [y]) => {
    for (let o = 0; o < outer; o++) {
      const base = o * C * inner;
      for (let i = 0; i < inner; i++) max[i] = x[base + i];
      for (let c = 1; c < C; c++) {
        for (let i = 0, j = base + c * inner; i < inner; i++, j++) if (x[j] > max[i]) max[i] = x[j];
      }
      sum.fill(0);
      for (let c = 0; c < C; c++) {
        for (let i = 0, j = base + c * inner; i < inner; i++, j++) {
          const e = Math.exp(x[j] - max[i]);
          y[j] = e;
          sum[i] += e;
        }
      }
      for (let c = 0; c < C; c++) {
        for (let i = 0, j = base + c * inner; i < inner; i++, j++) y[j] /= sum[i];
      }
    }
  };
};
