// Conv: the general kernel, the im2col matrix product, the depthwise 3x3 (any stride, stride 1)
// and pointwise specialisations, and the selector.

import { describe, expect, it } from 'vitest';
import type { Activation, NodeOf } from '../../engine/graph/ops.js';
import { convKernel } from '../../engine/kernels/cpu/conv.js';
import { convDepthwise3x3Kernel } from '../../engine/kernels/cpu/conv-depthwise3x3.js';
import { convDepthwise3x3s1Kernel } from '../../engine/kernels/cpu/conv-depthwise3x3s1.js';
import { convIm2colKernel } from '../../engine/kernels/cpu/conv-im2col.js';
import { convPointwiseKernel } from '../../engine/kernels/cpu/conv-pointwise.js';
import { convKernelFor } from '../../engine/kernels/cpu/conv-select.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import type { CpuKernelFactory } from '../../engine/kernels/cpu/kernel.js';
import { check, makeNode, prng, tensor } from './reference.js';

interface Case {
  n?: number; c: number; h: number; w: number; o: number; k: [number, number];
  stride?: [number, number]; pad?: [number, number, number, number]; dilation?: [number, number];
  group?: number; bias?: boolean; act?: Activation; sharedSlope?: boolean;
}

const ACTIVATIONS: Pick<Case, 'act' | 'sharedSlope'>[] = [
  { act: { kind: 'none' } },
  { act: { kind: 'relu', negativeSlope: 0 } },
  { act: { kind: 'relu', negativeSlope: 0.1 } },
  { act: { kind: 'elu', alpha: 1 } },
  { act: { kind: 'elu', alpha: 0.3 } },
  { act: { kind: 'prelu' } },
  { act: { kind: 'prelu' }, sharedSlope: true },
];

const rand = prng(7);

function label(p: Case): string {
  const act = `${JSON.stringify(p.act ?? { kind: 'none' })}${p.sharedSlope ? ' shared slope' : ''}`;
  return `[${p.n ?? 1},${p.c},${p.h},${p.w}] -> ${p.o} k${p.k} s${p.stride ?? [1, 1]} pad${p.pad ?? [0, 0, 0, 0]}`
    + ` d${p.dilation ?? [1, 1]} g${p.group ?? 1}${p.bias === false ? ' nobias' : ''} ${act}`;
}

function convCase(p: Case) {
  const group = p.group ?? 1;
  const act = p.act ?? { kind: 'none' };
  // Weights ~ 1/sqrt(fan-in) keep the outputs O(1), so the tolerance is meaningful.
  const bound = 1 / Math.sqrt((p.c / group) * p.k[0] * p.k[1]);
  const node: NodeOf<'Conv'> = makeNode('Conv', {
    kernel: p.k, stride: p.stride ?? [1, 1], pad: p.pad ?? [0, 0, 0, 0], dilation: p.dilation ?? [1, 1],
    outChannels: p.o, group, activation: act,
  }, {
    weight: tensor(rand, [p.o, p.c / group, ...p.k], -bound, bound),
    ...(p.bias === false ? {} : { bias: tensor(rand, [p.o], -0.5, 0.5) }),
    ...(act.kind === 'prelu' ? { slope: tensor(rand, [p.sharedSlope ? 1 : p.o], 0, 0.5) } : {}),
  });
  return { node, input: tensor(rand, [p.n ?? 1, p.c, p.h, p.w]) };
}

function run(factory: CpuKernelFactory<NodeOf<'Conv'>>, cases: Case[]): void {
  for (const p of cases) {
    it(label(p), () => {
      const { node, input } = convCase(p);
      check(factory, node, [input]);
    });
  }
}

const GENERAL: Case[] = [
  { n: 2, c: 3, o: 5, h: 13, w: 15, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 4, o: 6, h: 13, w: 15, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 3, o: 4, h: 7, w: 9, k: [5, 3], stride: [2, 1], pad: [2, 1, 0, 3] },
  { c: 4, o: 4, h: 13, w: 13, k: [3, 3], dilation: [2, 2], pad: [2, 2, 2, 2] },
  { n: 3, c: 5, o: 3, h: 15, w: 13, k: [3, 3], dilation: [2, 2], stride: [2, 2], pad: [0, 1, 2, 3] },
  { c: 6, o: 4, h: 9, w: 7, k: [3, 3], group: 2, pad: [1, 1, 1, 1] },
  { c: 6, o: 9, h: 11, w: 10, k: [3, 2], dilation: [2, 1], group: 3, pad: [1, 0, 2, 1] },
  { c: 8, o: 6, h: 13, w: 15, k: [1, 1], stride: [2, 2] },
  { n: 3, c: 3, o: 4, h: 8, w: 8, k: [2, 2], stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 2, o: 3, h: 5, w: 5, k: [5, 5] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: true },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: false },
  // Shapes the specialised kernels would take.
  { n: 2, c: 8, o: 8, h: 13, w: 15, k: [3, 3], group: 8, stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 6, o: 6, h: 7, w: 9, k: [3, 3], group: 6, pad: [0, 1, 1, 0] },
  { n: 2, c: 16, o: 13, h: 7, w: 9, k: [1, 1], bias: false },
  { c: 32, o: 64, h: 32, w: 32, k: [1, 1] },
  ...ACTIVATIONS.map((a): Case => ({ n: 2, c: 4, o: 6, h: 9, w: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ...a })),
];

