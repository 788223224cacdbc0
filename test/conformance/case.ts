// A conformance case is data: a graph node described by its op, its attributes and the shapes of
// its inputs (and of the weights it draws). `build` turns one into a node and random inputs, drawn
// from a seeded PRNG, so every backend (and the browser) runs the same problems.

import { formatShape, sizeOf, type Node, type Shape, type Tensor } from '../../engine/graph/graph.js';
import type { Activation, NodeOf, Op } from '../../engine/graph/ops.js';
import { makeNode, tensor } from '../kernels/reference.js';

/** A fused activation; with prelu, its slope shared by every channel or one per channel. */
interface Fused { act?: Activation; sharedSlope?: boolean }

export interface ConvCase extends Fused {
  op: 'Conv'; n?: number; c: number; h: number; w: number; o: number; k: [number, number];
  stride?: [number, number]; pad?: [number, number, number, number]; dilation?: [number, number]; group?: number; bias?: boolean;
}
export type PoolCase = { op: 'Pool'; shape: Shape; method: 'max' | 'ave' } & Partial<Omit<NodeOf<'Pool'>['attrs'], 'method'>>;
export interface EltwiseCase extends Fused {
  op: 'Eltwise'; shape: Shape; inputs: number; operation: 'sum' | 'prod' | 'max'; coeffs?: number[];
}
export interface ScaleCase { op: 'Scale'; shape: Shape; axis: number; scale: Shape; bias?: boolean }
export interface BatchNormCase { op: 'BatchNorm'; shape: Shape; eps: number }
export interface PReluCase { op: 'PRelu'; shape: Shape; shared?: boolean }
export interface InnerProductCase { op: 'InnerProduct'; shape: Shape; axis: number; outputs: number; transpose?: boolean; bias?: boolean }
export interface ConcatCase { op: 'Concat'; axis: number; shapes: Shape[] }
type Plain = 'Relu' | 'Elu' | 'Sigmoid' | 'TanH' | 'Power' | 'Clamp' | 'Softmax' | 'Slice' | 'Flatten' | 'Reshape' | 'Dropout' | 'Split';
/** A weightless op on one input of `shape`, values in ±range (default 3), with `outputs` outputs. */
export type PlainCase = { [K in Plain]: { op: K; attrs: Extract<Op, { op: K }>['attrs']; shape: Shape; outputs?: number; range?: number } }[Plain];

export type Case = ConvCase | PoolCase | EltwiseCase | ScaleCase | BatchNormCase | PReluCase | InnerProductCase | ConcatCase | PlainCase;

/** A node and its inputs, named for a test. */
export interface Problem {
  label: string;
  node: Node;
  inputs: Tensor[];
}

export const POOL_DEFAULTS: NodeOf<'Pool'>['attrs'] = {
  kernel: [3, 3], stride: [2, 2], pad: [0, 0, 0, 0], method: 'max', global: false, rounding: 'ceil', excludePad: false,
};

/** The shapes the one-input elementwise cases run on: an odd NCHW block, matrices (one as after
 *  R-Net's fully connected layer), a rank-3 value, planes of 16, a vector of 7 (not a multiple of 4). */
export const ELEMENTWISE_SHAPES: Shape[] = [[2, 5, 7, 9], [3, 13], [64, 128], [1, 4, 15], [1, 8, 4, 4], [7]];

/** Each fused activation the kernels must handle. */
export const ACTIVATIONS: Fused[] = [
  { act: { kind: 'none' } },
  { act: { kind: 'relu', negativeSlope: 0 } },
  { act: { kind: 'relu', negativeSlope: 0.1 } },
  { act: { kind: 'elu', alpha: 1 } },
  { act: { kind: 'elu', alpha: 0.3 } },
  { act: { kind: 'elu', alpha: 1.7 } },
  { act: { kind: 'prelu' } },
  { act: { kind: 'prelu' }, sharedSlope: true },
];

const fusedLabel = ({ act, sharedSlope }: Fused) => `${JSON.stringify(act ?? { kind: 'none' })}${sharedSlope ? ' shared slope' : ''}`;

/** Slopes in [0, 0.5) for a fused prelu over `channels` (one, when shared). */
const slopeOf = (rand: () => number, f: Fused, channels: number) =>
  (f.act?.kind === 'prelu' ? { slope: tensor(rand, [f.sharedSlope ? 1 : channels], 0, 0.5) } : {});

