// The ONNX exporter: every mapping on a small hand-made graph, RMNet and MTCNN on their real
// files, each exported, run in onnxruntime and compared with the engine on the same inputs —
// at two batch sizes from one exported file (the batch is dynamic).
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { compile } from '../engine/compile.js';
import { formatShape, sizeOf, type Graph, type Node, type Shape, type Tensor } from '../engine/graph/graph.js';
import type { Activation, Window2d } from '../engine/graph/ops.js';
import { optimize } from '../engine/graph/passes/index.js';
import { exportOnnx } from '../exporter/onnx/index.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { FACES, MTCNN_DIR, referenceInput, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from './helpers/shared.js';

// ---- running both sides ----

type Feeds = Record<string, { shape: Shape; data: Float32Array }>;

async function runOnnx(bytes: Uint8Array, feeds: Feeds): Promise<Record<string, { dims: readonly number[]; data: Float32Array }>> {
  const session = await ort.InferenceSession.create(bytes);
  const results = await session.run(Object.fromEntries(
    Object.entries(feeds).map(([name, { shape, data }]) => [name, new ort.Tensor('float32', data, shape)])));
  return Object.fromEntries(Object.entries(results).map(([name, t]) => [name, { dims: t.dims, data: t.data as Float32Array }]));
}

/** Runs `graph` on `feeds` in the engine and in onnxruntime (from `bytes`); returns, per output,
 *  both results after checking onnxruntime's shape is the engine's. */
async function runBoth(graph: Graph, bytes: Uint8Array, feeds: Feeds) {
  const model = compile(graph, { optimize: false, inputShapes: Object.fromEntries(Object.entries(feeds).map(([n, f]) => [n, f.shape])) });
  const engine = model.run(Object.fromEntries(Object.entries(feeds).map(([n, f]) => [n, f.data])));
  const onnx = await runOnnx(bytes, feeds);
  return graph.outputs.map((name) => {
    expect([...onnx[name].dims], `${graph.name}/${name}: onnxruntime's shape`).toEqual(model.shapes.get(name));
    return { name, engine: engine[name], onnx: onnx[name].data };
  });
}

/** max |a - b| over the largest magnitude of b (at least 1): the error relative to the output's scale. */
function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0, scale = 1;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

function maxAbsError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  for (let i = 0; i < b.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
  return diff;
}

/** A deterministic generator (mulberry32) of values in [-1, 1). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

const rand = random(1234);
const tensor = (shape: Shape, scale = 1): Tensor => ({ shape, data: Float32Array.from({ length: sizeOf(shape) }, () => scale * rand()) });

// ---- small graphs, one per mapping ----

const NONE: Activation = { kind: 'none' };
const window = (k: number, s: number, pad: Window2d['pad']): Window2d => ({ kernel: [k, k], stride: [s, s], pad });

/** A graph over one input `x` [batch, ...shape], its nodes in order, returning `outputs` (default: the last node's). */
function graphOf(name: string, shape: Shape, nodes: Node[], outputs = nodes[nodes.length - 1].outputs): Graph {
  return { name, inputs: [{ name: 'x', shape: [1, ...shape] }], outputs, nodes };
}

const conv = (name: string, input: string, inC: number, outC: number, extra: Partial<Extract<Node, { op: 'Conv' }>['attrs']> = {},
  slope?: Tensor): Node => ({
  name, op: 'Conv', inputs: [input], outputs: [name],
  attrs: { ...window(3, 1, [1, 1, 1, 1]), outChannels: outC, group: 1, dilation: [1, 1], activation: NONE, ...extra },
  weights: { weight: tensor([outC, inC / (extra.group ?? 1), ...(extra.kernel ?? [3, 3])], 0.5), bias: tensor([outC]), ...(slope ? { slope } : {}) },
});

