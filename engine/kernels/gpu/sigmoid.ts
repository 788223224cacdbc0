// Sigmoid: y = 1 / (1 + exp(-x)).

import type { NodeOf } from '../../graph/ops.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const sigmoidKernel: GpuKernelFactory<NodeOf<'Sigmoid'>> = (_, [shape]) =>
  [elementwiseKernel(planeGrid(shape), 'v = 1 / (1 + Math.exp(-v));')];
