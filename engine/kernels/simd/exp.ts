// expm1 on four f32 lanes, for ELU: within 9.0e-8 relative (0.75 ulp) of the true value over
// [-87, 0], in float32 arithmetic (test/simd/exp.test.ts measures it):
//
//   x = max(min(v, 0), -87)      ELU needs only v <= 0; at -87, 2^n is still a normal float
//   t = x·log2(e) + SHIFT        SHIFT = 1.5·2^23 + 127: the add rounds x/ln2 to an integer n,
//   n = t − SHIFT                and t's low mantissa bits hold n + 127
//   r = (x − n·C1) − n·C2        ln2 = C1 + C2 (Cody–Waite; n·C1 is exact), |r| <= ln2/2
//   q = r + r²·P(r)              expm1(r); P of degree 4, fitted to (expm1(r) − r)/r² for
//                                relative error 1.4e-8 in exact arithmetic (Lawson's minimax)
//   s = 2^n                      as bits: (n + 127) << 23, which is t's bits << 23
//   expm1(x) = s·q + (s − 1)     s·q and s − 1 are exact: one rounding, no cancellation near 0
//   exp(x)   = s·q + s           (for Softmax, Sigmoid: relative error the same)
//
// Each a·b + c above is FunctionBuilder.madd: one relaxed multiply-add where the module uses
// relaxed SIMD, fused or not as the processor runs it; the bound holds either way (the test
// measures both).
//
// Each call returns one chain of statements; `interleave` runs several chains' steps in
// turn, so independent exps overlap in the pipeline.

import { f32x4, FunctionBuilder, get, i32, i32x4, set, type Expr, type Local } from '../../wasm/instructions.js';

const SHIFT = 12582912 + 127;
const LOG2E = 1.44269504088896341;
const C1 = 0.693359375;
const C2 = -2.12194440e-4;
/** P's coefficients, highest degree first. */
const P = [1.3882395578548312e-3, 8.367180824279785e-3, 4.166722297668457e-2, 1.6666539013385773e-1, 4.999999701976776e-1];

/** Statements that set `out` to expm1(max(min(v, 0), -87)) lane by lane; `v` is left as it is. */
export const negativeExpm1 = (fn: FunctionBuilder, v: Local, out: Local): Expr[] => negative(fn, v, out, 1);

/** Statements that set `out` to exp(max(min(v, 0), -87)) lane by lane; `v` is left as it is. */
export const negativeExp = (fn: FunctionBuilder, v: Local, out: Local): Expr[] => negative(fn, v, out, 0);

/** s·q + (s − minus): expm1 with minus = 1, exp with minus = 0. */
function negative(fn: FunctionBuilder, v: Local, out: Local, minus: 0 | 1): Expr[] {
  const x = fn.local('v128');
  const t = fn.local('v128');
  const n = fn.local('v128');
  const r = fn.local('v128');
  const { sub, mul, pmin, pmax } = f32x4;
  const splat = (c: number) => fn.splat(c);
  let poly = splat(P[0]);
  for (const c of P.slice(1)) poly = fn.madd(poly, get(r), splat(c));
  return [
    set(x, pmax(pmin(get(v), splat(0)), splat(-87))),
    set(t, fn.madd(get(x), splat(LOG2E), splat(SHIFT))),
    set(n, sub(get(t), splat(SHIFT))),
    set(r, sub(sub(get(x), mul(get(n), splat(C1))), mul(get(n), splat(C2)))),
    set(out, fn.madd(mul(get(r), get(r)), poly, get(r))),
    set(t, i32x4.shl(get(t), i32.const(23))),
    set(out, fn.madd(get(t), get(out), minus === 1 ? sub(get(t), splat(1)) : get(t))),
  ];
}

/** The chains' statements, step by step: step 0 of every chain, then step 1, ... */
export function interleave(chains: Expr[][]): Expr[] {
  const out: Expr[] = [];
  const steps = Math.max(0, ...chains.map((c) => c.length));
  for (let s = 0; s < steps; s++) for (const chain of chains) if (s < chain.length) out.push(chain[s]);
  return out;
}
