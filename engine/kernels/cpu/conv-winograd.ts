// A 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) (lower/winograd.ts has the formulas), per
// image and band of output rows (conv-band.ts copies the band, padding made real):
//   V[ξ][c][t] = (B^T d B)[ξ]       d: the 4x4 patch of channel c under tile t
//   M[ξ][o][t] = sum_c U[ξ][o][c] · V[ξ][c][t]      16 matrix products (gemm.ts)
//   y tile t of channel o = act(bias[o] + A^T M[·][o][t] A)
// V and M live in scratch after the band (lower/kernel-node.ts WinogradTiles).

import { activateRange, perChannel } from './activation.js';
import { copyBand } from './conv-band.js';
import { gemm, packRows } from './gemm.js';
import type { CpuKernelFactory } from './kernel.js';

export const convWinogradKernel: CpuKernelFactory<'conv-winograd'> = (k) => {
  const [N, C, H, W] = k.inShapes[0];
  const [, O, OH, OW] = k.outShapes[0];
  const { rows: R, width, plane, floats } = k.band;
  const { across, tileRows, tiles, stride } = k.tiles;
  const act = perChannel(k.conv.activation, O);
  const { bias } = k.conv;
  const none = perChannel({ kind: 'none' }, O);
  const zeros = new Float32Array(O);
  const products = Array.from({ length: 16 }, (_, xi) => packRows(k.transformed.subarray(xi * O * C, (xi + 1) * O * C), zeros, none, O, C));
  const V = floats;
  const M = floats + 16 * C * stride;

  // Bands start on even rows (an output's place in its 2x2 tile, and so its rounding, is then the
  // same in every band); the last, or a single one over an odd OH, may end a row past OH.
  const last = R >= OH ? 0 : 2 * Math.ceil((OH - R) / 2);
  return ([x], [y], s) => {
    for (let n = 0; n < N; n++) {
      for (let b = 0; b < OH; b += R) {
        const oy0 = Math.min(b, last);
        copyBand(k, x, n * C * H * W, oy0, s);
        for (let c = 0; c < C; c++) {
          for (let ty = 0; ty < tileRows; ty++) {
            for (let tx = 0; tx < across; tx++) {
              // h = d B row by row (columns d0 - d2, d1 + d2, d2 - d1, d1 - d3), then B^T h column by column.
              let r = c * plane + 2 * ty * width + 2 * tx;
              const h00 = s[r] - s[r + 2], h01 = s[r + 1] + s[r + 2], h02 = s[r + 2] - s[r + 1], h03 = s[r + 1] - s[r + 3];
              r += width;
              const h10 = s[r] - s[r + 2], h11 = s[r + 1] + s[r + 2], h12 = s[r + 2] - s[r + 1], h13 = s[r + 1] - s[r + 3];
              r += width;
              const h20 = s[r] - s[r + 2], h21 = s[r + 1] + s[r + 2], h22 = s[r + 2] - s[r + 1], h23 = s[r + 1] - s[r + 3];
              r += width;
              const h30 = s[r] - s[r + 2], h31 = s[r + 1] + s[r + 2], h32 = s[r + 2] - s[r + 1], h33 = s[r + 1] - s[r + 3];
              const to = V + c * stride + ty * across + tx, xi = C * stride; // V[ξ][c][t] is ξ·xi further
              s[to] = h00 - h20; s[to + xi] = h01 - h21; s[to + 2 * xi] = h02 - h22; s[to + 3 * xi] = h03 - h23;
              s[to + 4 * xi] = h10 + h20; s[to + 5 * xi] = h11 + h21; s[to + 6 * xi] = h12 + h22; s[to + 7 * xi] = h13 + h23;
              s[to + 8 * xi] = h20 - h10; s[to + 9 * xi] = h21 - h11; s[to + 10 * xi] = h22 - h12; s[to + 11 * xi] = h23 - h13;
              s[to + 12 * xi] = h10 - h30; s[to + 13 * xi] = h11 - h31; s[to + 14 * xi] = h12 - h32; s[to + 15 * xi] = h13 - h33;
            }
          }
        }
        for (let xi = 0; xi < 16; xi++) gemm(products[xi], s, V + xi * C * stride, stride, tiles, s, M + xi * O * stride, stride);
        for (let o = 0; o < O; o++) {
          const b0 = bias[o];
          for (let ty = 0; ty < tileRows; ty++) {
            const oy = oy0 + 2 * ty;
            const row = ((n * O + o) * OH + oy) * OW;
            const second = oy + 1 < OH;
            for (let tx = 0; tx < across; tx++) {
              // t = m A row by row (columns m0 + m1 + m2, m1 - m2 - m3), then A^T t column by column.
              const at = M + o * stride + ty * across + tx, xi = O * stride; // M[ξ][o][t] is ξ·xi further
              const t00 = s[at] + s[at + xi] + s[at + 2 * xi], t01 = s[at + xi] - s[at + 2 * xi] - s[at + 3 * xi];
              const t10 = s[at + 4 * xi] + s[at + 5 * xi] + s[at + 6 * xi], t11 = s[at + 5 * xi] - s[at + 6 * xi] - s[at + 7 * xi];
              const t20 = s[at + 8 * xi] + s[at + 9 * xi] + s[at + 10 * xi], t21 = s[at + 9 * xi] - s[at + 10 * xi] - s[at + 11 * xi];
              const t30 = s[at + 12 * xi] + s[at + 13 * xi] + s[at + 14 * xi], t31 = s[at + 13 * xi] - s[at + 14 * xi] - s[at + 15 * xi];
              const ox = 2 * tx, right = ox + 1 < OW;
              y[row + ox] = b0 + (t00 + t10 + t20);
              if (right) y[row + ox + 1] = b0 + (t01 + t11 + t21);
              if (second) {
                y[row + OW + ox] = b0 + (t10 - t20 - t30);
                if (right) y[row + OW + ox + 1] = b0 + (t11 - t21 - t31);
              }
            }
            activateRange(y, row, row + OW, act, o);
            if (second) activateRange(y, row + OW, row + 2 * OW, act, o);
          }
        }
      }
    }
  };
};
