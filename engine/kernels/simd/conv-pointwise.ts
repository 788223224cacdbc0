// 1x1 convolution, stride 1, no pad, one group: per image the matrix product (gemm.ts)
//   y[o, p] = act(bias[o] + sum_c W[o, c] · x[c, p])      over the P = H·W pixels.

import type { NodeOf } from '../../graph/ops.js';
import { i32, range } from '../../wasm/instructions.js';
import { emitGemm } from './gemm.js';
import { PANEL_BYTES, usePanel } from './gemm-panel.js';
import { packGemm } from './gemm-weights.js';
import { imageAt, type SimdKernelFactory } from './kernel.js';

export const convPointwise: SimdKernelFactory<NodeOf<'Conv'>> = (node, inShapes, outShapes) => {
  const [N, C, H, W] = inShapes[0];
  const O = outShapes[0][1];
  const P = H * W;
  const { activation } = node.attrs;
  const { weight, bias, slope } = node.weights;
  const panel = usePanel(C, 4 * P);
  return {
    constants: packGemm(O, C, activation, weight.data, bias?.data, slope?.data),
    scratchBytes: panel ? PANEL_BYTES : 0,
    emit(fn, at) {
      const n = fn.local('i32');
      return [range(n, 0, N, 1, emitGemm(fn, {
        O, K: C, P, activation, weights: i32.const(at.constants),
        x: imageAt(at.inputs[0], n, 4 * C * P), xStride: 4 * P,
        y: imageAt(at.outputs[0], n, 4 * O * P),
        panel: panel ? at.scratch : undefined,
      }))];
    },
  };
};
