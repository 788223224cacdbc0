// Eltwise: sum (with and without coefficients), prod, max, over 2+ inputs, with every fused
// activation: the general kernel, the sum-of-two kernel, and cpuKernel's choice between them.

import { describe, it } from 'vitest';
import type { Activation, NodeOf } from '../../engine/graph/ops.js';
import { eltwiseKernel } from '../../engine/kernels/cpu/eltwise.js';
import { eltwiseSum2Kernel } from '../../engine/kernels/cpu/eltwise-sum2.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import type { CpuKernelFactory } from '../../engine/kernels/cpu/kernel.js';
import { check, makeNode, prng, tensor } from './reference.js';

const rand = prng(13);
const NONE: Activation = { kind: 'none' };

type Case = { shape: number[]; inputs: number; operation: NodeOf<'Eltwise'>['attrs']['operation']; coeffs?: number[];
  act?: Activation; sharedSlope?: boolean };

const CASES: Case[] = [
  { shape: [2, 5, 7, 9], inputs: 2, operation: 'sum' },
  { shape: [2, 5, 7, 9], inputs: 3, operation: 'sum', coeffs: [1, -1, 0.5] },
  { shape: [3, 13], inputs: 2, operation: 'sum', coeffs: [2, -0.25] },
  { shape: [2, 5, 7, 9], inputs: 3, operation: 'prod' },
  { shape: [1, 4, 15], inputs: 2, operation: 'max' },
  { shape: [2, 3, 4, 5], inputs: 4, operation: 'max' },
  { shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', act: { kind: 'relu', negativeSlope: 0 } },
  { shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', act: { kind: 'relu', negativeSlope: 0.1 } },
  { shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', act: { kind: 'elu', alpha: 1 } },
  { shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', act: { kind: 'prelu' } },
  { shape: [2, 3, 13, 15], inputs: 2, operation: 'sum', act: { kind: 'prelu' }, sharedSlope: true },
  { shape: [3, 6], inputs: 2, operation: 'prod', act: { kind: 'prelu' } },
  { shape: [2, 3, 7, 9], inputs: 3, operation: 'max', act: { kind: 'elu', alpha: 0.5 } },
  { shape: [1, 64, 32, 32], inputs: 2, operation: 'sum', act: { kind: 'elu', alpha: 1 } },
  { shape: [2, 5], inputs: 2, operation: 'sum', coeffs: [0.5, 1.5], act: { kind: 'elu', alpha: 0.3 } },
  { shape: [2, 5], inputs: 2, operation: 'sum', coeffs: [1, 1], act: { kind: 'elu', alpha: 0.3 } },
  { shape: [7], inputs: 2, operation: 'sum', act: { kind: 'prelu' }, sharedSlope: true },
];

const plainSumOfTwo = (p: Case) => p.operation === 'sum' && p.inputs === 2 && (p.coeffs ?? []).every((k) => k === 1);

function run(factory: CpuKernelFactory<NodeOf<'Eltwise'>>, cases: Case[]): void {
  for (const p of cases) {
    const act = p.act ?? NONE;
    it(`${p.operation} of ${p.inputs} x [${p.shape}] coeffs [${p.coeffs ?? ''}] ${JSON.stringify(act)}${p.sharedSlope ? ' shared' : ''}`, () => {
      check(factory, eltwise(p), Array.from({ length: p.inputs }, () => tensor(rand, p.shape, -2, 2)));
    });
  }
}

function eltwise(p: Case): NodeOf<'Eltwise'> {
  const act = p.act ?? NONE;
  return makeNode('Eltwise', { operation: p.operation, coeffs: p.coeffs ?? [], activation: act },
    act.kind === 'prelu' ? { slope: tensor(rand, [p.sharedSlope ? 1 : (p.shape[1] ?? 1)], 0, 0.5) } : {}, p.inputs);
}

describe('Eltwise general', () => run(eltwiseKernel, CASES));
describe('Eltwise plain sum of two', () => run(eltwiseSum2Kernel, CASES.filter(plainSumOfTwo)));
describe('Eltwise through cpuKernel', () => run(cpuKernel, CASES));
