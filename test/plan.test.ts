// The memory plan: values alive at the same time never share memory unless one is a view of the
// other; views lie inside the value they view, at their offsets; each step's scratch is aligned
// and overlaps nothing alive during the step; memory is reused.
import { describe, expect, it } from 'vitest';
import { compile } from '../engine/compile.js';
import { sizeOf, type Graph, type Node } from '../engine/graph/graph.js';
import { inferGraphShapes, inputShapes } from '../engine/graph/shapes.js';
import { lower } from '../engine/lower/index.js';
import type { Program } from '../engine/lower/kernel-node.js';
import { planMemory, type MemoryPlan } from '../engine/plan.js';
import { loadCaffe } from '../importer/caffe/index.js';
import { MTCNN_DIR, RMNET_CAFFEMODEL, RMNET_PROTOTXT } from './helpers/shared.js';
import { makeNode, prng, tensor } from './kernels/reference.js';

const programOf = (graph: Graph): Program => lower(graph, inferGraphShapes(graph, inputShapes(graph)));

function chainWithSkips(length: number): Graph {
  const nodes: Node[] = [];
  let prev = 'x';
  for (let i = 0; i < length; i++) {
    const out = `v${i}`;
    const skip = i >= 3 && i % 3 === 0 ? [`v${i - 3}`] : [];
    nodes.push(skip.length
      ? { name: `n${i}`, op: 'Eltwise', inputs: [prev, ...skip], outputs: [out], attrs: { operation: 'sum', coeffs: [], activation: { kind: 'none' } }, weights: {} }
      : { name: `n${i}`, op: 'Elu', inputs: [prev], outputs: [out], attrs: { alpha: 1 }, weights: {} });
    prev = out;
  }
  return { name: 'chain', inputs: [{ name: 'x', shape: [1, 2, 3, 3] }], outputs: [prev], nodes };
}

const rand = prng(41);
const named = (node: Node, name: string, inputs: string[], outputs: string[]): Node => ({ ...node, name, inputs, outputs });
const conv = (name: string, input: string, output: string, c: number, o: number, k: number): Node => named(makeNode('Conv', {
  kernel: [k, k], stride: [1, 1], pad: [(k - 1) / 2, (k - 1) / 2, (k - 1) / 2, (k - 1) / 2], dilation: [1, 1], group: 1, outChannels: o,
  activation: { kind: 'relu', negativeSlope: 0 },
}, { weight: tensor(rand, [o, c, k, k], -0.3, 0.3), bias: tensor(rand, [o]) }), name, [input], [output]);

/** Views of every kind: a Concat written in place by its producers (then viewed again), a Slice, a Reshape. */
const VIEWS: Graph = {
  name: 'views', inputs: [{ name: 'x', shape: [1, 3, 9, 11] }], outputs: ['y', 'p1'],
  nodes: [
    conv('a', 'x', 'a', 3, 4, 3),
    conv('b', 'a', 'b', 4, 5, 1),
    named(makeNode('Concat', { axis: 1 }, {}, 2), 'cat', ['a', 'b'], ['ab']),
    named(makeNode('Slice', { axis: 1, points: [2, 6] }, {}, 1, 3), 'slice', ['ab'], ['p0', 'p1', 'p2']),
    conv('c', 'p2', 'c', 3, 2, 3),
    named(makeNode('Flatten', { axis: 1, endAxis: 3 }, {}), 'flat', ['c'], ['y']),
  ],
};

/** Checks the plan against liveness derived here: values alive at once overlap only inside one
 *  group of views, and each step's scratch (aligned to 4 floats) overlaps nothing alive then. */
function expectSound(program: Program, plan: MemoryPlan): void {
  const group = new Map<string, string>();
  const find = (v: string): string => (group.has(v) && group.get(v) !== v ? find(group.get(v)!) : v);
  for (const k of program.kernels) if (k.variant === 'view') [...k.inputs, ...k.outputs].forEach((v) => group.set(find(v), find(k.inputs[0])));
  const born = new Map(program.inputs.map((i) => [i.name, -1]));
  const dies = new Map<string, number>();
  program.kernels.forEach((k, step) => {
    k.outputs.forEach((v) => born.set(v, step));
    k.inputs.forEach((v) => dies.set(v, step));
  });
  [...program.inputs.map((i) => i.name), ...program.outputs].forEach((v) => dies.set(v, Infinity));
  const span = (v: string) => [plan.offsets.get(v)!, plan.offsets.get(v)! + sizeOf(program.shapes.get(v)!)];
  const alive = (v: string, step: number) => born.get(v)! <= step && step <= (dies.get(v) ?? born.get(v)!);
  const names = [...program.shapes.keys()];
  for (const a of names) for (const b of names) {
    if (a >= b || find(a) === find(b)) continue;
    const together = born.get(a)! <= (dies.get(b) ?? born.get(b)!) && born.get(b)! <= (dies.get(a) ?? born.get(a)!);
    const [a0, a1] = span(a), [b0, b1] = span(b);
    expect(together && a0 < b1 && b0 < a1, `${a} and ${b} overlap`).toBe(false);
  }
  program.kernels.forEach((k, step) => {
    const at = plan.scratch[step];
    expect(at % 4, `${k.name}'s scratch alignment`).toBe(0);
    if (k.scratch === 0) return;
    for (const v of names) {
      const [v0, v1] = span(v);
      expect(alive(v, step) && v0 < at + k.scratch && at < v1, `${k.name}'s scratch overlaps ${v}`).toBe(false);
    }
    expect(at + k.scratch).toBeLessThanOrEqual(plan.length);
  });
}

