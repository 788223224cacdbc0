// Depthwise 3x3 convolution (group == in channels == out channels, dilation 1), any stride
// and pad. Each input plane is first copied into the middle of the scratch plane of
// (H + padTop + padBottom) x (W + padLeft + padRight), zeroed once per run (its border is never
// written after), so every output reads its 9 taps with no bounds tests:
//   y[c, oy, ox] = activate(bias[c] + sum_{ky, kx} w[c, ky, kx] * padded[oy*sh + ky, ox*sw + kx]),
// the channel's 9 weights held in locals. Each output row is activated once written (activating
// as each value is stored costs more: the inlined activation crowds the taps out of registers).

import { activateRange, perChannel } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

/** Copies the H x W plane at x[at] into the middle of `padded` (rows PW wide), at row padTop, column padLeft. */
export function padPlane(x: Float32Array, at: number, H: number, W: number,
  padded: Float32Array, PW: number, padTop: number, padLeft: number): void {
  for (let iy = 0, xi = at; iy < H; iy++) {
    for (let pi = (iy + padTop) * PW + padLeft, end = xi + W; xi < end; xi++, pi++) padded[pi] = x[xi];
  }
}

export const convDepthwise3x3Kernel: CpuKernelFactory<'conv-depthwise3x3s1' | 'conv-depthwise3x3'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, , OH, OW] = k.outShapes[0];
  const { stride: [SH, SW], pad: [PT, PL, , PR], weight: w, bias, activation } = k.conv;
  const act = perChannel(activation, C);
  const PW = W + PL + PR;

  return ([x], [y], padded) => {
    padded.fill(0);
    for (let p = 0; p < N * C; p++) {
      const c = p % C;
      padPlane(x, p * H * W, H, W, padded, PW, PT, PL);
      const t = c * 9;
      const k0 = w[t], k1 = w[t + 1], k2 = w[t + 2], k3 = w[t + 3], k4 = w[t + 4];
      const k5 = w[t + 5], k6 = w[t + 6], k7 = w[t + 7], k8 = w[t + 8];
      const b = bias[c];
      for (let oy = 0, yi = p * OH * OW; oy < OH; oy++) {
        const row = yi;
        for (let ox = 0, r0 = oy * SH * PW; ox < OW; ox++, yi++, r0 += SW) {
          const r1 = r0 + PW, r2 = r1 + PW;
          const s = b + k0 * padded[r0] + k1 * padded[r0 + 1] + k2 * padded[r0 + 2]
            + k3 * padded[r1] + k4 * padded[r1 + 1] + k5 * padded[r1 + 2]
            + k6 * padded[r2] + k7 * padded[r2 + 1] + k8 * padded[r2 + 2];
          y[yi] = s;
        }
        activateRange(y, row, yi, act, c);
      }
    }
  };
};
