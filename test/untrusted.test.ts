// Issue 10's findings, one test each, on inputs the tests make: files that declare absurd sizes,
// weights that are not numbers, nets that are not nets, structures deep enough to overflow a
// recursive walk, a PNG decompression bomb; and the limits table itself.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { zlibSync } from 'fflate';
import { concat } from '../fuzz/mutate/bytes.js';
import { chunk, zlibBomb } from '../fuzz/mutate/images.js';
import { describe, expect, it } from 'vitest';
import { compile } from '../engine/compile.js';
import { ModelError } from '../engine/graph/graph.js';
import { checkLimit, DEFAULT_LIMITS, limitsWith } from '../engine/limits.js';
import { importCaffe } from '../importer/caffe/index.js';
import { caffeType } from '../importer/caffe/proto.js';
import { importOpenVino } from '../importer/openvino/index.js';
import { wire } from '../importer/openvino/topology.js';
import { decodeImage } from '../io/image.js';
import { ImageError } from '../io/image-error.js';
import { formatNpy } from '../io/npy.js';
import { Embedder } from '../rmnet/embedder.js';
import { MTCNN_DIR, RMNET_DIR } from './helpers/shared.js';

const DET1 = readFileSync(`${MTCNN_DIR}det1.prototxt`, 'utf8');
const DET1_WEIGHTS = new Uint8Array(readFileSync(`${MTCNN_DIR}det1.caffemodel`));
const IR = `${RMNET_DIR}FP32/face-reidentification-retail-0001`;
const names = { prototxtName: 'net.prototxt', caffemodelName: 'net.caffemodel' };

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** det1.prototxt with its legacy input header's four input_dim values replaced. */
const det1With = (dims: number[]) => DET1.replace(/(input_dim: \d+\n)+/, dims.map((d) => `input_dim: ${d}\n`).join(''));

