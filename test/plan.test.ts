// The memory plan: values alive at the same time never share memory.
import { describe, expect, it } from 'vitest';
import type { Graph, Node } from '../engine/graph/graph.js';
import { inferGraphShapes, inputShapes } from '../engine/graph/shapes.js';
import { planMemory } from '../engine/plan.js';

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

describe('planMemory', () => {
  it('no two values alive at once overlap, and memory is reused', () => {
    const graph = chainWithSkips(20);
    const shapes = inferGraphShapes(graph, inputShapes(graph));
    const plan = planMemory(graph, shapes);
    const born = new Map<string, number>([['x', -1]]);
    const dies = new Map<string, number>([[graph.outputs[0], Infinity], ['x', Infinity]]);
    graph.nodes.forEach((n, step) => {
      born.set(n.outputs[0], step);
      n.inputs.forEach((i) => { if (dies.get(i) !== Infinity) dies.set(i, step); });
    });
    const names = [...plan.offsets.keys()];
    for (const a of names) for (const b of names) {
      if (a >= b) continue;
      const overlapInTime = born.get(a)! <= (dies.get(b) ?? born.get(b)!) && born.get(b)! <= (dies.get(a) ?? born.get(a)!);
      const oa = plan.offsets.get(a)!, ob = plan.offsets.get(b)!;
      const overlapInMemory = oa < ob + 18 && ob < oa + 18;
      expect(overlapInTime && overlapInMemory, `${a} and ${b}`).toBe(false);
    }
    expect(plan.length).toBeLessThan(names.length * 18 / 3);
  });

  it('keepAll gives every value its own memory', () => {
    const graph = chainWithSkips(10);
    const plan = planMemory(graph, inferGraphShapes(graph, inputShapes(graph)), { keepAll: true });
    expect(plan.length).toBe(11 * 18);
  });
});
