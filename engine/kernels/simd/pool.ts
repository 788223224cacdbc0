// Max and average pooling, any window, stride and pad, Caffe's rounding (the output size is
// the inferred shape's; ops.ts). Output (oy, ox) takes the window rows [hs, he) with
// hs = oy·SH − PT, he = min(hs + KH, H + PB), likewise columns; max over its part inside the
// input, or the sum of that part divided by (he − hs)·(we − ws) (the window clipped to the
// padded input), or by the part's own size with excludePad (the lowering makes global pooling
// one window over the whole plane). Every pooling variant.
//
// Four outputs of a row at a time (row.ts). A tap (ky, kx) of the four is one load (stride 1),
// the even or odd lanes of two (stride 2: loads are combined over the window's rows before one
// shuffle), or four single floats (larger strides). Which rows of the window lie inside the
// input is known per output row when the code is generated; lanes whose tap lies outside at
// the sides are masked (−inf for max, 0 for the sum; what was read there is discarded). A tap
// is read only when one of its lanes is inside the row, so reads stay within 3·stride floats
// before the row and 7 after it (stride <= 2; larger strides read only the lanes inside):
// inside the GUARD.
// Rows and vectors that need neither run in loops; the rest is unrolled, each with its own
// divisors.

import {
  bump, doWhile, f32, f32x4, get, i32, range, set, shuffleF32, storeLanes, v128, type Expr, type FunctionBuilder, type Local,
} from '../../wasm/instructions.js';
import { windows } from '../cpu/pool.js';
import type { SimdKernelFactory } from './kernel.js';
import { emitRow, firstRun } from './row.js';

type Lanes = [number, number, number, number];

