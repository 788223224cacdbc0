// Scale (and BatchNorm, lowered to one): x walked as outer x channels planes of `inner` elements,
// y = x · scale[c] + bias[c] (constants: [scale, bias] per channel).

import { get, set, storeLanes, v128, type Expr } from '../../wasm/instructions.js';
import type { SimdKernelFactory } from './kernel.js';
import { emitPlanes } from './planes.js';

export const scale: SimdKernelFactory<'scale'> = ({ outer, channels, inner, scale: s, bias: b }) => {
  const constants = new Float32Array(2 * channels);
  s.forEach((v, c) => { constants[2 * c] = v; constants[2 * c + 1] = b[c]; });
  return {
    constants: [constants],
    emit(fn, at) {
      const layout = { planes: outer * channels, count: inner, group: 2, params: { at: at.constants, period: channels, bytes: 8 } };
      const v = fn.local('v128');
      return emitPlanes(fn, layout, (i, param, slots) => slots.flatMap((slot): Expr[] => {
        const y = fn.madd(v128.load(get(i), at.inputs[0] + slot.offset), v128.load32Splat(get(param), 0), v128.load32Splat(get(param), 4));
        return [set(v, y), ...storeLanes(get(i), at.outputs[0] + slot.offset, v, slot.lanes)];
      }));
    },
  };
};
