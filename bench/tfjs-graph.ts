// The optimised engine graph mapped onto TensorFlow.js ops, so tfjs runs exactly the graph our
// engine runs (the peers get the same 154 nodes of RMNet, fused activations included; MTCNN's
// P-, R- and O-Net too). tfjs convolves NHWC: the input is transposed once on the way in, 4-D
// outputs once on the way out, and weights are re-laid out here, at build time ([O, I/g, kh, kw]
// → [kh, kw, I, O], depthwise [C, 1, kh, kw] → [kh, kw, C, 1]); an InnerProduct after a
// convolution transposes back to NCHW before flattening, as Caffe flattens C, H, W. Intermediates
// are freed after their last reader, as tfjs-converter's executor does. Every node's output
// shape is checked against the graph's on the first run; a node without a mapping is an error
// naming it (L-Net's Slice and Concat have none).

import * as tf from '@tensorflow/tfjs-core';
import type { Graph, Node, Shape } from '../dist/engine/graph/graph.js';
import type { Activation } from '../dist/engine/graph/ops.js';

export interface TfjsNet {
  /** Runs one batch (NCHW floats, as the graph's input); returns every output by name, NCHW. */
  run(input: Float32Array): Record<string, Float32Array>;
  dispose(): void;
}

type Layer = (xs: tf.Tensor[]) => tf.Tensor;
/** Keeps a weight tensor (freed by dispose()). */
type Own = <T extends tf.Tensor>(t: T) => T;

const toNhwc = (s: Shape): Shape => (s.length === 4 ? [s[0], s[2], s[3], s[1]] : s);

const explicitPad = ([t, l, b, r]: number[]): [[number, number], [number, number], [number, number], [number, number]] =>
  [[0, 0], [t, b], [l, r], [0, 0]];

/** An unfused activation (tfjs's elu has alpha 1; others are built from where/exp). */
function activate(x: tf.Tensor, activation: Activation, slope: tf.Tensor | undefined): tf.Tensor {
  switch (activation.kind) {
    case 'none': return x;
    case 'relu': return activation.negativeSlope === 0 ? tf.relu(x) : tf.leakyRelu(x, activation.negativeSlope);
    case 'elu': return activation.alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(tf.sub(tf.exp(x), 1), activation.alpha));
    case 'prelu': return tf.prelu(x, slope!);
  }
}

function convLayer(node: Extract<Node, { op: 'Conv' }>, own: Own): Layer {
  const { stride, pad, group, outChannels, dilation, activation } = node.attrs;
  const { weight, bias, slope } = node.weights;
  const inChannels = weight.shape[1] * group;
  const depthwise = group > 1 && group === inChannels && outChannels === inChannels;
  if (group !== 1 && !depthwise) {
    throw new Error(`tfjs-graph: node '${node.name}' (Conv): group ${group} with ${inChannels}→${outChannels} channels has no tfjs op (only group 1 or depthwise)`);
  }
  // tfjs's fused depthwise takes only a symmetric pad (a number); conv2d also an explicit one.
  const symmetric = pad.every((p) => p === pad[0]);
  if (depthwise && !symmetric) throw new Error(`tfjs-graph: node '${node.name}' (Conv depthwise): asymmetric pad [${pad}] is not mapped`);
  const raw = tf.tensor4d(weight.data, weight.shape as [number, number, number, number]);
  const filter = own(tf.transpose(raw, depthwise ? [2, 3, 0, 1] : [2, 3, 1, 0]) as tf.Tensor4D);
  raw.dispose();
  const biasT = bias ? own(tf.tensor1d(bias.data)) : undefined;
  const slopeT = slope ? own(tf.tensor1d(slope.data)) : undefined;
  // Fused epilogue where tfjs has one (its elu is alpha 1); otherwise applied after.
  const fused: tf.fused.Activation | undefined = activation.kind === 'none' ? 'linear'
    : activation.kind === 'relu' ? (activation.negativeSlope === 0 ? 'relu' : 'leakyrelu')
    : activation.kind === 'elu' ? (activation.alpha === 1 ? 'elu' : undefined)
    : 'prelu';
  const common = {
    filter, strides: stride, dilations: dilation, dimRoundingMode: 'floor' as const, bias: biasT,
    activation: fused ?? 'linear', preluActivationWeights: slopeT,
    leakyreluAlpha: activation.kind === 'relu' ? activation.negativeSlope : undefined,
  };
  return ([x]) => {
    const y = depthwise
      ? tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, pad: pad[0], ...common })
      : tf.fused.conv2d({ x: x as tf.Tensor4D, pad: symmetric ? pad[0] : explicitPad(pad), ...common });
    if (fused) return y;
    const z = tf.tidy(() => activate(y, activation, slopeT));
    y.dispose();
    return z;
  };
}

