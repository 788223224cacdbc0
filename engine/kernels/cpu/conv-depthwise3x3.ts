// Depthwise 3x3 convolution (group == in channels == out channels, dilation 1), any stride
// and pad: each channel is convolved with its own 9 weights, held in locals. Outputs whose
// window lies wholly inside the input take the unrolled path; the border ones skip the taps
// that fall in padding.

import type { NodeOf } from '../../graph/ops.js';
import { applyActivation } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

/** The outputs [lo, hi) whose window o*stride - pad .. +2 lies inside [0, size). */
function inside(stride: number, pad: number, size: number, out: number): [number, number] {
  const lo = Math.min(out, Math.ceil(pad / stride));
  return [lo, Math.max(lo, Math.min(out, Math.floor((size - 3 + pad) / stride) + 1))];
}

/** One output's window at input (iy, ix) with taps outside the H x W plane skipped. */
function borderSum(x: Float32Array, xPlane: number, H: number, W: number, iy: number, ix: number,
  w: Float32Array, wTaps: number): number {
  let s = 0;
  for (let ky = 0; ky < 3; ky++) {
    const yy = iy + ky;
    if (yy < 0 || yy >= H) continue;
    for (let kx = 0; kx < 3; kx++) {
      const xx = ix + kx;
      if (xx >= 0 && xx < W) s += w[wTaps + ky * 3 + kx] * x[xPlane + yy * W + xx];
    }
  }
  return s;
}

export const convDepthwise3x3Kernel: CpuKernelFactory<NodeOf<'Conv'>> = (node, inShapes, outShapes) => {
  const [N, C, H, W] = inShapes[0];
  const [, , OH, OW] = outShapes[0];
  const { stride: [SH, SW], pad: [PT, PL], activation } = node.attrs;
  const w = node.weights.weight.data;
  const bias = node.weights.bias?.data;
  const slope = node.weights.slope?.data;
  const [oy0, oy1] = inside(SH, PT, H, OH);
  const [ox0, ox1] = inside(SW, PL, W, OW);

  return ([x], [y]) => {
    for (let p = 0; p < N * C; p++) {
      const c = p % C;
      const xPlane = p * H * W;
      const yPlane = p * OH * OW;
      const t = c * 9;
      const k0 = w[t], k1 = w[t + 1], k2 = w[t + 2], k3 = w[t + 3], k4 = w[t + 4];
      const k5 = w[t + 5], k6 = w[t + 6], k7 = w[t + 7], k8 = w[t + 8];
      const b = bias ? bias[c] : 0;
      for (let oy = 0; oy < OH; oy++) {
        const iy = oy * SH - PT;
        const yRow = yPlane + oy * OW;
        const rowInside = oy >= oy0 && oy < oy1;
        const lo = rowInside ? ox0 : OW;
        const hi = rowInside ? ox1 : OW;
        for (let ox = 0; ox < lo; ox++) y[yRow + ox] = b + borderSum(x, xPlane, H, W, iy, ox * SW - PL, w, t);
        for (let ox = lo; ox < hi; ox++) {
          const r0 = xPlane + iy * W + ox * SW - PL, r1 = r0 + W, r2 = r1 + W;
          y[yRow + ox] = b + k0 * x[r0] + k1 * x[r0 + 1] + k2 * x[r0 + 2]
            + k3 * x[r1] + k4 * x[r1 + 1] + k5 * x[r1 + 2]
            + k6 * x[r2] + k7 * x[r2 + 1] + k8 * x[r2 + 2];
        }
        for (let ox = hi; ox < OW; ox++) y[yRow + ox] = b + borderSum(x, xPlane, H, W, iy, ox * SW - PL, w, t);
      }
      applyActivation(activation, slope, c, y, yPlane, yPlane + OH * OW);
    }
  };
};
