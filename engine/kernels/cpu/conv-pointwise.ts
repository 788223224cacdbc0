// 1x1 convolution, stride 1, no pad, one group: per image the GEMM
// y[o, p] = bias[o] + sum_c W[o, c] * x[c, p] over the P = H*W pixels.
// Weights are packed at plan time in blocks of 4 output channels, [block][c][4] (zero past O),
// so the inner loop reads 4 weights and 4 pixels and accumulates a 4x4 tile in locals.
// Pixels go in chunks so that a C x CHUNK slice of x stays in cache across all blocks.

import type { NodeOf } from '../../graph/ops.js';
import { applyActivation } from './activation.js';
import type { CpuKernelFactory } from './kernel.js';

const CHUNK = 256;

/** Stores one pixel's column of a tile: rows o..o+rows-1 of y, `stride` apart. */
function storeColumn(y: Float32Array, at: number, stride: number, rows: number, a0: number, a1: number, a2: number, a3: number): void {
  y[at] = a0;
  if (rows > 1) y[at + stride] = a1;
  if (rows > 2) y[at + 2 * stride] = a2;
  if (rows > 3) y[at + 3 * stride] = a3;
}

export const convPointwiseKernel: CpuKernelFactory<NodeOf<'Conv'>> = (node, inShapes, outShapes) => {
  const [N, C, H, W] = inShapes[0];
  const O = outShapes[0][1];
  const P = H * W;
  const { activation } = node.attrs;
  const weight = node.weights.weight.data;
  const slope = node.weights.slope?.data;
  const blocks = Math.ceil(O / 4);
  const packed = new Float32Array(blocks * C * 4);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) packed[((o >> 2) * C + c) * 4 + (o & 3)] = weight[o * C + c];
  }
  const bias = new Float32Array(blocks * 4);
  if (node.weights.bias) bias.set(node.weights.bias.data);

  return ([x], [y]) => {
    for (let n = 0; n < N; n++) {
      const xImage = n * C * P;
      const yImage = n * O * P;
      for (let p0 = 0; p0 < P; p0 += CHUNK) {
        const p1 = Math.min(P, p0 + CHUNK);
        const p4 = p0 + ((p1 - p0) & ~3);
        for (let block = 0; block < blocks; block++) {
          const o = block * 4;
          const rows = Math.min(4, O - o);
          const wBlock = block * C * 4;
          const yRow = yImage + o * P;
          const b0 = bias[o], b1 = bias[o + 1], b2 = bias[o + 2], b3 = bias[o + 3];
          for (let p = p0; p < p4; p += 4) {
            let a00 = b0, a01 = b0, a02 = b0, a03 = b0;
            let a10 = b1, a11 = b1, a12 = b1, a13 = b1;
            let a20 = b2, a21 = b2, a22 = b2, a23 = b2;
            let a30 = b3, a31 = b3, a32 = b3, a33 = b3;
            for (let c = 0, xi = xImage + p, wi = wBlock; c < C; c++, xi += P, wi += 4) {
              const x0 = x[xi], x1 = x[xi + 1], x2 = x[xi + 2], x3 = x[xi + 3];
              const w0 = packed[wi], w1 = packed[wi + 1], w2 = packed[wi + 2], w3 = packed[wi + 3];
              a00 += w0 * x0; a01 += w0 * x1; a02 += w0 * x2; a03 += w0 * x3;
              a10 += w1 * x0; a11 += w1 * x1; a12 += w1 * x2; a13 += w1 * x3;
              a20 += w2 * x0; a21 += w2 * x1; a22 += w2 * x2; a23 += w2 * x3;
              a30 += w3 * x0; a31 += w3 * x1; a32 += w3 * x2; a33 += w3 * x3;
            }
            storeColumn(y, yRow + p, P, rows, a00, a10, a20, a30);
            storeColumn(y, yRow + p + 1, P, rows, a01, a11, a21, a31);
            storeColumn(y, yRow + p + 2, P, rows, a02, a12, a22, a32);
            storeColumn(y, yRow + p + 3, P, rows, a03, a13, a23, a33);
          }
          for (let p = p4; p < p1; p++) {
            let a0 = b0, a1 = b1, a2 = b2, a3 = b3;
            for (let c = 0, xi = xImage + p, wi = wBlock; c < C; c++, xi += P, wi += 4) {
              const xv = x[xi];
              a0 += packed[wi] * xv; a1 += packed[wi + 1] * xv; a2 += packed[wi + 2] * xv; a3 += packed[wi + 3] * xv;
            }
            storeColumn(y, yRow + p, P, rows, a0, a1, a2, a3);
          }
        }
      }
      for (let o = 0; o < O; o++) applyActivation(activation, slope, o, y, yImage + o * P, yImage + (o + 1) * P);
    }
  };
};
