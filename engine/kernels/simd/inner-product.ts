// InnerProduct: x viewed as [M, K], one matrix product over the batch:
//   y[m, n] = bias[n] + sum_k x[m, k] · W[n, k]
// Four lanes run along n. A tile of 4 rows m by 8 outputs n lives in 8 accumulators: each step
// over k splats 4 values of x (one per row) and loads 2 vectors of W for 8 multiply-adds. The
// weights are packed at plan time in panels of 8 outputs, k after k, so a panel is read in
// order; unlike a convolution's they are not splatted (fully connected layers are big: O-Net's
// 1152x256 is 1.2 MB as it is). Panels run outside the row blocks, so each panel comes from
// memory once and stays in cache for every block of rows.
//
//   panel p = [bias[8p .. 8p+7]]  [W[8p .. 8p+7, k]]_k      (zeros past the last output)

import { bump, doWhile, f32x4, get, i32, set, storeLanes, v128, type Expr, type FunctionBuilder, type Local } from '../../wasm/instructions.js';
import type { SimdKernelFactory } from './kernel.js';
import { packedOnce } from './packed-once.js';

const ROWS = 4;
const COLUMNS = 8;

/** Packs W [NO, K] and the bias into panels. */
function pack(NO: number, K: number, weight: Float32Array, bias: Float32Array): Float32Array {
  const panelFloats = COLUMNS * (K + 1);
  const out = new Float32Array(Math.ceil(NO / COLUMNS) * panelFloats);
  for (let n = 0; n < NO; n++) {
    const at = Math.floor(n / COLUMNS) * panelFloats + (n % COLUMNS);
    out[at] = bias[n];
    for (let k = 0; k < K; k++) out[at + COLUMNS * (k + 1)] = weight[n * K + k];
  }
  return out;
}

export const innerProduct: SimdKernelFactory<'inner-product'> = ({ M, K, N: NO, weight, bias }) => {
  const panelBytes = 4 * COLUMNS * (K + 1);
  return {
    constants: [packedOnce([weight, bias, NO, K], () => pack(NO, K, weight, bias))],
    emit(fn: FunctionBuilder, at) {
      const panel = fn.local('i32');
      const n0 = fn.local('i32'); // byte offset of the panel's first output in a row of y
      const xRow = fn.local('i32'); // x[m0, 0]
      const yRow = fn.local('i32'); // y[m0, 0]
      const xp = fn.local('i32');
      const wp = fn.local('i32');
      const wEnd = fn.local('i32');
      const out = fn.local('i32');
      const w = [fn.local('v128'), fn.local('v128')];
      const xs = fn.local('v128');

      /** Rows m0 .. m0+rows−1 by the panel's outputs: `vectors` vectors, the last with `lanes` lanes. */
      const tile = (rows: number, vectors: number, lanes: number): Expr[] => {
        const acc: Local[][] = Array.from({ length: rows }, () => Array.from({ length: vectors }, () => fn.local('v128')));
        return [
          ...acc.flatMap((accRow) => accRow.map((a, v) => set(a, v128.load(get(panel), 16 * v)))),
          set(xp, get(xRow)),
          set(wp, i32.add(get(panel), i32.const(4 * COLUMNS))),
          set(wEnd, i32.add(get(panel), i32.const(panelBytes))),
          doWhile([
            ...w.slice(0, vectors).map((wv, v) => set(wv, v128.load(get(wp), 16 * v))),
            ...acc.flatMap((accRow, i) => [
              set(xs, v128.load32Splat(get(xp), 4 * K * i)),
              ...accRow.map((a, v) => set(a, f32x4.add(get(a), f32x4.mul(get(xs), get(w[v]))))),
            ]),
            bump(xp, 4),
            bump(wp, 4 * COLUMNS),
          ], i32.ltU(get(wp), get(wEnd))),
          set(out, i32.add(get(yRow), get(n0))),
          ...acc.flatMap((accRow, i) => accRow.flatMap((a, v) => storeLanes(get(out), 4 * NO * i + 16 * v, a, v < vectors - 1 ? 4 : lanes))),
        ];
      };

      /** Every block of rows for the panel at `panel`, whose outputs are `vectors` vectors, the last `lanes` wide. */
      const blocks = (vectors: number, lanes: number): Expr[] => {
        const full = Math.floor(M / ROWS);
        return [
          set(xRow, i32.const(at.inputs[0])),
          set(yRow, i32.const(at.outputs[0])),
          ...(full > 0 ? [doWhile([...tile(ROWS, vectors, lanes), bump(xRow, 4 * K * ROWS), bump(yRow, 4 * NO * ROWS)],
            i32.ltU(get(xRow), i32.const(at.inputs[0] + 4 * K * ROWS * full)))] : []),
          ...(M % ROWS > 0 ? tile(M % ROWS, vectors, lanes) : []),
        ];
      };

      const panels = Math.floor(NO / COLUMNS);
      const rest = NO - COLUMNS * panels;
      return [
        set(panel, i32.const(at.constants)),
        set(n0, i32.const(0)),
        ...(panels > 0 ? [doWhile([...blocks(2, 4), bump(panel, panelBytes), bump(n0, 4 * COLUMNS)], i32.ltU(get(n0), i32.const(4 * COLUMNS * panels)))] : []),
        ...(rest > 0 ? blocks(Math.ceil(rest / 4), rest - 4 * (Math.ceil(rest / 4) - 1)) : []),
      ];
    },
  };
};
