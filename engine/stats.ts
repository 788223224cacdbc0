// What each layer of a graph holds and costs — the numbers behind a model card's "MParams" and
// "GFlops" — and a short name for what it does.
//
// Parameters: every constant tensor the node holds (Conv/InnerProduct weights and biases, Scale
// factors and shifts, PReLU slopes, BatchNorm mean and variance). Counted on the optimised graph,
// RMNet holds 589,750: its 113 convolutions' folded weights and biases (589,744) plus the input
// Scale's 3 factors and 3 shifts — the same numbers as the IR's .bin, and the card's 0.59 M.
//
// Work: multiply-accumulates of Conv (N·outC·OH·OW·(inC/group)·kh·kw) and InnerProduct (M·K·outputs),
// and beside them the elementwise operations, one per elementary step: a bias add, an activation
// (exp counts as one), an eltwise add, a pooling comparison, a Scale's multiply and add.
// FLOPs = 2 · MACs + elementwise operations.

import { sizeOf, type Node, type Shape, type Tensor } from './graph/graph.js';
import type { Activation } from './graph/ops.js';

export interface LayerCost {
  params: number;
  macs: number;
  elementwiseOps: number;
}

export const flops = (cost: LayerCost): number => 2 * cost.macs + cost.elementwiseOps;

function paramCount(node: Node): number {
  const tensors = Object.values(node.weights) as (Tensor | undefined)[];
  return tensors.reduce((sum, t) => sum + (t ? sizeOf(t.shape) : 0), 0);
}

/** Operations per element of a node's output (MACs aside). */
function elementwisePerOutput(node: Node, inShapes: Shape[]): number {
  const activation = (a: Activation) => (a.kind === 'none' ? 0 : 1);
  switch (node.op) {
    case 'Conv': return (node.weights.bias ? 1 : 0) + activation(node.attrs.activation);
    case 'InnerProduct': return node.weights.bias ? 1 : 0;
    case 'Eltwise': {
      const k = inShapes.length;
      return (k - 1) + (node.attrs.coeffs.length > 0 ? k : 0) + activation(node.attrs.activation);
    }
    case 'Pool': {
      const [, , h, w] = inShapes[0];
      const window = node.attrs.global ? h * w : node.attrs.kernel[0] * node.attrs.kernel[1];
      // max: window - 1 comparisons; average: window - 1 adds and a divide.
      return node.attrs.method === 'max' ? window - 1 : window;
    }
    case 'Scale': return node.weights.bias ? 2 : 1;
    case 'BatchNorm': return 2;
    // max, subtract, exp, sum, divide
    case 'Softmax': return 5;
    case 'Relu': case 'PRelu': case 'Elu': case 'Sigmoid': case 'TanH': case 'Power': case 'Clamp': return 1;
    case 'Dropout': case 'Split': case 'Concat': case 'Slice': case 'Flatten': case 'Reshape': return 0;
  }
}

export function layerCost(node: Node, shapes: Map<string, Shape>): LayerCost {
  const inShapes = node.inputs.map((name) => shapes.get(name)!);
  const outputs = sizeOf(shapes.get(node.outputs[0])!);
  let macs = 0;
  if (node.op === 'Conv') {
    const [, perGroup, kh, kw] = node.weights.weight.shape;
    macs = outputs * perGroup * kh * kw;
  } else if (node.op === 'InnerProduct') {
    macs = outputs * sizeOf(inShapes[0].slice(node.attrs.axis));
  }
  return { params: paramCount(node), macs, elementwiseOps: outputs * elementwisePerOutput(node, inShapes) };
}

function activationName(a: Activation): string {
  switch (a.kind) {
    case 'none': return '';
    case 'relu': return a.negativeSlope === 0 ? '+ReLU' : '+LeakyReLU';
    case 'elu': return '+ELU';
    case 'prelu': return '+PReLU';
  }
}

/** A short label: the op, its window, and its fused activation — `Conv dw3x3 s2+ELU`, `MaxPool 2x2 s2`. */
export function opLabel(node: Node): string {
  const stride = (s: [number, number]) => (s[0] === 1 && s[1] === 1 ? '' : s[0] === s[1] ? ` s${s[0]}` : ` s${s[0]}x${s[1]}`);
  switch (node.op) {
    case 'Conv': {
      const { kernel, group, activation } = node.attrs;
      const depthwise = group > 1 && node.weights.weight.shape[1] === 1;
      const grouped = group > 1 && !depthwise ? ` g${group}` : '';
      return `Conv ${depthwise ? 'dw' : ''}${kernel[0]}x${kernel[1]}${grouped}${stride(node.attrs.stride)}${activationName(activation)}`;
    }
    case 'Eltwise': return `Eltwise ${node.attrs.operation}${activationName(node.attrs.activation)}`;
    case 'Pool': {
      const { method, global, kernel } = node.attrs;
      const window = global ? 'global' : `${kernel[0]}x${kernel[1]}${stride(node.attrs.stride)}`;
      return `${method === 'max' ? 'MaxPool' : 'AvePool'} ${window}`;
    }
    default: return node.op;
  }
}

/** The fused activation's kind, if any. */
export function fusedActivation(node: Node): Activation['kind'] | undefined {
  const kind = node.op === 'Conv' || node.op === 'Eltwise' ? node.attrs.activation.kind : 'none';
  return kind === 'none' ? undefined : kind;
}

export function sumCosts(costs: LayerCost[]): LayerCost {
  const total = { params: 0, macs: 0, elementwiseOps: 0 };
  for (const c of costs) {
    total.params += c.params;
    total.macs += c.macs;
    total.elementwiseOps += c.elementwiseOps;
  }
  return total;
}
