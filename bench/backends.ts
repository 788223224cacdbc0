// Our backends, as a list: the CPU typed-array kernels always; each optional backend when its
// module has been built (the WebAssembly-SIMD one is written in parallel; until it exists the
// bench runs without it and says so). Another backend joins with one line in OPTIONAL_BACKENDS.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../dist/engine/backends/backend.js';
import { cpuBackend } from '../dist/engine/backends/cpu.js';

/** Optional backends: the built module (relative to this file) and the Backend it exports. */
const OPTIONAL_BACKENDS = [
  { module: '../dist/engine/backends/simd.js', exported: 'simdBackend' },
];

/** Our worker pool (engine/pool.ts, planned); see openPool() in engines.ts. */
export const POOL_MODULE = '../dist/engine/pool.js';

export const built = (module: string) => existsSync(fileURLToPath(new URL(module, import.meta.url)));

export interface BackendList {
  backends: Backend[];
  /** Why an optional backend is missing, one line each. */
  notes: string[];
}

export async function ourBackends(): Promise<BackendList> {
  const backends: Backend[] = [cpuBackend];
  const notes: string[] = [];
  for (const { module, exported } of OPTIONAL_BACKENDS) {
    const file = module.replace('../', '');
    if (!built(module)) { notes.push(`${exported}: not built (${file} absent)`); continue; }
    try {
      const backend = ((await import(module)) as Record<string, Backend | undefined>)[exported];
      if (backend) backends.push(backend);
      else notes.push(`${exported}: ${file} does not export it`);
    } catch (error) {
      notes.push(`${exported}: ${file} failed to load: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { backends, notes };
}

export async function backendNamed(name: string): Promise<Backend> {
  const { backends, notes } = await ourBackends();
  const backend = backends.find((b) => b.name === name);
  if (!backend) throw new Error(`no backend named '${name}' (available: ${backends.map((b) => b.name).join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''})`);
  return backend;
}
