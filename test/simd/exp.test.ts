// The vectorised expm1 behind ELU and TanH and the exp behind Sigmoid and Softmax
// (engine/kernels/simd/exp.ts), swept densely against Math in float64: relative error <= 2e-7
// (float32's half ulp is 6e-8) over [-87, 0], and for Sigmoid and TanH over [-80, 80]
// (Sigmoid's tiny values keep their relative precision); ELU's saturation far below -87. Each
// with and without relaxed SIMD's multiply-add (FunctionBuilder.madd; fused on this processor).

import { describe, expect, it } from 'vitest';
import { activate, type SimdActivation } from '../../engine/kernels/simd/activation.js';
import { encodeModule } from '../../engine/wasm/binary.js';
import { FunctionBuilder, get, range, set, v128 } from '../../engine/wasm/instructions.js';

/** `act` over `values`, through the generated code (with relaxed SIMD or without). */
function apply(act: SimdActivation, values: Float32Array, relaxed: boolean): Float32Array {
  const count = Math.ceil(values.length / 4) * 4;
  const pages = Math.ceil((8 * count + 64) / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const fn = new FunctionBuilder(relaxed);
  const i = fn.local('i32');
  const v = fn.local('v128');
  const body = range(i, 0, 4 * count, 16, [
    set(v, v128.load(get(i), 0)),
    ...activate(fn, act, [v]),
    v128.store(get(i), 4 * count, get(v)),
  ]);
  const module = new WebAssembly.Module(encodeModule([fn.finish('run', [body])], pages));
  const run = new WebAssembly.Instance(module, { env: { memory } }).exports.run as () => void;
  new Float32Array(memory.buffer).set(values);
  run();
  return new Float32Array(memory.buffer, 4 * count, values.length).slice();
}

/** The largest relative error of `got` against `want` at x, and where. */
function worstRelative(x: Float32Array, got: Float32Array, want: (v: number) => number): { worst: number; at: number } {
  let worst = 0, at = 0;
  x.forEach((v, k) => {
    const w = want(v);
    const rel = w === 0 ? Math.abs(got[k]) : Math.abs(got[k] - w) / Math.abs(w);
    if (rel > worst) { worst = rel; at = v; }
  });
  return { worst, at };
}

/** Dense points over [-range, range], denser near 0, and the smallest magnitudes. */
function sweep(range: number): Float32Array {
  const half = 1 << 20;
  const x = Float32Array.from({ length: 2 * half }, (_, k) => (k < half ? -1 : 1) * range * ((k % half) / (half - 1)) ** 2);
  x.set(Float32Array.from({ length: 64 }, (_, k) => (k % 2 ? 1 : -1) * 2 ** -(k + 1)), 0);
  return x;
}

describe.each([{ mode: 'plain', relaxed: false }, { mode: 'relaxed SIMD', relaxed: true }])('$mode', ({ relaxed }) => {
  const elu = (values: Float32Array) => apply({ kind: 'elu', alpha: 1 }, values, relaxed);

  describe('SIMD expm1 (ELU)', () => {
    it('relative error <= 2e-7 over [-87, 0]', () => {
      const count = 1 << 21;
      const x = Float32Array.from({ length: count }, (_, k) => -87 * (k / (count - 1)) ** 2);
      // and the smallest negatives, where expm1(x) ~ x
      x.set(Float32Array.from({ length: 64 }, (_, k) => -(2 ** -(k + 1))), 0);
      const { worst, at } = worstRelative(x, elu(x), Math.expm1);
      expect(worst, `max relative error ${worst} at x = ${at}`).toBeLessThanOrEqual(2e-7);
    });

    it('is exact at 0, passes positives through, saturates at -1 far below -87', () => {
      const x = Float32Array.from([0, 1e-30, 3.5, 1e30, -88, -100, -1e30, -Infinity]);
      expect(Array.from(elu(x))).toEqual([0, 1e-30, 3.5, 1e30, -1, -1, -1, -1].map((v) => Math.fround(v)));
    });
  });

  describe('SIMD Sigmoid and TanH', () => {
    it('Sigmoid: relative error <= 2e-7 over [-80, 80]', () => {
      const x = sweep(80);
      const { worst, at } = worstRelative(x, apply({ kind: 'sigmoid' }, x, relaxed), (v) => 1 / (1 + Math.exp(-v)));
      expect(worst, `max relative error ${worst} at x = ${at}`).toBeLessThanOrEqual(2e-7);
    });

    it('TanH: relative error <= 2e-7 over [-80, 80]', () => {
      const x = sweep(80);
      const { worst, at } = worstRelative(x, apply({ kind: 'tanh' }, x, relaxed), Math.tanh);
      expect(worst, `max relative error ${worst} at x = ${at}`).toBeLessThanOrEqual(2e-7);
    });

    it('saturate at the ends and keep zero exact', () => {
      const x = Float32Array.from([0, -0, 1e30, -1e30, Infinity, -Infinity]);
      // exp's argument is clamped at -87, so far below Sigmoid gives exp(-87) = 1.6e-38, not 0.
      const sigmoid = apply({ kind: 'sigmoid' }, x, relaxed);
      expect(Array.from(sigmoid.subarray(0, 3))).toEqual([0.5, 0.5, 1]);
      expect(sigmoid[4]).toBe(1);
      for (const k of [3, 5]) expect(sigmoid[k]).toBeLessThan(2e-38);
      expect(Array.from(apply({ kind: 'tanh' }, x, relaxed))).toEqual([0, -0, 1, -1, 1, -1]);
    });
  });
});
