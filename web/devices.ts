// The devices the page offers (engine/devices.ts names them and makes their backends), each
// backend made once, and which of them can run in this browser.

import type { Backend } from '../engine/backends/backend.js';
import { backendFor, DEVICES, type Device } from '../engine/devices.js';
import { relaxedSimdAvailable } from '../engine/relaxed-simd.js';

export { DEVICES, type Device };

export const isDevice = (name: string): name is Device => (DEVICES as readonly string[]).includes(name);

export interface DeviceInfo {
  device: Device;
  available: boolean;
  /** Why not, when unavailable. */
  reason?: string;
  /** simd: whether its kernels use relaxed SIMD's fused multiply-add (this browser has it). */
  relaxedSimd?: boolean;
}

const backends = new Map<Device, Promise<Backend>>();

/** The backend for a device, made once; rejects with the reason when the device cannot run here. */
export function backendOf(device: Device): Promise<Backend> {
  let backend = backends.get(device);
  if (!backend) {
    backend = backendFor(device);
    backends.set(device, backend);
  }
  return backend;
}

/** Whether each device can run here (making its backend finds out). */
export async function probeDevices(): Promise<DeviceInfo[]> {
  return Promise.all(DEVICES.map(async (device): Promise<DeviceInfo> => {
    try {
      await backendOf(device);
      return device === 'simd' ? { device, available: true, relaxedSimd: relaxedSimdAvailable() } : { device, available: true };
    } catch (error) {
      return { device, available: false, reason: (error as Error).message };
    }
  }));
}
