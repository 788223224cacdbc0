// Scale (and BatchNorm, lowered to one): x seen as outer x channels x inner, on the grid
// [inner, 1, outer*channels]: y = x * scale[c] + bias[c], c the row's channel.

import { elementwiseKernel } from './elementwise.js';
import type { GpuKernelFactory } from './kernel.js';

export const scaleKernel: GpuKernelFactory<'scale'> = ({ outer, channels, inner, scale, bias }) =>
  [elementwiseKernel([inner, 1, outer * channels], 'v = v * this.constants.scale[c] + this.constants.bias[c];',
    { channels, constants: { scale, bias } })];
