// Runs one kernel node's gpu.js kernels (the gpu.js table's, one per output) in a gpu.js mode, as
// the backend creates them, directly on the inputs (in Node and in the browser). Each kernel runs
// twice: the second result must equal the first. The inputs must come back unchanged.

import { gpuKernels } from '../../engine/kernels/gpu/index.js';
import type { KernelNode } from '../../engine/lower/kernel-node.js';

type GpuJs = typeof import('gpu.js');
export type GpuKernelFn = ((...args: unknown[]) => unknown) & { destroy(): void; kernel?: { constructor: { mode?: string } } };

function flatten(value: unknown): number[] {
  return ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : (value as unknown[]).flatMap(flatten);
}

/** The outputs, and each kernel as created (for a caller that checks which mode ran it). */
export async function runGpuKernels(gpujs: GpuJs, gpu: InstanceType<GpuJs['GPU']>, k: KernelNode, inputs: Float32Array[],
  inspect?: (kernel: GpuKernelFn) => void): Promise<Float32Array[]> {
  const kernels = gpuKernels(k).map((g) =>
    gpu.createKernel(g.source, { output: g.output, constants: g.constants, precision: 'single', tactic: 'precision' }) as unknown as GpuKernelFn);
  try {
    const xs = inputs.map((x) => x.slice());
    const args = xs.map((x) => new gpujs.Input(x as unknown as number[], [x.length]));
    const outputs: Float32Array[] = [];
    for (const [t, kernel] of kernels.entries()) {
      // webgpu resolves a Promise; the other modes return the result
      const first = Float32Array.from(flatten(await kernel(...args)));
      const second = Float32Array.from(flatten(await kernel(...args)));
      const i = first.findIndex((v, j) => !Object.is(v, second[j]));
      if (i >= 0) throw new Error(`${k.variant} '${k.name}': a second run gave a different output ${t} at ${i}`);
      inspect?.(kernel);
      outputs.push(first);
    }
    xs.forEach((x, i) => {
      if (x.some((v, j) => !Object.is(v, inputs[i][j]))) throw new Error(`${k.variant} '${k.name}': input ${i} was modified`);
    });
    return outputs;
  } finally {
    kernels.forEach((kernel) => kernel.destroy());
  }
}
