// Runs gpu.js kernels the way test/kernels/reference.ts `check` runs a CPU kernel: `viaGpujs`
// makes a CpuKernelFactory that creates the node's gpu.js kernels (one per output) in one gpu.js
// mode, calls them synchronously on the inputs and copies their results into the outputs, which
// `check` then compares with the float64 reference. Before that it compares them with the CPU
// kernel's outputs on the same inputs (within 1e-4 relative: max(1, |cpu|)), naming the element.

import { formatShape, sizeOf, type Node, type Shape } from '../../engine/graph/graph.js';
import { loadGpuJs, type GpujsMode } from '../../engine/backends/gpujs.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import type { CpuKernelFactory } from '../../engine/kernels/cpu/kernel.js';
import { gpuKernels } from '../../engine/kernels/gpu/index.js';
import type { GpuKernelFactory } from '../../engine/kernels/gpu/kernel.js';

/** The gpu.js modes that run in Node. */
export const NODE_MODES: GpujsMode[] = ['webasm', 'cpu'];

export const gpujs = await loadGpuJs('gpujs-webasm');

type Kernel = ((...args: unknown[]) => unknown) & { destroy(): void };

function flatten(value: unknown): number[] {
  return ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : (value as unknown[]).flatMap(flatten);
}

function expectClose(got: Float32Array, want: Float32Array, what: string, shape: Shape): void {
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-4 * Math.max(1, Math.abs(want[i])))) {
      const at = shape.map((_, d) => Math.floor(i / sizeOf(shape.slice(d + 1))) % shape[d]);
      throw new Error(`${what} ${formatShape(shape)} at ${formatShape(at)}: gpu.js ${got[i]}, CPU kernel ${want[i]}`);
    }
  }
}

export function viaGpujs(mode: GpujsMode, factory: GpuKernelFactory = gpuKernels): CpuKernelFactory {
  const gpu = new gpujs.GPU({ mode });
  return (node: Node, inShapes: Shape[], outShapes: Shape[]) => (xs, ys) => {
    const kernels = factory(node, inShapes, outShapes).map((k) =>
      gpu.createKernel(k.source, { output: k.output, constants: k.constants, precision: 'single', tactic: 'precision' }) as unknown as Kernel);
    try {
      const inputs = xs.map((x) => new gpujs.Input(x as unknown as number[], [x.length]));
      kernels.forEach((kernel, t) => ys[t].set(flatten(kernel(...inputs))));
    } finally {
      kernels.forEach((kernel) => kernel.destroy());
    }
    const cpu = outShapes.map((s) => new Float32Array(sizeOf(s)));
    cpuKernel(node, inShapes, outShapes)(xs.map((x) => x.slice()), cpu);
    ys.forEach((y, t) => expectClose(y, cpu[t], `${node.op} '${node.name}' (${mode}) output ${t}`, outShapes[t]));
  };
}