function layerFor(node: Node, inShapes: Shape[], outShape: Shape, own: Own): Layer {
  switch (node.op) {
    case 'Conv': return convLayer(node, own);
    case 'Scale': {
      const { scale, bias } = node.weights;
      if (node.attrs.axis !== 1 || scale.shape.length !== 1 || inShapes[0].length !== 4) {
        throw new Error(`tfjs-graph: node '${node.name}' (Scale): only a per-channel scale of a 4-D tensor is mapped (axis ${node.attrs.axis}, scale [${scale.shape}])`);
      }
      const s = own(tf.tensor1d(scale.data));
      const b = bias ? own(tf.tensor1d(bias.data)) : undefined;
      return ([x]) => tf.tidy(() => (b ? tf.add(tf.mul(x, s), b) : tf.mul(x, s)));
    }
    case 'Eltwise': {
      const { operation, coeffs, activation } = node.attrs;
      const slope = node.weights.slope ? own(tf.tensor1d(node.weights.slope.data)) : undefined;
      return (xs) => tf.tidy(() => {
        const terms = coeffs.length ? xs.map((x, i) => tf.mul(x, coeffs[i])) : xs;
        const y = operation === 'sum' ? tf.addN(terms) : terms.reduce((a, x) => (operation === 'prod' ? tf.mul(a, x) : tf.maximum(a, x)));
        return activate(y, activation, slope);
      });
    }
    case 'Pool': {
      const { method, global, kernel, stride, pad, rounding } = node.attrs;
      if (global) return ([x]) => (method === 'max' ? tf.max(x, [1, 2], true) : tf.mean(x, [1, 2], true));
      if (method === 'ave' && pad.some((p) => p !== 0)) {
        throw new Error(`tfjs-graph: node '${node.name}' (Pool ave): padded average pooling divides differently in tfjs (pad [${pad}])`);
      }
      const symmetric = pad.every((p) => p === pad[0]);
      if (!symmetric) throw new Error(`tfjs-graph: node '${node.name}' (Pool): asymmetric pad [${pad}] is not mapped`);
      // Caffe's ceil rounding can leave a last window hanging past the (padded) input; Caffe takes
      // the maximum of what it covers, tfjs would not: pad with -Infinity explicitly, pool 'valid'.
      const [, , h, w] = inShapes[0], [, , oh, ow] = outShape;
      const extra = [(oh - 1) * stride[0] + kernel[0] - h - 2 * pad[0], (ow - 1) * stride[1] + kernel[1] - w - 2 * pad[0]].map((e) => Math.max(0, e));
      if (extra.every((e) => e === 0)) {
        const op = method === 'max' ? tf.maxPool : tf.avgPool;
        return ([x]) => op(x as tf.Tensor4D, kernel, stride, pad[0], rounding);
      }
      if (method !== 'max') throw new Error(`tfjs-graph: node '${node.name}' (Pool ave): a partial last window (ceil rounding) is not mapped`);
      const padding: [number, number][] = [[0, 0], [pad[0], pad[0] + extra[0]], [pad[0], pad[0] + extra[1]], [0, 0]];
      return ([x]) => tf.tidy(() => tf.maxPool(tf.pad(x as tf.Tensor4D, padding, -Infinity), kernel, stride, 'valid'));
    }
    case 'Relu': return ([x]) => activate(x, { kind: 'relu', negativeSlope: node.attrs.negativeSlope }, undefined);
    case 'Elu': return ([x]) => activate(x, { kind: 'elu', alpha: node.attrs.alpha }, undefined);
    case 'PRelu': {
      // One slope per channel: the last axis in NHWC, and of an [N, C] matrix.
      const slope = own(tf.tensor1d(node.weights.slope.data));
      return ([x]) => tf.prelu(x, slope);
    }
    case 'InnerProduct': {
      const { axis, outputs, transpose } = node.attrs;
      if (axis !== 1) throw new Error(`tfjs-graph: node '${node.name}' (InnerProduct): only axis 1 is mapped, found ${axis}`);
      const { weight, bias } = node.weights;
      // W is [outputs, K] (transposed: [K, outputs]); y = x · Wᵀ + b.
      const w = own(tf.tensor2d(weight.data, transpose ? [weight.data.length / outputs, outputs] : [outputs, weight.data.length / outputs]));
      const b = bias ? own(tf.tensor1d(bias.data)) : undefined;
      return ([x]) => tf.tidy(() => {
        const flat = tf.reshape(x.rank === 4 ? tf.transpose(x, [0, 3, 1, 2]) : x, [x.shape[0], -1]) as tf.Tensor2D;
        const y = tf.matMul(flat, w as tf.Tensor2D, false, !transpose);
        return b ? tf.add(y, b) : y;
      });
    }
    case 'Softmax': {
      if (node.attrs.axis !== 1) throw new Error(`tfjs-graph: node '${node.name}' (Softmax): only axis 1 (channels) is mapped, found ${node.attrs.axis}`);
      return ([x]) => tf.softmax(x, -1); // channels: the last axis in NHWC, and of [N, C]
    }
    default:
      throw new Error(`tfjs-graph: node '${node.name}' (${node.op}) has no tfjs mapping (mapped: Conv, Scale, Eltwise, Pool, Relu, Elu, PRelu, InnerProduct, Softmax)`);
  }
}

