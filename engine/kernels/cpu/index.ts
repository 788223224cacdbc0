// The CPU backend's kernel table: a kernel for every variant (TypeScript rejects the table if
// one is missing). The lowering (lower/) chose each node's variant; this only maps it.

import type { KernelNode, Variant } from '../../lower/kernel-node.js';
import { clampKernel } from './clamp.js';
import { concatKernel } from './concat.js';
import { convDepthwise3x3Kernel } from './conv-depthwise3x3.js';
import { convDepthwise3x3s1Kernel } from './conv-depthwise3x3s1.js';
import { convGeneralKernel } from './conv-general.js';
import { convPointwiseKernel } from './conv-pointwise.js';
import { convWinogradKernel } from './conv-winograd.js';
import { eltwiseKernel } from './eltwise.js';
import { eltwiseSum2Kernel } from './eltwise-sum2.js';
import { eluKernel } from './elu.js';
import { innerProductKernel } from './inner-product.js';
import type { CpuKernel, CpuKernelFactory } from './kernel.js';
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

export const CPU_KERNELS: { [V in Variant]: CpuKernelFactory<V> } = {
  'conv-pointwise': convPointwiseKernel,
  'conv-depthwise3x3s1': convDepthwise3x3s1Kernel,
  'conv-depthwise3x3': convDepthwise3x3Kernel,
  'conv-winograd': convWinogradKernel,
  'conv-direct': convGeneralKernel,
  'conv-im2col': convGeneralKernel,
  'inner-product': innerProductKernel,
  'pool-max': poolKernel,
  'pool-ave': poolKernel,
  'scale': scaleKernel,
  'eltwise-sum2': eltwiseSum2Kernel,
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

/** Builds the CPU kernel of a kernel node (at plan time). */
export function cpuKernel(k: KernelNode): CpuKernel {
  return (CPU_KERNELS[k.variant] as CpuKernelFactory)(k);
}