describe('planMemory', () => {
  it('no two values alive at once overlap, and memory is reused', () => {
    const program = programOf(chainWithSkips(20));
    const plan = planMemory(program);
    expectSound(program, plan);
    expect(plan.length).toBeLessThan(21 * 18 / 3);
  });

  it('keepAll gives every value its own memory', () => {
    const plan = planMemory(programOf(chainWithSkips(10)), { keepAll: true });
    expect(plan.length).toBe(11 * 18);
  });

  it('places views inside the values they view: a concat\'s parts written in place, slices, a flatten', () => {
    const program = programOf(VIEWS);
    expect(program.kernels.map((k) => k.variant)).toEqual(['conv-im2col', 'conv-pointwise', 'view', 'view', 'conv-im2col', 'view']);
    const plan = planMemory(program);
    expectSound(program, plan);
    const at = (v: string) => plan.offsets.get(v)!;
    const plane = 9 * 11;
    expect([at('a'), at('b')]).toEqual([at('ab'), at('ab') + 4 * plane]);
    expect([at('p0'), at('p1'), at('p2')]).toEqual([at('ab'), at('ab') + 2 * plane, at('ab') + 6 * plane]);
    expect(at('y')).toBe(at('c'));
  });

  it('a view\'s values read as the copies they stand for', () => {
    const x = tensor(rand, [1, 3, 9, 11]).data;
    const viewed = compile(VIEWS).run({ x });
    const copied = compile(VIEWS, { keepAll: true });
    // Same numbers as the kernels that copy: the CPU's slice and concat kernels on the same graph, batch 2 (two outer rows).
    const batch2 = compile(VIEWS, { batch: 2 });
    expect(batch2.program.kernels.map((k) => k.variant)).toEqual(['conv-im2col', 'conv-pointwise', 'concat', 'slice', 'conv-im2col', 'view']);
    const both = batch2.run({ x: Float32Array.from([...x, ...x]) });
    expect(Array.from(both.y.subarray(0, viewed.y.length))).toEqual(Array.from(viewed.y));
    expect(Array.from(both.p1.subarray(0, viewed.p1.length))).toEqual(Array.from(viewed.p1));
    expect(Array.from(copied.run({ x }).y)).toEqual(Array.from(viewed.y));
  });

  it('a concat of a value given twice, or of a value already inside another, copies', () => {
    const graph: Graph = { ...VIEWS, outputs: ['twice', 'again'], nodes: [
      ...VIEWS.nodes.slice(0, 3),
      named(makeNode('Concat', { axis: 1 }, {}, 2), 'twice', ['b', 'b'], ['twice']),
      named(makeNode('Concat', { axis: 1 }, {}, 1), 'again', ['a'], ['again']),
    ] };
    const program = programOf(graph);
    expect(program.kernels.map((k) => k.variant)).toEqual(['conv-im2col', 'conv-pointwise', 'view', 'concat', 'concat']);
    expectSound(program, planMemory(program));
  });

  it('holds every byte for RMNet and MTCNN: scratch in the arena, bounded by bands', async () => {
    for (const [graph, shape] of [
      [await loadCaffe(RMNET_PROTOTXT, RMNET_CAFFEMODEL), [1, 3, 128, 128]],
      [await loadCaffe(`${MTCNN_DIR}det1.prototxt`, `${MTCNN_DIR}det1.caffemodel`), [1, 3, 608, 1151]],
    ] as const) {
      const net = compile(graph, { inputShapes: { [graph.inputs[0].name]: [...shape] } });
      expectSound(net.program, net.memory);
      for (const k of net.program.kernels) {
        if (k.variant === 'conv-winograd') {
          // Its transformed tiles (V and M): at most 768 KB, or one row of tiles where that is more.
          const [C, O] = [k.inShapes[0][1], k.outShapes[0][1]];
          expect(k.tiles.tileRows === 1 || 16 * (C + O) * k.tiles.tiles <= 196608, k.name).toBe(true);
          expect(k.scratch, k.name).toBe(k.band.floats + 16 * (C + O) * k.tiles.stride);
        }
        if (k.variant !== 'conv-direct' && k.variant !== 'conv-im2col') continue;
        // A band of a general convolution and its col: at most 256 KB, or for conv-direct 128 KB and
        // one output row's patches (P-Net's first level: the whole image's would be 18.8 M floats).
        const perRow = k.band.taps.length * k.outShapes[0][3];
        expect(k.scratch, k.name).toBeLessThanOrEqual(k.variant === 'conv-im2col' ? 65536 : 32768 + perRow);
      }
    }
  });
});
