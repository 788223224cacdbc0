// Depthwise 3x3 convolution with stride 1 (group == in channels == out channels, dilation 1),
// any pad. As in conv-depthwise3x3.ts each plane is first copied into the zero-bordered scratch
// plane; then each output row runs along its three padded rows a, b, c one column at a time:
//   y[ox] = d0(ox) + d1(ox + 1) + d2(ox + 2),   d_j(col) = w[j] a[col] + w[3 + j] b[col] + w[6 + j] c[col],
// so when column col arrives it completes y[col - 2] and adds to y[col - 1] and y[col]:
// 3 loads an output instead of 9 (in plain JavaScript the loads, not the arithmetic, cost).

import { activateRange, perChannel } from './activation.js';
import { padPlane } from './conv-depthwise3x3.js';
import type { CpuKernelFactory } from './kernel.js';

export const convDepthwise3x3s1Kernel: CpuKernelFactory<'conv-depthwise3x3s1'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, , OH, OW] = k.outShapes[0];
  const { pad: [PT, PL, , PR], weight: w, bias, activation } = k.conv;
  const act = perChannel(activation, C);
  const PW = W + PL + PR; // = OW + 2

  return ([x], [y], padded) => {
    padded.fill(0);
    for (let p = 0; p < N * C; p++) {
      const c = p % C;
      padPlane(x, p * H * W, H, W, padded, PW, PT, PL);
      const t = c * 9;
      const k0 = w[t], k1 = w[t + 1], k2 = w[t + 2], k3 = w[t + 3], k4 = w[t + 4];
      const k5 = w[t + 5], k6 = w[t + 6], k7 = w[t + 7], k8 = w[t + 8];
      const bc = bias[c];
      for (let oy = 0, yi = p * OH * OW; oy < OH; oy++) {
        const row = yi;
        let ai = oy * PW;
        const bi = PW, ci = 2 * PW;
        // Columns 0 and 1 start the sums of y[0] (first two terms) and y[1] (first term).
        let a = padded[ai], b = padded[ai + bi], cc = padded[ai + ci];
        let next = bc + k0 * a + k3 * b + k6 * cc;
        a = padded[ai + 1]; b = padded[ai + bi + 1]; cc = padded[ai + ci + 1];
        let mid = next + k1 * a + k4 * b + k7 * cc;
        next = bc + k0 * a + k3 * b + k6 * cc;
        for (const end = yi + OW; yi < end; yi++, ai++) {
          a = padded[ai + 2]; b = padded[ai + bi + 2]; cc = padded[ai + ci + 2];
          y[yi] = mid + k2 * a + k5 * b + k8 * cc;
          mid = next + k1 * a + k4 * b + k7 * cc;
          next = bc + k0 * a + k3 * b + k6 * cc;
        }
        activateRange(y, row, yi, act, c);
      }
    }
  };
};
