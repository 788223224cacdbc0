// The SIMD backend's kernel table: for each variant, its generator, or undefined where there is
// none (the CPU kernel then runs the node over the same memory, reported as a fallback: Power and
// Clamp, and the copies of Concat and Slice). TypeScript rejects the table if a variant is
// missing. The lowering (lower/) chose each node's variant; this only maps it.

import type { KernelNode, Variant } from '../../lower/kernel-node.js';
import { activationNode } from './activation-node.js';
import { convDepthwise3x3 } from './conv-depthwise3x3.js';
import { convDirect } from './conv-direct.js';
import { convIm2col } from './conv-im2col.js';
import { convPointwise } from './conv-pointwise.js';
import { convWinograd } from './conv-winograd.js';
import { eltwise } from './eltwise.js';
import { innerProduct } from './inner-product.js';
import type { SimdKernel, SimdKernelFactory } from './kernel.js';
import { pool } from './pool.js';
import { scale } from './scale.js';
import { softmax } from './softmax.js';
import { view } from './view.js';

export const SIMD_KERNELS: { [V in Variant]: SimdKernelFactory<V> | undefined } = {
  'conv-pointwise': convPointwise,
  'conv-depthwise3x3s1': convDepthwise3x3,
  'conv-depthwise3x3': convDepthwise3x3,
  'conv-winograd': convWinograd,
  'conv-direct': convDirect,
  'conv-im2col': convIm2col,
  'inner-product': innerProduct,
  'pool-max': pool,
  'pool-ave': pool,
  'scale': scale,
  'eltwise-sum2': eltwise,
  'eltwise': eltwise,
  'relu': activationNode,
  'prelu': activationNode,
  'elu': activationNode,
  'sigmoid': activationNode,
  'tanh': activationNode,
  'power': undefined,
  'clamp': undefined,
  'softmax': softmax,
  'concat': undefined,
  'slice': undefined,
  'view': view,
};

/** The SIMD kernel of a kernel node, or undefined when the table has none. */
export function simdKernel(k: KernelNode): SimdKernel | undefined {
  return (SIMD_KERNELS[k.variant] as SimdKernelFactory | undefined)?.(k);
}
