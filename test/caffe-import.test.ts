// The Caffe importer: the real RMNet and MTCNN files, the prototxt parser, legacy V1 nets and
// blobs, and bad input of every kind giving a ModelError that says what and where.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ModelError, type Graph, type Node, type Shape } from '../engine/graph/graph.js';
import { inferShapes } from '../engine/graph/ops.js';
import { importCaffe, loadCaffe } from '../importer/caffe/index.js';
import { decodeCaffemodel } from '../importer/caffe/caffemodel.js';
import { caffeType, type Message } from '../importer/caffe/proto.js';
import protobuf from 'protobufjs';
import { parsePrototxt } from '../importer/caffe/prototxt.js';

// These test the importer itself: every model is parsed here, none read back from the graph cache.
process.env.FACEREID_CACHE = 'off';

const MODELS = fileURLToPath(new URL('../../shared/models/', import.meta.url));
const RMNET = `${MODELS}face-reidentification-retail-0001/face-reidentification-retail-0001`;
const MTCNN = `${MODELS}mtcnn/`;
const rmnetText = () => readFileSync(`${RMNET}.prototxt`, 'utf8');
const rmnetBytes = () => new Uint8Array(readFileSync(`${RMNET}.caffemodel`));

/** Every value's shape, inferred node by node from the graph's inputs. */
function shapesOf(graph: Graph): Map<string, Shape> {
  const shapes = new Map(graph.inputs.map((i) => [i.name, i.shape]));
  for (const node of graph.nodes) {
    inferShapes(node, node.inputs.map((v) => shapes.get(v) as Shape)).forEach((s, i) => shapes.set(node.outputs[i], s));
  }
  return shapes;
}

const node = (graph: Graph, name: string) => graph.nodes.find((n) => n.name === name) as Node;

/** The ModelError message `run` throws (fails the test if it throws anything else or nothing). */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError);
    return (error as Error).message;
  }
  throw new Error('expected a ModelError');
}

describe('RMNet (face-reidentification-retail-0001)', () => {
  it('imports: one node per layer but Input, input data [1,3,128,128], output embedding_output', async () => {
    const graph = await loadCaffe(`${RMNET}.prototxt`, `${RMNET}.caffemodel`);
    expect(graph.name).toBe('RMNetAngular');
    expect(graph.inputs).toEqual([{ name: 'data', shape: [1, 3, 128, 128] }]);
    expect(graph.nodes.length).toBe(524);
    const counts: Record<string, number> = {};
    for (const n of graph.nodes) counts[n.op] = (counts[n.op] ?? 0) + 1;
    expect(counts).toEqual({ BatchNorm: 113, Scale: 113, Conv: 113, Relu: 1, Elu: 108, Dropout: 36, Eltwise: 36, Pool: 4 });
    expect(graph.outputs).toEqual(['embedding_output']);
    expect(shapesOf(graph).get('embedding_output')).toEqual([1, 128, 1, 1]);
    const names = graph.nodes.flatMap((n) => n.outputs);
    expect(new Set(names).size).toBe(names.length); // one producer per value
  });

  it('maps attributes and weights', async () => {
    const graph = await loadCaffe(`${RMNET}.prototxt`, `${RMNET}.caffemodel`);
    const conv = node(graph, 'ConvNdBackward_2');
    expect(conv).toMatchObject({ op: 'Conv', attrs: { kernel: [3, 3], stride: [2, 2], pad: [1, 1, 1, 1], dilation: [1, 1], group: 1, outChannels: 32 } });
    if (conv.op !== 'Conv') throw new Error('not a Conv');
    expect(conv.weights.weight.shape).toEqual([32, 3, 3, 3]);
    expect(conv.weights.bias?.shape).toEqual([32]);
    expect(node(graph, 'ConvNdBackward_8').attrs).toMatchObject({ group: 8 }); // depthwise
    expect(node(graph, 'MaxPool2DBackward_63').attrs).toMatchObject({ method: 'max', kernel: [2, 2], stride: [2, 2], rounding: 'ceil', global: false });
    expect(node(graph, 'BatchNormBackward_3_bn').attrs).toEqual({ eps: Math.fround(1e-5) });
    expect(node(graph, 'AddBackward1_15').attrs).toMatchObject({ operation: 'sum', coeffs: [] });
    expect(node(graph, 'EluBackward_7').attrs).toEqual({ alpha: 1 });
  });

  it('names in-place writes: the last writer of a blob produces the blob name', async () => {
    const graph = await loadCaffe(`${RMNET}.prototxt`, `${RMNET}.caffemodel`);
    // ConvNdBackward_2 is written by the convolution, then in place by BatchNorm, Scale and ReLU.
    expect(node(graph, 'ConvNdBackward_2').outputs).toEqual(['ConvNdBackward_2@ConvNdBackward_2']);
    expect(node(graph, 'BatchNormBackward_3_bn').inputs).toEqual(['ConvNdBackward_2@ConvNdBackward_2']);
    expect(node(graph, 'BatchNormBackward_3_scale').outputs).toEqual(['ConvNdBackward_2@BatchNormBackward_3_scale']);
    expect(node(graph, 'ThresholdBackward_4').outputs).toEqual(['ConvNdBackward_2']);
    expect(node(graph, 'ConvNdBackward_5').inputs).toEqual(['ConvNdBackward_2']);
  });

  it('batch overrides dim 0 of the input', async () => {
    const graph = await loadCaffe(`${RMNET}.prototxt`, `${RMNET}.caffemodel`, { batch: 4 });
    expect(graph.inputs).toEqual([{ name: 'data', shape: [4, 3, 128, 128] }]);
    expect(shapesOf(graph).get('embedding_output')).toEqual([4, 128, 1, 1]);
  });
});

