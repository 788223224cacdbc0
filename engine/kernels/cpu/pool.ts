// Max and average pooling over NCHW with Caffe's semantics (every pooling variant). The output
// size comes from the inferred shape. Window (oh, ow) spans rows [hstart, hend) with
// hstart = oh*stride - padTop and hend = min(hstart + kh, H + padBottom), likewise columns.
// Average divides the sum by that padded window's area (Caffe), or by its part inside the input
// when excludePad; max takes the window's part inside the input. Pads are smaller than the window
// and the last window starts inside the input (ops.ts), so no window lies wholly in padding.

import type { CpuKernelFactory } from './kernel.js';

/** Per output index: [start, end) clipped to the input, then the unclipped (padded) size. */
export function windows(out: number, kernel: number, stride: number, padBefore: number, padAfter: number, size: number): Int32Array {
  const table = new Int32Array(3 * out);
  for (let i = 0; i < out; i++) {
    const start = i * stride - padBefore;
    const end = Math.min(start + kernel, size + padAfter);
    const lo = Math.max(start, 0);
    table[3 * i] = lo;
    table[3 * i + 1] = Math.min(end, size);
    table[3 * i + 2] = end - start;
  }
  return table;
}

export const poolKernel: CpuKernelFactory<'pool-max' | 'pool-ave'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, , OH, OW] = k.outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL, PB, PR], excludePad } = k.pool;
  const rows = windows(OH, KH, SH, PT, PB, H);
  const cols = windows(OW, KW, SW, PL, PR, W);
  const isMax = k.variant !== 'pool-ave';

  return ([x], [y]) => {
    let i = 0;
    for (let p = 0; p < N * C; p++) {
      const xPlane = p * H * W;
      for (let oh = 0; oh < OH; oh++) {
        const h0 = rows[3 * oh], h1 = rows[3 * oh + 1], hSize = rows[3 * oh + 2];
        for (let ow = 0; ow < OW; ow++) {
          const w0 = cols[3 * ow], w1 = cols[3 * ow + 1], wSize = cols[3 * ow + 2];
          if (isMax) {
            let m = -Infinity;
            for (let h = h0; h < h1; h++) {
              for (let j = xPlane + h * W + w0, end = j + w1 - w0; j < end; j++) if (x[j] > m) m = x[j];
            }
            y[i++] = m;
          } else {
            let s = 0;
            for (let h = h0; h < h1; h++) {
              for (let j = xPlane + h * W + w0, end = j + w1 - w0; j < end; j++) s += x[j];
            }
            y[i++] = s / (excludePad ? (h1 - h0) * (w1 - w0) : hSize * wSize);
          }
        }
      }
    }
  };
};
