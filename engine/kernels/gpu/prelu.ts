// PRelu: y = x > 0 ? x : slope[c] * x, on the grid [inner, 1, planes] (c = plane mod channels).

import { sizeOf } from '../../graph/graph.js';
import { activationCode } from './activation.js';
import { elementwiseKernel } from './elementwise.js';
import type { GpuKernelFactory } from './kernel.js';

export const preluKernel: GpuKernelFactory<'prelu'> = ({ channels, inner, slope, inShapes: [shape] }) => {
  const { code, constants } = activationCode({ kind: 'prelu', slope }, 'c');
  return [elementwiseKernel([inner, 1, sizeOf(shape) / inner], code, { channels, constants })];
};
