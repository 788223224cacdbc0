// The OpenVINO IR importer: the real FP32/FP16 IRs against the published embeddings and the Caffe
// model, half-float decoding, and one test per kind of bad input (asserting on the message).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../engine/compile.js';
import { sizeOf, type Graph } from '../engine/graph/graph.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { halfToFloat, importOpenVino, loadOpenVino } from '../importer/openvino/index.js';
import { FACES, publishedEmbeddings, referenceInput, RMNET_CAFFEMODEL, RMNET_DIR, RMNET_PROTOTXT } from './helpers/shared.js';

// These test the importer itself: every model is parsed here, none read back from the graph cache.
process.env.FACEREID_CACHE = 'off';

const STEM = 'face-reidentification-retail-0001';
const XML_NAME = `${STEM}.xml`;
const BIN_NAME = `${STEM}.bin`;
const irPath = (precision: 'FP32' | 'FP16', ext: 'xml' | 'bin') => `${RMNET_DIR}${precision}/${STEM}.${ext}`;

function unit(v: Float32Array): Float32Array {
  let norm = 0;
  for (const x of v) norm += x * x;
  return v.map((x) => x / Math.sqrt(norm));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Compiles the graph (with the passes) once; the result maps a reference input to the one output. */
function embedder(graph: Graph): (name: string) => Float32Array {
  const model = compile(graph);
  return (name) => {
    const outputs = Object.values(model.run({ data: referenceInput(name) }));
    expect(outputs).toHaveLength(1);
    return outputs[0];
  };
}

function opCounts(graph: Graph): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const node of graph.nodes) counts[node.op] = (counts[node.op] ?? 0) + 1;
  return counts;
}

describe('OpenVINO IR: the real model', () => {
  const published = publishedEmbeddings();
  let fp32: Graph;
  let fp16: Graph;
  beforeAll(async () => {
    fp32 = await loadOpenVino(irPath('FP32', 'xml'));
    fp16 = await loadOpenVino(irPath('FP16', 'xml'), irPath('FP16', 'bin'));
  });

  it('imports the FP32 IR layer by layer', () => {
    expect(fp32.name).toBe('RMNetAngular');
    expect(fp32.inputs).toEqual([{ name: 'data', shape: [1, 3, 128, 128] }]);
    expect(fp32.outputs).toEqual(['ConvNdBackward_447']);
    expect(opCounts(fp32)).toEqual({ Scale: 1, Conv: 113, Relu: 1, Elu: 108, Eltwise: 36, Pool: 4 });
    const pool = fp32.nodes.find((n) => n.name === 'MaxPool2DBackward_63')!;
    expect(pool.attrs).toEqual({ kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], method: 'max', global: false, rounding: 'ceil', excludePad: false });
    const conv = fp32.nodes.find((n) => n.name === 'ConvNdBackward_8')!;
    expect(conv.op).toBe('Conv');
    if (conv.op === 'Conv') {
      expect(conv.attrs).toMatchObject({ kernel: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1], group: 8, outChannels: 8, dilation: [1, 1] });
      expect(conv.weights.weight.shape).toEqual([8, 1, 3, 3]);
      expect(conv.weights.bias?.shape).toEqual([8]);
    }
  });

  it('returns plain data: JSON-able attrs and Float32Array tensors', () => {
    for (const node of fp32.nodes) {
      expect(JSON.parse(JSON.stringify(node.attrs)), node.name).toEqual(node.attrs);
      for (const tensor of Object.values(node.weights)) {
        expect(tensor.data, node.name).toBeInstanceOf(Float32Array);
        expect(tensor.data.length, node.name).toBe(sizeOf(tensor.shape));
      }
    }
  });

  it('FP32: every reference input gives its published embedding (cosine >= 0.99999, max diff <= 2e-5)', () => {
    const embed = embedder(fp32);
    const lines: string[] = [];
    FACES.forEach((name, i) => {
      const ours = unit(embed(name));
      const c = cosine(ours, published[i]);
      const d = maxAbsDiff(ours, published[i]);
      lines.push(`${name}: cosine ${c.toFixed(9)} (1 - cosine ${(1 - c).toExponential(1)}), max diff ${d.toExponential(2)}`);
      expect(c, lines.at(-1)).toBeGreaterThanOrEqual(0.99999);
      expect(d, lines.at(-1)).toBeLessThanOrEqual(2e-5);
    });
    console.log(`FP32 IR vs published:\n  ${lines.join('\n  ')}`);
  });

  it('FP16: the half-precision weights decode to the FP32 ones within half rounding', () => {
    for (let i = 0; i < fp32.nodes.length; i++) {
      for (const [key, tensor] of Object.entries(fp32.nodes[i].weights)) {
        const half = (fp16.nodes[i].weights as Record<string, { data: Float32Array }>)[key].data;
        tensor.data.forEach((v, j) => {
          if (Math.abs(half[j] - v) > Math.max(Math.abs(v) * 2 ** -11, 2 ** -25)) {
            expect.fail(`${fp32.nodes[i].name}.${key}[${j}]: FP16 ${half[j]} vs FP32 ${v}`);
          }
        });
      }
    }
  });

  it('FP16: every reference input gives cosine >= 0.999 to its published embedding', () => {
    const embed = embedder(fp16);
    const lines: string[] = [];
    FACES.forEach((name, i) => {
      const c = cosine(embed(name), published[i]);
      lines.push(`${name}: cosine ${c.toFixed(7)}`);
      expect(c, lines.at(-1)).toBeGreaterThanOrEqual(0.999);
    });
    console.log(`FP16 IR vs published:\n  ${lines.join('\n  ')}`);
  });

  it('the Caffe model and the IR give the same raw outputs (<= 1e-5) after the passes', async () => {
    const [caffe, ir] = [embedder(await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL)), embedder(fp32)];
    for (const name of ['0_0', '2_1']) {
      const fromCaffe = caffe(name);
      const fromIr = ir(name);
      const d = maxAbsDiff(fromCaffe, fromIr);
      console.log(`Caffe vs IR on ${name}: max abs diff ${d.toExponential(2)} (output range ±${Math.max(...fromIr.map(Math.abs)).toFixed(3)})`);
      expect(d, name).toBeLessThanOrEqual(1e-5);
    }
  });
});

