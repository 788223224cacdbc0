// The portable backend: one Float32Array arena, a plain TypeScript kernel per node.

import { sizeOf } from '../graph/graph.js';
import { cpuKernel } from '../kernels/cpu/index.js';
import type { KernelNode, Program } from '../lower/kernel-node.js';
import type { MemoryPlan } from '../plan.js';
import type { Backend, Step } from './backend.js';

/** The step running kernel node `index` of `program` with its CPU kernel on `arena` (laid out by `memory`). */
export function cpuStep(program: Program, memory: MemoryPlan, arena: Float32Array, index: number, runsOn: string): Step {
  const k: KernelNode = program.kernels[index];
  const view = (name: string) => {
    const offset = memory.offsets.get(name)!;
    return arena.subarray(offset, offset + sizeOf(program.shapes.get(name)!));
  };
  const kernel = cpuKernel(k);
  const inputs = k.inputs.map(view);
  const outputs = k.outputs.map(view);
  const scratch = arena.subarray(memory.scratch[index], memory.scratch[index] + k.scratch);
  return { kernel: k, runsOn, run: () => kernel(inputs, outputs, scratch) };
}

export const cpuBackend: Backend = {
  name: 'cpu',
  prepare(program, memory) {
    const arena = new Float32Array(memory.length);
    return { arena, steps: program.kernels.map((_, i) => cpuStep(program, memory, arena, i, 'cpu')) };
  },
};
