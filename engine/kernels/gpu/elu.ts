// Elu: y = x > 0 ? x : alpha * (exp(x) - 1) (the shared activation code).

import type { NodeOf } from '../../graph/ops.js';
import { activationCode } from './activation.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const eluKernel: GpuKernelFactory<NodeOf<'Elu'>> = (node, [shape]) =>
  [elementwiseKernel(planeGrid(shape), activationCode({ kind: 'elu', alpha: node.attrs.alpha }, undefined, 1, 'c').code)];