describe('MTCNN (legacy input_dim headers, caffemodels holding whole training nets)', () => {
  const refs = JSON.parse(readFileSync(`${MTCNN}reference/references.json`, 'utf8')) as {
    nets: Record<string, { input: { blob: string; shape: number[] }; outputs: Record<string, { shape: number[] }> }>;
  };
  for (const [net, ref] of Object.entries(refs.nets)) {
    it(`${net} gives the reference outputs and shapes for input ${ref.input.shape.join('x')}`, async () => {
      const graph = await loadCaffe(`${MTCNN}${net}.prototxt`, `${MTCNN}${net}.caffemodel`,
        { inputShapes: { [ref.input.blob]: ref.input.shape } });
      expect(graph.inputs).toEqual([{ name: ref.input.blob, shape: ref.input.shape }]);
      expect([...graph.outputs].sort()).toEqual(Object.keys(ref.outputs).sort());
      const shapes = shapesOf(graph);
      for (const [name, out] of Object.entries(ref.outputs)) expect(shapes.get(name), name).toEqual(out.shape);
    });
  }

  it('det1 takes its header shape 1x3x12x12 without inputShapes; PReLU slopes per channel', async () => {
    const graph = await loadCaffe(`${MTCNN}det1.prototxt`, `${MTCNN}det1.caffemodel`);
    expect(graph.inputs).toEqual([{ name: 'data', shape: [1, 3, 12, 12] }]);
    expect(shapesOf(graph).get('prob1')).toEqual([1, 2, 1, 1]);
    const prelu = node(graph, 'PReLU1');
    expect(prelu.op === 'PRelu' && prelu.weights.slope.shape).toEqual([10]);
  });

  it('det4 slices its 15-channel input into five patches and concatenates', async () => {
    const graph = await loadCaffe(`${MTCNN}det4.prototxt`, `${MTCNN}det4.caffemodel`);
    expect(node(graph, 'slicer_data')).toMatchObject({ op: 'Slice', attrs: { axis: 1, points: [3, 6, 9, 12] } });
    expect(node(graph, 'slicer_data').outputs).toEqual(['data241', 'data242', 'data243', 'data244', 'data245']);
    expect(node(graph, 'concat')).toMatchObject({ op: 'Concat', attrs: { axis: 1 } });
  });
});

