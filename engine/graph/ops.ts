// Every op the engine knows, declared once: its attributes, its weights, and how it shapes
// its outputs. Importers build these, passes rewrite them, backends implement each one.
//
// Conventions: image tensors are NCHW; `axis` attributes are already normalised to be
// non-negative; 2-D windows are [height, width]; pads are [top, left, bottom, right].

import { formatShape, ModelError, sizeOf, type Node, type Shape, type Tensor } from './graph.js';

/** An activation applied elementwise to an op's result (fused by `fuseActivations`). */
export type Activation =
  | { kind: 'none' }
  /** y = x > 0 ? x : negativeSlope * x */
  | { kind: 'relu'; negativeSlope: number }
  /** y = x > 0 ? x : alpha * (exp(x) - 1) */
  | { kind: 'elu'; alpha: number }
  /** y = x > 0 ? x : slope[c] * x; the slopes travel in the op's `weights.slope`. */
  | { kind: 'prelu' };

export interface Window2d {
  kernel: [number, number];
  stride: [number, number];
  /** [top, left, bottom, right] */
  pad: [number, number, number, number];
}

export type Op =
  /** y[n,o] = bias[o] + sum_{c in group(o), ky, kx} weight[o, c, ky, kx] * x[n, c, oy*s + ky*d - pad, ox*s + kx*d - pad].
   *  weight: [outChannels, inChannels/group, kh, kw]; bias: [outChannels]; slope: [outChannels] or [1] when activation is prelu. */
  | { op: 'Conv'; attrs: Window2d & { outChannels: number; group: number; dilation: [number, number]; activation: Activation };
      weights: { weight: Tensor; bias?: Tensor; slope?: Tensor } }
  /** Inference BatchNorm along axis 1: y = (x - mean[c]) / sqrt(variance[c] + eps).
   *  Caffe's third "scale factor" blob is applied by the importer (mean and variance already divided by it). */
  | { op: 'BatchNorm'; attrs: { eps: number }; weights: { mean: Tensor; variance: Tensor } }
  /** y = x * scale[i] + bias[i], where i runs over the dims [axis, axis + scale.shape.length) of x. */
  | { op: 'Scale'; attrs: { axis: number }; weights: { scale: Tensor; bias?: Tensor } }
  | { op: 'Relu'; attrs: { negativeSlope: number }; weights: {} }
  /** slope: [channels] along axis 1, or [1] when shared. */
  | { op: 'PRelu'; attrs: {}; weights: { slope: Tensor } }
  | { op: 'Elu'; attrs: { alpha: number }; weights: {} }
  | { op: 'Sigmoid'; attrs: {}; weights: {} }
  | { op: 'TanH'; attrs: {}; weights: {} }
  /** y = (shift + scale * x) ^ power */
  | { op: 'Power'; attrs: { power: number; scale: number; shift: number }; weights: {} }
  /** y = min(max(x, min), max) */
  | { op: 'Clamp'; attrs: { min: number; max: number }; weights: {} }
  /** Identity at inference. */
  | { op: 'Dropout'; attrs: {}; weights: {} }
  /** Copies its one input to every output. */
  | { op: 'Split'; attrs: {}; weights: {} }
  /** Elementwise over inputs of one shape: sum (y = sum coeffs[i] * x_i; empty coeffs = all 1), prod or max;
   *  then the activation (prelu slopes along axis 1). */
  | { op: 'Eltwise'; attrs: { operation: 'sum' | 'prod' | 'max'; coeffs: number[]; activation: Activation };
      weights: { slope?: Tensor } }
  /** Max or average pooling over NCHW. Output size: rounding((H + padTop + padBottom - kh) / sh) + 1,
   *  then (Caffe, ceil mode) one fewer if the last window would start at or beyond H + padTop.
   *  Average divides by the window clipped to the padded input (Caffe), or clipped to the
   *  real input when excludePad. Global pooling takes the whole plane (kernel and pads ignored).
   *  Pads must be smaller than the window, as in Caffe. */
  | { op: 'Pool'; attrs: Window2d & { method: 'max' | 'ave'; global: boolean; rounding: 'ceil' | 'floor'; excludePad: boolean };
      weights: {} }
  /** Flattens dims [axis, end) into K; y[m, n] = bias[n] + sum_k x[m, k] * W[n, k]
   *  (weight [outputs, K], or [K, outputs] when transpose). */
  | { op: 'InnerProduct'; attrs: { axis: number; outputs: number; transpose: boolean }; weights: { weight: Tensor; bias?: Tensor } }
  | { op: 'Softmax'; attrs: { axis: number }; weights: {} }
  | { op: 'Concat'; attrs: { axis: number }; weights: {} }
  /** Splits along axis at the given points (empty: equal parts, one per output). */
  | { op: 'Slice'; attrs: { axis: number; points: number[] }; weights: {} }
  /** Merges dims [axis, endAxis] (inclusive) into one. */
  | { op: 'Flatten'; attrs: { axis: number; endAxis: number }; weights: {} }
  /** Replaces dims [axis, axis + numAxes) (numAxes -1: to the end) by `shape`; 0 copies the input dim, -1 is inferred. */
  | { op: 'Reshape'; attrs: { shape: number[]; axis: number; numAxes: number }; weights: {} };

