// What a backend gives the compiler: memory for the arena and, for each node, the function
// that runs it on that memory. The CPU backend runs typed-array kernels; others (WebAssembly
// SIMD, gpu.js) implement the same contract on memory of their own.

import type { Graph, Node, Shape } from '../graph/graph.js';
import type { MemoryPlan } from '../plan.js';

export interface Step {
  node: Node;
  /** Runs the node: reads its inputs from the arena, writes its outputs there. Asynchronous
   *  backends (gpu.js) return a promise that settles when the outputs are in place. */
  run: () => void | Promise<void>;
}

export interface Prepared {
  /** The arena every value lives in, at the plan's offsets. */
  arena: Float32Array;
  /** One step per node, in graph order. */
  steps: Step[];
}

export interface Backend {
  name: string;
  /** true when steps return promises: such a model runs with runAsync(). */
  async?: boolean;
  prepare(graph: Graph, shapes: Map<string, Shape>, memory: MemoryPlan): Prepared;
}
