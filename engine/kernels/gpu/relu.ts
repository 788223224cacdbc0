// Relu: y = x > 0 ? x : negativeSlope * x (the shared activation code).

import type { NodeOf } from '../../graph/ops.js';
import { activationCode } from './activation.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const reluKernel: GpuKernelFactory<NodeOf<'Relu'>> = (node, [shape]) =>
  [elementwiseKernel(planeGrid(shape), activationCode({ kind: 'relu', negativeSlope: node.attrs.negativeSlope }, undefined, 1, 'c').code)];
