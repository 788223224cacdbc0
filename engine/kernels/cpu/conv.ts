// General 2-D convolution: groups, stride, asymmetric pad, dilation, bias, fused activation.
// A direct loop that adds w[o, c, ky, kx] * (a strided input row) to each output row. Which
// output rows and columns a tap reaches inside the input is computed once per tap at plan
// time, so the inner loop has no bounds checks (padding contributes 0 and is skipped).

import { activateRange, perChannel } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

/** For each tap t: the outputs [lo, hi) whose input index o*stride + t*dilation - pad falls in [0, size). */
export function tapRanges(taps: number, stride: number, dilation: number, pad: number, size: number, out: number): Int32Array {
  const ranges = new Int32Array(2 * taps);
  for (let t = 0; t < taps; t++) {
    const shift = t * dilation - pad;
    const lo = Math.max(0, Math.ceil(-shift / stride));
    ranges[2 * t] = lo;
    ranges[2 * t + 1] = Math.max(lo, Math.min(out, Math.floor((size - 1 - shift) / stride) + 1));
  }
  return ranges;
}

export const convKernel: CpuKernelFactory<'conv-direct'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, O, OH, OW] = k.outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL], dilation: [DH, DW], group, weight, bias, activation } = k.conv;
  const act = perChannel(activation, O);
  const groupC = C / group;
  const groupO = O / group;
  const rows = tapRanges(KH, SH, DH, PT, H, OH);
  const cols = tapRanges(KW, SW, DW, PL, W, OW);
  const plane = OH * OW;

  return ([x], [y]) => {
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        const yPlane = (n * O + o) * plane;
        y.fill(bias[o], yPlane, yPlane + plane);
        const c0 = Math.floor(o / groupO) * groupC;
        for (let ci = 0; ci < groupC; ci++) {
          const xPlane = (n * C + c0 + ci) * H * W;
          const wTaps = (o * groupC + ci) * KH * KW;
          for (let ky = 0; ky < KH; ky++) {
            const oy0 = rows[2 * ky], oy1 = rows[2 * ky + 1];
            const iyShift = ky * DH - PT;
            for (let kx = 0; kx < KW; kx++) {
              const w = weight[wTaps + ky * KW + kx];
              const ox0 = cols[2 * kx], ox1 = cols[2 * kx + 1];
              const ixShift = kx * DW - PL;
              for (let oy = oy0; oy < oy1; oy++) {
                const xRow = xPlane + (oy * SH + iyShift) * W + ixShift;
                const yRow = yPlane + oy * OW;
                for (let ox = ox0; ox < ox1; ox++) y[yRow + ox] += w * x[xRow + ox * SW];
              }
            }
          }
        }
        activateRange(y, yPlane, yPlane + plane, act, o);
      }
    }
  };
};
