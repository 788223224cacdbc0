// Caffe layer type → graph op: one table, one small function per type. Each function reads the
// layer's `*_param` (with caffe.proto's defaults) and the shapes of its bottoms, states the
// shape of every weight blob it needs, and returns the op. Axes come out non-negative.

import { formatShape, sizeOf, type Shape, type Tensor } from '../../engine/graph/graph.js';
import { noActivation, type Op } from '../../engine/graph/ops.js';
import type { Fields } from './proto.js';

/** What a mapping function may ask about the layer it maps. */
export interface LayerContext {
  /** The layer's `<kind>_param` message; all defaults when the layer has none. */
  param(name: string): Fields;
  /** Shapes of the bottoms (at least one). */
  inputs: Shape[];
  /** The shape of the only bottom, which must have at least `minRank` dims. */
  input(minRank?: number): Shape;
  /** Field `name` of `fields` as an axis of the first bottom (negative counts from the end;
   *  `rank` defaults to the bottom's rank). */
  axis(fields: Fields, name: string, rank?: number): number;
  /** The layer's weight blobs, which must be exactly these, in order, each with the values of `shape`. */
  blobs(expected: [name: string, shape: Shape][]): Tensor[];
  fail(message: string): never;
}

export type LayerMapper = (ctx: LayerContext) => Op;

/** Caffe's layer types we import (plus Input, which the importer turns into graph inputs). */
export const LAYERS: Record<string, LayerMapper> = {
  Convolution: convolution,
  BatchNorm: batchNorm,
  Scale: scale,
  ReLU: (ctx) => ({ op: 'Relu', attrs: { negativeSlope: ctx.param('relu_param').number('negative_slope') }, weights: {} }),
  PReLU: prelu,
  ELU: (ctx) => ({ op: 'Elu', attrs: { alpha: ctx.param('elu_param').number('alpha') }, weights: {} }),
  Sigmoid: () => ({ op: 'Sigmoid', attrs: {}, weights: {} }),
  TanH: () => ({ op: 'TanH', attrs: {}, weights: {} }),
  Dropout: () => ({ op: 'Dropout', attrs: {}, weights: {} }),
  Split: () => ({ op: 'Split', attrs: {}, weights: {} }),
  Eltwise: eltwise,
  Pooling: pooling,
  InnerProduct: innerProduct,
  Softmax: (ctx) => ({ op: 'Softmax', attrs: { axis: ctx.axis(ctx.param('softmax_param'), 'axis') }, weights: {} }),
  Concat: (ctx) => ({ op: 'Concat', attrs: { axis: legacyAxis(ctx, ctx.param('concat_param'), 'concat_dim') }, weights: {} }),
  Slice: slice,
  Flatten: flatten,
  Reshape: reshape,
};

function convolution(ctx: LayerContext): Op {
  const p = ctx.param('convolution_param');
  const x = ctx.input(4);
  if (ctx.axis(p, 'axis') !== 1) ctx.fail(`axis ${p.number('axis')} is not supported (channels must be axis 1)`);
  const kernel = positive(ctx, 'kernel', window(ctx, p, 'kernel_size', 'kernel_h', 'kernel_w'));
  const stride = positive(ctx, 'stride', window(ctx, p, 'stride', 'stride_h', 'stride_w', 1));
  const dilation = positive(ctx, 'dilation', window(ctx, p, 'dilation', undefined, undefined, 1));
  const [padH, padW] = window(ctx, p, 'pad', 'pad_h', 'pad_w', 0);
  const outChannels = p.number('num_output');
  const group = p.number('group');
  if (outChannels < 1) ctx.fail(`num_output must be positive, got ${outChannels}`);
  if (group < 1 || x[1] % group !== 0 || outChannels % group !== 0) {
    ctx.fail(`group ${group} must divide the input's ${x[1]} channels and num_output ${outChannels}`);
  }
  const hasBias = p.bool('bias_term');
  const [weight, bias] = ctx.blobs([
    ['weight', [outChannels, x[1] / group, kernel[0], kernel[1]]],
    ...(hasBias ? [['bias', [outChannels]] as [string, Shape]] : []),
  ]);
  return {
    op: 'Conv',
    attrs: { kernel, stride, pad: [padH, padW, padH, padW], dilation, outChannels, group, activation: noActivation() },
    weights: hasBias ? { weight, bias } : { weight },
  };
}

/** Caffe divides the stored mean and variance by the third blob ("scale factor"; 0 means 0). */
function batchNorm(ctx: LayerContext): Op {
  const p = ctx.param('batch_norm_param');
  if (p.has('use_global_stats') && !p.bool('use_global_stats')) {
    ctx.fail('use_global_stats: false (statistics of the batch at inference) is not supported');
  }
  const channels = ctx.input(2)[1];
  const [mean, variance, factor] = ctx.blobs([['mean', [channels]], ['variance', [channels]], ['scale factor', [1]]]);
  const scale = factor.data[0] === 0 ? 0 : Math.fround(1 / factor.data[0]);
  const scaled = (t: Tensor): Tensor => ({ shape: t.shape, data: t.data.map((v) => v * scale) });
  return { op: 'BatchNorm', attrs: { eps: p.number('eps') }, weights: { mean: scaled(mean), variance: scaled(variance) } };
}

