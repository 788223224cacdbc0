// Softmax along axis: x walked as outer x C x inner,
//   y[o, c, i] = e[o, c, i] / sum_c e[o, c, i],   e = exp(x − max_c x[o, c, i])   (exp.ts)
// so exp never overflows. Four lanes run along inner, GROUP vectors per step (their exps
// overlap); three passes over c per group: the maximum, e (stored in y) and its sum, then y
// times 1/sum. A group at the end of a row of inner may be partial: its loads read past it
// (within the GUARD) and its stores skip those lanes. (inner = 1, as after an InnerProduct,
// leaves three lanes idle: such tensors are small.)

import { bump, doWhile, f32x4, get, i32, range, set, storeLanes, v128, type Expr, type FunctionBuilder, type Local } from '../../wasm/instructions.js';
import { interleave, negativeExp } from './exp.js';
import type { SimdKernelFactory } from './kernel.js';

const GROUP = 4;

export const softmax: SimdKernelFactory<'softmax'> = ({ outer, channels: C, inner }) => {
  const planeBytes = 4 * inner; // from one c to the next
  return {
    constants: [],
    emit(fn: FunctionBuilder, at) {
      const o = fn.local('i32');
      const p = fn.local('i32'); // byte offset of [o, 0, i]
      const q = fn.local('i32'); // byte offset of [o, c, i]
      const end = fn.local('i32');
      const max = Array.from({ length: GROUP }, () => fn.local('v128'));
      const sum = Array.from({ length: GROUP }, () => fn.local('v128'));
      const e = Array.from({ length: GROUP }, () => fn.local('v128'));
      const X = at.inputs[0];
      const Y = at.outputs[0];

      /** Statements for every c, q stepping from p through the channels. */
      const overC = (from: number, body: Expr[]): Expr[] => (from >= C ? [] : [
        set(q, i32.add(get(p), i32.const(from * planeBytes))),
        doWhile([...body, bump(q, planeBytes)], i32.ltU(get(q), i32.add(get(p), i32.const(C * planeBytes)))),
      ]);

      /** `lanes[v]` lanes of vector v at p + 16v. */
      const group = (lanes: number[]): Expr[] => {
        const vs = lanes.map((_, v) => v);
        const exps = interleave(vs.map((v) => [
          set(e[v], f32x4.sub(v128.load(get(q), X + 16 * v), get(max[v]))),
          ...negativeExp(fn, e[v], e[v]),
          set(sum[v], f32x4.add(get(sum[v]), get(e[v]))),
          ...storeLanes(get(q), Y + 16 * v, e[v], lanes[v]),
        ]));
        const scale = (v: number, l: Local) => [set(l, f32x4.mul(v128.load(get(q), Y + 16 * v), get(sum[v]))), ...storeLanes(get(q), Y + 16 * v, l, lanes[v])];
        return [
          ...vs.map((v) => set(max[v], v128.load(get(p), X + 16 * v))),
          ...overC(1, vs.map((v) => set(max[v], f32x4.pmax(get(max[v]), v128.load(get(q), X + 16 * v))))),
          ...vs.map((v) => set(sum[v], fn.splat(0))),
          ...overC(0, exps),
          ...vs.map((v) => set(sum[v], f32x4.div(fn.splat(1), get(sum[v])))),
          ...overC(0, vs.flatMap((v) => scale(v, e[v]))),
        ];
      };

      const full = Math.floor(inner / (4 * GROUP));
      const rest = inner - 4 * GROUP * full;
      const restLanes = Array.from({ length: Math.ceil(rest / 4) }, (_, v) => Math.min(4, rest - 4 * v));
      return [
        set(p, i32.const(0)),
        range(o, 0, outer, 1, [
          ...(full > 0 ? [
            set(end, i32.add(get(p), i32.const(16 * GROUP * full))),
            doWhile([...group(Array(GROUP).fill(4)), bump(p, 16 * GROUP)], i32.ltU(get(p), get(end))),
          ] : []),
          ...(rest > 0 ? [...group(restLanes), bump(p, 4 * rest)] : []),
          bump(p, (C - 1) * planeBytes),
        ]),
      ];
    },
  };
};
