// BatchNorm (inference) along axis 1: y = (x - mean[c]) / sqrt(variance[c] + eps), which is
// the per-channel affine map y = a[c] * x + b[c] with a = 1 / sqrt(variance + eps) and
// b = -mean * a: computed here once, then run by the Scale kernel.

import type { NodeOf } from '../../graph/ops.js';
import type { GpuKernelFactory } from './kernel.js';
import { scaleKernel } from './scale.js';

export const batchNormKernel: GpuKernelFactory<NodeOf<'BatchNorm'>> = (node, inShapes, outShapes) => {
  const mean = node.weights.mean.data;
  const variance = node.weights.variance.data;
  const a = new Float32Array(mean.length);
  const b = new Float32Array(mean.length);
  for (let c = 0; c < mean.length; c++) {
    const inv = 1 / Math.sqrt(variance[c] + node.attrs.eps);
    a[c] = inv;
    b[c] = -mean[c] * inv;
  }
  const shape = [mean.length];
  return scaleKernel({
    name: node.name, inputs: node.inputs, outputs: node.outputs, op: 'Scale', attrs: { axis: 1 },
    weights: { scale: { shape, data: a }, bias: { shape, data: b } },
  }, inShapes, outShapes);
};