describe('declared sizes are checked before anything is allocated (finding 4)', () => {
  it('a 2.3 KB prototxt declaring 6000x6000 is refused, naming the file, the layer and the limit', () => {
    const error = errorOf(() => importCaffe(det1With([1, 3, 6000, 6000]), DET1_WEIGHTS, names));
    expect(error).toBeInstanceOf(ModelError);
    expect(error.message).toBe("net.prototxt: layer 'conv1' (Convolution): top 'conv1' [1,10,5998,5998] (359760040 elements), " +
      'over the limit of 268435456 elements per tensor (limits.tensorElements, which can be raised)');
  });

  it('40000x40000 and 2147483647 name the file and the input, not an invalid typed array length', () => {
    for (const side of [40000, 2147483647]) {
      const error = errorOf(() => importCaffe(det1With([1, 3, side, side]), DET1_WEIGHTS, names));
      expect(error).toBeInstanceOf(ModelError);
      expect(error.message).toMatch(new RegExp(`^net\\.prototxt: input 'data' \\[1,3,${side},${side}\\] \\(\\d+ elements\\), over the limit`));
    }
  });

  it('batch 65535 or width 1,000,000 is refused at import, and at compile when the caller asks for it', () => {
    expect(errorOf(() => importCaffe(det1With([65535, 3, 120, 120]), DET1_WEIGHTS, names)).message).toMatch(/^net\.prototxt: .*limits\.tensorElements/);
    expect(errorOf(() => importCaffe(det1With([1, 3, 120, 1_000_000]), DET1_WEIGHTS, names)).message).toMatch(/^net\.prototxt: .*limits\.tensorElements/);
    const graph = importCaffe(DET1, DET1_WEIGHTS, names);
    expect(errorOf(() => compile(graph, { inputShapes: { data: [1, 3, 120, 1_000_000] } })).message).toMatch(/^PNet: .*limits\.tensorElements/);
    expect(errorOf(() => compile(graph, { batch: 65535, inputShapes: { data: [1, 3, 120, 120] } })).message).toMatch(/^PNet: .*limits\.tensorElements/);
    expect(errorOf(() => compile(graph, { batch: 200, inputShapes: { data: [1, 3, 120, 120] }, limits: { arenaBytes: 2 ** 27 } })).message)
      .toMatch(/^PNet: the memory plan \(\d+ bytes\), over the limit of 134217728 bytes of activations per compiled net \(limits\.arenaBytes/);
  });

  it('limits can be raised per call, and only known limits with positive values are taken', () => {
    expect(importCaffe(det1With([1, 3, 6000, 6000]), DET1_WEIGHTS, { ...names, limits: { tensorElements: 2 ** 29 } }).inputs[0].shape)
      .toEqual([1, 3, 6000, 6000]);
    expect(errorOf(() => compile(importCaffe(DET1, DET1_WEIGHTS), { limits: { arenaBytes: 1000 } })).message).toMatch(/limits\.arenaBytes/);
    expect(() => limitsWith({ tensorElements: 0 })).toThrow('limit tensorElements must be a positive number, got 0');
    expect(() => limitsWith({ bogus: 1 } as never)).toThrow("unknown limit 'bogus'");
    expect(() => checkLimit(DEFAULT_LIMITS, 'layers', 10_001, 'x.xml: the net'))
      .toThrow('x.xml: the net (10001 layers), over the limit of 10000 layers per model file (limits.layers, which can be raised)');
  });
});

describe('a model that is not a model is refused (findings 2 and 3)', () => {
  it('an empty prototxt, and one cut off after its input_dim lines', () => {
    expect(errorOf(() => importCaffe('', DET1_WEIGHTS, names)).message).toBe('net.prototxt: the net declares no input');
    const cut = DET1.slice(0, DET1.indexOf('layer {'));
    expect(cut).toMatch(/input_dim: 12\s*$/);
    expect(errorOf(() => importCaffe(cut, DET1_WEIGHTS, names)).message).toBe('net.prototxt: the net has no layers after its inputs, so no output');
  });

  it('an output computed from no input', () => {
    const edges = '<edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/></edges>';
    const xml = `<net name="n" version="2"><layers><layer id="0" name="in" type="Input"><output><port id="0"><dim>1</dim></port></output></layer>
      <layer id="1" name="relu" type="ReLU"><input><port id="0"><dim>1</dim></port></input><output><port id="1"><dim>1</dim></port></output></layer>
      <layer id="2" name="lone" type="Input"><output><port id="0"><dim>2</dim></port></output></layer></layers>${edges}</net>`;
    // 'lone' is an input itself: reachable. Make it an unread non-input instead by giving it no edge in.
    expect(importOpenVino(xml, new Uint8Array(0), { xmlName: 'n.xml' }).outputs).toEqual(['relu', 'lone']);
  });

  it('a caffemodel holding NaN: refused naming the weights file, layer, blob and count', () => {
    const type = caffeType('NetParameter');
    const weights = Float32Array.from({ length: 10 * 3 * 3 * 3 }, (_, i) => (i === 5 || i === 9 ? NaN : 0.01));
    const caffemodel = type.encode(type.fromObject({ layer: [
      { name: 'conv1', type: 'Convolution', blobs: [{ shape: { dim: [10, 3, 3, 3] }, data: Array.from(weights) }, { shape: { dim: [10] }, data: new Array(10).fill(0) }] },
    ] })).finish();
    const prototxt = 'input: "data" input_dim: 1 input_dim: 3 input_dim: 12 input_dim: 12\n' +
      'layer { name: "conv1" type: "Convolution" bottom: "data" top: "conv1" convolution_param { num_output: 10 kernel_size: 3 } }';
    expect(errorOf(() => importCaffe(prototxt, caffemodel, names)).message)
      .toBe("net.caffemodel: layer 'conv1' (Conv): blob 'weight' holds 2 non-finite value(s) (NaN or infinity) of 270");
  });

  it('an FP32 .bin with one value turned into NaN, and a prototxt attribute written as nan', () => {
    const bin = new Uint8Array(readFileSync(`${IR}.bin`));
    new DataView(bin.buffer).setFloat32(0, NaN, true);
    expect(errorOf(() => importOpenVino(readFileSync(`${IR}.xml`, 'utf8'), bin, { xmlName: 'r.xml', binName: 'r.bin' })).message)
      .toMatch(/^r\.bin: layer '.*' \(Scale\): blob 'scale' holds 1 non-finite value\(s\) \(NaN or infinity\) of 3$/);
    const elu = DET1.replace(/type: "PReLU"\n  bottom: "conv1"\n  top: "conv1"/, 'type: "ELU"\n  bottom: "conv1"\n  top: "conv1"\n  elu_param { alpha: nan }');
    expect(elu).not.toBe(DET1);
    expect(errorOf(() => importCaffe(elu, DET1_WEIGHTS, names)).message).toMatch(/^net\.prototxt: layer 'PReLU1' \(Elu\): attribute 'alpha' is not a finite number$/);
  });

  it('finite weights that overflow float32: the embedder refuses with an error naming the model, never a NaN embedding', async () => {
    const bin = new Uint8Array(readFileSync(`${IR}.bin`));
    const view = new DataView(bin.buffer);
    for (let i = 0; i < 3; i++) view.setFloat32(4 * i, 3e38, true); // the input ScaleShift's scales
    const graph = importOpenVino(readFileSync(`${IR}.xml`, 'utf8'), bin, { xmlName: 'r.xml', binName: 'r.bin' });
    const embedder = Embedder.fromGraph(graph);
    const input = new Float32Array(3 * 128 * 128).fill(200);
    await expect(embedder.embedTensor(input, 1)).rejects.toThrow(/^RMNetAngular: output '.*' holds \d+ non-finite value\(s\)/);
  });
});

describe('no recursion or argument spread on input-controlled sizes (finding 5)', () => {
  /** An IR of an input and `count` - 1 chained ReLUs, listed in reverse order. */
  function chain(count: number): string {
    const port = (id: number) => `<port id="${id}"><dim>1</dim><dim>2</dim></port>`;
    const layers = [`<layer id="0" name="in" type="Input"><output>${port(0)}</output></layer>`];
    const edges: string[] = [];
    for (let i = 1; i < count; i++) {
      layers.push(`<layer id="${i}" name="r${i}" type="ReLU"><input>${port(0)}</input><output>${port(1)}</output></layer>`);
      edges.push(`<edge from-layer="${i - 1}" from-port="${i === 1 ? 0 : 1}" to-layer="${i}" to-port="0"/>`);
    }
    return `<net name="chain" version="2"><layers>${layers.reverse().join('')}</layers><edges>${edges.join('')}</edges></net>`;
  }

  it('chained layers in reverse order: over 10,000 refused by the layer limit; the sort itself takes 50,000', () => {
    expect(errorOf(() => importOpenVino(chain(10_001), new Uint8Array(0), { xmlName: 'chain.xml' })).message)
      .toBe('chain.xml: the net (10001 layers), over the limit of 10000 layers per model file (limits.layers, which can be raised)');
    // The recursive sort this replaced overflowed the stack at 30,000.
    const count = 50_000;
    const layers = Array.from({ length: count }, (_, i) => ({ id: String(i), name: `r${i}`, type: i === 0 ? 'Input' : 'ReLU', precision: 'FP32', data: {},
      inputs: i === 0 ? [] : [{ id: '0', dims: [1] }], outputs: [{ id: '1', dims: [1] }], blobs: [] }));
    const edges = layers.slice(1).map((_, i) => ({ fromLayer: String(i), fromPort: '1', toLayer: String(i + 1), toPort: '0' }));
    const { order, unread } = wire({ name: 'chain', version: 2, layers: layers.slice().reverse(), edges }, 'chain.xml');
    expect(order.map((layer) => layer.id)).toEqual(layers.map((layer) => layer.id));
    expect(unread).toEqual([`r${count - 1}`]);
  });

  it('XML nested 100,000 deep, and a prototxt nested 100,000 deep', () => {
    const deep = `<net name="n" version="2">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</net>`;
    expect(errorOf(() => importOpenVino(deep, new Uint8Array(0), { xmlName: 'deep.xml' })).message)
      .toBe('deep.xml: XML elements nest more than 64 levels deep (limits.nesting; it can be raised)');
    // caffe.proto's messages do not nest recursively, so the parser stops at the first level the schema lacks.
    const prototxt = `${'layer { convolution_param { '.repeat(50_000)}${'} } '.repeat(50_000)}`;
    expect(errorOf(() => importCaffe(prototxt, undefined, names)).message).toBe("net.prototxt:1:29: unknown field 'layer' in caffe.ConvolutionParameter");
  });

  it('names longer than the limit, and IR blobs claiming more bytes than the .bin holds', () => {
    const long = DET1.replace('name: "conv1"', `name: "${'c'.repeat(5000)}"`);
    expect(errorOf(() => importCaffe(long, DET1_WEIGHTS, names)).message).toMatch(/^net\.prototxt: layer #1: its name \(5000 characters\), over the limit of 4096/);
    const port = '<port id="0"><dim>1</dim><dim>4</dim></port>';
    const scale = (id: number) => `<layer id="${id}" name="s${id}" type="ScaleShift" precision="FP32"><input>${port}</input><output>${port.replace('id="0"', 'id="1"')}</output>` +
      '<blobs><weights offset="0" size="16"/></blobs></layer>';
    const xml = `<net name="n" version="2"><layers><layer id="0" name="in" type="Input"><output>${port}</output></layer>${scale(1)}${scale(2)}</layers>` +
      '<edges><edge from-layer="0" from-port="0" to-layer="1" to-port="0"/><edge from-layer="1" from-port="1" to-layer="2" to-port="0"/></edges></net>';
    expect(errorOf(() => importOpenVino(xml, new Uint8Array(16), { xmlName: 'n.xml', binName: 'n.bin' })).message)
      .toBe("n.xml: layer 2 's2' (ScaleShift): blob 'weights' brings the blobs' sizes to 32 bytes, more than n.bin holds (16 bytes)");
  });
});

describe('PNG decompression bombs (finding 1)', () => {
  /** A 2x2 RGB PNG whose image data is `data` (zlib), CRCs right. */
  function pngWithData(data: Uint8Array, extra?: Uint8Array): Uint8Array {
    const good = encodePng({ width: 2, height: 2, data: new Uint8Array(12), channels: 3, depth: 8 });
    const ihdr = good.subarray(8, 8 + 25);
    return concat([good.subarray(0, 8), ihdr, extra ?? new Uint8Array(0), chunk('IDAT', data), chunk('IEND', new Uint8Array(0))]);
  }

  it('a 2x2 header over image data inflating to 256 MiB: refused, inflating stopped at the 14 bytes 2x2 RGB needs', async () => {
    const bomb = pngWithData(zlibBomb(2 ** 28));
    expect(bomb.length).toBeLessThan(2 * 2 ** 20);
    await expect(decodeImage(bomb, 'bomb.png')).rejects.toThrow(
      "bomb.png: corrupt or truncated PNG (its image data inflates past the 14 bytes its header's size needs: inflating stopped there)");
  });

  it('a compressed ancillary chunk (iCCP) holding a bomb is never inflated', async () => {
    const bomb = zlibBomb(2 ** 28);
    const iccp = new Uint8Array(3 + bomb.length);
    iccp.set([0x6b, 0, 0]);
    iccp.set(bomb, 3);
    const png = pngWithData(zlibSync(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 10, 11, 12])), chunk('iCCP', iccp));
    const pixels = await decodeImage(png, 'icc.png');
    expect(Array.from(pixels.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('image data going on after the image, or stalling after its stream ended (found by the fuzzer: the inflater recopied its input)', async () => {
    const image = zlibSync(Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 0, 7, 8, 9, 10, 11, 12]));
    const after = Uint8Array.from({ length: 200_000 }, (_, i) => image[i % image.length]);
    await expect(decodeImage(pngWithData(after), 'long.png')).rejects.toThrow('long.png: corrupt or truncated PNG (195904 bytes of image data go on after the image is complete)');
    const short = zlibSync(new Uint8Array(10));
    const stalled = Uint8Array.from({ length: 200_000 }, (_, i) => short[i % short.length]);
    await expect(decodeImage(pngWithData(stalled), 'stalled.png')).rejects.toThrow('stalled.png: corrupt or truncated PNG (its image data stops inflating at 10 of the 14 bytes its header\'s size needs)');
  });

  it('image data that stops short is refused', async () => {
    await expect(decodeImage(pngWithData(zlibSync(new Uint8Array(10))), 'short.png')).rejects.toThrow(
      "short.png: corrupt or truncated PNG (its image data inflates to 10 of the 14 bytes its header's size needs)");
    await expect(decodeImage(pngWithData(zlibSync(new Uint8Array(10))), 'short.png')).rejects.toBeInstanceOf(ImageError);
  });
});

describe('errors name the user\'s file (finding 6)', () => {
  it('facereid run: an .npy too small for the net names the .npy and the model', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'facereid-untrusted-'));
    const npy = join(tmp, 'small.npy');
    writeFileSync(npy, formatNpy([1, 3, 5, 5], new Float32Array(75)));
    const cli = new URL('../dist/bin/main.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [cli, 'run', `${MTCNN_DIR}det1.prototxt`, '--input', `data=${npy}`, '--out', join(tmp, 'out')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`facereid: ${npy} (input 'data' [1,3,5,5]) does not fit ${MTCNN_DIR}det1.prototxt: ` +
      "layer 'conv2' (Conv): input [1,10,2,2] is smaller than the 3x3 kernel\n");
  });
});
