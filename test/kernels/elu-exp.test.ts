// The CPU kernels' ELU exp(v) - 1 (every elementwise activation itself runs in the conformance
// suite, test/conformance).

import { describe, expect, it } from 'vitest';
import { elu } from '../../engine/kernels/cpu/activation.js';

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