const pool = (name: string, input: string, attrs: Partial<Extract<Node, { op: 'Pool' }>['attrs']>): Node => ({
  name, op: 'Pool', inputs: [input], outputs: [name], weights: {},
  attrs: { ...window(3, 2, [0, 0, 0, 0]), method: 'max', global: false, rounding: 'floor', excludePad: false, ...attrs },
});

const unary = (name: string, input: string, op: Node): Node => ({ ...op, name, inputs: [input], outputs: [name] });

const SMALL: Graph[] = [
  graphOf('conv-leaky-relu', [4, 9, 11], [conv('c', 'x', 4, 6, {
    ...window(3, 2, [1, 0, 2, 1]), group: 2, dilation: [2, 1], activation: { kind: 'relu', negativeSlope: 0.1 } })]),
  graphOf('conv-relu-elu', [3, 8, 8], [
    conv('c1', 'x', 3, 4, { activation: { kind: 'relu', negativeSlope: 0 } }),
    conv('c2', 'c1', 4, 4, { kernel: [1, 1], pad: [0, 0, 0, 0], activation: { kind: 'elu', alpha: 0.7 } })]),
  graphOf('conv-prelu', [3, 7, 7], [conv('c', 'x', 3, 5, { activation: { kind: 'prelu' } }, tensor([5], 0.3))]),
  graphOf('scale-bias', [4, 5, 6], [{ name: 's', op: 'Scale', inputs: ['x'], outputs: ['s'], attrs: { axis: 1 },
    weights: { scale: tensor([4]), bias: tensor([4]) } }]),
  graphOf('scale-no-bias-2d', [4, 5, 6], [{ name: 's', op: 'Scale', inputs: ['x'], outputs: ['s'], attrs: { axis: 1 },
    weights: { scale: tensor([4, 5]) } }]),
  graphOf('batchnorm', [4, 5, 6], [{ name: 'bn', op: 'BatchNorm', inputs: ['x'], outputs: ['bn'], attrs: { eps: 1e-3 },
    weights: { mean: tensor([4]), variance: { shape: [4], data: Float32Array.of(0.5, 1, 2, 0.1) } } }]),
  graphOf('eltwise-sum-coeffs', [3, 4, 5], [
    unary('a', 'x', { op: 'Sigmoid', attrs: {}, weights: {} } as Node),
    unary('b', 'x', { op: 'TanH', attrs: {}, weights: {} } as Node),
    { name: 'sum', op: 'Eltwise', inputs: ['x', 'a', 'b'], outputs: ['sum'], weights: {},
      attrs: { operation: 'sum', coeffs: [0.5, -2, 1], activation: { kind: 'relu', negativeSlope: 0 } } }]),
  graphOf('eltwise-prod', [3, 4, 5], [
    unary('a', 'x', { op: 'Sigmoid', attrs: {}, weights: {} } as Node),
    unary('b', 'x', { op: 'Elu', attrs: { alpha: 1.5 }, weights: {} } as Node),
    { name: 'prod', op: 'Eltwise', inputs: ['x', 'a', 'b'], outputs: ['prod'], weights: {},
      attrs: { operation: 'prod', coeffs: [], activation: NONE } }]),
  graphOf('eltwise-max-prelu', [3, 4, 5], [
    unary('a', 'x', { op: 'TanH', attrs: {}, weights: {} } as Node),
    { name: 'max', op: 'Eltwise', inputs: ['x', 'a'], outputs: ['max'], weights: { slope: tensor([3]) },
      attrs: { operation: 'max', coeffs: [], activation: { kind: 'prelu' } } }]),
  graphOf('ave-pool-pad-floor', [3, 9, 10], [pool('p', 'x', { method: 'ave', ...window(3, 2, [1, 1, 1, 1]) })]),
  graphOf('ave-pool-exclude-pad', [3, 9, 10], [pool('p', 'x', { method: 'ave', ...window(3, 2, [1, 2, 1, 0]), excludePad: true, rounding: 'ceil' })]),
  graphOf('ave-pool-ceil-unpadded', [3, 10, 11], [pool('p', 'x', { method: 'ave', rounding: 'ceil' })]),
  graphOf('max-pool-ceil-padded', [3, 10, 10], [pool('p', 'x', { ...window(3, 2, [1, 1, 1, 1]), rounding: 'ceil' })]),
  graphOf('global-pools', [3, 5, 7], [pool('gmax', 'x', { global: true }), pool('gave', 'x', { global: true, method: 'ave' })],
    ['gmax', 'gave']),
  graphOf('slice-concat', [7, 3, 4], [
    { name: 'slice', op: 'Slice', inputs: ['x'], outputs: ['s0', 's1', 's2'], attrs: { axis: 1, points: [2, 3] }, weights: {} },
    { name: 'halves', op: 'Slice', inputs: ['x'], outputs: ['h0', 'h1'], attrs: { axis: 3, points: [] }, weights: {} },
    { name: 'concat', op: 'Concat', inputs: ['s2', 's0'], outputs: ['concat'], attrs: { axis: 1 }, weights: {} }],
  ['s1', 'h1', 'concat']),
  graphOf('flatten-reshape', [4, 3, 2], [
    { name: 'flat', op: 'Flatten', inputs: ['x'], outputs: ['flat'], attrs: { axis: 1, endAxis: 3 }, weights: {} },
    { name: 'flat23', op: 'Flatten', inputs: ['x'], outputs: ['flat23'], attrs: { axis: 2, endAxis: 3 }, weights: {} },
    { name: 'reshape', op: 'Reshape', inputs: ['x'], outputs: ['reshape'], attrs: { shape: [0, -1, 2], axis: 0, numAxes: -1 }, weights: {} },
    { name: 'reshape2', op: 'Reshape', inputs: ['x'], outputs: ['reshape2'], attrs: { shape: [2, 2], axis: 1, numAxes: 1 }, weights: {} }],
  ['flat', 'flat23', 'reshape', 'reshape2']),
  graphOf('power-clamp', [3, 4], [
    unary('sq', 'x', { op: 'Power', attrs: { power: 2, scale: 0.5, shift: 1 }, weights: {} } as Node),
    unary('lin', 'x', { op: 'Power', attrs: { power: 1, scale: -3, shift: 0 }, weights: {} } as Node),
    unary('same', 'x', { op: 'Power', attrs: { power: 1, scale: 1, shift: 0 }, weights: {} } as Node),
    unary('clamp', 'x', { op: 'Clamp', attrs: { min: -0.25, max: 0.5 }, weights: {} } as Node)],
  ['sq', 'lin', 'same', 'clamp']),
  graphOf('activations', [3, 4, 2], [
    unary('leaky', 'x', { op: 'Relu', attrs: { negativeSlope: 0.2 }, weights: {} } as Node),
    unary('relu', 'leaky', { op: 'Relu', attrs: { negativeSlope: 0 }, weights: {} } as Node),
    unary('prelu', 'x', { op: 'PRelu', attrs: {}, weights: { slope: tensor([3]) } } as Node),
    unary('shared', 'x', { op: 'PRelu', attrs: {}, weights: { slope: tensor([1]) } } as Node),
    unary('sigmoid', 'x', { op: 'Sigmoid', attrs: {}, weights: {} } as Node),
    unary('tanh', 'x', { op: 'TanH', attrs: {}, weights: {} } as Node),
    unary('softmax', 'x', { op: 'Softmax', attrs: { axis: 1 }, weights: {} } as Node),
    unary('drop', 'x', { op: 'Dropout', attrs: {}, weights: {} } as Node),
    { name: 'split', op: 'Split', inputs: ['drop'], outputs: ['copy1', 'copy2'], attrs: {}, weights: {} }],
  ['relu', 'prelu', 'shared', 'sigmoid', 'tanh', 'softmax', 'copy1', 'copy2']),
  graphOf('inner-product', [4, 3, 2], [
    { name: 'fc', op: 'InnerProduct', inputs: ['x'], outputs: ['fc'], attrs: { axis: 1, outputs: 5, transpose: false },
      weights: { weight: tensor([5, 24]), bias: tensor([5]) } },
    { name: 'fcT', op: 'InnerProduct', inputs: ['fc'], outputs: ['fcT'], attrs: { axis: 1, outputs: 3, transpose: true },
      weights: { weight: tensor([5, 3]) } },
    { name: 'prelu2d', op: 'PRelu', inputs: ['fcT'], outputs: ['prelu2d'], attrs: {}, weights: { slope: tensor([3]) } },
    { name: 'fc2', op: 'InnerProduct', inputs: ['x'], outputs: ['fc2'], attrs: { axis: 2, outputs: 4, transpose: false },
      weights: { weight: tensor([4, 6]), bias: tensor([4]) } }],
  ['prelu2d', 'fc2']),
];