export function build(rand: () => number, c: Case): Problem {
  switch (c.op) {
    case 'Conv': {
      const group = c.group ?? 1;
      const act = c.act ?? { kind: 'none' };
      // Weights ~ 1/sqrt(fan-in) keep the outputs O(1), so the tolerance is meaningful.
      const bound = 1 / Math.sqrt((c.c / group) * c.k[0] * c.k[1]);
      const node = makeNode('Conv', {
        kernel: c.k, stride: c.stride ?? [1, 1], pad: c.pad ?? [0, 0, 0, 0], dilation: c.dilation ?? [1, 1],
        outChannels: c.o, group, activation: act,
      }, {
        weight: tensor(rand, [c.o, c.c / group, ...c.k], -bound, bound),
        ...(c.bias === false ? {} : { bias: tensor(rand, [c.o], -0.5, 0.5) }),
        ...slopeOf(rand, c, c.o),
      });
      const label = `[${c.n ?? 1},${c.c},${c.h},${c.w}] -> ${c.o} k${c.k} s${c.stride ?? [1, 1]} pad${c.pad ?? [0, 0, 0, 0]}`
        + ` d${c.dilation ?? [1, 1]} g${group}${c.bias === false ? ' nobias' : ''} ${fusedLabel(c)}`;
      return { label, node, inputs: [tensor(rand, [c.n ?? 1, c.c, c.h, c.w], -3, 3)] };
    }
    case 'Pool': {
      const { op, shape, ...attrs } = c;
      return { label: `${formatShape(shape)} ${JSON.stringify(attrs)}`, node: makeNode(op, { ...POOL_DEFAULTS, ...attrs }, {}), inputs: [tensor(rand, shape)] };
    }
    case 'Eltwise': {
      const node = makeNode('Eltwise', { operation: c.operation, coeffs: c.coeffs ?? [], activation: c.act ?? { kind: 'none' } },
        slopeOf(rand, c, c.shape[1] ?? 1), c.inputs);
      return { label: `${c.operation} of ${c.inputs} x ${formatShape(c.shape)} coeffs [${c.coeffs ?? ''}] ${fusedLabel(c)}`,
        node, inputs: Array.from({ length: c.inputs }, () => tensor(rand, c.shape, -3, 3)) };
    }
    case 'Scale': {
      const node = makeNode('Scale', { axis: c.axis }, { scale: tensor(rand, c.scale, -2, 2), ...(c.bias === false ? {} : { bias: tensor(rand, c.scale) }) });
      return { label: `${formatShape(c.shape)} axis ${c.axis} scale ${formatShape(c.scale)}${c.bias === false ? ' no bias' : ''}`, node, inputs: [tensor(rand, c.shape, -3, 3)] };
    }
    case 'BatchNorm': {
      const C = c.shape[1];
      const node = makeNode('BatchNorm', { eps: c.eps }, { mean: tensor(rand, [C], -2, 2), variance: tensor(rand, [C], 0.05, 3) });
      return { label: `BatchNorm ${formatShape(c.shape)} eps ${c.eps}`, node, inputs: [tensor(rand, c.shape, -3, 3)] };
    }
    case 'PRelu': {
      const node = makeNode('PRelu', {}, { slope: tensor(rand, [c.shared ? 1 : c.shape[1]], -0.5, 0.5) });
      return { label: `${formatShape(c.shape)} ${c.shared ? 'shared slope' : 'per-channel slopes'}`, node, inputs: [tensor(rand, c.shape, -3, 3)] };
    }
    case 'InnerProduct': {
      const { shape, axis, outputs, transpose = false, bias = true } = c;
      const K = sizeOf(shape.slice(axis));
      const bound = 1 / Math.sqrt(K);
      const node = makeNode('InnerProduct', { axis, outputs, transpose }, {
        weight: tensor(rand, transpose ? [K, outputs] : [outputs, K], -bound, bound), ...(bias ? { bias: tensor(rand, [outputs]) } : {}),
      });
      return { label: `${formatShape(shape)} axis ${axis} -> ${outputs}${transpose ? ' transposed' : ''}${bias ? '' : ' no bias'}`, node, inputs: [tensor(rand, shape)] };
    }
    case 'Concat':
      return { label: `axis ${c.axis} of ${c.shapes.map(formatShape).join(' ')}`, node: makeNode('Concat', { axis: c.axis }, {}, c.shapes.length),
        inputs: c.shapes.map((s) => tensor(rand, s)) };
    default: {
      const node = makeNode(c.op, c.attrs as never, {}, 1, c.outputs ?? 1);
      const range = c.range ?? 3;
      return { label: `${c.op} ${formatShape(c.shape)} ${JSON.stringify(c.attrs)}${c.outputs ? ` into ${c.outputs}` : ''}`, node, inputs: [tensor(rand, c.shape, -range, range)] };
    }
  }
}
