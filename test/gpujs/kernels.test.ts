// Every gpu.js kernel on the CPU kernel tests' problems, in each gpu.js mode Node has (webasm:
// WebAssembly SIMD, cpu: JavaScript): against the CPU kernel (1e-4 relative) and the float64
// reference (1e-4 * max(1, |want|)). The convolution cases run through the kernel table (which
// picks pointwise, depthwise 3x3 or general), and through the general kernel and each special
// one directly.

import { describe, expect, it } from 'vitest';
import type { NodeOf } from '../../engine/graph/ops.js';
import { convKernel } from '../../engine/kernels/gpu/conv.js';
import { convDepthwise3x3Kernel } from '../../engine/kernels/gpu/conv-depthwise3x3.js';
import { convPointwiseKernel } from '../../engine/kernels/gpu/conv-pointwise.js';
import { convKernelFor } from '../../engine/kernels/gpu/conv-select.js';
import type { GpuKernelFactory } from '../../engine/kernels/gpu/kernel.js';
import { check, CONV_CASES, convProblem, kernelProblems, prng, type ConvCase } from '../kernels/reference.js';
import { NODE_MODES, viaGpujs } from './harness.js';

describe.each(NODE_MODES)('gpu.js %s', (mode) => {
  for (const [op, problems] of Object.entries(kernelProblems(prng(29)))) {
    describe(op, () => {
      for (const { label, node, inputs } of problems) it(label, () => { check(viaGpujs(mode), node, inputs); });
    });
  }

  const rand = prng(31);
  const convs = (name: string, cases: ConvCase[], factory?: GpuKernelFactory<NodeOf<'Conv'>>) => describe(name, () => {
    for (const p of cases) {
      const { label, node, inputs } = convProblem(rand, p);
      it(label, () => { check(viaGpujs(mode, factory as GpuKernelFactory | undefined), node, inputs); });
    }
  });
  convs('Conv (kernel table)', [...CONV_CASES.general, ...CONV_CASES.depthwise3x3, ...CONV_CASES.pointwise]);
  convs('Conv general', [...CONV_CASES.depthwise3x3, ...CONV_CASES.pointwise], convKernel);
  convs('Conv depthwise 3x3', CONV_CASES.depthwise3x3, convDepthwise3x3Kernel);
  convs('Conv pointwise', CONV_CASES.pointwise, convPointwiseKernel);
});

describe('Conv selection', () => {
  const picks = (p: ConvCase) => convKernelFor(convProblem(prng(1), p).node, [[1, p.c, p.h, p.w]]);
  it('takes the depthwise 3x3 kernel for group == in == out channels, 3x3, dilation 1, any stride', () => {
    expect(picks(CONV_CASES.depthwise3x3[1])).toBe(convDepthwise3x3Kernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 2] })).toBe(convDepthwise3x3Kernel);
    expect(picks({ c: 4, o: 8, h: 9, w: 9, k: [3, 3], group: 4 })).toBe(convKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, dilation: [2, 2] })).toBe(convKernel);
  });
  it('takes the pointwise kernel for 1x1, stride 1, no pad, one group; the general one otherwise', () => {
    expect(picks(CONV_CASES.pointwise[0])).toBe(convPointwiseKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [1, 1], stride: [2, 2] })).toBe(convKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [1, 1], pad: [0, 0, 1, 0] })).toBe(convKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [1, 1], group: 2 })).toBe(convKernel);
    expect(picks(CONV_CASES.general[0])).toBe(convKernel);
  });
});
