// Arithmetic with constants and between values: Scale → Mul (+ Add), BatchNorm →
// BatchNormalization, Power → Mul/Add/Pow, Clamp → Clip, Eltwise → Sum/Mul/Max.
// Per-channel constants are shaped to broadcast from their axis: ONNX aligns shapes at the
// last dim, so a constant [C] at axis 1 of [N, C, H, W] is written as [C, 1, 1].

import type { Node } from '../../engine/graph/graph.js';
import { float, type Mapping, type OnnxBuilder } from './builder.js';
import { withActivation } from './activation.js';

/** A scalar float initializer. */
const scalar = (b: OnnxBuilder, node: Node, key: string, value: number) => b.floats(`${node.name}.${key}`, [], [value]);

/** Writes `op` over `x` and each operand in turn (binary ops only take two), the last into y. */
function chain(b: OnnxBuilder, node: Node, steps: { op: string; operand: string }[], x: string, y: string): void {
  steps.forEach(({ op, operand }, i) => {
    const out = i === steps.length - 1 ? y : b.fresh(`${node.name}/${op}`);
    b.add(node, op, [x, operand], [out]);
    x = out;
  });
}

export const mapScale: Mapping<'Scale'> = (b, node) => {
  const { scale, bias } = node.weights;
  const x = node.inputs[0];
  const trailing = b.shape(x).length - node.attrs.axis - scale.shape.length;
  const shape = [...scale.shape, ...Array<number>(trailing).fill(1)];
  const steps = [{ op: 'Mul', operand: b.weight(node, 'scale', scale, shape) }];
  if (bias) steps.push({ op: 'Add', operand: b.weight(node, 'bias', bias, shape) });
  chain(b, node, steps, x, node.outputs[0]);
};

/** Inference BatchNormalization with scale 1 and bias 0: (x - mean) / sqrt(variance + epsilon). */
export const mapBatchNorm: Mapping<'BatchNorm'> = (b, node) => {
  const { mean, variance } = node.weights;
  const c = mean.data.length;
  const inputs = [
    node.inputs[0],
    b.floats(`${node.name}.scale`, [c], new Float32Array(c).fill(1)),
    b.floats(`${node.name}.bias`, [c], new Float32Array(c)),
    b.weight(node, 'mean', mean, [c]),
    b.weight(node, 'variance', variance, [c]),
  ];
  b.add(node, 'BatchNormalization', inputs, node.outputs, [float('epsilon', node.attrs.eps)]);
};

/** (shift + scale * x) ^ power, leaving out the steps that change nothing. */
export const mapPower: Mapping<'Power'> = (b, node) => {
  const { power, scale, shift } = node.attrs;
  const steps = [
    { op: 'Mul', key: 'scale', value: scale, noop: 1 },
    { op: 'Add', key: 'shift', value: shift, noop: 0 },
    { op: 'Pow', key: 'power', value: power, noop: 1 },
  ].filter((s) => s.value !== s.noop);
  if (steps.length === 0) return b.add(node, 'Identity', node.inputs, node.outputs);
  chain(b, node, steps.map((s) => ({ op: s.op, operand: scalar(b, node, s.key, s.value) })), node.inputs[0], node.outputs[0]);
};

/** Clip takes its bounds as inputs since opset 11. */
export const mapClamp: Mapping<'Clamp'> = (b, node) => {
  const { min, max } = node.attrs;
  b.add(node, 'Clip', [node.inputs[0], scalar(b, node, 'min', min), scalar(b, node, 'max', max)], node.outputs);
};

/** sum: Sum of the inputs, each first multiplied by its coefficient unless that is 1;
 *  prod: a chain of Mul; max: Max. Then the fused activation. */
export const mapEltwise: Mapping<'Eltwise'> = (b, node) => {
  const { operation, coeffs, activation } = node.attrs;
  const [first, ...rest] = node.inputs;
  withActivation(b, node, activation, node.weights.slope, node.outputs[0], (out) => {
    if (operation === 'max') return b.add(node, 'Max', node.inputs, [out]);
    if (operation === 'prod') return chain(b, node, rest.map((x) => ({ op: 'Mul', operand: x })), first, out);
    const terms = node.inputs.map((x, i) => {
      const k = coeffs[i] ?? 1;
      if (k === 1) return x;
      const scaled = b.fresh(`${node.name}/${x}*${k}`);
      b.add(node, 'Mul', [x, scalar(b, node, `coeff${i}`, k)], [scaled]);
      return scaled;
    });
    b.add(node, 'Sum', terms, [out]);
  });
};
