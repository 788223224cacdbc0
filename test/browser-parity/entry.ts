// The conformance suite's gpu.js half (test/conformance) in a browser, for the modes only a
// browser has (webgl2, webgl, webgpu). Bundled and opened by test/browser-parity.test.ts.
// window.parity(device) builds the same problems from the same case files and seeds as the Node
// suite, runs each kernel node's gpu.js kernels (the gpu.js table's, one per output) in `device`,
// and compares every output with the float64 reference, as the Node suite does (inputs unchanged,
// a second run identical). A kernel that gpu.js quietly moved to another mode (a fallback) is a
// failure too.

import { loadGpuJs } from '../../engine/backends/gpujs.js';
import { backendFor } from '../../engine/devices.js';
import { runGpuKernels, type GpuKernelFn } from '../conformance/gpujs.js';
import { kernelOf, problemsOf, VARIANTS } from '../conformance/problems.js';
import { expectReference } from '../kernels/reference.js';

export interface Failure { label: string; error: string }
export interface ParityResult { device: string; total: number; failures: Failure[]; ms: number }

let gpujsClasses: { WebGL2Kernel: unknown; WebGLKernel: unknown } | undefined;

/** The mode a kernel actually ran in (gpu.js calls both GL kernels 'gpu'; a fallback replaces kernel.kernel). */
function ranIn(kernel: GpuKernelFn): string {
  const classes = gpujsClasses!;
  const inner = kernel.kernel?.constructor;
  if (inner === classes.WebGL2Kernel) return 'webgl2';
  if (inner === classes.WebGLKernel) return 'webgl';
  return inner?.mode ?? 'unknown';
}

async function parity(device: 'webgl2' | 'webgl' | 'webgpu'): Promise<ParityResult> {
  if (!['webgl2', 'webgl', 'webgpu'].includes(device)) throw new Error(`parity: '${device as string}' is not webgl2, webgl or webgpu`);
  const started = performance.now();
  await backendFor(device); // throws, saying why, when the device is not available in this browser
  const gpujs = await loadGpuJs(device);
  gpujsClasses = gpujs as unknown as { WebGL2Kernel: unknown; WebGLKernel: unknown };
  const gpu = new gpujs.GPU({ mode: device }); // one GPU (one WebGL context) for the whole run
  const failures: Failure[] = [];
  let total = 0;
  for (const variant of VARIANTS) {
    for (const problem of problemsOf(variant)) {
      total++;
      const label = `${variant} > ${problem.label}`;
      try {
        const modes = new Set<string>();
        const outputs = await runGpuKernels(gpujs, gpu, kernelOf(variant, problem), problem.inputs.map((t) => t.data), (k) => modes.add(ranIn(k)));
        const ran = [...modes];
        if (ran.some((m) => m !== device)) throw new Error(`gpu.js ran the kernels in ${ran.join(', ')}, not ${device}`);
        expectReference(problem.node, problem.inputs, outputs);
      } catch (error) {
        failures.push({ label, error: (error as Error).message });
      }
    }
  }
  return { device, total, failures, ms: performance.now() - started };
}

(window as unknown as { parity: typeof parity }).parity = parity;
