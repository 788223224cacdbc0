// The gpu.js backend through compile(): graphs with several inputs and outputs, multi-output
// and multi-input nodes, a small network, on each gpu.js mode Node has (webasm as one fused
// pipeline, on gpu.js's worker threads or not; cpu step by step), against the CPU backend on the
// same inputs; and which gpu.js executor ran the webasm pipeline.

import { describe, expect, it, vi } from 'vitest';
import { cpuBackend } from '../../engine/backends/cpu.js';
import { gpujsBackend, loadGpuJs, type GpujsMode } from '../../engine/backends/gpujs.js';
import { simdBackend } from '../../engine/backends/simd.js';
import { compile } from '../../engine/compile.js';
import { sizeOf, type Graph, type Node } from '../../engine/graph/graph.js';
import { makeNode, prng, tensor } from '../kernels/reference.js';

const gpujs = await loadGpuJs('gpujs-webasm');
const rand = prng(37);

const conv = (name: string, input: string, output: string, c: number, o: number, k: number, act: 'relu' | 'elu'): Node => ({
  name, op: 'Conv', inputs: [input], outputs: [output],
  attrs: { kernel: [k, k], stride: [1, 1], pad: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2], dilation: [1, 1], group: 1, outChannels: o,
    activation: act === 'relu' ? { kind: 'relu', negativeSlope: 0 } : { kind: 'elu', alpha: 1 } },
  weights: { weight: tensor(rand, [o, c, k, k], -0.3, 0.3), bias: tensor(rand, [o], -0.2, 0.2) },
});
const named = (node: Node, name: string, inputs: string[], outputs: string[]): Node => ({ ...node, name, inputs, outputs });

const GRAPHS: Graph[] = [
  {
    // A network: conv, residual sum, pool, inner product, softmax; two outputs.
    name: 'net', inputs: [{ name: 'x', shape: [2, 3, 32, 32] }], outputs: ['prob', 'features'],
    nodes: [
      conv('c1', 'x', 'a', 3, 8, 3, 'relu'),
      conv('c2', 'a', 'b', 8, 8, 1, 'elu'),
      named(makeNode('Eltwise', { operation: 'sum', coeffs: [], activation: { kind: 'elu', alpha: 1 } }, {}, 2), 'sum', ['a', 'b'], ['s']),
      named(makeNode('Pool', { kernel: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0], method: 'max', global: false, rounding: 'ceil', excludePad: false }, {}), 'pool', ['s'], ['features']),
      named(makeNode('InnerProduct', { axis: 1, outputs: 5, transpose: false }, { weight: tensor(rand, [5, 8 * 16 * 16], -0.03, 0.03), bias: tensor(rand, [5]) }), 'fc', ['features'], ['logits']),
      named(makeNode('Softmax', { axis: 1 }, {}), 'softmax', ['logits'], ['prob']),
    ],
  },
  {
    // Two graph inputs, a three-way Slice feeding a three-input Concat in another order.
    name: 'plumbing', inputs: [{ name: 'x', shape: [2, 6, 4, 5] }, { name: 'y', shape: [2, 6, 4, 5] }], outputs: ['joined', 'p1'],
    nodes: [
      named(makeNode('Eltwise', { operation: 'prod', coeffs: [], activation: { kind: 'none' } }, {}, 2), 'mul', ['x', 'y'], ['m']),
      named(makeNode('Slice', { axis: 1, points: [1, 4] }, {}, 1, 3), 'slice', ['m'], ['p0', 'p1', 'p2']),
      named(makeNode('Concat', { axis: 1 }, {}, 3), 'concat', ['p2', 'p0', 'p1'], ['joined']),
    ],
  },
];

const BACKENDS: [string, GpujsMode, boolean, string | null][] = [
  ['webasm', 'webasm', true, 'fused-threaded'], ['webasm without threads', 'webasm', false, 'fused-sync'], ['cpu', 'cpu', false, null],
];

describe.each(BACKENDS)('gpu.js %s backend', (_, mode, threads, executor) => {
  const backend = gpujsBackend(gpujs, mode, { threads });

  it.each(GRAPHS.map((g) => [g.name, g] as const))('runs %s as the CPU backend does', async (_, graph) => {
    const inputs = Object.fromEntries(graph.inputs.map((input) => [input.name, tensor(rand, input.shape, -2, 2).data]));
    const want = compile(graph, { backend: cpuBackend }).run(inputs);
    const createPipeline = vi.spyOn(gpujs.GPU.prototype, 'createPipeline');
    const model = compile(graph, { backend });
    for (let run = 0; run < 2; run++) {
      const got = await model.runAsync(inputs);
      for (const name of graph.outputs) {
        expect(got[name].length, name).toBe(want[name].length);
        got[name].forEach((v, i) => expect(Math.abs(v - want[name][i]), `${name}[${i}]: ${v} vs ${want[name][i]}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want[name][i]))));
      }
    }
    const pipelines = createPipeline.mock.results.map((r) => (r.value as { pipeline: { executorKind: string } }).pipeline.executorKind);
    createPipeline.mockRestore();
    // the net's biggest layer has 16384 elements: enough for gpu.js to split it between threads
    expect(pipelines).toEqual(executor === null ? [] : [graph.name === 'net' ? executor : 'fused-sync']);
  });

  it('refuses a value of more than 2^24 elements', () => {
    const graph: Graph = { name: 'big', inputs: [{ name: 'x', shape: [1, 1, 4097, 4097] }], outputs: ['y'], nodes: [makeNode('Relu', { negativeSlope: 0 }, {})].map((n) => named(n, 'relu', ['x'], ['y'])) };
    expect(sizeOf(graph.inputs[0].shape)).toBeGreaterThan(2 ** 24);
    expect(() => compile(graph, { backend })).toThrow("big: value 'x' [1,1,4097,4097] has more than 2^24 elements, the gpu.js backend's limit");
  });
});

it('an asynchronous gpu.js backend asks for runAsync', () => {
  const graph = GRAPHS[1];
  const model = compile(graph, { backend: gpujsBackend(gpujs, 'webasm') });
  expect(() => model.run({ x: new Float32Array(240), y: new Float32Array(240) })).toThrow('the gpujs-webasm backend is asynchronous: use runAsync()');
});

describe('runs of one compiled net started together (they share its memory)', () => {
  const graph = GRAPHS[0];
  it.each([['cpu', cpuBackend], ['simd', simdBackend], ['gpujs-webasm', gpujsBackend(gpujs, 'webasm')]] as const)(
    '%s: each gives what it gives alone, and its inputs may be rewritten as soon as runAsync returns', async (_, backend) => {
      const model = compile(graph, { backend });
      const inputs = Array.from({ length: 3 }, () => tensor(rand, graph.inputs[0].shape, -2, 2).data);
      const alone = [];
      for (const x of inputs) alone.push(await model.runAsync({ x }));
      const shared = new Float32Array(inputs[0].length);
      const together = inputs.map((x) => {
        shared.set(x);
        return model.runAsync({ x: shared }); // the next run's input overwrites this one's at once
      });
      expect(await Promise.all(together)).toEqual(alone);
    });
});
