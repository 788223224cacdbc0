// PRelu: y = x > 0 ? x : slope[c] * x, c along axis 1 (one shared slope when it has length 1).

import type { NodeOf } from '../../graph/ops.js';
import { activationCode } from './activation.js';
import { elementwiseKernel } from './elementwise.js';
import { planeGrid, type GpuKernelFactory } from './kernel.js';

export const preluKernel: GpuKernelFactory<NodeOf<'PRelu'>> = (node, [shape]) => {
  const channels = shape[1];
  const { code, constants } = activationCode({ kind: 'prelu' }, node.weights.slope.data, channels, 'c');
  return [elementwiseKernel(planeGrid(shape), code, { channels, constants })];
};
