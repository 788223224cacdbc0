// TanH: y = tanh(x).

import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const tanhKernel: GpuKernelFactory<'tanh'> = ({ inShapes: [shape] }) =>
  [elementwiseKernel(planeGrid(shape), 'v = Math.tanh(v);')];