function inputsFor(graph: Graph, batch: number): Feeds {
  return Object.fromEntries(graph.inputs.map(({ name, shape }) => {
    const s = [batch, ...shape.slice(1)];
    return [name, { shape: s, data: tensor(s, 2).data }];
  }));
}

describe('ONNX export of each mapping, onnxruntime vs the engine to 1e-5 relative', () => {
  for (const opset of [13, 22]) {
    for (const graph of SMALL) {
      it(`${graph.name} (opset ${opset}, batch 1 and 3)`, async () => {
        const bytes = exportOnnx(graph, { opset });
        for (const batch of [1, 3]) {
          for (const { name, engine, onnx } of await runBoth(graph, bytes, inputsFor(graph, batch))) {
            expect(relativeError(onnx, engine), `${graph.name}/${name} at batch ${batch}`).toBeLessThanOrEqual(1e-5);
          }
        }
      });
    }
  }
});

describe('what ONNX cannot express is refused, naming the layer', () => {
  const refuse = (graph: Graph, pattern: RegExp, opset?: number) => expect(() => exportOnnx(graph, { opset })).toThrow(pattern);

  it('average pooling whose ceil-mode window runs past the padded input', () => {
    refuse(graphOf('ave', [1, 6, 6], [pool('p', 'x', { method: 'ave', rounding: 'ceil', ...window(3, 2, [1, 1, 1, 1]) })]),
      /layer 'p' \(Pool\): cannot export to ONNX: average pooling with pads 1,1,1,1: the last window over height runs past the padded input 8/);
  });

  it('a padded ceil-mode window starting in the end padding: Caffe drops it, ONNX only from opset 22', async () => {
    const graph = graphOf('drop', [1, 5, 5], [pool('p', 'x', { rounding: 'ceil', ...window(2, 2, [1, 1, 1, 1]) })]);
    refuse(graph, /layer 'p' \(Pool\).*would start at 5, at or past the end of the input \(5\): the engine drops it \(3 windows\), ONNX opset 13 keeps it \(4\); opset 22/);
    // Unpadded with stride > kernel the last window would start past the input: dropped too.
    const gap = graphOf('gap', [1, 5, 5], [pool('p', 'x', { rounding: 'ceil', ...window(1, 3, [0, 0, 0, 0]) })]);
    refuse(gap, /over height \(kernel 1, stride 3, pads 0,0\) would start at 6.*the engine drops it \(2 windows\), ONNX opset 13 keeps it \(3\)/);
    for (const g of [graph, gap]) {
      const [{ engine, onnx }] = await runBoth(g, exportOnnx(g, { opset: 22 }), inputsFor(g, 2));
      expect(maxAbsError(onnx, engine), g.name).toBe(0);
    }
  });

  it('ops that make dim 0 more than the batch', () => {
    refuse({ name: 'cat', inputs: [{ name: 'x', shape: [1, 2] }], outputs: ['y'],
      nodes: [{ name: 'y', op: 'Concat', inputs: ['x', 'x'], outputs: ['y'], attrs: { axis: 0 }, weights: {} }] },
    /cat: layer 'y' \(Concat\): cannot export to ONNX with a dynamic batch \(dim 0\): 'y' is \[2,2\] at batch 1 and \[4,2\] at batch 2/);
    refuse(graphOf('fc0', [3], [{ name: 'fc', op: 'InnerProduct', inputs: ['x'], outputs: ['fc'], attrs: { axis: 0, outputs: 2, transpose: false },
      weights: { weight: tensor([2, 3]) } }]), /fc0: cannot export to ONNX with a dynamic batch \(dim 0\): at batch 2 instead of 1, layer 'fc'/);
  });

  it('opsets before 13', () => {
    refuse(SMALL[0], /cannot export to ONNX opset 12; supported: 13, 14/, 12);
  });
});

