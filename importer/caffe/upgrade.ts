// Every form of Caffe net brought to one before anything else reads it (as Caffe's own
// upgrade_proto.cpp does): legacy V1 `layers` become LayerParameters with type strings; the
// legacy input header (`input` + `input_shape` or `input_dim`) and Input layers become the net's
// inputs; layers the TEST phase leaves out (include/exclude rules) are dropped.

import { ModelError, type Shape } from '../../engine/graph/graph.js';
import { checkLimit, type Limits } from '../../engine/limits.js';
import { caffeType, Fields, type Message } from './proto.js';

/** A layer in LayerParameter form, whichever form its file used. */
export interface CaffeLayer {
  name: string;
  type: string;
  bottom: string[];
  top: string[];
  /** The whole LayerParameter, for its `*_param` messages. */
  fields: Fields;
  blobs: Message[];
}

export interface CaffeNet {
  name: string;
  /** Declared inputs; a shape may be left to the caller (an Input layer without one). */
  inputs: { name: string; shape?: Shape }[];
  /** Every layer but Input layers, in file order. */
  layers: CaffeLayer[];
}

/** V1LayerParameter.LayerType → type string, for the types we import. */
const V1_TYPES: Record<string, string> = {
  CONCAT: 'Concat', CONVOLUTION: 'Convolution', DROPOUT: 'Dropout', ELTWISE: 'Eltwise', FLATTEN: 'Flatten',
  INNER_PRODUCT: 'InnerProduct', POOLING: 'Pooling', RELU: 'ReLU', SIGMOID: 'Sigmoid', SLICE: 'Slice',
  SOFTMAX: 'Softmax', SPLIT: 'Split', TANH: 'TanH',
};

/** A net's layers in LayerParameter form; the layer count and the names' lengths within `limits`. */
export function layersOf(net: Message, file: string, limits: Limits): CaffeLayer[] {
  const layers = (net.layer as Message[] | undefined) ?? [];
  const v1 = (net.layers as Message[] | undefined) ?? [];
  if (layers.length > 0 && v1.length > 0) throw new ModelError(`${file}: has both 'layer' and legacy 'layers'; use one`);
  checkLimit(limits, 'layers', layers.length + v1.length, `${file}: the net`);
  const type = caffeType('LayerParameter');
  return [...layers, ...v1.map(upgradeV1)].map((layer, i) => {
    const fields = new Fields(type, layer);
    const kind = fields.string('type');
    const names = { name: [fields.string('name')], type: [kind], bottom: fields.strings('bottom'), top: fields.strings('top') };
    for (const [field, values] of Object.entries(names)) {
      for (const value of values) checkLimit(limits, 'stringLength', value.length, `${file}: layer #${i + 1}: its ${field}`);
    }
    return { name: names.name[0] || `${kind}#${i}`, type: kind, bottom: names.bottom, top: names.top, fields,
      blobs: (layer.blobs as Message[] | undefined) ?? [] };
  });
}

/** The net a deploy prototxt describes, at the TEST phase. */
export function upgradeNet(net: Message, file: string, limits: Limits): CaffeNet {
  const header = new Fields(caffeType('NetParameter'), net);
  const state = header.message('state');
  const level = state.number('level');
  const stages = state.strings('stage');
  const layers = layersOf(net, file, limits).filter((layer) => inTestPhase(layer.fields, level, stages));
  const inputs = headerInputs(header, file);
  for (const layer of layers.filter((l) => l.type === 'Input')) {
    const shapes = layer.fields.message('input_param').messages('shape').map((s) => s.numbers('dim'));
    if (shapes.length > 1 && shapes.length !== layer.top.length) {
      throw new ModelError(`${file}: layer '${layer.name}' (Input): ${shapes.length} shapes for ${layer.top.length} tops`);
    }
    layer.top.forEach((name, i) => inputs.push({ name, shape: shapes[shapes.length === 1 ? 0 : i] }));
  }
  return { name: header.string('name'), inputs, layers: layers.filter((l) => l.type !== 'Input') };
}

function upgradeV1(v1: Message): Message {
  const from = caffeType('V1LayerParameter').fields;
  const to = caffeType('LayerParameter').fields;
  const layer: Message = { type: V1_TYPES[v1.type as string] ?? v1.type };
  // Same name and type in both messages: the same meaning (V1's `param` is a string list, skipped).
  for (const [key, value] of Object.entries(v1)) {
    if (key !== 'type' && to[key]?.type === from[key]?.type) layer[key] = value;
  }
  return layer;
}

function headerInputs(header: Fields, file: string): { name: string; shape?: Shape }[] {
  const names = header.strings('input');
  const shapes = header.messages('input_shape').map((s) => s.numbers('dim'));
  const dims = header.numbers('input_dim');
  if (shapes.length > 0 && shapes.length !== names.length) {
    throw new ModelError(`${file}: ${names.length} input(s) but ${shapes.length} input_shape(s)`);
  }
  if (dims.length > 0 && dims.length !== 4 * names.length) {
    throw new ModelError(`${file}: ${names.length} input(s) need ${4 * names.length} input_dim values (4 each), found ${dims.length}`);
  }
  return names.map((name, i) => ({ name, shape: shapes[i] ?? (dims.length > 0 ? dims.slice(4 * i, 4 * i + 4) : undefined) }));
}

/** Caffe's FilterNet at phase TEST: any include rule met keeps a layer; else any exclude rule met drops it. */
function inTestPhase(layer: Fields, level: number, stages: string[]): boolean {
  const meets = (rule: Fields) =>
    (!rule.has('phase') || rule.string('phase') === 'TEST')
    && (!rule.has('min_level') || level >= rule.number('min_level'))
    && (!rule.has('max_level') || level <= rule.number('max_level'))
    && rule.strings('stage').every((s) => stages.includes(s))
    && !rule.strings('not_stage').some((s) => stages.includes(s));
  const include = layer.messages('include');
  return include.length > 0 ? include.some(meets) : !layer.messages('exclude').some(meets);
}