describe('half-float decoding', () => {
  /** The textbook definition, written independently of the importer's. */
  function reference(bits: number): number {
    const sign = bits >> 15 ? -1 : 1;
    const e = (bits >> 10) & 31;
    const f = bits & 1023;
    if (e === 31) return f ? NaN : sign * Infinity;
    if (e === 0) return sign * 2 ** -14 * (f / 1024);
    return sign * 2 ** (e - 15) * (1 + f / 1024);
  }

  it('decodes the special values exactly', () => {
    expect(Object.is(halfToFloat(0x0000), 0)).toBe(true);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0xfbff)).toBe(-65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x03ff)).toBe(2 ** -14 - 2 ** -24);
    expect(halfToFloat(0x0400)).toBe(2 ** -14);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0xfc01)).toBeNaN();
  });

  it('matches the textbook formula on random bit patterns, and on all 65536', () => {
    let seed = 12345;
    for (let i = 0; i < 1000; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      const bits = seed >>> 16;
      expect(Object.is(halfToFloat(bits), reference(bits)), `0x${bits.toString(16)}`).toBe(true);
    }
    for (let bits = 0; bits < 0x10000; bits++) {
      const [ours, theirs] = [halfToFloat(bits), reference(bits)];
      const exactInFloat32 = Number.isNaN(ours) || Math.fround(ours) === ours;
      if (!Object.is(ours, theirs) || !exactInFloat32) expect.fail(`0x${bits.toString(16)}: ${ours} vs ${theirs}`);
    }
  });
});