describe('prototxt parser', () => {
  it('reads comments, repeated and nested fields (with or without colon), enums, strings, lists, numbers', () => {
    const net = parsePrototxt(`# a comment
      name: 'it\\'s "a"\\n\\x41\\101' "+" # joined strings
      input: "x"; input: "y",
      input_dim: [1, 3, 24, 24] input_dim: 5
      layer {
        name: "c" type: "Convolution"
        convolution_param: { num_output: 8 kernel_size: [3, 5] stride: 2 bias_term: false
                             weight_filler { std: -1.5e-2 mean: .5 value: 2f } }
        include { phase: TRAIN }
        include: { phase: 1 }
      }
      layer { name: "e" elu_param { alpha: -inf } batch_norm_param { eps: nan } }
      layer: [{ name: "l1" }, { name: "l2" }]
      layer { name: "empty" bottom: [] }`, 'test.prototxt');
    expect(net).toEqual({
      name: 'it\'s "a"\nAA+',
      input: ['x', 'y'],
      input_dim: [1, 3, 24, 24, 5],
      layer: [
        {
          name: 'c', type: 'Convolution',
          convolution_param: { num_output: 8, kernel_size: [3, 5], stride: [2], bias_term: false,
            weight_filler: { std: Math.fround(-1.5e-2), mean: 0.5, value: 2 } },
          include: [{ phase: 'TRAIN' }, { phase: 'TEST' }],
        },
        { name: 'e', elu_param: { alpha: -Infinity }, batch_norm_param: { eps: NaN } },
        { name: 'l1' }, { name: 'l2' },
        { name: 'empty', bottom: [] },
      ],
    });
  });

  it.each([
    ['layer {\n  name: "a"\n', 'test.prototxt:3:1: expected a field of caffe.LayerParameter or \'}\', found end of file'],
    ['layer {\n  nmae: "a"\n}', 'test.prototxt:2:3: unknown field \'nmae\' in caffe.LayerParameter'],
    ['layer { name: "a" } }', 'test.prototxt:1:21: expected a field of caffe.NetParameter or end of file, found \'}\''],
    ['name "a"', 'test.prototxt:1:6: expected \':\' after \'name\', found string "a"'],
    ['input_dim: 1.5', 'test.prototxt:1:12: expected an integer (int32) for \'input_dim\', found number 1.5'],
    ['layer { convolution_param { num_output: -3 } }', 'test.prototxt:1:41: expected an integer in [0, 4294967295] (uint32) for \'num_output\', found -3'],
    ['layer { type: 5 }', 'test.prototxt:1:15: expected a string for \'type\', found number 5'],
    ['layer { pooling_param { pool: MIN } }', 'test.prototxt:1:31: expected a value of caffe.PoolingParameter.PoolMethod (MAX, AVE, STOCHASTIC) for \'pool\', found \'MIN\''],
    ['name: "a"\nname: "b"', 'test.prototxt:2:1: field \'name\' is set twice'],
    ['name: [ "a" ]', 'test.prototxt:1:1: field \'name\' is not repeated: a list is not allowed'],
    ['name: "abc', 'test.prototxt:1:7: unterminated string'],
    ['name: "a\\q"', 'test.prototxt:1:7: invalid escape \'\\q\' in string'],
    ['name: "\\x"', 'test.prototxt:1:7: invalid escape \'\\x\' in string'],
    ['layer { name: "a" } $', 'test.prototxt:1:21: unexpected character \'$\''],
    ['constructor: 1', 'test.prototxt:1:1: unknown field \'constructor\' in caffe.NetParameter'],
    ['layer { relu_param { negative_slope: constructor } }', 'test.prototxt:1:38: expected a number for \'negative_slope\', found \'constructor\''],
    ['force_backward: maybe', 'test.prototxt:1:17: expected true or false for \'force_backward\', found \'maybe\''],
  ])('reports %j at file:line:column', (text, message) => {
    expect(errorOf(() => parsePrototxt(text, 'test.prototxt'))).toBe(message);
  });
});

