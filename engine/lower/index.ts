// The lowering stage, after shape inference and before the memory plan: each graph node becomes a
// kernel node (kernel-node.ts). Here, and only here, is decided how a node runs on every backend:
// its variant (the first of those its attributes and shapes allow), its parameters in canonical
// form, the scratch it needs, and which values are views sharing another value's memory.

import { ModelError, sizeOf, type Graph, type Node, type Shape } from '../graph/graph.js';
import type { NodeOf } from '../graph/ops.js';
import { batchNormAsScale } from '../graph/passes/fold-batchnorm.js';
import { kernelActivation, perChannelSlope } from './activation.js';
import { convKernel, convVariants, type ConvVariant } from './conv.js';
import type { KernelBase, KernelNode, PoolParams, Program, Variant } from './kernel-node.js';

/** Offsets of consecutive runs of the given lengths: [0, a, a + b, ...]. */
const starts = (lengths: number[]) => lengths.map((_, i) => lengths.slice(0, i).reduce((s, n) => s + n, 0));

/** The product of the dims before `axis`. */
const outerOf = (shape: Shape, axis: number) => sizeOf(shape.slice(0, axis));

/** A pool's window, with global pooling as a window over the whole plane. */
function poolParams(node: NodeOf<'Pool'>, x: Shape): PoolParams {
  const { global, kernel, stride, pad, excludePad } = node.attrs;
  return global ? { kernel: [x[2], x[3]], stride: [1, 1], pad: [0, 0, 0, 0], excludePad } : { kernel, stride, pad, excludePad };
}

const isSumOfTwo = (node: NodeOf<'Eltwise'>) =>
  node.attrs.operation === 'sum' && node.inputs.length === 2 && node.attrs.coeffs.every((k) => k === 1);

/** The variants that can run `node` from inputs of `inShapes` to outputs of `outShapes`, in order of preference. */
export function variantsOf(node: Node, inShapes: Shape[], outShapes: Shape[]): Variant[] {
  switch (node.op) {
    case 'Conv': return convVariants(node, inShapes[0], outShapes[0]);
    case 'BatchNorm': case 'Scale': return ['scale'];
    case 'Relu': return ['relu'];
    case 'PRelu': return ['prelu'];
    case 'Elu': return ['elu'];
    case 'Sigmoid': return ['sigmoid'];
    case 'TanH': return ['tanh'];
    case 'Power': return ['power'];
    case 'Clamp': return ['clamp'];
    case 'Eltwise': return isSumOfTwo(node) ? ['eltwise-sum2', 'eltwise'] : ['eltwise'];
    case 'Pool': return node.attrs.method === 'ave' ? ['pool-ave'] : ['pool-max'];
    case 'InnerProduct': return ['inner-product'];
    case 'Softmax': return ['softmax'];
    // With one outer row, the parts are consecutive runs of the whole.
    case 'Concat': return outerOf(inShapes[0], node.attrs.axis) === 1 ? ['view', 'concat'] : ['concat'];
    case 'Slice': return outerOf(inShapes[0], node.attrs.axis) === 1 ? ['view', 'slice'] : ['slice'];
    case 'Flatten': case 'Reshape': case 'Dropout': case 'Split': return ['view'];
  }
}

