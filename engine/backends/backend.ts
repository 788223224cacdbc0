// What a backend gives the compiler: memory for the arena and, for each kernel node of the
// lowered program, the function that runs it on that memory. The CPU backend runs typed-array
// kernels; others (WebAssembly SIMD, gpu.js) implement the same contract on memory of their own.
// A backend maps each node's variant to one of its kernels; it never chooses the variant.

import type { KernelNode, Program } from '../lower/kernel-node.js';
import type { MemoryPlan } from '../plan.js';

export interface Step {
  kernel: KernelNode;
  /** The backend kernel that runs it: the backend's name, or 'cpu (fallback)' when the backend
   *  lacks the variant and the CPU kernel runs it over the same memory. */
  runsOn: string;
  /** Runs the node: reads its inputs from the arena, writes its outputs there. Asynchronous
   *  backends (gpu.js) return a promise that settles when the outputs are in place. */
  run: () => void | Promise<void>;
}

export interface Prepared {
  /** The arena every value lives in, at the plan's offsets. */
  arena: Float32Array;
  /** One step per kernel node, in order. */
  steps: Step[];
}

/**
 * Memory the compiled shapes of one net may share (CompileOptions.share): a backend that can
 * keeps one memory for all of them, so each shape does not allocate (and page in) its own arena
 * and constants. A shape's values then last only until another shape of the net runs: for
 * callers that read each run's outputs before the next run. Backends that cannot share ignore it.
 */
export class MemoryShare {
  /** Each backend's state, by backend name. */
  readonly state = new Map<string, unknown>();
}

export interface Backend {
  name: string;
  /** true when steps return promises: such a model runs with runAsync(), and its whole run
   *  happens in one step (its layers cannot be timed apart). */
  async?: boolean;
  /** simd: relaxed SIMD as asked for (createSimdBackend); undefined: where the engine has it. A
   *  worker handed the name and this compiles the same code (thread-backend.ts). */
  relaxed?: boolean;
  prepare(program: Program, memory: MemoryPlan, share?: MemoryShare): Prepared;
}
