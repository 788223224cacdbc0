// The SIMD backend's kernel table: the generator for each node it has one for; undefined
// sends the node to its CPU kernel.

import type { Node, Shape } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { convDepthwise3x3 } from './conv-depthwise3x3.js';
import { convIm2col } from './conv-im2col.js';
import { convPointwise } from './conv-pointwise.js';
import { eltwise } from './eltwise.js';
import type { SimdKernel } from './kernel.js';
import { poolMax2x2 } from './pool-max2x2.js';
import { scale } from './scale.js';

function conv(node: NodeOf<'Conv'>, inShapes: Shape[], outShapes: Shape[]): SimdKernel | undefined {
  const { kernel, stride, pad, dilation, group, outChannels } = node.attrs;
  const channels = inShapes[0][1];
  const ones = (pair: number[]) => pair.every((v) => v === 1);
  if (kernel[0] === 1 && kernel[1] === 1 && ones(stride) && pad.every((p) => p === 0) && group === 1) {
    return convPointwise(node, inShapes, outShapes);
  }
  if (kernel[0] === 3 && kernel[1] === 3 && ones(dilation) && group === channels && outChannels === channels) {
    return convDepthwise3x3(node, inShapes, outShapes);
  }
  return convIm2col(node, inShapes, outShapes);
}

export function simdKernel(node: Node, inShapes: Shape[], outShapes: Shape[]): SimdKernel | undefined {
  switch (node.op) {
    case 'Conv': return conv(node, inShapes, outShapes);
    case 'Eltwise': return eltwise(node, inShapes, outShapes);
    case 'Pool': return poolMax2x2(node, inShapes, outShapes);
    case 'Scale': return scale(node, inShapes, outShapes);
    default: return undefined;
  }
}
