// The vectorised expm1 behind ELU (engine/kernels/simd/exp.ts), swept densely over [-87, 0]
// against Math.expm1 in float64: relative error <= 2e-7 (float32's half ulp is 6e-8), and
// ELU's saturation far below -87.

import { describe, expect, it } from 'vitest';
import { activate } from '../../engine/kernels/simd/activation.js';
import { encodeModule } from '../../engine/wasm/binary.js';
import { FunctionBuilder, get, range, set, v128 } from '../../engine/wasm/instructions.js';

/** ELU (alpha 1) over `values`, through the generated code. */
function elu(values: Float32Array): Float32Array {
  const count = Math.ceil(values.length / 4) * 4;
  const pages = Math.ceil((8 * count + 64) / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const fn = new FunctionBuilder();
  const i = fn.local('i32');
  const v = fn.local('v128');
  const body = range(i, 0, 4 * count, 16, [
    set(v, v128.load(get(i), 0)),
    ...activate(fn, { kind: 'elu', alpha: 1 }, [v]),
    v128.store(get(i), 4 * count, get(v)),
  ]);
  const module = new WebAssembly.Module(encodeModule([fn.finish('elu', [body])], pages));
  const run = new WebAssembly.Instance(module, { env: { memory } }).exports.elu as () => void;
  new Float32Array(memory.buffer).set(values);
  run();
  return new Float32Array(memory.buffer, 4 * count, values.length).slice();
}

describe('SIMD expm1 (ELU)', () => {
  it('relative error <= 2e-7 over [-87, 0]', () => {
    const count = 1 << 21;
    const x = Float32Array.from({ length: count }, (_, k) => -87 * (k / (count - 1)) ** 2);
    // and the smallest negatives, where expm1(x) ~ x
    x.set(Float32Array.from({ length: 64 }, (_, k) => -(2 ** -(k + 1))), 0);
    const y = elu(x);
    let worst = 0, at = 0;
    x.forEach((v, k) => {
      const want = Math.expm1(v);
      const rel = want === 0 ? Math.abs(y[k]) : Math.abs(y[k] - want) / Math.abs(want);
      if (rel > worst) { worst = rel; at = v; }
    });
    expect(worst, `max relative error ${worst} at x = ${at}`).toBeLessThanOrEqual(2e-7);
  });

  it('is exact at 0, passes positives through, saturates at -1 far below -87', () => {
    const x = Float32Array.from([0, 1e-30, 3.5, 1e30, -88, -100, -1e30, -Infinity]);
    expect(Array.from(elu(x))).toEqual([0, 1e-30, 3.5, 1e30, -1, -1, -1, -1].map((v) => Math.fround(v)));
  });
});
