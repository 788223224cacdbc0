// Device selection: each device name gives its backend or says plainly why it cannot run here;
// loading gpu.js in Node does not load its native dependencies (webgpu's module does not load on
// Debian 12, gl does not build).

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { cpuBackend } from '../../engine/backends/cpu.js';
import { backendFor, DEVICES, type Device } from '../../engine/devices.js';

describe('backendFor', () => {
  it('knows the devices', () => {
    expect(DEVICES).toEqual(['cpu', 'simd', 'gpujs-webasm', 'gpujs-cpu', 'webgl2', 'webgl', 'webgpu']);
  });

  it('gives each Node device its backend', async () => {
    expect(await backendFor('cpu')).toBe(cpuBackend);
    expect((await backendFor('simd')).name).toBe('simd');
    const webasm = await backendFor('gpujs-webasm');
    expect([webasm.name, webasm.async]).toEqual(['gpujs-webasm', true]);
    const cpu = await backendFor('gpujs-cpu');
    expect([cpu.name, cpu.async]).toEqual(['gpujs-cpu', false]);
  });

  it.each(['webgl2', 'webgl', 'webgpu'] as Device[])('says %s runs in a browser only', async (device) => {
    await expect(backendFor(device)).rejects.toThrow(`${device} runs in a browser only; in Node use cpu, simd, gpujs-webasm or gpujs-cpu`);
  });

  it('names the known devices for an unknown one', async () => {
    await expect(backendFor('tpu' as Device)).rejects.toThrow(`unknown device 'tpu' (known devices: ${DEVICES.join(', ')})`);
  });

  it('loads gpu.js without its native dependencies (webgpu, gl)', async () => {
    await backendFor('gpujs-webasm');
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((path) => path.includes('/node_modules/gpu.js/'))).toBe(true);
    expect(loaded.filter((path) => /\/node_modules\/(webgpu|gl)\//.test(path))).toEqual([]);
  });
});
