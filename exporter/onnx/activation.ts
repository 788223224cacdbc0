// Elementwise activations, standalone or fused into the op before them (Conv, Eltwise):
// relu → Relu, or LeakyRelu(alpha) when it leaks; elu → Elu(alpha); prelu → PRelu with the
// per-channel slopes shaped [C, 1, …] to broadcast along axis 1. Also Sigmoid, TanH, Softmax.

import type { Node, Tensor } from '../../engine/graph/graph.js';
import type { Activation } from '../../engine/graph/ops.js';
import { float, int, type Mapping, type OnnxBuilder } from './builder.js';

/** Writes y = activation(x); y is an engine value (its shape gives PRelu's slope shape). */
function activate(b: OnnxBuilder, node: Node, activation: Exclude<Activation, { kind: 'none' }>, slope: Tensor | undefined,
  x: string, y: string): void {
  switch (activation.kind) {
    case 'relu':
      if (activation.negativeSlope === 0) b.add(node, 'Relu', [x], [y]);
      else b.add(node, 'LeakyRelu', [x], [y], [float('alpha', activation.negativeSlope)]);
      return;
    case 'elu':
      b.add(node, 'Elu', [x], [y], [float('alpha', activation.alpha)]);
      return;
    case 'prelu': {
      const n = slope!.data.length; // shape inference checked the slopes are there
      const shape = n === 1 ? [1] : [n, ...Array<number>(b.shape(y).length - 2).fill(1)];
      b.add(node, 'PRelu', [x, b.weight(node, 'slope', slope!, shape)], [y]);
      return;
    }
  }
}

/** Lets `emit` write the op into y, or into a fresh value followed by the fused activation. */
export function withActivation(b: OnnxBuilder, node: Node, activation: Activation, slope: Tensor | undefined,
  y: string, emit: (out: string) => void): void {
  if (activation.kind === 'none') return emit(y);
  const raw = b.fresh(`${node.name}/preactivation`);
  emit(raw);
  activate(b, node, activation, slope, raw, y);
}

export const mapRelu: Mapping<'Relu'> = (b, node) =>
  activate(b, node, { kind: 'relu', negativeSlope: node.attrs.negativeSlope }, undefined, node.inputs[0], node.outputs[0]);

export const mapPRelu: Mapping<'PRelu'> = (b, node) =>
  activate(b, node, { kind: 'prelu' }, node.weights.slope, node.inputs[0], node.outputs[0]);

export const mapElu: Mapping<'Elu'> = (b, node) =>
  activate(b, node, { kind: 'elu', alpha: node.attrs.alpha }, undefined, node.inputs[0], node.outputs[0]);

export const mapSigmoid: Mapping<'Sigmoid'> = (b, node) => b.add(node, 'Sigmoid', node.inputs, node.outputs);

export const mapTanH: Mapping<'TanH'> = (b, node) => b.add(node, 'Tanh', node.inputs, node.outputs);

/** Opset 13+ Softmax normalises along the one axis, as the engine does. */
export const mapSoftmax: Mapping<'Softmax'> = (b, node) =>
  b.add(node, 'Softmax', node.inputs, node.outputs, [int('axis', node.attrs.axis)]);
