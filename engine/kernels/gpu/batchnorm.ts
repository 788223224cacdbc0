// BatchNorm (inference) along axis 1: y = (x - mean[c]) / sqrt(variance[c] + eps) is the
// per-channel affine map the Scale kernel runs (the fold-batchnorm pass computes it).

import { batchNormAsScale } from '../../graph/passes/fold-batchnorm.js';
import type { NodeOf } from '../../graph/ops.js';
import type { GpuKernelFactory } from './kernel.js';
import { scaleKernel } from './scale.js';

export const batchNormKernel: GpuKernelFactory<NodeOf<'BatchNorm'>> = (node, inShapes, outShapes) =>
  scaleKernel(batchNormAsScale(node), inShapes, outShapes);
