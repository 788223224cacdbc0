// Eltwise: sum (with and without coefficients), prod, max, over 2+ inputs, with every fused
// activation: the general kernel, the sum-of-two kernel, and cpuKernel's choice between them.

import { describe, it } from 'vitest';
import type { Activation, NodeOf } from '../../engine/graph/ops.js';
import { eltwiseKernel } from '../../engine/kernels/cpu/eltwise.js';
import { eltwiseSum2Kernel } from '../../engine/kernels/cpu/eltwise-sum2.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import type { CpuKernelFactory } from '../../engine/kernels/cpu/kernel.js';
import { check, ELTWISE_CASES as CASES, makeNode, prng, tensor, type EltwiseCase } from './reference.js';

const rand = prng(13);
const NONE: Activation = { kind: 'none' };

type Case = EltwiseCase;

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
