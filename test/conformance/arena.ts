// Runs one kernel node on a backend that works in an arena (cpu, simd) the way compile() does —
// lowered program, memory plan, backend.prepare — with the guards of a careful harness: outputs
// and scratch filled with NaN first (an output element never written fails; a kernel that relies
// on what scratch held fails), the whole arena compared afterwards (a kernel that writes anywhere
// but its outputs and scratch fails, and so does one that changes an input), and run twice (the
// second run must give the same outputs: a write past the arena corrupts what follows it).

import type { Backend } from '../../engine/backends/backend.js';
import { sizeOf, type Shape } from '../../engine/graph/graph.js';
import type { KernelNode, Program } from '../../engine/lower/kernel-node.js';
import { planMemory } from '../../engine/plan.js';

export interface Ran {
  outputs: Float32Array[];
  /** The step's backend kernel: the backend's name, or 'cpu (fallback)'. */
  runsOn: string;
}

export function runInArena(backend: Backend, k: KernelNode, inputs: Float32Array[]): Ran {
  const shapes = new Map<string, Shape>([...k.inputs.map((n, i) => [n, k.inShapes[i]] as const), ...k.outputs.map((n, t) => [n, k.outShapes[t]] as const)]);
  const program: Program = { name: k.name, inputs: k.inputs.map((name, i) => ({ name, shape: k.inShapes[i] })), outputs: k.outputs, shapes, kernels: [k] };
  const memory = planMemory(program);
  const { arena, steps: [step] } = backend.prepare(program, memory);
  const range = (name: string) => [memory.offsets.get(name)!, memory.offsets.get(name)! + sizeOf(shapes.get(name)!)] as const;
  const writable = [...k.outputs.map(range), [memory.scratch[0], memory.scratch[0] + k.scratch] as const];

  const runOnce = () => {
    k.inputs.forEach((name, i) => arena.set(inputs[i], range(name)[0]));
    // A view's outputs are its inputs: they are not to be written.
    if (k.variant !== 'view') writable.forEach(([from, to]) => arena.fill(NaN, from, to));
    else arena.fill(NaN, ...writable[writable.length - 1]);
    const before = arena.slice();
    void step.run();
    for (let i = 0; i < arena.length; i++) {
      if (!Object.is(arena[i], before[i]) && !writable.some(([from, to]) => i >= from && i < to)) {
        const value = [...shapes.keys()].find((name) => i >= range(name)[0] && i < range(name)[1]);
        throw new Error(`${k.variant} '${k.name}' on ${step.runsOn} wrote arena float ${i}${value ? ` (inside '${value}')` : ''}, outside its outputs and scratch`);
      }
    }
    return k.outputs.map((name) => arena.slice(...range(name)));
  };
  const first = runOnce();
  const second = runOnce();
  first.forEach((y, t) => {
    const i = y.findIndex((v, j) => !Object.is(v, second[t][j]));
    if (i >= 0) throw new Error(`${k.variant} '${k.name}' on ${step.runsOn}: a second run gave a different output ${t} at ${i} (${y[i]}, then ${second[t][i]})`);
  });
  return { outputs: first, runsOn: step.runsOn };
}