describe('legacy V1 nets and blobs', () => {
  const deploy = `name: "v1"
    input: "data" input_dim: 1 input_dim: 2 input_dim: 4 input_dim: 4
    layers { name: "conv" type: CONVOLUTION bottom: "data" top: "conv" convolution_param { num_output: 3 kernel_size: 3 pad: 1 } }
    layers { name: "relu" type: RELU bottom: "conv" top: "conv" relu_param { negative_slope: 0.25 } }
    layers { name: "pool" type: POOLING bottom: "conv" top: "pool" pooling_param { pool: AVE kernel_size: 2 stride: 2 } }
    layers { name: "fc" type: INNER_PRODUCT bottom: "pool" top: "fc" inner_product_param { num_output: 5 } }
    layers { name: "prob" type: SOFTMAX bottom: "fc" top: "prob" }`;
  const convWeight = Array.from({ length: 54 }, (_, i) => i / 7);
  const fcWeight = Array.from({ length: 60 }, (_, i) => -i);
  // What Caffe of 2014 wrote: V1 layers, 4-D num/channels/height/width blobs, a whole training net.
  const caffemodel = caffeType('NetParameter').encode(caffeType('NetParameter').fromObject({
    name: 'v1',
    layers: [
      { name: 'data', type: 'DATA', top: ['data', 'label'], include: [{ phase: 'TRAIN' }] },
      { name: 'conv', type: 'CONVOLUTION', blobs: [
        { num: 3, channels: 2, height: 3, width: 3, double_data: convWeight },
        { num: 1, channels: 1, height: 1, width: 3, data: [0.5, 1.5, 2.5] }] },
      { name: 'fc', type: 'INNER_PRODUCT', blobs: [
        { num: 1, channels: 1, height: 5, width: 12, data: fcWeight },
        { num: 1, channels: 1, height: 1, width: 5, data: [1, 2, 3, 4, 5] }] },
      { name: 'loss', type: 'SOFTMAX_LOSS', bottom: ['fc', 'label'], top: ['loss'] },
    ],
  })).finish();

  it('imports a V1 deploy net with a V1 caffemodel', () => {
    const graph = importCaffe(deploy, caffemodel);
    expect(graph.inputs).toEqual([{ name: 'data', shape: [1, 2, 4, 4] }]);
    expect(graph.nodes.map((n) => [n.name, n.op, n.inputs, n.outputs])).toEqual([
      ['conv', 'Conv', ['data'], ['conv@conv']],
      ['relu', 'Relu', ['conv@conv'], ['conv']],
      ['pool', 'Pool', ['conv'], ['pool']],
      ['fc', 'InnerProduct', ['pool'], ['fc']],
      ['prob', 'Softmax', ['fc'], ['prob']],
    ]);
    expect(graph.outputs).toEqual(['prob']);
    expect(shapesOf(graph).get('prob')).toEqual([1, 5]);
    const [conv, relu, pool, fc] = graph.nodes;
    expect(relu.attrs).toEqual({ negativeSlope: 0.25 });
    expect(pool.attrs).toMatchObject({ method: 'ave', rounding: 'ceil', excludePad: false, kernel: [2, 2], stride: [2, 2] });
    if (conv.op !== 'Conv' || fc.op !== 'InnerProduct') throw new Error('wrong ops');
    expect(conv.weights.weight).toEqual({ shape: [3, 2, 3, 3], data: Float32Array.from(convWeight) }); // from double_data
    expect(conv.weights.bias).toEqual({ shape: [3], data: Float32Array.from([0.5, 1.5, 2.5]) });
    expect(fc.weights.weight).toEqual({ shape: [5, 12], data: Float32Array.from(fcWeight) });
    expect(fc.attrs).toEqual({ axis: 1, outputs: 5, transpose: false });
  });

  it('a V1 prototxt holding its own blobs needs no caffemodel', () => {
    const graph = importCaffe(`input: "x" input_shape { dim: 2 dim: 3 }
      layers { name: "fc" type: INNER_PRODUCT bottom: "x" top: "y" inner_product_param { num_output: 1 bias_term: false }
               blobs { num: 1 channels: 1 height: 1 width: 3 data: [1, 2, 3] } }`, undefined);
    expect(shapesOf(graph).get('y')).toEqual([2, 1]);
  });
});

