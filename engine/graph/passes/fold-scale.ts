// Folds a per-channel Scale (y = x * s[c] + t[c]) into the node that produces its input:
// - into a Convolution with no fused activation: W'[o,…] = W[o,…] * s[o], b'[o] = b[o] * s[o] + t[o];
// - into another per-channel Scale: s' = s1 * s2, t' = t1 * s2 + t2.
// (ncnn's fuse_convolution_batchnorm; the products are formed in float64, then rounded once.)

import type { PassResult } from './pass.js';
import { absorbIntoProducer } from './pass.js';
import type { Graph, Node, Tensor } from '../graph.js';

type ScaleNode = Extract<Node, { op: 'Scale' }>;

function perChannel(node: Node): node is ScaleNode {
  return node.op === 'Scale' && node.attrs.axis === 1 && node.weights.scale.shape.length === 1;
}

/** y = x * s + t per channel, with t as zeros when absent. */
function affine(node: ScaleNode): { s: Float32Array; t: Float32Array } {
  const s = node.weights.scale.data;
  return { s, t: node.weights.bias?.data ?? new Float32Array(s.length) };
}

const tensor = (data: Float32Array): Tensor => ({ shape: [data.length], data });

function fold(producer: Node, node: Node): Node | undefined {
  if (!perChannel(node)) return undefined;
  const { s, t } = affine(node);
  if (producer.op === 'Conv' && producer.attrs.activation.kind === 'none') {
    const { weight, bias } = producer.weights;
    const perOut = weight.data.length / s.length;
    const w = new Float32Array(weight.data.length);
    for (let i = 0; i < w.length; i++) w[i] = weight.data[i] * s[Math.floor(i / perOut)];
    const b = new Float32Array(s.length);
    for (let o = 0; o < s.length; o++) b[o] = (bias ? bias.data[o] : 0) * s[o] + t[o];
    return { ...producer, weights: { ...producer.weights, weight: { shape: weight.shape, data: w }, bias: tensor(b) } };
  }
  if (perChannel(producer)) {
    const first = affine(producer);
    const s2 = new Float32Array(s.length);
    const t2 = new Float32Array(s.length);
    for (let c = 0; c < s.length; c++) {
      s2[c] = first.s[c] * s[c];
      t2[c] = first.t[c] * s[c] + t[c];
    }
    return { ...producer, weights: { scale: tensor(s2), bias: tensor(t2) } };
  }
  return undefined;
}

export function foldScale(graph: Graph): PassResult {
  return absorbIntoProducer(graph, fold, 'folded');
}