describe('small hand-written IRs', () => {
  const port = (id: number, dims: number[]) => `<port id="${id}">${dims.map((d) => `<dim>${d}</dim>`).join('')}</port>`;
  const layer = (id: number, type: string, data: string, inputs: number[][], outputs: number[][], blobs = '') =>
    `<layer id="${id}" name="L${id}" type="${type}" precision="FP32">${data ? `<data ${data}/>` : ''}` +
    `<input>${inputs.map((d, i) => port(i, d)).join('')}</input>` +
    `<output>${outputs.map((d, i) => port(inputs.length + i, d)).join('')}</output>${blobs ? `<blobs>${blobs}</blobs>` : ''}</layer>`;
  const net = (layers: string[], edges: [number, number, number, number][], version = 2) =>
    `<?xml version="1.0"?><net name="tiny" version="${version}"><layers>${layers.join('')}</layers><edges>` +
    edges.map(([a, b, c, d]) => `<edge from-layer="${a}" from-port="${b}" to-layer="${c}" to-port="${d}"/>`).join('') + '</edges></net>';
  const input = layer(0, 'Input', '', [], [[1, 2, 5, 4]]);

  it('reads list-form windows with asymmetric pads (IR v3 spelling), in edge order not XML order', () => {
    const weights = new Float32Array(3 * 2 * 3 * 2).map((_, i) => i / 10);
    const bin = new Uint8Array(weights.buffer);
    const conv = layer(1, 'Convolution', 'kernel="3,2" strides="2,1" pads_begin="1,0" pads_end="0,1" dilations="1,1" group="1" output="3"',
      [[1, 2, 5, 4]], [[1, 3, 2, 4]], `<weights offset="0" size="${bin.length}"/>`);
    const flatten = layer(2, 'Flatten', 'axis="1" end_axis="-1"', [[1, 3, 2, 4]], [[1, 24]]);
    const graph = importOpenVino(net([flatten, conv, input], [[0, 0, 1, 0], [1, 1, 2, 0]], 3), bin);
    expect(graph.nodes.map((n) => n.name)).toEqual(['L1', 'L2']);
    expect(graph.nodes[0].attrs).toMatchObject({ kernel: [3, 2], stride: [2, 1], pad: [1, 0, 0, 1], dilation: [1, 1] });
    expect(graph.nodes[0].weights).toEqual({ weight: { shape: [3, 2, 3, 2], data: weights }, bias: undefined });
    expect(graph.nodes[1].attrs).toEqual({ axis: 1, endAxis: 3 });
    expect(graph.outputs).toEqual(['L2']);
  });

  it('names the values of a multi-output layer name:port and makes unread ports outputs', () => {
    const split = layer(1, 'Split', 'axis="1"', [[1, 2, 5, 4]], [[1, 1, 5, 4], [1, 1, 5, 4]]);
    const relu = layer(2, 'ReLU', 'negative_slope="0.1"', [[1, 1, 5, 4]], [[1, 1, 5, 4]]);
    const sum = layer(3, 'Eltwise', 'operation="sum" coeff="1,-1"', [[1, 1, 5, 4], [1, 1, 5, 4]], [[1, 1, 5, 4]]);
    const graph = importOpenVino(net([input, split, relu, sum], [[0, 0, 1, 0], [1, 1, 2, 0], [2, 1, 3, 0], [1, 1, 3, 1]]), new Uint8Array(0));
    expect(graph.nodes.map(({ op, inputs, outputs }) => ({ op, inputs, outputs }))).toEqual([
      { op: 'Slice', inputs: ['L0'], outputs: ['L1:1', 'L1:2'] },
      { op: 'Relu', inputs: ['L1:1'], outputs: ['L2'] },
      { op: 'Eltwise', inputs: ['L2', 'L1:1'], outputs: ['L3'] },
    ]);
    expect(graph.nodes.map((n) => n.attrs)).toEqual([{ axis: 1, points: [1] }, { negativeSlope: 0.1 },
      { operation: 'sum', coeffs: [1, -1], activation: { kind: 'none' } }]);
    expect(graph.outputs).toEqual(['L1:2', 'L3']);
    const run = compile(graph).run({ L0: new Float32Array(40).map((_, i) => i - 20) });
    expect(run.L3[0]).toBeCloseTo(-2 - -20);
    expect(run['L1:2'][0]).toBe(0);
  });

  it('rejects a cycle', () => {
    const a = layer(1, 'ReLU', '', [[1, 2, 5, 4]], [[1, 2, 5, 4]]);
    const b = layer(2, 'ReLU', '', [[1, 2, 5, 4]], [[1, 2, 5, 4]]);
    expect(() => importOpenVino(net([input, a, b], [[2, 1, 1, 0], [1, 1, 2, 0]]), new Uint8Array(0)))
      .toThrow(/the edges form a cycle: layer 1 'L1' \(ReLU\) -> layer 2 'L2' \(ReLU\) -> layer 1 'L1' \(ReLU\)/);
  });

  it('rejects an unsupported Activation type, naming it and the supported ones', () => {
    const a = layer(1, 'Activation', 'type="swish"', [[1, 2, 5, 4]], [[1, 2, 5, 4]]);
    expect(() => importOpenVino(net([input, a], [[0, 0, 1, 0]]), new Uint8Array(0)))
      .toThrow("layer 1 'L1' (Activation): attribute 'type' expected one of elu, relu, sigmoid, tanh, found 'swish'");
  });
});