describe('Caffe semantics', () => {
  const bn = (factor: number) => importCaffe(`input: "x" input_shape { dim: 1 dim: 2 dim: 3 dim: 3 }
    layer { name: "bn" type: "BatchNorm" bottom: "x" top: "x"
      blobs { shape { dim: 2 } data: [2, 4] } blobs { shape { dim: 2 } data: [8, 16] } blobs { shape { dim: 1 } data: ${factor} } }
    layer { name: "sc" type: "Scale" bottom: "x" top: "x" scale_param { bias_term: true }
      blobs { data: [1, 2] } blobs { data: [3, 4] } }`, undefined, { prototxtName: 'bn.prototxt' });

  it('BatchNorm divides mean and variance by the scale factor blob (0 gives 0)', () => {
    const g = bn(2);
    expect(g.nodes[0]).toMatchObject({ op: 'BatchNorm', attrs: { eps: Math.fround(1e-5) },
      weights: { mean: { shape: [2], data: Float32Array.from([1, 2]) }, variance: { shape: [2], data: Float32Array.from([4, 8]) } } });
    expect(bn(0).nodes[0]).toMatchObject({ weights: { mean: { data: Float32Array.from([0, 0]) } } });
    // In-place writes to an input blob keep the input's name for the input itself.
    expect(g.nodes.map((n) => n.outputs[0])).toEqual(['x@bn', 'x@sc']);
    expect(g.outputs).toEqual(['x@sc']);
    expect(g.nodes[1]).toMatchObject({ op: 'Scale', attrs: { axis: 1 } });
  });

  const net = (layers: string, options = {}) => importCaffe(
    `input: "x" input_shape { dim: 2 dim: 6 dim: 4 dim: 4 }\n${layers}`, undefined, { prototxtName: 'n.prototxt', ...options });

  it('normalises negative axes against the input rank (Reshape: one past the end)', () => {
    const g = net(`layer { name: "f" type: "Flatten" bottom: "x" top: "f" flatten_param { axis: -3 end_axis: -2 } }
      layer { name: "s" type: "Softmax" bottom: "f" top: "s" softmax_param { axis: -1 } }
      layer { name: "r" type: "Reshape" bottom: "s" top: "r" reshape_param { shape { dim: 2 dim: -1 } axis: -2 num_axes: 1 } }
      layer { name: "c" type: "Concat" bottom: "x" bottom: "x" top: "c" concat_param { axis: -4 } }
      layer { name: "sl" type: "Slice" bottom: "x" top: "a" top: "b" slice_param { slice_dim: 1 } }`);
    expect(g.nodes.map((n) => n.attrs)).toEqual([
      { axis: 1, endAxis: 2 }, { axis: 2 }, { shape: [2, -1], axis: 2, numAxes: 1 }, { axis: 0 }, { axis: 1, points: [] },
    ]);
    const shapes = shapesOf(g);
    expect([shapes.get('f'), shapes.get('r'), shapes.get('c'), shapes.get('a')]).toEqual([[2, 24, 4], [2, 24, 2, 2], [4, 6, 4, 4], [2, 3, 4, 4]]);
  });

  it('drops layers the TEST phase excludes; outputs are the blobs no later layer reads', () => {
    const g = net(`layer { name: "t" type: "ReLU" bottom: "x" top: "t" include { phase: TRAIN } }
      layer { name: "e" type: "ReLU" bottom: "x" top: "e" exclude { phase: TEST } }
      layer { name: "a" type: "Sigmoid" bottom: "x" top: "a" include { phase: TEST } }
      layer { name: "b" type: "TanH" bottom: "x" top: "b" }
      layer { name: "d" type: "Dropout" bottom: "a" top: "a" }
      layer { name: "s" type: "Split" bottom: "b" top: "b1" top: "b2" }
      layer { name: "m" type: "Eltwise" bottom: "a" bottom: "b1" top: "m" eltwise_param { operation: MAX } }`);
    expect(g.nodes.map((n) => n.name)).toEqual(['a', 'b', 'd', 's', 'm']);
    expect(g.outputs).toEqual(['b2', 'm']);
    expect(g.nodes[4].attrs).toMatchObject({ operation: 'max' });
  });

  it('pooling: global, floor rounding, pad_h/pad_w, stride_h/stride_w', () => {
    const g = net(`layer { name: "g" type: "Pooling" bottom: "x" top: "g" pooling_param { pool: AVE global_pooling: true } }
      layer { name: "p" type: "Pooling" bottom: "x" top: "p"
        pooling_param { kernel_h: 3 kernel_w: 2 stride_h: 2 stride_w: 1 pad_h: 1 pad_w: 0 round_mode: FLOOR } }`);
    expect(g.nodes[0].attrs).toMatchObject({ method: 'ave', global: true });
    expect(g.nodes[1].attrs).toEqual({ method: 'max', global: false, kernel: [3, 2], stride: [2, 1], pad: [1, 0, 1, 0],
      rounding: 'floor', excludePad: false });
  });

  it('convolution: repeated kernel_size/stride/pad/dilation with one or two values, or *_h/*_w', () => {
    const zeros = (n: number) => `blobs { data: [${new Array(n).fill(0).join(', ')}] }`;
    const g = net(`layer { name: "a" type: "Convolution" bottom: "x" top: "a"
        convolution_param { num_output: 2 kernel_size: [3, 1] stride: [1, 2] pad: [1, 0] dilation: 2 bias_term: false } ${zeros(2 * 6 * 3)} }
      layer { name: "b" type: "Convolution" bottom: "x" top: "b"
        convolution_param { num_output: 3 kernel_h: 1 kernel_w: 2 stride_h: 2 stride_w: 1 pad_w: 1 group: 3 } ${zeros(3 * 2 * 2)} ${zeros(3)} }`);
    expect(g.nodes[0].attrs).toMatchObject({ kernel: [3, 1], stride: [1, 2], pad: [1, 0, 1, 0], dilation: [2, 2], group: 1, outChannels: 2 });
    expect(g.nodes[1].attrs).toMatchObject({ kernel: [1, 2], stride: [2, 1], pad: [0, 1, 0, 1], dilation: [1, 1], group: 3, outChannels: 3 });
    const shapes = shapesOf(g);
    expect([shapes.get('a'), shapes.get('b')]).toEqual([[2, 2, 2, 2], [2, 3, 2, 5]]);
  });

  it('options.inputShapes replaces whole shapes and must name inputs', () => {
    const g = net('layer { name: "r" type: "ReLU" bottom: "x" top: "r" }', { inputShapes: { x: [1, 1, 5] }, batch: 3 });
    expect(g.inputs).toEqual([{ name: 'x', shape: [3, 1, 5] }]);
    expect(errorOf(() => net('', { inputShapes: { y: [1] } }))).toBe("n.prototxt: inputShapes names 'y', but the net's inputs are 'x'");
    expect(errorOf(() => importCaffe('layer { name: "in" type: "Input" top: "z" }', undefined)))
      .toBe("prototxt: input 'z' has no shape; give one in inputShapes");
  });

  it.each([
    ['layer { name: "s" type: "Scale" bottom: "x" bottom: "x" top: "s" }',
      "n.prototxt: layer 's' (Scale): a second bottom (the scale as an input) is not supported"],
    ['layer { name: "p" type: "Pooling" bottom: "x" top: "p" pooling_param { pool: STOCHASTIC kernel_size: 2 } }',
      "n.prototxt: layer 'p' (Pooling): pool: STOCHASTIC is not supported (MAX, AVE)"],
    ['layer { name: "p" type: "Pooling" bottom: "x" top: "p" }',
      "n.prototxt: layer 'p' (Pooling): kernel_size (or kernel_h and kernel_w) is required"],
    ['layer { name: "r" type: "ReLU" bottom: "nothing" top: "r" }',
      "n.prototxt: layer 'r' (ReLU): bottom 'nothing' is not an input or the top of an earlier layer"],
    ['layer { name: "r" type: "ReLU" bottom: "x" top: "r" }\nlayer { name: "r" type: "ReLU" bottom: "x" top: "q" }',
      "n.prototxt: layer 'r' (ReLU): another layer has the same name"],
    ['layer { name: "a" type: "ReLU" bottom: "x" top: "r" }\nlayer { name: "b" type: "ReLU" bottom: "x" top: "r" }',
      "n.prototxt: layer 'b' (ReLU): top 'r' is already produced earlier (only in place, top == bottom, may a blob be written again)"],
    ['layer { name: "s" type: "Softmax" bottom: "x" top: "s" softmax_param { axis: 4 } }',
      "n.prototxt: layer 's' (Softmax): axis 4 is out of range for input [2,6,4,4]"],
    ['layer { name: "c" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 4 kernel_size: 1 group: 4 } }',
      "n.prototxt: layer 'c' (Convolution): group 4 must divide the input's 6 channels and num_output 4"],
    ['layer { name: "c" type: "Convolution" bottom: "x" top: "c" convolution_param { num_output: 4 kernel_size: [1, 1, 1] } }',
      "n.prototxt: layer 'c' (Convolution): kernel_size has 3 values; only 2-D windows are supported"],
    ['layer { name: "b" type: "BatchNorm" bottom: "x" top: "b" batch_norm_param { use_global_stats: false } }',
      "n.prototxt: layer 'b' (BatchNorm): use_global_stats: false (statistics of the batch at inference) is not supported"],
    ['layer { name: "c" type: "Concat" bottom: "x" bottom: "c0" top: "c" }',
      "n.prototxt: layer 'c' (Concat): bottom 'c0' is not an input or the top of an earlier layer"],
    ['layer { name: "p" type: "Pooling" bottom: "x" top: "p" pooling_param { kernel_size: 9 } }',
      "n.prototxt: layer 'p' (Pool): input [2,6,4,4] is smaller than the 9x9 window"],
  ])('rejects %j', (layers, message) => {
    expect(errorOf(() => net(layers))).toBe(message);
  });
});

