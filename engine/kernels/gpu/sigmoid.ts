// Sigmoid: y = 1 / (1 + exp(-x)).

import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const sigmoidKernel: GpuKernelFactory<'sigmoid'> = ({ inShapes: [shape] }) =>
  [elementwiseKernel(planeGrid(shape), 'v = 1 / (1 + Math.exp(-v));')];
