// Reshape, Flatten, Dropout (inference) and Split: each output is a copy of input 0.

import type { NodeOf } from '../../graph/ops.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const copyKernel: GpuKernelFactory<NodeOf<'Reshape' | 'Flatten' | 'Dropout' | 'Split'>> = (_, __, outShapes) =>
  outShapes.map((shape) => elementwiseKernel(planeGrid(shape), ''));
