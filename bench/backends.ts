// Our devices, as a list of backends (engine/devices.ts turns each name into one): cpu and
// simd always run; gpu.js's webasm device joins when gpu.js is installed (its cpu mode, ~40x
// slower than our own cpu backend, only when asked for with --backends). A device that cannot
// run here is left out with a note saying why.

import type { Backend } from '../dist/engine/backends/backend.js';
import { backendFor, type Device } from '../dist/engine/devices.js';

const DEFAULT_DEVICES: Device[] = ['cpu', 'simd', 'gpujs-webasm'];
const ALL_DEVICES: Device[] = [...DEFAULT_DEVICES, 'gpujs-cpu'];

export interface BackendList {
  backends: Backend[];
  /** Why a device is missing, one line each. */
  notes: string[];
}

/** The backends of the named devices (default: cpu, simd, gpujs-webasm). */
export async function ourBackends(names?: string[]): Promise<BackendList> {
  const wanted = names ? ALL_DEVICES.filter((d) => names.includes(d)) : DEFAULT_DEVICES;
  const backends: Backend[] = [];
  const notes: string[] = [];
  for (const device of wanted) {
    try {
      backends.push(await backendFor(device));
    } catch (error) {
      notes.push(`${device}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return { backends, notes };
}

export async function backendNamed(name: string): Promise<Backend> {
  const { backends, notes } = await ourBackends([name]);
  if (!backends[0]) throw new Error(`no backend named '${name}' (devices: ${ALL_DEVICES.join(', ')}${notes.length ? `; ${notes.join('; ')}` : ''})`);
  return backends[0];
}
