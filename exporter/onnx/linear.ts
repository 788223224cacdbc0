// The weighted ops: Conv → Conv (+ its fused activation); InnerProduct → Reshape to
// [batch, …, K] + MatMul by the weight as [K, outputs] + Add of the bias.

import { sizeOf } from '../../engine/graph/graph.js';
import { int, ints, type Mapping } from './builder.js';
import { withActivation } from './activation.js';

/** Engine pads [top, left, bottom, right] are already ONNX's [x1_begin, x2_begin, x1_end, x2_end]. */
export const mapConv: Mapping<'Conv'> = (b, node) => {
  const { kernel, stride, pad, dilation, outChannels, group, activation } = node.attrs;
  const { weight, bias, slope } = node.weights;
  const channels = b.shape(node.inputs[0])[1];
  const inputs = [node.inputs[0], b.weight(node, 'weight', weight, [outChannels, channels / group, ...kernel])];
  if (bias) inputs.push(b.weight(node, 'bias', bias, [outChannels]));
  const attributes = [ints('kernel_shape', kernel), ints('strides', stride), ints('pads', pad), ints('dilations', dilation), int('group', group)];
  withActivation(b, node, activation, slope, node.outputs[0], (out) => b.add(node, 'Conv', inputs, [out], attributes));
};

/** [rows, cols] row-major → [cols, rows]. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

export const mapInnerProduct: Mapping<'InnerProduct'> = (b, node) => {
  const { axis, outputs, transpose: transposed } = node.attrs;
  const { weight, bias } = node.weights;
  const [x, y] = [node.inputs[0], node.outputs[0]];
  const shape = b.shape(x);
  const k = sizeOf(shape.slice(axis));
  let flat = x;
  if (shape.length !== axis + 1) {
    // 0 keeps the batch (dim 0) dynamic.
    flat = b.fresh(`${node.name}/flat`);
    b.add(node, 'Reshape', [x, b.int64s(`${node.name}.shape`, [0, ...shape.slice(1, axis), k])], [flat]);
  }
  const w = b.floats(`${node.name}.weight`, [k, outputs], transposed ? weight.data : transpose(weight.data, outputs, k));
  const product = bias ? b.fresh(`${node.name}/matmul`) : y;
  b.add(node, 'MatMul', [flat, w], [product]);
  if (bias) b.add(node, 'Add', [product, b.weight(node, 'bias', bias, [outputs])], [y]);
};