function scale(ctx: LayerContext): Op {
  if (ctx.inputs.length === 2) ctx.fail('a second bottom (the scale as an input) is not supported');
  const p = ctx.param('scale_param');
  const x = ctx.input();
  const axis = ctx.axis(p, 'axis');
  const numAxes = p.number('num_axes');
  if (numAxes < -1 || axis + numAxes > x.length) ctx.fail(`num_axes ${numAxes} is out of range for input ${formatShape(x)} at axis ${axis}`);
  const shape = x.slice(axis, numAxes === -1 ? x.length : axis + numAxes);
  const hasBias = p.bool('bias_term');
  const [factor, bias] = ctx.blobs([['scale', shape], ...(hasBias ? [['bias', shape] as [string, Shape]] : [])]);
  return { op: 'Scale', attrs: { axis }, weights: hasBias ? { scale: factor, bias } : { scale: factor } };
}

function prelu(ctx: LayerContext): Op {
  const shared = ctx.param('prelu_param').bool('channel_shared');
  const [slope] = ctx.blobs([['slope', [shared ? 1 : ctx.input(2)[1]]]]);
  return { op: 'PRelu', attrs: {}, weights: { slope } };
}

const ELTWISE = { PROD: 'prod', SUM: 'sum', MAX: 'max' } as const;

function eltwise(ctx: LayerContext): Op {
  const p = ctx.param('eltwise_param');
  const operation = ELTWISE[p.string('operation') as keyof typeof ELTWISE];
  return { op: 'Eltwise', attrs: { operation, coeffs: p.numbers('coeff'), activation: noActivation() }, weights: {} };
}

const POOL = { MAX: 'max', AVE: 'ave' } as const;

/** Caffe's pooling: output sizes round up unless round_mode is FLOOR; AVE divides by the
 *  window clipped to the padded input. */
function pooling(ctx: LayerContext): Op {
  const p = ctx.param('pooling_param');
  const x = ctx.input(4);
  const method = POOL[p.string('pool') as keyof typeof POOL];
  if (!method) ctx.fail(`pool: ${p.string('pool')} is not supported (${Object.keys(POOL).join(', ')})`);
  const global = p.bool('global_pooling');
  const kernel = global ? [x[2], x[3]] as [number, number] : positive(ctx, 'kernel', window(ctx, p, 'kernel_size', 'kernel_h', 'kernel_w'));
  const stride = positive(ctx, 'stride', window(ctx, p, 'stride', 'stride_h', 'stride_w', 1));
  const [padH, padW] = window(ctx, p, 'pad', 'pad_h', 'pad_w', 0);
  const rounding = p.string('round_mode') === 'FLOOR' ? 'floor' : 'ceil';
  return { op: 'Pool', attrs: { kernel, stride, pad: [padH, padW, padH, padW], method, global, rounding, excludePad: false }, weights: {} };
}

function innerProduct(ctx: LayerContext): Op {
  const p = ctx.param('inner_product_param');
  const x = ctx.input();
  const axis = ctx.axis(p, 'axis');
  const outputs = p.number('num_output');
  if (outputs < 1) ctx.fail(`num_output must be positive, got ${outputs}`);
  const k = sizeOf(x.slice(axis));
  const transpose = p.bool('transpose');
  const hasBias = p.bool('bias_term');
  const [weight, bias] = ctx.blobs([
    ['weight', transpose ? [k, outputs] : [outputs, k]],
    ...(hasBias ? [['bias', [outputs]] as [string, Shape]] : []),
  ]);
  return { op: 'InnerProduct', attrs: { axis, outputs, transpose }, weights: hasBias ? { weight, bias } : { weight } };
}

function slice(ctx: LayerContext): Op {
  const p = ctx.param('slice_param');
  return { op: 'Slice', attrs: { axis: legacyAxis(ctx, p, 'slice_dim'), points: p.numbers('slice_point') }, weights: {} };
}

function flatten(ctx: LayerContext): Op {
  const p = ctx.param('flatten_param');
  return { op: 'Flatten', attrs: { axis: ctx.axis(p, 'axis'), endAxis: ctx.axis(p, 'end_axis') }, weights: {} };
}

/** Caffe's Reshape counts a negative axis from one past the end (-1: after the last axis). */
function reshape(ctx: LayerContext): Op {
  const p = ctx.param('reshape_param');
  const numAxes = p.number('num_axes');
  if (numAxes < -1) ctx.fail(`num_axes must be -1 or more, got ${numAxes}`);
  const axis = ctx.axis(p, 'axis', ctx.input().length + 1);
  return { op: 'Reshape', attrs: { shape: p.message('shape').numbers('dim'), axis, numAxes }, weights: {} };
}

/** Concat's concat_dim and Slice's slice_dim: deprecated aliases of axis, taken when given. */
function legacyAxis(ctx: LayerContext, p: Fields, legacy: string): number {
  return p.has(legacy) ? p.number(legacy) : ctx.axis(p, 'axis');
}

/** A [height, width] window attribute: `h`/`w` when either is given, else `list` with one value
 *  for both or one per dimension, else `fallback`. */
function window(ctx: LayerContext, p: Fields, list: string, h: string | undefined, w: string | undefined,
  fallback?: number): [number, number] {
  if (h && w && (p.has(h) || p.has(w))) {
    if (p.has(list)) ctx.fail(`give ${list} or ${h}/${w}, not both`);
    return [p.number(h), p.number(w)];
  }
  const values = p.has(list) ? p.numbers(list) : [];
  if (values.length > 2) ctx.fail(`${list} has ${values.length} values; only 2-D windows are supported`);
  if (values.length === 0) {
    if (fallback === undefined) ctx.fail(`${list}${h ? ` (or ${h} and ${w})` : ''} is required`);
    return [fallback, fallback];
  }
  return [values[0], values[values.length - 1]];
}

function positive(ctx: LayerContext, what: string, values: [number, number]): [number, number] {
  if (values[0] < 1 || values[1] < 1) ctx.fail(`${what} must be positive, got ${values.join('x')}`);
  return values;
}
