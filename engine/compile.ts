// From an imported graph to something that runs: the whole pipeline in one place.
//   graph → (override input shapes) → passes → shapes → lower → memory plan → backend kernels.

import { cpuBackend } from './backends/cpu.js';
import type { Backend, MemoryShare, Step } from './backends/backend.js';
import { formatShape, ModelError, sizeOf, type Graph, type Shape } from './graph/graph.js';
import { optimize as runPasses, type PassReport } from './graph/passes/index.js';
import { inferGraphShapes, inputShapes } from './graph/shapes.js';
import { lower } from './lower/index.js';
import type { Program } from './lower/kernel-node.js';
import { checkLimit, checkValueSizes, limitsWith, type Limits } from './limits.js';
import { planMemory, type MemoryPlan } from './plan.js';
import { Serial } from './serial.js';

export interface CompileOptions {
  /** Overrides dim 0 of every input. */
  batch?: number;
  /** Overrides whole input shapes (fully convolutional nets take any height and width). */
  inputShapes?: Record<string, Shape>;
  /** Run the passes (default true). Off, every layer of the imported graph runs as written. */
  optimize?: boolean;
  /** Keep every intermediate value readable after a run (no memory reuse). */
  keepAll?: boolean;
  /** Where the kernels run (default: the CPU typed-array kernels). */
  backend?: Backend;
  /** Raises or lowers the limits on tensor and arena sizes (engine/limits.ts), checked before allocating. */
  limits?: Partial<Limits>;
  /** Memory shared with the other shapes of this net compiled with the same share (backend.ts:
   *  values then last only until another of them runs). */
  share?: MemoryShare;
}

export interface CompiledModel {
  /** The graph that runs (after the passes, unless they were turned off). */
  graph: Graph;
  /** What each pass changed. */
  report: PassReport[];
  /** Shape of every value. */
  shapes: Map<string, Shape>;
  /** The graph lowered: one kernel node per graph node (its variant, canonical parameters, scratch). */
  program: Program;
  memory: MemoryPlan;
  /** Where the kernels run. */
  backend: Backend;
  /** One step per node, in order (run() runs them all; a profiler may time each). */
  steps: Step[];
  /** Runs the net; returns a fresh copy of each graph output. Synchronous backends only. */
  run(inputs: Record<string, Float32Array>): Record<string, Float32Array>;
  /** Runs the net on any backend, awaiting each step. The inputs are read before it returns (the
   *  caller may reuse them at once), and runs started together run one after the other, in order
   *  (they share the net's memory). */
  runAsync(inputs: Record<string, Float32Array>): Promise<Record<string, Float32Array>>;
  /** Copies the inputs into place (run() does this first). */
  setInputs(inputs: Record<string, Float32Array>): void;
  /** A view of any value's current contents (meaningful for every value only with keepAll). */
  value(name: string): Float32Array;
}

/** The passes' result per imported graph: a net compiled for several input shapes is optimised
 *  once, and its kernels see the same weight arrays each time (simd packs them once). */
const optimized = new WeakMap<Graph, { graph: Graph; report: PassReport[] }>();

function optimize(imported: Graph): { graph: Graph; report: PassReport[] } {
  let result = optimized.get(imported);
  if (!result) optimized.set(imported, result = runPasses(imported));
  return result;
}

export function compile(imported: Graph, options: CompileOptions = {}): CompiledModel {
  const declared = inputShapes(imported, { batch: options.batch, shapes: options.inputShapes });
  const { graph, report } = options.optimize === false ? { graph: imported, report: [] } : optimize(imported);
  const limits = limitsWith(options.limits);
  const shapes = inferGraphShapes(graph, declared);
  checkValueSizes(graph, shapes, limits);
  const program = lower(graph, shapes);
  const memory = planMemory(program, { keepAll: options.keepAll });
  checkLimit(limits, 'arenaBytes', 4 * memory.length, `${graph.name}: the memory plan`);
  const backend = options.backend ?? cpuBackend;
  const { arena, steps } = backend.prepare(program, memory, options.share);

  const value = (name: string) => {
    const offset = memory.offsets.get(name);
    if (offset === undefined) throw new ModelError(`${graph.name}: no value named '${name}'`);
    return arena.subarray(offset, offset + sizeOf(shapes.get(name)!));
  };
  const setInputs = (inputs: Record<string, Float32Array>) => {
    for (const [name, shape] of declared) {
      const data = inputs[name];
      if (!data) throw new ModelError(`${graph.name}: input '${name}' ${formatShape(shape)} was not given`);
      if (data.length !== sizeOf(shape)) {
        throw new ModelError(`${graph.name}: input '${name}' has ${data.length} values, expected ${sizeOf(shape)} ${formatShape(shape)}`);
      }
      value(name).set(data);
    }
  };
  const outputs = () => Object.fromEntries(graph.outputs.map((name) => [name, value(name).slice()]));
  const run = (inputs: Record<string, Float32Array>) => {
    if (backend.async) throw new ModelError(`the ${backend.name} backend is asynchronous: use runAsync()`);
    setInputs(inputs);
    for (const step of steps) step.run();
    return outputs();
  };
  const serial = new Serial();
  const runAsync = (inputs: Record<string, Float32Array>): Promise<Record<string, Float32Array>> => {
    // A synchronous backend runs now, whole, so nothing can come between its steps.
    if (!backend.async) return new Promise((resolve) => resolve(run(inputs)));
    const copies = Object.fromEntries(Object.entries(inputs).map(([name, data]) => [name, data.slice()]));
    return serial.run(async () => {
      setInputs(copies);
      for (const step of steps) await step.run();
      return outputs();
    });
  };
  return { graph, report, shapes, program, memory, backend, steps, run, runAsync, setInputs, value };
}