describe('decodeCaffemodel: blob values taken around protobufjs\'s toObject', () => {
  /** protobufjs alone: decode, toObject, each blob's values as a Float32Array (what decodeCaffemodel gave before). */
  const plain = (bytes: Uint8Array): Message => {
    const type = caffeType('NetParameter');
    const net: Message = type.toObject(type.decode(bytes), { longs: Number, enums: String });
    for (const layer of [...(net.layer as Message[] | undefined ?? []), ...(net.layers as Message[] | undefined ?? [])]) {
      for (const blob of (layer.blobs as Message[] | undefined) ?? []) {
        for (const key of ['data', 'double_data']) if (blob[key]) blob[key] = Float32Array.from(blob[key] as number[]);
      }
    }
    return net;
  };

  it.each(['det1', 'det2'])('MTCNN %s (a whole training net, V2 layers): the same message, values as Float32Array', (net) => {
    const bytes = new Uint8Array(readFileSync(`${MTCNN}${net}.caffemodel`));
    const decoded = decodeCaffemodel(bytes, `${net}.caffemodel`);
    expect(decoded).toEqual(plain(bytes));
    const blobs = (decoded.layer as Message[]).flatMap((layer) => (layer.blobs as Message[] | undefined) ?? []);
    expect(blobs.length).toBeGreaterThan(0);
    for (const blob of blobs) expect(blob.data).toBeInstanceOf(Float32Array);
  });

  it('V1 and V2 layers in one net, data and double_data, a blob with no values, a layer with no blobs', () => {
    const bytes = caffeType('NetParameter').encode(caffeType('NetParameter').fromObject({
      name: 'mixed',
      layer: [
        { name: 'a', type: 'Convolution', blobs: [{ shape: { dim: [2, 1] }, data: [1.5, -2] }, { shape: { dim: [0] } }] },
        { name: 'b', type: 'ReLU' },
      ],
      layers: [{ name: 'c', type: 'INNER_PRODUCT', blobs: [{ num: 1, channels: 1, height: 1, width: 3, double_data: [0.25, 1e-3, 3] }] }],
    })).finish();
    const decoded = decodeCaffemodel(bytes, 'mixed.caffemodel');
    expect(decoded).toEqual(plain(bytes));
    const [a] = decoded.layer as Message[];
    expect((a.blobs as Message[]).map((blob) => blob.data)).toEqual([Float32Array.from([1.5, -2]), undefined]);
    expect(((decoded.layers as Message[])[0].blobs as Message[])[0].double_data).toEqual(Float32Array.from([0.25, 1e-3, 3]));
  });

  /** A NetParameter of one layer 'a' holding one blob written as `blob` (its fields' bytes). */
  const oneBlob = (blob: (w: protobuf.Writer) => protobuf.Writer) => {
    const layer = protobuf.Writer.create().uint32((1 << 3) | 2).string('a').uint32((7 << 3) | 2).bytes(blob(protobuf.Writer.create()).finish());
    return protobuf.Writer.create().uint32((100 << 3) | 2).bytes(layer.finish()).finish();
  };
  const packed = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);
  /** protobufjs's own error for `bytes`, as decodeCaffemodel words it. */
  const protobufError = (bytes: Uint8Array, file: string) => {
    const reader = protobuf.Reader.create(bytes);
    try {
      caffeType('NetParameter').decode(reader);
    } catch (error) {
      return `${file}: not a valid caffemodel (at byte offset ${reader.pos} of ${bytes.length}: ${(error as Error).message})`;
    }
    throw new Error('protobufjs decoded it');
  };

  it('a blob with its values in two packed runs, or as single floats then a run: joined, as protobufjs does', () => {
    const runs = oneBlob((w) => w.uint32((5 << 3) | 2).bytes(packed([1, 2])).uint32((5 << 3) | 2).bytes(packed([3])));
    expect(decodeCaffemodel(runs, 'runs.caffemodel')).toEqual(plain(runs));
    expect(((decodeCaffemodel(runs, 'runs.caffemodel').layer as Message[])[0].blobs as Message[])[0].data).toEqual(Float32Array.of(1, 2, 3));
    const mixed = oneBlob((w) => w.uint32((5 << 3) | 5).float(0.5).uint32((5 << 3) | 2).bytes(packed([4, 5])));
    expect(((decodeCaffemodel(mixed, 'mixed.caffemodel').layer as Message[])[0].blobs as Message[])[0].data).toEqual(Float32Array.of(0.5, 4, 5));
  });

  it('bytes the decoder may change (read for it alone): each run moved onto a multiple of 4 and viewed there, the same message', () => {
    const file = new Uint8Array(readFileSync(`${MTCNN}det2.caffemodel`));
    for (const shift of [0, 1, 2, 3]) {
      const bytes = new Uint8Array(file.length + 3).subarray(shift, shift + file.length); // every alignment of the runs
      bytes.set(file);
      const decoded = decodeCaffemodel(bytes, 'det2.caffemodel', true);
      expect(decoded).toEqual(plain(file));
      const data = (decoded.layer as Message[]).flatMap((layer) => ((layer.blobs as Message[] | undefined) ?? []).map((blob) => blob.data as Float32Array));
      const big = data.filter((d) => d.length >= 32); // a length of two bytes or more before it: room for any move
      expect(big.length).toBeGreaterThan(0);
      for (const d of big) expect(d.buffer).toBe(bytes.buffer);
    }
  });

  it('bytes the decoder may change, and a blob that protobufjs must decode itself: the moves undone first', () => {
    const runs = oneBlob((w) => w.uint32((5 << 3) | 2).bytes(packed([1, 2])).uint32((5 << 3) | 2).bytes(packed([3])));
    for (const shift of [0, 1, 2, 3]) {
      const bytes = new Uint8Array(runs.length + 3).subarray(shift, shift + runs.length);
      bytes.set(runs);
      expect(decodeCaffemodel(bytes, 'runs.caffemodel', true)).toEqual(plain(runs));
      expect(Array.from(bytes)).toEqual(Array.from(runs)); // as they were
    }
  });

  it('a packed run whose length is not whole floats: protobufjs\'s error', () => {
    const odd = oneBlob((w) => w.uint32((5 << 3) | 2).bytes(packed([1, 2]).subarray(0, 7)));
    expect(errorOf(() => decodeCaffemodel(odd, 'odd.caffemodel'))).toBe(protobufError(odd, 'odd.caffemodel'));
  });

  it('truncated inside a blob\'s values: the error and byte offset protobufjs gives', () => {
    const bytes = new Uint8Array(readFileSync(`${MTCNN}det3.caffemodel`));
    for (const fraction of [0.1, 0.5, 0.97]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * fraction) + 1);
      const expected = protobufError(cut, 'det3.caffemodel');
      expect(expected).toMatch(/: index out of range/);
      expect(errorOf(() => decodeCaffemodel(cut, 'det3.caffemodel'))).toBe(expected);
    }
  });
});

