// Picks a Conv node's kernel: the pointwise (1x1) or depthwise 3x3 (stride 1, or any stride)
// special case when its attributes and shapes allow; otherwise the im2col matrix product for one
// group, the general (direct) convolution for several.

import type { Shape } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { convKernel } from './conv.js';
import { convDepthwise3x3Kernel } from './conv-depthwise3x3.js';
import { convDepthwise3x3s1Kernel } from './conv-depthwise3x3s1.js';
import { convIm2colKernel } from './conv-im2col.js';
import { convPointwiseKernel } from './conv-pointwise.js';
import type { CpuKernelFactory } from './kernel.js';

export function convKernelFor(node: NodeOf<'Conv'>, inShapes: Shape[]): CpuKernelFactory<NodeOf<'Conv'>> {
  const { kernel, stride, pad, dilation, group, outChannels } = node.attrs;
  const channels = inShapes[0][1];
  const unpadded = pad.every((p) => p === 0);
  if (kernel[0] === 1 && kernel[1] === 1 && stride[0] === 1 && stride[1] === 1 && unpadded && group === 1) {
    return convPointwiseKernel;
  }
  if (kernel[0] === 3 && kernel[1] === 3 && dilation[0] === 1 && dilation[1] === 1
    && group === channels && outChannels === channels) {
    return stride[0] === 1 && stride[1] === 1 ? convDepthwise3x3s1Kernel : convDepthwise3x3Kernel;
  }
  if (group === 1) return convIm2colKernel;
  return convKernel;
}
