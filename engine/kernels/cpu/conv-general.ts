// Any convolution (groups, stride, asymmetric pad, dilation; both general variants) as matrix
// products (gemm.ts) over bands of output rows: per image and band (conv-band.ts: the input rows
// it reads, padding made real, a horizontal stride split into phases), per group and col's worth
// of output rows (lower/kernel-node.ts ColLayout: the whole band for conv-im2col, one row for
// conv-direct), the patches are copied from the band into col, one row per tap
// k = (c·KH + ky)·KW + kx of the group, a run of OW pixels per output row:
//   col[k, r·OW + ox] = band[taps[k] + r·SH·width + ox]
// then y[g·Og + o, oy, ox] = activate(bias + sum_k W[g·Og + o, k] · col[k, (oy − oy0)·OW + ox]).
// (Not conv-direct's taps read in place: a GEMM reading B's rows through a table of offsets, one
// more load per k step, ran RMNet's pointwise layers 7% slower; so conv-direct's scratch holds
// one output row's col.)

import { copyBand, packGroups } from './conv-band.js';
import { gemm } from './gemm.js';
import type { CpuKernelFactory } from './kernel.js';

export const convGeneralKernel: CpuKernelFactory<'conv-direct' | 'conv-im2col'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, O, OH, OW] = k.outShapes[0];
  const { stride: [SH], group: G } = k.conv;
  const { rows: R, width, floats, taps } = k.band;
  const { rows: colRows, stride: ldb } = k.col;
  const Og = O / G;
  const K = taps.length;
  const groups = packGroups(k);

  return ([x], [y], scratch) => {
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < OH; b += R) {
        const oy0 = Math.min(b, OH - R);
        copyBand(k, x, n * C * H * W, oy0, scratch);
        for (let g = 0; g < G; g++) {
          for (let r0 = 0; r0 < R; r0 += colRows) {
            for (let t = 0, row = floats; t < K; t++, row += ldb) {
              for (let r = 0, to = row; r < colRows; r++, to += OW) {
                const from = (g * floats) / G + taps[t] + (r0 + r) * SH * width;
                scratch.copyWithin(to, from, from + OW);
              }
            }
            gemm(groups[g], scratch, floats, ldb, colRows * OW, y, ((n * O + g * Og) * OH + oy0 + r0) * OW, OH * OW);
          }
        }
      }
    }
  };
};
