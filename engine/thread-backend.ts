// The backends whose kernels run on the calling thread, by name: cpu and simd. devices.ts names
// every device; a worker (engine/pool-service.ts, rmnet/mtcnn/parallel-service.ts) asks here, so
// its bundle in a browser carries no gpu.js code.

import type { Backend } from './backends/backend.js';
import { cpuBackend } from './backends/cpu.js';

/**
 * The cpu or simd backend (`relaxed`: simd's choice, as Backend.relaxed holds it); throws an Error
 * saying plainly why simd cannot run here.
 */
export async function threadBackend(device: 'cpu' | 'simd', relaxed?: boolean): Promise<Backend> {
  if (device === 'cpu') return cpuBackend;
  const { createSimdBackend, simdAvailable, simdBackend } = await import('./backends/simd.js').catch((cause) => {
    throw new Error('the simd device is not available: its backend failed to load', { cause });
  });
  if (!simdAvailable()) throw new Error('the simd device needs WebAssembly SIMD, which this JavaScript engine lacks; use cpu');
  return relaxed === undefined ? simdBackend : createSimdBackend({ relaxed });
}
