// The passes: what they rewrite on RMNet, and that the optimised graph computes what the imported one does.
import { beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../engine/compile.js';
import type { Graph, Node } from '../engine/graph/graph.js';
import { optimize } from '../engine/graph/passes/index.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { FACES, RMNET_CAFFEMODEL, RMNET_PROTOTXT, referenceInput } from './helpers/shared.js';

const count = (graph: Graph, op: string) => graph.nodes.filter((n) => n.op === op).length;

describe('passes on RMNet', () => {
  let imported: Graph;
  beforeAll(async () => { imported = await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL); });

  it('drop Dropout, fold every BatchNorm and Scale, fuse every activation', () => {
    const { graph, report } = optimize(imported);
    const changes = Object.fromEntries(report.map((r) => [r.pass, r.changes.length]));
    expect(changes).toEqual({ 'drop-identities': 36, 'batchnorm-to-scale': 113, 'fold-scale': 225, 'fuse-activations': 109 });
    expect(count(graph, 'Dropout') + count(graph, 'BatchNorm') + count(graph, 'Elu') + count(graph, 'Relu')).toBe(0);
    // The input's BatchNorm+Scale pair becomes one per-channel Scale (a convolution's zero padding
    // would see the shift, so it cannot fold into the first convolution).
    expect(count(graph, 'Scale')).toBe(1);
    expect(graph.nodes.length).toBe(1 + 113 + 36 + 4);
    expect(graph.outputs).toEqual(imported.outputs);
    expect(imported.nodes.some((n) => n.op === 'BatchNorm')).toBe(true); // the input graph is untouched
  });

  it('the optimised graph gives the same embedding as the imported one (<= 1e-5)', () => {
    const fast = compile(imported, { batch: 2 });
    const slow = compile(imported, { batch: 2, optimize: false });
    const input = new Float32Array(2 * 3 * 128 * 128);
    input.set(referenceInput(FACES[0]));
    input.set(referenceInput(FACES[4]), 3 * 128 * 128);
    const a = fast.run({ data: input })[imported.outputs[0]];
    const b = slow.run({ data: input })[imported.outputs[0]];
    const max = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    expect(max).toBeLessThanOrEqual(1e-5);
  });

  it('planned memory reuses buffers: the arena holds a handful of the largest values, not all of them', () => {
    const model = compile(imported);
    const sizes = [...model.shapes.values()].map((shape) => shape.reduce((a, b) => a * b, 1));
    const all = sizes.reduce((a, b) => a + b, 0);
    expect(model.memory.length).toBeLessThan(all / 8);
    expect(model.memory.length).toBeLessThanOrEqual(5 * Math.max(...sizes));
  });
});

describe('passes on small graphs', () => {
  const t = (data: number[]) => ({ shape: [data.length], data: Float32Array.from(data) });
  const conv: Node = { name: 'conv', op: 'Conv', inputs: ['x'], outputs: ['c'],
    attrs: { kernel: [1, 1], stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], group: 1, outChannels: 2, activation: { kind: 'none' } },
    weights: { weight: { shape: [2, 2, 1, 1], data: Float32Array.from([1, 2, 3, 4]) } } };
  const graph = (nodes: Node[], outputs: string[]): Graph => ({ name: 't', inputs: [{ name: 'x', shape: [1, 2, 3, 3] }], outputs, nodes });

  it('a removed node that produced a graph output hands its name to the producer', () => {
    const g = graph([conv,
      { name: 'bn', op: 'BatchNorm', inputs: ['c'], outputs: ['b'], attrs: { eps: 0 }, weights: { mean: t([1, 2]), variance: t([4, 1]) } },
      { name: 'drop', op: 'Dropout', inputs: ['b'], outputs: ['y'], attrs: {}, weights: {} }], ['y']);
    const { graph: opt } = optimize(g);
    expect(opt.nodes.map((n) => [n.name, n.outputs[0]])).toEqual([['conv', 'y']]);
    const input = Float32Array.from({ length: 18 }, (_, i) => i - 7);
    const a = compile(g, { optimize: false }).run({ x: input }).y;
    const b = compile(opt).run({ x: input }).y;
    expect(Array.from(b)).toEqual(Array.from(a).map((v) => expect.closeTo(v, 5)));
  });

  it('nothing folds into a value that another node also reads', () => {
    const g = graph([conv,
      { name: 'relu', op: 'Relu', inputs: ['c'], outputs: ['r'], attrs: { negativeSlope: 0 }, weights: {} },
      { name: 'sum', op: 'Eltwise', inputs: ['c', 'r'], outputs: ['y'], attrs: { operation: 'sum', coeffs: [], activation: { kind: 'none' } }, weights: {} }], ['y']);
    const { graph: opt, report } = optimize(g);
    expect(opt.nodes.length).toBe(3);
    expect(report.every((r) => r.changes.length === 0)).toBe(true);
  });
});
