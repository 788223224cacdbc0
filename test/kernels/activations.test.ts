// The elementwise ops: Relu, PRelu, Elu, Sigmoid, TanH, Power, Clamp; and the ELU's exp itself.

import { describe, expect, it } from 'vitest';
import { elu } from '../../engine/kernels/cpu/activation.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { check, ELEMENTWISE_NODES, ELEMENTWISE_SHAPES, makeNode, prng, tensor } from './reference.js';

const rand = prng(3);
describe('elementwise activations', () => {
  for (const node of ELEMENTWISE_NODES) {
    for (const shape of ELEMENTWISE_SHAPES) {
      it(`${node.op} ${JSON.stringify(node.attrs)} on [${shape}]`, () => {
        check(cpuKernel, node, [tensor(rand, shape, -3, 3)]);
      });
    }
  }
});

describe('PRelu', () => {
  for (const shape of ELEMENTWISE_SHAPES) {
    for (const shared of [false, true]) {
      it(`${shared ? 'shared slope' : 'per-channel slopes'} on [${shape}]`, () => {
        const node = makeNode('PRelu', {}, { slope: tensor(rand, [shared ? 1 : shape[1]], -0.5, 0.5) });
        check(cpuKernel, node, [tensor(rand, shape, -3, 3)]);
      });
    }
  }
});

describe('ELU exp', () => {
  // The kernels' exp(v) - 1 (a table and a cubic, see activation.ts) against Math.expm1 in
  // float64: within 1e-7 relative from -Infinity to 0, down to tiny magnitudes (no cancellation).
  it('is within 1e-7 relative of Math.expm1 for v <= 0', () => {
    const values = [-0, -Infinity, -1e-30, -1e-12, -Math.LN2 / 128, -Math.LN2 / 64, -17.99, -18, -18.01, -30];
    for (let v = -30; v < 0; v += 0.000713) values.push(v);
    for (let e = -40; e < 5; e += 0.01) values.push(-(2 ** e));
    let worst = 0, at = 0;
    for (const v of values) {
      const want = Math.expm1(v);
      const got = elu(v, 1);
      const err = want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want);
      if (!(err <= worst)) { worst = err; at = v; }
    }
    expect(worst, `worst relative error ${worst} at v = ${at}`).toBeLessThanOrEqual(1e-7);
    expect(Math.fround(elu(-Infinity, 0.5))).toBe(-0.5);
  });
  it('gives NaN for NaN and x for x >= 0', () => {
    expect(elu(NaN, 1)).toBeNaN();
    expect(elu(0, 1)).toBe(0);
    expect(elu(2.5, 0.3)).toBe(2.5);
  });
});