// ---- real models ----

const normalise = (v: Float32Array) => {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
};
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('RMNet exported to ONNX gives the engine\'s embeddings (cosine >= 0.99999)', () => {
  const PLANE = 3 * 128 * 128;
  const faces = [FACES[0], FACES[4], FACES[8]];
  for (const optimized of [false, true]) {
    it(`${optimized ? 'optimised' : 'imported'} graph, batch 1 and 3 from one file`, async () => {
      const imported = await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL);
      const graph = optimized ? optimize(imported).graph : imported;
      const bytes = exportOnnx(graph);
      for (const batch of [faces.slice(0, 1), faces]) {
        const data = new Float32Array(batch.length * PLANE);
        batch.forEach((face, i) => data.set(referenceInput(face), i * PLANE));
        const [{ name, engine, onnx }] = await runBoth(graph, bytes, { data: { shape: [batch.length, 3, 128, 128], data } });
        const size = engine.length / batch.length;
        batch.forEach((face, i) => {
          const [a, b] = [engine, onnx].map((v) => normalise(v.subarray(i * size, (i + 1) * size)));
          const c = dot(a, b);
          expect(c, `${face} (${i + 1} of ${batch.length}) ${name}: cosine ${c}, max |diff| ${maxAbsError(b, a)}`).toBeGreaterThanOrEqual(0.99999);
        });
      }
    });
  }
});

