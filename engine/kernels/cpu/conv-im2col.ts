// Convolution with one group and any kernel, stride, pad and dilation, as a matrix product
// (gemm.ts). The input patches of a band of output rows are first copied into a scratch matrix
// B with one row per weight tap (c, ky, kx) and one column per output pixel of the band:
//   B[(c*KH + ky)*KW + kx, j] = x[c, oy*sh + ky*dh - padTop, ox*sw + kx*dw - padLeft]   (0 in the padding),
// so that y[:, band] = activate(bias + W · B) with W viewed as [O, C*KH*KW]. Bands are whole
// output rows, about BAND pixels, so B stays in cache; it is allocated at plan time.

import type { NodeOf } from '../../graph/ops.js';
import { perChannel } from './activation.js';
import { tapRanges } from './conv.js';
import { gemm, packRows } from './gemm.js';
import type { CpuKernelFactory } from './kernel.js';

const BAND = 256;

export const convIm2colKernel: CpuKernelFactory<NodeOf<'Conv'>> = (node, inShapes, outShapes) => {
  const [N, C, H, W] = inShapes[0];
  const [, O, OH, OW] = outShapes[0];
  const { kernel: [KH, KW], stride: [SH, SW], pad: [PT, PL], dilation: [DH, DW] } = node.attrs;
  const { weight, bias, slope } = node.weights;
  const K = C * KH * KW;
  const a = packRows(weight.data, bias?.data, perChannel(node.attrs.activation, slope?.data, O), O, K);
  const rows = tapRanges(KH, SH, DH, PT, H, OH);
  // A tap that never reaches inside may have its range start past OW: clamp, as it fills columns.
  const cols = tapRanges(KW, SW, DW, PL, W, OW).map((v) => Math.min(v, OW));
  const bandRows = Math.max(1, Math.floor(BAND / OW));
  const ldb = bandRows * OW;
  const patches = new Float32Array(K * ldb);

  return ([x], [y]) => {
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
