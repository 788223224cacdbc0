// The SIMD general convolutions against the float64 reference, each case through both the
// direct kernel (conv-direct.ts) and the banded im2col (conv-im2col.ts): any kernel, stride,
// pad, dilation and groups, channel counts that are not multiples of 4, batches, every fused
// activation. The cases are plain data.

import { describe, it } from 'vitest';
import type { NodeOf } from '../../engine/graph/ops.js';
import { convDirect } from '../../engine/kernels/simd/conv-direct.js';
import { convIm2col } from '../../engine/kernels/simd/conv-im2col.js';
import type { SimdKernelFactory } from '../../engine/kernels/simd/kernel.js';
import { check, convProblem, prng, type ConvCase } from '../kernels/reference.js';
import { ACTIVATIONS, viaSimdKernel } from './harness.js';

export const GENERAL_CONV_CASES: ConvCase[] = [
  // MTCNN's shapes: P-Net (3, 10 and 16 channels in), R-Net, O-Net, with their PReLU.
  { c: 3, o: 10, h: 40, w: 67, k: [3, 3], act: { kind: 'prelu' } },
  { c: 10, o: 16, h: 19, w: 33, k: [3, 3], act: { kind: 'prelu' } },
  { c: 16, o: 32, h: 17, w: 31, k: [3, 3], act: { kind: 'prelu' } },
  { n: 3, c: 3, o: 28, h: 24, w: 24, k: [3, 3], act: { kind: 'prelu' } },
  { n: 2, c: 28, o: 48, h: 11, w: 11, k: [3, 3], act: { kind: 'prelu' } },
  { n: 2, c: 48, o: 64, h: 4, w: 4, k: [2, 2], act: { kind: 'prelu' } },
  { n: 2, c: 64, o: 128, h: 4, w: 4, k: [2, 2], act: { kind: 'prelu' }, sharedSlope: true },
  // RMNet's stem, and odd sizes, strides, pads and dilations.
  { c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], act: { kind: 'relu', negativeSlope: 0 } },
  { n: 2, c: 3, o: 5, h: 13, w: 15, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 4, o: 6, h: 13, w: 15, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 3, o: 4, h: 7, w: 9, k: [5, 3], stride: [2, 1], pad: [2, 1, 0, 3] },
  { c: 5, o: 7, h: 11, w: 40, k: [3, 4], stride: [1, 3], pad: [1, 2, 1, 0] },
  { c: 2, o: 3, h: 9, w: 37, k: [2, 5], stride: [3, 4], pad: [0, 3, 1, 4] },
  { c: 4, o: 4, h: 13, w: 13, k: [3, 3], dilation: [2, 2], pad: [2, 2, 2, 2] },
  { n: 3, c: 5, o: 3, h: 15, w: 13, k: [3, 3], dilation: [2, 2], stride: [2, 2], pad: [0, 1, 2, 3] },
  { c: 3, o: 6, h: 12, w: 50, k: [3, 3], dilation: [1, 3], pad: [1, 3, 1, 3] },
  { c: 8, o: 6, h: 13, w: 15, k: [1, 1], stride: [2, 2] },
  { c: 7, o: 9, h: 9, w: 35, k: [1, 1], pad: [1, 2, 0, 1] },
  { n: 3, c: 3, o: 4, h: 8, w: 8, k: [2, 2], stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 2, o: 3, h: 5, w: 5, k: [5, 5] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: false },
  { c: 2, o: 3, h: 2, w: 2, k: [5, 5], pad: [3, 3, 0, 0] },
  { c: 1, o: 1, h: 6, w: 6, k: [3, 3] },
  { c: 1, o: 1, h: 1, w: 1, k: [1, 1] },
  { c: 2, o: 5, h: 3, w: 300, k: [1, 3], pad: [0, 1, 0, 1] },
  { c: 10, o: 16, h: 12, w: 12, k: [3, 3] },
  { c: 13, o: 9, h: 70, w: 45, k: [3, 3], pad: [1, 1, 1, 1] },
  // Groups: two, three, and depthwise ones the 3x3 kernel does not take (5x5, dilated, stride 3).
  { c: 6, o: 4, h: 9, w: 7, k: [3, 3], group: 2, pad: [1, 1, 1, 1] },
  { n: 2, c: 6, o: 9, h: 11, w: 34, k: [3, 2], dilation: [2, 1], group: 3, pad: [1, 0, 2, 1], act: { kind: 'prelu' } },
  { c: 8, o: 8, h: 13, w: 15, k: [5, 5], group: 8, pad: [2, 2, 2, 2] },
  { c: 6, o: 12, h: 9, w: 33, k: [3, 3], group: 6, dilation: [2, 2], pad: [2, 2, 2, 2], act: { kind: 'elu', alpha: 1 } },
  { c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 3] },
  // Every fused activation (ELU with alpha below, at and above 1; shared and per-channel PReLU).
  ...ACTIVATIONS.map((a): ConvCase => ({ n: 2, c: 4, o: 6, h: 9, w: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ...a })),
  ...ACTIVATIONS.map((a): ConvCase => ({ c: 5, o: 9, h: 7, w: 37, k: [3, 3], pad: [0, 1, 2, 1], ...a })),
];

const rand = prng(23);

const only = (factory: SimdKernelFactory<NodeOf<'Conv'>>): SimdKernelFactory =>
  (node, inShapes, outShapes) => (node.op === 'Conv' ? factory(node, inShapes, outShapes) : undefined);

for (const [name, factory] of [['direct', convDirect], ['banded im2col', convIm2col]] as const) {
  describe(`SIMD general convolution (${name})`, () => {
    for (const p of GENERAL_CONV_CASES) {
      const { label, node, inputs } = convProblem(rand, p);
      it(label, () => check(viaSimdKernel(only(factory)), node, inputs));
    }
  });
}
