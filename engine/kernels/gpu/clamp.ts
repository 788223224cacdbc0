// Clamp: y = min(max(x, min), max).

import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const clampKernel: GpuKernelFactory<'clamp'> = ({ min, max, inShapes: [shape] }) =>
  [elementwiseKernel(planeGrid(shape), `v = Math.min(Math.max(v, ${min}), ${max});`)];