describe('bad input gives a ModelError naming what and where', () => {
  it('a truncated caffemodel (first 60%)', () => {
    const bytes = rmnetBytes();
    const cut = bytes.subarray(0, Math.floor(bytes.length * 0.6));
    const message = errorOf(() => importCaffe(rmnetText(), cut, { caffemodelName: 'rmnet.caffemodel' }));
    expect(message).toMatch(new RegExp(`^rmnet\\.caffemodel: not a valid caffemodel \\(at byte offset \\d+ of ${cut.length}: index out of range`));
  });

  it('random bytes (fixed seeds) as a caffemodel', () => {
    let seed = 12345;
    const random = () => { // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    for (const size of [0, 1, 7, 100, 4096, 300_000]) {
      for (let trial = 0; trial < 5; trial++) {
        const bytes = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
        const message = errorOf(() => importCaffe(rmnetText(), bytes, { caffemodelName: 'random.caffemodel' }));
        expect(message).toMatch(/^random\.caffemodel: not a valid caffemodel \(.+\)$/);
      }
    }
  });

  it('a prototxt with a syntax error', () => {
    const text = rmnetText().replace('bottom: "data"', 'bottom "data"');
    expect(errorOf(() => importCaffe(text, rmnetBytes(), { prototxtName: 'rmnet.prototxt' })))
      .toBe('rmnet.prototxt:12:12: expected \':\' after \'bottom\', found string "data"');
  });

  it('an unknown layer type', () => {
    const text = rmnetText().replace('type: "ELU"', 'type: "Swish"');
    expect(errorOf(() => importCaffe(text, rmnetBytes(), { prototxtName: 'rmnet.prototxt' }))).toBe(
      "rmnet.prototxt: layer 'EluBackward_7' (Swish): unsupported layer type; supported: Input, Convolution, BatchNorm, Scale, "
      + 'ReLU, PReLU, ELU, Sigmoid, TanH, Dropout, Split, Eltwise, Pooling, InnerProduct, Softmax, Concat, Slice, Flatten, Reshape');
  });

  it('a blob of the wrong size (num_output edited)', () => {
    const text = rmnetText().replace('num_output: 32', 'num_output: 16');
    expect(errorOf(() => importCaffe(text, rmnetBytes(), { prototxtName: 'rmnet.prototxt', caffemodelName: 'rmnet.caffemodel' })))
      .toBe("rmnet.prototxt: layer 'ConvNdBackward_2' (Convolution): blob 0 (weight) in rmnet.caffemodel has 864 values [32,3,3,3], expected 432 [16,3,3,3]");
  });

  it('a layer the caffemodel has no weights for, and a missing bias blob', () => {
    const renamed = rmnetText().replace('name: "ConvNdBackward_2"', 'name: "conv_renamed"');
    expect(errorOf(() => importCaffe(renamed, rmnetBytes(), { prototxtName: 'rmnet.prototxt', caffemodelName: 'rmnet.caffemodel' })))
      .toBe("rmnet.prototxt: layer 'conv_renamed' (Convolution): needs weights (weight, bias), but rmnet.caffemodel has no layer named 'conv_renamed'");
    const noBias = rmnetText().replace('bias_term: true', 'bias_term: false');
    expect(errorOf(() => importCaffe(noBias, rmnetBytes(), { prototxtName: 'rmnet.prototxt', caffemodelName: 'rmnet.caffemodel' })))
      .toBe("rmnet.prototxt: layer 'BatchNormBackward_1_scale' (Scale): needs 1 blob(s) (scale), rmnet.caffemodel has 2");
  });

  it('missing files', async () => {
    await expect(loadCaffe('/nonexistent/net.prototxt', `${RMNET}.caffemodel`)).rejects.toThrow(ModelError);
    await expect(loadCaffe('/nonexistent/net.prototxt', `${RMNET}.caffemodel`)).rejects.toThrow('/nonexistent/net.prototxt');
    await expect(loadCaffe(`${RMNET}.prototxt`, '/nonexistent/net.caffemodel')).rejects.toThrow(
      'cannot read caffemodel /nonexistent/net.caffemodel: no such file');
  });
});
