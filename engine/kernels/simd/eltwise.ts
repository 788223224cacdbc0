// Eltwise over 2+ inputs of one shape (both eltwise variants): sum (y = sum_i coeffs[i] · x_i),
// prod or max, then the fused activation, eight vectors per step (their ELUs overlap: 0.8 ns
// per element against 1.0 with four). A prelu over several channels walks the tensor plane by
// plane (constants: the C slopes); otherwise it is one flat run. With one input and nothing to
// combine, the same loop is a standalone activation (activation-node.ts).

import { sizeOf, type Shape } from '../../graph/graph.js';
import { f32x4, get, set, storeLanes, v128, type Expr } from '../../wasm/instructions.js';
import { activate, type SimdActivation } from './activation.js';
import type { SimdKernel, SimdKernelFactory } from './kernel.js';
import { emitPlanes } from './planes.js';

const GROUP = 8;

export interface Elementwise {
  /** Every input's shape (and the output's). */
  shape: Shape;
  /** One per input. */
  coeffs: number[];
  operation: 'sum' | 'prod' | 'max';
  activation: SimdActivation;
  /** Channel c of plane p is p mod channels; planes of `inner` elements. */
  channels: number;
  inner: number;
}

/** y = act(the inputs combined by `operation`). */
export function elementwise({ shape, coeffs, operation, activation, channels, inner }: Elementwise): SimdKernel {
  const slope = activation.kind === 'prelu' ? activation.slope : undefined;
  const perChannel = slope !== undefined && channels > 1;
  const total = sizeOf(shape);
  return {
    constants: perChannel ? [slope] : [],
    emit(fn, at) {
      const layout = perChannel
        ? { planes: total / inner, count: inner, group: GROUP, params: { at: at.constants, period: channels, bytes: 4 } }
        : { planes: 1, count: total, group: GROUP };
      const values = Array.from({ length: GROUP }, () => fn.local('v128'));
      return emitPlanes(fn, layout, (i, param, slots) => {
        const combine = (offset: number): Expr => {
          const load = (t: number) => v128.load(get(i), at.inputs[t] + offset);
          const term = (t: number) => (coeffs[t] === 1 ? load(t) : f32x4.mul(fn.splat(coeffs[t]), load(t)));
          const plus = (acc: Expr, t: number) => (coeffs[t] === 1 ? f32x4.add(acc, load(t)) : fn.madd(fn.splat(coeffs[t]), load(t), acc));
          let acc = term(0);
          for (let t = 1; t < coeffs.length; t++) {
            acc = operation === 'sum' ? plus(acc, t) : operation === 'prod' ? f32x4.mul(acc, load(t)) : f32x4.pmax(acc, load(t));
          }
          return acc;
        };
        const used = values.slice(0, slots.length);
        return [
          ...slots.map((slot, v) => set(used[v], combine(slot.offset))),
          ...activate(fn, activation, used, () => (perChannel ? v128.load32Splat(get(param), 0) : fn.splat(slope![0]))),
          ...slots.flatMap((slot, v) => storeLanes(get(i), at.outputs[0] + slot.offset, used[v], slot.lanes)),
        ];
      });
    },
  };
}

export const eltwise: SimdKernelFactory<'eltwise-sum2' | 'eltwise'> = (k) => elementwise({
  shape: k.inShapes[0],
  coeffs: k.variant === 'eltwise' ? k.coeffs : [1, 1],
  operation: k.variant === 'eltwise' ? k.operation : 'sum',
  activation: k.activation,
  channels: k.channels,
  inner: k.inner,
});
