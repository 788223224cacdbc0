// The gpu.js kernel parity test (test/gpujs/kernels.test.ts) in a browser, for the GPU modes
// Node lacks (webgl2, webgl, webgpu). Bundled and opened by test/browser-parity.test.ts.
// window.parity(device) builds the same problems from the same seeds, in the same order, as the
// Node test does for each mode (kernelProblems(prng(29)), then the conv groups from prng(31)),
// runs each node's gpu.js kernels (one per output) in `device`, and compares every output with
// the CPU kernel run here on the same inputs: |gpu - cpu| <= 1e-4 * max(1, |cpu|), as
// test/gpujs/harness.ts does; then, like `check`, with the float64 reference and the inputs
// unchanged. A kernel that gpu.js quietly moved to another mode (a fallback) is a failure too.

import { sizeOf, type Node } from '../../engine/graph/graph.js';
import { inferShapes } from '../../engine/graph/ops.js';
import { loadGpuJs } from '../../engine/backends/gpujs.js';
import { backendFor } from '../../engine/devices.js';
import { cpuKernel } from '../../engine/kernels/cpu/index.js';
import { convKernel } from '../../engine/kernels/gpu/conv.js';
import { convDepthwise3x3Kernel } from '../../engine/kernels/gpu/conv-depthwise3x3.js';
import { convPointwiseKernel } from '../../engine/kernels/gpu/conv-pointwise.js';
import { gpuKernels } from '../../engine/kernels/gpu/index.js';
import type { GpuKernelFactory } from '../../engine/kernels/gpu/kernel.js';
import { check, CONV_CASES, convProblem, kernelProblems, prng, type ConvCase, type Problem } from '../kernels/reference.js';

export interface Failure { label: string; maxRelErr: number; error?: string }
export interface ParityResult { device: string; total: number; failures: Failure[]; ms: number }

type Kernel = ((...args: unknown[]) => unknown) & { destroy(): void; kernel?: { constructor: { mode?: string } } };

const TOLERANCE = 1e-4;

/** Every problem of the Node parity test, in its order, with the kernel factory it uses. */
function problems(): { label: string; problem: Problem; factory: GpuKernelFactory }[] {
  const all: { label: string; problem: Problem; factory: GpuKernelFactory }[] = [];
  for (const [op, list] of Object.entries(kernelProblems(prng(29)))) {
    for (const problem of list) all.push({ label: `${op} > ${problem.label}`, problem, factory: gpuKernels });
  }
  const rand = prng(31);
  const convs = (name: string, cases: ConvCase[], factory: GpuKernelFactory = gpuKernels) => {
    for (const p of cases) {
      const problem = convProblem(rand, p);
      all.push({ label: `${name} > ${problem.label}`, problem, factory });
    }
  };
  convs('Conv (kernel table)', [...CONV_CASES.general, ...CONV_CASES.depthwise3x3, ...CONV_CASES.pointwise]);
  convs('Conv general', [...CONV_CASES.depthwise3x3, ...CONV_CASES.pointwise], convKernel as unknown as GpuKernelFactory);
  convs('Conv depthwise 3x3', CONV_CASES.depthwise3x3, convDepthwise3x3Kernel as unknown as GpuKernelFactory);
  convs('Conv pointwise', CONV_CASES.pointwise, convPointwiseKernel as unknown as GpuKernelFactory);
  return all;
}

function flatten(value: unknown): number[] {
  return ArrayBuffer.isView(value) ? Array.from(value as Float32Array) : (value as unknown[]).flatMap(flatten);
}

/** The mode a kernel actually ran in (gpu.js calls both GL kernels 'gpu'; a fallback replaces kernel.kernel). */
function ranIn(kernel: Kernel): string {
  const classes = gpujsClasses!;
  const inner = kernel.kernel?.constructor;
  if (inner === classes.WebGL2Kernel) return 'webgl2';
  if (inner === classes.WebGLKernel) return 'webgl';
  return inner?.mode ?? 'unknown';
}
let gpujsClasses: { WebGL2Kernel: unknown; WebGLKernel: unknown } | undefined;

async function parity(device: 'webgl2' | 'webgl' | 'webgpu'): Promise<ParityResult> {
  if (!['webgl2', 'webgl', 'webgpu'].includes(device)) throw new Error(`parity: '${device as string}' is not webgl2, webgl or webgpu`);
  const started = performance.now();
  await backendFor(device); // throws, saying why, when the device is not available in this browser
  const gpujs = await loadGpuJs(device);
  gpujsClasses = gpujs as unknown as { WebGL2Kernel: unknown; WebGLKernel: unknown };
  const gpu = new gpujs.GPU({ mode: device }); // one GPU (one WebGL context) for the whole run
  const list = problems();
  const failures: Failure[] = [];
  for (const { label, problem: { node, inputs }, factory } of list) {
    let maxRelErr = 0;
    try {
      const inShapes = inputs.map((t) => t.shape);
      const outShapes = inferShapes(node as Node, inShapes);
      const xs = inputs.map((t) => t.data.slice());
      const ys = outShapes.map((s) => new Float32Array(sizeOf(s)).fill(NaN));
      const kernels = factory(node, inShapes, outShapes).map((k) =>
        gpu.createKernel(k.source, { output: k.output, constants: k.constants, precision: 'single', tactic: 'precision' }) as unknown as Kernel);
      const modes = new Set<string>();
      try {
        const gpuInputs = xs.map((x) => new gpujs.Input(x as unknown as number[], [x.length]));
        for (const [t, kernel] of kernels.entries()) {
          ys[t].set(flatten(await kernel(...gpuInputs))); // webgpu resolves a Promise; the GL modes return the result
          modes.add(ranIn(kernel));
        }
      } finally {
        kernels.forEach((kernel) => kernel.destroy());
      }
      const cpu = outShapes.map((s) => new Float32Array(sizeOf(s)));
      cpuKernel(node, inShapes, outShapes)(xs.map((x) => x.slice()), cpu);
      ys.forEach((y, t) => {
        for (let i = 0; i < y.length; i++) {
          const err = Math.abs(y[i] - cpu[t][i]) / Math.max(1, Math.abs(cpu[t][i]));
          if (!(err <= maxRelErr)) maxRelErr = Number.isNaN(err) ? Infinity : Math.max(maxRelErr, err);
        }
      });
      const ran = [...modes];
      if (ran.some((m) => m !== device)) throw new Error(`gpu.js ran the kernels in ${ran.join(', ')}, not ${device}`);
      if (!(maxRelErr <= TOLERANCE)) throw new Error(`differs from the CPU kernel by ${maxRelErr} relative (tolerance ${TOLERANCE})`);
      // As `check` does after the harness: the float64 reference, and the inputs left unchanged.
      check((_n, _i, _o) => (_xs, outs) => { ys.forEach((y, t) => outs[t].set(y)); }, node, inputs);
    } catch (error) {
      failures.push({ label, maxRelErr, error: (error as Error).message });
    }
  }
  return { device, total: list.length, failures, ms: performance.now() - started };
}

(window as unknown as { parity: typeof parity }).parity = parity;
