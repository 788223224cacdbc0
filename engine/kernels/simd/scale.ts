// Scale: y = x · scale[s] + bias[s], s running over the dims [axis, axis + scale.ndim) of x,
// walked as outer x S planes of `inner` elements (constants: [scale, bias] per s). Planes
// shorter than a vector are left to the CPU kernel.

import { sizeOf } from '../../graph/graph.js';
import type { NodeOf } from '../../graph/ops.js';
import { f32x4, get, set, storeLanes, v128, type Expr } from '../../wasm/instructions.js';
import type { SimdKernelFactory } from './kernel.js';
import { emitPlanes } from './planes.js';

export const scale: SimdKernelFactory<NodeOf<'Scale'>> = (node, inShapes) => {
  const shape = inShapes[0];
  const { axis } = node.attrs;
  const s = node.weights.scale.data;
  const b = node.weights.bias?.data;
  const inner = sizeOf(shape.slice(axis + node.weights.scale.shape.length));
  if (inner < 4) return undefined;
  const constants = new Float32Array(2 * s.length);
  s.forEach((v, k) => { constants[2 * k] = v; constants[2 * k + 1] = b ? b[k] : 0; });
  return {
    constants,
    scratchBytes: 0,
    emit(fn, at) {
      const layout = { planes: sizeOf(shape) / inner, count: inner, group: 2, params: { at: at.constants, period: s.length, bytes: 8 } };
      const v = fn.local('v128');
      return emitPlanes(fn, layout, (i, param, slots) => slots.flatMap((slot): Expr[] => {
        const y = f32x4.add(f32x4.mul(v128.load(get(i), at.inputs[0] + slot.offset), v128.load32Splat(get(param), 0)), v128.load32Splat(get(param), 4));
        return [set(v, y), ...storeLanes(get(i), at.outputs[0] + slot.offset, v, slot.lanes)];
      }));
    },
  };
};
