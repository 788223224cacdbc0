// Relu: y = x > 0 ? x : negativeSlope * x (the shared activation code).

import { activationCode } from './activation.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const reluKernel: GpuKernelFactory<'relu'> = ({ negativeSlope, inShapes: [shape] }) =>
  [elementwiseKernel(planeGrid(shape), activationCode({ kind: 'relu', negativeSlope }, 'c').code)];
