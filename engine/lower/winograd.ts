// Winograd's minimal filtering for a 3x3 convolution, F(2x2, 3x3) (Lavin & Gray, 2016): a 2x2
// tile of outputs from a 4x4 patch d of the input is
//   Y = A^T [ U ⊙ (B^T d B) ] A,    U = G g G^T   (summed over input channels inside the brackets)
// with
//   B^T = | 1  0 -1  0 |     G = | 1    0    0  |     A^T = | 1  1  1  0 |
//         | 0  1  1  0 |         | 1/2  1/2  1/2|           | 0  1 -1 -1 |
//         | 0 -1  1  0 |         | 1/2 -1/2  1/2|
//         | 0  1  0 -1 |         | 0    0    1  |
// so each input channel costs 16 multiplications a tile instead of 36. Over many channels the
// sum inside the brackets is 16 matrix products, U[ξ] [O, C] by V[ξ] [C, tiles], one per
// position ξ of the 4x4 transformed tile; the transforms take only additions. Here: when the
// variant applies, how a band is cut into tiles, and U.

import type { Shape } from '../graph/graph.js';
import type { NodeOf } from '../graph/ops.js';
import type { WinogradTiles } from './kernel-node.js';

/** Input and output channels from which the products outweigh the transforms (P-Net's 3→10 stays direct). */
const CHANNELS = 8;

/** Output pixels of one image from which the variant is preferred to the general convolutions
 *  whatever its weights. One image's, not the batch's: an image's rounding then never depends on
 *  its batch (a candidate judged alone or among 64, or with half its batch-mates on another
 *  thread, gets the same bits). Below (a 7x7 output and less), the few multiplications saved do
 *  not pay for transformed weights of any size, made and placed in each process ... */
const PIXELS = 64;

/** ... unless they are this small (floats of U; P-Net's 2,560 and 8,192), so that a net's
 *  choice does not change with the size of its input (P-Net's tiles and whole levels alike). */
const SMALL_WEIGHTS = 8192;

/** Floats of V and M (the transformed input and the products) a band may take: 768 KB, so that
 *  O-Net's 32→64 conv at 23x23 is one band (bands of an even number of rows over an odd height
 *  would compute up to 3 rows more). */
const BUDGET = 196608;

/** Whether conv-winograd can run a convolution from `x` to `y`. */
export function winogradFits(attrs: NodeOf<'Conv'>['attrs'], x: Shape, y: Shape): boolean {
  const { kernel: [KH, KW], stride: [SH, SW], dilation: [DH, DW], group } = attrs;
  return KH === 3 && KW === 3 && SH === 1 && SW === 1 && DH === 1 && DW === 1 && group === 1
    && x[1] >= CHANNELS && y[1] >= CHANNELS && y[2] >= 2 && y[3] >= 2;
}

/** Whether conv-winograd, where it fits, is preferred from input `x` to output `y`. */
export const winogradPays = (x: Shape, y: Shape): boolean => y[2] * y[3] >= PIXELS || 16 * x[1] * y[1] <= SMALL_WEIGHTS;

/**
 * Tiles of C → O channels over an OH x OW output: bands of equal numbers of tile rows, as few as
 * the budget allows, each starting on an even row (so every output has the same place in its
 * 2x2 tile, and the same rounding, whichever band computes it): a band may end a row past OH
 * (that row is not stored), and the last overlaps the one before, as other bands do.
 */
export function winogradTiles(C: number, O: number, OH: number, OW: number): Omit<WinogradTiles, 'stride'> {
  const across = Math.ceil(OW / 2);
  const allRows = Math.ceil(OH / 2);
  const most = Math.max(1, Math.floor(BUDGET / (16 * (C + O) * across)));
  const tileRows = Math.ceil(allRows / Math.ceil(allRows / most));
  return { across, tileRows, tiles: tileRows * across };
}

const transformed = new WeakMap<Float32Array, Float32Array>();

/** U[ξ][o][c] = (G g[o][c] G^T)[ξ] for weights g [O, C, 3, 3], in float64 rounded once; made once per weight array. */
export function winogradWeights(weight: Float32Array, O: number, C: number): Float32Array {
  let u = transformed.get(weight);
  if (u) return u;
  u = new Float32Array(16 * O * C);
  const plane = O * C; // from U[ξ] to U[ξ + 1]
  for (let oc = 0, g = 0; oc < plane; oc++, g += 9) {
    // G g: four rows of three (G's rows applied to g's columns) ...
    const a0 = weight[g], a1 = weight[g + 1], a2 = weight[g + 2];
    const d0 = weight[g + 6], d1 = weight[g + 7], d2 = weight[g + 8];
    const b0 = (a0 + weight[g + 3] + d0) / 2, b1 = (a1 + weight[g + 4] + d1) / 2, b2 = (a2 + weight[g + 5] + d2) / 2;
    const c0 = (a0 - weight[g + 3] + d0) / 2, c1 = (a1 - weight[g + 4] + d1) / 2, c2 = (a2 - weight[g + 5] + d2) / 2;
    // ... then each row times G^T: x0, (x0 + x1 + x2) / 2, (x0 − x1 + x2) / 2, x2.
    let at = oc;
    u[at] = a0; u[at += plane] = (a0 + a1 + a2) / 2; u[at += plane] = (a0 - a1 + a2) / 2; u[at += plane] = a2;
    u[at += plane] = b0; u[at += plane] = (b0 + b1 + b2) / 2; u[at += plane] = (b0 - b1 + b2) / 2; u[at += plane] = b2;
    u[at += plane] = c0; u[at += plane] = (c0 + c1 + c2) / 2; u[at += plane] = (c0 - c1 + c2) / 2; u[at += plane] = c2;
    u[at += plane] = d0; u[at += plane] = (d0 + d1 + d2) / 2; u[at += plane] = (d0 - d1 + d2) / 2; u[at += plane] = d2;
  }
  transformed.set(weight, u);
  return u;
}
