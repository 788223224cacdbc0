// 1x1 convolution, stride 1, no pad, one group: per image the matrix product (gemm.ts)
//   y[o, p] = act(bias[o] + sum_c W[o, c] · x[c, p])      over the P = H·W pixels,
// X read through the panel in scratch when the lowering asks for one.

import { i32, range } from '../../wasm/instructions.js';
import { emitGemm } from './gemm.js';
import { slopeOf } from './packed-once.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';

export const convPointwise: SimdKernelFactory<'conv-pointwise'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const O = k.outShapes[0][1];
  const P = H * W;
  const { weight, bias, activation } = k.conv;
  return {
    constants: [weight, bias, ...slopeOf(activation)],
    emit(fn, at) {
      const n = fn.local('i32');
      return [range(n, 0, N, 1, emitGemm(fn, {
        O, K: C, P, activation, weights: i32.const(at.constants), bias: i32.const(at.constants + 4 * O * C), slopes: 4 * O,
        x: imageAt(at.inputs[0], n, 4 * C * P), xStride: 4 * P,
        y: imageAt(at.outputs[0], n, 4 * O * P),
        panel: k.panel ? at.scratch : undefined,
      }))];
    },
  };
};