export type OpName = Op['op'];

export const OP_NAMES: readonly OpName[] = [
  'Conv', 'BatchNorm', 'Scale', 'Relu', 'PRelu', 'Elu', 'Sigmoid', 'TanH', 'Power', 'Clamp', 'Dropout', 'Split',
  'Eltwise', 'Pool', 'InnerProduct', 'Softmax', 'Concat', 'Slice', 'Flatten', 'Reshape',
];

export type NodeOf<K extends OpName> = Node & Extract<Op, { op: K }>;

const NONE: Activation = { kind: 'none' };
export const noActivation = (): Activation => NONE;

function fail(node: Node, message: string): never {
  throw new ModelError(`layer '${node.name}' (${node.op}): ${message}`);
}

/** Output spatial size of a window op; the shared rule for Conv and Pool (see Pool's comment). */
export function windowOutput(size: number, kernel: number, stride: number, padBefore: number, padAfter: number,
  dilation: number, rounding: 'ceil' | 'floor'): number {
  const extent = dilation * (kernel - 1) + 1;
  const span = size + padBefore + padAfter - extent;
  if (span < 0) return 0;
  let out = (rounding === 'ceil' ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  // Caffe: the last window must start inside the (top/left padded) input. Caffe checks this
  // only for padded layers; unpadded, such a window (stride > kernel) holds no pixel and Caffe
  // outputs garbage for it, so here it is dropped too.
  if (rounding === 'ceil' && (out - 1) * stride >= size + padBefore) out--;
  return out;
}

function sameShapes(node: Node, shapes: Shape[]): Shape {
  const first = shapes[0];
  for (const s of shapes) {
    if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
      fail(node, `inputs must have one shape, got ${shapes.map(formatShape).join(' and ')}`);
    }
  }
  return first;
}

/** An optional per-channel tensor must hold `count` values (or 1 when `sharedOk`). */
function expectLength(node: Node, what: string, tensor: Tensor | undefined, count: number, sharedOk = false): void {
  if (!tensor) return;
  const n = sizeOf(tensor.shape);
  if (n !== count && !(sharedOk && n === 1)) fail(node, `${what} has ${n} values ${formatShape(tensor.shape)}, expected ${count}`);
}

/** A fused prelu needs its slopes: one per channel, or one shared. */
function expectActivationWeights(node: Node, activation: Activation, slope: Tensor | undefined, channels: number): void {
  if (activation.kind !== 'prelu') return;
  if (!slope) fail(node, 'fused prelu has no slope weights');
  expectLength(node, 'prelu slope', slope, channels, true);
}

function expectRank(node: Node, shape: Shape, rank: number): void {
  if (shape.length !== rank) fail(node, `expects a rank-${rank} input, got ${formatShape(shape)}`);
}

function expectInputs(node: Node, shapes: Shape[], count: number): void {
  if (shapes.length !== count) fail(node, `expects ${count} input(s), got ${shapes.length}`);
}

