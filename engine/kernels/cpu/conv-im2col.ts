// Convolution with one group and any kernel, stride, pad and dilation, as a matrix product
// (gemm.ts). The input patches of a band of output rows (lower/conv.ts sizes it) are first copied
// into the scratch matrix B, with one row per weight tap (c, ky, kx) and one column per output
// pixel of the band, rows `band.stride` floats apart:
//   B[(c*KH + ky)*KW + kx, j] = x[c, oy*sh + ky*dh - padTop, ox*sw + kx*dw - padLeft]   (0 in the padding),
// so that y[:, band] = activate(bias + W · B) with W viewed as [O, C*KH*KW].

import { perChannel } from './activation.js';
import { tapRanges } from './conv.js';
import { gemm, packRows } from './gemm.js';
import type { CpuKernelFactory } from './kernel.js';

export const convIm2colKernel: CpuKernelFactory<'conv-im2col'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, O, OH, OW] = k.outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL], dilation: [DH, DW], weight, bias, activation } = k.conv;
  const { rows: bandRows, stride: ldb } = k.band;
  const K = C * KH * KW;
  const a = packRows(weight, bias, perChannel(activation, O), O, K);
  const rows = tapRanges(KH, SH, DH, PT, H, OH);
  // A tap that never reaches inside may have its range start past OW: clamp, as it fills columns.
  const cols = tapRanges(KW, SW, DW, PL, W, OW).map((v) => Math.min(v, OW));

  return ([x], [y], patches) => {
    for (let n = 0; n < N; n++) {
      for (let oy0 = 0; oy0 < OH; oy0 += bandRows) {
        const oy1 = Math.min(OH, oy0 + bandRows);
        for (let c = 0, row = 0; c < C; c++) {
          const xPlane = (n * C + c) * H * W;
          for (let ky = 0; ky < KH; ky++) {
            const yLo = rows[2 * ky], yHi = rows[2 * ky + 1];
            for (let kx = 0; kx < KW; kx++, row += ldb) {
              const xLo = cols[2 * kx], xHi = cols[2 * kx + 1];
              for (let oy = oy0, at = row; oy < oy1; oy++, at += OW) {
                const inside = oy >= yLo && oy < yHi;
                const lo = inside ? xLo : OW, hi = inside ? xHi : OW;
                const xRow = xPlane + (oy * SH + ky * DH - PT) * W + kx * DW - PL;
                for (let ox = 0; ox < lo; ox++) patches[at + ox] = 0;
                for (let ox = lo; ox < hi; ox++) patches[at + ox] = x[xRow + ox * SW];
                for (let ox = hi; ox < OW; ox++) patches[at + ox] = 0;
              }
            }
          }
        }
        gemm(a, patches, 0, ldb, (oy1 - oy0) * OW, y, (n * O * OH + oy0) * OW, OH * OW);
      }
    }
  };
};
