// Scale: y = x * scale[s] + bias[s], s running over the dims [axis, axis + scale.ndim) of x: the
// value seen as outer x S x inner, on the grid [inner, 1, outer*S], s is the row's channel.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { elementwiseKernel } from './elementwise.js';
import type { GpuKernelFactory } from './kernel.js';

export const scaleKernel: GpuKernelFactory<NodeOf<'Scale'>> = (node, [shape]) => {
  const { axis } = node.attrs;
  const scale = node.weights.scale.data;
  const bias = node.weights.bias?.data ?? new Float32Array(scale.length);
  const inner = sizeOf(shape.slice(axis + node.weights.scale.shape.length));
  return [elementwiseKernel([inner, 1, sizeOf(shape.slice(0, axis)) * scale.length],
    'v = v * this.constants.scale[c] + this.constants.bias[c];', { channels: scale.length, constants: { scale, bias } })];
};