describe('MTCNN exported to ONNX matches the engine to 1e-4', () => {
  interface Blob { shape: number[]; file: string }
  const refs = JSON.parse(readFileSync(`${MTCNN_DIR}reference/references.json`, 'utf8')) as {
    nets: Record<string, { input: Blob & { blob: string } }>;
  };
  const f32 = (file: string) => {
    const b = readFileSync(`${MTCNN_DIR}reference/${file}`);
    return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  };

  for (const net of ['det1', 'det2', 'det3', 'det4']) {
    for (const optimized of [false, true]) {
      it(`${net} (${optimized ? 'optimised' : 'imported'})`, async () => {
        const { blob, shape, file } = refs.nets[net].input;
        const imported = await loadCaffe(`${MTCNN_DIR}${net}.prototxt`, `${MTCNN_DIR}${net}.caffemodel`);
        const graph = optimized ? optimize(imported).graph : imported;
        // Spatial dims fixed at the reference input's; the batch stays dynamic: exported at
        // batch 1, run at the reference's batch and at one more.
        const bytes = exportOnnx(graph, { inputShapes: { [blob]: [1, ...shape.slice(1)] } });
        const one = f32(file);
        const more = new Float32Array(one.length + sizeOf(shape.slice(1)));
        more.set(one);
        more.set(one.subarray(0, sizeOf(shape.slice(1))), one.length);
        for (const [data, batch] of [[one, shape[0]], [more, shape[0] + 1]] as const) {
          for (const { name, engine, onnx } of await runBoth(graph, bytes, { [blob]: { shape: [batch, ...shape.slice(1)], data } })) {
            const error = maxAbsError(onnx, engine);
            expect(error, `${net}/${name} at batch ${batch} ${formatShape([batch, ...shape.slice(1)])}: max abs error`).toBeLessThanOrEqual(1e-4);
          }
        }
      });
    }
  }
});
