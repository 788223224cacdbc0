// The SIMD backend's kernel table: the generator for each node it has one for; undefined
// sends the node to its CPU kernel.

import type { Node, Shape } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { activationNode } from './activation-node.js';
import { convDepthwise3x3 } from './conv-depthwise3x3.js';
import { convDirect } from './conv-direct.js';
import { convIm2col } from './conv-im2col.js';
import { convPointwise } from './conv-pointwise.js';
import { eltwise } from './eltwise.js';
import { innerProduct } from './inner-product.js';
import type { SimdKernel } from './kernel.js';
import { pool } from './pool.js';
import { scale } from './scale.js';
import { softmax } from './softmax.js';

function conv(node: NodeOf<'Conv'>, inShapes: Shape[], outShapes: Shape[]): SimdKernel | undefined {
  const { kernel, stride, pad, dilation, group, outChannels } = node.attrs;
  const channels = inShapes[0][1];
  const ones = (pair: number[]) => pair.every((v) => v === 1);
  if (kernel[0] === 1 && kernel[1] === 1 && ones(stride) && pad.every((p) => p === 0) && group === 1) {
    return convPointwise(node, inShapes, outShapes);
  }
  if (kernel[0] === 3 && kernel[1] === 3 && ones(dilation) && group === channels && outChannels === channels) {
    const depthwise = convDepthwise3x3(node, inShapes, outShapes);
    if (depthwise) return depthwise;
  }
  // Direct reads every tap in place, but runs its tiles along one output row: rows shorter than
  // two tiles leave much of the last one empty, and im2col's tiles run across rows instead.
  return outShapes[0][3] >= 16 ? convDirect(node, inShapes, outShapes) : convIm2col(node, inShapes, outShapes);
}

export function simdKernel(node: Node, inShapes: Shape[], outShapes: Shape[]): SimdKernel | undefined {
  switch (node.op) {
    case 'Conv': return conv(node, inShapes, outShapes);
    case 'Eltwise': return eltwise(node, inShapes, outShapes);
    case 'Pool': return pool(node, inShapes, outShapes);
    case 'Scale': return scale(node, inShapes, outShapes);
    case 'InnerProduct': return innerProduct(node, inShapes, outShapes);
    case 'Softmax': return softmax(node, inShapes, outShapes);
    case 'Relu': case 'PRelu': case 'Elu': case 'Sigmoid': case 'TanH': return activationNode(node, inShapes, outShapes);
    default: return undefined;
  }
}
