// The gpu.js backend's kernel table: kernels for every variant (TypeScript rejects the table if
// one is missing: gpu.js runs the whole graph as one pipeline, which cannot hand a step to the
// CPU). The lowering (lower/) chose each node's variant; this only maps it.

import type { KernelNode, Variant } from '../../lower/kernel-node.js';
import { clampKernel } from './clamp.js';
import { concatKernel } from './concat.js';
import { convKernel } from './conv.js';
import { convDepthwise3x3Kernel } from './conv-depthwise3x3.js';
import { convPointwiseKernel } from './conv-pointwise.js';
import { eltwiseKernel } from './eltwise.js';
import { eluKernel } from './elu.js';
import { innerProductKernel } from './inner-product.js';
import type { GpuKernel, GpuKernelFactory } from './kernel.js';
import { poolKernel } from './pool.js';
import { powerKernel } from './power.js';
import { preluKernel } from './prelu.js';
import { reluKernel } from './relu.js';
import { scaleKernel } from './scale.js';
import { sigmoidKernel } from './sigmoid.js';
import { sliceKernel } from './slice.js';
import { softmaxKernel } from './softmax.js';
import { tanhKernel } from './tanh.js';
import { viewKernel } from './view.js';

export const GPU_KERNELS: { [V in Variant]: GpuKernelFactory<V> } = {
  'conv-pointwise': convPointwiseKernel,
  'conv-depthwise3x3s1': convDepthwise3x3Kernel,
  'conv-depthwise3x3': convDepthwise3x3Kernel,
  'conv-winograd': convKernel,
  'conv-direct': convKernel,
  'conv-im2col': convKernel,
  'inner-product': innerProductKernel,
  'pool-max': poolKernel,
  'pool-ave': poolKernel,
  'scale': scaleKernel,
  'eltwise-sum2': eltwiseKernel,
  'eltwise': eltwiseKernel,
  'relu': reluKernel,
  'prelu': preluKernel,
  'elu': eluKernel,
  'sigmoid': sigmoidKernel,
  'tanh': tanhKernel,
  'power': powerKernel,
  'clamp': clampKernel,
  'softmax': softmaxKernel,
  'concat': concatKernel,
  'slice': sliceKernel,
  'view': viewKernel,
};

/** The kernels of a kernel node, one per output (at plan time). */
export function gpuKernels(k: KernelNode): GpuKernel[] {
  return (GPU_KERNELS[k.variant] as GpuKernelFactory)(k);
}
