// InnerProduct: x viewed as [M, K], one matrix product over the batch:
//   y[m, n] = bias[n] + sum_k x[m, k] · W[n, k]
// with W [N, K] and the bias as the layer holds them (placed by one copy: nothing is packed).
// Four lanes run along k: a tile of 2 rows m by 4 outputs n keeps 8 vectors of partial sums
// (lane j sums the k ≡ j mod 4), so each step over k loads 2 vectors of x and 4 of W for 8
// multiply-adds. A last step short of 4 values of k masks the lanes past K in both operands. At
// the end a row's four vectors a0..a3 are summed across their lanes together, by two rounds of
// shuffles and adds, into one vector [sum(a0), sum(a1), sum(a2), sum(a3)] (each sum taken as
// (l0 + l2) + (l1 + l3)), the bias added and stored. Outputs go four at a time outside the rows,
// so their 4 rows of W stay in L1 while every row of x passes.

import { bump, doWhile, f32x4, get, i32, set, shuffleF32, storeLanes, v128, type Expr, type FunctionBuilder, type Local } from '../../wasm/instructions.js';
import type { SimdKernelFactory } from './kernel.js';

const ROWS = 2;
const OUTPUTS = 4;

/** [sum(a0), sum(a1), sum(a2), sum(a3)], each over its four lanes. */
function laneSums([a0, a1, a2, a3]: Expr[]): Expr {
  const pairs = (a: Expr, b: Expr) => f32x4.add(shuffleF32(a, b, [0, 4, 1, 5]), shuffleF32(a, b, [2, 6, 3, 7]));
  const [u01, u23] = [pairs(a0, a1), pairs(a2, a3)]; // [a0₀+a0₂, a1₀+a1₂, a0₁+a0₃, a1₁+a1₃], and a2, a3 alike
  return f32x4.add(shuffleF32(u01, u23, [0, 1, 4, 5]), shuffleF32(u01, u23, [2, 3, 6, 7]));
}

export const innerProduct: SimdKernelFactory<'inner-product'> = ({ M, K, N: NO, weight, bias }) => ({
  constants: [weight, bias],
  emit(fn: FunctionBuilder, at) {
    const steps = Math.floor(K / 4); // whole vectors of k
    const tail = K % 4;
    const biasAt = at.constants + 4 * NO * K;
    const n0 = fn.local('i32'); // byte offset of the tile's first output in a row of y, and in the bias
    const wRow = fn.local('i32'); // W[n0, 0]
    const xRow = fn.local('i32'); // x[m0, 0]
    const yRow = fn.local('i32'); // y[m0, 0]
    const xp = fn.local('i32');
    const wp = fn.local('i32');
    const xs = Array.from({ length: ROWS }, () => fn.local('v128'));
    const w = fn.local('v128');
    const sum = fn.local('v128');
    const mask = v128.i32x4([0, 1, 2, 3].map((l) => (l < tail ? -1 : 0)) as [number, number, number, number]);

    /** Rows m0 .. m0+rows−1 by outputs n0 .. n0+outputs−1. */
    const tile = (rows: number, outputs: number): Expr[] => {
      const acc: Local[][] = Array.from({ length: rows }, () => Array.from({ length: outputs }, () => fn.local('v128')));
      const step = (masked: boolean): Expr[] => {
        const load = (p: Local, offset: number) => (masked ? v128.and(v128.load(get(p), offset), mask) : v128.load(get(p), offset));
        return [
          ...xs.slice(0, rows).map((x, r) => set(x, load(xp, 4 * K * r))),
          ...acc[0].flatMap((_, c) => [
            set(w, load(wp, 4 * K * c)),
            ...acc.map((accRow, r) => set(accRow[c], fn.madd(get(xs[r]), get(w), get(accRow[c])))),
          ]),
        ];
      };
      return [
        ...acc.flat().map((a) => set(a, fn.splat(0))),
        set(xp, get(xRow)),
        set(wp, get(wRow)),
        ...(steps > 0 ? [doWhile([...step(false), bump(xp, 16), bump(wp, 16)], i32.ltU(get(xp), i32.add(get(xRow), i32.const(16 * steps))))] : []),
        ...(tail > 0 ? step(true) : []),
        ...acc.flatMap((accRow, r) => {
          const sums = laneSums(Array.from({ length: OUTPUTS }, (_, c) => (c < outputs ? get(accRow[c]) : fn.splat(0))));
          return [
            set(sum, f32x4.add(sums, v128.load(i32.add(get(n0), i32.const(biasAt)), 0))),
            ...storeLanes(i32.add(get(yRow), get(n0)), 4 * NO * r, sum, outputs),
          ];
        }),
      ];
    };

    /** Every tile of rows for the outputs from n0 on (`outputs` of them). */
    const rowsOf = (outputs: number): Expr[] => {
      const full = Math.floor(M / ROWS);
      return [
        set(xRow, i32.const(at.inputs[0])),
        set(yRow, i32.const(at.outputs[0])),
        ...(full > 0 ? [doWhile([...tile(ROWS, outputs), bump(xRow, 4 * K * ROWS), bump(yRow, 4 * NO * ROWS)],
          i32.ltU(get(xRow), i32.const(at.inputs[0] + 4 * K * ROWS * full)))] : []),
        ...(M % ROWS > 0 ? tile(M % ROWS, outputs) : []),
      ];
    };

    const groups = Math.floor(NO / OUTPUTS);
    const rest = NO % OUTPUTS;
    return [
      set(n0, i32.const(0)),
      set(wRow, i32.const(at.constants)),
      ...(groups > 0 ? [doWhile([...rowsOf(OUTPUTS), bump(n0, 4 * OUTPUTS), bump(wRow, 4 * K * OUTPUTS)],
        i32.ltU(get(n0), i32.const(4 * OUTPUTS * groups)))] : []),
      ...(rest > 0 ? rowsOf(rest) : []),
    ];
  },
});
