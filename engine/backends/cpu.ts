// The portable backend: one Float32Array arena, a plain TypeScript kernel per node.

import { sizeOf } from '../graph/graph.js';
import { cpuKernel } from '../kernels/cpu/index.js';
import type { Backend } from './backend.js';

export const cpuBackend: Backend = {
  name: 'cpu',
  prepare(graph, shapes, memory) {
    const arena = new Float32Array(memory.length);
    const view = (name: string) => {
      const offset = memory.offsets.get(name)!;
      return arena.subarray(offset, offset + sizeOf(shapes.get(name)!));
    };
    const steps = graph.nodes.map((node) => {
      const kernel = cpuKernel(node, node.inputs.map((n) => shapes.get(n)!), node.outputs.map((n) => shapes.get(n)!));
      const inputs = node.inputs.map(view);
      const outputs = node.outputs.map(view);
      return { node, run: () => kernel(inputs, outputs) };
    });
    return { arena, steps };
  },
};