/** Builds the tfjs version of `graph` (one input) for the value shapes `shapes` (batch
 *  included). Call after tf.setBackend(): weights become tensors of that backend. */
export function tfjsGraph(graph: Graph, shapes: Map<string, Shape>): TfjsNet {
  if (graph.inputs.length !== 1) throw new Error(`tfjs-graph: ${graph.name}: one input expected, found ${graph.inputs.length}`);
  const inputName = graph.inputs[0].name;
  const inputShape = shapes.get(inputName)!;
  const outputs = new Set(graph.outputs);
  const weights: tf.Tensor[] = [];
  const own: Own = (t) => { weights.push(t); return t; };
  const layers = graph.nodes.map((node) => {
    if (node.outputs.length !== 1) throw new Error(`tfjs-graph: node '${node.name}' (${node.op}): ${node.outputs.length} outputs, one expected`);
    return { node, apply: layerFor(node, node.inputs.map((n) => shapes.get(n)!), shapes.get(node.outputs[0])!, own) };
  });
  // Each value is freed after the last node reading it.
  const lastReader = new Map<string, number>();
  layers.forEach(({ node }, i) => node.inputs.forEach((n) => lastReader.set(n, i)));

  let checked = false;
  const run = (data: Float32Array): Record<string, Float32Array> => {
    const values = new Map<string, tf.Tensor>();
    values.set(inputName, tf.tidy(() => tf.transpose(tf.tensor(data, inputShape), [0, 2, 3, 1])));
    layers.forEach(({ node, apply }, i) => {
      const y = apply(node.inputs.map((n) => values.get(n)!));
      if (!checked) {
        const expected = toNhwc(shapes.get(node.outputs[0])!);
        if (y.shape.join() !== expected.join()) {
          throw new Error(`tfjs-graph: node '${node.name}' (${node.op}): tfjs gives shape [${y.shape}], the graph says [${expected}] (NHWC)`);
        }
      }
      values.set(node.outputs[0], y);
      for (const n of new Set(node.inputs)) {
        if (lastReader.get(n) === i && !outputs.has(n)) { values.get(n)!.dispose(); values.delete(n); }
      }
    });
    checked = true;
    const result = Object.fromEntries(graph.outputs.map((name) => {
      const out = values.get(name)!;
      const nchw = tf.tidy(() => (out.rank === 4 ? tf.transpose(out, [0, 3, 1, 2]) : out.clone()));
      const data = (nchw.dataSync() as Float32Array).slice();
      nchw.dispose();
      return [name, data];
    }));
    for (const t of values.values()) t.dispose();
    return result;
  };
  return { run, dispose: () => { for (const w of weights) w.dispose(); } };
}
