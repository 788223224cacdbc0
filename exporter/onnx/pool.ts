// Pool → MaxPool / AveragePool (ceil_mode from rounding, pads as Conv's), or GlobalMaxPool /
// GlobalAveragePool. Where Caffe's pooling and ONNX's part, the node is refused rather than
// exported as something else:
// - The last ceil-mode window may start in the end padding (or past the input when unpadded).
//   The engine drops it (ops.ts windowOutput). ONNX keeps it up to opset 21 and drops it from
//   opset 22 (MaxPool-22/AveragePool-22; onnxruntime drops it at every opset). So such a layer
//   exports only at opset 22+.
// - Average divisor. Caffe divides by the window clipped to the padded input. ONNX's
//   count_include_pad=1 divides by the kernel area (onnx's reference implementation), the same
//   unless a ceil-mode window runs past the end padding; count_include_pad=0 divides by the
//   window's part inside the input, the same when nothing is padded, and always the engine's
//   excludePad.

import type { NodeOf } from '../../engine/graph/ops.js';
import { int, ints, type Mapping, type OnnxBuilder } from './builder.js';

const AXES = ['height', 'width'];

function checkLastWindow(b: OnnxBuilder, node: NodeOf<'Pool'>, axis: number, size: number, out: number): void {
  const { kernel, stride, pad } = node.attrs;
  const [k, s, before, after] = [kernel[axis], stride[axis], pad[axis], pad[axis + 2]];
  const start = Math.ceil((size + before + after - k) / s) * s - before;
  if (start < size) return;
  const where = `with rounding 'ceil' the last window over ${AXES[axis]} (kernel ${k}, stride ${s}, pads ${before},${after}) `
    + `would start at ${start}, at or past the end of the input (${size})`;
  if (b.opset < 22) {
    b.fail(node, `${where}: the engine drops it (${out} windows), ONNX opset ${b.opset} keeps it (${out + 1}); `
      + 'opset 22 drops it too: export with opset 22');
  }
}

export const mapPool: Mapping<'Pool'> = (b, node) => {
  const { method, global, kernel, stride, pad, rounding, excludePad } = node.attrs;
  const [x, y] = [node.inputs[0], node.outputs[0]];
  if (global) return b.add(node, method === 'max' ? 'GlobalMaxPool' : 'GlobalAveragePool', [x], [y]);

  const sizes = b.shape(x).slice(2);
  const outs = b.shape(y).slice(2);
  if (rounding === 'ceil') for (const a of [0, 1]) checkLastWindow(b, node, a, sizes[a], outs[a]);
  const attributes = [ints('kernel_shape', kernel), ints('strides', stride), ints('pads', pad), int('ceil_mode', rounding === 'ceil' ? 1 : 0)];
  if (method === 'max') return b.add(node, 'MaxPool', [x], [y], attributes);

  const unpadded = pad.every((p) => p === 0);
  const overrun = [0, 1].find((a) => (outs[a] - 1) * stride[a] + kernel[a] > sizes[a] + pad[a] + pad[a + 2]);
  if (overrun !== undefined && !excludePad && !unpadded) {
    b.fail(node, `average pooling with pads ${pad.join(',')}: the last window over ${AXES[overrun]} runs past the padded input `
      + `${sizes[overrun] + pad[overrun] + pad[overrun + 2]}; Caffe divides it by its part inside the padded input, `
      + 'ONNX by the kernel area (count_include_pad=1) or its part inside the input (count_include_pad=0)');
  }
  b.add(node, 'AveragePool', [x], [y], [...attributes, int('count_include_pad', excludePad || unpadded ? 0 : 1)]);
};