const IM2COL: Case[] = [
  ...GENERAL.filter((p) => (p.group ?? 1) === 1),
  // RMNet's stem: 3 -> 32, 3x3, stride 2, pad 1, relu.
  { c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], act: { kind: 'relu', negativeSlope: 0 } },
  // Output rows wider than a band (one row per band, split again by the matrix product).
  { c: 2, o: 5, h: 3, w: 300, k: [1, 3], pad: [0, 1, 0, 1] },
  { n: 2, c: 3, o: 7, h: 9, w: 130, k: [3, 3], stride: [1, 2], pad: [1, 1, 1, 1], act: { kind: 'elu', alpha: 1 } },
  // Taps that never reach inside the input (their ranges start past the output).
  { c: 2, o: 3, h: 2, w: 2, k: [5, 5], pad: [3, 3, 0, 0] },
  { c: 1, o: 1, h: 6, w: 6, k: [3, 3] },
];

const DEPTHWISE: Case[] = ([
  { n: 2, c: 8, h: 13, w: 15 },
  { c: 8, h: 13, w: 15, stride: [2, 2] },
  { c: 5, h: 7, w: 9, stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 4, h: 9, w: 7, pad: [0, 0, 0, 0] },
  { c: 3, h: 8, w: 10, stride: [1, 2], pad: [2, 1, 0, 2] },
  { c: 4, h: 3, w: 3 },
  { c: 2, h: 2, w: 2 },
  { c: 3, h: 1, w: 5, bias: false },
  { c: 2, h: 6, w: 6, pad: [3, 3, 3, 3] },
  { c: 32, h: 32, w: 32 },
  { n: 2, c: 64, h: 16, w: 16, stride: [2, 2] },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 6, h: 11, w: 9, ...a })),
] as Omit<Case, 'o' | 'k'>[]).map((p): Case => ({ pad: [1, 1, 1, 1], ...p, o: p.c, k: [3, 3], group: p.c }));

const stride1 = (p: Case) => (p.stride ?? [1, 1]).every((s) => s === 1);

const DEPTHWISE_STRIDE1: Case[] = [
  ...DEPTHWISE.filter(stride1),
  ...([
    // One output column: the input column in the middle of the window, and at its right edge.
    { c: 3, h: 5, w: 1, pad: [1, 1, 1, 1] },
    { c: 2, h: 4, w: 1, pad: [0, 2, 0, 0] },
    { n: 3, c: 64, h: 8, w: 8, pad: [1, 1, 1, 1], act: { kind: 'elu', alpha: 1 } },
  ] as Omit<Case, 'o' | 'k'>[]).map((p): Case => ({ ...p, o: p.c, k: [3, 3], group: p.c })),
];

const POINTWISE: Case[] = ([
  { c: 32, o: 64, h: 64, w: 64 },
  { c: 64, o: 128, h: 32, w: 32 },
  { c: 128, o: 256, h: 16, w: 16 },
  { c: 256, o: 128, h: 8, w: 8 },
  { n: 2, c: 256, o: 64, h: 8, w: 8, bias: false },
  { n: 2, c: 16, o: 13, h: 13, w: 15 },
  { c: 1, o: 5, h: 7, w: 9 },
  { c: 7, o: 3, h: 17, w: 19 },
  { n: 3, c: 5, o: 2, h: 1, w: 1 },
  { c: 9, o: 1, h: 3, w: 5 },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 12, o: 10, h: 9, w: 7, ...a })),
] as Omit<Case, 'k'>[]).map((p): Case => ({ ...p, k: [1, 1] }));

describe('Conv general', () => run(convKernel, GENERAL));
describe('Conv im2col', () => run(convIm2colKernel, IM2COL));
describe('Conv depthwise 3x3', () => run(convDepthwise3x3Kernel, DEPTHWISE));
describe('Conv depthwise 3x3 stride 1', () => run(convDepthwise3x3s1Kernel, DEPTHWISE_STRIDE1));
describe('Conv pointwise', () => run(convPointwiseKernel, POINTWISE));

describe('Conv selection', () => {
  const picks = (p: Case) => convKernelFor(convCase(p).node, [[1, p.c, p.h, p.w]]);
  it('takes the depthwise 3x3 kernel for group == in == out channels, 3x3, dilation 1', () => {
    expect(picks(DEPTHWISE[1])).toBe(convDepthwise3x3Kernel);
    expect(picks(DEPTHWISE[0])).toBe(convDepthwise3x3s1Kernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, stride: [1, 2] })).toBe(convDepthwise3x3Kernel);
    expect(picks({ c: 4, o: 8, h: 9, w: 9, k: [3, 3], group: 4 })).toBe(convKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 4, dilation: [2, 2] })).toBe(convKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [3, 3], group: 2 })).toBe(convKernel);
  });
  it('takes the pointwise kernel for 1x1, stride 1, no pad, one group', () => {
    expect(picks(POINTWISE[0])).toBe(convPointwiseKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [1, 1], stride: [2, 2] })).toBe(convIm2colKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [1, 1], pad: [0, 0, 1, 0] })).toBe(convIm2colKernel);
    expect(picks({ c: 4, o: 4, h: 9, w: 9, k: [1, 1], group: 2 })).toBe(convKernel);
  });
  it('takes im2col for any other one-group convolution, the general kernel for other groups', () => {
    expect(picks(GENERAL[0])).toBe(convIm2colKernel);
    expect(picks({ c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] })).toBe(convIm2colKernel);
    expect(picks(GENERAL[5])).toBe(convKernel);
  });
  describe('through cpuKernel', () => run(cpuKernel, [DEPTHWISE[0], DEPTHWISE[2], POINTWISE[5], GENERAL[5], GENERAL[1]]));
});
