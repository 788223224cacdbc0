// A Caffe net (upgraded) plus its weights → Graph. Walks the layers in order, maps each through
// the LAYERS table, and infers every value's shape as it goes, so mapping functions see their
// bottoms' shapes and every blob is checked against what its layer needs.
//
// Value names. Caffe lets a layer write its result back into its bottom blob (in place: top ==
// bottom), so one blob name can stand for several values; a graph value has one producer. Here
// the LAST layer that writes a blob produces the value named after the blob, so a blob name
// means what Caffe shows under it after a forward pass (and graph outputs are blob names). Each
// earlier write is named `<blob>@<layer>`: `conv1` written by layer conv1 then in place by relu1
// gives values `conv1@conv1` and `conv1`. A graph input keeps its name; in-place writes to an
// input blob are all `<blob>@<layer>`.
//
// Outputs are Caffe's: the values no later layer reads (listed in the order they were produced).

import { formatShape, ModelError, sizeOf, type Graph, type Node, type Shape, type Tensor } from '../../engine/graph/graph.js';
import { inferShapes } from '../../engine/graph/ops.js';
import { checkLimit, type Limits } from '../../engine/limits.js';
import { LAYERS, type LayerContext } from './layers.js';
import type { Message } from './proto.js';
import type { CaffeLayer, CaffeNet } from './upgrade.js';

export interface BuildOptions {
  /** Whole input shapes by input name (for fully convolutional nets). */
  inputShapes?: Record<string, number[]>;
  /** Overrides dim 0 of every input. */
  batch?: number;
  /** Raises or lowers the limits of engine/limits.ts. */
  limits?: Partial<Limits>;
}

/** Where the net and its weights came from, for messages. */
export interface Sources {
  prototxt: string;
  /** The file holding the blobs (the prototxt itself when there is no caffemodel). */
  weights: string;
}

/** `weights`: blobs by layer name. Every declared and inferred shape is checked against `limits`. */
export function buildGraph(net: CaffeNet, weights: Map<string, Message[]>, sources: Sources, limits: Limits,
  options: BuildOptions = {}): Graph {
  const inputs = graphInputs(net, sources.prototxt, limits, options);
  const inputNames = new Set(inputs.map((i) => i.name));
  const lastWriter = new Map<string, CaffeLayer>();
  for (const layer of net.layers) for (const top of layer.top) lastWriter.set(top, layer);

  const current = new Map<string, string>(inputs.map((i) => [i.name, i.name])); // blob → value
  const shapes = new Map<string, Shape>(inputs.map((i) => [i.name, i.shape])); // value → shape
  const unread = new Set<string>();
  const layerNames = new Set<string>();
  const nodes: Node[] = [];

  for (const layer of net.layers) {
    const fail = (message: string): never => {
      throw new ModelError(`${sources.prototxt}: layer '${layer.name}' (${layer.type}): ${message}`);
    };
    const map = LAYERS[layer.type];
    if (!map) fail(`unsupported layer type; supported: Input, ${Object.keys(LAYERS).join(', ')}`);
    if (layerNames.has(layer.name)) fail('another layer has the same name');
    layerNames.add(layer.name);
    if (layer.bottom.length === 0 || layer.top.length === 0) fail(`needs bottoms and tops, has ${layer.bottom.length} and ${layer.top.length}`);
    const values = layer.bottom.map((blob) => current.get(blob) ?? fail(`bottom '${blob}' is not an input or the top of an earlier layer`));
    const inputShapes = values.map((v) => shapes.get(v) as Shape);
    const outputs = layer.top.map((blob, i) => {
      if (current.has(blob) && layer.bottom[i] !== blob) fail(`top '${blob}' is already produced earlier (only in place, top == bottom, may a blob be written again)`);
      return lastWriter.get(blob) === layer && !inputNames.has(blob) ? blob : `${blob}@${layer.name}`;
    });
    const op = map(layerContext(layer, inputShapes, weights.get(layer.name), sources.weights, fail));
    const node = { name: layer.name, inputs: values, outputs, ...op } as Node;
    let outShapes: Shape[];
    try {
      outShapes = inferShapes(node, inputShapes);
    } catch (error) {
      throw error instanceof ModelError ? new ModelError(`${sources.prototxt}: ${error.message}`) : error;
    }
    outShapes.forEach((shape, i) => checkLimit(limits, 'tensorElements', sizeOf(shape),
      `${sources.prototxt}: layer '${layer.name}' (${layer.type}): top '${layer.top[i]}' ${formatShape(shape)}`));
    nodes.push(node);
    for (const v of values) unread.delete(v);
    outputs.forEach((value, i) => {
      shapes.set(value, outShapes[i]);
      current.set(layer.top[i], value);
      unread.add(value);
    });
  }
  return { name: net.name || sources.prototxt, inputs, outputs: [...unread], nodes };
}

