// The SIMD convolutions as the backend chooses them, against the float64 reference: the
// pointwise (1x1) and depthwise 3x3 specialisations and the general ones (direct or im2col),
// on odd sizes, channel counts that are not multiples of 4, strides, pads, batches and every
// fused activation. (conv-general.test.ts runs both general kernels on every case.)

import { describe, it } from 'vitest';
import type { Activation, NodeOf } from '../../engine/graph/ops.js';
import { check, makeNode, prng, tensor } from '../kernels/reference.js';
import { ACTIVATIONS, viaSimd } from './harness.js';

interface Case {
  n?: number; c: number; h: number; w: number; o: number; k: [number, number];
  stride?: [number, number]; pad?: [number, number, number, number]; dilation?: [number, number];
  group?: number; bias?: boolean; act?: Activation; sharedSlope?: boolean;
}

const rand = prng(11);

function label(p: Case): string {
  return `[${p.n ?? 1},${p.c},${p.h},${p.w}] -> ${p.o} k${p.k} s${p.stride ?? [1, 1]} pad${p.pad ?? [0, 0, 0, 0]}`
    + ` d${p.dilation ?? [1, 1]} g${p.group ?? 1}${p.bias === false ? ' nobias' : ''} ${JSON.stringify(p.act ?? { kind: 'none' })}`
    + (p.sharedSlope ? ' shared slope' : '');
}

function convCase(p: Case) {
  const group = p.group ?? 1;
  const act = p.act ?? { kind: 'none' };
  const bound = 1 / Math.sqrt((p.c / group) * p.k[0] * p.k[1]);
  const node: NodeOf<'Conv'> = makeNode('Conv', {
    kernel: p.k, stride: p.stride ?? [1, 1], pad: p.pad ?? [0, 0, 0, 0], dilation: p.dilation ?? [1, 1],
    outChannels: p.o, group, activation: act,
  }, {
    weight: tensor(rand, [p.o, p.c / group, ...p.k], -bound, bound),
    ...(p.bias === false ? {} : { bias: tensor(rand, [p.o], -0.5, 0.5) }),
    ...(act.kind === 'prelu' ? { slope: tensor(rand, [p.sharedSlope ? 1 : p.o], 0, 0.5) } : {}),
  });
  return { node, input: tensor(rand, [p.n ?? 1, p.c, p.h, p.w], -3, 3) };
}

const run = (cases: Case[]) => cases.forEach((p) => it(label(p), () => {
  const { node, input } = convCase(p);
  check(viaSimd, node, [input]);
}));

const POINTWISE: Case[] = ([
  { c: 32, o: 64, h: 64, w: 64 },
  { c: 64, o: 128, h: 32, w: 32, act: { kind: 'elu', alpha: 1 } },
  { c: 256, o: 64, h: 8, w: 8, act: { kind: 'elu', alpha: 1 } },
  { n: 2, c: 256, o: 64, h: 8, w: 8, bias: false },
  { n: 3, c: 16, o: 13, h: 13, w: 15 },
  { c: 1, o: 5, h: 7, w: 9 },
  { c: 7, o: 3, h: 17, w: 19 },
  { c: 9, o: 1, h: 3, w: 5 },
  { n: 3, c: 5, o: 2, h: 1, w: 1 },
  { c: 256, o: 128, h: 1, w: 1 },
  { c: 8, o: 6, h: 2, w: 3 },
  { c: 17, o: 7, h: 3, w: 4 },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 12, o: 10, h: 9, w: 7, ...a })),
] as Omit<Case, 'k'>[]).map((p): Case => ({ ...p, k: [1, 1] }));

const DEPTHWISE: Case[] = ([
  { n: 2, c: 8, h: 13, w: 15 },
  { c: 8, h: 13, w: 15, stride: [2, 2] },
  { n: 2, c: 5, h: 14, w: 16, stride: [2, 2] },
  { c: 5, h: 7, w: 9, stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 4, h: 9, w: 7, pad: [0, 0, 0, 0] },
  { c: 3, h: 8, w: 10, stride: [1, 2], pad: [2, 1, 0, 2] },
  { c: 3, h: 8, w: 10, stride: [2, 1], pad: [1, 2, 2, 0] },
  { c: 4, h: 3, w: 3 },
  { c: 2, h: 2, w: 2 },
  { c: 3, h: 1, w: 5, bias: false },
  { c: 2, h: 6, w: 6, pad: [3, 3, 3, 3] },
  { c: 3, h: 5, w: 21, stride: [2, 2] },
  { c: 32, h: 32, w: 32 },
  { c: 8, h: 64, w: 64 },
  { n: 2, c: 64, h: 16, w: 16, stride: [2, 2] },
  { c: 16, h: 64, w: 64, stride: [2, 2] },
  { c: 64, h: 8, w: 8 },
  ...ACTIVATIONS.map((a) => ({ n: 2, c: 6, h: 11, w: 9, ...a })),
  ...ACTIVATIONS.map((a) => ({ c: 6, h: 11, w: 13, stride: [2, 2], ...a })),
] as Omit<Case, 'o' | 'k'>[]).map((p): Case => ({ pad: [1, 1, 1, 1], ...p, o: p.c, k: [3, 3], group: p.c }));

const GENERAL: Case[] = [
  { c: 3, o: 32, h: 128, w: 128, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], act: { kind: 'relu', negativeSlope: 0 } },
  { n: 2, c: 3, o: 5, h: 13, w: 15, k: [3, 3], pad: [1, 1, 1, 1] },
  { c: 4, o: 6, h: 13, w: 15, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1] },
  { c: 3, o: 4, h: 7, w: 9, k: [5, 3], stride: [2, 1], pad: [2, 1, 0, 3] },
  { c: 4, o: 4, h: 13, w: 13, k: [3, 3], dilation: [2, 2], pad: [2, 2, 2, 2] },
  { n: 3, c: 5, o: 3, h: 15, w: 13, k: [3, 3], dilation: [2, 2], stride: [2, 2], pad: [0, 1, 2, 3] },
  { c: 8, o: 6, h: 13, w: 15, k: [1, 1], stride: [2, 2] },
  { n: 3, c: 3, o: 4, h: 8, w: 8, k: [2, 2], stride: [2, 2], pad: [0, 0, 1, 1] },
  { c: 2, o: 3, h: 5, w: 5, k: [5, 5] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3] },
  { c: 2, o: 2, h: 4, w: 6, k: [3, 3], pad: [3, 3, 3, 3], bias: false },
  { c: 10, o: 16, h: 12, w: 12, k: [3, 3] },
  ...ACTIVATIONS.map((a): Case => ({ n: 2, c: 4, o: 6, h: 9, w: 11, k: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], ...a })),
];

describe('SIMD pointwise convolution', () => run(POINTWISE));
describe('SIMD depthwise 3x3 convolution', () => run(DEPTHWISE));
describe('SIMD general convolution', () => run(GENERAL));
