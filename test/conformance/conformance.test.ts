// One conformance suite for every backend Node has: each variant's cases (cases/, one file per
// variant) run as that variant on cpu and simd (through the memory plan and the backend, guarded:
// arena.ts; simd with relaxed SIMD, which the test setup turns on, and without) and in gpu.js's
// webasm and cpu modes (the gpu.js table's kernels: gpujs.ts), each compared with the float64
// reference (test/kernels/reference.ts). A variant a backend lacks runs
// on its CPU fallback, and each backend's last test lists those fallbacks: they are expected to be
// exactly the variants its table lacks (a kernel in the table takes every node of its variant).
// The Chromium parity test (test/browser-parity) runs the same problems on webgl2, webgl and webgpu.

import { describe, expect, it } from 'vitest';
import type { Backend } from '../../engine/backends/backend.js';
import { cpuBackend } from '../../engine/backends/cpu.js';
import { loadGpuJs, type GpujsMode } from '../../engine/backends/gpujs.js';
import { createSimdBackend, simdBackend } from '../../engine/backends/simd.js';
import { SIMD_KERNELS } from '../../engine/kernels/simd/index.js';
import type { KernelNode, Variant } from '../../engine/lower/kernel-node.js';
import { expectReference } from '../kernels/reference.js';
import { runInArena, type Ran } from './arena.js';
import { runGpuKernels } from './gpujs.js';
import { kernelOf, problemsOf, VARIANTS } from './problems.js';

const gpujs = await loadGpuJs('gpujs-webasm');
const PROBLEMS = new Map(VARIANTS.map((v) => [v, problemsOf(v)]));

type Runner = (k: KernelNode, inputs: Float32Array[]) => Promise<Ran>;

const inArena = (backend: Backend): Runner => async (k, inputs) => runInArena(backend, k, inputs);

function inGpujs(mode: GpujsMode): Runner {
  const gpu = new gpujs.GPU({ mode });
  return async (k, inputs) => ({ outputs: await runGpuKernels(gpujs, gpu, k, inputs), runsOn: `gpujs-${mode}` });
}

/** Each backend: how it runs a kernel node, and the variants it is expected to run on the CPU instead. */
const BACKENDS: { name: string; fallbacks: Variant[]; run: Runner }[] = [
  { name: 'cpu', fallbacks: [], run: inArena(cpuBackend) },
  { name: 'simd', fallbacks: VARIANTS.filter((v) => !SIMD_KERNELS[v]), run: inArena(simdBackend) },
  { name: 'simd without relaxed SIMD', fallbacks: VARIANTS.filter((v) => !SIMD_KERNELS[v]), run: inArena(createSimdBackend({ relaxed: false })) },
  ...(['webasm', 'cpu'] as GpujsMode[]).map((mode) => ({ name: `gpujs-${mode}`, fallbacks: [], run: inGpujs(mode) })),
];

describe.each(BACKENDS)('$name', ({ name, fallbacks, run }) => {
  /** Where each variant's cases ran: variant -> runsOn -> case count. */
  const ranOn = new Map<Variant, Map<string, number>>();
  for (const variant of VARIANTS) {
    describe(variant, () => {
      for (const problem of PROBLEMS.get(variant)!) {
        it(problem.label, async () => {
          const k = kernelOf(variant, problem);
          const { outputs, runsOn } = await run(k, problem.inputs.map((t) => t.data));
          const counts = ranOn.get(variant) ?? new Map<string, number>();
          ranOn.set(variant, counts.set(runsOn, (counts.get(runsOn) ?? 0) + 1));
          expectReference(problem.node, problem.inputs, outputs);
        });
      }
    });
  }

  it('ran every variant, on the CPU only where it has no kernel of its own', () => {
    const lines = VARIANTS.map((v) => `${v}: ${[...(ranOn.get(v) ?? new Map()).entries()].map(([on, n]) => `${n} on ${on}`).join(', ')}`);
    console.log(`${name}\n  ${lines.join('\n  ')}`);
    expect(VARIANTS.filter((v) => !ranOn.has(v))).toEqual([]);
    const fellBack = VARIANTS.filter((v) => ranOn.get(v)!.has('cpu (fallback)'));
    expect(fellBack).toEqual(fallbacks);
  });
});
