// The matrix product behind every convolution but the depthwise ones, with the activation fused:
//   y[o, j] = activate(bias[o] + sum_k A[o, k] * B[k, j])      o < rows, j < cols,
// B (K x cols) and y (rows x cols) row-major with row strides ldb and ldy.
// A is packed at plan time in blocks of 4 rows, [block][k][4] (zero past the last row), so each
// step of the k loop loads 4 weights and 4 columns of B and updates a 4x4 tile of sums held in
// locals: 16 multiply-adds for 8 loads. In plain JavaScript every typed-array load costs an
// index add, an overflow check and a bounds check, so the loads, not the arithmetic, set the
// pace; larger tiles spill the accumulators to the stack and gain nothing.
// Columns go in chunks of CHUNK, so that a K x CHUNK slice of B stays in cache across the blocks;
// each block's rows of a chunk are activated right after they are written, while in cache
// (activating in the tile stores costs more: the inlined activations crowd the k loop's registers).

import { activateRange, type ChannelActivation } from './activation.js';

const CHUNK = 256;

export interface PackedRows {
  rows: number;
  depth: number;
  /** [block][k][4] */
  weights: Float32Array;
  /** bias[o], zero past the last row. */
  bias: Float32Array;
  act: ChannelActivation;
}

/** Packs A = weight as [rows, depth] (row-major) with its bias and per-row activation. */
export function packRows(weight: Float32Array, bias: Float32Array, act: ChannelActivation,
  rows: number, depth: number): PackedRows {
  const blocks = Math.ceil(rows / 4);
  const weights = new Float32Array(blocks * depth * 4);
  for (let o = 0; o < rows; o++) {
    for (let k = 0; k < depth; k++) weights[((o >> 2) * depth + k) * 4 + (o & 3)] = weight[o * depth + k];
  }
  const padded = new Float32Array(blocks * 4);
  padded.set(bias);
  return { rows, depth, weights, bias: padded, act };
}

/** Stores the first `rows` values of one column of a tile, at y[at] and `ld` apart. */
function storeColumn(y: Float32Array, at: number, ld: number, rows: number, a0: number, a1: number, a2: number, a3: number): void {
  y[at] = a0;
  if (rows > 1) y[at + ld] = a1;
  if (rows > 2) y[at + 2 * ld] = a2;
  if (rows > 3) y[at + 3 * ld] = a3;
}

/** y[o, j] (at yAt + o*ldy + j) = activate(bias[o] + sum_k A[o, k] * b[bAt + k*ldb + j]) for j < cols. */
export function gemm(a: PackedRows, b: Float32Array, bAt: number, ldb: number, cols: number,
  y: Float32Array, yAt: number, ldy: number): void {
  const { rows, depth: K, weights: w, bias, act } = a;
  const blocks = Math.ceil(rows / 4);
  for (let j0 = 0; j0 < cols; j0 += CHUNK) {
    const j1 = Math.min(cols, j0 + CHUNK);
    const j4 = j0 + ((j1 - j0) & ~3);
    for (let block = 0; block < blocks; block++) {
      const o = block * 4;
      const left = Math.min(4, rows - o);
      const wBlock = block * K * 4;
      const yRow = yAt + o * ldy;
      for (let j = j0; j < j4; j += 4) {
        // The bias is read again for each tile: kept in locals it would cost registers the k loop needs.
        let a00 = bias[o], a01 = a00, a02 = a00, a03 = a00;
        let a10 = bias[o + 1], a11 = a10, a12 = a10, a13 = a10;
        let a20 = bias[o + 2], a21 = a20, a22 = a20, a23 = a20;
        let a30 = bias[o + 3], a31 = a30, a32 = a30, a33 = a30;
        for (let k = 0, bi = bAt + j, wi = wBlock; k < K; k++, bi += ldb, wi += 4) {
          const x0 = b[bi], x1 = b[bi + 1], x2 = b[bi + 2], x3 = b[bi + 3];
          const w0 = w[wi], w1 = w[wi + 1], w2 = w[wi + 2], w3 = w[wi + 3];
          a00 += w0 * x0; a01 += w0 * x1; a02 += w0 * x2; a03 += w0 * x3;
          a10 += w1 * x0; a11 += w1 * x1; a12 += w1 * x2; a13 += w1 * x3;
          a20 += w2 * x0; a21 += w2 * x1; a22 += w2 * x2; a23 += w2 * x3;
          a30 += w3 * x0; a31 += w3 * x1; a32 += w3 * x2; a33 += w3 * x3;
        }
        storeColumn(y, yRow + j, ldy, left, a00, a10, a20, a30);
        storeColumn(y, yRow + j + 1, ldy, left, a01, a11, a21, a31);
        storeColumn(y, yRow + j + 2, ldy, left, a02, a12, a22, a32);
        storeColumn(y, yRow + j + 3, ldy, left, a03, a13, a23, a33);
      }
      for (let j = j4; j < j1; j++) {
        let a0 = bias[o], a1 = bias[o + 1], a2 = bias[o + 2], a3 = bias[o + 3];
        for (let k = 0, bi = bAt + j, wi = wBlock; k < K; k++, bi += ldb, wi += 4) {
          const x = b[bi];
          a0 += w[wi] * x; a1 += w[wi + 1] * x; a2 += w[wi + 2] * x; a3 += w[wi + 3] * x;
        }
        storeColumn(y, yRow + j, ldy, left, a0, a1, a2, a3);
      }
      for (let r = 0, at = yRow; r < left; r++, at += ldy) activateRange(y, at + j0, at + j1, act, o + r);
    }
  }
}
