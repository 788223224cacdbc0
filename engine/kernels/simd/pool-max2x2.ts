// Max pooling, 2x2 window, stride 2, no pad (Caffe's usual downsampling):
//   y[oy, ox] = max of x[2oy .. 2oy+1, 2ox .. 2ox+1] clipped to the input
// (ceil rounding gives a last row or column with a 1-wide window when H or W is odd).
// Four outputs at a time: the two rows' maximum over 8 input columns, then the maximum of its
// even and odd lanes. A vector whose last window is 1 wide takes its even lane twice; lanes
// past the row end are not stored.

import { bump, f32x4, get, i32, range, set, shuffleF32, storeLanes, v128, type Expr, type Local } from '../../wasm/instructions.js';
import type { SimdKernelFactory } from './kernel.js';
import { emitRow } from './row.js';

export const poolMax2x2: SimdKernelFactory<'pool-max2x2s2'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, , OH, OW] = k.outShapes[0];
  const pairs = Math.min(OH, Math.floor(H / 2)); // rows with a 2-high window
  const clean = (ox: number) => ox + 4 <= OW && 2 * ox + 7 < W;
  return {
    constants: new Float32Array(0),
    emit(fn, at) {
      const xPlane = fn.local('i32');
      const xRow = fn.local('i32');
      const yRow = fn.local('i32');
      const plane = fn.local('i32');
      const r = fn.local('i32');
      const a = fn.local('v128');
      const b = fn.local('v128');
      const out = fn.local('v128');

      /** Outputs ox..ox+3 of the row whose output column baseOx is at xBase / yBase. */
      const vector = (twoRows: boolean) => (ox: number, xBase: Local, yBase: Local, baseOx: number): Expr[] => {
        const off = 8 * (ox - baseOx);
        const rows = (o: number) => (twoRows ? f32x4.pmax(v128.load(get(xBase), o), v128.load(get(xBase), o + 4 * W)) : v128.load(get(xBase), o));
        const odd = [0, 1, 2, 3].map((l) => (2 * (ox + l) + 1 < W ? 2 * l + 1 : 2 * l)) as [number, number, number, number];
        return [
          set(a, rows(off)),
          set(b, rows(off + 16)),
          set(out, f32x4.pmax(shuffleF32(get(a), get(b), [0, 2, 4, 6]), shuffleF32(get(a), get(b), odd))),
          ...storeLanes(get(yBase), 4 * (ox - baseOx), out, Math.min(4, OW - ox)),
        ];
      };
      const row = (twoRows: boolean) => emitRow(fn, OW, clean, xRow, yRow, 8, vector(twoRows));
      const next = (inputRows: number): Expr[] => [bump(xRow, 4 * inputRows * W), bump(yRow, 4 * OW)];
      return [
        set(xPlane, i32.const(at.inputs[0])),
        set(yRow, i32.const(at.outputs[0])),
        range(plane, 0, N * C, 1, [
          set(xRow, get(xPlane)),
          ...(pairs > 0 ? [range(r, 0, pairs, 1, [...row(true), ...next(2)])] : []),
          ...(OH > pairs ? [...row(false), ...next(1)] : []),
          bump(xPlane, 4 * H * W),
        ]),
      ];
    },
  };
};
