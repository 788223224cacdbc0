// Picks a Conv node's kernel: the pointwise (1x1) or depthwise 3x3 special case when its
// attributes and shapes allow, the general convolution otherwise.

import type { Shape } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { convKernel } from './conv.js';
import { convDepthwise3x3Kernel } from './conv-depthwise3x3.js';
import { convPointwiseKernel } from './conv-pointwise.js';
import type { GpuKernelFactory } from './kernel.js';

export function convKernelFor(node: NodeOf<'Conv'>, inShapes: Shape[]): GpuKernelFactory<NodeOf<'Conv'>> {
  const { kernel, stride, pad, dilation, group, outChannels } = node.attrs;
  const channels = inShapes[0][1];
  if (kernel[0] === 1 && kernel[1] === 1 && stride[0] === 1 && stride[1] === 1 && pad.every((p) => p === 0) && group === 1) {
    return convPointwiseKernel;
  }
  if (kernel[0] === 3 && kernel[1] === 3 && dilation[0] === 1 && dilation[1] === 1 && group === channels && outChannels === channels) {
    return convDepthwise3x3Kernel;
  }
  return convKernel;
}