/** Infers the output shapes of one node from its input shapes; throws a ModelError naming the node. */
export function inferShapes(node: Node, inputs: Shape[]): Shape[] {
  switch (node.op) {
    case 'Conv': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      expectRank(node, x, 4);
      const { kernel, stride, pad, dilation, outChannels, group } = node.attrs;
      const w = node.weights.weight.shape;
      if (x[1] % group !== 0 || outChannels % group !== 0) {
        fail(node, `group ${group} must divide input channels ${x[1]} and output channels ${outChannels}`);
      }
      const expected = [outChannels, x[1] / group, kernel[0], kernel[1]];
      if (sizeOf(w) !== sizeOf(expected)) {
        fail(node, `weight has ${sizeOf(w)} values ${formatShape(w)}, expected ${sizeOf(expected)} ${formatShape(expected)}`);
      }
      expectLength(node, 'bias', node.weights.bias, outChannels);
      expectActivationWeights(node, node.attrs.activation, node.weights.slope, outChannels);
      const h = windowOutput(x[2], kernel[0], stride[0], pad[0], pad[2], dilation[0], 'floor');
      const wd = windowOutput(x[3], kernel[1], stride[1], pad[1], pad[3], dilation[1], 'floor');
      if (h <= 0 || wd <= 0) fail(node, `input ${formatShape(x)} is smaller than the ${kernel[0]}x${kernel[1]} kernel`);
      return [[x[0], outChannels, h, wd]];
    }
    case 'Pool': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      expectRank(node, x, 4);
      if (node.attrs.global) return [[x[0], x[1], 1, 1]];
      const { kernel, stride, pad, rounding } = node.attrs;
      if (pad[0] >= kernel[0] || pad[2] >= kernel[0] || pad[1] >= kernel[1] || pad[3] >= kernel[1]) {
        fail(node, `padding ${pad.join(',')} must be smaller than the ${kernel[0]}x${kernel[1]} window`);
      }
      const h = windowOutput(x[2], kernel[0], stride[0], pad[0], pad[2], 1, rounding);
      const w = windowOutput(x[3], kernel[1], stride[1], pad[1], pad[3], 1, rounding);
      if (h <= 0 || w <= 0) fail(node, `input ${formatShape(x)} is smaller than the ${kernel[0]}x${kernel[1]} window`);
      return [[x[0], x[1], h, w]];
    }
    case 'BatchNorm':
    case 'PRelu': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      const n = node.op === 'BatchNorm' ? sizeOf(node.weights.mean.shape) : sizeOf(node.weights.slope.shape);
      if (node.op === 'BatchNorm') expectLength(node, 'variance', node.weights.variance, n);
      if (x.length < 2 || (n !== x[1] && !(node.op === 'PRelu' && n === 1))) {
        fail(node, `has ${n} per-channel values but the input ${formatShape(x)} has ${x[1] ?? 0} channels`);
      }
      return [x];
    }
    case 'Scale': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      const s = node.weights.scale.shape;
      const { axis } = node.attrs;
      if (axis + s.length > x.length || s.some((d, i) => d !== x[axis + i])) {
        fail(node, `scale ${formatShape(s)} does not match input ${formatShape(x)} at axis ${axis}`);
      }
      expectLength(node, 'bias', node.weights.bias, sizeOf(s));
      return [x];
    }
    case 'Relu': case 'Elu': case 'Sigmoid': case 'TanH': case 'Power': case 'Clamp': case 'Dropout':
      expectInputs(node, inputs, 1);
      return [inputs[0]];
    case 'Split':
      expectInputs(node, inputs, 1);
      return node.outputs.map(() => inputs[0]);
    case 'Eltwise': {
      if (inputs.length < 2) fail(node, `expects at least 2 inputs, got ${inputs.length}`);
      const { coeffs, operation } = node.attrs;
      if (coeffs.length > 0 && (operation !== 'sum' || coeffs.length !== inputs.length)) {
        fail(node, `has ${coeffs.length} coefficients for ${inputs.length} inputs (operation ${operation})`);
      }
      const shape = sameShapes(node, inputs);
      expectActivationWeights(node, node.attrs.activation, node.weights.slope, shape[1] ?? 1);
      return [shape];
    }
    case 'InnerProduct': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      const { axis, outputs, transpose } = node.attrs;
      if (axis >= x.length) fail(node, `axis ${axis} is out of range for input ${formatShape(x)}`);
      const k = sizeOf(x.slice(axis));
      const expected = transpose ? [k, outputs] : [outputs, k];
      if (sizeOf(node.weights.weight.shape) !== k * outputs) {
        fail(node, `weight has ${sizeOf(node.weights.weight.shape)} values ${formatShape(node.weights.weight.shape)}, expected ${k * outputs} ${formatShape(expected)}`);
      }
      expectLength(node, 'bias', node.weights.bias, outputs);
      return [[...x.slice(0, axis), outputs]];
    }
    case 'Softmax': {
      expectInputs(node, inputs, 1);
      if (node.attrs.axis >= inputs[0].length) fail(node, `axis ${node.attrs.axis} is out of range for input ${formatShape(inputs[0])}`);
      return [inputs[0]];
    }
    case 'Concat': {
      if (inputs.length < 1) fail(node, 'expects at least 1 input');
      const { axis } = node.attrs;
      const first = inputs[0];
      if (axis >= first.length) fail(node, `axis ${axis} is out of range for input ${formatShape(first)}`);
      let total = 0;
      for (const s of inputs) {
        if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
          fail(node, `inputs ${inputs.map(formatShape).join(', ')} differ outside axis ${axis}`);
        }
        total += s[axis];
      }
      const out = first.slice();
      out[axis] = total;
      return [out];
    }
    case 'Slice': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      const { axis, points } = node.attrs;
      if (axis >= x.length) fail(node, `axis ${axis} is out of range for input ${formatShape(x)}`);
      const count = node.outputs.length;
      let bounds: number[];
      if (points.length === 0) {
        if (x[axis] % count !== 0) fail(node, `cannot split ${x[axis]} into ${count} equal parts`);
        bounds = Array.from({ length: count + 1 }, (_, i) => (i * x[axis]) / count);
      } else {
        if (points.length !== count - 1) fail(node, `${points.length} slice points for ${count} outputs`);
        bounds = [0, ...points, x[axis]];
      }
      return node.outputs.map((_, i) => {
        if (!(bounds[i + 1] > bounds[i])) fail(node, `slice points ${points.join(',')} do not increase within ${x[axis]}`);
        const s = x.slice();
        s[axis] = bounds[i + 1] - bounds[i];
        return s;
      });
    }
    case 'Flatten': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      const { axis, endAxis } = node.attrs;
      if (axis >= x.length || endAxis >= x.length || endAxis < axis) {
        fail(node, `axes ${axis}..${endAxis} are out of range for input ${formatShape(x)}`);
      }
      return [[...x.slice(0, axis), sizeOf(x.slice(axis, endAxis + 1)), ...x.slice(endAxis + 1)]];
    }
    case 'Reshape': {
      expectInputs(node, inputs, 1);
      const x = inputs[0];
      const { shape, axis, numAxes } = node.attrs;
      const end = numAxes < 0 ? x.length : axis + numAxes;
      if (axis > x.length || end > x.length) fail(node, `axes ${axis}..${end} are out of range for input ${formatShape(x)}`);
      const middle = shape.map((d, i) => (d === 0 ? x[axis + i] : d));
      const known = sizeOf(middle.filter((d) => d !== -1));
      const inferred = middle.filter((d) => d === -1).length;
      const target = sizeOf(x.slice(axis, end));
      if (inferred > 1 || middle.some((d) => d === undefined || d < -1)) fail(node, `invalid shape ${formatShape(shape)}`);
      if (inferred === 1) {
        if (known === 0 || target % known !== 0) fail(node, `cannot reshape ${formatShape(x)} to ${formatShape(shape)}`);
        middle[middle.indexOf(-1)] = target / known;
      }
      const out = [...x.slice(0, axis), ...middle, ...x.slice(end)];
      if (sizeOf(out) !== sizeOf(x)) fail(node, `cannot reshape ${formatShape(x)} (${sizeOf(x)} values) to ${formatShape(out)}`);
      return [out];
    }
  }
}