describe('OpenVINO IR: bad input', () => {
  const xml = readFileSync(irPath('FP32', 'xml'), 'utf8');
  const bin = new Uint8Array(readFileSync(irPath('FP32', 'bin')));
  const names = { xmlName: XML_NAME, binName: BIN_NAME };
  const fails = (text: string, bytes = bin) => () => importOpenVino(text, bytes, names);
  const edit = (from: string | RegExp, to: string) => {
    const edited = xml.replace(from, to);
    expect(edited).not.toBe(xml);
    return edited;
  };

  it('unsupported IR version', () => {
    expect(fails(edit('version="2"', 'version="10"'))).toThrow(`${XML_NAME}: IR version 10 is not supported (supported: 2, 3)`);
  });

  it('unknown layer type', () => {
    expect(fails(edit('type="ReLU"', 'type="Swish"')))
      .toThrow(/layer 3 'ThresholdBackward_4' \(Swish\): unknown layer type 'Swish' \(supported: Input, ScaleShift, Convolution, .*Clamp\)/);
  });

  it('missing edge', () => {
    expect(fails(edit('<edge from-layer="2" from-port="3" to-layer="3" to-port="0"/>', '')))
      .toThrow("layer 3 'ThresholdBackward_4' (ReLU): input port 0 has no edge (missing edge into 3:0)");
  });

  it('an edge to an input port the layer does not declare', () => {
    expect(fails(edit('to-layer="3" to-port="0"', 'to-layer="3" to-port="5"')))
      .toThrow("layer 3 'ThresholdBackward_4' (ReLU): edge 2:3 -> 3:5 feeds input port 5, which the layer does not declare (input ports: 0)");
  });

  it('an edge from an output port the layer does not declare', () => {
    expect(fails(edit('from-layer="2" from-port="3"', 'from-layer="2" from-port="1"')))
      .toThrow("layer 2 'ConvNdBackward_2' (Convolution): edge 2:1 -> 3:0 reads output port 1, which the layer does not declare (output ports: 3)");
  });

  it('two edges into one input port', () => {
    expect(fails(edit('<edge from-layer="2" from-port="3" to-layer="3" to-port="0"/>',
      '<edge from-layer="2" from-port="3" to-layer="3" to-port="0"/><edge from-layer="1" from-port="3" to-layer="3" to-port="0"/>')))
      .toThrow("layer 3 'ThresholdBackward_4' (ReLU): input port 0 is fed by two edges (from 2:3 and 1:3)");
  });

  it('the precision option overrides the layers\' precision attribute', () => {
    const fp16Xml = readFileSync(irPath('FP16', 'xml'), 'utf8');
    const fp16Bin = new Uint8Array(readFileSync(irPath('FP16', 'bin')));
    expect(() => importOpenVino(fp16Xml, fp16Bin, { ...names, precision: 'FP32' }))
      .toThrow("layer 1 'Mul1_/Fused_Mul_/FusedScaleShift_' (ScaleShift): weights has 6 bytes (not a whole number of FP32 values), expected 3 [3]");
    expect(importOpenVino(edit(/precision="FP32"/g, 'precision="FP16"'), bin, { ...names, precision: 'FP32' }).nodes).toHaveLength(263);
  });

  it('a blob outside the .bin (truncated .bin)', () => {
    expect(fails(xml, bin.subarray(0, 1000)))
      .toThrow(`${XML_NAME}: layer 2 'ConvNdBackward_2' (Convolution): blob 'weights' (offset 24, size 3456) lies outside ${BIN_NAME} (1000 bytes)`);
  });

  it('a blob whose size does not match the declared shape', () => {
    expect(fails(edit('output="32"', 'output="16"')))
      .toThrow(`${XML_NAME}: layer 2 'ConvNdBackward_2' (Convolution): weights has 3456 bytes = 864 values, expected 432 [16,3,3,3]`);
  });

  it('an output port whose dims disagree with shape inference', () => {
    expect(fails(edit('stride-x="2" stride-y="2"', 'stride-x="1" stride-y="2"')))
      .toThrow("layer 2 'ConvNdBackward_2' (Convolution): output port 3 declares [1,32,64,64] but the Conv computes [1,32,64,128]");
  });

  it('an attribute that is not a number', () => {
    expect(fails(edit('kernel-x="3"', 'kernel-x="three"')))
      .toThrow("layer 2 'ConvNdBackward_2' (Convolution): attribute 'kernel-x' expected an integer, found 'three'");
  });

  it('malformed XML, with line and column', () => {
    expect(fails('')).toThrow(`${XML_NAME}: malformed XML at line 1, column 1: Start tag expected.`);
    expect(fails(edit('</layer>', '</layr>'))).toThrow(new RegExp(`^${XML_NAME}: malformed XML at line 13, column 3: .*'layer'.*'layr'`));
  });

  it('a missing file, naming the path', async () => {
    await expect(loadOpenVino('/nonexistent/model.xml')).rejects.toThrow(/cannot read \/nonexistent\/model\.xml: ENOENT/);
    await expect(loadOpenVino(irPath('FP32', 'xml'), '/nonexistent/weights.bin')).rejects.toThrow(/cannot read \/nonexistent\/weights\.bin: ENOENT/);
  });
});
