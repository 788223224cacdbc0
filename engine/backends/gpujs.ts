// gpu.js: every kernel node runs as gpu.js kernels (engine/kernels/gpu, one per output), in one of
// gpu.js's modes: 'webasm' (WebAssembly with f32x4 SIMD), 'cpu' (JavaScript), and in a browser
// 'webgl2', 'webgl' or 'webgpu'. gpu.js is an optional peer dependency: it is imported on first
// use (a plain dynamic import, which bundlers resolve to gpu.js's browser build).
//
// Every mode but 'cpu' runs the whole graph as ONE gpu.js pipeline (gpu.createPipeline), built
// from the lowered graph at prepare time and compiled by gpu.js on the first run:
//   webasm  'fused': every kernel compiled over one shared WebAssembly.Memory, values passed in
//           place from layer to layer; with threads (and SharedArrayBuffer) a worker pool runs
//           the whole plan per call, each worker a slice of every layer, an Atomics barrier
//           between layers ('fused-threaded').
//   webgl2, webgl  textures from kernel to kernel, one upload and one readback per run.
//   webgpu  every layer a compute pass of one command encoder over storage buffers.
// So the graph inputs go in once, the graph outputs come back once into the arena, and no other
// value ever does: the first step runs the pipeline, the other steps have nothing to do (so
// `profile` refuses such a backend; `value()` of an intermediate is not filled). Views, which
// alias memory in the arena, are copies in the pipeline. In 'cpu' mode there is no device: each
// node's kernels read and write the arena, step by step.

import { formatShape, ModelError, sizeOf } from '../graph/graph.js';
import { gpuKernels } from '../kernels/gpu/index.js';
import type { Backend, Step } from './backend.js';

export type GpujsMode = 'webasm' | 'cpu' | 'webgl2' | 'webgl' | 'webgpu';

type GpuJs = typeof import('gpu.js');
type Kernel = ((...args: unknown[]) => unknown) & { destroy(): void };

/** gpu.js's indices are float32 on most of its backends: exact up to here. */
const MAX_ELEMENTS = 2 ** 24;

/** Loads gpu.js, or says how to get it. `device`: the name the caller asked for. */
export async function loadGpuJs(device: string): Promise<GpuJs> {
  try {
    return await import('gpu.js');
  } catch (cause) {
    const missing = (cause as { code?: string }).code === 'ERR_MODULE_NOT_FOUND'
      || /cannot find (module|package)|failed to resolve/i.test((cause as Error).message);
    throw new Error(missing ? `the ${device} device needs the optional package gpu.js: npm install gpu.js`
      : `the ${device} device: gpu.js failed to load: ${(cause as Error).message}`, { cause });
  }
}

/** What a prepared model holds in gpu.js, released when the model is garbage-collected (its
 *  steps are): the kernels (textures on WebGL) and the pipeline (its memory, worker threads;
 *  its destroy() settles when a run in flight ends, and nobody is left to tell if it fails). */
const releases = new FinalizationRegistry<{ destroy(): unknown }[]>((held) => {
  for (const h of held) void Promise.resolve().then(() => h.destroy()).catch(() => undefined);
});

/** Copies a gpu.js result (a Float32Array, or nested arrays of rows) into `target`, in order. */
function flattenInto(value: unknown, target: Float32Array, at = 0): number {
  if (ArrayBuffer.isView(value)) {
    target.set(value as Float32Array, at);
    return at + (value as Float32Array).length;
  }
  for (const part of value as unknown[]) at = flattenInto(part, target, at);
  return at;
}

/**
 * The backend for gpu.js mode `mode` (gpu.js as loaded by loadGpuJs). `threads` (webasm only,
 * default true): run the plan on gpu.js's worker pool when the platform has wasm threads.
 */
export function gpujsBackend(gpujs: GpuJs, mode: GpujsMode, options: { threads?: boolean } = {}): Backend {
  // One GPU for every model this backend prepares: on WebGL it is one context (a page gets only
  // about 16; past that the browser drops the oldest, and the kernels made in it stop working).
  let gpu: InstanceType<GpuJs['GPU']> | undefined;
  return {
    name: `gpujs-${mode}`,
    async: mode !== 'cpu',
    prepare(program, memory) {
      for (const [name, shape] of program.shapes) {
        if (sizeOf(shape) > MAX_ELEMENTS) {
          throw new ModelError(`${program.name}: value '${name}' ${formatShape(shape)} has more than 2^24 elements, the gpu.js backend's limit`);
        }
      }
      const arena = new Float32Array(memory.length);
      const size = (name: string) => sizeOf(program.shapes.get(name)!);
      const view = (name: string) => arena.subarray(memory.offsets.get(name)!, memory.offsets.get(name)! + size(name));
      const asInput = (name: string) => new gpujs.Input(view(name) as unknown as number[], [size(name)]);

      const device = (gpu ??= new gpujs.GPU({ mode }));
      const kernels = program.kernels.map((node) => gpuKernels(node).map((k) => device.createKernel(k.source, {
        output: k.output, constants: k.constants, precision: 'single', tactic: 'precision',
      }) as unknown as Kernel));
      const runsOn = `gpujs-${mode}`;

      if (mode === 'cpu') {
        const steps: Step[] = program.kernels.map((node, i) => {
          const inputs = node.inputs.map(asInput);
          const outputs = node.outputs.map(view);
          return { kernel: node, runsOn, run: () => { kernels[i].forEach((kernel, t) => flattenInto(kernel(...inputs), outputs[t])); } };
        });
        releases.register(steps, kernels.flat());
        return { arena, steps };
      }

      // Traced once by gpu.js with handles for the graph inputs: the kernel calls become the plan.
      const orchestrate = function (...inputs: unknown[]) {
        const values = new Map<string, unknown>(program.inputs.map((input, i) => [input.name, inputs[i]]));
        program.kernels.forEach((node, i) => {
          const args = node.inputs.map((name) => values.get(name));
          node.outputs.forEach((name, t) => values.set(name, kernels[i][t](...args)));
        });
        return program.outputs.map((name) => values.get(name));
      };
      Object.defineProperty(orchestrate, 'length', { value: program.inputs.length }); // gpu.js counts the arguments so
      const pipeline = device.createPipeline(orchestrate, { threads: options.threads ?? true });
      const outputs = program.outputs.map(view);
      const run = async () => {
        const results = await pipeline(...program.inputs.map((input) => asInput(input.name))) as unknown[];
        outputs.forEach((output, t) => flattenInto(results[t], output));
      };
      const steps = program.kernels.map((node, i): Step => ({ kernel: node, runsOn: `${runsOn} (whole pipeline)`, run: i === 0 ? run : () => undefined }));
      releases.register(steps, [pipeline, ...kernels.flat()]);
      return { arena, steps };
    },
  };
}