function graphInputs(net: CaffeNet, file: string, limits: Limits, options: BuildOptions): { name: string; shape: Shape }[] {
  for (const name of Object.keys(options.inputShapes ?? {})) {
    if (!net.inputs.some((i) => i.name === name)) {
      throw new ModelError(`${file}: inputShapes names '${name}', but the net's inputs are ${net.inputs.map((i) => `'${i.name}'`).join(', ') || 'none'}`);
    }
  }
  return net.inputs.map(({ name, shape: declared }) => {
    const shape = [...(options.inputShapes?.[name] ?? declared ?? [])];
    if (shape.length === 0) throw new ModelError(`${file}: input '${name}' has no shape; give one in inputShapes`);
    if (options.batch !== undefined) shape[0] = options.batch;
    if (!shape.every((d) => Number.isSafeInteger(d) && d > 0)) throw new ModelError(`${file}: input '${name}' has shape ${formatShape(shape)}; dims must be positive integers`);
    checkLimit(limits, 'tensorElements', sizeOf(shape), `${file}: input '${name}' ${formatShape(shape)}`);
    return { name, shape };
  });
}

function layerContext(layer: CaffeLayer, inputs: Shape[], blobs: Message[] | undefined, weightsFile: string,
  fail: (message: string) => never): LayerContext {
  return {
    inputs,
    fail,
    param: (name) => layer.fields.message(name),
    input(minRank = 0) {
      if (inputs.length !== 1) fail(`expects 1 bottom, got ${inputs.length}`);
      if (inputs[0].length < minRank) fail(`expects an input of rank ${minRank} or more, got ${formatShape(inputs[0])}`);
      return inputs[0];
    },
    axis(fields, name, rank = inputs[0].length) {
      const value = fields.number(name);
      const axis = value < 0 ? value + rank : value;
      if (axis < 0 || axis >= rank) fail(`${name} ${value} is out of range for input ${formatShape(inputs[0])}`);
      return axis;
    },
    blobs(expected) {
      const names = expected.map(([name]) => name).join(', ');
      if (!blobs) fail(`needs weights (${names}), but ${weightsFile} has no layer named '${layer.name}'`);
      if (blobs.length !== expected.length) fail(`needs ${expected.length} blob(s) (${names}), ${weightsFile} has ${blobs.length}`);
      return expected.map(([name, shape], i) => tensor(blobs[i], shape, (found) =>
        fail(`blob ${i} (${name}) in ${weightsFile} has ${found}, expected ${sizeOf(shape)} ${formatShape(shape)}`)));
    },
  };
}

/** A blob's values as a tensor of `shape` (sizes must agree; the blob's own shape may be a legacy 4-D one). */
function tensor(blob: Message, shape: Shape, mismatch: (found: string) => never): Tensor {
  const values = ((blob.data as ArrayLike<number> | undefined)?.length ? blob.data : blob.double_data) as ArrayLike<number> | undefined ?? [];
  if (values.length !== sizeOf(shape)) {
    const declared = (blob.shape as { dim?: number[] } | undefined)?.dim
      ?? ['num', 'channels', 'height', 'width'].map((k) => (blob[k] as number | undefined) ?? 0);
    mismatch(`${values.length} values ${formatShape(declared)}`);
  }
  return { shape, data: values instanceof Float32Array ? values : Float32Array.from(values) };
}
