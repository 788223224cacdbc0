// Where a model runs, by name: the one place a device name becomes a Backend.
//   cpu           the TypeScript kernels on Float32Arrays (everywhere)
//   simd          generated WebAssembly SIMD kernels (where WebAssembly has SIMD)
//   gpujs-webasm  gpu.js kernels compiled to WebAssembly SIMD, on worker threads where possible
//   gpujs-cpu     gpu.js kernels as JavaScript
//   webgl2, webgl, webgpu  gpu.js kernels on the GPU (a browser only; webgpu in a secure context)
// The gpu.js devices need the optional package gpu.js; it and the gpu.js backend (its kernels) are
// imported only when one is asked for.

import type { Backend } from './backends/backend.js';
import { simdAvailable } from './backends/simd.js';
import { threadBackend } from './thread-backend.js';

const gpujs = () => import('./backends/gpujs.js');

export type Device = 'cpu' | 'simd' | 'gpujs-webasm' | 'gpujs-cpu' | 'webgl2' | 'webgl' | 'webgpu';

export const DEVICES: readonly Device[] = ['cpu', 'simd', 'gpujs-webasm', 'gpujs-cpu', 'webgl2', 'webgl', 'webgpu'];

/** The fastest device that always works here: simd where WebAssembly has SIMD, else cpu. */
export function defaultDevice(): Device {
  return simdAvailable() ? 'simd' : 'cpu';
}

const IN_NODE = 'in Node use cpu, simd, gpujs-webasm or gpujs-cpu';

/** The backend for `device`; throws an Error saying plainly why when it cannot run here. */
export async function backendFor(device: Device): Promise<Backend> {
  switch (device) {
    case 'cpu': case 'simd':
      return threadBackend(device);
    case 'gpujs-webasm': {
      const { gpujsBackend, loadGpuJs } = await gpujs();
      const library = await loadGpuJs(device);
      if (!library.GPU.isWebAssemblySupported) throw new Error('the gpujs-webasm device needs WebAssembly, which this JavaScript engine lacks');
      return gpujsBackend(library, 'webasm');
    }
    case 'gpujs-cpu': {
      const { gpujsBackend, loadGpuJs } = await gpujs();
      return gpujsBackend(await loadGpuJs(device), 'cpu');
    }
    case 'webgl2': case 'webgl': case 'webgpu': {
      if (typeof process !== 'undefined' && process.versions?.node) throw new Error(`${device} runs in a browser only; ${IN_NODE}`);
      const { gpujsBackend, loadGpuJs } = await gpujs();
      const library = await loadGpuJs(device);
      const available = device === 'webgl2' ? library.GPU.isWebGL2Supported
        : device === 'webgl' ? library.GPU.isWebGLSupported
          : await library.GPU.isWebGPUAvailable();
      if (!available) {
        throw new Error(`${device} is not available in this browser${device === 'webgpu' ? ' (WebGPU needs a secure context: https or localhost, and an adapter)' : ''}`);
      }
      return gpujsBackend(library, device);
    }
    default:
      throw new Error(`unknown device '${device as string}' (known devices: ${DEVICES.join(', ')})`);
  }
}
