// Clamp: y = min(max(x, min), max).

import type { NodeOf } from '../../graph/ops.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const clampKernel: GpuKernelFactory<NodeOf<'Clamp'>> = (node, [shape]) =>
  [elementwiseKernel(planeGrid(shape), `v = Math.min(Math.max(v, ${node.attrs.min}), ${node.attrs.max});`)];