export const pool: SimdKernelFactory<'pool-max' | 'pool-ave'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, , OH, OW] = k.outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL, PB, PR], excludePad } = k.pool;
  const isMax = k.variant === 'pool-max';
  const rows = windows(OH, KH, SH, PT, PB, H);
  const cols = windows(OW, KW, SW, PL, PR, W);
  /** The divisor of output o along one axis: its window inside the padded input, or the input. */
  const count = (table: Int32Array, o: number) => (excludePad ? table[3 * o + 1] - table[3 * o] : table[3 * o + 2]);
  /** The kernel rows ky of output row oy inside the input. */
  const rowsOf = (oy: number) => Array.from({ length: rows[3 * oy + 1] - rows[3 * oy] }, (_, i) => rows[3 * oy] + i - (oy * SH - PT));
  /** Lanes of outputs ox..ox+3 whose tap kx lies inside [0, W), as an i32 mask. */
  const insideMask = (ox: number, kx: number) => [0, 1, 2, 3].map((l) => {
    const ix = (ox + l) * SW - PL + kx;
    return ix >= 0 && ix < W && ox + l < OW ? -1 : 0;
  }) as Lanes;
  const clean = (ox: number) => ox + 4 <= OW && Array.from({ length: KW }, (_, kx) => insideMask(ox, kx).every((m) => m === -1)).every(Boolean);

  return {
    constants: [],
    emit(fn: FunctionBuilder, at) {
      const xPlane = fn.local('i32');
      const yPlane = fn.local('i32');
      const xRow = fn.local('i32'); // x[first inside row of the window, −PL] of output row oy
      const yRow = fn.local('i32');
      const plane = fn.local('i32');
      const acc = fn.local('v128');
      const pair = [fn.local('v128'), fn.local('v128')];
      const combine = (a: Expr, b: Expr) => (isMax ? f32x4.pmax(a, b) : f32x4.add(a, b));
      const outside = isMax ? fn.splat(-Infinity) : fn.splat(0);

      /** Outputs ox..ox+3 of a row whose window has kernel rows `kys` inside, x at output column baseOx of xRow. */
      const vector = (kys: number[], rowCount: number) => (ox: number, x: Local, y: Local, baseOx: number): Expr[] => {
        const out: Expr[] = [];
        let first = true;
        /** Folds the tap kx (over the window's rows) into acc, its lanes outside masked. */
        const fold = (kx: number, tap: Expr) => {
          const mask = insideMask(ox, kx);
          const whole = mask.every((m, l) => m === -1 || ox + l >= OW);
          const masked = whole ? tap : v128.bitselect(tap, outside, v128.i32x4(mask));
          out.push(set(acc, first ? masked : combine(get(acc), masked)));
          first = false;
        };
        // Byte offset from x of input column ix in kernel row ky.
        const off = (ky: number, ix: number) => 4 * ((ky - kys[0]) * W + ix - (baseOx * SW - PL));
        const overRows = (load: (ky: number) => Expr) => kys.map(load).reduce(combine);
        const inside = (kx: number) => kx < KW && insideMask(ox, kx).some((m) => m === -1);
        // Stride 2 reads taps kx and kx + 1 from one pair of loads; the others one tap at a time.
        for (let kx = 0; kx < KW; kx += SW === 2 ? 2 : 1) {
          const ix = ox * SW - PL + kx;
          if (SW === 2) {
            const both = [kx, kx + 1].filter(inside);
            if (both.length === 0) continue;
            out.push(set(pair[0], overRows((ky) => v128.load(get(x), off(ky, ix)))),
              set(pair[1], overRows((ky) => v128.load(get(x), off(ky, ix + 4)))));
            for (const k of both) fold(k, shuffleF32(get(pair[0]), get(pair[1]), k === kx ? [0, 2, 4, 6] : [1, 3, 5, 7]));
          } else if (inside(kx)) {
            // Stride 3 and up: only the lanes inside are read; the others are masked.
            const lanes = [0, 1, 2, 3].filter((l) => insideMask(ox, kx)[l] === -1);
            fold(kx, overRows((ky) => (SW === 1 ? v128.load(get(x), off(ky, ix))
              : lanes.slice(1).reduce((v, l) => f32x4.replaceLane(v, l, f32.load(get(x), off(ky, ix + l * SW))),
                f32x4.splat(f32.load(get(x), off(ky, ix + lanes[0] * SW)))))));
          }
        }
        if (!isMax) {
          const divisors = [0, 1, 2, 3].map((l) => (ox + l < OW ? rowCount * count(cols, ox + l) : 1));
          out.push(set(acc, f32x4.mul(get(acc), divisors.every((d) => d === divisors[0])
            ? fn.splat(1 / divisors[0]) : v128.f32x4(divisors.map((d) => 1 / d) as Lanes))));
        }
        return [...out, ...storeLanes(get(y), 4 * (ox - baseOx), acc, Math.min(4, OW - ox))];
      };

      /** One output row at xRow / yRow. */
      const row = (oy: number) => emitRow(fn, OW, clean, xRow, yRow, 4 * SW, vector(rowsOf(oy), count(rows, oy)));
      const rowStart = (oy: number): Expr[] => [
        set(xRow, i32.add(get(xPlane), i32.const(4 * ((oy * SH - PT + rowsOf(oy)[0]) * W - PL)))),
        set(yRow, i32.add(get(yPlane), i32.const(4 * oy * OW))),
      ];
      // Rows whose window lies wholly inside the input (and so has divisor KH) run in one loop.
      const full = Array.from({ length: OH }, (_, oy) => rowsOf(oy).length === KH && count(rows, oy) === KH);
      const [from, to] = firstRun(full);
      const planeCode: Expr[] = [];
      for (let oy = 0; oy < OH; oy++) {
        if (oy > from && oy < to) continue;
        planeCode.push(...rowStart(oy));
        if (oy !== from || to - from === 1) planeCode.push(...row(oy));
        else {
          planeCode.push(doWhile([...row(oy), bump(xRow, 4 * SH * W), bump(yRow, 4 * OW)],
            i32.ltU(get(yRow), i32.add(get(yPlane), i32.const(4 * to * OW)))));
        }
      }
      return [
        set(xPlane, i32.const(at.inputs[0])),
        set(yPlane, i32.const(at.outputs[0])),
        range(plane, 0, N * C, 1, [...planeCode, bump(xPlane, 4 * H * W), bump(yPlane, 4 * OH * OW)]),
      ];
    },
  };
};
