// The activation a Conv or Eltwise applies to its result (kernel-node.ts `KernelActivation`), or
// the one a standalone activation node is (Sigmoid and TanH are only that: the passes fuse no
// such node), as statements on vectors still in locals, before they are stored:
//   none:    v
//   relu:    max(v, 0) + k·min(v, 0)        (k = negativeSlope; max(v, 0) alone when k = 0)
//   prelu:   the same with k = the channel's slope
//   elu:     max(v, 0) + alpha·expm1(min(v, 0))   (exp.ts; expm1(0) = 0 exactly), which is
//            max(v, alpha·expm1(min(v, 0))) when alpha <= 1 (then alpha·expm1(v) >= v for v <= 0)
//   sigmoid: with e = exp(−|v|): 1 / (1 + e) for v >= 0, e / (1 + e) below (no overflow, and
//            small results keep their relative precision)
//   tanh:    with m = expm1(−2|v|): sign(v) · (0 − m) / (2 + m)   (no cancellation near 0; 0 − m is +0 at 0)

import type { KernelActivation } from '../../lower/kernel-node.js';
import { bump, doWhile, f32x4, FunctionBuilder, get, i32, i32x4, set, storeLanes, v128, type Expr, type Local } from '../../wasm/instructions.js';
import { interleave, negativeExp, negativeExpm1 } from './exp.js';

/** What the SIMD kernels apply: a fused activation, or a standalone Sigmoid or TanH. */
export type SimdActivation = KernelActivation | { kind: 'sigmoid' } | { kind: 'tanh' };

/**
 * Statements applying `act` in place to each of `values`. For prelu, `slope(i)` is the
 * splatted slope of the channel values[i] belongs to.
 */
export function activate(fn: FunctionBuilder, act: SimdActivation, values: Local[], slope?: (i: number) => Expr): Expr[] {
  const { add, mul, pmax, pmin, div, sub } = f32x4;
  const splat = (c: number) => fn.splat(c);
  const positive = (v: Local) => pmax(get(v), splat(0));
  const minusAbs = (v: Local) => v128.or(get(v), splat(-0)); // −|v|: the sign bit set
  switch (act.kind) {
    case 'none':
      return [];
    case 'relu':
      return values.map((v) => set(v, act.negativeSlope === 0 ? positive(v) : fn.madd(splat(act.negativeSlope), pmin(get(v), splat(0)), positive(v))));
    case 'prelu':
      if (!slope) throw new Error('activate: prelu needs the channel slopes');
      return values.map((v, i) => set(v, fn.madd(slope(i), pmin(get(v), splat(0)), positive(v))));
    case 'elu':
      return interleave(values.map((v) => {
        const e = fn.local('v128');
        const y = act.alpha > 1 ? fn.madd(get(e), splat(act.alpha), positive(v))
          : pmax(get(v), act.alpha === 1 ? get(e) : mul(get(e), splat(act.alpha)));
        return [...negativeExpm1(fn, v, e), set(v, y)];
      }));
    case 'sigmoid':
      return interleave(values.map((v) => {
        const e = fn.local('v128');
        const negative = i32x4.shrS(get(v), i32.const(31)); // all ones where v's sign bit is set
        return [set(e, minusAbs(v)), ...negativeExp(fn, e, e),
          set(v, div(v128.bitselect(get(e), splat(1), negative), add(splat(1), get(e))))];
      }));
    case 'tanh':
      return interleave(values.map((v) => {
        const m = fn.local('v128');
        return [set(m, mul(minusAbs(v), splat(2))), ...negativeExpm1(fn, m, m),
          set(v, v128.or(div(sub(splat(0), get(m)), add(splat(2), get(m))), v128.and(get(v), splat(-0))))];
      }));
  }
}

/** Vectors per step of `activateRun`: eight ELUs in flight run at 0.8 ns an element, four at 1.0. */
const RUN_GROUP = 8;

/** Statements applying `act` (not prelu) in place to the `count` floats at the address in `base`, which they advance past them. */
export function activateRun(fn: FunctionBuilder, act: KernelActivation, base: Local, count: number): Expr[] {
  const values = Array.from({ length: RUN_GROUP }, () => fn.local('v128'));
  const vectors = (lanes: number[]): Expr[] => {
    const used = values.slice(0, lanes.length);
    return [
      ...used.map((v, j) => set(v, v128.load(get(base), 16 * j))),
      ...activate(fn, act, used),
      ...used.flatMap((v, j) => storeLanes(get(base), 16 * j, v, lanes[j])),
    ];
  };
  const groups = Math.floor(count / (4 * RUN_GROUP));
  const rest = count - 4 * RUN_GROUP * groups;
  const end = fn.local('i32');
  return [
    ...(groups > 0 ? [
      set(end, i32.add(get(base), i32.const(16 * RUN_GROUP * groups))),
      doWhile([...vectors(Array(RUN_GROUP).fill(4)), bump(base, 16 * RUN_GROUP)], i32.ltU(get(base), get(end))),
    ] : []),
    ...(rest > 0 ? [...vectors(Array.from({ length: Math.ceil(rest / 4) }, (_, j) => Math.min(4, rest - 4 * j))), bump(base, 4 * rest)] : []),
  ];
}
