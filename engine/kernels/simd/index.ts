// The SIMD backend's kernel table: for each variant, its generator, or undefined where there is
// none yet (the CPU kernel then runs the node over the same memory, reported as a fallback).
// TypeScript rejects the table if a variant is missing. The lowering (lower/) chose each node's
// variant; this only maps it.

import type { KernelNode, Variant } from '../../lower/kernel-node.js';
import { convDepthwise3x3 } from './conv-depthwise3x3.js';
import { convIm2col } from './conv-im2col.js';
import { convPointwise } from './conv-pointwise.js';
import { eltwise } from './eltwise.js';
import type { SimdKernel, SimdKernelFactory } from './kernel.js';
import { poolMax2x2 } from './pool-max2x2.js';
import { scale } from './scale.js';
import { view } from './view.js';

export const SIMD_KERNELS: { [V in Variant]: SimdKernelFactory<V> | undefined } = {
  'conv-pointwise': convPointwise,
  'conv-depthwise3x3s1': convDepthwise3x3,
  'conv-depthwise3x3': convDepthwise3x3,
  'conv-im2col': convIm2col,
  'conv-direct': undefined,
  'inner-product': undefined,
  'pool-max2x2s2': poolMax2x2,
  'pool-max': undefined,
  'pool-ave': undefined,
  'scale': scale,
  'eltwise-sum2': eltwise,
  'eltwise': eltwise,
  'relu': undefined,
  'prelu': undefined,
  'elu': undefined,
  'sigmoid': undefined,
  'tanh': undefined,
  'power': undefined,
  'clamp': undefined,
  'softmax': undefined,
  'concat': undefined,
  'slice': undefined,
  'view': view,
};

/** The SIMD kernel of a kernel node, or undefined when the table has none or its generator cannot express the node. */
export function simdKernel(k: KernelNode): SimdKernel | undefined {
  return (SIMD_KERNELS[k.variant] as SimdKernelFactory | undefined)?.(k);
}
