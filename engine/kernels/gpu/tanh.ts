// TanH: y = tanh(x).

import type { NodeOf } from '../../graph/ops.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const tanhKernel: GpuKernelFactory<NodeOf<'TanH'>> = (_, [shape]) =>
  [elementwiseKernel(planeGrid(shape), 'v = Math.tanh(v);')];