/** The kernel node running `node` as `variant`, which must be one of variantsOf(node). */
export function kernelNode(node: Node, variant: Variant, inShapes: Shape[], outShapes: Shape[]): KernelNode {
  const variants = variantsOf(node, inShapes, outShapes);
  if (!variants.includes(variant)) {
    throw new ModelError(`layer '${node.name}' (${node.op}) cannot run as ${variant} (it can as ${variants.join(', ')})`);
  }
  const base: KernelBase = { name: node.name, op: node.op, inputs: node.inputs, outputs: node.outputs, inShapes, outShapes, scratch: 0 };
  const x = inShapes[0];
  switch (node.op) {
    case 'Conv': return convKernel(node, variant as ConvVariant, base);
    case 'BatchNorm': case 'Scale': {
      const { attrs: { axis }, weights: { scale, bias } } = node.op === 'Scale' ? node : batchNormAsScale(node);
      const channels = sizeOf(scale.shape);
      return { ...base, variant: 'scale', outer: outerOf(x, axis), channels, inner: sizeOf(x.slice(axis + scale.shape.length)),
        scale: scale.data, bias: bias?.data ?? new Float32Array(channels) };
    }
    case 'Relu': return { ...base, variant: 'relu', negativeSlope: node.attrs.negativeSlope };
    case 'PRelu':
      return { ...base, variant: 'prelu', channels: x[1], inner: sizeOf(x.slice(2)), slope: perChannelSlope(node.weights.slope, x[1]) };
    case 'Elu': return { ...base, variant: 'elu', alpha: node.attrs.alpha };
    case 'Sigmoid': return { ...base, variant: 'sigmoid' };
    case 'TanH': return { ...base, variant: 'tanh' };
    case 'Power': return { ...base, variant: 'power', ...node.attrs };
    case 'Clamp': return { ...base, variant: 'clamp', ...node.attrs };
    case 'Eltwise': {
      const channels = x[1] ?? 1;
      const inner = sizeOf(x.slice(2));
      const activation = kernelActivation(node.attrs.activation, node.weights.slope, channels);
      if (variant === 'eltwise-sum2') return { ...base, variant, channels, inner, activation };
      const coeffs = node.attrs.coeffs.length > 0 ? node.attrs.coeffs : node.inputs.map(() => 1);
      return { ...base, variant: 'eltwise', operation: node.attrs.operation, coeffs, channels, inner, activation };
    }
    case 'Pool': return { ...base, variant: variant as 'pool-max' | 'pool-ave', pool: poolParams(node, x) };
    case 'InnerProduct': {
      const { axis, outputs: N, transpose } = node.attrs;
      const K = sizeOf(x.slice(axis));
      const w = node.weights.weight.data;
      let weight = w;
      if (transpose) {
        weight = new Float32Array(N * K);
        for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) weight[n * K + k] = w[k * N + n];
      }
      return { ...base, variant: 'inner-product', M: outerOf(x, axis), K, N, weight, bias: node.weights.bias?.data ?? new Float32Array(N) };
    }
    case 'Softmax': {
      const { axis } = node.attrs;
      // The running maximum and sum of each inner position, so every pass reads x in order.
      const inner = sizeOf(x.slice(axis + 1));
      return { ...base, variant: 'softmax', outer: outerOf(x, axis), channels: x[axis], inner, scratch: 2 * inner };
    }
    case 'Concat': {
      const { axis } = node.attrs;
      const inner = sizeOf(outShapes[0].slice(axis + 1));
      const rows = inShapes.map((s) => s[axis] * inner);
      if (variant === 'view') return { ...base, variant, view: { into: 'output', offsets: starts(rows) } };
      return { ...base, variant: 'concat', outer: outerOf(x, axis), rows };
    }
    case 'Slice': {
      const { axis } = node.attrs;
      const inner = sizeOf(x.slice(axis + 1));
      const rows = outShapes.map((s) => s[axis] * inner);
      if (variant === 'view') return { ...base, variant, view: { into: 'input', offsets: starts(rows) } };
      return { ...base, variant: 'slice', outer: outerOf(x, axis), inRow: x[axis] * inner, rows, starts: starts(rows) };
    }
    case 'Flatten': case 'Reshape': case 'Dropout': case 'Split':
      return { ...base, variant: 'view', view: { into: 'input', offsets: node.outputs.map(() => 0) } };
  }
}

/**
 * Lowers every node of `graph` (shapes: every value's, from inferGraphShapes). A Concat whose
 * parts are consecutive runs of its output becomes a view (its producers write in place) when each
 * input is a value of its own: not already inside another value, and not given twice.
 */
export function lower(graph: Graph, shapes: Map<string, Shape>): Program {
  const inside = new Set<string>();
  const kernels = graph.nodes.map((node) => {
    const inShapes = node.inputs.map((name) => shapes.get(name)!);
    const outShapes = node.outputs.map((name) => shapes.get(name)!);
    const ownValues = node.op !== 'Concat' || (new Set(node.inputs).size === node.inputs.length && node.inputs.every((n) => !inside.has(n)));
    const variant = variantsOf(node, inShapes, outShapes).find((v) => v !== 'view' || ownValues)!;
    const k = kernelNode(node, variant, inShapes, outShapes);
    if (k.variant === 'view') (k.view.into === 'input' ? k.outputs : k.inputs).forEach((name) => inside.add(name));
    return k;
  });
  return { name: graph.name, inputs: graph.inputs.map(({ name }) => ({ name, shape: shapes.get(name)! })), outputs: graph.outputs, shapes, kernels };
}
