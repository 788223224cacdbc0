// The layer table: each IR layer type and the small function that maps it onto an engine op
// (the same ops the Caffe importer produces). Input layers become graph inputs, not ops.
// Attribute names and defaults follow the Inference Engine's IR v2/v3 readers.

import { sizeOf } from '../../engine/graph/graph.js';
import { noActivation, type Op, type Window2d } from '../../engine/graph/ops.js';
import type { LayerReader } from './reader.js';

type Mapping = (layer: LayerReader) => Op;

/** A [y, x] attribute written per axis (IR v2: kernel-y, kernel-x) or as one list (IR v3: kernel="ky,kx"). */
function pair(l: LayerReader, [y, x]: [string, string], list: string, fallback?: [number, number]): [number, number] {
  if (l.has(y) || l.has(x)) return [l.int(y, fallback?.[0]), l.int(x, fallback?.[1])];
  const values = l.ints(list, fallback);
  if (values.length !== 2) l.fail(`attribute '${list}' expected 2 values (y,x), found '${values.join(',')}'`);
  return [values[0], values[1]];
}

function positive(l: LayerReader, name: string, values: [number, number]): [number, number] {
  if (values.some((v) => v < 1)) l.fail(`attribute '${name}' expected positive values, found ${values.join(',')}`);
  return values;
}

/** Kernel, stride and pads (pad-b/pad-r or pads_end default to the begin pads). */
function window(l: LayerReader): Window2d {
  const begin = pair(l, ['pad-y', 'pad-x'], 'pads_begin', [0, 0]);
  const end = pair(l, ['pad-b', 'pad-r'], 'pads_end', begin);
  if ([...begin, ...end].some((p) => p < 0)) l.fail(`pads expected non-negative values, found ${[...begin, ...end].join(',')}`);
  return {
    kernel: positive(l, 'kernel', pair(l, ['kernel-y', 'kernel-x'], 'kernel')),
    stride: positive(l, 'stride', pair(l, ['stride-y', 'stride-x'], 'strides', [1, 1])),
    pad: [begin[0], begin[1], end[0], end[1]],
  };
}

const convolution: Mapping = (l) => {
  const attrs = { ...window(l), outChannels: l.int('output'), group: l.int('group', 1), activation: noActivation(),
    dilation: positive(l, 'dilation', pair(l, ['dilation-y', 'dilation-x'], 'dilations', [1, 1])) };
  const channels = l.channels();
  if (attrs.group < 1 || channels % attrs.group !== 0) {
    l.fail(`attribute 'group' expected a divisor of the ${channels} input channels, found ${attrs.group}`);
  }
  const weight = l.blob('weights', [attrs.outChannels, channels / attrs.group, ...attrs.kernel]);
  return { op: 'Conv', attrs, weights: { weight, bias: l.optionalBlob('biases', [attrs.outChannels]) } };
};

const pooling: Mapping = (l) => ({
  op: 'Pool',
  attrs: { ...window(l), method: l.choice('pool-method', { max: 'max', avg: 'ave' } as const, 'max'), global: false,
    rounding: l.choice(l.has('rounding-type') ? 'rounding-type' : 'rounding_type', { ceil: 'ceil', floor: 'floor' } as const, 'ceil'),
    excludePad: l.bool('exclude-pad', false) },
  weights: {},
});

const scaleShift: Mapping = (l) => {
  const channels = [l.channels()];
  return { op: 'Scale', attrs: { axis: 1 }, weights: { scale: l.blob('weights', channels), bias: l.optionalBlob('biases', channels) } };
};

const fullyConnected: Mapping = (l) => {
  const outputs = l.int('out-size');
  const weight = l.blob('weights', [outputs, sizeOf(l.input(0).slice(1))]);
  return { op: 'InnerProduct', attrs: { axis: 1, outputs, transpose: false }, weights: { weight, bias: l.optionalBlob('biases', [outputs]) } };
};

/** Split (and Slice, its older name): the parts' sizes along the axis are the output ports' dims. */
const split: Mapping = (l) => {
  const axis = l.axis('axis', 1);
  let point = 0;
  const points = l.layer.outputs.slice(0, -1).map((port) => (point += port.dims[axis] ?? NaN));
  return { op: 'Slice', attrs: { axis, points }, weights: {} };
};

const ACTIVATIONS: Record<string, Mapping> = {
  elu: (l) => ({ op: 'Elu', attrs: { alpha: l.float('alpha', 1) }, weights: {} }),
  relu: (l) => ({ op: 'Relu', attrs: { negativeSlope: l.float('negative_slope', 0) }, weights: {} }),
  sigmoid: () => ({ op: 'Sigmoid', attrs: {}, weights: {} }),
  tanh: () => ({ op: 'TanH', attrs: {}, weights: {} }),
};

const ELTWISE = { sum: 'sum', mul: 'prod', max: 'max' } as const;

export const LAYERS: Record<string, Mapping> = {
  ScaleShift: scaleShift,
  Convolution: convolution,
  Pooling: pooling,
  FullyConnected: fullyConnected,
  ReLU: ACTIVATIONS.relu,
  ELU: ACTIVATIONS.elu,
  Sigmoid: ACTIVATIONS.sigmoid,
  TanH: ACTIVATIONS.tanh,
  Activation: (l) => l.choice('type', ACTIVATIONS)(l),
  Eltwise: (l) => ({ op: 'Eltwise', attrs: { operation: l.choice('operation', ELTWISE, 'sum'), coeffs: l.floats('coeff', []),
    activation: noActivation() }, weights: {} }),
  SoftMax: (l) => ({ op: 'Softmax', attrs: { axis: l.axis('axis', 1) }, weights: {} }),
  Split: split,
  Slice: split,
  Concat: (l) => ({ op: 'Concat', attrs: { axis: l.axis('axis', 1) }, weights: {} }),
  Reshape: (l) => ({ op: 'Reshape', attrs: { shape: l.ints('dim'), axis: l.axis('axis', 0), numAxes: l.int('num_axes', -1) }, weights: {} }),
  Flatten: (l) => ({ op: 'Flatten', attrs: { axis: l.axis('axis', 1), endAxis: l.axis('end_axis', -1) }, weights: {} }),
  Power: (l) => ({ op: 'Power', attrs: { power: l.float('power', 1), scale: l.float('scale', 1), shift: l.float('shift', 0) }, weights: {} }),
  Clamp: (l) => ({ op: 'Clamp', attrs: { min: l.float('min'), max: l.float('max') }, weights: {} }),
};

/** Every layer type the importer reads, for error messages. */
export const SUPPORTED_TYPES = ['Input', ...Object.keys(LAYERS)];
