// Elu: y = x > 0 ? x : alpha * (exp(x) - 1) (the shared activation code).

import { activationCode } from './activation.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const eluKernel: GpuKernelFactory<'elu'> = ({ alpha, inShapes: [shape] }) =>
  [elementwiseKernel(planeGrid(shape), activationCode({ kind: 'elu', alpha }, 'c').code)];
